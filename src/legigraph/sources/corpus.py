"""The statute corpus as the ingest reads it: a legalize-kr directory or ``statutes-kr.tar.xz``.

Both are untrusted input, read within bounds (docs/security.md, "Untrusted archives"):

- every file has a size limit (``max_member``, 16 MiB by default: the largest statute of
  the corpus is 2 MB) and is read streamed, at most the limit plus one byte, so a member
  that unpacks to gigabytes costs no more memory than the limit; the corpus as a whole has
  one too (``max_total``, 2 GiB: the unpacked corpus is 269 MiB), and so has each tar
  header extension (a GNU long name, a pax record: 1 MiB). Past any, the ingest stops
  with an error naming the member and the limit (exit 2);
- an archive member whose name is absolute or climbs out with ``..`` makes the whole
  archive refused; a symbolic or hard link, a device, a FIFO or a directory where a statute
  belongs is not read, and is reported by name as a skipped file. Nothing is extracted;
- in a directory, a file or folder that is a symbolic link leading outside the corpus makes
  the corpus refused (links inside it are followed); a device or FIFO is skipped unread.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import os
import stat
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, cast

from legigraph.errors import InputError
from legigraph.io import format_size

MAX_MEMBER_BYTES = 16 << 20
MAX_TOTAL_BYTES = 2 << 30
_BLOCK = 1 << 20
_HINT = "give a legalize-kr checkout, the unpacked statutes-kr.tar.xz or the archive itself"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Member:
    """One corpus file: its name relative to the corpus (``kr/…/법률.md``) and a reader.

    ``problem`` says why a file is listed but never read (a link, a device …): the ingest
    reports it as skipped.
    """

    name: str
    size: int
    read: Callable[[], bytes]
    problem: str = ""


@dataclass(frozen=True)
class Limits:
    """The size bounds of one read of the corpus (bytes)."""

    max_member: int = MAX_MEMBER_BYTES
    max_total: int = MAX_TOTAL_BYTES


def is_statute(name: str) -> bool:
    parts = name.split("/")
    return len(parts) == 3 and parts[0] == "kr" and parts[2].endswith(".md")


def is_ordinance(name: str) -> bool:
    """A file of the ordinance-kr layout: ``{지자체}/{기관}/{조례|규칙}/{name}/본문.md``."""
    parts = name.split("/")
    return len(parts) == 5 and parts[2] in ("조례", "규칙") and parts[4] == "본문.md"


@dataclass(frozen=True)
class Layout:
    """Which files of a checkout or archive are the corpus: a glob and a name test."""

    glob: str
    accepts: Callable[[str], bool]
    hint: str


STATUTES = Layout("kr/*/*.md", is_statute, _HINT)
ORDINANCES = Layout("*/*/*/*/본문.md", is_ordinance, "give an ordinance-kr checkout "
                    "({지자체}/{기관}/{조례|규칙}/{name}/본문.md) or an archive of "
                    "one")  # fmt: skip


def list_corpus(
    source: Path, limits: Limits | None = None, advance: Progress | None = None,
    layout: Layout = STATUTES,
) -> tuple[list[Member], str]:  # fmt: skip
    """The corpus files of ``source`` in sorted order, and the input hash.

    A directory hashes its sorted file list with sizes; an archive hashes its bytes.
    ``advance(done, total)`` follows the reading of an archive (compressed bytes).
    ``layout`` says which files are the corpus (the statutes by default).
    """
    limits = limits or Limits()
    if source.is_dir():
        return _directory(source, limits, layout)
    if not source.is_file():
        raise InputError(source, "no such file or directory", "check the path")
    return _archive(source, limits, advance or (lambda done, total: None), layout)


def _too_big(where: Path | str, name: str, size: str, limit: int, flag: str) -> InputError:
    what = "member" if flag == "--max-member-mb" else "corpus"
    return InputError(where, f"{name} is {size} unpacked, over the {what} limit of "
                      f"{format_size(limit)}; nothing was ingested",
                      f"raise it with {flag} N (MiB) if the input is genuine")  # fmt: skip


def _directory(source: Path, limits: Limits, layout: Layout) -> tuple[list[Member], str]:
    root = source.resolve()
    files = sorted(
        p for p in root.glob(layout.glob) if layout.accepts(p.relative_to(root).as_posix())
    )
    if not files:
        raise InputError(source, f"no {layout.glob} files here", layout.hint)
    digest = hashlib.sha256()
    members = []
    total = 0
    for path in files:
        name = path.relative_to(root).as_posix()
        real = path.resolve()
        if not real.is_relative_to(root):
            raise InputError(source / name, f"a symbolic link leads to {real}, outside the "
                             f"corpus {root}: the corpus is refused, nothing was ingested",
                             "copy the file into the corpus instead of linking it")  # fmt: skip
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            members.append(Member(name, 0, _refused, "not a regular file (a device, FIFO or "
                                  "socket): not read"))  # fmt: skip
            continue
        if info.st_size > limits.max_member:
            raise _too_big(source / name, "the file", format_size(info.st_size),
                           limits.max_member, "--max-member-mb")  # fmt: skip
        total += info.st_size
        if total > limits.max_total:
            raise _too_big(source, "the corpus", f"more than {format_size(total - 1)}",
                           limits.max_total, "--max-corpus-mb")  # fmt: skip
        digest.update(f"{name}\t{info.st_size}\n".encode())
        members.append(Member(name, info.st_size, _file_reader(path, name, limits.max_member)))
    return members, "sha256:" + digest.hexdigest()


def _file_reader(path: Path, name: str, limit: int) -> Callable[[], bytes]:
    def read() -> bytes:
        # O_NONBLOCK: a file swapped for a FIFO after the listing does not hang the ingest
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputError(path, "not a regular file any more", "do not change the "
                                 "corpus while it is ingested")  # fmt: skip
            blob = _bounded(handle, limit)
        if blob is None:
            raise _too_big(path, "the file", f"more than {format_size(limit)}", limit,
                           "--max-member-mb")  # fmt: skip
        return blob

    return read


def _refused() -> bytes:
    raise AssertionError("a refused member is never read")


def _bounded(handle: IO[bytes], limit: int) -> bytes | None:
    """At most ``limit`` bytes of ``handle``, read in blocks; None when there are more.

    Gathered in a BytesIO, whose ``getvalue`` hands over its buffer: the member is in
    memory once, not twice (measured with bench/archive_member.py).
    """
    buffer = io.BytesIO()
    size = 0
    while size <= limit:
        block = handle.read(min(_BLOCK, limit + 1 - size))
        if not block:
            return buffer.getvalue()
        buffer.write(block)
        size += len(block)
    return None


class _Counting:
    """A binary file that reports how far it has been read (for the progress bar)."""

    def __init__(self, handle: IO[bytes], total: int, advance: Progress):
        self.handle, self.total, self.advance = handle, total, advance
        self.hash = hashlib.sha256()
        self.done = self.reported = 0

    def read(self, size: int = -1) -> bytes:
        block = self.handle.read(size)
        self.hash.update(block)
        self.done += len(block)
        if self.done - self.reported >= _BLOCK or not block:
            self.advance(self.done, self.total)
            self.reported = self.done
        return block


class _Unxz:
    """The xz stream of ``handle`` unpacked ``size`` bytes at a time.

    tarfile's own ``r|xz`` hands each compressed block to the decompressor whole: a block
    of zeros unpacks to some 70 MB at once. Here no read unpacks more than it returns.
    """

    def __init__(self, handle: _Counting):
        self.handle = handle
        self.unxz = lzma.LZMADecompressor()

    def read(self, size: int = -1) -> bytes:
        size = _BLOCK if size < 0 else size
        out = b""
        while len(out) < size and not self.unxz.eof:
            data = b"" if not self.unxz.needs_input else self.handle.read(_BLOCK // 16)
            if self.unxz.needs_input and not data:
                raise EOFError("the xz stream ends before its end marker (a truncated file?)")
            out += self.unxz.decompress(data, max_length=size - len(out))
        return out


MAX_HEADER_BYTES = 1 << 20


class _HeaderTooBig(Exception):
    pass


class _BoundedInfo(tarfile.TarInfo):
    """A tar header whose extensions (GNU long names, pax records) have a size limit.

    tarfile reads such an extension whole before it yields the member it describes: a
    long name of a gigabyte of zeros would be a gigabyte in memory, past the member limit.
    """

    def _proc_member(self, tarfile_: tarfile.TarFile) -> tarfile.TarInfo:
        extension = (tarfile.GNUTYPE_LONGNAME, tarfile.GNUTYPE_LONGLINK, tarfile.XHDTYPE,
                     tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE)  # fmt: skip
        if self.type in extension and self.size > MAX_HEADER_BYTES:
            raise _HeaderTooBig(self.size)
        member: tarfile.TarInfo = super()._proc_member(tarfile_)  # type: ignore[misc]
        return member


def member_name(raw: str) -> str | None:
    """The corpus name of an archive member (``./`` dropped); None when it escapes."""
    path = PurePosixPath(raw)
    if path.is_absolute() or ".." in path.parts or "\\" in raw or "\0" in raw:
        return None
    return path.as_posix() if path.parts else ""


_NOT_READ = {
    tarfile.SYMTYPE: "a symbolic link", tarfile.LNKTYPE: "a hard link",
    tarfile.CHRTYPE: "a character device", tarfile.BLKTYPE: "a block device",
    tarfile.FIFOTYPE: "a FIFO", tarfile.DIRTYPE: "a directory",
}  # fmt: skip


def _archive(
    source: Path, limits: Limits, advance: Progress, layout: Layout
) -> tuple[list[Member], str]:
    data: dict[str, bytes] = {}
    refused: dict[str, str] = {}
    total = 0
    with source.open("rb") as raw:
        counted = _Counting(raw, source.stat().st_size, advance)
        try:
            unxz = cast(IO[bytes], _Unxz(counted))
            # 64 KiB a read: half the time of 10 kB reads on the corpus (3.1 s, 6.2 s; r|xz 2.3 s)
            with tarfile.open(fileobj=unxz, mode="r|", bufsize=1 << 16,
                              tarinfo=_BoundedInfo) as archive:  # fmt: skip
                for info in archive:
                    name = member_name(info.name)
                    if name is None:
                        raise InputError(source, f"member {info.name!r} is named outside the "
                                         "corpus (an absolute path or '..'): the archive is "
                                         "refused, nothing was ingested",
                                         "unpack nothing from it")  # fmt: skip
                    if not layout.accepts(name):
                        continue
                    if not info.isreg():
                        what = _NOT_READ.get(info.type, f"a member of type {info.type!r}")
                        to = f" to {info.linkname}" if info.issym() or info.islnk() else ""
                        refused[name] = f"{what}{to} in the archive: not read (links, devices " \
                                        "and directories are never followed or extracted)"
                        data.pop(name, None)
                        continue
                    if info.size > limits.max_member:
                        raise _too_big(source, f"member {name}", format_size(info.size),
                                       limits.max_member, "--max-member-mb")  # fmt: skip
                    handle = archive.extractfile(info)
                    assert handle is not None
                    blob = _bounded(handle, limits.max_member)  # the header may lie
                    if blob is None:
                        raise _too_big(source, f"member {name}",
                                       f"more than {format_size(limits.max_member)}",
                                       limits.max_member, "--max-member-mb")  # fmt: skip
                    total += len(blob)
                    if total > limits.max_total:
                        raise _too_big(source, "the archive",
                                       f"more than {format_size(total - 1)}",
                                       limits.max_total, "--max-corpus-mb")  # fmt: skip
                    data[name] = blob
                    refused.pop(name, None)
            while counted.read(_BLOCK):  # the rest of the file, for the hash
                pass
        except _HeaderTooBig as err:
            raise InputError(source, f"a tar header extension (long name or pax record) of "
                             f"{format_size(err.args[0])}, over its limit of "
                             f"{format_size(MAX_HEADER_BYTES)}: the archive is refused, "
                             "nothing was ingested",
                             "ask for a clean archive") from None  # fmt: skip
        except (tarfile.TarError, lzma.LZMAError, EOFError, OSError) as err:
            hint = "give statutes-kr.tar.xz (xz-compressed tar) or its unpacked directory"
            raise InputError(source, f"unreadable archive: {err}", hint) from err
    if not data and not refused:
        raise InputError(source, f"no {layout.glob} members in the archive", "check the archive")
    members = [Member(n, len(data[n]), _reader(data[n])) for n in data]
    members += [Member(n, 0, _refused, problem) for n, problem in refused.items()]
    return sorted(members, key=lambda m: m.name), "sha256:" + counted.hash.hexdigest()


def _reader(blob: bytes) -> Callable[[], bytes]:
    return lambda: blob
