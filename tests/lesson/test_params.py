import numpy as np
import pytest

import xorlib


def test_vector_order_is_w1_b1_w2_b2_w3_b3():
    p = xorlib.Params(w1=[1, 2], b1=3, w2=[4, 5], b2=6, w3=[7, 8], b3=9)
    np.testing.assert_array_equal(p.to_vector(), np.arange(1.0, 10.0))
    assert xorlib.VECTOR_NAMES[2] == "b1" and xorlib.VECTOR_NAMES[-1] == "b3"


def test_from_vector_inverts_to_vector():
    v = np.random.default_rng(3).normal(size=9)
    np.testing.assert_array_equal(xorlib.Params.from_vector(v).to_vector(), v)


def test_params_are_copied_and_read_only():
    w = np.array([1.0, 2.0])
    p = xorlib.Params(w1=w, b1=0, w2=[0, 0], b2=0, w3=[0, 0], b3=0)
    w[0] = 99.0
    assert p.w1[0] == 1.0
    with pytest.raises(ValueError):
        p.w1[0] = 5.0


def test_init_params_follows_the_original_distribution():
    draws = np.array([xorlib.init_params(s).to_vector() for s in range(2000)])
    weights = draws[:, [0, 1, 3, 4, 6, 7]]
    biases = draws[:, [2, 5, 8]]
    limit = 1 / np.sqrt(2)
    assert weights.min() >= -limit and weights.max() <= limit
    assert weights.min() < -0.99 * limit and weights.max() > 0.99 * limit
    assert biases.min() >= 0 and biases.max() <= 1
    assert abs(weights.mean()) < 0.02 and abs(biases.mean() - 0.5) < 0.02


def test_init_params_accepts_seed_or_generator():
    a = xorlib.init_params(7).to_vector()
    b = xorlib.init_params(np.random.default_rng(7)).to_vector()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, xorlib.init_params(8).to_vector())


def test_params_change_one_block_at_a_time():
    import dataclasses

    p = xorlib.init_params(0)
    q = p.replace(b3=0.5, w1=[1.0, 2.0])
    assert q.b3 == 0.5 and q.w1.tolist() == [1.0, 2.0]
    assert np.array_equal(q.w2, p.w2) and q.b1 == p.b1 and p.b3 != 0.5  # p itself unchanged
    r = dataclasses.replace(p, w3=[0.0, 0.0])
    assert r.w3.tolist() == [0.0, 0.0] and not r.w3.flags.writeable


def test_the_stable_public_api_is_exported():
    # what every notebook and branch relies on (TEAM.md); removing one breaks them
    stable = {"Params", "init_params", "forward", "loss", "gradients", "numerical_gradient", "train", "History",
              "xor_data", "repeated_xor", "noisy_xor", "relu", "relu_derivative", "sigmoid", "local_jacobians",
              "solves", "jacobian_gradients", "backprop_gradients"}
    assert stable <= set(xorlib.__all__)
    assert all(callable(getattr(xorlib, name)) for name in stable)
    assert [f for f in ("X", "z1", "h1", "z2", "h2", "H", "z3", "y_hat")] == list(
        xorlib.ForwardPass.__dataclass_fields__)
