"""The classic mistakes of backprop by hand, each as the answer it would give.

A checker compares a learner's wrong answer with each of these; when one
reproduces every wrong part on every problem, its message names it. The
original derivation's errors are numbered as everywhere in xorlib: 1. ReLU'
as diag(min(1, h)), 2. the mean's 1/n applied twice, 3. n = 4 hard-coded
(found by its pattern, right at n = 4 only, in ``coding.compare``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import wide
from .coding import Mistake, Problem, Wrong, describe
from .data import noisy_xor, repeated_xor, xor_data
from .errata import original_gradients
from .gradients import gradients
from .loss import loss
from .network import forward
from .params import Params, init_params

BLOCKS = ("w1", "b1", "w2", "b2", "w3", "b3")
HIDDEN = ("w1", "b1", "w2", "b2")
LABEL = {name: f"∇{name}" for name in BLOCKS}
PARAM_LABEL = {name: f"the final {name}" for name in BLOCKS}
WIDE_LABEL = {name: f"∇{name}" for name in wide.BLOCKS}
#: The eps the checker passes to a learner's numerical_gradient: large enough
#: that one-sided differences (error ~ eps) are told from central ones (~ eps²).
EPS = 1e-4

def blocks(params: Params) -> dict:
    return {name: np.asarray(getattr(params, name)) for name in BLOCKS}


def from_blocks(values: dict) -> Params:
    return Params(**values)


def truth(problem: Problem) -> Params:
    return gradients(problem.params, problem.X, problem.y)


def original(problem: Problem) -> Params:
    """The original's gradient, errors 1 and 2 (error 3 only breaks n != 4)."""
    return original_gradients(problem.params, problem.X, problem.y, errors=(1, 2))


def sign(problem: Problem) -> dict:
    return {k: -v for k, v in blocks(truth(problem)).items()}


def scaled(bias_blocks=(), mean: bool = True) -> list:
    """Mistakes that scale every block: the 1/n twice, the sign, the 1/n missing; and biases averaged.

    ``mean=False`` for a Jacobian with no mean in it (all but ∇_ŷ L): there a
    factor 1/n or n is a 1/n put where none belongs.
    """
    def each(factor):
        return lambda p, t: {k: v * factor(p) for k, v in t.items()}
    twice = ("every entry is 1/n of the truth: the mean's 1/n applied twice (the original's error 2)?" if mean else
             "every entry is 1/n of the truth: this Jacobian has no mean in it, so no 1/n (the loss's 1/n belongs "
             "to ∇_ŷ L only)")
    missing = ("every entry is n times the truth: the mean's 1/n is missing" if mean else
               "every entry is n times the truth: this Jacobian has no factor n in it")
    found = [Mistake("mean twice", twice, each(lambda p: 1 / p.n)),
             Mistake("sign", "every entry has the wrong sign: a sign flipped somewhere?", each(lambda p: -1.0)),
             Mistake("no mean", missing, each(lambda p: p.n))]
    if bias_blocks:
        found.append(Mistake("bias averaged", "the bias gradients are 1/n of the truth: averaged over the rows "
                             "instead of summed (the 1/n is already in ∇z3 L)?",
                             each(lambda p: 1 / p.n), bias_blocks))
    return found


def _relu_from_h(p, t):
    return blocks(original_gradients(p.params, p.X, p.y, errors=(1,)))


def _w3_swapped(p, t):
    w3 = p.params.w3
    ratio = {"w1": w3[1] / w3[0], "b1": w3[1] / w3[0], "w2": w3[0] / w3[1], "b2": w3[0] / w3[1]}
    return {k: t[k] * ratio[k] for k in HIDDEN}


def _no_relu(p, t):
    f = forward(p.params, p.X)
    g_z3 = (f.y_hat - p.y) / p.n
    g1, g2 = p.params.w3[0] * g_z3, p.params.w3[1] * g_z3
    return {"w1": p.X.T @ g1, "b1": g1.sum(), "w2": p.X.T @ g2, "b2": g2.sum()}


