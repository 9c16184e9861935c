"""Mutation check: plausible bugs in the gradient code must fail the gradient checks.

Each mutant is a copy of xorlib with one source line changed, imported under its
own package name. The checks of ``gradient_checks`` (the same ones
``test_gradients.py`` runs on xorlib) are run against it; a mutant is caught
when at least one of them fails. Every mutant must be caught.
"""

import importlib
import shutil
import sys
from pathlib import Path

import pytest

import gradient_checks

PACKAGE = Path(__file__).resolve().parents[1] / "xorlib"

#: (name, file, original text, mutated text). Each original must occur exactly once.
MUTANTS = [
    ("jacobian path: ReLU Jacobian diag(min(1, h))", "jacobians.py",
     "    return np.diag(_relu_derivative(z))", "    return np.diag(np.minimum(1.0, np.maximum(z, 0.0)))"),
    ("backprop: ReLU derivative min(1, h)", "backprop.py",
     "    g_Z = _relu_derivative(Z) * (g_z3[:, None] * theta[6:8])",
     "    g_Z = np.minimum(1.0, H) * (g_z3[:, None] * theta[6:8])"),
    ("jacobian path: 1/n applied twice", "loss.py",
     "    return -(y / y_hat - (1.0 - y) / (1.0 - y_hat)) / y.shape[0]",
     "    return -(y / y_hat - (1.0 - y) / (1.0 - y_hat)) / y.shape[0] / y.shape[0]"),
    ("backprop: 1/n applied twice", "loss.py",
     "    return (y_hat - y) / y.shape[0]", "    return (y_hat - y) / y.shape[0] ** 2"),
    ("jacobian path: dropped transpose of dz1/dw1", "jacobians.py",
     "        J.z1_w1.T @ g_z1, J.z1_b1.T @ g_z1,", "        J.z1_w1 @ g_z1, J.z1_b1.T @ g_z1,"),
    ("backprop: dropped transpose of H", "backprop.py",
     "    grad[2, :2] = g_z3 @ H  # ∇_{w3} L = Hᵀ g_z3", "    grad[2, :2] = H @ g_z3  # ∇_{w3} L = Hᵀ g_z3"),
    ("backprop: dropped transpose of the hidden-weight gradient block", "backprop.py",
     "    grad[:2, :2] = g_Z.T @ X  # row k: ∇_{wk} L = Xᵀ g_zk",
     "    grad[:2, :2] = X.T @ g_Z  # row k: ∇_{wk} L = Xᵀ g_zk"),
    ("sigmoid derivative as y'(1 + y')", "network.py",
     "    return y_hat * (1.0 - y_hat)", "    return y_hat * (1.0 + y_hat)"),
    ("jacobian path: w3 components swapped in dz3/dh", "jacobians.py",
     "        z3_h1=jacobian_z3_h(theta[6], n),", "        z3_h1=jacobian_z3_h(theta[7], n),"),
    ("backprop: w3 components swapped", "backprop.py",
     "    g_Z = _relu_derivative(Z) * (g_z3[:, None] * theta[6:8])",
     "    g_Z = _relu_derivative(Z) * (g_z3[:, None] * theta[[7, 6]])"),
    ("jacobian path: wrong sign in grad_y' L", "loss.py",
     "    return -(y / y_hat - (1.0 - y) / (1.0 - y_hat)) / y.shape[0]",
     "    return (y / y_hat - (1.0 - y) / (1.0 - y_hat)) / y.shape[0]"),
    ("backprop: wrong sign of the output error", "loss.py",
     "    return (y_hat - y) / y.shape[0]", "    return (y - y_hat) / y.shape[0]"),
    ("ReLU derivative 1 at the kink side z < 0", "network.py",
     "    return (np.asarray(z) > 0).astype(np.float64)", "    return (np.asarray(z) > -0.1).astype(np.float64)"),
]

RESULTS = {}  # name -> the first check that caught it, or None; reported in the terminal summary


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


def first_failing_check(module):
    for label, check in gradient_checks.ALL_CHECKS:
        try:
            check(module)
        except Exception as error:  # AssertionError, or a shape error the tests would also hit
            return f"{label} ({type(error).__name__})"
    return None


@pytest.mark.parametrize("index", range(len(MUTANTS)), ids=[m[0] for m in MUTANTS])
def test_mutant_is_caught_by_the_gradient_checks(tmp_path, index):
    name, file, original, mutated = MUTANTS[index]
    module = load_mutant(tmp_path, index, file, original, mutated)
    try:
        caught_by = first_failing_check(module)
    finally:
        for key in [k for k in sys.modules if k.startswith(module.__name__)]:
            del sys.modules[key]
    RESULTS[name] = caught_by
    assert caught_by is not None, f"mutant survived: {name}"


def test_unmutated_copy_passes_every_check(tmp_path):
    # Guards the harness: a copy with no change must survive, or "caught" means nothing.
    module = load_mutant(tmp_path, "none", "network.py", "def relu(z):", "def relu(z):")
    try:
        assert first_failing_check(module) is None
    finally:
        for key in [k for k in sys.modules if k.startswith(module.__name__)]:
            del sys.modules[key]
