"""Every notebook opened and run in real JupyterLab, in headless Chromium.

A student's path: open the notebook, wait for the kernel, clear the outputs,
run all cells. In the explorer notebook, also move a slider and press step.
Each cell must run without an error or stderr output, the figures must render
as images and the LaTeX must be typeset. A screenshot of each notebook is saved under build/screenshots/.

Needs Debian's chromium (``apt-get install chromium``; ``.ci/run`` installs
it). Without it these tests are skipped with a message saying how to enable
them, unless XORLIB_REQUIRE_BROWSER is set (as in CI), when they fail. JupyterLab
runs on a temporary copy of the notebooks, because it autosaves.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from browser_path import chromium_path, missing_browser_message

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = chromium_path()
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-first-run"]
SKIP_MESSAGE = missing_browser_message(CHROMIUM)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("XORLIB_REQUIRE_BROWSER"):  # set by .ci/run
            pytest.fail(SKIP_MESSAGE.replace("skipped", "required (XORLIB_REQUIRE_BROWSER is set)"))
        pytest.skip(SKIP_MESSAGE)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """Real JupyterLab on loopback, a random token and a free port, serving a copy of notebooks/."""
    home = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", home / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell, not only those in view, so that all outputs can be checked.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    # No "get notified about Jupyter news?" toast over the screenshots.
    apputils = home / "settings" / "@jupyterlab" / "apputils-extension"
    apputils.mkdir(parents=True)
    (apputils / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={home}", "--LabApp.expose_app_in_browser=True",
               f"--LabApp.user_settings_dir={home / 'settings'}", f"--LabApp.workspaces_dir={home / 'workspaces'}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    log = open(home / "lab.log", "w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=home)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"JupyterLab did not start:\n{(home / 'lab.log').read_text()[-3000:]}")
            time.sleep(0.5)
    yield url, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


KERNEL_IDLE = """() => {
    const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    const session = widget && widget.sessionContext && widget.sessionContext.session;
    return !!(session && session.kernel && session.kernel.status === 'idle' && widget.content.model);
}"""

PANEL = "window.jupyterapp.shell.currentWidget.node"
IMAGES = f"{PANEL}.querySelectorAll('.jp-OutputArea-output img').length"

CELL_REPORT = """() => {
    const model = window.jupyterapp.shell.currentWidget.content.model;
    const cells = [];
    for (let i = 0; i < model.cells.length; i++) {
        const cell = model.cells.get(i);
        if (cell.type !== 'code') continue;
        cells.push({count: cell.executionCount, source: cell.sharedModel.getSource(),
                    outputs: cell.outputs.toJSON()});
    }
    return cells;
}"""


def expected(path):
    nb = nbformat.read(path, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    images = sum("image/png" in o.get("data", {}) for o in outputs)
    latex = any("text/latex" in o.get("data", {}) for o in outputs) or any(
        "$" in c.source for c in nb.cells if c.cell_type == "markdown")
    return images, latex


PAGES = {}  # notebook -> its page, opened ahead of time


def open_notebook(browser, lab, path):
    """A new page with ``path`` open in JupyterLab, loading in the background."""
    if path not in PAGES:
        url, token = lab
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # A workspace of its own, reset, so that no other notebook is restored into the page.
        page.goto(f"{url}/lab/workspaces/{path.stem}/tree/notebooks/{path.name}?reset&token={token}",
                  wait_until="commit", timeout=60_000)
        PAGES[path] = page
    return PAGES[path]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_jupyterlab(browser, lab, path):
    images, latex = expected(path)
    page = open_notebook(browser, lab, path)
    following = NOTEBOOKS.index(path) + 1
    if following < len(NOTEBOOKS):  # let the next notebook load and start its kernel meanwhile
        open_notebook(browser, lab, NOTEBOOKS[following])
    try:
        page.wait_for_function(KERNEL_IDLE, timeout=90_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        assert page.evaluate(f"() => {IMAGES}") == 0
        ran_cleanly = page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(KERNEL_IDLE, timeout=120_000)
        cells = page.evaluate(CELL_REPORT)
        code = [c for c in cells if c["source"].strip()]
        assert [c["count"] for c in code] == list(range(1, len(code) + 1)), "every cell ran once, in order"
        problems = [f"cell {c['count']}: {o.get('ename') or o.get('text', '')[:200]}"
                    for c in code for o in c["outputs"]
                    if o["output_type"] == "error" or (o["output_type"] == "stream" and o.get("name") == "stderr")]
        assert problems == [] and ran_cleanly is True, problems
        page.wait_for_function(f"() => {IMAGES} >= {images}", timeout=30_000)
        if latex:
            page.wait_for_function(f"() => {PANEL}.querySelectorAll('mjx-container').length > 0", timeout=30_000)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{path.stem}.png"))
        if path.stem == "10_classroom_explorer":
            use_the_explorer(page)
    finally:
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
        page.close()
        PAGES.pop(path)


def test_static_site_typesets_math_offline(browser, tmp_path):
    import build_html  # scripts/, on pytest's pythonpath
    build_html.build(tmp_path)
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto((tmp_path / "02_local_jacobians.html").as_uri())
        page.wait_for_function("() => document.querySelectorAll('.MathJax, .MathJax_Display').length > 5"
                               " && window.MathJax && MathJax.Hub.queue.pending === 0", timeout=30_000)
        assert "Math Processing Error" not in page.inner_text("body")
        assert page.locator("img[src^='data:image/png']").count() >= 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "static_02_local_jacobians.png"))
    finally:
        page.close()


def use_the_explorer(page):
    """A student moves a slider, presses step, and sees the figure change."""
    figure = f"{PANEL}.querySelector('.widget-output img')"
    table = f"{PANEL}.querySelector('.widget-html pre').innerText"
    page.wait_for_function(f"() => {figure} !== null", timeout=30_000)
    first = page.evaluate(f"() => {figure}.src")

    slider = page.locator(".widget-slider", has=page.locator("label", has_text="w3_1")).first
    slider.locator(".widget-readout").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("-1.50")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => {table}.includes('w3_1      -1.5000')", timeout=30_000)
    page.wait_for_function(f"() => {figure} && {figure}.src !== {json.dumps(first)}", timeout=30_000)
    page.wait_for_timeout(1500)  # let the redraw settle before taking the reference image
    moved = page.evaluate(f"() => {figure}.src")

    page.get_by_role("button", name="step", exact=True).click()
    page.wait_for_function(f"() => {table}.includes('at epoch 1')", timeout=30_000)
    page.wait_for_function(f"() => {figure} && {figure}.src !== {json.dumps(moved)}", timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "10_classroom_explorer_after_step.png"))
