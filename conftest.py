"""Root pytest configuration.

nbval opens the sanitize file relative to the current directory, so it is set
here as an absolute path, whichever directory pytest is started from.

Notebooks that need JAX (an optional extra) are skipped, with the reason and
how to install it, when JAX is missing, unless XORLIB_REQUIRE_JAX is set (as in CI).

matplotlib's font cache is built here, before any notebook's kernel starts:
otherwise, on a fresh install that skipped the Makefile (conda, Binder), the
first figure's "building the font cache" notice would reach a cell's stderr
and fail it under nbval.
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", None) is None:
        config.option.nbval_sanitize_with = str(ROOT / "nbval_sanitize.cfg")
    import matplotlib.font_manager  # noqa: F401  (the import builds the cache if it is missing)


def _runs_a_notebook_that_needs_jax(item) -> bool:
    """A cell of such a notebook under nbval, or such a notebook run in JupyterLab."""
    from xorlib.course.autodiff import NEEDS_JAX

    if item.path.name in NEEDS_JAX:
        return True
    params = getattr(getattr(item, "callspec", None), "params", {})
    return item.get_closest_marker("browser") is not None and any(
        isinstance(value, Path) and value.name in NEEDS_JAX for value in params.values())


def pytest_collection_modifyitems(config, items):
    from xorlib.course.autodiff import jax_missing

    reason = jax_missing()
    if reason is None or os.environ.get("XORLIB_REQUIRE_JAX"):
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if _runs_a_notebook_that_needs_jax(item):
            item.add_marker(skip)
