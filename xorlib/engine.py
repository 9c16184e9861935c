"""A small reverse-mode engine on arrays: the collection's VJPs, for any graph.

Forward, each operation returns a ``Node`` that records its value, its op and its inputs (``parents``).
Backward, from the loss: every node's gradient is cleared, the loss is seeded with ∂L/∂L = 1, and in
reverse topological order each node hands its gradient to its parents through its op's VJP. A node that
feeds several others (a fan-out) receives one contribution from each, and they are summed.

Each op is written once, in ``OPS``: its forward formula beside its VJP (g = ∇_out L, the gradient that
arrived; shapes: A (n, d), B (d, k) or (d,), b broadcast over the rows of a)::

    matmul       A B                                ∇A = g Bᵀ,  ∇B = Aᵀ g
    add          a + b                              ∇a = g,     ∇b = g summed over the rows b was copied to
    relu         max(0, z)                          step(z) ⊙ g           (ReLU'(0) = 0)
    sigmoid      σ(z)                               σ(z)(1 - σ(z)) ⊙ g
    tanh         tanh(z)                            (1 - tanh²(z)) ⊙ g
    columns      [h_1 … h_k], each (n,)             ∇h_j = column j of g
    scale        c a   (c a number)                 c g
    sum_squares  Σ a²                               2 g a
    bce          (1/n) Σ_i softplus(z_i) - y_i z_i  g (σ(z) - y)/n        (z the logits, y in {0, 1})
    softmax_ce   -(1/n) Σ_i ln softmax(Z_i)_{y_i}   g (P - Y)/n           (Y one-hot, P = softmax(Z) by row)

The two losses take their labels as constants, not as nodes. A VJP never builds a Jacobian: the
softmax Jacobian of row i, diag(p_i) - p_i p_iᵀ, is c x c, and with the cross-entropy it collapses to
p_i - y_i (``xorlib.symbolic.softmax`` derives both).
"""

from __future__ import annotations

import numpy as np

from .loss import _bce_terms
from .network import _sigmoid, step
from .validation import as_float, as_float_array


class Node:
    """One value of the graph: ``value``, the ``op`` that made it (None for a leaf), its ``parents``,
    the constants its op needs (``data``) and, after ``backward``, ``grad`` = ∂L/∂node."""

    __slots__ = ("value", "op", "parents", "data", "name", "grad")

    def __init__(self, value, op=None, parents=(), data=None, name=""):
        self.value, self.op, self.parents, self.data, self.name = value, op, tuple(parents), data, name
        self.grad = None

    def vjp(self, g):
        """The gradients this node hands to its parents, given g = ∂L/∂node: one per parent (none for a leaf)."""
        return () if self.op is None else OPS[self.op][1](g, self)

    def __repr__(self):
        return f"Node({self.name or self.op or 'leaf'}, shape {np.shape(self.value)})"


def leaf(value, name: str = "") -> Node:
    """An input or a parameter: a node made by no op (its value copied, as float64)."""
    return Node(as_float_array(value, name or "value"), name=name)


def _node(x, name):
    if not isinstance(x, Node):
        raise TypeError(f"{name} must be a Node (made by leaf or an op), got {type(x).__name__}")
    return x


def _sum_to(g, shape):
    """g summed over the leading axes that broadcasting added, down to ``shape``."""
    return g.sum(axis=tuple(range(g.ndim - len(shape)))) if g.ndim > len(shape) else g


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _one_hot(labels, classes):
    return np.eye(classes)[labels]


def _ce_terms(Z, labels):
    """-ln softmax(Z_i)_{y_i} per row, from the logits: logsumexp(Z_i) - Z_{i, y_i}."""
    top = Z.max(axis=1)
    return top + np.log(np.exp(Z - top[:, None]).sum(axis=1)) - Z[np.arange(len(labels)), labels]


#: op -> (forward on the parents' values and the op's constants, VJP (g, node) -> one gradient per parent)
OPS = {
    "matmul": (lambda A, B, data: A @ B,
               lambda g, nd: (np.outer(g, nd.parents[1].value) if g.ndim == 1 else g @ nd.parents[1].value.T,
                              nd.parents[0].value.T @ g)),
    "add": (lambda a, b, data: a + b,
            lambda g, nd: (g, _sum_to(g, np.shape(nd.parents[1].value)))),
    "relu": (lambda z, data: np.maximum(z, 0.0),
             lambda g, nd: (step(nd.parents[0].value) * g,)),
    "sigmoid": (lambda z, data: _sigmoid(z),
                lambda g, nd: (nd.value * (1.0 - nd.value) * g,)),
    "tanh": (lambda z, data: np.tanh(z),
             lambda g, nd: ((1.0 - nd.value ** 2) * g,)),
    "columns": (lambda *hs, data: np.column_stack(hs),
                lambda g, nd: tuple(g[:, j].copy() for j in range(g.shape[1]))),
    "scale": (lambda a, data: data * a,
              lambda g, nd: (nd.data * g,)),
    "sum_squares": (lambda a, data: np.sum(a ** 2),
                    lambda g, nd: (2.0 * g * nd.parents[0].value,)),
    "bce": (lambda z, data: np.mean(_bce_terms(z, data)),
            lambda g, nd: (g * (_sigmoid(nd.parents[0].value) - nd.data) / nd.data.shape[0],)),
    "softmax_ce": (lambda Z, data: np.mean(_ce_terms(Z, data)),
                   lambda g, nd: (g * (_softmax(nd.parents[0].value)
                                       - _one_hot(nd.data, nd.parents[0].value.shape[1])) / nd.data.shape[0],)),
}


