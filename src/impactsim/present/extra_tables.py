"""More display tables: honest value-added labels, value added by component, the spillover
decomposition of multi-region results, and columns that carry no information left out.

They read the :class:`~impactsim.ScenarioResult` API only (``value_added_split``,
``spillovers``, ``summary``) and label, order and scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..engine.measures import IMPORT_PARTS, REGISTRY, VA_COMPONENTS, format_value, jobs_basis
from ..scenario.regional_split import ALL_PROVINCES
from ..scenario.result import ScenarioResult
from ..tables.table import TableMeta
from . import views


def tables_scale(result: ScenarioResult) -> views.MoneyScale:
    """The result's one display money scale (from its headline tables of every phase)."""
    reg = result.registry
    summary = result.summary()
    cols = [c for c in summary.columns if reg.get_or_physical(str(c)).is_money]
    return views.money_scale(result.table, summary[cols].to_numpy())



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
    """Display label of a measure (the registry's); value added is labelled by the table's
    price basis."""
    if measure == "value_added":
        return value_added_label(meta)
    return REGISTRY.label(measure)


def empty_measures(result: ScenarioResult) -> tuple[str, ...]:
    """Money measures that are zero everywhere in the result (imports on a closed world
    table): shown nowhere, they carry no information."""
    out = []
    for k, m in enumerate(result.measures):
        if result.registry.get_or_physical(m).is_money and not np.any(result.values[:, :, k]):
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
    scale = tables_scale(result)
    frame = split * scale.factor
    frame.columns = [VA_COMPONENTS.label(str(c)) for c in frame.columns]
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
    if result.is_provincial:  # the API's split: ScenarioResult.regional_decomposition
        return _provincial_display(result, phase, top=top)
    parts = without_empty(result, result.spillovers(phase))
    by_region = result.spillovers(phase, measure="value_added")
    by_region = by_region.sort_values("total", ascending=False, key=np.abs).head(top)
    scale = tables_scale(result)
    money = views.money_columns(result, parts.columns)
    parts = parts.copy()
    parts[money] = parts[money] * scale.factor
    by_region = by_region * scale.factor
    caption = (f"direct + indirect effects split by where the output is caused: "
               f"intra-regional (the supplying region's own multiplier), feedback (back to it "
               f"through other regions) and spillover (in other regions); money in "
               f"{scale.label}" + (" per year" if phase == "operations" else ""))
    return parts, by_region, caption


def _provincial_display(result: ScenarioResult, phase: str, *, top: int
                        ) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Parts × measures (all provinces), provinces × parts (value added) and the caption, from
    :meth:`ScenarioResult.regional_decomposition` (the same numbers the API returns)."""
    skip = {"imports", *IMPORT_PARTS}
    measures = [m for m in REGISTRY.headline_order(result.measures) if m not in skip]
    cols = {}
    for m in measures:
        dec = result.regional_decomposition(m, phase)
        cols[m] = dec.loc[ALL_PROVINCES] if ALL_PROVINCES in dec.index else dec.iloc[0]
    parts = pd.DataFrame(cols)
    parts.index.name = "part"
    by_region = result.regional_decomposition("value_added", phase).head(top)
    scale = tables_scale(result)
    money = views.money_columns(result, parts.columns)
    parts[money] = parts[money] * scale.factor
    by_region = by_region * scale.factor
    per_year = " per year" if phase == "operations" else ""
    caption = (f"direct + indirect effects of each province's spending (Miller & Blair ch. 3): "
               f"intra-regional (in the province), feedback (back to it through the rest of "
               f"Korea) and spillover (in the rest of Korea); employment and employees in "
               f"persons ({jobs_basis(phase)}), money in {scale.label}{per_year}; "
               "ScenarioResult.regional_decomposition()")
    return parts, by_region, caption


def labelled(frame: pd.DataFrame, result: ScenarioResult) -> pd.DataFrame:
    """Measure columns relabelled for reading (value added by its price basis)."""
    out = frame.copy()
    out.columns = [measure_label(str(c), result.table) for c in out.columns]
    return out


def short_repr_frame(frame: pd.DataFrame) -> Any:
    """Number format of every repr: thousands separators, whole numbers above 100, three
    significant digits below (:func:`~impactsim.engine.measures.format_value`)."""
    return frame.map(lambda v: format_value(float(v))
                     if isinstance(v, int | float | np.number) and not isinstance(v, bool)
                     else v)
