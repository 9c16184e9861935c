"""Notebook 13a's checkers: the engine's VJP rules and its backward sweep. The worked solutions pass;
each classic engine bug gets a message that names it; reaching the engine's own rule or sweep is refused."""

import numpy as np
import pytest

import xorlib
from xorlib import engine as E
from xorlib.course import mistakes_engine as M
from xorlib.course.exercises import check
from xorlib.course.keys.coding import FUNCTIONS


def solution(exercise_id):
    namespace = dict(np=np, xorlib=xorlib)
    exec(FUNCTIONS[exercise_id], namespace)
    return namespace[{"13a.1": "vjp_matmul", "13a.2": "vjp_add", "13a.3": "vjp_relu", "13a.4": "backward"}[exercise_id]]


def wrong(exercise_id, function, *phrases):
    feedback = check(exercise_id, function)
    assert feedback.status == "wrong", feedback
    for phrase in phrases:
        assert phrase in feedback.message, (phrase, feedback.message)
    assert "Hint:" in feedback.message and "\n" not in feedback.message and "Traceback" not in feedback.message
    return feedback.message


def sweep(loss, clear=True, seed=1.0, add=True, order="reverse"):
    """A learner's sweep with one bug switched on at a time: its own depth-first order, like the worked solution."""
    found, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for parent in node.parents:
                visit(parent)
            found.append(node)
    visit(loss)
    for node in found:
        if clear or node.grad is None:
            node.grad = np.zeros_like(node.value)
    loss.grad = np.array(loss.value) if seed == "L" else seed * np.ones_like(loss.value)
    walk = {"reverse": found[::-1], "forward": found}.get(order)
    if order == "recursive":
        def push(node):
            for parent, g in zip(node.parents, node.vjp(node.grad)):
                parent.grad = parent.grad + g
                push(parent)
        push(loss)
        return
    for node in walk:
        for parent, g in zip(node.parents, node.vjp(node.grad)):
            parent.grad = parent.grad + g if add else g


@pytest.mark.parametrize("exercise_id", ["13a.1", "13a.2", "13a.3", "13a.4"])
def test_the_worked_solution_passes(exercise_id):
    assert check(exercise_id, solution(exercise_id)).correct


def test_the_test_sweep_without_bugs_passes():
    assert check("13a.4", sweep).correct


# --- the sweep: each engine bug named -------------------------------------------------------------

def test_a_gradient_overwritten_at_a_fan_out_is_named():
    wrong("13a.4", lambda loss: sweep(loss, add=False), "gradient overwritten instead of accumulated", "`X`",
          "fan-out")


def test_the_label_of_the_xor_graph_names_the_nodes_that_use_X():
    problem = M.graph_problems()[0]
    graph = problem.build()
    users = [node.name for node in E.topological_order(graph.loss) if graph.nodes["X"] in node.parents]
    assert users == ["X w1", "X w2"]
    assert problem.label.endswith("where X feeds X w1 and X w2")
    assert "feeds z1" not in problem.label


def test_a_weight_overwritten_where_weight_decay_uses_it_twice_is_named():
    """Where X is not a node of the graph, the first fan-out is a weight used by its matmul and by the decay term."""
    problem = M.graph_problems()[2]
    graph = problem.build()
    sweep(graph.loss, add=False)
    truth = problem.build().backward()
    assert not np.allclose(graph.nodes["W1"].grad, truth.grad("W1"))
    parts = M.contributions(problem)["W1"]
    assert len(parts) == 2 and any(np.allclose(graph.nodes["W1"].grad, part) for part in parts)


def test_a_sweep_in_forward_order_is_named():
    wrong("13a.4", lambda loss: sweep(loss, order="forward"), "not reverse topological order",
          "runs forward, from the leaves to the loss")


def test_a_recursive_sweep_without_an_order_is_named():
    wrong("13a.4", lambda loss: sweep(loss, order="recursive"), "not reverse topological order")


def test_a_breadth_first_sweep_is_named():
    wrong("13a.4", M.sweep_breadth_first, "not reverse topological order", "two depths")


def test_gradients_not_cleared_between_steps_are_named():
    wrong("13a.4", lambda loss: sweep(loss, clear=False), "not cleared between steps")


@pytest.mark.parametrize("seed, phrase", [(0.5, "seeded with 0.5"), (2.0, "seeded with 2"),
                                          (0.0, "every gradient is 0"), ("L", "seeded with L")])
def test_a_seed_other_than_1_is_named(seed, phrase):
    wrong("13a.4", lambda loss: sweep(loss, seed=seed), phrase, "seed other than 1")


