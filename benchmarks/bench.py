"""Speed of xorlib's gradient paths, measured side by side in one run.

    .venv/bin/python benchmarks/bench.py            # about 15 s idle; longer with PyTorch (README: Measured times)
    .venv/bin/python benchmarks/bench.py --quick    # fewer repeats

BLAS runs on one thread (OPENBLAS_NUM_THREADS=1, set before numpy loads), so
that the explicit path's n x n products are not sped up by threads that the
other path cannot use, and so that two runs measure the same thing.

Prints:
1. single-net training time per epoch, explicit Jacobians vs backprop, and
   their ratio, on XOR (n = 4) and on XOR repeated (n = 64 to 1024); then the
   growth exponent k (time ~ n^k) of each path, fitted on n = 128 to 1024, in
   several rounds, reported as the median and the range of the rounds;
2. memory of one gradient: the bytes counted from the arrays each path builds
   (``xorlib.studies.scaling.array_bytes``, what notebook 08 plots) beside the peak that
   ``tracemalloc`` measures, which varies from process to process;
3. ``train_many`` throughput in net-epochs per second (2-2-1 ReLU on XOR,
   10,000 nets x 1,000 epochs);
4. where PyTorch is installed (CPU-only: ``pip install torch==2.13.0
   --index-url https://download.pytorch.org/whl/cpu``), the same measurements
   for PyTorch (float64, autograd, SGD) and the ratios.

Every figure is the best of several repeats; ratios compare figures measured
in this run, so they hold on this machine, now. Timings never go in tests.

Before timing, the paths are checked against each other (the two gradient
methods to 1e-12, ``train_many`` against ``train``): a wrong result exits
with 1. The speed targets (backprop no slower than the explicit path at
n = 4, at least 20x faster at n = 256, ``train_many`` at least 3x faster
than batched PyTorch) are reported as met or missed, and never change the
exit code: a busy machine can miss one.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy loads BLAS; see the docstring

import numpy as np  # noqa: E402

import xorlib  # noqa: E402
from xorlib.studies.ensemble import train_many  # noqa: E402
from xorlib.studies.scaling import array_bytes, fit_slope, peak_memory  # noqa: E402


def best_of(repeats, function):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def single_net_per_epoch(method, X, y, epochs, repeats):
    params = xorlib.init_params(0)
    return best_of(repeats, lambda: xorlib.train(params, X, y, lr=0.1, epochs=epochs, method=method)) / epochs


def torch_single_net_per_epoch(torch, X, y, epochs, repeats):
    Xt, yt = torch.tensor(X), torch.tensor(y)
    p = xorlib.init_params(0)
    tensors = [torch.tensor(np.asarray(v, dtype=np.float64)).clone().requires_grad_()
               for v in (p.w1, p.b1, p.w2, p.b2, p.w3, p.b3)]

    def run():
        w1, b1, w2, b2, w3, b3 = tensors
        optimizer = torch.optim.SGD(tensors, lr=0.1)
        for _ in range(epochs):
            optimizer.zero_grad()
            H = torch.stack([torch.relu(Xt @ w1 + b1), torch.relu(Xt @ w2 + b2)], dim=1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(H @ w3 + b3, yt)
            loss.backward()
            optimizer.step()

    return best_of(repeats, run) / epochs


def torch_many_per_second(torch, X, y, n_nets, epochs, repeats):
    Xt, yt = torch.tensor(X), torch.tensor(y)
    generator = torch.Generator().manual_seed(0)
    limit = 1 / np.sqrt(2)

    def run():
        W1 = ((torch.rand(n_nets, 2, 2, generator=generator, dtype=torch.float64) * 2 - 1) * limit).requires_grad_()
        w3 = ((torch.rand(n_nets, 2, generator=generator, dtype=torch.float64) * 2 - 1) * limit).requires_grad_()
        b1 = torch.rand(n_nets, 2, generator=generator, dtype=torch.float64).requires_grad_()
        b3 = torch.rand(n_nets, generator=generator, dtype=torch.float64).requires_grad_()
        optimizer = torch.optim.SGD([W1, b1, w3, b3], lr=0.9)
        target = yt.expand(n_nets, -1)
        for _ in range(epochs):
            optimizer.zero_grad()
            A = torch.relu(torch.einsum("nd,kdh->knh", Xt, W1) + b1[:, None, :])
            z3 = (A * w3[:, None, :]).sum(-1) + b3[:, None]
            # sum over nets of each net's mean loss: each net gets its own gradient
            loss = torch.nn.functional.binary_cross_entropy_with_logits(z3, target, reduction="none").mean(1).sum()
            loss.backward()
            optimizer.step()

    return n_nets * epochs / best_of(repeats, run)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats and epochs")
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else 5
    try:
        import torch

        torch.set_num_threads(os.cpu_count() or 1)
    except ImportError:
        torch = None

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}, "
          f"python {platform.python_version()}, BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']}")
    wrong = results_that_disagree()
    if wrong:
        print("\nWrong results, so nothing was timed:\n   " + "\n   ".join(wrong))
        return 1
    print("results checked: the two gradient methods agree to 1e-12, train_many follows train")

    print(f"\n1. Single-net training, time per epoch (best of {repeats})")
    print(f"   {'n':>6} {'jacobian':>12} {'backprop':>12} {'jacobian/backprop':>18}")
    ratios = {}
    for copies in (1, 16, 64, 256):
        X, y = xorlib.repeated_xor(copies)
        jac = calibrated_per_epoch("jacobian", X, y, repeats)
        bp = calibrated_per_epoch("backprop", X, y, repeats)
        ratios[X.shape[0]] = jac / bp
        print(f"   {X.shape[0]:>6} {jac * 1e6:>10.1f}us {bp * 1e6:>10.1f}us {jac / bp:>17.1f}x")
    targets = [("n = 4: backprop no slower than the explicit path", ratios[4] >= 1.0),
               ("n = 256: backprop at least 20x faster", ratios[256] >= 20.0)]
    rounds = 3 if args.quick else 5
    print(f"\n   growth exponent k in time per epoch ~ n^k, median of {rounds} rounds (and their range)")
    for method in ("jacobian", "backprop"):
        slopes = growth_exponents(method, rounds, repeats)
        ns = GROWTH_NS[method]
        print(f"   {method:<9} k = {np.median(slopes):.2f} ({min(slopes):.2f} to {max(slopes):.2f}), "
              f"fitted on n = {ns[0]:,} to {ns[-1]:,}")

    print("\n2. Memory of one gradient: bytes counted from the arrays (notebook 08), peak measured by tracemalloc")
    for method, n in [("jacobian", 256), ("jacobian", 1024), ("backprop", 1024), ("backprop", 65536)]:
        counted, peak = array_bytes(method, n), peak_memory(method, n)
        print(f"   {method:<9} n = {n:>6}: counted {counted:>12,} B, peak {peak:>12,} B")

    X, y = xorlib.xor_data()
    n_nets, epochs = 10_000, (200 if args.quick else 1000)
    seconds = best_of(max(2, repeats // 2), lambda: train_many(X, y, n_nets=n_nets, epochs=epochs, seed=0))
    many = n_nets * epochs / seconds
    print(f"\n3. train_many, 2-2-1 ReLU on XOR, {n_nets} nets x {epochs} epochs: {many / 1e6:.1f} million net-epochs/s")

    if torch is None:
        print("\n4. PyTorch comparison skipped: torch is not installed (CPU-only build: pip install torch==2.13.0 "
              "--index-url https://download.pytorch.org/whl/cpu)")
        return report(targets)
    print(f"\n4. PyTorch {torch.__version__} (float64, autograd, SGD), {torch.get_num_threads()} threads")
    bp = single_net_per_epoch("backprop", X, y, 200, repeats)
    tsingle = torch_single_net_per_epoch(torch, X, y, 200, repeats)
    print(f"   single net on XOR, per epoch: xorlib backprop {bp * 1e6:.1f}us, PyTorch {tsingle * 1e6:.1f}us"
          f" -> xorlib is {tsingle / bp:.1f}x faster")
    tmany = torch_many_per_second(torch, X, y, n_nets, epochs, max(2, repeats // 2))
    print(f"   {n_nets} nets x {epochs} epochs: xorlib train_many {many / 1e6:.1f}M, PyTorch {tmany / 1e6:.1f}M"
          f" net-epochs/s -> xorlib is {many / tmany:.1f}x faster")
    targets.append(("train_many at least 3x faster than batched PyTorch", many / tmany >= 3.0))
    return report(targets)


def report(targets):
    print("\nTargets (speed depends on the machine and its load, so a missed target does not fail the run):")
    for label, met in targets:
        print(f"   {'met    ' if met else 'MISSED '} {label}")
    return 0


#: The sizes over which each path's growth exponent is fitted: where its per-row work, not Python's
#: fixed cost per call, dominates the time (backprop's n x 1 vectors need far larger n for that).
GROWTH_NS = {"jacobian": (256, 512, 1024, 2048), "backprop": (2**14, 2**15, 2**16, 2**17)}


def calibrated_per_epoch(method, X, y, repeats, budget=0.03):
    """Best time per epoch, with enough epochs that one measurement takes about ``budget`` seconds."""
    once = single_net_per_epoch(method, X, y, 1, 1)
    return single_net_per_epoch(method, X, y, int(np.clip(budget / once, 2, 2000)), repeats)


def growth_exponents(method, rounds, repeats):
    """The fitted exponent k of time per epoch ~ n^k over ``GROWTH_NS[method]``, once per round."""
    slopes = []
    for _ in range(rounds):
        times = []
        for n in GROWTH_NS[method]:
            X, y = xorlib.repeated_xor(n // 4)
            times.append(calibrated_per_epoch(method, X, y, repeats))
        slopes.append(fit_slope(GROWTH_NS[method], times))
    return slopes


def results_that_disagree():
    """What is wrong with the results being timed: an empty list when every path agrees."""
    wrong = []
    rng = np.random.default_rng(0)
    for copies in (1, 16, 64):
        X, y = xorlib.repeated_xor(copies)
        params = xorlib.Params.from_vector(rng.normal(size=9))
        jac = xorlib.gradients(params, X, y, method="jacobian").to_vector()
        bp = xorlib.gradients(params, X, y, method="backprop").to_vector()
        if xorlib.relative_error(jac, bp) > 1e-12:
            wrong.append(f"n = {X.shape[0]}: the gradient methods differ by {xorlib.relative_error(jac, bp):.1e}")
    X, y = xorlib.xor_data()
    many = train_many(X, y, n_nets=4, epochs=100, seed=0)
    for k in range(4):
        single = xorlib.train(many.initial.net(k), X, y, epochs=100).params.to_vector()
        if not np.allclose(many.final.net(k).to_vector(), single, rtol=0, atol=1e-10):
            wrong.append(f"train_many's net {k} does not end where train from its start ends")
    return wrong


if __name__ == "__main__":
    raise SystemExit(main())
