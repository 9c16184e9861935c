"""Backpropagation: the same gradients as ``jacobians``, as vector-Jacobian products.

Every Jacobian in the seed's chain is diagonal or a scaled identity except the
last, so each transposed-Jacobian-times-vector collapses to an elementwise
product or one small matrix-vector product, and no n x n matrix is built::

    g_z3 = (y_hat - y) / n                    (∂y'/∂z3)ᵀ ∇_{y'} L, simplified
    g_z1 = step(z1) ⊙ (w3_1 g_z3)             (∂h1/∂z1)ᵀ (∂z3/∂h1)ᵀ g_z3
    g_z2 = step(z2) ⊙ (w3_2 g_z3)             (∂h2/∂z2)ᵀ (∂z3/∂h2)ᵀ g_z3
    ∇_{w3} L = Hᵀ g_z3     ∇_{b3} L = 1ᵀ g_z3
    ∇_{w1} L = Xᵀ g_z1     ∇_{b1} L = 1ᵀ g_z1     (likewise w2, b2)

Time and memory are O(n), against O(n²) for the explicit matrices.
"""

from __future__ import annotations

import numpy as np

from .loss import _grad_loss_wrt_z3
from .network import _forward, relu_derivative
from .params import Params, as_params
from .validation import as_inputs, as_targets


def _backprop(params: Params, X: np.ndarray, y: np.ndarray) -> Params:
    f = _forward(params, X)
    g_z3 = _grad_loss_wrt_z3(f.y_hat, y)
    g_z1 = relu_derivative(f.z1) * (params.w3[0] * g_z3)
    g_z2 = relu_derivative(f.z2) * (params.w3[1] * g_z3)
    return Params(
        w1=X.T @ g_z1,
        b1=g_z1.sum(),
        w2=X.T @ g_z2,
        b2=g_z2.sum(),
        w3=f.H.T @ g_z3,
        b3=g_z3.sum(),
    )


def backprop_gradients(params: Params, X, y) -> Params:
    """All gradients of the mean BCE by vector-Jacobian products, in O(n)."""
    params = as_params(params)
    X = as_inputs(X)
    return _backprop(params, X, as_targets(y, X.shape[0]))
