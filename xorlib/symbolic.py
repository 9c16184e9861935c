"""The seed's network in SymPy: every local Jacobian derived, never typed in.

Each layer is a function of its own inputs only::

    z = X w + b 1           (z1, z2 from X;  z3 from H = [h1, h2])
    h = relu(z) = Max(0, z) (elementwise)
    y' = σ(z3)              (elementwise)
    L = -(1/n)[yᵀ ln y' + (1 - y)ᵀ ln(1 - y')]

A local Jacobian ∂a/∂b is ``Matrix.jacobian`` of a layer with respect to
fresh symbols standing for its input (``z1_1 … z1_n``, ``h1_1 …``, ``y'_1 …``),
so it reads like the seed's formula. ``at_params`` then substitutes the
forward pass, giving the same Jacobian as a function of the 9 parameters.

ReLU'(0): SymPy differentiates ``Max(0, z)`` to ``Heaviside(z)``, which is 1/2
at 0. xorlib's convention is ReLU'(0) = 0, so every derived expression goes
through ``step_convention``, which rewrites it as ``Heaviside(z, 0)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import sympy as sp
from sympy.printing.latex import LatexPrinter

from .data import xor_data
from .jacobians import LocalJacobians
from .params import VECTOR_NAMES, Params, as_params
from .validation import as_inputs, as_positive_int, as_targets

#: The 9 parameter symbols, in the order of ``Params.to_vector()``.
PARAMS = sp.symbols(" ".join(VECTOR_NAMES), real=True)
w1_1, w1_2, b1, w2_1, w2_2, b2, w3_1, w3_2, b3 = PARAMS

#: The seed's "Individual Grad" list, in its order (names as in ``LocalJacobians``).
JACOBIANS = ("grad_y_hat", "y_hat_z3", "z3_h1", "z3_h2", "h1_z1", "h2_z2",
             "z3_w3", "z1_w1", "z2_w2", "z1_b1", "z2_b2", "z3_b3")

#: The seed's "Grad Calculation": each gradient as its chain of local Jacobians,
#: outermost first. ∇_θ L = (J_1)ᵀ (J_2)ᵀ … (J_k)ᵀ ∇_{y'} L.
CHAINS = {
    "w3": ("z3_w3", "y_hat_z3"),
    "w1": ("z1_w1", "h1_z1", "z3_h1", "y_hat_z3"),
    "w2": ("z2_w2", "h2_z2", "z3_h2", "y_hat_z3"),
    "b1": ("z1_b1", "h1_z1", "z3_h1", "y_hat_z3"),
    "b2": ("z2_b2", "h2_z2", "z3_h2", "y_hat_z3"),
    "b3": ("z3_b3", "y_hat_z3"),
}

#: How each symbol and Jacobian is written in LaTeX, as in the notebooks.
JACOBIAN_LATEX = {
    "grad_y_hat": r"\nabla_{y'} L",
    "y_hat_z3": r"\frac{\partial y'}{\partial z_3}",
    "z3_h1": r"\frac{\partial z_3}{\partial h_1}",
    "z3_h2": r"\frac{\partial z_3}{\partial h_2}",
    "h1_z1": r"\frac{\partial h_1}{\partial z_1}",
    "h2_z2": r"\frac{\partial h_2}{\partial z_2}",
    "z3_w3": r"\frac{\partial z_3}{\partial w_3}",
    "z1_w1": r"\frac{\partial z_1}{\partial w_1}",
    "z2_w2": r"\frac{\partial z_2}{\partial w_2}",
    "z1_b1": r"\frac{\partial z_1}{\partial b_1}",
    "z2_b2": r"\frac{\partial z_2}{\partial b_2}",
    "z3_b3": r"\frac{\partial z_3}{\partial b_3}",
}


#: The same names in plain text, for text/plain outputs.
JACOBIAN_TEXT = {
    "grad_y_hat": "∇_y' L", "y_hat_z3": "∂y'/∂z3", "z3_h1": "∂z3/∂h1", "z3_h2": "∂z3/∂h2",
    "h1_z1": "∂h1/∂z1", "h2_z2": "∂h2/∂z2", "z3_w3": "∂z3/∂w3", "z1_w1": "∂z1/∂w1",
    "z2_w2": "∂z2/∂w2", "z1_b1": "∂z1/∂b1", "z2_b2": "∂z2/∂b2", "z3_b3": "∂z3/∂b3",
}


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
    """y' = σ(z3), elementwise."""
    return z3.applyfunc(sigmoid)


