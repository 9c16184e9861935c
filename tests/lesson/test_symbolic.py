"""xorlib.symbolic: the derived Jacobians against xorlib and finite differences."""

import numpy as np
import pytest
import sympy as sp

import xorlib
from conftest import random_problem
from xorlib import symbolic as S
from xorlib.gradcheck import JacobianCheck


@pytest.fixture(scope="module")
def net():
    return S.xor_network()


def test_symbolic_jacobians_catch_the_originals_relu_jacobian(xor):
    X, y = xor
    params = xorlib.init_params(0)  # has hidden activations strictly between 0 and 1
    original_style = xorlib.errata.original_local_jacobians(params, X, y)
    check = JacobianCheck(original_style, {"symbolic": S.lambdified_jacobians(params, X, y)})
    assert not check.passed
    wrong = [name for name, (_, row) in check.results.items() if row[0][1] >= check.tol]
    assert wrong == ["h1_z1", "h2_z2"]


def test_relu_jacobian_is_step_of_z_with_zero_at_the_kink(net):
    J = net.jacobians["h1_z1"]
    z = net.v["z1"]
    assert J == sp.diag(*[sp.Heaviside(zi, 0) for zi in z])
    assert J.xreplace({z[0]: 0})[0, 0] == 0
    assert J.xreplace({z[0]: sp.Rational(1, 3)})[0, 0] == 1
    # What SymPy gives before the convention is applied: 1/2 at the kink.
    raw = sp.Max(0, z[0]).diff(z[0])
    assert raw.xreplace({z[0]: 0}) == sp.Rational(1, 2)


def test_relu_convention_is_the_same_in_xorlib_sympy_and_lambdify():
    z = sp.Symbol("z", real=True)
    f = sp.lambdify(z, S.step_convention(sp.Max(0, z).diff(z)), modules="numpy")
    points = np.array([-1.0, 0.0, 1e-300, 2.0])
    np.testing.assert_array_equal(f(points), xorlib.relu_derivative(points))
    np.testing.assert_array_equal(xorlib.relu_derivative(points), [0, 0, 1, 1])


@pytest.mark.parametrize("name", list(S.CHAINS))
def test_chain_product_equals_direct_derivative_at_rational_points(net, name):
    points = S.rational_points(net, count=3)
    chain = net.at_params(net.chain(name))
    assert chain.shape == ((2, 1) if name[0] == "w" else (1, 1))
    assert S.equal_at_points(chain, net.direct_gradient(name), points)


@pytest.mark.parametrize("name", list(S.CHAINS))
def test_chain_simplifies_to_closed_form(net, name):
    to_z3 = {net.v["y_hat"][i]: S.sigmoid(net.v["z3"][i]) for i in range(net.n)}
    chain = net.chain(name).xreplace(to_z3)
    closed = net.closed_form(name).xreplace(to_z3)
    assert S.equal_symbolically(chain, closed)


def test_chain_simplifies_to_closed_form_for_symbolic_inputs():
    net = S.build_network(n=2)
    to_z3 = {net.v["y_hat"][i]: S.sigmoid(net.v["z3"][i]) for i in range(2)}
    for name in S.CHAINS:
        assert S.equal_symbolically(net.chain(name).xreplace(to_z3), net.closed_form(name).xreplace(to_z3))


def test_a_wrong_closed_form_is_rejected(net):
    # Sanity of the checker itself: drop the 1/n and the equality must fail.
    to_z3 = {net.v["y_hat"][i]: S.sigmoid(net.v["z3"][i]) for i in range(net.n)}
    wrong = net.closed_form("w3") * net.n
    assert not S.equal_symbolically(net.chain("w3").xreplace(to_z3), wrong.xreplace(to_z3))
    assert not S.equal_at_points(net.at_params(wrong), net.direct_gradient("w3"), S.rational_points(net, 1))


def test_only_the_relu_jacobians_differ_from_the_original(net):
    results = {name: S.compare_with_original(net, name) for name in S.JACOBIANS}
    assert [name for name, r in results.items() if not r.equal] == ["h1_z1", "h2_z2"]
    counterexample = results["h1_z1"]
    assert (counterexample.original_value, counterexample.derived_value) == (sp.Rational(1, 2), 1)


def test_bce_sigmoid_simplification_for_general_n():
    n = sp.Symbol("n", positive=True)
    z, y = sp.symbols("z y", real=True)
    *_, simplified = S.bce_sigmoid_simplification(n)
    assert sp.simplify(simplified - (S.sigmoid(z) - y) / n) == 0


def test_symbolic_loss_matches_xorlib(net, xor):
    X, y = xor
    params = xorlib.init_params(2)
    value = net.L.xreplace(dict(zip(S.PARAMS, params.to_vector(), strict=True))).evalf()
    assert float(value) == pytest.approx(xorlib.loss(params, X, y), rel=1e-12)


def test_latex_uses_the_notebook_notation(net):
    assert S.latex(net.jacobians["h1_z1"][0, 0]) == r"\operatorname{step}\left(z_{1,1}\right)"
    assert S.latex(S.w1_2) == "w_{1,2}"
    assert net.v["y_hat"][2].name == "yhat_3" and S.latex(net.v["y_hat"][2]) == r"\hat{y}_{3}"


def test_lambdified_chain_products_equal_xorlib_gradients():
    # Few distinct n: each n compiles its own lambdified chain (cached), and compiling is the cost.
    rng = np.random.default_rng(7)
    checked = {1: 0, 3: 0}
    while min(checked.values()) < 2:
        params, X, y = random_problem(rng)
        n = X.shape[0]
        if checked.get(n, 2) >= 2:
            continue
        symbolic = S.lambdified_gradients(params, X, y).to_vector()
        np.testing.assert_allclose(symbolic, xorlib.gradients(params, X, y).to_vector(), rtol=1e-10, atol=1e-14)
        checked[n] += 1


def test_check_chain_reports_both_checks(net):
    result = S.check_chain(net, "b1")
    assert result.equals_direct_derivative and result.equals_closed_form and result.points == 3
