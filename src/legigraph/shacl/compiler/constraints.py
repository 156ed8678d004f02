"""The shapes graph as the compiler reads it.

Shapes, property paths in SPARQL, and SPARQL-based constraints and targets (checked for
what pre-binding and a join would read differently).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue, Expr
from rdflib.term import Node, Variable

from legigraph.model.namespaces import SH
from legigraph.shacl.compiler.terms import (
    BASE_DECL,
    PREFIX_DECL,
    SELECT_HEAD,
    UnsupportedShape,
    qname,
)

# --- the shapes graph --------------------------------------------------------------------


@dataclass
class Shape:
    """One shape of the shapes graph, with what the compiler needs of it."""

    node: Node
    graph: Graph
    path: Node | None
    messages: tuple[Literal, ...]
    severity: Node
    deactivated: bool

    @property
    def is_property(self) -> bool:
        return self.path is not None

    def values(self, parameter: URIRef) -> list[Node]:
        return sorted(self.graph.objects(self.node, parameter), key=lambda n: n.n3())

    def value(self, parameter: URIRef) -> Node | None:
        found = self.values(parameter)
        if len(found) > 1:
            raise UnsupportedShape(self.node, f"more than one {qname(parameter)}")
        return found[0] if found else None

    def items(self, parameter: URIRef) -> list[Node]:
        lst = self.value(parameter)
        if lst is None:
            return []
        try:
            return list(Collection(self.graph, lst))
        except Exception as exc:
            raise UnsupportedShape(self.node, f"{qname(parameter)} is not an RDF list") from exc


def path_sparql(graph: Graph, path: Node, shape: Node | None = None) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if not isinstance(path, BNode):
        raise UnsupportedShape(shape, f"sh:path {path.n3()} is not an IRI or a path")
    if graph.value(path, RDF.first) is not None:
        parts = [path_sparql(graph, p, shape) for p in Collection(graph, path)]
        return "(" + "/".join(parts) + ")"
    for predicate, template in (
        (SH.inversePath, "^({})"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(path_sparql(graph, inner, shape))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        parts = [path_sparql(graph, p, shape) for p in Collection(graph, alternatives)]
        return "(" + "|".join(parts) + ")"
    raise UnsupportedShape(shape, "unknown kind of property path")


@dataclass
class SparqlConstraint:
    """One sh:sparql SELECT constraint, rewritten to find the violations of all focus nodes."""

    node: Node
    prefixes: dict[str, str]
    head: str  # "SELECT [DISTINCT] <projection>"
    body: str  # the WHERE group after its opening brace
    projection: tuple[str, ...] | None  # None: SELECT *
    messages: tuple[Literal, ...]
    hint: str = ""  # VALUES for a variable the query's own FILTER fixes (a faster plan)
    algebra: Any = None  # rdflib's parse of the original query (for legigraph.shacl.context)


def _collect_prefixes(graph: Graph, node: Node) -> dict[str, str]:
    """The prefixes pySHACL declares for a SPARQL query node (``collect_prefixes``)."""
    prefixes = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
    named = set(graph.objects(graph.identifier, SH.declare))
    ontologies = set(graph.subjects(RDF.type, OWL.Ontology))
    everywhere = named | {d for o in ontologies for d in graph.objects(o, SH.declare)}
    for value in graph.objects(node, SH.prefixes):
        own = set(graph.objects(value, SH.declare))
        declares = own | named if own and value in ontologies else everywhere | own
        for declare in declares:
            prefix = graph.value(declare, SH.prefix)
            namespace = graph.value(declare, SH.namespace)
            if prefix is None or namespace is None:
                raise UnsupportedShape(node, "sh:declare without sh:prefix and sh:namespace")
            prefixes[str(prefix)] = str(namespace)
    return prefixes


def _split_prologue(text: str, owner: Node) -> tuple[dict[str, str], str]:
    """The PREFIX declarations at the start of a query, and the rest."""
    prefixes: dict[str, str] = {}
    while True:
        match = PREFIX_DECL.match(text)
        if match:
            prefixes[match.group(1)] = match.group(2)
            text = text[match.end() :]
            continue
        if BASE_DECL.match(text):
            raise UnsupportedShape(owner, "BASE in a SPARQL query")
        return prefixes, text


def _walk(node: Any) -> Iterator[Any]:
    """Every CompValue, Expr and list item below ``node`` (algebra and parse trees)."""
    yield node
    if isinstance(node, CompValue | Expr | dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value)


def _mentions_this(node: Any) -> bool:
    return any(isinstance(n, Variable) and str(n) == "this" for n in _walk(node))


_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)


def _this_in_nested_expression(where: str) -> bool:
    """Whether $this is read by a FILTER or BIND inside a group nested in the WHERE group.

    Read from the query text, whose groups rdflib's algebra flattens: ``{ { FILTER ($this
    = ex:x) } }`` is a nested group where pre-binding sees $this and a join does not. Inside
    EXISTS the variable is substituted in both readings, so those groups are not counted.
    """
    text = _LEXEMES.sub(" ", where)  # strings, IRIs and comments hold no syntax
    depth, exists, pending_exists = 0, [], False
    i = 0
    while i < len(text):
        char = text[i]
        if char == "{":
            depth += 1
            exists.append(pending_exists)
            pending_exists = False
        elif char == "}":
            depth -= 1
            if exists:
                exists.pop()
        else:
            word = re.match(r"[A-Za-z]+", text[i:]) if text[i].isalpha() else None
            if word:
                keyword = word.group(0).upper()
                if keyword == "EXISTS":
                    pending_exists = True
                elif keyword in ("FILTER", "BIND") and depth >= 2 and not any(exists):
                    rest = text[i + len(keyword) :]
                    expression = re.match(r"\s*(?:[\w:]*\s*)\(", rest)
                    if expression:
                        start, level, j = i + len(keyword) + expression.end(), 1, 0
                        for j in range(start, len(text)):
                            level += {"(": 1, ")": -1}.get(text[j], 0)
                            if level == 0:
                                break
                        if re.search(r"[?$]this\b", text[start:j]):
                            return True
                i += len(keyword)
                continue
        i += 1
    return False


def _check_select(algebra: Any, owner: Node) -> None:
    """Refuse what cannot be evaluated for all focus nodes at once like pre-binding does.

    pySHACL pre-binds $this; here the focus pattern is joined at the start of the WHERE
    group. The two agree unless $this is read where the join has not bound it yet: in an
    expression of a nested group or a UNION branch, or in a sub-query; and aggregates,
    LIMIT, MINUS, VALUES and SERVICE would apply across focus nodes.
    """
    refused = {
        "Minus": "MINUS",
        "ToMultiSet": "VALUES",
        "ServiceGraphPattern": "SERVICE",
        "Group": "GROUP BY or an aggregate",
        "AggregateJoin": "GROUP BY or an aggregate",
        "Slice": "LIMIT/OFFSET",
        "OrderBy": "ORDER BY",
        "Graph": "GRAPH",
    }
    main = algebra.algebra.p
    while isinstance(main, CompValue) and main.name in ("Distinct", "Reduced", "Project"):
        main = main.p
    nodes = [n for n in _walk(main) if isinstance(n, CompValue)]
    if any(n.name in ("Project", "SelectQuery", "SubSelect") for n in nodes):
        raise UnsupportedShape(owner, "a sub-query in a SPARQL constraint")
    for node in nodes:
        if node.name in refused:
            raise UnsupportedShape(owner, f"{refused[node.name]} in a SPARQL constraint")
        if node.name == "Extend" and str(node.var) == "this":
            raise UnsupportedShape(owner, "AS ?this in a SPARQL constraint")

    def nested(node: Any, top: bool) -> None:
        if not isinstance(node, CompValue):
            return
        if node.name in ("Filter", "Extend") and not top and _mentions_this(node.expr):
            raise UnsupportedShape(owner, "$this in an expression of a nested group")
        expressions = [n.get("expr") for n in _walk(node) if isinstance(n, CompValue)]
        if node.name == "Union" and _mentions_this(expressions):
            raise UnsupportedShape(owner, "$this in an expression inside UNION")
        children: list[tuple[Any, bool]] = []
        if node.name in ("Filter", "Extend"):
            children = [(node.p, top)]
        elif node.name == "Join" or node.name == "LeftJoin":
            children = [(node.p1, top), (node.p2, False)]
        elif node.name == "Union":
            children = [(node.p1, False), (node.p2, False)]
        elif node.name in ("Distinct", "Reduced", "Project"):
            children = [(node.p, top)]
        for child, child_top in children:
            nested(child, child_top)

    nested(main, True)


def _values_hint(algebra: Any) -> str:
    """VALUES for the variables a top-level FILTER fixes to IRIs.

    ``?path = lg:x`` or ``?path IN (lg:x, lg:y)``, where a triple pattern of the group
    always binds ``?path``.

    Joining those VALUES gives the same solutions (the FILTER stays) and lets Oxigraph look
    the triples up instead of scanning every triple of the focus node.
    """
    main = algebra.algebra.p
    while isinstance(main, CompValue) and main.name in ("Distinct", "Reduced", "Project"):
        main = main.p
    if not (isinstance(main, CompValue) and main.name == "Filter"):
        return ""
    bound: set[Variable] = set()

    def collect(node: Any) -> None:
        if not isinstance(node, CompValue):
            return
        if node.name == "BGP":
            bound.update(t for triple in node.triples for t in triple if isinstance(t, Variable))
        elif node.name == "Join":
            collect(node.p1)
            collect(node.p2)
        elif node.name in ("Extend", "Filter") or (node.name == "LeftJoin"):
            collect(node.p if node.name != "LeftJoin" else node.p1)

    collect(main.p)
    expr = main.expr
    conjuncts = (
        [expr]
        if getattr(expr, "name", "") != "ConditionalAndExpression"
        else [expr.expr, *expr.other]
    )
    hints = []
    for c in conjuncts:
        if getattr(c, "name", "") != "RelationalExpression":
            continue
        var, values = None, []
        if c.op == "=" and isinstance(c.expr, Variable) and isinstance(c.other, URIRef):
            var, values = c.expr, [c.other]
        elif c.op == "=" and isinstance(c.other, Variable) and isinstance(c.expr, URIRef):
            var, values = c.other, [c.expr]
        elif (
            c.op == "IN"
            and isinstance(c.expr, Variable)
            and c.other
            and all(isinstance(v, URIRef) for v in c.other)
        ):
            var, values = c.expr, list(c.other)
        if var is not None and var in bound and str(var) != "this":
            hints.append(f"VALUES ?{var} {{ {' '.join(f'<{v}>' for v in values)} }}")
    return " ".join(hints)


PATH_TRIPLE = re.compile(
    r"(?P<pre>[{.]\s*)(?P<s>[?$]\w+)\s+"
    r"(?P<p>(?:<[^>\s]*>|[A-Za-z][\w\-.]*:[\w\-]*)(?:/(?:<[^>\s]*>|[A-Za-z][\w\-.]*:[\w\-]*))*[+*])"
    r"\s+(?P<o>[?$]\w+|<[^>\s]*>|[A-Za-z][\w\-.]*:[\w\-]*)\s*(?P<end>\.|(?=}))"
)


def _lateral_paths(body: str) -> str:
    """Wrap each statement ``?s path+ ?o .`` in ``LATERAL { … }``.

    A triple pattern joined laterally gives the same solutions as joined plainly, but
    Oxigraph then follows the path from the bindings of the patterns before it; joined
    plainly inside FILTER (NOT) EXISTS it computes the whole closure of the path first.
    """
    return PATH_TRIPLE.sub(
        lambda m: f"{m['pre']}LATERAL {{ {m['s']} {m['p']} {m['o']} }} {m['end']}", body
    )


def parse_sparql_constraint(shape: Shape, node: Node) -> SparqlConstraint:
    """Read one sh:sparql constraint of ``shape``."""
    g = shape.graph
    selects = list(g.objects(node, SH.select))
    if list(g.objects(node, SH.ask)) or len(selects) != 1:
        raise UnsupportedShape(
            shape.node, "sh:sparql needs exactly one sh:select (ASK is not compiled)"
        )
    text = str(selects[0])
    for variable in ("shapesGraph", "currentShape"):
        if re.search(rf"[?$]{variable}\b", text):
            raise UnsupportedShape(shape.node, f"${variable} in a SPARQL constraint")
    if shape.path is not None:
        path = path_sparql(g, shape.path, shape.node)
        text = re.sub(r"([\s{}()])[$?]PATH", lambda m: m.group(1) + path, text)
    elif re.search(r"[$?]PATH\b", text):
        raise UnsupportedShape(shape.node, "$PATH in a SPARQL constraint of a node shape")
    prefixes = _collect_prefixes(g, node)
    own, rest = _split_prologue(text, shape.node)
    prefixes.update(own)
    head = SELECT_HEAD.match(rest)
    if head is None:
        raise UnsupportedShape(shape.node, "sh:select is not a SELECT query with a WHERE group")
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    try:
        algebra = translateQuery(parseQuery(prologue + rest))
    except Exception as exc:
        raise UnsupportedShape(shape.node, f"SPARQL syntax error: {exc}") from exc
    _check_select(algebra, shape.node)
    if _this_in_nested_expression(rest):
        raise UnsupportedShape(shape.node, "$this in an expression of a nested group")
    projection_text = head.group(2).strip()
    projection = None if projection_text == "*" else tuple(str(v) for v in algebra.algebra.PV)
    if projection_text != "*" and not re.fullmatch(r"([?$]\w+\s*)+", projection_text):
        raise UnsupportedShape(shape.node, "expressions in the SELECT clause of a constraint")
    if projection is not None and "failure" in projection:
        raise UnsupportedShape(shape.node, "?failure in a SPARQL constraint")
    messages = tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal))
    return SparqlConstraint(
        node=node,
        prefixes=prefixes,
        head="SELECT " + (head.group(1) or "") + projection_text,
        body=_lateral_paths(rest[head.end() :]),
        projection=projection,
        messages=messages,
        hint=_values_hint(algebra),
        algebra=algebra,
    )
