"""Mutation check: plausible bugs in xorlib must fail the checks.

Each mutant is a copy of xorlib with one source line changed, imported under its
own package name. The checks of its suite are run against it: for the gradient
core those of ``gradient_checks`` (the same ones ``test_gradients.py`` runs on
xorlib); for training, the ensemble, the errata and the checker's diagnosis
those of ``mutant_checks``. A mutant is caught when one of them fails an
assertion or stops on one of xorlib's own validation errors. A crash (any other
exception) does not count. Every mutant must be caught.
"""

import importlib
import shutil
import sys
from pathlib import Path

import pytest

import gradient_checks
from mutant_checks import SUITES

PACKAGE = Path(__file__).resolve().parents[2] / "xorlib"

#: (name, file, original text, mutated text). Each original must occur exactly once. Every
#: mutant keeps the shapes right, so that only a wrong value can give it away.
MUTANTS = [
    ("table: ReLU Jacobian diag(min(1, h)) (error 1)", "edges.py",
     "jacobian=lambda p, f, y: _diag(step(f.z1))", "jacobian=lambda p, f, y: _diag(np.minimum(1.0, f.h1))"),
    ("backprop: ReLU derivative min(1, h) (error 1)", "backprop.py",
     "    g_z1 = step(f.z1) * p.w3[0] * g_z3", "    g_z1 = np.minimum(1.0, f.h1) * p.w3[0] * g_z3"),
    ("jacobian path: 1/n applied twice (error 2)", "loss.py",
     "    return -(y / y_hat - (1.0 - y) / (1.0 - y_hat)) / y.shape[0]",
     "    return -(y / y_hat - (1.0 - y) / (1.0 - y_hat)) / y.shape[0] / y.shape[0]"),
    ("backprop: 1/n applied twice (error 2)", "backprop.py",
     "    g_z3 = (f.y_hat - y) / n", "    g_z3 = (f.y_hat - y) / n / n"),
    ("table: sigmoid derivative ŷ(1 + ŷ)", "edges.py",
     "jacobian=lambda p, f, y: _diag(f.y_hat * (1.0 - f.y_hat))",
     "jacobian=lambda p, f, y: _diag(f.y_hat * (1.0 + f.y_hat))"),
    ("table: w3 components swapped in dz3/dh1", "edges.py",
     "jacobian=lambda p, f, y: p.w3[0] * np.eye(f.n)", "jacobian=lambda p, f, y: p.w3[1] * np.eye(f.n)"),
    ("backprop: w3 components swapped", "backprop.py",
     "    g_z1 = step(f.z1) * p.w3[0] * g_z3", "    g_z1 = step(f.z1) * p.w3[1] * g_z3"),
    ("jacobian path: wrong sign in grad_ŷ L", "loss.py",
     "    return -(y / y_hat - (1.0 - y) / (1.0 - y_hat)) / y.shape[0]",
     "    return (y / y_hat - (1.0 - y) / (1.0 - y_hat)) / y.shape[0]"),
    ("backprop: wrong sign of the output error", "backprop.py",
     "    g_z3 = (f.y_hat - y) / n", "    g_z3 = (y - f.y_hat) / n"),
    ("backprop: X instead of H for the output weights", "backprop.py",
     "w3=f.H.T @ g_z3, b3=g_z3.sum(),", "w3=f.X.T @ g_z3, b3=g_z3.sum(),"),
    ("backprop: b3 from the hidden error", "backprop.py",
     "w3=f.H.T @ g_z3, b3=g_z3.sum(),", "w3=f.H.T @ g_z3, b3=g_z1.sum(),"),
    ("jacobian path: chain started from -grad_ŷ L", "jacobians.py",
     "    products = {(): J.grad_y_hat}", "    products = {(): -J.grad_y_hat}"),
    ("forward: z2 takes b1 (the gradients no longer fit the loss)", "network.py",
     "    z2 = X @ p.w2 + p.b2", "    z2 = X @ p.w2 + p.b1"),
    ("ReLU derivative 1 on the kink side z < 0", "network.py",
     "    return (np.asarray(z) > 0).astype(np.float64)", "    return (np.asarray(z) > -0.1).astype(np.float64)"),
]
#: Beyond the gradient core, each with the suite of mutant_checks that must catch it.
MUTANTS += [
    ("descent: gradient ascent, θ + lr ∇L", "descent.py",
     "theta = params.to_vector() - lr * grads.to_vector()", "theta = params.to_vector() + lr * grads.to_vector()",
     "train"),
    ("train: half the learning rate", "train.py",
     "params = gradient_descent_step(params, grads, lr)",
     "params = gradient_descent_step(params, grads, lr / 2)", "train"),
    ("ensemble, plain gradient: 1/n applied twice (error 2)", "studies/ensemble.py",
     "    g_z3 /= n  # ∇_{z3} L = (y_hat - y) / n", "    g_z3 /= n * n", "ensemble"),
    ("ensemble, plain gradient: ReLU derivative min(1, h) (error 1)", "studies/ensemble.py",
     "        derivative = step(Z)\n", "        derivative = np.minimum(1.0, A)\n", "ensemble"),
    ("ensemble, fast loop: 1/n applied twice (error 2)", "studies/ensemble.py",
     "            np.multiply(g_z3, 1.0 / n, out=g_z3)", "            np.multiply(g_z3, 1.0 / n / n, out=g_z3)",
     "ensemble"),
    ("ensemble, fast loop: ReLU derivative min(1, h) (error 1)", "studies/ensemble.py",
     "            np.copyto(D, self.Z_mask.view(np.uint8))  # step(z)", "            np.minimum(self.A, 1.0, out=D)",
     "ensemble"),
    ("ensemble, fast loop: σ(z3) as e / (1 + e) for every z3", "studies/ensemble.py",
     "        np.copyto(num, self.z3_mask.view(np.uint8))", "        num[...] = 0.0", "ensemble"),
    ("ensemble, fast loop: w3 and b3 updated uphill", "studies/ensemble.py",
     "        np.subtract(self.V, G2[0], out=self.V)", "        np.add(self.V, G2[0], out=self.V)", "ensemble"),
    ("compiled loops, XOR's shape: b3 updated uphill", "studies/kernels.py",
     "        b3[k] = b3[k] - ((((s0[k] + s1[k]) + s2[k]) + s3[k]) * factor) * lr",
     "        b3[k] = b3[k] + ((((s0[k] + s1[k]) + s2[k]) + s3[k]) * factor) * lr", "ensemble"),
    ("compiled loops, XOR's shape: ∇w2 takes row 1's first input", "studies/kernels.py",
     "            w2[k] = c - ((((x01 * g0 + x11 * g1)", "            w2[k] = c - ((((x01 * g0 + x10 * g1)",
     "ensemble"),
    ("compiled loops, XOR's shape: z3 without the first unit", "studies/kernels.py",
     "                z0[k], z1[k], z2[k], z3_[k] = t0, t1, t2, t3",
     "                z0[k], z1[k], z2[k], z3_[k] = 0, 0, 0, 0", "ensemble"),
    ("compiled loops, any shape: σ(z3) as e / (1 + e) for every z3", "studies/kernels.py",
     "                numerator = 1.0 if z3_i[k] >= 0.0 else g[k]", "                numerator = g[k]", "ensemble"),
    ("compiled loops, XOR's shape: the original's min(1, h) with cap 2", "studies/kernels.py",
     "        derivative = 1.0 if h >= 1.0 else h", "        derivative = 2.0 if h >= 1.0 else h", "ensemble"),
    ("errata: error 2 as 1/4 (n hard-coded)", "errata.py",
     "    return 1.0 / n\n", "    return 1.0 / ORIGINAL_N\n", "errata"),
    ("errata: error 3 lost (np.ones((n,)))", "errata.py",
     "    ones = np.ones((ORIGINAL_N,)) if 3 in errors else np.ones((n,))", "    ones = np.ones((n,))", "errata"),
    ("errata: error 1 lost (the ReLU Jacobian corrected)", "errata.py",
     "    if 1 not in errors:\n        return J\n", "    if True:\n        return J\n", "errata"),
    ("diagnosis: 'no mean' described with the factor 1/n", "course/mistakes.py",
     "Mistake(\"no mean\", missing, each(lambda p: p.n))", "Mistake(\"no mean\", missing, each(lambda p: 1 / p.n))",
     "diagnosis"),
    ("diagnosis: 'mean twice' never tried", "course/mistakes.py",
     "    found = [Mistake(\"mean twice\", twice, each(lambda p: 1 / p.n)),",
     "    found = [Mistake(\"mean twice\", twice, each(lambda p: 1.0)),", "diagnosis"),
    ("sandbox: the time limit written as 3000 s", "course/sandbox.py", "TIME_LIMIT = 3.0\n", "TIME_LIMIT = 3000.0\n",
     "sandbox"),
    ("diagnosis: a hard-coded n looked for at n = 8", "course/diagnosis.py",
     'SIZES = {"n": 4, "d": 2}', 'SIZES = {"n": 8, "d": 2}', "diagnosis"),
    ("engine: a gradient overwritten at a fan-out", "engine.py",
     "parent.grad = parent.grad + g  # summed at a fan-out", "parent.grad = g  # summed at a fan-out", "engine"),
    ("engine: gradients not cleared between sweeps", "engine.py",
     "node.grad = np.zeros_like(node.value)  # cleared",
     "node.grad = np.zeros_like(node.value) if node.grad is None else node.grad  # cleared", "engine"),
    ("engine: seeded with 2", "engine.py", "loss.grad = np.ones_like(loss.value)",
     "loss.grad = 2 * np.ones_like(loss.value)", "engine"),
    ("engine: a broadcast bias averaged over the rows", "engine.py", "return g.sum(axis=", "return g.mean(axis=",
     "engine"),
    ("engine: softmax cross-entropy without its 1/n", "engine.py",
     "_one_hot(nd.data, nd.parents[0].value.shape[1])) / nd.data.shape[0],)),",
     "_one_hot(nd.data, nd.parents[0].value.shape[1])),)),", "engine"),
]

