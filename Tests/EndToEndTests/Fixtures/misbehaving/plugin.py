"""A suite-protocol plugin whose tests misbehave on purpose, one way each.

mlrun must give every test exactly one outcome and keep going.
"""
import json
import os
import signal
import subprocess
import sys
import time

TESTS = [
    {"id": "a_pass"},
    {"id": "b_fail"},
    {"id": "c_segfault"},
    {"id": "d_after_segfault"},
    {"id": "e_hang", "timeout_s": 1},
    {"id": "f_after_hang"},
    {"id": "g_malformed"},
    {"id": "h_wrong_id"},
    {"id": "i_exit_early"},
    {"id": "j_stderr_flood"},
    {"id": "k_hang_with_child", "timeout_s": 1},
    {"id": "l_last"},
]


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    if sys.argv[1] == "discover":
        for test in TESTS:
            emit(test)
        return
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        tid = line.strip()
        emit({"id": tid, "event": "start"})
        if tid == "b_fail":
            emit({"id": tid, "outcome": "failed", "message": "expected 0.9, got 0.7", "values": {"value": 0.7, "threshold": 0.9}})
        elif tid == "c_segfault":
            sys.stderr.write("about to segfault\n")
            sys.stderr.flush()
            os.kill(os.getpid(), signal.SIGSEGV)
        elif tid in ("e_hang",):
            time.sleep(1000)
        elif tid == "k_hang_with_child":
            child = subprocess.Popen(["sleep", "1000"])
            with open(os.environ["CHILD_PID_FILE"], "w") as f:
                f.write(str(child.pid))
            time.sleep(1000)
        elif tid == "g_malformed":
            sys.stdout.write("this is not json\n")
            sys.stdout.flush()
            time.sleep(1000)
        elif tid == "h_wrong_id":
            emit({"id": "nobody", "outcome": "passed"})
        elif tid == "i_exit_early":
            sys.exit(3)
        elif tid == "j_stderr_flood":
            chunk = "x" * 1023 + "\n"
            for _ in range(3 * 1024):
                sys.stderr.write(chunk)
            emit({"id": tid, "outcome": "passed"})
        else:
            emit({"id": tid, "outcome": "passed", "duration_s": 0.001})


main()
