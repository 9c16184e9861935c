"""Exercises with instant feedback.

In a notebook::

    answer = ...  # your answer
    check("02.1", answer)

``check`` says whether the answer is right; if not, what is wrong and a hint.
It never prints the solution. An answer left as ``...`` gets "not answered
yet", so an unanswered notebook runs cleanly top to bottom.

Each ``Exercise`` holds its checker, its hint and its worked solution (the
derivation in markdown and the code that computes the answer, kept in
``xorlib.course.keys``; used by ``scripts/build_solutions.py`` and by the
tests, never shown by ``check``).
Checkers accept every correct form: numbers and arrays within a tolerance,
lists, tuples or numpy arrays for shapes and vectors, any SymPy expression
equal to the right one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..data import xor_data
from ..errata import cosine, original_gradients
from ..gradients import gradients
from ..graphs import init_classifier
from ..network import forward, relu_derivative, solves
from ..params import Params, init_params
from ..train import train
from .parsing import Wrong, _array, _boolean, _choice_set, _describe, _number, _same_expression, _shape, _vector


@dataclass(frozen=True)
class Feedback:
    exercise: str
    status: str  #: "correct", "wrong" or "unanswered"
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __repr__(self) -> str:
        mark = {"correct": "✓", "wrong": "✗", "unanswered": "…"}[self.status]
        return f"{mark} Exercise {self.exercise}: {self.message}"


@dataclass(frozen=True)
class Exercise:
    """One exercise. Its worked solution is read from the answer keys (``xorlib.course.keys``) only when
    asked for, by the instructor's scripts and the tests: ``check`` never needs it, so a student's
    install without the keys (``make student-wheel``) checks every answer all the same."""

    id: str
    checker: Callable[[Any], None]  #: returns None if right, raises Wrong otherwise
    hint: str
    kind: str = "short"  #: "short" (a value) or "code" (a function)
    points: int = 1  #: for grading

    @property
    def solution(self) -> str:
        """Python code: for "short", a cell that assigns ``answer``; for "code", one defining the function."""
        if self.kind == "code":
            from .keys.coding import FUNCTIONS
            return FUNCTIONS[self.id]
        from .keys import SOLUTIONS
        return SOLUTIONS[self.id]

    @property
    def reasoning(self) -> str:
        """Markdown: the worked derivation shown before a short exercise's solution."""
        if self.kind == "code":
            return ""
        from .keys import REASONING
        return REASONING[self.id]


def _short(exercise_id: str, checker: Callable[[Any], None], hint: str) -> Exercise:
    """A short-answer exercise (its worked solution is in ``xorlib.course.keys``)."""
    return Exercise(exercise_id, checker, hint)


# --- the exercises ---------------------------------------------------------------------

X_XOR, Y_XOR = xor_data()
P0 = init_params(0)


