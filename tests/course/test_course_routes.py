"""Handing an assignment to a class and collecting it back, both routes of INSTRUCTORS.md, for real.

One assignment (notebook 04, two exercises) goes out:
- through nbgrader's exchange: ``release_assignment``, a student's ``fetch_assignment`` and
  ``submit``, the instructor's ``collect``;
- as a zip for an LMS (``scripts/course_zips.py hand-out``), answered and zipped back by one student,
  handed back untouched, as a folder, by another, and downloaded loose, as an LMS names it, for a third
  (``scripts/course_zips.py collect``).
Then ``nbgrader autograde`` grades all three, and the gradebook holds the scores.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import build_assignments  # scripts/, on pytest's pythonpath
import course_zips
import nbformat
import pytest

from xorlib.course.exercises import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "04_the_relu_kink"


def answer_everything(path: Path) -> None:
    """Put each exercise's worked solution in its answer cell, as a student who got everything right."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("answer_"):
            exercise = grade_id.removeprefix("answer_").replace("_", ".")
            check = next(line for line in cell.source.splitlines() if build_assignments.CHECK.match(line))
            cell.source = f"{EXERCISES[exercise].solution}\n{check}"
    nbformat.write(nb, path)


def nbgrader_as_student(cwd: Path, *args: str, exchange: Path) -> None:
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    subprocess.run([sys.executable, "-m", "nbgrader", *args, "--course", "xorlib", f"--Exchange.root={exchange}"],
                   cwd=cwd, env=env, check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from nbgrader.api import Gradebook
    from nbgrader.utils import get_username

    course = tmp_path_factory.mktemp("course")
    build_assignments.write_course(course, {ASSIGNMENT: [ROOT / "notebooks" / f"{ASSIGNMENT}.ipynb"]})
    build_assignments.release(course, ASSIGNMENT)

    # the exchange: release, fetch, answer, submit, collect
    build_assignments.nbgrader(course, "release_assignment", ASSIGNMENT, "--force")
    home = tmp_path_factory.mktemp("student_home")
    nbgrader_as_student(home, "fetch_assignment", ASSIGNMENT, exchange=course / "exchange")
    answer_everything(home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    nbgrader_as_student(home, "submit", ASSIGNMENT, exchange=course / "exchange")
    build_assignments.nbgrader(course, "collect", ASSIGNMENT)
    exchange_student = get_username()

    # the LMS: a zip out; one student's zip and another's folder back
    handed_out = course_zips.hand_out(course, ASSIGNMENT)
    uploads = tmp_path_factory.mktemp("uploads")
    with zipfile.ZipFile(handed_out) as archive:
        archive.extractall(uploads / "bob_work")
        archive.extractall(uploads / "carol")
    answer_everything(uploads / "bob_work" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    with zipfile.ZipFile(uploads / "bob.zip", "w") as archive:
        archive.write(uploads / "bob_work" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", f"{ASSIGNMENT}.ipynb")
        archive.writestr("../escape.ipynb", "{}")  # a path out of the folder, which collect must ignore
    # dan's notebook as an LMS downloads it: loose, named <student>_<submission id>_<notebook>
    shutil.copy(uploads / "bob_work" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", uploads / f"dan_4711_{ASSIGNMENT}.ipynb")
    shutil.rmtree(uploads / "bob_work")
    collected = course_zips.collect(course, ASSIGNMENT, uploads)

    build_assignments.nbgrader(course, "autograde", ASSIGNMENT, "--force")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {student: (gradebook.find_submission(ASSIGNMENT, student).score,
                            gradebook.find_submission(ASSIGNMENT, student).max_score)
                  for student in [exchange_student, "bob", "carol", "dan"]}
    return course, exchange_student, collected, scores


def test_the_exchange_route_releases_collects_and_grades(course):
    course_dir, student, _, scores = course
    assert (course_dir / "exchange" / "xorlib" / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
    assert (course_dir / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
    assert scores[student] == (2.0, 2.0)


def test_the_zip_route_hands_out_and_collects_zips_and_folders(course):
    course_dir, _, collected, scores = course
    with zipfile.ZipFile(course_dir / "zips" / f"{ASSIGNMENT}.zip") as archive:
        assert archive.namelist() == [f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"]
    assert collected == {"bob": [f"{ASSIGNMENT}.ipynb"], "carol": [f"{ASSIGNMENT}.ipynb"],
                         "dan": [f"{ASSIGNMENT}.ipynb"]}
    assert not (course_dir / "submitted" / "escape.ipynb").exists()
    assert not (course_dir / "submitted" / "bob" / "escape.ipynb").exists()
    assert scores["bob"] == (2.0, 2.0)
    assert scores["carol"] == (0.0, 2.0)  # handed back as handed out
    assert scores["dan"] == (2.0, 2.0)  # a loose download, named as an LMS names it


def test_collect_says_what_it_needs(tmp_path):
    with pytest.raises(SystemExit, match="no released notebooks in .*: run make assignments first"):
        course_zips.hand_out(tmp_path, ASSIGNMENT)
