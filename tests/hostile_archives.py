"""The hostile statute archives of tests/hostile/ (``archive-*.tar.xz``), made reproducibly.

Each archive is small on disk; the ones that are large unpacked are made of highly
compressible bytes (a 17 MiB member is 2.6 kB of xz). ``python -m tests.hostile_archives``
writes them again; tests/test_hostile.py checks that the committed ones are what this
module makes.
"""

from __future__ import annotations

import io
import lzma
import tarfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "hostile"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
MIB = 1 << 20

Entry = tuple[tarfile.TarInfo, bytes | None]


def _info(
    name: str, kind: bytes = tarfile.REGTYPE, size: int = 0, link: str = ""
) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname = kind, size, link
    info.mtime, info.mode, info.uname, info.gname = 1_700_000_000, 0o644, "root", "root"
    if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
        info.devmajor, info.devminor = 1, 5  # /dev/zero
    return info


def _file(name: str, data: bytes) -> Entry:
    return _info(name, size=len(data)), data


def _statute(padding: int = 0) -> bytes:
    """A valid statute of the fixture corpus, its first article padded to ``padding`` bytes."""
    text = (CORPUS / "kr" / "라마바법" / "법률.md").read_bytes()
    marker = "특례를 정한다.".encode()
    assert marker in text
    return text.replace(marker, marker + b" " * padding, 1)


def _tar(entries: list[Entry]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return lzma.compress(raw.getvalue(), preset=6)


def _lying_header() -> bytes:
    """A tar whose only member claims 1 TiB and holds 1 kB: refused before it is read."""
    info = _info("kr/거짓법/법률.md", size=1 << 40)
    return lzma.compress(info.tobuf(tarfile.GNU_FORMAT) + b"\0" * 1024)


def _special(kind: bytes, name: str, link: str = "") -> Callable[[], bytes]:
    return lambda: _tar([(_info(name, kind, link=link), None)])


def _one(name: str, data: Callable[[], bytes]) -> Callable[[], bytes]:
    return lambda: _tar([_file(name, data())])


LINK = "kr/링크법/법률.md"
BIG = "kr/큰법/법률.md"
ARCHIVES: dict[str, Callable[[], bytes]] = {
    "archive-symlink.tar.xz": _special(tarfile.SYMTYPE, LINK, "/etc/passwd"),
    "archive-symlink-relative.tar.xz": _special(tarfile.SYMTYPE, LINK, "../../../../etc/passwd"),
    "archive-hardlink.tar.xz": _special(tarfile.LNKTYPE, LINK, "/etc/passwd"),
    "archive-device.tar.xz": _special(tarfile.CHRTYPE, "kr/장치법/법률.md"),
    "archive-fifo.tar.xz": _special(tarfile.FIFOTYPE, "kr/파이프법/법률.md"),
    "archive-directory-named-md.tar.xz": _special(tarfile.DIRTYPE, "kr/폴더법/법률.md"),
    "archive-traversal.tar.xz": _one("kr/../../../tmp/법률.md", _statute),
    "archive-traversal-top.tar.xz": _one("../kr/가법/법률.md", _statute),
    "archive-absolute.tar.xz": _one("/kr/가법/법률.md", _statute),
    "archive-member-17mib-zeros.tar.xz": _one(BIG, lambda: b"\0" * (17 * MIB)),
    "archive-member-3mib-statute.tar.xz": _one(BIG, lambda: _statute(3 * MIB)),
    "archive-corpus-over-limit.tar.xz": lambda: _tar(
        [_file(f"kr/법{i}/법률.md", _statute(700_000)) for i in range(3)]
    ),
    "archive-lying-size.tar.xz": _lying_header,
    "archive-long-name-18mib.tar.xz": lambda: lzma.compress(
        _info("kr/" + "가" * (6 * MIB) + "/법률.md").tobuf(tarfile.GNU_FORMAT)
    ),
    "archive-truncated.tar.xz": lambda: _one("kr/라마바법/법률.md", lambda: _statute(MIB))()[:300],
    "archive-not-xz.tar.xz": lambda: b"PK\x03\x04 not an xz stream",
    "archive-empty.tar.xz": lambda: _tar([]),
    "archive-only-broken.tar.xz": _one(
        "kr/깨진법/법률.md", lambda: (CORPUS / "kr" / "깨진법" / "법률.md").read_bytes()
    ),
}


def write_all(folder: Path = HOSTILE) -> None:
    for name, make in ARCHIVES.items():
        (folder / name).write_bytes(make())


if __name__ == "__main__":
    write_all()
