"""A bridge to pymrio: bring an ``IOSystem`` in as an :class:`IOTable`, and back.

pymrio (Stadler 2021, *Journal of Open Research Software* 9(1): 8; https://pymrio.readthedocs.io)
parses EXIOBASE, OECD ICIO, WIOD, Eora and GLORIA into ``IOSystem`` objects: ``Z`` (flows,
rows and columns (region, sector)), ``Y`` (final demand, columns (region, category)), ``x``
(output) and extensions whose ``F`` rows are stressors or factor inputs. pymrio is an optional
dependency (``pip install 'impactsim[pymrio]'``), imported only inside these functions.

:func:`from_pymrio` (``region=None``): the whole system as a multi-region table — sectors
(region, sector), final demand by (buying region, category) with pymrio's category names mapped
to impactsim's (households, npish, government, gfcf, inventories, valuables, exports); value
added from the ``factor_inputs`` extension (rows starting "Compensation of employees" summed to
``compensation``, so a Type II closure can be formed), any other extension row a satellite.
Where the system is not column-balanced (pymrio's bundled test system is not) the gap
``x − 1'Z − Σ factor inputs`` becomes a value-added component ``balancing_item`` so the table's
identities hold; it is reported in the provenance.

``region="reg1"``: one region of the system as a single-region table — domestic flows ``Z_rr``;
imported flows ``Σ_s≠r Z_sr`` by product; final demand of region r's categories split into
domestic and imported; sales to every other region (their intermediate use and final demand)
become the final-demand category ``exports``.

:func:`to_pymrio`: a table as an ``IOSystem`` with ``Z`` (domestic flows), ``Y``, ``x``, an
extension ``factor_inputs`` (the value-added components, plus ``imports`` — the imported
intermediate inputs — on a table with imports) and an extension ``satellites`` (employment and
other satellites). ``from_pymrio(to_pymrio(t))`` has the same multipliers as ``t`` (tested to
1e-9).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataSourceError, OptionError
from .table import COMPENSATION, EMPLOYMENT, IOTable

#: pymrio / EXIOBASE final-demand category names → impactsim's (matched case-insensitively on
#: the start of the name).
CATEGORY_NAMES = (
    ("final consumption expenditure by households", "households"),
    ("final consumption expenditure by non-profit", "npish"),
    ("final consumption expenditure by government", "government"),
    ("gross fixed capital formation", "gfcf"),
    ("changes in inventories", "inventories"),
    ("changes in valuables", "valuables"),
    ("export", "exports"),
)

#: The extension name pymrio and its parsers give value added (EXIOBASE, WIOD, the test system).
FACTOR_INPUTS = "factor_inputs"
IMPORTS_ROW = "imports"
BALANCING = "balancing_item"


def _require_pymrio() -> Any:
    try:
        import pymrio
    except ImportError:
        raise OptionError(
            "the pymrio bridge needs the optional package 'pymrio'; install it with: "
            "pip install 'impactsim[pymrio]'"
        ) from None
    return pymrio


def category_name(name: Any) -> str:
    """impactsim's name for a pymrio final-demand category (the name itself when unknown)."""
    text = str(name).strip()
    low = text.lower()
    for start, ours in CATEGORY_NAMES:
        if low.startswith(start):
            return ours
    return text


def _label(row: Any) -> str:
    return " ".join(map(str, row)) if isinstance(row, tuple) else str(row)


def _frame(value: Any, what: str) -> pd.DataFrame:
    if value is None:
        raise DataSourceError(
            f"from_pymrio: the IOSystem has no {what}; call io.calc_all() (or give Z and Y) first"
        )
    return value


def _money_unit(io: Any) -> tuple[str, float]:
    """(currency, unit) from pymrio's unit text, e.g. ``"Mill USD"`` → ("USD", 1e6)."""
    unit = getattr(io, "unit", None)
    text = ""
    if isinstance(unit, pd.DataFrame) and "unit" in unit.columns and len(unit):
        text = str(unit["unit"].iloc[0])
    words = text.replace(".", " ").split()
    scale = 1.0
    currency = ""
    for w in words:
        lw = w.lower()
        if lw in ("mill", "million", "mio", "m"):
            scale = 1e6
        elif lw in ("thousand", "k", "1000"):
            scale = 1e3
        elif lw in ("billion", "bn"):
            scale = 1e9
        elif len(w) == 3 and w.isalpha() and w.isupper():
            currency = w
    return currency, scale


