"""More display tables: honest value-added labels, value added by component, the spillover
decomposition of multi-region results, and columns that carry no information left out.

They read the :class:`~impactsim.ScenarioResult` API only (``value_added_split``,
``spillovers``, ``summary``) and label, order and scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..scenario.result import ScenarioResult
from ..tables.table import TableMeta
from . import views

#: Value-added components as national accounts name them (SNA 2008 §7), by table row name.
COMPONENT_LABELS = {
    "compensation": "Compensation of employees",
    "operating_surplus": "Operating surplus",
    "depreciation": "Consumption of fixed capital",
    "production_taxes": "Net taxes on production",
    "net_production_taxes": "Net taxes on production",
    "value_added_residual": "Value added (residual)",
    "balancing_item": "Balancing item",
}


def value_added_label(meta: TableMeta | None) -> str:
    """'GVA at basic prices' or 'GVA at producers' prices' from the table's ``price_basis``
    (a producers'-price table's value added includes net taxes on products); 'Value added'
    when the table does not say."""
    basis = str(getattr(meta, "price_basis", "") or "").lower()
    if "basic" in basis:
        return "GVA at basic prices"
    if "producer" in basis:
        return "GVA at producers' prices"
    return "Value added"


def measure_label(measure: str, meta: TableMeta | None = None) -> str:
    """Display label of a measure; value added is labelled by the table's price basis."""
    if measure == "value_added":
        return value_added_label(meta)
    return views.MEASURE_LABELS.get(measure, measure)


def empty_measures(result: ScenarioResult) -> tuple[str, ...]:
    """Money measures that are zero everywhere in the result (imports on a closed world
    table): shown nowhere, they carry no information."""
    out = []
    for m in ("imports",):
        if m in result.measures and not np.any(result.values[:, :, result.measures.index(m)]):
            out.append(m)
    return tuple(out)


def without_empty(result: ScenarioResult, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the columns of :func:`empty_measures`."""
    drop = [c for c in empty_measures(result) if c in frame.columns]
    return frame.drop(columns=drop) if drop else frame


def va_split_display(result: ScenarioResult, phase: str) -> tuple[pd.DataFrame, str] | None:
    """Value added by component for a phase (money rescaled, components labelled) and its unit
    line; None when the table has fewer than two components."""
    split = result.value_added_split(phase)
    if split.shape[1] < 2:
        return None
    scale = views.money_scale(result.table, split.to_numpy())
    frame = split * scale.factor
    frame.columns = [COMPONENT_LABELS.get(str(c), str(c)) for c in frame.columns]
    frame.columns.name = None
    unit = (f"{value_added_label(result.table)} by component, money in {scale.label}"
            + (" per year" if phase == "operations" else "") + "; components add up to the "
            "value-added column")
    return frame, unit


def spillover_display(result: ScenarioResult, phase: str, *, top: int = 8
                      ) -> tuple[pd.DataFrame, pd.DataFrame, str] | None:
    """(parts × measures, regions × parts for value added, caption) of a multi-region result:
    intra-regional, feedback and spillover effects; None on a single-region result."""
    if not result.is_multiregional:
        return None
    parts = without_empty(result, result.spillovers(phase))
    by_region = result.spillovers(phase, measure="value_added")
    by_region = by_region.sort_values("total", ascending=False, key=np.abs).head(top)
    scale = views.money_scale(result.table, parts.drop(columns=["employment"], errors="ignore")
                              .to_numpy())
    money = [c for c in parts.columns if c != "employment"]
    parts = parts.copy()
    parts[money] = parts[money] * scale.factor
    by_region = by_region * scale.factor
    caption = (f"direct + indirect effects split by where the output is caused: "
               f"intra-regional (the supplying region's own multiplier), feedback (back to it "
               f"through other regions) and spillover (in other regions); money in "
               f"{scale.label}" + (" per year" if phase == "operations" else ""))
    return parts, by_region, caption


def labelled(frame: pd.DataFrame, result: ScenarioResult) -> pd.DataFrame:
    """Measure columns relabelled for reading (value added by its price basis)."""
    out = frame.copy()
    out.columns = [measure_label(str(c), result.table) for c in out.columns]
    return out


def short_repr_frame(frame: pd.DataFrame) -> Any:
    """Number format of every repr: thousands separators, whole numbers above 100, three
    significant digits below (:func:`views.format_number`)."""
    return frame.map(lambda v: views.format_number(float(v))
                     if isinstance(v, int | float | np.number) and not isinstance(v, bool)
                     else v)
