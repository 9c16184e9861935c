"""xorlib.studies.ensemble: many nets at once, each exactly the net xorlib.train would train."""

import numpy as np
import pytest

import xorlib
from xorlib.studies import ensemble
from xorlib.studies.ensemble import (
    ACTIVATIONS,
    EnsembleParams,
    _forward_many,
    _gradients_many,
    _loss_many,
    gradients_many,
    init_many,
    loss_many,
    train_many,
)


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


# --- the fast loop of train_many against the plain one --------------------------------------

def plain_train_many(X, y, initial, epochs, lr, activation="relu", relu_prime_at_zero=0.0):
    """train_many's descent written as the equations read: _forward_many and _gradients_many, epoch by epoch."""
    p, Xt = initial.copy(), np.ascontiguousarray(X.T)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            Z, A, z3 = _forward_many(X, p, activation)
            g = _gradients_many(X, Xt, y, p, Z, A, z3, activation, relu_prime_at_zero)
            for name in ("W1", "b1", "w3", "b3"):
                value = getattr(p, name)
                value -= lr * getattr(g, name)
        losses = _loss_many(_forward_many(X, p, activation)[2], y)
    return p, losses


def assert_same_bits(result, plain):
    p, losses = plain
    for name in ("W1", "b1", "w3", "b3"):
        np.testing.assert_array_equal(getattr(result.final, name), getattr(p, name))
    np.testing.assert_array_equal(result.losses, losses)


FAST_LOOP_CASES = {
    "the original's set-up": dict(n_nets=300, epochs=300),
    "one hidden unit": dict(n_nets=100, epochs=100, hidden=1),
    "three hidden units": dict(n_nets=200, epochs=200, hidden=3),
    "eight hidden units, He": dict(n_nets=100, epochs=200, hidden=8, init="he"),
    "zero biases, ReLU'(0) = 0.5": dict(n_nets=200, epochs=200, init="uniform_zero_bias", relu_prime_at_zero=0.5),
    "lr 3 with He": dict(n_nets=200, epochs=200, init="he", lr=3.0),
    "lr 1000, diverging": dict(n_nets=100, epochs=100, lr=1e3),
    "tanh": dict(n_nets=100, epochs=100, activation="tanh", hidden=3),
    "sigmoid": dict(n_nets=100, epochs=100, activation="sigmoid"),
    "leaky ReLU": dict(n_nets=100, epochs=100, activation="leaky_relu"),
    "one epoch": dict(n_nets=50, epochs=1),
}
#: XOR, where the products sum in numpy's order here; 8 rows and 7 real-valued rows, where they need not
DATA = {"XOR": xorlib.xor_data, "3-bit parity": lambda: parity(3),
        "7 noisy XOR points": lambda: xorlib.noisy_xor(7, 0.1, rng=3)}


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("case", FAST_LOOP_CASES)
def test_the_fast_loop_gives_the_plain_loops_bits(data, case):
    X, y = DATA[data]()
    kwargs = dict(lr=0.9, activation="relu", relu_prime_at_zero=0.0, hidden=2, init="original") | FAST_LOOP_CASES[case]
    result = train_many(X, y, seed=7, **kwargs)
    assert_same_bits(result, plain_train_many(X, y, result.initial, kwargs["epochs"], kwargs["lr"],
                                              kwargs["activation"], kwargs["relu_prime_at_zero"]))


@pytest.mark.parametrize("case", ["the original's set-up", "zero biases, ReLU'(0) = 0.5", "tanh"])
def test_both_ways_of_summing_over_rows_give_the_plain_bits(xor, monkeypatch, case):
    X, y = xor
    kwargs = dict(lr=0.9, activation="relu", relu_prime_at_zero=0.0) | FAST_LOOP_CASES[case]
    result = train_many(X, y, seed=2, **kwargs)
    plain = plain_train_many(X, y, result.initial, kwargs["epochs"], kwargs["lr"], kwargs["activation"],
                             kwargs["relu_prime_at_zero"])
    if not all(ensemble._products_keep_order(4, 2, kwargs.get("hidden", 2), kwargs["n_nets"])):
        pytest.skip("this BLAS adds the rows of a product in another order than numpy's sum")
    assert_same_bits(result, plain)
    monkeypatch.setattr(ensemble, "_products_keep_order", lambda *shape: (False,) * 3)  # numpy's sums and einsum
    assert_same_bits(train_many(X, y, seed=2, **kwargs), plain)


