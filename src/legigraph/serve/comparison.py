"""An amendment's 신구조문대비표: read from the graph, laid out by :mod:`legigraph.draft.compare`.

The table is the one of the article the amendment changes, as bills print it: the article's
version before the amending act (현행) beside its version after (개정안), with every change
the act makes in that article (an inserted item, a renumbered one) and the changed words
marked. The two versions and their provisions come from the store; which provision of the
new version continues which of the old one comes from the act's amendments
(``lg:provisionBefore`` → ``lg:provisionAfter``), so that a renumbered item is compared
with itself and an inserted one reads "<신 설>".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node as Term

from legigraph.amendments import Node
from legigraph.draft.compare import Row, article_rows
from legigraph.query.saved import Result
from legigraph.serve.pages import SPARQL_PREFIXES, anywhere, values

ACT = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?other ?before ?after WHERE {{
{
    anywhere('''VALUES ?x { UNDEF } ?x lg:amendingAct ?act . ?other lg:amendingAct ?act .
  OPTIONAL { ?other lg:provisionBefore ?before }
  OPTIONAL { ?other lg:provisionAfter ?after }''')
}
}}"""
ARTICLES = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?side ?own ?article ?version ?date WHERE {{
{
    anywhere('''VALUES ?x { UNDEF }
  { ?x lg:provisionBefore ?pv BIND ("before" AS ?side) }
  UNION { ?x lg:provisionAfter ?pv BIND ("after" AS ?side) }
  ?pv dcterms:isPartOf* ?own . ?own dcterms:isPartOf ?own_version .
  ?own_version eli:version_date ?own_date . ?own eli:realizes ?work .
  ?article eli:realizes ?work ; dcterms:isPartOf ?version . ?version eli:version_date ?date''')
}
}} ORDER BY ?date"""
TREE = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?top ?d ?parent ?pos ?title ?text WHERE {{
{
    anywhere('''VALUES ?top { UNDEF } ?d dcterms:isPartOf* ?top .
  OPTIONAL { ?d dcterms:isPartOf ?parent }
  OPTIONAL { ?d schema:position ?pos }
  OPTIONAL { ?d eli:title ?title }
  OPTIONAL { ?d schema:text ?text }''')
}
}}"""

Run = Callable[[str], Awaitable[Result]]


@dataclass
class Comparison:
    """The table of one article: the two versions' dates and the rows."""

    before: str  # the dates of the two versions
    after: str
    rows: list[Row]


def _relative(iri: str, version: str) -> str:
    return iri[len(version) + 1 :] if iri.startswith(version + "/") else iri


async def comparison(amendment: str, run: Run) -> Comparison | None:
    """The 신구조문대비표 of the article ``amendment`` changes; None if the graph lacks it."""
    term = URIRef(amendment)
    sides = (await run(ARTICLES.replace("VALUES ?x { UNDEF }", values("x", [term])))).rows
    before = {str(r["date"]): (str(r["article"]), str(r["version"])) for r in sides}
    after_rows = [r for r in sides if str(r["side"]) == "after"]
    if not before:
        return None
    # the article's version that the act made (or the newest), and the one before it
    dates = sorted(before)
    made = {str(r["own"]) for r in after_rows}
    new_date = next((d for d in dates if before[d][0] in made), dates[-1])
    old_dates = [d for d in dates if d < new_date]
    old_date = old_dates[-1] if old_dates else None
    tops = [before[new_date]] + ([before[old_date]] if old_date else [])
    moves: dict[str, str] = {}  # path after → path before, for what the act moved or inserted
    for row in (await run(ACT.replace("VALUES ?x { UNDEF }", values("x", [term])))).rows:
        new_pv, old_pv = row.get("after"), row.get("before")
        if new_pv is None:
            continue
        new_path = _relative(str(new_pv), before[new_date][1])
        if old_pv is None:
            moves[new_path] = "new:" + new_path
        elif old_date is not None:
            moves[new_path] = _relative(str(old_pv), before[old_date][1])
    query = TREE.replace("VALUES ?top { UNDEF }",
                         values("top", [URIRef(article) for article, _ in tops]))  # fmt: skip
    rows = (await run(query)).rows
    old = _tree(rows, *before[old_date], {}) if old_date else None
    new = _tree(rows, *before[new_date], moves)
    if new is None:
        return None
    return Comparison(old_date or "", new_date, article_rows(old, new))


def _tree(rows: Sequence[Mapping[str, Term]], top: str, version: str,
          moves: dict[str, str]) -> Node | None:  # fmt: skip
    """The article ``top`` (of ``version``) as a tree of nodes, children in order."""
    nodes: dict[str, Node] = {}
    parents: dict[str, str] = {}
    order: dict[str, int] = {}
    for row in rows:
        if str(row["top"]) != top:
            continue
        iri = str(row["d"])
        if iri in nodes:
            continue
        path = _relative(iri, version)
        text, title = row.get("text"), row.get("title")
        nodes[iri] = Node(path, "" if text is None else str(text),
                          "" if title is None else str(title),
                          identity=moves.get(path, path))  # fmt: skip
        pos = row.get("pos")
        order[iri] = int(pos.toPython()) if isinstance(pos, Literal) else 0
        if "parent" in row and iri != top:
            parents[iri] = str(row["parent"])
    for iri in sorted(nodes, key=lambda i: order[i]):
        parent = parents.get(iri)
        if parent in nodes:
            nodes[parent].children.append(nodes[iri])
    return nodes.get(top)
