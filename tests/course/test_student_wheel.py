"""make student-wheel: the student's xorlib checks every answer but carries no answer keys."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
import build_student_wheel  # noqa: E402  (scripts/, on pytest's pythonpath)

#: Run with only the unpacked wheel importable as xorlib (the checkout's editable install switched off).
SCRIPT = r"""
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(type(f), "__module__", "")]
sys.path.insert(0, sys.argv[1])
import numpy as np
import xorlib
from xorlib.course import EXERCISES, check
assert xorlib.__file__.startswith(sys.argv[1]), xorlib.__file__

def backward(params, X, y):
    f = xorlib.forward(params, X)
    g_z3 = (f.y_hat - y) / X.shape[0]
    g_z1 = (f.z1 > 0) * params.w3[0] * g_z3
    g_z2 = (f.z2 > 0) * params.w3[1] * g_z3
    return xorlib.Params(w1=X.T @ g_z1, b1=g_z1.sum(), w2=X.T @ g_z2, b2=g_z2.sum(), w3=f.H.T @ g_z3, b3=g_z3.sum())

print("short answer:", check("01.2", (8, 2)).status)
print("backward:", check("08a.1", backward).status)
print("delegating:", check("08a.1", lambda p, X, y: xorlib.gradients(p, X, y)).status)
for reach in (lambda: __import__("xorlib.course.keys"), lambda: EXERCISES["01.2"].solution,
              lambda: EXERCISES["08a.1"].solution):
    try:
        reach()
        print("answer key: found")
    except ModuleNotFoundError:
        print("answer key: not installed")
"""


def test_the_student_wheel_checks_answers_without_the_keys(tmp_path):
    wheel = build_student_wheel.build(tmp_path / "wheel")
    names = zipfile.ZipFile(wheel).namelist()
    assert "xorlib/course/exercises.py" in names and "xorlib/network.py" in names
    assert not [name for name in names if "/keys/" in name]
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(site)], capture_output=True, text=True, cwd=tmp_path,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["short answer: correct", "backward: correct", "delegating: wrong",
                                       "answer key: not installed", "answer key: not installed",
                                       "answer key: not installed"]
    # the student's pins: the checkout's, with the wheel in place of the editable checkout
    pins = (tmp_path / "wheel" / "requirements.txt").read_text().splitlines()
    checkout = (ROOT / "requirements.txt").read_text().splitlines()
    assert [line for line in pins if line != f"./{wheel.name}" and not line.startswith("#")] == [
        line for line in checkout if line != "-e ." and line.strip() and not line.startswith("#")]
    assert f"./{wheel.name}" in pins
