"""What every build script shares: write the derived files, and the command line around
``build(source, out) -> {relative path: bytes}`` (a source folder argument, ``--out``, a one-line
error, and one line per written file with its sha256 prefix and size)."""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from impactsim.errors import DataSourceError


def write_files(out: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (relative path → bytes) below ``out``, creating folders as needed."""
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def build_main(
    build: Callable[[Path, Path], Mapping[str, bytes]],
    *,
    doc: str,
    source_help: str,
    default_out: Path,
    argv: list[str] | None = None,
) -> int:
    """The command line of a build script; returns the exit status (1 on a bad source file)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("source", type=Path, help=source_help)
    parser.add_argument("--out", type=Path, default=default_out)
    args = parser.parse_args(argv)
    try:
        files = build(args.source, args.out)
    except DataSourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for rel, data in sorted(files.items()):
        print(f"{hashlib.sha256(data).hexdigest()[:12]}  {len(data):>8}  {args.out / rel}")
    return 0
