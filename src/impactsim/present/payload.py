"""A result as plain data: the one payload behind ``run --json`` and the HTML report's data.

Every number is read from the :class:`~impactsim.ScenarioResult` API in the result's own units
(table money units, or the money of :meth:`~impactsim.ScenarioResult.in_money`; jobs in
persons), never rescaled or rounded, so the same label carries the same number here, in the
result files (``summary.csv``) and in ``ScenarioResult`` itself.
"""

from __future__ import annotations

from typing import Any

from ..errors import ImpactsimError
from ..scenario.claims import ClaimComparison
from ..scenario.result import ScenarioResult
from . import energy, views
from .uncertainty_files import sensitivity_payload
from .writers import json_ready


def _rows(frame: Any) -> dict[str, dict[str, float]]:
    return {str(r): {str(c): float(v) for c, v in row.items()} for r, row in frame.iterrows()}


def result_payload(result: ScenarioResult, comparisons: list[ClaimComparison], *, top: int = 8,
                   file: str = "") -> dict[str, Any]:
    """Plain data of a run: table, units, the central estimate, each phase's headline
    (``effects``: direct / indirect / [induced] / total × measures, imports with its three
    parts), ranges (``quantiles``), imports (``leakage``), top sectors, the whole scenario,
    claims and readings, sensitivity, notes."""
    meta = result.table
    phases: dict[str, Any] = {}
    for phase in result.phases:
        head = result.headline(phase)
        phases[phase] = {
            "basis": result.phase_basis(phase),
            "units": result.units_for(phase),
            "effects": _rows(head),
            "top_sectors": json_ready(result.top_sectors(measure=result.lead_measure,
                                                         phase=phase, n=top)),
        }
        if result.is_provincial:  # per spending province: docs/regions.md §4.4
            phases[phase]["regional_split"] = {
                m: json_ready(result.regional_split(m, phase))
                for m in ("employment", "value_added") if m in result.measures
            }
            phases[phase]["regional_decomposition"] = {
                m: json_ready(result.regional_decomposition(m, phase))
                for m in ("employment", "value_added") if m in result.measures
            }
        split = result.value_added_split(phase) if result.sourcing is not None else None
        if split is not None and split.shape[1] > 1:
            phases[phase]["value_added_components"] = {
                str(c): float(v) for c, v in split.loc["total"].items()}
        if result.is_multiregional and not result.is_provincial:
            phases[phase]["spillovers"] = _rows(result.spillovers(phase))
        q = result.headline_quantiles(phase)
        if q is not None:
            phases[phase]["quantiles"] = _rows(q)
    try:
        sensitivity = sensitivity_payload(result)
    except ImpactsimError:  # draws without input samples (e.g. stand-ins): no swings
        sensitivity = {}
    return {
        "file": file,
        "name": result.scenario.name,
        "title": result.scenario.title,
        "table": {
            "name": meta.name, "region": meta.region, "year": meta.year,
            "currency": meta.currency, "unit": meta.unit, "money_unit": meta.money_unit,
            "price_year": meta.price_year, "price_basis": meta.price_basis,
            "employment_unit": meta.employment_unit, "caption": views.table_caption(meta),
        },
        "units": result.units_for(),
        "draws": result.n_draws,
        "seed": result.seed,
        "central_statistic": result.central_statistic,
        "central_estimate": result.central_line(),
        "sensitivity": sensitivity,
        "phases": phases,
        "whole_scenario": {
            "basis": result.cumulative_basis(),
            "effects": _rows(result.cumulative()),
        },
        "claims": [c.to_dict() for c in comparisons],
        "productivity": result.productivity_basis,
        "leakage": {str(ph): {str(k): float(v) for k, v in row.items()}
                    for ph, row in result.leakage().iterrows()},
        "readings": {c.claim.id: json_ready(c.readings_frame()) for c in comparisons
                     if c.readings},
        "notes": list(result.notes),
        "energy": energy.energy_payload(result),  # physical account (docs/energy.md)
    }
