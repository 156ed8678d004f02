"""SVG pictures drawn from the graph by Graphviz: citations, timeline, organisation chart.

The citation neighbourhood of a provision or a law, the bill's timeline, the organisation
chart of the AI departments with their projects.

The DOT source is written by the ``graphviz`` package (which quotes every label) from the
rows of a SPARQL query on the server's backend, and drawn by Debian's ``dot -Tsvg`` in a
subprocess with a time limit and a cap on its output; a picture is never drawn by hand.
The SVG is served as an image (``<img>``), so nothing in it runs in the page.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Iterable

import graphviz

from legigraph.errors import EngineError
from legigraph.serve.pages import SPARQL_PREFIXES, anywhere

DOT_TIMEOUT = 10.0  # seconds dot may take on one picture
MAX_SVG = 4 * 2**20  # bytes of SVG one picture may be
MAX_EDGES = 150  # edges drawn in a citation neighbourhood
FONT = "NanumGothic"  # Debian's fonts-nanum, installed with the browser by scripts/setup

# The IRI is bound in each branch (a VALUES before the UNION is not pushed into it: Oxigraph
# then walked eli:is_part_of* between every pair, 2 s on a national store of 1.2 million
# triples), and the law of each provision drawn is asked for the nodes found (as an
# OPTIONAL here, eli:is_part_of+ was walked from every node of the store: 21 s).
CITATIONS = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?s ?o ?s_label ?o_label WHERE {{
{
    anywhere('''
  { VALUES ?x { UNDEF } ?p eli:is_part_of* ?x . ?p eli:cites ?o BIND (?p AS ?s) }
  UNION { VALUES ?x { UNDEF } ?p eli:is_part_of* ?x . ?p eli:cites ?s . ?s eli:cites ?o }
  UNION { VALUES ?x { UNDEF } ?p eli:is_part_of* ?x . ?s eli:cites ?p BIND (?p AS ?o) }
  UNION { VALUES ?x { UNDEF } ?p eli:is_part_of* ?x . ?o eli:cites ?p . ?s eli:cites ?o }
  OPTIONAL { ?s rdfs:label ?s_label FILTER (LANG(?s_label) = "ko") }
  OPTIONAL { ?o rdfs:label ?o_label FILTER (LANG(?o_label) = "ko") }''')
}
}} LIMIT {MAX_EDGES}"""
WORKS = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?n ?work WHERE {{
{
    anywhere('''VALUES ?n { UNDEF } ?n eli:is_part_of+ ?w .
  ?w rdfs:label ?work FILTER (LANG(?work) = "ko") FILTER NOT EXISTS { ?w eli:is_part_of ?above }''')
}
}}"""
_PROJECT = """OPTIONAL { ?project rdfs:label ?project_label
    FILTER (LANG(?project_label) = "ko") }"""
_PARENT = """OPTIONAL { ?parent rdfs:label ?parent_label FILTER (LANG(?parent_label) = "ko") }"""
ORGANISATION = f"""{SPARQL_PREFIXES}
SELECT DISTINCT ?parent ?parent_label ?unit ?unit_label ?project ?project_label ?role WHERE {{
{
    anywhere(f'''
  {{ ?project a lg:AIProject ; lg:leadDepartment ?unit BIND ("lead" AS ?role) {_PROJECT} }}
  UNION {{ ?project a lg:AIProject ; lg:implementingBody ?unit BIND ("implementing" AS ?role)
    FILTER NOT EXISTS {{ ?project lg:leadDepartment ?unit }} {_PROJECT} }}
  UNION {{ ?any a lg:AIProject ; lg:leadDepartment|lg:implementingBody ?below .
          ?unit org:hasUnit+ ?below . ?parent org:hasUnit ?unit {_PARENT} }}
  UNION {{ ?any a lg:AIProject ; lg:leadDepartment|lg:implementingBody ?unit .
          ?parent org:hasUnit ?unit {_PARENT} }}
  OPTIONAL {{ ?unit rdfs:label ?unit_label FILTER (LANG(?unit_label) = "ko") }}''')
}
}}"""


class Picture:
    """A directed graph to draw: nodes with labels and links, edges, drawn by ``dot``."""

    def __init__(self, name: str, *, rankdir: str = "LR") -> None:
        self.dot = graphviz.Digraph(name, graph_attr={"rankdir": rankdir, "fontname": FONT},
                                    node_attr={"fontname": FONT, "fontsize": "11",
                                               "shape": "box", "style": "rounded"},
                                    edge_attr={"fontname": FONT, "fontsize": "9"})  # fmt: skip
        self.nodes: dict[str, str] = {}  # key (an IRI) → DOT node id (n0, n1 …: no ports)

    def node(self, key: str, label: str, href: str | None = None, **attrs: str) -> None:
        """A node once per key; ``label``'s lines shown as written (no DOT escapes)."""
        if key in self.nodes:
            return
        label = "\\n".join(graphviz.escape(line) for line in label.split("\n"))
        self.nodes[key] = f"n{len(self.nodes)}"
        if href:
            attrs["href"] = href
            attrs["target"] = "_top"
        self.dot.node(self.nodes[key], label, tooltip=key, **attrs)

    def edge(self, tail: str, head: str, label: str = "", **attrs: str) -> None:
        self.dot.edge(self.nodes[tail], self.nodes[head], graphviz.escape(label), **attrs)

    def svg(self) -> bytes:
        return draw(self.dot.source)