@functools.cache
def _row_loss():
    """(z, y, σ(z), ℓ): one row's BCE from its logit z, in SymPy (imported here: it takes 0.2 s)."""
    import sympy as sp

    z, y = sp.Symbol("z", real=True), sp.Symbol("y", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    return z, y, sigma, -(y * sp.log(sigma) + (1 - y) * sp.log(1 - sigma))


def _check_00_1(answer):
    point = _array(answer, "an input pair")
    if point.shape != (2,):
        raise Wrong(f"expected one input pair such as (0, 1), got shape {point.shape}")
    if not np.any(np.all(X_XOR == point, axis=1)):
        raise Wrong(f"{tuple(point)} is not one of the four XOR inputs")
    if tuple(point) != (1.0, 1.0):
        raise Wrong(f"the line x1 + x2 - 0.5 > 0 classifies {tuple(int(v) for v in point)} correctly")


def _check_00_2(answer):
    f = forward(P0, np.array([[1.0, 2.0]]))
    values = _array(answer, "a pair (z2, h2)")
    if values.shape != (2,):
        raise Wrong("expected two numbers: (z2, h2) for the input (1, 2)")
    if abs(values[0] - f.z2[0]) > 1e-3:
        raise Wrong("z2 is not right: z2 = x1 w2_1 + x2 w2_2 + b2 with x = (1, 2)")
    if abs(values[1] - f.h2[0]) > 1e-3:
        raise Wrong("z2 is right but h2 is not: h2 = max(0, z2)")


def _check_02_1(answer):
    z1 = np.array([-0.5, 0.2, 1.5, 0.0])
    value = _array(answer, "a 4 x 4 matrix")
    if value.shape == (4,):
        raise Wrong("that is a vector; the Jacobian is a 4 x 4 matrix (np.diag builds one from its diagonal)")
    if value.shape != (4, 4):
        raise Wrong(f"the Jacobian of 4 outputs by 4 inputs is 4 x 4, got shape {value.shape}")
    if np.allclose(value, np.diag(np.minimum(1.0, np.maximum(z1, 0.0)))):
        raise Wrong("that is diag(min(1, h)), the original's erratum; the derivative is a step function of z")
    if np.allclose(np.diag(np.diag(value)), value) and np.allclose(np.diag(value), [0, 1, 1, 0.5]):
        raise Wrong("1/2 at z = 0 is SymPy's Heaviside default; this collection uses ReLU'(0) = 0")
    if np.allclose(value, np.diag((z1 >= 0).astype(float))):
        raise Wrong("at z = 0 this takes ReLU'(0) = 1, as (z >= 0) does: any value in [0, 1] is a subgradient "
                    "there, but this collection's convention, and this exercise's, is ReLU'(0) = 0, as z > 0 gives")
    _vector(value, np.diag(relu_derivative(z1)), 1e-12, "a 4 x 4 matrix")


def _check_02_3(answer):
    z, y_label, sigma, row_loss = _row_loss()
    named = [(sigma.diff(z), "that is σ'(z) = ∂ŷ/∂z alone; ℓ depends on z through ŷ, so the chain rule "
                                 "multiplies it by ∂ℓ/∂ŷ"),
             (y_label - sigma, "the sign is flipped")]
    for wrong, message in named:
        try:
            _same_expression(answer, wrong, [z, y_label])
        except Wrong:
            continue
        raise Wrong(message)
    _same_expression(answer, row_loss.diff(z), [z, y_label])


def _check_03_3(answer):
    y_hat = np.array([0.8, 0.3, 0.6, 0.1])
    expected = np.mean(y_hat - Y_XOR)
    value = _array(answer, "a number").reshape(-1)
    named = [(np.sum(y_hat - Y_XOR), "that is the sum; the mean's 1/n is missing"),
             (-expected, "the sign is flipped: the mean BCE's gradient with respect to z3 is (ŷ - y)/n, not (y - ŷ)/n"),
             (expected / 4, "that is 1/n of the answer: the mean's 1/n is applied twice (the original's error 2)")]
    for wrong, message in named:
        if value.size == 1 and np.isclose(value[0], wrong, rtol=1e-9, atol=1e-12):
            raise Wrong(message)
    _number(answer, expected, 1e-9)


def _on_kink(b1):
    return Params(w1=P0.w1, b1=b1, w2=P0.w2, b2=P0.b2, w3=P0.w3, b3=P0.b3)


def _check_04_1(answer):
    right = gradients(_on_kink(1e-12), X_XOR, Y_XOR).b1
    left = gradients(_on_kink(0.0), X_XOR, Y_XOR).b1
    if abs(float(_array(answer, "a number").reshape(-1)[0]) - left) < 1e-4:
        raise Wrong("that is the value under ReLU'(0) = 0; with ReLU'(0) = 1 the row (0, 0) passes its gradient")
    _number(answer, right, 1e-4)


def _check_05_1(answer):
    history = train(P0, X_XOR, Y_XOR, lr=0.9, epochs=1000)
    solved = [solves(history.params_at(e), X_XOR, Y_XOR)
              for e in range(history.epochs + 1)]
    first = solved.index(True)
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, np.integer)):
        raise Wrong(f"expected an epoch number (an integer), got {_describe(answer)}")
    if not 0 <= answer <= history.epochs:
        raise Wrong(f"epoch {answer} is outside this run, whose epochs go from 0 to {history.epochs}")
    if answer > first and solved[answer]:
        raise Wrong(f"at epoch {answer} all four are right, but they were already right earlier")
    if answer != first:
        raise Wrong(f"at epoch {answer} not all four points are on the correct side of 0.5")


def _check_06_1(answer):
    value = _array(answer, "a number")
    if value.size == 1 and np.isclose(float(value.reshape(())), 8, rtol=1e-6, atol=0):
        raise Wrong("8 is what every entry is divided by; the question asks for the factor it is multiplied by")
    _number(answer, 1 / 8, 1e-9)


def _check_06_2(answer):
    p = init_params(3)
    true = gradients(p, X_XOR, Y_XOR)
    # asked to 3 decimals: anything that rounds to the right 3 decimals, or is closer
    _number(answer, cosine(original_gradients(p, X_XOR, Y_XOR, errors=(1,)), true), 5e-4,
            "a cosine (a number between -1 and 1)")


