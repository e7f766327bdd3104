#!/usr/bin/env python3
"""Times mlrun's safetensors check against Python's, side by side, on a ~100 MiB file.

    python3 scripts/bench/safetensors.py [--runs 5]

Needs numpy and safetensors. Writes .build-bench-work/bench.safetensors (24 F32 tensors of
4 MiB, 4 F16 tensors of 1 MiB; one NaN, one all-zero tensor), builds scripts/bench/TensorsBench
in release (its own scratch path), then runs, alternating, 5 times each as separate processes:

  mlrun   tensors-bench FILE: map, parse and check the header, TensorSummary of every tensor on
          both cores (SHA-256, first non-finite, all-zero, constant in one pass).
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


def timed(command):
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{command[0]} failed")
    return elapsed, usage.ru_maxrss / 1024, out.decode().strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not os.path.exists(FILE):
        make_file()
    print(f"file: {FILE} ({os.path.getsize(FILE) / 2**20:.1f} MiB)", file=sys.stderr)
    subprocess.run(["swift", "build", "-c", "release", "--scratch-path", SCRATCH], cwd=BENCH, check=True)
    swift = os.path.join(SCRATCH, "release", "tensors-bench")
    results = {"mlrun": [], "python": []}
    for _ in range(args.runs):
        results["mlrun"].append(timed([swift, FILE]))
        results["python"].append(timed([sys.executable, "-c", PYTHON_CHECK, FILE]))
    print(f"mlrun says:  {results['mlrun'][0][2]}")
    print(f"python says: {results['python'][0][2]}")
    medians = {}
    for side, runs in results.items():
        medians[side] = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        print(f"{side:7s} median {medians[side] * 1000:7.1f} ms  (runs: {', '.join(f'{r[0] * 1000:.0f}' for r in runs)})  "
              f"peak RSS {rss:6.1f} MiB")
    print(f"mlrun is {medians['python'] / medians['mlrun']:.2f}x faster")


if __name__ == "__main__":
    main()
