"""Write the committed linking tables from an unpacked statute corpus.

    python -m legigraph.link.mine CORPUS [--index CSV] [--out data/linking]

CORPUS holds ``kr/`` (the unpacked ``statutes-kr.tar.xz`` or a legalize-kr checkout).
Writes ``record-dates.tsv`` (the records that share a name, with their enactment and
repeal dates, ``linking.dates``) and ``aliases.tsv`` (former names, ``linking.aliases``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from legigraph.errors import InputError
from legigraph.link.aliases import mine_aliases, write_aliases
from legigraph.link.dates import RecordDates, derive, read_dates, write_dates
from legigraph.link.resolve import LawIndex, LawRecord, read_law_index
from legigraph.link.resolver import Resolver
from legigraph.model.records import LawText
from legigraph.paths import Layout
from legigraph.sources.ordinance import read_law_text


def corpus_root(path: Path) -> Path:
    """The folder holding ``kr/``; a clear error when there is none."""
    for root in (path, path.parent):
        if (root / "kr").is_dir():
            return root
    raise InputError(path, "no kr/ folder here", "unpack statutes-kr.tar.xz and give its folder")


def texts(root: Path, records: list[LawRecord]) -> Iterator[tuple[LawRecord, LawText]]:
    """Each record with its text (records whose file is missing are skipped)."""
    for record in records:
        path = root / record.path
        if record.path and path.is_file():
            yield record, read_law_text(path)


def namesake_dates(root: Path, index: LawIndex) -> list[RecordDates]:
    """The dates of every record that shares its name with another."""
    shared = [r for group in index.by_name.values() if len(group) > 1 for r in group]
    return [derive(law, record) for record, law in texts(root, shared)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    layout = Layout.default()
    parser.add_argument(
        "--index",
        type=Path,
        default=layout.data / "external" / "legalize-kr" / "index_all_laws.csv",
    )
    parser.add_argument("--out", type=Path, default=layout.data / "linking")
    parser.add_argument("--only", choices=("dates", "aliases"), default=None)
    args = parser.parse_args(argv)
    try:
        root = corpus_root(args.corpus)
        index = read_law_index(args.index)
        if args.only in (None, "dates"):
            rows = namesake_dates(root, index)
            write_dates(args.out / "record-dates.tsv", rows)
            print(f"record-dates.tsv: {len(rows)} records sharing a name", file=sys.stderr)
        if args.only in (None, "aliases"):
            dates = read_dates(args.out / "record-dates.tsv")  # for namesake targets
            dated = Resolver(list(index.records), dates=dates, fuzzy=False)
            aliases = mine_aliases(texts(root, index.records), dated)
            write_aliases(args.out / "aliases.tsv", aliases)
            print(f"aliases.tsv: {len(aliases)} former names", file=sys.stderr)
    except InputError as err:
        print(f"mine: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
