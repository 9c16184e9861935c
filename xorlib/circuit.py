"""The circuit view of backprop: every node with its forward value and ∂L/∂node.

As in CS231n's circuit diagrams, each node of the 2-2-1 graph shows two
numbers: its value in the forward pass and the gradient of the loss with
respect to it, which flows backward. The batch is the whole of X (L is the
mean over its n rows); the nodes z1 … ŷ show the entries of one row, and the
parameter nodes the gradient of the whole batch (a sum over the rows).

The gradients come from xorlib's local Jacobians, multiplied right to left:
``g_y_hat = ∇_ŷ L``, ``g_z3 = (∂ŷ/∂z3)ᵀ g_y_hat``, ``g_h1 = (∂z3/∂h1)ᵀ g_z3``,
``g_z1 = (∂h1/∂z1)ᵀ g_h1``, ``∇w1 = (∂z1/∂w1)ᵀ g_z1`` … With ``original=True``
they are the original's: its ReLU Jacobian diag(min(1, h)) (error 1) and its
second 1/n on every parameter gradient (error 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from .errata import extra_mean_factor, original_local_jacobians
from .jacobians import local_jacobians, node_gradients
from .loss import _bce_from_logits
from .network import _forward
from .params import as_params
from .validation import as_inputs, as_targets

#: Node -> (x, y) position in the figure and its label.
NODES = {
    "x": ((0.0, 2.0), "x"), "w1": ((0.0, 4.0), "w1"), "b1": ((1.5, 4.6), "b1"),
    "w2": ((0.0, 0.0), "w2"), "b2": ((1.5, -0.6), "b2"),
    "z1": ((3.0, 3.2), "z1"), "z2": ((3.0, 0.8), "z2"), "h1": ((5.0, 3.2), "h1"), "h2": ((5.0, 0.8), "h2"),
    "w3": ((6.6, 4.6), "w3"), "b3": ((8.2, 4.6), "b3"),
    "z3": ((7.4, 2.0), "z3"), "y_hat": ((9.4, 2.0), "ŷ"), "L": ((11.2, 2.0), "L"),
}
EDGES = [("x", "z1"), ("x", "z2"), ("w1", "z1"), ("b1", "z1"), ("w2", "z2"), ("b2", "z2"), ("z1", "h1"),
         ("z2", "h2"), ("h1", "z3"), ("h2", "z3"), ("w3", "z3"), ("b3", "z3"), ("z3", "y_hat"), ("y_hat", "L")]


@dataclass(frozen=True)
class Circuit:
    """Forward value and ∂L/∂node of every node, for one row of the batch."""

    row: int
    values: dict  #: node -> value (a float, or an array for x, w1, w2, w3)
    grads: dict  #: node -> ∂L/∂node (None for the input x)

    def table(self, other: Circuit | None = None) -> str:
        """The nodes in backward order, with their values and gradients (and another circuit's, to compare)."""
        head = f"{'node':<6}{'value':>18}{'dL/dnode':>20}"
        lines = [head + (f"{'original':>20}  differs" if other else "")]
        for node in ["L", "y_hat", "z3", "w3", "b3", "h1", "h2", "z1", "z2", "w1", "b1", "w2", "b2"]:
            line = f"{node:<6}{_text(self.values[node]):>18}{_text(self.grads[node]):>20}"
            if other:
                same = np.allclose(self.grads[node], other.grads[node], rtol=1e-9, atol=1e-12)
                line += f"{_text(other.grads[node]):>20}  {'' if same else 'yes'}"
            lines.append(line)
        return "\n".join(lines)


def _text(value) -> str:
    value = np.atleast_1d(np.round(np.asarray(value, dtype=float), 3) + 0.0)
    return ", ".join(f"{v:+.3f}" for v in value)


def circuit(params, X, y, row: int = 0, original: bool = False) -> Circuit:
    """Every node's value and ∂L/∂node at row ``row`` of the batch (X, y)."""
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    if isinstance(row, bool) or not isinstance(row, (int, np.integer)) or not 0 <= row < X.shape[0]:
        raise ValueError(f"row must be an integer from 0 to {X.shape[0] - 1}, got {row!r}")
    f = _forward(params, X)
    J = (original_local_jacobians if original else local_jacobians)(params, X, y)
    extra = extra_mean_factor(X.shape[0]) if original else 1.0  # error 2, on the parameter gradients
    nodes = node_gradients(J)
    g = {q: nodes[q] for q in ("y_hat", "z3", "h1", "h2", "z1", "z2")}
    params_grads = {k: nodes[k] if k[0] == "w" else nodes[k][0] for k in ("w1", "b1", "w2", "b2", "w3", "b3")}
    values = {"x": X[row], "L": _bce_from_logits(f.z3, y)}
    values.update({k: getattr(params, k) for k in params_grads})
    values.update({k: getattr(f, k)[row] for k in ("z1", "z2", "h1", "h2", "z3", "y_hat")})
    grads = {"x": None, "L": 1.0, **{k: v[row] for k, v in g.items()}}
    grads.update({k: v * extra for k, v in params_grads.items()})
    return Circuit(row, values, grads)


def plot_circuit(params, X, y, row: int = 0, original: bool = False, ax=None, title=None):
    """The graph with each node's forward value and, below it, ∂L/∂node.

    With ``original=True`` the gradients are the original's, and every node
    whose gradient differs from the correct one is outlined in red.
    """
    shown = circuit(params, X, y, row, original)
    y = as_targets(y, as_inputs(X).shape[0])
    correct = circuit(params, X, y, row) if original else shown
    if ax is None:
        fig, ax = plt.subplots(figsize=(13.0, 5.6))
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.93)
    for node, ((x, y0), label) in NODES.items():
        value, grad = shown.values[node], shown.grads[node]
        differs = grad is not None and not np.allclose(grad, correct.grads[node], rtol=1e-9, atol=1e-12)
        parameter = node[0] in "wb"
        value_text = f"({_text(value)})" if np.ndim(value) else _text(value)
        if node == "x":
            value_text = "(" + ", ".join(f"{v:g}" for v in value) + ")"
        grad_text = "" if grad is None else f"\n∂L/∂{label} = " + (
            f"({_text(grad)})" if np.ndim(grad) else _text(grad))
        ax.text(x, y0, f"{label} = {value_text}{grad_text}", ha="center", va="center", fontsize=9.5,
                              linespacing=1.5, zorder=3,
                              bbox=dict(boxstyle="round,pad=0.45", fc="#fff3cd" if parameter else "#dbe9f6",
                                        ec="tab:red" if differs else "0.3", lw=2.6 if differs else 1.0))
    for start, end in EDGES:  # a line between the centres (under the boxes), its arrowhead half-way
        (x0, y0), (x1, y1) = NODES[start][0], NODES[end][0]
        ax.plot([x0, x1], [y0, y1], color="0.45", lw=1.2, zorder=1)
        mid, step = np.array([x0 + x1, y0 + y1]) / 2, np.array([x1 - x0, y1 - y0]) * 0.02
        ax.annotate("", xy=mid + step, xytext=mid - step, zorder=2,
                    arrowprops=dict(arrowstyle="-|>,head_width=0.35,head_length=0.7", color="0.3", lw=1.2))
    x_row = ", ".join(f"{v:g}" for v in shown.values["x"])
    n = len(y)
    ax.text(5.6, -1.6, f"Nodes z1 … ŷ: the row x = ({x_row}) of the batch; first line its forward value, second "
            f"line ∂L/∂node.\nL is the mean loss over all {n} rows; "
            "the parameter nodes show its gradient, a sum over the rows."
            + ("   Red outline: differs from the correct ∂L/∂node." if original else ""),
            ha="center", va="center", fontsize=9.5, color="0.2")
    ax.set_xlim(-1.2, 12.3)
    ax.set_ylim(-2.0, 5.3)
    ax.axis("off")
    ax.set_title(title or ("The original's gradients flowing backward" if original else
                           "Backprop as a circuit: forward value above, ∂L/∂node below"))
    return ax
