"""All of xorlib's figures. Each function takes data and an optional ``ax``,
draws, and returns the figure or axes. None calls ``plt.show()``.

In the notebooks, ``display_figure(fig, alt)`` shows a figure as a PNG only,
with ``alt`` describing it in words for a reader who cannot see it: no
``<Figure ...>`` text reaches the stored output, and nbval (which skips PNG)
compares the numbers printed around it instead.
"""

from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap

from .edges import EDGES
from .graphs import predict_classes
from .network import _forward, forward
from .params import Params, as_params
from .validation import as_inputs, as_targets

CLASS_STYLE = {0: dict(marker="o", color="tab:blue", label="y = 0"),
               1: dict(marker="s", color="tab:red", label="y = 1")}

#: Okabe and Ito's colours for colour-blind readers (2008). The lines' colours (blue, vermillion, black,
#: reddish purple, bluish green) have at least 3:1 contrast on white, as WCAG asks of a graph's lines;
#: sky blue and orange, paler, only fill areas.
PALETTE = {"blue": "#0072B2", "vermillion": "#D55E00", "black": "#000000", "reddish purple": "#CC79A7",
           "bluish green": "#009E73", "sky blue": "#56B4E9", "orange": "#E69F00"}
#: The styles of the lines of one plot, in order: every two differ in marker, and the first four also in
#: colour and line style, so that no line is told from another by its colour alone. Loss curves take
#: them in turn (``plot_loss_curve``); a notebook's own lines take ``**SERIES[k]``.
SERIES = [dict(color=PALETTE[colour], linestyle=line, marker=marker) for colour, line, marker in [
    ("blue", "-", "o"), ("vermillion", "--", "s"), ("black", "-.", "^"), ("reddish purple", ":", "D"),
    ("bluish green", "-", "v"), ("blue", "--", "P"), ("vermillion", "-.", "X"), ("black", ":", "*")]]
#: How the two predicted classes are shaded: the colour of the class, and dots where y_hat > 0.5.
PREDICTED_SHADE = {0: dict(color="#c6dbef", hatch=None, label=r"predicts 0 ($\hat y < 0.5$)"),
                   1: dict(color="#fcbba1", hatch="..", label=r"predicts 1 ($\hat y > 0.5$)")}


def _axes(ax, figsize=(4.5, 4.0)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def display_figure(fig, alt: str) -> None:
    """Show ``fig`` in a notebook as a PNG alone, described by ``alt``, then close it.

    ``alt`` says in words what the figure shows, with the numbers that matter, for a reader who
    cannot see it: it goes with the PNG as its alt text (output metadata, which the static site and
    the slides turn into the image's ``alt``). It may not be empty or just the figure's title.
    Closing keeps the inline backend from showing the figure a second time.
    """
    from IPython.display import display

    display({"image/png": _described_png(fig, alt)}, raw=True, metadata={"image/png": {"alt": alt.strip()}})


def figure_html(fig, alt: str) -> str:
    """``fig`` as an HTML ``<img>`` described by ``alt``, and closed: for a live view such as the
    explorer's, since JupyterLab does not read the alt text of a PNG output's metadata. (A stored
    output keeps ``display_figure``'s PNG: as HTML, the image's bytes would be compared as text.)"""
    from html import escape

    data = _described_png(fig, alt)
    return f'<img alt="{escape(alt.strip())}" src="data:image/png;base64,{data}">'


def _described_png(fig, alt) -> str:
    """The checked figure as base64 PNG text; the figure is closed."""
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure (e.g. ax.figure), got {type(fig).__name__}")
    if not isinstance(alt, str) or len(alt.strip()) < 20:
        raise ValueError(f"alt must describe the figure in words (at least 20 characters), got {alt!r}")
    titles = {ax.get_title().strip() for ax in fig.axes} | {fig._suptitle.get_text().strip() if fig._suptitle else ""}
    if alt.strip() in titles:
        raise ValueError(f"alt must describe what the figure shows, not repeat its title {alt!r}")
    _refuse_colour_alone(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _refuse_colour_alone(fig) -> None:
    """A figure whose legend tells two lines apart by colour alone is refused: a reader who does not see
    the difference, or prints in grey, could not tell which is which."""
    for ax in fig.axes:
        seen = {}
        for line in ax.get_lines():
            label = line.get_label()
            if label.startswith("_"):  # not in the legend
                continue
            style = (line.get_linestyle(), line.get_marker() if line.get_marker() not in ("", " ", "None") else None)
            if style in seen:
                raise ValueError(f"the lines {seen[style]!r} and {label!r} differ only in colour: give each its "
                                 "own line style or marker (xorlib.plots.SERIES)")
            seen[style] = label


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


def plot_decision_boundary(params: Params, X, y, ax=None, margin=0.5, resolution=201, title=None, colorbar=True):
    """y_hat over the input square (with a margin), its 0.5 level line, and the points.

    ``colorbar=False`` leaves out the colour bar, e.g. for a row of panels that share one.
    """
    params = as_params(params)
    ax = _axes(ax)
    filled = _boundary(params, ax, margin, resolution)
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, label=r"$\hat y$", shrink=0.8)
    plot_points(X, y, ax=ax)
    ax.plot([], [], color="black", linewidth=2, label=r"$\hat y = 0.5$")
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.15), ncol=3, fontsize=8, frameon=False)
    ax.set_title(title or "Decision boundary")
    return ax


