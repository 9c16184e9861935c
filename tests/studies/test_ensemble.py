"""xorlib.studies.ensemble: many nets at once, each exactly the net xorlib.train would train."""

import numpy as np
import pytest

import xorlib
from xorlib.studies.ensemble import ACTIVATIONS, EnsembleParams, gradients_many, init_many, loss_many, train_many


def test_each_net_follows_train_to_1e_12(xor):
    X, y = xor
    result = train_many(X, y, n_nets=40, epochs=1000, lr=0.9, seed=5)
    for k in range(40):
        history = xorlib.train(result.initial.net(k), X, y, lr=0.9, epochs=1000)
        np.testing.assert_allclose(result.final.net(k).to_vector(), history.params.to_vector(), rtol=0, atol=1e-12)
        assert result.losses[k] == pytest.approx(history.final_loss, rel=1e-10, abs=1e-14)
        assert result.solved[k] == bool(xorlib.solves(history.params, X, y))


def test_original_init_matches_the_original_distribution():
    p = init_many(5000, 2, 2, "original", np.random.default_rng(0))
    limit = 1 / np.sqrt(2)
    assert -limit <= p.W1.min() < -0.99 * limit and 0.99 * limit < p.W1.max() <= limit
    assert 0 <= p.b1.min() and p.b3.max() <= 1 and abs(p.b1.mean() - 0.5) < 0.02


def test_zero_bias_and_he_inits():
    zero = init_many(100, 2, 3, "uniform_zero_bias", np.random.default_rng(0))
    assert not zero.b1.any() and not zero.b3.any()
    he = init_many(20000, 2, 4, "he", np.random.default_rng(0))
    assert np.all(he.b1 == 0.01) and he.W1.std() == pytest.approx(1.0, rel=0.02)


def numerical_gradients_many(X, y, params, activation, eps=1e-6):
    """Central differences of loss_many, one parameter entry (across all nets) at a time."""
    grads = []
    for name in ("W1", "b1", "w3", "b3"):
        base = getattr(params, name)
        grad = np.empty_like(base)
        for index in np.ndindex(base.shape[:-1]):
            values = {}
            for sign in (+1, -1):
                shifted = {k: getattr(params, k).copy() for k in ("W1", "b1", "w3", "b3")}
                shifted[name][index] += sign * eps
                values[sign] = loss_many(X, y, EnsembleParams(**shifted), activation)
            grad[index] = (values[1] - values[-1]) / (2 * eps)
        grads.append(grad)
    return grads


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("hidden", [1, 3, 16])
def test_ensemble_gradients_match_central_differences(activation, hidden):
    rng = np.random.default_rng(hidden)
    X = rng.normal(size=(6, 3))
    y = rng.integers(0, 2, size=6).astype(float)
    params = init_many(8, 3, hidden, "he", rng)
    analytic = gradients_many(X, y, params, activation)
    numeric = numerical_gradients_many(X, y, params, activation)
    for a, b in zip([analytic.W1, analytic.b1, analytic.w3, analytic.b3], numeric, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)


def parity(bits):
    X = np.array([[(i >> j) & 1 for j in range(bits)] for i in range(2 ** bits)], dtype=float)
    return X, X.sum(axis=1) % 2


def test_three_bit_parity_is_learnable_with_enough_units():
    X, y = parity(3)
    result = train_many(X, y, n_nets=200, epochs=2000, lr=0.5, seed=0, hidden=8, activation="tanh", init="he")
    assert result.predictions.shape == (8, 200)
    assert result.solve_rate > 0.5


def test_relu_prime_at_zero_matters_only_on_the_kink(xor):
    X, y = xor
    kwargs = dict(n_nets=300, epochs=300, seed=1)
    on_kink = {c: train_many(X, y, init="uniform_zero_bias", relu_prime_at_zero=c, **kwargs) for c in (0.0, 1.0)}
    assert not np.allclose(on_kink[0.0].losses, on_kink[1.0].losses)
    off_kink = {c: train_many(X, y, init="original", relu_prime_at_zero=c, **kwargs) for c in (0.0, 1.0)}
    np.testing.assert_array_equal(off_kink[0.0].losses, off_kink[1.0].losses)


def test_huge_learning_rate_is_marked_diverged(xor):
    X, y = xor
    result = train_many(X, y, n_nets=50, epochs=200, lr=1e3, seed=0)
    assert result.diverged.mean() > 0.5
    assert not np.any(result.solved & result.diverged)


def test_loss_history_is_recorded_when_asked(xor):
    X, y = xor
    result = train_many(X, y, n_nets=10, epochs=100, seed=0, record_every=10)
    assert result.loss_history.shape == (11, 10)
    np.testing.assert_array_equal(result.loss_history[0], result.initial_losses)
    np.testing.assert_allclose(result.loss_history[-1], result.losses, rtol=1e-15)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(hidden=17), ValueError, "hidden must be between 1 and 16"),
    (dict(hidden=0), ValueError, "hidden must be a positive integer"),
    (dict(activation="gelu"), ValueError, "activation must be one of"),
    (dict(init="xavier"), ValueError, "init must be one of"),
    (dict(n_nets=0), ValueError, "n_nets must be a positive integer"),
    (dict(lr=-1.0), ValueError, "lr must be positive"),
    (dict(relu_prime_at_zero=2.0), ValueError, "relu_prime_at_zero must be in [0, 1]"),
])
def test_train_many_rejects_bad_arguments(xor, kwargs, error, message):
    X, y = xor
    with pytest.raises(error) as raised:
        train_many(X, y, **{"n_nets": 2, "epochs": 2, **kwargs})
    assert message in str(raised.value)


def test_train_many_rejects_mismatched_data():
    with pytest.raises(ValueError, match="y must have one label per row of X"):
        train_many(np.zeros((4, 2)), [0, 1, 1], n_nets=2, epochs=2)
    with pytest.raises(ValueError, match="X must be 2-D"):
        train_many(np.zeros(4), [0, 1, 1, 0], n_nets=2, epochs=2)
