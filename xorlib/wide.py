"""The network with a hidden layer of any width k, in matrix form.

The 2-2-1 network's two hidden units become the k columns of one matrix::

    Z1 = X W1 + 1 b1ᵀ     X: (n, d)   W1: (d, k)   b1: (k,)   Z1: (n, k)
    H  = relu(Z1)                                              H:  (n, k)
    z3 = H w3 + b3         w3: (k,)    b3: scalar              z3: (n,)
    y_hat = σ(z3)

Backward, by vector-Jacobian products, with G_Z1 = ∇_{Z1} L (an (n, k) matrix)::

    g_z3   = (y_hat - y) / n                       (n,)
    G_H    = g_z3 w3ᵀ                              (n, k)   outer product
    G_Z1   = step(Z1) ⊙ G_H                        (n, k)
    ∇W1 = Xᵀ G_Z1   (d, k)     ∇b1 = 1ᵀ G_Z1  (k,)
    ∇w3 = Hᵀ g_z3   (k,)       ∇b3 = 1ᵀ g_z3

Column j of G_Z1 is the original's chain for unit j, step(z_j) ⊙ w3_j g_z3,
and column j of ∇W1 is its ∇_{w_j} L: with k = 2 and d = 2 this is exactly
``xorlib.gradients`` (``from_params`` converts).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .loss import _bce_from_logits
from .network import relu_derivative, right_side, sigmoid
from .params import Params, as_params, original_weights
from .validation import as_float, as_float_array, as_positive_float, as_positive_int, as_targets

BLOCKS = ("W1", "b1", "w3", "b3")


@dataclass(frozen=True, eq=False)
class WideParams:
    """W1 (d, k), b1 (k,), w3 (k,), b3 (a float). Also holds gradients, block by block.

    Building one checks nothing, so that a wrong gradient can be built and then
    diagnosed; ``validate`` checks the shapes.
    """

    W1: np.ndarray
    b1: np.ndarray
    w3: np.ndarray
    b3: float

    @property
    def width(self) -> int:
        return np.shape(self.W1)[1]

    def validate(self, name: str = "params") -> WideParams:
        """A checked copy: float arrays of consistent shapes, all finite."""
        W1 = as_float_array(self.W1, f"{name}.W1")
        if W1.ndim != 2:
            raise ValueError(f"{name}.W1 must have shape (d, k), got shape {W1.shape}")
        k = W1.shape[1]
        b1, w3 = as_float_array(self.b1, f"{name}.b1"), as_float_array(self.w3, f"{name}.w3")
        for block, array in (("b1", b1), ("w3", w3)):
            if array.shape != (k,):
                raise ValueError(f"{name}.{block} must have shape ({k},) for a width of {k}, got {array.shape}")
        return WideParams(W1, b1, w3, as_float(self.b3, f"{name}.b3"))

    def blocks(self) -> dict:
        return {name: np.asarray(getattr(self, name), dtype=np.float64) for name in BLOCKS}

    def to_vector(self) -> np.ndarray:
        return np.concatenate([np.ravel(self.W1), self.b1, self.w3, [self.b3]])

    @classmethod
    def from_vector(cls, vector, d: int, k: int) -> WideParams:
        v = np.asarray(vector, dtype=np.float64)
        return cls(v[:d * k].reshape(d, k), v[d * k:d * k + k], v[d * k + k:d * k + 2 * k], float(v[-1]))


def from_params(params: Params) -> WideParams:
    """The 2-2-1 ``Params`` as a width-2 net: column j of W1 is w_j, b1 = (b1, b2)."""
    p = as_params(params)
    return WideParams(np.column_stack([p.w1, p.w2]), np.array([p.b1, p.b2]), p.w3.copy(), p.b3)


def init_wide(d: int, k: int, rng) -> WideParams:
    """The original's scheme at any size: weights U(-1/√fan_in, 1/√fan_in), biases U(0, 1)."""
    d, k = as_positive_int(d, "d"), as_positive_int(k, "k")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    W1 = original_weights(rng, d, (d, k))
    w3 = original_weights(rng, k, k)
    return WideParams(W1, rng.uniform(0.0, 1.0, size=k), w3, float(rng.uniform(0.0, 1.0)))


