"""All of xorlib's figures. Each function takes data and an optional ``ax``,
draws, and returns the figure or axes. None calls ``plt.show()``.

In the notebooks, ``display_figure(fig)`` shows a figure as a PNG only: no
``<Figure ...>`` text reaches the stored output, and nbval (which skips PNG)
compares the numbers printed around it instead.
"""

from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt
import numpy as np

from .network import forward
from .params import Params, as_params
from .validation import as_inputs, as_targets

CLASS_STYLE = {0: dict(marker="o", color="tab:blue", label="y = 0"),
               1: dict(marker="s", color="tab:red", label="y = 1")}


def _axes(ax, figsize=(4.5, 4.0)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def display_figure(fig) -> None:
    """Show ``fig`` in a notebook as a PNG alone, then close it.

    Closing keeps the inline backend from showing it a second time.
    """
    from IPython.display import display

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    display({"image/png": base64.b64encode(buffer.getvalue()).decode("ascii")}, raw=True)


def plot_points(X, y, ax=None, size=80):
    """The data points, marked by class (blue circles y = 0, red squares y = 1)."""
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    ax = _axes(ax)
    for label, style in CLASS_STYLE.items():
        mask = y == label
        ax.scatter(X[mask, 0], X[mask, 1], s=size, edgecolors="black", zorder=3, **style)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    return ax


def plot_decision_boundary(params: Params, X, y, ax=None, margin=0.5, resolution=201, title=None):
    """y_hat over the input square (with a margin), its 0.5 level line, and the points."""
    params = as_params(params)
    ax = _axes(ax)
    grid = np.linspace(-margin, 1.0 + margin, resolution)
    g1, g2 = np.meshgrid(grid, grid)
    y_hat = forward(params, np.column_stack([g1.ravel(), g2.ravel()])).y_hat.reshape(g1.shape)
    filled = ax.contourf(g1, g2, y_hat, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.75)
    if y_hat.min() < 0.5 < y_hat.max():
        ax.contour(g1, g2, y_hat, levels=[0.5], colors="black", linewidths=2)
    ax.figure.colorbar(filled, ax=ax, label=r"$\hat y$", shrink=0.8)
    plot_points(X, y, ax=ax)
    ax.plot([], [], color="black", linewidth=2, label=r"$\hat y = 0.5$")
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.15), ncol=3, fontsize=8, frameon=False)
    ax.set_title(title or "Decision boundary")
    return ax


def plot_loss_curve(history, ax=None, log=False, label=None, title="Training loss"):
    """Loss against epoch from a ``History``; ``log=True`` for a log-scale y axis."""
    ax = _axes(ax, figsize=(5.5, 3.5))
    ax.plot(np.arange(history.losses.shape[0]), history.losses, label=label or f"lr = {history.lr:g}")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean BCE loss")
    if log:
        ax.set_yscale("log")
    ax.set_title(title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_jacobian(matrix, ax=None, title=None, row_label="output index", column_label="input index"):
    """A Jacobian (any size) as a heatmap: zero entries white, so diagonal structure shows."""
    matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float64))
    if matrix.ndim != 2:
        raise ValueError(f"matrix must be 1-D or 2-D, got shape {matrix.shape}")
    ax = _axes(ax, figsize=(3.6, 3.2))
    limit = float(np.max(np.abs(matrix))) or 1.0
    image = ax.imshow(matrix, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="value")
    rows, cols = matrix.shape
    ax.set_xticks(range(cols), [str(j + 1) for j in range(cols)])
    ax.set_yticks(range(rows), [str(i + 1) for i in range(rows)])
    ax.set_xlabel(column_label)
    ax.set_ylabel(row_label)
    ax.set_title(title or f"Jacobian, shape {matrix.shape}")
    return ax
