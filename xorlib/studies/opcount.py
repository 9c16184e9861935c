"""How many multiplications each way of evaluating the chain rule costs.

All nine gradients, computed eight ways from the same local Jacobians, each
product counted as it is executed. A product of an (a, b) matrix with a
(b, c) matrix counts a·b·c multiplications; a matrix times a vector a·b; an
elementwise product one per entry; ``1ᵀ v`` (a bias gradient) n, written as
the product it is in the chain. ``multiplies(scheme, n)`` gives the same
counts in closed form.

- ``"original"``: the original's code. ∇_{ŷ} L enters as ``np.diag(...)``, so
  every factor is n x n and each chain multiplies n x n matrices together.
- ``"left to right"``: each of the six chains multiplied from the left, starting
  with the (2, n) or (1, n) factor (notebook 08, step 0).
- ``"right to left"``: each chain from the right, so every product is a matrix
  times a vector, but each chain recomputes its own suffix.
- ``"right to left, δ3 shared"``: δ3 = ∇_{z3} L = (∂ŷ/∂z3)ᵀ ∇_{ŷ} L computed once
  and reused by all six chains; each hidden unit's two chains still recompute
  their own δ1 = ∇_{z1} L (or δ2).
- ``"right to left, δ3 δ1 δ2 shared"``: δ1 and δ2 also computed once, each reused
  by the w and the b of its unit, so every Jacobian is applied once
  (``xorlib.jacobians``).
- ``"elementwise"``: every diagonal Jacobian times a vector as an elementwise
  product, but each chain recomputes δ3, δ1 and δ2; ``"elementwise, δ3 shared"``
  and ``"elementwise, δ3 δ1 δ2 shared"`` share as above. The last is
  backpropagation (``xorlib.backprop``).
"""

from __future__ import annotations

import numpy as np

from ..jacobians import local_jacobians
from ..params import Params

SCHEMES = ("original", "left to right", "right to left", "right to left, δ3 shared", "right to left, δ3 δ1 δ2 shared",
           "elementwise", "elementwise, δ3 shared", "elementwise, δ3 δ1 δ2 shared")
#: What each scheme's name ends with -> which right-hand ends it computes once: none, δ3, or δ3, δ1 and δ2.
_SHARING = {"δ3 shared": "δ3", "δ3 δ1 δ2 shared": "all"}


class _Counter:
    def __init__(self):
        self.multiplies = 0

    def matmul(self, a, b):
        """a @ b, counting rows(a) · cols(a) · cols(b) (cols(b) = 1 for a vector)."""
        self.multiplies += a.shape[0] * a.shape[1] * (b.shape[1] if b.ndim == 2 else 1)
        return a @ b

    def times(self, a, b):
        """Elementwise a * b (b may be a scalar), one multiplication per entry."""
        result = a * b
        self.multiplies += result.size
        return result


def _original(J, c):
    grad_y_hat = np.diag(J.grad_y_hat)  # the original builds ∇_{ŷ} L with np.diag: (n, n)
    chains = []
    for h_z, z3_h, z_w in [(J.h1_z1, J.z3_h1, J.z1_w1), (J.h2_z2, J.z3_h2, J.z2_w2)]:
        g_z = c.matmul(c.matmul(c.matmul(h_z.T, z3_h.T), J.y_hat_z3.T), grad_y_hat.T)  # (n, n)
        chains += [c.matmul(z_w.T, g_z).sum(axis=1), c.matmul(J.z1_b1.T, g_z).sum(axis=1)]
    g_z3 = c.matmul(J.y_hat_z3.T, grad_y_hat.T)
    chains += [c.matmul(J.z3_w3.T, g_z3).sum(axis=1), c.matmul(J.z3_b3.T, g_z3).sum(axis=1)]
    return chains


def _left_to_right(J, c):
    chains = []
    for h_z, z3_h, z_w in [(J.h1_z1, J.z3_h1, J.z1_w1), (J.h2_z2, J.z3_h2, J.z2_w2)]:
        for first in (z_w.T, J.z1_b1.T):
            chains.append(c.matmul(c.matmul(c.matmul(c.matmul(first, h_z.T), z3_h.T), J.y_hat_z3.T), J.grad_y_hat))
    for first in (J.z3_w3.T, J.z3_b3.T):
        chains.append(c.matmul(c.matmul(first, J.y_hat_z3.T), J.grad_y_hat))
    return chains


