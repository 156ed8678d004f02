"""The SHACL engine benchmark's harness runs: its --smoke W3C part, on pySHACL only (fast).

The full smoke run (every engine, the bill graph and a slice) is the CI step of
``scripts/test``; this keeps the harness itself from rotting between benchmark runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench" / "shacl_engines.py"
sys.path.insert(0, str(ROOT / "bench"))
import shacl_engines  # noqa: E402

SUITE_ROOT = shacl_engines.find_shared("w3c-shacl-tests")


@pytest.mark.skipif(not (SUITE_ROOT / "manifest.ttl").exists(), reason="no shared/w3c-shacl-tests")
def test_smoke_w3c_on_pyshacl(tmp_path: Path) -> None:
    out = tmp_path / "smoke.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--smoke", "--w3c-only", "--engines", "pyshacl",
         "--work", str(tmp_path / "work"), "--out", str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(out.read_text())
    w3c = results["w3c"]
    assert w3c["tests"] == w3c["core"] + w3c["sparql"] > 100
    engine = w3c["engines"]["pyshacl"]
    counted = sum(engine[k] for k in ("pass", "wrong", "refused", "crashed"))
    assert counted == w3c["tests"]
    assert engine["pass_core"] >= 90  # pySHACL passes Core but for a known test or two
    assert len(engine["not_passing"]) == w3c["tests"] - engine["pass"]
    assert all(f["detail"] for f in engine["not_passing"])
    assert set(engine["probes"]) == {"sparql-constraint", "sparql-target", "sparql-component"}
    assert all(p.startswith("evaluated") for p in engine["probes"].values())
    assert "| pySHACL on rdflib |" in proc.stdout  # the Markdown table


def test_reasons_group_tests_without_their_names() -> None:
    a = "UnsupportedShape: shape <http://x/a#S>: sh:and is not compiled"
    b = "UnsupportedShape: shape _:n1: sh:and is not compiled"
    assert shacl_engines._reason(a) == shacl_engines._reason(b)
    wrong = "1 result(s) missing, 0 unexpected: http://x/a#focus …"
    assert shacl_engines._reason(wrong) == "1 result(s) missing, 0 unexpected"
