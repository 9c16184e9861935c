"""Both gradient methods against central differences and against each other."""

import numpy as np
import pytest

import xorlib
from conftest import random_problem

DRAWS = 100


@pytest.mark.parametrize("method", ["jacobian", "backprop"])
def test_gradients_match_central_differences(method):
    rng = np.random.default_rng(20261125)
    worst = 0.0
    for _ in range(DRAWS):
        params, X, y = random_problem(rng)
        analytic = xorlib.gradients(params, X, y, method=method).to_vector()
        numeric = xorlib.numerical_gradient(params, X, y).to_vector()
        worst = max(worst, xorlib.relative_error(analytic, numeric))
    assert worst < 1e-7


@pytest.mark.parametrize("method", ["jacobian", "backprop"])
def test_gradients_match_central_differences_on_xor(method, xor):
    X, y = xor
    for seed in range(DRAWS):
        params = xorlib.init_params(seed)
        if xorlib.min_kink_distance(params, X) < 1e-3:
            continue
        analytic = xorlib.gradients(params, X, y, method=method)
        assert xorlib.GradientCheck(analytic, xorlib.numerical_gradient(params, X, y)).passed


def test_jacobian_and_backprop_agree_to_1e_12():
    rng = np.random.default_rng(1)
    for _ in range(DRAWS):
        params, X, y = random_problem(rng, min_kink=0.0)
        a = xorlib.gradients(params, X, y, method="jacobian").to_vector()
        b = xorlib.gradients(params, X, y, method="backprop").to_vector()
        assert xorlib.relative_error(a, b) < 1e-12


def test_gradient_of_fixed_params_has_known_value(fixed_params, xor):
    # ∇_{b3} L = mean(y_hat - y) and ∇_{w3} L = Hᵀ (y_hat - y) / n, by hand.
    X, y = xor
    f = xorlib.forward(fixed_params, X)
    g = xorlib.gradients(fixed_params, X, y)
    assert g.b3 == pytest.approx(np.mean(f.y_hat - y), rel=1e-14)
    np.testing.assert_allclose(g.w3, f.H.T @ (f.y_hat - y) / 4, rtol=1e-14)


def test_gradient_is_mean_not_sum(xor):
    # Stacking XOR twice leaves the mean loss, hence its gradient, unchanged.
    X, y = xor
    X8, y8 = xorlib.repeated_xor(2)
    params = xorlib.init_params(0)
    for method in xorlib.METHODS:
        np.testing.assert_allclose(
            xorlib.gradients(params, X8, y8, method=method).to_vector(),
            xorlib.gradients(params, X, y, method=method).to_vector(), rtol=1e-13)


def test_gradient_check_table_flags_a_wrong_gradient(fixed_params, xor):
    X, y = xor
    right = xorlib.gradients(fixed_params, X, y)
    wrong = xorlib.Params.from_vector(right.to_vector() * np.r_[np.ones(8), 0.5])
    numeric = xorlib.numerical_gradient(fixed_params, X, y)
    assert xorlib.GradientCheck(right, numeric).passed
    table = xorlib.GradientCheck(wrong, numeric)
    assert not table.passed
    assert [row[-1] for row in table.rows()] == ["ok"] * 8 + ["WRONG"]
