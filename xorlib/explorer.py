"""The classroom explorer: its state and update logic, and its ipywidgets views.

``ExplorerState`` and ``ChainRuleSteps`` hold everything the widgets show and
are tested without a browser; ``Explorer`` and ``ChainRuleStepper`` only draw
them. A gradient step here is exactly one epoch of ``xorlib.train``: after N
steps from the same start and learning rate, the parameters are bit for bit
``train``'s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .backprop import backward
from .data import xor_data
from .descent import TrainingDiverged, descend, diverged
from .jacobians import local_jacobians
from .layers import BY_NAME, CHAINS, gradient_latex
from .loss import _bce_from_logits
from .network import forward
from .params import VECTOR_NAMES, Params, as_params, init_params
from .validation import as_choice, as_float, as_inputs, as_positive_float, as_positive_int, as_targets


class ExplorerState:
    """Parameters, learning rate and the history of one hand-driven training run."""

    def __init__(self, seed: int = 0, lr: float = 0.9, X=None, y=None):
        if X is None:
            X, y = xor_data()
        self.X = as_inputs(X)
        self.y = as_targets(y, self.X.shape[0])
        self.lr = as_positive_float(lr, "lr")
        self.reset(seed)

    def reset(self, seed: int) -> None:
        """Start again from ``init_params(seed)``."""
        self.seed = seed
        self.restart_from(init_params(seed))

    def restart_from(self, params: Params) -> None:
        """Start again from the given parameters: epoch 0, empty history."""
        self._params = [as_params(params)]
        self._losses = [self._loss(self._params[0])]

    def _loss(self, params: Params) -> float:
        return _bce_from_logits(forward(params, self.X).z3, self.y)

    @property
    def epoch(self) -> int:
        return len(self._params) - 1

    @property
    def params(self) -> Params:
        return self._params[-1]

    @property
    def losses(self) -> np.ndarray:
        """Loss after each step so far, starting with the initial loss."""
        return np.array(self._losses)

    @property
    def loss(self) -> float:
        return self._losses[-1]

    @property
    def diverged(self) -> bool:
        """Whether the run so far has diverged, by the same rule as ``History.diverged``."""
        return bool(diverged(self._losses[0], self._losses[-1]))

    def gradient(self) -> Params:
        """∇L at the current parameters (what the next step will use)."""
        return backward(self.params, forward(self.params, self.X), self.y)

    def params_at(self, epoch: int) -> Params:
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)) or not 0 <= epoch <= self.epoch:
            raise ValueError(f"epoch must be an integer between 0 and {self.epoch}, got {epoch!r}")
        return self._params[epoch]

    def set_parameter(self, name: str, value) -> None:
        """Move one parameter (``"w1_2"``, ``"b3"``, …) by hand; the run restarts from there."""
        name = as_choice(name, "name", VECTOR_NAMES)
        theta = self.params.to_vector()
        theta[VECTOR_NAMES.index(name)] = as_float(value, name)
        self.restart_from(Params.from_vector(theta))

    def set_lr(self, lr) -> None:
        self.lr = as_positive_float(lr, "lr")

    def step(self, steps: int = 1) -> Params:
        """Take ``steps`` gradient steps θ <- θ - lr ∇L(θ), as ``train`` does; return the last gradient used."""
        steps = as_positive_int(steps, "steps")
        for _ in range(steps):
            params, grads = descend(self.params, self.gradient, self.lr)
            with np.errstate(over="ignore", invalid="ignore"):
                loss = self._loss(params)
            if not np.isfinite(loss):
                raise TrainingDiverged(f"the loss is {loss} after epoch {self.epoch} (lr={self.lr}); "
                                       "try a smaller learning rate")
            self._params.append(params)
            self._losses.append(loss)
        return grads

    def gradient_table(self) -> str:
        """The current gradient, one parameter per line, as plain text."""
        grad = self.gradient().to_vector()
        value = self.params.to_vector()
        lines = [f"{'param':<6}{'value':>11}{'gradient':>12}"]
        lines += [f"{n:<6}{v:>+11.4f}{g:>+12.5f}" for n, v, g in zip(VECTOR_NAMES, value, grad, strict=True)]
        return "\n".join(lines)


@dataclass(frozen=True)
class ChainStep:
    """One factor of the chain, applied: (factor)ᵀ times the running product."""

    name: str  #: "grad_y_hat" for the start, else a Jacobian of the original's list
    latex: str  #: the factor's symbolic form
    value: np.ndarray  #: the factor, evaluated at the current parameters
    product: np.ndarray  #: the running product after applying this factor
    product_latex: str  #: what the running product is, e.g. ∇_{z3} L


class ChainRuleSteps:
    """The original's chain for one parameter block, one factor at a time, right to left.

    Step 0 is ∇_{y'} L; step k applies the k-th transposed Jacobian from the
    right. The last product is the gradient, equal to ``xorlib.gradients``.
    The chain comes from the layer table; symbolic forms from ``xorlib.symbolic``
    (derived for the 4 XOR rows).
    """

    def __init__(self, params: Params, parameter: str = "w1", X=None, y=None):
        from . import symbolic

        if X is None:
            X, y = xor_data()
        self.parameter = as_choice(parameter, "parameter", CHAINS)
        J = local_jacobians(params, X, y)
        net = symbolic.xor_network() if as_inputs(X).shape[0] == 4 else None

        def form(name):
            return symbolic.latex(net.jacobians[name]) if net is not None else ""

        product = J.grad_y_hat
        self.steps = [ChainStep("grad_y_hat", form("grad_y_hat"), J.grad_y_hat, product, gradient_latex("y_hat"))]
        for name in reversed(CHAINS[self.parameter]):
            value = getattr(J, name)
            product = value.T @ product
            # the product so far is the gradient with respect to this factor's input
            self.steps.append(ChainStep(name, form(name), value, product, gradient_latex(BY_NAME[name].input)))

    @property
    def gradient(self) -> np.ndarray:
        return self.steps[-1].product.reshape(-1)

    def describe(self, index: int) -> str:
        """A one-line, plain-text summary of step ``index``."""
        step = self.steps[index]
        if index == 0:
            return f"start: ∇_y' L, shape {step.value.shape}"
        return (f"apply ({step.name})ᵀ, factor shape {step.value.shape} -> product shape "
                f"{step.product.shape}")


# --- the ipywidgets views ------------------------------------------------------------------

def _figure(state: ExplorerState, epoch: int):
    import matplotlib.pyplot as plt

    from .plots import plot_decision_boundary, plot_hidden_space

    params = state.params_at(epoch)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), layout="constrained")
    plot_decision_boundary(params, state.X, state.y, ax=axes[0], title=f"Decision boundary, epoch {epoch}",
                           resolution=101)
    plot_hidden_space(params, state.X, state.y, ax=axes[1], title="Hidden space")
    axes[2].plot(state.losses, color="tab:blue")
    axes[2].axvline(epoch, color="black", linestyle=":")
    axes[2].set(xlabel="epoch", ylabel="mean BCE loss", title="Loss", yscale="log")
    axes[2].grid(alpha=0.3)
    return fig


class Explorer:
    """Sliders for the nine parameters, the seed, the learning rate and the epoch;
    buttons to step and train; the decision boundary, hidden space and loss curve
    redrawn live, and the gradient of every parameter."""

    def __init__(self, seed: int = 0, lr: float = 0.9):
        import ipywidgets as w

        self.state = ExplorerState(seed=seed, lr=lr)
        self._updating = False
        slider = dict(min=-4.0, max=4.0, step=0.01, continuous_update=False, readout_format=".2f",
                      layout=w.Layout(width="300px"))
        self.sliders = {name: w.FloatSlider(description=name, **slider) for name in VECTOR_NAMES}
        self.seed = w.BoundedIntText(value=seed, min=0, max=10**6, description="seed", layout=w.Layout(width="180px"))
        self.lr = w.FloatLogSlider(value=lr, base=10, min=-2, max=1, step=0.1, description="lr",
                                   continuous_update=False)
        self.epoch = w.IntSlider(value=0, min=0, max=0, description="view epoch", continuous_update=False)
        self.buttons = {label: w.Button(description=label) for label in ("reset", "step", "train 100")}
        self.figure = w.Output()
        self.gradient = w.HTML()
        for name, s in self.sliders.items():
            s.observe(lambda change, name=name: self._on_slider(name, change["new"]), names="value")
        self.lr.observe(lambda change: self.state.set_lr(change["new"]), names="value")
        self.epoch.observe(lambda change: self._draw(), names="value")
        self.buttons["reset"].on_click(lambda _: self._reset())
        self.buttons["step"].on_click(lambda _: self._step(1))
        self.buttons["train 100"].on_click(lambda _: self._step(100))
        controls = w.VBox([w.HBox([self.seed, self.buttons["reset"]]), self.lr,
                           w.HBox([self.buttons["step"], self.buttons["train 100"]]), self.epoch,
                           *self.sliders.values()])
        self.widget = w.VBox([w.HBox([controls, self.gradient]), self.figure])
        self._sync()

    def _on_slider(self, name, value):
        if not self._updating:
            self.state.set_parameter(name, value)
            self._sync()

    def _reset(self):
        self.state.reset(int(self.seed.value))
        self._sync()

    def _step(self, steps):
        self.state.step(steps)
        self._sync()

    def _sync(self):
        """Bring every widget in line with the state, then redraw."""
        self._updating = True
        try:
            for name, value in zip(VECTOR_NAMES, self.state.params.to_vector(), strict=True):
                self.sliders[name].value = float(np.clip(value, -4.0, 4.0))
            self.epoch.max = self.state.epoch
            self.epoch.value = self.state.epoch
        finally:
            self._updating = False
        state = self.state
        self.gradient.value = f"<pre>loss {state.loss:.5f} at epoch {state.epoch}\n\n{state.gradient_table()}</pre>"
        self._draw()

    def _draw(self):
        from IPython import get_ipython
        from IPython.display import clear_output

        from .plots import display_figure

        if get_ipython() is None:  # no notebook to draw in (e.g. in unit tests)
            return
        with self.figure:
            clear_output(wait=True)
            display_figure(_figure(self.state, self.epoch.value))


class ChainRuleStepper:
    """Walk the chain for one parameter, a factor at a time: its symbolic form,
    its value at the explorer's current parameters, and the shapes."""

    def __init__(self, state: ExplorerState, parameter: str = "w1"):
        import ipywidgets as w


        self.state = state
        self.choice = w.Dropdown(options=list(CHAINS), value=parameter, description="gradient of")
        self.index = w.IntSlider(value=0, min=0, description="step")
        self.buttons = {"previous": w.Button(description="previous"), "next": w.Button(description="next")}
        self.view = w.HTMLMath()
        self.choice.observe(lambda change: self._rebuild(), names="value")
        self.index.observe(lambda change: self._draw(), names="value")
        self.buttons["previous"].on_click(lambda _: self._move(-1))
        self.buttons["next"].on_click(lambda _: self._move(+1))
        self.widget = w.VBox([w.HBox([self.choice, self.buttons["previous"], self.buttons["next"], self.index]),
                              self.view])
        self._rebuild()

    def _rebuild(self):
        self.steps = ChainRuleSteps(self.state.params, self.choice.value, self.state.X, self.state.y)
        self.index.max = len(self.steps.steps) - 1
        self.index.value = 0
        self._draw()

    def _move(self, delta):
        self.index.value = int(np.clip(self.index.value + delta, 0, self.index.max))

    def _draw(self):
        k = self.index.value
        step = self.steps.steps[k]
        value = np.array2string(np.round(step.value, 4), separator=", ")
        product = np.array2string(np.round(step.product, 5), separator=", ")
        title = "start with" if k == 0 else f"step {k}: multiply by the transpose of"
        self.view.value = (f"<p>{title} ${step.latex}$</p><p>value at the current parameters "
                           f"(shape {step.value.shape}):</p><pre>{value}</pre>"
                           f"<p>running product ${step.product_latex}$, shape {step.product.shape}:</p>"
                           f"<pre>{product}</pre><p>{self.steps.describe(k)}</p>")
