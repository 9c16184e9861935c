"""xorlib.edges: the table of edges, checked against finite differences and SymPy.

The table is the one place each local Jacobian and VJP is written; finite
differences (``gradcheck.numerical_local_jacobians``) and SymPy's derivatives
(``symbolic.lambdified_jacobians``) are independent of it and must agree with it.
"""

import numpy as np
import pytest

import xorlib
from conftest import random_problem
from xorlib import symbolic as S
from xorlib.backprop import backprop_gradients
from xorlib.edges import BY_NAME, CHAINS, EDGES, JACOBIANS
from xorlib.gradcheck import JacobianCheck, numerical_local_jacobians
from xorlib.jacobians import jacobian_gradients


def problems(n, count, seed):
    """``count`` random non-symmetric problems with n rows, away from the ReLU kinks."""
    rng = np.random.default_rng(seed)
    found = []
    while len(found) < count:
        params, X, y = random_problem(rng)
        if X.shape[0] == n:
            found.append((params, X, y))
    return found


@pytest.mark.parametrize("n", [3, 4])
def test_each_table_jacobian_equals_finite_differences_and_sympy(n):
    for params, X, y in problems(n, 4, seed=100 + n):
        check = JacobianCheck(xorlib.local_jacobians(params, X, y), {
            "finite differences": numerical_local_jacobians(params, X, y),
            "sympy": S.lambdified_jacobians(params, X, y),
        })
        assert check.passed, str(check)


def test_chain_built_from_the_table_equals_backprop():
    for n in (1, 4, 7):
        for params, X, y in problems(n, 3, seed=n):
            np.testing.assert_allclose(jacobian_gradients(params, X, y).to_vector(),
                                       backprop_gradients(params, X, y).to_vector(), rtol=1e-12, atol=1e-15)


def test_chains_are_the_originals_grad_calculation():
    # the original's six chains, typed in from its "Grad Calculation" (outermost factor first)
    assert CHAINS == {
        "w3": ("z3_w3", "y_hat_z3"),
        "w1": ("z1_w1", "h1_z1", "z3_h1", "y_hat_z3"),
        "w2": ("z2_w2", "h2_z2", "z3_h2", "y_hat_z3"),
        "b1": ("z1_b1", "h1_z1", "z3_h1", "y_hat_z3"),
        "b2": ("z2_b2", "h2_z2", "z3_h2", "y_hat_z3"),
        "b3": ("z3_b3", "y_hat_z3"),
    }


def test_names_in_code_latex_and_text():
    assert JACOBIANS[0] == "grad_y_hat" and len(JACOBIANS) == 12
    assert BY_NAME["h1_z1"].latex == r"\frac{\partial h_1}{\partial z_1}"
    assert BY_NAME["h1_z1"].text == "∂h1/∂z1"
    assert BY_NAME["grad_y_hat"].latex == r"\nabla_{\hat{y}} L" and BY_NAME["grad_y_hat"].text == "∇_ŷ L"
    assert [f for f, _ in xorlib.local_jacobians(xorlib.init_params(0), *xorlib.xor_data()).items()] == list(JACOBIANS)


def test_graph_labels_every_layer_once_with_biases_on_their_weights_edge():
    from xorlib.plots import GRAPH_EDGES, GRAPH_NODES

    labels = {(start, end): label for start, end, label in GRAPH_EDGES}
    assert all(start in GRAPH_NODES and end in GRAPH_NODES for start, end in labels)
    for edge in EDGES:
        start = "w" + edge.input[1:] if edge.input.startswith("b") else edge.input
        assert labels[(start, edge.output)].split("\n").count(edge.graph_label) == 1, edge.name
    assert labels[("w1", "z1")] == "$\\partial z_1/\\partial w_1 = X$\n$\\partial z_1/\\partial b_1 = 1$"
    assert labels[("X", "z1")] == "" and labels[("X", "z2")] == ""


def test_the_prediction_is_y_hat_never_y_prime():
    for edge in EDGES:
        for text in (edge.jacobian_text, edge.graph_label, edge.latex, edge.text):
            assert "y'" not in text, (edge.name, text)
    assert BY_NAME["y_hat_z3"].text == "∂ŷ/∂z3" and BY_NAME["y_hat_z3"].graph_label == r"diag$(\hat{y}(1-\hat{y}))$"
    d_ell = S.bce_sigmoid_simplification()[0]
    assert {s.name for s in d_ell.free_symbols} == {"y", "yhat", "n"} and r"\hat{y}" in S.latex(d_ell)
