"""Feature-engineering functions, standard library only.

Conventions follow numpy / scikit-learn where one exists, so that a model
trained with these features in a notebook sees the same numbers in production:

* ``standardize`` uses the *population* standard deviation (``ddof=0``),
  like ``sklearn.preprocessing.StandardScaler``.
* ``bucketize`` matches ``numpy.digitize(value, boundaries, right=False)``.
* ``quantile`` matches ``numpy.quantile`` with its default ``"linear"`` method.
"""

from __future__ import annotations

import bisect
import math
from typing import Hashable, Sequence


def _check_non_empty(values: Sequence[float], name: str) -> None:
    if len(values) == 0:
        raise ValueError(f"{name}: values must not be empty")


def standardize(values: Sequence[float]) -> list[float]:
    """Return the z-scores ``(x - mean) / std`` of ``values``.

    ``std`` is the population standard deviation. A constant column has no
    spread and cannot be standardized, so it raises ``ValueError`` rather than
    silently dividing by zero.
    """
    _check_non_empty(values, "standardize")
    n = len(values)
    mean = math.fsum(values) / n
    var = math.fsum((x - mean) ** 2 for x in values) / n
    std = math.sqrt(var)
    if std == 0.0:
        raise ValueError("standardize: constant column (standard deviation is 0)")
    return [(x - mean) / std for x in values]


def min_max_scale(values: Sequence[float], lo: float = 0.0, hi: float = 1.0) -> list[float]:
    """Linearly rescale ``values`` so that min -> ``lo`` and max -> ``hi``.

    A constant column maps every value to ``lo`` (scikit-learn's MinMaxScaler
    behaves the same way for a zero range).
    """
    _check_non_empty(values, "min_max_scale")
    if not lo < hi:
        raise ValueError(f"min_max_scale: need lo < hi, got lo={lo}, hi={hi}")
    vmin, vmax = min(values), max(values)
    span = vmax - vmin
    if span == 0:
        return [float(lo)] * len(values)
    return [lo + (x - vmin) * (hi - lo) / span for x in values]


def one_hot(labels: Sequence[Hashable], vocabulary: Sequence[Hashable]) -> list[list[int]]:
    """One-hot encode ``labels`` against a fixed ``vocabulary``.

    Each row has ``len(vocabulary)`` entries. A label that is not in the
    vocabulary (e.g. a category first seen in production) encodes as all
    zeros instead of raising. Duplicate vocabulary entries are an error.
    """
    index = {}
    for i, word in enumerate(vocabulary):
        if word in index:
            raise ValueError(f"one_hot: duplicate vocabulary entry {word!r}")
        index[word] = i
    rows = []
    for label in labels:
        row = [0] * len(vocabulary)
        i = index.get(label)
        if i is not None:
            row[i] = 1
        rows.append(row)
    return rows


def rolling_mean(values: Sequence[float], window: int) -> list[float]:
    """Mean of every full window of ``window`` consecutive values.

    Output element ``i`` is ``mean(values[i : i + window])``, so the result
    has ``max(0, len(values) - window + 1)`` elements (no partial windows,
    like ``numpy.convolve(values, ones(window) / window, "valid")``).
    Each window is summed exactly with ``math.fsum``, so there is no drift
    from a running sum.
    """
    if not isinstance(window, int) or window < 1:
        raise ValueError(f"rolling_mean: window must be a positive int, got {window!r}")
    return [math.fsum(values[i : i + window]) / window for i in range(len(values) - window + 1)]


def bucketize(value: float, boundaries: Sequence[float]) -> int:
    """Index of the bucket ``value`` falls in, like ``numpy.digitize(right=False)``.

    With increasing ``boundaries`` b, returns ``i`` such that
    ``b[i-1] <= value < b[i]``: 0 below the first boundary, ``len(b)`` at or
    above the last. A value equal to a boundary goes to the bucket on its right.
    """
    if any(b > a for a, b in zip(boundaries[1:], boundaries)):
        raise ValueError("bucketize: boundaries must be non-decreasing")
    if isinstance(value, float) and math.isnan(value):
        raise ValueError("bucketize: value is NaN")
    return bisect.bisect_right(boundaries, value)


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q``-quantile of ``values`` by linear interpolation.

    Same as ``numpy.quantile(values, q)`` (method ``"linear"``): with the
    values sorted as ``s``, take position ``h = (n - 1) * q`` and interpolate
    between ``s[floor(h)]`` and ``s[floor(h) + 1]``.
    """
    _check_non_empty(values, "quantile")
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"quantile: q must be in [0, 1], got {q}")
    s = sorted(values)
    h = (len(s) - 1) * q
    lo = math.floor(h)
    if lo + 1 >= len(s):
        return float(s[-1])
    a, b, t = s[lo], s[lo + 1], h - lo
    # numpy's _lerp: interpolate from the nearer end, for bit-identical results.
    return a + (b - a) * t if t < 0.5 else b - (b - a) * (1 - t)


def clip_outliers(values: Sequence[float], lo_q: float = 0.01, hi_q: float = 0.99) -> list[float]:
    """Winsorize: clip ``values`` to their ``[lo_q, hi_q]`` quantile range.

    Quantiles are computed with :func:`quantile` (numpy's default linear
    method), on the input itself.
    """
    if not lo_q <= hi_q:
        raise ValueError(f"clip_outliers: need lo_q <= hi_q, got {lo_q} > {hi_q}")
    lo, hi = quantile(values, lo_q), quantile(values, hi_q)
    return [min(max(x, lo), hi) for x in values]
