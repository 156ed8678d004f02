"""Benchmark every candidate SHACL engine: the W3C suite, and the project's profile at scale.

    python bench/shacl_engines.py [--engines compiler,pyshacl,...] [--fractions 0.01,0.1,1]
        [--runs 1] [--w3c-only | --profile-only] [--slice F=STORE,NT ...] [--source PATH]
        [--work DIR] [--memory-gib 20] [--time-limit 1800] [--case-limit 120] [--out PATH]
    python bench/shacl_engines.py --smoke      # W3C + bill graph + a 0.05 % slice: the CI check

In one run, every engine of ``--engines`` (default: all of ``ENGINES``) is measured on

1. the whole W3C SHACL test suite (``../shared/w3c-shacl-tests``: Core and SHACL-SPARQL,
   read by ``tests/shacl_suite.py``), each test judged against its manifest: pass, wrong,
   refused (the engine declined the shapes with an error of its own; for an ``sht:Failure``
   test that is the pass) or crashed (any other exception, a dead process, or more than
   ``--case-limit`` seconds), with the reason of every test that did not pass. Two probes
   after the suite ask whether the engine evaluates a SPARQL constraint and a SPARQL target,
   refuses them, or ignores them without a word;
2. the project's profile (``shapes/*.ttl``) over the bill graph (``build/bill/legigraph.nt``,
   which holds the ontology too: ``legigraph build`` merges ``ontology/*.ttl`` into it) and
   over each fraction of the national graph plus the bill graph: wall time, peak RSS, number
   of results, and whether the results equal pySHACL's (the multiset of focus node, path,
   value, source shape, constraint component and severity; ``tests/shacl_suite.result_keys``
   with blank nodes forgotten, since engines name them differently). A slice comes from
   ``--slice F=STORE,NT`` (a store and the N-Triples of the same ingest, opened read-only)
   or is ingested into the work directory (``legigraph ingest statutes --limit-fraction F
   --keep-nt``). Engines that read text get the N-Triples (national graph + bill graph);
   engines that read a store get the store (its two named graphs as one data graph).

Every measurement runs in a child process: wall time from the parent, peak RSS from the
child's ``getrusage`` (its own, or the JVM's for Jena), under ``RLIMIT_AS`` of
``--memory-gib`` and a time limit of ``--time-limit`` seconds; a run beyond either is
recorded as "did not finish" with the limit that stopped it and, where a smaller fraction
finished, a linear extrapolation (then the engine is not run on larger fractions). Medians
of ``--runs`` runs. Results: ``bench/results/shacl-engines-*.json``; the Markdown tables
for ``docs/benchmarks.md`` are printed on standard output.

Engines (``ENGINES``): ``compiler`` (``legigraph.shacl.compiler`` on Oxigraph; the module is
named in :func:`compiler_api` only), ``compiler-msg`` (W3C only: the compiler with an
``sh:message`` added to each shape it refuses for want of one), ``pyshacl`` (on an rdflib
graph, the options of ``legigraph.validate.run_pyshacl``, SPARQL texts parsed once),
``pyshacl-ox`` (pySHACL ≥ 0.40 on the ``pyoxigraph.Store``), ``pyshacl-turbo-nt``
(pyshacl-turbo parsing the files itself: exact literals), ``pyshacl-turbo-ox``
(pyshacl-turbo on the store), ``pyrudof`` (rudof) and ``jena`` (Apache Jena SHACL 4.5 from
Debian, through ``bench/JenaShacl.java``, compiled once into the work directory). Install
them with ``pip install -e '.[dev,bench]'``; Jena with ``apt-get install -y
libapache-jena-java`` and a JDK (the driver needs ``javac`` or Java's source launcher).
Debian's Jena 4.5 does not start as shipped: ``jena-core.jar`` holds its shaded Xerces'
classes under ``xerces/`` and their message files under ``org/apache/jena/ext/xerces/``,
so ``xerces.impl.dv.xs.XSSimpleTypeDecl`` fails ("internal error") when ``XSDDatatype``
loads. The harness copies those files to ``xerces/…`` in a directory it puts first on the
classpath (:func:`jena_fix`); nothing installed is changed. Jena also refuses a SPARQL
constraint with more than one ``sh:message`` ("More than one match"): it gets a copy of the
shapes with one message per SPARQL constraint (the English one), which changes no result
key. With ``--smoke``, engines that are not installed are skipped and said so (and pySHACL on
the store is left out of the profile: ≈ 20 s on the bill graph alone); without it they stop
the run (exit 2) with how to install them.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import json
import logging
import os
import queue
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
GIB = 1024**3
JAVA_DIR = Path("/usr/share/java")
# The jars Jena SHACL needs (Debian's names; one SLF4J binding, the silent one).
JENA_JARS = (
    "jena-arq", "jena-base", "jena-core", "jena-iri", "jena-shacl", "commons-cli",
    "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
    "dexx.collection", "gson", "guava", "httpclient", "httpcore", "jackson-annotations",
    "jackson-core", "jackson-databind", "jakarta.json-api", "jcl-over-slf4j", "jsonld-java",
    "protobuf", "slf4j-api", "slf4j-nop", "thrift", "titanium-json-ld",
)  # fmt: skip
SH = "http://www.w3.org/ns/shacl#"
SPARQL_COMPONENT = SH + "SPARQLConstraintComponent"
SMOKE_PROFILE_SKIP = {"pyshacl-ox": "profile not run with --smoke: ≈ 20 s on the bill graph"}
MEMORY_SIGNS = ("MemoryError", "memory allocation of", "OutOfMemoryError", "Cannot allocate memory",
                "std::bad_alloc", "out of memory")  # fmt: skip


def find_shared(name: str) -> Path:
    """``shared/NAME`` beside the checkout or beside one of its parents (a git worktree)."""
    for parent in ROOT.parents:
        if (parent / "shared" / name).exists():
            return parent / "shared" / name
    return ROOT.parent / "shared" / name


if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.shacl_suite


def compiler_api() -> Any:
    """The project's SHACL-to-SPARQL compiler: the only place that names its module."""
    with contextlib.suppress(ModuleNotFoundError):
        return importlib.import_module("legigraph.shacl.compiler")
    return importlib.import_module("legigraph.shacl.compiler")


# --- engines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Engine:
    name: str
    label: str
    modules: tuple[str, ...]  # Python modules it needs
    weak: bool  # W3C reports compared with blank nodes forgotten (labels of its own)
    profile: bool = True  # also measured on the project's profile


