"""Judging a submitted notebook again, in a fresh process the submission cannot reach into.

    python -m xorlib.course.judge SUBMISSION.ipynb < token    # one line per exercise: token {json}

The autograder runs it on every submitted notebook after nbgrader's own run
(``xorlib.course.grading.FreshJudge``), and a graded cell keeps its points only
if both runs say "correct". nbgrader's run happens in the student's kernel,
where any cell above the hidden test can rebind ``check``, replace it in
``xorlib.course.exercises``, or read the answer keys. In this process:

1. the checker is imported before any submitted code runs and held by
   reference, so rebinding or replacing ``check`` changes nothing;
2. an audit hook, which Python offers no way to remove, refuses what only
   copying or cheating needs: importing or reading the answer keys
   (``xorlib.course.keys``), reading a notebook or a web page (the worked
   solutions live in both), starting another process, and installing a
   profiler or tracer other than the checker's own;
3. the code cells run in order as plain Python; every answer is judged by the
   checker, and then xorlib, numpy, sympy, math and Python's built-ins are
   compared with a fingerprint taken before any submitted code ran. Once a
   submission has changed them, no later answer of it scores.

This is not a security sandbox: a student who studies this file can still find
ways through (nbgrader's documentation says the same of any grading that runs
students' code). It closes the ways a class finds in its first week.
"""

from __future__ import annotations

import builtins
import json
import linecache
import os
import re
import sys
import types
from pathlib import Path

import numpy as np

#: The line of an answer cell that checks it: ``check("08a.1", backward)``.
CHECK = re.compile(r'^check\("(?P<id>[0-9]{2}[a-z]?\.[0-9]+)",\s*(?P<name>\w+)\)\s*$')
#: Seconds any one cell may run (the notebooks run top to bottom in 5 s).
CELL_LIMIT = 120.0
_PACKAGE = Path(__file__).resolve().parents[1]  # xorlib/
_KEYS = _PACKAGE / "course" / "keys"
_SANDBOX = str(Path(__file__).with_name("sandbox.py"))
#: Audit events that start another process (which could read the keys for the submission).
_PROCESS_EVENTS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                   "os.forkpty", "pty.spawn")
_WATCHED_MODULES = ("builtins", "math", "numpy", "numpy.linalg", "numpy.random", "sympy")


class Refused(PermissionError):
    """What the judge refuses a submission, in words for the learner."""


def _guard(submission: Path):
    """The audit hook: refuse the answer keys, other notebooks and pages, new processes, and foreign profilers."""
    submission = submission.resolve()

    def hook(event, args):
        if event == "import" and args[0].startswith("xorlib.course.keys"):
            raise Refused("a submission may not import the answer keys (xorlib.course.keys)")
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            path = Path(os.fsdecode(args[0])).resolve()
            if path == submission:
                return
            if path.is_relative_to(_KEYS) or path.suffix in (".ipynb", ".html"):
                raise Refused(f"a submission may not read {path.name}: the answer keys, the worked solutions "
                              "and other notebooks are out of its reach")
        if event.startswith(_PROCESS_EVENTS):
            raise Refused("a submission may not start another process")
        if event in ("sys.setprofile", "sys.settrace") and sys._getframe(1).f_code.co_filename != _SANDBOX:
            raise Refused(f"a submission may not call {event}: the checker watches the calls itself")

    return hook


def _mark(value, depth: int = 0):
    """What must stay the same of one module attribute: its identity, and for a function its code, defaults
    and closure; for an array its contents; for one of xorlib's objects, classes and registries, their parts."""
    if isinstance(value, types.FunctionType):
        cells = tuple(id(c.cell_contents) if c.cell_contents is not None else None for c in value.__closure__ or ())
        return id(value), id(value.__code__), id(value.__defaults__), id(value.__kwdefaults__), cells
    if isinstance(value, np.ndarray):
        return id(value), value.shape, value.dtype.str, hash(value.tobytes()) if value.size <= 1_000_000 else None
    if depth >= 2:
        return id(value)
    if isinstance(value, dict):
        return id(value), {k: _mark(v, depth + 1) for k, v in value.items()}
    ours = getattr(type(value), "__module__", "").startswith("xorlib") or (
        isinstance(value, type) and value.__module__.startswith("xorlib"))
    if ours and hasattr(value, "__dict__"):
        return id(value), {k: _mark(v, depth + 1) for k, v in vars(value).items()}
    return id(value)


