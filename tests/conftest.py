"""Shared fixtures: random, non-symmetric problems away from ReLU kinks."""

import numpy as np
import pytest

import xorlib


def random_problem(rng: np.random.Generator, min_kink: float = 1e-3):
    """Random params (N(0, 1) entries), random inputs and labels, n from 1 to 12.

    Redrawn until every hidden pre-activation is at least ``min_kink`` from 0,
    so central differences never straddle a ReLU kink.
    """
    while True:
        n = int(rng.integers(1, 13))
        X = rng.normal(size=(n, 2))
        y = rng.integers(0, 2, size=n).astype(float)
        params = xorlib.Params.from_vector(rng.normal(size=9))
        if xorlib.min_kink_distance(params, X) >= min_kink:
            return params, X, y


@pytest.fixture
def xor():
    return xorlib.xor_data()


@pytest.fixture
def fixed_params():
    """Hand-picked, non-symmetric parameters: each unit is active on some rows only."""
    return xorlib.Params(
        w1=np.array([0.7, -0.4]), b1=0.1,
        w2=np.array([-0.3, 0.9]), b2=-0.2,
        w3=np.array([1.3, -0.6]), b3=0.25,
    )
