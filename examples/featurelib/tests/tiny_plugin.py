"""Smallest mlrun suite protocol v1 plugin: `discover` lists tests, `run` runs ids read from stdin."""
import contextlib, json, os, random, sys, time

TESTS = {  # id -> (test returning True on success, markers)
    "tiny::add": (lambda: 1 + 1 == 2, ["unit"]),
    "tiny::seeded_random": (lambda: 0.0 <= random.random() < 1.0, ["property"]),
    "tiny::sorted_big": (lambda: sorted(range(10**5, 0, -1))[0] == 1, ["slow", {"name": "dataset", "kwargs": {"name": "synthetic"}}]),
}
emit = lambda obj: (sys.__stdout__.write(json.dumps(obj) + "\n"), sys.__stdout__.flush())
if sys.argv[1:] == ["discover"]:
    for test_id, (_, markers) in TESTS.items():
        emit({"id": test_id, "markers": markers, "paths": ["tests/tiny_plugin.py"]})
while sys.argv[1:] == ["run"] and (test_id := sys.stdin.readline()):
    if not (test_id := test_id.strip()): continue
    emit({"id": test_id, "event": "start"}); t0 = time.perf_counter(); outcome, message = "error", "unknown test id"
    random.seed(int(os.environ.get("MLRUN_TEST_SEED", os.environ.get("MLRUN_SEED", "0"))))
    try:
        with contextlib.redirect_stdout(sys.stderr):
            if test_id in TESTS: outcome, message = ("passed", "") if TESTS[test_id][0]() else ("failed", "returned False")
    except Exception as exc: outcome, message = "failed", f"{type(exc).__name__}: {exc}"
    emit({"id": test_id, "outcome": outcome, "message": message, "duration_s": time.perf_counter() - t0, "values": {}})
