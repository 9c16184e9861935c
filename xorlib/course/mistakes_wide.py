"""The classic mistakes in the width-k network's gradient (11), each as the answer it would give.

``wide_problems()`` are the problems a learner's ``wide_backward`` is checked
on, ``as_wide_gradient`` reads its answer (with a diagnosis of each wrong
shape), and ``WIDE_MISTAKES`` are the classic mistakes written for k units.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .. import wide
from ..data import noisy_xor, repeated_xor, xor_data
from .diagnosis import Mistake, Problem
from .mistakes import scaled
from .sandbox import Wrong, describe

WIDE_LABEL = {name: f"∇{name}" for name in wide.BLOCKS}


def _wide_data():
    from ..wide import parity_data
    return [("XOR, width 2, n = 4", xor_data(), 2), ("XOR, width 3, n = 4", xor_data(), 3),
            ("XOR repeated twice, width 4, n = 8", repeated_xor(2), 4),
            ("7 noisy XOR points, width 5, n = 7", noisy_xor(7, 0.1, rng=1204), 5),
            ("3-bit parity, width 4, n = 8", parity_data(3), 4)]


@cache
def _wide_parameters() -> tuple:
    """Per problem, the first parameters drawn from N(0, 1) that are away from the kinks, with some 0 < h < 1,
    no prediction saturated and output weights of unlike sizes. Searched once per process, kept as tuples."""
    found = []
    for seed, (_, (X, _), k) in enumerate(_wide_data(), start=1101):
        rng = np.random.default_rng(seed)
        while True:
            p = wide.WideParams(rng.normal(size=(X.shape[1], k)), rng.normal(size=k), rng.normal(size=k),
                                float(rng.normal()))
            f = wide.forward(p, X)
            if (np.min(np.abs(f.Z1)) >= 0.1 and np.any((f.H > 0.05) & (f.H < 0.95)) and np.all(np.abs(f.z3) < 4)
                    and np.min(np.abs(np.diff(np.sort(np.abs(p.w3))))) > 0.1):
                found.append((tuple(map(tuple, p.W1)), tuple(p.b1), tuple(p.w3), float(p.b3)))
                break
    return tuple(found)


def wide_problems() -> list:
    """The width-k problems, as new objects at every check (nothing a learner changes persists)."""
    return [Problem(label, wide.WideParams(np.array(W1), np.array(b1), np.array(w3), b3), X, y)
            for (label, (X, y), _), (W1, b1, w3, b3) in zip(_wide_data(), _wide_parameters())]


def as_wide_gradient(value, problem) -> dict:
    """A ``WideParams`` gradient as blocks, with a diagnosis of each wrong shape."""
    if value is None:
        raise Wrong("your function returned None: is a `return` missing?")
    if not isinstance(value, wide.WideParams):
        raise Wrong(f"your function returned {describe(value)}, not a WideParams: return "
                    "WideParams(W1=..., b1=..., w3=..., b3=...), one gradient per block")
    (n, d), k = problem.X.shape, problem.params.width
    expected = {"W1": (d, k), "b1": (k,), "w3": (k,), "b3": ()}
    out = {}
    for name, shape in expected.items():
        try:
            array = np.array(getattr(value, name), dtype=np.float64)
        except (TypeError, ValueError):
            raise Wrong(f"∇{name} is {describe(getattr(value, name))}, not numbers{problem.where}") from None
        if array.shape != shape:
            got = f"∇{name} has shape {array.shape} where {name} has shape {shape}{problem.where}"
            if name == "W1" and array.shape == (k, d):
                raise Wrong(f"{got}: rows and columns exchanged, a missing or extra transpose", kind="transpose")
            if name == "b3" and array.size == 1:  # a size-1 array is one number, as for the 2-2-1 network's biases
                out[name] = array.reshape(())
                continue
            if name != "W1" and array.shape in ((n, k), (n,), (n, 1)):
                raise Wrong(f"{got}: one entry per example, so it is not summed over the rows")
            raise Wrong(got)
        if not np.all(np.isfinite(array)):
            raise Wrong(f"∇{name} holds NaN or inf{problem.where}")
        out[name] = array
    return out


def _wide_relu_from_h(p, t):
    f = wide.forward(p.params, p.X)
    G = np.minimum(1.0, f.H) * np.outer((f.y_hat - p.y) / p.n, p.params.w3)
    return {"W1": p.X.T @ G, "b1": G.sum(axis=0)}


def _wide_chain(p, step, w3):
    f = wide.forward(p.params, p.X)
    G = step(f) * np.outer((f.y_hat - p.y) / p.n, w3)
    return {"W1": p.X.T @ G, "b1": G.sum(axis=0)}


WIDE_MISTAKES = scaled(bias_blocks=("b1", "b3")) + [
    Mistake("original", "these are the original's gradients: ReLU' as min(1, H) (error 1) and the mean's 1/n "
            "twice (error 2)", lambda p, t: {k: v / p.n for k, v in {**t, **_wide_relu_from_h(p, t)}.items()}),
    Mistake("relu from h", "∇W1 and ∇b1 match min(1, H) in place of step(Z1): ReLU' taken from H rather than "
            "the step of Z1 (the original's error 1)?", _wide_relu_from_h, ("W1", "b1")),
    Mistake("transpose", "∇W1 has rows and columns exchanged: a missing or extra transpose",
            lambda p, t: {"W1": t["W1"].T}, ("W1",)),
    Mistake("no relu", "∇W1 and ∇b1 match a chain without ReLU': step(Z1) left out, as if every unit were active "
            "on every row? ReLU' is 0 where Z1 <= 0", lambda p, t: _wide_chain(p, lambda f: 1.0, p.params.w3),
            ("W1", "b1")),
    Mistake("w3 reversed", "∇W1 and ∇b1 match w3 reversed: column j of G_Z1 goes through w3_j, the weight of "
            "unit j", lambda p, t: _wide_chain(p, lambda f: f.Z1 > 0, p.params.w3[::-1]), ("W1", "b1")),
    Mistake("w3 gradient reversed", "∇w3's components are in reverse order", lambda p, t: {"w3": t["w3"][::-1]},
            ("w3",)),
]
