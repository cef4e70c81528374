"""Text helpers of the table folder format: exact numbers, typed labels, labelled CSV matrices.

Used by :mod:`impactsim.tables.storage`; every reading error is a
:class:`~impactsim.errors.DataSourceError` naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import errno
import io
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .._files import FileRefused, read_regular_file
from ..errors import DataSourceError, TableError

Array = NDArray[np.float64]

META_FILE = "table.json"
SECTORS_FILE = "sectors.csv"

#: The largest ``table.json`` read (metadata and provenance; the bundled ones are a few KiB).
MAX_META_BYTES = 16 * 1024 * 1024
#: The largest CSV file of a table folder read (checked with ``fstat`` before reading, and
#: again while reading): a 10,000-sector flows matrix at full precision is about 2 GiB.
MAX_CSV_BYTES = 2 * 1024**3
#: The most sectors (rows of ``sectors.csv``) a table folder may list; a matrix file's shape
#: must match its labels before anything is allocated.
MAX_SECTORS = 50_000
#: The most columns of a CSV row; more is refused before any matrix is allocated.
MAX_COLUMNS = MAX_SECTORS + 64
#: The deepest nesting of lists and objects ``table.json`` may have (the format needs 4).
MAX_JSON_DEPTH = 64


# ---------------------------------------------------------------------------- number text
def format_number(value: float) -> str:
    """Shortest text that reads back to exactly ``value``: integers without ``.0``, else repr."""
    v = float(value)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def parse_number(text: str, *, file: str, line: int, column: str) -> float:
    s = text.strip()
    try:
        v = float(s)
    except ValueError:
        raise DataSourceError(
            f"{file}, line {line}, column {column!r}: expected a number, found {text!r}; "
            "write plain decimal numbers (no thousands separators; 0 for no flow)"
        ) from None
    if not math.isfinite(v):
        raise DataSourceError(
            f"{file}, line {line}, column {column!r}: {text!r} is not a finite number; "
            "replace it with a number"
        )
    return v


# ---------------------------------------------------------------------------- labels
def level_type(index: pd.Index) -> str:
    if pd.api.types.is_bool_dtype(index.dtype):
        return "str"
    if pd.api.types.is_integer_dtype(index.dtype):
        return "int"
    for v in index:
        if not isinstance(v, str):
            raise TableError(
                f"sector label {v!r} is a {type(v).__name__}: the table format stores labels as "
                "text or integers; convert the labels to str before writing"
            )
    return "str"


def levels(index: pd.Index) -> list[pd.Index]:
    if isinstance(index, pd.MultiIndex):
        return [index.get_level_values(i) for i in range(index.nlevels)]
    return [index]


def label_rows(index: pd.Index) -> list[tuple[str, ...]]:
    return [tuple(str(v) for v in (lab if isinstance(lab, tuple) else (lab,))) for lab in index]


def header_names(names: Sequence[Any]) -> list[str]:
    if len(names) == 1:
        return [str(names[0]) if names[0] is not None else "sector"]
    return [str(n) if n is not None else f"level_{i}" for i, n in enumerate(names)]


# ---------------------------------------------------------------------------- writing
def csv_text(rows: Sequence[Sequence[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def matrix_rows(
    values: Array,
    row_labels: Sequence[tuple[str, ...]],
    col_labels: Sequence[tuple[str, ...]],
    corner: Sequence[str],
) -> list[list[str]]:
    """Rows of a labelled matrix: one header row per column-label level, then one row per
    entry with its label(s) first."""
    n_row_levels = len(row_labels[0]) if row_labels else len(corner)
    n_col_levels = len(col_labels[0]) if col_labels else 1
    rows: list[list[str]] = []
    for lev in range(n_col_levels):
        head = [corner[i] if lev == n_col_levels - 1 else "" for i in range(n_row_levels)]
        rows.append(head + [c[lev] for c in col_labels])
    for lab, vals in zip(row_labels, values, strict=True):
        rows.append([*lab, *(format_number(v) for v in vals)])
    return rows


def info_type(series: pd.Series) -> str:
    dt = series.dtype
    if pd.api.types.is_bool_dtype(dt):
        return "bool"
    if pd.api.types.is_integer_dtype(dt):
        return "int"
    if pd.api.types.is_float_dtype(dt):
        return "float"
    return "str"


def info_text(value: Any, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == "float":
        return repr(float(value))
    if kind == "bool":
        return "true" if bool(value) else "false"
    return str(value)


def json_ready(value: Any, *, where: str) -> Any:
    """Check that provenance is plain JSON (dict / list / str / number / bool / None)."""
    if isinstance(value, Mapping):
        return {str(k): json_ready(v, where=f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v, where=f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TableError(f"{where}: {value!r} cannot be written to JSON; use a string")
        return value
    if isinstance(value, np.generic):
        return json_ready(value.item(), where=where)
    raise TableError(
        f"{where}: a {type(value).__name__} cannot be stored in table.json; provenance values "
        "must be text, numbers, booleans, lists or mappings"
    )


# ---------------------------------------------------------------------------- reading
def shown(path: str | os.PathLike[str]) -> str:
    """A path for a message: bytes that are not UTF-8 as ``\\xNN``-style escapes."""
    return os.fspath(path).encode("utf-8", "backslashreplace").decode("utf-8")


def read_regular(path: Path, *, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, read once.

    The same guards as scenario files: a FIFO, a device (``/dev/zero``), a socket or a folder is
    refused before any read (opened non-blocking, so a FIFO cannot hang the call), the size is
    checked with ``fstat`` before reading and again while reading (a file that grows cannot
    slip past). Raises :class:`FileNotFoundError` for a missing file and
    :class:`~impactsim.errors.DataSourceError` for everything else.
    """
    try:
        return read_regular_file(path, limit=limit, block=1 << 20)
    except FileRefused as why:
        if why.reason == "not-found":
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT),
                                    os.fspath(path)) from None
        if why.reason == "too-large":
            size = (f"{why.size:,} bytes; the limit is {limit:,}" if why.size is not None
                    else f"more than {limit:,} bytes")
            problem = f"too large ({size}); check that this is the right file"
        elif why.reason in ("folder", "not-regular"):
            problem = (f"is {why.kind or 'a folder'}, not a regular file; a table folder holds "
                       "plain files (docs/data.md)")
        else:
            problem = f"cannot read the file ({why.strerror.lower()})" + (
                "; check the path and permissions" if why.stage == "open" else "")
        raise DataSourceError(f"{shown(path)}: {problem}") from None


