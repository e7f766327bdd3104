"""mlrun suite protocol v1 for the featurelib tests (standard library only).

mlrun starts this program with the cwd set to the folder holding runner.toml
and talks to it over stdin/stdout in JSON Lines (one JSON object per line):

  python3 tests/mlrun_plugin.py discover      (stdin closed)
      One line per test, then exit 0 (exit 1, message on stderr, if a test
      module cannot be imported):
      {"id": "test_features::test_x", "markers": ["slow", {"name": "dataset",
       "kwargs": {"name": "iris"}}], "paths": ["featurelib/features.py", ...],
       "timeout_s": 10}                        ("timeout_s" is optional)

  python3 tests/mlrun_plugin.py run
      Reads test ids from stdin, one per line, and runs each as it arrives.
      For every id it writes (and flushes) two lines:
      {"id": ID, "event": "start"}
      {"id": ID, "outcome": "passed"|"failed"|"skipped"|"error",
       "message": "...", "duration_s": 0.0012, "values": {...}}
      An exception in a test is "failed" (as in pytest); skip(reason) from
      marks.py gives "skipped"; an id this plugin does not know gives "error".
      A test may return a dict of numbers, reported as "values".

Environment: MLRUN_PROTOCOL=1, MLRUN_SEED (run seed), MLRUN_SUITE (this suite's
name) and MLRUN_WORKER. Before every test this plugin derives the test's own seed
the way mlrun documents it -- splitmix64(run_seed XOR fnv1a64("suite::id")) --
so the report's per-test "seed" is the one the test used; it is exported as
MLRUN_TEST_SEED and `random` is re-seeded with it. Anything a test prints goes
to stderr so it cannot corrupt the protocol stream on stdout.
"""

import contextlib
import importlib
import json
import os
import random
import sys
import time
import traceback
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
ROOT = TESTS_DIR.parent  # the folder with runner.toml; "paths" are relative to it
sys.path[:0] = [str(ROOT), str(TESTS_DIR)]
sys.dont_write_bytecode = True  # keep __pycache__ out of the example tree

from marks import MARKERS_ATTR, TIMEOUT_ATTR, Skip  # noqa: E402

OUT = sys.stdout  # the protocol channel; tests only ever see stderr as stdout


def emit(obj):
    OUT.write(json.dumps(obj) + "\n")
    OUT.flush()


def rel(path):
    """``path`` relative to ROOT when it lies inside it, else unchanged."""
    full = Path(path).resolve()
    return full.relative_to(ROOT).as_posix() if full.is_relative_to(ROOT) else str(path)


def collect():
    """Map "module::function" -> (function, paths) for tests/test_*.py."""
    tests = {}
    for file in sorted(TESTS_DIR.glob("test_*.py")):
        with contextlib.redirect_stdout(sys.stderr):
            module = importlib.import_module(file.stem)
        # The test file plus every project file it imports from.
        deps = {rel(file)}
        for value in vars(module).values():
            home = value if hasattr(value, "__file__") else sys.modules.get(getattr(value, "__module__", ""))
            source = getattr(home, "__file__", None)
            if source and Path(source).resolve().is_relative_to(ROOT):
                deps.add(rel(source))
        for name, fn in vars(module).items():
            if name.startswith("test_") and callable(fn) and getattr(fn, "__module__", "") == module.__name__:
                tests[f"{file.stem}::{name}"] = (fn, sorted(deps))
    return tests


def discover(tests):
    for test_id, (fn, paths) in tests.items():
        record = {"id": test_id, "markers": getattr(fn, MARKERS_ATTR, []), "paths": paths}
        if hasattr(fn, TIMEOUT_ATTR):
            record["timeout_s"] = getattr(fn, TIMEOUT_ATTR)
        emit(record)


# The per-test seed derivation lives in seeds.py (the root README points there).
from seeds import test_seed  # noqa: E402


def run_one(test_id, fn):
    """Run one test; return (outcome, message, values)."""
    suite = os.environ.get("MLRUN_SUITE", "featurelib")
    seed = test_seed(int(os.environ.get("MLRUN_SEED", "0")), f"{suite}::{test_id}")
    os.environ["MLRUN_TEST_SEED"] = str(seed)
    random.seed(seed)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            result = fn()
    except Skip as exc:
        return "skipped", str(exc), {}
    except AssertionError as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{rel(frame.filename)}:{frame.lineno}"
        return "failed", f"assert failed at {where}" + (f": {exc}" if str(exc) else ""), {}
    except Exception as exc:
        return "failed", f"{type(exc).__name__}: {exc}", {}
    return "passed", "", result if isinstance(result, dict) else {}


def run(tests):
    while line := sys.stdin.readline():  # one id at a time, as mlrun sends them
        test_id = line.strip()
        if not test_id:
            continue
        emit({"id": test_id, "event": "start"})
        start = time.perf_counter()
        if test_id in tests:
            outcome, message, values = run_one(test_id, tests[test_id][0])
        else:
            outcome, message, values = "error", "unknown test id", {}
        emit({"id": test_id, "outcome": outcome, "message": message,
              "duration_s": round(time.perf_counter() - start, 6), "values": values})


def main(argv):
    if len(argv) != 2 or argv[1] not in ("discover", "run"):
        print("usage: mlrun_plugin.py discover|run", file=sys.stderr)
        return 2
    try:
        tests = collect()
    except Exception:
        print("mlrun_plugin: could not import the test modules:\n" + traceback.format_exc(), file=sys.stderr)
        return 1
    (discover if argv[1] == "discover" else run)(tests)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
