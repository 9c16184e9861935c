"""The coding exercises: the learner writes a function, ``check`` runs it.

Each checker runs the learner's function (as untrusted code,
``xorlib.course.sandbox``) on several fixed random problems: random non-symmetric
parameters away from the ReLU kinks, on XOR (n = 4, twice), XOR repeated
(n = 8) and 7 noisy points (n = 7). It compares the answers with xorlib's,
which are themselves held against central differences, and, when they
differ, names the classic mistake the evidence fits (``xorlib.course.mistakes``,
``xorlib.course.mistakes_training``, ``xorlib.course.mistakes_wide``). It returns
(status, message) and never shows a correct value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np

from .. import wide
from ..data import noisy_xor, repeated_xor, xor_data
from ..gradcheck import numerical_gradient, numerical_local_jacobians
from ..jacobians import local_jacobians
from ..network import forward, solves
from ..params import Params, init_params
from ..train import train
from . import mistakes as M
from .diagnosis import Problem, assess
from .mistakes_training import PARAM_LABEL, TRAINING_MISTAKES, training_problems
from .mistakes_wide import WIDE_LABEL, WIDE_MISTAKES, as_wide_gradient, wide_problems
from .sandbox import Forbidden, Wrong, call, describe, is_stub


def gradient_engines() -> dict:
    """Every function of xorlib that computes the gradient, or from which it falls out: the answer of
    08a.1 and 11.1, which a learner's function must not reach by any route."""
    from ..backprop import backprop_gradients, vjp_backward
    from ..circuit import circuit
    from ..engine import backward
    from ..errata import original_gradients
    from ..gradcheck import numerical_gradient
    from ..gradients import gradients
    from ..graphs import engine_gradients, wide_engine_gradients
    from ..jacobians import chain_backward, jacobian_gradients, node_gradients
    from ..studies.ensemble import _Block, _gradients_many
    from ..studies.wrong_gradients import _gradient
    from ..symbolic.lambdified import lambdified_gradients
    from .explorer_state import ExplorerState
    return {"gradients": gradients, "backprop_gradients": backprop_gradients, "backprop.vjp_backward": vjp_backward,
            "jacobian_gradients": jacobian_gradients, "jacobians.chain_backward": chain_backward,
            "jacobians.node_gradients": node_gradients, "numerical_gradient": numerical_gradient,
            "errata.original_gradients": original_gradients, "circuit": circuit, "wide.backward": wide.backward,
            "wide.numerical_gradient": wide.numerical_gradient, "train": train,
            "ensemble.gradients_many": _gradients_many, "ensemble.train_many (its gradient)": _Block.gradient,
            "wrong_gradients (its gradient)": _gradient,
            "symbolic.lambdified_gradients": lambdified_gradients, "ExplorerState": ExplorerState,
            "graphs.engine_gradients": engine_gradients, "graphs.wide_engine_gradients": wide_engine_gradients,
            "engine.backward": backward}


def jacobian_sources(name: str) -> dict:
    """Every function of xorlib that computes the local Jacobian ``name``: the table of edges's entry, and
    what evaluates the whole table (numerically, symbolically, or as the original states it)."""
    from ..edges import BY_NAME
    from ..errata import original_local_jacobians
    from ..jacobians import evaluate
    from ..loss import grad_loss_wrt_y_hat
    from ..symbolic.lambdified import lambdified_jacobians
    found = {f"the table of edges's {name}": BY_NAME[name].jacobian, "local_jacobians": local_jacobians,
             "jacobians.evaluate": evaluate, "numerical_local_jacobians": numerical_local_jacobians,
             "symbolic.lambdified_jacobians": lambdified_jacobians,
             "errata.original_local_jacobians": original_local_jacobians}
    if name == "grad_y_hat":
        found["grad_loss_wrt_y_hat"] = grad_loss_wrt_y_hat
    return found


