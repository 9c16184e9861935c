"""What the engine's graph bookkeeping costs: xorlib.engine against the hand-written backward passes.

    .venv/bin/python benchmarks/engine.py            # about 10 s idle
    .venv/bin/python benchmarks/engine.py --quick    # fewer repeats

For one training step (forward, gradient, update) it times, side by side in one run, with BLAS on
one thread:

1. the 2-2-1 network on XOR (n = 4) and on XOR repeated (n = 1024): ``xorlib.train`` with
   ``method="backprop"`` (notebook 09's lines) against ``method=xorlib.graphs.engine_gradients``;
2. the width-k network on 4-bit parity (k = 8, n = 16) and on XOR repeated (k = 16, n = 4096):
   ``xorlib.wide.train`` with ``xorlib.wide.backward`` against ``xorlib.graphs.wide_engine_gradients``.

Each figure is the best of several repeats; the ratio engine / hand-written compares figures of
this run. Before timing, the engine's gradients are checked against the hand-written ones (1e-12);
a disagreement exits with 1. Timings never go in tests or in stored notebook outputs.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy loads BLAS

import numpy as np  # noqa: E402

import xorlib  # noqa: E402
from xorlib import graphs, wide  # noqa: E402
from xorlib.studies.scaling import best_time  # noqa: E402


def agree() -> bool:
    X, y = xorlib.noisy_xor(9, 0.2, rng=1)
    p = xorlib.init_params(3)
    ok = xorlib.relative_error(graphs.engine_gradients(p, X, y).to_vector(),
                               xorlib.gradients(p, X, y).to_vector()) < 1e-12
    Xp, yp = wide.parity_data(4)
    q = wide.init_wide(4, 8, 2)
    return ok and xorlib.relative_error(graphs.wide_engine_gradients(q, Xp, yp).to_vector(),
                                        wide.backward(q, Xp, yp).to_vector()) < 1e-12


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    repeats, epochs = (3, 100) if args.quick else (7, 300)
    print(f"{platform.processor() or platform.machine()}, python {platform.python_version()}, "
          f"numpy {np.__version__}, BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']}")
    if not agree():
        print("the engine's gradients disagree with the hand-written ones: not timing")
        return 1
    rows = []

    def side_by_side(label, hand, engine):  # alternated, so that a busy moment slows both alike
        times = {"hand": [], "engine": []}
        for _ in range(repeats):
            for name, step in (("hand", hand), ("engine", engine)):
                times[name].append(best_time(1, step) / epochs)
        rows.append((label, min(times["hand"]), min(times["engine"])))

    for copies in (1, 256):
        X, y = xorlib.repeated_xor(copies)
        p = xorlib.init_params(0)
        side_by_side(f"2-2-1, n = {X.shape[0]}", lambda p=p, X=X, y=y: xorlib.train(p, X, y, epochs=epochs),
                     lambda p=p, X=X, y=y: xorlib.train(p, X, y, epochs=epochs, method=graphs.engine_gradients))
    Xp, yp = wide.parity_data(4)
    Xr, yr = xorlib.repeated_xor(1024)
    for label, (X, y), k in (("width 8, 4-bit parity, n = 16", (Xp, yp), 8),
                             (f"width 16, XOR repeated, n = {Xr.shape[0]}", (Xr, yr), 16)):
        q = wide.init_wide(X.shape[1], k, 0)
        side_by_side(label, lambda q=q, X=X, y=y: wide.train(q, X, y, epochs=epochs),
                     lambda q=q, X=X, y=y: wide.train(q, X, y, epochs=epochs, gradient=graphs.wide_engine_gradients))
    print(f"{'one training step':<40} {'hand-written':>13} {'engine':>10} {'engine / hand':>14}")
    for label, hand, engine in rows:
        print(f"{label:<40} {hand * 1e6:10.1f} µs {engine * 1e6:7.1f} µs {engine / hand:13.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
