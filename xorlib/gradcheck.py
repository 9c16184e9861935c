"""Finite-difference checks: the ground truth every derivation is held against."""

from __future__ import annotations

import numpy as np

from .loss import bce_from_logits
from .network import _forward
from .params import VECTOR_NAMES, Params, as_params
from .validation import as_inputs, as_positive_float, as_targets


def numerical_gradient(params: Params, X, y, eps: float = 1e-6) -> Params:
    """∇L by central differences: (L(θ + eps e_i) - L(θ - eps e_i)) / (2 eps).

    The error is O(eps²) plus rounding of order 1e-16 / eps; eps = 1e-6 keeps
    both near 1e-10. Wrong where a ReLU kink (z = 0) lies within eps.
    """
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    eps = as_positive_float(eps, "eps")
    theta = params.to_vector()

    def loss_at(vector):
        return bce_from_logits(_forward(Params.from_vector(vector), X).z3, y)

    grad = np.empty_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        grad[i] = (loss_at(theta + step) - loss_at(theta - step)) / (2.0 * eps)
    return Params.from_vector(grad)


def numerical_jacobian(function, x, eps: float = 1e-6) -> np.ndarray:
    """∂function/∂x by central differences, numerator layout: shape (len(f(x)), len(x))."""
    eps = as_positive_float(eps, "eps")
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError(f"x must be 1-D, got shape {x.shape}")
    columns = []
    for i in range(x.size):
        step = np.zeros_like(x)
        step[i] = eps
        plus = np.atleast_1d(np.asarray(function(x + step), dtype=np.float64))
        minus = np.atleast_1d(np.asarray(function(x - step), dtype=np.float64))
        columns.append((plus - minus) / (2.0 * eps))
    return np.stack(columns, axis=1)


def relative_error(a, b) -> float:
    """max |a - b| / max(|a|, |b|), over all entries; 0 when both are 0."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    scale = max(np.max(np.abs(a)), np.max(np.abs(b)))
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b)) / scale)


def min_kink_distance(params: Params, X) -> float:
    """min |z| over both hidden units and all rows: how far from a ReLU kink we are."""
    f = _forward(as_params(params), as_inputs(X))
    return float(min(np.min(np.abs(f.z1)), np.min(np.abs(f.z2))))


class GradientCheck:
    """A small table comparing gradients entry by entry against a reference.

    Rows are the 9 parameters. A row's relative error is |computed - reference|
    divided by the largest absolute entry of the two vectors (as in
    ``relative_error``); the verdict says ``ok`` when it is below ``tol``. Errors under ``tol`` are shown as ``< tol`` so the
    printed table does not depend on the last bits of rounding.
    """

    def __init__(self, computed: Params, reference: Params, tol: float = 1e-7):
        self.computed = as_params(computed, "computed").to_vector()
        self.reference = as_params(reference, "reference").to_vector()
        self.tol = as_positive_float(tol, "tol")
        # Each row's error is scaled by the largest entry of either vector, so a
        # gradient entry that is ~0 is not judged by rounding noise alone.
        scale = max(np.max(np.abs(self.computed)), np.max(np.abs(self.reference)))
        diff = np.abs(self.computed - self.reference)
        self.rel_errors = diff / scale if scale > 0 else np.zeros_like(diff)
        self.max_rel_error = float(np.max(self.rel_errors))

    @property
    def passed(self) -> bool:
        return bool(self.max_rel_error < self.tol)

    def rows(self):
        for name, c, r, e in zip(
            VECTOR_NAMES, self.computed, self.reference, self.rel_errors
        ):
            shown = f"< {self.tol:.0e}" if e < self.tol else f"{e:.3g}"
            yield name, f"{c:+.6f}", f"{r:+.6f}", shown, "ok" if e < self.tol else "WRONG"

    def __str__(self) -> str:
        header = ("param", "computed", "reference", "rel. error", "verdict")
        lines = [f"{header[0]:<6}{header[1]:>12}{header[2]:>12}{header[3]:>12}  {header[4]}"]
        for name, c, r, e, v in self.rows():
            lines.append(f"{name:<6}{c:>12}{r:>12}{e:>12}  {v}")
        overall = "PASSED" if self.passed else "FAILED"
        shown = f"< {self.tol:.0e}" if self.passed else f"{self.max_rel_error:.3g}"
        lines.append(f"{overall}: max relative error {shown} (tolerance {self.tol:.0e})")
        return "\n".join(lines)

    __repr__ = __str__
