"""The collection's networks written as graphs of ``xorlib.engine``, and one beyond XOR.

- ``xor_graph``: the 2-2-1 network node by node, as in the original's equations
  (z1 = X w1 + b1, h1 = relu(z1), …, L = mean BCE from z3). X feeds X w1 and X w2: a fan-out.
- ``wide_graph``: the width-k network of ``xorlib.wide``, Z1 = X W1 + b1 in one matmul.
- ``classifier_graph``: 2 -> tanh -> ReLU -> softmax over c classes, with weight decay
  λ Σ ||W||² over the weight matrices. Each W reaches the loss by two paths, the data term and
  the decay term, and its gradient is the sum of both.

``engine_gradients`` and ``wide_engine_gradients`` run the engine and return the same types as
``xorlib.gradients`` and ``xorlib.wide.backward``, so the two can be compared entry by entry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import engine as E
from .params import Params, as_params
from .validation import as_float, as_float_array, as_inputs, as_positive_int, as_targets
from .wide import WideParams, _checked

#: The blocks of a classifier, in order: weights W1, W2, W3 and biases b1, b2, b3.
CLASSIFIER_BLOCKS = ("W1", "b1", "W2", "b2", "W3", "b3")


@dataclass(frozen=True, eq=False)
class Graph:
    """A built graph: its loss node and every named node (parameters, inputs, intermediates)."""

    loss: E.Node
    nodes: dict

    def backward(self) -> Graph:
        E.backward(self.loss)
        return self

    def grad(self, name: str) -> np.ndarray:
        return self.nodes[name].grad


def _leaves(blocks: dict) -> dict:
    return {name: E.leaf(value, name) for name, value in blocks.items()}


def xor_graph(params: Params, X, y) -> Graph:
    """The 2-2-1 network of ``xorlib.network`` as engine nodes, named as there."""
    p = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    v = _leaves({"X": X, "w1": p.w1, "b1": p.b1, "w2": p.w2, "b2": p.b2, "w3": p.w3, "b3": p.b3})
    v["z1"] = E.add(E.matmul(v["X"], v["w1"], name="X w1"), v["b1"], name="z1")
    v["h1"] = E.relu(v["z1"], name="h1")
    v["z2"] = E.add(E.matmul(v["X"], v["w2"], name="X w2"), v["b2"], name="z2")
    v["h2"] = E.relu(v["z2"], name="h2")
    v["H"] = E.columns(v["h1"], v["h2"], name="H")
    v["z3"] = E.add(E.matmul(v["H"], v["w3"], name="H w3"), v["b3"], name="z3")
    v["L"] = E.bce(v["z3"], y)
    return Graph(v["L"], v)


def engine_gradients(params: Params, X, y) -> Params:
    """∇L of the 2-2-1 network by the engine, as a ``Params`` (compare ``xorlib.gradients``)."""
    g = xor_graph(params, X, y).backward()
    return Params(**{name: g.grad(name) for name in ("w1", "b1", "w2", "b2", "w3", "b3")})


def wide_graph(params: WideParams, X, y) -> Graph:
    """The width-k network of ``xorlib.wide`` as engine nodes."""
    p, X, y = _checked(params, X, y)
    v = _leaves({"X": X, **p.blocks()})
    v["Z1"] = E.add(E.matmul(v["X"], v["W1"], name="X W1"), v["b1"], name="Z1")
    v["H"] = E.relu(v["Z1"], name="H")
    v["z3"] = E.add(E.matmul(v["H"], v["w3"], name="H w3"), v["b3"], name="z3")
    v["L"] = E.bce(v["z3"], y)
    return Graph(v["L"], v)


def wide_engine_gradients(params: WideParams, X, y) -> WideParams:
    """∇L of the width-k network by the engine (compare ``xorlib.wide.backward``)."""
    g = wide_graph(params, X, y).backward()
    return WideParams(g.grad("W1"), g.grad("b1"), g.grad("w3"), float(g.grad("b3")))


# --- beyond XOR: several classes, softmax, weight decay ------------------------------------------

def three_classes(n_per_class: int = 30, spread: float = 0.55, rng=0) -> tuple[np.ndarray, np.ndarray]:
    """Three clouds of points in the plane, centred on a circle of radius 1 at 90°, 210° and 330°:
    X (3 n_per_class, 2), integer labels 0, 1, 2 (each cloud N(centre, spread² I))."""
    n_per_class = as_positive_int(n_per_class, "n_per_class")
    spread = as_float(spread, "spread")
    if spread < 0:
        raise ValueError(f"spread must be >= 0, got {spread}")
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    angles = np.deg2rad([90.0, 210.0, 330.0])
    centres = np.column_stack([np.cos(angles), np.sin(angles)])
    labels = np.repeat(np.arange(3), n_per_class)
    return centres[labels] + rng.normal(0.0, spread, size=(labels.size, 2)), labels


def init_classifier(sizes=(2, 4, 3, 3), rng=0) -> dict:
    """Weights U(-1/√fan_in, 1/√fan_in) and biases 0.1, for layers of ``sizes`` (input, tanh, ReLU, classes)."""
    if len(sizes) != 4:
        raise ValueError(f"sizes must be (inputs, tanh units, ReLU units, classes), got {sizes!r}")
    d, k1, k2, c = (as_positive_int(s, f"sizes[{i}]") for i, s in enumerate(sizes))
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    blocks = {}
    for i, (fan_in, fan_out) in enumerate([(d, k1), (k1, k2), (k2, c)], start=1):
        limit = 1.0 / np.sqrt(fan_in)
        blocks[f"W{i}"] = rng.uniform(-limit, limit, size=(fan_in, fan_out))
        blocks[f"b{i}"] = np.full(fan_out, 0.1)
    return blocks


def _classifier_blocks(params) -> dict:
    if not isinstance(params, dict) or set(params) != set(CLASSIFIER_BLOCKS):
        raise TypeError(f"params must be a dict with the blocks {list(CLASSIFIER_BLOCKS)}, got "
                        f"{sorted(params) if isinstance(params, dict) else type(params).__name__}")
    return {name: as_float_array(params[name], f"params[{name!r}]") for name in CLASSIFIER_BLOCKS}


def _labels(labels, n: int, classes: int) -> np.ndarray:
    raw = np.asarray(labels)
    if raw.shape != (n,) or raw.dtype.kind not in "iu" or np.any(raw < 0) or np.any(raw >= classes):
        raise ValueError(f"labels must be {n} integers in 0 … {classes - 1} (one per row of X), got shape "
                         f"{raw.shape} and dtype {raw.dtype}")
    return raw


def _checked_classifier(params, X, labels, decay):
    p = _classifier_blocks(params)
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != p["W1"].shape[0]:
        raise ValueError(f"X must have shape (n, {p['W1'].shape[0]}) to match W1 {p['W1'].shape}, got {X.shape}")
    labels = _labels(labels, X.shape[0], p["W3"].shape[1])
    decay = as_float(decay, "decay")
    if decay < 0:
        raise ValueError(f"decay must be >= 0, got {decay}")
    return p, X, labels, decay


def _classifier_graph(p: dict, X, labels, decay: float) -> Graph:
    v = {name: E.Node(value, name=name) for name, value in {"X": X, **p}.items()}  # checked already
    v["Z1"] = E.add(E.matmul(v["X"], v["W1"], name="X W1"), v["b1"], name="Z1")
    v["H1"] = E.tanh(v["Z1"], name="H1")
    v["Z2"] = E.add(E.matmul(v["H1"], v["W2"], name="H1 W2"), v["b2"], name="Z2")
    v["H2"] = E.relu(v["Z2"], name="H2")
    v["logits"] = E.add(E.matmul(v["H2"], v["W3"], name="H2 W3"), v["b3"], name="logits")
    v["data_loss"] = E.softmax_ce(v["logits"], labels, name="data_loss")
    squares = [E.sum_squares(v[w], name=f"||{w}||²") for w in ("W1", "W2", "W3")]
    v["decay_loss"] = E.scale(E.add(E.add(squares[0], squares[1], name="sum"), squares[2], name="sum"), decay,
                              name="decay_loss")
    v["L"] = E.add(v["data_loss"], v["decay_loss"], name="L")
    return Graph(v["L"], v)


def classifier_graph(params: dict, X, labels, decay: float = 0.0) -> Graph:
    """L = mean cross-entropy of softmax(logits) + decay Σ_i ||W_i||², with
    H1 = tanh(X W1 + b1), H2 = relu(H1 W2 + b2), logits = H2 W3 + b3."""
    return _classifier_graph(*_checked_classifier(params, X, labels, decay))


def classifier_loss(params: dict, X, labels, decay: float = 0.0) -> float:
    return float(classifier_graph(params, X, labels, decay).loss.value)


def classifier_gradients(params: dict, X, labels, decay: float = 0.0) -> dict:
    """∇L for every block, by the engine."""
    g = classifier_graph(params, X, labels, decay).backward()
    return {name: g.grad(name) for name in CLASSIFIER_BLOCKS}


def numerical_block_gradient(loss, params: dict, eps: float = 1e-6) -> dict:
    """Central differences of ``loss(params)`` over every entry of every block of a dict of arrays."""
    p = {name: np.array(value, dtype=np.float64) for name, value in params.items()}
    grads = {}
    for name, block in p.items():
        grad = np.zeros_like(block)
        for index in np.ndindex(block.shape):
            saved = block[index]
            block[index] = saved + eps
            plus = loss(p)
            block[index] = saved - eps
            minus = loss(p)
            block[index] = saved
            grad[index] = (plus - minus) / (2 * eps)
        grads[name] = grad
    return grads


def predict_classes(params: dict, X) -> np.ndarray:
    """The class of largest logit for each row of X."""
    p = _classifier_blocks(params)
    X = as_float_array(X, "X")
    H2 = np.maximum(np.tanh(X @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"], 0.0)
    return np.argmax(H2 @ p["W3"] + p["b3"], axis=1)


def train_classifier(params: dict, X, labels, decay: float = 1e-3, lr: float = 0.5,
                     epochs: int = 500) -> tuple[dict, np.ndarray]:
    """Full-batch gradient descent with the engine's gradients. Returns (final params, the loss before
    each step and after the last, shape (epochs + 1,))."""
    p, X, labels, decay = _checked_classifier(params, X, labels, decay)
    lr, epochs = as_float(lr, "lr"), as_positive_int(epochs, "epochs")
    if lr <= 0:
        raise ValueError(f"lr must be positive, got {lr}")
    losses = np.empty(epochs + 1)
    for epoch in range(epochs + 1):
        graph = _classifier_graph(p, X, labels, decay)
        losses[epoch] = graph.loss.value
        if epoch < epochs:
            graph.backward()
            p = {name: p[name] - lr * graph.grad(name) for name in CLASSIFIER_BLOCKS}
    return p, losses