GRADIENT_MISTAKES = scaled(bias_blocks=("b1", "b2", "b3")) + [
    Mistake("original", "these are the original's gradients: ReLU' taken from h as diag(min(1, h)) (error 1) and "
            "the mean's 1/n applied twice (error 2)", lambda p, t: blocks(original(p))),
    Mistake("relu from h", "the hidden-layer gradients match diag(min(1, h)): ReLU' taken from h rather than the "
            "step of z (the original's error 1)?", _relu_from_h, HIDDEN),
    Mistake("w3 swapped", "the hidden-layer gradients match w3's components swapped: unit 1's chain goes through "
            "w3_1 and unit 2's through w3_2", _w3_swapped, HIDDEN),
    Mistake("w3 reversed", "∇w3's two components are swapped", lambda p, t: {"w3": t["w3"][::-1]}, ("w3",)),
    Mistake("no relu", "the hidden-layer gradients match a chain without ReLU': the ReLU's Jacobian left out, as if "
            "every unit were active on every row? ReLU' is 0 where z <= 0", _no_relu, HIDDEN),
]


def _diag(values):
    return lambda p, t: {next(iter(t)): np.diag(values(forward(p.params, p.X), p))}


def _matrix(value):
    return lambda p, t: {next(iter(t)): value(forward(p.params, p.X), p)}


JACOBIAN_MISTAKES = {
    "h1_z1": [Mistake("relu from h", "that is diag(min(1, h)), a function of h: ReLU' is the step of z, not of h "
                      "(the original's error 1)", _diag(lambda f, p: np.minimum(1.0, f.h1))),
              Mistake("relu itself", "that is diag(h1), ReLU itself rather than its derivative",
                      _diag(lambda f, p: f.h1)),
              Mistake("identity", "that is the identity matrix: ReLU' left out, as if the unit were active on every "
                      "row; ReLU' is 0 where z1 <= 0", _matrix(lambda f, p: np.eye(p.n)))],
    "y_hat_z3": [Mistake("1 + y_hat", "that is diag(ŷ(1 + ŷ)); σ' has a minus sign there",
                         _diag(lambda f, p: f.y_hat * (1 + f.y_hat))),
                 Mistake("at z3", "that is σ' written with z3 in place of ŷ: diag(z3 (1 - z3))",
                         _diag(lambda f, p: f.z3 * (1 - f.z3)))],
    "z3_h1": [Mistake("w3 swapped", "that uses w3_2, the weight of unit 2: w3's components swapped",
                      _diag(lambda f, p: np.full(p.n, p.params.w3[1]))),
              Mistake("full", "every entry is w3_1, off the diagonal too: does z3_i depend on h1_j for j ≠ i?",
                      _matrix(lambda f, p: np.full((p.n, p.n), p.params.w3[0])))],
    "z3_w3": [Mistake("X", "that is X; the input of z3's layer is H", _matrix(lambda f, p: p.X)),
              Mistake("H swapped", "that is H with its two columns swapped: column j of ∂z3/∂w3 belongs to w3_j, "
                      "which multiplies h_j", _matrix(lambda f, p: f.H[:, ::-1]))],
    "z1_w1": [Mistake("H", "that is H; the input of z1's layer is X", _matrix(lambda f, p: f.H))],
}


# --- central differences (03a) --------------------------------------------------------

def _differences(p: Problem, eps: float, kind: str) -> dict:
    theta = p.params.to_vector()
    out = np.empty(9)
    for i in range(9):
        up, down = theta.copy(), theta.copy()
        up[i] += eps
        down[i] -= eps
        at = {"forward": (up, theta), "half": (up, theta)}.get(kind, (up, down))
        if kind == "not reset":
            up, down = theta.copy(), theta.copy()  # theta drifts: entry j < i stays at θ_j - eps
            up[:i] -= eps
            down[:i] -= eps
            up[i] += eps
            down[i] -= eps
            at = (up, down)
        diff = loss(Params.from_vector(at[0]), p.X, p.y) - loss(Params.from_vector(at[1]), p.X, p.y)
        out[i] = diff / {"forward": eps, "half": 2 * eps, "no 2": eps, "not reset": 2 * eps, "central": 2 * eps}[kind]
    return blocks(Params.from_vector(out))


DIFFERENCE_MISTAKES = scaled() + [
    Mistake("forward", "these are one-sided differences (L(θ + eps) - L(θ)) / eps, whose error shrinks like eps; "
            "central differences' error shrinks like eps²", lambda p, t: _differences(p, EPS, "forward")),
    Mistake("half", "these are one-sided differences divided by 2 eps", lambda p, t: _differences(p, EPS, "half")),
    Mistake("no 2", "every entry is twice the gradient: central differences divide by 2 eps, not eps",
            lambda p, t: _differences(p, EPS, "no 2")),
    Mistake("not reset", "each parameter stays perturbed after its turn: restore θ (or perturb a copy) before "
            "moving to the next parameter", lambda p, t: _differences(p, EPS, "not reset")),
]

