"""Display tables shared by the terminal, the report and the files: headline, cumulative and
quantile tables with money rescaled for reading, claim tables, captions, caveats and a plain
Markdown table. They read results through the :class:`~impactsim.ScenarioResult` API only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..engine.measures import IMPORT_PARTS, REGISTRY, format_value, jobs_basis
from ..scenario.claims import ClaimComparison
from ..scenario.result import ScenarioResult
from . import extra_tables, views
from .escape import md_text
from .regions import PROVINCE_CAVEAT

CAVEATS = (
    "Input-output results are gross, not net, and an upper bound: fixed prices and technology, "
    "no capacity constraints, no displacement or crowding out.",
    "Construction effects are one-off job-years (summed over the construction years); operations "
    "effects recur per year of full operation; the two are never added together.",
    "Only the domestic part of spending enters the model: imported equipment leaks abroad.",
)
#: Replaces the last caveat on a multi-region (world) table, where nothing leaks abroad.
WORLD_CAVEAT = ("A multi-region (world) table places each part of spending in the region that "
                "supplies it; it runs Type I only (no induced effects).")


#: Replaces the second caveat on a table without jobs (no job-years to speak of).
MONEY_CAVEAT = ("Construction effects are one-off totals over the construction years; "
                "operations effects recur per year of full operation; the two are never added "
                "together.")


def caveats(result: ScenarioResult) -> tuple[str, ...]:
    """The report's caveats, worded for the result's table (single-region, provincial or
    world; with or without jobs)."""
    second = CAVEATS[1] if result.lead_measure == "employment" else MONEY_CAVEAT
    if result.is_provincial:
        return (CAVEATS[0], second, *CAVEATS[2:], PROVINCE_CAVEAT)
    if result.is_multiregional:
        first = ("Input-output results are gross, not net: fixed prices and technology (here the "
                 "2011 world structure), no capacity constraints, no displacement; on the world "
                 "table they also miss induced effects, IP and design margins and investors' own "
                 "returns, so for claims that count those they are a lower bound.")
        return (first, second, WORLD_CAVEAT)
    return (CAVEATS[0], second, *CAVEATS[2:])


def scenario_title(result: ScenarioResult) -> str:
    sc = result.scenario
    return str(sc.title or sc.name or "Scenario")


def top_by(result: ScenarioResult) -> tuple[str, str]:
    """(measure, words) the top-sector tables rank by: jobs, or value added without jobs."""
    measure = result.lead_measure
    return measure, "jobs" if measure == "employment" else "value added"


def units_line(result: ScenarioResult, phase: str | None, scale: views.MoneyScale) -> str:
    """'employment in job-years; money in billion KRW' (no employment part on a table without
    jobs); ``phase`` None is the whole scenario (construction job-years)."""
    per_year = phase is not None and jobs_basis(phase) == "jobs per year"
    money = f"money in {scale.label}" + (" per year" if per_year else "")
    if result.lead_measure != "employment":
        return money
    jobs = jobs_basis(phase) if phase is not None else "job-years"
    return f"employment in {jobs}; {money}"


def rescaled(frame: pd.DataFrame, scale: views.MoneyScale,
             result: ScenarioResult | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with its money columns (the registry's kind) multiplied by
    ``scale.factor``."""
    out = frame.copy()
    reg = result.registry if result is not None else REGISTRY
    for col in out.columns:
        if reg.get_or_physical(str(col)).is_money:
            out[col] = out[col] * scale.factor
    return out


def unit_label(result: ScenarioResult, measure: str, phase: str) -> str:
    """Unit of ``measure`` in ``phase``: job-years / jobs per year, or the measure's unit."""
    m = result.registry.get_or_physical(measure)
    if m.is_jobs:
        return jobs_basis(phase)
    return m.unit_for(money_unit=str(result.table.money_unit))


def display_units(result: ScenarioResult, summary: pd.DataFrame) -> dict[str, str]:
    """Chart units of each column of ``summary``: the display money scale, or the unit."""
    scale = result_scale(result)
    reg = result.registry
    return {str(m): scale.label if reg.get_or_physical(str(m)).is_money else
            ("jobs (construction: job-years)" if reg.get_or_physical(str(m)).is_jobs
             else reg.get_or_physical(str(m)).unit_for()) for m in summary.columns}


