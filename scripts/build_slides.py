"""Write a static reveal.js slide deck of every notebook, offline.

    make slides                                          # build/slides/NN_name.slides.html
    .venv/bin/python scripts/build_slides.py --vendor build/slides-vendor/node_modules --out /tmp/slides

``jupyter nbconvert --to slides`` (nbconvert's SlidesExporter) renders each
notebook with its stored outputs and the slide types set by scripts/slides.py.
reveal.js and require.js come from the npm packages pinned in
``slides/package.json`` (``make slides`` installs them with ``npm ci``; RISE
bundles its own reveal.js inside its JavaScript, not as files a deck could
load), MathJax from the ``jupyter-server-mathjax`` package; all are copied
next to the decks, so nothing is loaded from a CDN.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "build" / "slides"
VENDOR = ROOT / "build" / "slides-vendor" / "node_modules"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_html import with_accessible_colours, with_alt_text, with_named_anchors  # noqa: E402

from slides import RISE  # noqa: E402

MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
MATHJAX_FONTS = ('                "HTML-CSS": {webFont: "STIX-Web", availableFonts: [], '
                 'preferredFont: null, imageFont: null},')
# Tags nbconvert's reveal template adds that would load from a CDN and that these decks do not need:
# jQuery (used only by the template's scrolling helper, which these decks replace with FIT below)
# and mermaid (no diagrams in the notebooks).
UNUSED = [
    re.compile(r'<script src="https://[^"]*jquery[^"]*"></script>\s*'),
    re.compile(r'<script type="module">\s*import mermaid from \'https://[^\']*\';.*?</script>\s*', re.S),
]
REMOTE = re.compile(r"""(?:src|href)=["'](https?:)?//""")
#: Tall slides, without jQuery: a slide taller than the deck's height gets that height and a scroll
#: bar, and each fragment is scrolled into view as it appears, so that no click shows nothing. Code
#: wraps instead of running off the slide's right edge. Reveal is also made global, for the tests.
FIT = """<style>
.reveal pre, .reveal code { white-space: pre-wrap; overflow-wrap: anywhere; }
.reveal .slides section.xorlib-tall { overflow-y: auto; top: 0 !important; }
</style>
<script>
require(["reveal.js/dist/reveal.js"], function (Reveal) {
  window.Reveal = Reveal;
  function fit() {
    var height = Reveal.getConfig().height;
    document.querySelectorAll(".reveal .slides section").forEach(function (section) {
      if (section.querySelector("section")) return;  // a stack: its own slides are fitted
      section.classList.remove("xorlib-tall");
      section.style.height = "";
      if (section.scrollHeight > height) {
        section.classList.add("xorlib-tall");
        section.style.height = height + "px";
      }
    });
  }
  function reveal(event) {
    var fragment = (event.fragments || [event.fragment]).slice(-1)[0];
    var section = fragment && fragment.closest("section.xorlib-tall");
    if (!section) return;
    // a fragment that fits is shown whole; a taller one from its top
    var tall = fragment.getBoundingClientRect().height > section.getBoundingClientRect().height;
    fragment.scrollIntoView({block: tall ? "start" : "nearest"});
  }
  function start() {
    fit();
    Reveal.on("slidechanged", fit);
    Reveal.on("resize", fit);
    Reveal.on("fragmentshown", reveal);
  }
  if (Reveal.isReady()) start(); else Reveal.on("ready", start);
});
</script>
"""


def copy_vendor(vendor: Path, out: Path) -> None:
    """reveal.js (dist and the notes plugin), require.js and MathJax, next to the decks."""
    reveal = vendor / "reveal.js"
    if not (reveal / "dist" / "reveal.js").exists() or not (vendor / "requirejs" / "require.js").exists():
        raise SystemExit(f"reveal.js or require.js not found in {vendor}: run `make slides`, which installs them "
                         "from slides/package.json with npm")
    import jupyter_server_mathjax

    for part in ("dist", "plugin/notes"):
        shutil.copytree(reveal / part, out / "reveal.js" / part, dirs_exist_ok=True)
    shutil.copy(vendor / "requirejs" / "require.js", out / "require.js")
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", out / "mathjax", dirs_exist_ok=True)


def deck(path: Path) -> str:
    """The slide deck of one notebook, as HTML that loads only files next to it."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)  # widget views need a kernel; the deck shows their stored text
    exporter = SlidesExporter(reveal_url_prefix="reveal.js", reveal_theme=RISE["theme"],
                              reveal_scroll=False, require_js_url="require.js", mathjax_url=MATHJAX_URL)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
    body = with_named_anchors(with_accessible_colours(with_alt_text(body, nb)))
    for pattern in UNUSED:
        body = pattern.sub("", body)
    body = body.replace("messageStyle: 'none',", "messageStyle: 'none',\n" + MATHJAX_FONTS, 1)
    body = body.replace("</body>", FIT + "</body>", 1)
    remote = REMOTE.findall(body)
    if remote:
        raise SystemExit(f"{path.name}: the deck would load {len(remote)} file(s) from the network")
    return body


def build(out: Path, vendor: Path = VENDOR, paths=None) -> list[Path]:
    paths = paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    out.mkdir(parents=True, exist_ok=True)
    copy_vendor(vendor, out)
    written = []
    for path in paths:
        target = out / f"{path.stem}.slides.html"
        target.write_text(deck(path), encoding="utf-8")
        written.append(target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--vendor", type=Path, default=VENDOR, help="node_modules holding reveal.js and requirejs")
    args = parser.parse_args(argv)
    written = build(args.out, args.vendor)
    print(f"{len(written)} slide decks in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
