"""The nbgrader workflow, for real, in a temporary course with nbgrader's own SQLite gradebook.

One assignment of two notebooks (02 and 03) is built by scripts/build_assignments.py,
released with ``nbgrader generate_assignment``, and three submissions are graded
with ``nbgrader autograde`` and ``nbgrader generate_feedback``:

- the worked solutions stored in xorlib.course.exercises: full marks;
- the original's three errors, each in the exercise whose answer embodies it:
  exactly those graded cells lose their points;
- the release as handed out, untouched: zero on every graded cell;
- three students who do no work, and each score 0 for the exercises they cheat on:
  one hands back xorlib's own answer, one copies the answer keys, one patches the checker.

The scores are read back from the gradebook with nbgrader's Gradebook API.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from xorlib.course.exercises import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
import build_assignments  # noqa: E402  (scripts/, on pytest's pythonpath)

ASSIGNMENT = "the_originals_errors"

# The original's three errors, each as the answer code of the exercise that embodies it
# (exercise id -> code that sets the answer, or defines the function, in the learner's place).
SHORT_ANSWER_ERRORS = {
    # 1. the ReLU Jacobian as diag(min(1, h)) instead of diag(step(z))
    "02.1": "z1 = np.array([-0.5, 0.2, 1.5, 0.0])\n"
            "answer = np.diag(np.minimum(1.0, xorlib.relu(z1)))",
    # 2. the mean's 1/n applied twice
    "03.3": "y_hat = np.array([0.8, 0.3, 0.6, 0.1])\n"
            "n = len(y_hat)\n"
            "answer = np.mean(y_hat - xorlib.xor_data()[1]) / n",
    # 3. n = 4 hard-coded, where the exercise has n = 8
    "03.1": "answer = (1, 4)",
}
# The same three errors in the hands-on track's coding exercises, the graded core once it is there.
CODING_ERRORS = {
    # 1. the ReLU Jacobian as diag(min(1, h))
    "02a.4": "def jacobian_h1_z1(params, X, y):\n"
             "    h1 = xorlib.forward(params, X).h1\n"
             "    return np.diag(np.minimum(1.0, h1))",
    # 3. n = 4 hard-coded: four ones, whatever the number of rows
    "02a.7": "def jacobian_z1_b1(params, X, y):\n"
             "    return np.ones((4, 1))",
    # 2. the mean's 1/n applied twice, in backprop's first step
    "08a.1": "def backward(params, X, y):\n"
             "    f = xorlib.forward(params, X)\n"
             "    n = X.shape[0]\n"
             "    g_z3 = (f.y_hat - y) / n / n\n"
             "    g_z1 = (f.z1 > 0) * params.w3[0] * g_z3\n"
             "    g_z2 = (f.z2 > 0) * params.w3[1] * g_z3\n"
             "    return xorlib.Params(w1=X.T @ g_z1, b1=g_z1.sum(), w2=X.T @ g_z2, b2=g_z2.sum(),\n"
             "                         w3=f.H.T @ g_z3, b3=g_z3.sum())",
}
ORIGINAL_ERRORS = CODING_ERRORS if set(CODING_ERRORS) <= set(EXERCISES) else SHORT_ANSWER_ERRORS
# A student who does no work: each function hands back xorlib's own answer, directly or through an alias.
DELEGATING = {
    "02a.4": "def jacobian_h1_z1(params, X, y):\n"
             "    return xorlib.local_jacobians(params, X, y).h1_z1",
    "08a.1": "from xorlib import gradients as my_gradients\n"
             "\n"
             "def backward(params, X, y):\n"
             "    return my_gradients(params, X, y)",
}

# Right but unusual: a Jacobian returned as a list of lists (the checker accepts it; later cells must too).
UNUSUAL = {
    "02a.4": "def jacobian_h1_z1(params, X, y):\n"
             "    return np.diag((xorlib.forward(params, X).z1 > 0).astype(float)).tolist()",
}
# A student who copies: the answer keys, which the instructor's install carries, run in the answer cell.
COPYING = {
    "02a.4": "from xorlib.course.keys.coding import FUNCTIONS\n"
             "exec(FUNCTIONS[\"02a.4\"])",
    "08a.1": "from xorlib.course import EXERCISES\n"
             "exec(EXERCISES[\"08a.1\"].solution)",
}
# A student who patches: the checker the hidden test imports is replaced, and the function does nothing.
PATCHING = {
    "02a.4": "import xorlib.course.exercises as _exercises\n"
             "_exercises.check = lambda *args: type(\"Passed\", (), {\"correct\": True})()\n"
             "\n"
             "def jacobian_h1_z1(params, X, y):\n"
             "    return None",
    "08a.1": "import xorlib.course.exercises as _exercises\n"
             "_exercises.check = lambda *args: type(\"Passed\", (), {\"correct\": True})()\n"
             "\n"
             "def backward(params, X, y):\n"
             "    return None",
}


def notebook_of(exercise_id: str) -> Path:
    """The teaching notebook holding an exercise: "02a.4" is in notebooks/02a_*.ipynb."""
    prefix = exercise_id.split(".")[0]
    (path,) = (ROOT / "notebooks").glob(f"{prefix}_*.ipynb")
    return path


# One assignment: the notebooks holding the three errors' exercises (two of them).
NOTEBOOKS = sorted({notebook_of(i) for i in ORIGINAL_ERRORS})


def worked_solution(exercise_id: str) -> str:
    return EXERCISES[exercise_id].solution  # a short answer's assigns ``answer``; a coding one defines the function


def check_line(lines) -> int:
    return max(i for i, line in enumerate(lines) if build_assignments.CHECK.match(line))


def answered(release, answers: dict[str, str]):
    """A copy of a released notebook where each answered exercise's starter code is replaced by the answer."""
    nb = nbformat.from_dict(release)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        exercise_id = grade_id.removeprefix("answer_").replace("_", ".")
        if grade_id.startswith("answer_") and exercise_id in answers:
            lines = cell.source.splitlines()
            cell.source = "\n".join(answers[exercise_id].splitlines() + [""] + lines[check_line(lines):])
    return nb


