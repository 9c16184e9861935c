"""The forward pass of the original's 2-2-1 network.

Equations (n rows of input, shapes on the right)::

    z1 = X w1 + b1          (n,)      h1 = relu(z1)   (n,)
    z2 = X w2 + b2          (n,)      h2 = relu(z2)   (n,)
    H  = [h1, h2]           (n, 2)
    z3 = H w3 + b3          (n,)      y_hat = σ(z3)   (n,)

ReLU'(0) convention: xorlib uses ReLU'(z) = step(z) = 1 if z > 0 else 0, so ReLU'(0) = 0
(the Heaviside step with H(0) = 0, SymPy's ``Heaviside(z, 0)``). Any value in
[0, 1] is a valid subgradient at the kink; 0 is what torch.relu and jax.nn.relu use
too, while JAX gives jnp.maximum(z, 0) the derivative 1/2 at 0, like SymPy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .params import Params, as_params
from .validation import as_float_array, as_inputs, as_targets


def step(z):
    """step(z) = 1 where z > 0, 0 where z <= 0: ReLU'(z), on already checked arrays."""
    return (np.asarray(z) > 0).astype(np.float64)


def relu(z):
    """relu(z) = max(0, z), elementwise."""
    return np.maximum(as_float_array(z, "z"), 0.0)


def relu_derivative(z):
    """ReLU'(z) = step(z): 1 where z > 0, 0 where z <= 0 (ReLU'(0) = 0).

    A function of the pre-activation z. The original's ``min(1, h)`` is not this.
    """
    return step(as_float_array(z, "z"))


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(-z)), computed without overflow for any finite z."""
    return _sigmoid(as_float_array(z, "z"))


@dataclass(frozen=True, eq=False)
class ForwardPass:
    """Every intermediate of the forward pass, named as in the original's equations."""

    X: np.ndarray  #: inputs, shape (n, 2)
    z1: np.ndarray  #: shape (n,)
    h1: np.ndarray  #: shape (n,)
    z2: np.ndarray  #: shape (n,)
    h2: np.ndarray  #: shape (n,)
    H: np.ndarray  #: [h1, h2], shape (n, 2)
    z3: np.ndarray  #: logits, shape (n,)
    y_hat: np.ndarray  #: σ(z3), shape (n,)

    @property
    def n(self) -> int:
        return self.X.shape[0]


def forward(params: Params, X) -> ForwardPass:
    """Run the network on X (shape (n, 2), any n >= 1) and keep every intermediate."""
    return _forward(as_params(params), as_inputs(X))


def _forward(p: Params, X: np.ndarray) -> ForwardPass:
    """``forward`` on arguments already checked (a ``Params``, X a float64 (n, 2) array): xorlib's own
    functions call it after checking their arguments once."""
    z1 = X @ p.w1 + p.b1
    h1 = np.maximum(z1, 0.0)
    z2 = X @ p.w2 + p.b2
    h2 = np.maximum(z2, 0.0)
    H = np.column_stack([h1, h2])
    z3 = H @ p.w3 + p.b3
    y_hat = _sigmoid(z3)
    return ForwardPass(X=X, z1=z1, h1=h1, z2=z2, h2=h2, H=H, z3=z3, y_hat=y_hat)


def predict(params: Params, X) -> np.ndarray:
    """y_hat = σ(z3), shape (n,)."""
    return forward(params, X).y_hat


def right_side(y_hat, y) -> np.ndarray:
    """Elementwise: whether each prediction is on the right side of 0.5 (above it exactly where y = 1).
    Broadcasts, so that ``right_side(predictions, y[:, None])`` judges many nets at once."""
    return (np.asarray(y_hat) > 0.5) == (np.asarray(y) == 1)


def solves(params: Params, X, y) -> bool:
    """Whether every point is on the right side of 0.5: y_hat > 0.5 exactly where y = 1."""
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    return bool(np.all(right_side(_forward(as_params(params), X).y_hat, y)))
