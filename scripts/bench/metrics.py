#!/usr/bin/env python3
"""Times mlrun's metrics (Sources/MLRunMetrics) against scikit-learn's on 10 million rows.

The file: `label,score,prediction` rows, numpy seed 11: label 0/1 (about 30 % ones), score a
probability rounded to 3 decimals (1,001 distinct values, so heavy ties; `--score-decimals 0`
writes them unrounded, about as many distinct scores as rows, into metrics-10m-continuous/), prediction =
score >= 0.5. It is generated once into .build-bench-work/metrics-10m/predictions.csv
(git-ignored, ~120 MB).

Both sides read the same file first (not timed), then time each metric --runs times after one
warm-up call and report the median:

  sklearn  roc_auc_score(y, s), average_precision_score(y, s), log_loss(y, s),
           f1_score(y, p) on the numpy arrays pandas read from the file.
  mlrun    scripts/bench/MetricsBench (release build, its own scratch path): each timed call
           builds a `Classification` from the arrays (validation, label encoding) and computes
           the metric, so both sides go from arrays to a number.

The script checks that both sides give the same values (to 1e-9) before it reports.

Then the whole [[quality]] suite: `mlrun -q --json r.json` (the stock binary, release build in
.build-bench/) on a runner.toml of 10 gates over the same file (accuracy, balanced_accuracy,
precision, recall, f1, roc_auc, average_precision, log_loss, brier, ece; `prediction` given),
timed as a whole process (start-up, config, reading and parsing the file, every metric, the
report), against pandas' `read_csv` of the same file alone (timed inside one Python process,
so the interpreter's start-up is not counted against pandas). The two alternate, --runs each.
The report's values are checked against scikit-learn's for the four metrics above.

Usage: python3 scripts/bench/metrics.py [--runs 5] [--rows 10000000] [--skip-build]
Needs numpy, pandas and scikit-learn: the script makes .build-bench-work/venv (or adds
scikit-learn to it) when they are missing.
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
VENV = WORK / "venv"
BENCH = ROOT / "scripts" / "bench" / "MetricsBench"
SCRATCH = BENCH / ".build-metricsbench"
BINARY = SCRATCH / "release" / "metrics-bench"
MLRUN_SCRATCH = ROOT / ".build-bench"
MLRUN = MLRUN_SCRATCH / "release" / "mlrun"
SUITE_GATES = """accuracy = { min = 0.5 }
balanced_accuracy = { min = 0.5 }
precision = { min = 0.1 }
recall = { min = 0.1 }
f1 = { min = 0.1 }
roc_auc = { min = 0.5 }
average_precision = { min = 0.1 }
log_loss = { max = 1.0 }
brier = { max = 0.5 }
ece = { max = 0.5 }
"""
PANDAS_READ = r'''
import sys, time, json
import pandas as pd
path, runs = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(runs):
    t = time.perf_counter()
    frame = pd.read_csv(path)
    times.append((time.perf_counter() - t) * 1000)
    del frame
print(json.dumps(times))
'''
METRICS = ["roc_auc", "average_precision", "log_loss", "f1"]

GENERATE = r'''
import sys
import numpy as np, pandas as pd
path, rows, decimals = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(11)
chunk = 1_000_000
with open(path, "w", newline="") as f:
    f.write("label,score,prediction\n")
    for offset in range(0, rows, chunk):
        n = min(chunk, rows - offset)
        signal = rng.normal(size=n)
        label = (rng.random(n) < 1 / (1 + np.exp(-(signal - 1.0)))).astype(int)
        score = 1 / (1 + np.exp(-(0.9 * signal - 0.9 + rng.normal(scale=0.8, size=n))))
        if decimals > 0:
            score = np.round(score, decimals)
        text = np.char.mod(f"%.{decimals}f", score) if decimals > 0 else np.char.mod("%.17g", score)
        frame = pd.DataFrame({"label": label, "score": text, "prediction": (score >= 0.5).astype(int)})
        frame.to_csv(f, header=False, index=False)
'''

SKLEARN = r'''
import json, statistics, sys, time
import numpy as np, pandas as pd
import sklearn
from sklearn.metrics import average_precision_score, f1_score, log_loss, roc_auc_score
path, runs = sys.argv[1], int(sys.argv[2])
started = time.perf_counter()
frame = pd.read_csv(path, dtype={"label": np.int64, "score": np.float64, "prediction": np.int64})
y, s, p = frame["label"].to_numpy(), frame["score"].to_numpy(), frame["prediction"].to_numpy()
read_ms = (time.perf_counter() - started) * 1e3
metrics = {
    "roc_auc": lambda: roc_auc_score(y, s),
    "average_precision": lambda: average_precision_score(y, s),
    "log_loss": lambda: log_loss(y, s),
    "f1": lambda: f1_score(y, p),
}
out = {"rows": len(y), "read_ms": read_ms, "runs": runs, "sklearn": sklearn.__version__, "numpy": np.__version__, "metrics": {}}
for name, fn in metrics.items():
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - t) * 1e3)
    out["metrics"][name] = {"value": float(value), "ms": times}
print(json.dumps(out))
'''


def log(message: str) -> None:
    print(f"[metrics] {message}", file=sys.stderr, flush=True)


def python() -> str:
    exe = VENV / "bin" / "python"
    probe = "import numpy, pandas, sklearn"
    if not exe.exists() or subprocess.run([str(exe), "-c", probe], capture_output=True).returncode != 0:
        log("installing numpy, pandas, scikit-learn into .build-bench-work/venv")
        if not exe.exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(exe), "-m", "pip", "install", "--quiet", "numpy", "pandas", "scikit-learn"], check=True)
    return str(exe)


def generate(rows: int, py: str, decimals: int) -> Path:
    folder = WORK / f"metrics-{rows // 1_000_000}m" if rows >= 1_000_000 else WORK / f"metrics-{rows}"
    if decimals != 3:
        folder = folder.with_name(folder.name + (f"-{decimals}dp" if decimals > 0 else "-continuous"))
    path = folder / "predictions.csv"
    marker = folder / f"rows-{rows}"
    if path.exists() and marker.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    log(f"generating {rows:,} rows into {path.relative_to(ROOT)} (once)")
    started = time.time()
    subprocess.run([py, "-c", GENERATE, str(path), str(rows), str(decimals)], check=True)
    marker.write_text("")
    log(f"generated {path.stat().st_size / 1e6:.0f} MB in {time.time() - started:.0f} s")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--score-decimals", type=int, default=3,
                        help="round scores to this many decimals (3: 1,001 distinct values, heavy ties); 0: full precision, "
                             "about as many distinct scores as rows (roc_auc then sorts instead of counting)")
    args = parser.parse_args()

    if not args.skip_build:
        log("building scripts/bench/MetricsBench (release)")
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", str(SCRATCH)], cwd=BENCH, check=True)
        log("building mlrun (release) into .build-bench/")
        subprocess.run(["swift", "build", "-c", "release", "--product", "mlrun", "--scratch-path", str(MLRUN_SCRATCH)], cwd=ROOT, check=True)
    py = python()
    path = generate(args.rows, py, args.score_decimals)

    log("timing scikit-learn")
    sk = json.loads(subprocess.run([py, "-c", SKLEARN, str(path), str(args.runs)], check=True,
                                   capture_output=True, text=True).stdout)
    log("timing mlrun")
    sw = json.loads(subprocess.run([str(BINARY), str(path), str(args.runs)], check=True,
                                   capture_output=True, text=True).stdout)
    if sk["rows"] != sw["rows"]:
        raise SystemExit(f"row counts differ: sklearn {sk['rows']}, mlrun {sw['rows']}")
    for name in METRICS:
        a, b = sk["metrics"][name]["value"], sw["metrics"][name].get("value")
        if b is None or abs(a - b) > 1e-9 * max(1.0, abs(a)):
            raise SystemExit(f"{name}: sklearn {a!r}, mlrun {b!r} ({sw['metrics'][name].get('undefined')})")

    med = lambda times: statistics.median(times)
    load = os.getloadavg()[0]
    lines = [
        f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores, "
        f"{platform.platform()}; load {load:.2f}; scikit-learn {sk['sklearn']}, numpy {sk['numpy']}",
        f"file: {path.relative_to(ROOT)}: {sk['rows']:,} rows; median of {args.runs} after a warm-up; "
        f"values agree to 1e-9",
        "",
        "| metric | value | mlrun ms (min–max) | sklearn ms (min–max) | sklearn ÷ mlrun |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in METRICS:
        s_ms, k_ms = sw["metrics"][name]["ms"], sk["metrics"][name]["ms"]
        lines.append(f"| {name} | {sk['metrics'][name]['value']:.6f} | {med(s_ms):.1f} ({min(s_ms):.1f}–{max(s_ms):.1f}) | "
                     f"{med(k_ms):.1f} ({min(k_ms):.1f}–{max(k_ms):.1f}) | {med(k_ms) / med(s_ms):.1f}× |")
    lines += ["", f"mlrun figures include building the `Classification` each time: "
              f"{med(sw['build_classification_ms']):.1f} ms of validation and label encoding (labels + scores). "
              f"File read, not timed: mlrun {sw['read_ms']:.0f} ms, pandas {sk['read_ms']:.0f} ms."]
    # The whole suite against pandas reading the file, alternating.
    config = path.parent / "runner.toml"
    config.write_text(f"[[quality]]\nname = \"bench\"\npredictions = \"{path.name}\"\nlabel = \"label\"\n"
                      f"score = \"score\"\nprediction = \"prediction\"\n[quality.gates]\n{SUITE_GATES}")
    report = path.parent / "report.json"
    suite_ms, pandas_ms = [], []
    subprocess.run([str(MLRUN), "-c", str(config), "-q", "--json", str(report)], check=True, capture_output=True)  # warm-up
    subprocess.run([py, "-c", PANDAS_READ, str(path), "1"], check=True, capture_output=True)
    for round_ in range(args.runs):
        order = ["mlrun", "pandas"] if round_ % 2 == 0 else ["pandas", "mlrun"]
        for who in order:
            if who == "mlrun":
                t = time.perf_counter()
                subprocess.run([str(MLRUN), "-c", str(config), "-q", "--json", str(report)], check=True, capture_output=True)
                suite_ms.append((time.perf_counter() - t) * 1000)
            else:
                pandas_ms += json.loads(subprocess.run([py, "-c", PANDAS_READ, str(path), "1"], check=True,
                                                       capture_output=True, text=True).stdout)
    tests = {t["id"]: t for t in json.loads(report.read_text())["tests"]}
    if len(tests) != 10 or any(t["outcome"] != "passed" for t in tests.values()):
        raise SystemExit(f"the suite did not pass 10 tests: {[(i, t['outcome'], t['message']) for i, t in tests.items()]}")
    for name in METRICS:
        a, b = sk["metrics"][name]["value"], tests[f"bench::{name}"]["values"]["value"]
        if abs(a - b) > 1e-9 * max(1.0, abs(a)):
            raise SystemExit(f"suite {name}: sklearn {a!r}, mlrun {b!r}")
    lines += ["", "| whole run | median ms (min–max) |", "|---|---:|",
              f"| mlrun: [[quality]] suite, 10 gates, process wall time | {med(suite_ms):.0f} ({min(suite_ms):.0f}–{max(suite_ms):.0f}) |",
              f"| pandas: `read_csv` of the file alone | {med(pandas_ms):.0f} ({min(pandas_ms):.0f}–{max(pandas_ms):.0f}) |",
              "", f"pandas read ÷ mlrun whole suite: {med(pandas_ms) / med(suite_ms):.2f}×"]
    text = "\n".join(lines)
    print(text)
    (WORK / "metrics-results.md").write_text(text + "\n")
    (WORK / "metrics-results.json").write_text(json.dumps({"mlrun": sw, "sklearn": sk, "suite_ms": suite_ms,
                                                           "pandas_read_ms": pandas_ms}, indent=1))


if __name__ == "__main__":
    main()
