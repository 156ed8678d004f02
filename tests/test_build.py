"""The build: reproducible output, atomic replacement, faithful derived facts."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from legigraph.build import BuildResult, build, work_paths
from legigraph.errors import InputError
from legigraph.model import ids
from legigraph.model.literals import canonical, exact_literals
from legigraph.model.namespaces import LG, SCHEMA
from tests.conftest import copy_project

ORD = ids.ordinance("2229686")


def test_build_writes_all_outputs(built: BuildResult) -> None:
    out = built.out_dir
    for name in ("legigraph.nt", "legigraph.ttl", "manifest.json", "store"):
        assert (out / name).exists(), name
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["triples"] == built.triples
    assert manifest["classes"]["lg:AIProject"] == 18
    assert manifest["violations"] == 0
    assert "data/bill-1544.ttl" in manifest["inputs"]


def test_build_is_reproducible(built: BuildResult, tmp_path: Path) -> None:
    second = build(copy_project(tmp_path))
    for name in ("legigraph.nt", "manifest.json"):
        assert (second.out_dir / name).read_bytes() == (built.out_dir / name).read_bytes()


def test_failed_build_leaves_previous_build(tmp_path: Path) -> None:
    layout = copy_project(tmp_path)
    first = build(layout, store=False)
    before = (first.out_dir / "legigraph.nt").read_bytes()
    (layout.data / "bill-1544.ttl").write_text("@prefix broken", encoding="utf-8")
    with pytest.raises(InputError) as err:
        build(layout, store=False)
    assert "bill-1544.ttl" in str(err.value)
    assert (first.out_dir / "legigraph.nt").read_bytes() == before
    assert not list(layout.build.glob(".staging-*"))


def test_build_owns_only_its_outputs(tmp_path: Path) -> None:
    """The national store (another command's output) survives a build and a failed one;
    a staging folder left by a killed build is cleaned by the next."""
    layout = copy_project(tmp_path)
    marker = layout.national_store / "marker"
    marker.parent.mkdir(parents=True)
    marker.write_text("the national store", encoding="utf-8")
    killed = layout.build / ".staging-bill-killed"
    killed.mkdir()
    result = build(layout, store=False)
    assert result.out_dir == layout.bill_build and layout.bill_graph.is_file()
    assert marker.read_text(encoding="utf-8") == "the national store"
    assert not killed.exists()
    (layout.data / "bill-1544.ttl").write_text("@prefix broken", encoding="utf-8")
    with pytest.raises(InputError):
        build(layout, store=False)
    assert marker.read_text(encoding="utf-8") == "the national store"
    assert sorted(p.name for p in layout.build.iterdir()) == ["bill", "national-store"]


def test_every_iri_is_ascii_and_every_literal_nfc(graph: Graph) -> None:
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef):
                assert str(term).isascii(), term
            elif isinstance(term, Literal):
                assert unicodedata.is_normalized("NFC", str(term)), term


def test_both_versions_have_every_article(graph: Graph) -> None:
    for date, items in (("2023-05-22", 4), ("2024-03-26", 5)):
        version = ids.ordinance_version("2229686", date)
        parts = set(graph.subjects(LG.inVersion, version))
        articles = {p for p in parts if str(p).rsplit("/", 1)[-1].startswith("art_")}
        assert len(articles) == 9, date
        art7_items = [p for p in parts if "/art_7/item_" in str(p)]
        assert len(art7_items) == items, date


def test_amendment_texts_come_from_the_versions(graph: Graph) -> None:
    amd = ids.amendment(ids.amending_act(9173), 1)
    before = str(graph.value(amd, LG.textBefore))
    after = str(graph.value(amd, LG.textAfter))
    assert "인공지능사업" not in before
    assert "신기술기반사업, 인공지능사업, 공간개발사업" in after
    assert before.replace("공간개발사업", "인공지능사업, 공간개발사업") == after


def test_source_locations_quote_the_seed(graph: Graph) -> None:
    loc = ids.source_location(ids.SEED, "sec-1-ga")
    assert str(graph.value(loc, LG.quote)) == "가. 의안번호 : 제1544호"
    contact = str(graph.value(ids.source_location(ids.SEED, "contact"), LG.quote))
    assert "02-2180-8055" in contact


def test_provision_texts_match_the_national_text(graph: Graph) -> None:
    after = ids.ordinance_version("2229686", "2024-03-26")
    item = ids.provision(after, "art_7/item_4")
    assert (
        str(graph.value(item, SCHEMA.text))
        == "신기술 및 인공지능을 활용한 시책 개발 및 보급을 위한 사업"
    )
    assert (ids.provision(ORD, "art_7/item_4"), RDF.type, None) in graph


def test_every_serialisation_is_the_same_graph(built: BuildResult) -> None:
    """Turtle and N-Triples hold the same terms ("2.0"^^xsd:decimal in both, never "2")."""
    graphs = []
    for name, fmt in (("legigraph.nt", "nt"), ("legigraph.ttl", "turtle")):
        graph = Graph()
        with exact_literals():
            graph.parse(built.out_dir / name, format=fmt)
        graphs.append(graph)
    nt, ttl = graphs
    assert len(nt) == len(ttl) == built.triples
    assert isomorphic(nt, ttl)
    ground = [{t for t in g if not any(isinstance(x, BNode) for x in t)} for g in graphs]
    assert ground[0] == ground[1]
    assert (None, SCHEMA.value, Literal("2.0", datatype=XSD.decimal, normalize=False)) in nt


def test_literals_are_written_in_canonical_form(built: BuildResult) -> None:
    graph = Graph()
    with exact_literals():
        graph.parse(built.out_dir / "legigraph.nt", format="nt")
    assert all(canonical(o) == o for o in graph.objects() if isinstance(o, Literal))
    assert canonical(Literal("019", datatype=XSD.integer, normalize=False)) == Literal(
        "19", datatype=XSD.integer, normalize=False
    )
    assert str(canonical(Literal("2", datatype=XSD.decimal, normalize=False))) == "2.0"
    assert str(canonical(Literal("02.50", datatype=XSD.decimal, normalize=False))) == "2.5"
    assert str(canonical(Literal("1", datatype=XSD.boolean, normalize=False))) == "true"
    bad = Literal("2024-02-30", datatype=XSD.date, normalize=False)
    assert canonical(bad) is bad  # ill-typed: left as written


def test_work_paths_follow_a_renumbering() -> None:
    """Bill 1544's 제7조: old 제4호 goes on as 제5호 (and what is below it follows)."""
    older = ["art_7", "art_7/item_3", "art_7/item_4", "art_7/item_4/subitem_1"]
    newer = ["art_7", "art_7/item_3", "art_7/item_4", "art_7/item_5", "art_7/item_5/subitem_1"]
    first, last = work_paths([older, newer], [{"art_7/item_4": "art_7/item_5"}])
    assert first == {
        "art_7": "art_7", "art_7/item_3": "art_7/item_3", "art_7/item_4": "art_7/item_5",
        "art_7/item_4/subitem_1": "art_7/item_5/subitem_1",
    }  # fmt: skip
    assert last == {p: p for p in newer}  # the new 제4호 is a subdivision of its own
