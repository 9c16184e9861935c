"""The classroom explorer's state and logic, tested without a browser."""

import numpy as np
import pytest

import xorlib
from xorlib.course.explorer import ChainRuleStepper, ChainRuleSteps, Explorer, ExplorerState, _figure


def test_explorer_steps_equal_train_bit_for_bit(xor):
    X, y = xor
    state = ExplorerState(seed=3, lr=0.5)
    state.step(7)
    state.step()
    history = xorlib.train(xorlib.init_params(3), X, y, lr=0.5, epochs=8)
    np.testing.assert_array_equal(state.params.to_vector(), history.params.to_vector())
    np.testing.assert_array_equal(state.losses, history.losses)
    assert state.epoch == 8


def test_step_returns_the_gradient_it_used(xor):
    X, y = xor
    state = ExplorerState(seed=0)
    expected = xorlib.gradients(xorlib.init_params(0), X, y)
    np.testing.assert_array_equal(state.gradient().to_vector(), expected.to_vector())
    np.testing.assert_array_equal(state.step().to_vector(), expected.to_vector())


def test_moving_a_parameter_restarts_the_run_from_there():
    state = ExplorerState(seed=0)
    state.step(5)
    state.set_parameter("b3", -1.25)
    assert state.epoch == 0 and state.params.b3 == -1.25
    trained = xorlib.train(xorlib.init_params(0), *xorlib.xor_data(), epochs=5)
    assert state.params.w1[0] == pytest.approx(trained.params.w1[0])
    with pytest.raises(ValueError, match="name must be one of"):
        state.set_parameter("w4", 1.0)


def test_learning_rate_and_reset():
    state = ExplorerState(seed=1, lr=0.9)
    state.set_lr(0.1)
    state.step(2)
    expected = xorlib.train(xorlib.init_params(1), *xorlib.xor_data(), lr=0.1, epochs=2)
    np.testing.assert_array_equal(state.params.to_vector(), expected.params.to_vector())
    state.reset(4)
    np.testing.assert_array_equal(state.params.to_vector(), xorlib.init_params(4).to_vector())
    with pytest.raises(ValueError, match="lr must be positive"):
        state.set_lr(0)


@pytest.mark.parametrize("parameter", ["w1", "b1", "w2", "b2", "w3", "b3"])
def test_chain_steps_end_at_the_gradient(parameter, xor):
    X, y = xor
    params = xorlib.init_params(0)
    steps = ChainRuleSteps(params, parameter)
    expected = getattr(xorlib.gradients(params, X, y), parameter)
    np.testing.assert_allclose(steps.gradient, np.atleast_1d(expected), rtol=1e-12)
    assert steps.steps[0].name == "grad_y_hat" and len(steps.steps) == (3 if parameter[1] == "3" else 5)
    assert all(step.latex for step in steps.steps)  # every factor shows its symbolic form


def test_chain_steps_describe_their_shapes():
    steps = ChainRuleSteps(xorlib.init_params(0), "w1")
    assert steps.describe(0) == "start: ∇_ŷ L, shape (4,)"
    assert steps.describe(4) == "apply (z1_w1)ᵀ, factor shape (4, 2) -> product shape (2,)"


def test_explorer_widgets_follow_the_state():
    explorer = Explorer(seed=0, lr=0.9)
    explorer.buttons["step"].click()
    explorer.buttons["train 100"].click()
    expected = xorlib.train(xorlib.init_params(0), *xorlib.xor_data(), epochs=101).params
    np.testing.assert_array_equal(explorer.state.params.to_vector(), expected.to_vector())
    assert explorer.sliders["b3"].value == pytest.approx(expected.b3, abs=0.005)
    assert explorer.epoch.max == 101 and "epoch 101" in explorer.gradient.value
    explorer.sliders["w3_1"].value = 0.5  # a student moves a slider
    assert explorer.state.params.w3[0] == 0.5 and explorer.state.epoch == 0
    explorer.lr.value = 0.1
    assert explorer.state.lr == pytest.approx(0.1)


def test_explorer_figure_and_chain_stepper_views():
    import matplotlib.pyplot as plt

    state = ExplorerState(seed=0)
    state.step(3)
    fig = _figure(state, 2)
    assert len(fig.axes) >= 3 and "epoch 2" in fig.axes[0].get_title()
    plt.close(fig)
    stepper = ChainRuleStepper(state, "w2")
    stepper.buttons["next"].click()
    assert stepper.index.value == 1 and "y_hat_z3" in stepper.view.value
    stepper.choice.value = "b3"
    assert stepper.index.max == 2 and stepper.index.value == 0


def test_explorer_and_train_share_one_step_and_one_divergence_rule():
    X, y = xorlib.xor_data()
    history = xorlib.train(xorlib.init_params(0), X, y, lr=1e3, epochs=50)
    state = ExplorerState(seed=0, lr=1e3)
    state.step(50)
    assert state.diverged == history.diverged is True
    assert np.array_equal(state.losses, history.losses)


def test_an_overflowing_explorer_step_raises_training_diverged():
    state = ExplorerState(seed=0, lr=1e306)
    with pytest.raises(xorlib.TrainingDiverged, match="smaller learning rate"):
        state.step(50)


def test_the_explorer_says_when_a_step_overflows():
    explorer = Explorer(seed=0, lr=1e306)
    explorer.buttons["step"].click()
    assert "try a smaller learning rate, then press reset" in explorer.gradient.value
    assert explorer.state.epoch == 0 and "loss" in explorer.gradient.value
