#!/usr/bin/env python3
"""Benchmarks mlrun against pytest, side by side, in one invocation.

  (A) collect: collecting and selecting 100,000 tests with a five-term -m expression
      (`mlrun --collect-only -q -m EXPR` on a `[[command]]` suite whose discovery prints
      a prepared JSON Lines file, vs `pytest --collect-only -q -m EXPR` on 100 files of
      1,000 decorated functions carrying the same markers). Both must select the same tests.
  (B) run: running 10,000 trivial tests (mlrun's in-process `[[noop]]` suite from
      scripts/bench/SwiftBench vs `pytest -q` on 10,000 `def test_i(): pass`), and the
      same with 10 tests to measure each tool's fixed start-up cost.
  (C) protocol: the stock mlrun running a `[[command]]` suite of 10,000 trivial tests
      through the suite protocol (a tiny Python program answering start/result per id),
      and of 10, against pytest's (B) figures.

Every command is run once to warm up (page cache, Python bytecode), then --runs times,
alternating the tools; the figures are medians. Fixtures and results go to
.build-bench-work/ at the repository root (git-ignored). See scripts/bench/README.md.

Usage: python3 scripts/bench/run.py [--runs 5] [--skip-build] [--pytest-plugins]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "scripts" / "bench"
SWIFTBENCH = BENCH / "SwiftBench"
WORK = ROOT / ".build-bench-work"

# (A): five identifiers; `nightly` is not a built-in marker (mlrun runs without strict markers).
MARK_EXPR = "unit and not slow and (gpu or data) and not nightly"
# Marker → probability that a test carries it (independent draws, fixed seed).
MARKER_ODDS = {"unit": 0.6, "slow": 0.2, "gpu": 0.3, "data": 0.3, "nightly": 0.1, "integration": 0.15}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- building

def build(skip: bool, need_bench: bool = True) -> tuple[Path, Path | None]:
    """Builds the stock mlrun and (when needed) the SwiftBench mlrun (with `[[noop]]`) in release mode."""
    stock_cmd = ["swift", "build", "-c", "release", "--scratch-path", str(ROOT / ".build-bench"), "--product", "mlrun"]
    bench_cmd = ["swift", "build", "-c", "release", "--package-path", str(SWIFTBENCH),
                 "--scratch-path", str(SWIFTBENCH / ".build-swiftbench"), "--product", "mlrun-bench"]
    binaries = []
    for cmd, product in ((stock_cmd, "mlrun"), (bench_cmd, "mlrun-bench"))[: 2 if need_bench else 1]:
        if not skip:
            log("building: " + " ".join(cmd))
            started = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True)
            log(f"built {product} in {time.perf_counter() - started:.0f} s")
        bin_dir = subprocess.run(cmd + ["--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
        binary = Path(bin_dir) / product
        if not binary.exists():
            sys.exit(f"{binary} is missing; run without --skip-build")
        binaries.append(binary)
    return binaries[0], (binaries[1] if need_bench else None)


# --------------------------------------------------------------------------- fixtures

def marker_sets(count: int) -> list[list[str]]:
    rng = random.Random(20250101)
    return [[name for name, odds in MARKER_ODDS.items() if rng.random() < odds] for _ in range(count)]


def expected_selection(markers: list[list[str]]) -> int:
    def holds(names: set[str]) -> bool:
        return "unit" in names and "slow" not in names and ("gpu" in names or "data" in names) and "nightly" not in names
    return sum(holds(set(m)) for m in markers)


def write_pytest_ini(folder: Path, markers: list[str]) -> None:
    lines = ["[pytest]"]
    if markers:
        lines.append("markers =")
        lines += [f"    {name}: benchmark marker" for name in markers]
    (folder / "pytest.ini").write_text("\n".join(lines) + "\n")


def make_collect_fixture(files: int, per_file: int) -> tuple[Path, Path, Path, int]:
    """(A): the same tests and markers as a JSON Lines discovery file and as pytest files."""
    base = WORK / f"collect-{files}x{per_file}"
    markers = marker_sets(files * per_file)
    expected = expected_selection(markers)
    stamp = base / "done"
    if stamp.exists() and stamp.read_text() == str(expected):
        return base / "mlrun" / "runner.toml", base / "mlrun" / "runner-python.toml", base / "pytest", expected
    shutil.rmtree(base, ignore_errors=True)
    mlrun_dir, pytest_dir = base / "mlrun", base / "pytest"
    mlrun_dir.mkdir(parents=True)
    pytest_dir.mkdir(parents=True)

    with open(mlrun_dir / "tests.jsonl", "w") as out:
        for index, names in enumerate(markers):
            f, t = divmod(index, per_file)
            out.write(json.dumps({"id": f"m{f:03d}_f{t:04d}", "markers": names}) + "\n")
    # mlrun runs `ARGV discover`; both programs ignore the argument and print the file.
    (mlrun_dir / "discover.sh").write_text("#!/bin/sh\nexec cat tests.jsonl\n")
    (mlrun_dir / "discover.py").write_text(
        "import shutil, sys\nwith open('tests.jsonl', 'rb') as f:\n    shutil.copyfileobj(f, sys.stdout.buffer)\n")
    (mlrun_dir / "runner.toml").write_text(
        '[[command]]\nname = "gen"\nrun = ["/bin/sh", "discover.sh"]\n')
    (mlrun_dir / "runner-python.toml").write_text(
        '[[command]]\nname = "gen"\nrun = ["python3", "discover.py"]\n')

    write_pytest_ini(pytest_dir, list(MARKER_ODDS))
    for f in range(files):
        parts = ["import pytest\n"]
        for t in range(per_file):
            names = markers[f * per_file + t]
            parts.append("\n" + "".join(f"@pytest.mark.{name}\n" for name in names) + f"def test_f{t:04d}():\n    pass\n")
        (pytest_dir / f"test_m{f:03d}.py").write_text("".join(parts))
    stamp.write_text(str(expected))
    return mlrun_dir / "runner.toml", mlrun_dir / "runner-python.toml", pytest_dir, expected


def make_run_fixture(count: int, per_file: int) -> tuple[Path, Path]:
    """(B): a `[[noop]]` config and a pytest folder of `count` trivial tests."""
    base = WORK / f"run-{count}"
    mlrun_dir, pytest_dir = base / "mlrun", base / "pytest"
    stamp = base / "done"
    if stamp.exists():
        return mlrun_dir / "runner.toml", pytest_dir
    shutil.rmtree(base, ignore_errors=True)
    mlrun_dir.mkdir(parents=True)
    pytest_dir.mkdir(parents=True)
    (mlrun_dir / "runner.toml").write_text(f'[[noop]]\nname = "bench"\ncount = {count}\n')
    write_pytest_ini(pytest_dir, [])
    for f, start in enumerate(range(0, count, per_file)):
        body = "".join(f"def test_{i}():\n    pass\n\n" for i in range(start, min(count, start + per_file)))
        (pytest_dir / f"test_run{f:03d}.py").write_text(body)
    stamp.write_text("ok")
    return mlrun_dir / "runner.toml", pytest_dir


PROTOCOL_PROGRAM = '''\
"""The smallest suite protocol v1 program: N trivial tests that pass."""
import json, sys, time

N = int(sys.argv[1])
out = sys.stdout
if sys.argv[2] == "discover":
    out.write("".join(json.dumps({"id": f"test_{i}"}) + "\\n" for i in range(N)))
else:
    for line in sys.stdin:
        tid = json.dumps(line.strip())
        out.write('{"id": %s, "event": "start"}\\n' % tid)
        out.flush()
        t0 = time.perf_counter()
        out.write('{"id": %s, "outcome": "passed", "message": "", "duration_s": %.9f}\\n' % (tid, time.perf_counter() - t0))
        out.flush()
'''


def make_protocol_fixture(count: int) -> Path:
    """(C): a `[[command]]` config whose program runs `count` trivial tests."""
    base = WORK / f"protocol-{count}"
    base.mkdir(parents=True, exist_ok=True)
    (base / "program.py").write_text(PROTOCOL_PROGRAM)
    (base / "runner.toml").write_text(
        f'[[command]]\nname = "proto"\nrun = ["{sys.executable}", "program.py", "{count}"]\n')
    return base / "runner.toml"


# --------------------------------------------------------------------------- measuring

@dataclass
class Bench:
    case: str            # "collect", "run", "start-up"
    tool: str            # "mlrun", "pytest", …
    tests: int           # tests collected (A) or run (B)
    cmd: list[str]
    cwd: Path
    env: dict[str, str]
    check: object        # callable(stdout: str, rc: int) -> str | None (a problem)
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)


def measure(bench: Bench, record: bool) -> None:
    out_path = WORK / "last-stdout.txt"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out_path, "wb") as out, open(WORK / "last-stderr.txt", "wb") as err:
        started = time.perf_counter()
        proc = subprocess.run(bench.cmd, cwd=bench.cwd, env=bench.env, stdout=out, stderr=err)
        wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    problem = bench.check(out_path.read_text(errors="replace"), proc.returncode)
    if problem:
        stderr = (WORK / "last-stderr.txt").read_text(errors="replace")
        shown = stderr if len(stderr) < 3000 else stderr[:2000] + "\n[…]\n" + stderr[-800:]
        sys.exit(f"{bench.tool} {bench.case}: {problem}\ncommand: {' '.join(bench.cmd)} (in {bench.cwd})\n"
                 f"stderr ({WORK / 'last-stderr.txt'}):\n{shown}")
    if record:
        bench.walls.append(wall)
        bench.cpus.append(cpu)


def count_ids(stdout: str) -> int:
    return sum(1 for line in stdout.splitlines() if "::" in line)


def collect_check(expected: int):
    def check(stdout: str, rc: int) -> str | None:
        if rc != 0:
            return f"exit code {rc}"
        found = count_ids(stdout)
        return None if found == expected else f"selected {found} tests, expected {expected}"
    return check


def run_check(expected: int, tool: str):
    def check(stdout: str, rc: int) -> str | None:
        if rc != 0:
            return f"exit code {rc}"
        last = stdout.strip().splitlines()[-1] if stdout.strip() else ""
        return None if last.startswith(f"{expected} passed") else f"expected '{expected} passed …', got {last!r}"
    return check


def version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (default 5)")
    parser.add_argument("--collect-files", type=int, default=100)
    parser.add_argument("--collect-per-file", type=int, default=1000)
    parser.add_argument("--run-tests", type=int, default=10_000)
    parser.add_argument("--tiny-tests", type=int, default=10)
    parser.add_argument("--skip-build", action="store_true", help="use the binaries already built")
    parser.add_argument("--pytest-plugins", action="store_true",
                        help="let pytest load its installed plugins (default: PYTEST_DISABLE_PLUGIN_AUTOLOAD=1, its leanest set-up)")
    parser.add_argument("--only", choices=["collect", "run", "protocol"],
                        help="run one case only (protocol: (C) and pytest's (B) rows)")
    args = parser.parse_args()

    WORK.mkdir(exist_ok=True)
    mlrun, mlrun_bench = build(args.skip_build, need_bench=args.only != "protocol")

    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["PYTHONHASHSEED"] = "0"
    if not args.pytest_plugins:
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
    seed = ["--seed", "1"]

    benches: list[Bench] = []
    if args.only in (None, "collect"):
        log("generating the collection fixture …")
        toml, toml_py, pytest_dir, expected = make_collect_fixture(args.collect_files, args.collect_per_file)
        n = args.collect_files * args.collect_per_file
        check = collect_check(expected)
        benches += [
            Bench("collect", "mlrun", n, [str(mlrun), "--collect-only", "-q", "-m", MARK_EXPR, "-c", str(toml), *seed],
                  toml.parent, env, check),
            Bench("collect", "pytest", n, [*pytest, "--collect-only", "-q", "-m", MARK_EXPR], pytest_dir, env, check),
            Bench("collect", "mlrun (python3 discover)", n,
                  [str(mlrun), "--collect-only", "-q", "-m", MARK_EXPR, "-c", str(toml_py), *seed], toml.parent, env, check),
        ]
    if args.only in (None, "run", "protocol"):
        log("generating the run fixtures …")
        for case, count in (("run", args.run_tests), ("start-up", args.tiny_tests)):
            toml, pytest_dir = make_run_fixture(count, 1000)
            if args.only != "protocol":
                benches.append(Bench(case, "mlrun", count, [str(mlrun_bench), "-q", "-c", str(toml), *seed], toml.parent,
                                     env, run_check(count, "mlrun")))
            benches.append(Bench(case, "pytest", count, [*pytest, "-q"], pytest_dir, env, run_check(count, "pytest")))
    if args.only in (None, "protocol"):
        for case, count in (("run", args.run_tests), ("start-up", args.tiny_tests)):
            toml = make_protocol_fixture(count)
            benches.append(Bench(case, "mlrun [[command]]", count, [str(mlrun), "-q", "-c", str(toml), *seed], toml.parent,
                                 env, run_check(count, "mlrun")))

    log("warming up (one unrecorded run of each command) …")
    for bench in benches:
        measure(bench, record=False)
    for round_index in range(args.runs):
        log(f"round {round_index + 1}/{args.runs}")
        # Alternate the tools; flip the order every other round.
        order = benches if round_index % 2 == 0 else list(reversed(benches))
        for bench in order:
            measure(bench, record=True)

    report(benches, args, mlrun, pytest, env)


def report(benches: list[Bench], args, mlrun: Path, pytest: list[str], env: dict[str, str]) -> None:
    by = {(b.case, b.tool): b for b in benches}
    lines = []
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    cpu_model = "?"
    try:
        cpu_model = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines.append(f"date: {now}; machine: {os.cpu_count()} cores, {cpu_model}, {platform.system()} {platform.release()}")
    lines.append(f"mlrun: {version([str(mlrun), '--version'])} ({version(['swift', '--version'])}), release build")
    lines.append(f"pytest: {version([*pytest, '--version'])} on Python {platform.python_version()}"
                 + ("" if args.pytest_plugins else ", PYTEST_DISABLE_PLUGIN_AUTOLOAD=1"))
    lines.append(f"runs: {args.runs} measured (after 1 warm-up) per command, alternating; figures are medians")
    lines.append("")
    lines.append("| case | tool | tests | median wall s (min–max) | median CPU s | wall/test µs | pytest ÷ mlrun |")
    lines.append("|---|---|---:|---:|---:|---:|---:|")
    for b in benches:
        reference = by.get((b.case, "pytest"))
        ratio = "" if b.tool == "pytest" or reference is None else f"{reference.wall / b.wall:.1f}×"
        lines.append(f"| {b.case} | {b.tool} | {b.tests:,} | {b.wall:.3f} ({min(b.walls):.3f}–{max(b.walls):.3f}) | "
                     f"{b.cpu:.3f} | {b.wall / b.tests * 1e6:,.1f} | {ratio} |")

    net = {}
    for tool in ("mlrun", "mlrun [[command]]", "pytest"):
        run, tiny = by.get(("run", tool)), by.get(("start-up", tool))
        if run and tiny:
            net[tool] = ((run.wall - tiny.wall) / (run.tests - tiny.tests), run.wall / run.tests, tiny.wall)
    if net:
        lines.append("")
        lines.append("Per-test overhead, (B):")
        lines.append("")
        lines.append("| tool | fixed start-up s (10 tests) | wall / N µs | (wall − start-up) / (N − 10) µs |")
        lines.append("|---|---:|---:|---:|")
        for tool, (per_net, per_gross, startup) in net.items():
            lines.append(f"| {tool} | {startup:.3f} | {per_gross * 1e6:,.1f} | {per_net * 1e6:,.1f} |")
        for tool in ("mlrun", "mlrun [[command]]"):
            if tool in net and "pytest" in net:
                lines.append("")
                lines.append(f"pytest ÷ {tool} per-test overhead: {net['pytest'][1] / net[tool][1]:.1f}× (wall / N), "
                             f"{net['pytest'][0] / net[tool][0]:.1f}× (start-up subtracted)")
    lines.append("")
    lines.append("Commands (in the fixture folders under .build-bench-work/):")
    for b in benches:
        shown = [part if " " not in part else f'"{part}"' for part in b.cmd]
        shown = [str(Path(p).relative_to(ROOT)) if p.startswith(str(ROOT)) else p for p in shown]
        shown = ["python3" if p == sys.executable else p for p in shown]
        lines.append(f"  {b.case:8} {b.tool:25} {' '.join(shown)}")
    if any(b.tool == "mlrun [[command]]" for b in benches):
        lines.append("  (the [[command]] program is .build-bench-work/protocol-N/program.py)")
    text = "\n".join(lines)
    print(text)
    (WORK / "results.md").write_text(text + "\n")
    (WORK / "results.json").write_text(json.dumps(
        [{"case": b.case, "tool": b.tool, "tests": b.tests, "walls": b.walls, "cpus": b.cpus, "cmd": b.cmd} for b in benches],
        indent=1) + "\n")


if __name__ == "__main__":
    main()