#: What each exercise's function must not reach, and what it may use from xorlib instead.
FORBIDDEN = {
    "jacobian": lambda name: Forbidden(jacobian_sources(name) | gradient_engines(),
                                       "`xorlib.forward` (for z1, h1, ..., y_hat), `Params` and numpy"),
    "03a.1": lambda: Forbidden(gradient_engines(), "`xorlib.loss`, `params.to_vector()`, `xorlib.Params.from_vector` "
                                                   "and numpy"),
    "03a.2": lambda: Forbidden(gradient_engines() | _relative_errors(),
                               "your own `numerical_gradient` (or `xorlib.numerical_gradient`) and numpy"),
    "05a.1": lambda: Forbidden(_training_loops(), "`xorlib.gradients`, `params.to_vector()`, "
                                                  "`xorlib.Params.from_vector` and numpy"),
    "08a.1": lambda: Forbidden(gradient_engines(), "`xorlib.forward` (for z1, h1, ..., y_hat), `xorlib.Params` "
                                                   "and numpy"),
    "11.1": lambda: Forbidden(gradient_engines(), "`xorlib.wide.forward`, `xorlib.wide.WideParams` and numpy"),
}


def _relative_errors() -> dict:
    from ..gradcheck import GradientCheck, relative_error
    return {"relative_error": relative_error, "GradientCheck": GradientCheck}


def _training_loops() -> dict:
    from ..descent import gradient_descent_step
    from ..studies.ensemble import train_many
    from .explorer_state import ExplorerState
    return {"train": train, "descent.gradient_descent_step": gradient_descent_step,
            "train_many": train_many, "wide.train": wide.train, "ExplorerState": ExplorerState}


#: The data of each coding problem, by its label.
DATA = {"XOR, n = 4": xor_data, "XOR with other parameters, n = 4": xor_data,
        "XOR repeated twice, n = 8": lambda: repeated_xor(2),
        "7 noisy XOR points, n = 7": lambda: noisy_xor(7, 0.1, rng=1204)}
SEEDS = {"XOR, n = 4": 1201, "XOR with other parameters, n = 4": 1202, "XOR repeated twice, n = 8": 1203,
         "7 noisy XOR points, n = 7": 1204}


@cache
def _parameters(label: str) -> tuple:
    """The first parameters drawn from N(0, 1) (with the label's seed) that tell mistakes apart: every
    |z| >= 0.1 (away from the kinks), each unit active on at least two rows and off on at least one, with
    some 0 < h < 1, |w3_1| and |w3_2| unlike, no prediction saturated, and no gradient entry near 0 (a block
    of zeros would hide a wrong formula). Searched once per process; a tuple, so nothing can change it."""
    X, y = DATA[label]()
    rng = np.random.default_rng(SEEDS[label])
    while True:
        p = Params.from_vector(rng.normal(size=9))
        f = forward(p, X)
        Z, H = np.column_stack([f.z1, f.z2]), f.H
        if (np.min(np.abs(Z)) >= 0.1 and all(np.any((h > 0.05) & (h < 0.95)) for h in H.T)
                and np.all(np.sum(Z > 0, axis=0) >= 2) and np.all(np.sum(Z < 0, axis=0) >= 1)
                and 0.2 < abs(abs(p.w3[0]) - abs(p.w3[1])) and np.min(np.abs(p.w3)) > 0.1
                and np.all(np.abs(f.z3) < 4)):
            g = np.abs(M.truth(Problem(label, p, X, y)).to_vector())
            if np.min(g) > 1e-3 * np.max(g):
                return tuple(p.to_vector())


def problems() -> list[Problem]:
    """The four problems, as new objects at every check (nothing a learner changes persists)."""
    return [Problem(label, Params.from_vector(np.array(_parameters(label))), *DATA[label]()) for label in DATA]


