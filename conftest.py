"""Root pytest configuration.

nbval opens the sanitize file relative to the current directory, so it is set
here as an absolute path, whichever directory pytest is started from.

matplotlib's font cache is built here, before any notebook's kernel starts:
otherwise, on a fresh install that skipped the Makefile (conda, Binder), the
first figure's "building the font cache" notice would reach a cell's stderr
and fail it under nbval.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", None) is None:
        config.option.nbval_sanitize_with = str(ROOT / "nbval_sanitize.cfg")
    import matplotlib.font_manager  # noqa: F401  (the import builds the cache if it is missing)
