"""One gradient-descent step and one divergence rule, shared by ``train``, the
explorer and (vectorised) the ensemble."""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from .params import Params

#: A run has diverged when its final loss is above this factor times max(initial loss, ln 2).
DIVERGENCE_FACTOR = 10.0


class TrainingDiverged(FloatingPointError):
    """Raised when the loss or a parameter stops being finite during training."""


def diverged(initial_loss, final_loss):
    """Whether a run ended far worse than it began: the final loss is not finite, or above
    ``DIVERGENCE_FACTOR`` times max(initial loss, ln 2). Typical of a far too large learning
    rate; the loss stays finite because it is computed from the logits, so this is how such a
    run is recognised. Works elementwise on arrays of losses (one per net)."""
    final_loss = np.asarray(final_loss)
    return ~np.isfinite(final_loss) | (final_loss > DIVERGENCE_FACTOR * np.maximum(initial_loss, np.log(2.0)))


@contextmanager
def overflow_diverges(lr: float):
    """Inside this block a float overflow or an invalid operation (inf - inf, 0 * inf) raises
    ``TrainingDiverged``: the one divergence rule of a step, for ``train`` and the explorer."""
    try:
        with np.errstate(over="raise", invalid="raise"):
            yield
    except FloatingPointError:
        raise TrainingDiverged(
            f"the gradient or the parameters are no longer finite (lr={lr}); try a smaller learning rate"
        ) from None


def gradient_descent_step(params: Params, grads: Params, lr: float) -> Params:
    """θ <- θ - lr ∇L(θ), all nine values at once. Raises ``TrainingDiverged`` if a parameter overflows."""
    with overflow_diverges(lr):
        theta = params.to_vector() - lr * grads.to_vector()
    return Params._of_vector(theta)  # finite: an overflow would have raised
