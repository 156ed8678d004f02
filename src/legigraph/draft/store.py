"""What the workbench reads from an embedded store: a law's current text, what cites a node.

Queries run on the union of the store's graphs (the national graph and the bill graph of
``legigraph ingest``); names and IRIs are bound as RDF terms (SPARQL substitutions), never
pasted into the query text.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from legigraph.model.namespaces import PREFIXES
from legigraph.model.records import LawText, Provision
from legigraph.stores.embedded import open_store

_PREFIXES = {name: str(PREFIXES[name]) for name in ("eli", "lg", "rdfs", "schema")}
_LAW = """
SELECT ?name ?work ?id ?version ?published ?inforce ?number WHERE {
  ?work a lg:NationalLaw ; rdfs:label ?name ; eli:id_local ?id ; eli:is_realized_by ?version .
  ?version a lg:LawVersion ; eli:date_publication ?published ;
      eli:first_date_entry_in_force ?inforce ; lg:promulgationNumber ?number .
} ORDER BY DESC(?inforce) LIMIT 1
"""
_PROVISIONS = """
SELECT ?version ?pv ?position ?text ?title WHERE {
  ?pv lg:inVersion ?version ; schema:position ?position .
  OPTIONAL { ?pv schema:text ?text }
  OPTIONAL { ?pv eli:title ?title }
}
"""
_CITING = """
SELECT DISTINCT ?target ?s ?p ?label WHERE {
  ?s ?p ?target .
  OPTIONAL { ?s rdfs:label ?label }
}
"""
_KINDS = {"art": "article", "para": "paragraph", "item": "item", "subitem": "subitem"}
_UNITS = {"art": "조", "para": "항", "item": "호"}


def _query(
    store: ox.Store, text: str, **bindings: ox.NamedNode | ox.Literal
) -> list[ox.QuerySolution]:
    subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
        ox.Variable(k): v for k, v in bindings.items()
    }
    result = store.query(
        text, prefixes=_PREFIXES, use_default_graph_as_union=True, substitutions=subs
    )
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def _label(path: str) -> str:
    out = ""
    for step in path.split("/"):
        kind, _, number = step.partition("_")
        main, _, branch = number.partition("-")
        if kind == "subitem":
            out += "가나다라마바사아자차카타파하"[int(main) - 1] + "목"
        else:
            out += f"제{main}{_UNITS.get(kind, '')}" + (f"의{branch}" if branch else "")
    return out


def law_from_store(path: Path, name: str) -> LawText | None:
    """The current version of the national law named ``name`` in the store, or None."""
    store = open_store(path)
    rows = _query(store, _LAW, name=ox.Literal(name, language="ko"))
    if not rows:
        return None
    row = rows[0]
    version = row["version"]
    assert isinstance(version, ox.NamedNode)
    prefix = version.value + "/"
    found = []
    for p in _query(store, _PROVISIONS, version=version):
        iri = p["pv"].value
        if not iri.startswith(prefix) or iri[len(prefix) :].startswith("addendum"):
            continue
        text, title = p["text"], p["title"]
        found.append(
            (
                int(p["position"].value),
                iri[len(prefix) :],
                text.value if text else "",
                title.value if title else "",
            )
        )
    by_path: dict[str, Provision] = {}
    top: list[Provision] = []
    for _, sub, text, title in sorted(found):
        kind, _, number = sub.rpartition("/")[2].partition("_")
        prov = Provision(sub, _KINDS.get(kind, kind), _label(sub), number, text, title)
        by_path[sub] = prov
        parent = by_path.get(sub.rpartition("/")[0])
        (parent.children if parent is not None else top).append(prov)
    meta = {
        "제목": name,
        "법령ID": row["id"].value,
        "공포일자": row["published"].value,
        "시행일자": row["inforce"].value,
        "공포번호": row["number"].value,
    }
    return LawText(path / version.value.rpartition("/law/")[2], meta, name, top, "")


def citing(path: Path, targets: list[str]) -> list[tuple[str, str, str, str]]:
    """(target, subject, predicate, subject label) for what in the store points at targets."""
    store = open_store(path)
    out = []
    for target in targets:
        for row in _query(store, _CITING, target=ox.NamedNode(target)):
            label = row["label"]
            out.append((target, row["s"].value, row["p"].value, label.value if label else ""))
    return out