def json_depth_ok(doc: Any, *, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a parsed JSON value nests lists and objects at most ``limit`` deep (iterative)."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return False
            items = value.values() if isinstance(value, dict) else value
            stack.extend((v, depth + 1) for v in items if isinstance(v, dict | list))
    return True


def read_csv(folder: Path, name: str) -> tuple[list[list[str]], bytes]:
    """The rows of a table folder's CSV file and its bytes (regular file, size and width
    capped: :data:`MAX_CSV_BYTES`, :data:`MAX_COLUMNS`)."""
    path = folder / name
    try:
        data = read_regular(path, limit=MAX_CSV_BYTES)
    except FileNotFoundError:
        raise DataSourceError(
            f"{shown(path)}: file missing; a table folder needs {name} (see docs/data.md)"
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataSourceError(
            f"{shown(path)}: expected UTF-8 text, found a byte that is not UTF-8 at offset "
            f"{exc.start}; save the file as UTF-8"
        ) from None
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text)):
            if len(row) > MAX_COLUMNS:
                raise DataSourceError(
                    f"{shown(path)}, line {len(rows) + 1}: {len(row):,} columns (the limit is "
                    f"{MAX_COLUMNS:,}); a table folder has one column per sector"
                )
            rows.append(row)
    except csv.Error as exc:
        raise DataSourceError(
            f"{shown(path)}, line {len(rows) + 1}: not valid CSV ({exc}); save it as plain CSV"
        ) from None
    return rows, data