def exercise_ids(paths) -> list[str]:
    return [m.group("id") for path in paths for cell in nbformat.read(path, as_version=4).cells
            if cell.cell_type == "code" for line in cell.source.splitlines()
            if (m := build_assignments.CHECK.match(line))]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The course after autograde and generate_feedback: (course, {student: {grade_id: (score, max)}}, totals)."""
    from nbgrader.api import Gradebook

    course = tmp_path_factory.mktemp("course")
    build_assignments.write_course(course, {ASSIGNMENT: NOTEBOOKS})
    build_assignments.release(course, ASSIGNMENT)
    ids = exercise_ids(NOTEBOOKS)
    solutions = {i: worked_solution(i) for i in ids}
    submissions = {
        "worked_solutions": solutions,
        "original_errors": dict(solutions, **ORIGINAL_ERRORS),
        "untouched_release": {},
        "delegating": dict(solutions, **DELEGATING),
        "copying": dict(solutions, **COPYING),
        "unusual": dict(solutions, **UNUSUAL),
        "patching": dict(solutions, **PATCHING),
    }
    for student, answers in submissions.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        for path in NOTEBOOKS:
            release = nbformat.read(course / "release" / ASSIGNMENT / path.name, as_version=4)
            nbformat.write(answered(release, answers), folder / path.name)
    autograde = build_assignments.nbgrader(course, "autograde", ASSIGNMENT, "--force")
    (course / "autograde.log").write_text(autograde.stdout + autograde.stderr)
    build_assignments.nbgrader(course, "generate_feedback", ASSIGNMENT, "--force")

    scores, totals = {}, {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in submissions:
            submission = gradebook.find_submission(ASSIGNMENT, student)
            totals[student] = (submission.score, submission.max_score)
            scores[student] = {grade.name: (grade.score, grade.max_score)
                               for notebook in submission.notebooks for grade in notebook.grades}
    return course, scores, totals


def points(exercise_id: str) -> float:
    return float(build_assignments.points_of(EXERCISES[exercise_id]))


def graded_cell(exercise_id: str) -> str:
    return f"graded_{exercise_id.replace('.', '_')}"


def test_the_fixture_covers_the_three_errors_in_this_assignment():
    ids = exercise_ids(NOTEBOOKS)
    assert set(ORIGINAL_ERRORS) <= set(ids)
    assert len(ORIGINAL_ERRORS) == 3 and len(NOTEBOOKS) == 2
    kinds = {getattr(EXERCISES[i], "kind", "short") for i in ORIGINAL_ERRORS}
    assert kinds == ({"code"} if ORIGINAL_ERRORS is CODING_ERRORS else {"short"})


def answer_cells(path) -> list[str]:
    """The source of each exercise's answer cell, blank lines dropped."""
    nb = nbformat.read(path, as_version=4)
    checked = [cell for cell in nb.cells if cell.cell_type == "code"
               and any(build_assignments.CHECK.match(line) for line in cell.source.splitlines())]
    return ["\n".join(line for line in cell.source.splitlines() if line.strip()) for cell in checked]


