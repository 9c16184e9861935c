"""The width-k network in SymPy: its local Jacobians derived, as ``xorlib.symbolic`` does for 2-2-1.

A matrix-valued layer has its Jacobian with respect to the matrix's entries,
stacked column by column (``vec``, SymPy's ``Matrix.vec``). With that
convention, for X of shape (n, d) and W1 of shape (d, k)::

    ∂vec(Z1)/∂vec(W1) = I_k ⊗ X          (nk, dk)
    ∂vec(H)/∂vec(Z1)  = diag(step(vec Z1))  (nk, nk)
    ∂z3/∂vec(H)       = w3ᵀ ⊗ I_n        (n, nk)
    ∂z3/∂w3           = H                (n, k)

and the chain (∂vec Z1/∂vec W1)ᵀ (∂vec H/∂vec Z1)ᵀ (∂z3/∂vec H)ᵀ g_z3 is
vec(Xᵀ (step(Z1) ⊙ g_z3 w3ᵀ)): the matrix formula of ``xorlib.wide``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .symbolic import step_convention
from .validation import as_float_array, as_positive_int


def _matrix(prefix: str, rows: int, cols: int) -> sp.Matrix:
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{prefix}_{i + 1}{j + 1}", real=True))


@dataclass(frozen=True, eq=False)
class WideNetwork:
    """Symbols and expressions of the width-k network on a fixed numeric X."""

    X: sp.Matrix  #: (n, d), numbers
    y: sp.Matrix  #: (n, 1), labels
    W1: sp.Matrix  #: (d, k) symbols W1_ij
    b1: sp.Matrix  #: (k, 1) symbols
    w3: sp.Matrix  #: (k, 1) symbols
    b3: sp.Symbol
    Z1: sp.Matrix  #: (n, k) symbols standing for the pre-activations
    H: sp.Matrix  #: (n, k) symbols standing for the activations

    @property
    def n(self) -> int:
        return self.X.rows

    @property
    def k(self) -> int:
        return self.W1.cols

    def layer_Z1(self) -> sp.Matrix:
        return self.X * self.W1 + sp.ones(self.n, 1) * self.b1.T

    def layer_z3(self) -> sp.Matrix:
        return self.H * self.w3 + self.b3 * sp.ones(self.n, 1)

    def jacobians(self) -> dict:
        """Each local Jacobian, by ``Matrix.jacobian`` of one layer with respect to its own input."""
        relu = self.Z1.applyfunc(lambda z: sp.Max(0, z))
        return {
            "Z1_W1": self.layer_Z1().vec().jacobian(self.W1.vec()),
            "H_Z1": step_convention(relu.vec().jacobian(self.Z1.vec())),
            "z3_H": self.layer_z3().jacobian(self.H.vec()),
            "z3_w3": self.layer_z3().jacobian(self.w3),
        }

    def loss(self) -> sp.Expr:
        """L as an expression in the parameters (the forward pass composed)."""
        Z1 = self.layer_Z1()
        z3 = Z1.applyfunc(lambda z: sp.Max(0, z)) * self.w3 + self.b3 * sp.ones(self.n, 1)
        terms = [sp.log(1 + sp.exp(-z)) if y == 1 else sp.log(1 + sp.exp(z)) for z, y in zip(z3, self.y)]
        return sp.Add(*terms) / self.n

    def parameters(self) -> list:
        return list(self.W1.vec()) + list(self.b1) + list(self.w3) + [self.b3]


def wide_network(X, y, k: int) -> WideNetwork:
    X = as_float_array(X, "X")
    k = as_positive_int(k, "k")
    n, d = X.shape
    return WideNetwork(sp.Matrix(X.astype(int) if np.all(X == np.round(X)) else X),
                       sp.Matrix(np.asarray(y, dtype=int)), _matrix("W1", d, k),
                       _matrix("b1", k, 1), _matrix("w3", k, 1), sp.Symbol("b3", real=True),
                       _matrix("Z1", n, k), _matrix("H", n, k))


def chain_is_the_matrix_formula(net: WideNetwork) -> bool:
    """The chain of vec-Jacobians equals vec(Xᵀ (S ⊙ g wᵀ)), as an identity in symbols for
    the steps S (n, k), the incoming gradient g (n,) and w3."""
    S = _matrix("s", net.n, net.k)
    g = _matrix("g", net.n, 1)
    J = net.jacobians()
    steps = sp.diag(*S.vec())
    chain = J["Z1_W1"].T * steps.T * J["z3_H"].T * g
    G_Z1 = S.multiply_elementwise(g * net.w3.T)
    return sp.expand(chain - (net.X.T * G_Z1).vec()) == sp.zeros(chain.rows, 1)


def direct_gradient(net: WideNetwork, point: dict) -> np.ndarray:
    """SymPy's own derivative of L with respect to every parameter, evaluated at ``point``
    (symbol -> number), in the order W1 (column by column), b1, w3, b3."""
    L = net.loss()
    symbols = net.parameters()
    gradient = sp.lambdify(symbols, [sp.diff(L, s) for s in symbols], modules="numpy")
    return np.array(gradient(*[float(point[s]) for s in symbols]), dtype=np.float64)
