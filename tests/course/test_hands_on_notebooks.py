"""The hands-on notebooks: every coding exercise is a stub in exactly one notebook,
stored unanswered, and answered and checked correct in its solutions notebook."""

import re
from pathlib import Path

import nbformat
import pytest

from xorlib.course.exercises import EXERCISES
from xorlib.course.keys.coding import DERIVATIONS, FUNCTIONS

ROOT = Path(__file__).resolve().parents[2]
CODING_CHECK = re.compile(r'^check\("([0-9]{2}[a-z]?\.[0-9]+)", (?!answer\))([A-Za-z_]\w*)\)$', re.MULTILINE)
CODE_IDS = sorted(i for i, e in EXERCISES.items() if e.kind == "code")


def coding_cells(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    return [(CODING_CHECK.search(c.source), c) for c in code if CODING_CHECK.search(c.source)]


def text(cell):
    return "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)


TEACHING = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if coding_cells(p)]


def test_the_hands_on_notebooks_are_the_six_expected():
    assert [p.stem for p in TEACHING] == ["02a_write_the_jacobians", "03a_write_a_gradient_checker",
                                          "05a_write_the_training_loop", "08a_write_backward", "11_beyond_2_2_1",
                                          "13a_write_the_engine"]


def test_every_coding_exercise_is_a_stub_in_exactly_one_notebook():
    seen = [match.group(1) for p in TEACHING for match, _ in coding_cells(p)]
    assert sorted(seen) == CODE_IDS


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_stubs_are_stored_unanswered_and_show_no_solution(path):
    for match, cell in coding_cells(path):
        definition = cell.source.split("\n\ncheck(")[0]
        assert re.fullmatch(rf"def {match.group(2)}\([^)]*\):\n    \.\.\.  # return [^\n]+", definition), definition
        assert f"Exercise {match.group(1)}: not implemented yet" in text(cell)
        assert FUNCTIONS[match.group(1)].splitlines()[-1].strip() not in cell.source


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_solutions_notebook_derives_codes_and_checks_every_function(path):
    solutions = ROOT / "solutions" / f"{path.stem}_solutions.ipynb"
    nb = nbformat.read(solutions, as_version=4)
    ids = [match.group(1) for match, _ in coding_cells(path)]
    answered = coding_cells(solutions)
    assert [match.group(1) for match, _ in answered] == ids
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for exercise_id, (_, cell) in zip(ids, answered):
        assert cell.source.startswith(FUNCTIONS[exercise_id])
        assert DERIVATIONS[exercise_id] in markdown
        assert text(cell).startswith(f"✓ Exercise {exercise_id}: correct")
