"""A day's change for ``legigraph ingest history``: how long re-running on one new commit takes.

    python bench/history_incremental.py [FOLDER] [--work DIR]

FOLDER is a folder of dated versions with its ``git_log.tsv`` (default
``../shared/national-law/history/지속가능발전기본법``). The script builds a git repository in
``DIR`` (one commit per row of the log, oldest first, dated as the row), ingests all but
the last commit with ``legigraph ingest history``, commits the last one (the day's change),
and times the re-run and a run with nothing new (wall time of the command, peak RSS of the
process, and the phases the state file records). Prints one Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "national-law" / "history" / "지속가능발전기본법"


def _git(repo: Path, *args: str, date: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{date}T12:00:00", "GIT_COMMITTER_DATE":
           f"{date}T12:00:00", "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}  # fmt: skip
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def _commit(repo: Path, folder: Path, row: dict[str, str]) -> None:
    stem = row["path"].rpartition("/")[2].removesuffix(".md")
    target = repo / row["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(folder / f"{stem}@{row['date']}_{row['commit'][:10]}.md", target)
    _git(repo, "add", row["path"], date=row["date"])
    _git(repo, "commit", "-q", "-m", row["subject"], date=row["date"])


def _run(repo: Path, store: Path) -> tuple[float, float, dict[str, float]]:
    """Wall seconds, peak RSS (MiB) of one ``legigraph ingest history`` and its phases."""
    clock = time.perf_counter()
    command = [sys.executable, "-m", "legigraph", "ingest", "history", str(repo), "--store"]
    subprocess.run([*command, str(store)], check=True, capture_output=True)
    wall = time.perf_counter() - clock
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    state = json.loads((store.with_name(store.name + ".history") / "state.json").read_text())
    return wall, peak, state["manifest"]["timings_s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--work", type=Path, help="work folder (default: a new temporary one)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="history-bench-"))
    with (args.folder / "git_log.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(reversed(list(csv.DictReader(handle, delimiter="\t"))))
    repo, store = work / "repo", work / "store"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q", date=rows[0]["date"])
    for row in rows[:-1]:
        _commit(repo, args.folder, row)
    runs = [("first", len(rows) - 1, *_run(repo, store))]
    _commit(repo, args.folder, rows[-1])
    runs.append(("the day's change", 1, *_run(repo, store)))
    runs.append(("nothing new", 0, *_run(repo, store)))
    print("| run | new versions | wall | read / align / graph / write | peak RSS (runs so far) |")
    print("|---|---|---|---|---|")
    for name, new, wall, peak, phases in runs:
        steps = " / ".join(f"{phases.get(k, 0):.2f}" for k in ("read", "align", "graph", "write"))
        print(f"| {name} | {new} | {wall:.1f} s | {steps} s | {peak:.0f} MiB |")


if __name__ == "__main__":
    main()
