"""Hand an assignment out and collect it back as zip files, for a class without nbgrader's exchange (an LMS).

    .venv/bin/python scripts/course_zips.py hand-out 08a_write_backward
        # build/course/zips/08a_write_backward.zip: upload it to the LMS
    .venv/bin/python scripts/course_zips.py collect 08a_write_backward ~/Downloads/submissions
        # <student>.zip or <student>/ in that folder -> build/course/submitted/<student>/08a_write_backward/

Then grade as with the exchange: ``nbgrader autograde 08a_write_backward``. A
student's zip (or folder) may hold the notebooks at its top or inside one
folder; only the assignment's own notebooks are taken from it, by name, so a
stray file or a path such as ``../x`` in an archive is ignored. Name each zip or
folder after the student: that name is the student's id in the gradebook. A
loose notebook as an LMS downloads it, ``<student>_<anything>_<notebook>.ipynb``
(e.g. ``alice_4711_08a_write_backward.ipynb``), counts for the student named
before its first underscore.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "build" / "course"
STUDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def released(course: Path, assignment: str) -> list[Path]:
    """The assignment's notebooks in release/, as ``nbgrader generate_assignment`` wrote them."""
    found = sorted((course / "release" / assignment).glob("*.ipynb"))
    if not found:
        raise SystemExit(f"no released notebooks in {course / 'release' / assignment}: run make assignments first")
    return found


def hand_out(course: Path, assignment: str) -> Path:
    """zips/<assignment>.zip with the released notebooks in a folder named after the assignment."""
    target = course / "zips" / f"{assignment}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in released(course, assignment):
            archive.write(path, f"{assignment}/{path.name}")
    return target


def collect(course: Path, assignment: str, folder: Path) -> dict[str, list[str]]:
    """Copy each student's notebooks from ``folder`` (``<student>.zip`` or ``<student>/``) into
    submitted/<student>/<assignment>/; return {student: the notebooks found}."""
    names = {path.name for path in released(course, assignment)}
    found = {}
    for entry in sorted(folder.iterdir()):
        loose = entry.is_file() and entry.suffix == ".ipynb"
        if loose:  # an LMS download: <student>_<anything>_<notebook>.ipynb
            name = next((n for n in names if entry.name.endswith("_" + n) or entry.name == n), None)
            student = entry.name.split("_")[0]
            if name is None or entry.name == name or not STUDENT.match(student):
                continue
            target = course / "submitted" / student / assignment
            target.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(entry.read_bytes())
            found[student] = sorted(set(found.get(student, [])) | {name})
            continue
        student = entry.stem if entry.suffix == ".zip" else entry.name
        if not (entry.is_dir() or entry.suffix == ".zip") or not STUDENT.match(student):
            continue
        target = course / "submitted" / student / assignment
        taken = []
        if entry.is_dir():
            for path in entry.rglob("*.ipynb"):
                if path.name in names and ".ipynb_checkpoints" not in path.parts:
                    target.mkdir(parents=True, exist_ok=True)
                    (target / path.name).write_bytes(path.read_bytes())
                    taken.append(path.name)
        else:
            with zipfile.ZipFile(entry) as archive:
                for info in archive.infolist():
                    name = Path(info.filename).name  # the name alone: no path from the archive is used
                    if name in names and ".ipynb_checkpoints" not in info.filename and not info.is_dir():
                        target.mkdir(parents=True, exist_ok=True)
                        (target / name).write_bytes(archive.read(info))
                        taken.append(name)
        found[student] = sorted(set(taken))
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--course", type=Path, default=COURSE, help=f"course directory (default: {COURSE})")
    commands = parser.add_subparsers(dest="command", required=True)
    out = commands.add_parser("hand-out", help="zip the released notebooks of an assignment")
    out.add_argument("assignment")
    back = commands.add_parser("collect", help="take students' zips or folders into submitted/")
    back.add_argument("assignment")
    back.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "hand-out":
        print(f"wrote {hand_out(args.course, args.assignment)}")
        return 0
    found = collect(args.course, args.assignment, args.folder)
    for student, notebooks in found.items():
        print(f"  {student:<20} {', '.join(notebooks) if notebooks else 'no notebook of this assignment'}")
    print(f"collected {sum(bool(v) for v in found.values())} of {len(found)} students into "
          f"{args.course / 'submitted'}; next: nbgrader autograde {args.assignment}")
    if not found:
        print(f"nothing found in {args.folder}: expected <student>.zip, <student>/ folders, or loose notebooks "
              f"named <student>_..._<notebook>.ipynb", file=sys.stderr)
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
