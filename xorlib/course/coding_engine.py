"""The coding exercises of notebook 13a: three VJP rules of ``xorlib.engine`` and its backward sweep.

Each checker runs the learner's function as untrusted code (``xorlib.course.sandbox.call``) on the
problems of ``xorlib.course.mistakes_engine``, compares with the engine's own rules (which are held
against central differences first), and names the engine bug the evidence fits: a transposed matmul
VJP, a broadcast not reduced over the rows, a gradient overwritten instead of accumulated at a
fan-out, a sweep out of reverse topological order, gradients not cleared between steps, a seed other
than 1; otherwise which parts are wrong and by how much. A function that reaches the engine's own
rule or sweep is told so.
"""

from __future__ import annotations

import numpy as np

from .. import engine as E
from .. import graphs as G
from ..gradcheck import numerical_jacobian
from . import mistakes_engine as M
from .diagnosis import Named, blocks_close, compare
from .sandbox import Forbidden, Wrong, call, describe


def _engine_parts(*ops) -> dict:
    """The engine's own VJP rules for ``ops`` and everything that runs them."""
    found = {f"xorlib.engine.OPS[{op!r}] (its VJP)": E.OPS[op][1] for op in ops}
    return found | _sweeps()


def _sweeps() -> dict:
    from .coding_exercises import gradient_engines
    return gradient_engines() | {
        "xorlib.engine.backward": E.backward, "xorlib.engine.topological_order": E.topological_order,
        "Graph.backward": G.Graph.backward, "graphs.engine_gradients": G.engine_gradients,
        "graphs.wide_engine_gradients": G.wide_engine_gradients,
        "graphs.classifier_gradients": G.classifier_gradients, "graphs.train_classifier": G.train_classifier}


FORBIDDEN = {
    "13a.1": lambda: Forbidden(_engine_parts("matmul") | {"Node.vjp": E.Node.vjp}, "numpy"),
    "13a.2": lambda: Forbidden(_engine_parts("add") | {"Node.vjp": E.Node.vjp}, "numpy"),
    "13a.3": lambda: Forbidden(_engine_parts("relu") | {"Node.vjp": E.Node.vjp}, "numpy"),
    "13a.4": lambda: Forbidden(_sweeps(), "`node.parents`, `node.vjp(g)`, `node.value`, `node.grad` and numpy"),
}


def _check_against_differences(op, problems, truths):
    """The engine's rule must be the transposed Jacobian times g, by central differences."""
    for problem, truth in zip(problems, truths):
        g, *inputs = problem.args
        for i, name in enumerate(truth):
            def f(flat, i=i, inputs=inputs):
                values = list(inputs)
                values[i] = flat.reshape(np.shape(inputs[i]))
                return np.ravel(E.OPS[op][0](*values, data=None))
            J = numerical_jacobian(f, np.ravel(inputs[i]).astype(float))
            if not np.allclose(np.ravel(truth[name]), J.T @ np.ravel(g), rtol=1e-6, atol=1e-8):
                raise RuntimeError(f"the engine's {op} VJP disagrees with central differences")


def _as_parts(value, problem, names, shapes, op):
    """The learner's tuple of gradients, its length, types and shapes checked, with a diagnosis of a wrong shape."""
    if value is None:
        raise Wrong("your function returned None: is a `return` missing?")
    if len(names) == 1:
        value = (value,)
    elif not isinstance(value, (tuple, list)) or len(value) != len(names):
        raise Wrong(f"expected a pair ({', '.join(names)}), one gradient per input, got {describe(value)}")
    parts = {}
    for name, part, shape in zip(names, value, shapes):
        try:
            array = np.array(part, dtype=np.float64)
        except (TypeError, ValueError):
            raise Wrong(f"expected {name} as a numpy array, got {describe(part)}") from None
        if array.shape != shape:
            raise Wrong(_shape_message(op, name, array.shape, shape, problem) + problem.where)
        if not np.all(np.isfinite(array)):
            raise Wrong(f"{name} holds NaN or inf{problem.where}")
        parts[name] = array
    return parts


def _shape_message(op, name, got, expected, problem) -> str:
    g = problem.args[0]
    if op == "add" and name == "∇b" and got == np.shape(g):
        return (f"{name} has shape {got}, the shape of g, where b has shape {expected}: the broadcast is not reduced "
                "over the rows. b was copied to every row, so its gradient is g summed over the rows (axis 0)")
    if op == "add" and name == "∇b" and len(got) == 1 and np.ndim(g) == 2 and got[0] == np.shape(g)[0]:
        return (f"{name} has shape {got}, one entry per row: g was summed over its columns, where b was copied down "
                f"the rows; sum over axis 0, to b's shape {expected}")
    if len(got) == 2 and got == expected[::-1]:
        return (f"{name} has shape {got} where {expected} was expected: rows and columns are exchanged, a transposed "
                "matmul VJP (a gradient has the shape of its input)")
    return f"{name} should have the shape of its input, {expected}, got {got}"


