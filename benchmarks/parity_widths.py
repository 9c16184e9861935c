"""3-bit parity: the solve rate of each hidden width, at full size (notebook 11 runs 100 starts).

    .venv/bin/python benchmarks/parity_widths.py          # about a minute; --quick for 200 starts

1000 networks per width, the original's initialisation, full-batch gradient
descent with lr = 0.9 for 5000 epochs; solved = all eight points on the right
side of 0.5.
"""

import argparse

import numpy as np

from xorlib.studies.ensemble import train_many
from xorlib.wide import parity_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="200 starts and 2000 epochs per width")
    args = parser.parse_args()
    nets, epochs = (200, 2000) if args.quick else (1000, 5000)
    X, y = parity_data(3)
    print(f"3-bit parity, {nets} starts per width, {epochs} epochs, lr 0.9")
    print(f"{'width':>5} {'solved':>8} {'best final loss':>16}")
    for k in [1, 2, 3, 4, 6, 8, 16]:
        result = train_many(X, y, n_nets=nets, epochs=epochs, lr=0.9, seed=0, hidden=k)
        print(f"{k:>5} {result.solve_rate:>8.1%} {np.min(result.losses):>16.4f}")


if __name__ == "__main__":
    main()
