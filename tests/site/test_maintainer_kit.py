"""The CI workflow stays a thin wrapper around .ci/run, and the licence and
citation metadata agree with each other and with the package."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "test.yml"


def load_workflow():
    return yaml.safe_load(WORKFLOW.read_text())


def test_workflow_runs_ci_run_and_nothing_else():
    # Any other command belongs in .ci/run, so that CI and a local run cannot drift apart.
    (job,) = load_workflow()["jobs"].values()
    commands = [step["run"].strip() for step in job["steps"] if "run" in step]
    assert commands == ["bash .ci/run"]


def test_workflow_python_is_the_oldest_supported():
    (job,) = load_workflow()["jobs"].values()
    (setup,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@")]
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == f">={setup['with']['python-version']}"


def test_workflow_actions_are_pinned_to_commits():
    (job,) = load_workflow()["jobs"].values()
    uses = [step["uses"] for step in job["steps"] if "uses" in step]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses


def test_make_test_runs_the_lint_first():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test:[^\n]*\blint\b", makefile, re.MULTILINE), "make test must depend on lint"
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), re.MULTILINE)


def test_licences_agree_with_pyproject_and_citation():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")
    content = (ROOT / "LICENSE-CONTENT").read_text()
    assert "https://creativecommons.org/licenses/by/4.0/" in content
    assert "Attribution 4.0 International Public License" in content
    assert citation["license"] == ["MIT", "CC-BY-4.0"]
    assert str(citation["version"]) == project["version"]
