"""Exercises with instant feedback.

In a notebook::

    answer = ...  # your answer
    check("02.1", answer)

``check`` says whether the answer is right; if not, what is wrong and a hint.
It never prints the solution. An answer left as ``...`` gets "not answered
yet", so an unanswered notebook runs cleanly top to bottom.

Each ``Exercise`` holds its checker, its hint and its solution (as code, used
by ``scripts/build_solutions.py`` and by the tests, never shown by ``check``).
Checkers accept every correct form: numbers and arrays within a tolerance,
lists, tuples or numpy arrays for shapes and vectors, any SymPy expression
equal to the right one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from .data import xor_data
from .errata import cosine, original_gradients
from .gradients import gradients
from .network import forward, relu_derivative, solves
from .params import Params, init_params
from .train import train


class Wrong(Exception):
    """Raised by a checker with a message saying what is wrong (never the answer)."""


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
    id: str
    checker: Callable[[Any], None]  #: returns None if right, raises Wrong otherwise
    hint: str
    solution: str  #: Python code for the answer, in a namespace with np, sp, xorlib, S
    kind: str = "short"  #: "short" (a value) or "code" (a function; solution is a cell defining it)
    points: int = 1  #: for grading


# --- helpers to compare answers in any reasonable form -----------------------------

def _describe(answer) -> str:
    """A short description of an answer for a message: its kind, and its value if short."""
    if answer is None:
        return "None"
    if isinstance(answer, str):
        return f"the text {answer[:30]!r}"
    if isinstance(answer, np.ndarray):
        kind = "text" if answer.dtype.kind in "USO" else "numbers"
        return f"an array of {kind} of shape {answer.shape}"
    text = repr(answer)
    return f"a {type(answer).__name__}" + (f" {text}" if len(text) <= 30 else "")


def _array(answer, what: str) -> np.ndarray:
    if answer is None or isinstance(answer, (str, bytes)):
        raise Wrong(f"expected {what} written with digits, got {_describe(answer)}")
    if isinstance(answer, sp.MatrixBase):
        answer = np.array(answer.tolist(), dtype=object)
    try:
        value = np.array(answer, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"expected {what} written with digits, got {_describe(answer)}") from None
    if np.any(np.isnan(value)):
        raise Wrong(f"expected {what}, got NaN (not a number) in the answer")
    return value


def _number(answer, expected: float, tol: float, what: str = "a number"):
    if isinstance(answer, (bool, np.bool_)):
        raise Wrong(f"expected {what}, got {answer!r}")
    value = _array(answer, what)
    if value.size != 1:
        raise Wrong(f"expected {what}, got an array of shape {value.shape}")
    value = float(value.reshape(()))
    if tol == 0 and value != round(value):
        raise Wrong(f"expected {what}, got {value:g}")
    if not abs(value - expected) <= tol:
        raise Wrong(f"{value:g} is not right" + (f" (to within {tol:g})" if tol > 0 else ""))


def _shape(answer, expected: tuple):
    if isinstance(answer, int):
        answer = (answer,)
    try:
        got = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        raise Wrong(f"expected a shape such as (3, 2), got {_describe(answer)}") from None
    if got == expected[::-1] and got != expected:
        raise Wrong(f"{got} has the right sizes in the wrong order: rows come first")
    if got != expected:
        raise Wrong(f"{got} is not the right shape")


def _boolean(answer, expected: bool):
    if not isinstance(answer, (bool, np.bool_)):
        raise Wrong(f"expected True or False, got {_describe(answer)}")
    if bool(answer) != expected:
        raise Wrong(f"{bool(answer)} is not right")


def _vector(answer, expected, tol: float, what: str):
    value = _array(answer, what)
    expected = np.asarray(expected, dtype=np.float64)
    if value.shape != expected.shape:
        if value.size == expected.size:
            value = value.reshape(expected.shape)
        else:
            raise Wrong(f"expected {what} with {expected.size} entries, got shape {value.shape}")
    if not np.allclose(value, expected, rtol=0, atol=tol):
        wrong = int(np.sum(~np.isclose(value, expected, rtol=0, atol=tol)))
        raise Wrong(f"{wrong} of {expected.size} entries are not right (to within {tol:g})")


def _same_expression(answer, expected, variables):
    """Equal as SymPy expressions, whatever assumptions the student's symbols carry."""
    try:
        expression = sp.sympify(answer)
    except (sp.SympifyError, TypeError):
        raise Wrong(f"expected a SymPy expression, got {type(answer).__name__}") from None
    by_name = {v.name: v for v in variables}
    expression = expression.xreplace({s: by_name[s.name] for s in expression.free_symbols if s.name in by_name})
    unknown = sorted(s.name for s in expression.free_symbols if s.name not in by_name)
    if unknown:
        raise Wrong(f"the expression uses {unknown}; use only {sorted(by_name)}")
    if sp.simplify(expression - expected) != 0:
        raise Wrong("this expression is not equal to the derivative")


