"""The width-k network and the circuit view, held against xorlib and central differences."""

import numpy as np
import pytest
import sympy as sp

import xorlib
from xorlib import wide
from xorlib import wide_symbolic as WS
from xorlib.circuit import circuit


@pytest.mark.parametrize("d, k, n", [(2, 1, 4), (2, 3, 7), (3, 5, 8), (2, 16, 12)])
def test_wide_backward_matches_central_differences(d, k, n):
    rng = np.random.default_rng(d * 100 + k * 10 + n)
    while True:
        p = wide.WideParams(rng.normal(size=(d, k)), rng.normal(size=k), rng.normal(size=k), float(rng.normal()))
        X, y = rng.normal(size=(n, d)), rng.integers(0, 2, size=n).astype(float)
        if np.min(np.abs(wide.forward(p, X).Z1)) > 1e-3:
            break
    g, numeric = wide.backward(p, X, y), wide.numerical_gradient(p, X, y)
    assert xorlib.relative_error(g.to_vector(), numeric.to_vector()) < 1e-7


def test_width_two_is_the_original_network_column_by_column():
    params = xorlib.init_params(4)
    X, y = xorlib.noisy_xor(9, 0.2, rng=1)
    g, G = xorlib.gradients(params, X, y), wide.backward(wide.from_params(params), X, y)
    assert np.allclose(G.W1, np.column_stack([g.w1, g.w2]), rtol=1e-12, atol=1e-15)
    assert np.allclose(G.b1, [g.b1, g.b2], rtol=1e-12, atol=1e-15)
    assert np.isclose(wide.loss(wide.from_params(params), X, y), xorlib.loss(params, X, y), rtol=1e-14, atol=0)


def test_wide_symbolic_jacobians_have_their_kronecker_forms():
    X, y = xorlib.xor_data()
    net = WS.wide_network(X, y, k=3)
    J = net.jacobians()
    assert J["Z1_W1"] == sp.kronecker_product(sp.eye(3), net.X)
    assert J["z3_H"] == sp.kronecker_product(net.w3.T, sp.eye(4))
    assert J["H_Z1"] == sp.diag(*[sp.Heaviside(z, 0) for z in net.Z1.vec()])
    assert WS.chain_is_the_matrix_formula(net)


def test_sympy_direct_gradient_matches_the_matrix_formula():
    X, y = xorlib.xor_data()
    net = WS.wide_network(X, y, k=2)
    p = wide.WideParams(np.array([[0.7, -0.4], [0.3, 0.9]]), np.array([0.1, -0.2]), np.array([1.3, -0.6]), 0.25)
    point = dict(zip(net.parameters(), np.concatenate([p.W1.ravel(order="F"), p.b1, p.w3, [p.b3]])))
    g = wide.backward(p, X, y)
    expected = np.concatenate([g.W1.ravel(order="F"), g.b1, g.w3, [g.b3]])
    assert np.allclose(WS.direct_gradient(net, point), expected, rtol=1e-12, atol=1e-15)


def test_width_two_never_solves_three_bit_parity_where_width_eight_often_does():
    from xorlib.studies.ensemble import train_many
    X, y = wide.parity_data(3)
    assert train_many(X, y, n_nets=100, epochs=2000, seed=0, hidden=2).solve_rate == 0.0
    assert train_many(X, y, n_nets=100, epochs=2000, seed=0, hidden=8).solve_rate > 0.5


def test_circuit_gradients_are_xorlibs_and_the_originals_differ_first_after_the_relu():
    params = xorlib.init_params(0)
    X, y = xorlib.xor_data()
    right, original = circuit(params, X, y, row=1), circuit(params, X, y, row=1, original=True)
    g = xorlib.gradients(params, X, y)
    seed = xorlib.errata.original_gradients(params, X, y, errors=(1, 2,))
    for name in ["w1", "b1", "w2", "b2", "w3", "b3"]:
        assert np.allclose(right.grads[name], getattr(g, name), rtol=1e-12, atol=0)
        assert np.allclose(original.grads[name], getattr(seed, name), rtol=1e-12, atol=0)
    for name in ["L", "y_hat", "z3", "h1", "h2"]:
        assert np.isclose(right.grads[name], original.grads[name], rtol=1e-12, atol=0)
    f = xorlib.forward(params, X)
    assert np.isclose(original.grads["z1"], f.h1[1] * right.grads["z1"], rtol=1e-12, atol=0)
    assert not np.isclose(original.grads["z1"], right.grads["z1"])


def test_circuit_refuses_a_row_outside_the_batch():
    with pytest.raises(ValueError, match="row must be an integer from 0 to 3"):
        circuit(xorlib.init_params(0), *xorlib.xor_data(), row=4)


def test_wide_params_are_validated_at_the_boundary():
    p = wide.WideParams(np.zeros((2, 3)), np.zeros(2), np.zeros(3), 0.0)
    with pytest.raises(ValueError, match=r"params.b1 must have shape \(3,\)"):
        wide.backward(p, *xorlib.xor_data())
    with pytest.raises(TypeError, match="params must be a WideParams"):
        wide.forward(xorlib.init_params(0), xorlib.xor_data()[0])


def test_the_originals_circuit_outlines_exactly_the_nodes_whose_gradient_differs():
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba

    from xorlib.circuit import plot_circuit

    ax = plot_circuit(xorlib.init_params(0), *xorlib.xor_data(), row=1, original=True)
    red = to_rgba("tab:red")
    outlined = sorted(t.get_text().split(" = ")[0] for t in ax.texts
                      if t.get_bbox_patch() is not None and t.get_bbox_patch().get_edgecolor() == red)
    plt.close(ax.figure)
    assert outlined == ["b1", "b2", "b3", "w1", "w2", "w3", "z1", "z2"]
