"""A notebook presented with RISE in real JupyterLab, in headless Chromium.

An instructor's path: open notebook 00 in JupyterLab, start the slideshow
(RISE's "slideshow" command, which opens the deck in a new window), and press
the right arrow through the first slides. Each slide must show the heading of
its section, as derived by scripts/slides.py; nothing may be fetched from
outside the machine. A screenshot of each slide is saved under
build/screenshots/.

JupyterLab runs on a temporary copy of the notebooks (loopback, a random
token, a free port), started by the fixtures of tests/site/test_browser.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

from test_browser import KERNEL_IDLE, SCREENSHOTS, browser, lab  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
import slides  # noqa: E402  (scripts/, on pytest's pythonpath)

NOTEBOOK = ROOT / "notebooks" / "00_xor_and_the_network.ipynb"
SLIDES_TO_VISIT = 4

# The heading of the slide on screen: the first heading inside the innermost present section.
PRESENT_HEADING = """() => {
    const present = document.querySelectorAll('.reveal .slides section.present');
    if (!present.length) return null;
    const heading = present[present.length - 1].querySelector('h1, h2, h3');
    return heading ? heading.textContent.replace('¶', '').trim() : '';
}"""
HORIZONTAL_INDEX = """() => Array.from(document.querySelectorAll('.reveal .slides > section'))
    .findIndex(s => s.classList.contains('present'))"""


def slide_headings(path) -> list[str]:
    """The heading of each slide, in order, from the slide types scripts/slides.py derives."""
    nb = nbformat.read(path, as_version=4)
    headings = []
    for cell, kind in zip(nb.cells, slides.slide_types(nb.cells)):
        if kind == "slide":
            line = next(line for line in cell.source.splitlines() if line.strip())
            headings.append(re.sub(r"^#+\s*", "", line).strip())
    return headings


def test_stored_slide_metadata_gives_the_expected_headings():
    assert slide_headings(NOTEBOOK)[:SLIDES_TO_VISIT] == [
        "00 · XOR and the network", "The XOR truth table", "Why no line separates XOR", "The network"]


def visit_slides(page, count: int, prefix: str, pause_ms: int) -> list[str]:
    """The heading shown on each of the first ``count`` slides, a screenshot of each saved
    as ``build/screenshots/{prefix}_slideN.png``. To advance, the right arrow is pressed
    until the slide changes (a slide's fragments come first)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shown = []
    for number in range(1, count + 1):
        if number > 1:
            before = page.evaluate(HORIZONTAL_INDEX)
            for _ in range(20):
                page.keyboard.press("ArrowRight")
                page.wait_for_timeout(pause_ms)
                if page.evaluate(HORIZONTAL_INDEX) != before:
                    break
            page.wait_for_timeout(800)  # let the slide transition finish before the screenshot
        shown.append(page.evaluate(PRESENT_HEADING))
        page.screenshot(path=str(SCREENSHOTS / f"{prefix}_slide{number}.png"))
    return shown


def test_notebook_presents_as_slides_with_rise(browser, lab):  # noqa: F811 (fixtures)
    url, token = lab
    expected = slide_headings(NOTEBOOK)[:SLIDES_TO_VISIT]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    outside = []

    def only_loopback(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page = context.new_page()
    try:
        page.goto(f"{url}/lab/workspaces/rise/tree/notebooks/{NOTEBOOK.name}?reset&token={token}", timeout=60_000)
        page.wait_for_function(KERNEL_IDLE, timeout=90_000)
        page.evaluate("() => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0; }")
        with context.expect_page(timeout=30_000) as opened:
            page.evaluate("() => window.jupyterapp.commands.execute('RISE:slideshow')")
        deck = opened.value
        assert urlparse(deck.url).path.startswith("/rise/notebooks/")
        deck.wait_for_function(f"() => ({PRESENT_HEADING})() === {expected[0]!r}", timeout=90_000)
        shown = visit_slides(deck, len(expected), f"rise_{NOTEBOOK.stem}", pause_ms=400)
        assert shown == expected
        assert outside == [], f"requests left the machine: {outside}"
    finally:
        context.close()


#: Every state of a deck, slide by slide and fragment by fragment, walked inside the page: for each,
#: what is wrong with what the audience sees (content taller than the slide without a scroll bar, a
#: slide running off the window, the fragment just shown out of view, a code line cut off on the right).
WALK = """() => {
  const states = [];
  const height = Reveal.getConfig().height;
  Reveal.slide(0, 0, -1);
  for (let step = 0; step < 1000; step++) {
    const present = document.querySelectorAll('.reveal .slides section.present');
    const s = present[present.length - 1];
    const idx = Reveal.getIndices();
    const box = s.getBoundingClientRect();
    const style = getComputedStyle(s);
    const fits = s.scrollHeight <= height + 2;
    const scrollable = ['auto', 'scroll'].includes(style.overflowY) && s.clientHeight <= height + 2;
    const problems = [];
    if (!fits && !scrollable) problems.push(`content ${s.scrollHeight}px high on a ${height}px slide, no scroll bar`);
    if (box.bottom > window.innerHeight + 2 || box.top < -2) problems.push('the slide runs off the window');
    const shown = s.querySelectorAll('.fragment.current-fragment');
    shown.forEach(f => {
      const r = f.getBoundingClientRect();
      if (r.top < box.top - 2 || r.top > box.bottom - 16 || (r.height <= box.height && r.bottom > box.bottom + 2))
        problems.push('the fragment just shown is out of view');
    });
    s.querySelectorAll('pre').forEach(p => {
      if (p.scrollWidth > p.clientWidth + 2 && !['auto', 'scroll'].includes(getComputedStyle(p).overflowX))
        problems.push('a code line runs off the right edge');
    });
    const heading = s.querySelector('h1, h2, h3');
    const title = heading ? heading.textContent.replace('¶', '').trim() : '';
    states.push({h: idx.h, v: idx.v, f: idx.f, heading: title, problems});
    if (Reveal.isLastSlide() && !Reveal.availableFragments().next) break;
    Reveal.next();
  }
  return states;
}"""
VIEWPORTS = [(1280, 800), (1920, 1080)]
MATHJAX_DONE = ("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 "
                "&& MathJax.Hub.queue.running === 0")


@pytest.fixture(scope="module")
def static_decks(tmp_path_factory):
    """make slides: every notebook's static reveal.js deck, built once into a temporary folder."""
    import build_slides  # scripts/, on pytest's pythonpath
    if not (build_slides.VENDOR / "reveal.js" / "dist" / "reveal.js").exists():
        pytest.skip(f"static slides skipped: reveal.js is not installed in {build_slides.VENDOR}; "
                    "`make slides` installs it from npm (slides/package-lock.json)")
    out = tmp_path_factory.mktemp("slides")
    build_slides.build(out)
    return out


def open_deck(context, path):
    """A deck opened from disk, ready, with slide transitions off (the walk needs no animation)."""
    remote, errors = [], []
    context.route("**/*", lambda route: (route.continue_() if route.request.url.startswith(("file:", "data:"))
                                         else (remote.append(route.request.url), route.abort())))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_function("() => window.Reveal !== undefined && Reveal.isReady()", timeout=30_000)
    return page, remote, errors


def test_static_deck_presents_offline(browser, static_decks):  # noqa: F811 (fixture)
    """The static deck of notebook 00, opened from disk: its first slides, local MathJax, nothing from a network."""
    expected = slide_headings(NOTEBOOK)[:SLIDES_TO_VISIT]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page, remote, errors = open_deck(context, static_decks / f"{NOTEBOOK.stem}.slides.html")
        shown = visit_slides(page, SLIDES_TO_VISIT, f"static_slides_{NOTEBOOK.stem}", pause_ms=300)
        assert shown == expected
        assert remote == [] and errors == []
        assert page.locator(".reveal .MathJax, .reveal .MathJax_Display").count() > 0, "math typeset by local MathJax"
    finally:
        context.close()


@pytest.mark.parametrize("width, height", VIEWPORTS)
def test_every_state_of_every_static_deck_can_be_seen(browser, static_decks, width, height):  # noqa: F811
    """Each deck walked through every slide and fragment at a laptop's and a projector's size: no page
    error, and in every state the content fits or scrolls, and what was just revealed is in view."""
    found = []
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        for deck in sorted(static_decks.glob("*.slides.html")):
            page, remote, errors = open_deck(context, deck)
            page.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
            states = page.evaluate(WALK)
            assert len(states) >= 3, f"{deck.name}: the walk saw {len(states)} states"
            found += [f"{deck.name}: page error: {error}" for error in dict.fromkeys(errors)]
            found += [f"{deck.name}: slide {s['h']}.{s['v']} fragment {s['f']} ({s['heading']!r}): {problem}"
                      for s in states for problem in dict.fromkeys(s["problems"])]
            found += [f"{deck.name}: fetched from a network: {url}" for url in remote]
            page.close()
    finally:
        context.close()
    assert found == [], f"{len(found)} problems at {width}x{height}:\n" + "\n".join(found[:40])


def test_every_slide_of_every_static_deck_passes_axe(browser, static_decks):  # noqa: F811 (fixture)
    """axe-core over each deck, with every fragment shown: WCAG 2.1 A and AA and the heading structure
    on the deck as a whole, then the contrast of the text on each slide in turn (axe judges the colours
    of visible text only, and a deck shows one slide at a time)."""
    from accessibility import WCAG_AA, described, require_axe, run_axe

    require_axe()
    found, slides_checked = [], 0
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        for deck in sorted(static_decks.glob("*.slides.html")):
            page, remote, errors = open_deck(context, deck)
            page.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none', "
                          "fragments: false})")
            page.wait_for_function(MATHJAX_DONE, timeout=60_000)
            found += described(deck.name, run_axe(page, tags=WCAG_AA)
                               + run_axe(page, rules=["page-has-heading-one", "heading-order", "empty-heading"]))
            while True:
                found += described(f"{deck.name} slide {page.evaluate('() => Reveal.getIndices().h')}",
                                   run_axe(page, rules=["color-contrast"], within=".reveal .slides section.present"))
                slides_checked += 1
                if page.evaluate("() => Reveal.isLastSlide()"):
                    break
                page.evaluate("() => Reveal.next()")
            found += [f"{deck.name}: page error: {error}" for error in errors]
            page.close()
    finally:
        context.close()
    assert slides_checked >= 100
    assert found == [], f"{len(found)} accessibility violations:\n" + "\n".join(found[:40])
