"""Exercises: every solution passes its checker, wrong answers are caught, and
student notebooks show no solutions."""

import ast
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
import sympy as sp

import xorlib
import xorlib.errata
import xorlib.graphs
from xorlib import symbolic as S
from xorlib.course.exercises import EXERCISES, check

ROOT = Path(__file__).resolve().parents[2]
TEACHING = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMESPACE = dict(np=np, sp=sp, xorlib=xorlib, S=S)
#: Exercises answered with a value; the coding exercises are tested in test_coding_exercises.py.
SHORT = sorted(i for i, e in EXERCISES.items() if e.kind == "short")

#: At least one plausible wrong answer for every exercise.
WRONG = {
    "00.1": [(0, 1), (0, 0), (2, 2)],
    "00.2": [(0.4748, 0.4748), (-1.2873, -1.2873), (1.2873, 1.2873)],
    "00.3": [True, "no"],
    "01.1": [0.6949, 0.6096 + 0.01],
    "01.2": [(2, 8), (8,), (4, 2)],
    "01.3": [np.log(0.25), -np.log(0.75)],
    "02.1": [np.diag([0, 0.2, 1, 0]), np.diag([0, 1, 1, 0.5]), [0, 1, 1, 0], np.eye(4)],
    "02.2": [(2, 8), (8, 8)],
    "02.3": [sp.exp(-sp.Symbol("z")) / (1 + sp.exp(-sp.Symbol("z"))) ** 2,
             sp.Symbol("y") - 1 / (1 + sp.exp(-sp.Symbol("z"))), sp.Symbol("x"), "z"],
    "03.1": [(8, 1), (8, 8)],
    "03.2": [{"a"}, {"a", "b", "c"}, "b", [1, 2]],
    "03.3": [-0.2, 0.05],
    "04.1": [-0.037334, 0.002816],
    "04.2": [0.5, 1.0, 0.01],
    "05.1": [0, 1000, 10_000],
    "05.2": [np.log(2) / 2, -np.log(1 / 3) / 4, 0.0],
    "06.1": [1 / 4, 4, 0.5],
    "06.2": [1.0, 0.0],
    "07.1": [8, 7, 3],
    "07.2": [2.0, 1 / np.sqrt(2) + 1, True],
    "08.1": [(4,), (2, 4)],
    "08.2": [10_000 * 10_000, 10_000 * 10_000 * 4, 0.8],
    "09.1": [[0.0, 0.0], xorlib.gradients(xorlib.init_params(0), [[1.0, 0.0]], [1.0]).w2],
    "09.2": [0.0, 2 * xorlib.gradients(xorlib.init_params(0), *xorlib.xor_data()).b3],
    "10.1": [xorlib.init_params(0).b3, 0.0],
    "10.2": [4, 3],
}
WRONG |= {  # notebook 12
    "12.1": [-0.037334, 0.042966, 0.5],
    "12.2": [(1, 9), (9, 9), (2, 4)],
}
_W3 = xorlib.graphs.init_classifier((2, 4, 3, 3), rng=1)["W3"]
WRONG |= {  # notebook 13
    "13.1": [0.210616, 0.421232, 0.0],
    "13.2": [(40_000, 200), (200, 800), (40_000, 40_000), 800],
    "13.3": [0.01 * _W3, 2 * _W3, 0.01 * _W3 ** 2, np.zeros(3)],
}


def run_solution(exercise_id):
    """The answer that a short exercise's worked solution computes (its printed lines go to stdout)."""
    namespace = dict(NAMESPACE, check=check)
    exec(EXERCISES[exercise_id].solution, namespace)
    return namespace["answer"]


def answer_expression(code: str) -> ast.expr:
    """The expression of the last ``answer = ...`` in a cell of code."""
    assignments = [node for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Assign)
                   and any(isinstance(t, ast.Name) and t.id == "answer" for t in node.targets)]
    assert assignments, f"the code assigns no answer:\n{code}"
    return max(assignments, key=lambda node: node.lineno).value


def computed(expression: ast.expr) -> bool:
    """Whether an expression computes something: it reads a name, not only literals such as 3 or (8, 2)."""
    return any(isinstance(node, ast.Name) for node in ast.walk(expression))


