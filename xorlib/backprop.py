"""Backpropagation: the gradients as vector-Jacobian products, in O(n).

Every Jacobian in the original's chain is diagonal or a scaled identity except
the last, so each transposed-Jacobian-times-vector collapses to an elementwise
product or one small matrix-vector product, and no n x n matrix is built. These
are the lines of notebook 09, with its names::

    g_z3 = (y_hat - y) / n                  ∇_{z3} L = (∂ŷ/∂z3)ᵀ ∇_ŷ L, simplified
    g_z1 = step(z1) ⊙ w3_1 g_z3             ∇_{z1} L = (∂h1/∂z1)ᵀ (∂z3/∂h1)ᵀ g_z3
    g_z2 = step(z2) ⊙ w3_2 g_z3             ∇_{z2} L = (∂h2/∂z2)ᵀ (∂z3/∂h2)ᵀ g_z3
    ∇_{w1} L = Xᵀ g_z1     ∇_{b1} L = 1ᵀ g_z1     (likewise w2, b2)
    ∇_{w3} L = Hᵀ g_z3     ∇_{b3} L = 1ᵀ g_z3

Time and memory are O(n), against O(n²) for the explicit matrices.
"""

from __future__ import annotations

import numpy as np

from .network import ForwardPass, _forward, step
from .params import Params, as_params
from .validation import as_inputs, as_targets


def vjp_backward(p: Params, f: ForwardPass, y: np.ndarray) -> Params:
    """∇L from the forward pass ``f`` at ``p`` (arguments already checked)."""
    n = f.n
    g_z3 = (f.y_hat - y) / n
    g_z1 = step(f.z1) * p.w3[0] * g_z3
    g_z2 = step(f.z2) * p.w3[1] * g_z3
    return Params(
        w1=f.X.T @ g_z1, b1=g_z1.sum(),
        w2=f.X.T @ g_z2, b2=g_z2.sum(),
        w3=f.H.T @ g_z3, b3=g_z3.sum(),
    )


def backprop_gradients(params: Params, X, y) -> Params:
    """All gradients of the mean BCE by vector-Jacobian products, in O(n)."""
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    return vjp_backward(params, _forward(params, X), y)