def readable_log_scale(ax) -> None:
    """A log-scale y axis labelled in plain numbers (0.7, 0.05, 1e-04), never 7×10⁻¹.

    Over less than a factor of 3 every 1..9 multiple is labelled; up to a factor of
    100, the 1, 2 and 5 multiples; beyond that, the powers of ten alone. Call it after
    plotting, so that the data's range is known.
    """
    from matplotlib import ticker

    ax.set_yscale("log")
    low, high = ax.get_ylim()
    plain = ticker.FuncFormatter(lambda value, _: f"{value:g}")
    ax.yaxis.set_major_formatter(plain)
    if high / low <= 3:
        ax.yaxis.set_minor_locator(ticker.LogLocator(base=10, subs=np.arange(2, 10)))
        ax.yaxis.set_minor_formatter(plain)
    elif high / low <= 100:
        ax.yaxis.set_minor_locator(ticker.LogLocator(base=10, subs=(2.0, 5.0)))
        ax.yaxis.set_minor_formatter(plain)
    else:
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())


def plot_loss_curve(history, ax=None, log=False, label=None, title="Training loss"):
    """Loss against epoch from a ``History``; ``log=True`` for a log-scale y axis.

    A diverged run (``history.diverged``) says so in its legend entry. Curves drawn on one ``ax``
    take the styles of ``SERIES`` in turn.
    """
    from .train import History

    if not isinstance(history, History):
        raise TypeError(f"history must be the History returned by xorlib.train, got {type(history).__name__}")
    ax = _axes(ax, figsize=(5.5, 3.5))
    label = label or f"lr = {history.lr:g}"
    if history.diverged:
        label += " (diverged)"
    style = SERIES[sum(not line.get_label().startswith("_") for line in ax.get_lines()) % len(SERIES)]
    ax.plot(np.arange(history.losses.shape[0]), history.losses, label=label, markevery=0.1, markersize=5, **style)
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean BCE loss")
    if log:
        readable_log_scale(ax)
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


