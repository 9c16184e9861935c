"""xorlib.errata: each of the original's errors does exactly what notebook 06 says it does."""

import numpy as np
import pytest

import xorlib
from xorlib.errata import original_gradients, original_local_jacobians


def as_vector(params):
    return params.to_vector()


@pytest.mark.parametrize("n", [4, 7, 12])
def test_no_error_is_the_true_gradient(n):
    params, X, y = _problem(n)
    np.testing.assert_allclose(as_vector(original_gradients(params, X, y, errors=())),
                               as_vector(xorlib.gradients(params, X, y)), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("n", [3, 4, 7, 12])
def test_error_2_alone_is_the_true_gradient_divided_by_n(n):
    params, X, y = _problem(n)
    np.testing.assert_allclose(as_vector(original_gradients(params, X, y, errors=(2,))),
                               as_vector(xorlib.gradients(params, X, y)) / n, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("n", [3, 5, 8])
def test_error_3_alone_fails_for_n_other_than_4(n):
    params, X, y = _problem(n)
    with pytest.raises(ValueError, match="not aligned"):
        original_gradients(params, X, y, errors=(3,))


def test_error_3_alone_is_harmless_at_n_4():
    params, X, y = _problem(4)
    np.testing.assert_allclose(as_vector(original_gradients(params, X, y, errors=(3,))),
                               as_vector(xorlib.gradients(params, X, y)), rtol=1e-12, atol=1e-15)


def test_error_1_alone_is_the_true_gradient_where_every_active_h_is_at_least_1():
    # min(1, h) equals step(z) where h = 0 (z < 0) or h >= 1; the two differ only where 0 < h < 1.
    X, y = xorlib.xor_data()
    steep = xorlib.Params(w1=[3.0, 2.0], b1=1.5, w2=[-2.0, 4.0], b2=1.25, w3=[0.7, -0.4], b3=0.1)
    f = xorlib.forward(steep, X)
    assert not np.any((f.H > 0) & (f.H < 1))
    np.testing.assert_allclose(as_vector(original_gradients(steep, X, y, errors=(1,))),
                               as_vector(xorlib.gradients(steep, X, y)), rtol=1e-12, atol=1e-15)
    shallow = steep.replace(w1=np.array([0.3, 0.2]), b1=0.25)  # h1 between 0 and 1 on every row
    assert np.all((xorlib.forward(shallow, X).h1 > 0) & (xorlib.forward(shallow, X).h1 < 1))
    wrong, true = original_gradients(shallow, X, y, errors=(1,)), xorlib.gradients(shallow, X, y)
    assert abs(wrong.b1 - true.b1) > 1e-3
    np.testing.assert_allclose(as_vector(wrong)[6:], as_vector(true)[6:], rtol=1e-12)  # w3, b3 do not pass ReLU


def test_error_1_is_the_relu_jacobian_diag_min_1_h():
    params, X, y = _problem(6)
    J = original_local_jacobians(params, X, y)
    f = xorlib.forward(params, X)
    np.testing.assert_array_equal(J.h1_z1, np.diag(np.minimum(1.0, f.h1)))
    np.testing.assert_array_equal(J.h2_z2, np.diag(np.minimum(1.0, f.h2)))


def test_all_three_at_n_4_are_error_1_divided_by_4():
    params, X, y = _problem(4)
    np.testing.assert_allclose(as_vector(original_gradients(params, X, y)),
                               as_vector(original_gradients(params, X, y, errors=(1,))) / 4, rtol=1e-12, atol=1e-15)


def _problem(n):
    rng = np.random.default_rng(100 + n)
    X = rng.uniform(-1, 1, size=(n, 2))
    y = (rng.uniform(size=n) < 0.5).astype(float)
    params = xorlib.Params.from_vector(rng.normal(size=9))
    return params, X, y
