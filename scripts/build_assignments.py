"""Build an nbgrader course from the teaching notebooks and xorlib.course.exercises.

    make assignments                                   # build/course: source/ and release/
    .venv/bin/python scripts/build_assignments.py --out /tmp/course --no-release

Nothing is written twice. Each teaching notebook becomes one assignment,
``source/<notebook>/<notebook>.ipynb``: the same cells, with every exercise
turned into two nbgrader cells:

- the answer cell: the student's starter code (``answer = ...`` for a short
  answer, a function to complete for a coding exercise), then a solution
  region (``### BEGIN SOLUTION`` / ``### END SOLUTION``) holding the solution
  stored in ``xorlib.course.exercises``, then the same instant-feedback ``check``;
- a graded cell worth the exercise's points, locked: ``graded(id, answer)`` is None
  in a student's run and, when nbgrader autogrades, the same ``check``'s feedback,
  which the cell asserts is correct. It reads the same in the release, so the released
  notebook runs top to bottom without stopping there, and nbgrader finds every
  locked cell as it left it (no "checksum has changed" warnings);
- after nbgrader's run, ``xorlib.course.grading.FreshJudge`` judges the
  submission again in a fresh process that it cannot reach into; a graded cell
  keeps its points only if both say "correct".

``nbgrader generate_assignment`` then writes ``release/``, where each solution
region is removed (its stub, set in the course's ``nbgrader_config.py``, is
empty), leaving the starter code: every answer cell reads as in the teaching
notebook, and an untouched release runs cleanly and scores zero.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
COURSE = ROOT / "build" / "course"
CHECK = re.compile(r'^check\("(?P<id>[0-9]{2}[a-z]?\.[0-9]+)",\s*(?P<name>\w+)\)\s*$')
STUB = ""  #: what replaces a solution region in the release: nothing, the starter code above it stays
#: From feedback/<student>/<assignment>/<notebook>.html to the course's one copy of MathJax, feedback/mathjax.
FEEDBACK_MATHJAX = "../../mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
CONFIG = f'''# nbgrader configuration of the xorlib course, written by scripts/build_assignments.py
c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = "xorlib"
# A solution region is removed from the release, leaving the starter code above it
# (answer = ..., or a function to complete), which runs and checks as "not answered yet".
c.ClearSolutions.code_stub = {{"python": {STUB!r}}}
c.Execute.timeout = 300
# nbgrader's exchange (release_assignment, fetch_assignment, submit, collect): a folder every student can
# write. Here the course's own exchange/; on a shared JupyterHub, set NBGRADER_EXCHANGE to a shared folder.
import os  # noqa: E402

c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE",
                                 os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange"))
# After the student's kernel has run the notebook, xorlib's judge runs it again in a fresh process that
# the submission cannot reach into; a graded cell keeps its points only if both say "correct".
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, Execute, IgnorePattern, LimitOutput, SaveAutoGrades)

from xorlib.course.grading import FreshJudge  # noqa: E402

c.Autograde.autograde_preprocessors = [Execute, FreshJudge, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
# Feedback pages typeset their math with the MathJax in feedback/mathjax (no CDN) and wrap long lines:
# nbgrader's feedback template, extended by templates/xorlib_feedback.
import nbgrader  # noqa: E402

c.HTMLExporter.template_name = "xorlib_feedback"
c.HTMLExporter.extra_template_basedirs = [
    os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader", "templates"),
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")]
c.HTMLExporter.mathjax_url = "{FEEDBACK_MATHJAX}"
'''
#: What the course's feedback pages add to nbgrader's: MathJax's local fonts; lines and figures that fit the page.
MATHJAX_FONTS = '"HTML-CSS": {webFont: "STIX-Web", availableFonts: [], preferredFont: null, imageFont: null},'
WRAP = "<style>pre { white-space: pre-wrap; overflow-wrap: anywhere; } img { max-width: 100%; height: auto; }</style>\n"


def feedback_template() -> str:
    """nbgrader's feedback template, with MathJax told to use the fonts it ships and long lines wrapped."""
    import nbgrader

    text = (Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates" / "feedback"
            / "index.html.j2").read_text()
    for anchor in ("{{ mathjax() }}", "</head>"):
        if text.count(anchor) != 1:
            raise SystemExit(f"nbgrader's feedback template changed: {anchor!r} is not found once in it")
    with_fonts = f"\"messageStyle: 'none', \" ~ {MATHJAX_FONTS!r}"
    fonts = f"{{{{ mathjax(resources.mathjax_url) | replace(\"messageStyle: 'none',\", {with_fonts}) }}}}"
    return text.replace("{{ mathjax() }}", fonts).replace("</head>", WRAP + "</head>")


def points_of(exercise) -> int:
    """Points of an exercise: short answers 1 unless stated; coding exercises carry their own."""
    return int(getattr(exercise, "points", 1))


