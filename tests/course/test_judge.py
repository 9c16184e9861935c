"""xorlib.course.judge and grading: a submission judged again in a fresh process it cannot reach into.

Each notebook below is one submission of exercise 08a.1 (write ``backward``), judged
by ``xorlib.course.grading.verdicts`` in its own process, as the autograder does.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from xorlib.course.grading import FreshJudge, exercise_of, verdicts

HEAD = "import numpy as np\nimport xorlib\nfrom xorlib.course import check"
HONEST = ("def backward(params, X, y):\n"
          "    f = xorlib.forward(params, X)\n"
          "    g_z3 = (f.y_hat - y) / X.shape[0]\n"
          "    g_z1 = (f.z1 > 0) * params.w3[0] * g_z3\n"
          "    g_z2 = (f.z2 > 0) * params.w3[1] * g_z3\n"
          "    return xorlib.Params(w1=X.T @ g_z1, b1=g_z1.sum(), w2=X.T @ g_z2, b2=g_z2.sum(),\n"
          "                         w3=f.H.T @ g_z3, b3=g_z3.sum())\n")
CHECK = 'check("08a.1", backward)'
PATCH = ("import xorlib.course.exercises as _exercises\n"
         "_exercises.check = lambda *args: type('Passed', (), {'correct': True})()\n")
NOTHING = "def backward(params, X, y):\n    return None\n"
# submission -> (the answer cell, what the fresh judge must say)
SUBMISSIONS = {
    "honest": (HONEST, "✓ Exercise 08a.1: correct: all nine gradients agree"),
    "unanswered": ("def backward(params, X, y):\n    ...\n", "not implemented yet"),
    "patched check": (PATCH + NOTHING, "changed `xorlib.course.exercises.check`"),
    "patched numpy": ("np.allclose = lambda *args, **kwargs: True\n" + NOTHING, "changed `numpy.allclose`"),
    "patched built-in": ("import builtins\nbuiltins.isinstance = lambda *args: True\n" + HONEST,
                         "changed `builtins.isinstance`"),
    "keys imported": ("from xorlib.course.keys.coding import FUNCTIONS\nexec(FUNCTIONS['08a.1'])\n",
                      "may not import the answer keys"),
    "keys through the registry": ("from xorlib.course import EXERCISES\nexec(EXERCISES['08a.1'].solution)\n",
                                  "may not import the answer keys"),
    "keys read from disk": ("import pathlib\n"
                            "exec((pathlib.Path(xorlib.__path__[0]) / 'course/keys/coding.py').read_text())\n"
                            "exec(FUNCTIONS['08a.1'])\n", "may not read coding.py"),
    "solutions notebook read": ("import json, pathlib\n"
                                "path = pathlib.Path(xorlib.__path__[0]).parent / 'solutions'\n"
                                "json.loads(next(path.glob('08a_*.ipynb')).read_text())\n" + NOTHING,
                                "may not read 08a_write_backward_solutions.ipynb"),
    "another process": ("import subprocess\nsubprocess.run(['true'])\n" + HONEST, "may not start another process"),
    "profiler switched off": ("import sys\n"
                              "def backward(params, X, y):\n"
                              "    sys.setprofile(None)\n"
                              "    return xorlib.gradients(params, X, y)\n", "may not call sys.setprofile"),
    "delegating": ("def backward(params, X, y):\n    return xorlib.gradients(params, X, y)\n",
                   "reaches xorlib's `gradients`"),
    "stops the judge": ("import os\nos._exit(0)\n", None),
}


def submission(answer: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(HEAD), nbformat.v4.new_code_cell(f"{answer}\n{CHECK}")]
    return nb


@pytest.fixture(scope="module")
def judged():
    with ThreadPoolExecutor(max_workers=4) as pool:
        found = pool.map(lambda answer: verdicts(submission(answer), limit=120), [a for a, _ in SUBMISSIONS.values()])
    return dict(zip(SUBMISSIONS, found))


@pytest.mark.parametrize("name", SUBMISSIONS)
def test_the_fresh_judge_says_what_each_submission_did(judged, name):
    _, said = SUBMISSIONS[name]
    if said is None:  # the judge never got to the exercise
        assert judged[name] == {}
        return
    correct, message = judged[name]["08a.1"]
    assert correct == (name == "honest"), message
    assert said in message


def test_grade_ids_name_their_exercise():
    assert exercise_of("graded_08a_1") == "08a.1"
    assert exercise_of("graded_02_3") == "02.3"
    assert exercise_of("answer_02_3") is None


def graded_notebook(answer: str, kernel_error: bool):
    """A submission as nbgrader leaves it after running it: the graded cell, with or without an error."""
    nb = submission(answer)
    graded = nbformat.v4.new_code_cell("feedback = check('08a.1', backward)\nassert feedback.correct, feedback")
    graded.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "graded_08a_1", "points": 5}
    if kernel_error:
        graded.outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="", traceback=[])]
    nb.cells.append(graded)
    return nb


@pytest.mark.parametrize("answer, kernel_error, errors_after", [
    (HONEST, False, 0),  # both say correct: the points stay
    (PATCH + NOTHING, False, 1),  # the kernel was fooled, the fresh judge was not: 0 points
    (NOTHING, True, 1),  # the kernel already said wrong: nothing is added
    ("import os\nos._exit(0)\n" + HONEST, False, 1),  # the judge never reached the exercise: 0 points
])
def test_fresh_judge_takes_the_points_only_where_the_kernel_was_fooled(answer, kernel_error, errors_after):
    nb, _ = FreshJudge().preprocess(graded_notebook(answer, kernel_error), {})
    errors = [o for o in nb.cells[-1].outputs if o.output_type == "error"]
    assert len(errors) == errors_after
    if errors_after and not kernel_error:
        assert errors[0].traceback[0].startswith("Judged again in a fresh process: ")


def test_graded_cell_does_nothing_for_the_student_and_asserts_when_nbgrader_grades(monkeypatch):
    from xorlib.course.exercises import graded

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert graded("03.1", (1, 4)) is None  # a wrong answer: nothing in a student's run
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert graded("03.1", (1, 8)).correct
    feedback = graded("03.1", (1, 4))
    assert not feedback.correct and "Exercise 03.1: not yet" in repr(feedback)


SOLUTIONS = sorted((Path(__file__).resolve().parents[2] / "solutions").glob("*_solutions.ipynb"))


def test_every_worked_solution_passes_the_fresh_judge():
    """A learner's honest answers pass first time: the judge's guard refuses nothing they need."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = dict(zip(SOLUTIONS, pool.map(lambda p: verdicts(nbformat.read(p, as_version=4), p.parent),
                                             SOLUTIONS)))
    judged = {exercise: verdict for path in SOLUTIONS for exercise, verdict in found[path].items()}
    from xorlib.course import EXERCISES

    assert sorted(judged) == sorted(EXERCISES)
    assert {exercise: message for exercise, (correct, message) in judged.items() if not correct} == {}