def plot_boundary_snapshots(history, X, y, epochs, ncols=None):
    """The decision boundary of one run at the chosen ``epochs``, side by side."""
    from .train import History

    if not isinstance(history, History):
        raise TypeError(f"history must be the History returned by xorlib.train, got {type(history).__name__}")
    epochs = list(epochs)
    if not epochs:
        raise ValueError("epochs must name at least one epoch to show")
    ncols = ncols or len(epochs)
    nrows = -(-len(epochs) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.3 * ncols, 3.4 * nrows),
                             layout="constrained", squeeze=False)
    for ax, epoch in zip(axes.ravel(), epochs):
        p = history.params_at(epoch)
        filled = _boundary(p, ax, margin=0.5, resolution=121)
        plot_points(X, y, ax=ax, size=50)
        ax.set_title(f"epoch {epoch}: loss {history.losses[epoch]:.3f}")
    for ax in axes.ravel()[len(epochs):]:
        ax.axis("off")
    fig.colorbar(filled, ax=axes, label=r"$\hat y$", shrink=0.8)
    fig.suptitle(r"Decision boundary during training (colour: $\hat y$, black line: $\hat y = 0.5$)")
    from matplotlib.lines import Line2D

    keys = [Line2D([], [], linestyle="none", markeredgecolor="black", markersize=8, **CLASS_STYLE[label])
            for label in (0, 1)] + [Line2D([], [], color="black", linewidth=2, label=r"$\hat y = 0.5$")]
    fig.legend(handles=keys, loc="outside lower center", ncol=3, frameon=False)
    return fig


def _boundary(params, ax, margin, resolution):
    grid = np.linspace(-margin, 1.0 + margin, resolution)
    g1, g2 = np.meshgrid(grid, grid)
    y_hat = _forward(params, np.column_stack([g1.ravel(), g2.ravel()])).y_hat.reshape(g1.shape)
    filled = ax.contourf(g1, g2, y_hat, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.75)
    if y_hat.min() < 0.5 < y_hat.max():
        ax.contour(g1, g2, y_hat, levels=[0.5], colors="black", linewidths=2)
    return filled


def plot_hidden_space(params: Params, X, y, ax=None, title=None):
    """The data mapped to hidden space (h1, h2), with the output unit's 0.5 line.

    The output predicts class 1 where w3_1 h1 + w3_2 h2 + b3 > 0. If the two
    classes fall on opposite sides of that line, the hidden layer has made XOR
    linearly separable.
    """
    params = as_params(params)
    f = forward(params, X)
    y = as_targets(y, f.n)
    ax = _axes(ax)
    points = f.H
    span_max = max(0.3, float(points.max()) * 1.25)
    lo, hi = -0.12 * span_max, span_max
    (a, b), c = params.w3, params.b3
    g1, g2 = np.meshgrid(np.linspace(lo, hi, 150), np.linspace(lo, hi, 150))
    side = a * g1 + b * g2 + c > 0
    if side.any() and not side.all():  # the line crosses this view: draw it (and only then list it)
        t = np.linspace(lo, hi, 200)
        if abs(b) > 1e-12:
            ax.plot(t, -(a * t + c) / b, color="black", linewidth=2, label=r"$\hat y = 0.5$")
        else:
            ax.axvline(-c / a, color="black", linewidth=2, label=r"$\hat y = 0.5$")
    from matplotlib.patches import Patch

    shades = [PREDICTED_SHADE[0], PREDICTED_SHADE[1]]
    ax.contourf(g1, g2, side.astype(float), levels=[-0.5, 0.5, 1.5], colors=[s["color"] for s in shades],
                hatches=[s["hatch"] for s in shades], alpha=0.6)
    shade_keys = [Patch(facecolor=PREDICTED_SHADE[label]["color"], hatch=PREDICTED_SHADE[label]["hatch"], alpha=0.6,
                        label=PREDICTED_SHADE[label]["label"])
                  for label in sorted({int(v) for v in np.unique(side)})]  # a key for each shade in view
    # class 0 drawn large and class 1 small on top, so that inputs of both classes on one point both show
    for label, size in ((0, 130), (1, 45)):
        mask = y == label
        ax.scatter(points[mask, 0], points[mask, 1], s=size, edgecolors="black", zorder=3, **CLASS_STYLE[label])
    _label_hidden_points(ax, f.X, points, tol=0.02 * (hi - lo), left_edge=lo + 0.3 * (hi - lo))
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("$h_1$")
    ax.set_ylabel("$h_2$")
    ax.set_aspect("equal")
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + shade_keys, loc="upper left", bbox_to_anchor=(0.0, -0.15), ncol=3, fontsize=7,
              frameon=False, columnspacing=1.0, handletextpad=0.4)
    ax.set_title(title or "Hidden space (shaded: predicted class)")
    return ax


