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
it is used.

Each loop comes in two versions: ``forward`` and ``descend`` for any data, over chunks of nets,
and ``forward_4x2`` and ``descend_4x2`` for XOR's shape (4 rows, 2 inputs, any width), with the
rows and inputs written out. In both the loop over nets is innermost, and the compiler turns it
into vector instructions. ``ensemble`` imports this module, and numba with it, on the first
training; numba compiles each loop on its first call, or loads it from its cache, which
``compile_loops`` fills when ``make lab`` or ``make test`` installs.
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


# --- four rows of two inputs (XOR's shape), any number of units: the rows and inputs written out, so that
# the loop over nets is all that is left, and the compiler turns it into vector instructions (8 nets at a time)

@numba.njit(inline="always")
def _relu(z):
    return 0.0 if z <= 0.0 else z  # NaN stays NaN, as numpy's maximum


@numba.njit(inline="always")
def _unit_row(x0, x1, w1, w2, b, w3, g, relu_prime_at_zero, min_1_h):
    """One unit on one row of one net: (∇_z L, h ∇_{z3} L) from ∇_{z3} L = g, as ``descend`` computes them."""
    z = (x0 * w1 + x1 * w2) + b
    h = _relu(z)
    if min_1_h:
        derivative = 1.0 if h >= 1.0 else h
    elif z > 0.0:
        derivative = 1.0
    else:
        derivative = relu_prime_at_zero if z == 0.0 else 0.0
    return (derivative * w3) * g, h * g


@_compile
def forward_4x2(X, WB, V, z3, s):
    """``forward`` for 4 rows and 2 inputs."""
    m = z3.shape[1]
    hidden = WB.shape[1] // m
    x00, x01, x10, x11, x20, x21, x30, x31 = X[0, 0], X[0, 1], X[1, 0], X[1, 1], X[2, 0], X[2, 1], X[3, 0], X[3, 1]
    z0, z1, z2, z3_ = z3[0], z3[1], z3[2], z3[3]
    for h in range(hidden):
        units = slice(h * m, (h + 1) * m)  # unit h of every net
        w1, w2, b, w3 = WB[0, units], WB[1, units], WB[2, units], V[units]
        for k in range(m):
            a, c, e, u = w1[k], w2[k], b[k], w3[k]
            t0 = _relu((x00 * a + x01 * c) + e) * u
            t1 = _relu((x10 * a + x11 * c) + e) * u
            t2 = _relu((x20 * a + x21 * c) + e) * u
            t3 = _relu((x30 * a + x31 * c) + e) * u
            if h == 0:
                z0[k], z1[k], z2[k], z3_[k] = t0, t1, t2, t3
            else:
                z0[k], z1[k], z2[k], z3_[k] = z0[k] + t0, z1[k] + t1, z2[k] + t2, z3_[k] + t3
    b3 = V[hidden * m:]
    s0, s1, s2, s3 = s[0], s[1], s[2], s[3]
    for k in range(m):
        z0[k], z1[k], z2[k], z3_[k] = z0[k] + b3[k], z1[k] + b3[k], z2[k] + b3[k], z3_[k] + b3[k]
        s0[k], s1[k], s2[k], s3[k] = -abs(z0[k]), -abs(z1[k]), -abs(z2[k]), -abs(z3_[k])


@_compile
def descend_4x2(X, y, WB, V, z3, s, lr, relu_prime_at_zero, min_1_h, factor):
    """``descend`` for 4 rows and 2 inputs: each sum over the rows written out in numpy's order."""
    if min_1_h:  # constants in each branch, so that the compiler takes the tests out of the loop
        _descend_4x2(X, y, WB, V, z3, s, lr, relu_prime_at_zero, True, factor)
    elif relu_prime_at_zero == 0.0:  # xorlib's convention: ReLU' is the step of z alone
        _descend_4x2(X, y, WB, V, z3, s, lr, 0.0, False, factor)
    else:
        _descend_4x2(X, y, WB, V, z3, s, lr, relu_prime_at_zero, False, factor)


@numba.njit(inline="always")
def _descend_4x2(X, y, WB, V, z3, s, lr, relu_prime_at_zero, min_1_h, factor):
    m = z3.shape[1]
    hidden = WB.shape[1] // m
    quarter = 0.25  # 1/n for n = 4, a power of 2: multiplying by it gives the bits of dividing by 4
    x00, x01, x10, x11, x20, x21, x30, x31 = X[0, 0], X[0, 1], X[1, 0], X[1, 1], X[2, 0], X[2, 1], X[3, 0], X[3, 1]
    y0, y1, y2, y3 = y[0], y[1], y[2], y[3]
    z0, z1, z2, z3_ = z3[0], z3[1], z3[2], z3[3]
    s0, s1, s2, s3 = s[0], s[1], s[2], s[3]
    b3 = V[hidden * m:]
    for k in range(m):  # ∇_{z3} L of each row, into s; then b3's step
        s0[k] = ((1.0 if z0[k] >= 0.0 else s0[k]) / (1.0 + s0[k]) - y0) * quarter
        s1[k] = ((1.0 if z1[k] >= 0.0 else s1[k]) / (1.0 + s1[k]) - y1) * quarter
        s2[k] = ((1.0 if z2[k] >= 0.0 else s2[k]) / (1.0 + s2[k]) - y2) * quarter
        s3[k] = ((1.0 if z3_[k] >= 0.0 else s3[k]) / (1.0 + s3[k]) - y3) * quarter
        b3[k] = b3[k] - ((((s0[k] + s1[k]) + s2[k]) + s3[k]) * factor) * lr
    r = relu_prime_at_zero
    for h in range(hidden):
        units = slice(h * m, (h + 1) * m)  # unit h of every net
        w1, w2, b, w3 = WB[0, units], WB[1, units], WB[2, units], V[units]
        for k in range(m):
            a, c, e, u = w1[k], w2[k], b[k], w3[k]
            g0, q0 = _unit_row(x00, x01, a, c, e, u, s0[k], r, min_1_h)
            g1, q1 = _unit_row(x10, x11, a, c, e, u, s1[k], r, min_1_h)
            g2, q2 = _unit_row(x20, x21, a, c, e, u, s2[k], r, min_1_h)
            g3, q3 = _unit_row(x30, x31, a, c, e, u, s3[k], r, min_1_h)
            w1[k] = a - ((((x00 * g0 + x10 * g1) + x20 * g2) + x30 * g3) * factor) * lr
            w2[k] = c - ((((x01 * g0 + x11 * g1) + x21 * g2) + x31 * g3) * factor) * lr
            b[k] = e - ((((g0 + g1) + g2) + g3) * factor) * lr
            w3[k] = u - ((((q0 + q1) + q2) + q3) * factor) * lr

