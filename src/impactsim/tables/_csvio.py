"""Text helpers of the table folder format: exact numbers, typed labels, labelled CSV matrices.

Used by :mod:`impactsim.tables.storage`; every reading error is a
:class:`~impactsim.errors.DataSourceError` naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import DataSourceError, TableError

Array = NDArray[np.float64]

META_FILE = "table.json"
SECTORS_FILE = "sectors.csv"


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
    row_labels: list[tuple[str, ...]],
    col_labels: list[tuple[str, ...]],
    corner: list[str],
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
def read_csv(folder: Path, name: str) -> tuple[list[list[str]], bytes]:
    path = folder / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataSourceError(
            f"{path}: file missing; a table folder needs {name} (see docs/data.md)"
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataSourceError(
            f"{path}: expected UTF-8 text, found a byte that is not UTF-8 at offset {exc.start}; "
            "save the file as UTF-8"
        ) from None
    return list(csv.reader(io.StringIO(text))), data


def parse_matrix(
    rows: list[list[str]],
    *,
    file: str,
    row_levels: int,
    col_levels: int,
    row_types: Sequence[str],
    col_types: Sequence[str],
) -> tuple[list[Any], list[Any], Array]:
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
    for i, h in enumerate(head):
        if len(h) != width:
            raise DataSourceError(
                f"{file}, line {i + 1}: {len(h)} columns where the header has {width}"
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
        if len(row) != width:
            raise DataSourceError(
                f"{file}, line {line}: {len(row)} columns where the header has {width}; "
                "every row needs its label(s) and one value per column"
            )
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
