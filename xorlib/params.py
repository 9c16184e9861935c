"""The nine parameters of the original's 2-2-1 network, and their initialisation.

Notation (as in the notebooks)::

    z1 = X w1 + b1      w1: (2,)   b1: scalar
    z2 = X w2 + b2      w2: (2,)   b2: scalar
    z3 = H w3 + b3      w3: (2,)   b3: scalar

The same structure also holds gradients: ``gradients(...)`` returns a
``Params`` whose ``w1`` field is ∇_{w1} L, and so on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .validation import as_float, as_float_array

#: Order of the blocks in ``Params.to_vector()``.
BLOCKS = ("w1", "b1", "w2", "b2", "w3", "b3")
#: Name of each of the 9 entries of ``Params.to_vector()``.
VECTOR_NAMES = ("w1_1", "w1_2", "b1", "w2_1", "w2_2", "b2", "w3_1", "w3_2", "b3")


def _weight(value, name: str) -> np.ndarray:
    if type(value) is np.ndarray and value.shape == (2,) and value.dtype == np.float64:
        first, second = value.tolist()
        if math.isfinite(first) and math.isfinite(second):  # the common case, checked cheaply
            array = value.copy()
            array.flags.writeable = False
            return array
    array = as_float_array(value, f"Params.{name}")
    if array.shape != (2,):
        raise ValueError(f"Params.{name} must have shape (2,), got shape {array.shape}")
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class Params:
    """Weights ``w1, w2, w3`` (shape (2,) each) and biases ``b1, b2, b3`` (floats).

    Immutable: arrays are copied on construction and made read-only, so no
    function (``train`` included) can change a ``Params`` it was given.
    """

    w1: np.ndarray
    b1: float
    w2: np.ndarray
    b2: float
    w3: np.ndarray
    b3: float

    def __post_init__(self):
        for name in ("w1", "w2", "w3"):
            object.__setattr__(self, name, _weight(getattr(self, name), name))
        for name in ("b1", "b2", "b3"):
            object.__setattr__(self, name, as_float(getattr(self, name), f"Params.{name}"))

    def replace(self, **blocks) -> Params:
        """A copy with some blocks changed, e.g. ``params.replace(b3=0.0)``."""
        unknown = sorted(set(blocks) - set(BLOCKS))
        if unknown:
            raise TypeError(f"Params.replace takes the blocks {list(BLOCKS)}, got {unknown}")
        return replace(self, **blocks)

    def to_vector(self) -> np.ndarray:
        """The 9 values in the order w1, b1, w2, b2, w3, b3 (see ``VECTOR_NAMES``)."""
        return np.concatenate(
            [self.w1, [self.b1], self.w2, [self.b2], self.w3, [self.b3]]
        )

    @classmethod
    def from_vector(cls, vector) -> Params:
        """Inverse of ``to_vector``: 9 values in the order w1, b1, w2, b2, w3, b3."""
        v = as_float_array(vector, "vector")
        if v.shape != (9,):
            raise ValueError(
                "vector must hold the 9 parameters (w1, b1, w2, b2, w3, b3) "
                f"with shape (9,), got shape {v.shape}"
            )
        return cls._of_vector(v)

    @classmethod
    def _of_vector(cls, v: np.ndarray) -> Params:
        """``from_vector`` for a vector already checked (finite float64, shape (9,)): no second validation."""
        params = object.__new__(cls)
        blocks = (v[0:2].copy(), float(v[2]), v[3:5].copy(), float(v[5]), v[6:8].copy(), float(v[8]))
        for name, block in zip(BLOCKS, blocks, strict=True):
            if isinstance(block, np.ndarray):
                block.flags.writeable = False
            object.__setattr__(params, name, block)
        return params

    def __repr__(self) -> str:
        def fmt(x):
            return f"{x:.6g}"

        parts = []
        for name in BLOCKS:
            value = getattr(self, name)
            if isinstance(value, np.ndarray):
                parts.append(f"{name}=[{', '.join(fmt(x) for x in value)}]")
            else:
                parts.append(f"{name}={fmt(value)}")
        return f"Params({', '.join(parts)})"


def as_params(params, name: str = "params") -> Params:
    """Check that ``params`` is a ``Params`` (it validated itself when built)."""
    if not isinstance(params, Params):
        raise TypeError(
            f"{name} must be an xorlib.Params, got {type(params).__name__}; "
            "build one with Params(...), Params.from_vector(v) or init_params(seed)"
        )
    return params


#: The original's weight range: U(-1/√2, 1/√2), i.e. ±1/√fan_in with fan_in = 2.
WEIGHT_LIMIT = 1.0 / np.sqrt(2.0)


def original_weights(rng: np.random.Generator, fan_in: int, size) -> np.ndarray:
    """The original's weight scheme at any size: U(-1/√fan_in, 1/√fan_in), fan_in being the
    number of inputs of the unit (2 for every weight of the 2-2-1 net, hence ±1/√2)."""
    limit = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-limit, limit, size=size)


def init_params(rng) -> Params:
    """Random parameters drawn as in the original notebook.

    Weights ``w1, w2, w3`` ~ U(-1/√2, 1/√2), biases ``b1, b2, b3`` ~ U(0, 1),
    drawn in that order (w1, w2, w3, b1, b2, b3) from ``rng``, an int seed or
    a ``np.random.Generator``.
    """
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng seed must be a non-negative integer, got {rng}")
        rng = np.random.default_rng(rng)
    elif not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be an int seed or a numpy.random.Generator, got {type(rng).__name__}"
        )
    w1, w2, w3 = (original_weights(rng, 2, 2) for _ in range(3))
    b1, b2, b3 = rng.uniform(0.0, 1.0, size=3)
    return Params(w1=w1, b1=b1, w2=w2, b2=b2, w3=w3, b3=b3)
