"""The original derivation's three errors, reproduced on purpose to study them.

The seed notebook's training code differs from the correct gradient in three ways:

1. its ReLU Jacobian is diag(min(1, h)) instead of diag(step(z));
2. it multiplies every gradient by 1/n a second time (∇_{y'} L already has it);
3. it builds ∂z/∂b as ``np.ones((4,))``, so it only runs for n = 4.

``seed_gradients`` is ``chain_gradients`` with all three switched on. Each is
also available on its own through ``chain_gradients``'s keyword arguments.
"""

from __future__ import annotations

import numpy as np

from .jacobians import chain_gradients
from .params import Params, as_params

#: ``chain_gradients`` options that reproduce the seed's code exactly.
SEED_ERRATA = {"relu_jacobian": "min(1,h)", "mean_twice": True, "hard_coded_n": 4}


def seed_gradients(params: Params, X, y) -> Params:
    """The gradient exactly as the seed's ``Net.train`` computes it (all three errors)."""
    return chain_gradients(params, X, y, **SEED_ERRATA)


def cosine(a: Params, b: Params) -> float:
    """cos of the angle between two gradients, as 9-vectors: 1 means the same direction."""
    u = as_params(a, "a").to_vector()
    v = as_params(b, "b").to_vector()
    norms = np.linalg.norm(u) * np.linalg.norm(v)
    if norms == 0:
        raise ValueError("cosine is undefined when a gradient is zero")
    return float(u @ v / norms)