def _backward(J, c, shared, delta3, delta_of_unit, units):
    """The six chains from the right. ``delta3()`` computes δ3, ``delta_of_unit(unit, δ3)`` a hidden unit's δ;
    ``shared``: None (every chain computes all of its suffix), "δ3" (δ3 computed once), "all" (δ3 once, and
    δ1, δ2 once per unit for its w and b)."""
    once = delta3() if shared else None

    def g_z3():
        return once if shared else delta3()

    chains = []
    for unit, z_w in units:
        delta = delta_of_unit(unit, g_z3()) if shared == "all" else None
        for first in (z_w.T, J.z1_b1.T):
            chains.append(c.matmul(first, delta if shared == "all" else delta_of_unit(unit, g_z3())))
    for first in (J.z3_w3.T, J.z3_b3.T):
        chains.append(c.matmul(first, g_z3()))
    return chains


def _right_to_left(J, c, shared):
    """Every product a transposed Jacobian times a vector."""
    return _backward(J, c, shared, lambda: c.matmul(J.y_hat_z3.T, J.grad_y_hat),
                     lambda unit, g: c.matmul(unit[0].T, c.matmul(unit[1].T, g)),
                     [((J.h1_z1, J.z3_h1), J.z1_w1), ((J.h2_z2, J.z3_h2), J.z2_w2)])


def _elementwise(J, c, shared):
    """As ``_right_to_left``, with every diagonal Jacobian times a vector as an elementwise product
    (diagonals only: no n x n matrix is used)."""
    return _backward(J, c, shared, lambda: c.times(np.diag(J.y_hat_z3), J.grad_y_hat),
                     lambda unit, g: c.times(unit[0], c.times(g, unit[1])),
                     [((np.diag(J.h1_z1), J.z3_h1[0, 0]), J.z1_w1), ((np.diag(J.h2_z2), J.z3_h2[0, 0]), J.z2_w2)])


def counted_gradients(params: Params, X, y, scheme: str) -> tuple[Params, int]:
    """All nine gradients computed by ``scheme``, and the multiplications it took."""
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    J = local_jacobians(params, X, y)
    c = _Counter()
    if scheme == "original":
        chains = _original(J, c)
    elif scheme == "left to right":
        chains = _left_to_right(J, c)
    else:
        shared = next((level for suffix, level in _SHARING.items() if scheme.endswith(suffix)), None)
        walk = _right_to_left if scheme.startswith("right to left") else _elementwise
        chains = walk(J, c, shared)
    return Params.from_vector(np.concatenate([np.ravel(g) for g in chains])), c.multiplies


def multiplies(scheme: str, n: int) -> int:
    """The multiplications ``counted_gradients`` counts for ``scheme`` on n rows, in closed form."""
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    n = int(n)
    return {
        "original": 7 * n**3 + 9 * n**2,  # 2 x 3 + 1 products of n x n matrices, then (2 + 1) x 3 n²
        "left to right": 21 * n**2 + 9 * n,  # 4 chains of 3 (k, n)(n, n) products, 2 of 1; k = 2 or 1
        # right to left: (n, n) @ vector costs n², a (2, n) or (1, n) first factor 2n or n; the four hidden-unit
        # chains apply 3 (n, n) factors each, the two output chains 1, and the first factors add 2 x (2n + n) + 2n + n
        "right to left": 14 * n**2 + 9 * n,  # (4 x 3 + 2 x 1) n² + 9n
        "right to left, δ3 shared": 9 * n**2 + 9 * n,  # ∂ŷ/∂z3 once: (1 + 4 x 2) n² + 9n
        "right to left, δ3 δ1 δ2 shared": 5 * n**2 + 9 * n,  # every (n, n) factor once: (1 + 2 x 2) n² + 9n
        # elementwise: a diagonal (or scaled identity) factor costs n; the first factors still 9n
        "elementwise": 23 * n,  # (4 x 3 + 2 x 1) n + 9n
        "elementwise, δ3 shared": 18 * n,  # (1 + 4 x 2) n + 9n
        "elementwise, δ3 δ1 δ2 shared": 14 * n,  # (1 + 2 x 2) n + 9n
    }[scheme]
