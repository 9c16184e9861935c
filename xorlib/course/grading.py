"""The autograder's second opinion: ``FreshJudge``, an nbgrader preprocessor.

``scripts/build_assignments.py`` puts it into the course's ``nbgrader_config.py``,
right after nbgrader runs the submission. It runs ``python -m xorlib.course.judge``
on the executed notebook, in a fresh process (see ``xorlib.course.judge``), and
where the kernel's hidden test passed but the fresh judge does not say
"correct", it adds an error to the graded cell, which then scores 0 and shows
the reason in the feedback.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

#: Seconds the fresh judge may take for one notebook before every exercise it has not judged scores 0.
JUDGE_LIMIT = 600


def exercise_of(grade_id: str) -> str | None:
    """"graded_08a_1" -> "08a.1"; None for any other cell."""
    if not grade_id.startswith("graded_"):
        return None
    head, _, number = grade_id.removeprefix("graded_").rpartition("_")
    return f"{head}.{number}"


def verdicts(notebook, folder: Path | None = None, limit: float = JUDGE_LIMIT) -> dict[str, tuple[bool, str]]:
    """{exercise id: (correct, message)} from a fresh judge of ``notebook``, run in ``folder``."""
    token = secrets.token_hex(16)
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "submission.ipynb"
        nbformat.write(notebook, path)
        try:
            run = subprocess.run([sys.executable, "-m", "xorlib.course.judge", str(path)], input=token + "\n",
                                 capture_output=True, text=True, timeout=limit, cwd=folder or scratch)
            lines = run.stdout.splitlines()
        except subprocess.TimeoutExpired as expired:
            out = expired.stdout or b""
            lines = (out.decode(errors="replace") if isinstance(out, bytes) else out).splitlines()
    found = {}
    for line in lines:
        if line.startswith(token + " "):
            verdict = json.loads(line[len(token) + 1:])
            found.setdefault(verdict["exercise"], (verdict["correct"], verdict["message"]))
    return found


def _error(message: str):
    return nbformat.v4.new_output("error", ename="AssertionError", evalue=message,
                                  traceback=[f"Judged again in a fresh process: {message}"])


class FreshJudge(Preprocessor):
    """Score 0 for a graded cell that passed in the student's kernel but not in a fresh judge."""

    enabled = Bool(True, help="nbconvert runs a preprocessor only when it is enabled").tag(config=True)

    def preprocess(self, nb, resources):
        graded = [(cell, exercise_of(cell.metadata.get("nbgrader", {}).get("grade_id", "")))
                  for cell in nb.cells if cell.cell_type == "code"]
        graded = [(cell, exercise) for cell, exercise in graded if exercise]
        if not graded:
            return nb, resources
        folder = resources.get("metadata", {}).get("path") or None
        found = verdicts(nb, Path(folder) if folder else None)
        for cell, exercise in graded:
            if any(o.get("output_type") == "error" for o in cell.outputs):
                continue  # already 0 in the kernel
            correct, message = found.get(exercise, (False, f"Exercise {exercise} was not reached: the submission "
                                                           "stopped or hung before it"))
            if not correct:
                cell.outputs.append(_error(message))
                self.log.info("Exercise %s: 0 points from the fresh judge: %s", exercise, message)
        return nb, resources
