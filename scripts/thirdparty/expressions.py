#!/usr/bin/env python3
"""-m and -k expressions for each third-party project, and the node ids pytest selects for each.

    python3 scripts/thirdparty/expressions.py NAME                # the expressions, as JSON
    python3 scripts/thirdparty/expressions.py NAME --select [--counts]
    python3 scripts/thirdparty/expressions.py NAME --select --exact [-j 2] [--counts]

The expressions are made from what the project's own tests carry: one collection of the whole
suite (``pytest --collect-only -m ""``, which also overrides a ``-m`` in the project's addopts)
gives the marker names, the keyword arguments of its marks, and the names in its node ids
(files, classes, functions, parametrize ids). From these, a generator seeded by the project's
name builds at least 50 ``-m`` and 50 ``-k`` expressions: every marker alone and negated,
marker keyword forms (``skipif(reason="requires Unix")``, ``parametrize(indirect=True)``),
names no test has, random nestings of and/or/not/parentheses, and a few broken expressions
whose error message and column pytest reports. The same pytest and the same sdist always give
the same list.

``--select --exact`` asks pytest itself, once per expression, in the project's folder with the
project's args: ``python -m pytest --collect-only -q ARGS -m EXPR`` (or ``-k EXPR``), the node
ids read from ``outcome_recorder`` rather than parsed from the console. That is minutes per
project (a collection is seconds), so plain ``--select`` collects once and lets pytest's own
deselection functions judge every expression in that process (``expression_batch.py``); it
gives the same answers (``--compare`` checks that). Prints

    {"project": NAME, "m": [{"expression": E, "selected": [nodeid, ...]}
                            | {"expression": E, "error": "pytest's message"}], "k": [...]}

(``--counts``: ``"selected": N`` instead of the ids). Note that ``-k`` alone keeps a ``-m`` of
the project's addopts (packaging deselects ``property`` tests that way), as plain pytest does.
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import random
import re
import sys
import tempfile
import zlib
from pathlib import Path

from projects import Project, find_project, run_pytest

# pytest's identifier characters in -m/-k expressions (its grammar's `ident`).
IDENT = re.compile(r"^(\w|:|\+|-|\.|\[|\]|\\|/)+$")
KEYWORDS = {"and", "or", "not", "True", "False", "None"}
# Broken on purpose: pytest's error message (and its column) is part of what mlrun matches.
BROKEN = ["slow and", "(a or b", "not", "a b", ")", "a and or b"]
M_BROKEN = BROKEN + ["skipif(reason=)", "xfail(strict=1.5)"]
K_BROKEN = BROKEN + ["test_a(x=1)"]
TARGET = 60  # expressions of each kind, broken ones included


def usable(name: str) -> bool:
    return bool(IDENT.match(name)) and name not in KEYWORDS


def literal(value) -> str | None:
    """``value`` as an expression literal, or None when the grammar cannot spell it."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and "'" not in value and '"' not in value and "\\" not in value:
        return repr(value) if len(value) % 2 else f'"{value}"'  # both quote styles
    return None


class Vocabulary:
    """Marker names, marker keyword forms and keyword names seen in one collection."""

    def __init__(self, items: list):
        markers = collections.Counter()
        calls = collections.Counter()
        words = collections.Counter()
        for item in items:
            for mark in item["markers"]:
                markers[mark["name"]] += 1
                for key, value in mark["kwargs"].items():
                    spelled = literal(value)
                    if spelled is not None and usable(key):
                        calls[f"{mark['name']}({key}={spelled})"] += 1
            path, *names = item["nodeid"].split("::")
            words[path.rsplit("/", 1)[-1].removesuffix(".py")] += 1
            for name in names:
                base, _, params = name.partition("[")
                words[base] += 1
                words.update(part for part in base.split("_") if len(part) > 2)
                words.update(p for p in re.split(r"[-\]]", params) if len(p) > 2)
        self.markers = sorted(m for m in markers if usable(m))
        self.calls = sorted(calls)
        # Common names first, rare ones too; never one the grammar cannot read.
        self.words = sorted((w for w in words if usable(w)), key=lambda w: (-words[w], w))[:200]


def combine(rng: random.Random, atoms: list, depth: int = 3) -> str:
    """A random expression over ``atoms``: nested not/and/or with optional parentheses."""
    roll = rng.random()
    if depth == 0 or roll < 0.3:
        return rng.choice(atoms)
    if roll < 0.45:
        return "not " + combine(rng, atoms, depth - 1)
    if roll < 0.55:
        return "(" + combine(rng, atoms, depth - 1) + ")"
    left, right = combine(rng, atoms, depth - 1), combine(rng, atoms, depth - 1)
    op = rng.choice(["and", "or"])
    return f"({left} {op} {right})" if rng.random() < 0.3 else f"{left} {op} {right}"


def fill(rng: random.Random, fixed: list, atoms: list, broken: list) -> list:
    """``fixed``, then random combinations of ``atoms`` up to TARGET, then ``broken``."""
    out = list(dict.fromkeys(fixed))
    seen = set(out)
    while len(out) < TARGET - len(broken):
        expr = combine(rng, atoms)
        if expr not in seen:
            seen.add(expr)
            out.append(expr)
    return out + broken