@functools.lru_cache(maxsize=64)
def draw(source: str) -> bytes:
    """``dot -Tsvg`` of ``source``, within :data:`DOT_TIMEOUT` and :data:`MAX_SVG`.

    The same source gives the same picture, so the last ones drawn are kept (the source
    is read from the store on every request: a changed graph is a new source).
    """
    dot = shutil.which("dot")
    if dot is None:
        raise EngineError("Graphviz's dot is not installed (scripts/setup installs graphviz)")
    try:
        done = subprocess.run([dot, "-Tsvg"], input=source.encode("utf-8"), capture_output=True,
                              timeout=DOT_TIMEOUT, check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        raise EngineError(f"dot took more than {DOT_TIMEOUT:g} s on a picture") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise EngineError(f"dot failed: {message}")
    if len(done.stdout) > MAX_SVG:
        raise EngineError(f"the picture is over {MAX_SVG // 2**20} MiB")
    return done.stdout


def short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def citation_picture(center: str, rows: Iterable[dict[str, str]], href: dict[str, str],
                     works: dict[str, str]) -> Picture:  # fmt: skip
    """What ``center`` cites and what cites it, two steps each way.

    ``center`` is a provision or a law (through its parts); each provision is labelled
    with its law (``works``: IRI → the law's label, from :data:`WORKS`), ``center``'s own
    are filled.
    """
    picture = Picture("citations")
    for row in rows:
        for end in ("s", "o"):
            iri = row[end]
            label = " ".join(x for x in (works.get(iri, ""), row.get(f"{end}_label", ""))
                             if x) or iri.rsplit("/", 1)[-1]  # fmt: skip
            inside = iri == center or iri.startswith(center + "/")
            picture.node(
                iri,
                short(label, 40),
                href.get(iri),
                **({"style": "rounded,filled", "fillcolor": "#fde68a"} if inside else {}),
            )
        picture.edge(row["s"], row["o"], "인용")
    return picture


def timeline_picture(events: Iterable[tuple[str, str, str, str | None]]) -> Picture:
    """The bill's steps left to right: (key, date, what, link) each."""
    picture = Picture("timeline")
    previous = None
    for key, date, what, href in events:
        picture.node(key, f"{date or '(일자 없음)'}\n{what}", href,
                     style="rounded,filled", fillcolor="#dbeafe")  # fmt: skip
        if previous is not None:
            picture.edge(previous, key)
        previous = key
    return picture


def organisation_picture(rows: Iterable[dict[str, str]], href: dict[str, str]) -> Picture:
    """The units of the AI projects, the offices above them, and the projects.

    A unit leads a project (a solid edge) or implements it (dashed).
    """
    picture = Picture("organisation", rankdir="LR")
    edges: set[tuple[str, str, str]] = set()
    for row in rows:
        unit = row["unit"]
        picture.node(unit, short(row.get("unit_label", unit)), href.get(unit))
        if "parent" in row:
            parent = row["parent"]
            picture.node(parent, short(row.get("parent_label", parent)), href.get(parent),
                         style="rounded,filled", fillcolor="#e5e7eb")  # fmt: skip
            edges.add((parent, unit, ""))
        if "project" in row:
            project = row["project"]
            picture.node(project, short(row.get("project_label", project), 24), href.get(project),
                         shape="note", style="filled", fillcolor="#dcfce7")  # fmt: skip
            edges.add((unit, project, row.get("role", "")))
    for tail, head, role in sorted(edges):
        picture.edge(tail, head, **({"style": "dashed"} if role == "implementing" else {}))
    return picture
