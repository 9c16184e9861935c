"""Shared fixtures: random, non-symmetric problems away from ReLU kinks."""

import numpy as np
import pytest

import xorlib

import gradient_checks


def random_problem(rng: np.random.Generator, min_kink: float = 1e-3):
    """A random problem away from ReLU kinks; see gradient_checks.random_problem."""
    return gradient_checks.random_problem(xorlib, rng, min_kink)


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


#: mutant name -> the check that caught it (or None), gathered from the test reports, so that
#: it works under pytest-xdist too (the workers send each report's user_properties back).
MUTANT_RESULTS = {}


def pytest_runtest_logreport(report):
    if report.when == "call":
        for key, value in report.user_properties:
            if key == "mutant":
                name, caught_by, total = value
                MUTANT_RESULTS[name] = caught_by
                MUTANT_RESULTS["total"] = total


def pytest_terminal_summary(terminalreporter):
    """Report the mutation check's count at the end of the run."""
    if MUTANT_RESULTS:
        total = MUTANT_RESULTS.pop("total")
        caught = sum(v is not None for v in MUTANT_RESULTS.values())
        terminalreporter.write_line(f"mutation check: {caught} of {total} mutants caught")
