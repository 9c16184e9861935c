"""Running a learner's function as untrusted code, and comparing its answers.

``call(function, *args)`` runs it on copies of its arguments, under a time
limit, with warnings recorded rather than printed, and turns anything that
goes wrong (an exception, a hang, an argument changed in place) into a
``Wrong`` whose message is one paragraph, naming the line of the learner's
code, never a traceback.

``compare(...)`` then holds the answers on several problems against the
truth and against the classic mistakes (``Mistake``), and says which mistake
the evidence fits, or else which parts are wrong and by how much. It never
prints a correct value.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import linecache
import re
import signal
import textwrap
import threading
import time
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Seconds one call of a learner's function may take.
TIME_LIMIT = 3.0
#: Relative tolerance for "the same numbers" (scaled by the largest entry).
RTOL = 1e-6

_PACKAGE = str(Path(__file__).resolve().parent)
#: What an exception from building a Params usually means.
EXPLAIN = [
    (r"Params\.b[123] must be a (scalar|real number)", ": a bias gradient is one number, so is it not summed over "
                                                       "the rows?"),
    (r"Params\.\w+ must be finite", ": the gradient holds NaN or inf"),
    (r"read-only", ": Params cannot be changed in place; build a new one"),
    (r"core dimension|not aligned|could not be broadcast", ": the shapes do not fit; is a transpose missing, or one "
                                                         "too many?"),
    (r"positional argument", ": the function must take the arguments the exercise names, e.g. (params, X, y)"),
]


class Wrong(Exception):
    """What is wrong with a submission, in words for the learner.

    ``core`` is the message without a guessed explanation (which a later, better
    diagnosis replaces); ``kind`` tags it ("raised", "timeout", or a mistake's
    name), so that one diagnosis is not said twice.
    """

    def __init__(self, message: str, *, core: str | None = None, kind: str = ""):
        super().__init__(message)
        self.core = message if core is None else core
        self.kind = kind


class Named(Wrong):
    """A wrong answer whose classic mistake the evidence fits."""


class _TimeLimit(BaseException):
    """Raised inside the learner's code when the time is up (a BaseException, so
    ``except Exception`` in their code does not swallow it)."""


@contextmanager
def time_limit(seconds: float):
    """Interrupt the block after ``seconds`` with SIGALRM (main thread only; elsewhere no limit).

    A timer signal needs no subprocess and no fork, so it works inside a Jupyter kernel.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def interrupt(signum, frame):
        raise _TimeLimit()

    previous = signal.signal(signal.SIGALRM, interrupt)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)  # a timer already running (e.g. a test's) resumes after
    start = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3))


def _stub():
    ...


def _documented_stub():
    """A docstring."""
    ...


def is_stub(function) -> bool:
    """True if the function's body is only ``...``, ``pass`` or a docstring."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):  # no source: a body of `...` compiles to `return None`
        code = getattr(function, "__code__", None)
        return code is not None and code.co_code in (_stub.__code__.co_code, _documented_stub.__code__.co_code)
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    return all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
                                           and (s.value.value is Ellipsis or isinstance(s.value.value, str)))
               for s in node.body)


def _learner_line(traceback) -> str:
    """'line 4 of your code: `return X @ g`' for the deepest frame outside xorlib and libraries."""
    found = []
    while traceback is not None:
        code = traceback.tb_frame.f_code
        name = code.co_filename
        if not (name.startswith(_PACKAGE) or "site-packages" in name or name.startswith("<frozen")):
            found.append((name, traceback.tb_lineno, code.co_name))
        traceback = traceback.tb_next
    files = [f for f in found if not f[0].startswith("<")]  # "<string>": code made by exec, e.g. a dataclass's __init__
    if not found:
        return ""
    name, line, function = (files or found)[-1]
    text = linecache.getline(name, line).strip()
    where = f"line {line} of `{function}`" if function != "<module>" else f"line {line}"
    return f" at {where}" + (f": `{text}`" if text else "")


def describe(value) -> str:
    """A short description of a returned value, without printing large arrays."""
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, dict):
        keys = ", ".join(map(str, list(value)[:8]))
        return f"a dict with the keys {keys}"[:80]
    if type(value).__name__ == "History":
        return "a History (what xorlib.train returns): return its `.params`"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return f"a {type(value).__name__}"
    text = f"{type(value).__name__} {value!r}"
    return text if len(text) <= 80 else f"a {type(value).__name__}"


def _copy(value):
    """A copy of an array, or of a dataclass of arrays (e.g. WideParams, whose arrays are writable)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value)(**{f.name: _copy(getattr(value, f.name)) for f in dataclasses.fields(value)})
    return value


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return np.shape(a) == np.shape(b) and np.array_equal(a, b)
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return True


