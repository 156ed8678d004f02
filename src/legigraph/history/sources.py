"""Where dated versions come from: a legalize-kr git clone, or a folder of dated files.

A legalize-kr clone has one commit per promulgation; ``git log`` lists them and ``git
cat-file --batch`` reads every file as it was after each one (two subprocesses with a
timeout, no network). A folder such as ``../shared/national-law/history/지속가능발전기본법/``
holds ``{file}@{공포일자}_{commit}.md`` files and a ``git_log.tsv`` (commit, date, subject,
path; newest first) that gives their order. Either way the result is a list of
:class:`Snapshot` in commit order, oldest first; ``seen`` commits are left out.
"""

from __future__ import annotations

import csv
import re
import subprocess
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from legigraph.errors import InputError
from legigraph.model.text import nfc

GIT_TIMEOUT = 120.0  # seconds for one git command
_DATED = re.compile(r"^(?P<file>.+)@(?P<date>\d{4}-\d{2}-\d{2})_(?P<commit>[0-9a-f]{7,40})\.md$")


@dataclass(frozen=True)
class Snapshot:
    """One file as it stood after one commit: ``kr/{law}/{file}.md`` and its bytes."""

    commit: str
    order: int  # position of the commit, oldest first
    path: str
    data: bytes
    source: str  # what an error message names: ``clone:commit:path`` or the dated file


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args],
            input=data, capture_output=True, timeout=GIT_TIMEOUT, check=False,
        )  # fmt: skip
    except FileNotFoundError as err:
        raise InputError(repo, "git is not installed", "install git (apt-get install git)") from err
    except subprocess.TimeoutExpired as err:
        raise InputError(repo, f"git {args[0]} took longer than {GIT_TIMEOUT:.0f} s",
                         "check the clone (git fsck)") from err  # fmt: skip
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        why = message[-1] if message else f"exit {done.returncode}"
        raise InputError(repo, f"git {args[0]} failed: {why}",
                         "give a legalize-kr git clone or a folder of dated versions")  # fmt: skip
    return done.stdout


def _is_law_file(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "kr" and parts[2].endswith(".md")


def read_clone(repo: Path, seen: Collection[str] = ()) -> list[Snapshot]:
    """Every ``kr/*/*.md`` file added or modified by each commit of ``repo`` not in ``seen``."""
    log = _git(repo, "-c", "core.quotepath=off", "log", "--reverse", "--no-renames",
               "--format=%x01%H", "--name-status", "--", "kr").decode("utf-8")  # fmt: skip
    wanted: list[tuple[str, int, str]] = []
    order = 0
    for block in log.split("\x01")[1:]:
        lines = block.strip().splitlines()
        commit, order = lines[0].strip(), order + 1
        if commit in seen:
            continue
        for line in lines[1:]:
            status, _, path = line.partition("\t")
            if status[:1] in ("A", "M") and _is_law_file(path):
                wanted.append((commit, order, nfc(path)))
    if not wanted:
        return []
    request = "".join(f"{c}:{p}\n" for c, _, p in wanted).encode("utf-8")
    out = _git(repo, "cat-file", "--batch", data=request)
    snapshots, pos = [], 0
    for commit, order, path in wanted:
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        if len(header) < 3 or header[1] != b"blob":
            raise InputError(repo, f"{commit}:{path}: git cat-file gave no blob", "git fsck")
        size = int(header[2])
        data = out[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1
        snapshots.append(Snapshot(commit, order, path, data, f"{repo}@{commit[:10]}:{path}"))
    return snapshots


def read_folder(folder: Path, seen: Collection[str] = ()) -> list[Snapshot]:
    """The dated files of ``folder`` in the order of its ``git_log.tsv``."""
    log = folder / "git_log.tsv"
    if not log.is_file():
        raise InputError(folder, "no git_log.tsv here", "give a legalize-kr clone, or a folder "
                         "of {file}@{date}_{commit}.md files with git_log.tsv")  # fmt: skip
    with log.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for n, row in enumerate(rows, start=2):
        if not row.get("commit") or not row.get("path"):
            raise InputError(log, "a row without commit or path", "columns: commit date subject "
                             "path", n)  # fmt: skip
    files = {}
    for file in folder.glob("*.md"):
        match = _DATED.match(nfc(file.name))
        if match is None and "@" not in file.name:
            continue  # a README beside the versions
        if match is None:
            raise InputError(file, "not named {file}@{YYYY-MM-DD}_{commit}.md",
                             "rename it, or move it out of the folder")  # fmt: skip
        files[(match["file"], match["commit"])] = file
    snapshots = []
    for order, row in enumerate(reversed(rows), start=1):  # the log is newest first
        commit, path = row["commit"].strip(), nfc(row["path"].strip())
        if commit in seen:
            continue
        stem = path.rpartition("/")[2].removesuffix(".md")
        found = [f for (n, short), f in files.items() if n == stem and commit.startswith(short)]
        if not found:
            raise InputError(log, f"no file {stem}@…_{commit[:10]}.md for commit {commit[:10]}",
                             "add the file or remove the row", len(rows) - order + 2)  # fmt: skip
        snapshots.append(Snapshot(commit, order, path, found[0].read_bytes(), str(found[0])))
    return snapshots


def read_versions(path: Path, seen: Collection[str] = ()) -> list[Snapshot]:
    """The snapshots of a clone (it has ``.git``) or a folder of dated versions."""
    if not path.exists():
        raise InputError(path, "no such file or directory", "check the path")
    if not path.is_dir():
        raise InputError(path, "not a directory", "give a legalize-kr clone or a folder of "
                         "dated versions")  # fmt: skip
    if (path / ".git").exists():
        return read_clone(path, seen)
    return read_folder(path, seen)