def _check_08_2(answer):
    entries = 10_000 * 10_000
    value = _array(answer, "a number of bytes").reshape(-1)
    if value.size == 1 and value[0] == entries:
        raise Wrong("that is the number of entries; each float64 entry takes 8 bytes")
    if value.size == 1 and value[0] in (entries * 8 / 1e9, entries * 8 / 2**30, entries * 8 / 1e6, entries * 8 / 2**20):
        raise Wrong("that is the size in GB, GiB, MB or MiB; give it in bytes")
    _number(answer, entries * 8, 0.5, "a number of bytes")


def _check_09_1(answer):
    X1, y1 = np.array([[1.0, 0.0]]), np.array([1.0])
    _vector(answer, gradients(P0, X1, y1).w1, 1e-6, "a vector of 2 numbers")


def _check_12_1(answer):
    left = gradients(_on_kink(0.0), X_XOR, Y_XOR).b1  # ReLU'(0) = 0 takes the left slope
    right = gradients(_on_kink(1e-12), X_XOR, Y_XOR).b1  # just right of the kink
    value = _array(answer, "a number")
    if value.size == 1 and abs(float(value.reshape(())) - left) < 1e-4:
        raise Wrong("that is the value with jax.nn.relu, whose derivative at 0 is 0; jnp.maximum's is not")
    if value.size == 1 and abs(float(value.reshape(())) - right) < 1e-4:
        raise Wrong("that is the value under ReLU'(0) = 1")
    _number(answer, (left + right) / 2, 1e-4)


def _check_12_2(answer):
    if isinstance(answer, (str, bytes)):
        raise Wrong(f"expected a pair of whole numbers (JVPs, VJPs), got {answer!r}")
    value = _array(answer, "a pair of whole numbers (JVPs, VJPs)")
    if value.shape != (2,):
        raise Wrong(f"expected a pair of whole numbers (JVPs, VJPs), got shape {value.shape}")
    if np.array_equal(value, [1, 9]):
        raise Wrong("the two are swapped: forward mode builds a Jacobian a column at a time, "
                    "reverse mode a row at a time")
    if value[0] != 9:
        raise Wrong("the number of JVPs is not right: jax.jacfwd pushes one tangent per entry of its input")
    if value[1] != 1:
        raise Wrong("the number of VJPs is not right: jax.jacrev pulls back one cotangent per entry of its output")


def _check_13_1(answer):
    right = 0.5 * gradients(P0, X_XOR, Y_XOR).b3
    value = _array(answer, "a number").reshape(-1)
    named = [(2 * right, "that is the gradient with the seed 1: with the seed 0.5 every VJP receives half as much"),
             (4 * right, "that is twice the gradient: every VJP is linear in what it receives, so the seed 0.5 "
                         "halves every gradient")]
    for wrong, message in named:
        if value.size == 1 and np.isclose(value[0], wrong, rtol=1e-6, atol=0):
            raise Wrong(message)
    _number(answer, right, 1e-6)


def _check_13_2(answer):
    n, c = 50, 4
    value = _array(answer, "a pair of whole numbers (entries, nonzero)").reshape(-1)
    if value.size != 2:
        raise Wrong(f"expected a pair of whole numbers (entries, nonzero), got {value.size} number(s)")
    if value[0] != (n * c) ** 2:
        raise Wrong("the number of entries is not right: vec(P) and vec(Z) each have n c entries, and the "
                    "Jacobian has one row per entry of P and one column per entry of Z")
    if value[1] == n * c:
        raise Wrong("that is the diagonal alone; softmax's Jacobian is not diagonal within a row")
    if value[1] != n * c * c:
        raise Wrong("the number of nonzero entries is not right: row i of P depends on row i of Z only, and "
                    "there on all of its c entries")


def _check_13_3(answer):
    W3 = init_classifier((2, 4, 3, 3), rng=1)["W3"]
    value = _array(answer, "an array of shape (3, 3)")
    if value.shape != (3, 3):
        raise Wrong(f"expected an array of W3's shape (3, 3), got shape {value.shape}")
    named = [(0.01 * W3, "that is λ W3: the derivative of λ Σ w² is 2 λ w"),
             (2 * W3, "that is 2 W3: the decay term is multiplied by λ"),
             (0.01 * W3 ** 2, "that is the decay term's value, not its gradient")]
    for wrong, message in named:
        if np.allclose(value, wrong, rtol=1e-9, atol=1e-12):
            raise Wrong(message)
    _vector(value.ravel(), (0.02 * W3).ravel(), 1e-9, "an array of shape (3, 3)")