# --- the exercises ---------------------------------------------------------------------

X_XOR, Y_XOR = xor_data()
P0 = init_params(0)
z = sp.Symbol("z", real=True)
sigma = 1 / (1 + sp.exp(-z))


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
    _vector(value, np.diag(relu_derivative(z1)), 1e-12, "a 4 x 4 matrix")


def _check_03_3(answer):
    y_hat = np.array([0.8, 0.3, 0.6, 0.1])
    expected = np.mean(y_hat - Y_XOR)
    if np.isclose(_array(answer, "a number").reshape(-1)[0], np.sum(y_hat - Y_XOR)):
        raise Wrong("that is the sum; the mean's 1/n is missing")
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
    if answer > first and solved[answer]:
        raise Wrong(f"at epoch {answer} all four are right, but they were already right earlier")
    if answer != first:
        raise Wrong(f"at epoch {answer} not all four points are on the correct side of 0.5")


def _check_06_1(answer):
    value = _array(answer, "a number")
    if value.size == 1 and abs(float(value.reshape(())) - 8) <= 1e-12:
        return  # "8 times smaller" is the same answer, read the other way round
    _number(answer, 1 / 8, 1e-12)


def _check_06_2(answer):
    p = init_params(3)
    true = gradients(p, X_XOR, Y_XOR)
    _number(answer, cosine(original_gradients(p, X_XOR, Y_XOR, errors=(1,)), true), 1e-4,
            "a cosine (a number between -1 and 1)")


def _check_09_1(answer):
    X1, y1 = np.array([[1.0, 0.0]]), np.array([1.0])
    _vector(answer, gradients(P0, X1, y1).w1, 1e-6, "a vector of 2 numbers")