def layer_loss(y_hat: sp.Matrix, y: sp.Matrix):
    """L = -(1/n)[yᵀ ln y' + (1 - y)ᵀ ln(1 - y')], a scalar."""
    n = y.rows
    ones = sp.ones(n, 1)
    return -(y.T * y_hat.applyfunc(sp.log) + (ones - y).T * (ones - y_hat).applyfunc(sp.log))[0] / n


@dataclass(frozen=True, eq=False)
class SymbolicNetwork:
    """The seed's network for one n, with its Jacobians and gradients derived.

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
        """Substitute the forward pass: y' -> σ(z3) -> z3(H) -> h = relu(z) -> z(params)."""
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
        """∇_name L as the seed's product of transposed local Jacobians, in the intermediate symbols."""
        result = self.jacobians["grad_y_hat"]
        for factor in reversed(CHAINS[name]):
            result = self.jacobians[factor].T * result
        return result

    def direct_gradient(self, name: str) -> sp.Matrix:
        """∇_name L by SymPy's own derivative of the scalar L(params), ReLU'(0) = 0."""
        return step_convention(sp.Matrix([self.L]).jacobian(self.block(name)).T)

    def closed_form(self, name: str) -> sp.Matrix:
        """The compact form the chain simplifies to, in the intermediate symbols.

        ∇_{w3} L = (1/n) Hᵀ (y' - y),  ∇_{b3} L = (1/n) 1ᵀ (y' - y),
        ∇_{w1} L = (1/n) w3_1 Xᵀ (step(z1) ⊙ (y' - y)),  and likewise.
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
    H = v["h1"].row_join(v["h2"])
    w1, w2, w3 = sp.Matrix([w1_1, w1_2]), sp.Matrix([w2_1, w2_2]), sp.Matrix([w3_1, w3_2])
    z3 = layer_z(H, w3, b3)
    return {
        "grad_y_hat": sp.Matrix([layer_loss(v["y_hat"], y)]).jacobian(v["y_hat"]).T,
        "y_hat_z3": layer_y_hat(v["z3"]).jacobian(v["z3"]),
        "z3_h1": z3.jacobian(v["h1"]),
        "z3_h2": z3.jacobian(v["h2"]),
        "h1_z1": step_convention(layer_h(v["z1"]).jacobian(v["z1"])),
        "h2_z2": step_convention(layer_h(v["z2"]).jacobian(v["z2"])),
        "z3_w3": z3.jacobian(w3),
        "z1_w1": layer_z(X, w1, b1).jacobian(w1),
        "z2_w2": layer_z(X, w2, b2).jacobian(w2),
        "z1_b1": layer_z(X, w1, b1).jacobian([b1]),
        "z2_b2": layer_z(X, w2, b2).jacobian([b2]),
        "z3_b3": z3.jacobian([b3]),
    }


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
    v["y_hat"] = _vector("y'", n)
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


@lru_cache(maxsize=None)
def xor_network() -> SymbolicNetwork:
    """``build_network()`` on the XOR rows, built once per session."""
    return build_network()


# --- The seed's formulas, written as the seed writes them --------------------

def seed_formula(net: SymbolicNetwork, name: str) -> sp.Matrix:
    """The seed's "Individual Grad" entry ``name``, typed in as the seed states it.

    These are the claims to check, so they are the one place formulas are typed
    in. Note ``h1_z1`` and ``h2_z2``: the seed's diag(min(1, h)), which is wrong.
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
class SeedComparison:
    """Whether a derived Jacobian equals the seed's formula, and if not, where not."""

    name: str
    equal: bool
    point: dict | None = None  #: symbol -> value where they differ
    entry: tuple | None = None  #: (row, column) of the first entry that differs
    seed_value: sp.Expr | None = None
    derived_value: sp.Expr | None = None

    def __str__(self) -> str:
        if self.equal:
            return f"{self.name}: derived = seed's formula (the difference simplifies to 0)"
        where = ", ".join(f"{s} = {v}" for s, v in self.point.items())
        return (f"{self.name}: derived != seed's formula. At {where}, entry {self.entry}: "
                f"seed gives {self.seed_value}, derivative is {self.derived_value}")


