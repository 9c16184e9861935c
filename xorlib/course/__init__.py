"""The course machinery: what a student calls, and never needs to read.

``check(exercise_id, answer)`` is the one name a notebook imports from here (``EXERCISES``,
the registry, is for the course's scripts). The rest:

- ``exercises``         the registry of every exercise (short answers and code), ``check``
- ``parsing``           reading a short answer in any reasonable form
- ``coding_exercises``  the coding exercises, run on fixed problems and compared with the truth
- ``sandbox``           running a learner's function as untrusted code (copies, a time limit)
- ``diagnosis``         which classic mistake the evidence fits
- ``mistakes``, ``mistakes_training``, ``mistakes_wide``  the mistake catalogues
- ``keys/``             the worked solutions (the answer keys)
- ``explorer``, ``explorer_state``  notebook 10's classroom explorer: widgets and their state
- ``autodiff``          JAX in float64 on the CPU, for notebook 12, or a clear install message
"""

from .exercises import EXERCISES, check

__all__ = ["EXERCISES", "check"]
