import numpy as np
import pytest

from xorlib.gradcheck import error_text
from xorlib.studies.ensemble import OUTCOMES, EnsembleParams, classify, dead_units, linear_units, train_many
from xorlib.studies.scaling import array_bytes, fit_slope, peak_memory


def test_fit_slope_recovers_the_exponent():
    ns = np.array([10.0, 100.0, 1000.0])
    assert fit_slope(ns, 3 * ns**2) == pytest.approx(2.0)
    assert fit_slope(ns, 0.5 * ns) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="positive"):
        fit_slope([1, 2], [0, 1])


def test_explicit_jacobians_use_quadratic_memory_and_backprop_linear():
    ns = [256, 512, 1024]
    assert fit_slope(ns, [peak_memory("jacobian", n) for n in ns]) == pytest.approx(2.0, abs=0.1)
    ns = [2**16, 2**17, 2**18]
    assert fit_slope(ns, [peak_memory("backprop", n) for n in ns]) == pytest.approx(1.0, abs=0.1)


@pytest.mark.parametrize("n", [1, 4, 7, 64])
def test_array_bytes_are_the_closed_forms(n):
    # forward: z1, h1, z2, h2, z3, y_hat (n each) and H (2n); backprop adds g_z3, g_z1, g_z2 (n each);
    # the explicit path adds five n x n Jacobians, three (n, 2), three (n, 1) and ∇_ŷ L (n): 5n² + 10n.
    assert array_bytes("backprop", n) == 8 * (8 * n + 3 * n)
    assert array_bytes("jacobian", n) == 8 * (8 * n + 5 * n * n + 10 * n)


def test_array_bytes_are_what_tracemalloc_sees_at_large_n():
    # the count leaves out only small temporaries: the measured peak is within 1% of it at n = 1024
    assert peak_memory("jacobian", 1024) == pytest.approx(array_bytes("jacobian", 1024), rel=0.01)


def test_error_text_prints_a_bound_below_it_and_two_digits_above():
    assert error_text(3.7e-10, 1e-8) == "below 1e-08"
    assert error_text(-1.1e-16, 1e-14) == "below 1e-14"
    assert error_text(0.0, 1e-12) == "below 1e-12"
    assert error_text(0.7512, 1e-8) == "7.5e-01"
    assert error_text(-2e-3, 1e-8) == "-2.0e-03"
    with pytest.raises(ValueError, match="bound"):
        error_text(1.0, 0.0)


def two_nets(W1, b1, w3, b3):
    """An EnsembleParams of one 2-2-1 net given as plain lists."""
    return EnsembleParams(np.array(W1, float)[:, :, None], np.array(b1, float)[:, None],
                          np.array(w3, float)[:, None], np.array([b3], float))


def test_dead_and_linear_units_on_xor(xor):
    X, _ = xor
    # unit 1: z = -1 - x1 - x2 < 0 everywhere (dead); unit 2: z = 1 + x1 + x2 > 0 (never folds)
    p = two_nets([[-1, 1], [-1, 1]], [-1, 1], [1, 1], 0)
    np.testing.assert_array_equal(dead_units(X, p)[:, 0], [True, False])
    np.testing.assert_array_equal(linear_units(X, p)[:, 0], [False, True])


def test_classify_names_every_net_and_solved_matches(xor):
    X, y = xor
    result = train_many(X, y, n_nets=500, epochs=500, seed=3)
    outcome = classify(result, X, y)
    assert set(outcome) <= set(OUTCOMES)
    np.testing.assert_array_equal(outcome == "solved", result.solved)
    zero = train_many(X, y, n_nets=500, epochs=500, seed=3, init="uniform_zero_bias")
    assert np.any(classify(zero, X, y) == "unit dead at init")
    assert not np.any(classify(result, X, y) == "unit dead at init")  # positive biases: (0, 0) is always active