ENGINES = (
    Engine("compiler", "the compiler (SPARQL on Oxigraph)", ("pyoxigraph",), True),
    Engine(
        "compiler-msg",
        "the compiler, sh:message added where it asks",
        ("pyoxigraph",),
        True,
        profile=False,
    ),
    Engine("pyshacl", "pySHACL on rdflib", ("pyshacl",), False),
    Engine("pyshacl-ox", "pySHACL on the Oxigraph store", ("pyshacl", "pyoxigraph"), True),
    Engine("pyshacl-turbo-nt", "pyshacl-turbo parsing the files", ("pyshacl_turbo",), True),
    Engine("pyshacl-turbo-ox", "pyshacl-turbo on the Oxigraph store", ("pyshacl_turbo",), True),
    Engine("pyrudof", "pyrudof (rudof)", ("pyrudof",), True),
    Engine("jena", "Apache Jena SHACL 4.5 (Debian)", (), True),
)
BY_NAME = {e.name: e for e in ENGINES}


def missing(engine: Engine) -> str | None:
    """Why ``engine`` cannot run here (with how to install it), or None."""
    for module in engine.modules:
        if importlib.util.find_spec(module) is None:
            return f"Python module {module} is not installed: pip install -e '.[dev,bench]'"
    if engine.name == "pyshacl-ox":
        from importlib.metadata import version

        major, minor = (int(x) for x in version("pyshacl").split(".")[:2])
        if (major, minor) < (0, 40):
            return f"pyshacl {version('pyshacl')} cannot validate a pyoxigraph.Store (needs 0.40)"
    if engine.name == "jena":
        if shutil.which("java") is None:
            return "no java: apt-get install -y default-jdk-headless libapache-jena-java"
        if not (JAVA_DIR / "jena-shacl.jar").exists():
            return "Jena is not installed: apt-get install -y libapache-jena-java"
        absent = [j for j in JENA_JARS if not (JAVA_DIR / f"{j}.jar").exists()]
        if absent:
            return f"jars missing from {JAVA_DIR}: {', '.join(absent)}"
        modules = subprocess.run(["java", "--list-modules"], capture_output=True, text=True,
                                 check=False).stdout  # fmt: skip
        if "jdk.compiler" not in modules:
            return "java has no compiler (for the driver): apt-get install -y default-jdk-headless"
    return None


class Refused(Exception):
    """The engine declined the shapes with an error of its own."""


@dataclass
class Shapes:
    files: list[Path]
    work: Path
    _graph: Any = None

    def graph(self) -> Any:
        """The shapes as rdflib parses them (what pySHACL and the compiler are given)."""
        if self._graph is None:
            from rdflib import Graph

            self._graph = Graph()
            for path in self.files:
                self._graph.parse(path, format="turtle")
        return self._graph

    def file(self) -> Path:
        """One Turtle file with all the shapes (a merged copy when there are several)."""
        if len(self.files) == 1:
            return self.files[0]
        merged = self.work / "shapes-merged.ttl"
        if not merged.exists():
            self.graph().serialize(merged, format="turtle")
        return merged


@dataclass
class Data:
    files: list[Path]
    fmt: str  # "turtle" (a W3C test) or "nt"
    store: Path | None = None  # a store holding the same data (opened read-only)
    graph: Any = None  # already parsed by rdflib (the suite reader's graph)

    def rdflib(self) -> Any:
        if self.graph is None:
            from rdflib import Graph

            self.graph = Graph()
            for path in self.files:
                self.graph.parse(path, format=self.fmt)
        return self.graph

    def oxigraph(self) -> Any:
        """The store: the slice's own, read-only, or the files loaded by Oxigraph's parser."""
        import pyoxigraph as ox

        if self.store is not None:
            return ox.Store.read_only(str(self.store))
        store = ox.Store()
        fmt = ox.RdfFormat.TURTLE if self.fmt == "turtle" else ox.RdfFormat.N_TRIPLES
        for path in self.files:
            store.load(path=str(path), format=fmt, base_iri=path.resolve().as_uri())
        return store


@dataclass
class Answer:
    conforms: bool | None
    report: Any  # an rdflib Graph
    load_s: float = 0.0
    validate_s: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def _timed(load: Callable[[], Any], validate: Callable[[Any], tuple[Any, Any]]) -> Answer:
    t = time.perf_counter()
    loaded = load()
    t1 = time.perf_counter()
    conforms, report = validate(loaded)
    return Answer(conforms, report, t1 - t, time.perf_counter() - t1)


PYSHACL_OPTIONS: dict[str, Any] = {
    "inference": "none",
    "advanced": True,
    "js": False,
    "do_owl_imports": False,
    "allow_warnings": False,
    "abort_on_first": False,
}  # fmt: skip  (those of legigraph.validate.run_pyshacl)


def run_compiler(shapes: Shapes, data: Data, add_messages: bool = False) -> Answer:
    api = compiler_api()
    graph = shapes.graph()

    def validate(store: Any) -> tuple[Any, Any]:
        workers = 1 if data.fmt == "turtle" else os.cpu_count() or 1  # a W3C test: one
        results, report = api.validate_dataset(api.Dataset(store, union=True), compiled,
                                               workers=workers)  # fmt: skip
        return not results, report

    for _ in range(200):
        try:
            compiled = api.SparqlShapes.compile(graph)
            return _timed(data.oxigraph, validate)
        except api.UnsupportedShape as err:
            if not (add_messages and "no sh:message" in str(err) and err.shape is not None):
                raise Refused(f"UnsupportedShape: {err}") from err
            graph = _with_message(graph, err.shape)
    raise Refused("more than 200 shapes without sh:message")


def _with_message(graph: Any, shape: Any) -> Any:
    """A copy of ``graph`` with an sh:message on ``shape`` (the compiler asks for one)."""
    from rdflib import Literal, URIRef

    copy = type(graph)()
    copy += graph
    copy.add((shape, URIRef(SH + "message"), Literal("message added by the bench")))
    return copy


def run_compiler_msg(shapes: Shapes, data: Data) -> Answer:
    return run_compiler(shapes, data, add_messages=True)


