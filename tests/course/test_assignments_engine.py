"""Notebook 13a through nbgrader, for real: the engine's exercises graded in a temporary course.

One assignment (13a) is built by scripts/build_assignments.py, released, and three submissions are
autograded (nbgrader's run and the fresh judge) and given feedback:

- the worked solutions: full marks;
- three engine bugs, one per exercise (a transposed matmul VJP, a broadcast not reduced over the rows,
  a gradient overwritten instead of accumulated at a fan-out): exactly those cells lose their points,
  and the feedback names each bug;
- a sweep that hands the work to xorlib's own engine: 0 for that exercise.
"""

from __future__ import annotations

import build_assignments  # scripts/, on pytest's pythonpath
import nbformat
import pytest
from test_assignments import ROOT, answered, exercise_ids, graded_cell, points, worked_solution

ASSIGNMENT = "the_engine"
NOTEBOOK = ROOT / "notebooks" / "13a_write_the_engine.ipynb"
BUGS = {  # exercise id -> (the buggy answer, what the feedback must name)
    "13a.1": ("def vjp_matmul(g, A, B):\n"
              "    return (g @ B.T).T, A.T @ g", "transposed matmul VJP"),
    "13a.2": ("def vjp_add(g, a, b):\n"
              "    return g, g", "broadcast is not reduced over the rows"),
    "13a.4": ("def backward(loss):\n"
              "    order, seen = [], set()\n"
              "    def visit(node):\n"
              "        if id(node) not in seen:\n"
              "            seen.add(id(node))\n"
              "            for parent in node.parents:\n"
              "                visit(parent)\n"
              "            order.append(node)\n"
              "    visit(loss)\n"
              "    for node in order:\n"
              "        node.grad = np.zeros_like(node.value)\n"
              "    loss.grad = np.ones_like(loss.value)\n"
              "    for node in reversed(order):\n"
              "        for parent, g in zip(node.parents, node.vjp(node.grad)):\n"
              "            parent.grad = g\n", "gradient overwritten instead of accumulated"),
}
DELEGATING = {"13a.4": "def backward(loss):\n    E.backward(loss)"}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from nbgrader.api import Gradebook

    course = tmp_path_factory.mktemp("course")
    build_assignments.write_course(course, {ASSIGNMENT: [NOTEBOOK]})
    build_assignments.release(course, ASSIGNMENT)
    solutions = {i: worked_solution(i) for i in exercise_ids([NOTEBOOK])}
    submissions = {"worked_solutions": solutions,
                   "engine_bugs": dict(solutions, **{i: code for i, (code, _) in BUGS.items()}),
                   "delegating": dict(solutions, **DELEGATING)}
    for student, answers in submissions.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        release = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK.name, as_version=4)
        nbformat.write(answered(release, answers), folder / NOTEBOOK.name)
    build_assignments.nbgrader(course, "autograde", ASSIGNMENT, "--force")
    build_assignments.nbgrader(course, "generate_feedback", ASSIGNMENT, "--force")
    scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in submissions:
            submission = gradebook.find_submission(ASSIGNMENT, student)
            scores[student] = {grade.name: grade.score for notebook in submission.notebooks
                               for grade in notebook.grades}
    return course, scores


def test_the_assignment_has_the_four_exercises_worth_14_points():
    ids = exercise_ids([NOTEBOOK])
    assert ids == ["13a.1", "13a.2", "13a.3", "13a.4"]
    assert sum(map(points, ids)) == 14


def test_the_worked_solutions_score_full_marks(graded):
    _, scores = graded
    assert scores["worked_solutions"] == {graded_cell(i): points(i) for i in exercise_ids([NOTEBOOK])}


def test_each_engine_bug_loses_its_cell_and_its_feedback_names_it(graded):
    course, scores = graded
    expected = {graded_cell(i): 0.0 if i in BUGS else points(i) for i in exercise_ids([NOTEBOOK])}
    assert scores["engine_bugs"] == expected
    assert 0 < sum(expected.values()) < sum(map(points, exercise_ids([NOTEBOOK])))
    page = (course / "feedback" / "engine_bugs" / ASSIGNMENT / NOTEBOOK.with_suffix(".html").name).read_text()
    for exercise_id, (_, phrase) in BUGS.items():
        assert f"✗ Exercise {exercise_id}:" in page
        assert phrase in page, phrase


def test_a_sweep_that_calls_the_engines_own_scores_zero_for_it(graded):
    course, scores = graded
    assert scores["delegating"] == {graded_cell(i): 0.0 if i in DELEGATING else points(i)
                                    for i in exercise_ids([NOTEBOOK])}
    page = (course / "feedback" / "delegating" / ASSIGNMENT / NOTEBOOK.with_suffix(".html").name).read_text()
    assert "reaches xorlib" in page
