"""The original's network in SymPy: every local Jacobian derived, never typed in.

Each layer is a function of its own inputs only::

    z = X w + b 1           (z1, z2 from X;  z3 from H = [h1, h2])
    h = relu(z) = Max(0, z) (elementwise)
    ŷ = σ(z3)               (elementwise)
    L = -(1/n)[yᵀ ln ŷ + (1 - y)ᵀ ln(1 - ŷ)]

A local Jacobian ∂a/∂b is ``Matrix.jacobian`` of a layer with respect to
fresh symbols standing for its input (``z1_1 … z1_n``, ``h1_1 …``, ``yhat_1 …`` for ŷ),
so it reads like the original's formula. ``at_params`` then substitutes the
forward pass, giving the same Jacobian as a function of the 9 parameters.

ReLU'(0): SymPy differentiates ``Max(0, z)`` to ``Heaviside(z)``, which is 1/2
at 0. xorlib's convention is ReLU'(0) = 0, so every derived expression goes
through ``step_convention``, which rewrites it as ``Heaviside(z, 0)``.

Independent of the table of edges: only the table's *names* are used here (which
output is differentiated with respect to which input); every formula is SymPy's
own derivative of the layers written below, so the table is checked, not copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import sympy as sp

from ..data import xor_data
from ..edges import CHAINS, EDGES, JACOBIAN_LATEX, JACOBIAN_TEXT, JACOBIANS
from ..params import VECTOR_NAMES
from ..validation import as_inputs, as_positive_int, as_targets

__all__ = ["CHAINS", "JACOBIANS", "JACOBIAN_LATEX", "JACOBIAN_TEXT", "PARAMS", "SymbolicNetwork", "b1", "b2",
           "b3", "build_network", "layer_h", "layer_loss", "layer_y_hat", "layer_z", "relu", "sigmoid",
           "step_convention", "w1_1", "w1_2", "w2_1", "w2_2", "w3_1", "w3_2", "xor_network"]

#: The 9 parameter symbols, in the order of ``Params.to_vector()``.
PARAMS = sp.symbols(" ".join(VECTOR_NAMES), real=True)
w1_1, w1_2, b1, w2_1, w2_2, b2, w3_1, w3_2, b3 = PARAMS

def relu(z):
    return sp.Max(0, z)


def sigmoid(z):
    return 1 / (1 + sp.exp(-z))


def step_convention(expr):
    """Rewrite every ``Heaviside(z)`` (1/2 at 0) as ``Heaviside(z, 0)``: ReLU'(0) = 0."""
    return expr.replace(
        lambda e: isinstance(e, sp.Heaviside) and e.args[1] != 0,
        lambda e: sp.Heaviside(e.args[0], 0),
    )


def _vector(prefix: str, n: int) -> sp.Matrix:
    return sp.Matrix(sp.symbols(f"{prefix}_1:{n + 1}", real=True))


def layer_z(inputs: sp.Matrix, w: sp.Matrix, b) -> sp.Matrix:
    """z = inputs w + b 1."""
    return inputs * w + b * sp.ones(inputs.rows, 1)


def layer_h(z: sp.Matrix) -> sp.Matrix:
    """h = relu(z), elementwise."""
    return z.applyfunc(relu)


def layer_y_hat(z3: sp.Matrix) -> sp.Matrix:
    """ŷ = σ(z3), elementwise."""
    return z3.applyfunc(sigmoid)


def layer_loss(y_hat: sp.Matrix, y: sp.Matrix):
    """L = -(1/n)[yᵀ ln ŷ + (1 - y)ᵀ ln(1 - ŷ)], a scalar."""
    n = y.rows
    ones = sp.ones(n, 1)
    return -(y.T * y_hat.applyfunc(sp.log) + (ones - y).T * (ones - y_hat).applyfunc(sp.log))[0] / n