def parse_matrix(
    rows: list[list[str]],
    *,
    file: str,
    row_levels: int,
    col_levels: int,
    row_types: Sequence[str],
    col_types: Sequence[str],
    n_rows: int | None = None,
    n_cols: int | None = None,
) -> tuple[list[Any], list[Any], Array]:
    """Labels and values of a labelled matrix file. The shape is checked before anything is
    allocated: every row as wide as the header, and ``n_rows`` / ``n_cols`` entries when given
    (the number of sectors, for the sector dimensions)."""
    if len(rows) < col_levels:
        raise DataSourceError(
            f"{file}: expected {col_levels} header row(s) of column labels, found {len(rows)} rows"
        )
    head = rows[:col_levels]
    width = len(head[-1])
    if width <= row_levels:
        raise DataSourceError(
            f"{file}, line {col_levels}: expected {row_levels} label column(s) and then one column "
            f"per entry, found {width} column(s)"
        )
    if n_cols is not None and width - row_levels != n_cols:
        raise DataSourceError(
            f"{file}, line {col_levels}: {width - row_levels:,} entry columns where the table has "
            f"{n_cols:,} (one per sector in {SECTORS_FILE}); make them agree"
        )
    if n_rows is not None and len(rows) - col_levels != n_rows:
        raise DataSourceError(
            f"{file}: {len(rows) - col_levels:,} rows below the header where the table has "
            f"{n_rows:,} (one per sector in {SECTORS_FILE}); make them agree"
        )
    for i, row in enumerate(rows):
        if len(row) != width:
            fix = ("; every row needs its label(s) and one value per column"
                   if i >= col_levels else "")
            raise DataSourceError(
                f"{file}, line {i + 1}: {len(row)} columns where the header has {width}{fix}"
            )
    cols = [
        typed(tuple(h[j] for h in head), col_types, file=file, line=col_levels)
        for j in range(row_levels, width)
    ]
    labels: list[Any] = []
    values = np.empty((len(rows) - col_levels, width - row_levels))
    col_names = [" / ".join(h[j] for h in head) for j in range(width)]
    for r, row in enumerate(rows[col_levels:]):
        line = col_levels + r + 1
        labels.append(typed(tuple(row[:row_levels]), row_types, file=file, line=line))
        try:  # fast path: numpy parses the whole row; cell by cell only to name a bad cell
            values[r] = np.array(row[row_levels:], dtype=float)
            ok = bool(np.isfinite(values[r]).all())
        except ValueError:
            ok = False
        if not ok:
            for j in range(row_levels, width):
                values[r, j - row_levels] = parse_number(
                    row[j], file=file, line=line, column=col_names[j]
                )
    return labels, cols, values


def typed(parts: tuple[str, ...], types: Sequence[str], *, file: str, line: int) -> Any:
    out: list[Any] = []
    for text, kind in zip(parts, types, strict=True):
        if kind == "int":
            try:
                out.append(int(text))
            except ValueError:
                raise DataSourceError(
                    f"{file}, line {line}: label {text!r} should be an integer (table.json "
                    "declares integer labels)"
                ) from None
        else:
            out.append(text)
    return out[0] if len(out) == 1 else tuple(out)


def expect_labels(
    found: list[Any], expected: list[Any], *, file: str, what: str, first_line: int
) -> None:
    if found == expected:
        return
    if len(found) != len(expected):
        raise DataSourceError(
            f"{file}: expected {len(expected)} {what} (as listed in {SECTORS_FILE} / "
            f"{META_FILE}), found {len(found)}"
        )
    i = next(k for k, (a, b) in enumerate(zip(found, expected, strict=True)) if a != b)
    raise DataSourceError(
        f"{file}: {what} #{i + 1} (line/column {first_line + i}) is {found[i]!r} where "
        f"{expected[i]!r} was expected; use the same labels in the same order as {SECTORS_FILE}"
    )


def info_value(text: str, kind: str, *, file: str, line: int, column: str) -> Any:
    if kind == "str":
        return text if text != "" else None
    if text == "":
        return np.nan if kind == "float" else None
    try:
        if kind == "float":
            return float(text)
        if kind == "int":
            return int(text)
        if kind == "bool":
            return {"true": True, "false": False}[text.lower()]
    except (ValueError, KeyError):
        pass
    raise DataSourceError(
        f"{file}, line {line}, column {column!r}: {text!r} is not a {kind} as declared in "
        f"{META_FILE} (sectors.info_columns)"
    )


def restore_labels(found: list[Any], declared: Any, meta_path: Path, key: str) -> list[Any]:
    """CSV headers are text; table.json keeps the original (possibly integer) labels."""
    if declared is None:
        return list(found)
    # (region, category) labels of multi-region tables come back from JSON as lists
    declared = [tuple(d) if isinstance(d, list) else d for d in declared]
    if [str(d) for d in declared] != [str(f) for f in found]:
        raise DataSourceError(
            f"{meta_path}: {key} {declared} differ from the CSV header {found}; make them agree"
        )
    return list(declared)
