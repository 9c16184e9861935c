"""JAX is optional: without it, a clear install message and a skip with its reason.

These tests need no JAX: they hide it (``find_spec`` finds nothing) and check
what a learner and ``make test`` see then.
"""

import importlib.util
from pathlib import Path

import pytest

import xorlib.course.autodiff as autodiff

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "12_from_xorlib_to_jax.ipynb"


@pytest.fixture
def without_jax(monkeypatch):
    real = importlib.util.find_spec
    def find_spec(name, *args):
        return None if name in ("jax", "jaxlib") else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.fixture
def root_conftest():
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_jax_the_reason_says_how_to_install_it(without_jax):
    reason = autodiff.jax_missing()
    assert reason.startswith("JAX is not installed (jax and jaxlib not found)")
    assert 'pip install -e ".[autodiff]"' in reason and "make autodiff" in reason


def test_without_jax_require_jax_shows_the_message_and_no_traceback(without_jax):
    with pytest.raises(autodiff.JaxNotInstalled) as raised:
        autodiff.require_jax()
    assert isinstance(raised.value, ImportError)
    lines = raised.value._render_traceback_()  # what IPython shows instead of a traceback
    assert lines == [str(raised.value)]
    assert 'pip install -e ".[autodiff]"' in lines[0] and "restart the kernel" in lines[0]


def test_the_notebook_asks_for_jax_in_its_first_code_cell():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert "require_jax()" in first.source
    assert 'pip install -e ".[autodiff]"' in nb.cells[0].source


class FakeItem:
    """Just enough of a pytest item for the root conftest's rule."""

    def __init__(self, path, browser=False, params=None):
        self.path, self.browser, self.markers = Path(path), browser, []
        if params is not None:
            self.callspec = type("CallSpec", (), {"params": params})()

    def get_closest_marker(self, name):
        return object() if name == "browser" and self.browser else None

    def add_marker(self, marker):
        self.markers.append(marker)


def items():
    return {
        "nbval cell of notebook 12": FakeItem(NOTEBOOK),
        "notebook 12 in the browser": FakeItem(ROOT / "tests" / "test_browser.py", browser=True,
                                               params={"path": NOTEBOOK}),
        "stored-notebook check of notebook 12": FakeItem(ROOT / "tests" / "test_notebooks_stored.py",
                                                         params={"path": NOTEBOOK}),
        "nbval cell of notebook 04": FakeItem(ROOT / "notebooks" / "04_the_relu_kink.ipynb"),
    }


def test_without_jax_only_what_runs_notebook_12_is_skipped_with_the_reason(without_jax, root_conftest, monkeypatch):
    monkeypatch.delenv("XORLIB_REQUIRE_JAX", raising=False)
    found = items()
    root_conftest.pytest_collection_modifyitems(None, list(found.values()))
    skipped = {name for name, item in found.items() if item.markers}
    assert skipped == {"nbval cell of notebook 12", "notebook 12 in the browser"}
    mark = found["nbval cell of notebook 12"].markers[0].mark
    assert mark.name == "skip" and mark.kwargs["reason"] == autodiff.jax_missing()


def test_when_jax_is_required_nothing_is_skipped(without_jax, root_conftest, monkeypatch):
    monkeypatch.setenv("XORLIB_REQUIRE_JAX", "1")
    found = items()
    root_conftest.pytest_collection_modifyitems(None, list(found.values()))
    assert not any(item.markers for item in found.values())


def test_every_notebook_said_to_need_jax_exists_and_imports_it():
    import nbformat

    assert autodiff.NEEDS_JAX
    for name in autodiff.NEEDS_JAX:
        nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
        assert any("require_jax()" in c.source for c in nb.cells if c.cell_type == "code"), name


def test_the_install_pins_are_pyprojects_autodiff_extra():
    import tomllib
    from pathlib import Path

    from xorlib.course.autodiff import PINS

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    assert list(PINS) == pyproject["project"]["optional-dependencies"]["autodiff"]