def _factor_rows(io: Any, columns: pd.Index) -> tuple[list[str], list[np.ndarray], np.ndarray]:
    """Value-added components (names, rows) and the imports row from ``factor_inputs``."""
    names: list[str] = []
    rows: list[np.ndarray] = []
    imports = np.zeros(len(columns))
    ext = getattr(io, FACTOR_INPUTS, None)
    f = getattr(ext, "F", None)
    if f is None:
        return names, rows, imports
    f = f.reindex(columns=columns).fillna(0.0)
    comp = np.zeros(len(columns))
    has_comp = False
    for key, vals in f.iterrows():
        label = _label(key)
        low = label.lower()
        arr = vals.to_numpy(dtype=float)
        if low == IMPORTS_ROW:
            imports = imports + arr
        elif low.startswith(COMPENSATION) or low.startswith("compensation of employees"):
            comp = comp + arr
            has_comp = True
        else:
            names.append(label)
            rows.append(arr)
    if has_comp:
        names.insert(0, COMPENSATION)
        rows.insert(0, comp)
    return names, rows, imports


def _satellites(io: Any, columns: pd.Index,
                units: dict[str, str] | None = None) -> dict[str, np.ndarray]:
    """Extension rows as satellites; ``units`` (if given) receives each row's stated unit."""
    out: dict[str, np.ndarray] = {}
    for attr in io.get_extensions(data=False):
        ext = getattr(io, attr)
        if attr == FACTOR_INPUTS or getattr(ext, "F", None) is None:
            continue
        f = ext.F.reindex(columns=columns).fillna(0.0)
        unit_frame = getattr(ext, "unit", None)
        for key, vals in f.iterrows():
            label = _label(key)
            if label in out:
                label = f"{ext.name}: {label}"
            out[label] = vals.to_numpy(dtype=float)
            if units is not None and isinstance(unit_frame, pd.DataFrame) \
                    and key in unit_frame.index and "unit" in unit_frame.columns:
                units[label] = str(unit_frame.loc[key, "unit"])
    return out


def from_pymrio(
    io: Any,
    *,
    region: str | None = None,
    name: str | None = None,
    year: int | None = None,
    currency: str | None = None,
    unit: float | None = None,
    price_basis: str = "",
    employment: str | None = None,
    balance_rtol: float = 1e-6,
    allow_negative: tuple[str, ...] = ("flows", "final_demand", "value_added"),
) -> IOTable:
    """An :class:`IOTable` from a pymrio ``IOSystem`` (see the module docstring).

    Parameters
    ----------
    io
        A pymrio ``IOSystem`` with ``Z`` and ``Y`` (``x`` is taken from it when present, else
        ``Z 1 + Y 1``).
    region
        None for the whole system (multi-region table; a one-region system gives a
        single-region table), or one region's name for that region with imports and exports.
    name, year, currency, unit, price_basis
        Table metadata; currency and unit default to pymrio's unit text (``"Mill USD"`` →
        USD, 1e6), the name to the system's name.
    employment
        The satellite (extension row label, e.g. ``"Employment people"``) to use as the
        ``employment`` satellite (persons per table money unit of output in the multipliers).
    balance_rtol
        Tolerance of the table's balance checks, relative to each sector's output.
    allow_negative
        Blocks where negative entries are legal (EXIOBASE and BOK tables carry negative
        flows for by-products and subsidies).
    """
    _require_pymrio()
    z_all = _frame(getattr(io, "Z", None), "Z (flows)")
    y_all = _frame(getattr(io, "Y", None), "Y (final demand)")
    x_frame = getattr(io, "x", None)
    if x_frame is not None:
        x_all = np.asarray(x_frame, dtype=float).reshape(-1)
    else:
        x_all = z_all.to_numpy(dtype=float).sum(axis=1) + y_all.to_numpy(dtype=float).sum(axis=1)
    regions = list(dict.fromkeys(z_all.index.get_level_values(0)))
    cur, scale = _money_unit(io)
    currency = currency if currency is not None else cur
    unit = unit if unit is not None else scale
    sys_name = name or str(getattr(io, "name", "") or "pymrio")
    if region is not None and region not in regions:
        raise OptionError(f"from_pymrio(region={region!r}): not in the system's regions {regions}")
    provenance: dict[str, Any] = {
        "source": "pymrio IOSystem " + sys_name,
        "pymrio_meta": str(getattr(getattr(io, "meta", None), "description", "") or ""),
    }
    names, va_rows, imports_row = _factor_rows(io, z_all.columns)
    sat_units: dict[str, str] = {}
    sats = _satellites(io, z_all.columns, sat_units)
    if employment is not None:
        if employment not in sats:
            raise OptionError(
                f"from_pymrio(employment={employment!r}): no such extension row; use one of "
                f"{sorted(sats)}"
            )
        sats = {EMPLOYMENT: sats.pop(employment), **sats}
        sat_units[EMPLOYMENT] = sat_units.pop(employment, "")
    # a unit equal to the row's own name is no unit (how to_pymrio marks an unstated one)
    sat_units = {k: u for k, u in sat_units.items() if u and u != k}
    z = z_all.to_numpy(dtype=float)
    gap = x_all - z.sum(axis=0) - imports_row - (np.sum(va_rows, axis=0) if va_rows else 0.0)
    if np.any(np.abs(gap) > 1e-9 * np.maximum(np.abs(x_all), 1.0)):
        names.append(BALANCING if va_rows else "value_added")
        va_rows.append(gap)
        if va_rows[:-1]:
            provenance["balancing_item"] = (
                "x − intermediate inputs − factor inputs: the system is not column-balanced; "
                f"sum {float(gap.sum()):.6g}, largest |value| {float(np.abs(gap).max()):.6g}"
            )
    va = np.vstack(va_rows) if va_rows else np.zeros((1, len(x_all)))
    if not va_rows:
        names = ["value_added"]
    common = {
        "value_added_components": names, "name": sys_name, "currency": currency or "",
        "unit": float(unit), "year": year, "price_basis": price_basis,
        "provenance": provenance, "balance_rtol": balance_rtol,
        "allow_negative": tuple(allow_negative),
        "satellite_units": {k: u for k, u in sat_units.items() if k != EMPLOYMENT},
        **({"employment_unit": sat_units[EMPLOYMENT]} if EMPLOYMENT in sat_units else {}),
    }
    if region is None and len(regions) > 1:
        return _multi_region(z_all, y_all, x_all, va, imports_row, sats, common)
    only = region if region is not None else regions[0]
    return _one_region(z_all, y_all, x_all, va, imports_row, sats, only, common)


