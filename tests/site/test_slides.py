"""Slide metadata: every stored notebook carries the slide types derived from its cells."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[2]
import slides  # noqa: E402  (scripts/, on pytest's pythonpath)

STORED = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.stem)
def test_stored_notebook_has_the_derived_slide_types(path):
    nb = nbformat.read(path, as_version=4)
    stored = [cell.metadata.get("slideshow", {}).get("slide_type") for cell in nb.cells]
    assert stored == slides.slide_types(nb.cells)
    assert nb.metadata.get("rise") == slides.RISE


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_each_section_is_a_slide_and_the_setup_is_skipped(path):
    nb = nbformat.read(path, as_version=4)
    types = slides.slide_types(nb.cells)
    sections = [i for i, cell in enumerate(nb.cells) if slides.heading_level(cell) in (1, 2)]
    assert sections[0] == 0 and all(types[i] == "slide" for i in sections)
    first_code = next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")
    if not nb.cells[first_code].outputs:
        assert types[first_code] == "skip"


def figure_cell():
    cell = new_code_cell("display_figure(fig, alt)")
    data = {"image/png": "iVBORw0KGgo=", "text/plain": "<IPython.core.display.Image object>"}
    cell.outputs = [new_output("display_data", data=data,
                               metadata={"image/png": {"alt": "A loss curve falling from 0.84 to 0.0027 & below"}})]
    return cell


def test_a_slides_figure_carries_its_description(tmp_path):
    import build_slides  # scripts/, on pytest's pythonpath

    nb = new_notebook(cells=[new_markdown_cell("# 99 · Title\n\nGoals."), figure_cell()])
    path = tmp_path / "99_small.ipynb"
    nbformat.write(nb, path)
    html = build_slides.deck(path)
    assert 'alt="A loss curve falling from 0.84 to 0.0027 &amp; below"' in html
    assert "No description has been provided" not in html


def test_slide_types_of_a_small_notebook():
    cells = [
        new_markdown_cell("# 99 · Title\n\nGoals."),
        new_code_cell("import numpy as np\n\nX = np.eye(2)"),
        new_markdown_cell("## A section"),
        new_code_cell("x = 1"),
        figure_cell(),
        new_markdown_cell("What the figure shows."),
        new_markdown_cell("### A subsection"),
        new_code_cell("from math import pi"),
        new_markdown_cell("**Exercise 99.1.** A question."),
        new_code_cell('answer = ...\ncheck("99.1", answer)'),
    ]
    assert slides.slide_types(cells) == [
        "slide", "skip", "slide", "-", "fragment", "fragment", "subslide", "skip", "subslide", "-"]


def test_long_text_output_is_a_fragment_and_short_is_not():
    short, long = new_code_cell("print(1)"), new_code_cell("print(2)")
    short.outputs = [new_output("stream", name="stdout", text="1\n" * slides.LONG_OUTPUT)]
    long.outputs = [new_output("stream", name="stdout", text="2\n" * (slides.LONG_OUTPUT + 1))]
    cells = [new_markdown_cell("## S"), short, new_markdown_cell("## T"), long]
    assert slides.slide_types(cells) == ["slide", "-", "slide", "fragment"]
