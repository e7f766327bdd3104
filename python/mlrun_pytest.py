"""mlrun's bridge to pytest: an existing pytest suite, unchanged, as an mlrun suite.

mlrun runs this file with the interpreter and arguments of a [[pytest]] table and the
suite-protocol command last:

    python3 mlrun_pytest.py tests -q discover   # one JSON line per pytest item
    python3 mlrun_pytest.py tests -q run        # node ids on stdin, results on stdout
    python3 mlrun_pytest.py tests -q serve      # discover, {"event": "discovered"}, then run

Everything before the command goes to pytest as it is, so pytest's own configuration
(pytest.ini, pyproject.toml, conftest.py, plugins) applies as usual. This module loads itself
into pytest as a plugin and replaces only the run loop: after pytest collects,

- discover prints {"id": NODEID, "markers": [...], "paths": [...], "keywords": [...]} per item
  and exits; a collection error is the suite's discovery error (exit status 3, pytest's report
  on stderr);
- run reads node ids, one per line, and runs each through pytest's own run-test protocol
  (pytest_runtest_protocol: fixtures, capture, logging, other plugins' hooks), printing
  {"id": ..., "event": "start"} and then its result. Fixtures of a wider scope stay set up
  while the ids that follow need them, and are torn down when the next id leaves their scope
  (or when stdin closes).

stdout carries protocol lines only: the process's fd 1 is pointed at stderr before pytest
starts, and the protocol writes to a copy of the original; ids are read from a copy of fd 0,
which pytest's capture points at /dev/null while tests run.

Standard library and pytest only. Never imported by mlrun's own Python.
"""

import json
import os
import select
import sys
import time

MASK64 = (1 << 64) - 1