def _merge_columns(y: np.ndarray, labels: list[Any]) -> tuple[np.ndarray, list[Any]]:
    """Sum columns of ``y`` whose labels coincide (two pymrio categories mapped to one name)."""
    uniq = list(dict.fromkeys(labels))
    if len(uniq) == len(labels):
        return y, labels
    merge = np.array([[1.0 if c == u else 0.0 for u in uniq] for c in labels])
    return y @ merge, uniq


def _multi_region(z_all: pd.DataFrame, y_all: pd.DataFrame, x: np.ndarray, va: np.ndarray,
                  imports_row: np.ndarray, sats: dict[str, np.ndarray],
                  common: dict[str, Any]) -> IOTable:
    sectors = pd.MultiIndex.from_tuples([tuple(map(str, t)) for t in z_all.index],
                                        names=["region", "sector"])
    labels = [(str(r), category_name(c)) for r, c in y_all.columns]
    y, labels = _merge_columns(y_all.to_numpy(dtype=float), labels)
    cats = pd.MultiIndex.from_tuples(labels, names=["region", "category"])
    info = pd.DataFrame({"name_en": [s for _, s in sectors]}, index=sectors)
    return IOTable.from_arrays(
        z_all.to_numpy(dtype=float), y, va, sectors=sectors,
        final_demand_categories=cats, imports=imports_row, output=x,
        satellites=sats or None, region="WORLD", sector_info=info, **common,
    )


