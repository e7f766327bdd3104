#!/usr/bin/env python3
"""Times mlrun's safetensors check against Python's, side by side, on a ~100 MiB file.

    python3 scripts/bench/safetensors.py [--runs 5] [--mlrun .build/release/mlrun]

Needs numpy and safetensors. Writes .build-bench-work/bench.safetensors (24 F32 tensors of
4 MiB, 4 F16 tensors of 1 MiB; one NaN, one all-zero tensor), builds scripts/bench/TensorsBench
in release (its own scratch path), then runs, alternating, 5 times each as separate processes:

  mlrun   the mlrun binary (a release build: swift build -c release --product mlrun) on a
          runner.toml of one [[roundtrip]] suite, artifact FILE and a manifest: the whole run
          (config, collection, the parse, finite, dead_tensors and manifest tests, the report).
          Two of them fail (the NaN, the zero tensor), as they should: exit status 1.
  library tensors-bench FILE: the same checks without the runner: map, parse and check the
          header, TensorSummary of every tensor on both cores (SHA-256, first non-finite,
          all-zero, constant in one pass).
  python  safetensors.numpy.load_file(FILE), then per tensor np.isfinite (first non-finite),
          not x.any(), (x == x.flat[0]).all(), hashlib.sha256(x).

Reports the median wall time of each, the ratio, and each one's peak RSS (os.wait4's ru_maxrss).
BF16 is left out: safetensors.numpy.load_file cannot give NumPy a bfloat16 array.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

# This file is named safetensors.py: keep its folder off the path so `import safetensors` finds the package.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import numpy as np  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORK = os.path.join(ROOT, ".build-bench-work")
FILE = os.path.join(WORK, "bench.safetensors")
BENCH = os.path.join(ROOT, "scripts", "bench", "TensorsBench")
SCRATCH = os.path.join(WORK, "tensors-scratch")

PYTHON_CHECK = r"""
import hashlib, sys, numpy as np
from safetensors.numpy import load_file
tensors = load_file(sys.argv[1])
non_finite, dead, hashes = [], [], []
for name, x in tensors.items():
    bad = ~np.isfinite(x)
    if bad.any(): non_finite.append((name, int(bad.argmax())))
    if not x.any() or (x.size and (x == x.flat[0]).all()): dead.append(name)
    hashes.append(hashlib.sha256(np.ascontiguousarray(x)).hexdigest())
print(len(tensors), non_finite, dead, hashes[0][:16])
"""


def make_file():
    from safetensors.numpy import save_file
    os.makedirs(WORK, exist_ok=True)
    rng = np.random.default_rng(7)
    tensors = {f"layer.{i}.weight": rng.standard_normal(1 << 20, dtype=np.float32).reshape(1024, 1024) for i in range(24)}
    for i in range(4):
        tensors[f"half.{i}"] = rng.standard_normal(1 << 19).astype(np.float16)
    tensors["layer.3.weight"][100, 7] = np.nan
    tensors["layer.5.weight"][:] = 0
    save_file(tensors, FILE)


# Linux keeps a process's peak RSS across exec, and a fork starts it at the parent's RSS, so a
# child forked from this (NumPy-sized) process would report at least this process's RSS. Each
# command is therefore forked from a small trampoline (python3 -S -I, a few MiB), which reports
# its child's peak RSS alone; the floor it leaves is measured on /bin/true and printed.
TRAMPOLINE = r"""
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"{time.perf_counter() - start} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n")
"""


def timed(command, allowed=(0,)):
    process = subprocess.run([sys.executable, "-S", "-I", "-c", TRAMPOLINE, *command], capture_output=True, text=True)
    elapsed, rss_kib, status = process.stderr.strip().splitlines()[-1].split()
    if int(status) not in allowed:
        sys.exit(f"{command[0]} failed ({status}): {process.stdout}{process.stderr}")
    return float(elapsed), int(rss_kib) / 1024, process.stdout.strip()


def mlrun_config():
    """A runner.toml whose one suite checks FILE against a manifest written by mlrun itself."""
    config = os.path.join(WORK, "runner.toml")
    with open(config, "w") as file:
        file.write('[[roundtrip]]\nname = "bench"\nartifact = "bench.safetensors"\nmanifest = "bench.manifest.json"\n')
    return config


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mlrun", default=os.path.join(ROOT, ".build", "release", "mlrun"))
    args = parser.parse_args()
    if not os.access(args.mlrun, os.X_OK):
        sys.exit(f"no mlrun binary at {args.mlrun}: swift build -c release --product mlrun")
    if not os.path.exists(FILE):
        make_file()
    print(f"file: {FILE} ({os.path.getsize(FILE) / 2**20:.1f} MiB)", file=sys.stderr)
    subprocess.run(["swift", "build", "-c", "release", "--scratch-path", SCRATCH], cwd=BENCH, check=True)
    swift = os.path.join(SCRATCH, "release", "tensors-bench")
    config = mlrun_config()
    mlrun = [args.mlrun, "-c", config, "-q"]
    timed(mlrun + ["--update-baselines", "bench::manifest"])
    floor = timed(["/bin/true"])[1]
    print(f"peak RSS floor of the measurement (/bin/true): {floor:.1f} MiB")
    results = {"mlrun": [], "library": [], "python": []}
    for _ in range(args.runs):
        results["mlrun"].append(timed(mlrun, allowed=(1,)))
        results["library"].append(timed([swift, FILE]))
        results["python"].append(timed([sys.executable, "-c", PYTHON_CHECK, FILE]))
    print(f"mlrun says:   {results['mlrun'][0][2].splitlines()[-1]}")
    print(f"library says: {results['library'][0][2]}")
    print(f"python says:  {results['python'][0][2]}")
    medians = {}
    for side, runs in results.items():
        medians[side] = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        print(f"{side:8s} median {medians[side] * 1000:7.1f} ms  (runs: {', '.join(f'{r[0] * 1000:.0f}' for r in runs)})  "
              f"peak RSS {rss:6.1f} MiB")
    for side in ("mlrun", "library"):
        print(f"{side} is {medians['python'] / medians[side]:.2f}x faster than python")


if __name__ == "__main__":
    main()
