"""Tiny test-annotation helpers read by ``mlrun_plugin.py`` (no pytest needed).

    @mark("slow")                     -> marker "slow"
    @mark("dataset", name="iris")     -> marker {"name": "dataset", "kwargs": {"name": "iris"}}
    @timeout(5)                       -> per-test "timeout_s": 5
    skip("no GPU")                    -> inside a test: report it as skipped

Marker kwargs values must be str, int, bool or None (they go to JSON as-is).
"""

MARKERS_ATTR = "__mlrun_markers__"
TIMEOUT_ATTR = "__mlrun_timeout_s__"


class Skip(Exception):
    """Raised by :func:`skip`; the plugin reports the test as skipped."""


def skip(reason: str = "") -> None:
    raise Skip(reason)


def mark(marker: str, /, **kwargs):
    """Attach a marker to a test function. Stacked marks keep source order.

    ``marker`` is positional-only, so ``name=`` is free to be a kwarg.
    """
    for key, value in kwargs.items():
        if value is not None and not isinstance(value, (str, int, bool)):
            raise TypeError(f"mark({marker!r}): kwarg {key}={value!r} must be str, int, bool or None")

    def decorate(fn):
        entry = {"name": marker, "kwargs": dict(kwargs)} if kwargs else marker
        # Decorators apply bottom-up; prepend so the list reads top-down.
        setattr(fn, MARKERS_ATTR, [entry] + list(getattr(fn, MARKERS_ATTR, [])))
        return fn

    return decorate


def timeout(seconds: float):
    """Ask the runner to stop the test after ``seconds``."""

    def decorate(fn):
        setattr(fn, TIMEOUT_ATTR, seconds)
        return fn

    return decorate
