"""How many multiplications each way of evaluating the chain rule costs.

All nine gradients, computed six ways from the same local Jacobians, each
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
- ``"right to left, δ shared"``: each chain's right-hand end computed once and
  reused: δ3 = ∇_{z3} L = (∂ŷ/∂z3)ᵀ ∇_{ŷ} L by all six chains, δ1 = ∇_{z1} L and
  δ2 = ∇_{z2} L each by the w and b of its unit, so every Jacobian is applied once
  (``xorlib.jacobians``).
- ``"elementwise"``: every diagonal Jacobian times a vector as an elementwise
  product, but each chain recomputes δ3, δ1 and δ2.
- ``"elementwise, δ shared"``: both: backpropagation (``xorlib.backprop``).
"""

from __future__ import annotations

import numpy as np

from ..jacobians import local_jacobians
from ..params import Params

SCHEMES = ("original", "left to right", "right to left", "right to left, δ shared",
           "elementwise", "elementwise, δ shared")


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


def _right_to_left(J, c, shared):
    delta = c.matmul(J.y_hat_z3.T, J.grad_y_hat) if shared else None

    def suffix():
        return delta if shared else c.matmul(J.y_hat_z3.T, J.grad_y_hat)

    chains = []
    for h_z, z3_h, z_w in [(J.h1_z1, J.z3_h1, J.z1_w1), (J.h2_z2, J.z3_h2, J.z2_w2)]:
        g_z = c.matmul(h_z.T, c.matmul(z3_h.T, suffix())) if shared else None
        for first in (z_w.T, J.z1_b1.T):
            chains.append(c.matmul(first, g_z if shared else c.matmul(h_z.T, c.matmul(z3_h.T, suffix()))))
    for first in (J.z3_w3.T, J.z3_b3.T):
        chains.append(c.matmul(first, suffix()))
    return chains


def _elementwise(J, c, shared):
    sigma_prime, grad_y_hat = np.diag(J.y_hat_z3), J.grad_y_hat  # diagonals only, no n x n matrix is used
    delta = c.times(sigma_prime, grad_y_hat) if shared else None

    def suffix():
        return delta if shared else c.times(sigma_prime, grad_y_hat)

    chains = []
    for h_z, z3_h, z_w in [(J.h1_z1, J.z3_h1, J.z1_w1), (J.h2_z2, J.z3_h2, J.z2_w2)]:
        step, w3_k = np.diag(h_z), z3_h[0, 0]
        g_z = c.times(step, c.times(suffix(), w3_k)) if shared else None
        for first in (z_w.T, J.z1_b1.T):
            chains.append(c.matmul(first, g_z if shared else c.times(step, c.times(suffix(), w3_k))))
    for first in (J.z3_w3.T, J.z3_b3.T):
        chains.append(c.matmul(first, suffix()))
    return chains


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
    elif scheme.startswith("right to left"):
        chains = _right_to_left(J, c, shared=scheme.endswith("shared"))
    else:
        chains = _elementwise(J, c, shared=scheme.endswith("shared"))
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
        "right to left": 14 * n**2 + 9 * n,  # 4 chains of 3 (n, n) @ vector, 2 of 1
        "right to left, δ shared": 5 * n**2 + 9 * n,  # δ once, then 2 per hidden unit
        "elementwise": 23 * n,
        "elementwise, δ shared": 14 * n,
    }[scheme]
