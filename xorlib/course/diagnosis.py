"""Comparing a learner's answers with the truth, and diagnosing a wrong one.

``compare(...)`` holds the answers on several problems against the truth
and against the classic mistakes (``Mistake``), and says which mistake the
evidence fits, or else which parts are wrong and by how much. It never
prints a correct value. ``assess(...)`` runs the learner's function on each
problem (as untrusted code, ``xorlib.course.sandbox.call``), converts its
answers, and compares them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .sandbox import Wrong, call, outside_data

#: Relative tolerance for "the same numbers" (scaled by the largest entry).
RTOL = 1e-6


class Named(Wrong):
    """A wrong answer whose classic mistake the evidence fits."""


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


#: The sizes a learner may write into the code, the XOR table's value of each, and where to read it instead.
SIZES = {"n": 4, "d": 2}
SIZE_SOURCE = {"n": "the number of rows of X", "d": "the number of columns of X, the number of inputs"}


def _size(problem: Problem, what: str) -> int:
    return problem.X.shape[0] if what == "n" else problem.X.shape[1]


def _hard_coded_size(right: list, problems: list):
    """("n", 4, the first problem it fails) if the answers are right on exactly the problems with n = 4, and
    likewise for d = 2 inputs; None if neither fits (e.g. it also fails a problem with n = 4)."""
    for what, value in SIZES.items():
        same = [r for r, p in zip(right, problems) if _size(p, what) == value]
        other = [(r, p) for r, p in zip(right, problems) if _size(p, what) != value]
        if same and other and all(same) and not any(r for r, _ in other):
            return what, value, other[0][1]
    return None


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
    size = _hard_coded_size(right, problems) if hard_coded_n else None
    if size is not None:
        what, value, first = size
        raise Wrong(f"right at {what} = {value} but wrong on {first.label}: is {what} = {value} (or a {value}) "
                    f"written into your code? Use {SIZE_SOURCE[what]}")
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
           args=lambda p: (p.params, p.X, p.y), hard_coded_n: bool = True, forbidden=None,
           rtol: float = RTOL) -> list:
    """Run the learner's function on every problem, convert (and shape-check) each answer, and ``compare``.

    A time-out ends the check at once. When it fails on some problems only:
    if it worked on every n = 4 problem, a hard-coded n is the likely cause
    (and a guess from the error's text is dropped); else, if its answers
    elsewhere fit a classic mistake, that is named first, once.
    """
    try:
        return _assess(function, problems, convert, truths, mistakes, label, args, hard_coded_n, forbidden, rtol)
    except Wrong as wrong:
        if wrong.kind in ("timeout", "delegated") or not (read := outside_data(function)):
            raise
        found = wrong.core.split(" — ")[0]  # without a guess at its cause: the notebook's data is the cause
        raise Wrong(f"your function reads {', '.join(read)} from the notebook instead of computing it from its "
                    "arguments, so on other data it still answers for the notebook's XOR: compute everything from "
                    f"the arguments it is given (the check found: {found})", kind="outside data") from None


def _assess(function, problems, convert, truths, mistakes, label, args, hard_coded_n, forbidden, rtol) -> list:
    answers, failure = [], None
    for problem in problems:
        try:
            value = call(function, *args(problem), where=problem.where, forbidden=forbidden)
        except Wrong as wrong:
            if wrong.kind in ("timeout", "delegated"):
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
    size = _hard_coded_size([a is not None for a in answers], problems) if hard_coded_n else None
    if size is not None:
        what, value, first = size
        how = (f"it ran at {what} = {value} but not at {what} = {_size(first, what)}" if wrong.kind == "raised"
               else f"its answer had the right form at {what} = {value} but not at {what} = {_size(first, what)}")
        raise Wrong(f"{wrong.core} — {how}: is {what} = {value} (or a {value}) written into your code? "
                    f"Use {SIZE_SOURCE[what]}")
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
