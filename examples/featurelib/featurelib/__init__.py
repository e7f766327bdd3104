"""featurelib: small, dependency-free feature-engineering helpers.

Everything works on plain Python sequences of numbers (or labels) and returns
new lists; nothing is modified in place.
"""

from featurelib.features import (
    bucketize,
    clip_outliers,
    min_max_scale,
    one_hot,
    quantile,
    rolling_mean,
    standardize,
)

__all__ = [
    "bucketize",
    "clip_outliers",
    "min_max_scale",
    "one_hot",
    "quantile",
    "rolling_mean",
    "standardize",
]
