"""The national ingest replaces a store only with a checked result, and reads its corpus
within bounds (the hostile cases themselves are in tests/test_hostile.py)."""

from __future__ import annotations

import io
import lzma
import shutil
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest

from legigraph import ingest as ingest_module
from legigraph.build import BuildResult
from legigraph.cli import main
from legigraph.errors import InternalError
from legigraph.ingest import NothingIngested, ingest_statutes, manifest_path
from legigraph.sources.corpus import _Counting, _Unxz
from tests.conftest import ROOT
from tests.test_ingest import CORPUS, INDEX, quads

HOSTILE = ROOT / "tests" / "hostile"


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("good") / "store"
    ingest_statutes(CORPUS, store, INDEX, quiet=True, workers=1)
    return store


def copy_store(good: Path, folder: Path) -> Path:
    store = folder / "store"
    shutil.copytree(good, store)
    shutil.copyfile(manifest_path(good), manifest_path(store))
    return store


def run(store: Path, source: Path, *args: str) -> int:
    return main(["ingest", "statutes", str(source), "--store", str(store), "--index", str(INDEX),
                 "--no-bill", "--workers", "1", *args])  # fmt: skip


def test_nothing_ingested_keeps_the_store_and_says_so_in_one_line(
    tmp_path: Path, good: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = copy_store(good, tmp_path)
    before = quads(store)
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "kr" / "깨진법", corpus / "kr" / "깨진법")
    with pytest.raises(NothingIngested) as caught:
        ingest_statutes(corpus, store, INDEX, quiet=True, workers=1)
    assert caught.value.skipped[0].startswith("kr/깨진법/법률.md:4: broken front matter")
    assert run(store, corpus) == 2
    err = capsys.readouterr().err
    error = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and err.rstrip().endswith(error[0]), err  # one line, no hint below
    assert "every one of its 1 statute files was skipped" in error[0]
    assert f"the store {store} was left as it was" in error[0]
    assert "skipped kr/깨진법/법률.md:4:" in err  # the reasons, above the error
    assert quads(store) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "store", "store.manifest.json"]


def test_a_store_that_disagrees_with_its_manifest_is_not_swapped_in(
    tmp_path: Path, good: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = copy_store(good, tmp_path)
    manifest = manifest_path(store).read_bytes()
    real = ingest_module.store_counts

    def one_short(path: Path) -> dict[str, int | None]:
        counts = real(path)
        return {**counts, "national_triples": (counts["national_triples"] or 0) - 1}

    monkeypatch.setattr(ingest_module, "store_counts", one_short)
    assert run(store, CORPUS) == 3
    err = capsys.readouterr().err
    assert "disagrees with its manifest" in err and "Traceback" not in err
    assert quads(store) == quads(good)
    assert manifest_path(store).read_bytes() == manifest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "store.manifest.json"]


