"""One gradient-descent step and one divergence rule, shared by ``train``, the
explorer and (vectorised) the ensemble."""

from __future__ import annotations

import numpy as np

from .params import BLOCKS, Params

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


def gradient_descent_step(params: Params, grads: Params, lr: float) -> Params:
    """θ <- θ - lr ∇L(θ), block by block. Raises ``TrainingDiverged`` if a parameter overflows."""
    with np.errstate(over="ignore", invalid="ignore"):
        new = {block: getattr(params, block) - lr * getattr(grads, block) for block in BLOCKS}
    try:
        return Params(**new)
    except ValueError:  # Params refuses values that are not finite
        raise TrainingDiverged(f"the parameters are no longer finite (lr={lr}); try a smaller learning rate") from None


def descend(params: Params, gradient, lr: float) -> tuple[Params, Params]:
    """One step of training: ∇L = ``gradient()`` at ``params``, then ``gradient_descent_step``.

    Returns (new params, the gradient used). An overflowing gradient or step raises
    ``TrainingDiverged``: the same rule for ``train`` and the explorer.
    """
    try:
        with np.errstate(over="raise", invalid="raise"):
            grads = gradient()
        return gradient_descent_step(params, grads, lr), grads
    except FloatingPointError:  # an overflowing gradient, or TrainingDiverged from the step
        raise TrainingDiverged(
            f"the gradient or the parameters are no longer finite (lr={lr}); try a smaller learning rate"
        ) from None