def test_release_answer_cells_read_as_in_the_teaching_notebook(graded):
    course, _, _ = graded
    for path in NOTEBOOKS:
        release = course / "release" / ASSIGNMENT / path.name
        assert answer_cells(release) == answer_cells(path)
        text = release.read_text()
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
        # the graded cells, locked, read the same in the release as in the source: nothing hidden to restore
        graded = [[cell.source for cell in nbformat.read(folder / ASSIGNMENT / path.name, as_version=4).cells
                   if cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"]["solution"]]
                  for folder in (course / "release", course / "source")]
        assert graded[0] == graded[1] and len(graded[0]) == len(exercise_ids([path]))


def test_source_holds_each_stored_solution(graded):
    course, _, _ = graded
    for path in NOTEBOOKS:
        nb = nbformat.read(course / "source" / ASSIGNMENT / path.name, as_version=4)
        regions = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in nb.cells
                   if cell.metadata.get("nbgrader", {}).get("solution")}
        for exercise_id in exercise_ids([path]):
            region = f"### BEGIN SOLUTION\n{worked_solution(exercise_id)}\n### END SOLUTION"
            assert region in regions[f"answer_{exercise_id.replace('.', '_')}"]


@pytest.mark.parametrize("student", ["worked_solutions", "unusual"])
def test_right_answers_score_full_marks_in_any_form(graded, student):
    _, scores, totals = graded
    ids = exercise_ids(NOTEBOOKS)
    assert scores[student] == {graded_cell(i): (points(i), points(i)) for i in ids}
    assert totals[student] == (sum(map(points, ids)), sum(map(points, ids)))


def test_the_originals_errors_lose_exactly_their_cells(graded):
    _, scores, totals = graded
    ids = exercise_ids(NOTEBOOKS)
    expected = {graded_cell(i): (0.0 if i in ORIGINAL_ERRORS else points(i), points(i)) for i in ids}
    assert scores["original_errors"] == expected
    lost = sum(points(i) for i in ORIGINAL_ERRORS)
    assert totals["original_errors"] == (sum(map(points, ids)) - lost, sum(map(points, ids)))
    assert 0 < totals["original_errors"][0] < totals["original_errors"][1]


def test_a_function_that_hands_back_xorlibs_answer_scores_zero_for_it(graded):
    course, scores, totals = graded
    ids = exercise_ids(NOTEBOOKS)
    assert set(DELEGATING) <= set(ids)
    assert scores["delegating"] == {graded_cell(i): (0.0 if i in DELEGATING else points(i), points(i)) for i in ids}
    pages = " ".join((course / "feedback" / "delegating" / ASSIGNMENT / path.with_suffix(".html").name).read_text()
                     for path in NOTEBOOKS)
    for exercise_id in DELEGATING:
        assert f"✗ Exercise {exercise_id}:" in pages
    assert "reaches xorlib" in pages