def test_a_node_left_without_a_gradient_is_named():
    def leaves_H_out(loss):
        sweep(loss)
        loss.parents[0].parents[0].parents[0].grad = None  # L <- z3 <- H w3 <- H
    wrong("13a.4", leaves_H_out, "node `H` has no gradient")


def test_calling_the_engines_sweep_or_order_is_refused():
    wrong("13a.4", lambda loss: E.backward(loss), "reaches xorlib's `xorlib.engine.backward`")
    wrong("13a.4", lambda loss: [None for _ in E.topological_order(loss)] and sweep(loss),
          "`xorlib.engine.topological_order`")


# --- the VJP rules ---------------------------------------------------------------------------------

def test_a_transposed_matmul_vjp_is_named_by_its_shape_and_by_its_values():
    wrong("13a.1", lambda g, A, B: ((g @ B.T).T, A.T @ g), "transposed matmul VJP")
    square = M.matmul_problems()[2]  # on a square problem only the values show it
    g, A, B = square.args
    from xorlib.course.diagnosis import Named, compare
    truth = M.truth_vjp("matmul", square)
    with pytest.raises(Named, match="transpose of the right one"):
        compare([{"∇A": (g @ B.T).T, "∇B": A.T @ g}], [truth], [square], M.MATMUL_MISTAKES, hard_coded_n=False)


def test_matmul_gradients_exchanged_or_divided_by_n_are_named():
    wrong("13a.1", lambda g, A, B: (g @ B.T / len(g), A.T @ g / len(g)), "belongs to the loss's VJP only")
    wrong("13a.1", lambda g, A, B: (-(g @ B.T), -(A.T @ g)), "wrong sign")


def test_a_broadcast_not_reduced_over_the_rows_is_named():
    wrong("13a.2", lambda g, a, b: (g, g), "broadcast is not reduced over the rows")


def test_a_bias_rule_that_fails_on_two_scalars_is_caught_by_the_checker():
    """The classifier's loss adds two scalars; a rule that reads a.shape[0] passes the other problems."""
    assert any(np.shape(p.args[1]) == () == np.shape(p.args[2]) for p in M.add_problems())
    graph = xorlib.graphs.classifier_graph(xorlib.graphs.init_classifier(rng=1), *xorlib.graphs.three_classes(4), 0.1)
    assert any(node.op == "add" and all(np.shape(p.value) == () for p in node.parents)
               for node in E.topological_order(graph.loss))
    wrong("13a.2", lambda g, a, b: (g, np.ones(a.shape[0]) @ g), "IndexError", "both scalars")


def test_a_bias_gradient_summed_over_the_wrong_axis_or_averaged_is_named():
    wrong("13a.2", lambda g, a, b: (g, g.sum(axis=-1) if g.ndim == 2 else g.sum()), "summed over its columns")
    wrong("13a.2", lambda g, a, b: (g, g.mean(axis=0) if g.ndim == 2 else g.mean()), "not a mean")


def test_relu_vjp_mistakes_are_named():
    wrong("13a.3", lambda g, z: np.maximum(z, 0) * g, "the output h times g")
    wrong("13a.3", lambda g, z: np.minimum(1, np.maximum(z, 0)) * g, "original's ReLU Jacobian")
    wrong("13a.3", lambda g, z: (z > 0).astype(float), "multiplies the local derivative by the gradient g")


def test_relu_vjp_at_the_kink_says_which_relu_prime_it_takes():
    assert "ReLU'(0) = 1, where xorlib takes 0" in check("13a.3", lambda g, z: (z >= 0) * g).message
    assert "ReLU'(0) = 0, as xorlib does" in check("13a.3", lambda g, z: (z > 0) * g).message
    wrong("13a.3", lambda g, z: np.where(z == 0, 2 * g, (z > 0) * g), "between 0 and 1")


def test_calling_the_engines_rule_is_refused():
    wrong("13a.3", lambda g, z: E.OPS["relu"][1](g, E.apply("relu", E.Node(z))), "reaches xorlib's")
    wrong("13a.1", lambda g, A, B: E.apply("matmul", E.Node(A), E.Node(B)).vjp(g), "reaches xorlib's")


def test_a_vjp_returning_one_array_for_two_inputs_is_explained():
    wrong("13a.2", lambda g, a, b: g, "expected a pair (∇a, ∇b)")


def test_the_rules_do_not_change_their_inputs():
    def in_place(g, z):
        z[z < 0] = 0
        return (z > 0) * g
    wrong("13a.3", in_place, "changed its argument `z` in place")
