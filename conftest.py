"""Root pytest configuration.

nbval opens the sanitize file relative to the current directory, so it is set
here as an absolute path, whichever directory pytest is started from.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", None) is None:
        config.option.nbval_sanitize_with = str(ROOT / "nbval_sanitize.cfg")
