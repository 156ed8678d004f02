"""The statute corpus for the tests that read it: skipped with a reason when it is missing.

``LEGIGRAPH_CORPUS_DIR`` names an unpacked copy (a folder holding ``kr/``); otherwise
``../shared/national-law/statutes-kr.tar.xz`` is unpacked once per test session.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import pytest

from tests.conftest import SHARED

TARBALL = SHARED / "national-law" / "statutes-kr.tar.xz"


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
