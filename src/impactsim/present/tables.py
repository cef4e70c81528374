"""Display tables shared by the terminal, the report and the files: headline, cumulative and
quantile tables with money rescaled for reading, claim tables, captions, caveats and a plain
Markdown table. They read results through the :class:`~impactsim.ScenarioResult` API only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..scenario.claims import ClaimComparison
from ..scenario.result import EMPLOYMENT_BASIS, ScenarioResult
from . import views
from .escape import md_text

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


def caveats(result: ScenarioResult) -> tuple[str, ...]:
    """The report's caveats, worded for the result's table (single-region or world)."""
    if result.is_multiregional:
        return (*CAVEATS[:2], WORLD_CAVEAT)
    return CAVEATS


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
    """Headline table of a phase with money rescaled for reading, and its unit line."""
    scale = views.money_scale(result.table, money_values(views.effects_summary(result)))
    return rescaled(result.headline(phase), scale), units_line(result, phase, scale)


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


def headers(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [views.MEASURE_LABELS.get(str(c), str(c)) for c in out.columns]
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
        })
    return pd.DataFrame(rows, columns=["claim", "claimed", "model", "ratio", "verdict"])


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
        return f"{n:,} Monte Carlo draws{extra}; ranges are quantiles of the draws"
    return "deterministic run (central values, no draws)"


def cumulative_display(result: ScenarioResult) -> tuple[pd.DataFrame, str]:
    """The whole-scenario (cumulative) table with money rescaled for reading, and its units."""
    whole = result.cumulative()
    scale = views.money_scale(result.table, money_values(whole))
    out = rescaled(whole, scale)
    out.attrs = dict(whole.attrs)
    return out, units_line(result, None, scale)


def quantile_display(result: ScenarioResult, phase: str) -> tuple[pd.DataFrame, str] | None:
    """P5 / P50 / P95 of the phase totals when the result has draws (money rescaled), else
    ``None``."""
    q = result.headline_quantiles(phase)
    if q is None:
        return None
    scale = views.money_scale(result.table, money_values(views.effects_summary(result)))
    return rescaled(q, scale), (f"total effects over {result.n_draws:,} draws; "
                                 f"{units_line(result, phase, scale)}")