def _vjp_checker(exercise_id, op, problems, names, mistakes, kink=None):
    def checker(function):
        ps = problems()
        truths = [M.truth_vjp(op, p) for p in ps]
        _check_against_differences(op, ps, truths)
        forbidden = FORBIDDEN[exercise_id]()
        answers = []
        for p, t in zip(ps, truths):
            value = call(function, *p.args, where=p.where, names=("g",) + tuple(names_of_args(op)), forbidden=forbidden)
            answers.append(_as_parts(value, p, names, [np.shape(t[n]) for n in names], op))
        compare(answers, truths, ps, mistakes, hard_coded_n=False)
        note = kink(function, forbidden) if kink else ""
        return f"{', '.join(names)} agree with the engine's rule and with central differences on {len(ps)} " \
               f"problems ({'; '.join(p.label for p in ps)}).{note}"
    return checker


def names_of_args(op):
    return {"matmul": ("A", "B"), "add": ("a", "b"), "relu": ("z",)}[op]


def _relu_kink(function, forbidden) -> str:
    problem = M.relu_kink_problem()
    g, z = problem.args
    value = call(function, g, z, where=problem.where, names=("g", "z"), forbidden=forbidden)
    answer = _as_parts(value, problem, ("∇z",), [z.shape], "relu")["∇z"]
    at_zero = z == 0
    if not np.allclose(answer[~at_zero], ((z > 0) * g)[~at_zero], rtol=1e-9, atol=1e-12):
        raise Wrong(f"away from 0 your answer is right, but not{problem.where}: is the step taken of z?")
    ratios = answer[at_zero] / g[at_zero]
    if not (np.allclose(ratios, ratios[0], rtol=1e-9, atol=1e-12) and -1e-12 <= ratios[0] <= 1 + 1e-12):
        raise Wrong(f"at z = 0 exactly{problem.where}, your answer is not g times one value of ReLU'(0) between 0 "
                    "and 1: how does your code treat z = 0? (xorlib takes ReLU'(0) = 0)")
    if abs(ratios[0]) < 1e-12:
        return " At z = 0 exactly it takes ReLU'(0) = 0, as xorlib does."
    return (f" At z = 0 exactly it takes ReLU'(0) = {ratios[0]:.3g}, where xorlib takes 0: any value in [0, 1] is a "
            "subgradient, so this is not wrong, but there it differs from the engine (notebook 04).")


# --- the sweep ---------------------------------------------------------------------------------

def _read_grads(graph, problem) -> dict:
    found = {}
    for name, node in graph.nodes.items():
        if node.grad is None:
            raise Wrong(f"after your backward, node `{name}` has no gradient (its .grad is None){problem.where}: "
                        "does the sweep reach every node the loss depends on, the leaves included?")
        try:
            grad = np.array(node.grad, dtype=np.float64)
        except (TypeError, ValueError):
            raise Wrong(f"node `{name}`'s .grad is {describe(node.grad)}, not an array{problem.where}") from None
        if grad.shape != np.shape(node.value):
            raise Wrong(f"node `{name}`'s gradient has shape {grad.shape}, its value {np.shape(node.value)}"
                        f"{problem.where}: a gradient has the shape of its node")
        found[name] = grad
    return found


def _sweep(function, problem, forbidden, graph=None):
    graph = graph or problem.build()
    call(function, graph.loss, where=problem.where, names=("loss",), forbidden=forbidden)
    return graph, _read_grads(graph, problem)


def _common_factor(answers, truths) -> float | None:
    """c if every gradient of every problem is c times the truth (the same c), else None."""
    a = np.concatenate([np.ravel(x[k]) for x in answers for k in sorted(x)])
    t = np.concatenate([np.ravel(x[k]) for x in truths for k in sorted(x)])
    c = float(a @ t / (t @ t))
    return c if np.allclose(a, c * t, rtol=0, atol=1e-9 * np.max(np.abs(t))) else None


def _diagnose_sweep(answers, truths, problems):
    c = _common_factor(answers, truths)
    if c is not None and abs(c - 1) > 1e-9:
        if abs(c) < 1e-12:
            raise Wrong("every gradient is 0, the loss's own included: the loss must be seeded with ∂L/∂L = 1 "
                        "(a seed other than 1; here 0, or none)", kind="seed")
        raise Wrong(f"every gradient is {c:.3g} times the right one: the loss is seeded with {c:.3g}, not with "
                    "∂L/∂L = 1 (a seed other than 1). Every VJP is linear in what it receives, so the seed scales "
                    "every gradient", kind="seed")
    losses = [float(p.build().loss.value) for p in problems]
    factors = [_common_factor([a], [t]) for a, t in zip(answers, truths)]
    if all(f is not None for f in factors) and np.allclose(factors, losses, rtol=1e-6):
        raise Wrong("every gradient is the loss's value times the right one: the loss is seeded with L, not with "
                    "∂L/∂L = 1 (a seed other than 1)", kind="seed")
    for problem, answer, truth in zip(problems, answers, truths):
        for name, parts in M.contributions(problem).items():
            if not blocks_close({name: answer[name]}, {name: truth[name]}) and any(
                    blocks_close({name: answer[name]}, {name: part}) for part in parts):
                raise Wrong(f"`{name}` is used by {len(parts)} nodes (a fan-out), and its gradient is the part one "
                            f"of them hands back{problem.where}: gradient overwritten instead of accumulated. Each "
                            "user hands it a part, and the parts add (parent.grad + g)", kind="overwritten")
    for problem, answer, truth in zip(problems, answers, truths):  # each graph has its own nodes
        if blocks_close(answer, truth):
            continue
        try:
            compare([answer], [truth], [problem], M.SWEEP_MISTAKES, hard_coded_n=False)
        except Named:
            raise
        except Wrong as wrong:
            _order_evidence(problem, answer, truth)
            raise Wrong(f"{wrong}{problem.where}") from None


