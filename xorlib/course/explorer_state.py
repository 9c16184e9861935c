"""The classroom explorer: its state and update logic (its ipywidgets views are in ``xorlib.course.explorer``).

``ExplorerState`` and ``ChainRuleSteps`` hold everything the widgets show and
are tested without a browser; ``Explorer`` and ``ChainRuleStepper`` only draw
them. A gradient step here is exactly one epoch of ``xorlib.train``: after N
steps from the same start and learning rate, the parameters are bit for bit
``train``'s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..backprop import vjp_backward
from ..data import xor_data
from ..descent import TrainingDiverged, diverged, gradient_descent_step, overflow_diverges
from ..edges import BY_NAME, CHAINS, gradient_latex
from ..jacobians import local_jacobians, walk_chain
from ..loss import _bce_from_logits
from ..network import _forward, predict, right_side
from ..params import VECTOR_NAMES, Params, as_params, init_params
from ..validation import as_choice, as_float, as_inputs, as_positive_float, as_positive_int, as_targets


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
        return _bce_from_logits(_forward(params, self.X).z3, self.y)

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
        return vjp_backward(self.params, _forward(self.params, self.X), self.y)

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
            with overflow_diverges(self.lr):
                grads = self.gradient()
            params = gradient_descent_step(self.params, grads, self.lr)
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

    def prediction_table(self, epoch: int | None = None) -> str:
        """What the explorer's figure shows at ``epoch`` (default: the latest), as plain text: the loss,
        and each input's prediction and whether it is on the right side of 0.5."""
        epoch = self.epoch if epoch is None else epoch
        y_hat = predict(self.params_at(epoch), self.X)
        right = right_side(y_hat, self.y)
        lines = [f"epoch {epoch}: loss {self._losses[epoch]:.5f}, {int(right.sum())} of {right.size} inputs "
                 "on the right side of 0.5", f"{'input':<11}{'y':>2}{'y_hat':>9}"]
        lines += [f"{'(' + ', '.join(f'{v:g}' for v in x) + ')':<11}{t:>2}{p:>9.4f}  {'right' if ok else 'wrong'}"
                  for x, t, p, ok in zip(self.X, self.y.astype(int), y_hat, right, strict=True)]
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

    Step 0 is ∇_ŷ L; step k applies the k-th transposed Jacobian from the
    right. The last product is the gradient, equal to ``xorlib.gradients``.
    The chain comes from the table of edges; symbolic forms from ``xorlib.symbolic``
    (derived for the 4 XOR rows).
    """

    def __init__(self, params: Params, parameter: str = "w1", X=None, y=None):
        from .. import symbolic

        if X is None:
            X, y = xor_data()
        self.parameter = as_choice(parameter, "parameter", CHAINS)
        J = local_jacobians(params, X, y)
        net = symbolic.xor_network() if as_inputs(X).shape[0] == 4 else None

        def form(name):
            return symbolic.latex(net.jacobians[name]) if net is not None else ""

        self.steps = [ChainStep("grad_y_hat", form("grad_y_hat"), J.grad_y_hat, J.grad_y_hat, gradient_latex("y_hat"))]
        # each product so far is the gradient with respect to its factor's input
        self.steps += [ChainStep(name, form(name), getattr(J, name), product, gradient_latex(BY_NAME[name].input))
                       for name, product in walk_chain(J, CHAINS[self.parameter], J.grad_y_hat)]

    @property
    def gradient(self) -> np.ndarray:
        return self.steps[-1].product.reshape(-1)

    def describe(self, index: int) -> str:
        """A one-line, plain-text summary of step ``index``."""
        step = self.steps[index]
        if index == 0:
            return f"start: ∇_ŷ L, shape {step.value.shape}"
        return (f"apply ({step.name})ᵀ, factor shape {step.value.shape} -> product shape "
                f"{step.product.shape}")
