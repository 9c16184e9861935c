"""Input checks at xorlib's public boundary.

Every public function validates its arguments here, once, and raises a
``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong value)
whose message names the argument, says what was expected and what came.
Internal code trusts arrays that passed through these checks.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def _describe(value) -> str:
    """A short description of a value for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:120]


def as_float_array(value, name: str) -> np.ndarray:
    """Convert ``value`` to a float64 array or raise a TypeError naming ``name``."""
    if type(value) is np.ndarray and value.dtype == np.float64 and np.isfinite(value).all():
        return value.copy()  # the common case, already right
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be numeric array-like, got {_describe(value)}")
    raw = value if isinstance(value, np.ndarray) else None
    if raw is None:
        try:
            raw = np.asarray(value)
        except (TypeError, ValueError):
            raw = None  # ragged or otherwise odd: the conversion below explains
    if raw is not None and (raw.dtype.kind in "USV" or np.iscomplexobj(raw)):
        raise TypeError(
            f"{name} must hold real numbers, got {_describe(value)} of dtype {raw.dtype}"
        )
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"{name} must be numeric array-like, got {_describe(value)} ({error})"
        ) from None
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} must be finite, got {bad} NaN or inf value(s)")
    return array


def as_float(value, name: str) -> float:
    """A finite Python float, from any real scalar (int, float, 0-d array)."""
    if type(value) in (float, np.float64) and math.isfinite(value):
        return float(value)  # the common case, already right
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (numbers.Real, np.ndarray)
    ):
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    array = np.asarray(value, dtype=np.float64)
    if array.shape not in ((), (1,)):
        raise ValueError(f"{name} must be a scalar, got {_describe(value)}")
    result = float(array.reshape(()))
    if not np.isfinite(result):
        raise ValueError(f"{name} must be finite, got {result}")
    return result


def as_inputs(X, name: str = "X", n_features: int = 2) -> np.ndarray:
    """Inputs as a float64 array of shape (n, n_features), n >= 1."""
    array = as_float_array(X, name)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-D with shape (n, {n_features}), "
            f"got {array.ndim}-D with shape {array.shape}"
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} must have at least one row, got shape {array.shape}")
    if array.shape[1] != n_features:
        raise ValueError(
            f"{name} must have {n_features} columns (one per input unit), "
            f"got shape {array.shape}"
        )
    return array


def as_targets(y, n: int, name: str = "y") -> np.ndarray:
    """Targets as a float64 array of shape (n,) with values in {0, 1}."""
    array = as_float_array(y, name)
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D with shape ({n},), got shape {array.shape}")
    if array.shape[0] != n:
        raise ValueError(
            f"{name} must have one label per row of X: expected shape ({n},), "
            f"got shape {array.shape}"
        )
    if not np.all((array == 0.0) | (array == 1.0)):
        bad = np.unique(array[(array != 0.0) & (array != 1.0)])[:5]
        raise ValueError(f"{name} must hold labels 0 or 1, got {bad.tolist()}")
    return array


def as_positive_float(value, name: str) -> float:
    result = as_float(value, name)
    if result <= 0:
        raise ValueError(f"{name} must be positive, got {result}")
    return result


def as_positive_int(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {_describe(value)}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def as_choice(value, name: str, choices) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {list(choices)}, got {_describe(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {list(choices)}, got {value!r}")
    return value