def money_values(frame: pd.DataFrame, result: ScenarioResult | None = None) -> Any:
    """The money columns of ``frame`` as an array (the registry's kind)."""
    reg = result.registry if result is not None else REGISTRY
    cols = [c for c in frame.columns if reg.get_or_physical(str(c)).is_money]
    return frame[cols].to_numpy() if cols else []


def result_scale(result: ScenarioResult) -> views.MoneyScale:
    """The one money scale of every display of a result (billion KRW …): chosen from the
    headline tables of all phases, so no table of one output switches scale."""
    return extra_tables.tables_scale(result)


def scale_money(result: ScenarioResult, frame: pd.DataFrame) -> pd.DataFrame:
    return rescaled(frame, result_scale(result), result)


def imports_line(result: ScenarioResult, phase: str, scale: views.MoneyScale) -> str:
    """'imports = leakage abroad: A the spending itself + B intermediate + C induced = T
    (x % of the spending)', from :meth:`ScenarioResult.leakage` (empty without imports)."""
    if "imports" not in result.measures:
        return ""
    leak = result.leakage(phase).loc[phase]
    if not leak["imports"]:
        return ""
    f = scale.factor
    num = {k: format_value(leak[k] * f) for k in (*IMPORT_PARTS, "imports")}
    return (f"imports = leakage abroad: {num['imports_spending']} the spending itself + "
            f"{num['imports_intermediate']} intermediate inputs + {num['imports_induced']} "
            f"induced = {num['imports']} ({format_value(leak['share'], percent=True)} of the "
            "spending)")


def headline_display(result: ScenarioResult, phase: str, *, ranges: bool = False
                     ) -> tuple[pd.DataFrame, str]:
    """Headline table of a phase with money rescaled for reading, and its unit line.

    "Imports" is total leakage abroad (the result's ``imports``: the imported part of the
    spending itself on the direct row, plus intermediate and induced imports); the unit line
    shows its three parts (:meth:`ScenarioResult.leakage`), which the table leaves out. With
    ``ranges`` and draws, the P5 / P50 / P95 rows of the total follow the effects.
    """
    scale = result_scale(result)
    head = result.headline(phase)
    frame = extra_tables.without_empty(result, head.drop(
        columns=[c for c in IMPORT_PARTS if c in head.columns]))
    unit = units_line(result, phase, scale)
    leak = imports_line(result, phase, scale)
    out = rescaled(frame, scale, result)
    q = result.headline_quantiles(phase) if ranges else None
    if q is not None:
        q = rescaled(q.reindex(columns=out.columns), scale, result)
        q.index = [f"{ix} of draws" for ix in q.index]
        out = pd.concat([out, q])
        out.index.name = "effect"
        unit += (f"; P5 / P50 / P95: quantiles of the total over {result.n_draws:,} draws "
                 "(the rows above are the stated case)")
    return out, unit + (f"; {leak}" if leak else "")


def md_table(frame: pd.DataFrame, *, index: bool = True) -> str:
    cols = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
    cols = [md_text(c) for c in cols]
    lines = ["| " + " | ".join(cols) + " |",
             "| " + " | ".join("---" if i == 0 and index else "---:" for i in range(len(cols)))
             + " |"]
    for ix, row in frame.iterrows():
        cells = [str(ix)] if index else []
        cells += [cell(v) for v in row.tolist()]
        lines.append("| " + " | ".join(md_text(c) for c in cells) + " |")
    return "\n".join(lines)


def cell(value: Any) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return format_value(float(value))
    return str(value)


def headers(frame: pd.DataFrame, meta: Any = None) -> pd.DataFrame:
    """Measure columns labelled for reading; with the table's ``meta`` value added says GVA at
    basic or producers' prices (:func:`extra_tables.measure_label`)."""
    out = frame.copy()
    out.columns = [extra_tables.measure_label(str(c), meta) for c in out.columns]
    return out


def claims_table(comparisons: Sequence[ClaimComparison]) -> pd.DataFrame:
    rows = []
    for c in comparisons:
        rows.append({
            "claim": c.claim.text,
            "claimed": _claimed_text(c),
            "model": _model_text(c),
            "ratio": "–" if c.verdict == "not comparable" else f"{c.ratio:,.2f}",
            "verdict": c.verdict,
            "reading": c.reading_label or "–",
        })
    return pd.DataFrame(rows, columns=["claim", "claimed", "model", "ratio", "verdict",
                                       "reading"])


