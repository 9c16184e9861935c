"""Extreme but valid inputs: finite, correct numbers, and clear stops when training diverges."""

import numpy as np
import pytest

import xorlib
import xorlib.plots


@pytest.mark.parametrize("z3", [1e4, -1e4, 700.0, -745.0])
def test_backprop_gradients_are_finite_and_exact_at_extreme_logits(z3, xor):
    X, y = xor
    params = xorlib.Params(w1=[0.3, -0.2], b1=0.1, w2=[-0.4, 0.5], b2=0.2, w3=[0, 0], b3=z3)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        g = xorlib.gradients(params, X, y, method="backprop")
        value = xorlib.loss(params, X, y)
    y_hat = 1.0 if z3 > 0 else 0.0
    # ∇_{b3} L = mean(y_hat - y); w3 = 0, so no gradient reaches the hidden layer.
    assert g.b3 == pytest.approx(np.mean(y_hat - y))
    np.testing.assert_array_equal(g.to_vector()[:6], np.zeros(6))
    assert value == pytest.approx(abs(z3) / 2, rel=1e-12)


def test_jacobian_path_refuses_saturated_outputs_clearly(xor):
    X, y = xor
    params = xorlib.Params(w1=[0.3, -0.2], b1=0.1, w2=[-0.4, 0.5], b2=0.2, w3=[0, 0], b3=1e4)
    with pytest.raises(ValueError, match="method='backprop'"):
        xorlib.gradients(params, X, y, method="jacobian")


def test_gradients_are_correct_for_hidden_activations_of_1e6():
    X = np.array([[1e6, 0.0], [0.0, 1e6], [1e6, 1e6], [0.0, 0.0]])
    y = np.array([1.0, 1.0, 0.0, 0.0])
    params = xorlib.Params(w1=[1.0, 0.5], b1=0.0, w2=[-0.5, 1.0], b2=0.0, w3=[3e-7, -2e-7], b3=0.1)
    f = xorlib.forward(params, X)
    assert f.H.max() == pytest.approx(1.5e6)
    backprop = xorlib.gradients(params, X, y, method="backprop")
    jacobian = xorlib.gradients(params, X, y, method="jacobian")
    assert np.all(np.isfinite(backprop.to_vector()))
    assert xorlib.relative_error(backprop.to_vector(), jacobian.to_vector()) < 1e-12
    np.testing.assert_allclose(backprop.w3, f.H.T @ (f.y_hat - y) / 4, rtol=1e-14)


def test_loss_is_finite_for_hidden_activations_of_1e6_and_large_output_weights():
    X = np.array([[1e6, 1e6]])
    params = xorlib.Params(w1=[1.0, 0.0], b1=0.0, w2=[0.0, 1.0], b2=0.0, w3=[1.0, 1.0], b3=0.0)
    assert xorlib.loss(params, X, [0]) == pytest.approx(2e6)
    assert xorlib.loss(params, X, [1]) == 0.0
    assert np.all(np.isfinite(xorlib.gradients(params, X, [0]).to_vector()))


def test_huge_learning_rate_is_marked_diverged_not_nan(xor):
    X, y = xor
    history = xorlib.train(xorlib.init_params(0), X, y, lr=1e3, epochs=200)
    assert np.all(np.isfinite(history.losses))
    assert history.diverged
    assert not xorlib.train(xorlib.init_params(0), X, y).diverged


def test_training_that_overflows_raises_and_names_the_epoch(xor):
    X, y = xor
    with pytest.raises(xorlib.TrainingDiverged, match=r"epoch \d+.*smaller learning rate"):
        xorlib.train(xorlib.init_params(0), X, y, lr=1e306, epochs=50)


def test_diverged_run_says_so_in_the_loss_plot(xor):
    import matplotlib.pyplot as plt

    X, y = xor
    history = xorlib.train(xorlib.init_params(0), X, y, lr=1e3, epochs=100)
    ax = xorlib.plots.plot_loss_curve(history)
    assert "(diverged)" in ax.get_legend().get_texts()[0].get_text()
    plt.close(ax.figure)
