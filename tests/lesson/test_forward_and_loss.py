"""forward and loss against values worked out independently, with plain math."""

import math

import numpy as np
import pytest

import xorlib


def by_hand(params, X, y):
    """The original's equations, one row at a time, in plain Python floats."""
    rows = []
    for (x1, x2), target in zip(X.tolist(), y.tolist(), strict=True):
        z1 = x1 * params.w1[0] + x2 * params.w1[1] + params.b1
        z2 = x1 * params.w2[0] + x2 * params.w2[1] + params.b2
        h1, h2 = max(0.0, z1), max(0.0, z2)
        z3 = h1 * params.w3[0] + h2 * params.w3[1] + params.b3
        y_hat = 1.0 / (1.0 + math.exp(-z3))
        bce = -(target * math.log(y_hat) + (1 - target) * math.log(1 - y_hat))
        rows.append((z1, h1, z2, h2, z3, y_hat, bce))
    return rows


def test_xor_data_is_the_truth_table():
    X, y = xorlib.xor_data()
    assert X.shape == (4, 2) and y.shape == (4,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert [(int(a) ^ int(b)) for a, b in X] == y.astype(int).tolist()


def test_forward_matches_hand_computation(fixed_params, xor):
    X, y = xor
    f = xorlib.forward(fixed_params, X)
    expected = np.array(by_hand(fixed_params, X, y))
    for column, name in enumerate(["z1", "h1", "z2", "h2", "z3", "y_hat"]):
        np.testing.assert_allclose(getattr(f, name), expected[:, column], rtol=1e-14, atol=1e-15)
    np.testing.assert_array_equal(f.H, np.column_stack([f.h1, f.h2]))
    # The fixed parameters put each hidden unit on both sides of its kink.
    assert 0 < np.count_nonzero(f.h1) < 4 and 0 < np.count_nonzero(f.h2) < 4


def test_forward_shapes_for_any_n(fixed_params):
    for n in (1, 3, 17):
        f = xorlib.forward(fixed_params, np.linspace(-1, 1, 2 * n).reshape(n, 2))
        assert f.H.shape == (n, 2)
        assert all(getattr(f, k).shape == (n,) for k in ("z1", "h1", "z2", "h2", "z3", "y_hat"))


def test_loss_matches_hand_computation(fixed_params, xor):
    X, y = xor
    expected = sum(row[-1] for row in by_hand(fixed_params, X, y)) / 4
    assert xorlib.loss(fixed_params, X, y) == pytest.approx(expected, rel=1e-14)


def test_loss_of_fixed_params_has_known_value(fixed_params, xor):
    # Worked out on paper for the rows [0,0], [0,1], [1,0], [1,1]:
    #   h1 = [0.1, 0, 0.8, 0.4], h2 = [0, 0.7, 0, 0.4], z3 = 1.3 h1 - 0.6 h2 + 0.25.
    X, y = xor
    z3 = np.array([0.38, -0.17, 1.29, 0.53])
    np.testing.assert_allclose(xorlib.forward(fixed_params, X).z3, z3, rtol=1e-14)
    # BCE of a logit z: ln(1 + e^z) for y = 0 and ln(1 + e^-z) for y = 1.
    expected = (math.log1p(math.exp(0.38)) + math.log1p(math.exp(0.17))
                + math.log1p(math.exp(-1.29)) + math.log1p(math.exp(0.53))) / 4
    assert xorlib.loss(fixed_params, X, y) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("z3", [40.0, 1e3, 1e4, -40.0, -1e3, -1e4])
def test_loss_is_finite_and_exact_at_extreme_logits(z3, xor):
    X, y = xor
    params = xorlib.Params(w1=[0, 0], b1=0, w2=[0, 0], b2=0, w3=[0, 0], b3=z3)
    # Two rows are wrong by |z3| and two are right by |z3|: mean = |z3| / 2,
    # up to ln(1 + e^-|z3|) which is below float64's resolution here.
    assert xorlib.loss(params, X, y) == pytest.approx(abs(z3) / 2, rel=1e-15)


def test_naive_loss_overflows_where_logit_loss_does_not(xor):
    X, y = xor
    params = xorlib.Params(w1=[0, 0], b1=0, w2=[0, 0], b2=0, w3=[0, 0], b3=40.0)
    y_hat = xorlib.forward(params, X).y_hat
    assert np.all(y_hat == 1.0)
    assert xorlib.bce_naive(y_hat, y) == math.inf
    assert xorlib.loss(params, X, y) == pytest.approx(20.0)


def test_naive_and_stable_loss_agree_away_from_saturation(fixed_params, xor):
    X, y = xor
    y_hat = xorlib.forward(fixed_params, X).y_hat
    assert xorlib.bce_naive(y_hat, y) == pytest.approx(xorlib.loss(fixed_params, X, y), rel=1e-13)


def test_sigmoid_does_not_overflow():
    z = np.array([-1e4, -40.0, 0.0, 40.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = xorlib.sigmoid(z)
    np.testing.assert_allclose(s, [0.0, 1 / (1 + math.exp(40)), 0.5, 1 / (1 + math.exp(-40)), 1.0])


def test_relu_derivative_is_step_of_z_with_zero_at_kink():
    z = np.array([-2.0, -1e-12, 0.0, 1e-12, 0.3, 5.0])
    np.testing.assert_array_equal(xorlib.relu_derivative(z), [0, 0, 0, 1, 1, 1])
