"""The third-party projects of projects.json, and running pytest on one of them.

Shared by fetch.py, pytest_oracle.py and expressions.py. A project's unpacked sdist lives in
``.build-third-party/NAME-VERSION/`` at the repository root (git-ignored); pytest runs there,
with the project's ``args`` and ``env``, and with ``outcome_recorder`` (this folder) loaded
through ``-p`` to write what pytest collected and reported to a JSON file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORK = REPO / ".build-third-party"
PROJECTS_FILE = HERE / "projects.json"


@dataclass(frozen=True)
class Project:
    """One entry of projects.json."""

    name: str
    version: str
    args: list = field(default_factory=list)
    env: dict = field(default_factory=dict)
    test_requirements: dict = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        """Where fetch.py unpacks the sdist."""
        return WORK / f"{self.name}-{self.version}"

    def environment(self) -> dict:
        """os.environ plus the project's env, with outcome_recorder importable."""
        env = dict(os.environ)
        for key, value in self.env.items():
            env[key] = value
        # The recorder goes last on PYTHONPATH, so the project's own code still comes first.
        paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p] + [str(HERE)]
        env["PYTHONPATH"] = os.pathsep.join(paths)
        env.pop("MLRUN_ORACLE_OUT", None)
        return env


def load_projects() -> list[Project]:
    with open(PROJECTS_FILE, encoding="utf-8") as f:
        entries = json.load(f)["projects"]
    return [Project(**entry) for entry in entries]


def find_project(name: str) -> Project:
    projects = load_projects()
    for project in projects:
        if project.name == name:
            return project
    names = ", ".join(p.name for p in projects)
    raise SystemExit(f"unknown project {name!r}; projects.json has: {names}")


@dataclass
class PytestRun:
    """What one pytest process did: its exit status, output, and the recorder's JSON (or None)."""

    returncode: int
    stdout: str
    stderr: str
    record: dict | None


def run_pytest(project: Project, extra_args: list, *, env: dict | None = None,
               timeout: float = 600) -> PytestRun:
    """Run ``python -m pytest -p no:cacheprovider -p outcome_recorder [args] extra_args``.

    ``extra_args`` come after the project's args, so a ``-m`` there overrides one in the
    project's addopts (pytest keeps the last ``-m``). ``env`` is added to the environment.
    """
    if not project.folder.is_dir():
        raise SystemExit(f"{project.folder} is missing; run scripts/thirdparty/fetch.py first")
    with tempfile.TemporaryDirectory(prefix="mlrun-oracle-") as scratch:
        out = Path(scratch) / "record.json"
        environment = {**project.environment(), **(env or {}), "MLRUN_ORACLE_OUT": str(out)}
        argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "outcome_recorder",
                *project.args, *extra_args]
        done = subprocess.run(argv, cwd=project.folder, env=environment, capture_output=True, text=True,
                              timeout=timeout)
        record = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return PytestRun(done.returncode, done.stdout, done.stderr, record)
