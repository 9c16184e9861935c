"""The original derivation's three errors, reproduced on purpose to study them.

The original's training code computes every gradient through explicit Jacobians,
as ``xorlib.jacobians`` does, but differs from the correct gradient in three ways:

1. its ReLU Jacobian is diag(min(1, h)) instead of diag(step(z));
2. it multiplies every gradient by 1/n a second time (∇_ŷ L already has it);
3. it writes ∂z/∂b as ``np.ones((4,))``, so it only runs for n = 4.

This module builds the original's Jacobians and chain itself, taking every
other entry from the table of edges, where the original agrees with it. The
correct path (``xorlib.gradients``, ``xorlib.train``) knows nothing of them.
"""

from __future__ import annotations

import numpy as np

from .edges import CHAINS
from .jacobians import LocalJacobians, check_not_saturated, evaluate, walk_chain
from .network import forward
from .params import Params, as_params
from .validation import as_inputs, as_targets

#: The three errors, numbered as everywhere in the course.
ERRORS = {
    1: "ReLU Jacobian diag(min(1, h)) instead of diag(step(z))",
    2: "the mean's 1/n applied twice",
    3: "hard-coded n = 4: ∂z/∂b is np.ones((4,))",
}
#: The n that the original's ``np.ones((4,))`` hard-codes (error 3).
ORIGINAL_N = 4


def original_relu_derivative(h: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Error 1, elementwise: the original's ReLU' taken from h as min(1, h), where the derivative is
    step(z). Wrong wherever 0 < h < 1. ``out``, if given, receives it (as numpy's ``out``)."""
    return np.minimum(1.0, h, out=out)


def original_relu_jacobian(h: np.ndarray) -> np.ndarray:
    """Error 1, the original's ∂h/∂z = diag(min(1, h)). Wrong wherever 0 < h < 1."""
    return np.diag(original_relu_derivative(h))


def extra_mean_factor(n: int) -> float:
    """Error 2: the factor 1/n that the original applies to every parameter gradient once more
    (its ``(1.0/n)``), although the mean's 1/n is already in ∇_ŷ L."""
    return 1.0 / n


def _as_errors(errors) -> tuple:
    if isinstance(errors, (str, bytes)) or not hasattr(errors, "__iter__"):
        raise TypeError(f"errors must be a collection of error numbers from {list(ERRORS)}, got {errors!r}")
    errors = tuple(errors)
    if not all(isinstance(e, int) and not isinstance(e, bool) and e in ERRORS for e in errors):
        raise ValueError(f"errors must hold error numbers from {list(ERRORS)}, got {errors!r}")
    return errors


def original_local_jacobians(params: Params, X, y) -> LocalJacobians:
    """The original's "Individual Grad" list as it states it: the table's Jacobians,
    except ∂h1/∂z1 and ∂h2/∂z2, which are diag(min(1, h)) (error 1)."""
    return _original_local_jacobians(params, X, y, errors=(1,))


def _original_local_jacobians(params, X, y, errors) -> LocalJacobians:
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    f = forward(params, X)
    check_not_saturated(f.y_hat)
    J = evaluate(params, f, y)
    if 1 not in errors:
        return J
    return LocalJacobians(**{**dict(J.items()), "h1_z1": original_relu_jacobian(f.h1),
                             "h2_z2": original_relu_jacobian(f.h2)})


def original_gradients(params: Params, X, y, errors=(1, 2, 3)) -> Params:
    """The gradient as the original's ``Net.train`` computes it, with the errors ``errors``.

    With all three (the default) this is the original's code exactly; ``errors=(1,)``,
    ``(2,)`` or ``(3,)`` keeps one error and corrects the others, to study each alone.
    Error 3 does what the original does: on n != 4 rows, numpy refuses its product
    ``np.ones((4,)).dot(l_z1_grad)`` with a ``ValueError`` (shapes not aligned).
    """
    errors = _as_errors(errors)
    J = _original_local_jacobians(params, X, y, errors)
    n = J.grad_y_hat.shape[0]
    ones = np.ones((ORIGINAL_N,)) if 3 in errors else np.ones((n,))  # the original's np.ones((4,))
    scale = extra_mean_factor(n) if 2 in errors else 1.0  # the original's extra (1.0/n)
    blocks, l_z_grads = {}, {}
    for block, chain in CHAINS.items():
        # As the original's l_o_grad, ∇_ŷ L enters as diag(∇_ŷ L), so the product is n x n
        # (its l_z1_grad, computed once for w1 and b1), and each gradient sums it: (1/n) Σ Jᵀ l_z_grad.
        if chain[1:] not in l_z_grads:
            *_, (_, l_z_grads[chain[1:]]) = walk_chain(J, chain[1:], np.diag(J.grad_y_hat))
        product = l_z_grads[chain[1:]]
        if block[0] == "b":
            blocks[block] = scale * np.sum(ones.dot(product), axis=0)
        else:
            blocks[block] = scale * np.sum(getattr(J, chain[0]).T @ product, axis=1)
    return Params(**blocks)


def cosine(a: Params, b: Params) -> float:
    """cos of the angle between two gradients, as 9-vectors: 1 means the same direction."""
    u = as_params(a, "a").to_vector()
    v = as_params(b, "b").to_vector()
    norms = np.linalg.norm(u) * np.linalg.norm(v)
    if norms == 0:
        raise ValueError("cosine is undefined when a gradient is zero")
    return float(u @ v / norms)
