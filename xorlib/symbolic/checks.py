"""Exact equality checks in SymPy: at rational points, symbolically, and of whole chains."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from .network import PARAMS, SymbolicNetwork, sigmoid


def rational_points(net: SymbolicNetwork, count: int = 3, seed: int = 0, min_kink=sp.Rational(1, 20)):
    """``count`` parameter points with rational coordinates (denominator 16, in [-1, 1]),
    each at least ``min_kink`` away from every ReLU kink (when X is numeric)."""
    rng = np.random.default_rng(seed)
    points = []
    while len(points) < count:
        values = [sp.Rational(int(k), 16) for k in rng.integers(-16, 17, size=9)]
        point = dict(zip(PARAMS, values, strict=True))
        zs = [e.xreplace(point) for key in ("z1", "z2") for e in net.forward[key]]
        if all(z.is_number and abs(z) >= min_kink for z in zs):
            points.append(point)
    return points


def equal_at_points(a, b, points) -> bool:
    """Whether two expressions (or matrices) in the parameters are exactly equal
    at every point: the difference simplifies to exactly 0 there."""
    difference = sp.Matrix(a) - sp.Matrix(b)
    for point in points:
        at = difference.xreplace(point)
        if not all(sp.simplify(entry) == 0 for entry in at):
            return False
    return True


def equal_symbolically(a, b) -> bool:
    """Whether a - b simplifies to 0 entry by entry."""
    difference = sp.Matrix(a) - sp.Matrix(b)
    return all(sp.simplify(entry) == 0 for entry in difference)


def bce_sigmoid_simplification(n=sp.Symbol("n", positive=True)):
    """For one row with symbolic n: (∂ℓ/∂ŷ) σ′(z) simplifies to (σ(z) - y)/n.

    Returns (∂ℓ/∂ŷ, ∂ŷ/∂z, their product with ŷ = σ(z), its simplified form).
    """
    z, y = sp.symbols("z y", real=True)
    y_hat = sp.Symbol("yhat", real=True)
    ell = -(y * sp.log(y_hat) + (1 - y) * sp.log(1 - y_hat)) / n
    d_ell = sp.diff(ell, y_hat)
    d_sigma = sp.diff(sigmoid(z), z)
    product = (d_ell * d_sigma).xreplace({y_hat: sigmoid(z)})
    return d_ell, d_sigma, product, sp.simplify(product)


@dataclass(frozen=True)
class ChainCheck:
    """The two checks of one chain formula."""

    name: str
    equals_direct_derivative: bool  #: at every rational point
    points: int
    equals_closed_form: bool  #: symbolically, with ŷ = σ(z3)

    def __str__(self) -> str:
        return (f"∇_{self.name} L: chain = SymPy's direct derivative of L at {self.points} rational points: "
                f"{self.equals_direct_derivative}; chain simplifies to the closed form: {self.equals_closed_form}")


def check_chain(net: SymbolicNetwork, name: str, points: int = 3) -> ChainCheck:
    """Check the original's chain for ``name`` against SymPy's own derivative of L
    (exactly, at ``points`` rational parameter points away from the kinks) and
    against ``closed_form`` (symbolically)."""
    at = rational_points(net, count=points)
    chain = net.chain(name)
    to_z3 = {net.v["y_hat"][i]: sigmoid(net.v["z3"][i]) for i in range(net.n)}
    return ChainCheck(
        name=name,
        equals_direct_derivative=equal_at_points(net.at_params(chain), net.direct_gradient(name), at),
        points=points,
        equals_closed_form=equal_symbolically(chain.xreplace(to_z3), net.closed_form(name).xreplace(to_z3)),
    )
