#!/usr/bin/env python3
"""Times plain pytest, pytest-xdist and mlrun's [[pytest]] suite on two generated pytest suites.

The suites, generated once into .build-bench-work/pytest-suites/ (git-ignored):

  trivial   10,000 tests that do nothing (100 files of 100 functions): the per-test overhead
            of collecting, running and reporting.
  cpu       200 tests, each burning 50 ms of CPU time in a pure-Python loop (measured with
            time.process_time, so the work is the same on any machine): how the tools share
            2 cores.

Each suite folder has an empty pytest.ini (so it is pytest's rootdir, whatever lies above)
and a runner.toml with one [[pytest]] table. The commands, timed as whole processes from
start to exit:

  pytest        python -m pytest -q -p no:cacheprovider
  xdist         python -m pytest -q -p no:cacheprovider -p xdist.plugin -n 2
  mlrun         mlrun -q -c runner.toml                  (with --mlrun, when it knows [[pytest]])
  mlrun-n2      mlrun -q -c runner.toml -n 2

Each command runs once to warm up, then --runs times (default 5), alternating the commands and
reversing their order every other round; the figure is the median wall time. A run whose exit
status is not 0 is reported (every generated test passes). As in run.py, every command runs
with PYTEST_DISABLE_PLUGIN_AUTOLOAD=1, so the plugins that happen to be installed (Hypothesis,
pytest-cov, pytest-benchmark, ...) cost nothing; xdist is loaded by name. --pytest-plugins
lets pytest (and mlrun's pytest) autoload them instead.

Usage: python3 scripts/bench/pytest_suites.py [--runs 5] [--mlrun .build/release/mlrun] [--only trivial|cpu]
                                             [--pytest-plugins]
Results: printed, and written to .build-bench-work/pytest-suites/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".build-bench-work" / "pytest-suites"
GENERATION = "1"  # bump when the generated files change, to regenerate them

CPU_TEST = '''

def test_cpu_{i:03d}():
    _burn(0.05)
'''
CPU_HEADER = '''import time


def _burn(seconds):
    """Spin until this process has used `seconds` of CPU time."""
    end = time.process_time() + seconds
    n = 0
    while time.process_time() < end:
        n += sum(range(100))
    assert n > 0
'''


def log(message: str) -> None:
    print(f"[pytest_suites] {message}", file=sys.stderr, flush=True)


def write_suite(name: str, files: dict) -> Path:
    """Write the suite's test files (unless this generation is there already)."""
    folder = WORK / name
    stamp = folder / ".generated"
    if stamp.exists() and stamp.read_text() == GENERATION:
        return folder
    log(f"generating {folder}")
    tests = folder / "tests"
    tests.mkdir(parents=True, exist_ok=True)
    for old in tests.glob("test_*.py"):
        old.unlink()
    for file_name, text in files.items():
        (tests / file_name).write_text(text, encoding="utf-8")
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (folder / "runner.toml").write_text(
        f'[[pytest]]\nname = "{name}"\nargs = ["tests"]\npython = [{json.dumps(sys.executable)}]\n',
        encoding="utf-8")
    stamp.write_text(GENERATION)
    return folder


def generate() -> dict:
    trivial = {f"test_trivial_{f:03d}.py": "".join(f"\n\ndef test_{t:03d}():\n    pass\n" for t in range(100))
               for f in range(100)}
    cpu = {f"test_cpu_{f}.py": CPU_HEADER + "".join(CPU_TEST.format(i=50 * f + t) for t in range(50))
           for f in range(4)}
    return {"trivial": write_suite("trivial", trivial), "cpu": write_suite("cpu", cpu)}


def supports_pytest_table(mlrun: Path, folder: Path, env: dict) -> bool:
    """Whether this mlrun accepts the generated runner.toml (an older one refuses [[pytest]])."""
    probe = subprocess.run([str(mlrun), "--collect-only", "-q", "-c", "runner.toml"], cwd=folder,
                           capture_output=True, text=True, env=env)
    if probe.returncode != 0:
        log(f"{mlrun} does not run [[pytest]] suites (exit {probe.returncode}): {probe.stderr.strip()[:300]}")
    return probe.returncode == 0


def commands(mlrun: Path | None, folder: Path, env: dict) -> dict:
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    found = {"pytest": pytest, "xdist": pytest + ["-p", "xdist.plugin", "-n", "2"]}
    if mlrun is not None and supports_pytest_table(mlrun, folder, env):
        found["mlrun"] = [str(mlrun), "-q", "-c", "runner.toml"]
        found["mlrun-n2"] = [str(mlrun), "-q", "-c", "runner.toml", "-n", "2"]
    return found


def wall(argv: list, folder: Path, env: dict) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, done.returncode


def bench(folder: Path, cmds: dict, runs: int, env: dict) -> dict:
    times = {name: [] for name in cmds}
    failures = {name: set() for name in cmds}
    for name, argv in cmds.items():  # warm-up: file caches, .pyc files
        _, status = wall(argv, folder, env)
        if status:
            failures[name].add(status)
    for round_ in range(runs):
        order = list(cmds) if round_ % 2 == 0 else list(reversed(cmds))
        for name in order:
            seconds, status = wall(cmds[name], folder, env)
            times[name].append(seconds)
            if status:
                failures[name].add(status)
    return {name: {"median_s": round(statistics.median(ts), 3), "runs_s": [round(t, 3) for t in ts],
                   "bad_exit": sorted(failures[name])} for name, ts in times.items()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mlrun", type=Path, help="an mlrun binary; timed when it supports [[pytest]]")
    parser.add_argument("--only", choices=["trivial", "cpu"])
    parser.add_argument("--pytest-plugins", action="store_true", help="let pytest autoload its installed plugins")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    if not args.pytest_plugins:
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    mlrun = args.mlrun.resolve() if args.mlrun else None

    suites = generate()
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                           "platform": platform.platform()}, "runs": args.runs,
               "plugin_autoload": args.pytest_plugins, "suites": {}}
    for name, folder in suites.items():
        if args.only and name != args.only:
            continue
        cmds = commands(mlrun, folder, env)
        log(f"{name}: {', '.join(cmds)} x {args.runs}")
        results["suites"][name] = bench(folder, cmds, args.runs, env)
        for cmd, figures in results["suites"][name].items():
            note = f"  (exit {figures['bad_exit']})" if figures["bad_exit"] else ""
            print(f"{name:8} {cmd:9} median {figures['median_s']:7.3f} s  runs {figures['runs_s']}{note}")
    (WORK / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
