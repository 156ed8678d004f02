"""Hostile input: every file of tests/hostile (and generated ones) gets its exit code and
message, nothing is fetched, and the build and its store are byte-identical afterwards.

The cases are data (tests/hostile/cases.yaml); docs/security.md states the threat model.
A loopback server (the tripwire) stands in for every remote address a file names and
fails the test if anything contacts it.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from legigraph.build import BuildResult
from legigraph.cli import main
from tests.conftest import ROOT

HOSTILE = ROOT / "tests" / "hostile"
CASES: dict[str, list[Any]] = yaml.safe_load((HOSTILE / "cases.yaml").read_text(encoding="utf-8"))


class _Tripwire(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"@context": {}}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def tripwire() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Tripwire)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Tripwire.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    assert not _Tripwire.hits, f"the network was used: {_Tripwire.hits}"


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (a build and its store)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def untouched(built: BuildResult) -> Iterator[None]:
    """The build (graph, store, manifest) is byte-identical after every hostile case."""
    before = tree_digest(built.out_dir)
    yield
    assert tree_digest(built.out_dir) == before


def run(built: BuildResult, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--root", str(built.out_dir.parents[1]), "validate", "--no-context", *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_the_corpus_is_listed() -> None:
    on_disk = {p.name for p in HOSTILE.iterdir() if p.name != "cases.yaml"}
    assert on_disk == set(CASES)
    assert len(CASES) + len(GENERATED) >= 40


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file(
    name: str,
    built: BuildResult,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    tripwire: str,
    untouched: None,
) -> None:
    code_expected, message = CASES[name]
    path = tmp_path / name
    path.write_bytes((HOSTILE / name).read_bytes().replace(b"{TRIPWIRE}", tripwire.encode()))
    code, out = run(built, capsys, str(path))
    assert code == code_expected, out
    assert message in out, out
    assert "Traceback" not in out
    if code == 2:
        assert name in out, out  # the file is named
    assert "root:x:" not in out  # nothing of /etc/passwd was read


def _imports(tripwire: str) -> str:
    heads = "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<http://example.org/o> a owl:Ontology"
    return heads + "".join(f" ;\n  owl:imports <{tripwire}i/{i}>" for i in range(10_000)) + " .\n"


GENERATED = {  # name → (content, extra arguments, exit code, message)
    "owl-imports-10k.ttl": (_imports, [], 0, "10000 owl:imports not followed"),
    "one-line-100mb.ttl": (
        lambda _: '<http://example.org/a> <http://example.org/p> "' + "x" * 100_000_000 + '" .',
        [], 2, "over the input limit"),
    "two-mb.nt": (
        lambda _: '<http://example.org/a> <http://example.org/p> "' + "y" * 2_000_000 + '" .\n',
        ["--max-input-mb", "1"], 2, "over the input limit of 1 MiB"),
    "two-mb-allowed.nt": (
        lambda _: '<http://example.org/a> <http://example.org/p> "' + "y" * 2_000_000 + '" .\n',
        ["--max-input-mb", "3"], 0, "conforms"),
    "deep.jsonld": (lambda _: "[" * 20_000 + "]" * 20_000, [], 2, "nested more than"),
    "deep-object.jsonld": (
        lambda _: '{"http://example.org/p": ' * 5_000 + '"x"' + "}" * 5_000, [], 2,
        "nested more than"),
    "many-contexts.jsonld": (
        lambda t: json.dumps([{"@context": {"ex": "http://example.org/"}, "@id": f"ex:{i}",
                               "ex:p": {"@context": [t + f"c{i}"]}} for i in range(500)]),
        [], 2, "remote document"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_hostile_file(
    name: str,
    built: BuildResult,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    tripwire: str,
    untouched: None,
) -> None:
    make, args, code_expected, message = GENERATED[name]
    path = tmp_path / name
    path.write_text(make(tripwire), encoding="utf-8")
    code, out = run(built, capsys, str(path), *args)
    assert code == code_expected, out[:2000]
    assert message in out, out[:2000]
    assert "Traceback" not in out
