"""The project's on-disk table format: a folder of CSV files plus ``table.json`` metadata.

:meth:`IOTable.to_dir` writes and :meth:`IOTable.from_dir` reads it; the round trip is exact (every
number is written with the shortest decimal that reads back to the same float). The format is
documented file by file in ``docs/data.md``; in short::

    table.json                  metadata, provenance, label types, tolerances, file checksums
    sectors.csv                 sector labels (one column per label level) + sector_info columns
    flows.csv                   domestic intermediate flows Z_d (row supplies column)
    final_demand.csv            domestic final demand Y_d (sectors × categories)
    value_added.csv             value-added components (rows) × sectors (columns)
    output.csv                  gross output x and imported inputs m by sector
    imported_flows.csv          imported intermediate flows Z_m            (only with a matrix)
    imported_final_demand.csv   imported final demand Y_m                  (only with a matrix)
    satellites.csv              satellite accounts by sector (employment…) (only if any)

Matrix files carry their labels: the first ``L`` columns hold the row labels and the first ``L``
rows the column labels, where ``L`` is the number of sector-label levels (2 for (region, sector)).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .errors import DataSourceError, TableError
from .table import IOTable

Array = NDArray[np.float64]

FORMAT = "impactsim-table"
FORMAT_VERSION = 1
META_FILE = "table.json"
SECTORS_FILE = "sectors.csv"
FLOWS_FILE = "flows.csv"
FINAL_DEMAND_FILE = "final_demand.csv"
VALUE_ADDED_FILE = "value_added.csv"
OUTPUT_FILE = "output.csv"
IMPORTED_FLOWS_FILE = "imported_flows.csv"
IMPORTED_FINAL_DEMAND_FILE = "imported_final_demand.csv"
SATELLITES_FILE = "satellites.csv"
ALL_FILES = (
    SECTORS_FILE,
    FLOWS_FILE,
    FINAL_DEMAND_FILE,
    VALUE_ADDED_FILE,
    OUTPUT_FILE,
    IMPORTED_FLOWS_FILE,
    IMPORTED_FINAL_DEMAND_FILE,
    SATELLITES_FILE,
)
META_FIELDS = (
    "name",
    "region",
    "year",
    "currency",
    "unit",
    "price_basis",
    "price_year",
    "employment_unit",
)


# ---------------------------------------------------------------------------- number text
def format_number(value: float) -> str:
    """Shortest text that reads back to exactly ``value``: integers without ``.0``, else repr."""
    v = float(value)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def _parse_number(text: str, *, file: str, line: int, column: str) -> float:
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
def _level_type(index: pd.Index) -> str:
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


def _levels(index: pd.Index) -> list[pd.Index]:
    if isinstance(index, pd.MultiIndex):
        return [index.get_level_values(i) for i in range(index.nlevels)]
    return [index]


def _label_rows(index: pd.Index) -> list[tuple[str, ...]]:
    return [tuple(str(v) for v in (lab if isinstance(lab, tuple) else (lab,))) for lab in index]


def _header_names(names: Sequence[Any]) -> list[str]:
    if len(names) == 1:
        return [str(names[0]) if names[0] is not None else "sector"]
    return [str(n) if n is not None else f"level_{i}" for i, n in enumerate(names)]


# ---------------------------------------------------------------------------- writing
def _csv_text(rows: Sequence[Sequence[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _matrix_rows(
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


def _info_type(series: pd.Series) -> str:
    dt = series.dtype
    if pd.api.types.is_bool_dtype(dt):
        return "bool"
    if pd.api.types.is_integer_dtype(dt):
        return "int"
    if pd.api.types.is_float_dtype(dt):
        return "float"
    return "str"


def _info_text(value: Any, kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == "float":
        return repr(float(value))
    if kind == "bool":
        return "true" if bool(value) else "false"
    return str(value)


def _json_ready(value: Any, *, where: str) -> Any:
    """Check that provenance is plain JSON (dict / list / str / number / bool / None)."""
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v, where=f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v, where=f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TableError(f"{where}: {value!r} cannot be written to JSON; use a string")
        return value
    if isinstance(value, np.generic):
        return _json_ready(value.item(), where=where)
    raise TableError(
        f"{where}: a {type(value).__name__} cannot be stored in table.json; provenance values "
        "must be text, numbers, booleans, lists or mappings"
    )


def balance_tolerance(table: IOTable) -> float:
    """The smallest relative tolerance (≥ 1e-6) the table's own residuals pass."""
    report = table.balance()
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = (
            np.abs(report[["row_residual", "column_residual"]].to_numpy())
            / np.abs(table.x)[:, None]
        )
    worst = float(np.nanmax(rel)) if rel.size else 0.0
    return max(1e-6, worst * (1.0 + 1e-6))


