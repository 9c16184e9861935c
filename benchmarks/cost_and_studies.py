"""Measurements behind notebooks 06 to 08 from more seeds, and timings, which are machine-dependent.

    .venv/bin/python benchmarks/cost_and_studies.py            # a minute or two
    .venv/bin/python benchmarks/cost_and_studies.py --quick    # 2,000 nets where the full run has 10,000

Notebooks 06 and 07 run their studies at full size, 10,000 starts per set-up (a rate's standard
error is then at most 0.5 points), within a Run-All of under 5 s: ``train_many`` runs compiled
loops on every core (README, "Benchmarks"). This script repeats the same set-ups (the original's
initialisation unless said, lr 0.9, 1000 epochs), 10,000 nets each, from other seeds, to show how
far a rate moves from one set of starts to another. It prints:

1. notebook 06's four-gradient table, solve rates and outcome classes (``classify``): the
   notebook's seed 0, and seeds 1 and 2;
2. notebook 06's cosine between the original's update and the true gradient, every 10 epochs
   along whole runs of the original's gradient: seed 2 (the notebook's is seed 1);
3. notebook 06's comparison of the two gradients under zero biases and He's initialisation:
   seed 2 (the notebook's is seed 1);
4. notebook 07's set-ups: training 2000 more epochs, the widths 2, 3, 4 and 8, the three
   initialisations at lr 0.1, 0.9 and 3.0 with the outcome classes at lr 0.9, and ReLU'(0) = 0,
   0.5 and 1: seed 1 (the notebook's are seed 0);
5. wall-clock time of one gradient, explicit Jacobians against backprop, for growing n,
   measured side by side in this run, next to the multiplications counted by
   ``xorlib.studies.opcount``, and the fitted log-log slopes (notebook 08 plots the counts).

Timings hold on this machine, now; they never go in a notebook's stored output or a test.
"""

from __future__ import annotations

import argparse

import numpy as np

import xorlib
from xorlib.studies.ensemble import OUTCOMES, classify, train_many
from xorlib.studies.opcount import multiplies
from xorlib.studies.scaling import fit_slope, time_gradients
from xorlib.studies.wrong_gradients import train_many_with

SET_UPS = {"true": ("true", 0.9), "original": ("original", 0.9),
           "ReLU error only": ("relu_error", 0.9), "true at lr/4": ("true", 0.225)}


def solve_rates(n_nets: int, seeds) -> None:
    X, y = xorlib.xor_data()
    for seed in seeds:
        print(f"\n{n_nets:,} starts, seed {seed}")
        print(f"{'':<31}" + "".join(f"{name:>17}" for name in SET_UPS))
        labels = {name: classify(train_many_with(X, y, gradient, n_nets=n_nets, lr=lr, seed=seed).result, X, y)
                  for name, (gradient, lr) in SET_UPS.items()}
        for outcome in OUTCOMES:
            print(f"{outcome:<31}" + "".join(f"{np.mean(label == outcome):17.1%}" for label in labels.values()))


