#!/usr/bin/env python3
"""Times a whole `[[drift]]` run of mlrun against an Evidently-style pandas + SciPy script on two
1,000,000-row, 20-column CSV files, side by side in one invocation.

The files: .build-bench-work/drift-1m/reference.csv and current.csv (git-ignored, about 110 MB
each), numpy seed 13, written once: 16 numeric columns `n00`…`n15` (normal, log-normal, gamma
and uniform, rounded to 4 decimals) and 4 categorical ones `c0`…`c3` (3 to 12 categories).
The current file shifts `n00` by 0.02 standard deviations and `n07` by 0.01, and moves 1 % of
`c1`'s mass; every other column has the reference's distribution.

Both sides are timed as whole processes (start-up, reading both files, every test, output),
alternating, the order reversed every other round, after one warm-up run each:

  mlrun   `mlrun -c runner.toml -q` (the stock binary, release build in .build-bench/): one
          `[[drift]]` suite over all 20 columns, default methods (ks for numeric columns,
          chi2 for categorical ones), correction "none".
  pandas  `python -c SCRIPT`: `pd.read_csv` of both files, then `scipy.stats.ks_2samp` on each
          numeric column (NaNs dropped) and `scipy.stats.chi2_contingency` on each
          categorical column's counts over the union of its categories: what Evidently's
          default data-drift preset computes, without its report.

Before it reports, the script checks that both give the same p-values (1e-9 absolute and
1e-6 relative, or equal) from one more mlrun run with `--json`.

Usage: python3 scripts/bench/drift.py [--runs 5] [--rows 1000000] [--skip-build]
Needs numpy, pandas and scipy in the interpreter that runs it (or MLRUN_PYTHON).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".build-bench-work"
MLRUN_SCRATCH = ROOT / ".build-bench"
MLRUN = MLRUN_SCRATCH / "release" / "mlrun"
NUMERIC = [f"n{i:02d}" for i in range(16)]
CATEGORICAL = [f"c{i}" for i in range(4)]

GENERATE = r'''
import sys
import numpy as np, pandas as pd
folder, rows = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(13)
chunk = 250_000
categories = [["a", "b", "c"], ["red", "green", "blue", "black", "white"],
              [f"k{i}" for i in range(8)], [f"region-{i}" for i in range(12)]]
def columns(n, drift):
    out = {}
    for i in range(16):
        shift = (0.02 if i == 0 else 0.01 if i == 7 else 0.0) if drift else 0.0
        kind = i % 4
        if kind == 0:
            v = rng.normal(shift, 1.0, n)
        elif kind == 1:
            v = rng.lognormal(shift, 0.6, n)
        elif kind == 2:
            v = rng.gamma(2.0, 3.0, n) + shift * 4.2
        else:
            v = rng.uniform(0.0, 1.0, n) + shift * 0.29
        out[f"n{i:02d}"] = np.char.mod("%.4f", v)
    for i, names in enumerate(categories):
        p = np.linspace(2.0, 1.0, len(names)); p /= p.sum()
        if drift and i == 1:
            p = p.copy(); p[0] -= 0.01; p[-1] += 0.01
        out[f"c{i}"] = rng.choice(names, n, p=p)
    return out
for name, drift in [("reference.csv", False), ("current.csv", True)]:
    with open(f"{folder}/{name}", "w", newline="") as f:
        for offset in range(0, rows, chunk):
            n = min(chunk, rows - offset)
            pd.DataFrame(columns(n, drift)).to_csv(f, header=offset == 0, index=False)
'''

PANDAS = r'''
import json, sys
import numpy as np, pandas as pd, scipy, scipy.stats
reference, current = sys.argv[1], sys.argv[2]
numeric, categorical = sys.argv[3].split(","), sys.argv[4].split(",")
ref = pd.read_csv(reference)
cur = pd.read_csv(current)
out = {}
for column in numeric:
    r = scipy.stats.ks_2samp(ref[column].dropna().to_numpy(), cur[column].dropna().to_numpy())
    out[column] = {"statistic": float(r.statistic), "p_value": float(r.pvalue)}
for column in categorical:
    rc, cc = ref[column].value_counts(), cur[column].value_counts()
    names = rc.index.union(cc.index)
    table = np.array([rc.reindex(names, fill_value=0).to_numpy(), cc.reindex(names, fill_value=0).to_numpy()])
    r = scipy.stats.chi2_contingency(table)
    out[column] = {"statistic": float(r.statistic), "p_value": float(r.pvalue)}
print(json.dumps({"scipy": scipy.__version__, "pandas": pd.__version__, "rows": [len(ref), len(cur)], "columns": out}))
'''


def log(message: str) -> None:
    print(f"[drift] {message}", file=sys.stderr, flush=True)


def agrees(a: float, b: float) -> bool:
    return a == b or (abs(a - b) <= 1e-9 and abs(a - b) <= 1e-6 * abs(b))


def generate(rows: int, py: str) -> Path:
    folder = WORK / (f"drift-{rows // 1_000_000}m" if rows >= 1_000_000 else f"drift-{rows}")
    marker = folder / f"rows-{rows}"
    if marker.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    log(f"generating 2 x {rows:,} rows into {folder.relative_to(ROOT)} (once)")
    started = time.time()
    subprocess.run([py, "-c", GENERATE, str(folder), str(rows)], check=True)
    marker.write_text("")
    size = sum((folder / n).stat().st_size for n in ["reference.csv", "current.csv"]) / 1e6
    log(f"generated {size:.0f} MB in {time.time() - started:.0f} s")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    py = os.environ.get("MLRUN_PYTHON") or sys.executable

    if not args.skip_build:
        log("building mlrun (release) into .build-bench/")
        subprocess.run(["swift", "build", "-c", "release", "--product", "mlrun", "--scratch-path", str(MLRUN_SCRATCH)],
                       cwd=ROOT, check=True)
    folder = generate(args.rows, py)
    reference, current = folder / "reference.csv", folder / "current.csv"
    config = folder / "runner.toml"
    config.write_text('[[drift]]\nname = "bench"\nreference = "reference.csv"\ncurrent = "current.csv"\n')
    mlrun_cmd = [str(MLRUN), "-c", str(config), "-q"]
    pandas_cmd = [py, "-c", PANDAS, str(reference), str(current), ",".join(NUMERIC), ",".join(CATEGORICAL)]

    def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess]:
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        return (time.perf_counter() - started) * 1000, done

    # Exit status 1 is "some test failed" (the drifted columns); anything else is a problem.
    def ok(who: str, done: subprocess.CompletedProcess, allowed: tuple[int, ...]) -> None:
        if done.returncode not in allowed:
            raise SystemExit(f"{who} exited {done.returncode}: {done.stderr[-2000:]}")

    log("warming up")
    _, done = timed(mlrun_cmd)
    ok("mlrun", done, (0, 1))
    _, done = timed(pandas_cmd)
    ok("pandas", done, (0,))
    reference_values = json.loads(done.stdout)

    mlrun_ms, pandas_ms = [], []
    for round_ in range(args.runs):
        for who in (["mlrun", "pandas"] if round_ % 2 == 0 else ["pandas", "mlrun"]):
            if who == "mlrun":
                ms, done = timed(mlrun_cmd)
                ok("mlrun", done, (0, 1))
                mlrun_ms.append(ms)
            else:
                ms, done = timed(pandas_cmd)
                ok("pandas", done, (0,))
                pandas_ms.append(ms)
        log(f"round {round_ + 1}: mlrun {mlrun_ms[-1]:.0f} ms, pandas {pandas_ms[-1]:.0f} ms")

    # The same p-values (one more run, with a JSON report; not timed).
    report = folder / "report.json"
    done = subprocess.run(mlrun_cmd + ["--json", str(report)], capture_output=True, text=True)
    ok("mlrun", done, (0, 1))
    tests = {t["id"]: t for t in json.loads(report.read_text())["tests"]}
    failed = []
    worst = 0.0
    for column, want in reference_values["columns"].items():
        method = "ks" if column in NUMERIC else "chi2"
        test = tests.get(f"bench::{column}::{method}")
        if test is None:
            raise SystemExit(f"mlrun reported no bench::{column}::{method} (it reported {sorted(tests)})")
        for key in ["statistic", "p_value"]:
            mine = test["values"][key]
            if not agrees(mine, want[key]):
                raise SystemExit(f"{column} {key}: scipy {want[key]!r}, mlrun {mine!r}")
            worst = max(worst, abs(mine - want[key]))
        if test["outcome"] == "failed":
            failed.append(column)

    med = statistics.median
    ratio = med(pandas_ms) / med(mlrun_ms)
    lines = [
        f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores, "
        f"{platform.platform()}; load {os.getloadavg()[0]:.2f}; scipy {reference_values['scipy']}, "
        f"pandas {reference_values['pandas']}",
        f"files: {folder.relative_to(ROOT)}/reference.csv and current.csv, {reference_values['rows'][0]:,} and "
        f"{reference_values['rows'][1]:,} rows x 20 columns (16 numeric, 4 categorical); median of {args.runs} "
        f"after a warm-up, alternating; every statistic and p-value agrees (largest difference {worst:.2g}); "
        f"drift flagged in: {', '.join(failed) or 'none'}",
        "",
        "| whole process | median ms (min–max) |",
        "|---|---:|",
        f"| mlrun `-q`: one [[drift]] suite, 16 ks + 4 chi2 | {med(mlrun_ms):.0f} ({min(mlrun_ms):.0f}–{max(mlrun_ms):.0f}) |",
        f"| pandas `read_csv` ×2 + scipy `ks_2samp` ×16 + `chi2_contingency` ×4 | "
        f"{med(pandas_ms):.0f} ({min(pandas_ms):.0f}–{max(pandas_ms):.0f}) |",
        "",
        f"pandas ÷ mlrun: {ratio:.2f}×",
    ]
    text = "\n".join(lines)
    print(text)
    (WORK / "drift-results.md").write_text(text + "\n")
    (WORK / "drift-results.json").write_text(json.dumps({"mlrun_ms": mlrun_ms, "pandas_ms": pandas_ms,
                                                         "reference": reference_values}, indent=1))


if __name__ == "__main__":
    main()
