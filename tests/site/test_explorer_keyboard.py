"""The classroom explorer (notebook 10) used with the keyboard alone, in real JupyterLab.

A student who cannot use a mouse, or who listens with a screen reader: every slider and button
has a name the browser's accessibility tree announces, Tab reaches each, the arrow keys move a
slider, Enter presses a button, and what the figure shows is also written out in text. axe-core
checks the explorer's own controls (JupyterLab's interface around them is outside our control).
"""

from __future__ import annotations

import pytest

from test_browser import KERNEL_IDLE, PAGES, PANEL, ROOT, browser, lab, open_notebook  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

NOTEBOOK = ROOT / "notebooks" / "10_classroom_explorer.ipynb"
PARAMETERS = ["w1_1", "w1_2", "w2_1", "w2_2", "b1", "b2", "w3_1", "w3_2", "b3"]
EXPLORER_SLIDERS = ["lr", "view epoch", *PARAMETERS]
BUTTONS = ["reset", "step", "train 100", "previous", "next"]
#: The explorer's output area, and the text it prints beside the figure.
EXPLORER = f"{PANEL}.querySelectorAll('.jp-CodeCell')[1].querySelector('.jp-OutputArea')"
GRADIENT_TEXT = f"{EXPLORER}.querySelectorAll('.widget-html pre')[0].innerText"
SHOWN_TEXT = f"{EXPLORER}.querySelectorAll('.widget-html pre')[1].innerText"
FOCUSED = """() => {
    const e = document.activeElement;
    const slider = e.closest('.widget-slider');
    return {role: e.getAttribute('role'), tag: e.tagName, label: e.getAttribute('aria-label'),
            text: (e.innerText || '').trim(), value: e.getAttribute('aria-valuenow'),
            slider: slider ? slider.querySelector('.widget-label').textContent.trim() : null};
}"""


def table_value(page, name: str) -> float:
    """A parameter's value as the explorer's gradient table prints it."""
    line = next(line for line in page.evaluate(f"() => {GRADIENT_TEXT}").splitlines() if line.startswith(name + " "))
    return float(line.split()[1])


def focused_name(focus) -> str:
    return focus["label"] or focus["text"] or focus["tag"]


@pytest.fixture(scope="module")
def explorer(browser, lab):  # noqa: F811 (fixtures)
    """Notebook 10 with every cell run, its explorer cell selected in command mode."""
    page = open_notebook(browser, lab, NOTEBOOK)
    page.wait_for_function(KERNEL_IDLE, timeout=90_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)
    page.wait_for_function(f"() => {EXPLORER}.querySelector('.widget-output img') !== null", timeout=30_000)
    yield page
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    page.close()
    PAGES.pop(NOTEBOOK, None)  # the page is gone: open_notebook must open a new one next time


def test_every_slider_and_button_has_a_name_a_screen_reader_announces(explorer):
    for name in EXPLORER_SLIDERS:
        assert explorer.get_by_role("slider", name=name, exact=True).count() == 1, name
    assert explorer.get_by_role("slider", name="step", exact=True).count() == 1, "the chain-rule stepper's slider"
    for name in BUTTONS:
        assert explorer.get_by_role("button", name=name, exact=True).count() >= 1, name
    assert explorer.get_by_role("spinbutton", name="seed", exact=True).count() == 1
    assert explorer.get_by_role("combobox", name="gradient of", exact=True).count() == 1


def test_tab_reaches_every_control_and_arrows_and_enter_work(explorer):
    page = explorer
    page.evaluate("""() => {
        const notebook = window.jupyterapp.shell.currentWidget.content;
        notebook.activeCellIndex = 3; notebook.mode = 'command'; notebook.node.focus();
    }""")
    reached, moved, stepped = [], None, False
    for _ in range(120):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUSED)
        name = focused_name(focus)
        if focus["role"] == "slider" or focus["tag"] == "BUTTON":
            reached.append(name)
        if focus["role"] == "slider" and name == "w3_1" and moved is None:
            before = table_value(page, "w3_1")
            page.keyboard.press("ArrowRight")
            page.wait_for_function(f"() => !{GRADIENT_TEXT}.includes('w3_1  {before:+11.4f}')", timeout=30_000)
            moved = (before, table_value(page, "w3_1"))
        if focus["tag"] == "BUTTON" and name == "step" and not stepped:
            epoch = int(page.evaluate(f"() => {GRADIENT_TEXT}").split("at epoch ")[1].split()[0])
            page.keyboard.press("Enter")
            page.wait_for_function(f"() => {GRADIENT_TEXT}.includes('at epoch {epoch + 1}')", timeout=30_000)
            stepped = True
        if set(EXPLORER_SLIDERS) | {"reset", "step", "train 100"} <= set(reached) and moved and stepped:
            break
    missing = (set(EXPLORER_SLIDERS) | {"reset", "step", "train 100"}) - set(reached)
    assert not missing, f"Tab never reached {sorted(missing)}; it reached {reached}"
    # one step of 0.01 to the right, from the slider's grid of 0.01 (a trained value lies between its points)
    assert moved is not None and abs(moved[1] - (round(moved[0], 2) + 0.01)) < 1e-9, moved
    assert stepped


def test_what_the_figure_shows_is_also_in_text(explorer):
    alt = explorer.evaluate(f"() => {EXPLORER}.querySelector('.widget-output img').alt")
    assert alt.startswith("Three panels at epoch") and "points on the right side of 0.5" in alt, alt
    shown = explorer.evaluate(f"() => {SHOWN_TEXT}")
    assert "on the right side of 0.5" in shown and "y_hat" in shown
    assert sum(line.startswith("(") for line in shown.splitlines()) == 4, shown
    gradient = explorer.evaluate(f"() => {GRADIENT_TEXT}")
    assert all(f"\n{name:<6}" in gradient for name in PARAMETERS), gradient


def test_the_explorer_passes_axe_and_axe_would_see_an_unnamed_slider(explorer):
    from accessibility import WCAG_AA, described, run_axe

    explorer.evaluate(f"() => {EXPLORER}.setAttribute('data-axe-target', '')")
    found = described("explorer", run_axe(explorer, tags=WCAG_AA, within="[data-axe-target]"))
    assert found == [], "\n".join(found)
    # without the names the explorer gives them, ipywidgets' slider handles are nameless
    explorer.evaluate(f"""() => {{
        window.xorlibSliderNames.disconnect();
        {EXPLORER}.querySelectorAll('.noUi-handle').forEach(h => h.removeAttribute('aria-label'));
    }}""")
    rules = {v["id"] for v in run_axe(explorer, tags=WCAG_AA, within="[data-axe-target]")}
    assert "aria-input-field-name" in rules
