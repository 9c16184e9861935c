"""Property-based tests of gradient identities over random parameters and random n.

Derandomized, so a run is reproducible: the same examples every time.
"""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import xorlib

settings.register_profile("xorlib", derandomize=True, max_examples=150, deadline=None)
settings.load_profile("xorlib")

finite = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw, max_n=12):
    n = draw(st.integers(min_value=1, max_value=max_n))
    params = xorlib.Params.from_vector(draw(st.lists(finite, min_size=9, max_size=9)))
    X = np.array(draw(st.lists(st.tuples(finite, finite), min_size=n, max_size=n)))
    y = np.array(draw(st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n)))
    return params, X, y


def not_saturated(params, X):
    return np.all(np.abs(xorlib.forward(params, X).z3) < 30)


@given(problems())
def test_jacobian_and_backprop_agree(problem):
    params, X, y = problem
    assume(not_saturated(params, X))
    a = xorlib.gradients(params, X, y, method="jacobian").to_vector()
    b = xorlib.gradients(params, X, y, method="backprop").to_vector()
    assert np.max(np.abs(a - b)) <= 1e-12 * max(1.0, np.max(np.abs(b)))


@given(problems())
def test_backprop_matches_central_differences_away_from_kinks(problem):
    params, X, y = problem
    assume(xorlib.min_kink_distance(params, X) >= 1e-3)
    analytic = xorlib.gradients(params, X, y).to_vector()
    numeric = xorlib.numerical_gradient(params, X, y).to_vector()
    assert np.max(np.abs(analytic - numeric)) <= 1e-7 * max(1.0, np.max(np.abs(analytic)))


@given(problems(), st.integers(min_value=2, max_value=4))
def test_repeating_the_data_leaves_the_gradient_unchanged(problem, copies):
    params, X, y = problem
    once = xorlib.gradients(params, X, y).to_vector()
    repeated = xorlib.gradients(params, np.tile(X, (copies, 1)), np.tile(y, copies)).to_vector()
    np.testing.assert_allclose(repeated, once, rtol=1e-12, atol=1e-15)


@given(problems(), st.randoms(use_true_random=False))
def test_the_order_of_the_rows_does_not_matter(problem, random):
    params, X, y = problem
    order = list(range(X.shape[0]))
    random.shuffle(order)
    np.testing.assert_allclose(xorlib.gradients(params, X[order], y[order]).to_vector(),
                               xorlib.gradients(params, X, y).to_vector(), rtol=1e-12, atol=1e-15)


@given(problems())
def test_swapping_the_hidden_units_swaps_their_gradients(problem):
    params, X, y = problem
    swapped = xorlib.Params(w1=params.w2, b1=params.b2, w2=params.w1, b2=params.b1,
                            w3=params.w3[::-1], b3=params.b3)
    g, h = xorlib.gradients(params, X, y), xorlib.gradients(swapped, X, y)
    np.testing.assert_allclose(h.w1, g.w2, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(h.b2, g.b1, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(h.w3, g.w3[::-1], rtol=1e-13, atol=1e-15)


@given(problems())
def test_output_bias_gradient_is_the_mean_error(problem):
    params, X, y = problem
    f = xorlib.forward(params, X)
    g = xorlib.gradients(params, X, y)
    assert abs(g.b3 - np.mean(f.y_hat - y)) <= 1e-15 * X.shape[0]
    np.testing.assert_allclose(g.w3, f.H.T @ (f.y_hat - y) / X.shape[0], rtol=1e-12, atol=1e-15)
