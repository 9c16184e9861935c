"""The original's "Individual Grad" list as explicit matrices, and its chain rule.

Layout: a Jacobian ∂a/∂b has one row per entry of a and one column per entry
of b (numerator layout), so ∂z3/∂w3 = H has shape (n, 2). A gradient ∇_b L is
a column like b (denominator layout). The chain for a gradient is therefore
the transposed Jacobians in reverse order, applied to ∇_ŷ L::

    ∇_{w3} L = (∂z3/∂w3)ᵀ (∂ŷ/∂z3)ᵀ ∇_ŷ L
    ∇_{w1} L = (∂z1/∂w1)ᵀ (∂h1/∂z1)ᵀ (∂z3/∂h1)ᵀ (∂ŷ/∂z3)ᵀ ∇_ŷ L

This path builds every n x n matrix on purpose: it is the derivation made
executable. ``backprop`` computes the same numbers without them. Each matrix
comes from the table of edges (``xorlib.edges``), and each chain too.
"""

from __future__ import annotations

from dataclasses import fields, make_dataclass

import numpy as np

from .edges import BY_NAME, CHAINS, EDGES
from .network import ForwardPass, _forward
from .params import Params, as_params
from .validation import as_inputs, as_targets


def _items(self):
    """(name, matrix) pairs in the original's order."""
    return [(f.name, getattr(self, f.name)) for f in fields(self)]


#: The original's "Individual Grad" list evaluated at one point: one field per
#: entry of the table of edges (``grad_y_hat``, ``y_hat_z3``, …, ``z3_b3``).
LocalJacobians = make_dataclass(
    "LocalJacobians", [(edge.name, np.ndarray) for edge in EDGES], frozen=True, eq=False,
    namespace={"items": _items, "__module__": __name__,
               "__doc__": "The original's \"Individual Grad\" list, evaluated at one point: "
                          + "; ".join(f"{edge.name} = {edge.text} = {edge.jacobian_text}"
                                      for edge in EDGES) + "."},
)


def check_not_saturated(y_hat: np.ndarray) -> None:
    """∇_ŷ L divides by y_hat and 1 - y_hat: refuse y_hat that rounded to 0 or 1."""
    if np.any((y_hat == 0.0) | (y_hat == 1.0)):
        raise ValueError(
            "the explicit-Jacobian path divides by y_hat and 1 - y_hat, but y_hat "
            "rounded to exactly 1 (z3 above about 36.7) or 0 (z3 below about -745); use method='backprop', which "
            "uses the simplified ∇_{z3} L = (y_hat - y) / n"
        )


def evaluate(p: Params, f: ForwardPass, y: np.ndarray) -> LocalJacobians:
    """Every local Jacobian of the table at the forward pass ``f`` (arguments already checked)."""
    return LocalJacobians(**{edge.name: edge.jacobian(p, f, y) for edge in EDGES})


def local_jacobians(params: Params, X, y) -> LocalJacobians:
    """Evaluate each local Jacobian of the original's list at (params, X, y)."""
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    f = _forward(params, X)
    check_not_saturated(f.y_hat)
    return evaluate(params, f, y)


def walk_chain(J: LocalJacobians, chain: tuple[str, ...], start: np.ndarray):
    """Apply a chain's transposed Jacobians to ``start``, right to left: yield (factor's name, product so far)
    after each, (J_k)ᵀ start, then (J_(k-1))ᵀ (J_k)ᵀ start, and so on. The one walk of the chain rule that
    ``node_gradients``, the original's gradients (``xorlib.errata``) and the explorer's steps all take."""
    product = start
    for name in reversed(chain):
        product = getattr(J, name).T @ product
        yield name, product


def chain_backward(J: LocalJacobians) -> Params:
    """Multiply out the original's "Grad Calculation", one chain per parameter block.

    Each chain (J_1)ᵀ (J_2)ᵀ … (J_k)ᵀ ∇_ŷ L is evaluated right to left, as matrix-vector
    products (left to right would multiply n x n matrices, O(n³) instead of O(n²)). The chains
    share their right ends (every one ends in (∂ŷ/∂z3)ᵀ ∇_ŷ L; w1 and b1 share
    (∂h1/∂z1)ᵀ (∂z3/∂h1)ᵀ …), so each shared product is computed once: five n x n products in all.
    """
    grads = node_gradients(J)
    return Params(**{block: grads[block] if block[0] == "w" else grads[block][0] for block in CHAINS})


def node_gradients(J: LocalJacobians) -> dict[str, np.ndarray]:
    """∇_q L of every quantity q on the chains (ŷ, z3, h1, h2, z1, z2 and the six parameter
    blocks, each bias as a 1-vector), walking each chain right to left and computing every
    shared right end once (the walk ``chain_backward`` and ``xorlib.circuit`` take)."""
    products = {(): J.grad_y_hat}

    def product(chain):
        if chain not in products:  # the shared right end first, then this chain's first factor on it
            ((_, products[chain]),) = walk_chain(J, chain[:1], product(chain[1:]))
        return products[chain]

    grads = {block: product(chain) for block, chain in CHAINS.items()}
    for chain, value in products.items():  # every right end: ∇ of the quantity its first factor takes
        grads.setdefault(BY_NAME[chain[0]].input if chain else "y_hat", value)
    return grads


def jacobian_gradients(params: Params, X, y) -> Params:
    """All gradients by multiplying the explicit Jacobians, as the original writes them."""
    return chain_backward(local_jacobians(params, X, y))
