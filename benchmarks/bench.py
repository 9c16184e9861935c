"""Speed of xorlib's gradient paths, measured side by side in one run.

    .venv/bin/python benchmarks/bench.py            # about 10 s idle; minutes with PyTorch (README: Measured times)
    .venv/bin/python benchmarks/bench.py --quick    # fewer repeats

Prints:
1. single-net training time per epoch, explicit Jacobians vs backprop, and
   their ratio, on XOR (n = 4) and on XOR repeated (n = 64, 256, 1024);
2. ``train_many`` throughput in net-epochs per second (2-2-1 ReLU on XOR,
   10,000 nets x 1,000 epochs);
3. where PyTorch is installed (CPU-only: ``pip install torch==2.13.0
   --index-url https://download.pytorch.org/whl/cpu``), the same two
   measurements for PyTorch (float64, autograd, SGD) and the ratios.

Every figure is the best of several repeats; ratios compare figures measured
in this run, so they hold on this machine, now. Timings never go in tests.

Targets (issue 13), checked at the end: on XOR (n = 4) backprop training is no
slower than the explicit-Jacobian path; at n = 256 it is at least 20x faster;
``train_many`` is at least 3x faster than batched PyTorch.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

import xorlib
from xorlib.ensemble import train_many


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

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"numpy {np.__version__}, python {platform.python_version()}")
    print(f"\n1. Single-net training, time per epoch (best of {repeats})")
    print(f"   {'n':>6} {'jacobian':>12} {'backprop':>12} {'jacobian/backprop':>18}")
    ratios = {}
    for copies in (1, 16, 64, 256):
        X, y = xorlib.repeated_xor(copies)
        epochs = 200 if copies <= 16 else 20
        jac = single_net_per_epoch("jacobian", X, y, epochs, repeats)
        bp = single_net_per_epoch("backprop", X, y, epochs, repeats)
        ratios[X.shape[0]] = jac / bp
        print(f"   {X.shape[0]:>6} {jac * 1e6:>10.1f}us {bp * 1e6:>10.1f}us {jac / bp:>17.1f}x")
    targets = [("n = 4: backprop no slower than the explicit path", ratios[4] >= 1.0),
               ("n = 256: backprop at least 20x faster", ratios[256] >= 20.0)]

    X, y = xorlib.xor_data()
    n_nets, epochs = 10_000, (200 if args.quick else 1000)
    seconds = best_of(max(2, repeats // 2), lambda: train_many(X, y, n_nets=n_nets, epochs=epochs, seed=0))
    many = n_nets * epochs / seconds
    print(f"\n2. train_many, 2-2-1 ReLU on XOR, {n_nets} nets x {epochs} epochs: {many / 1e6:.1f} million net-epochs/s")

    if torch is None:
        print("\n3. PyTorch comparison skipped: torch is not installed (CPU-only build: pip install torch==2.13.0 "
              "--index-url https://download.pytorch.org/whl/cpu)")
        return report(targets)
    print(f"\n3. PyTorch {torch.__version__} (float64, autograd, SGD), {torch.get_num_threads()} threads")
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
    print("\nTargets:")
    for label, met in targets:
        print(f"   {'met    ' if met else 'MISSED '} {label}")
    return 0 if all(met for _, met in targets) else 1


if __name__ == "__main__":
    raise SystemExit(main())