def make_expressions(project: Project, items: list) -> dict:
    vocab = Vocabulary(items)
    rng = random.Random(zlib.crc32(project.name.encode()))  # stable across processes and machines
    unknown = ["network", "flaky"]

    m_fixed = [m for m in vocab.markers] + [f"not {m}" for m in vocab.markers]
    m_fixed += vocab.calls[:12] + [f"not {c}" for c in vocab.calls[:3]]
    m_fixed += [f"{m}(reason='no such reason')" for m in ("skipif", "xfail") if m in vocab.markers]
    m_fixed += [u for u in unknown] + [f"not {unknown[0]}"]
    # Unknown names only in the fixed part: under --strict-markers (attrs, packaging) pytest
    # refuses any -m naming one, which would make most random combinations errors.
    m_atoms = vocab.markers + vocab.calls[:20]

    words = vocab.words
    k_fixed = words[:15] + [f"not {w}" for w in words[:5]] + [w.upper() for w in words[:3]]  # -k ignores case
    k_fixed += vocab.markers[:5]  # -k also matches marker names
    k_fixed += [f"{words[i]} and not {words[i + 1]}" for i in range(0, 6, 2)]
    k_fixed += ["no_such_name_anywhere", ""]  # "" selects everything
    k_atoms = words[:60] + vocab.markers

    return {"m": fill(rng, m_fixed, m_atoms, M_BROKEN), "k": fill(rng, k_fixed, k_atoms, K_BROKEN)}


def collect_all(project: Project) -> list:
    run = run_pytest(project, ["--collect-only", "-q", "-m", ""])
    if run.record is None or run.returncode not in (0, 5):
        raise SystemExit(f"{project.name}: collection failed (exit {run.returncode}):\n{run.stdout[-3000:]}{run.stderr[-3000:]}")
    return run.record["items"]


def select(project: Project, flag: str, expression: str, counts: bool) -> dict:
    """What ``pytest --collect-only -q ARGS FLAG EXPRESSION`` selects, or its error."""
    run = run_pytest(project, ["--collect-only", "-q", flag, expression])
    if run.returncode == 4 or run.record is None:  # 4: usage error, the expression's message
        lines = [ln for ln in (run.stderr + run.stdout).splitlines() if ln.startswith("ERROR")]
        return {"expression": expression, "error": lines[0] if lines else (run.stderr + run.stdout)[-2000:]}
    ids = [item["nodeid"] for item in run.record["items"]]
    return {"expression": expression, "selected": len(ids) if counts else ids}


def select_batch(project: Project, expressions: dict, counts: bool) -> dict:
    """Every expression's selection from one pytest process (expression_batch.py)."""
    with tempfile.TemporaryDirectory(prefix="mlrun-expr-") as scratch:
        source, target = Path(scratch) / "in.json", Path(scratch) / "out.json"
        source.write_text(json.dumps(expressions), encoding="utf-8")
        run = run_pytest(project, ["--collect-only", "-q", "-p", "expression_batch"],
                         env={"MLRUN_EXPRESSIONS_IN": str(source), "MLRUN_EXPRESSIONS_OUT": str(target)})
        if not target.exists():
            raise SystemExit(f"{project.name}: the batch run failed (exit {run.returncode}):\n{run.stdout[-3000:]}{run.stderr[-3000:]}")
        result = json.loads(target.read_text(encoding="utf-8"))
    if counts:
        for entries in result.values():
            for entry in entries:
                if "selected" in entry:
                    entry["selected"] = len(entry["selected"])
    return result


def select_exact(project: Project, expressions: dict, counts: bool, jobs: int) -> dict:
    """Every expression's selection from a pytest process of its own."""
    result = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for kind, flag in (("m", "-m"), ("k", "-k")):
            futures = [pool.submit(select, project, flag, e, counts) for e in expressions[kind]]
            result[kind] = [f.result() for f in futures]
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="a project of projects.json")
    parser.add_argument("--select", action="store_true", help="run pytest for every expression")
    parser.add_argument("--counts", action="store_true", help="with --select: how many, not which")
    parser.add_argument("--exact", action="store_true", help="with --select: one pytest process per expression")
    parser.add_argument("--compare", action="store_true",
                        help="run both ways and list the expressions where they differ (exit 1 if any)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="with --exact: pytest processes at a time (2)")
    args = parser.parse_args(argv)

    project = find_project(args.name)
    expressions = make_expressions(project, collect_all(project))
    if args.compare:
        batch = select_batch(project, expressions, counts=False)
        exact = select_exact(project, expressions, counts=False, jobs=args.jobs)
        differ = [(kind, b["expression"]) for kind in ("m", "k")
                  for b, e in zip(batch[kind], exact[kind], strict=True) if b != e]
        for kind, expression in differ:
            print(f"differs: -{kind} {expression!r}", file=sys.stderr)
        n = sum(len(v) for v in expressions.values())
        print(f"{project.name}: {n - len(differ)} of {n} expressions agree", file=sys.stderr)
        return 1 if differ else 0
    if not args.select:
        result = expressions
    elif args.exact:
        result = select_exact(project, expressions, args.counts, args.jobs)
    else:
        result = select_batch(project, expressions, args.counts)
    json.dump({"project": project.name, **result}, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
