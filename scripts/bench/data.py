#!/usr/bin/env python3
"""Benchmarks the [[data]] plugin on a ~1 GB CSV against pandas and pyarrow.

The file: 10,000,000 rows of `id` (1, 2, … with a few planted duplicates), `timestamp`
(ISO 8601 with `Z`, one second apart, a few planted out of order or in the future), five
floats `f1`…`f5` in [0, 1] written with 10 decimals (a few planted nulls, out-of-range and
unparsable values), `category` (a/b/c, a few planted `d`) and `label` (0/1, about 30 % ones).
It is generated once (numpy, seed 7) into .build-bench-work/data-10m/ (git-ignored).

The same checks run in all three tools:

  mlrun    `mlrun -q -c runner.toml --json out.json`, one [[data]] suite: id (type int,
           not_null, unique), timestamp (type datetime, increasing, not_future), f1…f5 (type
           float, between 0 and 1), category (in a/b/c), label (type int, min_class_frequency
           0.05): 19 tests.
  pandas   `pd.read_csv` + the same checks, vectorised (to_numeric/to_datetime with
           errors="coerce", isna, duplicated(keep=False), diff, isin, value_counts).
  pyarrow  `pyarrow.csv.read_csv` alone (all cores), no checks.

Every unexpected_count mlrun reports is compared with pandas' count, and the script stops if
one differs. Each command runs in its own process under /usr/bin/time (wall seconds and peak
RSS); 1 warm-up round, then --runs rounds, alternating order; medians reported.

Usage: python3 scripts/bench/data.py [--runs 3] [--rows 10000000] [--skip-build]
Needs numpy, pandas and pyarrow: the script makes .build-bench-work/venv if they are missing.
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
MLRUN = ROOT / ".build" / "release" / "mlrun"

PANDAS_CHECKS = r'''
import json, sys, time
import numpy as np, pandas as pd
path = sys.argv[1]
df = pd.read_csv(path)
now = pd.Timestamp.now(tz="UTC")
out = {}
ident = pd.to_numeric(df["id"], errors="coerce")
out["id::type"] = int((ident.isna() & df["id"].notna()).sum())
out["id::not_null"] = int(df["id"].isna().sum())
out["id::unique"] = int(ident.dropna().duplicated(keep=False).sum())
ts = pd.to_datetime(df["timestamp"], errors="coerce", utc=True, format="ISO8601")
out["timestamp::type"] = int((ts.isna() & df["timestamp"].notna()).sum())
valid = ts.dropna()
out["timestamp::increasing"] = int((valid.diff() < pd.Timedelta(0)).sum())
out["timestamp::not_future"] = int((valid > now).sum())
for name in ["f1", "f2", "f3", "f4", "f5"]:
    x = pd.to_numeric(df[name], errors="coerce")
    out[name + "::type"] = int((x.isna() & df[name].notna()).sum())
    out[name + "::between"] = int(((x < 0) | (x > 1)).sum())
cat = df["category"]
out["category::in"] = int((~cat.isin(["a", "b", "c"]) & cat.notna()).sum())
label = pd.to_numeric(df["label"], errors="coerce")
out["label::type"] = int((label.isna() & df["label"].notna()).sum())
out["label::min_class_frequency"] = int((label.dropna().value_counts(normalize=True) < 0.05).sum())
print(json.dumps(out))
'''

PYARROW_READ = r'''
import sys
import pyarrow.csv as pc
table = pc.read_csv(sys.argv[1])
print(table.num_rows)
'''

CONFIG = '''[[data]]
name = "big"
file = "train.csv"
key = ["id"]
[data.columns.id]
type = "int"
nullable = false
unique = true
[data.columns.timestamp]
type = "datetime"
increasing = true
not_future = true
{floats}
[data.columns.category]
in = ["a", "b", "c"]
[data.columns.label]
type = "int"
min_class_frequency = 0.05
'''


def log(message: str) -> None:
    print(f"[data] {message}", file=sys.stderr, flush=True)


def python() -> str:
    exe = VENV / "bin" / "python"
    probe = "import numpy, pandas, pyarrow"
    if not exe.exists() or subprocess.run([str(exe), "-c", probe], capture_output=True).returncode != 0:
        log("installing numpy, pandas, pyarrow into .build-bench-work/venv")
        if not exe.exists():
            subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(exe), "-m", "pip", "install", "--quiet", "numpy", "pandas", "pyarrow"], check=True)
    return str(exe)


GENERATE = r'''
import sys
import numpy as np, pandas as pd
path, rows = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(7)
start = np.datetime64("2024-01-01T00:00:00")
chunk = 1_000_000
with open(path, "w", newline="") as f:
    f.write("id,timestamp,f1,f2,f3,f4,f5,category,label\n")
    for offset in range(0, rows, chunk):
        n = min(chunk, rows - offset)
        ids = np.arange(offset + 1, offset + n + 1)
        ts = start + np.arange(offset, offset + n).astype("timedelta64[s]")
        data = {"id": ids.astype(str), "timestamp": np.char.add(np.datetime_as_string(ts, unit="s"), "Z")}
        for name in ["f1", "f2", "f3", "f4", "f5"]:
            data[name] = np.char.mod("%.10f", rng.random(n))
        data["category"] = rng.choice(np.array(["a", "b", "c"]), n)
        data["label"] = (rng.random(n) < 0.3).astype(int).astype(str)
        # Planted defects, 10 of each kind per million rows, at seeded positions.
        pick = lambda: rng.choice(n, 10, replace=False)
        data["f1"][pick()] = ""
        data["f2"][pick()] = "1.5"
        data["f3"][pick()] = "oops"
        data["category"][pick()] = "d"
        dup = pick()
        data["id"][dup] = data["id"][(dup + 1) % n]
        late = pick()
        data["timestamp"][late] = "2023-06-01T00:00:00Z"
        data["timestamp"][pick()] = "2099-01-01T00:00:00Z"
        frame = pd.DataFrame(data)
        frame.to_csv(f, header=False, index=False)
'''


def generate(folder: Path, rows: int, py: str) -> Path:
    path = folder / "train.csv"
    marker = folder / f"rows-{rows}"
    if path.exists() and marker.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    log(f"generating {rows:,} rows into {path} (once)")
    started = time.time()
    subprocess.run([py, "-c", GENERATE, str(path), str(rows)], check=True)
    marker.write_text("")
    log(f"generated {path.stat().st_size / 1e9:.2f} GB in {time.time() - started:.0f} s")
    floats = "\n".join(f'[data.columns.{n}]\ntype = "float"\nmin = 0.0\nmax = 1.0' for n in ["f1", "f2", "f3", "f4", "f5"])
    (folder / "runner.toml").write_text(CONFIG.format(floats=floats))
    return path


def timed(argv: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB, and stdout of one run under /usr/bin/time."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M", *argv], cwd=cwd, capture_output=True, text=True)
    last = result.stderr.strip().splitlines()[-1]
    wall, kb = last.split()
    if result.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    return float(wall), int(kb) / 1024, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()

    if not args.skip_build:
        log("building mlrun (release)")
        subprocess.run(["swift", "build", "-c", "release", "--product", "mlrun"], cwd=ROOT, check=True)
    py = python()
    folder = WORK / f"data-{args.rows // 1_000_000}m"
    path = generate(folder, args.rows, py)
    size = path.stat().st_size

    commands = {
        "mlrun": [str(MLRUN), "-q", "-c", "runner.toml", "--json", "out.json", "--seed", "1"],
        "pandas": [py, "-c", PANDAS_CHECKS, str(path)],
        "pyarrow": [py, "-c", PYARROW_READ, str(path)],
    }
    # Correctness first: every count mlrun reports equals pandas'.
    _, _, pandas_out = timed(commands["pandas"], folder)
    expected = json.loads(pandas_out)
    timed(commands["mlrun"], folder)
    report = json.loads((folder / "out.json").read_text())
    got = {t["id"].split("::", 1)[1]: t.get("values", {}).get("unexpected_count") for t in report["tests"]}
    for name, count in expected.items():
        if got.get(name) != count:
            raise SystemExit(f"mismatch on {name}: mlrun {got.get(name)} vs pandas {count}")
    log(f"all {len(expected)} unexpected counts equal pandas' (e.g. id::unique {expected['id::unique']}, "
        f"timestamp::increasing {expected['timestamp::increasing']}, f2::between {expected['f2::between']})")

    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    order = list(commands)
    for round_ in range(args.runs):
        log(f"round {round_ + 1}/{args.runs}")
        for name in (order if round_ % 2 == 0 else list(reversed(order))):
            wall, rss, _ = timed(commands[name], folder)
            samples[name].append((wall, rss))

    def med(name: str, i: int) -> float:
        return statistics.median(s[i] for s in samples[name])

    load = os.getloadavg()[0]
    lines = [
        f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} cores, "
        f"{platform.platform()}; load {load:.2f}",
        f"file: {path.relative_to(ROOT)}: {args.rows:,} rows, {size / 1e9:.2f} GB; {len(report['tests'])} mlrun tests; "
        f"{args.runs} rounds after a warm-up, medians (min–max)",
        "",
        "| tool | wall s | MB/s | peak RSS MB | mlrun is faster by |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in commands:
        walls = [s[0] for s in samples[name]]
        ratio = "" if name == "mlrun" else f"{med(name, 0) / med('mlrun', 0):.2f}×"
        lines.append(f"| {name} | {med(name, 0):.2f} ({min(walls):.2f}–{max(walls):.2f}) | {size / 1e6 / med(name, 0):.0f} | "
                     f"{med(name, 1):.0f} | {ratio} |")
    lines += ["", f"targets: ≥5× pandas: {med('pandas', 0) / med('mlrun', 0):.2f}× → "
              f"{'PASS' if med('pandas', 0) >= 5 * med('mlrun', 0) else 'FAIL'}; "
              f"not slower than pyarrow's reader: {med('pyarrow', 0) / med('mlrun', 0):.2f}× → "
              f"{'PASS' if med('mlrun', 0) <= med('pyarrow', 0) else 'FAIL'}; "
              f"peak memory < 200 MB: {med('mlrun', 1):.0f} MB → {'PASS' if med('mlrun', 1) < 200 else 'FAIL'}"]
    text = "\n".join(lines)
    print(text)
    (WORK / "data-results.md").write_text(text + "\n")
    (WORK / "data-results.json").write_text(json.dumps(samples, indent=1))


if __name__ == "__main__":
    main()
