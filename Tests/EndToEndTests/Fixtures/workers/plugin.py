"""30 tests for -n: 27 healthy, one segfaults, one calls exit(3), one hangs past its limit.

Every result carries the worker's environment as values, so tests can check what each
worker process was given.
"""
import json
import os
import signal
import sys
import time

HEALTHY = [f"t{i:02d}" for i in range(1, 28)]
TESTS = [{"id": name} for name in HEALTHY] + [
    {"id": "crash_segv"},
    {"id": "crash_exit3"},
    {"id": "hang", "timeout_s": 1},
]
ENV = ["MLRUN_WORKER", "MLRUN_WORKERS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "CUDA_VISIBLE_DEVICES"]


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


if sys.argv[1] == "discover":
    for test in TESTS:
        emit(test)
    sys.exit(0)
for line in iter(sys.stdin.readline, ""):
    tid = line.strip()
    emit({"id": tid, "event": "start"})
    sys.stderr.write(f"running {tid}\n")
    sys.stderr.flush()
    if tid == "crash_segv":
        sys.stderr.write("segfaulting on purpose in crash_segv\n")
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGSEGV)
    elif tid == "crash_exit3":
        os._exit(3)
    elif tid == "hang":
        time.sleep(1000)
    time.sleep(0.05)
    emit({"id": tid, "outcome": "passed", "values": {name: os.environ.get(name) for name in ENV}})
