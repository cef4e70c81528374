"""Reader for the WIOD 2013 release world input-output table (CSV conversion of bquast/wiod).

Source: World Input-Output Database, 2013 release (Timmer, Dietzenbacher, Los, Stehrer & de Vries
2015, *Review of International Economics* 23(3): 575–605; CC BY 4.0), world table for 2011:
41 regions (40 countries + ``RoW``) × 35 industries (NACE Rev.1, codes ``c1``…``c35``), million
USD at current basic prices. Files (all integers, comma-separated, a label column first)::

    wiot2011_Z.csv       1435 × 1435 intermediate flows, labels like ``KOR_c14`` (row supplies)
    wiot2011_Y.csv       1435 × 205 final demand, columns ``<ISO3>_<category>``, categories
                         CONS_h, CONS_np, CONS_g, GFCF, INVEN
    wiot2011_x_va.csv    gross output and value added as the residual output − intermediate inputs
    wiod2013_sectors.csv code, nace_rev1, description

The table read is a multi-region :class:`~impactsim.IOTable`: sectors ``(region, sector)``,
final demand ``(buying region, category)``, no import row (trade is inside Z and Y; RoW closes
the system). Two adjustments, both recorded in the provenance: region-industries with zero gross
output (22 in 2011, e.g. ``KOR_c35``) are dropped, and the row residual ``x − Z1 − Y1`` (the
source's statistical discrepancy and rounding; the CSVs have no discrepancy column) is kept as a
final-demand column ``("ALL", "discrepancy")`` so that the published output is kept exactly.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import DataSourceError
from ..table import IOTable
from ._grid import sha256_file

Z_FILE = "wiot2011_Z.csv"
Y_FILE = "wiot2011_Y.csv"
XVA_FILE = "wiot2011_x_va.csv"
SECTORS_FILE = "wiod2013_sectors.csv"
FILES = (Z_FILE, Y_FILE, XVA_FILE, SECTORS_FILE)

#: WIOD final-use codes → impactsim category names.
CATEGORIES = {
    "CONS_h": "households",
    "CONS_np": "npish",
    "CONS_g": "government",
    "GFCF": "gfcf",
    "INVEN": "inventories",
}
DISCREPANCY = ("ALL", "discrepancy")
VALUE_ADDED = "value_added_residual"

_LABEL = re.compile(r"^([A-Za-z]{3})_(c\d{1,2})$")
_FD = re.compile(r"^([A-Za-z]{3})_(CONS_h|CONS_np|CONS_g|GFCF|INVEN)$")

PROVENANCE_BASE: dict[str, Any] = {
    "publisher": "World Input-Output Database (WIOD), 2013 release",
    "citation": (
        "Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J. (2015), "
        "'An Illustrated User Guide to the World Input-Output Database: the Case of Global "
        "Automotive Production', Review of International Economics 23(3): 575-605"
    ),
    "table": "World input-output table (WIOT) 2011: 41 regions (40 countries + RoW) x 35 "
    "industries (NACE Rev.1)",
    "year": 2011,
    "units": "million USD, current prices of 2011, basic prices",
    "licence": "CC BY 4.0 (cite Timmer et al. 2015)",
    "source_files": "CSV conversion of the R data package bquast/wiod (wiot2011_Z.csv, "
    "wiot2011_Y.csv, wiot2011_x_va.csv, wiod2013_sectors.csv)",
    "value_added": (
        "one row 'value_added_residual' = gross output − intermediate inputs (as in the source "
        "CSV): value added at basic prices plus net taxes on intermediate products, cif/fob and "
        "direct-purchase adjustments and international transport margins; it slightly "
        "overstates GDP-type value added"
    ),
    "employment": (
        "none: the WIOD 2013 socio-economic accounts are not among the sources, so the table has "
        "no employment or labour-income satellite; value-added effects by country are available"
    ),
    "household_closure": (
        "none: final demand is by buying region and there is no compensation row, so a "
        "households-closed (Type II) model is not offered on this table"
    ),
}


def _read(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, index_col=0)
    except FileNotFoundError:
        raise DataSourceError(
            f"{path}: file not found; the WIOD 2013 folder needs {', '.join(FILES)}"
        ) from None
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataSourceError(f"{path}: not a readable CSV ({exc})") from None
    bad = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if bad:
        col = bad[0]
        vals = pd.to_numeric(frame[col], errors="coerce")
        row = frame.index[int(np.flatnonzero(vals.isna().to_numpy())[0])]
        raise DataSourceError(
            f"{path}: row {row!r}, column {col!r}: {frame.loc[row, col]!r} is not a number; "
            "the file must hold plain numbers (0 for no flow)"
        )
    if frame.isna().to_numpy().any():
        i, j = np.argwhere(frame.isna().to_numpy())[0]
        raise DataSourceError(
            f"{path}: row {frame.index[i]!r}, column {frame.columns[j]!r} is empty; write 0 "
            "for no flow"
        )
    return frame


def _split_labels(labels: pd.Index, *, file: Path, what: str) -> list[tuple[str, str]]:
    out = []
    for lab in labels:
        m = _LABEL.match(str(lab))
        if not m:
            raise DataSourceError(
                f"{file}: {what} label {lab!r} is not of the form <ISO3>_c<k> (e.g. KOR_c14)"
            )
        out.append((m.group(1), m.group(2)))
    return out


def read_wiod2013(folder: str | Path) -> IOTable:
    """Read the WIOD 2013 world table 2011 from ``folder`` as a multi-region IOTable.

    Money in million USD (``unit=1e6``), 2011 prices. Sectors ``(region, sector)``; final demand
    ``(buying region, category)`` with categories households, npish, government, gfcf,
    inventories, plus ``("ALL", "discrepancy")``; one value-added row (the residual). Raises
    :class:`~impactsim.DataSourceError` naming the file and cell when the layout differs.
    """
    root = Path(folder)
    if not root.is_dir():
        raise DataSourceError(f"{root}: not a folder; give the folder holding {', '.join(FILES)}")
    z = _read(root / Z_FILE)
    y = _read(root / Y_FILE)
    xva = _read(root / XVA_FILE)
    sec_info = _read_sector_list(root / SECTORS_FILE)
    rows = _region_sectors(root, z, y, xva)
    fd_cols = _final_demand_columns(root / Y_FILE, y)
    names = dict(zip(sec_info["code"], sec_info["description"], strict=True))
    nace = dict(zip(sec_info["code"], sec_info["nace_rev1"], strict=True))
    unknown = sorted({s for _, s in rows if s not in names})
    if unknown:
        raise DataSourceError(
            f"{root / SECTORS_FILE}: no description for sector code(s) {unknown[:5]}"
        )
    zv = z.to_numpy(dtype=float)
    yv = y.to_numpy(dtype=float)
    x = xva["output"].to_numpy(dtype=float)
    va = xva[VALUE_ADDED].to_numpy(dtype=float)
    keep = _kept(root, z.index, zv, va, x)
    zk = zv[np.ix_(keep, keep)]
    xk = x[keep]
    discrepancy = xk - zk.sum(axis=1) - yv[keep].sum(axis=1)
    labels = [lab for lab, k in zip(rows, keep, strict=True) if k]
    info = pd.DataFrame(
        {
            "name_en": [names[s] for _, s in labels],
            "nace_rev1": [nace[s] for _, s in labels],
        }
    )
    dropped = [str(lab) for lab in z.index[~keep]]
    return IOTable.from_arrays(
        zk,
        np.column_stack([yv[keep], discrepancy]),
        va[keep][np.newaxis, :],
        sectors=pd.MultiIndex.from_tuples(labels, names=["region", "sector"]),
        final_demand_categories=pd.MultiIndex.from_tuples(
            [*fd_cols, DISCREPANCY], names=["region", "category"]
        ),
        value_added_components=[VALUE_ADDED],
        output=xk,
        name="wiod-2011",
        region="WORLD",
        currency="USD",
        unit=1e6,
        year=2011,
        price_basis="basic prices",
        price_year=2011,
        employment_unit="",
        provenance=_provenance(root, dropped, float(yv[~keep].sum()), discrepancy),
        sector_info=info,
    )


def _read_sector_list(path: Path) -> pd.DataFrame:
    """``wiod2013_sectors.csv``: columns code, nace_rev1, description (as text)."""
    try:
        sec_info = pd.read_csv(path, dtype=str)
    except FileNotFoundError:
        raise DataSourceError(f"{path}: file not found") from None
    for col in ("code", "nace_rev1", "description"):
        if col not in sec_info.columns:
            raise DataSourceError(f"{path}: column {col!r} missing (have {list(sec_info.columns)})")
    return sec_info


def _region_sectors(
    root: Path, z: pd.DataFrame, y: pd.DataFrame, xva: pd.DataFrame
) -> list[tuple[str, str]]:
    """The (region, sector) labels; every file must list them in the same order."""
    rows = _split_labels(z.index, file=root / Z_FILE, what="row")
    cols = _split_labels(z.columns, file=root / Z_FILE, what="column")
    if rows != cols:
        i = next(k for k, (a, b) in enumerate(zip(rows, cols, strict=False)) if a != b)
        raise DataSourceError(
            f"{root / Z_FILE}: row {i + 1} is {'_'.join(rows[i])} but column {i + 1} is "
            f"{'_'.join(cols[i])}; rows and columns must list the same region-sectors in order"
        )
    for other, name in ((y, Y_FILE), (xva, XVA_FILE)):
        if list(other.index) != list(z.index):
            diff = next(
                (k for k, (a, b) in enumerate(zip(other.index, z.index, strict=False)) if a != b),
                min(len(other.index), len(z.index)),
            )
            raise DataSourceError(
                f"{root / name}: row labels differ from {Z_FILE} at row {diff + 1}; the files "
                "must list the same region-sectors in the same order"
            )
    for col in ("output", VALUE_ADDED):
        if col not in xva.columns:
            raise DataSourceError(
                f"{root / XVA_FILE}: column {col!r} missing (have {list(xva.columns)})"
            )
    return rows


def _final_demand_columns(path: Path, y: pd.DataFrame) -> list[tuple[str, str]]:
    """(buying region, category) for every final-demand column."""
    fd_cols = []
    for c in y.columns:
        m = _FD.match(str(c))
        if not m:
            raise DataSourceError(
                f"{path}: column {c!r} is not of the form <ISO3>_<CONS_h|CONS_np|CONS_g|GFCF|INVEN>"
            )
        fd_cols.append((m.group(1), CATEGORIES[m.group(2)]))
    return fd_cols


def _kept(root: Path, index: pd.Index, zv: np.ndarray, va: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Mask of region-sectors with output > 0; value added must be the residual, and the
    dropped zero-output region-sectors must have no flows."""
    col_res = zv.sum(axis=0) + va - x
    if np.abs(col_res).max() > 0.5:
        j = int(np.argmax(np.abs(col_res)))
        raise DataSourceError(
            f"{root / XVA_FILE}: {VALUE_ADDED} of {index[j]} is not output − intermediate "
            f"inputs (off by {col_res[j]:g}); the file is not the expected residual"
        )
    zero = x <= 0
    if (x < 0).any():
        j = int(np.flatnonzero(x < 0)[0])
        raise DataSourceError(f"{root / XVA_FILE}: negative output {x[j]:g} for {index[j]}")
    if zero.any():
        leak = np.abs(zv[zero]).sum() + np.abs(zv[:, zero]).sum() + np.abs(va[zero]).sum()
        if leak > 0:
            raise DataSourceError(
                f"{root / Z_FILE}: a region-sector with zero output has intermediate flows; "
                "cannot drop it without changing the table"
            )
    return ~zero


def _provenance(
    root: Path, dropped: list[str], dropped_fd: float, discrepancy: np.ndarray
) -> dict[str, Any]:
    """The base provenance plus source checksums and the two adjustments made."""
    prov = dict(PROVENANCE_BASE)
    prov["sha256"] = {name: sha256_file(root / name) for name in FILES}
    prov["dropped_zero_output"] = (
        f"{len(dropped)} region-sectors with zero gross output dropped: {', '.join(dropped)} "
        f"(their final-demand entries summed to {dropped_fd:g} million USD)"
    )
    prov["discrepancy"] = (
        "final-demand column ('ALL', 'discrepancy') = output − intermediate use − final demand "
        "per row (the source's statistical discrepancy and rounding; total "
        f"{discrepancy.sum():.0f}, largest |value| {np.abs(discrepancy).max():.0f} million USD)"
    )
    return prov
