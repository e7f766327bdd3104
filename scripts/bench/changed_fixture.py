"""The generated repository of `changed.py`: 20,000 files, their suites and globs, the changes
in the working tree, and which tests those changes must select (see changed.py's docstring)."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


def log(message: str) -> None:
    print(f"[changed] {message}", file=sys.stderr, flush=True)

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / ".build-bench-work"
REPO = WORK / "changed-20000"
FIXTURE_VERSION = "4"  # bump when the layout or the changes below change

# --------------------------------------------------------------------------- layout

# 20,000 tracked files: 10,000 + 5,000 + 4,000 + 1,000.
def layout() -> list[str]:
    files = []
    for p in range(50):
        for s in range(4):
            files += [f"src/pkg{p:02d}/sub{s}/mod{m:03d}.py" for m in range(s * 50, s * 50 + 50)]
    for p in range(50):
        files += [f"tests/pkg{p:02d}/test_mod{m:03d}.py" for m in range(100)]
    for d in range(40):
        files += [f"data/set{d:02d}/part{m:03d}.csv" for m in range(100)]
    for d in range(20):
        files += [f"docs/sec{d:02d}/page{m:03d}.md" for m in range(50)]
    assert len(files) == 20_000 and len(set(files)) == 20_000
    return files


def content(path: str, salt: str = "") -> str:
    n = sum(path.encode()) * 7919 + len(path)
    if path.endswith(".py"):
        return (f'"""{path}{salt}"""\n\nVALUE = {n}\n\n\ndef f(x):\n    return x * {n % 97} + {n % 13}\n')
    if path.endswith(".csv"):
        return "id,x,y\n" + "".join(f"{i},{(n * (i + 1)) % 1000},{(n + i) % 17}\n" for i in range(6)) + salt
    return f"# {path}\n\nSection text {n}.{salt}\n"


# Quiet zones get no working-tree change, so the suites covering them are not selected by
# --changed; the second commit touches QUIET_COMMITTED, so --changed-since HEAD~1 selects `legacy`.
def quiet(path: str) -> bool:
    return bool(re.match(r"src/pkg4[5-9]/|data/set3\d/", path))


SUITES = {  # name -> suite paths; every suite has 5 tests from discover.sh
    "core": ["src/pkg0*/**/*.py"],
    "models": ["src/pkg[1-3]?/**"],
    "unit": ["tests/**/test_*.py"],
    "datasets": ["data/set[0-2]?/*.csv"],
    "archive": ["data/set3?/**"],
    "legacy": ["src/pkg4[5-9]/**/*.py"],
    "docs": ["docs/**/*.md", "mkdocs.yml"],
    "smoke": [],      # no paths anywhere: always selected
    "targeted": [],   # no suite paths; each test has paths of its own (chosen below)
}


@dataclass
class Fixture:
    modified_staged: list[str]
    modified_unstaged: list[str]
    renames: list[tuple[str, str]]
    untracked: list[str]
    ignored: list[str]
    committed: list[str]                 # files changed by the second commit
    targeted: dict[str, list[str]]       # test name -> its own paths

    @property
    def changed(self) -> set[str]:       # what --changed should see
        return (set(self.modified_staged) | set(self.modified_unstaged) | set(self.untracked)
                | {p for pair in self.renames for p in pair})

    @property
    def changed_since(self) -> set[str]:  # what --changed-since HEAD~1 should see
        return self.changed | set(self.committed)

    @property
    def change_count(self) -> int:
        return len(self.modified_staged) + len(self.modified_unstaged) + len(self.renames) + len(self.untracked)


def plan_fixture(files: list[str]) -> Fixture:
    rng = random.Random(20_000_200)
    candidates = [f for f in files if not quiet(f)]
    picked = rng.sample(candidates, 130)
    modified, renamed = picked[:70], picked[70:]
    renames = []
    for index, old in enumerate(renamed):
        folder, name = old.rsplit("/", 1)
        stem, ext = name.rsplit(".", 1)
        if index < 50:
            new = f"{folder}/{stem}_v2.{ext}"                     # renamed in place
        else:                                                   # moved to another (non-quiet) folder
            target = rng.choice([f for f in candidates if f.endswith("." + ext)]).rsplit("/", 1)[0]
            new = f"{target}/moved_{folder.replace('/', '_')}_{stem}.{ext}"
        renames.append((old, new))
    untracked = []
    folders = sorted({f.rsplit("/", 1)[0] for f in candidates})
    for i in range(55):                                          # in existing folders
        folder = rng.choice(folders)
        ext = {"src": "py", "tests": "py", "data": "csv", "docs": "md"}[folder.split("/")[0]]
        prefix = "test_" if folder.startswith("tests/") else ""
        untracked.append(f"{folder}/{prefix}new{i:03d}.{ext}")
    # in folders that do not exist yet: one covered by `core`, two covered by nothing
    # (`data/set[0-2]?/*.csv` does not reach data/set05/extra/, and tests/pkg50 is new)
    untracked += [f"src/pkg07/sub9/mod{i:03d}.py" for i in range(5)]
    untracked += [f"tests/pkg50/test_new{i:03d}.py" for i in range(5)]
    untracked += [f"data/set05/extra/part{i:03d}.csv" for i in range(5)]
    assert len(set(untracked)) == 70 and not set(untracked) & set(files)
    ignored = [f"build/lib/obj{i:03d}.o" for i in range(100)] + [f"src/pkg01/sub0/run{i}.log" for i in range(5)]
    committed = sorted(rng.sample([f for f in files if f.startswith("src/pkg4") and quiet(f)], 20))
    targeted = {
        "test_modified": [modified[3]],
        "test_renamed_old": [renames[5][0]],
        "test_renamed_new": [renames[7][1]],
        "test_untracked": [untracked[60]],
        "test_quiet": ["data/set31/*.csv", "src/pkg46/**"],
    }
    return Fixture(modified_staged=modified[:35], modified_unstaged=modified[35:], renames=renames,
                   untracked=untracked, ignored=ignored, committed=committed, targeted=targeted)


# --------------------------------------------------------------------------- globs (expectation)

def glob_regex(pattern: str) -> re.Pattern:
    """mlrun's PathGlob in Python: `*`/`?`/`[...]` within a name, `**` any number of folders."""
    segments = [s for s in pattern.split("/") if s]
    out, first = "", True
    for index, segment in enumerate(segments):
        if segment == "**":
            out += "(?:[^/]+/)*" if index < len(segments) - 1 else "(?:[^/]+(?:/[^/]+)*)?"
            continue
        part = ""
        i = 0
        while i < len(segment):
            c = segment[i]
            if c == "*":
                part += "[^/]*"
            elif c == "?":
                part += "[^/]"
            elif c == "[":
                end = segment.index("]", i + 2)
                body = segment[i + 1:end]
                part += "[" + ("^" + body[1:] if body[:1] in "!^" else body) + "]"
                i = end
            else:
                part += re.escape(c)
            i += 1
        out += part + ("/" if index < len(segments) - 1 else "")
    out = out.replace("/(?:[^/]+(?:/[^/]+)*)?", "(?:/[^/]+)*")  # trailing `/**` also matches the folder itself
    return re.compile(out + r"\Z")


