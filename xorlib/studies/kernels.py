"""The compiled epoch of ``train_many``: many ReLU nets, one full-batch step, in numba.

The arrays are ``ensemble._Block``'s, nets on the last axis:

    WB (d + 1, hidden m): rows 0..d-1 are W1 (column h m + k is unit h of net k), row d is b1
    V  (hidden m + m,):   w3, then b3
    z3, s (n, m):         the output's logit of every row and net, and scratch

An epoch is three calls, because numpy computes the exponential (so that σ has numpy's bits):

    forward(X, WB, V, z3, s)        z3 = Σ_h relu(Σ_d X W1 + b1) w3 + b3,  s = -|z3|
    np.exp(s, out=s)                s = e^(-|z3|)
    descend(X, y, WB, V, z3, s, lr, relu_prime_at_zero, min_1_h, factor)
                                    θ <- θ - lr (factor ∇L)

ReLU'(z) is the step of z, with ``relu_prime_at_zero`` at z = 0. ``min_1_h=True`` puts the
original's error 1 in its place, min(1, h) (``errata.original_relu_derivative``), and ``factor``
its error 2, 1/n (``errata.extra_mean_factor``), for the studies of ``wrong_gradients``: numba
cannot cache a loop that takes errata's function as an argument, so the wrong rule is written
here once more, and tests hold it to errata's bits.

Each sum adds its terms in numpy's order (over inputs d, then + b1; over rows i from the first;
over units h from the first), and each operation is the one numpy does, so that every number
has the plain loop's bits; ``ensemble._compiled_keeps_bits`` checks it for each data set before
it is used. The loops run over a chunk of nets innermost, which the compiler turns into vector
instructions; numba is imported, and the functions compiled (or loaded from numba's cache), on
the first call.
"""

from __future__ import annotations

import numba
import numpy as np

#: Nets handled together in the inner loops: their rows of z, h and the gradients stay in the L1 cache.
CHUNK = 256

_compile = numba.njit(nogil=True, cache=True, boundscheck=False, error_model="numpy")


@_compile
def _pre_activation(X, WB, i, lo, c, z):
    """z[:c] = Σ_d X[i, d] W1[d, h, k] + b1[h, k] for the c nets of unit h from column lo."""
    d = X.shape[1]
    x = X[i, 0]
    w = WB[0, lo:lo + c]
    for k in range(c):
        z[k] = x * w[k]
    for j in range(1, d):
        x = X[i, j]
        w = WB[j, lo:lo + c]
        for k in range(c):
            z[k] = z[k] + x * w[k]
    b = WB[d, lo:lo + c]
    for k in range(c):
        z[k] = z[k] + b[k]


@_compile
def forward(X, WB, V, z3, s):
    """z3 of every row and net, and s = -|z3|."""
    n = X.shape[0]
    m = z3.shape[1]
    hidden = WB.shape[1] // m
    z = np.empty(CHUNK)
    for k0 in range(0, m, CHUNK):
        c = min(CHUNK, m - k0)
        b3 = V[hidden * m + k0:hidden * m + k0 + c]
        for i in range(n):
            out = z3[i, k0:k0 + c]
            for h in range(hidden):
                lo = h * m + k0
                _pre_activation(X, WB, i, lo, c, z)
                w3 = V[lo:lo + c]
                if h == 0:
                    for k in range(c):
                        out[k] = (0.0 if z[k] <= 0.0 else z[k]) * w3[k]  # relu(z) w3, NaN kept as numpy's max
                else:
                    for k in range(c):
                        out[k] = out[k] + (0.0 if z[k] <= 0.0 else z[k]) * w3[k]
            s_i = s[i, k0:k0 + c]
            for k in range(c):
                out[k] = out[k] + b3[k]
                s_i[k] = -abs(out[k])


