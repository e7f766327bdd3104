#!/usr/bin/env python3
"""Times mlrun's two-sample Kolmogorov-Smirnov test (Sources/MLRunStats) against SciPy's on
1,000,000 x 1,000,000 values, side by side in one invocation.

The file: .build-bench-work/stats/ks-1m.bin (git-ignored, 16 MB), little-endian Int64 n1, Int64
n2, then n1 + n2 float64 values: reference ~ N(0, 1), current ~ N(0.003, 1), numpy seed 7
(a small shift, so the p-value is neither 0 nor 1). Both sides read this same file (not timed),
then time the test --runs times after one warm-up call and report the median:

  scipy  scipy.stats.ks_2samp(x, y) (two-sided, method="auto": asymptotic at this size).
  mlrun  scripts/bench/StatsBench (release build, its own scratch path):
         KolmogorovSmirnov.test(reference:current:) from the two [Double] arrays.

The script checks that D and p agree (1e-9 absolute and 1e-6 relative) before it reports.

Usage: python3 scripts/bench/drift_stats.py [--runs 5] [--n 1000000] [--skip-build]
Needs numpy and scipy in the interpreter that runs it (or MLRUN_PYTHON).
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".build-bench-work" / "stats"
BENCH = ROOT / "scripts" / "bench" / "StatsBench"
SCRATCH = BENCH / ".build-statsbench"
BINARY = SCRATCH / "release" / "stats-bench"

GENERATE = r'''
import sys
import numpy as np
path, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(7)
x = rng.normal(size=n)
y = rng.normal(0.003, 1.0, size=n)
with open(path, "wb") as f:
    np.array([n, n], dtype="<i8").tofile(f)
    x.astype("<f8").tofile(f)
    y.astype("<f8").tofile(f)
'''

SCIPY = r'''
import json, sys, time
import numpy as np, scipy, scipy.stats
path, runs = sys.argv[1], int(sys.argv[2])
header = np.fromfile(path, dtype="<i8", count=2)
values = np.fromfile(path, dtype="<f8", offset=16)
x, y = values[:header[0]], values[header[0]:header[0] + header[1]]
r = scipy.stats.ks_2samp(x, y)  # warm-up
times = []
for _ in range(runs):
    t = time.perf_counter()
    r = scipy.stats.ks_2samp(x, y)
    times.append((time.perf_counter() - t) * 1e3)
print(json.dumps({"n1": int(header[0]), "n2": int(header[1]), "statistic": float(r.statistic),
                  "p_value": float(r.pvalue), "ms": times, "scipy": scipy.__version__, "numpy": np.__version__}))
'''


def log(message: str) -> None:
    print(f"[drift_stats] {message}", file=sys.stderr, flush=True)


def agrees(a: float, b: float) -> bool:
    return a == b or (abs(a - b) <= 1e-9 and abs(a - b) <= 1e-6 * abs(b))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    py = os.environ.get("MLRUN_PYTHON") or sys.executable

    if not args.skip_build:
        log("building scripts/bench/StatsBench (release)")
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", str(SCRATCH)], cwd=BENCH, check=True)
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"ks-{args.n}.bin"
    if not path.exists():
        log(f"generating {path.relative_to(ROOT)}")
        subprocess.run([py, "-c", GENERATE, str(path), str(args.n)], check=True)

    log("timing scipy")
    sp = json.loads(subprocess.run([py, "-c", SCIPY, str(path), str(args.runs)], check=True,
                                   capture_output=True, text=True).stdout)
    log("timing mlrun")
    sw = json.loads(subprocess.run([str(BINARY), str(path), str(args.runs)], check=True,
                                   capture_output=True, text=True).stdout)
    for key in ["statistic", "p_value"]:
        if not agrees(sw[key], sp[key]):
            raise SystemExit(f"{key}: scipy {sp[key]!r}, mlrun {sw[key]!r}")

    med = statistics.median
    s_ms, k_ms = sw["ms"], sp["ms"]
    lines = [
        f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores, "
        f"{platform.platform()}; load {os.getloadavg()[0]:.2f}; scipy {sp['scipy']}, numpy {sp['numpy']}",
        f"file: {path.relative_to(ROOT)}: {sp['n1']:,} x {sp['n2']:,} values; median of {args.runs} after a warm-up; "
        f"D = {sp['statistic']!r}, p = {sp['p_value']!r} ({sw['method']}); D and p agree",
        "",
        "| test | mlrun ms (min–max) | scipy ms (min–max) | scipy ÷ mlrun |",
        "|---|---:|---:|---:|",
        f"| ks_2samp | {med(s_ms):.1f} ({min(s_ms):.1f}–{max(s_ms):.1f}) | {med(k_ms):.1f} ({min(k_ms):.1f}–{max(k_ms):.1f}) | "
        f"{med(k_ms) / med(s_ms):.1f}× |",
    ]
    text = "\n".join(lines)
    print(text)
    (WORK / "results.md").write_text(text + "\n")


if __name__ == "__main__":
    main()
