"""A suite-protocol plugin for mlrun's ids-ahead-of-results (SPEC §7): fast tests to let
mlrun's window grow, then tests that crash, break the protocol, hang, run slowly, fail.

Ids are read by a thread as soon as they arrive, so the log (PIPELINE_LOG) shows which
ids each process received ahead of time: lines `PID recv ID TIME`, `PID start ID TIME`,
`PID end ID TIME` (TIME: the monotonic clock's seconds).
"""
import json
import os
import queue
import signal
import sys
import threading
import time

TESTS = (
    [{"id": f"a_fast_{i:02d}"} for i in range(30)]
    + [{"id": "b_crash"}]
    + [{"id": f"c_after_crash_{i:02d}"} for i in range(10)]
    + [{"id": "d_malformed"}]
    + [{"id": f"e_after_malformed_{i:02d}"} for i in range(10)]
    + [{"id": "f_hang", "timeout_s": 1}]
    + [{"id": f"g_after_hang_{i:02d}"} for i in range(10)]
    + [{"id": f"h_slow_{i}", "timeout_s": 1} for i in range(1, 5)]
    + [{"id": "i_last"}, {"id": "j_fail"}, {"id": "k_sleepy", "timeout_s": 60}, {"id": "l_after"}]
)


def log(event, tid):
    path = os.environ.get("PIPELINE_LOG")
    if path:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(fd, f"{os.getpid()} {event} {tid} {time.monotonic():.3f}\n".encode())
        os.close(fd)


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def reader(ids):
    for line in sys.stdin:
        if line.strip():
            log("recv", line.strip())
            ids.put(line.strip())
    ids.put(None)


def main():
    if sys.argv[1] == "discover":
        for test in TESTS:
            emit(test)
        return
    ids = queue.Queue()
    threading.Thread(target=reader, args=(ids,), daemon=True).start()
    while (tid := ids.get()) is not None:
        log("start", tid)
        emit({"id": tid, "event": "start"})
        if tid == "b_crash":
            sys.stderr.write("about to crash\n")
            sys.stderr.flush()
            os.kill(os.getpid(), signal.SIGSEGV)
        elif tid == "d_malformed":
            sys.stdout.write("not json at all\n")
            sys.stdout.flush()
            time.sleep(1000)
        elif tid == "f_hang":
            time.sleep(1000)
        elif tid.startswith("h_slow"):
            time.sleep(0.5)
        elif tid == "k_sleepy":
            time.sleep(30)
        outcome = "failed" if tid == "j_fail" else "passed"
        log("end", tid)
        emit({"id": tid, "outcome": outcome, "message": "", "duration_s": 0.0})


main()
