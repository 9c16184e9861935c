"""Time and memory of the two gradient methods as n grows, and log-log slopes."""

from __future__ import annotations

import time
import tracemalloc

import numpy as np

from ..data import noisy_xor
from ..gradients import METHODS, gradients
from ..jacobians import evaluate
from ..network import _forward
from ..params import init_params
from ..validation import as_choice, as_float_array, as_positive_int


def time_gradients(method: str, n: int, repeats: int = 3, seed: int = 0) -> float:
    """Best wall-clock seconds of one ``gradients(..., method)`` call on noisy XOR with n rows."""
    method = as_choice(method, "method", METHODS)
    X, y = noisy_xor(as_positive_int(n, "n"), noise=0.1, rng=seed)
    params = init_params(seed)
    return best_time(as_positive_int(repeats, "repeats"), lambda: gradients(params, X, y, method=method))


def best_time(repeats: int, function) -> float:
    """The shortest wall-clock seconds of ``repeats`` calls of ``function()``: the benchmarks' one timer."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(method: str, n: int, seed: int = 0) -> int:
    """Peak bytes allocated (tracemalloc, numpy included) by one ``gradients`` call."""
    method = as_choice(method, "method", METHODS)
    X, y = noisy_xor(as_positive_int(n, "n"), noise=0.1, rng=seed)
    params = init_params(seed)
    gradients(params, X, y, method=method)  # warm up caches outside the measurement
    tracemalloc.start()
    try:
        gradients(params, X, y, method=method)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def array_bytes(method: str, n: int, seed: int = 0) -> int:
    """Bytes of the arrays one gradient builds, counted from their sizes, on noisy XOR with n rows.

    Both methods keep the forward pass's quantities (z1, h1, z2, h2, H, z3, y_hat). The
    explicit path adds every local Jacobian of the table of edges, five of them n x n;
    backprop adds its three error vectors g_z3, g_z1, g_z2, one float per row each
    (``backprop.vjp_backward``). A count, not a measurement: the same on every machine and
    in every process, unlike ``peak_memory``, whose result varies by a few hundred bytes.
    """
    method = as_choice(method, "method", METHODS)
    X, y = noisy_xor(as_positive_int(n, "n"), noise=0.1, rng=seed)
    params = init_params(seed)
    f = _forward(params, X)
    kept = [f.z1, f.h1, f.z2, f.h2, f.H, f.z3, f.y_hat]
    if method == "jacobian":
        kept += [matrix for _, matrix in evaluate(params, f, y).items()]
    else:
        kept += [np.empty_like(f.y_hat)] * 3  # g_z3, g_z1, g_z2
    return int(sum(array.nbytes for array in kept))


def fit_slope(ns, values) -> float:
    """Slope of the least-squares line through (log n, log value): the exponent k in value ~ n^k."""
    ns = as_float_array(ns, "ns")
    values = as_float_array(values, "values")
    if ns.shape != values.shape or ns.ndim != 1 or ns.size < 2:
        raise ValueError(f"ns and values must be 1-D of the same length >= 2, got {ns.shape} and {values.shape}")
    if np.any(ns <= 0) or np.any(values <= 0):
        raise ValueError("ns and values must be positive to take logarithms")
    return float(np.polyfit(np.log(ns), np.log(values), 1)[0])
