"""The classic mistakes of backprop by hand, each as the answer it would give.

A checker compares a learner's wrong answer with each of these; when one
reproduces every wrong part on every problem, its message names it. The
original derivation's errors are numbered as everywhere in xorlib: 1. ReLU'
as diag(min(1, h)), 2. the mean's 1/n applied twice, 3. n = 4 hard-coded
(found by its pattern, right at n = 4 only, in ``coding.compare``).

This module holds the mistakes in gradients (backward, 08a), in local
Jacobians (02a) and in central differences (03a), and the helpers the other
mistake modules share; the training loop's are in ``xorlib.course.mistakes_training``,
the width-k network's in ``xorlib.course.mistakes_wide``.
"""

from __future__ import annotations

import numpy as np

from ..errata import original_gradients
from ..gradients import gradients
from ..loss import loss
from ..network import _forward
from ..params import Params
from .diagnosis import Mistake, Problem

BLOCKS = ("w1", "b1", "w2", "b2", "w3", "b3")
HIDDEN = ("w1", "b1", "w2", "b2")
LABEL = {name: f"∇{name}" for name in BLOCKS}
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


def _backward(p, g_z3=None, steps=None, w3=None, H=None, bias=np.sum, b3=None) -> dict:
    """The backward pass with one step done another way: each argument, when given, replaces that step."""
    f = _forward(p.params, p.X)
    g = (f.y_hat - p.y) / p.n if g_z3 is None else g_z3(f, p)
    s1, s2 = (f.z1 > 0, f.z2 > 0) if steps is None else steps(f)
    w = p.params.w3 if w3 is None else w3(p.params.w3)
    g1, g2 = s1 * w[0] * g, s2 * w[1] * g
    return {"w1": p.X.T @ g1, "b1": bias(g1), "w2": p.X.T @ g2, "b2": bias(g2),
            "w3": (f.H if H is None else H(f)).T @ g, "b3": bias(g) if b3 is None else b3(g)}


GRADIENT_MISTAKES = scaled(bias_blocks=("b1", "b2", "b3")) + [
    Mistake("original", "these are the original's gradients: ReLU' taken from h as diag(min(1, h)) (error 1) and "
            "the mean's 1/n applied twice (error 2)", lambda p, t: blocks(original(p))),
    Mistake("relu from h", "the hidden-layer gradients match diag(min(1, h)): ReLU' taken from h rather than the "
            "step of z (the original's error 1)?", _relu_from_h, HIDDEN),
    Mistake("w3 swapped", "the hidden-layer gradients match w3's components swapped: unit 1's chain goes through "
            "w3_1 and unit 2's through w3_2", lambda p, t: _backward(p, w3=lambda w: (w[1], w[0])), HIDDEN),
    Mistake("w3 reversed", "∇w3's two components are swapped", lambda p, t: {"w3": t["w3"][::-1]}, ("w3",)),
    Mistake("no relu", "the hidden-layer gradients match a chain without ReLU': the ReLU's Jacobian left out, as if "
            "every unit were active on every row? ReLU' is 0 where z <= 0",
            lambda p, t: _backward(p, steps=lambda f: (1.0, 1.0)), HIDDEN),
    Mistake("extra sigma'", "every block matches ∇z3 L multiplied by σ'(z3) = ŷ(1 - ŷ) once more: with the "
            "cross-entropy loss, (∂L/∂ŷ) σ'(z3) simplifies to (ŷ - y)/n, which already holds σ' (the extra factor "
            "is the squared error's habit)",
            lambda p, t: _backward(p, g_z3=lambda f, p: f.y_hat * (1 - f.y_hat) * (f.y_hat - p.y) / p.n)),
    Mistake("h as relu'", "the hidden-layer gradients match h in place of ReLU': the ReLU's derivative is the step "
            "of z (0 or 1), not h itself", lambda p, t: _backward(p, steps=lambda f: (f.h1, f.h2)), HIDDEN),
    Mistake("w3_1 twice", "unit 2's gradients match w3_1 in unit 2's chain: each unit's chain goes through its own "
            "output weight, unit 2's through w3_2", lambda p, t: _backward(p, w3=lambda w: (w[0], w[0])),
            ("w2", "b2")),
    Mistake("z for h", "∇w3 matches Zᵀ ∇z3 L: the input of z3's layer is H = relu(Z), not the pre-activations Z",
            lambda p, t: _backward(p, H=lambda f: np.column_stack([f.z1, f.z2])), ("w3",)),
    Mistake("b3 one row", "∇b3 matches the first row's term alone: a bias gradient sums over every row",
            lambda p, t: _backward(p, b3=lambda g: g[0]), ("b3",)),
    Mistake("hidden biases averaged", "∇b1 and ∇b2 are 1/n of the truth: averaged over the rows instead of summed "
            "(the 1/n is already in ∇z3 L)?", lambda p, t: _backward(p, bias=np.mean), ("b1", "b2")),
]


def _diag(values):
    return lambda p, t: {next(iter(t)): np.diag(values(_forward(p.params, p.X), p))}


def _matrix(value):
    return lambda p, t: {next(iter(t)): value(_forward(p.params, p.X), p)}


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
