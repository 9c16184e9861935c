"""Slide metadata for presenting a notebook with RISE, derived from its cells.

    add_slide_metadata(nb)   # called by scripts/execute_notebooks.py before it saves

Every cell gets ``metadata.slideshow.slide_type``, a pure function of the
cells (their sources and outputs), so regenerating a notebook always gives
the same slides:

- a ``#`` or ``##`` heading starts a **slide**: each section is a slide;
- a ``###`` heading and each "**Exercise NN.M.**" prompt start a **subslide**;
- a setup cell (imports, and before the first section also assignments and
  definitions, without output) is **skipped**;
- a code cell with a long output (a figure, or more than ``LONG_OUTPUT``
  lines of text) is a **fragment**, shown on the next click, and so is every
  cell after it on the same slide, so that the words about a figure never
  appear before the figure;
- everything else (``-``) joins the slide above.

The notebook's ``metadata.rise`` turns on scrolling, for slides taller than
the screen, and picks reveal.js's "white" theme, whose font ships with RISE
(its default theme, "simple", fetches fonts from Google).
"""

from __future__ import annotations

import ast
import re

LONG_OUTPUT = 10  #: lines of text output above which a code cell is a fragment
RISE = {"scroll": True, "theme": "white"}
SLIDE, SUBSLIDE, FRAGMENT, SKIP, CONTINUE = "slide", "subslide", "fragment", "skip", "-"
EXERCISE = re.compile(r"^\*\*Exercise [0-9]{2}[a-z]?\.[0-9]+\.\*\*")


def _first_line(cell) -> str:
    return next((line.strip() for line in cell.source.splitlines() if line.strip()), "")


def heading_level(cell) -> int:
    """1 for '# Title', 2 for '## Section', ...; 0 if the markdown cell does not open with a heading."""
    if cell.cell_type != "markdown":
        return 0
    match = re.match(r"^(#{1,6})\s", _first_line(cell))
    return len(match.group(1)) if match else 0


def output_lines(cell) -> int:
    """Lines of text the cell's outputs take; a figure counts as a long output."""
    lines = 0
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if any(kind.startswith("image/") for kind in data):
            return LONG_OUTPUT + 1
        text = output.get("text") or data.get("text/plain") or ""
        lines += len(text.splitlines())
    return lines


def is_setup(cell, before_first_section: bool) -> bool:
    """A code cell without output that only imports (or, before the first section, also assigns and defines)."""
    if cell.cell_type != "code" or cell.get("outputs"):
        return False
    if not cell.source.strip():
        return True
    try:
        statements = ast.parse(cell.source).body
    except SyntaxError:  # IPython magics: not plain setup
        return False
    allowed = (ast.Import, ast.ImportFrom)
    if before_first_section:
        allowed += (ast.Assign, ast.AnnAssign, ast.FunctionDef, ast.ClassDef)
    return all(isinstance(statement, allowed) for statement in statements)


def slide_types(cells) -> list[str]:
    """The slide type of each cell, in order."""
    types, in_fragments, seen_section = [], False, False
    for cell in cells:
        level = heading_level(cell)
        if level in (1, 2):
            kind, in_fragments = SLIDE, False
            seen_section = seen_section or level == 2
        elif level >= 3 or (cell.cell_type == "markdown" and EXERCISE.match(_first_line(cell))):
            kind, in_fragments = SUBSLIDE, False
        elif is_setup(cell, before_first_section=not seen_section):
            kind = SKIP
        elif in_fragments or (cell.cell_type == "code" and output_lines(cell) > LONG_OUTPUT):
            kind, in_fragments = FRAGMENT, True
        else:
            kind = CONTINUE
        types.append(kind)
    if types and types[0] != SLIDE:  # the first shown cell opens the deck
        first = next((i for i, kind in enumerate(types) if kind != SKIP), None)
        if first is not None:
            types[first] = SLIDE
    return types


def add_slide_metadata(nb):
    """Set ``metadata.slideshow.slide_type`` of every cell and ``metadata.rise`` of the notebook, in place."""
    for cell, kind in zip(nb.cells, slide_types(nb.cells)):
        cell.metadata["slideshow"] = {"slide_type": kind}
    nb.metadata["rise"] = dict(RISE)
    return nb
