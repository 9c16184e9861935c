"""Render every notebook, with its stored outputs, to a static site.

    make html                                   # writes build/html/
    .venv/bin/python scripts/build_html.py --out /tmp/site

No notebook is re-executed: the pages show the outputs stored by
``make notebooks``. MathJax is copied next to the pages from the
``jupyter-server-mathjax`` package, so the math typesets offline, on the
notebook pages and on the index (whose goals hold LaTeX, e.g. ``$n$``).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
SITE_TITLE = "xorlib: backprop by hand on XOR"
MATHJAX_FONTS = ('                "HTML-CSS": {webFont: "STIX-Web", availableFonts: [], '
                 'preferredFont: null, imageFont: null},')


def with_local_fonts(page: str) -> str:
    """The bundled MathJax ships the STIX-Web fonts only: tell it to use them."""
    return page.replace("messageStyle: 'none',", "messageStyle: 'none',\n" + MATHJAX_FONTS, 1)


def mathjax_head(exporter) -> str:
    """The MathJax loader and configuration of the notebook pages, for the index page."""
    macro = exporter.environment.get_template("mathjax.html.j2").module.mathjax
    return with_local_fonts(str(macro(MATHJAX_URL)))


def mathjax_source() -> Path:
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).parent / "static"


def notebook_summary(nb) -> tuple[str, list[str]]:
    """Title and goals, from the notebook's first markdown cell.

    Every notebook opens with '# NN · Title' and a list after
    'After this notebook you will be able to'.
    """
    first = next(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    title = first.splitlines()[0].lstrip("# ").strip()
    goals = [line[2:].strip() for line in first.splitlines() if line.startswith("- ")]
    if not goals:  # a one-sentence goal, as in the cheat sheet
        match = re.search(r"you will be able to\*\*\s*(.+)", first)
        goals = [match.group(1).split("\n")[0]] if match else []
    return title, goals


def inline_markdown(text: str) -> str:
    """A goal's text as HTML: escaped, with `code` shown as code, **bold** and *emphasis* rendered
    (MathJax typesets the $...$, whose * and _ are left alone)."""
    parts = re.split(r"(\$[^$]+\$|`[^`]+`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
        elif part.startswith("$") and part.endswith("$") and len(part) > 1:
            out.append(html.escape(part))
        else:
            part = html.escape(part)
            part = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", part)
            out.append(re.sub(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", r"<em>\1</em>", part))
    return "".join(out)


NAV = ('<nav aria-label="Notebooks" style="font-family: sans-serif; padding: 0.6em 1em; '
       'border-bottom: 1px solid #ddd;"><a href="index.html">&larr; {site}</a>{prev}{next}</nav>')


def navigation(pages, titles, index):
    """Links to the index and to the notebooks before and after, each named by its title."""
    def link(word, i):
        return f' &nbsp;|&nbsp; <a href="{pages[i]}">{word}: {html.escape(titles[i])}</a>'

    prev = link("previous", index - 1) if index > 0 else ""
    nxt = link("next", index + 1) if index + 1 < len(pages) else ""
    return NAV.format(site=html.escape(SITE_TITLE), prev=prev, next=nxt)


#: JupyterLab's light theme, as nbconvert writes it, draws the In/Out prompts grey at half opacity (2.2:1
#: on white) and some code colours below WCAG AA's 4.5:1 on the code cells' #f5f5f5 (numbers, operators,
#: comments, ...). The same hues, darkened until each reaches at least 4.9:1 there.
ACCESSIBLE_COLOURS = """<style>
:root {
  --jp-cell-prompt-not-active-font-color: #616161;
  --jp-cell-prompt-not-active-opacity: 1;
  --jp-cell-inprompt-font-color: #616161;
  --jp-cell-outprompt-font-color: #616161;
  --jp-mirror-editor-number-color: #007000;
  --jp-mirror-editor-operator-color: #8f1de0;
  --jp-mirror-editor-meta-color: #8f1de0;
  --jp-mirror-editor-comment-color: #3a7373;
  --jp-mirror-editor-variable-3-color: #006b45;
  --jp-mirror-editor-atom-color: #4343c8;
  --jp-mirror-editor-bracket-color: #66664a;
  --jp-mirror-editor-tag-color: #116600;
  --jp-mirror-editor-quote-color: #007000;
  --jp-mirror-editor-hr-color: #666666;
}
.jp-InputPrompt, .jp-OutputPrompt { color: #616161; opacity: 1; }
</style>
"""


def with_accessible_colours(page: str) -> str:
    return page.replace("</head>", ACCESSIBLE_COLOURS + "</head>", 1)


def with_named_anchors(page: str) -> str:
    """nbconvert's "¶" after each heading links to that section: say so to a screen reader."""
    return page.replace('<a class="anchor-link" href=',
                        '<a class="anchor-link" aria-label="link to this section" href=')


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ("<p><em>This cell shows interactive widgets (sliders and buttons). They need a running kernel: "
               "open <code>notebooks/{name}</code> in JupyterLab (<code>make lab</code>) to use them. The cells "
               "below print the numbers they show.</em></p>")


def replace_widget_views(nb, name: str) -> None:
    """A widget view has no content without a kernel, and its text form is a long ``VBox(children=...``
    repr: on a static page, say in a sentence where the widgets run instead."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if WIDGET_VIEW in output.get("data", {}):
                output["data"] = {"text/html": WIDGET_NOTE.format(name=name)}


def with_alt_text(page: str, nb) -> str:
    """Give each figure's ``<img>`` the alt text stored with it (``xorlib.plots.display_figure`` puts it in
    the output's metadata), in place of nbconvert's placeholder "No description has been provided"."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("image/png")
            alt = output.get("metadata", {}).get("image/png", {}).get("alt")
            if not (data and alt):
                continue
            source = f'src="data:image/png;base64,{data}"'

            def described(match, alt=alt):
                tag = re.sub(r'\salt="[^"]*"', "", match.group(0))
                return tag.replace("<img", f'<img alt="{html.escape(alt)}"', 1)

            page = re.sub(rf'<img[^>]*{re.escape(source)}[^>]*>', described, page, count=1)
    return page


def build(out: Path) -> list[Path]:
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no notebooks in {NOTEBOOKS}")
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab", mathjax_url=MATHJAX_URL)
    pages = [f"{path.stem}.html" for path in paths]
    notebooks = [nbformat.read(path, as_version=4) for path in paths]
    titles = [notebook_summary(nb)[0] for nb in notebooks]
    entries = []
    for index, (path, nb) in enumerate(zip(paths, notebooks)):
        replace_widget_views(nb, path.name)
        title, goals = notebook_summary(nb)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        body = with_named_anchors(with_accessible_colours(with_alt_text(with_local_fonts(body), nb)))
        # require.js is only for widgets, and would be fetched from a CDN: drop it.
        body = re.sub(r'<script src="https://cdnjs\.cloudflare\.com/ajax/libs/require\.js/[^"]*"></script>\s*',
                      "", body)
        nav = navigation(pages, titles, index)
        body = re.sub(r"(<body[^>]*>)", lambda m, nav=nav: m.group(1) + nav, body, count=1)
        (out / pages[index]).write_text(body, encoding="utf-8")
        entries.append((pages[index], title, goals))
    items = "\n".join(
        f'<li><a href="{page}">{html.escape(title)}</a><ul>'
        + "".join(f"<li>{inline_markdown(goal)}</li>" for goal in goals) + "</ul></li>"
        for page, title, goals in entries
    )
    index_html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(SITE_TITLE)}</title>
<style>body {{ font-family: sans-serif; max-width: 52em; margin: 2em auto; line-height: 1.5; }}
li > a {{ font-weight: bold; }} ul ul {{ color: #444; font-size: 0.95em; }}</style>
{mathjax_head(exporter)}
</head>
<body><main><h1>{html.escape(SITE_TITLE)}</h1>
<p>Backpropagation taught on the smallest network that needs a hidden layer: XOR with a
2-2-1 network. Every Jacobian is derived with SymPy and checked against finite differences.
Read the notebooks in order; each page shows a stored, tested run.</p>
<ol>
{items}
</ol></main></body></html>
"""
    (out / "index.html").write_text(index_html, encoding="utf-8")
    shutil.copytree(mathjax_source(), out / "mathjax", dirs_exist_ok=True)
    return [out / page for page in pages]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "html", help="output folder")
    args = parser.parse_args(argv)
    pages = build(args.out)
    print(f"wrote {len(pages)} pages and index.html to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