@pytest.mark.parametrize("exercise_id", SHORT)
def test_the_solution_passes_its_checker(exercise_id):
    feedback = check(exercise_id, run_solution(exercise_id))
    assert feedback.correct, feedback


@pytest.mark.parametrize("exercise_id", SHORT)
def test_every_short_exercise_has_a_worked_derivation(exercise_id):
    reasoning = EXERCISES[exercise_id].reasoning
    assert len(reasoning.split()) >= 30, f"{exercise_id}: the derivation is missing or a line long"
    assert not re.search(r"\b(nbval|pytest|CI)\b|\btests?\b", reasoning), reasoning


@pytest.mark.parametrize("exercise_id", SHORT)
def test_no_solution_is_a_bare_literal(exercise_id):
    expression = answer_expression(EXERCISES[exercise_id].solution)
    assert computed(expression), f"{exercise_id}: answer = {ast.unparse(expression)} is a pasted constant"


def imported_names(code: str) -> set[str]:
    return {alias.asname or alias.name.split(".")[0] for node in ast.walk(ast.parse(code))
            if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}


@pytest.mark.parametrize("exercise_id", SHORT)
def test_the_solution_runs_with_its_teaching_notebooks_imports(exercise_id):
    """The nbgrader source notebook puts the stored solution into the teaching notebook's answer cell."""
    (path,) = [p for p in TEACHING if any(f'check("{exercise_id}", answer)' in c.source for c in exercise_cells(p))]
    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    solution = EXERCISES[exercise_id].solution
    read = {node.id for node in ast.walk(ast.parse(solution)) if isinstance(node, ast.Name)}
    missing = (read & set(NAMESPACE)) - imported_names(code) - imported_names(solution)
    assert not missing, f"{exercise_id} uses {sorted(missing)}, which {path.name} does not import"


def test_a_bare_literal_is_recognised():
    for code in ["answer = 3", "answer = (9, 1)", "answer = {'a', 'c'}", "x = 2\nanswer = (1 + 0.01) / 2"]:
        assert not computed(answer_expression(code)), code
    assert computed(answer_expression("n = 8\nanswer = 1 / n"))


@pytest.mark.parametrize("exercise_id", SHORT)
def test_wrong_answers_are_caught_with_a_hint(exercise_id):
    assert exercise_id in WRONG, "every exercise needs wrong answers in this test"
    for answer in WRONG[exercise_id]:
        feedback = check(exercise_id, answer)
        assert feedback.status == "wrong", (answer, feedback)
        assert "Hint:" in feedback.message
        message = feedback.message
        if isinstance(answer, (int, float, np.number)):  # the learner's own value, echoed ("-1.38629 is not right")
            message = message.replace(f"{float(answer):g}", "")
        for text in revealing_forms(run_solution(exercise_id)):
            assert text not in message, (answer, text, feedback.message)


def revealing_forms(answer) -> list[str]:
    """How a message could give a numeric answer away: its value as printed to 3 to 6 decimals, or
    its digits. Short texts such as "3" or "0.12" occur in ordinary prose, so only forms of 5 or
    more characters count; symbolic and set answers are covered by their own tests."""
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return []
    if isinstance(answer, (int, np.integer)):
        forms = [str(answer), f"{answer:,}"]
    else:
        forms = [f"{answer:.{digits}f}" for digits in (3, 4, 5, 6)] + [f"{answer:.4g}"]
    return [form for form in dict.fromkeys(forms) if len(form.lstrip("-")) >= 5]


def test_revealing_forms_would_catch_a_leaked_answer():
    assert "0.9707" in revealing_forms(0.970666736513218)
    assert "536,870,912" in revealing_forms(536870912)
    assert revealing_forms(3) == [] and revealing_forms((9, 1)) == []


@pytest.mark.parametrize("exercise_id", SHORT)
def test_unanswered_and_odd_answers_never_crash(exercise_id):
    assert check(exercise_id, ...).status == "unanswered"
    for odd in (None, object(), "", [[1, 2], [3]], float("nan")):
        assert check(exercise_id, odd).status == "wrong"