def apply(op: str, *parents: Node, data=None, name: str = "") -> Node:
    """Run ``op`` forward on its parents' values and record it in the graph."""
    return Node(np.asarray(OPS[op][0](*(p.value for p in parents), data=data), dtype=np.float64),
                op, parents, data, name)


def matmul(A, B, name=""):
    A, B = _node(A, "A"), _node(B, "B")
    if A.value.ndim != 2 or B.value.ndim not in (1, 2) or A.value.shape[1] != B.value.shape[0]:
        raise ValueError(f"matmul needs A of shape (n, d) and B of shape (d, k) or (d,), got A {A.value.shape} "
                         f"and B {B.value.shape}")
    return apply("matmul", A, B, name=name)


def add(a, b, name=""):
    """a + b, with b's shape the trailing part of a's (a bias broadcast over the rows), or equal to it."""
    a, b = _node(a, "a"), _node(b, "b")
    sa, sb = np.shape(a.value), np.shape(b.value)
    if len(sb) > len(sa) or sa[len(sa) - len(sb):] != sb:
        raise ValueError(f"add needs b's shape to be the trailing part of a's (a bias broadcast over rows), "
                         f"got a {sa} and b {sb}")
    return apply("add", a, b, name=name)


def relu(z, name=""):
    return apply("relu", _node(z, "z"), name=name)


def sigmoid(z, name=""):
    return apply("sigmoid", _node(z, "z"), name=name)


def tanh(z, name=""):
    return apply("tanh", _node(z, "z"), name=name)


def columns(*hs, name=""):
    hs = [_node(h, f"columns' input {j + 1}") for j, h in enumerate(hs)]
    if not hs or any(h.value.ndim != 1 or h.value.shape != hs[0].value.shape for h in hs):
        raise ValueError(f"columns needs vectors of one shape (n,), got {[h.value.shape for h in hs]}")
    return apply("columns", *hs, name=name)


def scale(a, c, name=""):
    return apply("scale", _node(a, "a"), data=as_float(c, "c"), name=name)


def sum_squares(a, name=""):
    return apply("sum_squares", _node(a, "a"), name=name)


def bce(z, y, name="L"):
    """Mean BCE from the logits z (n,), labels y in {0, 1}."""
    z = _node(z, "z")
    y = as_float_array(y, "y")
    if z.value.ndim != 1 or y.shape != z.value.shape or not np.all((y == 0) | (y == 1)):
        raise ValueError(f"bce needs logits z of shape (n,) and labels y of the same shape in {{0, 1}}, got z "
                         f"{z.value.shape} and y {y.shape}")
    return apply("bce", z, data=y, name=name)


def softmax_ce(Z, labels, name="L"):
    """Mean cross-entropy of softmax(Z) by row, from the logits Z (n, c), labels in {0, …, c-1}."""
    Z = _node(Z, "Z")
    raw = np.asarray(labels)
    if Z.value.ndim != 2 or raw.shape != (Z.value.shape[0],) or raw.dtype.kind not in "iu" \
            or np.any(raw < 0) or np.any(raw >= Z.value.shape[1]):
        raise ValueError(f"softmax_ce needs logits Z of shape (n, c) and n integer labels in 0 … c-1, got Z "
                         f"{Z.value.shape} and labels {raw.shape} of dtype {raw.dtype}")
    return apply("softmax_ce", Z, data=raw.astype(np.int64), name=name)


def topological_order(loss: Node) -> list[Node]:
    """Every node the loss depends on, each after all of its parents (the loss last)."""
    order, seen, stack = [], set(), [(_node(loss, "loss"), False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
    return order


def backward(loss: Node) -> list[Node]:
    """Fill ``node.grad`` = ∂loss/∂node for every node of the graph; returns them in topological order."""
    order = topological_order(loss)
    if np.shape(loss.value) != ():
        raise ValueError(f"loss must be a scalar node, got shape {np.shape(loss.value)}")
    for node in order:
        node.grad = np.zeros_like(node.value)  # cleared: nothing from an earlier step
    loss.grad = np.ones_like(loss.value)  # the seed, ∂L/∂L = 1
    for node in reversed(order):  # every consumer of a node comes before it
        if node.op is not None:
            for parent, g in zip(node.parents, node.vjp(node.grad)):
                parent.grad = parent.grad + g  # summed at a fan-out
    return order
