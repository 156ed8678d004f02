"""The statute corpus for the tests that read it: skipped with a reason when it is missing.

``LEGIGRAPH_CORPUS_DIR`` names an unpacked copy (a folder holding ``kr/``); otherwise
``../shared/national-law/statutes-kr.tar.xz`` is unpacked once per test session.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from pathlib import Path

import pytest

from legigraph.ingest import ingest_statutes
from tests.conftest import ROOT, SHARED

TARBALL = SHARED / "national-law" / "statutes-kr.tar.xz"
FIXTURES = ROOT / "tests" / "fixtures"


def small_national_store(folder: Path, bill: Path) -> Path:
    """A real national store in ``folder``: the fixture statutes, the four committed laws
    (민법, 고등교육법, 지속가능발전 기본법, 특정연구기관 육성법), one real family of the
    corpus (서예진흥에 관한 법률, its 시행령 and 시행규칙) and the bill graph ``bill``."""
    corpus = folder / "corpus"
    sources = (FIXTURES / "corpus", FIXTURES / "corpus-cross", ROOT / "data/external/legalize-kr")
    for source in sources:
        for law in (source / "kr").iterdir():
            if law.name != "깨진법":
                shutil.copytree(law, corpus / "kr" / law.name)
    path = folder / "store"
    index = FIXTURES / "corpus-cross" / "index_all_laws.csv"
    ingest_statutes(corpus, path, index, quiet=True, bill=bill)
    return path


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the corpus's ``kr/``."""
    given = os.environ.get("LEGIGRAPH_CORPUS_DIR")
    if given:
        if not (Path(given) / "kr").is_dir():
            pytest.fail(f"LEGIGRAPH_CORPUS_DIR={given} holds no kr/ folder")
        return Path(given)
    if not TARBALL.is_file():
        pytest.skip(f"needs the statute corpus: {TARBALL} is missing")
    dest = tmp_path_factory.mktemp("corpus")
    with tarfile.open(TARBALL, mode="r:xz") as archive:
        archive.extractall(dest, filter="data")
    return dest
