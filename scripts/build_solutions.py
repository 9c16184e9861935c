"""Build the solutions notebooks from the teaching notebooks and xorlib.course.exercises.

    make notebooks                                  # runs this after re-executing the notebooks
    .venv/bin/python scripts/build_solutions.py

For each teaching notebook, ``solutions/<name>_solutions.ipynb`` holds its
exercises, each followed by its worked solution as stored with the exercise in
``xorlib.course.exercises``: the derivation in markdown, then the code that computes the
answer, checked by the same ``check`` a student calls. The notebook is executed in a
fresh kernel and stored as a clean run, like the teaching notebooks.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = ROOT / "solutions"
CHECK = re.compile(r'check\("([0-9]{2}\.[0-9]+)", answer\)')
CODING_CHECK = re.compile(r'^check\("([0-9]{2}[a-z]?\.[0-9]+)", (?!answer\))([A-Za-z_]\w*)\)$', re.MULTILINE)
#: The setup cell's imports, in order, each with the name it binds: a notebook imports only
#: the names its solution cells use (``check`` always).
IMPORTS = [
    ("np", "import numpy as np"),
    ("sp", "import sympy as sp"),
    ("", ""),  # a blank line between third-party and first-party imports
    ("xorlib", "import xorlib"),
    ("S", "from xorlib import symbolic as S"),
    ("check", "from xorlib.course import check"),
]


def setup_cell(code_cells: list[str]) -> str:
    """The imports for ``code_cells``: those of IMPORTS whose name the cells read."""
    used = {"check"}
    for code in code_cells:
        used |= {node.id for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name)}
    lines = [line for name, line in IMPORTS if name in used or not name]
    return "\n".join(lines).strip()


def _execute_notebooks_module():
    spec = importlib.util.spec_from_file_location("execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def exercises_of(nb) -> list[tuple[str, str]]:
    """(exercise id, its prompt) for each exercise cell of a teaching notebook."""
    found = []
    for index, cell in enumerate(nb.cells):
        match = CHECK.search(cell.source) if cell.cell_type == "code" else None
        if match:
            prompt = nb.cells[index - 1].source if index and nb.cells[index - 1].cell_type == "markdown" else ""
            found.append((match.group(1), prompt))
    return found


def coding_exercises_of(nb) -> list[tuple[str, str, str]]:
    """(exercise id, function name, prompt) for each coding exercise: a cell ending in check("id", function)."""
    found = []
    for index, cell in enumerate(nb.cells):
        match = CODING_CHECK.search(cell.source) if cell.cell_type == "code" else None
        if match:
            found.append((match.group(1), match.group(2), nb.cells[index - 1].source))
    return found


def solutions_notebook(path: Path):
    from xorlib.course.exercises import EXERCISES

    nb = nbformat.read(path, as_version=4)
    title = nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
    cells = []
    for exercise_id, prompt in exercises_of(nb):  # the derivation, the code that computes the answer, its check
        exercise = EXERCISES[exercise_id]
        cells += [new_markdown_cell(prompt), new_markdown_cell(f"**Worked solution.** {exercise.reasoning}"),
                  new_code_cell(f"{exercise.solution}\ncheck(\"{exercise_id}\", answer)")]
    for exercise_id, function, prompt in coding_exercises_of(nb):  # a worked derivation, its code, its check
        from xorlib.course.keys.coding import DERIVATIONS

        cells += [new_markdown_cell(prompt), new_markdown_cell(f"**Worked solution.** {DERIVATIONS[exercise_id]}"),
                  new_code_cell(f"{EXERCISES[exercise_id].solution}\n\ncheck(\"{exercise_id}\", {function})")]
    from xorlib.course.keys.coding import QUESTIONS

    questions = QUESTIONS.get(path.stem, [])
    if questions:  # the closing questions of a hands-on notebook, answered with the functions above
        asked = [c.source for c in nb.cells if c.cell_type == "markdown" and "## Exercises" in c.source]
        asked = asked[-1][asked[-1].index("## Exercises"):].replace("## Exercises", "## The closing exercises", 1) \
            if asked else "## The closing exercises"
        cells += [new_markdown_cell(asked), new_code_cell("X, y = xorlib.xor_data()")]
        for reasoning, code in questions:
            cells += [new_markdown_cell(reasoning), new_code_cell(code)]
    cells[:0] = [
        new_markdown_cell(f"# Solutions · {title}\n\nWorked answers to the exercises of "
                          f"[{path.stem}](../notebooks/{path.name}): for each, the reasoning, then the code "
                          "that computes the answer, checked by the same `check` a student calls. "
                          "Try the exercises yourself first."),
        new_code_cell(setup_cell([cell.source for cell in cells if cell.cell_type == "code"])),
    ]
    # Only the kernelspec: the teaching notebook's other metadata (widget
    # state, say) describes cells that are not here. Execution adds language_info
    # and the slides' metadata (scripts/slides.py).
    solutions = new_notebook(cells=cells, metadata={"kernelspec": nb.metadata["kernelspec"]})
    for index, cell in enumerate(solutions.cells):
        cell["id"] = f"solution-{index}"
    return solutions


def main(argv=None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])] or sorted(NOTEBOOKS.glob("*.ipynb"))
    execute = _execute_notebooks_module().execute
    SOLUTIONS.mkdir(exist_ok=True)
    for path in paths:
        target = SOLUTIONS / f"{path.stem}_solutions.ipynb"
        nbformat.write(solutions_notebook(path), target)
        seconds = execute(target, timeout=600)
        print(f"{seconds:6.1f} s  {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
