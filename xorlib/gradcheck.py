"""Finite-difference checks: the ground truth every derivation is held against."""

from __future__ import annotations

import numpy as np

from .jacobians import LocalJacobians
from .loss import _bce_from_logits, _bce_naive
from .network import _forward, relu, sigmoid
from .params import VECTOR_NAMES, Params, as_params
from .validation import as_float_array, as_inputs, as_positive_float, as_targets


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
        return _bce_from_logits(_forward(Params._of_vector(vector), X).z3, y)

    grad = np.empty_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        grad[i] = (loss_at(theta + step) - loss_at(theta - step)) / (2.0 * eps)
    return Params.from_vector(grad)


def numerical_jacobian(function, x, eps: float = 1e-6) -> np.ndarray:
    """∂function/∂x by central differences, numerator layout: shape (len(f(x)), len(x))."""
    eps = as_positive_float(eps, "eps")
    if not callable(function):
        raise TypeError(f"function must be callable, got {type(function).__name__}")
    x = as_float_array(x, "x")
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
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    scale = max(np.max(np.abs(a)), np.max(np.abs(b)))
    return 0.0 if scale == 0 else float(np.max(np.abs(a - b)) / scale)


def min_kink_distance(params: Params, X) -> float:
    """min |z| over both hidden units and all rows: how far from a ReLU kink we are."""
    f = _forward(as_params(params), as_inputs(X))
    return float(min(np.min(np.abs(f.z1)), np.min(np.abs(f.z2))))


class GradientCheck:
    """A small table comparing gradients entry by entry against a reference.

    Rows are the 9 parameters. A row's error, the column ``|c-r|/max``, is
    |computed - reference| divided by the largest absolute entry of the two
    vectors (as in ``relative_error``); the verdict says ``ok`` when it is below ``tol``.
    Errors under ``tol`` are shown as ``< tol`` so the printed table does not depend on
    the last bits of rounding.
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
            # round first and add 0.0, so that -1e-12 prints as +0.000000, not -0.000000
            c, r = round(float(c), 6) + 0.0, round(float(r), 6) + 0.0
            yield name, f"{c:+.6f}", f"{r:+.6f}", shown, "ok" if e < self.tol else "WRONG"

    def __str__(self) -> str:
        header = ("param", "computed", "reference", "|c-r|/max", "verdict")
        lines = [f"{header[0]:<6}{header[1]:>12}{header[2]:>12}{header[3]:>12}  {header[4]}"]
        for name, c, r, e, v in self.rows():
            lines.append(f"{name:<6}{c:>12}{r:>12}{e:>12}  {v}")
        overall = "PASSED" if self.passed else "FAILED"
        shown = f"< {self.tol:.0e}" if self.passed else f"{self.max_rel_error:.3g}"
        lines.append(f"{overall}: largest |c-r|/max {shown} (tolerance {self.tol:.0e})")
        return "\n".join(lines)

    __repr__ = __str__


def numerical_local_jacobians(params: Params, X, y, eps: float = 1e-6) -> LocalJacobians:
    """Each local Jacobian of the original's list by central differences of its own layer.

    Every layer is perturbed on its own input with everything else held at the
    forward pass's values, e.g. ∂h1/∂z1 differentiates relu at z1.
    """
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    f = _forward(params, X)

    def fd(function, at):
        return numerical_jacobian(function, at, eps)

    def z_of(inputs, b):
        return lambda w: inputs @ w + b

    def z_of_bias(inputs, w):
        return lambda b: inputs @ w + b[0]

    return LocalJacobians(
        grad_y_hat=fd(lambda y_hat: _bce_naive(y_hat, y), f.y_hat)[0],
        y_hat_z3=fd(sigmoid, f.z3),
        z3_h1=fd(lambda h1: np.column_stack([h1, f.h2]) @ params.w3 + params.b3, f.h1),
        z3_h2=fd(lambda h2: np.column_stack([f.h1, h2]) @ params.w3 + params.b3, f.h2),
        h1_z1=fd(relu, f.z1),
        h2_z2=fd(relu, f.z2),
        z3_w3=fd(z_of(f.H, params.b3), params.w3),
        z1_w1=fd(z_of(X, params.b1), params.w1),
        z2_w2=fd(z_of(X, params.b2), params.w2),
        z1_b1=fd(z_of_bias(X, params.w1), np.array([params.b1])),
        z2_b2=fd(z_of_bias(X, params.w2), np.array([params.b2])),
        z3_b3=fd(z_of_bias(f.H, params.w3), np.array([params.b3])),
    )


def error_text(value: float, bound: float) -> str:
    """A quantity that rounding alone can make nonzero, as text every CPU prints alike.

    Below ``bound`` in size its digits are rounding noise, which differ from one
    CPU, SIMD path or BLAS kernel to the next, so it prints as the bound
    (``"below 1e-09"``); at or above it, with two significant digits (``"7.5e-01"``).
    """
    bound = as_positive_float(bound, "bound")
    value = float(value)
    return f"below {bound:.0e}" if abs(value) < bound else f"{value:.1e}"


def _error_text(value: float, tol: float) -> str:
    if value == 0.0:
        return "exact"
    return f"< {tol:.0e}" if value < tol else f"{value:.3g}"


class JacobianCheck:
    """Jacobian by Jacobian: a candidate against two references.

    For each entry of the original's list the table gives its shape and, against
    each reference, the max absolute error and the relative error (scaled by
    the largest entry, as in ``relative_error``). Errors below ``tol`` print as
    ``< tol`` (``exact`` when 0), so the table does not depend on rounding.
    """

    def __init__(self, candidate: LocalJacobians, references: dict, tol: float = 1e-7):
        self.tol = as_positive_float(tol, "tol")
        self.names = [name for name, _ in candidate.items()]
        self.labels = list(references)
        self.results = {}
        for name, value in candidate.items():
            value = as_float_array(value, f"candidate.{name}")  # a list or tuple of numbers, as a checker accepts
            row = []
            for label, reference in references.items():
                other = getattr(reference, name)
                if other.shape != value.shape:
                    raise ValueError(f"{name}: shape {value.shape} against {label}'s {other.shape}")
                row.append((float(np.max(np.abs(value - other))), relative_error(value, other)))
            self.results[name] = (value.shape, row)

    @property
    def passed(self) -> bool:
        return all(rel < self.tol for _, row in self.results.values() for _, rel in row)

    def __str__(self) -> str:
        head = f"{'':<11}{'':<8}" + "".join(f"{'vs ' + label:>22}" for label in self.labels)
        sub = f"{'Jacobian':<11}{'shape':<8}" + f"{'max abs':>12}{'rel':>10}" * len(self.labels)
        lines = [head, sub + "  verdict"]
        for name, (shape, row) in self.results.items():
            line = f"{name:<11}{str(shape):<8}"
            for abs_error, rel in row:
                line += f"{_error_text(abs_error, self.tol):>12}{_error_text(rel, self.tol):>10}"
            lines.append(line + ("  ok" if all(r < self.tol for _, r in row) else "  WRONG"))
        lines.append(("PASSED" if self.passed else "FAILED") + f" (tolerance {self.tol:.0e} relative)")
        return "\n".join(lines)

    __repr__ = __str__
