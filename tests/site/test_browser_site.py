"""The static site's index page typesets its math offline, in headless Chromium.

Needs Chromium ($XORLIB_CHROMIUM, default Debian's /usr/bin/chromium), driven by Playwright for Python;
skipped without it, unless XORLIB_REQUIRE_BROWSER is set (as in CI).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser_path import chromium_path, missing_browser_message

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = chromium_path()
SCREENSHOTS = ROOT / "build" / "screenshots"
MATHJAX_DONE = ("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 "
                "&& MathJax.Hub.queue.running === 0")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import build_html  # scripts/, on pytest's pythonpath
    out = tmp_path_factory.mktemp("site")
    build_html.build(out)
    return out


@pytest.fixture(scope="module")
def page():
    if not CHROMIUM.exists():
        message = missing_browser_message(CHROMIUM)
        if os.environ.get("XORLIB_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        yield page
        browser.close()


def test_index_typesets_every_formula_offline(site, page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((site / "index.html").as_uri())
    page.wait_for_function(MATHJAX_DONE, timeout=60_000)
    goals = page.locator("ol ul li")
    formulas = page.locator("ol .MathJax")
    assert goals.count() > 20 and formulas.count() >= 8
    text = page.inner_text("ol")
    assert "$" not in text and "\\nabla" not in text, "no LaTeX is left raw"
    assert "Math Processing Error" not in text
    assert [url for url in requests if url.startswith(("http:", "https:"))] == [], "nothing loads from a network"
    assert any(url.endswith("MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe") for url in requests)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "static_index.png"), full_page=True)


def test_handouts_print_every_page_offline_with_nothing_cut_off(site, tmp_path, page):
    import build_handouts  # scripts/, on pytest's pythonpath

    printed = build_handouts.build(tmp_path, site, only=("00", "05_"), browser=page.context.browser)
    assert sorted(printed) == ["00_xor_and_the_network.pdf", "05_training.pdf"]
    for name, pages in printed.items():
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"%PDF") and pages == build_handouts.pdf_pages(data)
        assert 3 <= pages <= 20, (name, pages)


def test_a_handout_with_something_wider_than_the_page_is_refused(tmp_path, page):
    import build_handouts

    site = tmp_path / "site"
    site.mkdir()
    (site / "00_wide.html").write_text('<html><body><p>fits</p><div style="width: 1200px">a table too wide to print'
                                       "</div></body></html>")
    with pytest.raises(SystemExit, match="00_wide.html: cut off at the printed width: div ending at 1208 px"):
        build_handouts.build(tmp_path / "out", site, browser=page.context.browser)
    assert not (tmp_path / "out" / "00_wide.pdf").exists()


def test_every_figure_of_the_site_carries_its_description(site):
    import re

    images = 0
    for page in sorted(site.glob("[0-9]*.html")):
        for tag in re.findall(r"<img[^>]*>", page.read_text()):
            images += 1
            alts = re.findall(r'\balt="([^"]*)"', tag)
            assert len(alts) == 1 and len(alts[0]) >= 80, (page.name, tag[:120])
            assert "No description has been provided" not in alts[0]
    assert images >= 17


def test_every_formula_has_mathml_a_screen_reader_can_read(site, page):
    """MathJax's assistive MathML: each typeset formula carries a hidden <math> copy that screen readers read."""
    page.goto((site / "03_chain_rule_and_layout.html").as_uri())
    page.wait_for_function(MATHJAX_DONE, timeout=60_000)
    formulas = page.evaluate("() => MathJax.Hub.getAllJax().length")
    assistive = page.locator(".MJX_Assistive_MathML math")
    assert formulas > 100 and assistive.count() == formulas
    assert "<mi>L</mi>" in assistive.first.inner_html()


def test_every_page_of_the_site_passes_axe(site, page):
    """axe-core over the index and every notebook page, typeset: WCAG 2.1 A and AA, and a page structure
    a screen reader can navigate (one top heading, levels in order, content inside landmarks)."""
    from accessibility import STRUCTURE, WCAG_AA, described, require_axe, run_axe

    require_axe()
    pages = sorted(site.glob("[0-9]*.html")) + [site / "index.html"]
    assert len(pages) >= 18
    found = []
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_function(MATHJAX_DONE, timeout=60_000)
        found += described(path.name, run_axe(page, tags=WCAG_AA) + run_axe(page, rules=STRUCTURE))
    assert found == [], f"{len(found)} accessibility violations:\n" + "\n".join(found[:40])


def test_axe_finds_what_it_should(tmp_path, page):
    """The check can fail: a figure without a description, grey text too faint to read, and a page
    that skips from its top heading to a third-level one are each reported."""
    from accessibility import STRUCTURE, WCAG_AA, run_axe

    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>bad</title></head><body><main><h1>Top</h1>'
                   '<h3>Skipped a level</h3><img src="data:image/png;base64,iVBORw0KGgo=">'
                   '<p style="color: #b0b0b0">In [1]:</p></main></body></html>')
    page.goto(bad.as_uri())
    rules = {v["id"] for v in run_axe(page, tags=WCAG_AA) + run_axe(page, rules=STRUCTURE)}
    assert {"image-alt", "color-contrast", "heading-order"} <= rules
