"""SPARQL expressions for value-level constraints and conformance to a nested shape.

sh:class, sh:datatype, sh:pattern, sh:in … as boolean expressions that never raise an
error, and group patterns where a join is faster than a filter.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from legigraph.model.namespaces import SH
from legigraph.shacl.compiler.constraints import Shape, path_sparql
from legigraph.shacl.compiler.shapes import SparqlShapes, Vars
from legigraph.shacl.compiler.terms import (
    COMPONENT,
    FN_REGEX,
    FN_WELL_TYPED,
    NODE_KINDS,
    STRING_TYPES,
    UNSAFE_REGEX,
    VALUE_PARAMS,
    UnsupportedShape,
    oxigraph_regex_ok,
    qname,
    sparql_string,
    sparql_term,
)


class Expressions:
    """The expressions and patterns of value-level constraints.

    The base of :class:`legigraph.shacl.compiler.checks.Compiler`: each method returns a
    boolean expression that never raises an error, or a group pattern.
    """

    def __init__(self, shapes: SparqlShapes, classes: dict[Node, set[Node]]):
        self.s = shapes
        self.classes = classes
        self.var = Vars()
        self.prefixes: dict[str, str] = {}

    # expressions: each returns a SPARQL boolean expression that never raises an error

    def instance_of(self, v: str, cls: Node, owner: Node) -> str:
        below = self.classes.get(cls, {cls})
        if any(isinstance(c, BNode) for c in below) or isinstance(cls, BNode):
            return f"EXISTS {{ {v} <{RDF.type}>/<{RDFS.subClassOf}>* {sparql_term(cls, owner)} }}"
        t = self.var("t")
        values = " ".join(sparql_term(c, owner) for c in sorted(below, key=str))
        return f"EXISTS {{ VALUES {t} {{ {values} }} {v} <{RDF.type}> {t} }}"

    def datatype(self, v: str, datatype: Node, owner: Node) -> str:
        # (no isLiteral(): on an IRI these raise an error, which COALESCE turns into false)
        if datatype == RDF.langString:
            return f'(LANG({v}) != "")'
        if datatype == RDFS.Literal:
            return f"isLiteral({v})"
        dt = sparql_term(datatype, owner)
        if datatype == XSD.string:
            return f"(DATATYPE({v}) = {dt})"
        if datatype in (XSD.integer, XSD.decimal):
            well_typed = f"IF(isNumeric({v}), true, <{FN_WELL_TYPED}>({v}))"
        else:
            well_typed = f"<{FN_WELL_TYPED}>({v})"
        return f"(DATATYPE({v}) = {dt} && COALESCE({well_typed}, false))"

    def pattern(self, v: str, pattern: Literal, flags: str) -> str:
        text = str(pattern)
        key = (text, flags)
        if key not in self.s.regex_native:
            self.s.regex_native[key] = (
                not flags and not UNSAFE_REGEX.search(text) and oxigraph_regex_ok(text, flags)
            )
        python = f"<{FN_REGEX}>(STR({v}), {sparql_string(text)}, {sparql_string(flags)})"
        if self.s.regex_native[key]:
            native = f"REGEX(STR({v}), {sparql_string(text)})"
            test = f'IF(CONTAINS(STR({v}), "\\n"), {python}, {native})'
        else:
            test = python
        return f"COALESCE({test}, false)"  # STR() of a blank node is an error: false

    def language_in(self, v: str, languages: list[Node], owner: Node) -> str:
        wanted = {str(lang).lower() for lang in languages}
        for lang in languages:
            if not isinstance(lang, Literal):
                raise UnsupportedShape(owner, "sh:languageIn holds a non-literal")
        if "*" in wanted:
            return f'(LANG({v}) != "")'
        listed = ", ".join(sparql_string(w) for w in sorted(wanted))
        tag = f"LCASE(LANG({v}))"
        first = f'STRBEFORE(CONCAT({tag}, "-"), "-")'
        return f"IF({tag} IN ({listed}), true, {first} IN ({listed}))"

    def stringy(self, v: str) -> str:
        types = ", ".join(f"<{t}>" for t in STRING_TYPES)
        return f"(isIRI({v}) || (isLiteral({v}) && DATATYPE({v}) IN ({types})))"

    def min_inclusive(self, v: str, minimum: Literal, owner: Node) -> str:
        m = sparql_term(minimum, owner)
        if isinstance(minimum.toPython(), str):
            return f"(isLiteral({v}) && {self.stringy(v)} && STR({v}) >= STR({m}))"
        return f"COALESCE(!{self.stringy(v)} && {v} >= {m}, false)"

    def less_or_equal(self, a: str, b: str) -> str:
        both = f"({self.stringy(a)} && {self.stringy(b)} && STR({a}) <= STR({b}))"
        neither = f"(!{self.stringy(a)} && !{self.stringy(b)} && COALESCE({a} <= {b}, false))"
        return f"({both} || {neither})"

    def value_condition(
        self, shape: Shape, parameter: URIRef, value: Node, v: str, depth: int
    ) -> str:
        owner = shape.node
        if parameter == SH["class"]:
            return self.instance_of(v, value, owner)
        if parameter == SH.datatype:
            return self.datatype(v, value, owner)
        if parameter == SH.nodeKind:
            if not (isinstance(value, URIRef) and value in NODE_KINDS):
                raise UnsupportedShape(owner, f"sh:nodeKind {qname(value)}")
            return NODE_KINDS[value].format(v=v)
        if parameter == SH.pattern:
            flags = shape.value(SH.flags)
            assert isinstance(value, Literal)
            return self.pattern(v, value, str(flags) if flags is not None else "")
        if parameter == SH.languageIn:
            return self.language_in(v, shape.items(SH.languageIn), owner)
        if parameter == SH["in"]:
            members = [f"sameTerm({v}, {sparql_term(m, owner)})" for m in shape.items(SH["in"])]
            return "(" + (" || ".join(members) or "false") + ")"
        if parameter == SH.minInclusive:
            assert isinstance(value, Literal)
            return self.min_inclusive(v, value, owner)
        if parameter == SH.node:
            return self.conforms(self.s.shapes[value], v, depth + 1)
        if parameter == SH["or"]:
            alternatives = list(Collection(shape.graph, value))
            options = [self.conforms(self.s.shapes[m], v, depth + 1) for m in alternatives]
            return "(" + (" || ".join(options) or "false") + ")"
        raise UnsupportedShape(owner, f"{qname(parameter)} is not compiled")

    def value_conditions(self, shape: Shape, v: str, depth: int) -> list[tuple[URIRef, str]]:
        """(component, expression) for each value-level constraint of ``shape``."""
        found = []
        for parameter in VALUE_PARAMS:
            values = shape.values(parameter)
            if parameter in (SH.languageIn, SH["in"]) and values:
                values = values[:1]
            for value in values:
                found.append(
                    (COMPONENT[parameter], self.value_condition(shape, parameter, value, v, depth))
                )
        return found

    def condition_pattern(self, shape: Shape, v: str) -> str | None:
        """A group pattern that matches exactly when ``v`` meets the constraint, or None.

        For a shape whose only value-level constraint is one sh:class, sh:node or sh:or.
        """
        found = [(p, val) for p in (SH["class"], SH.node, SH["or"]) for val in shape.values(p)]
        if len(found) != 1:
            return None
        parameter, value = found[0]
        if parameter == SH["class"]:
            return self.type_pattern(v, value)
        if parameter == SH.node:
            return self.shape_pattern(self.s.shapes[value], v, 0)
        options = [
            self.shape_pattern(self.s.shapes[m], v, 0) for m in Collection(shape.graph, value)
        ]
        if not options or any(o is None for o in options):
            return None
        return "{ " + " UNION ".join(o for o in options if o) + " }"

    def type_pattern(self, v: str, cls: Node) -> str | None:
        below = self.classes.get(cls, {cls})
        if any(isinstance(c, BNode) for c in below | {cls}):
            return None
        t = self.var("t")
        types = " ".join(sparql_term(c) for c in sorted(below, key=str))
        return f"{{ VALUES {t} {{ {types} }} {v} <{RDF.type}> {t} }}"

    def shape_pattern(self, shape: Shape, v: str, depth: int) -> str | None:
        """A group pattern that matches exactly when ``v`` conforms to ``shape``, or None.

        For a shape that only asks for types, values (sh:hasValue) and a first value
        (sh:minCount 1), itself or through sh:node and sh:property.
        """
        annotations = {SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group,
                       SH.defaultValue, SH.path}  # fmt: skip
        g = shape.graph
        used = {p for p in g.predicates(shape.node, None) if str(p).startswith(str(SH))}
        parts: list[str | None] = []
        if depth > 8 or shape.deactivated:
            return None
        if shape.is_property:
            if used - annotations - {SH.hasValue, SH.minCount}:
                return None
            path = path_sparql(g, shape.path, shape.node)  # type: ignore[arg-type]
            minimum = shape.value(SH.minCount)
            if isinstance(minimum, Literal) and int(minimum) > 1:
                return None
            if isinstance(minimum, Literal) and int(minimum) == 1:
                parts.append(f"{{ {v} {path} {self.var('any')} }}")
            parts += [
                f"{{ {v} {path} {sparql_term(h, shape.node)} }}" for h in shape.values(SH.hasValue)
            ]
        else:
            if used - annotations - {SH["class"], SH.node, SH["or"], SH.property, SH.targetClass}:
                return None
            for lst in shape.values(SH["or"]):
                members = [
                    self.shape_pattern(self.s.shapes[m], v, depth + 1) for m in Collection(g, lst)
                ]
                parts.append(
                    None
                    if not members or None in members
                    else "{ " + " UNION ".join(m for m in members if m) + " }"
                )
            parts += [self.type_pattern(v, c) for c in shape.values(SH["class"])]
            parts += [
                self.shape_pattern(self.s.shapes[n], v, depth + 1) for n in shape.values(SH.node)
            ]
            parts += [
                self.shape_pattern(self.s.shapes[p], v, depth + 1)
                for p in shape.values(SH.property)
            ]
        if not parts or any(p is None for p in parts):
            return None
        return "{ " + " ".join(p for p in parts if p) + " }"

    def distinct(self, values: list[str]) -> str:
        pairs = [f"!sameTerm({a}, {b})" for i, a in enumerate(values) for b in values[i + 1 :]]
        return f"FILTER({' && '.join(pairs)})" if pairs else ""

    def closed_filter(self, shape: Shape, p: str, o: str) -> str:
        allowed = [self.s.shapes[ps].path for ps in shape.values(SH.property)]
        allowed_iris = {a for a in allowed if isinstance(a, URIRef)}
        allowed_iris |= {i for i in shape.items(SH.ignoredProperties) if isinstance(i, URIRef)}
        listed = ", ".join(f"<{a}>" for a in sorted(allowed_iris, key=str))
        not_in = f"{p} NOT IN ({listed})" if listed else "true"
        always = f"sameTerm({p}, <{RDF.type}>) && sameTerm({o}, <{RDFS.Resource}>)"
        return f"FILTER({not_in} && !({always}))"

    def is_closed(self, shape: Shape) -> bool:
        closed = shape.value(SH.closed)
        return isinstance(closed, Literal) and bool(closed.toPython())

    def conforms(self, shape: Shape, x: str, depth: int) -> str:
        """Whether the node bound to ``x`` conforms to ``shape`` (no result at all)."""
        if depth > 16:
            raise UnsupportedShape(shape.node, "recursive shapes are not compiled")
        if shape.deactivated:
            return "true"
        if shape.values(SH.sparql):
            raise UnsupportedShape(
                shape.node,
                "sh:sparql in a shape used through sh:node, sh:or or sh:qualifiedValueShape",
            )
        if shape.is_property:
            path = path_sparql(shape.graph, shape.path, shape.node)  # type: ignore[arg-type]
            return self.property_conforms(shape, x, path, depth)
        parts = [expr for _, expr in self.value_conditions(shape, x, depth)]
        parts += [f"sameTerm({x}, {sparql_term(h, shape.node)})" for h in shape.values(SH.hasValue)]
        if self.is_closed(shape):
            p, o = self.var("p"), self.var("o")
            parts.append(f"NOT EXISTS {{ {x} {p} {o} . {self.closed_filter(shape, p, o)} }}")
        for prop in shape.values(SH.property):
            parts.append(self.conforms(self.s.shapes[prop], x, depth + 1))
        return "(" + " && ".join(f"COALESCE({p}, false)" for p in parts) + ")" if parts else "true"

    def property_conforms(self, shape: Shape, x: str, path: str, depth: int) -> str:
        parts = []
        y = self.var("y")
        conditions = [expr for _, expr in self.value_conditions(shape, y, depth)]
        conditions += [
            self.conforms(self.s.shapes[p], y, depth + 1) for p in shape.values(SH.property)
        ]
        if conditions:
            every = " && ".join(f"COALESCE({c}, false)" for c in conditions)
            parts.append(f"NOT EXISTS {{ {x} {path} {y} . FILTER(!({every})) }}")
        for has in shape.values(SH.hasValue):
            parts.append(f"EXISTS {{ {x} {path} {sparql_term(has, shape.node)} }}")
        minimum, maximum = shape.value(SH.minCount), shape.value(SH.maxCount)
        if isinstance(minimum, Literal) and int(minimum) > 0:
            parts.append(self.at_least(x, path, int(minimum)))
        if isinstance(maximum, Literal):
            parts.append(f"!{self.at_least(x, path, int(maximum) + 1)}")
        if self.unique_lang(shape):
            a, b = self.var("a"), self.var("b")
            parts.append(
                f"NOT EXISTS {{ {x} {path} {a} . {x} {path} {b} . {self.same_lang(a, b)} }}"
            )
        for qualified in shape.values(SH.qualifiedValueShape):

            def good(y: str, q: Node = qualified) -> str:
                return self.qualified_condition(shape, q, y, depth)

            qmin, qmax = shape.value(SH.qualifiedMinCount), shape.value(SH.qualifiedMaxCount)
            if isinstance(qmin, Literal) and int(qmin) > 0:
                parts.append(self.at_least(x, path, int(qmin), good))
            if isinstance(qmax, Literal):
                parts.append(f"!{self.at_least(x, path, int(qmax) + 1, good)}")
        for other in shape.values(SH.lessThanOrEquals):
            a, b = self.var("a"), self.var("b")
            parts.append(
                f"NOT EXISTS {{ {x} {path} {a} . {x} <{other}> {b} . "
                f"FILTER(!{self.less_or_equal(a, b)}) }}"
            )
        if self.is_closed(shape):
            v, p, o = self.var("y"), self.var("p"), self.var("o")
            parts.append(
                f"NOT EXISTS {{ {x} {path} {v} . {v} {p} {o} . {self.closed_filter(shape, p, o)} }}"
            )
        return "(" + " && ".join(f"COALESCE({p}, false)" for p in parts) + ")" if parts else "true"

    def at_least(
        self, x: str, path: str, n: int, condition: Callable[[str], str] | None = None
    ) -> str:
        """EXISTS n distinct values of ``path`` (meeting ``condition``, an expression on a var)."""
        ys = [self.var("y") for _ in range(n)]
        triples = " ".join(f"{x} {path} {y} ." for y in ys)
        tests = [f"COALESCE({condition(y)}, false)" for y in ys] if condition else []
        pairs = [f"!sameTerm({a}, {b})" for i, a in enumerate(ys) for b in ys[i + 1 :]]
        where = " && ".join(tests + pairs)
        return f"EXISTS {{ {triples} {'FILTER(' + where + ')' if where else ''} }}"

    def unique_lang(self, shape: Shape) -> bool:
        value = shape.value(SH.uniqueLang)
        return isinstance(value, Literal) and bool(value.toPython())

    def same_lang(self, a: str, b: str) -> str:
        return (
            f'FILTER(isLiteral({a}) && isLiteral({b}) && LANG({a}) != "" && !sameTerm({a}, {b}) '
            f"&& LCASE(LANG({a})) = LCASE(LANG({b})))"
        )

    def qualified_condition(self, shape: Shape, qualified: Node, v: str, depth: int) -> str:
        """Conforms to the qualified value shape and (if disjoint) to none of its siblings."""
        disjoint = shape.value(SH.qualifiedValueShapesDisjoint)
        siblings: set[Node] = set()
        if isinstance(disjoint, Literal) and disjoint.toPython() is True:
            g = shape.graph
            for parent in g.subjects(SH.property, shape.node):
                for sibling_property in g.objects(parent, SH.property):
                    siblings |= set(g.objects(sibling_property, SH.qualifiedValueShape))
            siblings.discard(qualified)
        main = self.conforms(self.s.shapes[qualified], v, depth + 1)
        others = [self.conforms(self.s.shapes[s], v, depth + 1) for s in sorted(siblings, key=str)]
        return main + "".join(f" && !COALESCE({o}, false)" for o in others)

    # focus nodes
