"""Multipliers with linkage indices, labelled for files: one frame, its units and a caption.

Reads what the engine computed (:meth:`LeontiefModel.multipliers`, :func:`impactsim.linkages`)
and only joins, labels and serialises it. File format by the suffix of the target:
``.csv``, ``.xlsx`` (sheets ``multipliers`` and ``units``), ``.parquet``, ``.json`` (title,
caption, units and rows).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..tables.table import IOTable
from . import views
from .writers import TABULAR_FORMATS, OutputError, frame_bytes, json_dumps, json_ready, require

#: Linkage columns joined to the multipliers (the rest of :func:`impactsim.linkages` is in the
#: API only).
LINKAGE_COLUMNS = ("power_of_dispersion", "sensitivity_of_dispersion", "backward", "forward")

SUFFIX_FORMATS = {suffix: fmt for fmt, suffix in TABULAR_FORMATS.items()}


def file_format(path: Path) -> str:
    """The tabular format a multipliers file is written in, from its suffix."""
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OutputError(
            f"-o {path}: unknown file type '{path.suffix}'; end the name in "
            f"{', '.join(sorted(SUFFIX_FORMATS))}"
        )
    if fmt == "parquet":
        require("pyarrow", extra="parquet", feature="writing parquet")
    elif fmt == "xlsx":
        require("openpyxl", extra="excel", feature="writing xlsx")
    return fmt


def drop_duplicate_income(frame: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """Drop ``household_income`` when it equals ``income`` (the table's own closure, where the
    household row of L̄ *is* the Type II labour-income multiplier); a note says so."""
    if "household_income" not in frame.columns or "income" not in frame.columns:
        return frame, None
    a = frame["household_income"].to_numpy(dtype=float)
    b = frame["income"].to_numpy(dtype=float)
    if np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True):
        note = ("household income (the household row of L̄) equals the labour-income multiplier "
                "with the table's household closure, so it is shown once as income")
        return frame.drop(columns="household_income"), note
    return frame, None


def sector_label(key: Any) -> str:
    """A sector label as text: ``"KOR c14"`` for a (region, sector) pair, else the code."""
    return " ".join(map(str, key)) if isinstance(key, tuple) else str(key)


def sector_names(table: IOTable) -> dict[str, str]:
    """Sector label → English name from ``sector_info["name_en"]``; a multi-region table's
    names are keyed both by ``"region sector"`` and by the sector code alone."""
    names: dict[str, str] = {}
    info = table.sector_info
    if info is None or "name_en" not in info.columns:
        return names
    for k, v in info["name_en"].items():
        names[sector_label(k)] = str(v)
        if isinstance(k, tuple):
            names.setdefault(str(k[-1]), str(v))
    return names


def drop_empty_money_columns(frame: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """Drop ``imports`` when it is zero in every row (a world table is closed: nothing is
    imported from outside it, so the column carries no information)."""
    if "imports" in frame.columns and not np.any(frame["imports"].to_numpy(dtype=float)):
        units.pop("imports", None)
        return frame.drop(columns="imports")
    return frame


def multipliers_table(
    table: IOTable, frame: pd.DataFrame, links: pd.DataFrame | None, *, induced: bool,
    form: str,
) -> tuple[pd.DataFrame, dict[str, str], str]:
    """(frame, units, caption): sector code index, ``name``, the multipliers, then the linkage
    indices; units per column ("… per million KRW of final demand"); one caption line."""
    units = dict(frame.attrs.get("units", {}))
    frame, note = drop_duplicate_income(frame)
    out = frame.copy()
    if links is not None:
        for col in LINKAGE_COLUMNS:
            out[col] = links[col].reindex(frame.index).to_numpy()
            units[col] = str(links.attrs.get("units", {}).get(col, ""))
    names = sector_names(table)
    out.index = out.index.map(sector_label)
    out.index.name = "sector"
    out.insert(0, "name", [names.get(s, names.get(s.split(" ")[-1], "")) for s in out.index])
    out = drop_empty_money_columns(out, units)
    units = {c: units[c] for c in out.columns if c in units}
    kind = "Type II (households closed)" if induced else "Type I (open)"
    meta = table.meta
    plus = " + induced" if induced else ""
    what = (f"per 1 {meta.money_unit} of final demand" if form == "total"
            else f"ratio form: (direct + indirect{plus}) / direct")
    caption = f"{views.table_caption(meta)}. {kind} multipliers, {what}"
    if links is not None:
        caption += ("; linkage indices from the domestic Leontief inverse: power of "
                    "dispersion (영향력계수, column sums) and sensitivity of dispersion "
                    "(감응도계수, row sums), each relative to the all-sector mean")
    if note:
        caption += f"; {note}"
    return out, units, caption


def multipliers_file_bytes(frame: pd.DataFrame, units: dict[str, str], caption: str, *,
                           fmt: str, title: str) -> bytes:
    """The bytes of a multipliers file in ``fmt`` (csv, xlsx, parquet, json)."""
    if fmt == "json":
        body: dict[str, Any] = {"title": title, "caption": caption, "units": units,
                                "rows": json_ready(frame)}
        return (json_dumps(body) + "\n").encode("utf-8")
    if fmt == "xlsx":
        unit_sheet = pd.DataFrame({"column": list(units), "unit": list(units.values())})
        about = pd.DataFrame({"about": [title, caption]})
        return frame_bytes(frame, fmt, sheets={"units": unit_sheet, "about": about})
    return frame_bytes(frame, fmt)
