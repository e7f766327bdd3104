#!/usr/bin/env python3
"""Benchmarks `mlrun --changed` against `git status --porcelain` + `git diff --name-only`.

Acceptance line: on a generated repository of 20,000 files with 200 changes in the working
tree (untracked, modified, renamed), selecting by changed files takes no longer than the git
commands that list the same changes.

  * The repository (.build-bench-work/changed-20000/, git-ignored, made with the git CLI):
    20,000 small files in nested folders, committed, then a second commit touching 20 files,
    then `git gc` (objects packed, as in a clone).
    In the working tree: 70 modified files (35 staged, 35 not), 70 untracked files (some in
    new folders), 60 staged renames (`git mv`), and ignored files under build/ and *.log.
    `git status` runs once after set-up, as it would in a user's checkout, so the index's
    stat cache is fresh.
  * A runner.toml at its root with nine `[[command]]` suites (5 tests each, from a tiny
    discover.sh) whose `paths` globs cover parts of the tree.
  * mlrun: `mlrun --collect-only -q --changed`, and the same without `--changed` (the
    difference is the cost of reading the changes), and `--changed-since HEAD~1`.
  * git: `git status --porcelain` then `git diff --name-only` (and `git diff --name-only HEAD`),
    run one after the other; the per-round sum is compared. For `--changed-since HEAD~1`:
    `git merge-base HEAD~1 HEAD` + `git status --porcelain` + `git diff --name-only HEAD~1`.

1 warm-up, then --runs rounds (default 7) in turns, the order reversed every other round;
medians and min–max. Every mlrun run must select exactly the tests this script computes from
the globs (ids are compared once through `--json`, counts on every run).

Exits 1 when mlrun --changed is slower than git status + git diff (median wall time).

Usage: python3 scripts/bench/changed.py [--runs 7] [--skip-build] [--regenerate] [--profile]
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

from changed_fixture import (
    log,
    ROOT,
    WORK,
    REPO,
    layout,
    SUITES,
    Fixture,
    plan_fixture,
    expected_selection,
    tests_of,
    generate,
    check_git_sees,
)

@dataclass
class Bench:
    key: str
    label: str
    cmd: list[str]
    check: object                  # callable(stdout, rc) -> problem or None
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    lines: int = 0                 # stdout lines of the last run


def measure(bench: Bench, env: dict[str, str], record: bool) -> None:
    out_path, err_path = WORK / "changed-stdout.txt", WORK / "changed-stderr.txt"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.run(bench.cmd, cwd=REPO, env=env, stdout=out, stderr=err)
        wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stdout = out_path.read_text(errors="replace")
    bench.lines = len(stdout.splitlines())
    problem = bench.check(stdout, proc.returncode)
    if problem:
        sys.exit(f"{bench.label}: {problem}\nstderr:\n{err_path.read_text(errors='replace')[:3000]}")
    if record:
        bench.walls.append(wall)
        bench.cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


def mlrun_check(expected: int):
    def check(stdout: str, rc: int) -> str | None:
        if rc != 0:
            return f"exit code {rc}"
        found = sum(1 for line in stdout.splitlines() if "::" in line)
        return None if found == expected else f"selected {found} tests, expected {expected}"
    return check


def git_check(stdout: str, rc: int) -> str | None:
    return None if rc == 0 and stdout.strip() else f"exit code {rc}, {len(stdout)} bytes of output"


def verify_json(mlrun: Path, env: dict[str, str], flag: list[str], expected: set[str], label: str) -> None:
    report = WORK / "changed-report.json"
    subprocess.run([str(mlrun), "--collect-only", "-q", *flag, "--seed", "1", "--json", str(report)],
                   cwd=REPO, env=env, check=True, capture_output=True)
    data = json.loads(report.read_text())
    got = {t["id"] for t in data["tests"]}
    if got != expected:
        sys.exit(f"{label}: mlrun selected {sorted(got)}, expected {sorted(expected)}")
    because = [t.get("selected_because", "") for t in data["tests"]]
    log(f"{label}: --json lists exactly the {len(got)} expected tests of 45 "
        f"(e.g. {next((b for b in because if 'changed file' in b), '')!r})")


def build(skip: bool) -> Path:
    cmd = ["swift", "build", "-c", "release", "--scratch-path", str(ROOT / ".build-bench"), "--product", "mlrun"]
    if not skip:
        log("building: " + " ".join(cmd))
        subprocess.run(cmd, cwd=ROOT, check=True)
    binary = Path(subprocess.run(cmd + ["--show-bin-path"], cwd=ROOT, check=True, capture_output=True,
                                 text=True).stdout.strip()) / "mlrun"
    if not binary.exists():
        sys.exit(f"{binary} is missing; run without --skip-build")
    return binary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="measured rounds (default 7)")
    parser.add_argument("--skip-build", action="store_true", help="use the mlrun already built in .build-bench")
    parser.add_argument("--regenerate", action="store_true", help="make the repository again")
    parser.add_argument("--profile", action="store_true",
                        help="after measuring, time mlrun's libgit2 calls one by one (changed_probe.c), git's trace2 "
                             "regions, and strace -c of both")
    parser.add_argument("--profile-only", action="store_true", help="skip the measurement; only --profile")
    args = parser.parse_args()

    WORK.mkdir(exist_ok=True)
    mlrun = build(args.skip_build)
    files = layout()
    fixture = plan_fixture(files)
    generate(fixture, files, args.regenerate)
    check_git_sees(fixture)

    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    expected_changed = expected_selection(fixture, fixture.changed)
    expected_since = expected_selection(fixture, fixture.changed_since)
    verify_json(mlrun, env, ["--changed"], expected_changed, "--changed")
    verify_json(mlrun, env, ["--changed-since", "HEAD~1"], expected_since, "--changed-since HEAD~1")
    verify_json(mlrun, env, [], {f"{s}::{n}" for s in SUITES for n, _ in tests_of(s, fixture)}, "no --changed")

    if args.profile_only:
        profile(mlrun, env, args.runs)
        return
    seed = ["--seed", "1"]
    benches = [
        Bench("ml_changed", "mlrun --collect-only -q --changed", [str(mlrun), "--collect-only", "-q", "--changed", *seed],
              mlrun_check(len(expected_changed))),
        Bench("ml_plain", "mlrun --collect-only -q", [str(mlrun), "--collect-only", "-q", *seed], mlrun_check(45)),
        Bench("git_status", "git status --porcelain", ["git", "status", "--porcelain"], git_check),
        Bench("git_diff", "git diff --name-only", ["git", "diff", "--name-only"], git_check),
        Bench("git_diff_head", "git diff --name-only HEAD", ["git", "diff", "--name-only", "HEAD"], git_check),
        Bench("ml_since", "mlrun --collect-only -q --changed-since HEAD~1",
              [str(mlrun), "--collect-only", "-q", "--changed-since", "HEAD~1", *seed], mlrun_check(len(expected_since))),
        Bench("git_mb", "git merge-base HEAD~1 HEAD", ["git", "merge-base", "HEAD~1", "HEAD"], git_check),
        Bench("git_diff_since", "git diff --name-only HEAD~1", ["git", "diff", "--name-only", "HEAD~1"], git_check),
        Bench("git_status_uall", "git status --porcelain -uall", ["git", "status", "--porcelain", "-uall"], git_check),
    ]
    by = {b.key: b for b in benches}
    index_before = (REPO / ".git" / "index").stat().st_mtime_ns

    log("warming up (one unrecorded run of each command) …")
    for bench in benches:
        measure(bench, env, record=False)
    load_before = os.getloadavg()
    for round_index in range(args.runs):
        log(f"round {round_index + 1}/{args.runs}")
        order = benches if round_index % 2 == 0 else list(reversed(benches))
        for bench in order:
            measure(bench, env, record=True)
    load_after = os.getloadavg()
    if (REPO / ".git" / "index").stat().st_mtime_ns != index_before:
        log("note: the index was rewritten during the runs (by git status)")

    passed = report(benches, by, fixture, mlrun, args, len(expected_changed), len(expected_since), load_before, load_after)
    if args.profile:
        profile(mlrun, env, args.runs)
    sys.exit(0 if passed else 1)


def sums(*benches: Bench) -> list[float]:
    return [sum(values) for values in zip(*(b.walls for b in benches))]


def cell(values: list[float]) -> str:
    return f"{statistics.median(values) * 1e3:.1f} ({min(values) * 1e3:.1f}–{max(values) * 1e3:.1f})"


def report(benches, by, fixture: Fixture, mlrun: Path, args, n_changed: int, n_since: int, load_before, load_after) -> bool:
    git_a = sums(by["git_status"], by["git_diff"])
    git_b = sums(by["git_status"], by["git_diff_head"])
    git_since = sums(by["git_mb"], by["git_status"], by["git_diff_since"])
    ml = by["ml_changed"].walls
    selection_cost = [c - p for c, p in zip(ml, by["ml_plain"].walls)]
    since_cost = [c - p for c, p in zip(by["ml_since"].walls, by["ml_plain"].walls)]
    med = statistics.median

    cpu_model = "?"
    try:
        cpu_model = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    version = lambda cmd: subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    lines = [
        f"date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}; machine: {os.cpu_count()} cores, "
        f"{cpu_model}, {platform.system()} {platform.release()}; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after",
        f"mlrun: {version([str(mlrun), '--version'])}, release build ({version(['swift', '--version'])}); "
        f"{version(['git', '--version'])}",
        f"repository: {REPO.relative_to(ROOT)}: 20,000 files + 3, {fixture.change_count} changes "
        f"({len(fixture.modified_staged) + len(fixture.modified_unstaged)} modified, {len(fixture.untracked)} untracked, "
        f"{len(fixture.renames)} renamed) = {len(fixture.changed)} changed paths; runs: {args.runs} rounds after 1 warm-up, "
        "alternating; medians (min–max)",
        "",
        "| what | command(s) | wall ms, median (min–max) | CPU ms | output | mlrun ÷ git |",
        "|---|---|---:|---:|---:|---:|",
    ]

    def row(what, label, walls, cpus, output, ratio=""):
        cpu = f"{med(cpus) * 1e3:.1f}" if cpus else ""
        lines.append(f"| {what} | {label} | {cell(walls)} | {cpu} | {output} | {ratio} |")

    ratio = lambda a, b: f"{med(a) / med(b):.2f}×"
    row("mlrun", "`mlrun --collect-only -q --changed`", ml, by["ml_changed"].cpus, f"{n_changed} of 45 tests",
        f"**{ratio(ml, git_a)}** / {ratio(ml, git_b)}")
    row("mlrun", "`mlrun --collect-only -q` (no selection)", by["ml_plain"].walls, by["ml_plain"].cpus, "45 of 45 tests")
    row("mlrun", "difference: cost of `--changed`", selection_cost, [], "",
        f"{ratio(selection_cost, git_a)} / {ratio(selection_cost, git_b)}")
    for key in ("git_status", "git_diff", "git_diff_head"):
        b = by[key]
        row("git", f"`{b.label}`", b.walls, b.cpus, f"{b.lines} lines")
    row("git", "**status + diff** (sum per round)", git_a, [a + b for a, b in zip(by["git_status"].cpus, by["git_diff"].cpus)], "")
    row("git", "status + diff HEAD (sum per round)", git_b, [a + b for a, b in zip(by["git_status"].cpus, by["git_diff_head"].cpus)], "")
    b = by["git_status_uall"]
    row("git", f"`{b.label}` (untracked folders listed file by file, as mlrun reads them)", b.walls, b.cpus, f"{b.lines} lines")
    row("since", "`mlrun --collect-only -q --changed-since HEAD~1`", by["ml_since"].walls, by["ml_since"].cpus,
        f"{n_since} of 45 tests", ratio(by["ml_since"].walls, git_since))
    row("since", "difference: cost of `--changed-since HEAD~1`", since_cost, [], "", ratio(since_cost, git_since))
    row("since", "git merge-base HEAD~1 HEAD + status + diff HEAD~1 (sum per round)", git_since,
        [a + b + c for a, b, c in zip(by["git_mb"].cpus, by["git_status"].cpus, by["git_diff_since"].cpus)], "")
    per_round = [m / g for m, g in zip(ml, git_a)]
    verdict = "PASS" if med(ml) <= med(git_a) else "FAIL"
    lines += ["", f"Acceptance (mlrun --changed, whole process, ≤ git status + git diff): {med(ml) * 1e3:.1f} ms vs "
              f"{med(git_a) * 1e3:.1f} ms = {med(ml) / med(git_a):.2f}× → {verdict}; "
              f"per-round ratio median {med(per_round):.2f} (range {min(per_round):.2f}–{max(per_round):.2f})"]
    text = "\n".join(lines)
    print(text)
    (WORK / "changed-results.md").write_text(text + "\n")
    (WORK / "changed-results.json").write_text(json.dumps(
        [{"key": b.key, "cmd": b.cmd, "walls": b.walls, "cpus": b.cpus} for b in benches], indent=1) + "\n")
    return verdict == "PASS"


def profile(mlrun: Path, env: dict[str, str], runs: int) -> None:
    """Where the time of `--changed` goes: libgit2 call by call, against git's own regions.

    * changed_probe.c makes mlrun's libgit2 calls (same order, same options) with a clock
      between them; `split` mode times the two halves of git_diff_tree_to_workdir_with_index.
    * GIT_TRACE2_PERF gives git status's and git diff's regions (index read, preload, …).
    * strace -f -c counts the system calls of one mlrun --changed and one git status.
    """
    probe = WORK / "changed-probe"
    if shutil.which("cc") is None:
        log("no C compiler; skipping the libgit2 probe")
    else:
        subprocess.run(["cc", "-O2", "-o", str(probe), str(ROOT / "scripts" / "bench" / "changed_probe.c"), "-lgit2"],
                       check=True)
        for mode in ("", "split", "noverify"):
            steps: dict[str, list[float]] = {}
            for _ in range(runs + 1):
                out = subprocess.run([str(probe)] + ([mode] if mode else []), cwd=REPO, env=env, check=True,
                                     capture_output=True, text=True).stdout
                for line in out.splitlines():
                    name, value = line.rsplit(None, 1)
                    steps.setdefault(name.strip(), []).append(float(value))
            print(f"\n### libgit2 probe{' ' + mode if mode else ''} (median of {runs} after 1 warm-up, ms)\n")
            print("| step | ms |\n|---|---:|")
            for name, values in steps.items():
                print(f"| {name} | {statistics.median(values[1:]):.1f} |")
    for cmd in (["git", "status", "--porcelain"], ["git", "diff", "--name-only"]):
        regions: dict[str, list[float]] = {}
        for _ in range(runs + 1):
            trace = WORK / "changed-trace2.txt"
            trace.unlink(missing_ok=True)
            subprocess.run(cmd, cwd=REPO, env=dict(env, GIT_TRACE2_PERF=str(trace)), check=True, capture_output=True)
            seen: dict[str, float] = {}
            for line in trace.read_text().splitlines():
                fields = [f.strip() for f in line.split("|")]
                # time file:line | d0 | thread | event | repo | t_abs | t_rel | category | label
                if len(fields) > 8 and fields[3] == "region_leave" and fields[6]:
                    key = f"{fields[7]} {fields[8].lstrip('.').replace('label:', '')}".strip()
                    seen[key] = seen.get(key, 0.0) + float(fields[6]) * 1e3
                if len(fields) > 5 and fields[3] == "atexit" and fields[5]:
                    seen["(whole command, from git's start to exit)"] = float(fields[5]) * 1e3
            for key, value in seen.items():
                regions.setdefault(key, []).append(value)
        print(f"\n### GIT_TRACE2_PERF {' '.join(cmd)} (median of {runs} after 1 warm-up, ms)\n")
        print("| region | ms |\n|---|---:|")
        for key, values in regions.items():
            if len(values) > 1:
                print(f"| {key} | {statistics.median(values[1:]):.1f} |")
    if shutil.which("strace"):
        for label, cmd in (("mlrun --changed", [str(mlrun), "--collect-only", "-q", "--changed", "--seed", "1"]),
                           ("git status --porcelain", ["git", "status", "--porcelain"])):
            out = WORK / "changed-strace.txt"
            subprocess.run(["strace", "-f", "-c", "-o", str(out), *cmd], cwd=REPO, env=env, capture_output=True)
            top = [l for l in out.read_text().splitlines() if l.strip()][:9]
            print(f"\n### strace -f -c {label} (top lines)\n\n```\n" + "\n".join(top) + "\n```")


if __name__ == "__main__":
    main()
