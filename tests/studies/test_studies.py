"""xorlib.studies.wrong_gradients: the original's gradient vectorised over nets, perturbations."""

import numpy as np
import pytest

import xorlib
from xorlib.errata import cosine, original_gradients
from xorlib.studies import ensemble, wrong_gradients
from xorlib.studies.ensemble import _loss_many, train_many
from xorlib.studies.landscape import perturbed_losses
from xorlib.studies.wrong_gradients import _cosines, _forward, _gradient, train_many_with


def test_true_gradient_follows_train_many_bit_for_bit(xor):
    X, y = xor
    study = train_many_with(X, y, "true", n_nets=50, epochs=300, seed=4)
    reference = train_many(X, y, n_nets=50, epochs=300, seed=4)
    for name in ("W1", "b1", "w3", "b3"):
        np.testing.assert_array_equal(getattr(study.result.final, name), getattr(reference.final, name))
    assert np.array_equal(study.result.solved, reference.solved)


@pytest.mark.parametrize("gradient, function", [
    ("original", original_gradients),
    ("relu_error", lambda p, X, y: xorlib.errata.original_gradients(p, X, y, errors=(1,))),
])
def test_wrong_gradients_follow_train_with_the_errata(xor, gradient, function):
    X, y = xor
    study = train_many_with(X, y, gradient, n_nets=12, epochs=200, seed=3)
    for k in range(12):
        history = xorlib.train(study.result.initial.net(k), X, y, epochs=200, method=function)
        np.testing.assert_allclose(study.result.final.net(k).to_vector(), history.params.to_vector(),
                                   rtol=0, atol=1e-10)


def test_recorded_cosines_match_errata_cosine(xor):
    X, y = xor
    study = train_many_with(X, y, "original", n_nets=5, epochs=20, seed=1, cosine_every=10)
    assert study.cosine_epochs.tolist() == [0, 10, 20]
    for k in range(5):
        history = xorlib.train(study.result.initial.net(k), X, y, epochs=20, method=original_gradients)
        for j, epoch in enumerate(study.cosine_epochs):
            p = history.params_at(int(epoch))
            assert study.cosines[j, k] == pytest.approx(cosine(original_gradients(p, X, y), xorlib.gradients(p, X, y)),
                                                       abs=1e-9)


def test_true_gradient_cosine_is_one(xor):
    X, y = xor
    study = train_many_with(X, y, "true", n_nets=20, epochs=10, seed=0, cosine_every=5)
    np.testing.assert_allclose(study.cosines, 1.0, atol=1e-12)


def test_initial_replaces_the_random_start(xor):
    X, y = xor
    first = train_many_with(X, y, "true", n_nets=8, epochs=100, seed=2)
    again = train_many_with(X, y, "true", n_nets=8, epochs=100, seed=99, initial=first.result.initial)
    np.testing.assert_array_equal(again.result.final.W1, first.result.final.W1)
    with pytest.raises(ValueError, match="initial must be an EnsembleParams of 3"):
        train_many_with(X, y, "true", n_nets=3, epochs=1, initial=first.result.initial)


def test_unknown_gradient_is_refused(xor):
    X, y = xor
    with pytest.raises(ValueError, match="gradient"):
        train_many_with(X, y, "min(1,h)", n_nets=2, epochs=1)


def test_perturbed_losses_at_radius_zero_is_the_loss(xor):
    X, y = xor
    p = xorlib.init_params(0)
    losses = perturbed_losses(p, X, y, [0.0, 0.5], n_directions=7, seed=0)
    assert losses.shape == (2, 7)
    np.testing.assert_allclose(losses[0], xorlib.loss(p, X, y), rtol=1e-13)
    assert np.all(losses[1] != losses[0])


def test_perturbed_losses_match_loss_at_the_perturbed_point(xor):
    X, y = xor
    p = xorlib.init_params(1)
    rng = np.random.default_rng(5)
    u = rng.normal(size=(3, 9))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    losses = perturbed_losses(p, X, y, [0.3], n_directions=3, seed=np.random.default_rng(5))
    for k in range(3):
        q = xorlib.Params.from_vector(p.to_vector() + 0.3 * u[k])
        assert losses[0, k] == pytest.approx(xorlib.loss(q, X, y), rel=1e-12)


def test_perturbed_losses_refuses_negative_radii(xor):
    X, y = xor
    with pytest.raises(ValueError, match="radii"):
        perturbed_losses(xorlib.init_params(0), X, y, [-1.0])


def plain_train_many_with(X, y, gradient, initial, epochs, lr, cosine_every):
    """train_many_with's descent written as the equations read (wrong_gradients._forward and _gradient),
    with the cosine against the true gradient every ``cosine_every`` epochs."""
    nets = initial.b3.size
    W, b = initial.W1.reshape(2, 2 * nets).copy(), initial.b1.reshape(-1).copy()
    w3, b3 = initial.w3.reshape(-1).copy(), initial.b3.copy()
    Xt, cosines = np.ascontiguousarray(X.T), []
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs + 1):
            Z, H, z3 = _forward(X, W, b, w3, b3)
            followed = _gradient(X, Xt, y, w3, Z, H, z3, gradient)
            if epoch % cosine_every == 0:
                cosines.append(_cosines(followed, _gradient(X, Xt, y, w3, Z, H, z3, "true"), nets))
            if epoch == epochs:
                break
            for value, step in zip((W, b, w3, b3), followed):
                value -= lr * step
        losses = _loss_many(z3, y)
    return (W.reshape(2, 2, nets), b.reshape(2, nets), w3.reshape(2, nets), b3), losses, np.array(cosines)


@pytest.mark.parametrize("gradient", ["true", "original", "relu_error"])
@pytest.mark.parametrize("kwargs", [dict(seed=0), dict(seed=1, init="uniform_zero_bias"), dict(seed=2, lr=1e3)])
def test_the_fast_loop_gives_the_plain_loops_bits_for_every_gradient(xor, gradient, kwargs):
    X, y = xor
    study = train_many_with(X, y, gradient, n_nets=200, epochs=200, cosine_every=20, **kwargs)
    final, losses, cosines = plain_train_many_with(X, y, gradient, study.result.initial, 200, kwargs.get("lr", 0.9), 20)
    for name, value in zip(("W1", "b1", "w3", "b3"), final):
        np.testing.assert_array_equal(getattr(study.result.final, name), value)
    np.testing.assert_array_equal(study.result.losses, losses)
    np.testing.assert_array_equal(study.cosines, cosines)


@pytest.mark.parametrize("gradient", ["true", "original", "relu_error"])
@pytest.mark.parametrize("kwargs", [dict(seed=0), dict(seed=1, init="uniform_zero_bias"), dict(seed=2, lr=1e3)])
def test_the_compiled_loops_give_the_plain_loops_bits_for_every_gradient(xor, gradient, kwargs):
    X, y = xor
    relu_derivative = None if gradient == "true" else wrong_gradients._original_relu_derivative
    factor = 0.25 if gradient == "original" else None
    assert ensemble._compiled_keeps_bits(X.tobytes(), 4, 2, y.tobytes(), 2, 0.0, relu_derivative,
                                         relu_derivative is not None, factor)  # what train_many_with asks
    study = train_many_with(X, y, gradient, n_nets=200, epochs=200, **kwargs)
    final, losses, _ = plain_train_many_with(X, y, gradient, study.result.initial, 200, kwargs.get("lr", 0.9), 200)
    for name, value in zip(("W1", "b1", "w3", "b3"), final):
        np.testing.assert_array_equal(getattr(study.result.final, name), value)
    np.testing.assert_array_equal(study.result.losses, losses)