def test_a_bill_graph_that_did_not_load_fails_the_check(
    tmp_path: Path, built: BuildResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ingest_module.load_store

    def without_bill(fresh: Path, nt: Path, bill: Path | None, advance: Any) -> None:
        real(fresh, nt, None, advance)

    monkeypatch.setattr(ingest_module, "load_store", without_bill)
    with pytest.raises(InternalError, match="disagrees with its manifest"):
        ingest_statutes(CORPUS, tmp_path / "s", INDEX, quiet=True, workers=1,
                        bill=built.out_dir / "legigraph.nt")  # fmt: skip
    assert list(tmp_path.iterdir()) == []


def test_the_manifest_records_the_checks(good: Path) -> None:
    import json

    manifest = json.loads(manifest_path(good).read_text(encoding="utf-8"))
    assert manifest["checks"] == {"national_triples": manifest["counts"]["triples_written"],
                                  "national_laws": 3, "bill_triples": None}  # fmt: skip
    assert manifest["limits"] == {"max_member_bytes": 16 << 20, "max_total_bytes": 2 << 30}


def test_staging_left_by_a_killed_ingest_is_removed_and_ignored(tmp_path: Path) -> None:
    stale = tmp_path / ".staging-store-killed"
    stale.mkdir()
    (stale / "national.nt").write_text("half", encoding="utf-8")
    ingest_statutes(CORPUS, tmp_path / "store", INDEX, quiet=True, workers=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "store.manifest.json"]
    assert ".staging-*/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_a_raised_member_limit_lets_a_large_statute_in(tmp_path: Path) -> None:
    source = HOSTILE / "archive-member-3mib-statute.tar.xz"
    assert run(tmp_path / "s", source, "--max-member-mb", "1") == 2
    assert not (tmp_path / "s").exists()
    assert run(tmp_path / "s", source, "--max-member-mb", "4") == 0
    assert len(quads(tmp_path / "s")) == 83  # 67, and the evidence of its 2 resolved citations


def _tar(path: Path, entries: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, "w:xz") as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def test_a_link_beside_good_statutes_is_skipped_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statute = (CORPUS / "kr" / "라마바법" / "법률.md").read_bytes()
    good = tarfile.TarInfo("./kr/라마바법/법률.md")  # ./ as `tar -C DIR .` writes it
    good.size = len(statute)
    link = tarfile.TarInfo("kr/링크법/법률.md")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/shadow"
    archive = _tar(tmp_path / "a.tar.xz", [(good, statute), (link, None)])
    assert run(tmp_path / "s", archive) == 0
    err = capsys.readouterr().err
    assert "skipped kr/링크법/법률.md: a symbolic link to /etc/shadow in the archive" in err
    assert len(quads(tmp_path / "s")) == 83  # 67, and the evidence of its 2 resolved citations


def test_a_link_inside_a_directory_corpus_is_followed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "kr", corpus / "kr")
    (corpus / "kr" / "링크법").mkdir()
    (corpus / "kr" / "링크법" / "법률.md").symlink_to("../라마바법/법률.md")
    result = ingest_statutes(corpus, tmp_path / "s", INDEX, quiet=True, workers=1)
    assert "kr/링크법/법률.md:1: 법령ID 900003 also in an earlier file" in result.skipped


def test_unxz_never_unpacks_more_than_it_is_asked_for() -> None:
    packed = lzma.compress(b"\0" * (64 << 20))  # 64 MiB in about 10 kB
    handle = _Counting(io.BytesIO(packed), len(packed), lambda done, total: None)
    unxz = _Unxz(handle)
    sizes = []
    while block := unxz.read(10240):
        sizes.append(len(block))
    assert max(sizes) == 10240 and sum(sizes) == 64 << 20


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("tty", "quiet"), [(True, False), (True, True), (False, False)])
def test_progress_bars_for_each_phase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tty: bool, quiet: bool
) -> None:
    err = _Terminal() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    archive = tmp_path / "statutes-kr.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        tar.add(CORPUS / "kr", arcname="kr")
    ingest_statutes(archive, tmp_path / "s", INDEX, quiet=quiet, workers=1)
    drawn = err.getvalue()
    phases = ("read", "parse", "link", "load", "check", "swap")
    if tty and not quiet:
        assert all(f"ingest: {phase}" in drawn for phase in phases), drawn
        assert "4/4" in drawn  # the files parsed
    else:
        assert drawn == ""



def test_a_repeated_marker_is_one_triple() -> None:
    """Like 귀속재산처리법시행령 제4조, two lines of an article end with one <개정 …>.

    One triple, counted once (the store's count is checked against it); a U+2028 in the
    text does not cut a line.
    """
    from rdflib import Graph

    from legigraph.ingest import parse_statute
    from legigraph.sources.ordinance import read_law_bytes

    name = "kr/라마바법/법률.md"
    twice = "특례를 정한다. <개정 2020.1.7>\n\n그 밖의 사항을 정한다. <개정 2020.1.7>\u2028끝"
    text = (CORPUS / name).read_text(encoding="utf-8").replace("특례를 정한다.", twice, 1)
    law = read_law_bytes(Path(name), text.encode())
    assert next(p for p in law.walk() if p.path == "art_1").markers == ["개정 2020.1.7"] * 2
    parsed = parse_statute((name, text.encode()))
    assert parsed.error is None
    got = Graph().parse(data=parsed.nt, format="nt")
    assert parsed.triples == len(got) == len(parsed.nt.rstrip("\n").split("\n"))
    notes = [o for _, p, o in got if str(p).endswith("#revisionNote")]
    assert [str(o) for o in notes] == ["개정 2020.1.7"]