EXERCISES = {e.id: e for e in [
    _short("00.1", _check_00_1, "Compute w1 x1 + w2 x2 + b for each of the four inputs and compare its sign with y."),
    _short("00.2", _check_00_2, "Read w2_1, w2_2 and b2 from the printed params."),
    _short("00.3", lambda a: _boolean(a, False), "Train from init_params(1) and check every prediction against 0.5."),
    _short("01.1", lambda a: _number(a, float(forward(P0, np.array([[1.0, 2.0]])).z3[0]), 1e-3),
           "Follow steps 1 to 5 for this one input: z1 and z2, then h1 and h2, then z3 = h1 w3_1 + h2 w3_2 + b3."),
    _short("01.2", lambda a: _shape(a, (8, 2)),
           "Find the shape of H for n = 4 in the steps above and decide which of its two sizes follows n."),
    _short("01.3", lambda a: _number(a, -np.log(0.25), 1e-3), "For y = 1 the loss of one example is -ln(y_hat)."),
    _short("02.1", _check_02_1, "ReLU'(z) is 1 where z > 0 and 0 where z <= 0; off the diagonal everything is 0."),
    _short("02.2", lambda a: _shape(a, (8, 2)),
           "A Jacobian has one row per entry of the output and one column per entry of the input: count "
           "each for n = 8."),
    _short("02.3", _check_02_3,
           "Write ℓ with sp.log and σ = 1 / (1 + sp.exp(-z)) for symbols z and y, then sp.diff and sp.simplify."),
    _short("03.1", lambda a: _shape(a, (1, 8)),
           "Find the shape of ∂z2/∂b2 in the table of shapes above, put n = 8 in it, and transpose."),
    _short("03.2", lambda a: _choice_set(a, {"a", "c"}),
           "Write out the shapes: X is (4, 2), diag(...) is (4, 4), g is (4, 1)."),
    _short("03.3", _check_03_3, "Follow b3's chain: ∇_{b3} L = (∂z3/∂b3)ᵀ ∇_{z3} L, with ∇_{z3} L as derived above."),
    _short("04.1", _check_04_1, "With ReLU'(0) = 1 the value equals the gradient just to the right of the kink."),
    _short("04.2", lambda a: _number(a, 0.505, 1e-9),
           "The central difference averages the slopes on both sides of the kink."),
    _short("05.1", _check_05_1, "Loop over the epochs and use history.params_at(epoch) with xorlib.solves."),
    _short("05.2", lambda a: _number(a, (np.log(3) + 2 * np.log(1.5)) / 4, 1e-3),
           "Write the three shared rows' loss as a function of p, find the p that minimises it, and "
           "remember the mean divides by all four rows."),
    _short("06.1", _check_06_1, "Which n does the original's second (1.0/n) see on this data set?"),
    _short("06.2", _check_06_2, "Use xorlib.errata.original_gradients(..., errors=(1,)) and xorlib.errata.cosine."),
    _short("07.1", lambda a: _number(a, 6, 0, "a whole number of points"),
           "Class 1 is where one linear function f of x is positive. On a face of the cube the two diagonals have "
           "equal sums of points, so f sums to the same over each: can both ends of one be negative and both of "
           "the other positive?"),
    _short("07.2", lambda a: _number(a, 1 + np.sqrt(2), 1e-3),
           "At (1, 1), z1 = w1_1 + w1_2 + b1: make each of the three terms as large as its range allows."),
    _short("08.1", lambda a: _shape(a, (4, 2)),
           "A gradient has one entry per entry of the quantity it is taken with respect to: find that "
           "quantity's shape for n = 4 in notebook 01."),
    _short("08.2", _check_08_2, "A float64 number takes 8 bytes; count the entries."),
    _short("09.1", _check_09_1, "δ3 = y_hat - y for one row (n = 1); ∇_{w1} L = x · step(z1) · w3_1 · δ3."),
    _short("09.2", lambda a: _number(a, gradients(P0, X_XOR, Y_XOR).b3, 1e-6),
           "∇_{b3} L = 1ᵀ δ3 with δ3 = (y_hat - y) / n: what happens to it when every row appears twice?"),
    _short("10.1", lambda a: _number(a, train(P0, X_XOR, Y_XOR, lr=0.9, epochs=1).params.b3, 1e-4),
           "b3 moves by -lr times its gradient at the start: take the step in the explorer after reset, or "
           "compute the gradient at init_params(0) with xorlib.gradients."),
    _short("10.2", lambda a: _number(a, 2, 0, "a whole number"),
           "Follow the chain from ∇_ŷ L to w3 in the graph of notebook 01 and count the Jacobians you pass."),
    _short("12.1", _check_12_1,
           "jnp.maximum(z, 0) has derivative 1/2 at z = 0; notebook 04 printed ∇_b1 L just left and "
           "just right of the kink, where the derivative is 0 and 1."),
    _short("12.2", _check_12_2, "Count the entries: θ holds w1, b1, w2, b2, w3 and b3; L is one number."),
    _short("13.1", _check_13_1, "Every VJP is linear in the gradient it receives: what does a seed c do to every "
                                "gradient? Compute ∇b3 at init_params(0) with xorlib.gradients."),
    _short("13.2", _check_13_2, "vec(P) and vec(Z) have n c entries each; row i of P depends on row i of Z only."),
    _short("13.3", _check_13_3, "The decay term is λ (||W1||² + ||W2||² + ||W3||²); differentiate it with respect "
                                "to W3 alone."),
]}


