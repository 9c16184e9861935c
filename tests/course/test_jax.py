"""xorlib against a real autodiff engine: JAX, in float64.

Every local Jacobian, every backprop (VJP) step and the full gradient are
compared with what JAX computes from the layers written in ``jax.numpy``, on
random, non-symmetric problems away from ReLU kinks, at n = 4 (XOR) and other n.

JAX is an optional extra (``pip install -e ".[autodiff]"``, or ``make autodiff``).
Without it this module is skipped with that instruction, unless
XORLIB_REQUIRE_JAX is set (as in CI), when it fails.
"""

import os

import numpy as np
import pytest

import xorlib
from xorlib.course.autodiff import jax_missing, require_jax
from xorlib.loss import grad_loss_wrt_z3

import gradient_checks

if jax_missing() is not None:
    if os.environ.get("XORLIB_REQUIRE_JAX"):  # set by .ci/run
        pytest.fail(f"XORLIB_REQUIRE_JAX is set, but {jax_missing()}", pytrace=False)
    pytest.skip(jax_missing(), allow_module_level=True)

jax, jnp = require_jax()

NS = [1, 4, 7, 32]
DRAWS = 5
TOL = 1e-12


# --- the network in jax.numpy, one function per layer, written independently of xorlib -----

def layer_z(inputs, w, b):
    return inputs @ w + b


def layer_h(z):
    return jax.nn.relu(z)


def layer_y_hat(z3):
    return jax.nn.sigmoid(z3)


def layer_loss(y_hat, y):
    return -jnp.mean(y * jnp.log(y_hat) + (1 - y) * jnp.log(1 - y_hat))


def z3_of(h1, h2, w3, b3):
    return layer_z(jnp.stack([h1, h2], axis=1), w3, b3)


@jax.jit
def loss_of(theta, X, y):
    h1 = layer_h(layer_z(X, theta[0:2], theta[2]))
    h2 = layer_h(layer_z(X, theta[3:5], theta[5]))
    return layer_loss(layer_y_hat(z3_of(h1, h2, theta[6:8], theta[8])), y)


grad_of = jax.jit(jax.grad(loss_of))  # ∇L as a 9-vector in Params.to_vector() order


@jax.jit
def jax_local_jacobians(theta, X, y, z1, z2, h1, h2, H, z3, y_hat):
    w1, b1, w2, b2, w3, b3 = theta[0:2], theta[2:3], theta[3:5], theta[5:6], theta[6:8], theta[8:9]
    return {
        "grad_y_hat": jax.grad(layer_loss)(y_hat, y),
        "y_hat_z3": jax.jacrev(layer_y_hat)(z3),
        "z3_h1": jax.jacfwd(z3_of, argnums=0)(h1, h2, w3, b3),
        "z3_h2": jax.jacrev(z3_of, argnums=1)(h1, h2, w3, b3),
        "h1_z1": jax.jacfwd(layer_h)(z1),
        "h2_z2": jax.jacrev(layer_h)(z2),
        "z3_w3": jax.jacfwd(layer_z, argnums=1)(H, w3, b3),
        "z1_w1": jax.jacrev(layer_z, argnums=1)(X, w1, b1),
        "z2_w2": jax.jacfwd(layer_z, argnums=1)(X, w2, b2),
        "z1_b1": jax.jacrev(layer_z, argnums=2)(X, w1, b1),
        "z2_b2": jax.jacfwd(layer_z, argnums=2)(X, w2, b2),
        "z3_b3": jax.jacrev(layer_z, argnums=2)(H, w3, b3),
    }


@jax.jit
def jax_backprop_steps(theta, X, y, z1, z2, h1, h2, z3):
    """Each backprop step as one jax.vjp, from ∂L/∂L = 1 down to the first layer's parameters."""
    w1, b1, w2, b2, w3, b3 = theta[0:2], theta[2], theta[3:5], theta[5], theta[6:8], theta[8]
    (g_z3,) = jax.vjp(lambda z3: layer_loss(layer_y_hat(z3), y), z3)[1](1.0)
    g_h1, g_h2, g_w3, g_b3 = jax.vjp(z3_of, h1, h2, w3, b3)[1](g_z3)
    (g_z1,) = jax.vjp(layer_h, z1)[1](g_h1)
    (g_z2,) = jax.vjp(layer_h, z2)[1](g_h2)
    _, g_w1, g_b1 = jax.vjp(layer_z, X, w1, b1)[1](g_z1)
    _, g_w2, g_b2 = jax.vjp(layer_z, X, w2, b2)[1](g_z2)
    return {"g_z3": g_z3, "g_h1": g_h1, "g_h2": g_h2, "g_z1": g_z1, "g_z2": g_z2,
            "gradient": jnp.concatenate([g_w1, g_b1[None], g_w2, g_b2[None], g_w3, g_b3[None]])}


# --- random problems ------------------------------------------------------------------------

def problem_of_size(n, rng, min_kink=1e-3):
    """Random N(0, 1) parameters and inputs, random labels, every hidden pre-activation
    at least ``min_kink`` from a ReLU kink (n = 4 is XOR itself)."""
    while True:
        params = xorlib.Params.from_vector(rng.normal(size=9))
        if n == 4:
            X, y = xorlib.xor_data()
        else:
            X, y = rng.normal(size=(n, 2)), rng.integers(0, 2, size=n).astype(float)
        if xorlib.min_kink_distance(params, X) >= min_kink:
            return params, X, y


