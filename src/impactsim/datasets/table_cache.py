"""An on-disk cache of the bundled tables, as built: parsed, split and validated once per
machine, then read back in a few milliseconds.

Building ``korea-2020`` parses its 165-product CSV files and balances its two splits (about
50 ms); reading its binary form (:mod:`impactsim.tables.binary`) and validating it takes about
10 ms. A cached table is the built table to the last bit (arrays, labels and their dtypes,
metadata): a file is written only after reading it back and comparing, and it is read only for
the same *key* — a SHA-256 over the table's source files (the bundled CSV and split files),
impactsim's table-building code (the ``tables`` and ``datasets`` modules, ``_files`` and
``errors``), the numpy, pandas and Python versions and the CPU features numpy dispatches on.
Any change to one of those builds the table afresh and replaces the file.

Where: ``$XDG_CACHE_HOME/impactsim/tables``, else ``~/.cache/impactsim/tables`` (the user's
cache folder, as for the world gazetteer of ``impactsim draft``), one file per table. Files are
replaced atomically (a temporary file in the same folder, then a rename), so a crash or a
concurrent run never leaves half a file; a folder that cannot be written, or a file that cannot
be read, only means the table is built as without a cache. The files are derived data only:
deleting them is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import platform
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .._files import FileRefused, read_regular_file, user_cache_folder, write_cache_file
from ..errors import DataSourceError
from ..tables.binary import BinaryTableError, decode, encode
from ..tables.storage import folder_digest
from ..tables.table import IOTable

#: Largest cache file read (the 1,413-sector world table is about 50 MB).
MAX_FILE_BYTES = 512 * 1024 * 1024
#: Largest single source file hashed for the key.
_MAX_SOURCE_BYTES = 256 * 1024 * 1024
_PACKAGE = Path(__file__).resolve().parents[1]
#: The code that builds a bundled table (what a build imports of impactsim): these modules'
#: bytes are part of every key.
_CODE = ("tables", "datasets", "_files.py", "errors.py")


def cache_dir() -> Path | None:
    """The folder cached tables live in: ``tables`` in impactsim's folder of the user's cache
    (:func:`impactsim._files.user_cache_folder`); None when there is none."""
    folder = user_cache_folder()
    return None if folder is None else folder / "tables"


@functools.cache
def _code_digest() -> str:
    """SHA-256 over the table-building modules (relative path and bytes of each ``.py``)."""
    h = hashlib.sha256()
    for item in _CODE:
        path = _PACKAGE / item
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            h.update(file.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(file.read_bytes()).digest())
    return h.hexdigest()


def _environment() -> str:
    try:
        umath = importlib.import_module("numpy._core._multiarray_umath")
    except ImportError:  # pragma: no cover - numpy < 2 keeps it in numpy.core
        umath = importlib.import_module("numpy.core._multiarray_umath")
    features = getattr(umath, "__cpu_features__", {})
    enabled = ",".join(sorted(k for k, v in features.items() if v))
    return "|".join((np.__version__, pd.__version__, sys.version, platform.machine(), enabled))


def cache_key(name: str, sources: Sequence[Path]) -> str:
    """The key of table ``name`` built from ``sources`` (files or table folders).

    Raises :class:`~impactsim.errors.DataSourceError` (through :func:`folder_digest`) or
    :class:`~impactsim._files.FileRefused` when a source cannot be read.
    """
    h = hashlib.sha256()
    for part in (name, _code_digest(), _environment()):
        h.update(part.encode() + b"\0")
    for source in sources:
        h.update(source.name.encode() + b"\0")
        if source.is_dir():
            h.update(folder_digest(source).encode())
        else:
            h.update(hashlib.sha256(read_regular_file(source, limit=_MAX_SOURCE_BYTES)).digest())
    return h.hexdigest()


def _read(path: Path, key: str) -> IOTable | None:
    """The cached table at ``path`` for ``key``; None for a missing, stale or damaged file
    (whatever is wrong with it: a document that is not what :func:`encode` writes can fail in
    many ways, and every one of them means the table is built afresh)."""
    try:
        data = read_regular_file(path, limit=MAX_FILE_BYTES)
        return IOTable.from_parts(decode(data, key=key))
    except Exception:  # a cache miss, never an error (tests: test_table_cache.py)
        return None


def _write(path: Path, table: IOTable, key: str) -> bool:
    try:
        data = encode(table.to_parts(), key=key)
    except BinaryTableError:
        return False
    return write_cache_file(path, data)


def cached_table(name: str, sources: Sequence[Path], build: Callable[[], IOTable]) -> IOTable:
    """Table ``name``: read from the cache when a file for the same key is there, else
    ``build()`` and (best effort) written to the cache. ``sources``: the files and table
    folders ``build`` reads."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        key = cache_key(name, sources)
    except (FileRefused, DataSourceError, OSError):
        return build()  # the build reports what is wrong with its sources
    path = folder / f"{name}.npz"
    table = _read(path, key)
    if table is not None:
        return table
    table = build()
    _write(path, table, key)
    return table