@contextmanager
def watching(forbidden):
    """Replace each ``(owner, name)`` attribute by a wrapper that records its calls; yield the record."""
    called, saved = [], []
    for owner, name in forbidden:
        original = getattr(owner, name)

        def wrapper(*args, _original=original, _name=name, **kwargs):
            called.append(_name)
            return _original(*args, **kwargs)
        saved.append((owner, name, original))
        setattr(owner, name, wrapper)
    try:
        yield called
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def call(function, *args, where: str = "", names=("params", "X", "y"), forbidden=()):
    """Run ``function(*args)`` as untrusted code and return what it returned.

    Arrays (and dataclasses of arrays) are passed as copies and compared
    afterwards; numpy floating-point warnings are recorded, not printed.
    Raises ``Wrong`` with one paragraph for an exception, a time-out, an
    argument changed in place, or a call of one of the ``forbidden``
    ``(owner, name)`` functions (xorlib's own answer to the exercise).
    """
    copies = [_copy(a) for a in args]
    try:
        with warnings.catch_warnings(record=True), np.errstate(all="ignore"), watching(forbidden) as called, \
                time_limit(TIME_LIMIT):
            warnings.simplefilter("always")
            result = function(*copies)
    except _TimeLimit:
        raise Wrong(f"your function did not finish within {TIME_LIMIT:g} s{where}; look for a loop that "
                    "never ends, or one over far more steps than needed", kind="timeout") from None
    except RecursionError:
        raise Wrong(f"your function called itself without end (RecursionError){where}", kind="raised") from None
    except Exception as error:  # the learner's bug, reported in one paragraph
        text = str(error).splitlines()[0][:200] if str(error) else ""
        explained = next((why for pattern, why in EXPLAIN if re.search(pattern, text)), "")
        core = (f"your function raised {type(error).__name__}" + (f" ({text})" if text else "")
                + f"{_learner_line(error.__traceback__)}{where}")
        raise Wrong(core + explained, core=core, kind="raised") from None
    for name, original, copy in zip(names, args, copies):
        if not _same(copy, original):
            raise Wrong(f"your function changed its argument `{name}` in place{where}; the caller's data must "
                        "not change: compute new arrays instead of assigning into the ones you were given")
    if called:
        raise Wrong(f"your function calls xorlib's `{called[0]}`{where}: the exercise is to compute it yourself, "
                    "so don't call xorlib's version")
    return result


@dataclass(frozen=True)
class Problem:
    """One test problem: a label for messages and the arguments."""

    label: str  #: e.g. "XOR, n = 4"
    params: object
    X: np.ndarray
    y: np.ndarray

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def where(self) -> str:
        return f" (on {self.label})"


@dataclass(frozen=True)
class Mistake:
    """A classic mistake: the answer it produces, and what to say when an answer fits it."""

    name: str  #: e.g. "mean twice"
    message: str  #: names the mistake, never the answer
    answer: Callable  #: (problem, truth) -> blocks the mistake would give
    blocks: tuple | None = None  #: the blocks it changes (None: all)


def _scale(b: dict) -> float:
    """The largest entry of all of b's blocks (a block of exact zeros is judged on that scale too)."""
    return max([float(np.max(np.abs(v))) for v in b.values() if np.size(v)] + [1e-300])


def blocks_close(a: dict, b: dict, names=None, rtol: float = RTOL) -> bool:
    """The blocks ``names`` of a and b agree to ``rtol`` times the largest entry of all of b's blocks."""
    names = list(a) if names is None else names
    scale = _scale(b)
    return all(np.shape(a[k]) == np.shape(b[k]) and np.allclose(a[k], b[k], rtol=0, atol=rtol * scale)
               for k in names)


def _block_error(a, b, scale: float) -> float:
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b)))) / scale