def negative_blocks(table: IOTable) -> list[str]:
    blocks = {"final_demand", "value_added"}
    for what, arr in (
        ("flows", table.z_domestic),
        ("imports", table.import_row if table.z_imported is None else table.z_imported),
        ("output", table.x),
        *table.sats.items(),
    ):
        if arr.size and (arr < 0).any():
            blocks.add(what)
    return sorted(blocks)


def table_files(table: IOTable) -> dict[str, bytes]:
    """The bytes of every file of the table folder (``table.json`` last), deterministic."""
    sec = table.sectors
    levels = _levels(sec)
    names = list(sec.names) if isinstance(sec, pd.MultiIndex) else [sec.name]
    header = _header_names(names)
    labels = _label_rows(sec)
    files: dict[str, bytes] = {}

    info = table.sector_info
    info_types: dict[str, str] = {}
    info_cols: list[str] = []
    if info is not None:
        for col in info.columns:
            if str(col) in header:
                raise TableError(
                    f"sector_info column {col!r} has the name of a label level; rename it"
                )
            info_cols.append(str(col))
            info_types[str(col)] = _info_type(info[col])
    rows = [header + info_cols]
    for i, lab in enumerate(labels):
        extra = (
            [_info_text(info.iloc[i, j], info_types[c]) for j, c in enumerate(info_cols)]
            if info is not None
            else []
        )
        rows.append([*lab, *extra])
    files[SECTORS_FILE] = _csv_text(rows)

    cat_labels = [(str(c),) for c in table.final_demand_categories]
    comp_labels = [(str(c),) for c in table.value_added_components]
    files[FLOWS_FILE] = _csv_text(_matrix_rows(table.z_domestic, labels, labels, header))
    files[FINAL_DEMAND_FILE] = _csv_text(_matrix_rows(table.y_domestic, labels, cat_labels, header))
    files[VALUE_ADDED_FILE] = _csv_text(_matrix_rows(table.va, comp_labels, labels, ["component"]))
    files[OUTPUT_FILE] = _csv_text(
        _matrix_rows(
            np.column_stack([table.x, table.import_row]),
            labels,
            [("output",), ("imports",)],
            header,
        )
    )
    matrix = table.z_imported is not None
    if matrix:
        assert table.z_imported is not None and table.y_imported is not None
        files[IMPORTED_FLOWS_FILE] = _csv_text(
            _matrix_rows(table.z_imported, labels, labels, header)
        )
        files[IMPORTED_FINAL_DEMAND_FILE] = _csv_text(
            _matrix_rows(table.y_imported, labels, cat_labels, header)
        )
    if table.sats:
        sat_values = np.column_stack(list(table.sats.values()))
        files[SATELLITES_FILE] = _csv_text(
            _matrix_rows(sat_values, labels, [(str(k),) for k in table.sats], header)
        )

    m = table.meta
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "meta": _json_ready({f: getattr(m, f) for f in META_FIELDS}, where="meta"),
        "provenance": _json_ready(dict(m.provenance), where="provenance"),
        "sectors": {
            "levels": names,
            "level_types": [_level_type(lev) for lev in levels],
            "info_columns": info_types,
        },
        "final_demand_categories": list(table.final_demand_categories),
        "value_added_components": list(table.value_added_components),
        "satellites": list(table.sats),
        "imports": "matrix" if matrix else "row",
        "balance_rtol": balance_tolerance(table),
        "allow_negative": negative_blocks(table),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    for key in ("final_demand_categories", "value_added_components"):
        doc[key] = _json_ready(doc[key], where=key)
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    files[META_FILE] = text.encode("utf-8")
    return files


