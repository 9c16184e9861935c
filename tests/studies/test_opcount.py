"""xorlib.studies.opcount: six ways to evaluate the chain, each giving the true gradient, each counted."""

import numpy as np
import pytest

import xorlib
from xorlib.studies.opcount import SCHEMES, counted_gradients, multiplies


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("n", [4, 8, 13])
def test_every_scheme_gives_backprop_and_counts_its_formula(scheme, n):
    X, y = xorlib.noisy_xor(n, noise=0.1, rng=n)
    params = xorlib.init_params(n)
    grad, count = counted_gradients(params, X, y, scheme)
    np.testing.assert_allclose(grad.to_vector(), xorlib.backprop_gradients(params, X, y).to_vector(),
                               rtol=1e-10, atol=1e-14)
    assert count == multiplies(scheme, n)


def test_sharing_delta_and_elementwise_products_each_cut_the_count():
    n = 1024
    assert multiplies("original", n) > 300 * multiplies("left to right", n)
    assert multiplies("right to left", n) > 1.5 * multiplies("right to left, δ3 shared", n)
    assert multiplies("right to left, δ3 shared", n) > 1.7 * multiplies("right to left, δ3 δ1 δ2 shared", n)
    assert multiplies("right to left, δ3 δ1 δ2 shared", n) > 300 * multiplies("elementwise, δ3 δ1 δ2 shared", n)
    assert multiplies("elementwise", n) > 1.25 * multiplies("elementwise, δ3 shared", n)
    assert multiplies("elementwise, δ3 shared", n) > 1.25 * multiplies("elementwise, δ3 δ1 δ2 shared", n)


def test_bad_scheme_and_n_are_refused():
    with pytest.raises(ValueError, match="scheme"):
        multiplies("backwards", 4)
    with pytest.raises(ValueError, match="n must be a positive integer"):
        multiplies("original", 0)
    with pytest.raises(ValueError, match="scheme"):
        counted_gradients(xorlib.init_params(0), *xorlib.xor_data(), "backwards")
