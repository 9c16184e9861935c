"""The table of edges: each local derivative of the network, one edge of its graph, defined once.

Every entry of the original's "Individual Grad" list is written in one place:
its local Jacobian as an explicit matrix, and its names (code, LaTeX, plain
text, the graph's edge label). Everything that lists the Jacobians
(``LocalJacobians``, the chains, the SymPy name tables, the graph's edges, the
explorer's steps, the circuit's walk) is derived from ``EDGES``.

The vector-Jacobian products are not in the table: they are backprop's own
lines (``xorlib.backprop``), written as notebook 09's equations, whose first
line is the simplified ∇_{z3} L = (ŷ - y)/n rather than the product of the
table's first two entries (that product divides by ŷ and 1 - ŷ). Tests check
backprop against the table's chains multiplied out, at many points and sizes.

Layout (numerator): ∂a/∂b has one row per entry of a, one column per entry of b.
``f`` is a ``ForwardPass``, ``p`` the ``Params`` and ``y`` the labels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .loss import _grad_loss_wrt_y_hat
from .network import step

#: Every quantity of the network: code name -> (LaTeX, plain text).
QUANTITIES = {
    "X": ("X", "X"), "w1": ("w_1", "w1"), "b1": ("b_1", "b1"), "w2": ("w_2", "w2"), "b2": ("b_2", "b2"),
    "w3": ("w_3", "w3"), "b3": ("b_3", "b3"), "z1": ("z_1", "z1"), "h1": ("h_1", "h1"),
    "z2": ("z_2", "z2"), "h2": ("h_2", "h2"), "z3": ("z_3", "z3"), "y_hat": (r"\hat{y}", "ŷ"), "L": ("L", "L"),
}


@dataclass(frozen=True)
class Edge:
    """One edge of the graph: the local derivative ∂output/∂input, with the layer that defines it."""

    output: str  #: the quantity computed, e.g. "h1"
    input: str  #: the quantity it is differentiated with respect to, e.g. "z1"
    jacobian_text: str  #: the explicit Jacobian in plain text, e.g. "diag(step(z1))"
    graph_label: str  #: the same in matplotlib mathtext, as the graph's edge label
    jacobian: Callable  #: (p, f, y) -> the explicit matrix

    @property
    def name(self) -> str:
        """The code name: "h1_z1" for ∂h1/∂z1, and "grad_y_hat" for ∇_ŷ L."""
        return f"grad_{self.input}" if self.output == "L" else f"{self.output}_{self.input}"

    @property
    def latex(self) -> str:
        out, inp = QUANTITIES[self.output][0], QUANTITIES[self.input][0]
        return rf"\nabla_{{{inp}}} L" if self.output == "L" else rf"\frac{{\partial {out}}}{{\partial {inp}}}"

    @property
    def text(self) -> str:
        out, inp = QUANTITIES[self.output][1], QUANTITIES[self.input][1]
        return f"∇_{inp} L" if self.output == "L" else f"∂{out}/∂{inp}"


def _diag(values):
    return np.diag(values)


def _ones(f):
    return np.ones((f.n, 1))


#: The original's "Individual Grad" list, in its order.
EDGES = (
    Edge("L", "y_hat", "-(1/n)[y / ŷ - (1 - y) / (1 - ŷ)]", r"$\nabla_{\hat{y}} L$",
          jacobian=lambda p, f, y: _grad_loss_wrt_y_hat(f.y_hat, y)),
    Edge("y_hat", "z3", "diag(ŷ ⊙ (1 - ŷ))", r"diag$(\hat{y}(1-\hat{y}))$",
          jacobian=lambda p, f, y: _diag(f.y_hat * (1.0 - f.y_hat))),
    Edge("z3", "h1", "w3_1 I", r"$w_{3,1} I$",
          jacobian=lambda p, f, y: p.w3[0] * np.eye(f.n)),
    Edge("z3", "h2", "w3_2 I", r"$w_{3,2} I$",
          jacobian=lambda p, f, y: p.w3[1] * np.eye(f.n)),
    Edge("h1", "z1", "diag(step(z1))", r"diag(step$(z_1)$)",
          jacobian=lambda p, f, y: _diag(step(f.z1))),
    Edge("h2", "z2", "diag(step(z2))", r"diag(step$(z_2)$)",
          jacobian=lambda p, f, y: _diag(step(f.z2))),
    Edge("z3", "w3", "H", r"$\partial z_3/\partial w_3 = H$",
          jacobian=lambda p, f, y: f.H.copy()),
    Edge("z1", "w1", "X", r"$\partial z_1/\partial w_1 = X$",
          jacobian=lambda p, f, y: f.X.copy()),
    Edge("z2", "w2", "X", r"$\partial z_2/\partial w_2 = X$",
          jacobian=lambda p, f, y: f.X.copy()),
    Edge("z1", "b1", "1", r"$\partial z_1/\partial b_1 = 1$",
          jacobian=lambda p, f, y: _ones(f)),
    Edge("z2", "b2", "1", r"$\partial z_2/\partial b_2 = 1$",
          jacobian=lambda p, f, y: _ones(f)),
    Edge("z3", "b3", "1", r"$\partial z_3/\partial b_3 = 1$",
          jacobian=lambda p, f, y: _ones(f)),
)

#: Entry by code name.
BY_NAME = {edge.name: edge for edge in EDGES}
#: The 12 code names, in the original's order.
JACOBIANS = tuple(BY_NAME)
#: How each entry is written in LaTeX and in plain text, as in the notebooks.
JACOBIAN_LATEX = {edge.name: edge.latex for edge in EDGES}
JACOBIAN_TEXT = {edge.name: edge.text for edge in EDGES}


def _chain(block: str) -> tuple[str, ...]:
    """Follow the layers from a parameter block up to L: the Jacobians of its chain, outermost first."""
    names, quantity = [], block
    while quantity != "L":
        edge = next(entry for entry in EDGES if entry.input == quantity)
        names.append(edge.name)
        quantity = edge.output
    return tuple(names[:-1])  # the last link, ∇_ŷ L, is where every chain starts


#: The original's "Grad Calculation", in its order: ∇_θ L = (J_1)ᵀ (J_2)ᵀ … (J_k)ᵀ ∇_ŷ L,
#: as the names of J_1 … J_k for each parameter block θ.
CHAINS = {block: _chain(block) for block in ("w3", "w1", "w2", "b1", "b2", "b3")}


def gradient_latex(quantity: str) -> str:
    """∇_{quantity} L in LaTeX, e.g. \\nabla_{z_3} L."""
    return rf"\nabla_{{{QUANTITIES[quantity][0]}}} L"