#: A second eps, large enough that central differences (error ~ eps² times L's third derivative / 6) are
#: told from the exact gradient, and from differences at another eps.
EPS_LARGE = 1e-2


def central(p: Problem, eps: float) -> dict:
    """Central differences of xorlib.loss at ``eps``, parameter by parameter."""
    return _differences(p, eps, "central")


LARGE_EPS_MISTAKES = [
    Mistake("exact", f"with eps = {EPS_LARGE:g} your answer is the exact gradient (or differences at a much smaller "
            "eps), not central differences at the eps you were given: is `eps` used, and are the differences "
            "computed from xorlib.loss?", lambda p, t: blocks(truth(p))),
    Mistake("forward", f"with eps = {EPS_LARGE:g} these are one-sided differences (L(θ + eps) - L(θ)) / eps, whose "
            "error shrinks like eps; central differences' error shrinks like eps²",
            lambda p, t: _differences(p, EPS_LARGE, "forward")),
]


# --- training (05a) -------------------------------------------------------------------

@dataclass(frozen=True)
class TrainingProblem(Problem):
    lr: float
    epochs: int


def training_problems() -> list:
    X8, y8 = repeated_xor(2)
    X7, y7 = noisy_xor(7, 0.1, rng=1204)
    return [TrainingProblem("XOR from init_params(0), lr = 0.9, 1000 epochs", init_params(0), *xor_data(), 0.9, 1000),
            TrainingProblem("XOR repeated twice from init_params(3), lr = 0.5, 300 epochs", init_params(3),
                            X8, y8, 0.5, 300),
            TrainingProblem("7 noisy points from init_params(5), lr = 2.0, 50 epochs", init_params(5), X7, y7, 2.0, 50)]


def _trained(lr=None, epochs=0, gradient=gradients, sign=1.0, fixed_epochs=None, stale=False):
    """Gradient descent as the learner's loop would run it with one thing changed.

    ``lr``: a number or a function of the problem; ``fixed_epochs``: a count
    written into the loop; ``stale``: the gradient taken once, before the loop.
    """
    def answer(p, t):
        params = p.params
        rate = lr(p) if callable(lr) else (lr or p.lr)
        g = gradient(params, p.X, p.y).to_vector()
        with np.errstate(all="ignore"):
            for _ in range(fixed_epochs if fixed_epochs is not None else p.epochs + epochs):
                if not stale:
                    g = gradient(params, p.X, p.y).to_vector()
                params = Params.from_vector(params.to_vector() - sign * rate * g)
        return blocks(params)
    return answer


def _original_gradient(params, X, y):
    return original_gradients(params, X, y, errors=(1, 2))


TRAINING_MISTAKES = [
    Mistake("ascent", "the loss goes up: the step follows the gradient instead of going against it (a sign)",
            _trained(sign=-1.0)),
    Mistake("one less", "one step short: the loop makes epochs - 1 steps", _trained(epochs=-1)),
    Mistake("one more", "one step too many: the loop makes epochs + 1 steps", _trained(epochs=1)),
    Mistake("start", "these are the initial parameters: is each step's result kept for the next epoch?",
            lambda p, t: blocks(p.params)),
    Mistake("lr", "right with lr = 0.9 only: is the learning rate argument used?", _trained(lr=0.9)),
    Mistake("fixed epochs", "right for 1000 epochs only: is the `epochs` argument used, or is a number of steps "
            "written into the loop (as the original's `for i in range(1000)`)?", _trained(fixed_epochs=1000)),
    Mistake("fixed epochs and lr", "right for lr = 0.9 and 1000 epochs only: are the arguments `lr` and `epochs` "
            "used, or are the original's numbers written into the loop?", _trained(lr=0.9, fixed_epochs=1000)),
    Mistake("stale", "every step uses the gradient at the starting parameters: take the gradient inside the loop, "
            "at the current parameters", _trained(stale=True)),
    Mistake("lr / n", "each step is lr/n times the gradient: the step is lr times the gradient (the 1/n of the mean "
            "is already inside the gradient)", _trained(lr=lambda p: p.lr / p.n)),
    Mistake("original", "this is training with the original's gradient (errors 1 and 2); use xorlib.gradients",
            _trained(gradient=_original_gradient)),
]


# --- width k (11) ---------------------------------------------------------------------

