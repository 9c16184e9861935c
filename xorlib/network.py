"""The forward pass of the seed's 2-2-1 network, with each layer's local derivative beside it.

Equations (n rows of input, shapes on the right)::

    z1 = X w1 + b1          (n,)      h1 = relu(z1)   (n,)
    z2 = X w2 + b2          (n,)      h2 = relu(z2)   (n,)
    H  = [h1, h2]           (n, 2)
    z3 = H w3 + b3          (n,)      y_hat = σ(z3)   (n,)

ReLU'(0) convention: xorlib uses ReLU'(z) = 1 if z > 0 else 0, so ReLU'(0) = 0
(the Heaviside step with H(0) = 0, SymPy's ``Heaviside(z, 0)``). Any value in
[0, 1] is a valid subgradient at the kink; 0 is what torch.relu and jax.nn.relu use
too, while JAX gives jnp.maximum(z, 0) the derivative 1/2 at 0, like SymPy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .params import Params, as_params
from .validation import as_float_array, as_inputs


def relu(z):
    """relu(z) = max(0, z), elementwise."""
    return np.maximum(as_float_array(z, "z"), 0.0)


def _relu_derivative(z):
    return (np.asarray(z) > 0).astype(np.float64)


def relu_derivative(z):
    """ReLU'(z) = step(z): 1 where z > 0, 0 where z <= 0 (ReLU'(0) = 0).

    A function of the pre-activation z. The seed's ``min(1, h)`` is not this.
    """
    return _relu_derivative(as_float_array(z, "z"))


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(-z)), computed without overflow for any finite z."""
    return _sigmoid(as_float_array(z, "z"))


def sigmoid_derivative(y_hat):
    """σ'(z3) written in terms of the output: y_hat ⊙ (1 - y_hat)."""
    return y_hat * (1.0 - y_hat)


@dataclass(frozen=True, eq=False)
class ForwardPass:
    """Every intermediate of the forward pass, named as in the seed's equations."""

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


def _forward_kernel(theta: np.ndarray, X: np.ndarray):
    """The forward pass on a parameter vector (``Params.to_vector()`` order).

    ``theta.reshape(3, 3)`` has rows (w1, b1), (w2, b2), (w3, b3): one row per
    unit, weights then bias. Both hidden units are computed at once: column k
    of Z is z_k, column k of H is h_k. Returns (Z, H, z3, y_hat). This is the
    one implementation of the forward pass: ``forward``, ``backprop`` and
    ``train`` all call it.
    """
    units = theta.reshape(3, 3)
    Z = X @ units[:2, :2].T + units[:2, 2]
    H = np.maximum(Z, 0.0)
    z3 = H @ units[2, :2] + units[2, 2]
    return Z, H, z3, _sigmoid(z3)


def _forward_vector(theta: np.ndarray, X: np.ndarray) -> ForwardPass:
    Z, H, z3, y_hat = _forward_kernel(theta, X)
    return ForwardPass(X=X, z1=Z[:, 0], h1=H[:, 0], z2=Z[:, 1], h2=H[:, 1], H=H, z3=z3, y_hat=y_hat)


def _forward(params: Params, X: np.ndarray) -> ForwardPass:
    """Forward pass on already validated arguments."""
    return _forward_vector(params.to_vector(), X)


def forward(params: Params, X) -> ForwardPass:
    """Run the network on X (shape (n, 2), any n >= 1) and keep every intermediate."""
    return _forward(as_params(params), as_inputs(X))


def predict(params: Params, X) -> np.ndarray:
    """y_hat = σ(z3), shape (n,)."""
    return forward(params, X).y_hat
