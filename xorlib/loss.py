"""Mean binary cross-entropy, its gradient, and why it is computed from logits.

    L = -(1/n) [ yᵀ ln(y_hat) + (1 - y)ᵀ ln(1 - y_hat) ]            (scalar)

With y_hat = σ(z3), ln σ(z) = -softplus(-z) and ln(1 - σ(z)) = -softplus(z), so

    L = (1/n) Σ_i [ softplus(z3_i) - y_i z3_i ],   softplus(z) = ln(1 + e^z)

which stays finite for any finite logit, while ln(1 - σ(z)) is -inf in float64
once σ(z) rounds to 1 (z >= 37).
"""

from __future__ import annotations

import numpy as np

from .network import _forward
from .params import Params, as_params
from .validation import as_inputs, as_targets


def bce_from_logits(z3: np.ndarray, y: np.ndarray) -> float:
    """Mean BCE from the logits z3 (shape (n,)): (1/n) Σ softplus(z3) - y z3."""
    return float(np.mean(np.logaddexp(0.0, z3) - y * z3))


def bce_naive(y_hat: np.ndarray, y: np.ndarray) -> float:
    """The seed's formula on probabilities: -(1/n)[yᵀ ln y_hat + (1-y)ᵀ ln(1-y_hat)].

    For teaching only: it returns inf (silently) once y_hat rounds to 0 or 1.
    """
    with np.errstate(divide="ignore"):
        # y is 0 or 1, so each row keeps one of the two logs (0 * ln 0 counts as 0).
        terms = np.where(y == 1.0, np.log(y_hat), np.log(1.0 - y_hat))
    return float(-np.mean(terms))


def loss(params: Params, X, y) -> float:
    """Mean binary cross-entropy of the network on (X, y), computed from the logits."""
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    return bce_from_logits(_forward(params, X).z3, y)


def grad_loss_wrt_y_hat(y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∇_{y'} L = -(1/n) [ y / y_hat - (1 - y) / (1 - y_hat) ], shape (n,).

    The seed's first factor. Carries the single 1/n of the mean.
    """
    n = y.shape[0]
    return -(y / y_hat - (1.0 - y) / (1.0 - y_hat)) / n


def grad_loss_wrt_z3(y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∇_{z3} L = (∂y'/∂z3)ᵀ ∇_{y'} L = (y_hat - y) / n, shape (n,).

    The BCE + sigmoid simplification: y_hat (1 - y_hat) cancels the denominators.
    """
    return (y_hat - y) / y.shape[0]