def cosines_along_runs(n_nets: int) -> None:
    X, y = xorlib.xor_data()
    study = train_many_with(X, y, "original", n_nets=n_nets, seed=2, cosine_every=10)
    solved = study.result.solved
    print(f"\ncos(original update, true gradient) along {n_nets:,} runs (solved {solved.mean():.1%})")
    for epoch in [0, 10, 50, 100, 300, 1000]:
        row = study.cosines[epoch // 10]
        print(f"  epoch {epoch:>4}: median solved {np.nanmedian(row[solved]):.3f}, failed "
              f"{np.nanmedian(row[~solved]):.3f}, cos < 0 {np.nanmean(row < 0):.1%}")
    print(f"  runs with cos < 0 at some recorded epoch: {np.mean(np.nanmin(study.cosines, axis=0) < 0):.1%}")


def other_initialisations(n_nets: int) -> None:
    """Notebook 06's last table: the true and the original's gradient under two other initialisations."""
    X, y = xorlib.xor_data()
    print(f"\nsolved, {n_nets:,} starts each (seed 2):  {'true':>7} {'original':>9}")
    for init in ["uniform_zero_bias", "he"]:
        rates = [train_many_with(X, y, gradient, n_nets=n_nets, seed=2, init=init).result.solve_rate
                 for gradient in ("true", "original")]
        print(f"  {init:<30} {rates[0]:7.1%} {rates[1]:9.1%}")


def set_up_rates(n_nets: int) -> None:
    """Notebook 07's set-ups: longer training, width, initialisation x learning rate and ReLU'(0), seed 1."""
    X, y = xorlib.xor_data()
    print(f"\nnotebook 07's set-ups, {n_nets:,} nets each (seed 1, 1000 epochs)")
    shorter = train_many(X, y, n_nets, lr=0.9, seed=1)
    longer = train_many(X, y, n_nets, epochs=2000, lr=0.9, initial=shorter.final)
    print(f"  solved after 1000 epochs {shorter.solve_rate:.1%}, after 3000 {longer.solve_rate:.1%}; "
          f"failed then solved: {np.sum(longer.solved & ~shorter.solved)}")
    for hidden in [2, 3, 4, 8]:
        rate = train_many(X, y, n_nets, lr=0.9, seed=1, hidden=hidden).solve_rate
        print(f"  hidden units {hidden}: solved {rate:6.1%}")
    lrs, inits = [0.1, 0.9, 3.0], ["original", "uniform_zero_bias", "he"]
    runs = {(init, lr): train_many(X, y, n_nets, lr=lr, seed=1, init=init) for init in inits for lr in lrs}
    print(f"  {'init':<18} " + " ".join(f"{'lr ' + str(lr):>9}" for lr in lrs))
    for init in inits:
        print(f"  {init:<18} " + " ".join(f"{runs[init, lr].solve_rate:9.1%}" for lr in lrs))
    print(f"  outcomes at lr 0.9: {'':<11}" + " ".join(f"{init:>18}" for init in inits))
    labels = {init: classify(runs[init, 0.9], X, y) for init in inits}
    for name in OUTCOMES:
        print(f"  {name:<31}" + " ".join(f"{np.mean(labels[init] == name):18.1%}" for init in inits))
    for init in ["original", "uniform_zero_bias"]:
        rates = [train_many(X, y, n_nets, lr=0.9, seed=1, init=init, relu_prime_at_zero=c).solve_rate
                 for c in (0.0, 0.5, 1.0)]
        print(f"  relu'(0) = 0, 0.5, 1 with {init}: " + ", ".join(f"{r:.1%}" for r in rates))


def gradient_times(max_exponent: int) -> None:
    print("\none gradient: best-of-3 seconds and counted multiplications")
    print(f"{'n':>7} {'jacobian s':>11} {'backprop s':>11} {'ratio':>7} {'mult. jacobian':>15} {'mult. backprop':>15}")
    ns = [2**k for k in range(2, max_exponent + 1, 2)]
    times = {"jacobian": [], "backprop": []}
    for n in ns:
        for method in times:
            times[method].append(time_gradients(method, n, repeats=3))
        print(f"{n:>7} {times['jacobian'][-1]:11.2e} {times['backprop'][-1]:11.2e} "
              f"{times['jacobian'][-1] / times['backprop'][-1]:7.1f} "
              f"{multiplies('right to left, δ3 δ1 δ2 shared', n):15,d} "
              f"{multiplies('elementwise, δ3 δ1 δ2 shared', n):15,d}")
    for method, seconds in times.items():
        print(f"{method} time ~ n^{fit_slope(ns[-3:], seconds[-3:]):.1f} (three largest n)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 starts, one seed, n up to 1024")
    args = parser.parse_args()
    if args.quick:
        solve_rates(2000, seeds=[0])
        cosines_along_runs(2000)
        other_initialisations(2000)
        set_up_rates(2000)
        gradient_times(10)
    else:
        solve_rates(10_000, seeds=[0, 1, 2])
        cosines_along_runs(10_000)
        other_initialisations(10_000)
        set_up_rates(10_000)
        gradient_times(12)


if __name__ == "__main__":
    main()
