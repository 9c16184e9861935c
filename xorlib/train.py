"""Full-batch gradient descent, as in the original's training loop."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .backprop import vjp_backward
from .descent import TrainingDiverged, diverged, gradient_descent_step, overflow_diverges
from .gradients import METHODS
from .jacobians import chain_backward, check_not_saturated, evaluate
from .loss import _bce_from_logits
from .network import ForwardPass, _forward
from .params import Params, as_params
from .validation import as_choice, as_inputs, as_positive_float, as_positive_int, as_targets


def _jacobian_backward(p: Params, f: ForwardPass, y: np.ndarray) -> Params:
    check_not_saturated(f.y_hat)
    return chain_backward(evaluate(p, f, y))


#: The backward pass of each gradient method: (params, forward pass, y) -> ∇L.
BACKWARD = {"backprop": vjp_backward, "jacobian": _jacobian_backward}


@dataclass(frozen=True, eq=False)
class History:
    """What ``train`` did, epoch by epoch.

    ``losses[k]`` and ``param_vectors[k]`` are the loss and parameters after k
    updates, so ``losses[0]`` is the initial loss and ``losses[-1]`` the final one.
    """

    losses: np.ndarray  #: shape (epochs + 1,)
    param_vectors: np.ndarray  #: shape (epochs + 1, 9), rows as Params.to_vector()
    lr: float
    method: str

    @property
    def diverged(self) -> bool:
        """Whether the run ended far worse than it began (``xorlib.descent.diverged``)."""
        return bool(diverged(self.losses[0], self.final_loss))

    @property
    def epochs(self) -> int:
        return self.losses.shape[0] - 1

    @property
    def initial_params(self) -> Params:
        return self.params_at(0)

    @property
    def params(self) -> Params:
        """The final parameters."""
        return self.params_at(self.epochs)

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])

    def params_at(self, epoch: int) -> Params:
        """Parameters after ``epoch`` updates (0 <= epoch <= epochs)."""
        if isinstance(epoch, bool) or not isinstance(epoch, (int, np.integer)):
            raise TypeError(f"epoch must be an integer, got {type(epoch).__name__}")
        if not 0 <= epoch <= self.epochs:
            raise ValueError(f"epoch must be between 0 and {self.epochs}, got {epoch}")
        return Params.from_vector(self.param_vectors[epoch])


def train(params: Params, X, y, lr: float = 0.9, epochs: int = 1000, method="backprop") -> History:
    """Full-batch gradient descent θ <- θ - lr ∇L(θ), ``epochs`` times.

    The original's defaults: lr = 0.9, 1000 epochs. ``method`` is "backprop",
    "jacobian", or any function (params, X, y) -> Params, such as
    ``xorlib.errata.original_gradients``. ``params`` is not modified.
    Raises ``TrainingDiverged`` (naming the epoch) if the loss or the
    parameters stop being finite. A run whose loss grows but stays finite
    (e.g. lr = 1e3) completes and is marked ``history.diverged``.
    """
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    lr = as_positive_float(lr, "lr")
    epochs = as_positive_int(epochs, "epochs")
    if callable(method):
        function, method = method, getattr(method, "__name__", "custom")

        def backward_pass(p, f, y):
            return function(p, X, y)
    else:
        method = as_choice(method, "method", METHODS)
        backward_pass = BACKWARD[method]

    vectors = np.empty((epochs + 1, 9))
    losses = np.empty(epochs + 1)
    for epoch in range(epochs + 1):
        vectors[epoch] = params.to_vector()
        with np.errstate(over="ignore", invalid="ignore"):
            f = _forward(params, X)
            losses[epoch] = _bce_from_logits(f.z3, y)
        if not np.isfinite(losses[epoch]):
            raise TrainingDiverged(
                f"training diverged at epoch {epoch}: the loss is {losses[epoch]} (lr={lr}); "
                "try a smaller learning rate"
            )
        if epoch == epochs:
            break
        try:
            with overflow_diverges(lr):
                grads = backward_pass(params, f, y)
            params = gradient_descent_step(params, grads, lr)
        except TrainingDiverged as error:
            raise TrainingDiverged(f"training diverged at epoch {epoch + 1}: {error}") from None
    return History(losses=losses, param_vectors=vectors, lr=lr, method=method)
