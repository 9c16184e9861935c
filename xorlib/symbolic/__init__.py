"""The original's network in SymPy, by job:

- ``network``     the layers in SymPy and every local Jacobian derived with ``Matrix.jacobian``
- ``original``    the original's formulas as it states them, compared with the derived ones
- ``checks``      exact equality at rational points and symbolically; each chain checked
- ``lambdified``  the derived formulas as numpy functions, to compare with xorlib's numbers
- ``display``     LaTeX in the notebooks' notation, and ``Equation`` for notebook cells
- ``softmax``     softmax and cross-entropy: the Jacobian diag(p) - p pᵀ derived, p - y, the vec order
                  (imported as ``xorlib.symbolic.softmax``; not re-exported here)

Everything is re-exported here, so ``from xorlib import symbolic as S`` reaches it all.
"""

from .checks import (
           ChainCheck,
           bce_sigmoid_simplification,
           check_chain,
           equal_at_points,
           equal_symbolically,
           rational_points,
)
from .display import GRADIENT_LATEX, Equation, chain_latex, latex
from .lambdified import lambdified_gradients, lambdified_jacobians
from .network import *  # noqa: F403 (the SymPy network: symbols, layers, name tables)
from .network import __all__ as _network_names
from .original import OriginalComparison, compare_with_original, original_formula

__all__ = [*_network_names, "ChainCheck", "Equation", "GRADIENT_LATEX", "OriginalComparison",
           "bce_sigmoid_simplification", "chain_latex", "check_chain", "compare_with_original",
           "equal_at_points", "equal_symbolically", "lambdified_gradients", "lambdified_jacobians", "latex",
           "original_formula", "rational_points"]
