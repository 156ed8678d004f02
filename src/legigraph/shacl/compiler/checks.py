"""The checks of a validation, and the plan that caches them.

One SPARQL SELECT per constraint of a root shape, for all its focus nodes at once;
:func:`plan` caches them per class hierarchy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from legigraph.model.namespaces import SH
from legigraph.shacl.compiler.constraints import Shape, SparqlConstraint, path_sparql
from legigraph.shacl.compiler.expressions import Expressions
from legigraph.shacl.compiler.shapes import (
    Check,
    Focus,
    Result,
    RootChecks,
    SparqlShapes,
    format_message,
)
from legigraph.shacl.compiler.terms import Row, UnsupportedShape, sparql_term


class Compiler(Expressions):
    """Writes the SPARQL of one validation: the checks of every root shape."""

    def focus_of(self, shape: Shape) -> Callable[[str], str]:
        """The focus nodes of a root shape: the union of its targets, as a pattern on a var."""
        g = self.s.graph
        owner = shape.node
        branches: list[Callable[[str], str]] = []
        classes = list(g.objects(owner, SH.targetClass))
        if owner in self.s.implicit:
            classes.append(owner)
        branches += [partial(self.class_members, cls=c, owner=owner) for c in classes]
        nodes = list(g.objects(owner, SH.targetNode))
        if nodes:
            values = " ".join(sparql_term(n, owner) for n in nodes)
            branches.append(partial(self.values_of, values=values))
        for p in g.objects(owner, SH.targetSubjectsOf):
            branches.append(partial(self.edge, before="", after=f"{sparql_term(p, owner)} ?_"))
        for p in g.objects(owner, SH.targetObjectsOf):
            branches.append(partial(self.edge, before=f"?_ {sparql_term(p, owner)}", after=""))
        for target in g.objects(owner, SH.target):
            branches.append(partial(self.sparql_target, self.s.targets[target]))

        def pattern(x: str) -> str:
            # Not DISTINCT: a node reached twice gives the same rows twice, and rows are
            # deduplicated where results are made (or by DISTINCT where multiplicity counts).
            if len(branches) == 1:
                return f"__FOCUS__{x}__ {branches[0](x)}"
            union = " UNION ".join("{ " + b(x) + " }" for b in branches)
            return f"__FOCUS__{x}__ {union}"

        return pattern

    def values_of(self, x: str, values: str) -> str:
        return f"VALUES {x} {{ {values} }}"

    def edge(self, x: str, before: str, after: str) -> str:
        """A triple pattern with ``x`` between ``before`` and ``after`` (fresh ``?_`` vars)."""
        return re.sub(r"\?_\b", lambda _: self.var("any"), f"{before} {x} {after} .")

    def class_members(self, x: str, cls: Node, owner: Node) -> str:
        below = self.classes.get(cls, {cls})
        if any(isinstance(c, BNode) for c in below) or isinstance(cls, BNode):
            return f"{x} <{RDF.type}>/<{RDFS.subClassOf}>* {sparql_term(cls, owner)} ."
        if len(below) == 1:
            return f"{x} <{RDF.type}> {sparql_term(cls, owner)} ."
        t = self.var("t")
        values = " ".join(sparql_term(c, owner) for c in sorted(below, key=str))
        return f"VALUES {t} {{ {values} }} {x} <{RDF.type}> {t} ."

    def sparql_target(self, target: SparqlConstraint, x: str) -> str:
        self.merge_prefixes(target)
        body = re.sub(r"[$?]this\b", x, target.body)
        head = re.sub(r"[$?]this\b", x, target.head)
        return f"{{ {head} WHERE {{ {body} }}"

    def merge_prefixes(self, constraint: SparqlConstraint) -> None:
        for prefix, namespace in constraint.prefixes.items():
            if self.prefixes.setdefault(prefix, namespace) != namespace:
                raise UnsupportedShape(
                    constraint.node, f"prefix {prefix}: declared with two namespaces"
                )

    def prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(self.prefixes.items()))

    # checks

    def compile(self) -> list[RootChecks]:
        plan = []
        for root in self.s.roots:
            self.prefixes = {}
            focus = Focus(self.focus_of(root))
            checks: list[Check] = []
            self.shape_checks(root, focus, checks, set())
            count = f"SELECT (COUNT(*) AS ?n) WHERE {{ {focus.pattern('?this')} }}"
            plan.append(RootChecks(root.node, self.prologue() + count, checks))
            self.prefixes = {}
        return plan

    def shape_checks(self, shape: Shape, focus: Focus, out: list[Check], seen: set[Node]) -> None:
        """The checks of ``shape`` for the focus nodes ``focus``, then of its property shapes."""
        if shape.deactivated:
            return
        if shape.node in seen:
            raise UnsupportedShape(shape.node, "recursive sh:property is not compiled")
        seen = seen | {shape.node}
        path = path_sparql(shape.graph, shape.path, shape.node) if shape.path is not None else None
        self.value_check(shape, focus, path, out)
        if path is not None:
            self.count_checks(shape, focus, path, out)
            self.has_value_checks(shape, focus, path, out)
            self.unique_lang_check(shape, focus, path, out)
            self.qualified_checks(shape, focus, path, out)
            self.less_or_equal_checks(shape, focus, path, out)
        else:
            for has in shape.values(SH.hasValue):
                self.node_has_value_check(shape, focus, has, out)
        if self.is_closed(shape):
            self.closed_check(shape, focus, path, out)
        for sparql in shape.values(SH.sparql):
            self.sparql_check(shape, focus, self.s.sparql[sparql], out)
        for prop in shape.values(SH.property):
            child = self.s.shapes[prop]
            if path is None:
                self.shape_checks(child, focus, out, seen)
            else:
                parent, depth = focus.pattern, focus.depth + 1

                def nested(
                    x: str, parent: Callable[[str], str] = parent, depth: int = depth
                ) -> str:
                    f = f"?_f{depth}"
                    return f"{{ SELECT DISTINCT {x} WHERE {{ {parent(f)} {f} {path} {x} . }} }}"

                self.shape_checks(child, Focus(nested, depth), out, seen)

    def messages(self, shape: Shape) -> frozenset[Literal]:
        return frozenset(shape.messages)

    def result(
        self,
        shape: Shape,
        component: URIRef,
        focus: Node,
        value: Node | None,
        path: Node | None = None,
    ) -> Result:
        return Result(
            focus=focus,
            path=path if path is not None else shape.path,
            value=value,
            shape=shape.node,
            component=component,
            severity=shape.severity,
            messages=frozenset(shape.messages),
        )

    def add(self, out: list[Check], shape: Shape, kind: str, query: str, variables: tuple[str, ...],
            to_results: Callable[[list[Row]], list[Result]], bulk: str = "") -> None:  # fmt: skip
        prologue = self.prologue()
        name = f"{shape.node.n3()} {kind}"
        out.append(
            Check(name, prologue + query, to_results, variables, prologue + bulk if bulk else "")
        )

    def value_check(self, shape: Shape, focus: Focus, path: str | None, out: list[Check]) -> None:
        conditions = self.value_conditions(shape, "?v", 0)
        if not conditions:
            return
        self.messages(shape)
        binds = " ".join(
            f"BIND(COALESCE({expr}, false) AS ?c{i})" for i, (_, expr) in enumerate(conditions)
        )
        failing = " || ".join(f"!?c{i}" for i in range(len(conditions)))
        values = f"?this {path} ?v ." if path is not None else "BIND(?this AS ?v)"
        flags = " ".join(f"?c{i}" for i in range(len(conditions)))
        query = (
            f"SELECT ?this ?v {flags} WHERE {{ {focus.pattern('?this')} {values} {binds} "
            f"FILTER({failing}) }}"
        )
        bulk = ""
        conforming = self.condition_pattern(shape, "?v") if len(conditions) == 1 else None
        if path is not None and conforming is not None:
            # one condition that is a pattern (sh:class, sh:node of classes and values …):
            # an anti-join (MINUS) of the values matching it is the fastest plan
            bulk = (
                f"SELECT ?this ?v ?c0 WHERE {{ {{ SELECT ?this ?v WHERE {{ {values} MINUS "
                f"{conforming} }} }} {focus.pattern('?this')} BIND(false AS ?c0) }}"
            )
        elif path is not None:
            bulk = (
                f"SELECT ?this ?v {flags} WHERE {{ {{ SELECT ?this ?v {flags} WHERE {{ {values} "
                f"{binds} FILTER({failing}) }} }} {focus.pattern('?this')} }}"
            )
        components = [c for c, _ in conditions]

        def to_results(rows: list[Row]) -> list[Result]:
            results = []
            for row in set(rows):
                this, value, *flags_ = row
                assert this is not None
                for component, ok in zip(components, flags_, strict=True):
                    if not (isinstance(ok, Literal) and ok.toPython() is True):
                        results.append(self.result(shape, component, this, value))
            return results

        self.add(
            out,
            shape,
            "values",
            query,
            ("this", "v", *[f"c{i}" for i in range(len(conditions))]),
            to_results,
            bulk,
        )

    def count_checks(self, shape: Shape, focus: Focus, path: str, out: list[Check]) -> None:
        minimum, maximum = shape.value(SH.minCount), shape.value(SH.maxCount)
        low = int(minimum) if isinstance(minimum, Literal) else 0
        high = int(maximum) if isinstance(maximum, Literal) else None
        f = focus.pattern("?this")
        if low == 1:
            self.messages(shape)
            self.add(
                out, shape, "minCount",
                f"SELECT ?this WHERE {{ {f} FILTER NOT EXISTS {{ ?this {path} ?v }} }}",
                ("this",), self.focus_results(shape, SH.MinCountConstraintComponent),
                f"SELECT ?this WHERE {{ {f} MINUS {{ ?this {path} ?v }} }}",
            )  # fmt: skip
        elif low > 1:
            self.messages(shape)
            query = (
                f"SELECT ?this WHERE {{ {f} OPTIONAL {{ ?this {path} ?v }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {low})"
            )
            self.add(out, shape, "minCount", query, ("this",),
                     self.focus_results(shape, SH.MinCountConstraintComponent))  # fmt: skip
        if high is not None:
            self.messages(shape)
            counted = (
                f"SELECT ?this WHERE {{ ?this {path} ?v }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {high})"
            )
            query = (
                f"SELECT ?this WHERE {{ {f} ?this {path} ?v }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {high})"
            )
            self.add(out, shape, "maxCount", query, ("this",),
                     self.focus_results(shape, SH.MaxCountConstraintComponent),
                     f"SELECT ?this WHERE {{ {{ {counted} }} {f} }}")  # fmt: skip

    def has_value_checks(self, shape: Shape, focus: Focus, path: str, out: list[Check]) -> None:
        for has in shape.values(SH.hasValue):
            self.messages(shape)
            f, value = focus.pattern("?this"), sparql_term(has, shape.node)
            query = f"SELECT ?this WHERE {{ {f} FILTER NOT EXISTS {{ ?this {path} {value} }} }}"
            bulk = f"SELECT ?this WHERE {{ {f} MINUS {{ ?this {path} {value} }} }}"
            self.add(out, shape, "hasValue", query, ("this",),
                     self.focus_results(shape, SH.HasValueConstraintComponent), bulk)  # fmt: skip

    def node_has_value_check(self, shape: Shape, focus: Focus, has: Node, out: list[Check]) -> None:
        self.messages(shape)
        query = (
            f"SELECT ?this WHERE {{ {focus.pattern('?this')} "
            f"FILTER(!sameTerm(?this, {sparql_term(has, shape.node)})) }}"
        )
        self.add(
            out,
            shape,
            "hasValue",
            query,
            ("this",),
            self.focus_results(shape, SH.HasValueConstraintComponent),
        )

    def focus_results(self, shape: Shape, component: URIRef) -> Callable[[list[Row]], list[Result]]:
        def to_results(rows: list[Row]) -> list[Result]:
            return [
                self.result(shape, component, row[0], None)
                for row in set(rows)
                if row[0] is not None
            ]

        return to_results

    def unique_lang_check(self, shape: Shape, focus: Focus, path: str, out: list[Check]) -> None:
        if not self.unique_lang(shape):
            return
        self.messages(shape)
        pairs = f"?this {path} ?a . ?this {path} ?b . {self.same_lang('?a', '?b')}"
        query = (
            f"SELECT DISTINCT ?this (LCASE(LANG(?a)) AS ?lang) WHERE {{ {focus.pattern('?this')} "
            f"{pairs} }}"
        )
        bulk = (
            f"SELECT ?this ?lang WHERE {{ {{ SELECT DISTINCT ?this (LCASE(LANG(?a)) AS ?lang) "
            f"WHERE {{ {pairs} }} }} {focus.pattern('?this')} }}"
        )

        def to_results(rows: list[Row]) -> list[Result]:
            return [
                self.result(shape, SH.UniqueLangConstraintComponent, row[0], None)
                for row in set(rows)
                if row[0] is not None
            ]

        self.add(out, shape, "uniqueLang", query, ("this", "lang"), to_results, bulk)

    def qualified_checks(self, shape: Shape, focus: Focus, path: str, out: list[Check]) -> None:
        qmin, qmax = shape.value(SH.qualifiedMinCount), shape.value(SH.qualifiedMaxCount)
        low = int(qmin) if isinstance(qmin, Literal) else None
        high = int(qmax) if isinstance(qmax, Literal) else None
        for qualified in shape.values(SH.qualifiedValueShape):
            self.messages(shape)
            good = self.qualified_condition(shape, qualified, "?v", 0)
            if low == 1 and high is None:
                f = focus.pattern("?this")
                some = f"{{ ?this {path} ?v . FILTER(COALESCE({good}, false)) }}"
                self.add(out, shape, "qualifiedMinCount",
                         f"SELECT ?this WHERE {{ {f} FILTER NOT EXISTS {some} }}", ("this",),
                         self.focus_results(shape, SH.QualifiedMinCountConstraintComponent),
                         f"SELECT ?this WHERE {{ {f} MINUS {some} }}")  # fmt: skip
                continue
            tests = []
            if low is not None:
                tests.append(f"SUM(?k) < {low}")
            if high is not None:
                tests.append(f"SUM(?k) > {high}")
            query = (
                f"SELECT ?this (SUM(?k) AS ?n) WHERE {{ {{ SELECT DISTINCT ?this ?v WHERE {{ "
                f"{focus.pattern('?this')} OPTIONAL {{ ?this {path} ?v }} }} }} "
                f"BIND(IF(BOUND(?v) && COALESCE({good}, false), 1, 0) AS ?k) }} "
                f"GROUP BY ?this HAVING ({' || '.join(tests)})"
            )

            def to_results(rows: list[Row]) -> list[Result]:
                results = []
                for row in set(rows):
                    this, n = row[0], int(row[1]) if isinstance(row[1], Literal) else 0
                    assert this is not None
                    if high is not None and n > high:
                        results.append(
                            self.result(shape, SH.QualifiedMaxCountConstraintComponent, this, None)
                        )
                    if low is not None and n < low:
                        results.append(
                            self.result(shape, SH.QualifiedMinCountConstraintComponent, this, None)
                        )
                return results

            self.add(out, shape, "qualified", query, ("this", "n"), to_results)

    def less_or_equal_checks(self, shape: Shape, focus: Focus, path: str, out: list[Check]) -> None:
        for other in shape.values(SH.lessThanOrEquals):
            self.messages(shape)
            pairs = (
                f"?this {path} ?v . ?this <{other}> ?w . FILTER(!{self.less_or_equal('?v', '?w')})"
            )
            query = f"SELECT DISTINCT ?this ?v ?w WHERE {{ {focus.pattern('?this')} {pairs} }}"
            bulk = (
                f"SELECT DISTINCT ?this ?v ?w WHERE {{ "
                f"{{ SELECT ?this ?v ?w WHERE {{ {pairs} }} }} {focus.pattern('?this')} }}"
            )

            def to_results(rows: list[Row]) -> list[Result]:
                # one result per (value, compared value) pair, as pySHACL
                return [
                    self.result(shape, SH.LessThanOrEqualsConstraintComponent, row[0], row[1])
                    for row in rows
                    if row[0] is not None
                ]

            self.add(out, shape, "lessThanOrEquals", query, ("this", "v", "w"), to_results, bulk)

    def closed_check(self, shape: Shape, focus: Focus, path: str | None, out: list[Check]) -> None:
        self.messages(shape)
        values = f"?this {path} ?vn ." if path is not None else "BIND(?this AS ?vn)"
        query = (
            f"SELECT DISTINCT ?this ?p ?o WHERE {{ {focus.pattern('?this')} {values} ?vn ?p ?o . "
            f"{self.closed_filter(shape, '?p', '?o')} }}"
        )

        def to_results(rows: list[Row]) -> list[Result]:
            return [
                self.result(shape, SH.ClosedConstraintComponent, row[0], row[2], path=row[1])
                for row in set(rows)
                if row[0] is not None
            ]

        self.add(out, shape, "closed", query, ("this", "p", "o"), to_results)

    def sparql_check(
        self, shape: Shape, focus: Focus, constraint: SparqlConstraint, out: list[Check]
    ) -> None:
        focus.pattern("?this")  # the prefixes of the targets first
        outer = dict(self.prefixes)
        self.merge_prefixes(constraint)
        messages = set(shape.messages)
        extra = set(constraint.messages)
        if not messages and not extra:
            self.messages(shape)  # raises
        projection = constraint.projection
        head = constraint.head
        if projection is not None and "this" not in projection:
            head += " ?this"
        query = f"{head} WHERE {{ {focus.pattern('?this')} {constraint.hint} {constraint.body}"
        variables = ("this",) if projection is None else tuple(dict.fromkeys((*projection, "this")))

        def to_results(rows: list[Row]) -> list[Result]:
            results: list[Result] = []
            seen: set[tuple[Any, ...]] = set()
            for row in rows:
                bound = {
                    name: term
                    for name, term in zip(variables, row, strict=True)
                    if term is not None
                }
                focus_node = row[variables.index("this")]
                assert focus_node is not None
                if projection is not None and "this" not in projection:
                    bound.pop("this", None)
                t, p, v = bound.pop("this", None), bound.pop("path", None), bound.pop("value", None)
                if t is None and p is None and v is None:
                    continue  # pySHACL ignores such a row
                key = (focus_node, t, p, v, tuple(sorted(bound.items())))
                if key in seen:
                    continue
                seen.add(key)
                value = v if v is not None else (None if shape.is_property else focus_node)
                subst: dict[str, Node] = dict(bound)
                for name, term in (("this", t), ("path", p), ("value", value)):
                    if term is not None:
                        subst[name] = term
                texts = [m for m in extra if m not in messages] + list(messages)
                formatted = frozenset(Literal(format_message(str(m), subst)) for m in texts)
                results.append(
                    Result(
                        focus=t or focus_node,
                        path=p if p is not None else shape.path,
                        value=value,
                        shape=shape.node,
                        component=SH.SPARQLConstraintComponent,
                        severity=shape.severity,
                        messages=formatted,
                        constraint=constraint.node,
                        display=frozenset(
                            Literal(format_message(str(m), subst), lang=m.language)
                            for m in (extra or messages)
                        ),
                    )
                )
            return results

        self.add(out, shape, f"sparql {constraint.node.n3()}", query, variables, to_results)
        self.prefixes = outer


def plan(shapes: SparqlShapes, classes: dict[Node, set[Node]]) -> list[RootChecks]:
    """The queries of a validation, given the subclasses of each class in the data.

    Cached per class hierarchy; the queries hold a placeholder for the focus nodes
    (see :func:`restrict_focus`).
    """
    key = frozenset((c, frozenset(below)) for c, below in classes.items())
    if key not in shapes.plans:
        shapes.plans[key] = Compiler(shapes, classes).compile()
    return shapes.plans[key]
