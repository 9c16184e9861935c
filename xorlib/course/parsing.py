"""Reading a learner's short answer in any reasonable form, or saying what is wrong with it.

Each reader raises ``Wrong`` with a message that says what is wrong (never the
answer): numbers and arrays are compared within a tolerance; shapes and vectors
may be lists, tuples or numpy arrays; a SymPy expression is right when it equals
the expected one, whatever form or assumptions it carries. ``xorlib.course.exercises``
builds its checkers from these.
"""

from __future__ import annotations

import sys

import numpy as np

from .sandbox import Wrong  # the one exception a checker raises: what is wrong, never the answer


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
    name = type(answer).__name__
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article} {name}" + (f" {text}" if len(text) <= 30 else "")


def _array(answer, what: str) -> np.ndarray:
    if answer is None or isinstance(answer, (str, bytes)):
        raise Wrong(f"expected {what} written with digits, got {_describe(answer)}")
    sympy = sys.modules.get("sympy")  # loaded only where an answer can be SymPy's (it takes 0.2 s to import)
    if sympy is not None and isinstance(answer, sympy.MatrixBase):
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
        raise Wrong(f"{wrong} of {expected.size} entries {'is' if wrong == 1 else 'are'} not right "
                    f"(to within {tol:g})")


def _same_expression(answer, expected, variables):
    """Equal as SymPy expressions, whatever assumptions the student's symbols carry."""
    import sympy as sp

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


def _count(number: int, noun: str) -> str:
    """'1 product', '2 products'."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


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
        parts = []
        if extra:
            parts.append(f"{_count(len(extra), 'product')} in it {'works' if len(extra) == 1 else 'work'} (the "
                         "shapes fit)")
        if missing:
            parts.append(f"{_count(len(missing), 'product')} that {'fails' if len(missing) == 1 else 'fail'} "
                         f"{'is' if len(missing) == 1 else 'are'} not in it")
        raise Wrong("that set is not right: " + " and ".join(parts))