def graded_outputs(course, student, exercise_id) -> str:
    """The text of the errors in an exercise's graded cell, after autograde."""
    for path in NOTEBOOKS:
        nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / path.name, as_version=4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == graded_cell(exercise_id):
                return " ".join(f"{o.get('ename')}: {o.get('evalue')}" for o in cell.outputs
                                if o.output_type == "error")
    raise AssertionError(f"no graded cell for {exercise_id}")


@pytest.mark.parametrize("student, cheats", [("copying", COPYING), ("patching", PATCHING)])
def test_copying_or_patching_the_answer_scores_zero_for_it(graded, student, cheats):
    course, scores, _ = graded
    ids = exercise_ids(NOTEBOOKS)
    assert set(cheats) <= set(ids)
    # a patched checker judges nothing after it either: every later exercise of that notebook scores 0
    after = {i for i in ids for c in cheats if student == "patching" and i.split(".")[0] == c.split(".")[0]
             and int(i.split(".")[1]) > int(c.split(".")[1])}
    assert scores[student] == {graded_cell(i): (0.0 if i in set(cheats) | after else points(i), points(i))
                               for i in ids}
    # the student's kernel was fooled (its hidden test passed); the fresh judge was not
    reasons = {"copying": "may not import the answer keys", "patching": "changed `xorlib.course.exercises.check`"}
    for exercise_id in cheats:
        assert reasons[student] in graded_outputs(course, student, exercise_id)
    for exercise_id in after:
        assert "not judged: earlier code of this submission changed" in graded_outputs(course, student, exercise_id)
    pages = " ".join((course / "feedback" / student / ASSIGNMENT / path.with_suffix(".html").name).read_text()
                     for path in NOTEBOOKS)
    assert "Judged again in a fresh process" in pages


def test_released_notebooks_do_not_point_to_the_solutions(graded):
    course, _, _ = graded
    released = [nbformat.read(course / "release" / ASSIGNMENT / path.name, as_version=4) for path in NOTEBOOKS]
    text = " ".join(cell.source for nb in released for cell in nb.cells)
    assert "solutions/" not in text and "worked solution" not in text
    # a teaching notebook whose exercise section points to its solutions notebook loses the pointer only
    teaching = ROOT / "notebooks" / "05_training.ipynb"
    assert "the worked solutions are in `solutions/05_training_solutions.ipynb`" in teaching.read_text()
    source = build_assignments.source_notebook(teaching, EXERCISES)
    text = " ".join(cell.source for cell in source.cells)
    assert "solutions/" not in text and "It never shows the solution." in text


def test_autograde_finds_every_locked_cell_as_released(graded):
    """No "Attribute 'checksum' for cell graded_02a_1 has changed!" for any student: the graded cells
    read the same in the release as in the source, so an instructor sees a warning only for real tampering."""
    course, _, _ = graded
    log = (course / "autograde.log").read_text()
    assert "Autograding" in log
    assert "has changed!" not in log


def test_untouched_release_scores_zero(graded):
    _, scores, totals = graded
    ids = exercise_ids(NOTEBOOKS)
    assert scores["untouched_release"] == {graded_cell(i): (0.0, points(i)) for i in ids}
    assert totals["untouched_release"] == (0.0, sum(map(points, ids)))


def test_feedback_names_each_score(graded):
    course, _, totals = graded
    for student, (score, max_score) in totals.items():
        pages = [(course / "feedback" / student / ASSIGNMENT / path.with_suffix(".html").name).read_text()
                 for path in NOTEBOOKS]
        shown = [re.search(r"Score:\s*([0-9.]+)\s*/\s*([0-9.]+)", page) for page in pages]
        assert all(shown), f"no score line in the feedback of {student}"
        assert sum(float(m.group(1)) for m in shown) == score
        assert sum(float(m.group(2)) for m in shown) == max_score


