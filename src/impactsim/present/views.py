"""Display helpers shared by the terminal, the files, the report and the charts.

Everything here reads a :class:`~impactsim.ScenarioResult` through its own methods (``headline``,
``cumulative``, ``top_sectors``, ``by_year``, ``headline_quantiles``, ``units_for`` …) and only
labels, orders, scales and formats: no economics. Labels, units, kinds and the one number
formatter come from the measure registry (:mod:`impactsim.engine.measures`,
``result.registry``); the money-scale words are defined here once; phases and effects come from
the result layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..engine.measures import REGISTRY
from ..scenario.result import (
    EFFECT_ORDER,
    PHASE_ORDER,
    ScenarioResult,
)
from ..tables.table import TableMeta

PHASES = PHASE_ORDER
EFFECTS = EFFECT_ORDER
#: Money-scale words of every display, largest first.
SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"), (1.0, ""))


@dataclass(frozen=True, slots=True)
class MoneyScale:
    """A display scale for money: ``value_in_table_units * factor`` is in ``label``."""

    factor: float
    label: str


def money_scale(meta: TableMeta, values: Any) -> MoneyScale:
    """Pick a readable scale (thousand … trillion currency units) for table-unit ``values``.

    The largest scale under which the biggest value still reads as at least 1,000 is chosen (but
    never finer than the table's own unit), so a KRW 7 trillion investment on a million-KRW
    table shows as 7,000 billion KRW and keeps four significant digits.
    """
    unit = float(meta.unit or 1.0)
    currency = str(meta.currency or "")
    arr = np.abs(np.asarray(values, dtype=float)).reshape(-1)
    arr = arr[np.isfinite(arr)]
    biggest = float(arr.max()) * unit if arr.size else 0.0
    size, name = next(((s, n) for s, n in SCALES if biggest >= s * 1e3 or s <= unit),
                      SCALES[-1])
    label = f"{name} {currency}".strip() or "table units"
    return MoneyScale(factor=unit / size, label=label)


def table_caption(meta: TableMeta) -> str:
    """One line stating the table, data year, currency, unit and price year of the numbers."""
    region = meta.region or ""
    price_year = meta.price_year or meta.year
    where = f"{region}, " if region else ""
    data = f"data year {meta.year}" if meta.year else "data year not stated"
    prices = f"{price_year} prices" if price_year else "price year not stated"
    extra = f", {meta.price_basis}" if meta.price_basis else ""
    jobs = f"; jobs in {meta.employment_unit}" if meta.employment_unit else ""
    converted = dict(meta.provenance).get("presented_in")
    if isinstance(converted, dict):  # a result presented in other money (in_money)
        extra += f"; converted from {converted['from']}: {converted['conversion']}"
    return (f"Table {meta.name or 'table'} ({where}{data}); money in "
            f"{meta.money_unit or 'table units'} at {prices}{extra}{jobs}")


def effects_summary(result: ScenarioResult) -> pd.DataFrame:
    """Headline tables of every phase stacked: index (phase, effect), columns measures."""
    return result.summary()


def by_year(result: ScenarioResult, *, measure: str = "employment") -> pd.DataFrame:
    """Total effect on ``measure`` by calendar year (rows) and phase (columns)."""
    frame = result.by_year(measure=measure)["total"].unstack(level=0, fill_value=0.0)
    frame = frame[[p for p in PHASES if p in frame.columns]]
    frame.index = frame.index.astype(int)
    frame.index.name = "year"
    frame.columns.name = None
    return frame


def money_columns(result: ScenarioResult, columns: Any) -> list[str]:
    """The money measures among ``columns`` (the registry's kind), in their order."""
    reg = result.registry
    return [str(c) for c in columns if str(c) in reg and reg[str(c)].is_money]


def summary_frame(result: ScenarioResult) -> pd.DataFrame:
    """The headline tables of every phase and the whole scenario, flat for files: columns
    phase, effect, basis, then measures in table units (money) and persons (jobs)."""
    parts = []
    for phase in result.phases:
        head = result.headline(phase).reset_index()
        head.insert(0, "phase", phase)
        head.insert(2, "basis", result.phase_basis(phase))
        parts.append(head)
    flat = result.cumulative().reset_index()
    flat.insert(0, "phase", "whole scenario")
    flat.insert(2, "basis", result.cumulative_basis())
    parts.append(flat)
    return pd.concat(parts, ignore_index=True)


def compare_frame(
    named: list[tuple[str, ScenarioResult]], *, effect: str = "total"
) -> pd.DataFrame:
    """Scenarios side by side: rows (phase, measure), one column per scenario with its
    ``effect`` value, then ``<name> − <first>`` differences; unit column last. Money rows are
    in one readable scale of the first result's money (give results in one money:
    :meth:`ScenarioResult.in_money`)."""
    first_name = named[0][0]
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    first = named[0][1]
    for name, result in named:
        for phase in result.phases:
            head = result.headline(phase)
            if effect not in head.index:
                continue
            for measure, value in head.loc[effect].items():
                rows.setdefault((phase, str(measure)), {})[name] = float(value)
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame = frame.reindex(columns=[n for n, _ in named])
    frame.index = pd.MultiIndex.from_tuples(frame.index, names=["phase", "measure"])
    for name, _ in named[1:]:
        frame[f"{name} − {first_name}"] = frame[name] - frame[first_name]
    money = np.array([first.registry.get_or_physical(m).is_money for _, m in frame.index])
    scale = money_scale(first.table, frame.to_numpy()[money] if money.any() else [])
    frame.loc[money] = frame.loc[money] * scale.factor  # one readable money scale
    frame["unit"] = [first.registry.get_or_physical(m).unit_for(
        money_unit=scale.label if is_money else first.table.money_unit, phase=ph)
        for (ph, m), is_money in zip(frame.index, money, strict=True)]
    order = {p: i for i, p in enumerate(PHASES)}
    morder = {m: i for i, m in enumerate(REGISTRY.headline_order(first.measures))}
    frame = frame.sort_index(key=lambda ix: ix.map(
        lambda v: order.get(v, morder.get(v, 99))))
    frame.index = [f"{ph} · {m}" for ph, m in frame.index]
    frame.index.name = "phase · measure"
    return frame