def problems(n, seed=20261125):
    rng = np.random.default_rng([seed, n])
    return [problem_of_size(n, rng) for _ in range(DRAWS)]


def assert_close(ours, theirs, what):
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} in xorlib, {theirs.shape} in JAX"
    scale = max(np.max(np.abs(ours)), np.max(np.abs(theirs)), 1.0)
    assert np.max(np.abs(ours - theirs)) <= TOL * scale, f"{what}:\nxorlib {ours}\nJAX    {theirs}"


def values(params, X):
    f = xorlib.forward(params, X)
    return dict(z1=f.z1, z2=f.z2, h1=f.h1, h2=f.h2, H=f.H, z3=f.z3, y_hat=f.y_hat)


# --- the tests ------------------------------------------------------------------------------

def test_jax_runs_in_float64():
    assert jnp.ones(1).dtype == jnp.float64
    assert grad_of(jnp.zeros(9), jnp.ones((2, 2)), jnp.array([0.0, 1.0])).dtype == jnp.float64


@pytest.mark.parametrize("n", NS)
def test_every_local_jacobian_matches_jax(n):
    for params, X, y in problems(n):
        ours = xorlib.local_jacobians(params, X, y)
        v = values(params, X)
        theirs = jax_local_jacobians(params.to_vector(), X, y, v["z1"], v["z2"], v["h1"], v["h2"], v["H"],
                                     v["z3"], v["y_hat"])
        assert sorted(theirs) == sorted(name for name, _ in ours.items())
        for name, matrix in ours.items():
            assert_close(matrix, theirs[name], f"{name} at n={n}")


@pytest.mark.parametrize("n", NS)
def test_backprop_steps_are_jax_vjps(n):
    for params, X, y in problems(n):
        f = xorlib.forward(params, X)
        steps = jax_backprop_steps(params.to_vector(), X, y, f.z1, f.z2, f.h1, f.h2, f.z3)
        g_z3 = grad_loss_wrt_z3(f.y_hat, y)  # (y_hat - y) / n
        assert_close(g_z3, steps["g_z3"], f"g_z3 at n={n}")
        for k, (z, g_h, g_z) in enumerate([(f.z1, "g_h1", "g_z1"), (f.z2, "g_h2", "g_z2")]):
            assert_close(params.w3[k] * g_z3, steps[g_h], f"{g_h} at n={n}")
            assert_close(xorlib.relu_derivative(z) * params.w3[k] * g_z3, steps[g_z], f"{g_z} at n={n}")
        assert_close(xorlib.backprop_gradients(params, X, y).to_vector(), steps["gradient"], f"gradient at n={n}")


@pytest.mark.parametrize("method", ["backprop", "jacobian"])
def test_gradients_match_jax_grad(method):
    rng = np.random.default_rng(7)
    for _ in range(30):
        params, X, y = gradient_checks.random_problem(xorlib, rng)
        ours = xorlib.gradients(params, X, y, method=method).to_vector()
        theirs = np.asarray(grad_of(params.to_vector(), X, y))
        assert xorlib.relative_error(ours, theirs) < TOL, f"n={X.shape[0]}: {ours} against {theirs}"


def test_gradients_match_jax_grad_on_xor_and_larger_n():
    for n, seed in [(4, 0), (4, 1), (256, 2), (1000, 3)]:
        X, y = xorlib.xor_data() if n == 4 else xorlib.noisy_xor(n, noise=0.1, rng=seed)
        params = xorlib.init_params(seed)
        ours = xorlib.gradients(params, X, y).to_vector()
        theirs = np.asarray(grad_of(params.to_vector(), X, y))
        assert xorlib.relative_error(ours, theirs) < TOL, f"n={n}, seed {seed}"


def test_jnp_maximum_has_derivative_one_half_at_zero_and_jax_nn_relu_zero():
    assert float(jax.grad(lambda z: jnp.maximum(z, 0.0))(0.0)) == 0.5
    assert float(jax.grad(jax.nn.relu)(0.0)) == 0.0
    assert xorlib.relu_derivative(0.0) == 0.0  # xorlib's convention is jax.nn.relu's
    z = jnp.array([-1.0, 1.0])  # away from the kink the two agree
    np.testing.assert_array_equal(jax.vmap(jax.grad(lambda z: jnp.maximum(z, 0.0)))(z), [0.0, 1.0])
    np.testing.assert_array_equal(jax.vmap(jax.grad(jax.nn.relu))(z), [0.0, 1.0])


def test_on_a_kink_jax_nn_relu_gives_xorlibs_gradient():
    X, y = xorlib.xor_data()
    base = xorlib.init_params(0).to_vector()
    base[2] = 0.0  # b1 = 0: z1 = 0 on the row (0, 0)
    params = xorlib.Params.from_vector(base)
    assert xorlib.min_kink_distance(params, X) == 0.0
    theirs = np.asarray(grad_of(base, X, y))
    assert xorlib.relative_error(xorlib.gradients(params, X, y).to_vector(), theirs) < TOL
