#!/usr/bin/env python3
"""Benchmarks mlrun's worker processes (-n) against pytest-xdist on the same CPU-bound work.

The work: 24 tests, each a pure-Python busy loop of about 0.25 s (an iteration count
calibrated once, when the fixture is generated, on this machine). The same function and
count run under both tools:

  mlrun          `mlrun -q -c runner.toml` with one `[[command]]` suite (a protocol-v1
                 plugin in Python): without -n (one plugin process), -n 1 and -n 2 (each
                 worker has its own plugin process).
  mlrun-fixture  mlrun's test-only build with a Swift-native `[[fixture]]` suite of 24
                 `busy250` tests (250 ms of CPU work each, in-process; under -n in mlrun
                 worker processes): without -n, -n 1 and -n 2.
  pytest         `python -m pytest -q -p no:cacheprovider` on a file of the same 24
                 functions: without -n (no xdist), -n 1 and -n 2 (pytest-xdist).

The acceptance line checked: mlrun -n 2 takes at most 0.55x the wall time of mlrun -n 1.

Every command is run once to warm up, then --runs times, alternating the commands and
reversing their order every other round; the figures are medians. Fixtures, the venv with
pytest-xdist and the results go to .build-bench-work/ (git-ignored). See
scripts/bench/README.md, "Parallel workers (-n)".

Usage: python3 scripts/bench/parallel.py [--runs 5] [--skip-build] [--recalibrate]
       python3 scripts/bench/parallel.py --skip-build --profile   # timeline of one mlrun -n 2 run
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".build-bench-work"
VENV = WORK / "venv"
TESTS = 24
TARGET_S = 0.25
LIMIT = 0.55  # the acceptance line: wall(-n 2) <= LIMIT * wall(-n 1)


def log(message: str) -> None:
    print(f"[parallel] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- building

def swift_build(product: str, skip: bool) -> Path:
    cmd = ["swift", "build", "-c", "release", "--scratch-path", str(ROOT / ".build-bench"), "--product", product]
    if not skip:
        log("building: " + " ".join(cmd))
        started = time.perf_counter()
        for attempt in range(3):
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            if proc.returncode == 0:
                break
            # A source saved while the build runs makes SwiftPM stop; building again is enough.
            if "was modified during the build" in proc.stderr + proc.stdout and attempt < 2:
                log("a source changed during the build; building again")
                continue
            sys.exit(f"build failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        log(f"built {product} in {time.perf_counter() - started:.0f} s")
    bin_dir = subprocess.run(cmd + ["--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
    binary = Path(bin_dir) / product
    if not binary.exists():
        sys.exit(f"{binary} is missing; run without --skip-build")
    return binary


def venv_python() -> Path:
    """A venv that sees the system pytest and adds pytest-xdist."""
    python = VENV / "bin" / "python"
    if not python.exists():
        log(f"creating {VENV.relative_to(ROOT)} (--system-site-packages)")
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(VENV)], check=True)
    if subprocess.run([str(python), "-c", "import xdist"], capture_output=True).returncode != 0:
        log("installing pytest-xdist into the venv")
        subprocess.run([str(python), "-m", "pip", "install", "-q", "pytest-xdist"], check=True)
    return python


# --------------------------------------------------------------------------- fixture

BURN = '''\
def burn(n=ITERATIONS):
    """Pure-Python CPU work: no I/O, no sleeping, no native extension."""
    total = 0
    for i in range(n):
        total += i * i % 7
    return total
'''


def calibrate(python: Path) -> tuple[int, float]:
    """The iteration count that makes `burn` take TARGET_S in `python` on this machine."""
    script = BURN.replace("ITERATIONS", "0") + '''
import sys, time
def timed(n):
    t = time.perf_counter(); burn(n); return time.perf_counter() - t
probe = 1_000_000
per = min(timed(probe) for _ in range(5)) / probe
n = int(round(%r / per, -3))
check = sorted(timed(n) for _ in range(5))[2]
print(n, check)
''' % TARGET_S
    out = subprocess.run([str(python), "-c", script], check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), float(out[1])


def test_name(i: int) -> str:
    return f"test_busy_{i:02d}"


def make_fixture(python: Path, recalibrate: bool) -> tuple[Path, int, float]:
    base = WORK / f"parallel-{TESTS}x{int(TARGET_S * 1000)}ms"
    stamp = base / "calibration.json"
    if stamp.exists() and not recalibrate:
        saved = json.loads(stamp.read_text())
        return base, saved["iterations"], saved["median_s"]
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    log(f"calibrating the busy loop to {TARGET_S} s …")
    iterations, median_s = calibrate(python)
    log(f"{iterations:,} iterations; median of 5 checks {median_s:.3f} s")

    (base / "busywork.py").write_text(f"ITERATIONS = {iterations}  # calibrated to ~{TARGET_S} s on this machine\n\n\n"
                                      + BURN)
    # mlrun: a protocol-v1 plugin running the same function.
    (base / "plugin.py").write_text(f'''\
"""Suite protocol v1: {TESTS} tests, each `busywork.burn()` (the pytest file's functions)."""
import json, sys, time
from busywork import burn

IDS = ["{test_name(1)[:-2]}%02d" % i for i in range(1, {TESTS + 1})]


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\\n")
    sys.stdout.flush()


if sys.argv[1:] == ["discover"]:
    for test_id in IDS:
        emit({{"id": test_id, "paths": ["busywork.py"]}})
elif sys.argv[1:] == ["run"]:
    for line in sys.stdin:
        test_id = line.strip()
        if not test_id:
            continue
        emit({{"id": test_id, "event": "start"}})
        started = time.perf_counter()
        if test_id in IDS:
            outcome, message = ("passed", "") if burn() >= 0 else ("failed", "negative")
        else:
            outcome, message = "error", "unknown test id"
        emit({{"id": test_id, "outcome": outcome, "message": message,
              "duration_s": time.perf_counter() - started, "values": {{}}}})
''')
    (base / "runner.toml").write_text(f'[[command]]\nname = "busy"\nrun = ["{python}", "plugin.py"]\n')
    # mlrun-fixture: the Swift-native in-process suite (250 ms of CPU work per test).
    ids = ", ".join(f'"busy{int(TARGET_S * 1000)}:t{i:02d}"' for i in range(1, TESTS + 1))
    (base / "fixture.toml").write_text(f'[[fixture]]\nname = "busy"\ntests = [{ids}]\n')
    # pytest: the same function and count.
    (base / "pytest.ini").write_text("[pytest]\n")
    (base / "test_busy.py").write_text("from busywork import burn\n" + "".join(
        f"\n\ndef {test_name(i)}():\n    assert burn() >= 0\n" for i in range(1, TESTS + 1)))
    stamp.write_text(json.dumps({"iterations": iterations, "median_s": median_s}) + "\n")
    return base, iterations, median_s


# --------------------------------------------------------------------------- measuring

@dataclass
class Bench:
    tool: str   # "mlrun", "mlrun-fixture", "pytest"
    mode: str   # "no -n", "-n 1", "-n 2"
    cmd: list[str]
    cwd: Path
    env: dict[str, str]
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)


def passed_line(stdout: str) -> str:
    lines = [line for line in stdout.strip().splitlines() if line.strip()]
    return lines[-1].strip(" =") if lines else ""


def measure(bench: Bench, record: bool) -> None:
    out_path, err_path = WORK / "last-stdout.txt", WORK / "last-stderr.txt"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.run(bench.cmd, cwd=bench.cwd, env=bench.env, stdout=out, stderr=err)
        wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    last = passed_line(out_path.read_text(errors="replace"))
    if proc.returncode != 0 or not last.startswith(f"{TESTS} passed"):
        stderr = err_path.read_text(errors="replace")
        sys.exit(f"{bench.tool} {bench.mode}: exit code {proc.returncode}, last line {last!r} "
                 f"(expected '{TESTS} passed …')\ncommand: {' '.join(bench.cmd)} (in {bench.cwd})\n"
                 f"stderr:\n{stderr[-3000:]}")
    if record:
        bench.walls.append(wall)
        bench.cpus.append(cpu)


def version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


def profile(mlrun: Path, base: Path, env: dict[str, str], workers: int) -> None:
    """One `mlrun -n N` run with the event stream on stdout, each line stamped on arrival."""
    cmd = [str(mlrun), "-q", "-c", "runner.toml", "--seed", "1", "-n", str(workers), "--events", "-"]
    log("profiling: " + " ".join(cmd))
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=base, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    events = []
    for line in proc.stdout:
        events.append((time.perf_counter() - started, json.loads(line)))
    proc.wait()
    total = time.perf_counter() - started
    starts = {e["id"]: t for t, e in events if e.get("event") == "test_started"}
    finishes = [(t, e["test"]) for t, e in events if e.get("event") == "test_finished"]
    run_started = next((t for t, e in events if e.get("event") == "run_started"), None)
    print(f"mlrun -n {workers}: exit {proc.returncode}, wall {total:.3f} s")
    if run_started is not None:
        print(f"  run_started event at {run_started:.3f} s")
    if starts:
        print(f"  first test_started at {min(starts.values()):.3f} s, last test_finished at "
              f"{max(t for t, _ in finishes):.3f} s, exit at {total:.3f} s")
    by_worker: dict[object, list[tuple[float, float, float]]] = {}
    for t, test in finishes:
        by_worker.setdefault(test.get("worker"), []).append((starts.get(test["id"], float("nan")), t, test.get("duration_s", 0.0)))
    for worker, spans in sorted(by_worker.items(), key=lambda kv: str(kv[0])):
        spans.sort()
        busy = sum(d for _, _, d in spans)
        gaps = [spans[i + 1][0] - spans[i][1] for i in range(len(spans) - 1)]
        print(f"  worker {worker}: {len(spans)} tests, first start {spans[0][0]:.3f} s, last finish {spans[-1][1]:.3f} s, "
              f"sum of test durations {busy:.3f} s, mean test {busy / len(spans):.3f} s, "
              f"gap between tests mean {statistics.mean(gaps) * 1000 if gaps else 0:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="measured runs per command (default 5)")
    parser.add_argument("--skip-build", action="store_true", help="use the binaries already built")
    parser.add_argument("--recalibrate", action="store_true", help="calibrate the busy loop again and rewrite the fixture")
    parser.add_argument("--profile", action="store_true", help="only print a timeline of one mlrun -n 1 and -n 2 run")
    args = parser.parse_args()

    WORK.mkdir(exist_ok=True)
    mlrun = swift_build("mlrun", args.skip_build)
    fixture = swift_build("mlrun-fixture", args.skip_build)
    python = venv_python()
    base, iterations, calibrated = make_fixture(python, args.recalibrate)

    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["PYTHONHASHSEED"] = "0"
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # pytest's leanest set-up; xdist is loaded with -p
    if args.profile:
        for workers in (1, 2):
            profile(mlrun, base, env, workers)
        return

    pytest = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    seed = ["--seed", "1"]
    benches = [
        Bench("mlrun", "no -n", [str(mlrun), "-q", "-c", "runner.toml", *seed], base, env),
        Bench("mlrun", "-n 1", [str(mlrun), "-q", "-c", "runner.toml", *seed, "-n", "1"], base, env),
        Bench("mlrun", "-n 2", [str(mlrun), "-q", "-c", "runner.toml", *seed, "-n", "2"], base, env),
        Bench("mlrun-fixture", "no -n", [str(fixture), "-q", "-c", "fixture.toml", *seed], base, env),
        Bench("mlrun-fixture", "-n 1", [str(fixture), "-q", "-c", "fixture.toml", *seed, "-n", "1"], base, env),
        Bench("mlrun-fixture", "-n 2", [str(fixture), "-q", "-c", "fixture.toml", *seed, "-n", "2"], base, env),
        Bench("pytest", "no -n", [*pytest, "test_busy.py"], base, env),
        Bench("pytest", "-n 1", [*pytest, "-p", "xdist.plugin", "-n", "1", "test_busy.py"], base, env),
        Bench("pytest", "-n 2", [*pytest, "-p", "xdist.plugin", "-n", "2", "test_busy.py"], base, env),
    ]
    load_before = os.getloadavg()
    log("warming up (one unrecorded run of each command) …")
    for bench in benches:
        measure(bench, record=False)
    for round_index in range(args.runs):
        log(f"round {round_index + 1}/{args.runs}")
        order = benches if round_index % 2 == 0 else list(reversed(benches))
        for bench in order:
            measure(bench, record=True)
    load_after = os.getloadavg()
    ok = report(benches, args, mlrun, python, iterations, calibrated, load_before, load_after)
    sys.exit(0 if ok else 1)


def report(benches: list[Bench], args, mlrun: Path, python: Path, iterations: int, calibrated: float,
           load_before, load_after) -> bool:
    by = {(b.tool, b.mode): b for b in benches}
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    cpu_model = "?"
    try:
        cpu_model = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    xdist = version([str(python), "-c", "import xdist; print(xdist.__version__)"])
    lines = [
        f"date: {now}; machine: {os.cpu_count()} cores, {cpu_model}, {platform.system()} {platform.release()}",
        f"mlrun: {version([str(mlrun), '--version'])} ({version(['swift', '--version'])}), release build",
        f"pytest: {version([str(python), '-m', 'pytest', '--version'])}, pytest-xdist {xdist}, "
        f"Python {platform.python_version()}, PYTEST_DISABLE_PLUGIN_AUTOLOAD=1",
        f"work: {TESTS} tests x busywork.burn({iterations:,}) (pure Python, calibrated: {calibrated:.3f} s each, "
        f"{TESTS * calibrated:.2f} s in all); mlrun-fixture: {TESTS} x busy{int(TARGET_S * 1000)} (Swift)",
        f"runs: {args.runs} measured (after 1 warm-up) per command, alternating; figures are medians; "
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}",
        "",
        "| tool | mode | median wall s (min–max) | median CPU s | ÷ same tool's -n 1 | pytest ÷ this (same mode) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for b in benches:
        one = by.get((b.tool, "-n 1"))
        vs_one = f"{b.wall / one.wall:.3f}" if one else ""
        ref = by.get(("pytest", b.mode))
        vs_pytest = f"{ref.wall / b.wall:.2f}×" if ref and b.tool != "pytest" else ""
        lines.append(f"| {b.tool} | {b.mode} | {b.wall:.3f} ({min(b.walls):.3f}–{max(b.walls):.3f}) | {b.cpu:.3f} | "
                     f"{vs_one} | {vs_pytest} |")
    m1, m2 = by[("mlrun", "-n 1")], by[("mlrun", "-n 2")]
    f1, f2 = by[("mlrun-fixture", "-n 1")], by[("mlrun-fixture", "-n 2")]
    p2 = by[("pytest", "-n 2")]
    ratio = m2.wall / m1.wall
    ok = ratio <= LIMIT
    # The same ratio within each round (the two runs were taken close together), as a check
    # on the host's noise.
    paired = sorted(b / a for a, b in zip(m1.walls, m2.walls))
    lines += [
        "",
        f"mlrun -n 2 ÷ mlrun -n 1 = {ratio:.3f} (limit {LIMIT}): {'PASS' if ok else 'FAIL'} "
        f"(per round: median {statistics.median(paired):.3f}, {paired[0]:.3f}–{paired[-1]:.3f}); "
        f"mlrun-fixture -n 2 ÷ -n 1 = {f2.wall / f1.wall:.3f}; "
        f"xdist -n 2 ÷ xdist -n 1 = {p2.wall / by[('pytest', '-n 1')].wall:.3f}",
        f"mlrun -n 2 vs pytest-xdist -n 2: {m2.wall:.3f} s vs {p2.wall:.3f} s "
        f"(xdist takes {p2.wall - m2.wall:+.3f} s, {p2.wall / m2.wall:.2f}×)",
        "",
        "Commands (in .build-bench-work/" + benches[0].cwd.name + "/):",
    ]
    for b in benches:
        shown = [str(Path(p).relative_to(ROOT)) if p.startswith(str(ROOT)) else p for p in b.cmd]
        lines.append(f"  {b.tool:13} {b.mode:6} {' '.join(shown)}")
    text = "\n".join(lines)
    print(text)
    (WORK / "parallel-results.md").write_text(text + "\n")
    (WORK / "parallel-results.json").write_text(json.dumps(
        [{"tool": b.tool, "mode": b.mode, "walls": b.walls, "cpus": b.cpus, "cmd": b.cmd} for b in benches], indent=1) + "\n")
    return ok


if __name__ == "__main__":
    main()
