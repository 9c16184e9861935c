"""XORLIB_CHROMIUM chooses the browser of the browser tests; unset, it is Debian's chromium."""

import os
import stat
from pathlib import Path

from browser_path import DEFAULT, VARIABLE, chromium_path, missing_browser_message


def test_unset_or_empty_variable_means_debians_chromium():
    assert chromium_path({}) == Path("/usr/bin/chromium") == DEFAULT
    assert chromium_path({VARIABLE: ""}) == DEFAULT
    assert chromium_path({VARIABLE: "   "}) == DEFAULT


def test_a_path_is_taken_as_given():
    assert chromium_path({VARIABLE: "/usr/bin/google-chrome"}) == Path("/usr/bin/google-chrome")
    assert chromium_path({VARIABLE: " /opt/chrome/chrome\n"}) == Path("/opt/chrome/chrome")


def test_a_path_under_home_is_expanded():
    assert chromium_path({VARIABLE: "~/browsers/chrome"}) == Path.home() / "browsers" / "chrome"


def test_a_command_name_is_looked_up_on_path(tmp_path):
    browser = tmp_path / "my-chrome"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    found = chromium_path({VARIABLE: "my-chrome", "PATH": f"/nonexistent{os.pathsep}{tmp_path}"})
    assert found == browser


def test_a_command_name_not_on_path_is_kept_for_the_message(tmp_path):
    path = chromium_path({VARIABLE: "no-such-browser", "PATH": str(tmp_path)})
    assert path == Path("no-such-browser")
    message = missing_browser_message(path)
    assert "no-such-browser" in message and VARIABLE in message and "apt-get install -y chromium" in message
