#!/usr/bin/env python3
"""Validates mlrun JSON reports against scripts/mlrun-report.schema.json with the
`jsonschema` package, plus the rules a schema cannot say (ids sorted and unique, each
test's id starting with its suite, summary counts matching the tests).

usage: validate_report.py REPORT.json [...]   (exit 0 when all are valid; 1 with reasons)
"""
import json
import pathlib
import sys

import jsonschema

SCHEMA = json.loads((pathlib.Path(__file__).parent / "mlrun-report.schema.json").read_text())


def problems(report):
    found = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
             for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(report)]
    if found:
        return found
    ids = [t["id"] for t in report["tests"]]
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        found.append("tests are not sorted by id, or an id repeats")
    for test in report["tests"]:
        if not test["id"].startswith(test["suite"] + "::"):
            found.append(f"{test['id']}: id does not start with its suite {test['suite']}::")
    summary = report["summary"]
    for outcome in ("passed", "failed", "skipped", "error", "crashed", "timeout"):
        count = sum(1 for t in report["tests"] if t["outcome"] == outcome)
        if count != summary[outcome]:
            found.append(f"summary.{outcome} is {summary[outcome]} but {count} tests have that outcome")
    return found


def main(paths):
    bad = 0
    for path in paths:
        for problem in problems(json.loads(pathlib.Path(path).read_text())):
            print(f"{path}: {problem}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
