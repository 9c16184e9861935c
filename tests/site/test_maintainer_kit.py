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


# --- the course guide ------------------------------------------------------------------

GUIDE = ROOT / "INSTRUCTORS.md"


def test_the_course_guide_is_linked_from_the_readmes_first_screen():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:40])
    assert "[INSTRUCTORS.md](INSTRUCTORS.md)" in first_screen


def test_the_guides_table_has_every_notebook_with_its_exercises_and_points():
    import build_assignments  # scripts/, on pytest's pythonpath
    import nbformat

    from xorlib.course.exercises import EXERCISES

    rows = re.findall(r"^\| (\d\d[a-z]?) [^|]+\| ([^|]+) \|[^|]+\| (\d+) (short|coding) \| (\d+) \|$",
                      GUIDE.read_text(), re.M)
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [number for number, *_ in rows] == [path.name.split("_")[0] for path in notebooks]
    for (number, _, count, kind, points), path in zip(rows, notebooks):
        ids = [m.group("id") for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"
               for line in cell.source.splitlines() if (m := build_assignments.CHECK.match(line))]
        assert int(count) == len(ids), number
        assert {getattr(EXERCISES[i], "kind", "short") for i in ids} == {"short" if kind == "short" else "code"}
        assert int(points) == sum(build_assignments.points_of(EXERCISES[i]) for i in ids), number


def test_the_guides_learner_times_are_the_walk_throughs():
    times = dict(re.findall(r"^\| (\d\d[a-z]?) [^|]+\| (\d+) min \|", GUIDE.read_text(), re.M))
    assert times == {"00": "15", "01": "15", "02": "30", "02a": "45", "03": "40", "03a": "35", "04": "15",
                     "05": "20", "05a": "20", "06": "35", "07": "25", "08": "30", "08a": "35", "11": "50"}


def test_every_command_script_and_test_the_guide_names_exists():
    text = GUIDE.read_text()
    targets = set(re.findall(r"^make ([a-z-]+)", text, re.M)) | set(re.findall(r"`make ([a-z-]+)`", text))
    makefile = (ROOT / "Makefile").read_text()
    assert targets and all(re.search(rf"^{t}:", makefile, re.M) for t in targets), targets
    paths = set(re.findall(r"(?:tests|scripts)/[\w/]+\.py", text))
    assert len(paths) >= 6 and all((ROOT / path).exists() for path in paths), paths
