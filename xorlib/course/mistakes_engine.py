"""The classic bugs of an autodiff engine, each as the answer it would give (notebook 13a).

Three VJP rules (``matmul``, ``add`` with a bias broadcast over rows, ``relu``) and the backward
sweep. The VJP problems are random arrays of several shapes, one of them square so that a
transpose shows in the values and not only in the shape. The sweep problems are graphs of
``xorlib.engine``: the 2-2-1 network on XOR (X feeds X w1 and X w2), the classifier of
``xorlib.graphs`` with weight decay (each W used twice), and the same classifier with an activity
penalty λ Σ H1² (an inner node, H1, used by two nodes at different depths, where a sweep out of
reverse topological order goes wrong). The buggy sweeps below are the bugs the checker names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import engine as E
from .. import graphs as G
from ..data import noisy_xor, xor_data
from ..params import Params
from .diagnosis import Mistake


@dataclass(frozen=True)
class VJPProblem:
    """The arguments of a VJP rule: g (the gradient that arrived) and the op's inputs."""

    label: str
    args: tuple

    @property
    def where(self) -> str:
        return f" (on {self.label})"

    @property
    def X(self):  # the diagnosis reads n from X: here the rows of g
        return np.atleast_2d(self.args[0])


def _rng_arrays(seed, *shapes):
    rng = np.random.default_rng(seed)
    return tuple(rng.normal(size=shape) for shape in shapes)


def matmul_problems() -> list[VJPProblem]:
    """g (n, k), A (n, d), B (d, k) at (n, d, k) = (5, 3, 2), (4, 2, 3) and (3, 3, 3)."""
    return [VJPProblem(f"g {(n, k)}, A {(n, d)}, B {(d, k)}", _rng_arrays(1300 + n, (n, k), (n, d), (d, k)))
            for n, d, k in ((5, 3, 2), (4, 2, 3), (3, 3, 3))]


def add_problems() -> list[VJPProblem]:
    """g and a (n, k), b (k,) at (n, k) = (5, 3), (2, 4) and (3, 3); g, a (6,) with a scalar b; and two scalars,
    as the classifier's loss adds its data term and its decay term."""
    problems = [VJPProblem(f"a {(n, k)} and b {(k,)}", _rng_arrays(1310 + n, (n, k), (n, k), (k,)))
                for n, k in ((5, 3), (2, 4), (3, 3))]
    g, a = _rng_arrays(1316, (6,), (6,))
    return problems + [VJPProblem("a (6,) and a scalar b, shape ()", (g, a, np.array(0.7))),
                       VJPProblem("a and b both scalars, shape ()", (np.array(-1.3), np.array(0.4), np.array(2.1)))]


def relu_problems() -> list[VJPProblem]:
    """g and z (n, k) with every |z| >= 0.1, at (6, 3), (4,) and (2, 5)."""
    found = []
    for shape in ((6, 3), (4,), (2, 5)):
        g, z = _rng_arrays(1320 + int(np.prod(shape)), shape, shape)
        z = np.where(np.abs(z) < 0.1, np.sign(z + 1e-9) * (0.1 + np.abs(z)), z)
        found.append(VJPProblem(f"z of shape {shape}", (g, z)))
    return found


def relu_kink_problem() -> VJPProblem:
    """z with entries exactly 0, where ReLU has its kink."""
    g, z = _rng_arrays(1329, (3, 4), (3, 4))
    z[0, 1] = z[2, 3] = z[1, 0] = 0.0
    return VJPProblem("z with three entries exactly 0 (ReLU's kink)", (g, z))


def truth_vjp(op: str, problem: VJPProblem) -> dict:
    """The engine's VJP of ``op`` at the problem, as named blocks."""
    g, *inputs = problem.args
    node = E.apply(op, *(E.Node(x, name=f"input {i}") for i, x in enumerate(inputs)))
    names = {"matmul": ("∇A", "∇B"), "add": ("∇a", "∇b"), "relu": ("∇z",)}[op]
    return dict(zip(names, node.vjp(g)))


def _each(function) -> Callable:
    return lambda problem, truth: function(*problem.args)