def _label_hidden_points(ax, X, points, tol, left_edge):
    """Name the input of each hidden point; inputs closer than ``tol`` share one label.

    Points near the left edge (h1 < ``left_edge``) are labelled on their right.
    """
    groups = []  # [point, [input names]]
    for (x1, x2), h in zip(X, points):
        for group in groups:
            if np.max(np.abs(group[0] - h)) < tol:
                group[1].append(f"({x1:g}, {x2:g})")
                break
        else:
            groups.append([h, [f"({x1:g}, {x2:g})"]])
    # alternate above-left and below-right, so that labels of neighbouring points part ways
    offsets = [((-10, 10), "right", "bottom"), ((10, -10), "left", "top")]
    for k, (h, names) in enumerate(sorted(groups, key=lambda g: (g[0][0], g[0][1]))):
        offset, ha, va = ((10, 10), "left", "bottom") if h[0] < left_edge else offsets[k % 2]
        ax.annotate("\n".join(names), (h[0], h[1]), textcoords="offset points", xytext=offset, ha=ha, va=va,
                    fontsize=8, bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8), zorder=2,
                    arrowprops=dict(arrowstyle="-", color="0.4", lw=0.6))


def plot_bce(ax=None):
    """Per-example BCE against the prediction y_hat, for y = 1 and y = 0."""
    ax = _axes(ax, figsize=(5.0, 3.5))
    p = np.linspace(1e-3, 1 - 1e-3, 400)
    ax.plot(p, -np.log(p), color=CLASS_STYLE[1]["color"], label=r"$y = 1$: $-\ln \hat y$")
    ax.plot(p, -np.log(1 - p), color=CLASS_STYLE[0]["color"], linestyle="--", label=r"$y = 0$: $-\ln(1 - \hat y)$")
    ax.axhline(np.log(2), color="grey", linestyle=":", label=r"$\ln 2$ (guessing 0.5)")
    ax.set_xlabel(r"prediction $\hat y$")
    ax.set_ylabel("loss of one example")
    ax.set_ylim(0, 5)
    ax.set_title("Binary cross-entropy rewards confident,\ncorrect predictions")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax


#: Nodes of the computational graph: name -> (x, y) position and LaTeX label.
GRAPH_NODES = {
    "X": ((0.0, 1.0), r"$\mathbf{X}$"),
    "w1": ((0.0, 2.2), r"$\mathbf{w_1}, b_1$"),
    "w2": ((0.0, -0.2), r"$\mathbf{w_2}, b_2$"),
    "z1": ((1.5, 2.0), r"$\mathbf{z_1}$"),
    "z2": ((1.5, 0.0), r"$\mathbf{z_2}$"),
    "h1": ((3.0, 2.0), r"$\mathbf{h_1}$"),
    "h2": ((3.0, 0.0), r"$\mathbf{h_2}$"),
    "w3": ((3.0, 3.2), r"$\mathbf{w_3}, b_3$"),
    "z3": ((4.6, 1.0), r"$\mathbf{z_3}$"),
    "y_hat": ((6.0, 1.0), r"$\hat{\mathbf{y}}$"),
    "L": ((7.4, 1.0), r"$L$"),
}


def _graph_edges() -> list[tuple[str, str, str]]:
    """(start, end, label): the inputs X feed z1 and z2, unlabelled; every other edge comes
    from the table of edges, drawn from its input to its output. A bias shares its weight's
    node (b1 with w1), so its layer's label joins the weight's on one edge."""
    edges = {("X", "z1"): "", ("X", "z2"): ""}
    for edge in EDGES:
        if edge.graph_label:
            start = "w" + edge.input[1:] if edge.input.startswith("b") else edge.input
            key = (start, edge.output)
            edges[key] = "\n".join(label for label in (edges.get(key, ""), edge.graph_label) if label)
    return [(start, end, label) for (start, end), label in edges.items()]


GRAPH_EDGES = _graph_edges()


