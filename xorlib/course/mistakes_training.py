"""The classic mistakes of a training loop (05a), each as the parameters it would end with.

``training_problems()`` are the runs a learner's loop is checked on; each
``TRAINING_MISTAKES`` entry is gradient descent with one thing changed (a
sign, an epoch too many or too few, a fixed learning rate or epoch count, a
stale gradient, the original's gradient).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data import noisy_xor, repeated_xor, xor_data
from ..errata import original_gradients
from ..gradients import gradients
from ..params import Params, init_params
from .diagnosis import Mistake, Problem
from .mistakes import BLOCKS, blocks

PARAM_LABEL = {name: f"the final {name}" for name in BLOCKS}


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