# The coding exercises, e.g. "08a.1", and notebook 13a's (the engine's VJPs and sweep, checked in coding_engine).
from .coding_engine import CHECKERS as ENGINE_CHECKERS  # noqa: E402
from .coding_exercises import ALIASES, CODING_EXERCISES, CodingExercise  # noqa: E402

EXERCISES.update({i: Exercise(i, e, e.hint, kind="code", points=e.points)
                  for i, e in CODING_EXERCISES.items()})
EXERCISES.update({i: Exercise(i, CodingExercise(i, fn, checker, hint, points), hint, kind="code", points=points)
                  for i, fn, checker, hint, points in ENGINE_CHECKERS})


def _unknown_exercise(exercise_id) -> str:
    """One line for an exercise id that does not exist, with the nearest one if there is one."""
    import difflib

    if not isinstance(exercise_id, str):
        return f"exercise_id must be a text such as \"08a.1\", got {type(exercise_id).__name__} {exercise_id!r}"
    known = sorted(EXERCISES) + sorted(ALIASES)
    padded = exercise_id.zfill(len(exercise_id) + 1) if exercise_id[:1].isdigit() and exercise_id[1:2] in ".abcd" \
        else exercise_id  # "8a.1" -> "08a.1"
    near = [padded] if padded in known else difflib.get_close_matches(exercise_id, known, n=1, cutoff=0.6)
    return f"no exercise {exercise_id}" + (f"; did you mean {near[0]}?" if near else
                                           f"; the exercises are numbered like 02.1 or 08a.1 ({len(EXERCISES)} in all)")


def check(exercise_id: str, answer) -> Feedback:
    """Check an answer and say what is right or wrong, with a hint; never the solution."""
    if exercise_id not in EXERCISES and exercise_id not in ALIASES:
        raise ValueError(_unknown_exercise(exercise_id))
    exercise = EXERCISES[ALIASES.get(exercise_id, exercise_id)]
    if exercise.kind == "code":
        return Feedback(exercise_id, *exercise.checker(answer))
    if answer is Ellipsis:
        return Feedback(exercise_id, "unanswered",
                        "not answered yet. Replace ... with your answer and run the cell again.")
    try:
        exercise.checker(answer)
    except Wrong as wrong:
        message = str(wrong).rstrip(".")
        return Feedback(exercise_id, "wrong", f"not yet: {message}. Hint: {exercise.hint}")
    except Exception:  # an answer of a kind the checker cannot read
        return Feedback(exercise_id, "wrong", f"not yet: this answer ({_describe(answer)}) is not of a kind "
                                              f"this exercise can check. Hint: {exercise.hint}")
    return Feedback(exercise_id, "correct", "correct.")


def graded(exercise_id: str, answer) -> Feedback | None:
    """An assignment's graded cell: None in a student's run; while nbgrader autogrades, the same ``check``'s
    feedback, which the cell asserts is correct (0 points otherwise).

    nbgrader sets NBGRADER_EXECUTION=autograde while it grades. The assertion is in the released
    notebook as it is in the instructor's, so nbgrader finds every locked cell unchanged.
    """
    import os

    if os.environ.get("NBGRADER_EXECUTION") != "autograde":
        return None
    return check(exercise_id, answer)
