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

from .loss import _bce_from_logits, _grad_loss_wrt_z3
from .network import _forward_kernel, _relu_derivative
from .params import Params, as_params
from .validation import as_inputs, as_targets


def _backprop_kernel(theta: np.ndarray, X: np.ndarray, y: np.ndarray):
    """(loss, gradient vector) at ``theta``, both hidden units at once.

    Column k of ``g_Z`` is g_zk = step(z_k) ⊙ (w3_k g_z3). The gradient is
    assembled as a 3 x 3 array whose rows are (∇w_k, ∇b_k) for units 1, 2, 3,
    which is ``Params.to_vector()`` order once flattened.
    """
    Z, H, z3, y_hat = _forward_kernel(theta, X)
    g_z3 = _grad_loss_wrt_z3(y_hat, y)
    g_Z = _relu_derivative(Z) * (g_z3[:, None] * theta[6:8])
    grad = np.empty((3, 3))
    grad[:2, :2] = g_Z.T @ X  # row k: ∇_{wk} L = Xᵀ g_zk
    grad[:2, 2] = g_Z.sum(axis=0)  # ∇_{bk} L = 1ᵀ g_zk
    grad[2, :2] = g_z3 @ H  # ∇_{w3} L = Hᵀ g_z3
    grad[2, 2] = g_z3.sum()  # ∇_{b3} L = 1ᵀ g_z3
    return _bce_from_logits(z3, y), grad.ravel()


def backprop_gradients(params: Params, X, y) -> Params:
    """All gradients of the mean BCE by vector-Jacobian products, in O(n)."""
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    return Params.from_vector(_backprop_kernel(params.to_vector(), X, y)[1])
