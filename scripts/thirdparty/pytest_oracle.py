#!/usr/bin/env python3
"""pytest's own verdict on a third-party suite, to compare mlrun's [[pytest]] suite against.

    python3 scripts/thirdparty/pytest_oracle.py NAME [PYTEST_ARGS ...]

Runs ``python -m pytest -p no:cacheprovider -p outcome_recorder --junitxml=... ARGS PYTEST_ARGS``
in the project's unpacked sdist (fetch.py first), then prints ``{nodeid: outcome}`` as JSON,
in run order, and a tally per outcome on stderr. Exit 0 when pytest ran to the end (whatever
its tests did), 1 when it did not.

Node ids come from ``outcome_recorder`` (``item.nodeid`` and each phase's report), not from
the JUnit file: JUnit's classname/name pair loses the file/class boundary and the separators of
parametrize ids. The JUnit file is read too, as a cross-check: its tally must equal ours.

The outcome of a node id, from its setup/call/teardown reports (mlrun's [[pytest]] mapping):

    setup failed                          -> error    (call never ran)
    setup skipped, wasxfail               -> xfail    (xfail(run=False), or xfail() in a fixture)
    setup skipped                         -> skipped  (skip/skipif marks, skip() in a fixture)
    call failed                           -> failed   (includes a strict XPASS: pytest fails it
                                                       without setting wasxfail)
    call skipped, wasxfail                -> xfail    (an expected failure that failed)
    call skipped                          -> skipped  (pytest.skip() inside the test)
    call passed, wasxfail                 -> passed   (a non-strict XPASS; pytest's JUnit
                                                       also writes it as a pass)
    call passed                           -> passed
    then teardown failed                  -> error    (whatever the call did: a broken teardown
                                                       is an error of the test, as in pytest's
                                                       summary "1 passed, 1 error")
    selected but no report at all         -> not-run  (pytest stopped early: -x, a crash)

mlrun reports ``xfail`` as ``skipped`` with ``values.xfail = true``; this keeps it apart.

The JUnit cross-check maps each <testcase>: an <error> child -> error, else <failure> -> failed,
else <skipped type="pytest.xfail"> -> xfail, else <skipped> -> skipped, else passed.
"""

from __future__ import annotations

import collections
import json
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from projects import find_project, run_pytest


def outcome_of(phases: dict) -> str:
    """One outcome from ``{"setup"|"call"|"teardown": {"outcome", "wasxfail"}}`` (see above)."""
    setup, call, teardown = phases.get("setup"), phases.get("call"), phases.get("teardown")
    if setup is None:
        return "not-run"
    if setup["outcome"] == "failed":
        return "error"
    if setup["outcome"] == "skipped":
        result = "xfail" if setup["wasxfail"] else "skipped"
    elif call is None:
        result = "not-run"
    elif call["outcome"] == "failed":
        result = "failed"
    elif call["outcome"] == "skipped":
        result = "xfail" if call["wasxfail"] else "skipped"
    else:
        result = "passed"
    if teardown is not None and teardown["outcome"] == "failed":
        return "error"
    return result


def junit_tally(path: Path) -> collections.Counter:
    """Outcome counts from pytest's JUnit XML (the cross-check described above)."""
    tally = collections.Counter()
    for case in ET.parse(path).getroot().iter("testcase"):
        kinds = {child.tag: child for child in case}
        if "error" in kinds:
            tally["error"] += 1
        elif "failure" in kinds:
            tally["failed"] += 1
        elif "skipped" in kinds:
            tally["xfail" if kinds["skipped"].get("type") == "pytest.xfail" else "skipped"] += 1
        else:
            tally["passed"] += 1
    return tally


def oracle(name: str, extra_args: list) -> tuple[dict, collections.Counter | None, object]:
    """Run the project's suite; return ({nodeid: outcome}, JUnit tally, the PytestRun)."""
    project = find_project(name)
    with tempfile.TemporaryDirectory(prefix="mlrun-junit-") as scratch:
        junit = Path(scratch) / "junit.xml"
        run = run_pytest(project, [f"--junitxml={junit}", *extra_args])
        tally = junit_tally(junit) if junit.exists() else None
    if run.record is None:
        return {}, tally, run
    outcomes = {item["nodeid"]: outcome_of(run.record["reports"].get(item["nodeid"], {}))
                for item in run.record["items"]}
    return outcomes, tally, run


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    outcomes, junit, run = oracle(argv[0], argv[1:])
    if run.record is None:
        print(f"pytest exited {run.returncode} without finishing its session:\n{run.stdout[-4000:]}"
              f"{run.stderr[-4000:]}", file=sys.stderr)
        return 1
    json.dump(outcomes, sys.stdout, indent=1)
    print()
    tally = collections.Counter(outcomes.values())
    print(f"{argv[0]}: {len(outcomes)} tests; pytest exit {run.returncode}; "
          + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())), file=sys.stderr)
    # JUnit has no not-run cases; everything else must agree.
    expected = +collections.Counter({k: v for k, v in tally.items() if k != "not-run"})
    if junit is not None and +junit != expected:
        print(f"warning: the JUnit XML tallies differently: {dict(junit)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
