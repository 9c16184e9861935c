"""Running a learner's function as untrusted code.

``call(function, *args)`` runs it on copies of its arguments, under a time
limit, with warnings recorded rather than printed, and turns anything that
goes wrong (an exception, a hang, an argument changed in place) into a
``Wrong`` whose message is one paragraph, naming the line of the learner's
code, never a traceback. ``is_stub`` tells a stub left as ``...`` from an
attempt; ``describe`` names a returned value without printing it.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import linecache
import re
import signal
import sys
import textwrap
import threading
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np

#: Seconds one call of a learner's function may take.
TIME_LIMIT = 3.0

_PACKAGE = str(Path(__file__).resolve().parents[1])  # all of xorlib, not only course/
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


def _names_read(code) -> set:
    """The global names a code object (and the functions defined inside it) reads."""
    names = set(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            names |= _names_read(const)
    return names


def outside_data(function) -> list[str]:
    """The notebook variables holding data (arrays, a forward pass, parameters, lists of them) that ``function``
    reads instead of computing them from its arguments: "`f` (a ForwardPass)". Numbers are left out: a
    constant such as ``EPS = 1e-6`` is a fair thing to read."""
    code = getattr(inspect.unwrap(function), "__code__", None)
    namespace = getattr(inspect.unwrap(function), "__globals__", {})
    if code is None:
        return []
    found = []
    for name in sorted(_names_read(code)):
        if name not in namespace or name.startswith("__"):
            continue
        value = namespace[name]
        data = isinstance(value, (np.ndarray, list, tuple, dict)) or (
            dataclasses.is_dataclass(value) and not isinstance(value, type))
        if not data or callable(value):
            continue
        found.append(f"`{name}` ({describe(value)})")
    return found


@dataclasses.dataclass(frozen=True)
class Forbidden:
    """xorlib's own answers to an exercise: ``functions`` (name -> function) must not run inside the
    learner's function, by any route; ``allowed`` says in words what the learner may use instead."""

    functions: dict
    allowed: str


def _code(function):
    """The code object that runs when ``function`` is called (a class: its ``__init__``)."""
    function = inspect.unwrap(function)
    if isinstance(function, type):
        function = function.__init__
    return getattr(function, "__code__", None)


@contextmanager
def watching(forbidden: Forbidden | None, trusted=()):
    """Record every call of a forbidden function made inside the block, at any depth: by its name,
    through an alias, or from inside another function that computes it. Calls made from inside a
    ``trusted`` function (a helper the checker hands the learner) do not count. Yields the record."""
    called = []
    codes = {} if forbidden is None else {_code(f): name for name, f in forbidden.functions.items()}
    codes.pop(None, None)
    if not codes:
        yield called
        return
    trusted_codes = {code for code in map(_code, trusted) if code is not None}
    inside_trusted = [0]

    def profile(frame, event, arg):
        if event == "call":
            if frame.f_code in trusted_codes:
                inside_trusted[0] += 1
            elif not inside_trusted[0] and frame.f_code in codes:
                called.append(codes[frame.f_code])
        elif event == "return" and frame.f_code in trusted_codes:
            inside_trusted[0] -= 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield called
    finally:
        sys.setprofile(None)
        if callable(previous):
            sys.setprofile(previous)
        elif previous is not None and hasattr(previous, "enable"):  # a C profiler such as cProfile's
            previous.enable()


def call(function, *args, where: str = "", names=("params", "X", "y"), forbidden: Forbidden | None = None,
         trusted=()):
    """Run ``function(*args)`` as untrusted code and return what it returned.

    Arrays (and dataclasses of arrays) are passed as copies and compared
    afterwards; numpy floating-point warnings are recorded, not printed.
    Raises ``Wrong`` with one paragraph for an exception, a time-out, an
    argument changed in place, or a call, by any route, of one of the ``forbidden``
    functions (xorlib's own answer to the exercise; ``trusted`` helpers may call them).
    """
    copies = [_copy(a) for a in args]
    try:
        with warnings.catch_warnings(record=True), np.errstate(all="ignore"), watching(forbidden, trusted) as called, \
                time_limit(TIME_LIMIT):
            warnings.simplefilter("always")
            result = function(*copies)
    except _TimeLimit:
        raise Wrong(f"your function did not finish within {TIME_LIMIT:g} s{where}; look for a loop that "
                    "never ends, or one over far more steps than needed", kind="timeout") from None
    except RecursionError:
        raise Wrong(f"your function went deeper than Python's limit on nested calls (RecursionError){where}: a "
                    "function that calls itself once per step needs as many nested calls as steps, or never "
                    "stops; write the steps as a loop", kind="raised") from None
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
        raise Wrong(f"your function reaches xorlib's `{called[0]}`{where}, which computes what this exercise asks "
                    f"you to write: write it yourself; from xorlib, use only {forbidden.allowed}", kind="delegated")
    return result
