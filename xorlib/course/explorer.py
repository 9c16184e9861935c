"""The classroom explorer of notebook 10: its ipywidgets views ``Explorer`` and ``ChainRuleStepper``.

They only draw what ``ExplorerState`` and ``ChainRuleSteps`` hold; those live in
``xorlib.course.explorer_state`` and are re-exported here, so that a notebook imports all
four from this module. ipywidgets, IPython and matplotlib are imported when a view is
built, so the state and its tests need none of them.
"""

from __future__ import annotations

import numpy as np

from ..edges import CHAINS
from ..network import predict, right_side
from ..params import VECTOR_NAMES
from .explorer_state import ChainRuleSteps, ExplorerState  # noqa: F401  (re-exported)

#: ipywidgets 8 draws a slider as a noUiSlider handle (role "slider") with no accessible name, so a screen
#: reader announces "slider" without saying which. This script, run once per page, names every slider
#: handle after its description ("w3_1", "lr", ...), and the box beside it where a value can be typed,
#: now and whenever one is drawn.
NAME_SLIDERS = """
(function () {
  if (window.xorlibSliderNames) return;
  function name() {
    document.querySelectorAll(".widget-slider").forEach(function (slider) {
      var label = slider.querySelector(".widget-label"), handle = slider.querySelector(".noUi-handle");
      var readout = slider.querySelector(".widget-readout");
      if (!label || !handle || handle.getAttribute("aria-label") === label.textContent.trim()) return;
      handle.setAttribute("aria-label", label.textContent.trim());
      if (readout) {
        readout.setAttribute("role", "textbox");
        readout.setAttribute("aria-label", label.textContent.trim() + ", type a value");
      }
    });
  }
  window.xorlibSliderNames = new MutationObserver(name);
  window.xorlibSliderNames.observe(document.body, {childList: true, subtree: true});
  name();
})();
"""


def _slider_names():
    """An invisible output that runs ``NAME_SLIDERS`` where the widgets are drawn (not without a notebook)."""
    import ipywidgets as w
    from IPython import get_ipython
    from IPython.display import Javascript, display

    out = w.Output(layout=w.Layout(height="0px", overflow="hidden"))
    if get_ipython() is not None:
        with out:
            display(Javascript(NAME_SLIDERS))
    return out


def _figure(state: ExplorerState, epoch: int):
    import matplotlib.pyplot as plt

    from ..plots import plot_decision_boundary, plot_hidden_space, readable_log_scale

    params = state.params_at(epoch)
    # laid out by hand: constrained layout would double the cost of each redraw
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2),
                             gridspec_kw=dict(left=0.06, right=0.98, bottom=0.24, top=0.92, wspace=0.4))
    plot_decision_boundary(params, state.X, state.y, ax=axes[0], title=f"Decision boundary, epoch {epoch}",
                           resolution=101)
    plot_hidden_space(params, state.X, state.y, ax=axes[1], title="Hidden space")
    axes[2].plot(state.losses, color="tab:blue")
    axes[2].axvline(epoch, color="black", linestyle=":")
    axes[2].set(xlabel="epoch", ylabel="mean BCE loss", title="Loss")
    readable_log_scale(axes[2])
    axes[2].grid(alpha=0.3)
    return fig


class Explorer:
    """Sliders for the nine parameters, the seed, the learning rate and the epoch;
    buttons to step and train; the decision boundary, hidden space and loss curve
    redrawn live, the gradient of every parameter, and what the figure shows in words
    (the loss and each input's prediction at the epoch viewed)."""

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
        self.shown = w.HTML()  # what the figure shows, in words
        for name, s in self.sliders.items():
            s.observe(lambda change, name=name: self._on_slider(name, change["new"]), names="value")
        self.lr.observe(lambda change: self.state.set_lr(change["new"]), names="value")
        self.epoch.observe(lambda change: None if self._updating else self._draw(), names="value")
        self.buttons["reset"].on_click(lambda _: self._reset())
        self.buttons["step"].on_click(lambda _: self._step(1))
        self.buttons["train 100"].on_click(lambda _: self._step(100))
        controls = w.VBox([w.HBox([self.seed, self.buttons["reset"]]), self.lr,
                           w.HBox([self.buttons["step"], self.buttons["train 100"]]), self.epoch,
                           *self.sliders.values()])
        self.widget = w.VBox([w.HBox([controls, w.VBox([self.gradient, self.shown])]), self.figure, _slider_names()])
        self._sync()

    def _on_slider(self, name, value):
        if not self._updating:
            self.state.set_parameter(name, value)
            self._sync()

    def _reset(self):
        self.state.reset(int(self.seed.value))
        self._sync()

    def _step(self, steps):
        from ..descent import TrainingDiverged

        try:
            self.state.step(steps)
        except TrainingDiverged as error:  # the steps before the overflow stand; say why the rest did not
            self._sync()
            self.gradient.value = self.gradient.value.replace(
                "<pre>", f"<pre>{error}, then press reset\n\n", 1)
            return
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

        from ..plots import figure_html

        epoch = self.epoch.value
        self.shown.value = f"<pre>{self.state.prediction_table(epoch)}</pre>"
        if get_ipython() is None:  # no notebook to draw in (e.g. in unit tests)
            return
        params = self.state.params_at(epoch)
        right = int(np.sum(right_side(predict(params, self.state.X), self.state.y)))
        alt = (f"Three panels at epoch {epoch} of {self.state.epoch}: the decision boundary over the inputs, with "
               f"{right} of {self.state.y.size} points on the right side of 0.5; the inputs in hidden space; and the "
               f"loss curve, {self.state.losses[epoch]:.3g} at this epoch.")
        # set as the Output widget's state, not printed into it: nothing reaches the cell's own output
        self.figure.outputs = ({"output_type": "display_data", "metadata": {},
                                "data": {"text/html": figure_html(_figure(self.state, epoch), alt)}},)


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
                              self.view, _slider_names()])
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