MATMUL_MISTAKES = [
    Mistake("transposed", "each gradient is the transpose of the right one: ∇A must have A's shape (n, d) and ∇B "
                          "B's shape (d, k); from the Jacobian, ∇A = g Bᵀ and ∇B = Aᵀ g, not (g Bᵀ)ᵀ and (Aᵀ g)ᵀ",
            _each(lambda g, A, B: {"∇A": (g @ B.T).T, "∇B": (A.T @ g).T})),
    Mistake("transposed", "∇A is the transpose of the right one (a transposed matmul VJP): ∇A = g Bᵀ has A's shape",
            _each(lambda g, A, B: {"∇A": (g @ B.T).T, "∇B": A.T @ g}), blocks=("∇A",)),
    Mistake("transposed", "∇B is the transpose of the right one (a transposed matmul VJP): ∇B = Aᵀ g has B's shape",
            _each(lambda g, A, B: {"∇A": g @ B.T, "∇B": (A.T @ g).T}), blocks=("∇B",)),
    Mistake("swapped", "∇A and ∇B are exchanged: the gradient of A is g times Bᵀ, the other input's transpose",
            _each(lambda g, A, B: {"∇A": A.T @ g, "∇B": g @ B.T})),
    Mistake("sign", "every gradient has the wrong sign: a VJP is the transposed Jacobian times g, with no minus",
            _each(lambda g, A, B: {"∇A": -(g @ B.T), "∇B": -(A.T @ g)})),
    Mistake("mean", "every gradient is 1/n of the right one: the 1/n of the mean belongs to the loss's VJP only, "
                    "not to every op",
            _each(lambda g, A, B: {"∇A": g @ B.T / len(g), "∇B": A.T @ g / len(g)})),
]

ADD_MISTAKES = [
    Mistake("mean over rows", "∇b is the mean of g over the rows, 1/n of the right one: b is copied to every row, so "
                              "each copy's gradient adds up (a sum over the rows, not a mean)",
            _each(lambda g, a, b: {"∇a": g, "∇b": g.mean(axis=0) if g.ndim > b.ndim else g}), blocks=("∇b",)),
    Mistake("wrong axis", "∇b is g summed over its columns instead of its rows: b was copied down the rows, so its "
                          "gradient sums over axis 0",
            _each(lambda g, a, b: {"∇a": g, "∇b": g.sum(axis=-1) if g.ndim == 2 else g.sum()}), blocks=("∇b",)),
    Mistake("sign", "the gradients have the wrong sign: adding passes g on unchanged",
            _each(lambda g, a, b: {"∇a": -g, "∇b": -g.sum(axis=tuple(range(g.ndim - b.ndim)))})),
]

RELU_MISTAKES = [
    Mistake("times h", "your answer is relu(z) ⊙ g, the output h times g; ReLU's derivative is the step of z, "
                       "1 where z > 0 and 0 elsewhere", _each(lambda g, z: {"∇z": np.maximum(z, 0) * g})),
    Mistake("min(1, h)", "your answer is min(1, h) ⊙ g: that is the original's ReLU Jacobian (error 1); ReLU'(z) "
                         "is the step of z", _each(lambda g, z: {"∇z": np.minimum(1, np.maximum(z, 0)) * g})),
    Mistake("no g", "your answer is ReLU'(z) alone: a VJP multiplies the local derivative by the gradient g that "
                    "arrived", _each(lambda g, z: {"∇z": (z > 0).astype(float)})),
    Mistake("sign", "the sign is flipped", _each(lambda g, z: {"∇z": -(z > 0) * g})),
]


# --- the backward sweep ------------------------------------------------------------------------

@dataclass(frozen=True)
class GraphProblem:
    """A graph to sweep: ``build()`` makes a fresh one each time (a sweep writes into its nodes)."""

    label: str
    build: Callable
    X: np.ndarray  # the data, for the diagnosis's sizes

    @property
    def where(self) -> str:
        return f" (on {self.label})"


def activity_graph(params: dict, X, labels, decay: float, activity: float) -> G.Graph:
    """The classifier with weight decay, plus an activity penalty λ_H Σ H1²: H1 is used by H1 W2 and by
    Σ H1², which sits much nearer the loss."""
    graph = G.classifier_graph(params, X, labels, decay)
    v = dict(graph.nodes)
    penalty = E.scale(E.sum_squares(v["H1"]), activity, name="activity")
    v["L"] = E.add(v["L"], penalty, name="L + activity")
    return G.Graph(v["L"], v)


