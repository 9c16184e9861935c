"""Which Chromium the browser tests drive.

``XORLIB_CHROMIUM`` names it: a path such as ``/usr/bin/google-chrome`` (the
Chrome a GitHub-hosted runner ships), a Playwright-installed Chromium, or a
command name looked up on ``PATH``. Unset or empty, it is Debian's
``/usr/bin/chromium``, which ``.ci/run`` installs. ``.ci/run`` reads the same
variable, so CI and the tests always agree on the browser.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

VARIABLE = "XORLIB_CHROMIUM"
DEFAULT = Path("/usr/bin/chromium")


def chromium_path(environ: Mapping[str, str] | None = None) -> Path:
    """The browser to launch: ``$XORLIB_CHROMIUM`` if set, else Debian's ``/usr/bin/chromium``.

    A bare command name (no ``/``) is looked up on ``PATH``; if it is not found
    there, the name is returned as it is, so that the caller's "not installed"
    message names what was asked for. The path is not required to exist.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(VARIABLE, "").strip()
    if not value:
        return DEFAULT
    if os.sep not in value:
        found = shutil.which(value, path=environ.get("PATH", os.defpath))
        return Path(found) if found else Path(value)
    return Path(value).expanduser()


def missing_browser_message(path: Path) -> str:
    """What to do when ``path`` is not an executable browser."""
    return (f"browser tests skipped: no Chromium at {path}. Install Debian's with "
            f"`apt-get install -y chromium` (as .ci/run does), or set {VARIABLE} to another "
            "Chromium or Chrome executable, e.g. /usr/bin/google-chrome.")
