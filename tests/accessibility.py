"""axe-core in the browser: the accessibility check of the static site and the slide decks.

axe-core comes from npm, pinned in ``slides/package-lock.json`` beside reveal.js; ``make slides``
installs it into ``build/slides-vendor``. Without it the accessibility tests are skipped, and say
how to install it, unless XORLIB_REQUIRE_BROWSER is set (as in CI, whose ``.ci/run`` runs ``make slides``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "build" / "slides-vendor" / "node_modules" / "axe-core" / "axe.min.js"

#: WCAG 2.0 and 2.1, levels A and AA: what course material at many universities must meet.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: axe's rules for a page's structure (in its "best-practice" set, not WCAG's): one top heading,
#: heading levels in order, no empty heading, all content inside landmarks such as <main>.
STRUCTURE = ["page-has-heading-one", "heading-order", "empty-heading", "landmark-one-main", "region"]


def require_axe() -> Path:
    """The path of axe.min.js, or a skip (a failure in CI) that says how to install it."""
    if not AXE.exists():
        message = (f"accessibility tests skipped: axe-core is not installed at {AXE}; `make slides` installs it "
                   "from npm (slides/package-lock.json)")
        if os.environ.get("XORLIB_REQUIRE_BROWSER"):
            pytest.fail(message.replace("skipped", "required (XORLIB_REQUIRE_BROWSER is set)"))
        pytest.skip(message)
    return AXE


def run_axe(page, rules: list[str] | None = None, tags: list[str] | None = None, within: str | None = None):
    """axe's violations on ``page`` (axe is injected if not yet there): ``tags`` or ``rules`` choose the
    checks, ``within`` a CSS selector to check only the last element it matches."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(require_axe()))
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": tags or WCAG_AA}
    return page.evaluate("""([only, within]) => {
        const nodes = within ? document.querySelectorAll(within) : [document];
        return axe.run(nodes[nodes.length - 1], {runOnly: only}).then(result => result.violations);
    }""", [only, within])


def described(name: str, violations) -> list[str]:
    """One line per element that breaks a rule: page, rule, element, and axe's reason."""
    return [f"{name}: {v['id']} ({v['impact']}): {node['html'][:100]!r}: "
            + " ".join(node.get("failureSummary", "").split())[:240]
            for v in violations for node in v["nodes"]]
