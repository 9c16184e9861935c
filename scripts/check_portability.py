"""Check that no stored output prints rounding noise: nbval under other arithmetic.

    make check-portability                               # about 2 min; .ci/run calls it after make test
    .venv/bin/python scripts/check_portability.py --probe-only   # only show what each profile changes

nbval compares every stored output character for character, so a cell that
prints the last digits of a float fails on a machine that rounds them
differently: another CPU generation (with or without AVX-512, Apple Silicon),
another OpenBLAS kernel, another number of BLAS threads. One machine can
emulate several of these:

- ``NPY_DISABLE_CPU_FEATURES`` limits numpy's SIMD dispatch, so that exp,
  log, tanh and the like take the code paths of an older CPU;
- ``OPENBLAS_CORETYPE`` picks OpenBLAS's kernel for another CPU, which sums
  a matrix product in another order;
- ``OPENBLAS_NUM_THREADS=1`` sums a long dot product in one piece instead of
  one piece per thread.

For each profile the script first shows that it really changes raw values
here (how many of a set of probe values differ in their last bits from the
default run, with one of them in full), so that the check can fail; then it
runs nbval over ``notebooks/`` and ``solutions/`` under it. Any failing cell,
or no profile changing any bit, fails the check. The default arithmetic is
``make test``'s own run. A stored output must print a stated bound ("below
1e-12") where a value is at rounding level, and round other values to digits
that are stable (CONTRIBUTING.md, "Portable outputs").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Run in a fresh interpreter under each profile: every probe value as float.hex, so that
#: two runs compare bit for bit. Each probe takes a path that one of the profiles changes.
PROBE = r"""
import json
import numpy as np
import xorlib

rng = np.random.default_rng(0)
x = np.linspace(-20.0, 20.0, 4001)
X, y = xorlib.noisy_xor(64, noise=0.1, rng=0)
losses = [xorlib.loss(xorlib.Params.from_vector(rng.normal(size=9)), X, y) for _ in range(200)]
A, B = rng.normal(size=(50, 300)), rng.normal(size=(300, 50))
u, v = rng.normal(size=10**6), rng.normal(size=10**6)
values = {
    "np.exp (SIMD)": np.exp(x),
    "np.log (SIMD)": np.log(np.abs(x) + 1e-3),
    "np.tanh (SIMD)": np.tanh(x / 4),
    "xorlib.loss at 200 random points": np.array(losses),
    "matrix product 50x300 @ 300x50 (BLAS kernel)": (A @ B).ravel(),
    "dot product of length 10^6 (BLAS threads)": np.array([u @ v]),
}
print(json.dumps({name: [float(t).hex() for t in value] for name, value in values.items()}))
"""


def dispatch_targets() -> tuple[list[str], dict[str, bool]]:
    """numpy's SIMD dispatch targets and which of them this CPU has."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return list(__cpu_dispatch__), {name: bool(__cpu_features__.get(name)) for name in __cpu_dispatch__}


def profiles() -> list[tuple[str, dict[str, str]]]:
    """(description, environment) of each profile this machine can emulate."""
    targets, found = dispatch_targets()
    have = [name for name in targets if found[name]]
    above_v3 = [name for name in have if name != "X86_V3"]
    result = []
    if platform.machine() in ("x86_64", "AMD64"):
        if above_v3:
            result.append(("x86-64-v3: numpy without AVX-512, OpenBLAS's Haswell kernel",
                           {"NPY_DISABLE_CPU_FEATURES": ",".join(above_v3), "OPENBLAS_CORETYPE": "Haswell"}))
        env = {"OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_NUM_THREADS": "1"}
        if have:
            env["NPY_DISABLE_CPU_FEATURES"] = ",".join(have)
        result.append(("x86-64-v2: numpy's baseline SIMD only, OpenBLAS's generic kernel, one BLAS thread", env))
    result.append(("one BLAS thread", {"OPENBLAS_NUM_THREADS": "1"}))
    return result


def probe(env: dict[str, str]) -> dict[str, list[str]]:
    run = subprocess.run([sys.executable, "-c", PROBE], env={**os.environ, **env}, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def show_changes(default: dict, changed: dict) -> int:
    """Print, per probe, how many values differ from the default run, with one of them; return the count."""
    total = 0
    for name, reference in default.items():
        differ = [i for i, (a, b) in enumerate(zip(reference, changed[name])) if a != b]
        total += len(differ)
        line = f"    {name:<46} {len(differ):>5} of {len(reference):>5} differ"
        if differ:
            i = differ[0]
            line += f"   e.g. {float.fromhex(reference[i])!r} -> {float.fromhex(changed[name][i])!r}"
        print(line)
    return total


def run_nbval(env: dict[str, str]) -> int:
    """nbval over notebooks/ and solutions/ under ``env``. A notebook with a failing cell is run
    once more on its own: a kernel that died at start (two kernels racing for a port) passes
    then, while a stored output that differs differs again, since each run is deterministic."""
    def pytest(paths, parallel):
        command = [sys.executable, "-m", "pytest", *paths, "-q", "-rfE", "-p", "no:cacheprovider"]
        run = subprocess.run(command + (["-n", "2", "--dist", "loadscope"] if parallel else []),
                             env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True)
        print(run.stdout[-20000:], run.stderr[-5000:], sep="", end="")
        return run

    run = pytest(["notebooks", "solutions"], parallel=True)
    if run.returncode == 0:
        return 0
    failing = sorted({line.split()[1].split("::")[0] for line in run.stdout.splitlines()
                      if line.startswith(("FAILED ", "ERROR ")) and "::" in line})
    if not failing:
        return run.returncode
    print(f"\n   running {len(failing)} notebook(s) with a failing cell once more, each on its own: "
          + ", ".join(failing))
    return pytest(failing, parallel=False).returncode


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--probe-only", action="store_true", help="show what each profile changes; run no notebook")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    default = probe({})
    changes, failed = {}, []
    for label, env in profiles():
        settings = " ".join(f"{key}={value}" for key, value in env.items())
        print(f"\n== {label}\n   {settings}\n   raw values that change against the default arithmetic:")
        changes[label] = show_changes(default, probe(env))
        if not changes[label]:
            print("   (none here: on this CPU this profile computes what the default does)")
        if not args.probe_only and run_nbval(env) != 0:
            failed.append(label)
    print()
    if not any(changes.values()):
        print("No profile changed any raw value on this machine, so this check could not fail here.")
        return 1
    if failed:
        print("Stored outputs differ under: " + "; ".join(failed) + ".\nA cell that prints rounding-level digits "
              "must print a stated bound instead (xorlib.gradcheck.error_text); see CONTRIBUTING.md.")
        return 1
    what = "probed" if args.probe_only else "every notebook and solution passed nbval under each"
    print(f"Portability: {len(changes)} profiles {what} ({time.perf_counter() - start:.0f} s).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
