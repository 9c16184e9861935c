"""Both gradient methods against central differences and against each other."""

import numpy as np
import pytest

import xorlib

import gradient_checks


@pytest.mark.parametrize("method", ["jacobian", "backprop"])
def test_gradients_match_central_differences(method):
    gradient_checks.check_matches_central_differences(xorlib, method)


@pytest.mark.parametrize("method", ["jacobian", "backprop"])
def test_gradients_match_central_differences_on_xor(method):
    gradient_checks.check_matches_central_differences_on_xor(xorlib, method)


def test_jacobian_and_backprop_agree_to_1e_12():
    gradient_checks.check_methods_agree(xorlib)


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