def test_the_block_size_changes_no_bit(xor, monkeypatch):
    X, y = xor
    whole = train_many(X, y, n_nets=100, epochs=200, seed=1, record_every=50)
    monkeypatch.setattr(ensemble, "BLOCK_NUMBERS", 8 * 7)  # at most 7 nets of 4 x 2 numbers: 15 blocks of 6 or 7
    sizes = [s.stop - s.start for s in ensemble._blocks(100, 4, 2)]
    assert len(sizes) == 15 and sorted(set(sizes)) == [6, 7]
    split = train_many(X, y, n_nets=100, epochs=200, seed=1, record_every=50)
    for name in ("W1", "b1", "w3", "b3"):
        np.testing.assert_array_equal(getattr(split.final, name), getattr(whole.final, name))
    for name in ("losses", "initial_losses", "predictions", "loss_history"):
        np.testing.assert_array_equal(getattr(split, name), getattr(whole, name))


def test_blocks_cover_every_net_once_in_order():
    for n_nets, n, hidden in [(1, 4, 2), (10_000, 4, 2), (40_000, 4, 2), (999, 8, 16), (3, 1024, 16)]:
        blocks = ensemble._blocks(n_nets, n, hidden)
        assert blocks[0].start == 0 and blocks[-1].stop == n_nets
        assert all(a.stop == b.start for a, b in zip(blocks[:-1], blocks[1:]))
        sizes = [s.stop - s.start for s in blocks]
        assert max(sizes) - min(sizes) <= 1 and min(sizes) >= 1
        assert max(sizes) <= max(1, ensemble.BLOCK_NUMBERS // (n * hidden))


# --- the compiled loops (xorlib.studies.kernels) against the plain one ------------------------------

RELU_CASES = [case for case, kwargs in FAST_LOOP_CASES.items() if kwargs.get("activation", "relu") == "relu"]


def keeps_bits(X, y, hidden=2, relu_prime_at_zero=0.0, relu_derivative=None, min_1_h=False, factor=None):
    X, y = np.ascontiguousarray(X, dtype=float), np.ascontiguousarray(y, dtype=float)
    return ensemble._compiled_keeps_bits(X.tobytes(), *X.shape, y.tobytes(), hidden, relu_prime_at_zero,
                                         relu_derivative, min_1_h, factor)


@pytest.mark.parametrize("data", ["XOR", "3-bit parity"])
@pytest.mark.parametrize("case", RELU_CASES)
def test_the_compiled_loops_give_the_plain_loops_bits(data, case, monkeypatch):
    X, y = DATA[data]()
    kwargs = dict(lr=0.9, relu_prime_at_zero=0.0) | FAST_LOOP_CASES[case]
    monkeypatch.setattr(ensemble, "_compiled_keeps_bits", lambda *args: True)  # the compiled loops, whatever the data
    result = train_many(X, y, seed=7, **kwargs)
    assert_same_bits(result, plain_train_many(X, y, result.initial, kwargs["epochs"], kwargs["lr"], "relu",
                                              kwargs["relu_prime_at_zero"]))


@pytest.mark.parametrize("hidden", [1, 2, 3, 8])
def test_xor_and_parity_train_on_the_compiled_loops(hidden):
    for X, y in (xorlib.xor_data(), parity(3)):
        assert keeps_bits(X, y, hidden)
        assert keeps_bits(X, y, hidden, relu_prime_at_zero=0.5)


def test_the_bit_check_refuses_a_compiled_loop_that_differs(xor):
    X, y = xor
    # min_1_h asks the compiled loops for the original's ReLU derivative; the numpy loop is left with the step
    assert not keeps_bits(X, y, min_1_h=True)
    assert not keeps_bits(X, y, relu_prime_at_zero=0.5, min_1_h=True)


def test_the_number_of_threads_changes_no_bit(xor, monkeypatch):
    X, y = xor
    results = {}
    for cores in (1, 2, 3):
        monkeypatch.setattr(ensemble, "_cores", lambda cores=cores: cores)
        assert len(ensemble._blocks(100, 4, 2, parts=cores)) == cores
        results[cores] = train_many(X, y, n_nets=100, epochs=200, seed=1, record_every=50)
    for cores in (2, 3):
        for name in ("W1", "b1", "w3", "b3"):
            np.testing.assert_array_equal(getattr(results[cores].final, name), getattr(results[1].final, name))
        for name in ("losses", "initial_losses", "predictions", "loss_history"):
            np.testing.assert_array_equal(getattr(results[cores], name), getattr(results[1], name))


def test_blocks_are_a_multiple_of_the_threads():
    assert [s.stop - s.start for s in ensemble._blocks(10, 4, 2, parts=4)] == [2, 3, 2, 3]
    assert len(ensemble._blocks(10_000, 4, 8, parts=2)) == 4  # 3 blocks by size, rounded up to 2 per thread
    assert len(ensemble._blocks(1, 4, 2, parts=2)) == 1
