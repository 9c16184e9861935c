"""xorlib: backprop by hand on XOR.

The original's 2-2-1 network (two ReLU hidden units, a sigmoid output, mean
binary cross-entropy), with its gradients computed two ways and checked a third:

- ``forward``        every intermediate z1, h1, z2, h2, H, z3, y_hat
- ``loss``           mean BCE, computed stably from the logits z3
- ``local_jacobians`` each local Jacobian of the layer table (``xorlib.layers``)
- ``gradients``      method="jacobian" (explicit matrices) or "backprop" (VJPs)
- ``numerical_gradient``  central differences, the ground truth
- ``train``          the original's full-batch gradient descent

Checking helpers, the original's errors, SymPy, plots and the ensemble live in
their modules: ``xorlib.gradcheck``, ``xorlib.errata``, ``xorlib.symbolic``,
``xorlib.plots``, ``xorlib.ensemble``.
"""

from . import errata as errata  # the original's errors, kept apart from the correct path
from .backprop import backprop_gradients
from .data import noisy_xor, repeated_xor, xor_data
from .descent import TrainingDiverged
from .gradcheck import GradientCheck, min_kink_distance, numerical_gradient, numerical_jacobian, relative_error
from .gradients import METHODS, gradients
from .jacobians import LocalJacobians, jacobian_gradients, local_jacobians
from .loss import bce_from_logits, bce_naive, loss
from .network import ForwardPass, forward, predict, relu, relu_derivative, sigmoid, solves
from .params import VECTOR_NAMES, Params, init_params
from .train import History, train

__all__ = [
    "METHODS",
    "VECTOR_NAMES",
    "ForwardPass",
    "GradientCheck",
    "History",
    "LocalJacobians",
    "Params",
    "TrainingDiverged",
    "backprop_gradients",
    "bce_from_logits",
    "bce_naive",
    "forward",
    "gradients",
    "init_params",
    "jacobian_gradients",
    "local_jacobians",
    "loss",
    "min_kink_distance",
    "noisy_xor",
    "numerical_gradient",
    "numerical_jacobian",
    "predict",
    "relative_error",
    "relu",
    "relu_derivative",
    "repeated_xor",
    "sigmoid",
    "solves",
    "train",
    "xor_data",
]