def parity_data(bits: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """All 2^bits binary inputs, shape (2^bits, bits), labelled 1 when an odd number of bits is 1."""
    bits = as_positive_int(bits, "bits")
    X = np.array(list(itertools.product([0.0, 1.0], repeat=bits)))
    return X, X.sum(axis=1) % 2


@dataclass(frozen=True, eq=False)
class WideForward:
    X: np.ndarray  #: (n, d)
    Z1: np.ndarray  #: (n, k)
    H: np.ndarray  #: (n, k)
    z3: np.ndarray  #: (n,)
    y_hat: np.ndarray  #: (n,)


def _checked(params, X, y=None):
    if not isinstance(params, WideParams):
        raise TypeError(f"params must be a WideParams, got {type(params).__name__}")
    p = params.validate()
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != p.W1.shape[0]:
        raise ValueError(f"X must have shape (n, {p.W1.shape[0]}) to match W1 {p.W1.shape}, got {X.shape}")
    return (p, X) if y is None else (p, X, as_targets(y, X.shape[0]))


def _forward(p: WideParams, X: np.ndarray) -> WideForward:
    Z1 = X @ p.W1 + p.b1
    H = np.maximum(Z1, 0.0)
    z3 = H @ p.w3 + p.b3
    return WideForward(X, Z1, H, z3, sigmoid(z3))


def forward(params: WideParams, X) -> WideForward:
    """Every intermediate of the width-k forward pass."""
    return _forward(*_checked(params, X))


def loss(params: WideParams, X, y) -> float:
    """Mean BCE, from the logits."""
    p, X, y = _checked(params, X, y)
    return _bce_from_logits(_forward(p, X).z3, y)


def _backward(p: WideParams, X, y) -> WideParams:
    f = _forward(p, X)
    g_z3 = (f.y_hat - y) / X.shape[0]
    G_Z1 = relu_derivative(f.Z1) * np.outer(g_z3, p.w3)
    return WideParams(X.T @ G_Z1, G_Z1.sum(axis=0), f.H.T @ g_z3, float(g_z3.sum()))


def backward(params: WideParams, X, y) -> WideParams:
    """∇L for every block, by the matrix formulas in the module docstring."""
    return _backward(*_checked(params, X, y))


def numerical_gradient(params: WideParams, X, y, eps: float = 1e-6) -> WideParams:
    """∇L by central differences over every entry of every block."""
    p, X, y = _checked(params, X, y)
    eps = as_positive_float(eps, "eps")
    d, k = p.W1.shape
    theta = p.to_vector()
    grad = np.empty_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        plus = _bce_from_logits(_forward(WideParams.from_vector(theta + step, d, k), X).z3, y)
        minus = _bce_from_logits(_forward(WideParams.from_vector(theta - step, d, k), X).z3, y)
        grad[i] = (plus - minus) / (2 * eps)
    return WideParams.from_vector(grad, d, k)


def _one_number(value, name: str) -> float:
    """A number, given as a scalar or as an array holding one value."""
    array = np.asarray(value, dtype=float)
    if array.size != 1:
        raise ValueError(f"{name} must be one number, got an array of shape {array.shape}")
    return float(array.reshape(()))


def train(params: WideParams, X, y, lr: float = 0.9, epochs: int = 1000, gradient=None):
    """Full-batch gradient descent; ``gradient`` is any function (params, X, y) -> WideParams
    (default: ``backward``). Returns (final params, losses of shape (epochs + 1,))."""
    p, X, y = _checked(params, X, y)
    lr, epochs = as_positive_float(lr, "lr"), as_positive_int(epochs, "epochs")
    gradient = _backward if gradient is None else gradient
    losses = np.empty(epochs + 1)
    for epoch in range(epochs):
        losses[epoch] = _bce_from_logits(_forward(p, X).z3, y)
        g = gradient(p, X, y)  # any WideParams-like: b3 may come as a size-1 array, as a checker accepts it
        p = WideParams(p.W1 - lr * np.asarray(g.W1, dtype=float), p.b1 - lr * np.asarray(g.b1, dtype=float),
                       p.w3 - lr * np.asarray(g.w3, dtype=float), p.b3 - lr * _one_number(g.b3, "the gradient's b3"))
    losses[epochs] = _bce_from_logits(_forward(p, X).z3, y)
    return p, losses


def solved(params: WideParams, X, y) -> bool:
    """Every point on the right side of 0.5."""
    p, X, y = _checked(params, X, y)
    return bool(np.all(right_side(_forward(p, X).y_hat, y)))