def fingerprint() -> dict:
    """Every attribute of xorlib's modules and of the modules the checker relies on, marked by ``_mark``."""
    names = [n for n in sys.modules if n in _WATCHED_MODULES or n == "xorlib" or n.startswith("xorlib.")]
    return {(name, attr): _mark(value) for name in names for attr, value in vars(sys.modules[name]).items()}


def changed(before: dict) -> list[str]:
    """The watched attributes whose mark is no longer what ``before`` recorded."""
    now = fingerprint()
    return [f"{name}.{attr}" for (name, attr), mark in before.items()
            if (name, attr) not in now or now[name, attr] != mark]


def _restore_builtins(saved: dict) -> list[str]:
    """Put Python's built-ins back as ``saved`` holds them; return the names a cell had changed."""
    now = vars(builtins)
    names = [name for name in saved if now.get(name, _MISSING) is not saved[name]]
    names += [name for name in now if name not in saved]
    for name in names:
        if name in saved:
            now[name] = saved[name]
        else:
            del now[name]
    return [f"builtins.{name}" for name in names]


_MISSING = object()


def _code_cells(notebook: dict):
    """(index, source, nbgrader metadata) of each code cell."""
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            yield index, source, cell.get("metadata", {}).get("nbgrader", {})


def _run(source: str, filename: str, namespace: dict) -> BaseException | None:
    """Run one cell as plain Python; return what it raised, if anything."""
    from .sandbox import time_limit

    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # for messages and getsource
    try:
        with time_limit(CELL_LIMIT):
            exec(compile(source, filename, "exec"), namespace)
    except BaseException as error:  # noqa: BLE001 (the submission's code: anything may come out of it)
        return error
    return None


def judge(path: Path, emit) -> None:
    """Run the submitted notebook at ``path`` and ``emit(exercise_id, correct, message)`` for every exercise."""
    notebook = json.loads(path.read_text())
    import matplotlib

    matplotlib.use("Agg")  # the figures are not looked at here
    import IPython.display  # noqa: F401  (what the notebooks' cells import, loaded before the guard)
    import matplotlib.pyplot  # noqa: F401
    import sympy  # noqa: F401

    from . import coding_exercises, diagnosis, mistakes, mistakes_training, mistakes_wide, parsing, sandbox  # noqa: F401
    from .exercises import check

    before = fingerprint()
    saved_builtins = dict(vars(builtins))
    sys.addaudithook(_guard(path))
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    tampered: list[str] = []
    for index, source, nbgrader in _code_cells(notebook):
        if nbgrader.get("grade") and not nbgrader.get("solution"):
            continue  # a hidden test: what it asserts is judged here
        lines = source.splitlines()
        checks = [(i, m) for i, line in enumerate(lines) if (m := CHECK.match(line))]
        if checks:
            at, match = checks[-1]
            lines = lines[:at] + [""] + lines[at + 1:]  # keep the line numbers
        error = _run("\n".join(lines), f"<cell {index}>", namespace)
        tampered = tampered or _restore_builtins(saved_builtins)  # the judge itself relies on them
        if not checks:
            continue
        exercise_id, name = match.group("id"), match.group("name")
        if tampered:
            emit(exercise_id, False, f"not judged: earlier code of this submission changed `{tampered[0]}`, which "
                                     "the checker relies on")
            continue
        if error is not None:
            text = str(error).splitlines()[0][:200] if str(error) else ""
            emit(exercise_id, False, f"the answer cell raised {type(error).__name__}" + (f": {text}" if text else ""))
            continue
        try:
            feedback = check(exercise_id, namespace.get(name, Ellipsis))
            verdict = feedback.correct, repr(feedback)
        except BaseException as error:  # noqa: BLE001
            verdict = False, f"the check of this answer raised {type(error).__name__}: {error}"
        tampered = _restore_builtins(saved_builtins) or changed(before)
        if tampered:
            verdict = False, (f"this submission changed `{tampered[0]}`, which the checker relies on; "
                              "a submission may not change xorlib, numpy, sympy or Python's built-ins")
        emit(exercise_id, *verdict)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m xorlib.course.judge SUBMISSION.ipynb < token", file=sys.stderr)
        return 2
    token = sys.stdin.readline().strip()
    out = os.dup(1)  # the verdicts' own copy of stdout, whatever the submission does to sys.stdout

    def emit(exercise_id: str, correct: bool, message: str) -> None:
        line = json.dumps({"exercise": exercise_id, "correct": bool(correct), "message": message})
        os.write(out, f"{token} {line}\n".encode())

    judge(Path(argv[0]), emit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