def _order_evidence(problem, answer, truth):
    """Right at every node that is not an inner fan-out or upstream of one, and wrong there: the sweep ran a node's
    VJP before all of its users had added their part."""
    graph = problem.build()
    inner = [name for name in M.contributions(problem) if graph.nodes[name].op is not None]
    for name in inner:
        upstream, stack = set(), [graph.nodes[name]]
        while stack:
            node = stack.pop()
            if id(node) not in upstream:
                upstream.add(id(node))
                stack.extend(node.parents)
        names = {k for k, node in graph.nodes.items() if id(node) in upstream}
        rest = [k for k in truth if k not in names]
        if blocks_close(answer, truth, rest) and not blocks_close(answer, truth, sorted(names)):
            raise Wrong(f"every gradient is right down to `{name}`, a node used by two nodes at different depths, "
                        f"and wrong from there on{problem.where}: `{name}` passed its gradient on before every node "
                        "that uses it had added its part (not reverse topological order)", kind="order")


def _sweep_checker(function):
    problems = M.graph_problems()
    truths = [M.truth_sweep(p) for p in problems]
    for problem, truth in zip(problems, truths):  # the engine against central differences of its loss
        leaves = {k: v for k, v in problem.build().nodes.items() if v.op is None and k != "X"}
        for name, node in leaves.items():
            def loss(flat, name=name, problem=problem, node=node):
                graph = problem.build()
                graph.nodes[name].value = flat.reshape(np.shape(node.value))
                return _replay(graph.loss)
            J = numerical_jacobian(loss, np.ravel(node.value))
            if not np.allclose(np.ravel(truth[name]), J[0], rtol=1e-5, atol=1e-7):
                raise RuntimeError("the engine's sweep disagrees with central differences")
    forbidden = FORBIDDEN["13a.4"]()
    answers = [_sweep(function, p, forbidden)[1] for p in problems]
    if not all(blocks_close(a, t) for a, t in zip(answers, truths)):
        _diagnose_sweep(answers, truths, problems)
    for problem, truth in zip(problems, truths):  # a second step on the same graph
        graph, first = _sweep(function, problem, forbidden)
        _, second = _sweep(function, problem, forbidden, graph)
        if not blocks_close(second, truth):
            factor = _common_factor([second], [truth])
            how = " (every gradient twice the right one)" if factor is not None and abs(factor - 2) < 1e-6 else ""
            raise Wrong(f"the first sweep over a graph is right, but a second sweep over the same graph is not{how}"
                        f"{problem.where}: gradients not cleared between steps. Set every node's gradient to zero "
                        "before the sweep adds into them", kind="not cleared")
    return ("every node's gradient agrees with the engine's, and with central differences for the parameters, on "
            f"{len(problems)} graphs ({'; '.join(p.label for p in problems)}), and a second sweep over the same "
            "graph gives the same.")


def _replay(node) -> float:
    """The loss recomputed from the leaves' values (forward again, through the same ops)."""
    cache = {}

    def value(n):
        if n.op is None:
            return n.value
        if id(n) not in cache:
            cache[id(n)] = E.OPS[n.op][0](*(value(p) for p in n.parents), data=n.data)
        return cache[id(n)]
    return float(value(node))


CHECKERS = [
    ("13a.1", "vjp_matmul", _vjp_checker("13a.1", "matmul", M.matmul_problems, ("∇A", "∇B"), M.MATMUL_MISTAKES),
     "The Jacobian of vec(A B) gives ∇A = g Bᵀ and ∇B = Aᵀ g: check that each has its input's shape.", 3),
    ("13a.2", "vjp_add", _vjp_checker("13a.2", "add", M.add_problems, ("∇a", "∇b"), M.ADD_MISTAKES),
     "a + b copies b to every row: ∇a is g, and ∇b adds up the copies' gradients, g summed over the rows.", 3),
    ("13a.3", "vjp_relu", _vjp_checker("13a.3", "relu", M.relu_problems, ("∇z",), M.RELU_MISTAKES, _relu_kink),
     "diag(step(z))ᵀ g is step(z) ⊙ g, with step(z) = 1 where z > 0 and 0 elsewhere.", 3),
    ("13a.4", "backward", _sweep_checker,
     "Clear every gradient, seed the loss with 1, then in reverse topological order add each node's VJP into its "
     "parents' gradients.", 5),
]
