"""The exercises of notebook 12 (From xorlib to JAX), checked with xorlib alone: no JAX needed.

They are added to ``xorlib.exercises.EXERCISES`` by the last lines of that
module, so ``check("12.1", answer)`` works like every other exercise.
"""

from __future__ import annotations

import numpy as np

from .answers import Wrong, _array, _number
from .exercises import X_XOR, Y_XOR, _on_kink, _short
from .gradients import gradients


def _check_12_1(answer):
    left = gradients(_on_kink(0.0), X_XOR, Y_XOR).b1  # ReLU'(0) = 0 takes the left slope
    right = gradients(_on_kink(1e-12), X_XOR, Y_XOR).b1  # just right of the kink
    value = _array(answer, "a number")
    if value.size == 1 and abs(float(value.reshape(())) - left) < 1e-4:
        raise Wrong("that is the value with jax.nn.relu, whose derivative at 0 is 0; jnp.maximum's is not")
    if value.size == 1 and abs(float(value.reshape(())) - right) < 1e-4:
        raise Wrong("that is the value under ReLU'(0) = 1")
    _number(answer, (left + right) / 2, 1e-4)


def _check_12_2(answer):
    if isinstance(answer, (str, bytes)):
        raise Wrong(f"expected a pair of whole numbers (JVPs, VJPs), got {answer!r}")
    value = _array(answer, "a pair of whole numbers (JVPs, VJPs)")
    if value.shape != (2,):
        raise Wrong(f"expected a pair of whole numbers (JVPs, VJPs), got shape {value.shape}")
    if np.array_equal(value, [1, 9]):
        raise Wrong("the two are swapped: forward mode builds a Jacobian a column at a time, "
                    "reverse mode a row at a time")
    if value[0] != 9:
        raise Wrong("the number of JVPs is not right: jax.jacfwd pushes one tangent per entry of its input")
    if value[1] != 1:
        raise Wrong("the number of VJPs is not right: jax.jacrev pulls back one cotangent per entry of its output")


EXERCISES_12 = [
    _short("12.1", _check_12_1,
           "jnp.maximum(z, 0) has derivative 1/2 at z = 0; notebook 04 printed ∇_b1 L just left and "
           "just right of the kink, where the derivative is 0 and 1."),
    _short("12.2", _check_12_2, "Count the entries: θ holds w1, b1, w2, b2, w3 and b3; L is one number."),
]
