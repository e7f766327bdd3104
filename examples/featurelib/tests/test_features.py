"""Unit tests for featurelib.features.

Plain functions with bare ``assert``s; run them through mlrun (see README.md)
or directly with ``python3 tests/mlrun_plugin.py``. Randomized tests draw from
a generator seeded by the run/test seed that mlrun passes in the environment,
so a failure can be replayed with the same seed.
"""

import math
import os
import random

from featurelib.features import (
    bucketize,
    clip_outliers,
    min_max_scale,
    one_hot,
    quantile,
    rolling_mean,
    standardize,
)
from marks import mark, skip, timeout

# A few rows of the classic iris data set: (sepal length cm, species).
IRIS_SAMPLE = [
    (5.1, "setosa"), (4.9, "setosa"), (4.7, "setosa"),
    (7.0, "versicolor"), (6.4, "versicolor"), (5.5, "versicolor"),
    (6.3, "virginica"), (5.8, "virginica"), (7.1, "virginica"),
]
IRIS_SPECIES = ["setosa", "versicolor", "virginica"]


def seeded_rng() -> random.Random:
    """A private generator seeded from the per-test seed, else the run seed."""
    return random.Random(int(os.environ.get("MLRUN_TEST_SEED", os.environ.get("MLRUN_SEED", "0"))))


def raises(exc_type, fn, *args) -> bool:
    try:
        fn(*args)
    except exc_type:
        return True
    return False


def close(a, b, tol=1e-9) -> bool:
    return all(math.isclose(x, y, rel_tol=tol, abs_tol=tol) for x, y in zip(a, b, strict=True))


# --- standardize -------------------------------------------------------------

def test_standardize_known_values():
    # mean 5, population std 2 (the textbook example).
    z = standardize([2, 4, 4, 4, 5, 5, 7, 9])
    assert close(z, [-1.5, -0.5, -0.5, -0.5, 0.0, 0.0, 1.0, 2.0]), z


def test_standardize_constant_column_raises():
    assert raises(ValueError, standardize, [3.0, 3.0, 3.0])
    assert raises(ValueError, standardize, [])


@mark("slow")
@mark("property")
@timeout(10)
def test_standardize_zero_mean_unit_std_random():
    rng = seeded_rng()
    values = [rng.gauss(50.0, 12.0) for _ in range(20_000)]
    z = standardize(values)
    mean = math.fsum(z) / len(z)
    var = math.fsum((x - mean) ** 2 for x in z) / len(z)
    assert abs(mean) < 1e-12, mean
    assert abs(var - 1.0) < 1e-12, var
    print(f"standardize: mean={mean:.3e} var-1={var - 1:.3e}")  # goes to stderr under mlrun
    return {"abs_mean": abs(mean)}


# --- min_max_scale -----------------------------------------------------------

@mark("dataset", name="iris", rows=len(IRIS_SAMPLE))
def test_min_max_scale_iris_sepal_length():
    lengths = [row[0] for row in IRIS_SAMPLE]
    scaled = min_max_scale(lengths)
    assert min(scaled) == 0.0 and max(scaled) == 1.0
    assert scaled[lengths.index(4.7)] == 0.0
    assert math.isclose(scaled[0], (5.1 - 4.7) / (7.1 - 4.7))


def test_min_max_scale_constant_and_custom_range():
    assert min_max_scale([4, 4, 4]) == [0.0, 0.0, 0.0]
    assert min_max_scale([0, 5, 10], lo=-1, hi=1) == [-1.0, 0.0, 1.0]
    assert raises(ValueError, min_max_scale, [1, 2], 1.0, 1.0)


# --- one_hot -----------------------------------------------------------------

@mark("dataset", name="iris", rows=len(IRIS_SAMPLE), cached=True)
def test_one_hot_iris_species():
    rows = one_hot([row[1] for row in IRIS_SAMPLE], IRIS_SPECIES)
    assert len(rows) == len(IRIS_SAMPLE)
    assert all(sum(r) == 1 for r in rows)
    assert rows[0] == [1, 0, 0] and rows[3] == [0, 1, 0] and rows[-1] == [0, 0, 1]