def test_equivalent_forms_are_accepted():
    z, y = sp.symbols("z y")
    assert check("02.3", sp.exp(z) / (1 + sp.exp(z)) - y).correct  # σ(z) - y, written another way
    assert "σ'(z)" in check("02.3", sp.exp(-z) / (1 + sp.exp(-z)) ** 2).message
    assert check("02.1", sp.diag(0, 1, 1, 0)).correct
    assert check("02.1", [[0, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]]).correct
    assert check("01.2", [8, 2]).correct and check("01.2", np.array([8, 2])).correct
    assert check("03.2", "ca").correct and check("03.2", ["A", "c"]).correct
    assert check("00.1", np.array([1.0, 1.0])).correct and check("00.1", [1, 1]).correct


def test_unknown_exercise_is_a_clear_error():
    with pytest.raises(ValueError) as raised:
        check("8a.1", 1)
    assert str(raised.value) == "no exercise 8a.1; did you mean 08a.1?"
    with pytest.raises(ValueError, match=r"no exercise 99.9; the exercises are numbered like 02.1 or 08a.1 \(\d+ "):
        check("99.9", 1)
    with pytest.raises(ValueError, match="did you mean 05a.1"):
        check("05a1", 1)
    with pytest.raises(ValueError, match="exercise_id must be a text"):
        check(2.1, 1)


def exercise_cells(path):
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if c.cell_type == "code" and 'check("' in c.source and ", answer)" in c.source]


ANSWERED = [p for p in TEACHING if exercise_cells(p)]  #: the notebooks with short exercises


@pytest.mark.parametrize("path", ANSWERED, ids=lambda p: p.stem)
def test_teaching_notebook_ends_with_two_to_four_unanswered_exercises(path):
    cells = exercise_cells(path)
    assert 2 <= len(cells) <= 4
    nb = nbformat.read(path, as_version=4)
    assert 'check("' in nb.cells[-1].source, "the exercises close the notebook"
    for cell in cells:
        assert re.match(r"answer = \.\.\.  # ", cell.source), cell.source
        assert "not answered yet" in cell.outputs[0]["data"]["text/plain"]


def test_every_exercise_is_in_exactly_one_notebook_and_no_solution_is_shown():
    seen = [re.search(r'check\("([0-9.]+)"', c.source).group(1) for p in TEACHING for c in exercise_cells(p)]
    assert sorted(seen) == SHORT
    code = "\n".join(c.source for p in TEACHING for c in nbformat.read(p, as_version=4).cells if c.cell_type == "code")
    for exercise in EXERCISES.values():
        if len(exercise.solution) > 12:  # short answers such as "(8, 2)" occur in ordinary code
            assert exercise.solution not in code


@pytest.mark.parametrize("path", ANSWERED, ids=lambda p: p.stem)
def test_solutions_notebook_is_current_and_every_answer_is_correct(path):
    solutions = ROOT / "solutions" / f"{path.stem}_solutions.ipynb"
    cells = exercise_cells(solutions)
    ids = [re.search(r'check\("([0-9.]+)"', c.source).group(1) for c in exercise_cells(path)]
    assert [re.search(r'check\("([0-9.]+)"', c.source).group(1) for c in cells] == ids
    nb = nbformat.read(solutions, as_version=4)
    for exercise_id, cell in zip(ids, cells):
        assert cell.source == f"{EXERCISES[exercise_id].solution}\ncheck(\"{exercise_id}\", answer)"
        assert computed(answer_expression(cell.source))
        (result,) = [o for o in cell.outputs if o["output_type"] == "execute_result"]
        assert result["data"]["text/plain"] == f"✓ Exercise {exercise_id}: correct."
        worked = nb.cells[nb.cells.index(cell) - 1].source
        assert worked == f"**Worked solution.** {EXERCISES[exercise_id].reasoning}"


