import numpy as np
import pytest

import xorlib
from xorlib.gradcheck import error_text
from xorlib.network import right_side
from xorlib.studies.ensemble import (
    OUTCOMES,
    EnsembleParams,
    EnsembleResult,
    classify,
    dead_units,
    hidden_many,
    linear_units,
    shared_inputs,
    shared_point_sizes,
    train_many,
)
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


def ensemble(nets):
    """An EnsembleParams of 2-2-1 nets, each given as (W1 columns per unit, b1, w3, b3)."""
    W1 = np.stack([np.array(W1, float).T for W1, _, _, _ in nets], axis=2)
    return EnsembleParams(W1, np.array([b1 for _, b1, _, _ in nets], float).T,
                          np.array([w3 for _, _, w3, _ in nets], float).T, np.array([b3 for *_, b3 in nets], float))


# Hidden units as (weights, bias) on the inputs (0, 0), (0, 1), (1, 0), (1, 1), labels 0, 1, 1, 0:
DEAD = ([-1, -1], -0.1)  # z < 0 on every input
ALIVE = ([1, 1], 0.5)  # z > 0 on every input
X1_NOT_X2 = ([1, -1], 0.0)  # h = 0, 0, 1, 0
BOTH = ([1, 1], -1.5)  # h = 0, 0, 0, 0.5
BOTH_LOW = ([1, 1], -1.2)  # h = 0, 0, 0, 0.8
X2_NOT_X1 = ([-1, 1], 0.5)  # h = 0.5, 1.5, 0, 0.5


def net(unit_1, unit_2):
    return ([unit_1[0], unit_2[0]], [unit_1[1], unit_2[1]], [1.0, 1.0], 0.0)


def test_classify_puts_each_kind_of_failure_in_its_class(xor):
    X, y = xor
    start = [net(DEAD, ALIVE), net(ALIVE, ALIVE), net(ALIVE, ALIVE), net(X1_NOT_X2, BOTH), net(BOTH, BOTH_LOW),
             net(X1_NOT_X2, X2_NOT_X1), net(X1_NOT_X2, BOTH)]
    end = [net(DEAD, ALIVE), net(ALIVE, DEAD), net(ALIVE, ALIVE), net(X1_NOT_X2, BOTH), net(BOTH, BOTH_LOW),
           net(X1_NOT_X2, X2_NOT_X1), net(X1_NOT_X2, BOTH)]
    solved = np.array([False] * 6 + [True])
    result = EnsembleResult(initial=ensemble(start), final=ensemble(end), losses=np.zeros(7),
                            initial_losses=np.zeros(7), predictions=np.full((4, 7), 0.5), solved=solved,
                            diverged=np.zeros(7, bool),
                            loss_history=None, history_epochs=None, config={})
    # the fourth net: (0, 0) and (0, 1) share h = (0, 0); the fifth: three inputs do; the sixth: only
    # (0, 0) and (1, 1), both labelled 0, share a point (0, 0.5), which is no reason to fail
    assert shared_point_sizes(X, y, result.final).tolist() == [0, 0, 0, 2, 3, 0, 2]
    groups = shared_inputs(X, y, result.final)
    np.testing.assert_array_equal(groups[:, 3], [True, True, False, False])  # (0, 0) and (0, 1)
    np.testing.assert_array_equal(groups[:, 4], [True, True, True, False])
    assert not groups[:, 5].any()
    assert classify(result, X, y).tolist() == [
        "unit dead at init", "unit died in training", "no unit folds", "two inputs, one hidden point",
        "three inputs, one hidden point", "other", "solved"]
    assert list(OUTCOMES) == ["solved", "unit dead at init", "unit died in training", "no unit folds",
                              "two inputs, one hidden point", "three inputs, one hidden point", "other"]


def test_inputs_share_a_point_within_a_tenth_of_the_longest_hidden_vector(xor):
    X, y = xor
    # unit 2's h = x1 + 0.09 x2 is 0, 0.09, 1, 1.09: (0, 0) and (0, 1) are 0.09 apart, within 0.1 * 1.09,
    # and so are (1, 0) and (1, 1): two pairs of different labels, four inputs in all
    near = ensemble([([[0.0, 0.0], [1.0, 0.09]], [0.0, 0.0], [1.0, 1.0], 0.0)])
    # h = x1 + 0.2 x2 is 0, 0.2, 1, 1.2: 0.2 apart, beyond 0.1 * 1.2
    far = ensemble([([[0.0, 0.0], [1.0, 0.2]], [0.0, 0.0], [1.0, 1.0], 0.0)])
    assert shared_point_sizes(X, y, near).tolist() == [4]
    assert shared_point_sizes(X, y, far).tolist() == [0]
    assert shared_point_sizes(X, y, far, near=0.2).tolist() == [4]


def test_with_the_true_gradient_shared_points_leave_three_of_four_right(xor):
    X, y = xor
    result = train_many(X, y, n_nets=2000, epochs=1000, seed=0)
    outcome = classify(result, X, y)
    right = np.sum(right_side(result.predictions, y[:, None]), axis=0)
    for name, loss in [("two inputs, one hidden point", np.log(2) / 2),
                       ("three inputs, one hidden point", 0.75 * np.log(3) - 0.5 * np.log(2))]:
        nets = outcome == name
        assert nets.sum() > 20
        assert np.all(right[nets] == 3)
        np.testing.assert_allclose(result.losses[nets], loss, atol=2e-3)
    assert not np.any(outcome == "other")


def test_hidden_many_is_each_nets_forward_pass(xor):
    X, _ = xor
    result = train_many(X, xor[1], n_nets=5, epochs=10, seed=2)
    hidden = hidden_many(X, result.final)
    for k in range(5):
        np.testing.assert_array_equal(hidden[:, :, k], xorlib.forward(result.final.net(k), X).H)
