"""The layer table: each local derivative of the network, defined once.

Like autograd's ``defvjp``, every entry of the original's "Individual Grad" list
is written in one place: the layer's forward formula, its local Jacobian as an
explicit matrix, the vector-Jacobian product that the Jacobian's transpose
performs, and its names (code, LaTeX, plain text). Everything that lists the
Jacobians (``LocalJacobians``, the chains, the SymPy name tables, the graph's
edges, the explorer's steps) is derived from ``LAYERS``.

Layout (numerator): ∂a/∂b has one row per entry of a, one column per entry of b.
A VJP maps g = ∇_a L to ∇_b L = (∂a/∂b)ᵀ g. ``f`` is a ``ForwardPass``, ``p``
the ``Params`` and ``y`` the labels; ``g`` and ``g_L`` are upstream gradients.
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
class Layer:
    """One local derivative ∂output/∂input, with the layer that defines it."""

    output: str  #: the quantity computed, e.g. "h1"
    input: str  #: the quantity it is differentiated with respect to, e.g. "z1"
    forward: str  #: the layer's formula, e.g. "h1 = relu(z1)"
    jacobian_text: str  #: the explicit Jacobian in plain text, e.g. "diag(step(z1))"
    graph_label: str  #: the same in matplotlib mathtext, as the graph's edge label
    jacobian: Callable  #: (p, f, y) -> the explicit matrix
    vjp: Callable  #: (p, f, y, g) -> (∂output/∂input)ᵀ g

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
LAYERS = (
    Layer("L", "y_hat", "L = -(1/n)[yᵀ ln ŷ + (1 - y)ᵀ ln(1 - ŷ)]",
          "-(1/n)[y / ŷ - (1 - y) / (1 - ŷ)]", r"$\nabla_{\hat{y}} L$",
          jacobian=lambda p, f, y: _grad_loss_wrt_y_hat(f.y_hat, y),
          vjp=lambda p, f, y, g_L: g_L * _grad_loss_wrt_y_hat(f.y_hat, y)),
    Layer("y_hat", "z3", "ŷ = σ(z3)", "diag(ŷ ⊙ (1 - ŷ))", r"diag$(\hat{y}(1-\hat{y}))$",
          jacobian=lambda p, f, y: _diag(f.y_hat * (1.0 - f.y_hat)),
          vjp=lambda p, f, y, g: f.y_hat * (1.0 - f.y_hat) * g),
    Layer("z3", "h1", "z3 = H w3 + b3", "w3_1 I", r"$w_{3,1} I$",
          jacobian=lambda p, f, y: p.w3[0] * np.eye(f.n),
          vjp=lambda p, f, y, g: p.w3[0] * g),
    Layer("z3", "h2", "z3 = H w3 + b3", "w3_2 I", r"$w_{3,2} I$",
          jacobian=lambda p, f, y: p.w3[1] * np.eye(f.n),
          vjp=lambda p, f, y, g: p.w3[1] * g),
    Layer("h1", "z1", "h1 = relu(z1)", "diag(step(z1))", r"diag(step$(z_1)$)",
          jacobian=lambda p, f, y: _diag(step(f.z1)),
          vjp=lambda p, f, y, g: step(f.z1) * g),
    Layer("h2", "z2", "h2 = relu(z2)", "diag(step(z2))", r"diag(step$(z_2)$)",
          jacobian=lambda p, f, y: _diag(step(f.z2)),
          vjp=lambda p, f, y, g: step(f.z2) * g),
    Layer("z3", "w3", "z3 = H w3 + b3", "H", r"$\partial z_3/\partial w_3 = H$",
          jacobian=lambda p, f, y: f.H.copy(),
          vjp=lambda p, f, y, g: f.H.T @ g),
    Layer("z1", "w1", "z1 = X w1 + b1", "X", r"$\partial z_1/\partial w_1 = X$",
          jacobian=lambda p, f, y: f.X.copy(),
          vjp=lambda p, f, y, g: f.X.T @ g),
    Layer("z2", "w2", "z2 = X w2 + b2", "X", r"$\partial z_2/\partial w_2 = X$",
          jacobian=lambda p, f, y: f.X.copy(),
          vjp=lambda p, f, y, g: f.X.T @ g),
    Layer("z1", "b1", "z1 = X w1 + b1", "1", r"$\partial z_1/\partial b_1 = 1$",
          jacobian=lambda p, f, y: _ones(f),
          vjp=lambda p, f, y, g: np.sum(g, keepdims=True)),
    Layer("z2", "b2", "z2 = X w2 + b2", "1", r"$\partial z_2/\partial b_2 = 1$",
          jacobian=lambda p, f, y: _ones(f),
          vjp=lambda p, f, y, g: np.sum(g, keepdims=True)),
    Layer("z3", "b3", "z3 = H w3 + b3", "1", r"$\partial z_3/\partial b_3 = 1$",
          jacobian=lambda p, f, y: _ones(f),
          vjp=lambda p, f, y, g: np.sum(g, keepdims=True)),
)

#: Entry by code name.
BY_NAME = {layer.name: layer for layer in LAYERS}
#: The 12 code names, in the original's order.
JACOBIANS = tuple(BY_NAME)
#: How each entry is written in LaTeX and in plain text, as in the notebooks.
JACOBIAN_LATEX = {layer.name: layer.latex for layer in LAYERS}
JACOBIAN_TEXT = {layer.name: layer.text for layer in LAYERS}


def _chain(block: str) -> tuple[str, ...]:
    """Follow the layers from a parameter block up to L: the Jacobians of its chain, outermost first."""
    names, quantity = [], block
    while quantity != "L":
        layer = next(entry for entry in LAYERS if entry.input == quantity)
        names.append(layer.name)
        quantity = layer.output
    return tuple(names[:-1])  # the last link, ∇_ŷ L, is where every chain starts


#: The original's "Grad Calculation", in its order: ∇_θ L = (J_1)ᵀ (J_2)ᵀ … (J_k)ᵀ ∇_ŷ L,
#: as the names of J_1 … J_k for each parameter block θ.
CHAINS = {block: _chain(block) for block in ("w3", "w1", "w2", "b1", "b2", "b3")}


def gradient_latex(quantity: str) -> str:
    """∇_{quantity} L in LaTeX, e.g. \\nabla_{z_3} L."""
    return rf"\nabla_{{{QUANTITIES[quantity][0]}}} L"
