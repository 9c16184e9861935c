"""Compile ``train_many``'s loops (``kernels``) once, into numba's cache beside them.

    python -m xorlib.studies.compile_loops

``make lab`` and ``make test`` run it while installing, so that no notebook waits for the compiler:
numba compiles each loop for the types it is called with, so this trains a few nets in each form the
notebooks use (XOR's shape and any other, the true gradient and the original's).
"""

from ..data import xor_data
from .ensemble import train_many
from .wrong_gradients import train_many_with


def compile_loops() -> None:
    X, y = xor_data()
    one_input = X[:, :1], y  # not XOR's shape: the general loops
    for data in ((X, y), one_input):
        train_many(*data, n_nets=2, epochs=1)
    train_many_with(X, y, "original", n_nets=2, epochs=1)


if __name__ == "__main__":
    compile_loops()
