"""Measurements behind the notebooks' claims about the original's gradient.

The original's training code (notebook 06) has three errors:

1. its ReLU Jacobian is diag(min(1, h)) instead of diag(step(z));
2. it applies the mean's 1/n twice, so every gradient is 1/n of its value;
3. it hard-codes n = 4 (harmless on XOR, where n = 4).

``train_many_with`` trains many 2-2-1 nets at once with one of these
gradients, vectorised over the nets like ``xorlib.studies.ensemble.train_many`` and
from the same initial parameters for the same seed:

- ``"true"``: the correct gradient (net k follows ``xorlib.train``);
- ``"original"``: errors 1 and 2 (and 3, which changes nothing at n = 4),
  as ``xorlib.errata.original_gradients``;
- ``"relu_error"``: error 1 only.

Error 2 alone is the true gradient times 1/n: the true gradient at lr / n.
The wrong gradients live here, apart from ``ensemble``'s correct path:
``_gradient`` writes them out as the equations read, and ``train_many_with``
runs them in ``ensemble``'s fast loops, asking for error 1's ReLU derivative
(errata's function for numpy's loop; ``kernels`` has its own copy for the
compiled one, held to errata's bits) and for error 2's factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..descent import diverged
from ..errata import extra_mean_factor, original_relu_derivative
from ..network import _sigmoid
from ..validation import as_choice, as_inputs, as_positive_float, as_positive_int, as_targets
from .ensemble import (
    EnsembleParams,
    EnsembleResult,
    _solved_many,
    _train_blocks,
    init_many,
)

#: The gradients ``train_many_with`` can follow.
STUDY_GRADIENTS = ("true", "original", "relu_error")


def _forward(X, W, b, w3, b3):
    """Z and H = relu(Z), shape (n, 2 nets), and z3, shape (n, nets), for many 2-2-1 nets.

    Flat layout, both hidden units side by side: column h * nets + k is unit h of net k.
    """
    nets = b3.shape[0]
    Z = X @ W
    Z += b
    H = np.maximum(Z, 0.0)
    HW = H * w3
    z3 = HW[:, :nets] + HW[:, nets:]
    z3 += b3
    return Z, H, z3


def _gradient(X, Xt, y, w3, Z, H, z3, gradient):
    """The gradient blocks (gW, gb, gw3, gb3) of every net, as ``gradient`` computes them."""
    n = X.shape[0]
    g_z3 = _sigmoid(z3)
    g_z3 -= y[:, None]
    g_z3 /= n  # ∇_{z3} L, (n, nets)
    g_z3_both = np.concatenate([g_z3, g_z3], axis=1)
    # the ReLU Jacobian's diagonal: the step of z, or the original's min(1, h) (error 1)
    g_Z = (Z > 0).astype(float) if gradient == "true" else original_relu_derivative(H)
    g_Z *= w3
    g_Z *= g_z3_both  # ∇_Z L
    grads = [Xt @ g_Z, g_Z.sum(axis=0), (H * g_z3_both).sum(axis=0), g_z3.sum(axis=0)]
    if gradient == "original":  # error 2: the mean's 1/n once more
        grads = [g * extra_mean_factor(n) for g in grads]
    return grads


def _original_relu_derivative(Z, H, out):
    """Error 1 in ``ensemble._Block``'s form: min(1, h) written into ``out``, in place of step(z)."""
    original_relu_derivative(H, out=out)


def _cosines(a, b, nets):
    """Cosine between two lists of gradient blocks, per net (NaN where either is 0)."""
    u = np.concatenate([g.reshape(-1, nets) for g in a])
    v = np.concatenate([g.reshape(-1, nets) for g in b])
    norms = np.linalg.norm(u, axis=0) * np.linalg.norm(v, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norms > 0, np.sum(u * v, axis=0) / norms, np.nan)


@dataclass(frozen=True, eq=False)
class GradientStudy:
    """What ``train_many_with`` returns.

    ``result`` has the fields of ``train_many``'s result, so
    ``xorlib.studies.ensemble.classify(study.result, X, y)`` names each net's outcome.
    ``cosines[j, k]`` is cos(gradient followed, true gradient) of net k after
    ``cosine_epochs[j]`` updates (None unless ``cosine_every`` was given).
    """

    gradient: str
    result: EnsembleResult
    cosine_epochs: np.ndarray | None
    cosines: np.ndarray | None


