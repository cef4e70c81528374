"""The project's on-disk table format: a folder of CSV files plus ``table.json`` metadata.

This module is the codec only: it turns a folder into :class:`TableParts` (plain arrays, labels,
metadata and validation options) and :class:`TableParts` into files. It knows nothing of
:class:`~impactsim.IOTable`, which builds on it: :meth:`IOTable.to_dir` writes and
:meth:`IOTable.from_dir` reads a folder. The round trip is exact (every number is written with
the shortest decimal that reads back to the same float). The format is documented file by file in
``docs/data.md``; in short::

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

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import DataSourceError, TableError
from ._csvio import (
    MAX_CSV_BYTES,
    MAX_JSON_DEPTH,
    MAX_META_BYTES,
    MAX_SECTORS,
    META_FILE,
    SECTORS_FILE,
    csv_text,
    expect_labels,
    format_number,
    header_names,
    info_text,
    info_type,
    info_value,
    json_depth_ok,
    json_ready,
    label_rows,
    level_type,
    levels,
    matrix_rows,
    parse_matrix,
    read_csv,
    read_regular,
    restore_labels,
    shown,
    typed,
)
from .manifest import check_listed_files, check_manifest

Array = NDArray[np.float64]

FORMAT = "impactsim-table"
FORMAT_VERSION = 1
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
#: The :class:`~impactsim.TableMeta` fields stored under ``meta`` in ``table.json``, in order.
META_FIELDS = (
    "name",
    "region",
    "year",
    "currency",
    "unit",
    "price_basis",
    "price_year",
    "employment_unit",
    "satellite_units",
)
#: Meta fields written only when non-empty (tables without them keep their bytes).
OPTIONAL_META_FIELDS = ("satellite_units",)
DEFAULT_ALLOW_NEGATIVE = ("final_demand", "value_added")

__all__ = [
    "ALL_FILES",
    "FORMAT",
    "FORMAT_VERSION",
    "META_FIELDS",
    "TableAccounts",
    "TableParts",
    "folder_digest",
    "format_number",
    "parts_files",
    "read_accounts",
    "read_parts",
    "write_parts",
]


@dataclass(frozen=True, slots=True)
class TableParts:
    """What a table folder holds, as plain arrays: the *domestic* blocks plus imports and meta.

    ``flows`` (n × n) and ``final_demand`` (n × k) are domestic; ``imported_flows`` /
    ``imported_final_demand`` are given together or not at all; ``import_row`` (n) is imported
    intermediate input by buying sector (with a matrix, the matrix's column sums). ``meta`` holds
    :data:`META_FIELDS` entries (a subset when read from a hand-written folder);
    ``allow_negative``, ``balance_rtol`` and ``balance_atol`` are the validation options the
    table is built with. The field names are the keyword arguments of
    :func:`impactsim.tables.table.table_from_parts`.
    """

    sectors: pd.Index
    flows: Array
    final_demand: Array
    value_added: Array
    final_demand_categories: Sequence[Any]
    value_added_components: Sequence[Any]
    import_row: Array | None = None
    imported_flows: Array | None = None
    imported_final_demand: Array | None = None
    output: Array | None = None
    satellites: Mapping[str, Array] = field(default_factory=dict)
    sector_info: pd.DataFrame | None = None
    provenance: Mapping[str, Any] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)
    allow_negative: Sequence[str] = DEFAULT_ALLOW_NEGATIVE
    balance_rtol: float = 1e-6
    balance_atol: float = 0.0


# ---------------------------------------------------------------------------- writing
def _sectors_file(
    parts: TableParts, header: list[str], labels: list[tuple[str, ...]]
) -> tuple[bytes, dict[str, str]]:
    """``sectors.csv``: the label columns, then one column per ``sector_info`` column."""
    info = parts.sector_info
    info_types: dict[str, str] = {}
    info_cols: list[str] = []
    if info is not None:
        for col in info.columns:
            if str(col) in header:
                raise TableError(
                    f"sector_info column {col!r} has the name of a label level; rename it"
                )
            info_cols.append(str(col))
            info_types[str(col)] = info_type(info[col])
    rows = [header + info_cols]
    for i, lab in enumerate(labels):
        extra = (
            [info_text(info.iloc[i, j], info_types[c]) for j, c in enumerate(info_cols)]
            if info is not None
            else []
        )
        rows.append([*lab, *extra])
    return csv_text(rows), info_types


def _matrix_files(
    parts: TableParts, header: list[str], labels: list[tuple[str, ...]]
) -> dict[str, bytes]:
    """The labelled matrix files: flows, final demand, value added, output, imports, satellites."""
    cat_labels = [(str(c),) for c in parts.final_demand_categories]
    comp_labels = [(str(c),) for c in parts.value_added_components]
    if parts.output is None or parts.import_row is None:
        raise TableError("output and import_row: both are needed to write a table folder")
    files = {
        FLOWS_FILE: csv_text(matrix_rows(parts.flows, labels, labels, header)),
        FINAL_DEMAND_FILE: csv_text(matrix_rows(parts.final_demand, labels, cat_labels, header)),
        VALUE_ADDED_FILE: csv_text(
            matrix_rows(parts.value_added, comp_labels, labels, ["component"])
        ),
        OUTPUT_FILE: csv_text(
            matrix_rows(
                np.column_stack([parts.output, parts.import_row]),
                labels,
                [("output",), ("imports",)],
                header,
            )
        ),
    }
    if parts.imported_flows is not None and parts.imported_final_demand is not None:
        files[IMPORTED_FLOWS_FILE] = csv_text(
            matrix_rows(parts.imported_flows, labels, labels, header)
        )
        files[IMPORTED_FINAL_DEMAND_FILE] = csv_text(
            matrix_rows(parts.imported_final_demand, labels, cat_labels, header)
        )
    if parts.satellites:
        sat_values = np.column_stack(list(parts.satellites.values()))
        files[SATELLITES_FILE] = csv_text(
            matrix_rows(sat_values, labels, [(str(k),) for k in parts.satellites], header)
        )
    return files


def parts_files(parts: TableParts) -> dict[str, bytes]:
    """The bytes of every file of the table folder (``table.json`` last), deterministic.

    ``parts.output`` and ``parts.import_row`` must be given (a table always has them).
    """
    sec = parts.sectors
    names = list(sec.names) if isinstance(sec, pd.MultiIndex) else [sec.name]
    header = header_names(names)
    labels = label_rows(sec)
    sectors_csv, info_types = _sectors_file(parts, header, labels)
    files = {SECTORS_FILE: sectors_csv, **_matrix_files(parts, header, labels)}
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "meta": json_ready({f: parts.meta.get(f) for f in META_FIELDS
                            if f not in OPTIONAL_META_FIELDS or parts.meta.get(f)}, where="meta"),
        "provenance": json_ready(dict(parts.provenance), where="provenance"),
        "sectors": {
            "levels": names,
            "level_types": [level_type(lev) for lev in levels(sec)],
            "info_columns": info_types,
        },
        "final_demand_categories": list(parts.final_demand_categories),
        "value_added_components": list(parts.value_added_components),
        "satellites": list(parts.satellites),
        "imports": "matrix" if parts.imported_flows is not None else "row",
        "balance_rtol": parts.balance_rtol,
        "allow_negative": list(parts.allow_negative),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    for key in ("final_demand_categories", "value_added_components"):
        doc[key] = json_ready(doc[key], where=key)
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    files[META_FILE] = text.encode("utf-8")
    return files


def write_parts(parts: TableParts, path: str | Path) -> Path:
    """Write ``parts`` to the folder ``path`` (created if needed) and return the path.

    Files of the format that this table does not need (e.g. an old ``imported_flows.csv``) are
    removed, so the folder always describes exactly this table.
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise TableError(f"{folder}: exists and is not a folder; choose a folder path")
    files = parts_files(parts)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ALL_FILES:
        if name not in files and (folder / name).exists():
            (folder / name).unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


# ---------------------------------------------------------------------------- reading
def _read_doc(folder: Path) -> dict[str, Any]:
    """``table.json`` as a dict, after checking the format name and version."""
    if not folder.is_dir():
        raise DataSourceError(f"{folder}: not a folder; give the folder that holds {META_FILE}")
    meta_path = folder / META_FILE
    try:
        doc = json.loads(read_regular(meta_path, limit=MAX_META_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise DataSourceError(
            f"{shown(meta_path)}: file missing; a table folder needs {META_FILE}"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataSourceError(f"{shown(meta_path)}: not valid UTF-8 JSON ({exc})") from None
    except RecursionError:
        doc = None
    if doc is None or not json_depth_ok(doc):
        raise DataSourceError(
            f"{shown(meta_path)}: lists or objects nested more than {MAX_JSON_DEPTH} deep; "
            f"{META_FILE} needs 4 levels: check that this is the right file"
        )
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
    check_listed_files(folder, check_manifest(doc, meta_path))  # whole or not at all
    return doc


@dataclass(frozen=True, slots=True)
class _Matrix:
    """One parsed matrix file: row labels, column labels and values."""

    rows: list[Any]
    cols: list[Any]
    values: Array


@dataclass(slots=True)
class _Folder:
    """A table folder being read: checksums from ``table.json`` and the sector-label layout."""

    path: Path
    checksums: Mapping[str, str]
    nlev: int
    level_types: list[str]
    labels: list[Any] = field(default_factory=list)

    def rows(self, name: str, *, required: bool = True) -> list[list[str]] | None:
        """The CSV rows of ``name`` after checking its sha256 (``None`` if optional and absent)."""
        if not required and not (self.path / name).exists():
            return None
        rows, data = read_csv(self.path, name)
        want = self.checksums.get(name)
        if want is not None and hashlib.sha256(data).hexdigest() != want:
            raise DataSourceError(
                f"{self.path / name}: contents differ from the sha256 recorded in {META_FILE}; "
                f"the file was changed after it was written (if on purpose, delete its entry "
                f"under 'files' in {META_FILE})"
            )
        return rows

    def matrix(
        self, name: str, *, rows_are: str, cols_are: str, required: bool = True
    ) -> _Matrix | None:
        """Parse a labelled matrix; sector labels must match ``sectors.csv`` in order."""
        raw = self.rows(name, required=required)
        if raw is None:
            return None
        file = shown(self.path / name)
        row_levels = self.nlev if rows_are == "sectors" else 1
        col_levels = self.nlev if cols_are == "sectors" else 1
        n = len(self.labels)
        row_labels, col_labels, values = parse_matrix(
            raw,
            file=file,
            row_levels=row_levels,
            col_levels=col_levels,
            row_types=self.level_types if rows_are == "sectors" else ["str"],
            col_types=self.level_types if cols_are == "sectors" else ["str"],
            n_rows=n if rows_are == "sectors" else None,
            n_cols=n if cols_are == "sectors" else None,
        )
        if rows_are == "sectors":
            expect_labels(
                row_labels, self.labels, file=file, what="row label", first_line=col_levels + 1
            )
        if cols_are == "sectors":
            expect_labels(
                col_labels, self.labels, file=file, what="column label", first_line=row_levels + 1
            )
        return _Matrix(row_labels, col_labels, values)


def _open_folder(folder: Path, doc: Mapping[str, Any]) -> tuple[_Folder, list[Any], dict[str, str]]:
    """The folder reader, the label-level names and the declared ``sector_info`` column types."""
    sec_doc = doc.get("sectors") or {}
    names = list(sec_doc.get("levels") or [None])
    nlev = len(names)
    level_types = list(sec_doc.get("level_types") or ["str"] * nlev)
    if len(level_types) != nlev:
        raise DataSourceError(f"{folder / META_FILE}: sectors.level_types must have {nlev} entries")
    reader = _Folder(folder, doc.get("files") or {}, nlev, level_types)
    return reader, names, dict(sec_doc.get("info_columns") or {})


def _sector_rows(
    reader: _Folder, names: list[Any], info_types: Mapping[str, str]
) -> tuple[list[Any], dict[str, list[Any]]]:
    """Sector labels and the raw ``sector_info`` columns from ``sectors.csv``."""
    path = reader.path / SECTORS_FILE
    sec_rows = reader.rows(SECTORS_FILE) or []
    if not sec_rows:
        raise DataSourceError(f"{path}: empty; expected a header row")
    if len(sec_rows) - 1 > MAX_SECTORS:
        raise DataSourceError(
            f"{shown(path)}: {len(sec_rows) - 1:,} sectors (the limit is {MAX_SECTORS:,}); "
            "check that this is the right file"
        )
    header = sec_rows[0]
    nlev = reader.nlev
    want_head = header_names(names)
    if header[:nlev] != want_head:
        raise DataSourceError(
            f"{path}, line 1: expected label column(s) {want_head} first, found {header[:nlev]}"
        )
    info_cols = header[nlev:]
    labels: list[Any] = []
    info_data: dict[str, list[Any]] = {c: [] for c in info_cols}
    for r, row in enumerate(sec_rows[1:]):
        line = r + 2
        if len(row) != len(header):
            raise DataSourceError(
                f"{path}, line {line}: {len(row)} columns where the header has {len(header)}"
            )
        labels.append(typed(tuple(row[:nlev]), reader.level_types, file=SECTORS_FILE, line=line))
        for c, text in zip(info_cols, row[nlev:], strict=True):
            kind = info_types.get(c, "str")
            info_data[c].append(info_value(text, kind, file=SECTORS_FILE, line=line, column=c))
    if not labels:
        raise DataSourceError(f"{path}: no sectors listed below the header")
    return labels, info_data


_INFO_DTYPES = {"int": "int64", "float": "float64", "bool": bool}


def _sector_info(
    info_data: dict[str, list[Any]], info_types: Mapping[str, str], sectors: pd.Index
) -> pd.DataFrame | None:
    """The ``sector_info`` frame with the column types declared in ``table.json``."""
    if not info_data:
        return None
    frame = pd.DataFrame(info_data, index=sectors)
    for c in info_data:
        kind = info_types.get(c, "str")
        missing = bool(frame[c].isna().any())
        if kind == "int" and missing:
            frame[c] = frame[c].astype("Int64")
        elif kind in ("int", "float") or (kind == "bool" and not missing):
            frame[c] = frame[c].astype(_INFO_DTYPES[kind])
    return frame


def _read_sectors(
    reader: _Folder, names: list[Any], info_types: Mapping[str, str]
) -> tuple[pd.Index, pd.DataFrame | None]:
    """The sector index (a MultiIndex with several label levels) and ``sector_info``."""
    labels, info_data = _sector_rows(reader, names, info_types)
    if reader.nlev > 1:
        sectors: pd.Index = pd.MultiIndex.from_tuples(labels, names=names)
    else:
        sectors = pd.Index(labels, name=names[0])
    if sectors.has_duplicates:
        dup = sectors[sectors.duplicated()].unique().tolist()[:3]
        raise DataSourceError(f"{reader.path / SECTORS_FILE}: duplicate sector labels {dup}")
    reader.labels = labels
    return sectors, _sector_info(info_data, info_types, sectors)


def _read_output(reader: _Folder) -> tuple[Array | None, Array | None]:
    """Gross output and the import row from ``output.csv`` (each ``None`` if not given)."""
    out = reader.matrix(OUTPUT_FILE, rows_are="sectors", cols_are="names", required=False)
    if out is None:
        return None, None
    for c in out.cols:
        if c not in ("output", "imports"):
            raise DataSourceError(
                f"{reader.path / OUTPUT_FILE}: column {c!r} is not known; expected 'output' and "
                "optionally 'imports'"
            )
    x = out.values[:, out.cols.index("output")] if "output" in out.cols else None
    m_row = out.values[:, out.cols.index("imports")] if "imports" in out.cols else None
    return x, m_row


def _read_imports(
    reader: _Folder, fd_cols: list[Any], m_row: Array | None
) -> tuple[Array | None, Array | None, Array | None]:
    """Imported flows and final demand (both or neither) and the import row they imply."""
    zm = reader.matrix(IMPORTED_FLOWS_FILE, rows_are="sectors", cols_are="sectors", required=False)
    ym = reader.matrix(
        IMPORTED_FINAL_DEMAND_FILE, rows_are="sectors", cols_are="categories", required=False
    )
    if (zm is None) != (ym is None):
        have, lack = (
            (IMPORTED_FLOWS_FILE, IMPORTED_FINAL_DEMAND_FILE)
            if zm is not None
            else (IMPORTED_FINAL_DEMAND_FILE, IMPORTED_FLOWS_FILE)
        )
        raise DataSourceError(
            f"{reader.path}: {have} is present but {lack} is missing; give both or neither"
        )
    if zm is None or ym is None:
        return None, None, m_row
    if ym.cols != fd_cols:
        raise DataSourceError(
            f"{reader.path / IMPORTED_FINAL_DEMAND_FILE}: categories {ym.cols} differ from "
            f"{FINAL_DEMAND_FILE} {fd_cols}"
        )
    col_sums = zm.values.sum(axis=0)
    if m_row is None:
        return zm.values, ym.values, col_sums
    atol = 1e-9 * max(1.0, float(np.abs(col_sums).max()))
    if not np.allclose(m_row, col_sums, rtol=1e-9, atol=atol):
        j = int(np.argmax(np.abs(m_row - col_sums)))
        raise DataSourceError(
            f"{reader.path / OUTPUT_FILE}: 'imports' of sector {reader.labels[j]!r} is "
            f"{m_row[j]:g} but the column of {IMPORTED_FLOWS_FILE} sums to {col_sums[j]:g}; "
            "they must agree"
        )
    return zm.values, ym.values, m_row


def _read_satellites(reader: _Folder) -> dict[str, Array]:
    """Satellite accounts by name (empty without ``satellites.csv``)."""
    sat = reader.matrix(SATELLITES_FILE, rows_are="sectors", cols_are="names", required=False)
    if sat is None:
        return {}
    return {str(key): sat.values[:, j] for j, key in enumerate(sat.cols)}


def _read_meta(doc: Mapping[str, Any], meta_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The ``meta`` fields (only known ones) and the ``provenance`` object of ``table.json``."""
    meta = dict(doc.get("meta") or {})
    unknown = set(meta) - set(META_FIELDS)
    if unknown:
        raise DataSourceError(
            f"{meta_path}: unknown meta field(s) {sorted(unknown)}; known: {list(META_FIELDS)}"
        )
    provenance = doc.get("provenance") or {}
    if not isinstance(provenance, dict):
        raise DataSourceError(f"{meta_path}: 'provenance' must be a JSON object")
    # a null field is an unstated one: the table's default applies (e.g. unit 1, year none)
    return {k: meta[k] for k in META_FIELDS if meta.get(k) is not None}, provenance


def folder_digest(path: str | Path) -> str:
    """SHA-256 over the names and contents of a table folder's files (``table.json`` and the
    format's CSV files): the key a cache of loaded tables uses, so an edit that keeps the file
    times (``touch -r``, a copy with ``cp -p``, a coarse clock) is never missed. Non-regular
    files are refused as when reading (:func:`read_parts`)."""
    folder = Path(path)
    h = hashlib.sha256()
    for name in (META_FILE, *ALL_FILES):
        file = folder / name
        if not os.path.lexists(file):
            continue
        limit = MAX_META_BYTES if name == META_FILE else MAX_CSV_BYTES
        h.update(name.encode() + b"\0")
        h.update(hashlib.sha256(read_regular(file, limit=limit)).digest())
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class TableAccounts:
    """The by-sector accounts of a table folder, without its matrices.

    Attributes
    ----------
    sectors : pandas.Index
        Sector labels (a MultiIndex with several label levels).
    sector_info : pandas.DataFrame or None
        The ``sector_info`` columns of ``sectors.csv``, typed as ``table.json`` declares.
    output : numpy.ndarray or None
        Gross output ``x`` by sector, in the table's money unit (``None`` without
        ``output.csv``: then only the whole table, which derives it from the flows, has it).
    satellites : Mapping[str, numpy.ndarray]
        Satellite accounts by name (``employment`` in persons), absolute units by sector.
    """

    sectors: pd.Index
    sector_info: pd.DataFrame | None
    output: Array | None
    satellites: Mapping[str, Array]


def read_accounts(path: str | Path) -> TableAccounts:
    """Read only ``sectors.csv``, ``output.csv`` and ``satellites.csv`` of a table folder.

    The checks are those of :func:`read_parts` for the files read (``table.json``, its listed
    files and their sha256 checksums, labels, shapes), at a fraction of the cost of parsing the
    flow matrices: for figures that need none (employment per unit of output by sector).
    """
    folder = Path(path)
    doc = _read_doc(folder)
    reader, names, info_types = _open_folder(folder, doc)
    sectors, sector_info = _read_sectors(reader, names, info_types)
    x, _ = _read_output(reader)
    return TableAccounts(sectors, sector_info, x, _read_satellites(reader))


def read_parts(path: str | Path) -> TableParts:
    """Read a table folder (see the module docstring and docs/data.md) into :class:`TableParts`.

    Every problem of the files raises :class:`~impactsim.errors.DataSourceError` naming the file
    and, where it applies, the line and column. The accounting identities are checked when the
    parts are built into a table (:meth:`impactsim.IOTable.from_dir`).
    """
    folder = Path(path)
    doc = _read_doc(folder)
    meta_path = folder / META_FILE
    reader, names, info_types = _open_folder(folder, doc)
    sectors, sector_info = _read_sectors(reader, names, info_types)
    z = reader.matrix(FLOWS_FILE, rows_are="sectors", cols_are="sectors")
    y = reader.matrix(FINAL_DEMAND_FILE, rows_are="sectors", cols_are="categories")
    va = reader.matrix(VALUE_ADDED_FILE, rows_are="components", cols_are="sectors")
    assert z is not None and y is not None and va is not None  # required files
    fd_cats = restore_labels(
        y.cols, doc.get("final_demand_categories"), meta_path, "final_demand_categories"
    )
    va_comps = restore_labels(
        va.rows, doc.get("value_added_components"), meta_path, "value_added_components"
    )
    x, m_row = _read_output(reader)
    z_imp, y_imp, m_row = _read_imports(reader, y.cols, m_row)
    satellites = _read_satellites(reader)
    meta, provenance = _read_meta(doc, meta_path)
    return TableParts(
        sectors=sectors,
        flows=z.values,
        final_demand=y.values,
        value_added=va.values,
        final_demand_categories=fd_cats,
        value_added_components=va_comps,
        import_row=m_row,
        imported_flows=z_imp,
        imported_final_demand=y_imp,
        output=x,
        satellites=satellites,
        sector_info=sector_info,
        provenance=provenance,
        meta=meta,
        allow_negative=tuple(doc.get("allow_negative") or DEFAULT_ALLOW_NEGATIVE),
        balance_rtol=float(doc.get("balance_rtol", 1e-6)),
        balance_atol=float(doc.get("balance_atol", 0.0)),
    )