def as_array(value, expected_shape, what):
    """The learner's array, its type and shape checked, with a diagnosis of a wrong shape."""
    if value is None:
        raise Wrong("your function returned None: is a `return` missing?")
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"expected {what} as a numpy array, got {describe(value)}") from None
    n = expected_shape[0]
    if array.shape != expected_shape:
        if array.ndim == 2 and array.shape == expected_shape[::-1]:
            raise Wrong(f"shape {array.shape}: rows and columns are exchanged, a missing or extra transpose. "
                        "A Jacobian has one row per output and one column per input")
        if expected_shape == (n, n) and array.shape == (n,):
            raise Wrong(f"shape {array.shape}: that is the diagonal as a vector; {what} is an n x n matrix "
                        "(np.diag builds one)")
        if expected_shape == (n, 1) and array.shape == (n,):
            raise Wrong(f"shape {array.shape}: {what} is a column, one row per output and one column for the one "
                        "input, shape (n, 1)")
        raise Wrong(f"{what} should have shape {expected_shape}, got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise Wrong(f"{what} holds {int(np.sum(~np.isfinite(array)))} NaN or inf value(s)")
    return array


def as_gradient(value, problem, what: str = "one gradient per parameter") -> dict:
    """A ``Params`` gradient (or ``what`` else a Params holds) as its six blocks, refusing arrays, None and NaN
    with a clear message."""
    if isinstance(value, Params):
        return {name: np.asarray(getattr(value, name)) for name in ("w1", "b1", "w2", "b2", "w3", "b3")}
    if value is None:
        raise Wrong("your function returned None: is a `return` missing?")
    if isinstance(value, (np.ndarray, list, tuple)):
        raise Wrong(f"your function returned {describe(value)}, not a Params: return "
                    f"xorlib.Params(w1=..., b1=..., w2=..., b2=..., w3=..., b3=...), {what}")
    raise Wrong(f"expected an xorlib.Params, got {describe(value)}")


def _check_truth(truths, references, what):
    """xorlib's answer must agree with central differences, else the check itself is void."""
    for t, r in zip(truths, references):
        if not all(np.allclose(t[k], r[k], rtol=1e-5, atol=1e-7) for k in t):
            raise RuntimeError(f"xorlib's {what} disagrees with central differences")


@dataclass(frozen=True)
class CodingExercise:
    id: str
    function: str  #: the name of the function the learner writes
    checker: Callable  #: (function) -> message when right; raises Wrong
    hint: str
    points: int

    @property
    def solution(self) -> str:
        from .keys.coding import FUNCTIONS  # the answer key: not in a student's install
        return FUNCTIONS[self.id]

    def __call__(self, answer):
        """(status, message), as ``xorlib.course.exercises.check`` turns into ``Feedback``."""
        if answer is Ellipsis:
            return "unanswered", "not answered yet. Write the function and pass it to check."
        if not callable(answer):
            return "wrong", f"not yet: expected the function `{self.function}` itself, got {describe(answer)}. " \
                            f"Pass the function, without calling it: check(..., {self.function})"
        if is_stub(answer):
            return "unanswered", f"not implemented yet. Replace `...` in `{self.function}` with its body and run " \
                                 "the cell again."
        try:
            return "correct", "correct: " + self.checker(answer)
        except Wrong as wrong:
            message = str(wrong).rstrip(".")
            return "wrong", f"not yet: {message}{'' if message.endswith('?') else '.'} Hint: {self.hint}"
        except Exception as error:  # an answer of a kind the checker cannot read
            return "wrong", f"not yet: could not check this answer ({type(error).__name__}: {error}). Hint: {self.hint}"


PROBLEMS_TEXT = "on XOR (n = 4, two parameter draws), XOR repeated (n = 8) and 7 noisy points, away from the kinks"
GRADIENT_BLOCKS = ("w1", "b1", "w2", "b2", "w3", "b3")


def kink_problem() -> Problem:
    """Notebook 04's point on the kink: init_params(0) with b1 = 0, so z1 = 0 exactly at the input (0, 0)."""
    X, y = xor_data()
    return Problem("at a kink: init_params(0) with b1 = 0, where z1 = 0 exactly at the input (0, 0)",
                   init_params(0).replace(b1=0.0), X, y)


def gradient_with_relu_prime(problem: Problem, at_zero: float) -> dict:
    """The gradient blocks at ``problem`` when ReLU'(0) is ``at_zero`` (xorlib's convention is 0)."""
    return M._backward(problem, steps=lambda f: ((f.z1 > 0) + at_zero * (f.z1 == 0),
                                                 (f.z2 > 0) + at_zero * (f.z2 == 0)))


def relu_prime_taken(answer: dict, at_0: dict, at_1: dict) -> float | None:
    """The c in [0, 1] for which ``answer`` = at_0 + c (at_1 - at_0), the answer with ReLU'(0) = c, to 1e-6
    of the largest entry; None if no such c exists (the answer is no subgradient's)."""
    a, g0, g1 = (np.concatenate([np.ravel(b[k]) for k in sorted(at_0)]) for b in (answer, at_0, at_1))
    d = g1 - g0
    c = float(d @ (a - g0) / (d @ d))
    scale = max(np.max(np.abs(g0)), np.max(np.abs(g1)))
    if -1e-6 <= c <= 1 + 1e-6 and np.max(np.abs(a - g0 - c * d)) <= 1e-6 * scale:
        return min(max(c, 0.0), 1.0)
    return None


def kink_note(function, convert, at, forbidden) -> str:
    """What ``function`` does at a kink, in words, after it has passed away from the kinks.

    ``at(problem, c)`` is the right answer with ReLU'(0) = c. Any c in [0, 1] is a subgradient and passes;
    the note says which one the learner took when it is not xorlib's 0. Anything else is wrong.
    """
    problem = kink_problem()
    value = call(function, problem.params, problem.X, problem.y, where=f" ({problem.label})", forbidden=forbidden)
    try:
        answer = convert(value, problem)
    except Wrong as wrong:
        raise Wrong(f"{wrong} ({problem.label})") from None
    taken = relu_prime_taken(answer, at(problem, 0.0), at(problem, 1.0))
    where = "At a kink (z1 = 0 exactly, at the input (0, 0))"
    if taken is None:
        raise Wrong(f"away from the kinks your answer agrees with xorlib, but {where[0].lower() + where[1:]} it is "
                    "not the answer for any value of ReLU'(0) between 0 and 1: how does your code treat z = 0 "
                    "exactly? (xorlib takes ReLU'(0) = 0)")
    if taken < 1e-6:
        return f" {where} it takes ReLU'(0) = 0, as xorlib does."
    return (f" {where} it takes ReLU'(0) = {taken:.3g}, where xorlib takes 0: any value in [0, 1] is a "
            "subgradient, so this is not wrong, but there its answer differs from xorlib's (notebook 04).")


#: The local Jacobians that hold a ReLU derivative, and the pre-activation it is taken at.
KINKED = {"h1_z1": "z1"}


def _jacobian_checker(name, what, extra=()):
    def checker(function):
        ps = problems()
        truths = [{name: getattr(local_jacobians(p.params, p.X, p.y), name)} for p in ps]
        _check_truth(truths, [{name: getattr(numerical_local_jacobians(p.params, p.X, p.y), name)} for p in ps], what)
        assess(function, ps, lambda v, p: {name: as_array(v, truths[ps.index(p)][name].shape, what)}, truths,
               M.scaled(mean=name == "grad_y_hat") + list(extra), label=lambda k: what,
               forbidden=FORBIDDEN["jacobian"](name))
        note = ""
        if name in KINKED:
            z = KINKED[name]
            note = kink_note(function, lambda v, p: {name: as_array(v, (p.n, p.n), what)},
                             lambda p, c: {name: np.diag((getattr(forward(p.params, p.X), z) > 0) + c * (
                                 getattr(forward(p.params, p.X), z) == 0))}, FORBIDDEN["jacobian"](name))
        return f"{what} agrees with xorlib and with central differences {PROBLEMS_TEXT}.{note}"
    return checker


def _gradient_checker(function):
    ps = problems()
    truths = [as_gradient(M.truth(p), p) for p in ps]
    _check_truth(truths, [as_gradient(numerical_gradient(p.params, p.X, p.y), p) for p in ps], "gradient")
    forbidden = FORBIDDEN["08a.1"]()
    assess(function, ps, as_gradient, truths, M.GRADIENT_MISTAKES, M.LABEL.get, forbidden=forbidden)
    note = kink_note(function, as_gradient, gradient_with_relu_prime, forbidden)
    return f"all nine gradients agree with xorlib's backprop and with central differences {PROBLEMS_TEXT}.{note}"


def _numerical_gradient_checker(function):
    """At eps = 1e-4 the answer must be the gradient to 1e-6 (one-sided differences are off by ~1e-4); at
    eps = 1e-2 it must be central differences at that eps to 1e-9, which the exact gradient (off by ~1e-5),
    differences at another eps and one-sided ones are not."""
    forbidden = FORBIDDEN["03a.1"]()
    ps = problems()
    truths = [as_gradient(M.truth(p), p) for p in ps]
    assess(function, ps, as_gradient, truths, M.DIFFERENCE_MISTAKES, M.LABEL.get,
           args=lambda p: (p.params, p.X, p.y, M.EPS), forbidden=forbidden)
    large = [M.central(p, M.EPS_LARGE) for p in ps[:2]]
    assess(function, ps[:2], as_gradient, large, M.LARGE_EPS_MISTAKES, M.LABEL.get,
           args=lambda p: (p.params, p.X, p.y, M.EPS_LARGE), forbidden=forbidden, rtol=1e-9, hard_coded_n=False)
    return (f"with eps = {M.EPS:.0e}, all nine agree with the gradient to 1e-6 {PROBLEMS_TEXT}; with "
            f"eps = {M.EPS_LARGE:g}, they are the central differences at that eps.")


def tiny_gradient_problem() -> Problem:
    """The first problem's network, its output bias lowered until every logit is about -13 or less, on the XOR
    inputs all labelled 0: every prediction is right with a margin and the gradients are of size ~1e-6 (an
    absolute error of a wrong gradient is then tiny too, a relative one is not). Labels 0 keep the loss free of
    cancellation, so central differences stay accurate to ~1e-9 of the gradient."""
    p = problems()[0]
    z3 = forward(p.params, p.X).z3
    params = p.params.replace(b3=p.params.b3 - 13.0 - float(np.max(z3)))
    return Problem("XOR inputs all labelled 0, predicted with a margin", params, p.X, np.zeros(p.n))


def _eps_that_gives(value: float, problem: Problem) -> float | None:
    """The eps at which central differences differ from the true gradient by ``value`` (relative to the larger
    of the two), to within 20%, if one of 1e-1 ... 1e-4 does: a check run with too large an eps."""
    true = np.concatenate([np.ravel(v) for v in as_gradient(M.truth(problem), problem).values()])
    for eps in (1e-1, 1e-2, 1e-3, 1e-4):
        reference = np.concatenate([np.ravel(v) for v in M.central(problem, eps).values()])
        error = np.max(np.abs(true - reference)) / max(np.max(np.abs(true)), np.max(np.abs(reference)))
        if abs(value / error - 1) < 0.2:
            return eps
    return None


def _gradient_check_checker(function):
    """The check must pass the right gradient and fail wrong ones, also where the gradients are ~1e-6, and also
    a gradient wrong in one entry by 5% of the largest (so it must compare all nine with finite differences)."""
    p, tiny = problems()[0], tiny_gradient_problem()
    forbidden = FORBIDDEN["03a.2"]()

    def fixed(values: Params, where: Problem):  # a gradient function that answers at its problem only
        def gradient_function(params, X, y):
            same = np.array_equal(Params.from_vector(np.ravel(params.to_vector())).to_vector(),
                                  where.params.to_vector())
            return values if same else M.truth(Problem("", params, X, y))
        return gradient_function

    def one_off(q: Problem) -> Params:
        v = M.truth(q).to_vector()
        v[2] += 0.05 * np.max(np.abs(v))
        return Params.from_vector(v)

    cases = [("xorlib's backprop", p, M.truth(p), False), ("the original's gradient", p, M.original(p), True),
             ("a gradient with its sign flipped", p, M.from_blocks(M.sign(p)), True),
             ("a gradient with one entry off by 5% of the largest", p, one_off(p), True),
             ("xorlib's backprop where the gradients are about 1e-6", tiny, M.truth(tiny), False),
             ("the original's gradient where the gradients are about 1e-6", tiny, M.original(tiny), True)]
    for label, q, gradient, wrong in cases:
        value = call(function, fixed(gradient, q), q.params, q.X, q.y, where=f" (checking {label})",
                     names=("gradient_function", "params", "X", "y"), forbidden=forbidden,
                     trusted=[fixed(gradient, q)])  # the gradient function handed over may use xorlib
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise Wrong(f"expected a number (the largest relative error), got {describe(value)}")
        if not np.isfinite(value) or value < 0:
            raise Wrong(f"a relative error is a finite number >= 0, got {value!r} for {label}")
        if not wrong and value > 1e-6:
            eps = _eps_that_gives(value, q)
            if eps is not None:
                raise Wrong(f"for {label}, which is right, your check gives {value:.3g}, the error of central "
                            f"differences at eps = {eps:g}: the differences' own error grows like eps², so at that "
                            "eps they cannot confirm a right gradient. Use a small eps, about 1e-6 (your "
                            "numerical_gradient's default)")
            raise Wrong(f"for {label}, which is right, your check gives {value:.3g}; a right gradient should give "
                        "an error at rounding level, below 1e-8 (the check accepts below 1e-6). Is the error divided "
                        "by the size of the gradients, and is eps small (about 1e-6)?")
        if wrong and value < 1e-2:
            raise Wrong(f"for {label}, which is wrong, your check gives {value:.3g}; it should give a large error "
                        "(above 1e-2). Does it compare every entry with central differences of the loss, and divide "
                        "by the size of the gradients rather than by a fixed number?")
    return ("it passes xorlib's gradient and fails the original's, a sign-flipped one and one wrong in a single "
            "entry, also where the gradients are about 1e-6.")


def _train_checker(function):
    ps = training_problems()
    truths = [as_gradient(train(p.params, p.X, p.y, p.lr, p.epochs).params, p) for p in ps]
    # hard_coded_n=False: the only n = 4 run is also the only one with 1000 epochs and lr = 0.9, so "right at
    # n = 4 only" more likely means those numbers are written into the loop (named by TRAINING_MISTAKES).
    answers = assess(function, ps, lambda v, p: as_gradient(v, p, "the parameters after training"), truths,
                     TRAINING_MISTAKES, PARAM_LABEL.get,
                     args=lambda p: (p.params, p.X, p.y, p.lr, p.epochs), hard_coded_n=False,
                     forbidden=FORBIDDEN["05a.1"]())
    if not solves(M.from_blocks(answers[0]), ps[0].X, ps[0].y):
        raise Wrong("the run from init_params(0) does not solve XOR")
    return "it follows xorlib.train step for step on three runs, and solves XOR from init_params(0)."


def _wide_checker(function):
    ps = wide_problems()
    truths = [wide.backward(p.params, p.X, p.y).blocks() for p in ps]
    _check_truth(truths, [wide.numerical_gradient(p.params, p.X, p.y).blocks() for p in ps], "width-k gradient")
    assess(function, ps, as_wide_gradient, truths, WIDE_MISTAKES, WIDE_LABEL.get, forbidden=FORBIDDEN["11.1"]())
    return ("every block agrees with xorlib.wide and with central differences at widths 2, 3, 4 and 5, "
            "on XOR (n = 4 and 8), 7 noisy points and 3-bit parity.")


_JACOBIANS = [
    ("02a.1", "grad_y_hat", "grad_y_hat", "∇_ŷ L",
     "Differentiate L = -(1/n) Σ_i [y_i ln ŷ_i + (1 - y_i) ln(1 - ŷ_i)] with respect to one ŷ_i."),
    ("02a.2", "jacobian_y_hat_z3", "y_hat_z3", "∂ŷ/∂z3",
     "σ'(z) written with ŷ = σ(z); only the diagonal is nonzero."),
    ("02a.3", "jacobian_z3_h1", "z3_h1", "∂z3/∂h1",
     "z3_i = h1_i w3_1 + h2_i w3_2 + b3: which entries depend on h1_j?"),
    ("02a.4", "jacobian_h1_z1", "h1_z1", "∂h1/∂z1", "ReLU'(z) is a step function of the pre-activation z."),
    ("02a.5", "jacobian_z3_w3", "z3_w3", "∂z3/∂w3", "Row i is the gradient of z3_i with respect to w3."),
    ("02a.6", "jacobian_z1_w1", "z1_w1", "∂z1/∂w1", "Row i is the gradient of z1_i with respect to w1."),
    ("02a.7", "jacobian_z1_b1", "z1_b1", "∂z1/∂b1", "The bias is added to every one of the n rows."),
]

CODING_EXERCISES = {e.id: e for e in [
    *(CodingExercise(i, fn, _jacobian_checker(name, what, M.JACOBIAN_MISTAKES.get(name, ())), hint, 3)
      for i, fn, name, what, hint in _JACOBIANS),
    CodingExercise("03a.1", "numerical_gradient", _numerical_gradient_checker,
                   "Perturb one parameter at a time by +eps and -eps; divide the difference of the losses by 2 eps.",
                   3),
    CodingExercise("03a.2", "gradient_check", _gradient_check_checker,
                   "Compare with your numerical_gradient; divide the largest difference by the largest entry.", 3),
    CodingExercise("05a.1", "train", _train_checker,
                   "Each epoch: the gradient at the current parameters, then one step against it.", 3),
    CodingExercise("08a.1", "backward", _gradient_checker,
                   "Start from g_z3 = (y_hat - y) / n and apply each layer's transposed Jacobian, as a VJP.", 5),
    CodingExercise("11.1", "wide_backward", _wide_checker,
                   "The k units are the 2-2-1 network's two side by side: the same VJPs, one column per unit; "
                   "a bias gradient sums over the rows.", 5),
]}

#: Other names under which an exercise answers: "backward" is the whole backward pass.
ALIASES = {"backward": "08a.1"}