def compare_with_seed(net: SymbolicNetwork, name: str) -> SeedComparison:
    """Compare the derived Jacobian ``name`` with ``seed_formula(net, name)``.

    Both are put in terms of the pre-activations (h = relu(z), y' = σ(z3)) and
    their difference simplified. If it is not 0, every free symbol is set to
    1/2 to exhibit one entry where they differ.
    """
    v = net.v
    to_z = {v["y_hat"][i]: sigmoid(v["z3"][i]) for i in range(net.n)}
    to_z.update({v[h][i]: relu(v[z][i]) for h, z in (("h1", "z1"), ("h2", "z2")) for i in range(net.n)})
    derived = sp.Matrix(net.jacobians[name]).xreplace(to_z)
    seed = sp.Matrix(seed_formula(net, name)).xreplace(to_z)
    difference = derived - seed
    if all(sp.simplify(entry) == 0 for entry in difference):
        return SeedComparison(name, True)
    symbols = sorted(difference.free_symbols, key=lambda s: s.name)
    point = {s: sp.Rational(1, 2) for s in symbols}
    for index, entry in enumerate(difference):
        if sp.simplify(entry.xreplace(point)) != 0:
            row, col = divmod(index, difference.cols)
            return SeedComparison(name, False, point, (row + 1, col + 1),
                                  sp.simplify(seed[row, col].xreplace(point)),
                                  sp.simplify(derived[row, col].xreplace(point)))
    raise AssertionError(f"{name}: the difference is not 0 symbolically but vanishes at 1/2")


# --- Checking equalities -------------------------------------------------------

def rational_points(net: SymbolicNetwork, count: int = 3, seed: int = 0, min_kink=sp.Rational(1, 20)):
    """``count`` parameter points with rational coordinates (denominator 16, in [-1, 1]),
    each at least ``min_kink`` away from every ReLU kink (when X is numeric)."""
    rng = np.random.default_rng(seed)
    points = []
    while len(points) < count:
        values = [sp.Rational(int(k), 16) for k in rng.integers(-16, 17, size=9)]
        point = dict(zip(PARAMS, values))
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
    """For one row with symbolic n: (∂ℓ/∂y') σ'(z) simplifies to (σ(z) - y)/n.

    Returns (∂ℓ/∂y', ∂y'/∂z, their product with y' = σ(z), its simplified form).
    """
    z, y = sp.symbols("z y", real=True)
    y_hat = sp.Symbol("y'", real=True)
    ell = -(y * sp.log(y_hat) + (1 - y) * sp.log(1 - y_hat)) / n
    d_ell = sp.diff(ell, y_hat)
    d_sigma = sp.diff(sigmoid(z), z)
    product = (d_ell * d_sigma).xreplace({y_hat: sigmoid(z)})
    return d_ell, d_sigma, product, sp.simplify(product)


# --- Numeric functions ----------------------------------------------------------

@lru_cache(maxsize=None)
def _numeric_jacobian_functions(n: int):
    net = build_network(n=n)
    inputs = list(PARAMS) + list(net.X) + list(net.y)
    return {name: sp.lambdify(inputs, net.at_params(net.jacobians[name]), modules="numpy")
            for name in JACOBIANS}


def numeric_jacobians(params: Params, X, y) -> LocalJacobians:
    """Every symbolic Jacobian, lambdified and evaluated at (params, X, y).

    Compiled once per n and cached. Compare with ``xorlib.local_jacobians``.
    """
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    functions = _numeric_jacobian_functions(X.shape[0])
    args = list(params.to_vector()) + list(X.ravel()) + list(y)
    values = {name: np.array(f(*args), dtype=np.float64) for name, f in functions.items()}
    values["grad_y_hat"] = values["grad_y_hat"].reshape(-1)
    return LocalJacobians(**values)


# --- Display ----------------------------------------------------------------------

def _symbol_latex(symbol: sp.Symbol) -> str:
    name = symbol.name
    if name in VECTOR_NAMES:
        base, _, index = name.partition("_")
        return f"{base[0]}_{{{base[1:]}{',' + index if index else ''}}}"
    if name.startswith("y'_"):
        return f"y'_{{{name[3:]}}}"
    if name.startswith("x_"):
        return "x_{{{},{}}}".format(*name[2:].split("_"))
    if "_" in name:
        base, index = name.split("_", 1)
        return f"{base[0]}_{{{base[1:]},{index}}}" if base[1:] else f"{base}_{{{index}}}"
    return sp.latex(symbol)


