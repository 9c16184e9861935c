"""The mutation check's checks beyond the gradient core (``gradient_checks``): training, the
ensemble, the errata and the checker's diagnosis, each run on a copy ``xl`` of xorlib.

Each check raises AssertionError when the copy does not do what the lesson says it does.
"""

import importlib
import time

import numpy as np


def _module(xl, name):
    """A submodule of the copy (the copy's own, not xorlib's)."""
    return importlib.import_module(f"{xl.__name__}.{name}")


def _problem(xl, n, seed):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    y = (rng.uniform(size=n) < 0.5).astype(float)
    return xl.Params.from_vector(rng.normal(size=9)), X, y


def check_train_takes_gradient_steps(xl):
    """train: each recorded step is θ - lr ∇L(θ), and each recorded loss the loss at θ."""
    X, y = xl.xor_data()
    history = xl.train(xl.init_params(0), X, y, lr=0.5, epochs=5)
    for k in range(5):
        before = history.params_at(k)
        np.testing.assert_allclose(history.params_at(k + 1).to_vector(),
                                   before.to_vector() - 0.5 * xl.gradients(before, X, y).to_vector(),
                                   rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(history.losses[k], xl.loss(before, X, y), rtol=1e-12)


def check_train_many_follows_train(xl):
    """The ensemble: every net ends where ``train`` from its start ends."""
    X, y = xl.xor_data()
    result = _module(xl, "studies.ensemble").train_many(X, y, n_nets=6, epochs=200, seed=1)
    for k in range(6):
        history = xl.train(result.initial.net(k), X, y, epochs=200)
        np.testing.assert_allclose(result.final.net(k).to_vector(), history.params.to_vector(), rtol=0, atol=1e-10)


def check_compiled_loops_keep_the_plain_bits(xl):
    """The compiled loops give the numpy loop's bits, so that ``train_many`` runs them: XOR's shape (its own
    loops) with 2 and 3 units and the original's gradient, and 3-bit parity (the loops for any shape)."""
    ensemble, wrong = _module(xl, "studies.ensemble"), _module(xl, "studies.wrong_gradients")
    original = wrong._original_relu_derivative
    xor = xl.xor_data()
    bits = np.array([[(i >> j) & 1 for j in range(3)] for i in range(8)], dtype=float)
    parity = (bits, bits.sum(axis=1) % 2)
    for (X, y), hidden, relu_derivative, factor in [(xor, 2, None, None), (xor, 3, None, None),
                                                    (xor, 2, original, 0.25), (parity, 2, None, None)]:
        assert ensemble._compiled_keeps_bits(X.tobytes(), *X.shape, y.tobytes(), hidden, 0.0, relu_derivative,
                                             relu_derivative is not None, factor), (X.shape, hidden, factor)


def check_gradients_many_is_each_nets_gradient(xl):
    """The ensemble's plain gradient: net k's part is ``gradients`` of net k."""
    X, y = xl.xor_data()
    ensemble = _module(xl, "studies.ensemble")
    params = ensemble.init_many(5, 2, 2, "original", np.random.default_rng(3))
    grads = ensemble.gradients_many(X, y, params)
    for k in range(5):
        np.testing.assert_allclose(grads.net(k).to_vector(), xl.gradients(params.net(k), X, y).to_vector(),
                                   rtol=1e-12, atol=1e-15)


def check_errata_identities(xl):
    """errata: no error is the true gradient, error 2 alone the true one / n, error 3 fails for
    n != 4, and error 1 is the ReLU Jacobian diag(min(1, h))."""
    for n in (3, 7):
        params, X, y = _problem(xl, n, seed=n)
        true = xl.gradients(params, X, y).to_vector()
        gradient = xl.errata.original_gradients
        np.testing.assert_allclose(gradient(params, X, y, errors=()).to_vector(), true, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(gradient(params, X, y, errors=(2,)).to_vector(), true / n, rtol=1e-12, atol=1e-15)
        try:
            gradient(params, X, y, errors=(3,))
        except ValueError as error:
            assert "not aligned" in str(error), error
        else:
            raise AssertionError(f"error 3 (np.ones((4,))) ran at n = {n}")
    J = xl.errata.original_local_jacobians(params, X, y)
    np.testing.assert_array_equal(J.h1_z1, np.diag(np.minimum(1.0, xl.forward(params, X).h1)))


def _learner_backward(scale_by_n=0, rows=None):
    """A learner's backward pass in plain numpy: every entry times n**scale_by_n; ``rows`` writes n in."""
    def backward(params, X, y):
        n = rows or X.shape[0]
        z1, z2 = X @ params.w1 + params.b1, X @ params.w2 + params.b2
        H = np.stack([np.maximum(z1, 0), np.maximum(z2, 0)], axis=1)
        y_hat = 1 / (1 + np.exp(-(H @ params.w3 + params.b3)))
        g_z3 = (y_hat - y) / n * X.shape[0] ** scale_by_n
        g_z1 = (z1 > 0) * params.w3[0] * g_z3
        g_z2 = (z2 > 0) * params.w3[1] * g_z3
        return type(params)(w1=X.T @ g_z1, b1=g_z1.sum(), w2=X.T @ g_z2, b2=g_z2.sum(),
                            w3=H.T @ g_z3, b3=g_z3.sum())
    return backward


def check_diagnosis_names_the_mistake(xl):
    """The checker passes a right backward pass and names the 1/n twice, the 1/n missing and n = 4."""
    check = _module(xl, "course.exercises").check
    assert check("08a.1", _learner_backward()).correct
    for learner, phrase in [(_learner_backward(scale_by_n=-1), "1/n applied twice"),
                            (_learner_backward(scale_by_n=1), "1/n is missing"),
                            (_learner_backward(rows=4), "n = 4")]:
        feedback = check("08a.1", learner)
        assert not feedback.correct and phrase in feedback.message, feedback.message


def check_a_hanging_function_is_stopped_within_the_stated_limit(xl):
    """The sandbox stops a learner's function at its time limit, 3 s, and says so. The function gives up by
    itself after 8 s (and at once on later calls), so that a limit that does not work ends the check too."""
    calls = []

    def hangs(params, X, y):
        calls.append(1)
        end = time.monotonic() + (8.0 if len(calls) == 1 else 0.0)
        while time.monotonic() < end:
            pass

    start = time.monotonic()
    feedback = _module(xl, "course.exercises").check("08a.1", hangs)
    elapsed = time.monotonic() - start
    assert "did not finish within 3 s" in feedback.message, feedback.message
    assert elapsed < 6.0, f"a hanging function was stopped after {elapsed:.1f} s, not after 3 s"


#: The checks of each part of xorlib that the mutation check covers beyond the gradient core.
def check_engine_matches_central_differences(xl):
    """The engine: the classifier with weight decay (each W used twice) against central differences of its loss,
    and the 2-2-1 network against xorlib's backprop, X's gradient against central differences too."""
    G = _module(xl, "graphs")
    rng = np.random.default_rng(26)
    X, labels = G.three_classes(4, rng=rng)
    params = {k: rng.normal(size=np.shape(v)) for k, v in G.init_classifier(rng=rng).items()}
    engine = G.classifier_gradients(params, X, labels, 0.05)
    numeric = G.numerical_block_gradient(lambda q: G.classifier_loss(q, X, labels, 0.05), params)
    for name in engine:
        np.testing.assert_allclose(engine[name], numeric[name], rtol=1e-6, atol=1e-8)
    p, Xx, y = _problem(xl, 6, 3)
    graph = G.xor_graph(p, Xx, y).backward()
    numeric_X = xl.numerical_jacobian(lambda flat: xl.loss(p, flat.reshape(Xx.shape), y), Xx.ravel())
    np.testing.assert_allclose(graph.grad("X").ravel(), numeric_X[0], rtol=1e-6, atol=1e-8)


def check_engine_sweeps_twice_alike(xl):
    """The engine: a second sweep over the same graph gives the same gradients (they are cleared)."""
    G = _module(xl, "graphs")
    p, X, y = _problem(xl, 5, 4)
    graph = G.xor_graph(p, X, y)
    first = graph.backward().grad("w1").copy()
    np.testing.assert_array_equal(graph.backward().grad("w1"), first)


SUITES = {
    "train": [("train takes gradient steps", check_train_takes_gradient_steps)],
    "ensemble": [("train_many follows train", check_train_many_follows_train),
                 ("gradients_many is each net's gradient", check_gradients_many_is_each_nets_gradient),
                 ("the compiled loops keep the plain bits", check_compiled_loops_keep_the_plain_bits)],
    "errata": [("errata identities", check_errata_identities)],
    "diagnosis": [("checker names the mistake", check_diagnosis_names_the_mistake)],
    "sandbox": [("a hang is stopped at 3 s", check_a_hanging_function_is_stopped_within_the_stated_limit)],
    "engine": [("engine against central differences", check_engine_matches_central_differences),
               ("engine sweeps twice alike", check_engine_sweeps_twice_alike)],
}