def compare(answers: list, truths: list, problems: list, mistakes=(), label=lambda k: k,
            hard_coded_n: bool = True, rtol: float = RTOL) -> None:
    """Raise ``Wrong`` naming the mistake the answers fit, if they are not the truth.

    ``answers`` and ``truths`` hold, per problem, a dict of named blocks of
    the right shapes (shapes are checked before this). The evidence, in order:
    a classic mistake that reproduces every wrong block on every problem;
    right at n = 4 and wrong at another n (a hard-coded n); else the wrong
    blocks and their largest relative error (relative to the largest entry
    of all blocks). ``hard_coded_n=False`` where n = 4 cannot be told apart
    from another cause (training: the n = 4 run is also the one with 1000 epochs).
    """
    right = [blocks_close(a, t, rtol=rtol) for a, t in zip(answers, truths)]
    if all(right):
        return
    fitting = []
    for mistake in mistakes:
        try:
            guesses = [mistake.answer(p, t) for p, t in zip(problems, truths)]
        except Exception:  # e.g. a mistaken training run that diverges: it cannot be what the learner did
            continue
        names = mistake.blocks or list(truths[0])
        differs = any(not blocks_close(g, t, names, rtol) for g, t in zip(guesses, truths))
        if differs and all(blocks_close(a, g, names, rtol) for a, g in zip(answers, guesses)):
            if all(blocks_close(a, t, [k for k in t if k not in names], rtol) for a, t in zip(answers, truths)):
                raise Named(mistake.message, kind=mistake.name)  # the first mistake that explains everything
            fitting.append(mistake)
    fours = [r for r, p in zip(right, problems) if p.n == 4]
    if hard_coded_n and fours and all(fours):
        first = next(p for r, p in zip(right, problems) if not r)
        raise Wrong(f"right at n = 4 but wrong on {first.label}: is n = 4 (or a 4) written into your code? "
                    "Use the number of rows of X")
    wrong = [k for k in truths[0] if not all(blocks_close(a, t, [k], rtol) for a, t in zip(answers, truths))]
    worst = {k: max(_block_error(a[k], t[k], _scale(t)) for a, t in zip(answers, truths)) for k in wrong}
    text = ", ".join(f"{label(k)} (relative error up to {worst[k]:.2g})" for k in wrong)
    right_blocks = [label(k) for k in truths[0] if k not in wrong]
    message = f"wrong values in {text}"
    if len(wrong) == len(truths[0]) > 1:
        message = f"every part is wrong (relative error up to {max(worst.values()):.2g})"
    if right_blocks:
        message += "; right: " + ", ".join(right_blocks)
    if fitting:
        raise Named(fitting[0].message + "; besides that, " + message, kind=fitting[0].name)
    raise Wrong(message)


def assess(function, problems: list, convert, truths: list, mistakes=(), label=lambda k: k,
           args=lambda p: (p.params, p.X, p.y), hard_coded_n: bool = True, forbidden=(), rtol: float = RTOL) -> list:
    """Run the learner's function on every problem, convert (and shape-check) each answer, and ``compare``.

    A time-out ends the check at once. When it fails on some problems only:
    if it worked on every n = 4 problem, a hard-coded n is the likely cause
    (and a guess from the error's text is dropped); else, if its answers
    elsewhere fit a classic mistake, that is named first, once.
    """
    answers, failure = [], None
    for problem in problems:
        try:
            value = call(function, *args(problem), where=problem.where, forbidden=forbidden)
        except Wrong as wrong:
            if wrong.kind == "timeout":
                raise
            failure = failure or (problem, wrong)
            answers.append(None)
            continue
        try:
            answers.append(convert(value, problem))
        except Wrong as wrong:
            failure = failure or (problem, wrong)
            answers.append(None)
    if failure is None:
        compare(answers, truths, problems, mistakes, label, hard_coded_n, rtol)
        return answers
    problem, wrong = failure
    if hard_coded_n and problem.n != 4 and all(a is not None for a, p in zip(answers, problems) if p.n == 4):
        how = ("it ran at n = 4 but not at n = {}" if wrong.kind == "raised"
               else "its answer had the right form at n = 4 but not at n = {}").format(problem.n)
        raise Wrong(f"{wrong.core} — {how}: is n = 4 (or a 4) written into your code? Use the number of rows of X")
    ran = [i for i, a in enumerate(answers) if a is not None]
    if ran:
        try:
            compare(*([seq[i] for i in ran] for seq in (answers, truths, problems)), mistakes, label, hard_coded_n,
                    rtol)
        except Named as named:
            if named.kind and named.kind == wrong.kind:  # the same diagnosis, seen once as values, once as a shape
                raise Named(f"{wrong}; where the shapes happen to fit, the values are wrong the same way",
                            kind=named.kind) from None
            raise Named(f"{named}; and {wrong}", kind=named.kind) from None
        except Wrong:
            pass
    raise wrong