def test_messages_read_as_one_clear_sentence():
    def sentence(exercise_id, answer):  # the message before its hint
        return check(exercise_id, answer).message.split(" Hint:")[0]

    assert sentence("10.2", "four") == "not yet: expected a whole number written with digits, got the text 'four'."
    assert sentence("01.1", None) == "not yet: expected a number written with digits, got None."
    assert sentence("01.1", float("nan")) == "not yet: expected a number, got NaN (not a number) in the answer."
    assert sentence("07.1", 2) == "not yet: 2 is not right."  # an exact count: no "(to within 0)"
    assert sentence("01.2", np.array(["a", "b"])) == (  # the array's kind in words, not its dtype
        "not yet: expected a shape such as (3, 2), got an array of text of shape (2,).")


def test_choice_feedback_never_names_a_letter():
    for answer in [{"a"}, {"c"}, {"a", "b"}, {"b"}, {"a", "b", "c"}]:
        message = check("03.2", answer).message.split(" Hint:")[0]
        assert not any(f" {letter} " in f" {message} " for letter in "abc"), message


def test_06_1_accepts_the_factor_in_any_form_and_names_its_reciprocal():
    for right in (1 / 8, 0.125, np.float32(0.125), 0.12500000001, [0.125]):
        assert check("06.1", right).correct, right
    for divisor in (8, 8.0, 7.9999999999):
        feedback = check("06.1", divisor)
        assert not feedback.correct and "divided by" in feedback.message and "multiplied by" in feedback.message
    assert not check("06.1", 4).correct and not check("06.1", 1 / 4).correct


def test_06_2_takes_the_cosine_to_the_3_decimals_asked_for():
    p, (X, y) = xorlib.init_params(3), xorlib.xor_data()
    exact = xorlib.errata.cosine(xorlib.errata.original_gradients(p, X, y, errors=(1,)), xorlib.gradients(p, X, y))
    assert round(exact, 3) == 0.971
    for right in (0.971, round(exact, 4), exact):
        assert check("06.2", right).correct, right
    for wrong in (0.969, 0.972, 0.97 - 0.001):
        assert not check("06.2", wrong).correct, wrong


def test_08_2_names_entries_and_other_units():
    assert check("08.2", 800_000_000).correct
    assert "number of entries" in check("08.2", 100_000_000).message
    assert "in bytes" in check("08.2", 0.8).message


def test_03_3_names_the_sign_and_the_double_mean():
    y_hat, y = np.array([0.8, 0.3, 0.6, 0.1]), np.array([0.0, 1.0, 1.0, 0.0])
    right = np.mean(y_hat - y)
    assert check("03.3", right).correct
    assert "sign is flipped" in check("03.3", -right).message
    assert "applied twice" in check("03.3", right / 4).message
    assert "sum" in check("03.3", np.sum(y_hat - y)).message


def test_an_epoch_outside_the_run_is_named_as_such():
    for epoch in (1001, 10_000, -1):
        feedback = check("05.1", epoch)
        assert not feedback.correct
        assert "outside this run" in feedback.message and "0 to 1000" in feedback.message


def test_answers_are_described_with_the_right_article():
    feedback = check("05.1", 2.5)
    assert "got a float 2.5" in feedback.message
    from xorlib.course.parsing import _describe

    assert _describe(3) == "an int 3" and _describe(2.5) == "a float 2.5"


def test_relu_prime_at_zero_taken_as_one_is_named_in_02_1():
    z1 = np.array([-0.5, 0.2, 1.5, 0.0])
    feedback = check("02.1", np.diag((z1 >= 0).astype(float)))
    assert not feedback.correct and "ReLU'(0) = 1" in feedback.message and "convention" in feedback.message
    assert "entries" not in feedback.message


def test_03_2_says_which_products_are_wrongly_in_or_out_of_the_set():
    assert "1 product that fails is not in it" in check("03.2", {"a"}).message
    message = check("03.2", {"b"}).message
    assert "1 product in it works (the shapes fit) and 2 products that fail are not in it" in message
    assert "(s)" not in message


def test_13_named_mistakes_say_what_they_are():
    g_b3 = xorlib.gradients(xorlib.init_params(0), *xorlib.xor_data()).b3
    assert "with the seed 1" in check("13.1", g_b3).message
    assert "diagonal alone" in check("13.2", (40_000, 200)).message
    assert "λ W3" in check("13.3", 0.01 * _W3).message and "multiplied by λ" in check("13.3", 2 * _W3).message
