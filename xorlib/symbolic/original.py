"""The original's "Individual Grad" formulas, typed in as it states them, compared with SymPy's derivatives."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .network import SymbolicNetwork, relu, sigmoid, w3_1, w3_2


def original_formula(net: SymbolicNetwork, name: str) -> sp.Matrix:
    """The original's "Individual Grad" entry ``name``, typed in as the original states it.

    These are the claims to check, so they are the one place formulas are typed
    in. Note ``h1_z1`` and ``h2_z2``: the original's diag(min(1, h)), which is wrong.
    """
    v, n = net.v, net.n
    y_hat, y = v["y_hat"], net.y
    ones = sp.ones(n, 1)
    formulas = {
        "grad_y_hat": -(y.multiply_elementwise(y_hat.applyfunc(lambda t: 1 / t))
                        - (ones - y).multiply_elementwise((ones - y_hat).applyfunc(lambda t: 1 / t))) / n,
        "y_hat_z3": sp.diag(*[t * (1 - t) for t in y_hat]),
        "z3_h1": sp.diag(*([w3_1] * n)),
        "z3_h2": sp.diag(*([w3_2] * n)),
        "h1_z1": sp.diag(*[sp.Min(1, t) for t in v["h1"]]),
        "h2_z2": sp.diag(*[sp.Min(1, t) for t in v["h2"]]),
        "z3_w3": v["h1"].row_join(v["h2"]),
        "z1_w1": net.X,
        "z2_w2": net.X,
        "z1_b1": ones,
        "z2_b2": ones,
        "z3_b3": ones,
    }
    return formulas[name]


@dataclass(frozen=True)
class OriginalComparison:
    """Whether a derived Jacobian equals the original's formula, and if not, where not."""

    name: str
    equal: bool
    point: dict | None = None  #: symbol -> value where they differ
    entry: tuple | None = None  #: (row, column) of the first entry that differs
    original_value: sp.Expr | None = None
    derived_value: sp.Expr | None = None

    def __str__(self) -> str:
        if self.equal:
            return f"{self.name}: derived = the original's formula (the difference simplifies to 0)"
        where = ", ".join(f"{s} = {v}" for s, v in self.point.items())
        return (f"{self.name}: derived != the original's formula. At {where}, entry {self.entry}: "
                f"the original gives {self.original_value}, derivative is {self.derived_value}")


def compare_with_original(net: SymbolicNetwork, name: str) -> OriginalComparison:
    """Compare the derived Jacobian ``name`` with ``original_formula(net, name)``.

    Both are put in terms of the pre-activations (h = relu(z), ŷ = σ(z3)) and
    their difference simplified. If it is not 0, every free symbol is set to
    1/2 to exhibit one entry where they differ.
    """
    v = net.v
    to_z = {v["y_hat"][i]: sigmoid(v["z3"][i]) for i in range(net.n)}
    to_z.update({v[h][i]: relu(v[z][i]) for h, z in (("h1", "z1"), ("h2", "z2")) for i in range(net.n)})
    derived = sp.Matrix(net.jacobians[name]).xreplace(to_z)
    original = sp.Matrix(original_formula(net, name)).xreplace(to_z)
    difference = derived - original
    if all(sp.simplify(entry) == 0 for entry in difference):
        return OriginalComparison(name, True)
    symbols = sorted(difference.free_symbols, key=lambda s: s.name)
    point = {s: sp.Rational(1, 2) for s in symbols}
    for index, entry in enumerate(difference):
        if sp.simplify(entry.xreplace(point)) != 0:
            row, col = divmod(index, difference.cols)
            return OriginalComparison(name, False, point, (row + 1, col + 1),
                                        sp.simplify(original[row, col].xreplace(point)),
                                        sp.simplify(derived[row, col].xreplace(point)))
    raise AssertionError(f"{name}: the difference is not 0 symbolically but vanishes at 1/2")
