"""The loss around one point: is it a minimum, a saddle, flat? (notebook 07)"""

from __future__ import annotations

import numpy as np

from ..params import Params, as_params
from ..validation import as_float_array, as_inputs, as_positive_int, as_targets
from .ensemble import EnsembleParams, loss_many


def perturbed_losses(params: Params, X, y, radii, n_directions: int = 1000, seed=0) -> np.ndarray:
    """Loss at ``params + r u`` for random unit 9-vectors u, shape (len(radii), n_directions).

    The same ``n_directions`` directions (uniform on the sphere) are used at every radius r.
    """
    params = as_params(params)
    X = as_inputs(X)
    y = as_targets(y, X.shape[0])
    radii = as_float_array(radii, "radii")
    if radii.ndim != 1 or np.any(radii < 0):
        raise ValueError(f"radii must be a 1-D array of non-negative numbers, got {radii!r}")
    n_directions = as_positive_int(n_directions, "n_directions")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    u = rng.normal(size=(n_directions, 9))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    theta = params.to_vector() + radii[:, None, None] * u  # (radii, directions, 9)
    t = theta.reshape(-1, 9).T  # (9, m): rows w1_1, w1_2, b1, w2_1, w2_2, b2, w3_1, w3_2, b3
    nets = EnsembleParams(W1=np.stack([t[0:2], t[3:5]], axis=1), b1=np.stack([t[2], t[5]]),
                          w3=np.stack([t[6], t[7]]), b3=t[8].copy())  # one net per (radius, direction)
    return loss_many(X, y, nets).reshape(radii.size, n_directions)