def expected_selection(fixture: Fixture, changed: set[str]) -> set[str]:
    selected = set()
    for suite, patterns in SUITES.items():
        for name, own in tests_of(suite, fixture):
            globs = [glob_regex(p) for p in own + patterns]
            if not globs or any(g.match(path) for g in globs for path in changed):
                selected.add(f"{suite}::{name}")
    return selected


def tests_of(suite: str, fixture: Fixture) -> list[tuple[str, list[str]]]:
    if suite == "targeted":
        return list(fixture.targeted.items())
    return [(f"test_{i}", []) for i in range(5)]


# --------------------------------------------------------------------------- generating

def git(*args: str, cwd: Path = REPO, input: str | None = None) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid",
               GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z")
    return subprocess.run(["git", *args], cwd=cwd, env=env, input=input, check=True,
                          capture_output=True, text=True).stdout


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def generate(fixture: Fixture, files: list[str], force: bool) -> None:
    stamp = REPO / ".git" / "bench-fixture"
    if not force and stamp.exists() and stamp.read_text() == FIXTURE_VERSION:
        log("repository already generated (use --regenerate to make it again)")
        return
    shutil.rmtree(REPO, ignore_errors=True)
    REPO.mkdir(parents=True)
    started = time.perf_counter()
    log(f"generating {len(files):,} files in {REPO.relative_to(ROOT)} …")
    for f in files:
        write(REPO / f, content(f))
    write(REPO / ".gitignore", "build/\n*.log\n.mlrun/\n")
    write(REPO / "runner.toml", runner_toml())
    write(REPO / "discover.sh", discover_sh(fixture))
    git("init", "-q", "-b", "main")
    git("config", "gc.auto", "0")                            # no background gc while measuring
    git("add", "-A")
    git("commit", "-q", "-m", "20,000 files")
    for f in fixture.committed:                              # the second commit (for --changed-since HEAD~1)
        write(REPO / f, content(f, salt="\n# second commit\n"))
    git("add", "--", *fixture.committed)
    git("commit", "-q", "-m", "touch 20 files")
    git("gc", "-q")                                          # objects packed, as in a clone

    log("changing the working tree: 70 modified (35 staged), 60 renamed (git mv), 70 untracked …")
    for f in fixture.modified_staged + fixture.modified_unstaged:
        write(REPO / f, content(f, salt="\n# changed in the working tree\n"))
    git("add", "--", *fixture.modified_staged)
    for old, new in fixture.renames:
        (REPO / new).parent.mkdir(parents=True, exist_ok=True)
        git("mv", old, new)
    for f in fixture.untracked:
        write(REPO / f, content(f, salt="\n# new\n"))
    for f in fixture.ignored:
        write(REPO / f, "ignored\n")

    # What a user's checkout has: `git status` ran since the last edit, so the index's stat
    # cache is fresh. The pause first makes every file older than the index git status writes,
    # so no entry is "racily clean" (which would make git and libgit2 read it every time).
    time.sleep(2.1)
    git("status", "--porcelain")
    before = (REPO / ".git" / "index").stat().st_mtime_ns
    git("status", "--porcelain")
    if (REPO / ".git" / "index").stat().st_mtime_ns != before:
        sys.exit("a second `git status` rewrote the index: its stat cache is not fresh")
    stamp.write_text(FIXTURE_VERSION)
    log(f"generated in {time.perf_counter() - started:.1f} s")