@dataclass(frozen=True, eq=False)
class SymbolicNetwork:
    """The original's network for one n, with its Jacobians and gradients derived.

    ``X`` and ``y`` hold numbers (e.g. the XOR rows) or symbols ``x_i_j``, ``y_i``.
    ``v`` holds the intermediate symbols (``z1``, ``h1``, …, ``y_hat``), each an
    (n, 1) Matrix; ``forward`` holds the same quantities as expressions in the
    parameters; ``L`` is the loss in the parameters.
    """

    n: int
    X: sp.Matrix
    y: sp.Matrix
    v: dict
    forward: dict
    L: sp.Expr
    jacobians: dict = field(repr=False)

    @property
    def w1(self):
        return sp.Matrix([w1_1, w1_2])

    @property
    def w2(self):
        return sp.Matrix([w2_1, w2_2])

    @property
    def w3(self):
        return sp.Matrix([w3_1, w3_2])

    def block(self, name: str) -> sp.Matrix:
        """The parameter symbols of one block ('w1', 'b1', …) as a column."""
        return {"w1": self.w1, "w2": self.w2, "w3": self.w3,
                "b1": sp.Matrix([b1]), "b2": sp.Matrix([b2]), "b3": sp.Matrix([b3])}[name]

    def at_params(self, expr):
        """Substitute the forward pass: ŷ -> σ(z3) -> z3(H) -> h = relu(z) -> z(params)."""
        v, n = self.v, self.n
        H = v["h1"].row_join(v["h2"])
        steps = [
            {v["y_hat"][i]: sigmoid(v["z3"][i]) for i in range(n)},
            {v["z3"][i]: layer_z(H, self.w3, b3)[i] for i in range(n)},
            {v[h][i]: relu(v[z][i]) for h, z in (("h1", "z1"), ("h2", "z2")) for i in range(n)},
            {v[z][i]: layer_z(self.X, w, b)[i]
             for z, w, b in (("z1", self.w1, b1), ("z2", self.w2, b2)) for i in range(n)},
        ]
        for mapping in steps:
            expr = expr.xreplace(mapping)
        return expr

    def chain(self, name: str) -> sp.Matrix:
        """∇_name L as the original's product of transposed local Jacobians, in the intermediate symbols."""
        result = self.jacobians["grad_y_hat"]
        for factor in reversed(CHAINS[name]):
            result = self.jacobians[factor].T * result
        return result

    def direct_gradient(self, name: str) -> sp.Matrix:
        """∇_name L by SymPy's own derivative of the scalar L(params), ReLU'(0) = 0."""
        return step_convention(sp.Matrix([self.L]).jacobian(self.block(name)).T)

    def closed_form(self, name: str) -> sp.Matrix:
        """The compact form the chain simplifies to, in the intermediate symbols.

        ∇_{w3} L = (1/n) Hᵀ (ŷ - y),  ∇_{b3} L = (1/n) 1ᵀ (ŷ - y),
        ∇_{w1} L = (1/n) w3_1 Xᵀ (step(z1) ⊙ (ŷ - y)),  and likewise.
        """
        v, n = self.v, self.n
        error = (v["y_hat"] - self.y) / n
        if name in ("w3", "b3"):
            left = v["h1"].row_join(v["h2"]) if name == "w3" else sp.ones(n, 1)
            return left.T * error
        k = name[1]
        step = v[f"z{k}"].applyfunc(lambda z: sp.Heaviside(z, 0))
        left = self.X if name[0] == "w" else sp.ones(n, 1)
        return (w3_1 if k == "1" else w3_2) * left.T * step.multiply_elementwise(error)


def _derive_jacobians(X: sp.Matrix, y: sp.Matrix, v: dict) -> dict:
    """Each entry ∂output/∂input of the original's list: SymPy's Jacobian of the layer that
    computes ``output``, written in its own input symbols, with respect to ``input``."""
    w = {k: sp.Matrix(PARAMS[3 * (k - 1):3 * (k - 1) + 2]) for k in (1, 2, 3)}
    H = v["h1"].row_join(v["h2"])
    layers = {  # each layer as a function of its own inputs only
        "z1": layer_z(X, w[1], b1), "z2": layer_z(X, w[2], b2), "z3": layer_z(H, w[3], b3),
        "h1": layer_h(v["z1"]), "h2": layer_h(v["z2"]), "y_hat": layer_y_hat(v["z3"]),
        "L": sp.Matrix([layer_loss(v["y_hat"], y)]),
    }
    inputs = {**v, "w1": w[1], "w2": w[2], "w3": w[3], "b1": [b1], "b2": [b2], "b3": [b3]}
    derived = {}
    for edge in EDGES:  # names only: which output, which input
        jacobian = step_convention(layers[edge.output].jacobian(inputs[edge.input]))
        derived[edge.name] = jacobian.T if edge.output == "L" else jacobian  # ∇_ŷ L is a column
    return derived


def build_network(X=None, y=None, n: int | None = None) -> SymbolicNetwork:
    """Build the network symbolically.

    ``build_network()`` uses the XOR rows; ``build_network(n=3)`` uses symbolic
    inputs ``x_i_j`` and labels ``y_i``; ``build_network(X, y)`` any numbers.
    """
    if X is None and n is not None:
        n = as_positive_int(n, "n")
        Xm = sp.Matrix(n, 2, lambda i, j: sp.Symbol(f"x_{i + 1}_{j + 1}", real=True))
        ym = _vector("y", n)
    else:
        if X is None:
            X, y = xor_data()
        X = as_inputs(X)
        y = as_targets(y, X.shape[0])
        Xm = sp.Matrix(X.shape[0], 2, lambda i, j: sp.nsimplify(X[i, j]))
        ym = sp.Matrix([sp.nsimplify(t) for t in y])
    n = Xm.rows
    v = {name: _vector(name, n) for name in ("z1", "h1", "z2", "h2", "z3")}
    v["y_hat"] = _vector("yhat", n)
    forward = {}
    forward["z1"] = layer_z(Xm, sp.Matrix([w1_1, w1_2]), b1)
    forward["h1"] = layer_h(forward["z1"])
    forward["z2"] = layer_z(Xm, sp.Matrix([w2_1, w2_2]), b2)
    forward["h2"] = layer_h(forward["z2"])
    forward["H"] = forward["h1"].row_join(forward["h2"])
    forward["z3"] = layer_z(forward["H"], sp.Matrix([w3_1, w3_2]), b3)
    forward["y_hat"] = layer_y_hat(forward["z3"])
    L = layer_loss(forward["y_hat"], ym)
    return SymbolicNetwork(n=n, X=Xm, y=ym, v=v, forward=forward, L=L,
                           jacobians=_derive_jacobians(Xm, ym, v))


@cache
def xor_network() -> SymbolicNetwork:
    """``build_network()`` on the XOR rows, built once per session."""
    return build_network()


