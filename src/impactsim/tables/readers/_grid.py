"""Shared helpers for readers: decode text files, parse published numbers, name cells.

A *grid* is a list of rows of cell values (text from a CSV, or numbers / text / None from a
worksheet). Readers locate blocks in a grid by their codes and raise
:class:`~impactsim.errors.DataSourceError` naming the file, the row and column (1-based, as a
spreadsheet shows them) and what was expected there.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path
from typing import Any

from ...errors import DataSourceError

Grid = list[list[Any]]


def sha256_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_text_grid(path: str | Path, *, encoding: str, delimiter: str = ",") -> Grid:
    """Rows of a delimited text file; a wrong encoding is reported with the offending offset."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DataSourceError(f"{p}: file not found") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataSourceError(
            f"{p}: expected {encoding} text, found bytes that are not {encoding} at offset "
            f"{exc.start} ({data[exc.start : exc.start + 4]!r}); re-save the file as {encoding} or "
            "pass the file's encoding (e.g. encoding='cp949' for Korean Windows files)"
        ) from None
    except LookupError:
        raise DataSourceError(f"{p}: unknown encoding {encoding!r}") from None
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]


def column_name(j: int) -> str:
    """Spreadsheet column letters for a 0-based column index (0 → A, 26 → AA)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def cell_ref(i: int, j: int) -> str:
    """Spreadsheet reference of a 0-based (row, column), e.g. (5, 2) → 'C6'."""
    return f"{column_name(j)}{i + 1}"


def text_of(value: Any) -> str:
    """A cell as stripped text (None → '')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().replace("\u3000", "")


def amount(value: Any, *, where: str, thousands: str = ",", blank_is_zero: bool = False) -> float:
    """A published number: ``1234``, ``"1,234 "``, ``"1 234"``, ``"-5"``; '-' or blank → error
    unless ``blank_is_zero``."""
    if isinstance(value, bool):
        raise DataSourceError(f"{where}: expected a number, found {value!r}")
    if isinstance(value, int | float):
        return float(value)
    s = "" if value is None else str(value).strip()
    if thousands:
        s = s.replace(thousands, "")
    s = s.replace("\u00a0", "").replace(" ", "")
    if s in ("", "-") and blank_is_zero:
        return 0.0
    try:
        return float(s)
    except ValueError:
        raise DataSourceError(
            f"{where}: expected a number, found {value!r}; the file's layout may have changed"
        ) from None
