"""Presentation views of a scenario result: headline tables, top sectors, years, units.

Pure pandas on the :class:`~impactsim.ScenarioResult` API (``summary``, ``by_sector``,
``by_year``, ``to_frame``, ``table``); shared by the CLI, the reports and the charts so that the
terminal, the files and the HTML page show the same numbers. No economics happens here: the
numbers come from the result; this module only selects, orders, labels and scales them.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

PHASES = ("construction", "operations")
EFFECTS = ("direct", "indirect", "induced", "total")
MEASURES = ("employment", "income", "value_added", "output", "imports")
MEASURE_LABELS = {
    "employment": "Employment",
    "income": "Labour income",
    "value_added": "Value added (GDP)",
    "output": "Output",
    "imports": "Imports",
    "employees": "Employees",
}
#: What one unit of employment means in each phase (construction and operations never add up).
PHASE_BASIS = {
    "construction": "job-years, total over the construction years",
    "operations": "jobs per year of full operation",
}
#: The same bases for a table without an employment account (money only).
_MONEY_BASIS = {
    "construction": "totals over the construction years",
    "operations": "per year of full operation",
}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"), (1.0, ""))


@dataclass(frozen=True, slots=True)
class MoneyScale:
    """A display scale for money: ``value_in_table_units * factor`` is in ``label``."""

    factor: float
    label: str


def money_scale(meta: Any, values: Any) -> MoneyScale:
    """Pick a readable scale (thousand … trillion currency units) for table-unit ``values``.

    The largest scale under which the biggest value still reads as at least 1,000 is chosen (but
    never finer than the table's own unit), so a KRW 7 trillion investment on a million-KRW
    table shows as 7,000 billion KRW and keeps four significant digits.
    """
    unit = float(getattr(meta, "unit", 1.0) or 1.0)
    currency = str(getattr(meta, "currency", "") or "")
    arr = np.abs(np.asarray(values, dtype=float)).reshape(-1)
    arr = arr[np.isfinite(arr)]
    biggest = float(arr.max()) * unit if arr.size else 0.0
    size, name = next(((s, n) for s, n in _SCALES if biggest >= s * 1e3 or s <= unit),
                      _SCALES[-1])
    label = f"{name} {currency}".strip() or "table units"
    return MoneyScale(factor=unit / size, label=label)


def table_caption(meta: Any) -> str:
    """One line stating the table, data year, currency, unit and price year of the numbers."""
    name = getattr(meta, "name", "") or "table"
    region = getattr(meta, "region", "") or ""
    year = getattr(meta, "year", None)
    price_year = getattr(meta, "price_year", None) or year
    basis = getattr(meta, "price_basis", "") or ""
    emp = getattr(meta, "employment_unit", "") or "persons"
    money = getattr(meta, "money_unit", "") or "table units"
    where = f"{region}, " if region else ""
    data = f"data year {year}" if year else "data year not stated"
    prices = f"{price_year} prices" if price_year else "price year not stated"
    extra = f", {basis}" if basis else ""
    jobs = f"; jobs in {emp}" if getattr(meta, "employment_unit", "") else ""
    return f"Table {name} ({where}{data}); money in {money} at {prices}{extra}{jobs}"


def headline(result: Any, phase: str) -> pd.DataFrame:
    """Headline table of one phase: rows direct / indirect / [induced] / total, columns in
    headline order (employment, income, value_added, output, imports), table units."""
    summary = result.summary(phase=phase)
    if isinstance(summary.index, pd.MultiIndex):
        summary = summary.xs(phase, level=0) if phase in summary.index.get_level_values(0) else (
            summary.droplevel(0)
        )
    cols = [m for m in MEASURES if m in summary.columns]
    cols += [c for c in summary.columns if c not in cols]
    order = [e for e in EFFECTS if e in summary.index]
    frame = summary.loc[order, cols].astype(float)
    frame.index.name = "effect"
    return frame


_TIDY: weakref.WeakKeyDictionary[Any, pd.DataFrame] = weakref.WeakKeyDictionary()


def tidy(result: Any) -> pd.DataFrame:
    """``result.to_frame()``, computed once per (immutable) result and reused by every view."""
    try:
        frame = _TIDY.get(result)
    except TypeError:  # not weak-referenceable / hashable: no cache
        return result.to_frame()
    if frame is None:
        frame = result.to_frame()
        _TIDY[result] = frame
    return frame


def phases_of(result: Any) -> list[str]:
    """The phases present in a result, construction first."""
    try:
        present = set(tidy(result)["phase"].unique())
    except Exception:  # a result without a tidy frame: ask the summary
        present = set(result.summary().index.get_level_values(0))
    return [p for p in PHASES if p in present] + sorted(present - set(PHASES))


def lead_measure(result: Any) -> str:
    """The measure sectors and years are ranked and charted by: employment, or value added when
    the table has no jobs (the world table, docs/regions.md)."""
    measures = getattr(result, "measures", None)
    return "employment" if measures is None or "employment" in measures else "value_added"


def phase_basis(result: Any, phase: str) -> str:
    """How a phase's headline adds up: job-years / jobs per year, or money totals where the table
    has no jobs. Construction sums its years; operations is one year of full operation."""
    table = PHASE_BASIS if lead_measure(result) == "employment" else _MONEY_BASIS
    return table.get(phase, "")


def is_multiregional(result: Any) -> bool:
    """Whether a result is on a multi-region table (sectors indexed by region and sector)."""
    return getattr(getattr(result, "sectors", None), "nlevels", 1) == 2


def units_of(result: Any) -> dict[str, str]:
    """Unit of each measure (money, persons) as the result states them."""
    summary = result.summary()
    units = dict(summary.attrs.get("units", {}))
    meta = result.table
    money = getattr(meta, "money_unit", "table units")
    for m in ("output", "value_added", "income", "imports"):
        units.setdefault(m, money)
    units.setdefault("employment", getattr(meta, "employment_unit", "persons") or "persons")
    return units


def sector_names(result: Any) -> dict[str, str]:
    """Sector code → English name, from the result or the table catalog; empty if unknown."""
    names = getattr(result, "sector_names", None)
    if isinstance(names, Mapping):
        return {str(k): str(v) for k, v in names.items()}
    info = getattr(result, "sector_info", None)
    if info is None:
        try:
            from . import load_table  # type: ignore[attr-defined]

            info = load_table(result.table.name).sector_info
        except Exception:  # no catalog or table not in it: codes only
            info = None
    if info is not None and "name_en" in getattr(info, "columns", ()):
        return {str(k): str(v) for k, v in info["name_en"].items()}
    return {}


def top_sectors(result: Any, *, measure: str = "employment", phase: str = "construction",
                n: int = 8, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The ``n`` sectors with the largest total effect on ``measure`` in ``phase``.

    Columns: name, effects (direct, indirect[, induced]), total and share of the phase total;
    the basis is the phase's (job-years for construction, jobs per year for operations).
    """
    frame = result.by_sector(measure=measure, phase=phase)
    if isinstance(frame, pd.Series):
        frame = frame.to_frame("total")
    frame = frame.copy()
    if isinstance(frame.index, pd.MultiIndex):  # e.g. (region, sector)
        frame.index = [" ".join(map(str, ix)) for ix in frame.index]
    effects = [e for e in EFFECTS if e in frame.columns and e != "total"]
    if "total" not in frame.columns:
        frame["total"] = frame[effects].sum(axis=1)
    frame = frame[[*effects, "total"]].astype(float)
    grand = float(frame["total"].sum())
    frame = frame.reindex(frame["total"].abs().sort_values(ascending=False).index).head(n)
    frame["share"] = frame["total"] / grand if grand else np.nan
    labels = dict(names) if names is not None else sector_names(result)
    frame.insert(0, "name", [labels.get(str(s), "") for s in frame.index])
    frame.index = frame.index.map(str)
    frame.index.name = "sector"
    return frame


def by_year(result: Any, *, measure: str = "employment") -> pd.DataFrame:
    """Total effect on ``measure`` by calendar year (rows) and phase (columns), summed over
    sectors, investments and regions; a construction value is the jobs in that year."""
    frame = tidy(result)
    part = frame[(frame["measure"] == measure) & (frame["effect"].isin(EFFECTS[:3]))]
    table = part.pivot_table(index="year", columns="phase", values="value", aggfunc="sum",
                             fill_value=0.0)
    cols = [p for p in PHASES if p in table.columns] + [c for c in table.columns if c not in PHASES]
    table = table[cols]
    table.index = table.index.astype(int)
    table.columns.name = None
    return table


def effects_summary(result: Any) -> pd.DataFrame:
    """Headline tables of every phase stacked: index (phase, effect), columns measures."""
    parts = {ph: headline(result, ph) for ph in phases_of(result)}
    return pd.concat(parts, names=["phase", "effect"])


def format_number(value: float, *, digits: int = 3) -> str:
    """Thousands separators; whole numbers above 100, ``digits`` significant digits below."""
    if value is None or not np.isfinite(value):
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if value == 0:
        return "0"
    return f"{value:,.{digits}g}"


def cumulative(result: Any) -> pd.DataFrame:
    """The whole scenario over its modelled years: rows direct / indirect / [induced] / total,
    columns measures; employment in job-years (construction years plus each modelled year of
    operation), money summed over the years. ``attrs['basis']`` states the years."""
    frame = tidy(result)
    part = frame[frame["effect"].isin(EFFECTS[:3])]
    table = part.pivot_table(index="effect", columns="measure", values="value", aggfunc="sum",
                             fill_value=0.0)
    order = [e for e in EFFECTS[:3] if e in table.index]
    table = table.loc[order]
    table.loc["total"] = table.sum(axis=0)
    cols = [m for m in MEASURES if m in table.columns]
    table = table[cols + [c for c in table.columns if c not in cols]].astype(float)
    table.columns.name = None
    table.index.name = "effect"
    years = sorted(int(y) for y in part["year"].unique())
    span = f"{years[0]}–{years[-1]}" if years else "no years"
    jobs = "employment in job-years, " if "employment" in table.columns else ""
    table.attrs["basis"] = (
        f"cumulative over the modelled years {span}: {jobs}money summed over the years"
    )
    return table


def summary_frame(result: Any) -> pd.DataFrame:
    """The headline tables of every phase and the whole scenario, flat for files: columns
    phase, effect, basis, then measures in table units (money) and persons (jobs)."""
    parts = []
    for phase in phases_of(result):
        head = headline(result, phase).reset_index()
        head.insert(0, "phase", phase)
        head.insert(2, "basis", phase_basis(result, phase))
        parts.append(head)
    whole = cumulative(result)
    flat = whole.reset_index()
    flat.insert(0, "phase", "whole scenario")
    flat.insert(2, "basis", whole.attrs["basis"])
    parts.append(flat)
    return pd.concat(parts, ignore_index=True)


def compare_frame(named: list[tuple[str, Any]], *, effect: str = "total") -> pd.DataFrame:
    """Scenarios side by side: rows (phase, measure), one column per scenario with its
    ``effect`` value, then ``<name> − <first>`` differences; unit column last."""
    first_name = named[0][0]
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    units = units_of(named[0][1])
    for name, result in named:
        for phase in phases_of(result):
            head = headline(result, phase)
            if effect not in head.index:
                continue
            for measure, value in head.loc[effect].items():
                rows.setdefault((phase, str(measure)), {})[name] = float(value)
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame = frame.reindex(columns=[n for n, _ in named])
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["phase", "measure"])
    for name, _ in named[1:]:
        frame[f"{name} − {first_name}"] = frame[name] - frame[first_name]
    frame["unit"] = [
        ("job-years" if ph == "construction" else "jobs per year") if m == "employment"
        else units.get(m, "") + (" per year" if ph == "operations" else "")
        for ph, m in frame.index
    ]
    order = {p: i for i, p in enumerate(PHASES)}
    morder = {m: i for i, m in enumerate(MEASURES)}
    frame = frame.sort_index(key=lambda ix: ix.map(
        lambda v: order.get(v, morder.get(v, 99))))
    frame.index = [f"{ph} · {m}" for ph, m in frame.index]
    frame.index.name = "phase · measure"
    return frame