def load_mutant(tmp_path, index, file, original, mutated):
    name = f"xorlib_mutant_{index}"
    target = tmp_path / name
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    source = (target / file).read_text()
    assert source.count(original) == 1, f"mutant {index}: the original text is not in {file} exactly once"
    (target / file).write_text(source.replace(original, mutated))
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(tmp_path))


def _raised_by_xorlib(error, module) -> bool:
    """Whether ``error`` is a documented validation error: a ValueError or TypeError that the
    package's own code raised (its innermost frame is in the package), not numpy's or Python's."""
    if not isinstance(error, (ValueError, TypeError)):
        return False
    tb = error.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_filename.startswith(str(Path(module.__file__).parent))


def checks_of(suite):
    return gradient_checks.ALL_CHECKS if suite == "gradient" else SUITES[suite]


def first_failing_check(module, suite="gradient"):
    """The first check of ``suite`` that catches the module: by an assertion, or by a documented
    validation error. Any other exception (a crash) does not count as caught; the next check is tried."""
    for label, check in checks_of(suite):
        try:
            check(module)
        except AssertionError:
            return f"{label} (AssertionError)"
        except Exception as error:
            if _raised_by_xorlib(error, module):
                return f"{label} ({type(error).__name__} from xorlib's validation)"
    return None


@pytest.mark.parametrize("index", range(len(MUTANTS)), ids=[m[0] for m in MUTANTS])
def test_mutant_is_caught_by_the_gradient_checks(tmp_path, index, record_property):
    name, file, original, mutated, *suite = MUTANTS[index]
    module = load_mutant(tmp_path, index, file, original, mutated)
    try:
        caught_by = first_failing_check(module, *suite)
    finally:
        for key in [k for k in sys.modules if k.startswith(module.__name__)]:
            del sys.modules[key]
    record_property("mutant", (name, caught_by, len(MUTANTS)))  # reported in the terminal summary (conftest.py)
    assert caught_by is not None, f"mutant survived: {name}"


def test_unmutated_copy_passes_every_check(tmp_path):
    # Guards the harness: a copy with no change must survive, or "caught" means nothing.
    module = load_mutant(tmp_path, "none", "network.py", "def relu(z):", "def relu(z):")
    try:
        for suite in ["gradient", *SUITES]:
            assert first_failing_check(module, suite) is None, suite
    finally:
        for key in [k for k in sys.modules if k.startswith(module.__name__)]:
            del sys.modules[key]