def train_many_with(X, y, gradient: str = "original", n_nets: int = 1000, epochs: int = 1000, lr: float = 0.9,
                    seed=0, init: str = "original", cosine_every: int | None = None,
                    initial: EnsembleParams | None = None) -> GradientStudy:
    """Train ``n_nets`` 2-2-1 ReLU nets with one of ``STUDY_GRADIENTS``.

    Same initial parameters as ``train_many(X, y, n_nets, ..., seed=seed, init=init)``.
    ``initial`` (2-2-1 ``EnsembleParams``, e.g. another run's ``final``) replaces
    the random start. ``cosine_every=k`` records, every k epochs, the cosine
    between the gradient followed and the true gradient at the same parameters.
    """
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    gradient = as_choice(gradient, "gradient", STUDY_GRADIENTS)
    n_nets = as_positive_int(n_nets, "n_nets")
    epochs = as_positive_int(epochs, "epochs")
    lr = as_positive_float(lr, "lr")
    if initial is None:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        initial = init_many(n_nets, 2, 2, init, rng)
    elif not isinstance(initial, EnsembleParams) or initial.W1.shape != (2, 2, n_nets):
        raise ValueError(f"initial must be an EnsembleParams of {n_nets} 2-2-1 nets, got {initial!r:.80}")
    n = X.shape[0]
    relu_derivative = None if gradient == "true" else _original_relu_derivative  # error 1
    factor = extra_mean_factor(n) if gradient == "original" else None  # error 2

    cosine_epochs, cosines = None, None
    if cosine_every is not None:
        cosine_epochs = np.arange(0, epochs + 1, as_positive_int(cosine_every, "cosine_every"))
        cosines = np.empty((cosine_epochs.size, n_nets))

    if cosines is None:
        initial_losses, losses, predictions, final = _train_blocks(
            X, y, initial, epochs, lr, relu_derivative=relu_derivative, min_1_h=relu_derivative is not None,
            factor=factor)
    else:
        initial_losses, losses, predictions, final = _train_recording_cosines(
            X, y, initial, epochs, lr, gradient, relu_derivative, factor, cosine_every, cosines)
    result = EnsembleResult(
        initial=initial, final=final, losses=losses, initial_losses=initial_losses,
        predictions=predictions, solved=_solved_many(predictions, y, losses),
        diverged=diverged(initial_losses, losses),
        loss_history=None, history_epochs=None,
        config=dict(n_nets=n_nets, epochs=epochs, lr=lr, hidden=2, activation="relu", init=init,
                    relu_prime_at_zero=0.0, gradient=gradient))
    return GradientStudy(gradient=gradient, result=result, cosine_epochs=cosine_epochs, cosines=cosines)


def _train_recording_cosines(X, y, initial, epochs, lr, gradient, relu_derivative, factor, cosine_every, cosines):
    """``train_many_with``'s training in stretches of ``cosine_every`` epochs on ``_train_blocks``, with the
    cosine between the gradient followed and the true one before each stretch and at the end, both from
    the equations as they read (``_forward`` and ``_gradient``)."""
    Xt, params, done = np.ascontiguousarray(X.T), initial, 0
    first_losses = losses = predictions = None  # epochs >= 1: the first stretch sets them
    while True:
        nets = params.b3.size
        W, b, w3 = params.W1.reshape(2, 2 * nets), params.b1.reshape(-1), params.w3.reshape(-1)
        with np.errstate(over="ignore", invalid="ignore"):
            Z, H, z3 = _forward(X, W, b, w3, params.b3)
            followed = _gradient(X, Xt, y, w3, Z, H, z3, gradient)
            reference = followed if gradient == "true" else _gradient(X, Xt, y, w3, Z, H, z3, "true")
        cosines[done // cosine_every] = _cosines(followed, reference, nets)
        stretch = min(cosine_every, epochs - done)
        if stretch == 0:
            return first_losses, losses, predictions, params
        start_losses, losses, predictions, params = _train_blocks(
            X, y, params, stretch, lr, relu_derivative=relu_derivative, min_1_h=relu_derivative is not None,
            factor=factor)
        first_losses = start_losses if first_losses is None else first_losses
        done += stretch
        if done % cosine_every:  # the last stretch was shorter: no cosine at the end
            return first_losses, losses, predictions, params