def _pyshacl(data: Callable[[], Any], shapes: Shapes, parsed_once: bool) -> Answer:
    import pyshacl
    from pyshacl import errors

    shapes.graph()

    def validate(graph: Any) -> tuple[Any, Any]:
        context: Any = contextlib.nullcontext()
        if parsed_once:
            from legigraph.shacl.prepared import parsed_once as once

            context = once()
        try:
            with context:
                conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes.graph(),
                                                       **PYSHACL_OPTIONS)  # fmt: skip
        except errors.ReportableRuntimeError as err:
            raise Refused(f"{type(err).__name__}: {err}") from err
        return bool(conforms), report

    return _timed(data, validate)


def run_pyshacl(shapes: Shapes, data: Data) -> Answer:
    return _pyshacl(data.rdflib, shapes, parsed_once=True)


def run_pyshacl_ox(shapes: Shapes, data: Data) -> Answer:
    return _pyshacl(data.oxigraph, shapes, parsed_once=False)


def _turbo(shapes: Shapes, load: Callable[[], tuple[Any, str | None]]) -> Answer:
    import pyshacl_turbo as turbo

    refusals = tuple(getattr(turbo, n) for n in ("ReportableRuntimeError", "ValidationFailure"))
    t = time.perf_counter()
    try:
        compiled = turbo.compile_shapes(  # type: ignore[no-untyped-call]
            shapes.file(), shacl_graph_format="turtle", advanced=True
        )
    except refusals as err:
        raise Refused(f"{type(err).__name__}: {err}") from err
    compile_s = time.perf_counter() - t

    def validate(loaded: tuple[Any, str | None]) -> tuple[Any, Any]:
        source, fmt = loaded
        kwargs = {"data_graph_format": fmt} if fmt else {}
        try:
            conforms, report, _ = compiled.validate(source, **kwargs)
        except refusals as err:
            raise Refused(f"{type(err).__name__}: {err}") from err
        return bool(conforms), report

    answer = _timed(load, validate)
    answer.extra["compile_s"] = compile_s
    return answer


def run_turbo_nt(shapes: Shapes, data: Data) -> Answer:
    def load() -> tuple[Any, str | None]:
        if len(data.files) == 1:
            return data.files[0], data.fmt
        return "\n".join(p.read_text(encoding="utf-8") for p in data.files), data.fmt

    return _turbo(shapes, load)


def run_turbo_ox(shapes: Shapes, data: Data) -> Answer:
    return _turbo(shapes, lambda: (data.oxigraph(), None))


def run_rudof(shapes: Shapes, data: Data) -> Answer:
    import pyrudof as rd
    from rdflib import Graph

    rudof = rd.Rudof(rd.RudofConfig())
    strict = rd.ReaderMode.Strict
    shapes_file = shapes.file()
    try:
        rudof.read_shacl(str(shapes_file), format=rd.ShaclFormat.Turtle,
                         base=shapes_file.resolve().as_uri(), reader_mode=strict)  # fmt: skip
    except (rd.ShaclError, rd.InputError) as err:
        raise Refused(f"{type(err).__name__}: {err}") from err
    fmt = rd.RDFFormat.Turtle if data.fmt == "turtle" else rd.RDFFormat.NTriples

    def load() -> None:
        for i, path in enumerate(data.files):
            rudof.read_data(str(path), format=fmt, base=path.resolve().as_uri(),
                            reader_mode=strict, merge=i > 0)  # fmt: skip

    def validate(_: None) -> tuple[Any, Any]:
        try:
            result = rudof.validate_shacl(mode=rd.ShaclValidationMode.Native)
        except (rd.ShaclError, rd.UnsupportedOperationError) as err:
            raise Refused(f"{type(err).__name__}: {err}") from err
        text = rudof.serialize_shacl_validation_results(
            format=rd.ResultShaclValidationFormat.NTriples
        )
        return bool(result.conforms), Graph().parse(data=text, format="nt")

    return _timed(load, validate)


# --- Jena ------------------------------------------------------------------------------------