def _nbgrader(grade_id: str, *, solution: bool, grade: bool, points: int | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def _grade_id(exercise_id: str, what: str) -> str:
    return f"{what}_{exercise_id.replace('.', '_')}"


def answer_region(exercise, starter: list[str]) -> list[str]:
    """The lines of an answer cell before its ``check``: the starter code, then the solution as a region.

    The stored solution redefines what the starter leaves open: the worked code that assigns
    ``answer`` for a short answer, the completed function (the solution cell) for a coding exercise.
    """
    while starter and not starter[-1].strip():
        starter = starter[:-1]
    return [*starter, "### BEGIN SOLUTION", *exercise.solution.splitlines(), "### END SOLUTION"]


def exercise_cells(cell, exercises) -> list | None:
    """The answer cell and the graded cell replacing one exercise cell, or None if it is not one."""
    if cell.cell_type != "code":
        return None
    lines = cell.source.splitlines()
    found = [i for i, line in enumerate(lines) if CHECK.match(line)]
    if not found:
        return None
    index = found[-1]
    match = CHECK.match(lines[index])
    exercise_id, name = match.group("id"), match.group("name")
    if exercise_id not in exercises:
        raise SystemExit(f"exercise {exercise_id} is checked in a notebook but not in xorlib.course.EXERCISES")
    exercise = exercises[exercise_id]
    points = points_of(exercise)
    answer = new_code_cell("\n".join(answer_region(exercise, lines[:index]) + lines[index:]))
    answer.id = cell.get("id", _grade_id(exercise_id, "answer").replace("_", "-"))
    answer.metadata = dict(cell.metadata, nbgrader=_nbgrader(_grade_id(exercise_id, "answer"),
                                                             solution=True, grade=False))
    graded = new_code_cell("\n".join([
        f"# Exercise {exercise_id}, {points} point{'s' if points != 1 else ''}: graded when you submit,",
        "# by the same check as above (in your notebook it does nothing).",
        "from xorlib.course.exercises import graded",
        f'feedback = graded("{exercise_id}", {name})',
        "assert feedback is None or feedback.correct, feedback",
    ]))
    graded.id = f"graded-{exercise_id.replace('.', '-')}"
    graded.metadata = {"nbgrader": _nbgrader(_grade_id(exercise_id, "graded"), solution=False, grade=True,
                                             points=points)}
    if "slideshow" in cell.metadata:
        graded.metadata["slideshow"] = {"slide_type": "skip"}
    return [answer, graded]


#: The teaching notebooks' pointer to their solutions notebook, left out of an assignment.
WORKED_SOLUTIONS = re.compile(r"; the worked solutions are in `solutions/[^`]+`")


def source_notebook(path: Path, exercises):
    """The nbgrader source version of one teaching notebook (outputs cleared)."""
    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("execution", None)
        else:  # a graded assignment does not point to its answers
            cell.source = WORKED_SOLUTIONS.sub("", cell.source)
        cells.extend(exercise_cells(cell, exercises) or [cell])
    nb.cells = cells
    nbformat.validate(nb)
    return nb


def default_assignments(paths=None) -> dict[str, list[Path]]:
    """One assignment per teaching notebook, named after it."""
    paths = paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    return {path.stem: [path] for path in paths}


def write_course(out: Path, assignments: dict[str, list[Path]]) -> list[Path]:
    """Write the course's config and source/ (replacing any previous source/); return the notebooks written."""
    from xorlib.course.exercises import EXERCISES

    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(CONFIG)
    (out / "exchange").mkdir(exist_ok=True)
    (out / "exchange").chmod(0o777)  # nbgrader's exchange: every student writes their submission there
    template = out / "templates" / "xorlib_feedback"
    template.mkdir(parents=True, exist_ok=True)
    (template / "index.html.j2").write_text(feedback_template())
    (template / "conf.json").write_text('{"base_template": "classic", "mimetypes": {"text/html": true}}\n')
    import jupyter_server_mathjax  # the MathJax the static site ships, once for every feedback page

    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", out / "feedback" / "mathjax",
                    dirs_exist_ok=True)
    shutil.rmtree(out / "source", ignore_errors=True)
    written = []
    for assignment, paths in assignments.items():
        folder = out / "source" / assignment
        folder.mkdir(parents=True)
        for path in paths:
            target = folder / path.name
            nbformat.write(source_notebook(path, EXERCISES), target)
            written.append(target)
    return written


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the nbgrader command line in the course directory; fail with its log if it fails.

    nbgrader runs ``alembic`` (its gradebook migrations) by name, so this
    interpreter's bin folder goes first on PATH.
    """
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def release(course: Path, assignment: str = "*") -> None:
    """``nbgrader generate_assignment``: release/ and the gradebook entries (all assignments by default)."""
    nbgrader(course, "generate_assignment", assignment, "--force")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=COURSE, help=f"course directory (default: {COURSE})")
    parser.add_argument("--no-release", action="store_true", help="write source/ only")
    args = parser.parse_args(argv)
    assignments = default_assignments()
    written = write_course(args.out, assignments)
    print(f"{len(written)} source notebooks in {args.out / 'source'}")
    if not args.no_release:
        release(args.out)
        print(f"{len(assignments)} assignments released to {args.out / 'release'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