def test_one_hot_unknown_label_is_all_zeros():
    assert one_hot(["b", "zzz", "a"], ["a", "b"]) == [[0, 1], [0, 0], [1, 0]]
    assert one_hot([], ["a"]) == []
    assert raises(ValueError, one_hot, ["a"], ["a", "a"])


# --- rolling_mean ------------------------------------------------------------

def test_rolling_mean_exact_length():
    values = [1, 2, 3, 4, 5]
    assert rolling_mean(values, 3) == [2.0, 3.0, 4.0]
    assert rolling_mean(values, 1) == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert rolling_mean(values, 5) == [3.0]
    assert rolling_mean(values, 6) == []
    assert raises(ValueError, rolling_mean, values, 0)


@mark("slow")
@mark("property")
@timeout(10)
def test_rolling_mean_matches_naive_random():
    rng = seeded_rng()
    values = [rng.uniform(-1e3, 1e3) for _ in range(5_000)]
    for window in (1, 2, 7, 50):
        out = rolling_mean(values, window)
        assert len(out) == len(values) - window + 1, (window, len(out))
        for i in range(0, len(out), 97):
            naive = sum(values[i : i + window]) / window
            assert math.isclose(out[i], naive, rel_tol=1e-9, abs_tol=1e-9), (window, i)


# --- bucketize ---------------------------------------------------------------

def test_bucketize_matches_numpy_digitize():
    # Expected values are numpy.digitize(x, [0, 1, 3], right=False).
    boundaries = [0, 1, 3]
    got = [bucketize(x, boundaries) for x in (-1, 0, 0.5, 1, 2.5, 3, 9)]
    assert got == [0, 1, 1, 2, 2, 3, 3], got
    assert bucketize(5, []) == 0
    assert raises(ValueError, bucketize, 1, [3, 1])


@mark("slow")
@mark("property")
def test_bucketize_is_monotone_and_in_range_random():
    rng = seeded_rng()
    boundaries = sorted(rng.uniform(-100, 100) for _ in range(64))
    values = sorted(rng.uniform(-150, 150) for _ in range(20_000))
    buckets = [bucketize(v, boundaries) for v in values]
    assert all(a <= b for a, b in zip(buckets, buckets[1:]))
    for v, i in zip(values[::101], buckets[::101]):
        assert 0 <= i <= len(boundaries)
        assert i == 0 or boundaries[i - 1] <= v
        assert i == len(boundaries) or v < boundaries[i]


# --- quantile / clip_outliers ------------------------------------------------

def test_quantile_linear_interpolation():
    # Expected values are numpy.quantile(..., method="linear").
    assert quantile([7, 1, 3, 9, 5], 0.5) == 5
    assert math.isclose(quantile([7, 1, 3, 9, 5], 0.1), 1.8)
    assert math.isclose(quantile([7, 1, 3, 9, 5], 0.9), 8.2)
    assert quantile([1, 2, 3, 4], 0.25) == 1.75
    assert quantile([10, 20, 30, 40, 50], 0.9) == 46.0
    assert quantile([42], 0.3) == 42 and quantile([1, 2], 1.0) == 2


def test_clip_outliers_winsorizes_tail():
    clipped = clip_outliers([1.0, 2.0, 3.0, 4.0, 100.0], 0.1, 0.9)
    assert close(clipped, [1.4, 2.0, 3.0, 4.0, 61.6]), clipped
    assert clip_outliers([5, 5, 5], 0.0, 1.0) == [5, 5, 5]
    assert raises(ValueError, clip_outliers, [1, 2, 3], 0.9, 0.1)


@mark("property")
def test_quantile_agrees_with_numpy_if_installed():
    try:
        import numpy as np
    except ImportError:
        skip("numpy not installed")
    rng = seeded_rng()
    values = [rng.expovariate(1.0) for _ in range(1_001)]
    for q in (0.0, 0.01, 0.25, 0.5, 0.731, 0.99, 1.0):
        assert quantile(values, q) == float(np.quantile(values, q)), q
