"""Fixtures shared by featurelib's tests.

``iris`` is built once per session; ``rng`` is a private ``random.Random`` per test, seeded
with the seed mlrun reports for that test, so a failing randomized test can be replayed with
``mlrun --seed S`` or, under plain pytest, ``MLRUN_SEED=S python -m pytest``.
"""

import os
import random
from dataclasses import dataclass

import pytest
from hypothesis import settings

import seeds

# Hypothesis: no example database in the tree, no per-example deadline (CI machines are
# noisy), and examples derived from each test itself, so every run tries the same inputs.
settings.register_profile("featurelib", database=None, deadline=None, derandomize=True)
settings.load_profile("featurelib")


@dataclass(frozen=True)
class Iris:
    """A few rows of the classic iris data set: sepal length (cm) and species."""

    sepal_length: list
    species: list
    vocabulary: list


@pytest.fixture(scope="session")
def iris():
    """Nine iris rows, three per species (a stand-in for loading the real file once)."""
    rows = [
        (5.1, "setosa"), (4.9, "setosa"), (4.7, "setosa"),
        (7.0, "versicolor"), (6.4, "versicolor"), (5.5, "versicolor"),
        (6.3, "virginica"), (5.8, "virginica"), (7.1, "virginica"),
    ]
    return Iris(
        sepal_length=[length for length, _ in rows],
        species=[species for _, species in rows],
        vocabulary=["setosa", "versicolor", "virginica"],
    )


@pytest.fixture
def seed(request):
    """This test's seed: ``MLRUN_TEST_SEED`` when mlrun set it, else the same derivation.

    Under plain pytest the run seed is ``MLRUN_SEED`` (default 0) and the suite name
    ``MLRUN_SUITE`` (default "featurelib"); the test's name is its pytest node id, as in mlrun.
    """
    if "MLRUN_TEST_SEED" in os.environ:
        return int(os.environ["MLRUN_TEST_SEED"])
    run_seed = int(os.environ.get("MLRUN_SEED", "0"))
    suite = os.environ.get("MLRUN_SUITE", "featurelib")
    return seeds.test_seed(run_seed, f"{suite}::{request.node.nodeid}")


@pytest.fixture
def rng(seed):
    """A generator of this test's own, seeded from :func:`seed`."""
    return random.Random(seed)
