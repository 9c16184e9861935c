"""Build the student's xorlib: a wheel without the answer keys.

    make student-wheel                     # build/student/xorlib-0.1.0-py3-none-any.whl
    .venv/bin/python scripts/build_student_wheel.py --out DIR

The wheel holds everything a released notebook imports (the lesson, the
measurements, and the course machinery behind ``check``) but not
``xorlib/course/keys``, the worked solutions. ``check`` never reads them, so a
student who installs this wheel (``pip install xorlib-0.1.0-py3-none-any.whl``)
gets the same feedback and cannot import the answers. Beside it goes
``requirements.txt``, the checkout's exact pins with that wheel in place of the
checkout: in that folder, ``pip install -r requirements.txt`` installs what the
notebooks need. The solutions notebooks,
the nbgrader source and the tests read the keys from the full checkout.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = "xorlib.course.keys"


def build(out: Path) -> Path:
    """Write the wheel into ``out`` and return its path."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "xorlib-student"
        shutil.copytree(ROOT / "xorlib", source / "xorlib",
                        ignore=lambda folder, names: [n for n in names if n == "__pycache__"
                                                      or (Path(folder).name == "course" and n == "keys")])
        pyproject = (ROOT / "pyproject.toml").read_text()
        listed = f', "{KEYS}"'
        if listed not in pyproject:
            raise SystemExit(f"pyproject.toml's packages no longer list {KEYS} as expected; update this script")
        (source / "pyproject.toml").write_text(pyproject.replace(listed, ""))
        for name in ("README.md", "LICENSE"):
            shutil.copy(ROOT / name, source / name)
        for old in out.glob("xorlib-*.whl"):
            old.unlink()
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)],
                       check=True)
    (wheel,) = out.glob("xorlib-*.whl")
    # the student's pins: requirements.txt with the wheel in place of the checkout's editable install
    pins = (ROOT / "requirements.txt").read_text()
    if "\n-e .\n" not in pins:
        raise SystemExit("requirements.txt no longer installs xorlib with `-e .`; update this script")
    pins = [line for line in pins.replace("\n-e .\n", f"\n./{wheel.name}\n").splitlines()
            if line.strip() and not line.startswith("#")]
    (out / "requirements.txt").write_text(
        "# xorlib for a class: the collection's exact pins, and xorlib from the wheel beside this file,\n"
        "# without the answer keys. In this folder: pip install -r requirements.txt (Python 3.11 or newer)\n"
        + "\n".join(pins) + "\n")
    return wheel


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    args = parser.parse_args(argv)
    print(f"wrote {build(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
