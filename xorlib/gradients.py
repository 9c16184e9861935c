"""One entry point for the gradient of the loss, by either method."""

from __future__ import annotations

from .backprop import backprop_gradients
from .jacobians import jacobian_gradients
from .params import Params
from .validation import as_choice

#: The two ways xorlib computes ∇L: explicit Jacobian products, or backprop.
METHODS = {"jacobian": jacobian_gradients, "backprop": backprop_gradients}


def gradients(params: Params, X, y, method: str = "backprop") -> Params:
    """∇L for every parameter block, as a ``Params`` of the same shapes.

    ``method="jacobian"`` multiplies the original's explicit Jacobians (O(n²));
    ``method="backprop"`` uses vector-Jacobian products (O(n)). They agree to
    rounding error; both apply the mean's 1/n once and use ReLU'(0) = 0.
    """
    method = as_choice(method, "method", METHODS)
    return METHODS[method](params, X, y)
