"""Check that regenerating the notebooks changes nothing.

    .venv/bin/python scripts/check_regeneration.py     # about 2 min; .ci/run calls it

Runs ``make notebooks`` (every teaching notebook re-executed, then the
solutions rebuilt) and compares every file under ``notebooks/`` and
``solutions/`` with what was there before. Any difference fails, with the
cells that changed: a stored notebook must be a function of the code alone,
or each regeneration becomes a noisy diff that hides the real changes.
Typical causes: a timing or other measurement in a stored output, an unseeded
random draw, a random id. The regenerated files are left in place, so that
``git diff`` shows the change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("notebooks", "solutions")


def snapshot() -> dict[str, bytes]:
    return {str(path.relative_to(ROOT)): path.read_bytes()
            for folder in FOLDERS for path in sorted((ROOT / folder).glob("*.ipynb"))}


def what_changed(before: bytes, after: bytes) -> list[str]:
    """Which parts of one notebook differ: its metadata, and which cells."""
    old, new = json.loads(before), json.loads(after)
    found = [f"notebook metadata key {key!r}"
             for key in sorted(set(old["metadata"]) | set(new["metadata"]))
             if old["metadata"].get(key) != new["metadata"].get(key)]
    if len(old["cells"]) != len(new["cells"]):
        return found + [f"{len(old['cells'])} cells before, {len(new['cells'])} after"]
    for index, (a, b) in enumerate(zip(old["cells"], new["cells"])):
        if a == b:
            continue
        parts = [key for key in sorted(set(a) | set(b)) if key != "outputs" and a.get(key) != b.get(key)]
        outputs_a, outputs_b = a.get("outputs", []), b.get("outputs", [])
        if len(outputs_a) != len(outputs_b):
            parts.append(f"outputs ({len(outputs_a)} before, {len(outputs_b)} after)")
        for oa, ob in zip(outputs_a, outputs_b):
            data_a, data_b = oa.get("data", {}), ob.get("data", {})
            keys = sorted(k for k in set(data_a) | set(data_b) if data_a.get(k) != data_b.get(k))
            if oa.get("text") != ob.get("text"):
                keys.append(f"{oa.get('name', 'stream')} text")
            parts += [f"output {key}" for key in keys]
        first_line = "".join(a.get("source", "")).strip().splitlines()[:1]
        found.append(f"cell {index} of all cells, from 0 ({', '.join(parts) or 'layout'}): "
                     f"{first_line[0][:60] if first_line else ''}")
    return found


def main() -> int:
    before = snapshot()
    make = os.environ.get("MAKE", "make")
    if subprocess.run([make, "--no-print-directory", "notebooks"], cwd=ROOT).returncode != 0:
        print("\nmake notebooks failed (see above), so regeneration could not be checked.")
        return 2
    after = snapshot()
    report = []
    for name in sorted(set(before) | set(after)):
        if name not in before:
            report.append(f"{name}: created by the regeneration")
        elif name not in after:
            report.append(f"{name}: removed by the regeneration")
        elif before[name] != after[name]:
            report.append(f"{name}:\n    " + "\n    ".join(what_changed(before[name], after[name])))
    if report:
        print("\nRegenerating the notebooks changed them (see `git diff`):\n" + "\n".join(report))
        return 1
    print(f"\nRegeneration is reproducible: {len(after)} notebooks unchanged.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