EXERCISES = {e.id: e for e in [
    Exercise("00.1", _check_00_1, "Compute w1 x1 + w2 x2 + b for each of the four inputs and compare its sign with y.",
             "next(tuple(int(v) for v in x) for x, t in zip(*xorlib.xor_data()) if (x.sum() - 0.5 > 0) != (t == 1))"
             "  # the input on the wrong side of x1 + x2 - 0.5 = 0 for its label"),
    Exercise("00.2", _check_00_2, "Read w2_1, w2_2 and b2 from the printed params.",
             "(lambda f: (float(f.z2[0]), float(f.h2[0])))(xorlib.forward(xorlib.init_params(0), [[1.0, 2.0]]))"),
    Exercise("00.3", lambda a: _boolean(a, False),
             "Train from init_params(1) and check every prediction against 0.5.",
             "xorlib.solves(xorlib.train(xorlib.init_params(1), *xorlib.xor_data()).params, *xorlib.xor_data())"
             "  # train as in the notebook, then compare every prediction with 0.5"),
    Exercise("01.1", lambda a: _number(a, float(forward(P0, np.array([[1.0, 2.0]])).z3[0]), 1e-3),
             "Follow steps 1 to 5 for this one input: z1 and z2, then h1 and h2, then z3 = h1 w3_1 + h2 w3_2 + b3.",
             "float(xorlib.forward(xorlib.init_params(0), [[1.0, 2.0]]).z3[0])"),
    Exercise("01.2", lambda a: _shape(a, (8, 2)),
             "Find the shape of H for n = 4 in the steps above and decide which of its two sizes follows n.",
             "xorlib.forward(xorlib.init_params(0), xorlib.repeated_xor(2)[0]).H.shape"
             "  # one row per example (8), one column per hidden unit (2)"),
    Exercise("01.3", lambda a: _number(a, -np.log(0.25), 1e-3),
             "For y = 1 the loss of one example is -ln(y_hat).",
             "-np.log(0.25)  # for y = 1 the loss of one example is -ln(ŷ), here with ŷ = 0.25"),
    Exercise("02.1", _check_02_1, "ReLU'(z) is 1 where z > 0 and 0 where z <= 0; off the diagonal everything is 0.",
             "np.diag((np.array([-0.5, 0.2, 1.5, 0.0]) > 0).astype(float))"
             "  # step(z) on the diagonal, with step(0) = 0; every row depends on its own z only"),
    Exercise("02.2", lambda a: _shape(a, (8, 2)),
             "A Jacobian has one row per entry of the output and one column per entry of the input: count "
             "each for n = 8.",
             "xorlib.local_jacobians(xorlib.init_params(0), *xorlib.repeated_xor(2)).z3_w3.shape"
             "  # one row per entry of z3 (n = 8), one column per entry of w3 (2)"),
    Exercise("02.3", lambda a: _same_expression(a, sp.diff(sigma, z), [z]),
             "Differentiate 1 / (1 + exp(-z)) with sp.diff; any equal form is accepted.",
             "sp.diff(1 / (1 + sp.exp(-sp.Symbol('z'))), sp.Symbol('z'))"),
    Exercise("03.1", lambda a: _shape(a, (1, 8)),
             "Find the shape of ∂z2/∂b2 in the table of shapes above, put n = 8 in it, and transpose.",
             "xorlib.local_jacobians(xorlib.init_params(0), *xorlib.repeated_xor(2)).z2_b2.T.shape"
             "  # ∂z2/∂b2 is a column of n = 8 ones; its transpose is one row"),
    Exercise("03.2", lambda a: _choice_set(a, {"a", "c"}),
             "Write out the shapes: X is (4, 2), diag(...) is (4, 4), g is (4, 1).",
             "{'a', 'c'}  # (a) (4, 2) @ (4, 4): 2 != 4; (b) (2, 4) @ (4, 4) @ (4, 1) -> (2, 1) works; "
             "(c) (4, 4) @ (2, 4): 4 != 2"),
    Exercise("03.3", _check_03_3, "∇_{b3} L = (1/n) Σ (y_hat - y) over the rows.",
             "np.mean(np.array([0.8, 0.3, 0.6, 0.1]) - xorlib.xor_data()[1])"),
    Exercise("04.1", _check_04_1, "With ReLU'(0) = 1 the value equals the gradient just to the right of the kink.",
             "xorlib.gradients(xorlib.Params.from_vector(np.r_[xorlib.init_params(0).to_vector()[:2], 1e-12, "
             "xorlib.init_params(0).to_vector()[3:]]), *xorlib.xor_data()).b1"),
    Exercise("04.2", lambda a: _number(a, 0.505, 1e-9),
             "The central difference averages the slopes on both sides of the kink.",
             "(1 + 0.01) / 2  # (f(eps) - f(-eps)) / (2 eps) = (eps + 0.01 eps) / (2 eps): the mean of the slopes"),
    Exercise("05.1", _check_05_1, "Loop over the epochs and use history.params_at(epoch) with xorlib.solves.",
             "(lambda X, y, history: next(e for e in range(history.epochs + 1) "
             "if xorlib.solves(history.params_at(e), X, y)))"
             "(*xorlib.xor_data(), xorlib.train(xorlib.init_params(0), *xorlib.xor_data()))"),
    Exercise("05.2", lambda a: _number(a, (np.log(3) + 2 * np.log(1.5)) / 4, 1e-3),
             "Write the three shared rows' loss as a function of p, find the p that minimises it, and "
             "remember the mean divides by all four rows.", "(np.log(3) + 2 * np.log(1.5)) / 4"),
    Exercise("06.1", _check_06_1, "Which n does the original's second (1.0/n) see on this data set?",
             "1 / xorlib.repeated_xor(2)[0].shape[0]  # the second (1.0/n) sees n = 8 rows"),
    Exercise("06.2", _check_06_2, "Use xorlib.errata.original_gradients(..., errors=(1,)) and xorlib.errata.cosine.",
             "xorlib.errata.cosine(xorlib.errata.original_gradients(xorlib.init_params(3), *xorlib.xor_data(), "
             "errors=(1,)), xorlib.gradients(xorlib.init_params(3), *xorlib.xor_data()))"),
    Exercise("07.1", lambda a: _number(a, 3, 0, "a whole number of points"),
             "A single ReLU unit followed by a sigmoid is monotone in one linear function of x.",
             "3  # y_hat is monotone in one affine a.x + c, so the classes are split by a line; "
             "no line gets all 4 XOR points right (notebook 00), and a line gets 3"),
    Exercise("07.2", lambda a: _number(a, 1 + np.sqrt(2), 1e-3),
             "At (1, 1), z1 = w1_1 + w1_2 + b1: make each of the three terms as large as its range allows.",
             "1 / np.sqrt(2) + 1 / np.sqrt(2) + 1  # z1 = w1_1 + w1_2 + b1 at (1, 1); weights <= 1/√2, bias <= 1"),
    Exercise("08.1", lambda a: _shape(a, (4, 2)),
             "A gradient has one entry per entry of the quantity it is taken with respect to: find that "
             "quantity's shape for n = 4 in notebook 01.",
             "xorlib.forward(xorlib.init_params(0), xorlib.xor_data()[0]).H.shape  # ∇_H L has the shape of H"),
    Exercise("08.2", lambda a: _number(a, 8192 * 8192 * 8, 0.5, "a number of bytes"),
             "A float64 number takes 8 bytes.",
             "8192 * 8192 * np.dtype(np.float64).itemsize  # 8192² entries of 8 bytes each"),
    Exercise("09.1", _check_09_1, "δ3 = y_hat - y for one row (n = 1); ∇_{w1} L = x · step(z1) · w3_1 · δ3.",
             "xorlib.gradients(xorlib.init_params(0), [[1.0, 0.0]], [1.0]).w1"),
    Exercise("09.2", lambda a: _number(a, gradients(P0, X_XOR, Y_XOR).b3, 1e-6),
             "∇_{b3} L = 1ᵀ δ3 with δ3 = (y_hat - y) / n: what happens to it when every row appears twice?",
             "xorlib.gradients(xorlib.init_params(0), *xorlib.repeated_xor(2)).b3"),
    Exercise("10.1", lambda a: _number(a, train(P0, X_XOR, Y_XOR, lr=0.9, epochs=1).params.b3, 1e-4),
             "b3 moves by -lr times its gradient, shown in the gradient table before the step.",
             "xorlib.train(xorlib.init_params(0), *xorlib.xor_data(), lr=0.9, epochs=1).params.b3"),
    Exercise("10.2", lambda a: _number(a, 4, 0, "a whole number"),
             "Follow the chain from ∇_ŷ L to b2 in the graph of notebook 01 and count the Jacobians you pass.",
             "len(S.CHAINS['b2'])  # (∂z2/∂b2)ᵀ (∂h2/∂z2)ᵀ (∂z3/∂h2)ᵀ (∂ŷ/∂z3)ᵀ ∇_ŷ L: the original's chain"),
]}


