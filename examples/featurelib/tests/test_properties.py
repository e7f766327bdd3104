"""Hypothesis property tests: invariants of featurelib.features on generated inputs.

The Hypothesis profile (conftest.py) derandomizes the search, so every run tries the same
examples; a failure prints the shrunk counterexample.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from featurelib.features import bucketize, min_max_scale, quantile

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
columns = st.lists(finite, min_size=1, max_size=200)


@pytest.mark.property
@given(values=columns, lo=st.integers(-10, 10), width=st.integers(1, 10))
def test_min_max_scale_stays_in_range(values, lo, width):
    hi = lo + width
    scaled = min_max_scale(values, lo, hi)
    assert len(scaled) == len(values)
    # One ulp-sized step past either end is rounding, not a bug.
    assert all(lo - 1e-9 <= x <= hi + 1e-9 for x in scaled)


@pytest.mark.property
@given(values=columns, qs=st.lists(st.floats(0.0, 1.0), min_size=2, max_size=5))
def test_quantile_is_monotone_in_q_and_bounded(values, qs):
    qs = sorted(qs)
    got = [quantile(values, q) for q in qs]
    assert all(a <= b for a, b in zip(got, got[1:]))
    assert min(values) <= got[0] and got[-1] <= max(values)


@pytest.mark.property
@given(value=finite, boundaries=st.lists(finite, max_size=20).map(sorted))
def test_bucketize_puts_the_value_between_its_boundaries(value, boundaries):
    i = bucketize(value, boundaries)
    assert 0 <= i <= len(boundaries)
    assert i == 0 or boundaries[i - 1] <= value
    assert i == len(boundaries) or value < boundaries[i]
