"""The reverse-mode engine (xorlib.engine, xorlib.graphs) against xorlib's hand-written backprop, central
differences and, where it is installed, jax.grad; the softmax Jacobian derived in SymPy."""

import os

import numpy as np
import pytest

import xorlib
from xorlib import engine as E
from xorlib import graphs as G
from xorlib import wide
from xorlib.symbolic import softmax as SM

import gradient_checks


def classifier_problem(seed, decay=0.05, n_per_class=5):
    """A random 2-4-3-3 classifier on three clouds, with every ReLU pre-activation away from 0."""
    rng = np.random.default_rng(seed)
    X, labels = G.three_classes(n_per_class, rng=rng)
    while True:
        params = {k: rng.normal(size=np.shape(v)) for k, v in G.init_classifier(rng=rng).items()}
        g = G.classifier_graph(params, X, labels, decay)
        if np.min(np.abs(g.nodes["Z2"].value)) > 1e-3:
            return params, X, labels, decay


# --- agreement with the hand-written backward passes -------------------------------------------------

def test_engine_gradient_equals_backprop_on_random_problems():
    rng = np.random.default_rng(26)
    for _ in range(30):
        params, X, y = gradient_checks.random_problem(xorlib, rng, 1e-3)
        engine, hand = G.engine_gradients(params, X, y), xorlib.gradients(params, X, y)
        assert xorlib.relative_error(engine.to_vector(), hand.to_vector()) < 1e-12


def test_engine_gradient_equals_backprop_at_every_training_step_and_trains_to_the_same_parameters():
    X, y = xorlib.xor_data()
    hand = xorlib.train(xorlib.init_params(0), X, y, lr=0.9, epochs=1000)
    by_engine = xorlib.train(xorlib.init_params(0), X, y, lr=0.9, epochs=1000, method=G.engine_gradients)
    for epoch in range(hand.epochs + 1):
        p = hand.params_at(epoch)
        error = xorlib.relative_error(G.engine_gradients(p, X, y).to_vector(), xorlib.gradients(p, X, y).to_vector())
        assert error < 1e-12, f"epoch {epoch}"
    assert xorlib.relative_error(by_engine.param_vectors, hand.param_vectors) < 1e-12
    assert xorlib.solves(by_engine.params, X, y)


@pytest.mark.parametrize("d, k, n", [(2, 2, 4), (3, 3, 8), (3, 5, 8), (2, 16, 12)])
def test_engine_gradient_equals_wide_backward(d, k, n):
    rng = np.random.default_rng(100 * d + k)
    p = wide.WideParams(rng.normal(size=(d, k)), rng.normal(size=k), rng.normal(size=k), float(rng.normal()))
    X, y = rng.normal(size=(n, d)), rng.integers(0, 2, size=n).astype(float)
    engine, hand = G.wide_engine_gradients(p, X, y), wide.backward(p, X, y)
    assert xorlib.relative_error(engine.to_vector(), hand.to_vector()) < 1e-12


def test_engine_trains_parity_as_wide_train_does():
    X, y = wide.parity_data(3)
    p0 = wide.init_wide(3, 4, 7)
    hand, _ = wide.train(p0, X, y, lr=0.9, epochs=300)
    by_engine, _ = wide.train(p0, X, y, lr=0.9, epochs=300, gradient=G.wide_engine_gradients)
    assert xorlib.relative_error(by_engine.to_vector(), hand.to_vector()) < 1e-12


# --- several classes, softmax and weight decay --------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_classifier_gradient_matches_central_differences(seed):
    params, X, labels, decay = classifier_problem(seed)
    engine = G.classifier_gradients(params, X, labels, decay)
    numeric = G.numerical_block_gradient(lambda q: G.classifier_loss(q, X, labels, decay), params)
    for name in G.CLASSIFIER_BLOCKS:
        assert xorlib.relative_error(engine[name], numeric[name]) < 1e-7, name


def test_weight_decay_adds_its_path_to_each_weight_and_leaves_the_biases():
    params, X, labels, decay = classifier_problem(3)
    with_decay = G.classifier_gradients(params, X, labels, decay)
    without = G.classifier_gradients(params, X, labels, 0.0)
    for name in ("W1", "W2", "W3"):  # the second path's contribution, summed with the first
        assert np.allclose(with_decay[name] - without[name], 2 * decay * params[name], rtol=1e-12, atol=1e-15)
    for name in ("b1", "b2", "b3"):
        assert np.array_equal(with_decay[name], without[name])


def test_softmax_ce_gradient_is_p_minus_y_over_n():
    rng = np.random.default_rng(5)
    Z, labels = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    node = E.leaf(Z, "Z")
    E.backward(E.softmax_ce(node, labels))
    assert np.allclose(node.grad, (SM.softmax_rows(Z) - np.eye(4)[labels]) / 6, rtol=1e-12, atol=1e-15)


def test_softmax_ce_is_finite_and_exact_for_large_logits():
    Z = np.array([[1000.0, 0.0, -1000.0], [0.0, 800.0, 0.0]])
    loss = E.softmax_ce(E.leaf(Z), np.array([0, 2]))
    assert np.isclose(float(loss.value), 800.0 / 2, rtol=1e-12)