def test_the_original_errors_feedback_shows_each_failed_check(graded):
    course, _, _ = graded
    pages = " ".join((course / "feedback" / "original_errors" / ASSIGNMENT / path.with_suffix(".html").name).read_text()
                     for path in NOTEBOOKS)
    for exercise_id in ORIGINAL_ERRORS:
        assert f"✗ Exercise {exercise_id}:" in pages


def test_the_course_covers_every_notebook_and_exercise(tmp_path):
    assignments = build_assignments.default_assignments()
    written = build_assignments.write_course(tmp_path, assignments)
    teaching = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [p.name for p in written] == [p.name for p in teaching]
    for source, path in zip(written, teaching):
        nb = nbformat.read(source, as_version=4)
        marks = [c.metadata.get("nbgrader") for c in nb.cells if "nbgrader" in c.metadata]
        ids = exercise_ids([path])
        assert [m["grade_id"] for m in marks if m["solution"]] == [f"answer_{i.replace('.', '_')}" for i in ids]
        assert [(m["grade_id"], m["points"]) for m in marks if m["grade"]] == [
            (graded_cell(i), build_assignments.points_of(EXERCISES[i])) for i in ids]
        solutions = [c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
        assert all("### BEGIN SOLUTION" in s and "### END SOLUTION" in s for s in solutions)
    assert sorted(i for p in teaching for i in exercise_ids([p])) == sorted(EXERCISES)


def errors_outside_graded_cells(course, student) -> list[str]:
    found = []
    for path in NOTEBOOKS:
        nb = nbformat.read(course / "autograded" / student / ASSIGNMENT / path.name, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade"):
                found += [f"{path.name}: {o.get('ename')}: {o.get('evalue')}" for o in cell.outputs
                          if o.output_type == "error"]
    return found


def test_every_submission_runs_cleanly_outside_the_graded_cells(graded):
    """The release runs top to bottom: only the restored hidden tests fail on an unanswered exercise."""
    course, _, _ = graded
    for student in ("worked_solutions", "original_errors", "untouched_release", "delegating", "copying", "unusual"):
        assert errors_outside_graded_cells(course, student) == [], student


MATHJAX_DONE = ("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 "
                "&& MathJax.Hub.queue.running === 0")


@pytest.mark.browser
def test_feedback_typesets_its_math_offline_and_wraps_long_lines(graded):
    """A feedback page, opened from disk with no network, as an offline class reads it."""
    import os

    from browser_path import chromium_path, missing_browser_message

    course, _, _ = graded
    chromium = chromium_path()
    if not chromium.exists():
        if os.environ.get("XORLIB_REQUIRE_BROWSER"):
            pytest.fail(missing_browser_message(chromium))
        pytest.skip(missing_browser_message(chromium))
    from playwright.sync_api import sync_playwright

    page_path = course / "feedback" / "original_errors" / ASSIGNMENT / "08a_write_backward.html"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(page_path.as_uri())
        page.wait_for_function(MATHJAX_DONE, timeout=60_000)
        text = page.inner_text("body")
        formulas = page.locator(".MathJax").count()
        too_wide = page.evaluate("() => [...document.querySelectorAll('pre')]"
                                 ".filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.innerText.slice(0, 80))")
        page_width = page.evaluate("() => document.scrollingElement.scrollWidth")
        browser.close()
    assert [url for url in requests if url.startswith(("http:", "https:"))] == [], "nothing loads from a network"
    assert any(url.endswith("mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe") for url in requests)
    assert formulas > 20
    assert "Math Processing Error" not in text and "\\nabla" not in text, "no LaTeX is left raw"
    assert "✗ Exercise 08a.1:" in text and "Hint:" in text
    assert too_wide == [], "every line of output wraps inside the page"
    assert page_width <= 1000