def jena_fix(work: Path) -> Path:
    """A directory with the Xerces message files where Debian's jena-core.jar needs them.

    Debian's jena-core 4.5 shades Xerces into the package ``xerces`` but leaves its
    resource bundles at ``org/apache/jena/ext/xerces/…``; ``XSSimpleTypeDecl`` then fails
    ("internal error") when Jena's datatypes load, and no Jena command starts. Copying the
    bundles to ``xerces/…`` in a directory first on the classpath is enough.
    """
    import zipfile

    fix = work / "jena-xerces-fix"
    if (fix / "xerces" / "impl" / "msg" / "XMLMessages.properties").exists():
        return fix
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(prefix + "xerces/") and not name.endswith("/"):
                target = fix / name[len(prefix) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return fix


def jena_command(work: Path, memory: int) -> list[str]:
    """The JVM running the driver: compiled once into ``work`` (javac), else from source."""
    jars = [str(jena_fix(work)), *(str(JAVA_DIR / f"{j}.jar") for j in JENA_JARS)]
    source = ROOT / "bench" / "JenaShacl.java"
    classes = work / "jena-classes"
    main = [str(source)]
    if shutil.which("javac"):
        if not (classes / "JenaShacl.class").exists():
            subprocess.run(["javac", "-d", str(classes), "-cp", ":".join(jars), str(source)],
                           check=True)  # fmt: skip
        jars, main = [str(classes), *jars], ["JenaShacl"]
    # RLIMIT_AS holds the JVM too: leave it room beyond the heap, and shrink the class space
    # it reserves (1 GiB by default, and the JVM does not start under a tight limit).
    heap = max(256, (memory - 3 * GIB) // (1024 * 1024))
    return ["java", f"-Xmx{heap}m", "-XX:CompressedClassSpaceSize=256m",
            "-XX:ReservedCodeCacheSize=128m", "-XX:+ExitOnOutOfMemoryError",
            "-cp", ":".join(jars), *main]  # fmt: skip


def jena_shapes(shapes: Shapes) -> tuple[Path, int]:
    """The shapes with one sh:message per SPARQL constraint (Jena 4.5 refuses more).

    Keeps the English message (else the first in sorted order); a copy is written only when
    something is dropped. Returns the file and the number of messages dropped.
    """
    from rdflib import URIRef

    graph = shapes.graph()
    message, select, ask = (URIRef(SH + n) for n in ("message", "select", "ask"))
    drops = []
    for node in {*graph.subjects(select, None), *graph.subjects(ask, None)}:
        messages = sorted(graph.objects(node, message), key=lambda m: (m.language != "en", m))
        drops += [(node, message, m) for m in messages[1:]]
    if not drops:
        return shapes.file(), 0
    copy = type(graph)()
    for prefix, ns in graph.namespaces():
        copy.bind(prefix, ns)
    copy += graph
    for triple in drops:
        copy.remove(triple)
    path = Path(tempfile.mkstemp(prefix="jena-shapes-", suffix=".ttl", dir=shapes.work)[1])
    copy.serialize(path, format="turtle")
    return path, len(drops)


class Jena:
    """One JVM running ``bench/JenaShacl.java``, fed one validation per line."""

    def __init__(self, work: Path, memory: int) -> None:
        self.work = work
        self.proc = subprocess.Popen(jena_command(work, memory), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)  # fmt: skip

    def __call__(self, shapes: Shapes, data: Data) -> Answer:
        from rdflib import Graph

        if self.proc.poll() is not None:  # it died on the previous input: a new one
            self.proc = subprocess.Popen(self.proc.args, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True)  # fmt: skip
        assert self.proc.stdin is not None and self.proc.stdout is not None
        shapes_file, dropped = jena_shapes(shapes)
        out = Path(tempfile.mkstemp(prefix="jena-report-", suffix=".nt", dir=self.work)[1])
        self.proc.stdin.write("\t".join(map(str, [out, shapes_file, *data.files])) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().strip()
        if not line:
            raise RuntimeError(f"the JVM ended (exit code {self.proc.wait()})")
        status, _, rest = line.partition(" ")
        if status == "refused":
            raise Refused(rest)
        if status != "ok":
            raise RuntimeError(rest)
        load_s, validate_s, conforms, _results = rest.split()
        report = Graph().parse(out, format="nt")
        out.unlink()
        extra = {"messages_dropped": dropped} if dropped else {}
        return Answer(conforms == "true", report, float(load_s), float(validate_s), extra)

    def close(self) -> None:
        with contextlib.suppress(BrokenPipeError):
            if self.proc.stdin:
                self.proc.stdin.close()
        self.proc.wait()


RUNNERS: dict[str, Callable[[Shapes, Data], Answer]] = {
    "compiler": run_compiler,
    "compiler-msg": run_compiler_msg,
    "pyshacl": run_pyshacl,
    "pyshacl-ox": run_pyshacl_ox,
    "pyshacl-turbo-nt": run_turbo_nt,
    "pyshacl-turbo-ox": run_turbo_ox,
    "pyrudof": run_rudof,
}


@contextlib.contextmanager
def runner(name: str, work: Path, memory: int) -> Iterator[Callable[[Shapes, Data], Answer]]:
    if name != "jena":
        yield RUNNERS[name]
        return
    jena = Jena(work, memory)
    try:
        yield jena
    finally:
        jena.close()


# --- children --------------------------------------------------------------------------------


def _child_setup() -> None:
    """Literals as written (no rdflib normalisation), and no warnings on ill-typed ones."""
    import rdflib

    rdflib.NORMALIZE_LITERALS = False
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore")


def _peak_rss_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the JVM
    return round(max(own, children) / 1024, 1)


PROBE = """@prefix ex: <http://example.org/probe#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
ex:a ex:p 1 .
ex:Shape a sh:NodeShape ;
    sh:message "probe" ;
"""
# Each gives exactly one result; an engine that answers "conforms" ignored the construct.
PROBES = {
    "probe/sparql-constraint": PROBE
    + """    sh:targetNode ex:a ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "probe" ;
        sh:select "SELECT $this ?value WHERE { $this <http://example.org/probe#p> ?value }" ] .
""",
    "probe/sparql-target": PROBE
    + """    sh:target [ a sh:SPARQLTarget ;
        sh:select "SELECT ?this WHERE { ?this <http://example.org/probe#p> ?o }" ] ;
    sh:class ex:Nothing .
""",
    "probe/sparql-component": PROBE
    + """    sh:targetNode ex:a ;
    ex:never "x" .
ex:NeverComponent a sh:ConstraintComponent ;
    sh:parameter [ sh:path ex:never ] ;
    sh:validator [ a sh:SPARQLAskValidator ; sh:message "probe" ;
        sh:ask "ASK { FILTER (sameTerm($value, $never)) }" ] .
""",
}


def w3c_cases(suite: Path, work: Path) -> list[Any]:
    """The suite's tests, then the probes (as cases whose files are in ``work``)."""
    from rdflib import Graph
    from tests.shacl_suite import Case, load_suite

    cases = load_suite(suite)
    for name, text in PROBES.items():
        path = work / (name.replace("/", "-") + ".ttl")
        path.write_text(text, encoding="utf-8")
        graph = Graph().parse(path, format="turtle")
        cases.append(Case(id=name, label=name, data_path=path, shapes_path=path, failure=False,
                          conforms=False, data=graph, shapes=graph))  # fmt: skip
    return cases


def judge_probe(answer: Answer) -> tuple[str, str]:
    from tests.shacl_suite import result_keys

    results = sum(result_keys(answer.report, [], weak=True).values())
    if answer.conforms is False and results:
        return "evaluated", f"{results} result(s)"
    return "ignored silently", f"conforms {answer.conforms}, {results} result(s), no error"


def child_w3c(engine: str, suite: str, start: str, work: str, memory: str) -> None:
    _child_setup()
    from tests.shacl_suite import judge

    cases = w3c_cases(Path(suite), Path(work))
    weak = BY_NAME[engine].weak
    with runner(engine, Path(work), int(memory)) as run:
        for i in range(int(start), len(cases)):
            case = cases[i]
            shapes = Shapes([case.shapes_path], Path(work), case.shapes)
            data = Data([case.data_path], "turtle", graph=case.data)
            probe = case.id.startswith("probe/")
            try:
                answer = run(shapes, data)
            except Refused as err:
                status = "refused"
                detail = ("refused as required: " if case.failure else "") + str(err)[:300]
                if case.failure:
                    status = "pass"
            except Exception as err:  # anything else: the engine crashed
                status, detail = "crashed", f"{type(err).__name__}: {str(err)[:300]}"
            else:
                if probe:
                    status, detail = judge_probe(answer)
                else:
                    outcome = judge(case, answer.conforms, answer.report, weak=weak)
                    status, detail = outcome.status, outcome.detail
            print(json.dumps({"i": i, "id": case.id, "status": status, "detail": detail},
                             ensure_ascii=False), flush=True)  # fmt: skip


def key_row(key: tuple[Any, ...]) -> list[str | None]:
    """A result key (``tests.shacl_suite.result_keys``, weak) as JSON-friendly text."""
    out: list[str | None] = []
    for part in key:
        if part is None or part == "_:":
            out.append(part)
        elif isinstance(part, tuple):  # ("literal", lexical form, datatype, language)
            out.append(json.dumps([part[1], part[2] and str(part[2]), part[3]],
                                  ensure_ascii=False))  # fmt: skip
        else:
            out.append(part.n3())
    return out


def child_profile(engine: str, spec: str, keys: str, memory: str) -> None:
    _child_setup()
    from tests.shacl_suite import result_keys

    s = json.loads(spec)
    work = Path(s["work"])
    shapes = Shapes([Path(p) for p in s["shapes"]], work)
    data = Data([Path(p) for p in s["files"]], "nt", store=Path(s["store"]) if s["store"] else None)
    t = time.perf_counter()
    with runner(engine, work, int(memory)) as run:
        answer = run(shapes, data)
    found = result_keys(answer.report, [], weak=True)
    rows = sorted(([*key_row(k), n] for k, n in found.items()), key=str)
    Path(keys).write_text(json.dumps(rows, ensure_ascii=False))
    out = {"in_process_s": time.perf_counter() - t, "load_s": answer.load_s,
           "validate_s": answer.validate_s, "conforms": answer.conforms,
           "results": sum(found.values()), **answer.extra,
           "peak_rss_mib": _peak_rss_mib()}  # fmt: skip
    print(json.dumps(out))


CHILDREN: dict[str, Callable[..., None]] = {"w3c": child_w3c, "profile": child_profile}


# --- the parent ------------------------------------------------------------------------------


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _limits(memory: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


def _kill(proc: subprocess.Popen[Any]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the child's own group: it and its JVM
    proc.wait()


def _stopped_by_memory(rc: int, stderr: str) -> bool:
    return any(sign in stderr for sign in MEMORY_SIGNS) or rc == -signal.SIGKILL


def run_w3c(engine: str, args: argparse.Namespace, work: Path, total: int) -> list[dict[str, Any]]:
    """All tests on one engine; a child that dies or hangs is restarted after that test."""
    done: list[dict[str, Any]] = []
    start = 0
    while start < total:
        err_path = work / f"w3c-{engine}.err"
        with err_path.open("a") as err:
            proc = subprocess.Popen(
                [PY, __file__, "child", "w3c", engine, str(args.suite), str(start), str(work),
                 str(args.memory)],
                stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT,
                preexec_fn=_limits(args.memory), start_new_session=True,
            )  # fmt: skip
            lines: queue.Queue[str | None] = queue.Queue()
            threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
            while True:
                try:
                    line = lines.get(timeout=args.case_limit)
                except queue.Empty:
                    _kill(proc)
                    why = f"did not finish in {args.case_limit:g} s (limit)"
                    done.append({"i": start, "status": "crashed", "detail": why})
                    start += 1
                    break
                if line is None:
                    rc = proc.wait()
                    if start < total:
                        tail = err_path.read_text(errors="replace").strip().splitlines()[-3:]
                        why = "memory limit" if _stopped_by_memory(rc, "\n".join(tail)) else ""
                        done.append({"i": start, "status": "crashed", "detail":
                                     f"process died (exit {rc}{', ' + why if why else ''}): "
                                     + " / ".join(tail)[-300:]})  # fmt: skip
                        start += 1
                    break
                record = json.loads(line)
                done.append(record)
                start = record["i"] + 1
    return done


def _pump(stream: IO[str] | None, lines: queue.Queue[str | None]) -> None:
    assert stream is not None
    for line in stream:
        if line.strip():
            lines.put(line)
    lines.put(None)


def w3c_phase(engines: list[str], args: argparse.Namespace, work: Path) -> dict[str, Any]:
    _child_setup()  # read the suite as the children do
    cases = w3c_cases(args.suite, work)
    total = len(cases)
    out: dict[str, Any] = {
        "suite": str(args.suite),
        "tests": sum(not c.id.startswith("probe/") for c in cases),
        "core": sum(c.id.startswith("core/") for c in cases),
        "sparql": sum(c.id.startswith("sparql/") for c in cases),
        "engines": {},
    }
    for engine in engines:
        t = time.perf_counter()
        records = run_w3c(engine, args, work, total)
        wall = time.perf_counter() - t
        tally: Counter[str] = Counter()
        failing, probes = [], {}
        for r in records:
            case = cases[r["i"]]
            if case.id.startswith("probe/"):
                probes[case.id.removeprefix("probe/")] = f"{r['status']}: {r['detail']}"
                continue
            tally[r["status"]] += 1
            if r["status"] != "pass":
                failing.append({"id": case.id, "status": r["status"], "detail": r["detail"]})
        out["engines"][engine] = {
            "pass": tally["pass"], "wrong": tally["wrong"], "refused": tally["refused"],
            "crashed": tally["crashed"], "wall_s": round(wall, 1),
            "pass_core": sum(r["status"] == "pass" and cases[r["i"]].id.startswith("core/")
                             for r in records),
            "blank_nodes": "forgotten" if BY_NAME[engine].weak else "compared by content",
            "not_passing": failing, "probes": probes,
        }  # fmt: skip
        log(f"W3C {engine}: {dict(tally)} in {wall:.0f} s; probes {probes}")
    return out


def run_profile(engine: str, spec: dict[str, Any], keys: Path, args: argparse.Namespace,
                limit: float) -> dict[str, Any]:  # fmt: skip
    """One measurement in a child under the limits; its JSON plus the wall time seen here."""
    err_path = keys.with_suffix(".err")
    t = time.perf_counter()
    with err_path.open("w") as err:
        proc = subprocess.Popen(
            [PY, __file__, "child", "profile", engine, json.dumps(spec), str(keys),
             str(args.memory)],
            stdout=subprocess.PIPE, stderr=err, text=True, cwd=ROOT,
            preexec_fn=_limits(args.memory), start_new_session=True,
        )  # fmt: skip
        try:
            stdout, _ = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill(proc)
            return {"dnf": "time limit", "limit_s": limit, "wall_s": time.perf_counter() - t}
    wall = time.perf_counter() - t
    stderr = err_path.read_text(errors="replace")
    if proc.returncode != 0:
        tail = stderr.strip().splitlines()[-4:]
        if _stopped_by_memory(proc.returncode, stderr):
            return {"dnf": "memory limit", "limit_gib": args.memory / GIB, "wall_s": wall,
                    "stderr": " / ".join(tail)[-400:]}  # fmt: skip
        return {"error": " / ".join(tail)[-600:], "exit": proc.returncode, "wall_s": wall}
    out: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    out["wall_s"] = wall
    return out


def load_keys(path: Path) -> Counter[tuple[Any, ...]]:
    return Counter({tuple(row[:-1]): row[-1] for row in json.loads(path.read_text())})


def _canonical(keys: Counter[tuple[Any, ...]]) -> Counter[tuple[Any, ...]]:
    """Keys with every literal as Oxigraph stores it (a valid literal in canonical form)."""
    import pyoxigraph as ox

    store = ox.Store()
    out: Counter[tuple[Any, ...]] = Counter()
    for key, n in keys.items():
        parts = list(key)
        for i, part in enumerate(parts):
            if isinstance(part, str) and part.startswith("["):
                lexical, datatype, language = json.loads(part)
                lit = (ox.Literal(lexical, language=language) if language else
                       ox.Literal(lexical, datatype=ox.NamedNode(datatype)) if datatype else
                       ox.Literal(lexical))  # fmt: skip
                store.clear()
                store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:x"), lit))
                back = next(iter(store)).object
                dt = back.datatype.value if not back.language else None
                parts[i] = json.dumps([back.value, dt, back.language], ensure_ascii=False)
        out[tuple(parts)] += n
    return out


def compare(mine: Counter[tuple[Any, ...]], ref: Counter[tuple[Any, ...]]) -> dict[str, Any]:
    """Equal to the reference's results? What differs, and whether only literal forms do."""
    if mine == ref:
        return {"same": True}
    missing, extra = ref - mine, mine - ref
    out: dict[str, Any] = {
        "same": False, "missing": sum(missing.values()), "extra": sum(extra.values()),
        "examples_missing": [list(k) for k in list(missing)[:3]],
        "examples_extra": [list(k) for k in list(extra)[:3]],
        "same_up_to_canonical_literals": _canonical(mine) == _canonical(ref),
    }  # fmt: skip
    components = Counter(k[4] for k in missing.elements())
    out["missing_by_component"] = dict(components)
    no_sparql = Counter({k: n for k, n in ref.items() if k[4] != f"<{SPARQL_COMPONENT}>"})
    out["same_without_sparql_results"] = mine == no_sparql
    return out


def ingest_slice(fraction: float, args: argparse.Namespace, work: Path) -> tuple[Path, Path]:
    store, nt = work / f"store-{fraction:g}", work / f"national-{fraction:g}.nt"
    if (store / "CURRENT").exists() and nt.exists():
        return store, nt
    shutil.rmtree(store, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run(
        [PY, "-m", "legigraph", "ingest", "statutes", str(args.source), "--store", str(store),
         "--limit-fraction", str(fraction), "--keep-nt", str(nt)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    log(f"ingested {fraction:g} into {store} in {time.perf_counter() - t:.0f} s")
    return store, nt


def slice_triples(store: Path, nt: Path, bill: Path) -> int:
    manifest = store.parent / f"{store.name}.manifest.json"
    with contextlib.suppress(OSError, KeyError, ValueError):
        return int(json.loads(manifest.read_text())["counts"]["triples_written"]) + _lines(bill)
    return _lines(nt) + _lines(bill)


def _lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(1 for line in f if line.strip() and not line.startswith(b"#"))


def check_slice(fraction: float, store: Path, bill: Path) -> list[str]:
    """What the slice's manifest says against what we expect (fraction, bill graph)."""
    import hashlib

    manifest = store.parent / f"{store.name}.manifest.json"
    if not manifest.exists():
        return [f"no manifest beside {store}"]
    m = json.loads(manifest.read_text())
    notes = []
    if (m.get("limit_fraction") or 1.0) != fraction:
        notes.append(f"the store's manifest says limit_fraction {m.get('limit_fraction')}")
    sha = "sha256:" + hashlib.sha256(bill.read_bytes()).hexdigest()
    if (m.get("bill") or {}).get("sha256") != sha:
        notes.append("the store's bill graph is not the --bill file: store and text engines "
                     "see different data")  # fmt: skip
    return notes


def profile_phase(engines: list[str], args: argparse.Namespace, work: Path) -> dict[str, Any]:
    bill = Path(args.bill)
    datasets: list[tuple[str, dict[str, Any], int]] = [
        ("bill", {"files": [str(bill)], "store": None}, _lines(bill)),
    ]
    notes: dict[str, list[str]] = {}
    for fraction in args.fraction_list:
        name = f"{fraction * 100:g} %"
        if fraction in args.slices:
            store, nt = args.slices[fraction]
        else:
            store, nt = ingest_slice(fraction, args, work)
        notes[name] = check_slice(fraction, store, bill)
        spec = {"files": [str(nt), str(bill)], "store": str(store)}
        datasets.append((name, spec, slice_triples(store, nt, bill)))
    # pySHACL first: the reference
    order = sorted((e for e in engines if BY_NAME[e].profile and e not in args.profile_skip),
                   key=lambda e: e != "pyshacl")  # fmt: skip
    out: dict[str, Any] = {"shapes": [str(p) for p in args.shapes], "datasets": {}}
    basis: dict[str, tuple[str, int, dict[str, Any]]] = {}  # the last national slice done
    stopped: dict[str, tuple[str, int, dict[str, Any]]] = {}  # where it did not finish
    for name, spec, triples in datasets:
        spec = {**spec, "shapes": [str(p) for p in args.shapes], "work": str(work)}
        entry: dict[str, Any] = {"triples": triples, "notes": notes.get(name, []), "engines": {}}
        out["datasets"][name] = entry
        ref: tuple[str, Counter[tuple[Any, ...]]] | None = None
        for engine in order:
            if engine in stopped:
                at = stopped[engine]
                cell: dict[str, Any] = {"dnf": f"not run: did not finish at {at[0]}"}
                cell.update(_extrapolate(at, triples, bound=True))
                entry["engines"][engine] = cell
                continue
            runs = []
            keys = work / f"keys-{engine}-{name.replace(' ', '')}.json"
            for i in range(args.runs):
                r = run_profile(engine, spec, keys, args, args.time_limit)
                runs.append(r)
                log(f"{name} {engine} run {i + 1}: " + _cell(_summarise([r]), with_same=False))
                if "dnf" in r or "error" in r:
                    break
            cell = _summarise(runs)
            if "dnf" in cell:
                stopped[engine] = (name, triples, cell)
                if engine in basis:
                    cell.update(_extrapolate(basis[engine], triples, limit=cell))
            elif "error" not in cell:
                if name != "bill":  # the bill graph is too small to extrapolate from
                    basis[engine] = (name, triples, cell)
                mine = load_keys(keys)
                if ref is None:  # pySHACL (first) if it finished, else the first that did
                    ref = (engine, mine)
                else:
                    cell["same"] = {"reference": ref[0], **compare(mine, ref[1])}
            entry["engines"][engine] = cell
    return out


def _summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    bad = [r for r in runs if "dnf" in r or "error" in r]
    if bad:
        return bad[0]
    cell: dict[str, Any] = {"runs": runs}
    for key in ("wall_s", "load_s", "validate_s", "peak_rss_mib"):
        cell[key] = statistics.median(r[key] for r in runs)
    cell["results"] = runs[0]["results"]
    cell["conforms"] = runs[0]["conforms"]
    if runs[0].get("messages_dropped"):
        cell["messages_dropped"] = runs[0]["messages_dropped"]
    return cell


def _extrapolate(at: tuple[str, int, dict[str, Any]], triples: int, *, bound: bool = False,
                 limit: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """Linear in the triples, from a finished slice, or (``bound``) from a limit hit there.

    From a limit the figure is a lower bound (the run needed more than the limit); a linear
    estimate below the limit that stopped the run is not given (the engine is superlinear).
    """
    name, size, cell = at
    ratio = triples / size
    out: dict[str, Any] = {"from": name, "bound": bound}
    if bound:
        if cell["dnf"] == "time limit":
            out["wall_s"] = round(cell["limit_s"] * ratio)
        else:
            out["peak_rss_mib"] = round(cell["limit_gib"] * 1024 * ratio)
        return {"extrapolated": out}
    wall, peak = cell["wall_s"] * ratio, cell["peak_rss_mib"] * ratio
    if limit is not None and limit["dnf"] == "time limit" and wall < limit["limit_s"]:
        return {}
    if limit is not None and limit["dnf"] == "memory limit" and peak < limit["limit_gib"] * 1024:
        return {}
    return {"extrapolated": {**out, "wall_s": round(wall), "peak_rss_mib": round(peak)}}


# --- tables ----------------------------------------------------------------------------------


def _size(mib: float) -> str:
    return f"{mib / 1024:.1f} GiB" if mib >= 1024 else f"{mib:.0f} MiB"


def _cell(cell: dict[str, Any], with_same: bool = True) -> str:
    if "error" in cell:
        return f"error: {cell['error'][:120]}"
    if "dnf" in cell:
        if cell["dnf"].startswith("not run"):
            text = cell["dnf"]
        elif cell["dnf"] == "time limit":
            limit = cell["limit_s"]
            text = f"did not finish (time limit, {limit / 60:g} min)" if limit >= 120 else (
                f"did not finish (time limit, {limit:g} s)")  # fmt: skip
        else:
            text = f"did not finish (memory limit, {cell['limit_gib']:g} GiB)"
        ext = cell.get("extrapolated")
        if ext:
            sign = "≥" if ext["bound"] else "≈"
            parts = [
                f"{sign} {ext['wall_s']:,} s" if "wall_s" in ext else "",
                f"{sign} {_size(ext['peak_rss_mib'])}" if "peak_rss_mib" in ext else "",
            ]
            basis = "its limit at " if ext["bound"] else ""
            text += f"; {', '.join(p for p in parts if p)} (linear from {basis}{ext['from']})"
        return str(text)
    text = (f"{cell['wall_s']:.1f} s ({cell['validate_s']:.1f} s validating), "
            f"{_size(cell['peak_rss_mib'])}, {cell['results']:,} results")  # fmt: skip
    if with_same and "same" in cell:
        text += ", " + _same(cell["same"])
    return text


def _same(vs: dict[str, Any]) -> str:
    ref = "pySHACL" if vs["reference"] == "pyshacl" else BY_NAME[vs["reference"]].label
    if vs["same"]:
        return f"same as {ref}"
    text = f"differs from {ref}: {vs['missing']:,} missing, {vs['extra']:,} extra"
    if vs.get("same_up_to_canonical_literals"):
        text += " (equal up to canonical literal forms)"
    elif vs.get("same_without_sparql_results"):
        text += " (all missing are SPARQL-constraint results)"
    return text


def markdown(results: dict[str, Any]) -> str:
    lines = []
    w3c = results.get("w3c")
    if w3c:
        lines += [
            f"W3C SHACL test suite: {w3c['tests']} tests ({w3c['core']} Core, "
            f"{w3c['sparql']} SHACL-SPARQL), `{Path(w3c['suite']).name}`; a refusal of an "
            "`sht:Failure` test counts as a pass.", "",
            "| engine | pass (Core + SPARQL) | wrong | refused | crashed "
            "| probes: SPARQL constraint / target / component |",
            "|---|---|---|---|---|---|",
        ]  # fmt: skip
        for name, e in w3c["engines"].items():
            probes = " / ".join(v.split(":")[0] for v in e["probes"].values())
            passed = f"{e['pass']} ({e['pass_core']} + {e['pass'] - e['pass_core']})"
            lines.append(f"| {BY_NAME[name].label} | {passed} | {e['wrong']} | "
                         f"{e['refused']} | {e['crashed']} | {probes} |")  # fmt: skip
        lines.append("")
        for name, e in w3c["engines"].items():
            groups: dict[tuple[str, str], list[str]] = {}
            for f in e["not_passing"]:
                groups.setdefault((f["status"], _reason(f["detail"])), []).append(f["id"])
            if groups:
                lines.append(f"- **{BY_NAME[name].label}**, not passing: " + "; ".join(
                    f"{status}, {reason} ({len(ids)}): " + ", ".join(f"`{i}`" for i in ids)
                    for (status, reason), ids in groups.items()
                ) + ".")  # fmt: skip
        lines.append("")
    profile = results.get("profile")
    if profile:
        names = list(profile["datasets"])
        sets = profile["datasets"]
        heads = [f"{'bill graph' if n == 'bill' else n} ({sets[n]['triples']:,} triples)"
                 for n in names]  # fmt: skip
        lines += ["| engine | " + " | ".join(heads) + " |", "|---" * (len(names) + 1) + "|"]
        engines = list(profile["datasets"][names[0]]["engines"])
        for engine in engines:
            cells = [_cell(profile["datasets"][n]["engines"].get(engine, {"error": "—"}))
                     for n in names]  # fmt: skip
            lines.append(f"| {BY_NAME[engine].label} | " + " | ".join(cells) + " |")
        for n in names:
            for note in profile["datasets"][n]["notes"]:
                lines.append(f"\nNote on {n}: {note}.")
    skipped = results.get("skipped")
    if skipped:
        lines += ["", "Not run: " + "; ".join(f"{k} ({v})" for k, v in skipped.items()) + "."]
    return "\n".join(lines)


def _reason(detail: str) -> str:
    """The reason of a non-passing test without what names the test (to group tests by it)."""
    text = re.sub(r"shape (<[^>]*>|_:\S+): ", "", detail)
    text = re.sub(r"\s+", " ", text.split(": ", 1)[0] if "result(s)" in text else text)
    text = re.sub(r"(variable \?|expected class :?)\S+", r"\1…", text)
    text = text.replace("|", "\\|")
    return text[:110] + ("…" if len(text) > 110 else "")


# --- main ------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--engines", default=",".join(e.name for e in ENGINES))
    ap.add_argument("--fractions", default="0.01,0.1,1")
    ap.add_argument("--runs", type=int, default=1, help="runs of each profile measurement")
    ap.add_argument("--w3c-only", action="store_true", help="the W3C suite only")
    ap.add_argument("--profile-only", action="store_true", help="the profile only (no W3C)")
    ap.add_argument(
        "--smoke",
        action="store_true",
        help="W3C, bill graph, a 0.05 %% slice, one run; skip what is absent",
    )
    ap.add_argument("--slice", action="append", default=[], metavar="F=STORE,NT",
                    help="use this store and N-Triples (one ingest) for fraction F")  # fmt: skip
    ap.add_argument("--source", default=str(find_shared("national-law/statutes-kr.tar.xz")),
                    help="corpus for slices not given by --slice")  # fmt: skip
    ap.add_argument("--suite", type=Path, default=find_shared("w3c-shacl-tests"))
    ap.add_argument("--bill", default=str(ROOT / "build" / "bill" / "legigraph.nt"))
    ap.add_argument("--memory-gib", type=float, default=20.0, help="RLIMIT_AS of each child")
    ap.add_argument("--time-limit", type=float, default=1800.0, metavar="S",
                    help="seconds for one profile measurement")  # fmt: skip
    ap.add_argument("--case-limit", type=float, default=120.0, metavar="S",
                    help="seconds for one W3C test")  # fmt: skip
    ap.add_argument("--work", help="keep slices, reports and logs here (default: a temp dir)")
    ap.add_argument("--out", help="results JSON (default bench/results/shacl-engines-….json)")
    args = ap.parse_args()
    if args.smoke:  # < 2 min in all
        args.fractions, args.runs = "0.0005", 1
        args.time_limit = min(args.time_limit, 60.0)
    args.profile_skip = SMOKE_PROFILE_SKIP if args.smoke else {}
    args.memory = int(args.memory_gib * GIB)
    args.fraction_list = [] if args.w3c_only else [float(f) for f in args.fractions.split(",") if f]
    args.slices = {}
    for item in args.slice:
        fraction, _, paths = item.partition("=")
        store, _, nt = paths.partition(",")
        args.slices[float(fraction)] = (Path(store), Path(nt))
    args.shapes = sorted((ROOT / "shapes").glob("*.ttl"))
    return args


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        CHILDREN[sys.argv[2]](*sys.argv[3:])
        return 0
    args = parse_args()
    if not (args.suite / "manifest.ttl").exists():
        log(f"the W3C suite is missing: {args.suite}/manifest.ttl (pass --suite)")
        return 2
    names = [n.strip() for n in args.engines.split(",") if n.strip()]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        log(f"unknown engine(s) {', '.join(unknown)}; known: {', '.join(BY_NAME)}")
        return 2
    skipped = {n: why for n in names if (why := missing(BY_NAME[n]))}
    if skipped and not args.smoke:
        for n, why in skipped.items():
            log(f"{n}: {why}")
        log("install them, or leave them out with --engines")
        return 2
    for n, why in skipped.items():
        log(f"skipped {n}: {why}")
    engines = [n for n in names if n not in skipped]
    skipped.update({n: why for n, why in args.profile_skip.items() if n in engines})
    if not args.w3c_only and not Path(args.bill).exists():
        subprocess.run([PY, "-m", "legigraph", "build"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    results: dict[str, Any] = {
        "command": " ".join([Path(PY).name, *sys.argv]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(), "memory_limit_gib": args.memory_gib,
        "time_limit_s": args.time_limit, "load_before": os.getloadavg(),
        "versions": versions(), "skipped": skipped,
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="lg-shacl-engines-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if not args.profile_only:
            results["w3c"] = w3c_phase(engines, args, work)
        if not args.w3c_only:
            results["profile"] = profile_phase(engines, args, work)
    results["load_after"] = os.getloadavg()
    kind = "smoke" if args.smoke else "w3c" if args.w3c_only else "run"
    path = Path(args.out or ROOT / "bench" / "results" / f"shacl-engines-{kind}-{stamp}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    print(markdown(results))
    log(f"written {path}")
    errors = [f"{e} on {d}" for d, v in (results.get("profile") or {}).get("datasets", {}).items()
              for e, c in v["engines"].items() if "error" in c]  # fmt: skip
    if errors:
        log("FAILED (an engine raised an error): " + ", ".join(errors))
        return 1
    return 0


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for package in ("pyshacl", "pyshacl-turbo", "pyrudof", "pyoxigraph", "rdflib"):
        with contextlib.suppress(PackageNotFoundError):
            out[package] = version(package)
    if shutil.which("java"):
        java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
        out["java"] = java.stderr.splitlines()[0] if java.stderr else "?"
    if (JAVA_DIR / "jena-core.jar").exists():
        out["jena"] = os.path.realpath(JAVA_DIR / "jena-core.jar").rsplit("-", 1)[-1][:-4]
    return out


if __name__ == "__main__":
    raise SystemExit(main())