def graph_problems() -> list[GraphProblem]:
    X, y = xor_data()
    params = Params(w1=[0.9, -0.6], b1=0.15, w2=[-0.7, 0.8], b2=0.35, w3=[1.4, -0.9], b3=-0.2)
    Xn, yn = noisy_xor(7, 0.1, rng=1305)
    Xc, classes = G.three_classes(4, rng=1306)
    rng = np.random.default_rng(1307)
    classifier = {k: rng.normal(size=np.shape(v)) for k, v in G.init_classifier((2, 4, 3, 3), rng=rng).items()}
    classifier = {k: v + 0.5 if k == "b2" else v for k, v in classifier.items()}  # keep the ReLUs partly on
    return [
        GraphProblem("the 2-2-1 network on XOR, where X feeds X w1 and X w2", lambda: G.xor_graph(params, X, y), X),
        GraphProblem("the 2-2-1 network on 7 noisy points", lambda: G.xor_graph(params, Xn, yn), Xn),
        GraphProblem("the classifier with weight decay, where each W is used twice",
                     lambda: G.classifier_graph(classifier, Xc, classes, 0.05), Xc),
        GraphProblem("the classifier with an activity penalty on H1, an inner node used twice",
                     lambda: activity_graph(classifier, Xc, classes, 0.05, 0.1), Xc),
    ]


def grads_of(graph: G.Graph) -> dict:
    return {name: np.asarray(node.grad, dtype=float) for name, node in graph.nodes.items()}


def truth_sweep(problem: GraphProblem) -> dict:
    return grads_of(problem.build().backward())


def contributions(problem: GraphProblem) -> dict:
    """For each named node used by two or more nodes: the gradient each of its users hands it."""
    graph = problem.build().backward()
    received = {id(node): [] for node in graph.nodes.values()}
    for node in E.topological_order(graph.loss):
        if node.op is not None:
            for parent, g in zip(node.parents, node.vjp(node.grad)):
                if id(parent) in received:
                    received[id(parent)].append(g)
    return {name: received[id(node)] for name, node in graph.nodes.items() if len(received[id(node)]) > 1}


def _order(loss) -> list:
    """Parents before users, written as a learner would (the checker forbids the engine's own)."""
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for parent in node.parents:
                visit(parent)
            order.append(node)
    visit(loss)
    return order


def _clear_and_seed(order, loss):
    for node in order:
        node.grad = np.zeros_like(node.value)
    loss.grad = np.ones_like(loss.value)


def sweep_overwriting(loss):
    """A fan-out keeps the last gradient it was handed."""
    order = _order(loss)
    _clear_and_seed(order, loss)
    for node in reversed(order):
        if node.op is not None:
            for parent, g in zip(node.parents, node.vjp(node.grad)):
                parent.grad = g


def sweep_forward_order(loss):
    """The topological order, not reversed: from the leaves to the loss."""
    order = _order(loss)
    _clear_and_seed(order, loss)
    for node in order:
        if node.op is not None:
            for parent, g in zip(node.parents, node.vjp(node.grad)):
                parent.grad = parent.grad + g


def sweep_recursive(loss):
    """No order at all: each node passes on what it holds whenever a user reaches it, depth first."""
    _clear_and_seed(_order(loss), loss)

    def visit(node):
        if node.op is not None:
            for parent, g in zip(node.parents, node.vjp(node.grad)):
                parent.grad = parent.grad + g
                visit(parent)
    visit(loss)


def sweep_breadth_first(loss):
    """Nodes taken in order of their distance from the loss, each once."""
    _clear_and_seed(_order(loss), loss)
    queue, seen = [loss], {id(loss)}
    while queue:
        node = queue.pop(0)
        if node.op is not None:
            for parent, g in zip(node.parents, node.vjp(node.grad)):
                parent.grad = parent.grad + g
                if id(parent) not in seen:
                    seen.add(id(parent))
                    queue.append(parent)


def _swept(sweep) -> Callable:
    def answer(problem, truth):
        graph = problem.build()
        sweep(graph.loss)
        return grads_of(graph)
    return answer


SWEEP_MISTAKES = [
    Mistake("overwritten at a fan-out", "a node used by two nodes (a fan-out) keeps only the gradient handed to it "
            "last: gradient overwritten instead of accumulated. Each user hands it a part, and the parts add",
            _swept(sweep_overwriting)),
    Mistake("not in reverse topological order", "the sweep runs forward, from the leaves to the loss (not reverse "
            "topological order): every VJP runs before its node has received any gradient",
            _swept(sweep_forward_order)),
    Mistake("not in reverse topological order", "a node passes its gradient on before every node that uses it has "
            "added its part (not reverse topological order): depth first, a node used twice passes on its gradient "
            "twice", _swept(sweep_recursive)),
    Mistake("not in reverse topological order", "a node passes its gradient on before every node that uses it has "
            "added its part (not reverse topological order): taking nodes by their distance from the loss is not "
            "enough when a node is used at two depths", _swept(sweep_breadth_first)),
]
