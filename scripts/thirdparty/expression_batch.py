"""A pytest plugin (``-p expression_batch``): what many -m/-k expressions select, in one run.

Reads ``{"m": [expr, ...], "k": [expr, ...]}`` from the file named by ``MLRUN_EXPRESSIONS_IN``
and writes ``{"m": [{"expression", "selected": [nodeid, ...]} | {"expression", "error"}],
"k": [...]}`` to ``MLRUN_EXPRESSIONS_OUT``. Collecting a large suite once per expression takes
minutes; this collects once and, before pytest's own deselection, applies to a copy of the
items that every plugin's ``pytest_collection_modifyitems`` left, pytest's own functions
(``_pytest.mark.deselect_by_keyword`` then ``deselect_by_mark``, the order of pytest's hook)
with ``-m`` (or ``-k``) replaced by each expression, the other option keeping its value from
the command line and addopts. Errors are the ``UsageError`` text
pytest prints after "ERROR: ". It uses pytest internals, so expressions.py --exact (one real
``pytest --collect-only -m EXPR`` per expression) is the reference it is checked against.
"""

import json
import os

import pytest
from _pytest.config import UsageError
from _pytest.mark import deselect_by_keyword, deselect_by_mark


def _selected(items, config, option, expression):
    saved = getattr(config.option, option)
    setattr(config.option, option, expression)
    try:
        chosen = list(items)
        deselect_by_keyword(chosen, config)
        deselect_by_mark(chosen, config)
        return {"expression": expression, "selected": [item.nodeid for item in chosen]}
    except UsageError as error:
        return {"expression": expression, "error": f"ERROR: {error}"}
    finally:
        setattr(config.option, option, saved)


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items, config):
    source, target = os.environ.get("MLRUN_EXPRESSIONS_IN"), os.environ.get("MLRUN_EXPRESSIONS_OUT")
    if not (source and target):
        return (yield)
    # Let every plugin's hook run (Hypothesis adds its `hypothesis` marker there, other
    # plugins may deselect), but with -m and -k blank, so that pytest's own deselection keeps
    # every item; then judge each expression over the final items with the options restored.
    saved = config.option.markexpr, config.option.keyword
    config.option.markexpr = config.option.keyword = ""
    try:
        outcome = yield
    finally:
        config.option.markexpr, config.option.keyword = saved
    with open(source, encoding="utf-8") as f:
        wanted = json.load(f)
    # pytest_deselected fires for every expression; in this --collect-only run only the
    # terminal's "N deselected" count sees it.
    result = {kind: [_selected(items, config, option, e) for e in wanted.get(kind, [])]
              for kind, option in (("m", "markexpr"), ("k", "keyword"))}
    with open(target, "w", encoding="utf-8") as f:
        json.dump(result, f)
    return outcome
