"""The stored notebooks are clean runs: what nbval compares must be meaningful.

An unrun notebook would pass nbval while testing nothing, so this checks the
stored files themselves, with the same rules the regeneration script applies.
"""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
spec = importlib.util.spec_from_file_location("execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
execute_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(execute_notebooks)


def test_the_first_notebook_exists():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_xor_and_the_network.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS + SOLUTIONS, ids=lambda p: p.name)
def test_notebook_is_stored_as_a_clean_run(path):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code, "a notebook without code cells tests nothing"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert sum(len(c.outputs) for c in code) >= len(code) // 2, "most cells should show something"
    assert execute_notebooks.problems(nb) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_goals_and_closes_with_a_summary_and_exercises(path):
    cells = json.loads(path.read_text())["cells"]
    first = "".join(cells[0]["source"]).lower()
    markdown = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]
    assert "you will be able to" in first
    assert any("## Exercises" in text for text in markdown[-5:])
    assert any("## Summary" in text or "## Conventions" in text for text in markdown[-6:])


def test_every_teaching_notebook_has_a_solutions_notebook():
    assert [p.name for p in SOLUTIONS] == [f"{p.stem}_solutions.ipynb" for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS + SOLUTIONS, ids=lambda p: p.name)
def test_notebook_stores_no_widget_state(path):
    """ipywidgets' model ids are random: storing them would change every regeneration."""
    nb = json.loads(path.read_text())
    assert "widgets" not in nb["metadata"]
    views = [o["data"][execute_notebooks.WIDGET_VIEW] for c in nb["cells"] for o in c.get("outputs", [])
             if execute_notebooks.WIDGET_VIEW in o.get("data", {})]
    assert all(view["model_id"] == "" for view in views), views


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solutions_carry_only_their_own_metadata(path):
    # kernelspec, what running it adds (language_info), and the slideshow settings derived
    # from its own cells (rise); nothing copied from the teaching notebook, such as widget state.
    assert set(json.loads(path.read_text())["metadata"]) == {"kernelspec", "language_info", "rise"}



def test_the_regeneration_check_names_what_changed():
    spec = importlib.util.spec_from_file_location("check_regeneration", ROOT / "scripts" / "check_regeneration.py")
    check_regeneration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check_regeneration)
    path = NOTEBOOKS[0]
    before = path.read_bytes()
    nb = json.loads(before)
    index = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and c["outputs"])
    nb["cells"][index]["outputs"] = []
    nb["metadata"]["widgets"] = {"state": {}}
    found = check_regeneration.what_changed(before, json.dumps(nb).encode())
    assert found[0] == "notebook metadata key 'widgets'"
    assert found[1].startswith(f"cell {index} of all cells, from 0 (outputs (") and len(found) == 2
    assert check_regeneration.what_changed(before, before) == []


def figures(path):
    """(cell index, alt text or None) of every stored figure of a notebook."""
    found = []
    for index, cell in enumerate(json.loads(path.read_text())["cells"]):
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                found.append((index, output.get("metadata", {}).get("image/png", {}).get("alt")))
    return found


def test_the_collection_has_figures_to_describe():
    assert sum(len(figures(path)) for path in NOTEBOOKS) >= 17


@pytest.mark.parametrize("path", NOTEBOOKS + SOLUTIONS, ids=lambda p: p.name)
def test_every_figure_is_described_in_words_with_its_numbers(path):
    for index, alt in figures(path):
        assert alt, f"cell {index} of all cells (from 0): a figure without alt text"
        assert len(alt) >= 80 and any(ch.isdigit() for ch in alt), (index, alt)
        assert "No description has been provided" not in alt


def markdown_headings(nb) -> list[tuple[int, str]]:
    """(level, text) of every markdown heading, in order (lines in code fences are not headings)."""
    import re

    found = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        fenced = False
        for line in cell.source.splitlines():
            if line.lstrip().startswith("```"):
                fenced = not fenced
            match = None if fenced else re.match(r"(#{1,6})\s+(\S.*)", line)
            if match:
                found.append((len(match.group(1)), match.group(2)))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS + SOLUTIONS, ids=lambda p: p.name)
def test_headings_give_a_screen_reader_an_outline(path):
    """One top heading, first; no level skipped on the way down (a reader who jumps by heading
    meets a ## after the #, never a ### straight after it)."""
    import nbformat

    headings = markdown_headings(nbformat.read(path, as_version=4))
    assert headings and headings[0][0] == 1, headings[:1]
    assert [text for level, text in headings if level == 1] == [headings[0][1]]
    skips = [(a, b) for a, b in zip(headings, headings[1:]) if b[0] > a[0] + 1]
    assert skips == []


def test_the_outline_check_sees_a_skipped_level():
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Top\n\n```\n# a comment\n```\n### Too deep")])
    headings = markdown_headings(nb)
    assert headings == [(1, "Top"), (3, "Too deep")]
