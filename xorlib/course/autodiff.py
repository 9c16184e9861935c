"""JAX, the real autodiff engine that notebook 12 and ``tests/course/test_jax.py`` compare xorlib with.

JAX is an optional extra, because it is large (about 500 MB installed, with SciPy)::

    pip install -e ".[autodiff]"      # or: make autodiff

Nothing here imports JAX until ``require_jax`` is called, so xorlib works
without it. ``jax_missing()`` says why JAX cannot be used (or None when it
can); the test configuration uses it to skip, with that reason, what needs JAX.
"""

from __future__ import annotations

import importlib.util
import os

#: How to install the optional extra, from the repository's root folder.
INSTALL = 'pip install -e ".[autodiff]"'
#: The same pins for an install without the repository (the students' wheel): pyproject.toml's autodiff extra.
PINS = ("jax==0.10.2", "jaxlib==0.10.2")
#: The notebooks that import JAX (tests and the regeneration script skip them without it).
NEEDS_JAX = frozenset({"12_from_xorlib_to_jax.ipynb"})


def jax_missing() -> str | None:
    """None if JAX and jaxlib can be imported, else one sentence saying what to install.

    Only looks the packages up (no import), so it is cheap enough for test collection.
    """
    absent = [name for name in ("jax", "jaxlib") if importlib.util.find_spec(name) is None]
    if not absent:
        return None
    return (f"JAX is not installed ({' and '.join(absent)} not found). It is an optional extra: "
            f"run `{INSTALL}` (or `make autodiff`) in the repository's folder, or, with xorlib from a wheel, "
            f"`pip install {' '.join(PINS)}`.")


class JaxNotInstalled(ImportError):
    """Raised by ``require_jax`` without JAX. In a notebook it shows its message only, no traceback,
    and "Run All" stops at that cell."""

    def _render_traceback_(self):  # IPython shows these lines instead of a traceback
        return [str(self)]


def require_jax():
    """Import JAX for float64 work on the CPU and return ``(jax, jax.numpy)``.

    Enables ``jax_enable_x64``, so arrays are float64 like xorlib's. Unless the
    environment chooses a platform (``JAX_PLATFORMS``), JAX runs on the CPU,
    which is plenty for these problems and looks for no accelerator.
    Without JAX, raises ``JaxNotInstalled`` saying how to install it.
    """
    reason = jax_missing()
    if reason is not None:
        raise JaxNotInstalled(f"{reason} Then restart the kernel and run this notebook again.")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)
    return jax, jnp
