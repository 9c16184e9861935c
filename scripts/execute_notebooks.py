"""Re-execute every notebook in place, as "Restart Kernel and Run All" would.

    make notebooks                                    # all of notebooks/*.ipynb
    .venv/bin/python scripts/execute_notebooks.py notebooks/00_xor_and_the_network.ipynb

Each notebook runs top to bottom in a fresh ``python3`` kernel with its own
folder as the working directory, so execution counts are 1..N. The stored
outputs are what nbval later compares against; never edit them by hand.

The stored notebook is a function of the code alone, so that regenerating
twice changes nothing (``scripts/check_regeneration.py`` checks it): no
widget state is stored (ipywidgets gives every model a random id; a widget
view keeps an empty model id, which JupyterLab shows as nothing until the
cell is run), cells without an id get one from their position, and kernels
run with a fixed ``SOURCE_DATE_EPOCH`` (matplotlib's date in SVG and PDF).
Kernels talk to this script over CurveZMQ-encrypted TCP, so ipykernel does
not warn about unencrypted transport.

The run is refused (and nothing is written) if a cell raised, wrote to
stderr (a warning), or printed text that nbval could not compare reliably:
``<Figure ...>`` reprs or memory addresses.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from traitlets.config import Config

sys.path.insert(0, str(Path(__file__).resolve().parent))
from slides import add_slide_metadata  # noqa: E402  (scripts/slides.py: RISE slide types from the cells)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
UNSTABLE_TEXT = [
    (re.compile(r"<(matplotlib\.\S+|Figure size)[^>]*>"), "a matplotlib repr"),
    (re.compile(r"\bat 0x[0-9a-fA-F]+"), "a memory address"),
]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# The kernelspec declares Curve support; the manager provisions the keys.
KERNEL_CONFIG = Config({"KernelManager": {"transport_encryption": "auto"}})
SOURCE_DATE_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z, any fixed value will do


def build_font_cache() -> None:
    """Build matplotlib's font cache before any kernel starts, so that its
    one-time notice never reaches a cell's stderr (the conda and Binder
    installs skip the Makefile's step that builds it)."""
    import matplotlib.font_manager  # noqa: F401  (building the cache is the import's side effect)


def drop_widget_state(nb) -> None:
    """Keep no ipywidgets state: its model ids are random on every run.

    (nbclient still records the state while running: its Output-widget hook
    needs it, and fails with store_widget_state=False.)
    """
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                output["data"][WIDGET_VIEW]["model_id"] = ""


def coalesce_streams(outputs):
    """Merge consecutive stream outputs of the same name, as nbval does before comparing."""
    merged = []
    for output in outputs:
        if (output.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == output.get("name")):
            merged[-1]["text"] += output["text"]
        else:
            merged.append(output)
    return merged


def problems(nb) -> list[str]:
    """Why the executed notebook must not be stored, if anything."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                found.append(f"cell {index}: raised {output.get('ename')}: {output.get('evalue')}")
            elif kind == "stream" and output.get("name") == "stderr":
                found.append(f"cell {index}: wrote to stderr: {output.get('text', '')[:200]!r}")
            texts = [output.get("text", "")]
            texts += [v for k, v in output.get("data", {}).items() if k.startswith("text/")]
            for text in texts:
                text = "".join(text) if isinstance(text, list) else text
                for pattern, what in UNSTABLE_TEXT:
                    if pattern.search(text):
                        found.append(f"cell {index}: output holds {what}: {text[:120]!r}")
    return found


def execute(path: Path, timeout: int) -> float:
    build_font_cache()
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.pop("jupytext", None)
    if nb.nbformat_minor >= 5:  # else nbformat would invent random ids on writing
        for index, cell in enumerate(nb.cells):
            if not cell.get("id"):
                cell["id"] = f"cell-{index}"
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        allow_errors=True,
        record_timing=False,
        config=KERNEL_CONFIG,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH))
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    drop_widget_state(nb)
    found = problems(nb)
    if found:
        raise SystemExit(f"{path.name}: not written:\n  " + "\n  ".join(found))
    add_slide_metadata(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks to run (default: all)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    total, ran = 0.0, 0
    for path in paths:
        from xorlib.course.autodiff import NEEDS_JAX, jax_missing

        if path.name in NEEDS_JAX and jax_missing():  # JAX is an optional extra
            print(f"  skip  {path.name}: {jax_missing()}")
            continue
        seconds = execute(path.resolve(), args.timeout)
        total += seconds
        ran += 1
        print(f"{seconds:6.1f} s  {path.name}")
    skipped = len(paths) - ran
    print(f"{total:6.1f} s  in all ({ran} notebook{'s' if ran != 1 else ''} run"
          + (f", {skipped} skipped)" if skipped else ")"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
