"""The hand-checked sample of relative references (tests/linking/relative.tsv) as a
regression test: every row is found again in the corpus (by its sample key) and must
mean what the sample records — the law, the record and the target — so a change of
``linking.relative`` that moves a checked row fails here and the row is checked again.

Needs the statute corpus (``tests/corpus.py``); the rows and how they were drawn are in
``docs/linking.md`` (bench/citation_network.py ``--relative-sample``).
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from legigraph.link.citing import citable_text
from legigraph.link.relative import family, is_context, referents
from legigraph.link.resolve import read_law_index
from legigraph.link.resolver import with_tables
from legigraph.sources.ordinance import read_law_bytes
from tests.conftest import ROOT
from tests.corpus import corpus_dir

sys.path.insert(0, str(ROOT / "bench"))
from citation_network import sample_key

__all__ = ["corpus_dir"]  # the fixture, used by name
SAMPLE = ROOT / "tests" / "linking" / "relative.tsv"
SEED = 1  # a row id is its key of bench/citation_network.py --seed (1)
# the index with the linking tables (namesake dates, former names), as the bench has it
INDEX = with_tables(
    read_law_index(ROOT / "data" / "external" / "legalize-kr" / "index_all_laws.csv"), ROOT / "data"
)


def _rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ROWS = _rows()


def meanings(root: Path, member: str) -> dict[str, tuple[str, str, str]]:
    """``id → (relation, 법령ID, target)`` of every citation of one statute file."""
    law = read_law_bytes(Path(member), (root / member).read_bytes())
    own = str(law.meta.get("법령ID") or member)
    date = str(law.meta.get("시행일자") or law.meta.get("공포일자") or "") or None
    texts = [(p.path, citable_text(p)) for p in law.walk()]
    out = {}
    for path, cit, ref in referents(law, family(law, str(law.meta.get("법령구분", ""))), texts):
        relation = cit.relation
        if relation == "self" and any(is_context(p) for p in cit.provisions):
            relation = "self-context"
        law_id = ""
        if ref is not None:
            record = INDEX.resolve(ref.law, date).record if ref.law is not None else None
            law_id = own if ref.law is None else record.law_id if record else ""
        target = " ; ".join(ref.paths) if ref is not None and cit.provisions else "(the law)"
        out[f"{sample_key(SEED, member, path, cit.start):016x}"] = (relation, law_id, target)
    return out


def test_the_sample_is_complete_and_checked() -> None:
    assert len(ROWS) >= 120
    assert len({r["relation"] for r in ROWS}) == 6
    for row in ROWS:
        assert row["correct"] in ("yes", "no"), row["id"]
        assert row["correct"] == "yes" or row["note"], f"{row['id']}: a 'no' needs its note"


def test_every_row_means_what_the_sample_records(corpus_dir: Path) -> None:
    by_file: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in ROWS:
        by_file[row["citing_file"]].append(row)
    moved = []
    for member, rows in sorted(by_file.items()):
        found = meanings(corpus_dir, member)
        for row in rows:
            recorded = (row["relation"], row["cited_law_id"], row["target"])
            if found.get(row["id"]) != recorded:
                moved.append(f"{row['id']} {row['citation']}: {recorded} → {found.get(row['id'])}")
    assert not moved, "rows to check again by hand:\n" + "\n".join(moved)


def test_precision_meets_the_target() -> None:
    correct = sum(r["correct"] == "yes" for r in ROWS)
    # 118 of 120 (98.3 %); the two errors are in docs/linking.md
    assert correct / len(ROWS) >= 0.98, f"{correct} of {len(ROWS)}"


@pytest.mark.parametrize("relation", sorted({r["relation"] for r in ROWS}))
def test_each_relation_has_its_share(relation: str) -> None:
    assert sum(r["relation"] == relation for r in ROWS) >= 20
