"""Bad input raises a clear TypeError or ValueError that names the argument."""

import math

import numpy as np
import pytest

import xorlib
from xorlib import plots
from xorlib.errata import cosine
from xorlib.loss import bce_from_logits, bce_naive, grad_loss_wrt_y_hat, grad_loss_wrt_z3

X, Y = xorlib.xor_data()
P = xorlib.init_params(0)
V = P.to_vector()


def params_with(**fields):
    values = dict(w1=P.w1, b1=P.b1, w2=P.w2, b2=P.b2, w3=P.w3, b3=P.b3)
    values.update(fields)
    return xorlib.Params(**values)


CASES = {
    # X
    "X 1-D": (lambda: xorlib.forward(P, [0.0, 1.0]), ValueError, "X must be 2-D"),
    "X 3-D": (lambda: xorlib.loss(P, np.zeros((4, 2, 1)), Y), ValueError, "X must be 2-D"),
    "X three columns": (lambda: xorlib.forward(P, np.zeros((4, 3))), ValueError, "X must have 2 columns"),
    "X empty": (lambda: xorlib.forward(P, np.zeros((0, 2))), ValueError, "X must have at least one row"),
    "X empty list": (lambda: xorlib.forward(P, []), ValueError, "X must be 2-D"),
    "X NaN": (lambda: xorlib.forward(P, [[0, np.nan], [1, 1]]), ValueError, "X must be finite"),
    "X inf": (lambda: xorlib.gradients(P, [[0, np.inf]], [1]), ValueError, "X must be finite"),
    "X strings": (lambda: xorlib.forward(P, [["0", "1"]]), TypeError, "X must hold real numbers"),
    "X text": (lambda: xorlib.forward(P, "XOR"), TypeError, "X must be numeric"),
    "X ragged": (lambda: xorlib.forward(P, [[0, 1], [1]]), TypeError, "X must be numeric"),
    "X complex": (lambda: xorlib.forward(P, np.array([[1j, 0]])), TypeError, "X must hold real numbers"),
    "X None": (lambda: xorlib.forward(P, None), TypeError, "X must be numeric array-like, got NoneType"),
    # y
    "y rows differ from X": (lambda: xorlib.loss(P, X, [0, 1, 1]), ValueError, "y must have one label per row of X"),
    "y 2-D": (lambda: xorlib.loss(P, X, Y[:, None]), ValueError, "y must be 1-D"),
    "y label 2": (lambda: xorlib.loss(P, X, [0, 1, 2, 0]), ValueError, "y must hold labels 0 or 1"),
    "y label 0.5": (lambda: xorlib.gradients(P, X, [0, 0.5, 1, 0]), ValueError, "y must hold labels 0 or 1"),
    "y NaN": (lambda: xorlib.loss(P, X, [0, np.nan, 1, 0]), ValueError, "y must be finite"),
    # params
    "params a dict": (lambda: xorlib.loss(dict(w1=P.w1), X, Y), TypeError, "params must be an xorlib.Params"),
    "params a vector": (lambda: xorlib.gradients(V, X, Y), TypeError, "params must be an xorlib.Params"),
    "params w1 shape": (lambda: params_with(w1=[1.0, 2.0, 3.0]), ValueError, "Params.w1 must have shape (2,)"),
    "params w3 scalar": (lambda: params_with(w3=1.0), ValueError, "Params.w3 must have shape (2,)"),
    "params b2 list": (lambda: params_with(b2=[1.0, 2.0]), TypeError, "Params.b2 must be a real number"),
    "params b2 array": (lambda: params_with(b2=np.array([1.0, 2.0])), ValueError, "Params.b2 must be a scalar"),
    "params b1 NaN": (lambda: params_with(b1=math.nan), ValueError, "Params.b1 must be finite"),
    "params w2 inf": (lambda: params_with(w2=[0.0, np.inf]), ValueError, "Params.w2 must be finite"),
    "params b3 string": (lambda: params_with(b3="0.5"), TypeError, "Params.b3 must be a real number"),
    "from_vector length 8": (lambda: xorlib.Params.from_vector(V[:8]), ValueError, "vector must hold the 9 parameters"),
    "from_vector 2-D": (lambda: xorlib.Params.from_vector(V.reshape(3, 3)), ValueError, "vector must hold the 9 parameters"),
    "init seed negative": (lambda: xorlib.init_params(-1), ValueError, "rng seed must be a non-negative integer"),
    "init seed float": (lambda: xorlib.init_params(1.5), TypeError, "rng must be an int seed"),
    # training
    "lr zero": (lambda: xorlib.train(P, X, Y, lr=0), ValueError, "lr must be positive"),
    "lr negative": (lambda: xorlib.train(P, X, Y, lr=-0.1), ValueError, "lr must be positive"),
    "lr NaN": (lambda: xorlib.train(P, X, Y, lr=math.nan), ValueError, "lr must be finite"),
    "lr inf": (lambda: xorlib.train(P, X, Y, lr=math.inf), ValueError, "lr must be finite"),
    "lr string": (lambda: xorlib.train(P, X, Y, lr="0.9"), TypeError, "lr must be a real number"),
    "epochs zero": (lambda: xorlib.train(P, X, Y, epochs=0), ValueError, "epochs must be a positive integer"),
    "epochs float": (lambda: xorlib.train(P, X, Y, epochs=10.0), TypeError, "epochs must be a positive integer"),
    "epochs bool": (lambda: xorlib.train(P, X, Y, epochs=True), TypeError, "epochs must be a positive integer"),
    "train method": (lambda: xorlib.train(P, X, Y, method="adam"), ValueError, "method must be one of"),
    "params_at out of range": (lambda: xorlib.train(P, X, Y, epochs=3).params_at(4), ValueError, "epoch must be between 0 and 3"),
    # gradients
    "gradients method": (lambda: xorlib.gradients(P, X, Y, method="numerical"), ValueError, "method must be one of"),
    "gradients method type": (lambda: xorlib.gradients(P, X, Y, method=None), TypeError, "method must be one of"),
    "errata error number": (lambda: xorlib.errata.original_gradients(P, X, Y, errors=(4,)), ValueError, "errors must hold error numbers"),
    "errata errors a string": (lambda: xorlib.errata.original_gradients(P, X, Y, errors="1"), TypeError, "errors must be a collection"),
    "Params.replace unknown block": (lambda: P.replace(w4=[0.0, 0.0]), TypeError, "Params.replace takes the blocks"),
    "Params.replace bad shape": (lambda: P.replace(w1=[0.0]), ValueError, "Params.w1 must have shape (2,)"),
    "loss_many X 1-D": (lambda: __import__("xorlib.studies.ensemble").studies.ensemble.loss_many(X[:, 0], Y, None), TypeError, "params must be an EnsembleParams"),
    "relu_prime_at_zero text": (lambda: __import__("xorlib.studies.ensemble").studies.ensemble.train_many(X, Y, n_nets=2, epochs=1, relu_prime_at_zero="0.5"), TypeError, "relu_prime_at_zero must be a real number"),
    "gradients_many relu_prime_at_zero": (lambda: __import__("xorlib.studies.ensemble").studies.ensemble.gradients_many(X, Y, __import__("xorlib.studies.ensemble").studies.ensemble.init_many(2, 2, 2, "original", np.random.default_rng(0)), relu_prime_at_zero=2.0), ValueError, "relu_prime_at_zero must be in [0, 1]"),
    "loss_many X 1-D with params": (lambda: __import__("xorlib.studies.ensemble").studies.ensemble.loss_many(X[:, 0], Y, __import__("xorlib.studies.ensemble").studies.ensemble.init_many(2, 2, 2, "original", np.random.default_rng(0))), ValueError, "X must be 2-D"),
    "eps zero": (lambda: xorlib.numerical_gradient(P, X, Y, eps=0), ValueError, "eps must be positive"),
    "eps negative": (lambda: xorlib.numerical_gradient(P, X, Y, eps=-1e-6), ValueError, "eps must be positive"),
    "numerical_jacobian eps": (lambda: xorlib.numerical_jacobian(np.sin, [0.0], eps=0), ValueError, "eps must be positive"),
    "numerical_jacobian function": (lambda: xorlib.numerical_jacobian(3, [0.0]), TypeError, "function must be callable"),
    "relative_error shapes": (lambda: xorlib.relative_error(np.ones(3), np.ones(4)), ValueError, "a and b must have the same shape"),
    "GradientCheck tol": (lambda: xorlib.GradientCheck(P, P, tol=0), ValueError, "tol must be positive"),
    "GradientCheck type": (lambda: xorlib.GradientCheck(V, P), TypeError, "computed must be an xorlib.Params"),
    "cosine zero": (lambda: cosine(xorlib.Params.from_vector(np.zeros(9)), P), ValueError, "cosine is undefined"),
    "repeated_xor copies": (lambda: xorlib.repeated_xor(0), ValueError, "copies must be a positive integer"),
    # loss helpers
    "bce z3 2-D": (lambda: bce_from_logits(np.zeros((4, 1)), Y), ValueError, "z3 must be a non-empty 1-D array"),
    "bce y length": (lambda: bce_from_logits(np.zeros(3), Y), ValueError, "y must have one label per row"),
    "bce_naive y_hat > 1": (lambda: bce_naive([0.5, 1.5, 0.5, 0.5], Y), ValueError, "y_hat must hold probabilities"),
    "grad y_hat exactly 1": (lambda: grad_loss_wrt_y_hat([0.5, 1.0, 0.5, 0.5], Y), ValueError, "strictly between 0 and 1"),
    "grad z3 y_hat shape": (lambda: grad_loss_wrt_z3(np.full((2, 2), 0.5), Y), ValueError, "y_hat must be a non-empty 1-D array"),
    # plots
    "plot params type": (lambda: plots.plot_decision_boundary(V, X, Y), TypeError, "params must be an xorlib.Params"),
    "plot y labels": (lambda: plots.plot_points(X, [0, 3, 1, 0]), ValueError, "y must hold labels 0 or 1"),
    "plot jacobian 3-D": (lambda: plots.plot_jacobian(np.zeros((2, 2, 2))), ValueError, "matrix must be 1-D or 2-D"),
    "plot history type": (lambda: plots.plot_loss_curve([0.5, 0.4]), TypeError, "history must be the History"),
    "display not a figure": (lambda: plots.display_figure(None, "a figure described in words"), TypeError,
                             "fig must be a matplotlib Figure"),
    "display without alt": (lambda: plots.display_figure(plots.plot_bce().figure, ""), ValueError,
                            "alt must describe the figure in words"),
    "display with its title as alt": (
        lambda: plots.display_figure(plots.plot_points(*xorlib.xor_data()).set_title("the four XOR points, by class")
                                     .figure, "the four XOR points, by class"), ValueError, "not repeat its title"),
    "sigmoid text": (lambda: xorlib.sigmoid("big"), TypeError, "z must be numeric array-like"),
    "relu NaN": (lambda: xorlib.relu([0.0, np.nan]), ValueError, "z must be finite"),
    "relu_derivative strings": (lambda: xorlib.relu_derivative(["a"]), TypeError, "z must hold real numbers"),
    "loss_many params": (lambda: __import__("xorlib.studies.ensemble").studies.ensemble.loss_many(X, Y, P), TypeError, "params must be an EnsembleParams"),
    "snapshots no epochs": (lambda: plots.plot_boundary_snapshots(xorlib.train(P, X, Y, epochs=2), X, Y, []), ValueError, "epochs must name"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_raises_a_clear_error(case):
    call, error_type, message = CASES[case]
    with pytest.raises(error_type) as raised:
        call()
    assert message in str(raised.value)


def test_valid_input_of_other_types_is_accepted():
    expected = xorlib.loss(P, X, Y)
    as_lists = xorlib.loss(P, X.astype(int).tolist(), [0, 1, 1, 0])
    as_ints = xorlib.loss(P, X.astype(np.int64), Y.astype(np.int8))
    as_bools = xorlib.loss(P, X.astype(bool), Y.astype(bool))
    assert as_lists == as_ints == as_bools == expected
    p = xorlib.Params(w1=[1, 2], b1=np.float32(0.5), w2=(3, 4), b2=1, w3=np.array([5, 6]), b3=np.array(0.25))
    np.testing.assert_array_equal(p.to_vector(), [1, 2, 0.5, 3, 4, 1, 5, 6, 0.25])
    assert isinstance(p.b1, float) and p.w2.dtype == np.float64
    assert xorlib.train(P, X, Y, lr=1, epochs=np.int64(3)).epochs == 3


def test_no_bad_input_produces_a_numpy_warning():
    # Each case fails in xorlib's own checks, before numpy can warn or emit NaN.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for call, error_type, _ in CASES.values():
            with pytest.raises(error_type):
                call()
