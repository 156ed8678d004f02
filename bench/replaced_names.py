"""How reading former names as they were changes the national citation network.

    python bench/replaced_names.py CORPUS [--workers 2]

Parses the corpus as ``legigraph ingest statutes`` does (``ingest.statute`` in worker
processes) and resolves every pending citation's name twice: *before*, a former name
always means its current law (the resolver before the rename/replacement split); *after*,
a replaced name cited in a 부칙 or after 종전의 / 폐지되기 전의 (``Citation.former``) is the
repealed Act, unresolved (``resolver.repealed_then``). Prints the citations resolved by a
former name before, those the split leaves unresolved, by where they stand, and the names
that change most. A count, not a timing.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from legigraph.ingest.statute import parsed_members
from legigraph.link.citing import citing_date
from legigraph.link.resolve import read_law_index
from legigraph.link.resolver import with_tables
from legigraph.model import ids
from legigraph.paths import Layout
from legigraph.sources.corpus import list_corpus

LAYOUT = Layout.default()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    index_csv = LAYOUT.data / "external" / "legalize-kr" / "index_all_laws.csv"
    index = with_tables(read_law_index(index_csv), LAYOUT.data, fuzzy=True)
    members, _ = list_corpus(args.corpus)
    alias_before: Counter[str] = Counter()
    changed: Counter[str] = Counter()
    names: Counter[str] = Counter()
    explicit = 0
    for parsed in parsed_members(members, args.workers):
        if parsed.record is None:
            continue
        date = parsed.record.in_force
        for cit, sub, _rel, _ in parsed.pending:
            if not cit.law:
                continue
            explicit += 1
            on = citing_date(sub.partition(f"/law/{parsed.record.law_id}/")[2], parsed.addenda,
                             date) or None  # fmt: skip
            before = index.resolve(cit.law, on)
            if before.rule != "alias" or before.record is None:
                continue
            where = "부칙" if ids.in_addendum(sub) else "종전의" if cit.former else "article text"
            alias_before[where] += 1
            wording = ids.in_addendum(sub) or (cit.former and cit.relation == "explicit")
            after = index.resolve(cit.law, on, wording=wording)
            if after.record is None:
                changed[where] += 1
                names[cit.law] += 1
    print(f"citations with a law name: {explicit:,}")
    print(f"resolved by a former name before: {sum(alias_before.values()):,} "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(alias_before.items()))})")  # fmt: skip
    print(f"the repealed Act after (unresolved): {sum(changed.values()):,} "
          f"({', '.join(f'{k} {v:,}' for k, v in sorted(changed.items()))})")  # fmt: skip
    for name, n in names.most_common(10):
        print(f"  {n:6,}  「{name}」")
    return 0


if __name__ == "__main__":
    sys.exit(main())