def test_seed(run_seed, full_id):
    """mlrun's per-test seed: splitmix64(run_seed ^ fnv1a64(utf8(full_id)))."""
    h = 0xCBF29CE484222325
    for byte in full_id.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & MASK64
    z = ((run_seed ^ h) + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def _claim_stdout():
    """A binary file on a copy of fd 1; fd 1 (and sys.stdout) then go to stderr."""
    sys.stdout.flush()
    protocol = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return protocol


def _json_value(value):
    """A marker argument as the suite protocol carries it: str, int, bool or None as they are,
    anything else as its repr (pytest's -m compares only those types)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    return repr(value)


class _Parents:
    """Stands for "the next item" when the next id is not known yet: it needs every node of
    `item`'s chain but `item`, so teardown ends the test's function-scoped fixtures and keeps
    the module's, class's and session's for whatever comes next."""

    def __init__(self, item):
        self._chain = item.listchain()[:-1]

    def listchain(self):
        return self._chain


class _Ids:
    """Node ids read from stdin, one per line; `peek` looks ahead without blocking."""

    def __init__(self, fd):
        self._fd = fd
        self._buffer = b""
        self._closed = False

    def _lines_ready(self):
        return b"\n" in self._buffer or (self._closed and self._buffer)

    def _fill(self, block):
        if self._closed:
            return
        if not block and not select.select([self._fd], [], [], 0)[0]:
            return
        chunk = os.read(self._fd, 1 << 16)
        if chunk:
            self._buffer += chunk
        else:
            self._closed = True

    def _take(self):
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode("utf-8", "surrogateescape").strip()

    def next(self):
        """The next non-empty id, blocking; None when stdin closes."""
        while True:
            while not self._lines_ready():
                if self._closed:
                    return None
                self._fill(block=True)
            line = self._take()
            if line:
                return line

    def peek(self):
        """The next id if it has already arrived, else None (never blocks)."""
        while True:
            while not self._lines_ready():
                before = len(self._buffer)
                self._fill(block=False)
                if len(self._buffer) == before and not self._closed:
                    return None
                if self._closed and not self._buffer:
                    return None
            if b"\n" in self._buffer:
                line, _, rest = self._buffer.partition(b"\n")
                text = line.decode("utf-8", "surrogateescape").strip()
                if text:
                    return text
                self._buffer = rest  # drop a blank line and look again
            else:
                text = self._buffer.decode("utf-8", "surrogateescape").strip()
                return text or None


class Bridge:
    """The pytest plugin: collects as pytest does, then discovers or runs."""

    def __init__(self, mode, protocol, requests):
        self.mode = mode
        self.protocol = protocol
        self.requests = requests
        self.collection_errors = []
        self.default_selection = ""
        self.reports = []
        self.failed = False
        self.suite = os.environ.get("MLRUN_SUITE", "")
        self.run_seed = int(os.environ.get("MLRUN_SEED", "0") or 0) & MASK64
        self.seed_random = os.environ.get("MLRUN_PYTEST_SEED_RANDOM") == "1"
        self._module_paths = {}
        self._imported_during = {}
        self._importing = None

    def emit(self, obj):
        self.protocol.write((json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8"))

    # --- collection ---------------------------------------------------------------------

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors.append(report)
        # The report of the test module whose collection began last: what its import added.
        if self._importing is not None:
            path, before = self._importing
            self._importing = None
            self._imported_during[path] = set(sys.modules) - before

    def pytest_make_collect_report(self, collector):
        # Remember which modules a test module's import brings in (its own imports, as
        # sys.modules grows until its report), for the tests' paths.
        import pytest

        if isinstance(collector, pytest.Module):
            self._importing = (collector.path, set(sys.modules))
        return None

    def pytest_configure(self, config):
        config.addinivalue_line("markers", "property: a property-based (Hypothesis) test; added by mlrun")
        # A -m in the project's addopts or the table's args is the suite's default selection:
        # pytest applies it only when its command line has no -m, so mlrun does the same
        # (discovery reports it). Every item is collected, so that any -m of mlrun's can pick.
        self.default_selection = getattr(config.option, "markexpr", "") or ""
        config.option.markexpr = ""

    def _paths(self, item, rootdir):
        """The test file, every conftest.py from its folder up to the rootdir, and the
        project's own modules the test module imported, relative to the working folder."""
        path = getattr(item, "path", None)
        if path is None:
            return []
        path = str(path)
        if path in self._module_paths:
            return self._module_paths[path]
        found = [path]
        folder = os.path.dirname(path)
        root = str(rootdir)
        while True:
            conftest = os.path.join(folder, "conftest.py")
            if os.path.isfile(conftest):
                found.append(conftest)
            if folder == root or os.path.dirname(folder) == folder or not folder.startswith(root):
                break
            folder = os.path.dirname(folder)
        module = getattr(item, "module", None)
        names = set()
        if module is not None:
            for value in vars(module).values():
                name = value.__name__ if type(value).__name__ == "module" else getattr(value, "__module__", None)
                if isinstance(name, str):
                    names.add(name)
        names.update(self._imported_during.get(getattr(item, "path", None), ()))
        for name in sorted(names):
            file = getattr(sys.modules.get(name), "__file__", None)
            if not file:
                continue
            file = os.path.abspath(file)
            if not file.startswith(root + os.sep) or "site-packages" in file or file.startswith(sys.prefix + os.sep):
                continue
            if file.endswith(".pyc"):
                continue
            found.append(file)
        cwd = os.getcwd()
        result = []
        for file in found:
            shown = os.path.relpath(file, cwd) if file.startswith(cwd + os.sep) else file
            if shown not in result:
                result.append(shown)
        self._module_paths[path] = result
        return result

    @staticmethod
    def _keywords(item):
        """The names pytest's -k matches against, from pytest's own KeywordMatcher."""
        try:
            from _pytest.mark import KeywordMatcher

            return sorted(KeywordMatcher.from_item(item)._names)
        except Exception:  # a pytest whose private API moved: the node names and marker names
            names = {node.name for node in item.listchain()[1:]}
            names.update(mark.name for mark in item.iter_markers())
            return sorted(names)

    @staticmethod
    def _is_hypothesis(item):
        return bool(getattr(getattr(item, "obj", None), "is_hypothesis_test", False))

    def _markers(self, item):
        markers = []
        for mark in item.iter_markers():
            if mark.kwargs:
                markers.append({"name": mark.name, "kwargs": {k: _json_value(v) for k, v in mark.kwargs.items()}})
            else:
                markers.append(mark.name)
        if self._is_hypothesis(item) and "property" not in markers:
            markers.append("property")
        return markers

    # --- the run loop -------------------------------------------------------------------

    def pytest_runtestloop(self, session):
        if self.collection_errors:
            self.failed = True
            for report in self.collection_errors:
                sys.stderr.write(f"ERROR collecting {report.nodeid or '.'}\n{report.longreprtext}\n")
            # A summary last, where mlrun's message (the end of stderr) shows it.
            sys.stderr.write(f"\n{len(self.collection_errors)} error(s) during pytest's collection:\n")
            for report in self.collection_errors:
                lines = [line for line in report.longreprtext.splitlines() if line.strip()]
                sys.stderr.write(f"ERROR collecting {report.nodeid or '.'}: {lines[-1].strip() if lines else 'failed'}\n")
            sys.stderr.flush()
            return True
        if self.mode in ("discover", "serve"):
            rootdir = session.config.rootpath
            # Every marker pytest knows (its own and the registered ones), for --strict-markers.
            declared = sorted({line.split(":")[0].split("(")[0].strip() for line in session.config.getini("markers")} - {""})
            self.emit({"declare_markers": declared})
            if self.default_selection:
                self.emit({"default_selection": self.default_selection})
            for item in session.items:
                self.emit(
                    {
                        "id": item.nodeid,
                        "markers": self._markers(item),
                        "paths": self._paths(item, rootdir),
                        "keywords": self._keywords(item),
                    }
                )
            if self.mode == "discover":
                return True
            self.emit({"event": "discovered"})
        self._serve(session)
        return True

    def pytest_runtest_logreport(self, report):
        self.reports.append(report)

    def _serve(self, session):
        items = {}
        for item in session.items:
            items.setdefault(item.nodeid, item)
        ids = _Ids(self.requests)
        setupstate = session._setupstate
        while True:
            nodeid = ids.next()
            if nodeid is None:
                break
            self.emit({"id": nodeid, "event": "start"})
            started = time.perf_counter()
            item = items.get(nodeid)
            if item is None:
                self.emit(
                    {
                        "id": nodeid,
                        "outcome": "error",
                        "message": f"pytest collected no item {nodeid!r} ({len(items)} items collected)",
                        "duration_s": 0,
                    }
                )
                continue
            # Fixtures the previous test kept for a next item that turned out not to need them.
            stale = self._teardown_to(setupstate, item)
            upcoming = items.get(ids.peek() or "")
            nextitem = upcoming if upcoming is not None else _Parents(item)
            self.reports = []
            try:
                self._prepare(item, nodeid)
                item.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
                result = self._result(nodeid, self.reports, stale)
            except Exception as error:  # noqa: BLE001 - the bridge's own failure is this test's error, not a crash
                import traceback

                result = {
                    "id": nodeid,
                    "outcome": "error",
                    "message": f"mlrun's pytest bridge failed on this test: {error!r}\n\n"
                    + "".join(traceback.format_exception(error)),
                }
            result["duration_s"] = time.perf_counter() - started
            self.emit(result)
        try:
            setupstate.teardown_exact(None)
        except BaseException as error:  # no test left to blame: say it on stderr
            sys.stderr.write(f"mlrun: tearing down the session's fixtures failed: {error!r}\n")

    @staticmethod
    def _teardown_to(setupstate, item):
        try:
            setupstate.teardown_exact(item)
        except BaseException as error:  # noqa: BLE001 - a fixture's teardown may raise anything
            import traceback

            return "".join(traceback.format_exception(error))
        return None

    def _prepare(self, item, nodeid):
        seed = test_seed(self.run_seed, f"{self.suite}::{nodeid}")
        os.environ["MLRUN_TEST_SEED"] = str(seed)
        if self.seed_random:
            import random

            random.seed(seed)
            numpy = sys.modules.get("numpy")
            if numpy is not None:
                numpy.random.seed(seed & 0xFFFFFFFF)
            torch = sys.modules.get("torch")
            if torch is not None:
                torch.manual_seed(seed)
        if self._is_hypothesis(item):
            # A method's attributes are its function's (Hypothesis's @seed sets them there).
            test = getattr(item.obj, "__func__", item.obj)
            # Hypothesis's own @seed sets this attribute; a test that already has one keeps it.
            if getattr(test, "_hypothesis_internal_use_seed", None) is None or getattr(test, "_mlrun_seeded", False):
                test._hypothesis_internal_use_seed = seed
                test._mlrun_seeded = True

    @staticmethod
    def _short(report):
        """pytest's short report: `file:line: message`, then the whole report."""
        crash = getattr(report.longrepr, "reprcrash", None)
        text = report.longreprtext
        if crash is not None:
            path, cwd = str(crash.path), os.getcwd()
            shown = os.path.relpath(path, cwd) if path.startswith(cwd + os.sep) else path
            return f"{shown}:{crash.lineno}: {crash.message}\n\n{text}"
        return text

    def _result(self, nodeid, reports, stale):
        by_phase = {report.when: report for report in reports}
        setup, call, teardown = by_phase.get("setup"), by_phase.get("call"), by_phase.get("teardown")
        values = {}
        outcome, message = "passed", ""
        if setup is not None and setup.failed:
            outcome, message = "error", "error in setup: " + self._short(setup)
        elif setup is not None and setup.skipped:
            outcome, message = self._skip(setup, values)
        elif call is not None:
            if call.failed:
                outcome, message = "failed", self._short(call)
            elif call.skipped:
                outcome, message = self._skip(call, values)
            elif hasattr(call, "wasxfail"):
                values["xpass"] = True
                message = f"xpass: {call.wasxfail}" if call.wasxfail else "xpass"
        if teardown is not None and teardown.failed:
            if outcome in ("passed", "skipped"):
                outcome, message = "error", "error in teardown: " + self._short(teardown)
            else:
                message += "\n\nand an error in teardown: " + self._short(teardown)
        if stale is not None:
            outcome = "error"
            message = "tearing down fixtures the previous test left set up failed:\n" + stale + ("\n" + message if message else "")
        stdout, stderr = [], []
        # Each phase's report carries the sections of the phases before it: the last has all.
        for title, content in reports[-1].sections if reports else []:
            if content:
                (stdout if "stdout" in title else stderr).append(f"----- {title} -----\n{content}")
        result = {"id": nodeid, "outcome": outcome, "message": message.rstrip(), "values": values}
        if stdout:
            result["stdout"] = "\n".join(stdout)
        if stderr:
            result["stderr"] = "\n".join(stderr)
        return result

    @staticmethod
    def _skip(report, values):
        if hasattr(report, "wasxfail"):
            values["xfail"] = True
            reason = report.wasxfail.removeprefix("reason: ")
            return "skipped", f"xfail: {reason}" if reason else "xfail"
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        return "skipped", reason.removeprefix("Skipped: ")


def _quiet():
    """A plugin that unregisters pytest's terminal reporter once every plugin is configured."""
    import pytest

    class Quiet:
        # trylast: after the terminal plugin's own pytest_configure made the reporter.
        @pytest.hookimpl(trylast=True)
        def pytest_configure(self, config):
            reporter = config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                config.pluginmanager.unregister(reporter)

    return Quiet()


def main(argv):
    if not argv or argv[-1] not in ("discover", "run", "serve"):
        sys.stderr.write("usage: mlrun_pytest.py [PYTEST ARGS...] discover|run|serve\n")
        return 4
    mode, arguments = argv[-1], argv[:-1]
    # As `python -m pytest`: the working folder, not this file's, heads sys.path.
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
        sys.path[0] = os.getcwd()
    protocol = _claim_stdout()
    # pytest's capture points fd 0 at /dev/null while tests run: read ids from a copy.
    requests = os.dup(0)
    import pytest

    bridge = Bridge(mode, protocol, requests)
    # pytest's cache is left on. The terminal plugin stays loaded, so that options of its own
    # in a project's addopts (-ra, --tb=short, --durations) parse; its reporter is taken out
    # once configured (_quiet): the dots and summaries are mlrun's to print.
    code = pytest.main(arguments, plugins=[bridge, _quiet()])
    if bridge.failed:
        return 3
    if mode in ("discover", "serve") and int(code) not in (0, 5):
        # pytest stopped before its run loop: a usage error, a conftest that raised.
        sys.stderr.write(f"pytest exited with status {int(code)} before collecting\n")
        return int(code) or 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