def test_classifier_trains_on_three_classes():
    X, labels = G.three_classes(30, rng=0)
    params, losses = G.train_classifier(G.init_classifier(rng=1), X, labels, decay=1e-3, lr=0.5, epochs=1000)
    assert losses[-1] < 0.25 * losses[0]
    assert np.mean(G.predict_classes(params, X) == labels) >= 0.85


# --- the engine's own contract ----------------------------------------------------------------

def test_fan_out_sums_both_contributions():
    x = E.leaf(np.array([0.3, -1.2]), "x")
    loss = E.add(E.sum_squares(x), E.sum_squares(E.tanh(x)))  # x feeds two nodes
    E.backward(loss)
    t = np.tanh(x.value)
    assert np.allclose(x.grad, 2 * x.value + 2 * t * (1 - t ** 2), rtol=1e-12, atol=0)


def test_backward_clears_gradients_of_an_earlier_step():
    params, X, labels, decay = classifier_problem(4)
    graph = G.classifier_graph(params, X, labels, decay)
    first = {k: graph.backward().grad(k).copy() for k in G.CLASSIFIER_BLOCKS}
    second = {k: graph.backward().grad(k) for k in G.CLASSIFIER_BLOCKS}
    assert all(np.array_equal(first[k], second[k]) for k in first)


def test_topological_order_puts_every_node_after_its_parents_and_the_loss_last():
    params, X, labels, decay = classifier_problem(5)
    order = E.topological_order(G.classifier_graph(params, X, labels, decay).loss)
    position = {id(node): i for i, node in enumerate(order)}
    assert len(position) == len(order)
    assert all(position[id(p)] < position[id(node)] for node in order for p in node.parents)
    assert order[-1].name == "L"


def test_every_ops_vjp_matches_central_differences_of_its_forward():
    rng = np.random.default_rng(7)
    A, B, b, g2 = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(5, 4))
    y5, k5 = np.array([0.0, 1.0, 1.0, 0.0, 1.0]), np.array([0, 2, 1, 1, 0])
    cases = {  # op -> (a function of one flat input, that input, the VJP it should match)
        "matmul A": (lambda a: (a.reshape(5, 3) @ B).ravel(), A, lambda: E.matmul(E.leaf(A), E.leaf(B)), 0),
        "matmul B": (lambda x: (A @ x.reshape(3, 4)).ravel(), B, lambda: E.matmul(E.leaf(A), E.leaf(B)), 1),
        "add b": (lambda x: (g2 * 0 + A @ B + x).ravel(), b, lambda: E.add(E.leaf(A @ B), E.leaf(b)), 1),
        "tanh": (lambda x: np.tanh(x), (A @ B).ravel(), lambda: E.tanh(E.leaf((A @ B).ravel())), 0),
        "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), (A @ B).ravel(), lambda: E.sigmoid(E.leaf((A @ B).ravel())), 0),
        "relu": (lambda x: np.maximum(x, 0), A.ravel(), lambda: E.relu(E.leaf(A.ravel())), 0),
        "columns": (lambda x: np.column_stack([x, A[:, 1]]).ravel(), A[:, 0],
                    lambda: E.columns(E.leaf(A[:, 0]), E.leaf(A[:, 1])), 0),
        "scale": (lambda x: -1.5 * x, b, lambda: E.scale(E.leaf(b), -1.5), 0),
        "sum_squares": (lambda x: np.sum(x ** 2), A.ravel(), lambda: E.sum_squares(E.leaf(A.ravel())), 0),
        "bce": (lambda x: np.mean(np.logaddexp(0, x) - y5 * x), A[:, 0], lambda: E.bce(E.leaf(A[:, 0]), y5), 0),
        "softmax_ce": (lambda x: np.mean(np.log(np.exp(x.reshape(5, 3)).sum(axis=1)) - x.reshape(5, 3)[range(5), k5]),
                       A.ravel(), lambda: E.softmax_ce(E.leaf(A), k5), 0),
    }
    assert {name.split()[0] for name in cases} == set(E.OPS)
    for name, (function, x, build, which) in cases.items():
        node = build()
        g = rng.normal(size=node.value.shape)
        vjp = node.vjp(g)[which]
        J = xorlib.numerical_jacobian(function, np.ravel(x))
        assert np.allclose(np.ravel(vjp), J.T @ np.ravel(g), rtol=1e-7, atol=1e-8), name


# --- the softmax Jacobian in SymPy -------------------------------------------------------------

def test_softmax_jacobian_derived_by_sympy_is_diag_p_minus_p_pT():
    d = SM.derive_softmax(3)
    assert d.jacobian_is_closed_form and d.gradient_is_p_minus_y and d.chain_is_p_minus_y


def test_softmax_jacobian_is_not_diagonal():
    d = SM.derive_softmax(3)
    assert all(d.jacobian[i, j] != 0 for i in range(3) for j in range(3))


