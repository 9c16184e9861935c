"""The XOR data set."""

from __future__ import annotations

import numpy as np

from .validation import as_positive_int


def xor_data() -> tuple[np.ndarray, np.ndarray]:
    """The XOR truth table: X of shape (4, 2) and y of shape (4,), float64.

    Rows in the seed's order: [0, 0] -> 0, [0, 1] -> 1, [1, 0] -> 1, [1, 1] -> 0.
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
