"""A pytest plugin (loaded with ``-p outcome_recorder``) that records node ids and outcomes.

It writes, at the end of the session, to the file named by ``MLRUN_ORACLE_OUT``:

    {"pytest_version": "9.2.0",
     "items": [{"nodeid": ..., "markers": [{"name": ..., "args": [...], "kwargs": {...}}]}],
     "reports": {nodeid: {"setup"|"call"|"teardown": {"outcome": "passed"|"failed"|"skipped",
                                                      "wasxfail": bool}}}}

``items`` are the selected items in run order (after -m/-k deselection), with every marker
pytest knows for each (closest first, as ``item.iter_markers()``; of ``parametrize`` only the
argument names); values that JSON cannot hold
are written as their ``repr``. It only observes: nothing here changes what pytest runs.
It is the oracle's own instrument, independent of mlrun's bridge plugin.
"""

import json
import os

import pytest

_items = []
_reports = {}


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return repr(value)


def _marker(mark):
    # A parametrize mark carries every parameter set; its argument names are enough here,
    # and writing the values for every item of a large table would be quadratic.
    args = mark.args[:1] if mark.name == "parametrize" else mark.args
    return {"name": mark.name, "args": _jsonable(args), "kwargs": _jsonable(mark.kwargs)}


def pytest_collection_finish(session):
    for item in session.items:
        markers = [_marker(m) for m in item.iter_markers()]
        _items.append({"nodeid": item.nodeid, "markers": markers})


def pytest_runtest_logreport(report):
    _reports.setdefault(report.nodeid, {})[report.when] = {
        "outcome": report.outcome,
        "wasxfail": hasattr(report, "wasxfail"),
    }


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    path = os.environ.get("MLRUN_ORACLE_OUT")
    if not path:
        return
    record = {"pytest_version": pytest.__version__, "items": _items, "reports": _reports}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(record, f)