@_compile
def descend(X, y, WB, V, z3, s, lr, relu_prime_at_zero, min_1_h, factor):
    """One step θ <- θ - lr (factor ∇L), from z3 and s = e^(-|z3|); s ends up holding ∇_{z3} L.

    ∇_{z3} L = (σ(z3) - y) / n, with σ = 1 / (1 + s) where z3 >= 0 and s / (1 + s) where not;
    ∇_Z L = act'(Z) w3 ∇_{z3} L;  ∇W1 = Xᵀ ∇_Z L,  ∇b1 = Σ_i ∇_Z L,  ∇w3 = Σ_i h ∇_{z3} L,  ∇b3 = Σ_i ∇_{z3} L.
    """
    n, d = X.shape
    m = z3.shape[1]
    hidden = WB.shape[1] // m
    z = np.empty(CHUNK)
    G = np.empty((d + 2, CHUNK))  # one unit's ∇W1 rows, ∇b1 and ∇w3; row 0 serves ∇b3 at the end
    for k0 in range(0, m, CHUNK):
        c = min(CHUNK, m - k0)
        for i in range(n):
            g = s[i, k0:k0 + c]
            z3_i = z3[i, k0:k0 + c]
            for k in range(c):
                numerator = 1.0 if z3_i[k] >= 0.0 else g[k]
                g[k] = (numerator / (1.0 + g[k]) - y[i]) / n
        for h in range(hidden):
            lo = h * m + k0
            w3 = V[lo:lo + c]
            for i in range(n):
                _pre_activation(X, WB, i, lo, c, z)
                g = s[i, k0:k0 + c]
                g_b1, g_w3 = G[d], G[d + 1]
                for k in range(c):
                    a = 0.0 if z[k] <= 0.0 else z[k]
                    if min_1_h:
                        derivative = 1.0 if a >= 1.0 else a  # min(1, h), NaN kept: the original's error 1
                    elif z[k] > 0.0:
                        derivative = 1.0
                    else:
                        derivative = relu_prime_at_zero if z[k] == 0.0 else 0.0
                    g_z = (derivative * w3[k]) * g[k]
                    if i == 0:
                        g_b1[k] = g_z
                        g_w3[k] = a * g[k]
                    else:
                        g_b1[k] = g_b1[k] + g_z
                        g_w3[k] = g_w3[k] + a * g[k]
                    z[k] = g_z
                for j in range(d):
                    x = X[i, j]
                    g_w = G[j]
                    if i == 0:
                        for k in range(c):
                            g_w[k] = x * z[k]
                    else:
                        for k in range(c):
                            g_w[k] = g_w[k] + x * z[k]
            for j in range(d + 1):
                w = WB[j, lo:lo + c]
                g_w = G[j]
                for k in range(c):
                    w[k] = w[k] - (g_w[k] * factor) * lr
            g_w3 = G[d + 1]
            for k in range(c):
                w3[k] = w3[k] - (g_w3[k] * factor) * lr
        g_b3 = G[0]
        for i in range(n):
            g = s[i, k0:k0 + c]
            if i == 0:
                for k in range(c):
                    g_b3[k] = g[k]
            else:
                for k in range(c):
                    g_b3[k] = g_b3[k] + g[k]
        b3 = V[hidden * m + k0:hidden * m + k0 + c]
        for k in range(c):
            b3[k] = b3[k] - (g_b3[k] * factor) * lr


# --- the original's shape, 2 inputs, 2 units, 4 rows, written out: the loop over nets is all that is left,
# and the compiler turns each step of it into vector instructions for 8 nets at a time ---

@numba.njit(inline="always")
def _relu(z):
    return 0.0 if z <= 0.0 else z  # NaN stays NaN, as numpy's maximum


@numba.njit(inline="always")
def _row_221(x0, x1, y, n, s, z3, w11, w21, b11, w12, w22, b12, w31, w32, relu_prime_at_zero, min_1_h):
    """One row's (∇_{z3} L, ∇_{z1} L, ∇_{z2} L, h1 ∇_{z3} L, h2 ∇_{z3} L) of one net, as ``descend`` computes them."""
    g = ((1.0 if z3 >= 0.0 else s) / (1.0 + s) - y) / n
    z1 = (x0 * w11 + x1 * w21) + b11
    z2 = (x0 * w12 + x1 * w22) + b12
    h1, h2 = _relu(z1), _relu(z2)
    if min_1_h:
        d1, d2 = 1.0 if h1 >= 1.0 else h1, 1.0 if h2 >= 1.0 else h2
    else:
        d1 = 1.0 if z1 > 0.0 else (relu_prime_at_zero if z1 == 0.0 else 0.0)
        d2 = 1.0 if z2 > 0.0 else (relu_prime_at_zero if z2 == 0.0 else 0.0)
    return g, (d1 * w31) * g, (d2 * w32) * g, h1 * g, h2 * g


