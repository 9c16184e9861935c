"""Worked solutions of the short-answer exercises: the derivation, then the code.

``REASONING[id]`` is the markdown of the derivation, in the notebooks' notation;
``SOLUTIONS[id]`` is a cell of Python that computes the answer from first
principles and assigns it to ``answer`` (in a namespace with ``np``, ``sp``,
``xorlib``, ``S`` = ``xorlib.symbolic`` and ``check``). ``xorlib.course.exercises``
attaches both to each ``Exercise``; ``scripts/build_solutions.py`` puts them in
the solutions notebooks, and ``check`` never shows them.

One module per group of notebooks: 00 to 03 (the network, the loss, the
Jacobians and the chain), 04 to 07 (the kink, training, the errata, failures),
08 to 12 (VJPs, the cheat sheet, the explorer, JAX), 13 (your own autodiff engine).
"""

from . import notebooks_00_03, notebooks_04_07, notebooks_08_12, notebooks_13

_MODULES = (notebooks_00_03, notebooks_04_07, notebooks_08_12, notebooks_13)

REASONING: dict[str, str] = {k: v for m in _MODULES for k, v in m.REASONING.items()}
SOLUTIONS: dict[str, str] = {k: v for m in _MODULES for k, v in m.SOLUTIONS.items()}