def _choice_set(answer, expected: set):
    if isinstance(answer, str):
        answer = list(answer.replace(",", " ").split()) if " " in answer or "," in answer else list(answer)
    try:
        got = {str(a).strip().lower() for a in answer}
    except TypeError:
        raise Wrong(f"expected the letters of the products that fail, e.g. {{'a'}}, got {_describe(answer)}") from None
    if not got <= {"a", "b", "c"}:
        raise Wrong(f"the products are labelled a, b and c; got {sorted(got)}")
    missing, extra = expected - got, got - expected
    if missing or extra:
        raise Wrong(f"that set is not right: it has {len(extra)} product(s) that work and misses "
                    f"{len(missing)} that fail(s)")


from .coding_exercises import ALIASES, CODING_EXERCISES  # noqa: E402  (the coding exercises, e.g. "08a.1")

EXERCISES.update({i: Exercise(i, e, e.hint, e.solution, kind="code", points=e.points)
                  for i, e in CODING_EXERCISES.items()})


def check(exercise_id: str, answer) -> Feedback:
    """Check an answer and say what is right or wrong, with a hint; never the solution."""
    if exercise_id not in EXERCISES and exercise_id not in ALIASES:
        raise ValueError(f"exercise_id must be one of {sorted(EXERCISES) + sorted(ALIASES)}, got {exercise_id!r}")
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


# Notebook 12's exercises live in their own module; registered here so that check() finds them.
from .exercises_jax import EXERCISES_12  # noqa: E402  (needs the names above)

EXERCISES.update((exercise.id, exercise) for exercise in EXERCISES_12)
