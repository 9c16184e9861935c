"""The XOR data set."""

from __future__ import annotations

import numpy as np

from .validation import as_float, as_positive_int


def xor_data() -> tuple[np.ndarray, np.ndarray]:
    """The XOR truth table: X of shape (4, 2) and y of shape (4,), float64.

    Rows in the original's order: [0, 0] -> 0, [0, 1] -> 1, [1, 0] -> 1, [1, 1] -> 0.
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    return X, y


def repeated_xor(copies: int) -> tuple[np.ndarray, np.ndarray]:
    """The XOR table stacked ``copies`` times: n = 4 * copies rows.

    The mean loss (and so its gradient) is the same as on plain XOR, which makes
    it a clean test of code that hard-codes n = 4.
    """
    copies = as_positive_int(copies, "copies")
    X, y = xor_data()
    return np.tile(X, (copies, 1)), np.tile(y, copies)


def noisy_xor(n: int, noise: float = 0.1, rng=0) -> tuple[np.ndarray, np.ndarray]:
    """n points near the XOR corners: row i is corner i mod 4 plus N(0, noise²) noise.

    ``rng`` is an int seed or a ``np.random.Generator``. Labels are the corners'.
    """
    n = as_positive_int(n, "n")
    noise = as_float(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    X, y = xor_data()
    corners = np.arange(n) % 4
    return X[corners] + rng.normal(0.0, noise, size=(n, 2)), y[corners]
