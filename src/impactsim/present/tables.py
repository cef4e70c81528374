"""Display tables shared by the terminal, the report and the files: headline, cumulative and
quantile tables with money rescaled for reading, claim tables, captions, caveats and a plain
Markdown table. They read results through the :class:`~impactsim.ScenarioResult` API only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..scenario.claims import ClaimComparison
from ..scenario.result import EMPLOYMENT_BASIS, ScenarioResult
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
    money = f"money in {scale.label}" + (" per year" if phase == "operations" else "")
    if result.lead_measure != "employment":
        return money
    jobs = EMPLOYMENT_BASIS[phase or "construction"]
    return f"employment in {jobs}; {money}"


def rescaled(frame: pd.DataFrame, scale: views.MoneyScale) -> pd.DataFrame:
    """A copy of ``frame`` with its money columns multiplied by ``scale.factor``."""
    out = frame.copy()
    for col in ("output", "value_added", "income", "imports"):
        if col in out.columns:
            out[col] = out[col] * scale.factor
    return out


def unit_label(result: ScenarioResult, measure: str, phase: str) -> str:
    if measure == "employment":
        return EMPLOYMENT_BASIS[phase]
    return str(result.table.money_unit)


def display_units(result: ScenarioResult, summary: pd.DataFrame) -> dict[str, str]:
    scale = views.money_scale(result.table, money_values(summary))
    units = {m: scale.label for m in views.MEASURES if m != "employment"}
    units["employment"] = "jobs (construction: job-years)"
    return units


def money_values(frame: pd.DataFrame) -> Any:
    cols = [c for c in ("output", "value_added", "income", "imports") if c in frame.columns]
    return frame[cols].to_numpy() if cols else []


def scale_money(result: ScenarioResult, frame: pd.DataFrame) -> pd.DataFrame:
    return rescaled(frame, views.money_scale(result.table, money_values(frame)))


def headline_display(result: ScenarioResult, phase: str) -> tuple[pd.DataFrame, str]:
    """Headline table of a phase with money rescaled for reading, and its unit line.

    On a single-region table "Imports" is all leakage abroad: the imported part of the
    spending itself is added to the direct row (so the total is direct + intermediate +
    induced imports) and the unit line shows the split (:meth:`ScenarioResult.leakage`).
    """
    scale = views.money_scale(result.table, money_values(views.effects_summary(result)))
    frame = extra_tables.without_empty(result, result.headline(phase))
    unit = units_line(result, phase, scale)
    if "imports" in frame.columns and not result.is_multiregional:
        leak = result.leakage(phase).loc[phase]
        frame = frame.copy()
        for row in ("direct", "total"):
            frame.loc[row, "imports"] += leak["direct"]
        f = scale.factor
        share = leak["total"] / leak["spending"] if leak["spending"] else float("nan")
        num = {k: views.format_number(leak[k] * f) for k in
               ("direct", "intermediate", "induced", "total")}
        unit += (f"; imports = leakage abroad: {num['direct']} of the spending itself (direct "
                 f"row) + {num['intermediate']} intermediate + {num['induced']} induced = "
                 f"{num['total']} ({share:.0%} of the spending)")
    return rescaled(frame, scale), unit


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
        return views.format_number(float(value))
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
        "model": [f"{views.format_number(m)} ({views.format_number(lo)}–"
                  f"{views.format_number(hi)})" for m, lo, hi in
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
        val = f"> {views.format_number(cl.low)}"
    elif cl.low != cl.high:
        val = f"{views.format_number(cl.low)}–{views.format_number(cl.high)}"
    else:
        val = views.format_number(cl.low)
    return f"{val} {c.unit}".strip()


def _model_text(c: ClaimComparison) -> str:
    if c.verdict == "not comparable":
        return c.note or "–"
    return (f"{views.format_number(c.model_mid)} ({views.format_number(c.model_low)}–"
            f"{views.format_number(c.model_high)}) {c.unit}").strip()


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
    """The whole-scenario (cumulative) table with money rescaled for reading, and its units."""
    whole = extra_tables.without_empty(result, result.cumulative())
    scale = views.money_scale(result.table, money_values(whole))
    unit = units_line(result, None, scale)
    audit = result.shocks.audit
    if "imports" in whole.columns and not result.is_multiregional and len(audit):
        direct = float(audit["imported"].sum())
        whole = whole.copy()
        for row in ("direct", "total"):
            whole.loc[row, "imports"] += direct
        unit += "; imports include the imported part of the spending itself (direct row)"
    out = rescaled(whole, scale)
    out.attrs = dict(whole.attrs)
    return out, unit


def quantile_display(result: ScenarioResult, phase: str) -> tuple[pd.DataFrame, str] | None:
    """P5 / P50 / P95 of the phase totals when the result has draws (money rescaled), else
    ``None``."""
    q = result.headline_quantiles(phase)
    if q is None:
        return None
    scale = views.money_scale(result.table, money_values(views.effects_summary(result)))
    note = ("; imports here are intermediate + induced only (the imported part of the "
            "spending itself is in the headline)") if "imports" in q.columns else ""
    q = extra_tables.without_empty(result, q)
    return rescaled(q, scale), (f"total effects over {result.n_draws:,} draws; "
                                 f"{units_line(result, phase, scale)}{note}")
