"""SymPy's derived Jacobians and chains turned into numpy functions (``lambdify``) and evaluated.

Not finite differences (those are ``xorlib.gradcheck.numerical_*``): these are the exact
symbolic formulas, evaluated in floating point.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import sympy as sp

from ..edges import JACOBIANS
from ..jacobians import LocalJacobians
from ..params import Params, as_params
from ..validation import as_inputs, as_targets
from .network import PARAMS, build_network


@cache
def _lambdified_jacobian_functions(n: int):
    net = build_network(n=n)
    inputs = list(PARAMS) + list(net.X) + list(net.y)
    return {name: sp.lambdify(inputs, net.at_params(net.jacobians[name]), modules="numpy")
            for name in JACOBIANS}


def lambdified_jacobians(params: Params, X, y) -> LocalJacobians:
    """Every symbolic Jacobian, lambdified and evaluated at (params, X, y).

    Compiled once per n and cached. Compare with ``xorlib.local_jacobians``.
    """
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    functions = _lambdified_jacobian_functions(X.shape[0])
    args = list(params.to_vector()) + list(X.ravel()) + list(y)
    values = {name: np.array(f(*args), dtype=np.float64) for name, f in functions.items()}
    values["grad_y_hat"] = values["grad_y_hat"].reshape(-1)
    return LocalJacobians(**values)


@cache
def _lambdified_gradient_function(n: int):
    net = build_network(n=n)
    inputs = list(PARAMS) + list(net.X) + list(net.y)
    blocks = [net.at_params(net.chain(name)) for name in ("w1", "b1", "w2", "b2", "w3", "b3")]
    return sp.lambdify(inputs, sp.Matrix.vstack(*blocks), modules="numpy")


def lambdified_gradients(params: Params, X, y) -> Params:
    """The symbolic chain products, lambdified and evaluated at (params, X, y)."""
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    f = _lambdified_gradient_function(X.shape[0])
    values = f(*params.to_vector(), *X.ravel(), *y)
    return Params.from_vector(np.asarray(values, dtype=np.float64).ravel())
