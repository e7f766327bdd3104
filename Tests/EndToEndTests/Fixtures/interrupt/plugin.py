"""Two quick tests, then one that hangs until mlrun is interrupted, then one more."""
import json
import sys
import time

TESTS = ["a_quick", "b_quick", "c_hangs", "d_never"]


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


if sys.argv[1] == "discover":
    for name in TESTS:
        emit({"id": name})
    sys.exit(0)
for line in iter(sys.stdin.readline, ""):
    tid = line.strip()
    emit({"id": tid, "event": "start"})
    if tid == "c_hangs":
        time.sleep(1000)
    emit({"id": tid, "outcome": "passed"})
