"""Full-batch gradient descent, as in the seed's training loop."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .backprop import _backprop_kernel
from .gradients import METHODS
from .jacobians import _chain_kernel
from .loss import _bce_from_logits
from .network import _forward_kernel
from .params import Params, as_params
from .validation import as_choice, as_inputs, as_positive_float, as_positive_int, as_targets


#: (loss, gradient vector) at a parameter vector, for each gradient method.
KERNELS = {"backprop": _backprop_kernel, "jacobian": _chain_kernel}


def _from_params_function(function):
    """Adapt a function (params, X, y) -> Params to the kernel signature."""

    def kernel(theta, X, y):
        params = Params.from_vector(theta)
        return _bce_from_logits(_forward_kernel(theta, X)[2], y), function(params, X, y).to_vector()

    return kernel


#: See ``History.diverged``.
DIVERGENCE_FACTOR = 10.0


class TrainingDiverged(FloatingPointError):
    """Raised when the loss or a parameter stops being finite during training."""


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
        """Whether the run ended far worse than it began: final loss above
        ``DIVERGENCE_FACTOR`` times max(initial loss, ln 2). Typical of a far too
        large learning rate; the loss stays finite because it is computed from
        the logits, so this is how such a run is recognised."""
        return bool(self.final_loss > DIVERGENCE_FACTOR * max(self.losses[0], np.log(2.0)))

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

    The seed's defaults: lr = 0.9, 1000 epochs. ``method`` is "backprop",
    "jacobian", or any function (params, X, y) -> Params, such as
    ``xorlib.errata.seed_gradients``. ``params`` is not modified.
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
        gradient, method = _from_params_function(method), getattr(method, "__name__", "custom")
    else:
        method = as_choice(method, "method", METHODS)
        gradient = KERNELS[method]

    vectors = np.empty((epochs + 1, 9))
    losses = np.empty(epochs + 1)
    theta = params.to_vector()
    for epoch in range(epochs + 1):
        vectors[epoch] = theta
        with np.errstate(over="ignore", invalid="ignore"):
            if epoch < epochs:
                losses[epoch], grad = gradient(theta, X, y)
            else:
                losses[epoch] = _bce_from_logits(_forward_kernel(theta, X)[2], y)
        if not np.isfinite(losses[epoch]):
            raise TrainingDiverged(
                f"training diverged at epoch {epoch}: the loss is {losses[epoch]} (lr={lr}); "
                "try a smaller learning rate"
            )
        if epoch == epochs:
            break
        with np.errstate(over="ignore", invalid="ignore"):
            theta = theta - lr * grad
        if not np.all(np.isfinite(theta)):
            raise TrainingDiverged(
                f"training diverged at epoch {epoch + 1}: the parameters are no longer "
                f"finite (lr={lr}); try a smaller learning rate"
            )
    return History(losses=losses, param_vectors=vectors, lr=lr, method=method)