@_compile
def forward_221(X, WB, V, z3, s):
    """``forward`` for 2 inputs, 2 units and 4 rows."""
    m = z3.shape[1]
    w11, w21, b11, w12, w22, b12 = WB[0, :m], WB[1, :m], WB[2, :m], WB[0, m:], WB[1, m:], WB[2, m:]
    w31, w32, b3 = V[:m], V[m:2 * m], V[2 * m:]
    for i in range(4):
        x0, x1 = X[i, 0], X[i, 1]
        out, s_i = z3[i], s[i]
        for k in range(m):
            h1 = _relu((x0 * w11[k] + x1 * w21[k]) + b11[k])
            h2 = _relu((x0 * w12[k] + x1 * w22[k]) + b12[k])
            z = (h1 * w31[k] + h2 * w32[k]) + b3[k]
            out[k] = z
            s_i[k] = -abs(z)


@_compile
def descend_221(X, y, WB, V, z3, s, lr, relu_prime_at_zero, min_1_h, factor):
    """``descend`` for 2 inputs, 2 units and 4 rows: each sum over the rows written out in numpy's order."""
    m = z3.shape[1]
    n = 4.0
    w11, w21, b11, w12, w22, b12 = WB[0, :m], WB[1, :m], WB[2, :m], WB[0, m:], WB[1, m:], WB[2, m:]
    w31, w32, b3 = V[:m], V[m:2 * m], V[2 * m:]
    x00, x01, x10, x11, x20, x21, x30, x31 = X[0, 0], X[0, 1], X[1, 0], X[1, 1], X[2, 0], X[2, 1], X[3, 0], X[3, 1]
    y0, y1, y2, y3 = y[0], y[1], y[2], y[3]
    r, cut = relu_prime_at_zero, min_1_h
    for k in range(m):
        a, b, c, d, e, f, u, v = w11[k], w21[k], b11[k], w12[k], w22[k], b12[k], w31[k], w32[k]
        g0, e0, f0, h0, j0 = _row_221(x00, x01, y0, n, s[0, k], z3[0, k], a, b, c, d, e, f, u, v, r, cut)
        g1, e1, f1, h1, j1 = _row_221(x10, x11, y1, n, s[1, k], z3[1, k], a, b, c, d, e, f, u, v, r, cut)
        g2, e2, f2, h2, j2 = _row_221(x20, x21, y2, n, s[2, k], z3[2, k], a, b, c, d, e, f, u, v, r, cut)
        g3, e3, f3, h3, j3 = _row_221(x30, x31, y3, n, s[3, k], z3[3, k], a, b, c, d, e, f, u, v, r, cut)
        w11[k] = w11[k] - ((((x00 * e0 + x10 * e1) + x20 * e2) + x30 * e3) * factor) * lr
        w21[k] = w21[k] - ((((x01 * e0 + x11 * e1) + x21 * e2) + x31 * e3) * factor) * lr
        b11[k] = b11[k] - ((((e0 + e1) + e2) + e3) * factor) * lr
        w12[k] = w12[k] - ((((x00 * f0 + x10 * f1) + x20 * f2) + x30 * f3) * factor) * lr
        w22[k] = w22[k] - ((((x01 * f0 + x11 * f1) + x21 * f2) + x31 * f3) * factor) * lr
        b12[k] = b12[k] - ((((f0 + f1) + f2) + f3) * factor) * lr
        w31[k] = w31[k] - ((((h0 + h1) + h2) + h3) * factor) * lr
        w32[k] = w32[k] - ((((j0 + j1) + j2) + j3) * factor) * lr
        b3[k] = b3[k] - ((((g0 + g1) + g2) + g3) * factor) * lr


if __name__ == "__main__":  # make lab and make test: compile every loop once, into numba's cache
    from xorlib.data import xor_data
    from xorlib.studies.ensemble import train_many
    from xorlib.studies.wrong_gradients import train_many_with

    X, y = xor_data()
    for hidden in (2, 3):  # the original's shape, and any other
        train_many(X, y, n_nets=2, epochs=1, hidden=hidden)
    train_many_with(X, y, "original", n_nets=2, epochs=1)
