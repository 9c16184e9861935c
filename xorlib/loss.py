"""Mean binary cross-entropy, its gradient, and why it is computed from logits.

    L = -(1/n) [ yᵀ ln(y_hat) + (1 - y)ᵀ ln(1 - y_hat) ]            (scalar)

With y_hat = σ(z3), ln σ(z) = -softplus(-z) and ln(1 - σ(z)) = -softplus(z), so

    L = (1/n) Σ_i [ softplus(z3_i) - y_i z3_i ],   softplus(z) = ln(1 + e^z)

which stays finite for any finite logit, while ln(1 - σ(z)) is -inf in float64
once σ(z) = 1/(1 + e^-z) rounds to 1 (from z ≈ 36.74, where 1 + e^-z rounds to 1).
xorlib's σ, computed as e^z/(1 + e^z) for negative z, rounds to 0 only below
z ≈ -745; the formula 1/(1 + e^-z) is already 0 from z ≈ -709.78.
"""

from __future__ import annotations

import numpy as np

from .network import _forward
from .params import Params, as_params
from .validation import as_float_array, as_inputs, as_targets


def _vector_pair(a, a_name: str, y) -> tuple[np.ndarray, np.ndarray]:
    """Check a 1-D vector ``a`` and labels ``y`` of the same length."""
    a = as_float_array(a, a_name)
    if a.ndim != 1 or a.shape[0] == 0:
        raise ValueError(f"{a_name} must be a non-empty 1-D array (one entry per row), got shape {a.shape}")
    return a, as_targets(y, a.shape[0])


def _probabilities(y_hat, y) -> tuple[np.ndarray, np.ndarray]:
    y_hat, y = _vector_pair(y_hat, "y_hat", y)
    if np.any((y_hat < 0) | (y_hat > 1)):
        raise ValueError(f"y_hat must hold probabilities in [0, 1], got values from {y_hat.min()} to {y_hat.max()}")
    return y_hat, y


def _bce_terms(z3: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each row's BCE from its logit, softplus(z3) - y z3 (broadcasts: one column per net)."""
    return np.logaddexp(0.0, z3) - y * z3


def _bce_from_logits(z3: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(_bce_terms(z3, y)))


def bce_from_logits(z3, y) -> float:
    """Mean BCE from the logits z3 (shape (n,)): (1/n) Σ softplus(z3) - y z3."""
    return _bce_from_logits(*_vector_pair(z3, "z3", y))


def _bce_naive(y_hat: np.ndarray, y: np.ndarray) -> float:
    with np.errstate(divide="ignore"):
        # y is 0 or 1, so each row keeps one of the two logs (0 * ln 0 counts as 0).
        terms = np.where(y == 1.0, np.log(y_hat), np.log(1.0 - y_hat))
    return float(-np.mean(terms))


def bce_naive(y_hat, y) -> float:
    """The original's formula on probabilities: -(1/n)[yᵀ ln y_hat + (1-y)ᵀ ln(1-y_hat)].

    For teaching only: it returns inf (without a warning) once y_hat rounds to 0 or 1.
    """
    return _bce_naive(*_probabilities(y_hat, y))


def loss(params: Params, X, y) -> float:
    """Mean binary cross-entropy of the network on (X, y), computed from the logits."""
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    return _bce_from_logits(_forward(params, X).z3, y)


def _grad_loss_wrt_y_hat(y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    return -(y / y_hat - (1.0 - y) / (1.0 - y_hat)) / y.shape[0]


def grad_loss_wrt_y_hat(y_hat, y) -> np.ndarray:
    """∇_ŷ L = -(1/n) [ y / y_hat - (1 - y) / (1 - y_hat) ], shape (n,).

    The original's first factor. Carries the single 1/n of the mean. Infinite where
    y_hat is exactly 0 or 1, so such y_hat are refused.
    """
    y_hat, y = _probabilities(y_hat, y)
    if np.any((y_hat == 0) | (y_hat == 1)):
        raise ValueError("y_hat must be strictly between 0 and 1: ∇_ŷ L divides by y_hat and 1 - y_hat")
    return _grad_loss_wrt_y_hat(y_hat, y)


def _grad_loss_wrt_z3(y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (y_hat - y) / y.shape[0]


def grad_loss_wrt_z3(y_hat, y) -> np.ndarray:
    """∇_{z3} L = (∂ŷ/∂z3)ᵀ ∇_ŷ L = (y_hat - y) / n, shape (n,).

    The BCE + sigmoid simplification: y_hat (1 - y_hat) cancels the denominators.
    """
    return _grad_loss_wrt_z3(*_probabilities(y_hat, y))