def plot_computational_graph(ax=None):
    """The original's network as a graph, each edge labelled with its local derivative.

    Drawn with matplotlib alone (no graphviz).
    """
    ax = _axes(ax, figsize=(10.0, 4.2))
    for start, end, label in GRAPH_EDGES:
        (x0, y0), _ = GRAPH_NODES[start]
        (x1, y1), _ = GRAPH_NODES[end]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle="-|>", color="0.35", shrinkA=22, shrinkB=22, lw=1.4))
        if label:
            # two-line labels (a parameter block's weight and bias) sit beside their edge, not on it
            dx = 0.45 if start == "w3" else 0.0
            below = start == "w2"  # below its edge, clear of the edge from X
            ax.text((x0 + x1) / 2 + dx, (y0 + y1) / 2 + (-0.18 if below else 0.18), label, ha="center",
                    va="top" if below else "bottom", fontsize=8.5,
                    color="#6a3d9a", bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9))
    for name, ((x, y), label) in GRAPH_NODES.items():
        parameter = name.startswith("w") or name == "X"
        ax.text(x, y, label, ha="center", va="center", fontsize=12,
                bbox=dict(boxstyle="round,pad=0.4", fc="#fff3cd" if parameter else "#dbe9f6", ec="0.3",
                          linestyle="--" if parameter else "-"))
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(facecolor="#fff3cd", edgecolor="0.3", linestyle="--", label="input or parameter"),
                       Patch(facecolor="#dbe9f6", edgecolor="0.3", label="computed value")],
              loc="lower right", fontsize=8, frameon=False)
    ax.set_xlim(-0.7, 8.0)
    ax.set_ylim(-0.7, 3.7)
    ax.axis("off")
    ax.set_title("The 2-2-1 network; each edge from a parameter or computed quantity "
                 "carries its local derivative (purple)")
    return ax


#: The classes of a classifier with more than two: Okabe and Ito's colours, the first three at least 15 apart
#: (CAM02-UCS) under simulated colour blindness, each with a marker of its own.
CLASS_COLOURS = tuple(PALETTE[name] for name in ("blue", "vermillion", "orange", "sky blue", "bluish green"))
CLASS_MARKERS = ("o", "s", "^", "D", "v")
#: Each predicted region's texture, so that colour is not all that tells the regions apart.
CLASS_HATCHES = (None, "//", "..", "\\\\", "xx")


def plot_class_regions(params: dict, X, labels, ax=None, margin=0.5, resolution=201, title=None):
    """A classifier of ``xorlib.graphs`` (any number of classes): the region of each predicted class over
    the data's box (with a margin), and the points marked by their true class."""
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels)
    classes = int(np.shape(params["W3"])[1])
    ax = _axes(ax, figsize=(5.0, 4.5))
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    g1, g2 = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    regions = predict_classes(params, np.column_stack([g1.ravel(), g2.ravel()])).reshape(g1.shape)
    colours = CLASS_COLOURS[:classes]
    hatches = [CLASS_HATCHES[k % len(CLASS_HATCHES)] for k in range(classes)]
    ax.contourf(g1, g2, regions, levels=np.arange(classes + 1) - 0.5, cmap=ListedColormap(colours), alpha=0.3,
                hatches=hatches)
    # the borders between regions, so that the regions are told apart by more than their colour
    ax.contour(g1, g2, regions, levels=np.arange(classes) + 0.5, colors="black", linewidths=1)
    for k in range(classes):
        mask = labels == k
        ax.scatter(X[mask, 0], X[mask, 1], s=30, color=colours[k], marker=CLASS_MARKERS[k % len(CLASS_MARKERS)],
                   edgecolors="black", linewidths=0.5, label=f"class {k}", zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    from matplotlib.patches import Patch

    handles, _ = ax.get_legend_handles_labels()
    regions = [Patch(facecolor=colours[k], alpha=0.3, hatch=hatches[k], label=f"predicted {k}") for k in range(classes)]
    ax.legend(handles=handles + regions, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    ax.set_title(title or "Predicted class regions")
    return ax
