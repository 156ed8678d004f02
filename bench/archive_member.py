"""Memory of the ingest on a zip-bomb-like archive: a small .tar.xz holding one huge member.

Usage:
    python bench/archive_member.py [--size-mib 1024] [--max-member-mb N] [--src DIR]

Writes ``statutes-kr.tar.xz`` with one member ``kr/큰법/법률.md`` of ``--size-mib`` MiB of
zeros (streamed into xz: 1 GiB is about 160 kB, never on disk unpacked), then runs
``legigraph ingest statutes`` on it in a child process (``--no-bill``, the fixture index,
a scratch store) and prints its exit code, last line of output, wall time and peak RSS
(the child's own ``getrusage``). ``--src`` runs another checkout's ``src/`` (an older
commit unpacked with ``git archive``) to compare; ``--max-member-mb`` is passed through
(a limit above the member makes the ingest read it, within the limit).
"""

from __future__ import annotations

import argparse
import json
import lzma
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT / "tests" / "fixtures" / "corpus" / "index_all_laws.csv"
CHILD = r"""
import json, resource, sys
from legigraph.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}),
      file=sys.stderr)
sys.exit(code)
"""


def write_archive(path: Path, size: int) -> None:
    """A .tar.xz of one member of ``size`` zero bytes, compressed as it is generated."""
    info = tarfile.TarInfo("kr/큰법/법률.md")
    info.size, info.mtime = size, 1_700_000_000
    packer = lzma.LZMACompressor(preset=6)
    zeros = bytes(1 << 20)
    with path.open("wb") as out:
        out.write(packer.compress(info.tobuf(tarfile.GNU_FORMAT)))
        for start in range(0, size, len(zeros)):
            out.write(packer.compress(zeros[: min(len(zeros), size - start)]))
        padding = -size % tarfile.BLOCKSIZE
        out.write(packer.compress(b"\0" * (padding + 2 * tarfile.BLOCKSIZE)))
        out.write(packer.flush())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--max-member-mb", help="passed to the ingest")
    parser.add_argument("--src", type=Path, help="run this src/ instead of the installed one")
    parser.add_argument("--write-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_only:
        write_archive(args.write_only, args.size_mib << 20)
        return 0
    with tempfile.TemporaryDirectory(prefix="archive-member-") as scratch:
        archive = Path(scratch) / "statutes-kr.tar.xz"
        clock = time.perf_counter()
        # in a process of its own: a child's peak RSS starts from its parent's at fork, and
        # the xz compressor takes some 90 MB
        subprocess.run([sys.executable, __file__, "--size-mib", str(args.size_mib),
                        "--write-only", str(archive)], check=True)  # fmt: skip
        made = time.perf_counter() - clock
        cli = ["ingest", "statutes", str(archive), "--store", str(Path(scratch) / "store"),
               "--index", str(INDEX), "--no-bill", "--workers", "1", "--quiet"]  # fmt: skip
        if args.max_member_mb:
            cli += ["--max-member-mb", args.max_member_mb]
        env = dict(os.environ)
        if args.src:
            env["PYTHONPATH"] = str(args.src.resolve())
            cli.remove("--quiet")  # older commits have no --quiet on ingest
        clock = time.perf_counter()
        child = subprocess.run([sys.executable, "-c", CHILD, *cli], capture_output=True,
                               text=True, env=env, check=False)  # fmt: skip
        wall = time.perf_counter() - clock
        lines = [line for line in child.stderr.splitlines() if line.strip()]
        stats = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
        said = [line for line in (child.stdout + child.stderr).splitlines() if line.strip()]
        report = {
            "member_mib": args.size_mib,
            "archive_bytes": archive.stat().st_size,
            "made_in_s": round(made, 1),
            "exit": child.returncode,  # 2: refused (too big, or nothing to ingest)
            "said": said[-2] if len(said) > 1 else said[:1],
            "wall_s": round(wall, 1),
            **stats,
        }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