def test_block_jacobian_matches_central_differences_in_row_order_only():
    Z = np.random.default_rng(8).normal(size=(4, 3))
    block = SM.block_jacobian(Z)
    assert xorlib.relative_error(block, SM.vec_jacobian(Z, "C")) < 1e-8
    assert xorlib.relative_error(block, SM.vec_jacobian(Z, "F")) > 0.1
    perm = np.arange(12).reshape(4, 3).ravel(order="F")  # F position -> C index
    assert xorlib.relative_error(block[np.ix_(perm, perm)], SM.vec_jacobian(Z, "F")) < 1e-8


# --- bad input ---------------------------------------------------------------------------------

@pytest.mark.parametrize("call, kind, words", [
    (lambda: E.matmul(np.ones((2, 2)), E.leaf(np.ones(2))), TypeError, "A must be a Node"),
    (lambda: E.matmul(E.leaf(np.ones((2, 3))), E.leaf(np.ones(2))), ValueError, "matmul needs A"),
    (lambda: E.add(E.leaf(np.ones((4, 3))), E.leaf(np.ones(4))), ValueError, "trailing part"),
    (lambda: E.leaf([1.0, np.nan], "w"), ValueError, "w must be finite"),
    (lambda: E.bce(E.leaf(np.zeros(3)), [0, 1, 2]), ValueError, "labels y"),
    (lambda: E.softmax_ce(E.leaf(np.zeros((2, 3))), np.array([0.0, 1.0])), ValueError, "integer labels"),
    (lambda: E.softmax_ce(E.leaf(np.zeros((2, 3))), np.array([0, 3])), ValueError, "0 … c-1"),
    (lambda: E.backward(E.leaf(np.ones(3))), ValueError, "loss must be a scalar"),
    (lambda: E.backward(np.float64(1.0)), TypeError, "loss must be a Node"),
    (lambda: E.scale(E.leaf(1.0), "2"), TypeError, "c must be a real number"),
    (lambda: G.classifier_graph({"W1": 1}, np.ones((2, 2)), [0, 1]), TypeError, "params must be a dict"),
    (lambda: G.classifier_graph(G.init_classifier(), np.ones((2, 3)), [0, 1]), ValueError, "X must have shape"),
    (lambda: G.classifier_graph(G.init_classifier(), np.ones((2, 2)), [0, 5]), ValueError, "labels must be"),
    (lambda: G.classifier_graph(G.init_classifier(), np.ones((2, 2)), [0, 1], -1.0), ValueError, "decay"),
    (lambda: G.init_classifier((2, 3)), ValueError, "sizes must be"),
    (lambda: G.three_classes(0), ValueError, "n_per_class"),
    (lambda: SM.vec_jacobian(np.ones((2, 2)), "K"), ValueError, "order must be one of"),
])
def test_bad_input_is_refused_with_a_message_naming_it(call, kind, words):
    with pytest.raises(kind, match=words):
        call()


# --- jax.grad, where JAX is installed ----------------------------------------------------------

def _jax():
    from xorlib.course.autodiff import jax_missing, require_jax

    if jax_missing() is not None:
        if os.environ.get("XORLIB_REQUIRE_JAX"):
            pytest.fail(f"XORLIB_REQUIRE_JAX is set, but {jax_missing()}", pytrace=False)
        pytest.skip(jax_missing())
    return require_jax()


@pytest.mark.parametrize("seed", [0, 1])
def test_classifier_gradient_equals_jax_grad(seed):
    jax, jnp = _jax()
    params, X, labels, decay = classifier_problem(seed)

    def loss(p):  # written in jax.numpy, independently of the engine
        H1 = jnp.tanh(X @ p["W1"] + p["b1"])
        H2 = jax.nn.relu(H1 @ p["W2"] + p["b2"])
        logits = H2 @ p["W3"] + p["b3"]
        data = -jnp.mean(jax.nn.log_softmax(logits, axis=1)[jnp.arange(len(labels)), labels])
        return data + decay * sum(jnp.sum(p[w] ** 2) for w in ("W1", "W2", "W3"))

    by_jax = jax.grad(loss)({k: jnp.asarray(v) for k, v in params.items()})
    engine = G.classifier_gradients(params, X, labels, decay)
    for name in G.CLASSIFIER_BLOCKS:
        assert xorlib.relative_error(engine[name], np.asarray(by_jax[name])) < 1e-12, name


def test_xor_gradient_equals_jax_grad():
    jax, jnp = _jax()
    params, X, y = gradient_checks.random_problem(xorlib, np.random.default_rng(9), 1e-3)

    def loss(v):
        z1, z2 = X @ v[0:2] + v[2], X @ v[3:5] + v[5]
        z3 = jax.nn.relu(z1) * v[6] + jax.nn.relu(z2) * v[7] + v[8]
        return jnp.mean(jnp.logaddexp(0.0, z3) - y * z3)

    by_jax = np.asarray(jax.grad(loss)(jnp.asarray(params.to_vector())))
    assert xorlib.relative_error(G.engine_gradients(params, X, y).to_vector(), by_jax) < 1e-12