def n_draws(result: Any) -> int:
    """Number of Monte Carlo draws behind a result (0 for a deterministic run)."""
    draws = getattr(result, "draws", None)
    if draws is None:
        return 0
    if isinstance(draws, int):
        return draws
    return int(getattr(draws, "n_draws", 0) or 0)


def quantiles(result: Any, phase: str) -> pd.DataFrame | None:
    """Quantiles of the phase's total effects over the draws: rows the quantile labels (P5,
    P50, P95 by default), columns measures; ``None`` for a run without draws.

    Read from ``result.quantiles(phase=...)`` when the result offers it, else from the draws'
    ``summary(column=phase)`` (rows effect, columns (measure, quantile)).
    """
    if n_draws(result) < 2:
        return None
    from .errors import ImpactsimError

    try:
        fn = getattr(result, "quantiles", None)
        if callable(fn):
            frame = fn(phase=phase)
        else:
            frame = result.draws.summary(column=phase)
        if isinstance(frame.columns, pd.MultiIndex):
            total = frame.loc["total"] if "total" in frame.index else frame.iloc[-1]
            frame = total.unstack(level=0)
            cols = [m for m in MEASURES if m in frame.columns]
            frame = frame[cols + [c for c in frame.columns if c not in cols]]
        frame.index.name = "quantile"
        frame.columns.name = None
        return frame.astype(float)
    except (ImpactsimError, KeyError, ValueError, TypeError, AttributeError):
        return None
