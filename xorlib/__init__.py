"""xorlib: backprop by hand on XOR.

The original's 2-2-1 network (two ReLU hidden units, a sigmoid output, mean
binary cross-entropy), with its gradients computed two ways and checked a third.

This folder is the lesson. Read it in this order, as the notebooks do:

- ``data``, ``params``   the XOR data; the nine parameters and the original's initialisation
- ``network``, ``loss``  the forward pass on named quantities; mean BCE from the logits
- ``edges``             the table of edges: each local derivative, its Jacobian and its names
- ``jacobians``         the explicit local Jacobians and the original's chain rule
- ``backprop``          the same gradients as vector-Jacobian products (notebook 09's lines)
- ``gradients``         method="jacobian" or "backprop"
- ``gradcheck``         central differences, the ground truth, and the check tables
- ``descent``, ``train`` full-batch gradient descent, as the original trains
- ``errata``            the original's three errors, apart from the correct path
- ``circuit``, ``wide``, ``wide_symbolic``  backprop as a circuit; a hidden layer of any width
- ``engine``, ``graphs``  a small reverse-mode engine (each op's VJP written once, for any graph);
  the networks as its graphs, and a softmax classifier with weight decay beyond XOR
- ``plots``, ``symbolic/``  figures; the network in SymPy

Two folders hold the rest, and the lesson imports neither:

- ``xorlib.studies``  the vectorised measurements behind notebooks 06 to 08
- ``xorlib.course``   what a student calls (``from xorlib.course import check``) but never needs
  to read: the exercises, their checkers and answer keys, the explorer, the JAX helpers
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
