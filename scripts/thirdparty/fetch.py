#!/usr/bin/env python3
"""Fetch the pinned source distributions of projects.json and make their test suites runnable.

    python3 scripts/thirdparty/fetch.py [NAME ...]      (default: every project)

For each project: ``pip download --no-binary :all: --no-deps NAME==VERSION`` into
``.build-third-party/sdists/``, unpack it as ``.build-third-party/NAME-VERSION/`` and install
the test requirements whose import fails into the running Python (run it with the venv's
python3: ``. scripts/python-env.sh`` first). The project itself is not installed; its tests
import the sdist's code through ``env`` in projects.json (PYTHONPATH=src).

Idempotent: an unpacked project carries a stamp file and is left alone, and requirements
that import are not reinstalled, so a second run takes well under a second.
Nothing here is committed: .build-third-party/ is git-ignored.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from projects import WORK, Project, load_projects

STAMP = ".mlrun-fetched"


def download(project: Project) -> Path:
    """The sdist archive of ``project``, downloading it when it is not there yet."""
    sdists = WORK / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    # pip normalizes the file name (python-dateutil -> python_dateutil-4.0.0.tar.gz).
    stem = f"{project.name.replace('-', '_').lower()}-{project.version}"

    def existing():
        return [p for p in sdists.iterdir() if p.name.lower().startswith(stem.lower() + ".")]

    if not existing():
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:",
                        "--no-deps", "-d", str(sdists), f"{project.name}=={project.version}"], check=True)
    found = existing()
    if len(found) != 1:
        raise SystemExit(f"expected one sdist for {project.name} {project.version} in {sdists}, found {found}")
    return found[0]


def unpack(archive: Path, dest: Path) -> None:
    """Unpack ``archive`` (whose members share one top folder) as ``dest``."""
    scratch = dest.with_name(dest.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            z.extractall(scratch)
    else:
        with tarfile.open(archive) as t:
            t.extractall(scratch, filter="data")  # no absolute paths, links out, or devices
    tops = list(scratch.iterdir())
    if len(tops) != 1 or not tops[0].is_dir():
        raise SystemExit(f"{archive.name}: expected one top-level folder, found {[p.name for p in tops]}")
    shutil.rmtree(dest, ignore_errors=True)
    tops[0].rename(dest)
    scratch.rmdir()


def install_requirements(project: Project) -> None:
    missing = [req for module, req in project.test_requirements.items()
               if importlib.util.find_spec(module) is None]
    if missing:
        if sys.prefix == sys.base_prefix:
            raise SystemExit(f"{project.name} needs {missing}; run this with a venv's python "
                             "(. scripts/python-env.sh) so they do not go into the system's Python")
        print(f"== {project.name}: installing {' '.join(missing)}", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)
        importlib.invalidate_caches()


def fetch(project: Project) -> None:
    if not (project.folder / STAMP).exists():
        print(f"== {project.name} {project.version}: downloading and unpacking the sdist", flush=True)
        unpack(download(project), project.folder)
        (project.folder / STAMP).write_text(f"{project.name}=={project.version}\n", encoding="utf-8")
    install_requirements(project)


def main(argv: list[str]) -> int:
    projects = load_projects()
    wanted = set(argv)
    unknown = wanted - {p.name for p in projects}
    if unknown:
        print(f"unknown project(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    for project in projects:
        if not wanted or project.name in wanted:
            fetch(project)
            print(f"{project.name} {project.version}: {project.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
