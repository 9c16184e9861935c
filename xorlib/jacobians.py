"""The seed's "Individual Grad" list as explicit matrices, and its chain rule.

Layout: a Jacobian ∂a/∂b has one row per entry of a and one column per entry
of b (numerator layout), so ∂z3/∂w3 = H has shape (n, 2). A gradient ∇_b L is
a column like b (denominator layout). The chain for a gradient is therefore
the transposed Jacobians in reverse order, applied to ∇_{y'} L::

    ∇_{w3} L = (∂z3/∂w3)ᵀ (∂y'/∂z3)ᵀ ∇_{y'} L
    ∇_{w1} L = (∂z1/∂w1)ᵀ (∂h1/∂z1)ᵀ (∂z3/∂h1)ᵀ (∂y'/∂z3)ᵀ ∇_{y'} L

This path builds every n x n matrix on purpose: it is the derivation made
executable. ``backprop`` computes the same numbers without them.

The seed's three errors can be switched on to study them (all off by default):
``relu_jacobian="min(1,h)"``, ``mean_twice=True`` and ``hard_coded_n=4``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from .loss import _bce_from_logits, _grad_loss_wrt_y_hat
from .network import ForwardPass, _forward, _forward_vector, _relu_derivative, sigmoid_derivative
from .params import Params, as_params
from .validation import as_choice, as_inputs, as_positive_int, as_targets

#: ReLU Jacobian choices: the correct step of z, or the seed's erratum diag(min(1, h)).
RELU_JACOBIANS = ("step", "min(1,h)")


def jacobian_y_hat_z3(y_hat: np.ndarray) -> np.ndarray:
    """∂y'/∂z3 = diag(y' ⊙ (1 - y')), shape (n, n): y'_i depends on z3_i only."""
    return np.diag(sigmoid_derivative(y_hat))


def jacobian_z3_h(w3_k: float, n: int) -> np.ndarray:
    """∂z3/∂h_k = w3_k I, shape (n, n): z3_i = h1_i w3_1 + h2_i w3_2 + b3."""
    return w3_k * np.eye(n)


def jacobian_h_z(z: np.ndarray) -> np.ndarray:
    """∂h_k/∂z_k = diag(step(z_k)), shape (n, n), with ReLU'(0) = 0."""
    return np.diag(_relu_derivative(z))


def jacobian_h_z_seed(h: np.ndarray) -> np.ndarray:
    """The seed's erratum: diag(min(1, h)). Wrong wherever 0 < h < 1."""
    return np.diag(np.minimum(1.0, h))


def jacobian_z_w(inputs: np.ndarray) -> np.ndarray:
    """∂z/∂w = the layer's input matrix, shape (n, 2): X for z1 and z2, H for z3."""
    return inputs.copy()


def jacobian_z_b(n: int) -> np.ndarray:
    """∂z/∂b = 1, a column of ones, shape (n, 1)."""
    return np.ones((n, 1))


@dataclass(frozen=True, eq=False)
class LocalJacobians:
    """The seed's "Individual Grad" list, evaluated at one point."""

    grad_y_hat: np.ndarray  #: ∇_{y'} L, shape (n,)
    y_hat_z3: np.ndarray  #: ∂y'/∂z3, shape (n, n)
    z3_h1: np.ndarray  #: ∂z3/∂h1, shape (n, n)
    z3_h2: np.ndarray  #: ∂z3/∂h2, shape (n, n)
    h1_z1: np.ndarray  #: ∂h1/∂z1, shape (n, n)
    h2_z2: np.ndarray  #: ∂h2/∂z2, shape (n, n)
    z3_w3: np.ndarray  #: ∂z3/∂w3 = H, shape (n, 2)
    z1_w1: np.ndarray  #: ∂z1/∂w1 = X, shape (n, 2)
    z2_w2: np.ndarray  #: ∂z2/∂w2 = X, shape (n, 2)
    z1_b1: np.ndarray  #: ∂z1/∂b1 = 1, shape (n, 1)
    z2_b2: np.ndarray  #: ∂z2/∂b2 = 1, shape (n, 1)
    z3_b3: np.ndarray  #: ∂z3/∂b3 = 1, shape (n, 1)

    def items(self):
        """(name, matrix) pairs in the seed's order."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)]


def _local_jacobians(
    theta: np.ndarray,
    f: ForwardPass,
    y: np.ndarray,
    relu_jacobian: str = "step",
    hard_coded_n: int | None = None,
) -> LocalJacobians:
    n = f.n
    if relu_jacobian == "step":
        h1_z1, h2_z2 = jacobian_h_z(f.z1), jacobian_h_z(f.z2)
    else:
        h1_z1, h2_z2 = jacobian_h_z_seed(f.h1), jacobian_h_z_seed(f.h2)
    ones = jacobian_z_b(n if hard_coded_n is None else hard_coded_n)
    return LocalJacobians(
        grad_y_hat=_grad_loss_wrt_y_hat(f.y_hat, y),
        y_hat_z3=jacobian_y_hat_z3(f.y_hat),
        z3_h1=jacobian_z3_h(theta[6], n),
        z3_h2=jacobian_z3_h(theta[7], n),
        h1_z1=h1_z1,
        h2_z2=h2_z2,
        z3_w3=jacobian_z_w(f.H),
        z1_w1=jacobian_z_w(f.X),
        z2_w2=jacobian_z_w(f.X),
        z1_b1=ones,
        z2_b2=ones,
        z3_b3=ones,
    )


def _check_not_saturated(y_hat: np.ndarray) -> None:
    if np.any((y_hat == 0.0) | (y_hat == 1.0)):
        raise ValueError(
            "the explicit-Jacobian path divides by y_hat and 1 - y_hat, but y_hat "
            "rounded to exactly 1 (z3 above about 36.7) or 0 (z3 below about -745); use method='backprop', which "
            "uses the simplified ∇_{z3} L = (y_hat - y) / n"
        )


def local_jacobians(params: Params, X, y, relu_jacobian: str = "step") -> LocalJacobians:
    """Evaluate each local Jacobian of the seed's list at (params, X, y)."""
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    relu_jacobian = as_choice(relu_jacobian, "relu_jacobian", RELU_JACOBIANS)
    f = _forward(params, X)
    _check_not_saturated(f.y_hat)
    return _local_jacobians(params.to_vector(), f, y, relu_jacobian)


def _chain(J: LocalJacobians) -> np.ndarray:
    """Multiply out the seed's "Grad Calculation", one chain per parameter block.

    Each product is evaluated right to left, as matrix-vector products: the
    left-to-right order multiplies n x n matrices, O(n³) instead of O(n²).
    The shared suffix (∂y'/∂z3)ᵀ ∇_{y'} L is computed once. Returns the 9-vector.
    """
    g_z3 = J.y_hat_z3.T @ J.grad_y_hat  # (n,)
    g_z1 = J.h1_z1.T @ (J.z3_h1.T @ g_z3)  # (n,)
    g_z2 = J.h2_z2.T @ (J.z3_h2.T @ g_z3)  # (n,)
    return np.concatenate([
        J.z1_w1.T @ g_z1, J.z1_b1.T @ g_z1,
        J.z2_w2.T @ g_z2, J.z2_b2.T @ g_z2,
        J.z3_w3.T @ g_z3, J.z3_b3.T @ g_z3,
    ])


def _chain_kernel(theta, X, y, relu_jacobian="step", mean_twice=False, hard_coded_n=None):
    """(loss, gradient vector) at ``theta`` by the explicit-Jacobian chain."""
    f = _forward_vector(theta, X)
    _check_not_saturated(f.y_hat)
    grad = _chain(_local_jacobians(theta, f, y, relu_jacobian, hard_coded_n))
    if mean_twice:
        grad = grad / X.shape[0]
    return _bce_from_logits(f.z3, y), grad


def chain_gradients(
    params: Params,
    X,
    y,
    *,
    relu_jacobian: str = "step",
    mean_twice: bool = False,
    hard_coded_n: int | None = None,
) -> Params:
    """All gradients by multiplying the explicit Jacobians, as the seed writes them.

    Each chain is written out in full in ``_chain``; the shared prefix
    (∂y'/∂z3)ᵀ ∇_{y'} L is computed once. The seed's errors, off by default:

    - ``relu_jacobian="min(1,h)"``: its ReLU Jacobian diag(min(1, h));
    - ``mean_twice=True``: its extra 1/n on every gradient (so each is 1/n too small);
    - ``hard_coded_n=4``: its ``np.ones((4,))`` for ∂z/∂b, which breaks when n != 4.
    """
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    relu_jacobian = as_choice(relu_jacobian, "relu_jacobian", RELU_JACOBIANS)
    if not isinstance(mean_twice, bool):
        raise TypeError(f"mean_twice must be True or False, got {mean_twice!r}")
    if hard_coded_n is not None:
        hard_coded_n = as_positive_int(hard_coded_n, "hard_coded_n")
        if hard_coded_n != X.shape[0]:
            raise ValueError(
                f"hard_coded_n={hard_coded_n} reproduces the seed's np.ones(({hard_coded_n},)), "
                f"which cannot multiply a chain over n={X.shape[0]} rows: shapes "
                f"({hard_coded_n}, 1)ᵀ and ({X.shape[0]},) do not align"
            )
    kwargs = dict(relu_jacobian=relu_jacobian, mean_twice=mean_twice, hard_coded_n=hard_coded_n)
    return Params.from_vector(_chain_kernel(params.to_vector(), X, y, **kwargs)[1])