def readings_table(comparison: ClaimComparison) -> pd.DataFrame:
    """Every reading of one claim: label, model figure (P5–P95 or ±tolerance), ratio, and
    whether it is in the claim's unit; the verdict's reading is marked."""
    frame = comparison.readings_frame()
    out = pd.DataFrame({
        "reading": [("▶ " if u else "  ") + str(lab)
                    for u, lab in zip(frame["used"], frame["label"], strict=True)],
        "model": [f"{format_value(m)} ({format_value(lo)}–"
                  f"{format_value(hi)})" for m, lo, hi in
                  zip(frame["model"], frame["model_low"], frame["model_high"], strict=True)],
        "ratio": [f"{r:,.2f}" for r in frame["ratio"]],
        "claim's unit": ["yes" if m else "no" for m in frame["matches_unit"]],
        "verdict": [str(v) if m else "–" for v, m in
                    zip(frame["verdict"], frame["matches_unit"], strict=True)],
    })
    return out


def _claimed_text(c: ClaimComparison) -> str:
    cl = c.claim
    if cl.high == float("inf"):
        val = f"> {format_value(cl.low)}"
    elif cl.low != cl.high:
        val = f"{format_value(cl.low)}–{format_value(cl.high)}"
    else:
        val = format_value(cl.low)
    return f"{val} {c.unit}".strip()


def _model_text(c: ClaimComparison) -> str:
    if c.verdict == "not comparable":
        return c.note or "–"
    return (f"{format_value(c.model_mid)} ({format_value(c.model_low)}–"
            f"{format_value(c.model_high)}) {c.unit}").strip()


def scenario_info(result: ScenarioResult) -> dict[str, str]:
    """Name, title, file and table caption of a result's scenario, for report headers."""
    sc = result.scenario
    return {
        "name": str(sc.name or ""),
        "title": scenario_title(result),
        "file": "" if sc.source.file == "<data>" else str(sc.source.file),
        "table": views.table_caption(result.table),
    }


def draws_line(result: ScenarioResult) -> str:
    n = result.n_draws
    if n > 1:
        seed = result.seed
        extra = f", seed {seed}" if seed is not None else ""
        return (f"{n:,} Monte Carlo draws{extra}; ranges are quantiles of the draws; "
                + honesty_line(result))
    return "deterministic run (central values, no draws); " + honesty_line(result)


def honesty_line(result: ScenarioResult) -> str:
    """What the headline's central value is (stated case vs P50) and at which productivity
    and prices jobs and money are counted."""
    parts = [f"headline = {result.central_statistic}"]
    ratio = result.central_vs_p50()
    if ratio is not None and len(ratio):
        parts.append("P50 / headline: " + ", ".join(f"{ph} {v:.2f}" for ph, v in ratio.items()))
    parts.append(result.productivity_basis)
    settings = getattr(result.scenario, "money", None)
    if settings is not None and settings.price_index == "by-category":
        nominal = ("; pledged amounts nominal, deflated year by year"
                   if settings.amounts == "nominal" else "")
        parts.append("prices by spending category (construction cost index, electricity "
                     "price, producer prices, GDP deflator)" + nominal)
    return "; ".join(parts)


def cumulative_display(result: ScenarioResult) -> tuple[pd.DataFrame, str]:
    """The whole-scenario (cumulative) table with money rescaled for reading, and its units
    (imports: total leakage, parts in the result files)."""
    whole = result.cumulative()
    whole = extra_tables.without_empty(result, whole.drop(
        columns=[c for c in IMPORT_PARTS if c in whole.columns]))
    scale = result_scale(result)
    unit = units_line(result, None, scale)
    if "imports" in whole.columns:
        unit += "; imports = total leakage abroad (the imported spending itself on the direct row)"
    out = rescaled(whole, scale, result)
    out.attrs = dict(whole.attrs)
    return out, unit


def quantile_display(result: ScenarioResult, phase: str) -> tuple[pd.DataFrame, str] | None:
    """P5 / P50 / P95 of the phase totals when the result has draws (money rescaled), else
    ``None``; imports are total leakage, as in the headline."""
    q = result.headline_quantiles(phase)
    if q is None:
        return None
    scale = result_scale(result)
    q = extra_tables.without_empty(result, q)
    return rescaled(q, scale, result), (f"total effects over {result.n_draws:,} draws; "
                                         f"{units_line(result, phase, scale)}")