def _one_region(z_all: pd.DataFrame, y_all: pd.DataFrame, x_all: np.ndarray, va: np.ndarray,
                imports_row: np.ndarray, sats: dict[str, np.ndarray], region: str,
                common: dict[str, Any]) -> IOTable:
    row_reg = np.asarray(z_all.index.get_level_values(0).astype(str))
    col_reg = np.asarray(y_all.columns.get_level_values(0).astype(str))
    mine = row_reg == region
    own_cols = col_reg == region
    sec_of = np.asarray(z_all.index.get_level_values(1).astype(str))
    sectors = [str(s) for s in sec_of[mine]]
    n = len(sectors)
    z = z_all.to_numpy(dtype=float)
    y = y_all.to_numpy(dtype=float)
    # imported products by sector: the other regions' rows of the same sector, summed
    pos = {s: i for i, s in enumerate(sectors)}
    agg = np.zeros((n, len(sec_of)))
    for i, s in enumerate(sec_of):
        if not mine[i] and s in pos:
            agg[pos[s], i] = 1.0
    z_dom = z[np.ix_(mine, mine)]
    z_imp = agg @ z[:, mine]
    labels = [category_name(c) for c in y_all.columns[own_cols].get_level_values(1)]
    y_dom = y[np.ix_(mine, own_cols)]
    y_imp = agg @ y[:, own_cols]
    exports = z[np.ix_(mine, ~mine)].sum(axis=1) + y[np.ix_(mine, ~own_cols)].sum(axis=1)
    if np.any(exports) or "exports" not in labels:
        labels.append("exports")
        y_dom = np.column_stack([y_dom, exports])
        y_imp = np.column_stack([y_imp, np.zeros(n)])
    both = np.hstack([y_dom, y_imp])
    k = len(labels)
    merged_dom, cats = _merge_columns(both[:, :k], labels)
    merged_imp, _ = _merge_columns(both[:, k:], labels)
    info = pd.DataFrame({"name_en": sectors}, index=pd.Index(sectors, name="sector"))
    rest = {"output": x_all[mine], "region": region, "sector_info": info,
            "satellites": {key: v[mine] for key, v in sats.items()} or None, **common}
    outside = imports_row[mine]
    if np.any(outside):  # imports from outside the system, recorded as a factor input
        if np.any(z_imp) or np.any(merged_imp):
            raise DataSourceError(
                "from_pymrio: the system has both other regions and an 'imports' factor-input "
                "row; drop one of the two before importing a single region"
            )
        return IOTable.from_arrays(z_dom, merged_dom, va[:, mine], sectors=sectors,
                                   final_demand_categories=cats, imports=outside, **rest)
    return IOTable.from_arrays(
        z_dom + z_imp, merged_dom + merged_imp, va[:, mine], sectors=sectors,
        final_demand_categories=cats, imports=z_imp, final_demand_imports=merged_imp, **rest,
    )


def to_pymrio(table: IOTable, *, name: str | None = None) -> Any:
    """A pymrio ``IOSystem`` of a table (see the module docstring): Z = domestic flows, Y =
    domestic final demand, x, ``factor_inputs`` (value-added components [+ imports]) and
    ``satellites`` extensions; a single-region table becomes a one-region system."""
    pymrio = _require_pymrio()
    meta = table.meta
    if isinstance(table.sectors, pd.MultiIndex) and table.sectors.nlevels == 2:
        index = pd.MultiIndex.from_tuples([tuple(map(str, t)) for t in table.sectors],
                                          names=["region", "sector"])
        cats = table.final_demand_categories
        if isinstance(cats, pd.MultiIndex):
            columns = pd.MultiIndex.from_tuples([tuple(map(str, c)) for c in cats],
                                                names=["region", "category"])
        else:
            raise OptionError(
                "to_pymrio: a multi-region table needs final demand by (region, category)"
            )
    else:
        reg = str(meta.region or "region")
        index = pd.MultiIndex.from_tuples([(reg, str(s)) for s in table.sectors],
                                          names=["region", "sector"])
        columns = pd.MultiIndex.from_tuples(
            [(reg, str(c)) for c in table.final_demand_categories], names=["region", "category"]
        )
    z = pd.DataFrame(table.z_domestic, index=index, columns=index)
    y = pd.DataFrame(table.y_domestic, index=index, columns=columns)
    x = pd.DataFrame({"indout": table.x}, index=index)
    money = f"{meta.money_unit}".strip() or "table units"
    va_names = [str(c) for c in table.value_added_components]
    f_rows = [table.va[i] for i in range(len(va_names))]
    if np.any(table.import_row):
        va_names.append(IMPORTS_ROW)
        f_rows.append(table.import_row)
    f = pd.DataFrame(np.vstack(f_rows), index=pd.Index(va_names, name="inputtype"),
                     columns=index)
    extensions: dict[str, dict[str, Any]] = {FACTOR_INPUTS: {
        "name": FACTOR_INPUTS, "F": f,
        "unit": pd.DataFrame({"unit": [money] * len(va_names)}, index=f.index),
    }}
    if table.sats:
        s_index = pd.Index(list(table.sats), name="stressor")
        s = pd.DataFrame(np.vstack(list(table.sats.values())), index=s_index, columns=index)
        units = [meta.employment_unit if k == EMPLOYMENT else meta.satellite_units.get(k, k)
                 for k in table.sats]
        extensions["satellites"] = {
            "name": "satellites", "F": s, "unit": pd.DataFrame({"unit": units}, index=s_index),
        }
    io = pymrio.IOSystem(
        Z=z, Y=y, x=x, name=name or meta.name or "impactsim",
        unit=pd.DataFrame({"unit": [money] * len(index)}, index=index),
        **extensions,
    )
    return io