def write_table_dir(table: IOTable, path: str | Path) -> Path:
    """Write ``table`` to the folder ``path`` (created if needed) and return the path.

    Files of the format that this table does not need (e.g. an old ``imported_flows.csv``) are
    removed, so the folder always describes exactly this table.
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise TableError(f"{folder}: exists and is not a folder; choose a folder path")
    files = table_files(table)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ALL_FILES:
        if name not in files and (folder / name).exists():
            (folder / name).unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


# ---------------------------------------------------------------------------- reading
def _read_csv(folder: Path, name: str) -> tuple[list[list[str]], bytes]:
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


def _parse_matrix(
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
        _typed(tuple(h[j] for h in head), col_types, file=file, line=col_levels)
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
        labels.append(_typed(tuple(row[:row_levels]), row_types, file=file, line=line))
        try:  # fast path: numpy parses the whole row; cell by cell only to name a bad cell
            values[r] = np.array(row[row_levels:], dtype=float)
            ok = bool(np.isfinite(values[r]).all())
        except ValueError:
            ok = False
        if not ok:
            for j in range(row_levels, width):
                values[r, j - row_levels] = _parse_number(
                    row[j], file=file, line=line, column=col_names[j]
                )
    return labels, cols, values


def _typed(parts: tuple[str, ...], types: Sequence[str], *, file: str, line: int) -> Any:
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


def _expect_labels(
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


def _info_value(text: str, kind: str, *, file: str, line: int, column: str) -> Any:
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


def read_table_dir(path: str | Path) -> IOTable:
    """Read a table folder (see the module docstring and docs/data.md) into an :class:`IOTable`."""
    folder = Path(path)
    if not folder.is_dir():
        raise DataSourceError(f"{folder}: not a folder; give the folder that holds {META_FILE}")
    meta_path = folder / META_FILE
    try:
        doc = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataSourceError(
            f"{meta_path}: file missing; a table folder needs {META_FILE}"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataSourceError(f"{meta_path}: not valid UTF-8 JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise DataSourceError(f"{meta_path}: expected a JSON object at the top level")
    if doc.get("format", FORMAT) != FORMAT:
        raise DataSourceError(
            f"{meta_path}: 'format' is {doc.get('format')!r}, expected {FORMAT!r}"
        )
    version = doc.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise DataSourceError(
            f"{meta_path}: format_version {version!r} is not supported (this impactsim reads "
            f"version {FORMAT_VERSION}); upgrade impactsim"
        )
    checksums = doc.get("files") or {}

    def load(name: str, *, required: bool = True) -> list[list[str]] | None:
        if not required and not (folder / name).exists():
            return None
        rows, data = _read_csv(folder, name)
        want = checksums.get(name)
        if want is not None and hashlib.sha256(data).hexdigest() != want:
            raise DataSourceError(
                f"{folder / name}: contents differ from the sha256 recorded in {META_FILE}; the "
                f"file was changed after it was written (if on purpose, delete its entry under "
                f"'files' in {META_FILE})"
            )
        return rows

    sec_doc = doc.get("sectors") or {}
    names = list(sec_doc.get("levels") or [None])
    nlev = len(names)
    level_types = list(sec_doc.get("level_types") or ["str"] * nlev)
    if len(level_types) != nlev:
        raise DataSourceError(f"{meta_path}: sectors.level_types must have {nlev} entries")
    info_types: dict[str, str] = dict(sec_doc.get("info_columns") or {})

    sec_rows = load(SECTORS_FILE)
    assert sec_rows is not None
    if not sec_rows:
        raise DataSourceError(f"{folder / SECTORS_FILE}: empty; expected a header row")
    header = sec_rows[0]
    want_head = _header_names(names)
    if header[:nlev] != want_head:
        raise DataSourceError(
            f"{folder / SECTORS_FILE}, line 1: expected label column(s) {want_head} first, "
            f"found {header[:nlev]}"
        )
    info_cols = header[nlev:]
    labels: list[Any] = []
    info_data: dict[str, list[Any]] = {c: [] for c in info_cols}
    for r, row in enumerate(sec_rows[1:]):
        line = r + 2
        if len(row) != len(header):
            raise DataSourceError(
                f"{folder / SECTORS_FILE}, line {line}: {len(row)} columns where the header has "
                f"{len(header)}"
            )
        labels.append(_typed(tuple(row[:nlev]), level_types, file=SECTORS_FILE, line=line))
        for c, text in zip(info_cols, row[nlev:], strict=True):
            info_data[c].append(
                _info_value(text, info_types.get(c, "str"), file=SECTORS_FILE, line=line, column=c)
            )
    if not labels:
        raise DataSourceError(f"{folder / SECTORS_FILE}: no sectors listed below the header")
    if nlev > 1:
        sectors: pd.Index = pd.MultiIndex.from_tuples(labels, names=names)
    else:
        sectors = pd.Index(labels, name=names[0])
    if sectors.has_duplicates:
        dup = sectors[sectors.duplicated()].unique().tolist()[:3]
        raise DataSourceError(f"{folder / SECTORS_FILE}: duplicate sector labels {dup}")
    sector_info = None
    if info_cols:
        sector_info = pd.DataFrame(info_data, index=sectors)
        for c in info_cols:
            kind = info_types.get(c, "str")
            if kind == "int" and sector_info[c].isna().any():
                sector_info[c] = sector_info[c].astype("Int64")
            elif kind == "int":
                sector_info[c] = sector_info[c].astype("int64")
            elif kind == "float":
                sector_info[c] = sector_info[c].astype("float64")
            elif kind == "bool" and not sector_info[c].isna().any():
                sector_info[c] = sector_info[c].astype(bool)

    def matrix(name: str, *, rows_are: str, cols_are: str, required: bool = True):
        raw = load(name, required=required)
        if raw is None:
            return None
        row_levels = nlev if rows_are == "sectors" else 1
        col_levels = nlev if cols_are == "sectors" else 1
        row_labels, col_labels, values = _parse_matrix(
            raw,
            file=str(folder / name),
            row_levels=row_levels,
            col_levels=col_levels,
            row_types=level_types if rows_are == "sectors" else ["str"],
            col_types=level_types if cols_are == "sectors" else ["str"],
        )
        if rows_are == "sectors":
            _expect_labels(
                row_labels,
                labels,
                file=str(folder / name),
                what="row label",
                first_line=col_levels + 1,
            )
        if cols_are == "sectors":
            _expect_labels(
                col_labels,
                labels,
                file=str(folder / name),
                what="column label",
                first_line=row_levels + 1,
            )
        return row_labels, col_labels, values

    _, _, z = matrix(FLOWS_FILE, rows_are="sectors", cols_are="sectors")
    _, fd_cols, y = matrix(FINAL_DEMAND_FILE, rows_are="sectors", cols_are="categories")
    va_rows, _, va = matrix(VALUE_ADDED_FILE, rows_are="components", cols_are="sectors")
    fd_cats = _restore_labels(
        fd_cols, doc.get("final_demand_categories"), meta_path, "final_demand_categories"
    )
    va_comps = _restore_labels(
        va_rows, doc.get("value_added_components"), meta_path, "value_added_components"
    )

    out = matrix(OUTPUT_FILE, rows_are="sectors", cols_are="names", required=False)
    x: Array | None = None
    m_row: Array | None = None
    if out is not None:
        _, out_cols, out_vals = out
        for c in out_cols:
            if c not in ("output", "imports"):
                raise DataSourceError(
                    f"{folder / OUTPUT_FILE}: column {c!r} is not known; expected 'output' and "
                    "optionally 'imports'"
                )
        if "output" in out_cols:
            x = out_vals[:, out_cols.index("output")]
        if "imports" in out_cols:
            m_row = out_vals[:, out_cols.index("imports")]

    zm = matrix(IMPORTED_FLOWS_FILE, rows_are="sectors", cols_are="sectors", required=False)
    ym = matrix(
        IMPORTED_FINAL_DEMAND_FILE, rows_are="sectors", cols_are="categories", required=False
    )
    if (zm is None) != (ym is None):
        have, lack = (
            (IMPORTED_FLOWS_FILE, IMPORTED_FINAL_DEMAND_FILE)
            if zm is not None
            else (IMPORTED_FINAL_DEMAND_FILE, IMPORTED_FLOWS_FILE)
        )
        raise DataSourceError(
            f"{folder}: {have} is present but {lack} is missing; give both or neither"
        )
    z_imp = zm[2] if zm is not None else None
    y_imp = ym[2] if ym is not None else None
    if ym is not None and ym[1] != fd_cols:
        raise DataSourceError(
            f"{folder / IMPORTED_FINAL_DEMAND_FILE}: categories {ym[1]} differ from "
            f"{FINAL_DEMAND_FILE} {fd_cols}"
        )
    if z_imp is not None:
        col_sums = z_imp.sum(axis=0)
        if m_row is None:
            m_row = col_sums
        elif not np.allclose(
            m_row, col_sums, rtol=1e-9, atol=1e-9 * max(1.0, float(np.abs(col_sums).max()))
        ):
            j = int(np.argmax(np.abs(m_row - col_sums)))
            raise DataSourceError(
                f"{folder / OUTPUT_FILE}: 'imports' of sector {labels[j]!r} is {m_row[j]:g} but "
                f"the column of {IMPORTED_FLOWS_FILE} sums to {col_sums[j]:g}; they must agree"
            )

    sats: dict[str, Array] = {}
    sat = matrix(SATELLITES_FILE, rows_are="sectors", cols_are="names", required=False)
    if sat is not None:
        for j, key in enumerate(sat[1]):
            sats[str(key)] = sat[2][:, j]

    meta = dict(doc.get("meta") or {})
    unknown = set(meta) - set(META_FIELDS)
    if unknown:
        raise DataSourceError(
            f"{meta_path}: unknown meta field(s) {sorted(unknown)}; known: {list(META_FIELDS)}"
        )
    provenance = doc.get("provenance") or {}
    if not isinstance(provenance, dict):
        raise DataSourceError(f"{meta_path}: 'provenance' must be a JSON object")
    try:
        return table_from_parts(
            sectors=sectors,
            flows=z,
            final_demand=y,
            value_added=va,
            final_demand_categories=fd_cats,
            value_added_components=va_comps,
            import_row=m_row,
            imported_flows=z_imp,
            imported_final_demand=y_imp,
            output=x,
            satellites=sats,
            sector_info=sector_info,
            provenance=provenance,
            allow_negative=tuple(doc.get("allow_negative") or ("final_demand", "value_added")),
            balance_rtol=float(doc.get("balance_rtol", 1e-6)),
            balance_atol=float(doc.get("balance_atol", 0.0)),
            **{k: meta[k] for k in META_FIELDS if k in meta},
        )
    except TableError as exc:
        raise DataSourceError(f"{folder}: the files do not form a valid table: {exc}") from None


def _restore_labels(found: list[Any], declared: Any, meta_path: Path, key: str) -> list[Any]:
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


# ---------------------------------------------------------------------------- assembling
def table_from_parts(
    *,
    sectors: pd.Index,
    flows: Array,
    final_demand: Array,
    value_added: Array,
    final_demand_categories: Sequence[Any],
    value_added_components: Sequence[Any],
    import_row: Array | None = None,
    imported_flows: Array | None = None,
    imported_final_demand: Array | None = None,
    output: Array | None = None,
    satellites: Mapping[str, Array] | None = None,
    sector_info: pd.DataFrame | None = None,
    provenance: Mapping[str, Any] | None = None,
    allow_negative: Sequence[str] = ("final_demand", "value_added"),
    balance_rtol: float = 1e-6,
    balance_atol: float = 0.0,
    **meta: Any,
) -> IOTable:
    """Build a validated table from *domestic* parts, keeping every array bit for bit.

    ``flows`` / ``final_demand`` are domestic. With ``imported_flows`` (n × n) and
    ``imported_final_demand`` (n × k) the table keeps the imported matrices as given (their
    column sums are the import row unless ``import_row`` is passed); this avoids the rounding of
    ``(Z_d + Z_m) − Z_m`` that building from totals would introduce.
    """
    if (imported_flows is None) != (imported_final_demand is None):
        raise TableError("imported_flows and imported_final_demand: give both or neither")
    m = import_row
    if m is None and imported_flows is not None:
        m = np.asarray(imported_flows, dtype=float).sum(axis=0)
    table = IOTable.from_arrays(
        flows,
        final_demand,
        value_added,
        sectors=sectors,
        final_demand_categories=list(final_demand_categories),
        value_added_components=list(value_added_components),
        imports=m,
        satellites=dict(satellites or {}),
        output=output,
        provenance=provenance,
        sector_info=sector_info,
        allow_negative=allow_negative,
        balance_rtol=balance_rtol,
        balance_atol=balance_atol,
        **meta,
    )
    if imported_flows is None:
        return table
    n, k = table.n, table.y_domestic.shape[1]
    zm = np.array(imported_flows, dtype=float, copy=True)
    ym = np.array(imported_final_demand, dtype=float, copy=True)
    if zm.shape != (n, n) or ym.shape != (n, k):
        raise TableError(
            f"imported flows {zm.shape} / imported final demand {ym.shape}: expected ({n}, {n}) "
            f"and ({n}, {k})"
        )
    zm.flags.writeable = False
    ym.flags.writeable = False
    full = replace(table, z_imported=zm, y_imported=ym)
    full.validate(allow_negative=allow_negative, rtol=balance_rtol, atol=balance_atol)
    return full