def runner_toml() -> str:
    parts = ['# mlrun benchmark: suites whose paths cover parts of a 20,000-file tree\n']
    for name, paths in SUITES.items():
        parts.append(f'\n[[command]]\nname = "{name}"\nrun = ["/bin/sh", "discover.sh", "{name}"]\n')
        if paths:
            parts.append("paths = [" + ", ".join(f'"{p}"' for p in paths) + "]\n")
    return "".join(parts)


def discover_sh(fixture: Fixture) -> str:
    targeted = "\n".join(json.dumps({"id": name, "markers": ["unit"], "paths": paths})
                         for name, paths in fixture.targeted.items())
    return ("#!/bin/sh\n# mlrun runs `sh discover.sh SUITE discover`: print five tests (JSON Lines).\n"
            "case \"$1\" in\n"
            f"targeted) cat <<'EOF'\n{targeted}\nEOF\n;;\n"
            "*) for i in 0 1 2 3 4; do echo \"{\\\"id\\\": \\\"test_$i\\\", \\\"markers\\\": [\\\"unit\\\"]}\"; done ;;\n"
            "esac\n")


def check_git_sees(fixture: Fixture) -> None:
    """The repository holds exactly the planned changes, as git itself reports them."""
    seen, kinds = set(), {}
    for line in git("status", "--porcelain", "-uall").splitlines():
        code, rest = line[:2], line[3:]
        paths = rest.split(" -> ") if code[0] == "R" else [rest]
        seen.update(paths)
        kinds[code] = kinds.get(code, 0) + 1
    if seen != fixture.changed:
        sys.exit(f"git status -uall disagrees with the plan: extra {sorted(seen - fixture.changed)[:5]}, "
                 f"missing {sorted(fixture.changed - seen)[:5]}")
    log("git status -uall: " + ", ".join(f"{k!r} × {v}" for k, v in sorted(kinds.items())))
    since = set(git("diff", "--name-only", "HEAD~1").splitlines())
    unstaged = set(git("diff", "--name-only").splitlines())
    if unstaged != set(fixture.modified_unstaged):
        sys.exit("git diff --name-only does not list exactly the 35 unstaged edits")
    if not set(fixture.committed) <= since:
        sys.exit("git diff HEAD~1 misses the second commit's files")


# --------------------------------------------------------------------------- measuring
