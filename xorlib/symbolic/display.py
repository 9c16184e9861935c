"""SymPy expressions and the original's chains as LaTeX in the notebooks' notation."""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

from ..edges import CHAINS, JACOBIAN_LATEX, JACOBIAN_TEXT
from ..params import VECTOR_NAMES


def _symbol_latex(symbol: sp.Symbol) -> str:
    name = symbol.name
    if name in VECTOR_NAMES:
        base, _, index = name.partition("_")
        return f"{base[0]}_{{{base[1:]}{',' + index if index else ''}}}"
    if name.startswith("yhat_"):
        return rf"\hat{{y}}_{{{name[5:]}}}"
    if name == "yhat":
        return r"\hat{y}"
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
    """LaTeX in the notebooks' notation: w_{1,2}, z_{1,3}, ŷ_{2} (SymPy name yhat_2), step(z) for Heaviside(z, 0)."""
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
    def jacobian(cls, name: str, rhs, shape: bool = True) -> Equation:
        """The equation for entry ``name`` of the original's list, e.g. ``"h1_z1"``."""
        return cls(JACOBIAN_LATEX[name], rhs, shape=shape, text=JACOBIAN_TEXT[name])


#: ∇_θ L for each block, in LaTeX and in the original's chain notation.
GRADIENT_LATEX = {name: rf"\nabla_{{{name[0]}_{name[1]}}} L" for name in CHAINS}


def chain_latex(name: str) -> str:
    """The original's chain for ∇_name L: transposed Jacobians, outermost first, then ∇_ŷ L."""
    factors = "".join(rf"\left({JACOBIAN_LATEX[f]}\right)^\intercal" for f in CHAINS[name])
    return factors + JACOBIAN_LATEX["grad_y_hat"]
