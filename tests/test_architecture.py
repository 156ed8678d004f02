"""The package's structure (docs/architecture.md): imports run one way, no cycles, no
function-level imports of legigraph modules, modules of at most 500 lines."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "legigraph"

# The layers, lowest first: a module may import its own layer and those below it.
LAYERS = [
    {"errors", "paths", "progress"},
    {"model"},
    {"inputs", "io"},
    {"sources", "amendments"},
    {"link", "shacl", "query"},
    {"stores"},
    {"build", "ingest", "effects", "validate", "reason", "dump"},
    {"cli", "serve", "draft", "history", "register", "__main__", "legigraph"},
]
LONG = 500
# Modules still over the limit, each to be split; a module that shrinks must leave the list.
STILL_LONG: set[str] = set()


def _unit(module: str) -> str:
    """The layer unit of a module: its subpackage, or the top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "legigraph"


def _layer(unit: str) -> int:
    for i, units in enumerate(LAYERS):
        if unit in units:
            return i
    raise AssertionError(f"{unit} is in no layer of tests/test_architecture.py")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("legigraph", *parts)).removesuffix(".__init__")
        found[name] = path
    return found


MODULES: set[str] = set()  # every module of the package (filled below)


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module imported, line, at module level) for every legigraph import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body} | {
        id(m)
        for n in tree.body
        if isinstance(n, ast.If)
        for m in n.body  # TYPE_CHECKING
    }
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("legigraph"):
            # "from legigraph.draft import compare" imports the submodule, not the package
            names = [
                f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
                for a in node.names
            ]
            out += [(n, node.lineno, id(node) in top) for n in names]
        elif isinstance(node, ast.Import):
            out += [(a.name, node.lineno, id(node) in top) for a in node.names
                    if a.name.startswith("legigraph")]  # fmt: skip
    return out


MODULES.update(_modules())


def test_imports_run_down_the_layers() -> None:
    wrong = []
    for module, path in _modules().items():
        for target, line, _ in _imports(path):
            if _layer(_unit(target)) > _layer(_unit(module)):
                wrong.append(f"{path.relative_to(ROOT)}:{line} {module} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_function_level_imports_of_legigraph() -> None:
    local = [
        f"{path.relative_to(ROOT)}:{line} {target}"
        for module, path in _modules().items()
        if not module.startswith("legigraph.cli")  # the CLI imports a command's module when it runs
        for target, line, at_top in _imports(path)
        if not at_top
    ]
    assert not local, "\n".join(local)


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {m: {t for t, _, _ in _imports(p) if t in modules} for m, p in modules.items()}
    done: set[str] = set()

    def visit(node: str, stack: list[str]) -> None:
        if node in stack:
            raise AssertionError(
                "import cycle: " + " -> ".join([*stack[stack.index(node) :], node])
            )
        if node in done:
            return
        for nxt in sorted(graph[node]):
            visit(nxt, [*stack, node])
        done.add(node)

    for module in sorted(graph):
        visit(module, [])


def test_modules_are_short() -> None:
    lengths = {
        m.removeprefix("legigraph."): len(p.read_text(encoding="utf-8").splitlines())
        for m, p in _modules().items()
    }
    long = {m for m, n in lengths.items() if n > LONG}
    assert long <= STILL_LONG, f"over {LONG} lines: {sorted(long - STILL_LONG)}"
    assert long >= STILL_LONG, f"now short, take off STILL_LONG: {sorted(STILL_LONG - long)}"


def test_no_private_names_cross_modules() -> None:
    """``from legigraph.x import _name`` reaches into another module's insides."""
    private = []
    for _, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("legigraph"):
                private += [f"{path.relative_to(ROOT)}:{node.lineno} {node.module}.{a.name}"
                            for a in node.names if a.name.startswith("_")]  # fmt: skip
    assert not private, "\n".join(private)
