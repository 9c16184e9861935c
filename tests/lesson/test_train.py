import numpy as np

import xorlib


def test_training_from_seed_0_solves_xor(xor):
    X, y = xor
    history = xorlib.train(xorlib.init_params(0), X, y)
    assert xorlib.solves(history.params, X, y)
    assert history.final_loss < 0.05
    assert history.losses[0] > 0.6


def test_same_seed_gives_same_history_bit_for_bit(xor):
    X, y = xor
    a = xorlib.train(xorlib.init_params(0), X, y, epochs=300)
    b = xorlib.train(xorlib.init_params(0), X, y, epochs=300)
    np.testing.assert_array_equal(a.losses, b.losses)
    np.testing.assert_array_equal(a.param_vectors, b.param_vectors)


def test_history_records_every_epoch(xor):
    X, y = xor
    p0 = xorlib.init_params(4)
    h = xorlib.train(p0, X, y, lr=0.5, epochs=20)
    assert h.losses.shape == (21,) and h.param_vectors.shape == (21, 9)
    np.testing.assert_array_equal(h.initial_params.to_vector(), p0.to_vector())
    # One step by hand reproduces the second row.
    step = p0.to_vector() - 0.5 * xorlib.gradients(p0, X, y).to_vector()
    np.testing.assert_array_equal(h.param_vectors[1], step)
    assert h.losses[5] == xorlib.loss(h.params_at(5), X, y)


def test_both_methods_train_to_the_same_parameters(xor):
    X, y = xor
    p0 = xorlib.init_params(3)
    a = xorlib.train(p0, X, y, epochs=200, method="backprop")
    b = xorlib.train(p0, X, y, epochs=200, method="jacobian")
    np.testing.assert_allclose(a.param_vectors, b.param_vectors, rtol=1e-10, atol=1e-12)


def test_train_leaves_its_input_params_unchanged(xor):
    X, y = xor
    p0 = xorlib.init_params(5)
    before = p0.to_vector().copy()
    xorlib.train(p0, X, y, epochs=50)
    np.testing.assert_array_equal(p0.to_vector(), before)


def test_solves_is_every_point_on_the_right_side_of_one_half(xor):
    X, y = xor
    start = xorlib.init_params(0)
    y_hat = xorlib.predict(start, X)
    assert not xorlib.solves(start, X, y) and not np.all((y_hat > 0.5) == (y == 1))
    # a hand-made solution: h1 = relu(x1 + x2), h2 = relu(x1 + x2 - 1), z3 = 4 h1 - 8 h2 - 2
    solution = xorlib.Params(w1=[1.0, 1.0], b1=0.0, w2=[1.0, 1.0], b2=-1.0, w3=[4.0, -8.0], b3=-2.0)
    assert xorlib.solves(solution, X, y)
    assert not xorlib.solves(solution, X, 1 - y)
