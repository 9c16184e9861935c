"""Speed of xorlib's gradient paths, measured side by side in one run.

    .venv/bin/python benchmarks/bench.py            # about 35 s with JAX and PyTorch installed
    .venv/bin/python benchmarks/bench.py --quick    # fewer repeats
    NPY_DISABLE_CPU_FEATURES=X86_V4,AVX512_ICL NUMBA_CPU_NAME=haswell XLA_FLAGS=--xla_cpu_max_isa=AVX2 \
        .venv/bin/python benchmarks/bench.py    # numpy, numba and XLA as on a CPU without AVX-512

BLAS runs on one thread (OPENBLAS_NUM_THREADS=1, set before numpy loads), so
that the explicit path's n x n products are not sped up by threads that the
other path cannot use, and so that two runs measure the same thing. The third
command runs numpy's kernels, numba's loops and XLA's code for a CPU without
AVX-512 (on a CPU that has it), to show how the ratios depend on the CPU
(README, "Benchmarks"); numba compiles its loops for that CPU first.

Prints:
1. single-net training time per epoch, explicit Jacobians vs backprop, and
   their ratio, on XOR (n = 4) and on XOR repeated (n = 64 to 1024); then the
   growth exponent k (time ~ n^k) of each path, fitted on n = 128 to 1024, in
   several rounds, reported as the median and the range of the rounds;
2. memory of one gradient: the bytes counted from the arrays each path builds
   (``xorlib.studies.scaling.array_bytes``, what notebook 08 plots) beside the peak that
   ``tracemalloc`` measures, which varies from process to process;
3. many nets at once, side by side: 10,000 2-2-1 ReLU nets on XOR, the original's
   initialisation, 300 epochs, trained by ``train_many`` (compiled loops, one
   thread per core), by ``train_many_with``
   with the original's gradient (notebook 06's studies), and, where installed,
   by JAX (jit, three formulations, ``peers.py``; ``make autodiff`` installs it)
   and PyTorch (float64, autograd, SGD; CPU-only: ``pip install torch==2.13.0
   --index-url https://download.pytorch.org/whl/cpu``), in net-epochs per second,
   each the best of several rounds that run every contender once in turn, with
   the cores each kept busy (JAX's XLA and PyTorch run their own threads);
4. with PyTorch, one net's training time per epoch against xorlib's backprop.

Every figure is the best of several repeats; ratios compare figures measured
in this run, so they hold on this machine, now. Timings never go in tests.

Before timing, the paths are checked against each other (the two gradient
methods to 1e-12, ``train_many`` against ``train``, every peer's final
parameters against ``train_many``'s to 1e-9): a wrong result exits with 1.
The speed targets (backprop no slower than the explicit path at n = 4, at
least 20x faster at n = 256; ``train_many`` and ``train_many_with`` at least
1.3x the fastest JAX formulation and 3x the faster batched PyTorch) are
reported as met or missed, and never change the exit code: a busy machine
can miss one.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import resource
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"  # before numpy loads BLAS; see the docstring

import numpy as np  # noqa: E402
from peers import jax_trainers, torch_trainer  # noqa: E402  (benchmarks/peers.py)

import xorlib  # noqa: E402
from xorlib.course.autodiff import jax_missing  # noqa: E402
from xorlib.studies.ensemble import init_many, train_many  # noqa: E402
from xorlib.studies.scaling import array_bytes, best_time, fit_slope, peak_memory  # noqa: E402
from xorlib.studies.wrong_gradients import train_many_with  # noqa: E402


def single_net_per_epoch(method, X, y, epochs, repeats):
    params = xorlib.init_params(0)
    return best_time(repeats, lambda: xorlib.train(params, X, y, lr=0.1, epochs=epochs, method=method)) / epochs


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

    return best_time(repeats, run) / epochs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats and epochs")
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else 5
    try:
        import torch
    except ImportError:
        torch = None

    print(f"machine: {cpu_name()}, {os.cpu_count()} cores, numpy {np.__version__} (SIMD up to {numpy_simd()}), "
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
    rounds = 2 if args.quick else 5
    print(f"\n3. Many nets at once, side by side: {MANY_NETS:,} 2-2-1 ReLU nets on XOR x {MANY_EPOCHS} epochs, "
          f"million net-epochs/s, best of {rounds} rounds")
    contenders, wrong = many_net_contenders(X, y, torch)
    if wrong:
        print("\nWrong results, so nothing more was timed:\n   " + "\n   ".join(wrong))
        return 1
    rates = many_net_rates(contenders, rounds)
    print(f"   {'':<32} {'rate':>6}   cores busy (process CPU time / wall time, of {os.cpu_count()})")
    for name, rate in rates.items():
        print(f"   {name:<32} {rate / 1e6:6.1f}   {cores_busy(contenders[name]):.1f}")
    for ours in ("xorlib train_many", "xorlib train_many_with original"):
        for peer, target in [("JAX", 1.3), ("PyTorch", 3.0)]:
            peers = {name: rate for name, rate in rates.items() if name.startswith(peer)}
            if peers:
                fastest = max(peers, key=peers.get)
                ratio = rates[ours] / peers[fastest]
                shown = math.floor(ratio * 100) / 100  # rounded down, so that a missed target never shows as met
                print(f"   {ours} / fastest {peer} ({fastest}): {shown:.2f}x")
                targets.append((f"{ours} at least {target}x the fastest {peer}", ratio >= target))
    if jax_missing():
        print(f"   JAX skipped: {jax_missing()}")
    if torch is None:
        print("   PyTorch skipped: torch is not installed (CPU-only build: pip install torch==2.13.0 "
              "--index-url https://download.pytorch.org/whl/cpu)")
        return report(targets)

    torch.set_num_threads(os.cpu_count() or 1)
    print(f"\n4. PyTorch {torch.__version__} (float64, autograd, SGD), {torch.get_num_threads()} threads")
    bp = single_net_per_epoch("backprop", X, y, 200, repeats)
    tsingle = torch_single_net_per_epoch(torch, X, y, 200, repeats)
    print(f"   single net on XOR, per epoch: xorlib backprop {bp * 1e6:.1f}us, PyTorch {tsingle * 1e6:.1f}us"
          f" -> xorlib is {tsingle / bp:.1f}x faster")
    return report(targets)


#: The many-net comparison: as many nets as notebooks 06 and 07 train at full size, and enough epochs
#: that a run takes a good fraction of a second.
MANY_NETS, MANY_EPOCHS, MANY_LR = 10_000, 300, 0.9
BLOCKS = ("W1", "b1", "w3", "b3")


def cores_busy(function) -> float:
    """Process CPU time over wall-clock time of one call: how many cores ``function`` kept busy."""
    before, start = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    function()
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / wall


def many_net_contenders(X, y, torch):
    """({name: train}, what is wrong): every contender trains the same nets, and is run once here to check it."""
    initial = init_many(MANY_NETS, 2, 2, "original", np.random.default_rng(0))
    kwargs = dict(n_nets=MANY_NETS, epochs=MANY_EPOCHS, lr=MANY_LR, initial=initial)
    contenders = {"xorlib train_many": lambda: train_many(X, y, **kwargs).final,
                  "xorlib train_many_with original": lambda: train_many_with(X, y, "original", **kwargs).result.final}
    if not jax_missing():
        contenders.update(jax_trainers(X, y, initial, MANY_EPOCHS, MANY_LR))
    if torch is not None:
        for threads in sorted({1, os.cpu_count() or 1}):
            contenders[f"PyTorch batched, {threads} thread{'s' * (threads > 1)}"] = torch_trainer(
                torch, X, y, initial, MANY_EPOCHS, MANY_LR, threads)
    reference = contenders["xorlib train_many"]()
    wrong = []
    for name, train in contenders.items():
        if name.startswith("xorlib"):
            continue  # train_many_with follows another gradient; tests tie both to xorlib.train
        final = train()
        gap = max(np.max(np.abs(getattr(final, block) - getattr(reference, block))) for block in BLOCKS)
        if not gap <= 1e-9:
            wrong.append(f"{name} ends {gap:.1e} away from train_many's parameters")
    return contenders, wrong


def many_net_rates(contenders, rounds):
    """Net-epochs per second of each contender, the best of ``rounds`` rounds that run each once in turn."""
    best = {name: np.inf for name in contenders}
    for _ in range(rounds):
        for name, train in contenders.items():
            start = time.perf_counter()
            train()
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: MANY_NETS * MANY_EPOCHS / seconds for name, seconds in best.items()}


def cpu_name() -> str:
    """The CPU's model and widest vector instructions, from /proc/cpuinfo where there is one."""
    try:
        info = open("/proc/cpuinfo").read()
    except OSError:
        return platform.machine()
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")),
                 platform.machine())
    flags = next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), [])
    vectors = "AVX-512" if "avx512f" in flags else "AVX2, no AVX-512" if "avx2" in flags else "no AVX2"
    return f"{model} ({platform.machine()}, {vectors})"


def numpy_simd() -> str:
    """The widest of numpy's SIMD targets in use (``NPY_DISABLE_CPU_FEATURES`` switches some off)."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    used = [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]
    return used[-1] if used else "its baseline"


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
