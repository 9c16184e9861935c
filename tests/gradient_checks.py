"""Gradient checks as plain functions of the package under test.

``test_gradients.py`` runs them on xorlib; ``test_mutants.py`` runs the same
functions on deliberately broken copies of xorlib and requires each to fail.
Each check raises AssertionError when the gradient is wrong.
"""

import numpy as np

DRAWS = 100


def random_problem(xl, rng: np.random.Generator, min_kink: float = 1e-3):
    """Random params (N(0, 1) entries), random inputs and labels, n from 1 to 12,
    redrawn until every hidden pre-activation is at least ``min_kink`` from 0,
    so central differences never straddle a ReLU kink."""
    while True:
        n = int(rng.integers(1, 13))
        X = rng.normal(size=(n, 2))
        y = rng.integers(0, 2, size=n).astype(float)
        params = xl.Params.from_vector(rng.normal(size=9))
        if xl.min_kink_distance(params, X) >= min_kink:
            return params, X, y


def check_matches_central_differences(xl, method, draws=DRAWS, seed=20261125):
    """Relative error against central differences below 1e-7 on every draw."""
    rng = np.random.default_rng(seed)
    for _ in range(draws):
        params, X, y = random_problem(xl, rng)
        analytic = xl.gradients(params, X, y, method=method).to_vector()
        numeric = xl.numerical_gradient(params, X, y).to_vector()
        error = xl.relative_error(analytic, numeric)
        assert error < 1e-7, f"{method}: relative error {error:.3g} at n={X.shape[0]}"


def check_matches_central_differences_on_xor(xl, method, seeds=range(DRAWS)):
    X, y = xl.xor_data()
    for seed in seeds:
        params = xl.init_params(seed)
        if xl.min_kink_distance(params, X) < 1e-3:
            continue
        check = xl.GradientCheck(xl.gradients(params, X, y, method=method), xl.numerical_gradient(params, X, y))
        assert check.passed, f"{method}, seed {seed}:\n{check}"


def check_methods_agree(xl, draws=DRAWS, seed=1):
    """The explicit-Jacobian and backprop gradients agree to 1e-12, kinks included."""
    rng = np.random.default_rng(seed)
    for _ in range(draws):
        params, X, y = random_problem(xl, rng, min_kink=0.0)
        a = xl.gradients(params, X, y, method="jacobian").to_vector()
        b = xl.gradients(params, X, y, method="backprop").to_vector()
        assert xl.relative_error(a, b) < 1e-12


ALL_CHECKS = [
    ("jacobian vs central differences", lambda xl: check_matches_central_differences(xl, "jacobian")),
    ("backprop vs central differences", lambda xl: check_matches_central_differences(xl, "backprop")),
    ("jacobian vs central differences on XOR", lambda xl: check_matches_central_differences_on_xor(xl, "jacobian")),
    ("backprop vs central differences on XOR", lambda xl: check_matches_central_differences_on_xor(xl, "backprop")),
    ("jacobian and backprop agree", check_methods_agree),
]