def wide_problems() -> list:
    from .wide import parity_data
    data = [("XOR, width 2, n = 4", xor_data(), 2), ("XOR, width 3, n = 4", xor_data(), 3),
            ("XOR repeated twice, width 4, n = 8", repeated_xor(2), 4),
            ("7 noisy XOR points, width 5, n = 7", noisy_xor(7, 0.1, rng=1204), 5),
            ("3-bit parity, width 4, n = 8", parity_data(3), 4)]
    found = []
    for seed, (label, (X, y), k) in enumerate(data, start=1101):
        rng = np.random.default_rng(seed)
        while True:
            p = wide.WideParams(rng.normal(size=(X.shape[1], k)), rng.normal(size=k), rng.normal(size=k),
                                float(rng.normal()))
            f = wide.forward(p, X)
            if (np.min(np.abs(f.Z1)) >= 0.1 and np.any((f.H > 0.05) & (f.H < 0.95)) and np.all(np.abs(f.z3) < 4)
                    and np.min(np.abs(np.diff(np.sort(np.abs(p.w3))))) > 0.1):
                found.append(Problem(label, p, X, y))
                break
    return found


def as_wide_gradient(value, problem) -> dict:
    """A ``WideParams`` gradient as blocks, with a diagnosis of each wrong shape."""
    if value is None:
        raise Wrong("your function returned None: is a `return` missing?")
    if not isinstance(value, wide.WideParams):
        raise Wrong(f"your function returned {describe(value)}, not a WideParams: return "
                    "WideParams(W1=..., b1=..., w3=..., b3=...), one gradient per block")
    (n, d), k = problem.X.shape, problem.params.width
    expected = {"W1": (d, k), "b1": (k,), "w3": (k,), "b3": ()}
    out = {}
    for name, shape in expected.items():
        try:
            array = np.array(getattr(value, name), dtype=np.float64)
        except (TypeError, ValueError):
            raise Wrong(f"∇{name} is {describe(getattr(value, name))}, not numbers{problem.where}") from None
        if array.shape != shape:
            got = f"∇{name} has shape {array.shape} where {name} has shape {shape}{problem.where}"
            if name == "W1" and array.shape == (k, d):
                raise Wrong(f"{got}: rows and columns exchanged, a missing or extra transpose", kind="transpose")
            if name == "b3" and array.size == 1:  # a size-1 array is one number, as for the 2-2-1 network's biases
                out[name] = array.reshape(())
                continue
            if name != "W1" and array.shape in ((n, k), (n,), (n, 1)):
                raise Wrong(f"{got}: one entry per example, so it is not summed over the rows")
            raise Wrong(got)
        if not np.all(np.isfinite(array)):
            raise Wrong(f"∇{name} holds NaN or inf{problem.where}")
        out[name] = array
    return out


def _wide_relu_from_h(p, t):
    f = wide.forward(p.params, p.X)
    G = np.minimum(1.0, f.H) * np.outer((f.y_hat - p.y) / p.n, p.params.w3)
    return {"W1": p.X.T @ G, "b1": G.sum(axis=0)}


def _wide_chain(p, step, w3):
    f = wide.forward(p.params, p.X)
    G = step(f) * np.outer((f.y_hat - p.y) / p.n, w3)
    return {"W1": p.X.T @ G, "b1": G.sum(axis=0)}


WIDE_MISTAKES = scaled(bias_blocks=("b1", "b3")) + [
    Mistake("original", "these are the original's gradients: ReLU' as min(1, H) (error 1) and the mean's 1/n "
            "twice (error 2)", lambda p, t: {k: v / p.n for k, v in {**t, **_wide_relu_from_h(p, t)}.items()}),
    Mistake("relu from h", "∇W1 and ∇b1 match min(1, H) in place of step(Z1): ReLU' taken from H rather than "
            "the step of Z1 (the original's error 1)?", _wide_relu_from_h, ("W1", "b1")),
    Mistake("transpose", "∇W1 has rows and columns exchanged: a missing or extra transpose",
            lambda p, t: {"W1": t["W1"].T}, ("W1",)),
    Mistake("no relu", "∇W1 and ∇b1 match a chain without ReLU': step(Z1) left out, as if every unit were active "
            "on every row? ReLU' is 0 where Z1 <= 0", lambda p, t: _wide_chain(p, lambda f: 1.0, p.params.w3),
            ("W1", "b1")),
    Mistake("w3 reversed", "∇W1 and ∇b1 match w3 reversed: column j of G_Z1 goes through w3_j, the weight of "
            "unit j", lambda p, t: _wide_chain(p, lambda f: f.Z1 > 0, p.params.w3[::-1]), ("W1", "b1")),
    Mistake("w3 gradient reversed", "∇w3's components are in reverse order", lambda p, t: {"w3": t["w3"][::-1]},
            ("w3",)),
]
