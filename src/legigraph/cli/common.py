"""What every command of the CLI shares: output, the checkout, sizes and common options."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from legigraph.errors import InputError
from legigraph.io import format_size
from legigraph.paths import Layout
from legigraph.query.engines import Engine
from legigraph.query.limits import parse_size
from legigraph.query.saved import DEFAULT_MAX_MEMORY, DEFAULT_TIMEOUT, QueryError


def emit(text: str) -> None:
    """Write to stdout; a reader that went away (``| head``) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def layout(args: argparse.Namespace) -> Layout:
    """The checkout the command works in (``--root``, else this one)."""
    return Layout(Path(args.root).resolve()) if args.root else Layout.default()


def mib(value: float, flag: str) -> int:
    """``value`` MiB in bytes; a size that is not positive is a usage error."""
    if value <= 0:
        raise InputError(flag, f"{value} is not a size in MiB", "give a positive number")
    return int(value * (1 << 20))


def size(text: str) -> int:
    """An argparse type: ``512M``, ``4G`` … in bytes."""
    try:
        return parse_size(text)
    except QueryError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def password(args: argparse.Namespace) -> str | None:
    """The password from ``--password-env VAR``; an unset VAR is an error, before any call."""
    if not args.password_env:
        return None
    value = os.environ.get(args.password_env)
    if not value:
        state = "is empty" if value == "" else "is not set"
        raise InputError(
            f"--password-env {args.password_env}",
            f"the environment variable {args.password_env} {state}, so there is no password "
            "to send",
            f"export {args.password_env}=… first (or leave out --password-env)",
        )
    return value


@contextlib.contextmanager
def closing(engine: Engine) -> Iterator[Engine]:
    """``engine``, its query workers ended when the command is done."""
    try:
        yield engine
    finally:
        engine.close()


def limit_args(p: argparse.ArgumentParser, timeout: float = DEFAULT_TIMEOUT) -> None:
    """``--timeout`` and ``--max-memory``, the limits of each query."""
    p.add_argument(
        "--timeout",
        type=float,
        default=timeout,
        metavar="SECONDS",
        help=f"time limit of each query (default {timeout:g} s)",
    )
    p.add_argument(
        "--max-memory",
        type=size,
        default=DEFAULT_MAX_MEMORY,
        metavar="SIZE",
        help="memory each query may allocate on an embedded engine, e.g. 512M or 4G "
        f"(default {format_size(DEFAULT_MAX_MEMORY).replace(' ', '')})",
    )


def remote_args(p: argparse.ArgumentParser, what: str) -> None:
    """``--endpoint``, ``--user`` and ``--password-env``, for a remote store."""
    p.add_argument("--endpoint", required=p.prog.endswith("push"), metavar="URL", help=what)
    p.add_argument("--user", help="user name for HTTP authentication")
    p.add_argument(
        "--password-env",
        metavar="VAR",
        help="environment variable holding the password (never on the command line)",
    )