class _Printer(LatexPrinter):
    """SymPy's LaTeX printer, but Heaviside(z, 0) is written step(z) (θ(z) hides H(0))."""

    def _print_Heaviside(self, expr, exp=None):
        argument, at_zero = expr.args
        name = r"\operatorname{step}" if at_zero == 0 else r"\operatorname{H}_{%s}" % self._print(at_zero)
        text = r"%s\left(%s\right)" % (name, self._print(argument))
        return text if exp is None else r"%s^{%s}" % (text, exp)


def latex(expr) -> str:
    """LaTeX in the notebooks' notation: w_{1,2}, z_{1,3}, y'_{2}, step(z) for Heaviside(z, 0)."""
    expr = sp.sympify(expr)
    names = {s: _symbol_latex(s) for s in expr.free_symbols}
    return _Printer({"symbol_names": names, "mat_delim": "["}).doprint(expr)


class Equation:
    """``lhs = rhs`` for a notebook: rendered as LaTeX, with a plain-text fallback.

    ``lhs`` is LaTeX (e.g. ``JACOBIAN_LATEX["h1_z1"]``); ``rhs`` a SymPy
    expression or matrix, or LaTeX text. Add ``shape`` to print it after.
    """

    def __init__(self, lhs: str, rhs, shape: bool = False, text: str | None = None):
        self.lhs = lhs
        self.text = text or lhs
        self.rhs = rhs
        self.shape = getattr(rhs, "shape", None) if shape else None

    def _repr_latex_(self) -> str:
        rhs = self.rhs if isinstance(self.rhs, str) else latex(self.rhs)
        suffix = rf"\qquad \text{{shape }} {self.shape}" if self.shape else ""
        return rf"$\displaystyle {self.lhs} = {rhs}{suffix}$"

    def __repr__(self) -> str:
        rhs = self.rhs if isinstance(self.rhs, str) else sp.sstr(self.rhs)
        return f"{self.text} = {rhs}" + (f"   shape {self.shape}" if self.shape else "")

    @classmethod
    def jacobian(cls, name: str, rhs, shape: bool = True) -> "Equation":
        """The equation for entry ``name`` of the seed's list, e.g. ``"h1_z1"``."""
        return cls(JACOBIAN_LATEX[name], rhs, shape=shape, text=JACOBIAN_TEXT[name])


# --- The chain rule, checked ------------------------------------------------------

#: ∇_θ L for each block, in LaTeX and in the seed's chain notation.
GRADIENT_LATEX = {name: rf"\nabla_{{{name[0]}_{name[1]}}} L" for name in CHAINS}


def chain_latex(name: str) -> str:
    """The seed's chain for ∇_name L: transposed Jacobians, outermost first, then ∇_{y'} L."""
    factors = "".join(rf"\left({JACOBIAN_LATEX[f]}\right)^\intercal" for f in CHAINS[name])
    return factors + JACOBIAN_LATEX["grad_y_hat"]


@dataclass(frozen=True)
class ChainCheck:
    """The two checks of one chain formula."""

    name: str
    equals_direct_derivative: bool  #: at every rational point
    points: int
    equals_closed_form: bool  #: symbolically, with y' = σ(z3)

    def __str__(self) -> str:
        return (f"∇_{self.name} L: chain = SymPy's direct derivative of L at {self.points} rational points: "
                f"{self.equals_direct_derivative}; chain simplifies to the closed form: {self.equals_closed_form}")


def check_chain(net: SymbolicNetwork, name: str, points: int = 3) -> ChainCheck:
    """Check the seed's chain for ``name`` against SymPy's own derivative of L
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


@lru_cache(maxsize=None)
def _numeric_gradient_function(n: int):
    net = build_network(n=n)
    inputs = list(PARAMS) + list(net.X) + list(net.y)
    blocks = [net.at_params(net.chain(name)) for name in ("w1", "b1", "w2", "b2", "w3", "b3")]
    return sp.lambdify(inputs, sp.Matrix.vstack(*blocks), modules="numpy")


def numeric_gradients(params: Params, X, y) -> Params:
    """The symbolic chain products, lambdified and evaluated at (params, X, y)."""
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    f = _numeric_gradient_function(X.shape[0])
    values = f(*params.to_vector(), *X.ravel(), *y)
    return Params.from_vector(np.asarray(values, dtype=np.float64).ravel())
