"""Printable handouts: every notebook of the static site as an A4 PDF, offline, with Chromium.

    make handouts                      # build/handouts/00_xor_and_the_network.pdf, ... (about 40 s)
    .venv/bin/python scripts/build_handouts.py --out /tmp/handouts 00 05

Each page of ``make html`` (built here if it is missing) is opened in the
headless Chromium the browser tests use ($XORLIB_CHROMIUM, default Debian's
/usr/bin/chromium), its math typeset by the local MathJax, and printed with a
print style that wraps long code lines and fits figures to the page. Before a
page is printed, nothing on it may be wider than the printed width: a handout
with a line or figure cut off at the margin is an error, not a PDF.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # browser_path: which Chromium, as for the browser tests

from browser_path import chromium_path, missing_browser_message  # noqa: E402

#: A4 with 12 mm margins: the printed width is 186 mm, 703 CSS pixels at 96 per inch.
MARGIN_MM = 12
PRINT_WIDTH = round((210 - 2 * MARGIN_MM) / 25.4 * 96)
PRINT_STYLE = """
pre, code { white-space: pre-wrap !important; overflow-wrap: anywhere; }
img, svg, table { max-width: 100% !important; height: auto; }
.jp-OutputArea-output, .jp-RenderedHTMLCommon { overflow: visible !important; }
.MathJax_Display, .MathJax { max-width: 100%; }
nav { display: none; }
"""
MATHJAX_DONE = ("() => !window.MathJax || (MathJax.Hub && MathJax.Hub.queue.pending === 0 "
                "&& MathJax.Hub.queue.running === 0)")


RELAYOUT_MATH = """() => { if (!window.MathJax || !MathJax.Hub) return;
    MathJax.Hub.Config({"HTML-CSS": {linebreaks: {automatic: true, width: "container"}},
                        CommonHTML: {linebreaks: {automatic: true, width: "container"}},
                        SVG: {linebreaks: {automatic: true, width: "container"}}});
    MathJax.Hub.Queue(["Rerender", MathJax.Hub]); }"""


def too_wide(page) -> list[str]:
    """What sticks out past the printed width, as short descriptions (empty when everything fits)."""
    return page.evaluate("""(width) => [...document.querySelectorAll('body *')]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1
                     && !e.closest('.MathJax_Preview, script, style'))
        .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
        .slice(0, 5)
        .map(e => `${e.tagName.toLowerCase()} ending at ${Math.round(e.getBoundingClientRect().right)} px: `
                  + (e.innerText || e.getAttribute('alt') || '').trim().slice(0, 60))""", PRINT_WIDTH)


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF, from its page objects."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def print_page(browser, html: Path, pdf: Path) -> int:
    """Print one site page to ``pdf``; return its number of pages. Raises SystemExit if something is cut off."""
    page = browser.new_page(viewport={"width": PRINT_WIDTH, "height": 1000})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(html.as_uri())
    page.wait_for_function(MATHJAX_DONE, timeout=120_000)
    page.emulate_media(media="print")
    page.add_style_tag(content=PRINT_STYLE)
    # MathJax breaks a displayed equation wider than the page over several lines, as the page is now narrow
    page.evaluate(RELAYOUT_MATH)
    page.wait_for_function(MATHJAX_DONE, timeout=120_000)
    page.wait_for_timeout(200)
    online = [url for url in requests if url.startswith(("http:", "https:"))]
    wide = too_wide(page)
    if online or wide:
        page.close()
        raise SystemExit(f"{html.name}: " + (f"loads from the network: {online[:3]}" if online else
                                              "cut off at the printed width: " + "; ".join(wide)))
    data = page.pdf(format="A4", print_background=True,
                    margin={side: f"{MARGIN_MM}mm" for side in ("top", "right", "bottom", "left")})
    page.close()
    pdf.write_bytes(data)
    return pdf_pages(data)


def build(out: Path, site: Path, only=(), browser=None) -> dict[str, int]:
    """PDFs of the site's notebook pages (those whose name starts with one of ``only``, if given), printed by
    ``browser`` (a Playwright browser; by default a headless Chromium started here)."""
    pages = sorted(p for p in site.glob("[0-9]*.html") if not only or p.name.startswith(tuple(only)))
    if not pages:
        raise SystemExit(f"no notebook pages in {site}" + (f" starting with {', '.join(only)}" if only else ""))
    if browser is None:
        from playwright.sync_api import sync_playwright

        chromium = chromium_path()
        if not chromium.exists():
            raise SystemExit(missing_browser_message(chromium))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            try:
                return build(out, site, only, browser)
            finally:
                browser.close()
    out.mkdir(parents=True, exist_ok=True)
    printed = {}
    for html in pages:
        pdf = out / html.with_suffix(".pdf").name
        printed[pdf.name] = print_page(browser, html, pdf)
        print(f"  {printed[pdf.name]:3d} pages  {pdf}")
    return printed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("only", nargs="*", help="notebook numbers to print, e.g. 00 05 (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "handouts", help="output folder")
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "html",
                        help="the static site (built by make html; built here if missing)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        sys.path.insert(0, str(ROOT / "scripts"))
        import build_html

        build_html.build(args.site)
    printed = build(args.out, args.site, args.only)
    print(f"wrote {len(printed)} handouts, {sum(printed.values())} pages, to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
