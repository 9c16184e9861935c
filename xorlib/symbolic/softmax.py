"""Softmax and cross-entropy in SymPy: the first Jacobian of the collection that is not diagonal.

For one row of logits z (c classes), p = softmax(z), p_j = e^{z_j} / Σ_k e^{z_k}::

    ∂p/∂z = diag(p) - p pᵀ                    (c, c), full: every p_j depends on every z_k
    ℓ = -ln p_y = -Σ_j y_j ln p_j             (y one-hot)
    ∇_z ℓ = (∂p/∂z)ᵀ ∇_p ℓ = p - y            the c x c matrix collapses to a difference

Over n rows with the mean, L = (1/n) Σ_i ℓ_i and ∇_Z L = (P - Y)/n, row i being (p_i - y_i)/n.
Every formula here is SymPy's own derivative (``Matrix.jacobian``, ``diff``), compared with the
closed form, so the engine's VJP (``xorlib.engine``, op "softmax_ce") is checked, not copied.

Layout of a matrix input: P = softmax(Z) row by row, Z of shape (n, c). ``vec_jacobian`` stacks
Z's entries row by row (C order, numpy's ``ravel``) or column by column (F order, SymPy's ``vec``);
in C order the Jacobian is block diagonal, one (c, c) block per row; in F order it is the same
matrix with rows and columns permuted. A numerical Jacobian must flatten in the order the formula uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import sympy as sp

from ..validation import as_choice, as_float_array, as_positive_int


def logits(c: int) -> sp.Matrix:
    """The symbols z_1 … z_c, a column."""
    return sp.Matrix(sp.symbols(f"z_1:{as_positive_int(c, 'c') + 1}", real=True))


def softmax(z: sp.Matrix) -> sp.Matrix:
    """p_j = e^{z_j} / Σ_k e^{z_k}."""
    total = sum(sp.exp(zk) for zk in z)
    return z.applyfunc(lambda zj: sp.exp(zj) / total)


@dataclass(frozen=True, eq=False)
class SoftmaxDerivation:
    """The derived Jacobian and gradient for c classes, and whether each equals its closed form."""

    c: int
    z: sp.Matrix
    p: sp.Matrix  #: softmax(z), in the symbols z
    jacobian: sp.Matrix  #: SymPy's ∂p/∂z
    closed_jacobian: sp.Matrix  #: diag(p) - p pᵀ
    gradient: dict  #: label y -> SymPy's ∇_z (-ln p_y)
    closed_gradient: dict  #: label y -> p - e_y

    @property
    def jacobian_is_closed_form(self) -> bool:
        return sp.simplify(self.jacobian - self.closed_jacobian) == sp.zeros(self.c, self.c)

    @property
    def gradient_is_p_minus_y(self) -> bool:
        return all(sp.simplify(self.gradient[k] - self.closed_gradient[k]) == sp.zeros(self.c, 1)
                   for k in range(self.c))

    @property
    def chain_is_p_minus_y(self) -> bool:
        """(∂p/∂z)ᵀ ∇_p ℓ, the chain through the full Jacobian, equals p - y for every label."""
        for k in range(self.c):
            grad_p = sp.Matrix([-1 / self.p[k] if j == k else 0 for j in range(self.c)])  # ∇_p (-ln p_k)
            if sp.simplify(self.jacobian.T * grad_p - self.closed_gradient[k]) != sp.zeros(self.c, 1):
                return False
        return True


@cache
def derive_softmax(c: int = 3) -> SoftmaxDerivation:
    """Derive ∂softmax/∂z and ∇_z of the cross-entropy for c classes (cached: SymPy takes a moment)."""
    z = logits(c)
    p = softmax(z)
    closed = sp.diag(*p) - p * p.T
    gradient = {k: sp.Matrix([-sp.log(p[k])]).jacobian(z).T for k in range(c)}
    one_hot = {k: sp.Matrix([1 if j == k else 0 for j in range(c)]) for k in range(c)}
    return SoftmaxDerivation(c, z, p, p.jacobian(z), closed, gradient, {k: p - one_hot[k] for k in range(c)})


def softmax_rows(Z) -> np.ndarray:
    """softmax of each row of Z (n, c), numerically: the formula above, shifted by the row's max."""
    Z = as_float_array(Z, "Z")
    if Z.ndim != 2:
        raise ValueError(f"Z must have shape (n, c), got {Z.shape}")
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def block_jacobian(Z) -> np.ndarray:
    """∂vec(P)/∂vec(Z) from the closed form, in C order (row by row): block diagonal, block i being
    diag(p_i) - p_i p_iᵀ. Shape (n c, n c)."""
    P = softmax_rows(Z)
    n, c = P.shape
    J = np.zeros((n * c, n * c))
    for i, p in enumerate(P):
        J[i * c:(i + 1) * c, i * c:(i + 1) * c] = np.diag(p) - np.outer(p, p)
    return J


def vec_jacobian(Z, order: str = "C", eps: float = 1e-6) -> np.ndarray:
    """∂vec(P)/∂vec(Z) by central differences, Z's and P's entries stacked in ``order``:
    "C" row by row (numpy's default ravel), "F" column by column (SymPy's vec)."""
    Z = as_float_array(Z, "Z")
    order = as_choice(order, "order", ("C", "F"))
    if Z.ndim != 2:
        raise ValueError(f"Z must have shape (n, c), got {Z.shape}")
    flat = Z.ravel(order=order)
    columns = []
    for i in range(flat.size):
        step = np.zeros_like(flat)
        step[i] = eps
        plus = softmax_rows((flat + step).reshape(Z.shape, order=order)).ravel(order=order)
        minus = softmax_rows((flat - step).reshape(Z.shape, order=order)).ravel(order=order)
        columns.append((plus - minus) / (2 * eps))
    return np.stack(columns, axis=1)
