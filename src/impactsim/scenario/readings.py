"""Readings of a claim: every defensible way to set the model against a published figure.

A published figure rarely states its basis. "78,000 jobs" may mean people at work in one year,
or job-years summed over a horizon; "KRW 25 tn of economic effect" may be output or value added,
one year or thirty. :func:`readings` lists each reading the model can compute, in the claim's
unit, with its ratio ``claimed / model``::

    jobs (employment), per phase p with headline H_p (effects summed), n_p years of activity:
      construction, average year   H_c / n_c                       (jobs in a year)
      construction, peak year      max_t E_c(t)                     (jobs in a year)
      operations, full year        H_o                              (jobs in a year)
      construction job-years       H_c                              (cumulative)
      modelled years               Σ_t Σ_p E_p(t)                   (cumulative)
      over a stated horizon h      Σ_{t < t0+h} E(t), operations after the last modelled year
                                   continued at the full-operation level H_o (cumulative)
    money (output, value added, income) likewise, construction "total" being cumulative;
    each also without induced effects, with no import leakage (domestic + imported spending
    solved as if all domestic: the model figure × the phase's ratio
    ``M (d + m) / M d``), and, for money, the other money measure (output ↔ value added) and
    the investor's own value added (the operating site's direct value added).

Which readings are *defensible* follows the claim's own words (:func:`defensible_bases`): a
stated basis is the basis; a stated horizon makes the cumulative figure over that horizon a
reading of its own; a jobs claim with no stated basis is read both as jobs in a year and, when
it names a horizon, as job-years over it; a money claim with no basis as cumulative, or per year
for an operations claim without a horizon.

The verdict (:func:`decide`) never picks the closest reading. Each defensible reading gets its
own interval verdict (consistent / above / below); when they agree that is the verdict, when
they disagree the verdict is "depends on the reading" and the detail names each reading with
its verdict and ratio. The ratio shown beside it is the *primary* reading's, fixed by the
claim's words in this order: the stated horizon, then construction average year, peak year,
operations full year, construction total, modelled years. When the model figure is a lower
bound (a world table that cannot see some channels) a claim above it is "not
decisive (model is a lower bound)" and the missing channels are listed.

Ranges: each phase's relative spread (P5/mid, P95/mid of the draws) is carried to the readings
built from it; a run without draws has no range (low = mid = high) and the verdict says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..engine.model import HouseholdClosure, LeontiefModel
from .refresh import schedule
from .result import ScenarioResult


@dataclass(frozen=True, slots=True)
class ModelFigures:
    """What a comparison needs from a result, for one measure (table units / persons).

    ``phase_total[phase][effect]``: the headline value (construction: total over its years;
    operations: per year of full operation); ``quantiles[phase]``: (P5, P95) of the total when
    the run has draws; ``years[phase]``: number of years with activity; ``peak[phase]``: the
    largest single-year total; ``cumulative[phase]``: the sum over all modelled years;
    ``multiregional``: the result is on a multi-region (world) table, which runs Type I only and
    has no "abroad" for imports to leak to; ``lower_bound``: the channels the model cannot see
    (non-empty when its figure is a lower bound for a claim that counts them).
    """

    phase_total: Mapping[str, Mapping[str, float]]
    quantiles: Mapping[str, tuple[float, float]]
    years: Mapping[str, int]
    peak: Mapping[str, float]
    cumulative: Mapping[str, float]
    has_induced: bool
    scope: str = "the whole scenario"
    region: str | None = None
    multiregional: bool = False
    yearly: Mapping[str, Mapping[int, Mapping[str, float]]] = field(default_factory=dict)
    lower_bound: tuple[str, ...] = ()
    #: Years after the last modelled one, per phase, by effect: sustaining capex continued on
    #: its refresh cycle (operations continue at their full-operation level instead).
    beyond: Mapping[str, Mapping[int, Mapping[str, float]]] = field(default_factory=dict)


#: What a world (multi-region, 2011 structure, Type I) table cannot see.
WORLD_TABLE_CHANNELS = (
    "intellectual-property and chip-design margins booked in the claiming economy on equipment "
    "made elsewhere",
    "the investor's own returns booked in the claiming economy",
    "induced (household-spending) effects",
    "changes in technology since 2011",
)


_EFFECTS = ("direct", "indirect", "induced")


def model_figures(result: ScenarioResult, measure: str, *, investments: Sequence[str] = (),
                  region: str | None = None) -> ModelFigures:
    """Collect :class:`ModelFigures` for ``measure`` from a ScenarioResult.

    For the whole scenario the headline values are the result's own ``summary()``. For a
    subset of ``investments`` (or one ``region`` of a multi-region result) they are summed from
    the result's values (:func:`_phase_year_frames`): construction over its years, operations
    in its largest year (the year of full operation).
    """
    yearly, by_effect_year = _phase_year_frames(result, measure, investments, region)
    subset = bool(investments) or region is not None
    scope = "the whole scenario"
    if investments:
        scope = "investment(s) " + ", ".join(investments)
    if region is not None:
        scope += f", region {region}"
    phase_total: dict[str, dict[str, float]] = {}
    quantiles: dict[str, tuple[float, float]] = {}
    years: dict[str, int] = {}
    peak: dict[str, float] = {}
    cumulative: dict[str, float] = {}
    per_year: dict[str, dict[int, dict[str, float]]] = {}
    has_induced = False
    for phase in result.phases:
        if subset:
            if phase not in yearly.columns:
                continue
            part = by_effect_year.loc[phase]
            if phase == "construction":
                row = part.sum(axis=0)
            else:
                row = part.loc[part.sum(axis=1).idxmax()]
            totals = {str(e): float(v) for e, v in row.items()}
            totals["total"] = float(row.sum())
        else:
            head = result.headline(phase)
            if measure not in head.columns:
                continue
            totals = {str(e): float(v) for e, v in head[measure].items()}
            q = _quantiles(result, phase, measure)
            if q is not None:
                quantiles[phase] = q
        phase_total[phase] = totals
        has_induced = has_induced or "induced" in totals
        if phase in yearly.columns:
            col = yearly[phase]
            years[phase] = int((col.abs() > 0).sum())
            peak[phase] = float(col.max()) if len(col) else 0.0
            cumulative[phase] = float(col.sum())
            part = by_effect_year.loc[phase]
            per_year[phase] = {int(y): {str(e): float(v) for e, v in row.items()}
                               for y, row in part.iterrows()}
    world = result.is_multiregional and not result.is_provincial  # a provincial run is national
    lower = WORLD_TABLE_CHANNELS if world else ()
    beyond = {}
    if "sustaining" in per_year:
        beyond["sustaining"] = _refresh_beyond(result, per_year["sustaining"], investments)
    return ModelFigures(phase_total, quantiles, years, peak, cumulative, has_induced, scope,
                        region, world, per_year, lower, beyond)


def _phase_year_frames(result: ScenarioResult, measure: str, investments: Sequence[str],
                       region: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``measure`` summed over sectors, investments and regions: by year × phase (effects
    summed) and by (phase, year) × effect, over the shock columns (and, for ``region``, the
    sectors) in scope.

    The rows of the tidy frame (:meth:`ScenarioResult.tidy`) for the measure, the investments
    and the region (where effects happen on a multi-region result, else the spending region),
    in its order and summed the same way, so the figures are identical to the last bit; but
    read from ``result.values`` with phases and effects as integer codes, without building
    the whole frame (a provincial result has close to a million tidy rows).
    """
    cols = result.columns
    keep = np.ones(len(cols), dtype=bool)
    if investments:
        keep &= cols["investment"].isin(list(investments)).to_numpy()
    sector_keep = None
    if region is not None:
        if result.is_multiregional:
            where = result.sectors.get_level_values(0).astype(str)
            sector_keep = np.asarray(where.str.upper() == region.upper())
        else:
            keep &= (cols["region"].astype(str).str.upper() == region.upper()).to_numpy()
    k = result.measures.index(measure)
    effects = [i for i, e in enumerate(result.effects) if e in _EFFECTS]
    block = result.values[keep][:, effects, k, :]  # (columns, effects, sectors): tidy order
    if sector_keep is not None:
        block = block[:, :, sector_keep]
    n_cols, n_eff, n_sec = block.shape
    # codes in sorted order of the names, so groups sort as the names would
    phase_names = sorted({str(p) for p in cols["phase"]})
    effect_names = sorted(result.effects[i] for i in effects)
    phase_code = {p: i for i, p in enumerate(phase_names)}
    effect_code = np.array([effect_names.index(result.effects[i]) for i in effects])
    phases = np.array([phase_code[str(p)] for p in cols["phase"]], dtype=int)[keep]
    long = pd.DataFrame({
        "phase": np.repeat(phases, n_eff * n_sec),
        "year": np.repeat(cols["year"].to_numpy(dtype=int)[keep], n_eff * n_sec),
        "effect": np.tile(np.repeat(effect_code, n_sec), n_cols),
        "value": block.reshape(-1),
    })
    yearly = long.pivot_table(index="year", columns="phase", values="value", aggfunc="sum",
                              fill_value=0.0)
    yearly.columns = pd.Index([phase_names[i] for i in yearly.columns], name="phase")
    by_effect_year = long.pivot_table(index=["phase", "year"], columns="effect", values="value",
                                      aggfunc="sum", fill_value=0.0)
    by_effect_year.columns = pd.Index([effect_names[i] for i in by_effect_year.columns],
                                      name="effect")
    by_effect_year.index = by_effect_year.index.set_levels(
        [phase_names[i] for i in by_effect_year.index.levels[0]], level=0)
    return yearly, by_effect_year


#: How far past the last modelled year a stated horizon may continue sustaining capex.
_BEYOND_YEARS = 100


def _refresh_beyond(result: ScenarioResult, yearly: Mapping[int, Mapping[str, float]],
                    investments: Sequence[str]) -> dict[int, dict[str, float]]:
    """Sustaining capex after the last modelled year, had operation continued: the effect per
    unit of refresh weight (linear model: Σ_t E(t) / Σ_t w_t) times each later year's weight of
    the same refresh schedule (:mod:`impactsim.scenario.refresh`)."""
    plans = [p for p in result.shocks.plans if p.phase == "sustaining" and p.cycle
             and (not investments or p.investment in investments)]
    total_w = sum(float(p.weights.sum()) for p in plans)
    if not plans or total_w <= 0 or not yearly:
        return {}
    last = max(int(y) for y in yearly)
    effects: dict[str, float] = {}
    for eff in yearly.values():
        for e, v in eff.items():
            effects[e] = effects.get(e, 0.0) + v
    later: dict[int, float] = {}
    for p in plans:
        if p.cycle is None:  # filtered above: every refresh plan has a cycle
            continue
        ext_years, ext_w = schedule(p.tranches, float(p.cycle), last + 1,
                                    last + _BEYOND_YEARS)
        for y, v in zip(ext_years, ext_w, strict=True):
            if v:
                later[int(y)] = later.get(int(y), 0.0) + float(v)
    return {y: {e: v / total_w * w for e, v in effects.items()} for y, w in later.items()}


def _quantiles(result: ScenarioResult, phase: str, measure: str) -> tuple[float, float] | None:
    """(lowest, highest) reported quantile of the phase total for ``measure`` when the result
    carries draws (P5 and P95 by default), else None."""
    q = result.headline_quantiles(phase)
    if q is None or measure not in q.columns or len(q) < 2:
        return None
    return float(q[measure].iloc[0]), float(q[measure].iloc[-1])



IN_A_YEAR = "in-a-year"
CUMULATIVE = "cumulative"

#: Words a claim's unit or basis may use, mapped onto the two bases.
BASIS_WORDS = {
    "job-years": CUMULATIVE, "job_years": CUMULATIVE, "cumulative": CUMULATIVE,
    "total": CUMULATIVE, "in-a-year": IN_A_YEAR, "per-year": IN_A_YEAR, "annual": IN_A_YEAR,
    "jobs": IN_A_YEAR,
}


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of a claim: the model figure (claim units) under a stated interpretation.

    ``basis`` is ``"in-a-year"`` or ``"cumulative"``; ``variant`` ``"all effects"``,
    ``"without induced"``, ``"no import leakage"``, ``"other measure"`` or ``"investor"``;
    ``matches`` whether the reading is defensible on the claim's words (its measure, a basis of
    :func:`defensible_bases`, the run's own effects): the readings a verdict uses;
    ``ratio`` = claimed / model; ``verdict`` this reading's own interval verdict; ``ranged``
    whether ``low``–``high`` come from draws (else all three are the point estimate).
    """

    key: str
    label: str
    measure: str
    basis: str
    variant: str
    phases: tuple[str, ...]
    value: float
    low: float
    high: float
    ratio: float
    matches: bool
    overlaps: bool
    note: str = ""
    verdict: str = ""
    ranged: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "reading": self.key, "label": self.label, "measure": self.measure,
            "basis": self.basis, "variant": self.variant, "phases": ",".join(self.phases),
            "model_low": self.low, "model": self.value, "model_high": self.high,
            "ratio": self.ratio, "matches_unit": self.matches, "overlaps_claim": self.overlaps,
            "note": self.note, "verdict": self.verdict, "ranged": self.ranged,
        }


READING_COLUMNS = ["reading", "label", "measure", "basis", "variant", "phases", "model_low",
                   "model", "model_high", "ratio", "matches_unit", "overlaps_claim", "note",
                   "verdict", "ranged"]


def stated_basis(claim: Any) -> str | None:
    """The basis the claim states (``basis``, a "job-years" unit), or None."""
    return BASIS_WORDS.get(str(getattr(claim, "basis", None) or "").lower())


def defensible_bases(claim: Any) -> tuple[str, ...]:
    """The bases a claim may be read on, from its words: a stated basis; else, for jobs, jobs
    in a year and (with a stated horizon) job-years over it; for money, cumulative when a
    horizon is stated or the phase is not operations, else per year."""
    stated = stated_basis(claim)
    if stated is not None:
        return (stated,)
    horizon = bool(getattr(claim, "horizon", None))
    if claim.measure == "employment":
        return (IN_A_YEAR, CUMULATIVE) if horizon else (IN_A_YEAR,)
    if horizon:
        return (CUMULATIVE,)
    return (IN_A_YEAR,) if claim.phase == "operations" else (CUMULATIVE,)


def claim_basis(claim: Any) -> str:
    """The basis of the claim's primary reading: the stated basis; a stated horizon →
    cumulative; else jobs → in a year, money → cumulative (per year for operations)."""
    bases = defensible_bases(claim)
    if getattr(claim, "horizon", None) and CUMULATIVE in bases:
        return CUMULATIVE
    return bases[0]


def _spread(fig: Any, phase: str, tolerance: float) -> tuple[float, float, bool]:
    """(low, high) relative to the phase headline and whether they come from draws: P5/mid and
    P95/mid of the draws, else ``1 ± tolerance`` (an explicit band; none by default)."""
    mid = fig.phase_total.get(phase, {}).get("total", 0.0)
    q = fig.quantiles.get(phase)
    if q is not None and mid:
        lo, hi = sorted((q[0] / mid, q[1] / mid))
        return lo, hi, True
    return 1.0 - tolerance, 1.0 + tolerance, False


def _yearly(fig: Any, phase: str, drop_induced: bool) -> dict[int, float]:
    years = (getattr(fig, "yearly", None) or {}).get(phase, {})
    out = {}
    for y, eff in years.items():
        tot = sum(v for e, v in eff.items() if not (drop_induced and e == "induced"))
        out[int(y)] = float(tot)
    return out


def _headline(fig: Any, phase: str, drop_induced: bool) -> float:
    tot = fig.phase_total.get(phase, {})
    if not tot:
        return math.nan
    return float(tot.get("total", 0.0) - (tot.get("induced", 0.0) if drop_induced else 0.0))


def _horizon_years(fig: Any, horizon: int | None) -> tuple[int, int] | None:
    """(first year, last year) of a stated horizon counted from the first modelled year."""
    if not horizon:
        return None
    years = [int(y) for ph in (getattr(fig, "yearly", None) or {}).values() for y in ph]
    if not years:
        return None
    first = min(years)
    return first, first + int(horizon) - 1


def _cumulative(fig: Any, drop_induced: bool, span: tuple[int, int] | None
                ) -> tuple[dict[str, float], str]:
    """Cumulative totals by phase (modelled years, or a horizon) and a note on extension."""
    parts: dict[str, float] = {}
    note = ""
    for phase in fig.phase_total:
        yearly = _yearly(fig, phase, drop_induced)
        if not yearly:
            parts[phase] = _headline(fig, phase, drop_induced) if phase == "construction" else 0.0
            continue
        if span is None:
            parts[phase] = sum(yearly.values())
            continue
        lo, hi = span
        inside = sum(v for y, v in yearly.items() if lo <= y <= hi)
        last = max(yearly)
        extra = max(0, hi - last) if phase == "operations" else 0
        if extra:
            inside += extra * _headline(fig, phase, drop_induced)
            note = (f"operations after {last} continued at the full-operation level for "
                    f"{extra} more year(s) to reach the stated horizon")
        later = (getattr(fig, "beyond", None) or {}).get(phase, {})
        more = [(y, e) for y, e in later.items() if last < y <= hi]
        if more:
            inside += sum(sum(v for k, v in e.items() if not (drop_induced and k == "induced"))
                          for _, e in more)
            note += ("; " if note else "") + (
                f"sustaining capex after {last} continued on each tranche's refresh cycle "
                f"({len(more)} more refresh year(s))")
        parts[phase] = inside
    return parts, note


def readings(
    claim: Any,
    fig: Any,
    conv: Callable[[float], float],
    *,
    tolerance: float = 0.0,
    alt: tuple[str, Any] | None = None,
    leakage: Mapping[str, float] | None = None,
) -> tuple[Reading, ...]:
    """Every reading of ``claim`` the model figures ``fig`` support (see the module docstring).

    ``conv`` turns model units into the claim's unit; ``alt`` is (measure, figures) of the other
    money measure; ``leakage[phase]`` the ratio of effects with no import leakage to the run's.
    """
    bases = defensible_bases(claim)
    jobs = claim.measure == "employment"
    lower_bound = bool(getattr(fig, "lower_bound", ()))
    span = _horizon_years(fig, getattr(claim, "horizon", None))
    out: list[Reading] = []

    def add(key: str, label: str, basis_: str, variant: str, parts: Mapping[str, float],
            *, measure: str | None = None, note: str = "", figs: Any = None) -> None:
        figs = figs or fig
        parts = {p: v for p, v in parts.items() if v is not None and math.isfinite(v)
                 and (not claim.phase or p == claim.phase)}
        if not parts:
            return
        mid = lo = hi = 0.0
        ranged = True
        for p, v in parts.items():
            s_lo, s_hi, from_draws = _spread(figs, p, tolerance)
            ranged = ranged and from_draws
            mid += conv(v)
            lo += conv(v * s_lo)
            hi += conv(v * s_hi)
        lo, hi = sorted((lo, hi))
        m = measure or claim.measure
        ratio = claim.mid / mid if mid else math.inf
        matches = m == claim.measure and basis_ in bases and variant == "all effects"
        if matches and basis_ == CUMULATIVE and span is not None:
            matches = key.startswith("cumulative-horizon")  # a stated horizon is the unit
        overlaps = not (claim.low > hi or claim.high < lo)
        verdict = interval_verdict(claim.low, claim.high, lo, hi, lower_bound=lower_bound)
        out.append(Reading(key, label, m, basis_, variant, tuple(parts), mid, lo, hi, ratio,
                           matches, overlaps, note, verdict, ranged))

    has_c = "construction" in fig.phase_total
    has_o = "operations" in fig.phase_total
    n_c = max(1, int(fig.years.get("construction", 1))) if has_c else 1
    variants = [("all effects", False)]
    if fig.has_induced:
        variants.append(("without induced", True))
    hz = f"{span[0]}–{span[1]}" if span else ""
    for variant, drop in variants:
        tag = "" if variant == "all effects" else f", {variant}"
        key = "" if variant == "all effects" else "-no-induced"
        if has_c:
            c_tot = _headline(fig, "construction", drop)
            yearly = _yearly(fig, "construction", drop)
            peak = max(yearly.values()) if yearly else c_tot / n_c
            what = "jobs" if jobs else "per year"
            add(f"construction-average-year{key}",
                f"construction, average year ({what}; {n_c} year(s)){tag}", IN_A_YEAR, variant,
                {"construction": c_tot / n_c})
            add(f"construction-peak-year{key}", f"construction, peak year{tag}", IN_A_YEAR,
                variant, {"construction": peak})
            add(f"construction-total{key}",
                ("construction job-years, total over its years" if jobs
                 else "construction, total over its years") + tag,
                CUMULATIVE, variant, {"construction": c_tot})
        if "sustaining" in fig.phase_total:
            add(f"sustaining-total{key}",
                ("sustaining capex (equipment refresh), job-years over operation" if jobs
                 else "sustaining capex (equipment refresh), total over operation") + tag,
                CUMULATIVE, variant, {"sustaining": _headline(fig, "sustaining", drop)})
        if has_o:
            add(f"operations-full-year{key}",
                ("operations, a year of full operation (jobs)" if jobs
                 else "operations, a year of full operation") + tag, IN_A_YEAR, variant,
                {"operations": _headline(fig, "operations", drop)})
        cum, _ = _cumulative(fig, drop, None)
        if claim.phase != "construction" and (len(cum) > 1 or claim.phase == "operations"):
            add(f"cumulative-modelled{key}",
                ("job-years over the modelled years" if jobs else "cumulative over the "
                 "modelled years") + tag, CUMULATIVE, variant, cum)
        if span is not None:
            cum_h, note = _cumulative(fig, drop, span)
            add(f"cumulative-horizon{key}",
                (f"job-years over the stated horizon {hz}" if jobs else
                 f"cumulative over the stated horizon {hz}") + tag, CUMULATIVE, variant,
                cum_h, note=note)
            if "sustaining" in cum_h and variant == "all effects":
                add("cumulative-horizon-no-sustaining",
                    (f"job-years over the stated horizon {hz}" if jobs else
                     f"cumulative over the stated horizon {hz}") + ", without sustaining capex",
                    CUMULATIVE, "without sustaining capex",
                    {p: v for p, v in cum_h.items() if p != "sustaining"},
                    note="running costs and construction only: the equipment refresh left out")
    if leakage:
        lk = {p: f for p, f in leakage.items() if p in fig.phase_total and math.isfinite(f)}
        note = ("domestic + imported spending solved as if all domestic (no import leakage): "
                "what a claim counting the whole investment would imply")
        if "construction" in lk:
            add("construction-average-year-no-leakage",
                "construction, average year, no import leakage", IN_A_YEAR, "no import leakage",
                {"construction": _headline(fig, "construction", False) / n_c * lk["construction"]},
                note=note)
        if "operations" in lk:
            add("operations-full-year-no-leakage",
                "operations, a year of full operation, no import leakage", IN_A_YEAR,
                "no import leakage",
                {"operations": _headline(fig, "operations", False) * lk["operations"]}, note=note)
        base, _ = _cumulative(fig, False, span)
        label = f"over the stated horizon {hz}" if span else "over the modelled years"
        add("cumulative-no-leakage", f"cumulative {label}, no import leakage", CUMULATIVE,
            "no import leakage", {p: v * lk.get(p, 1.0) for p, v in base.items()}, note=note)
    if alt is not None:
        a_measure, a_fig = alt
        if a_fig.phase_total:
            a_cum, _ = _cumulative(a_fig, False, span)
            label = f"over the stated horizon {hz}" if span else "over the modelled years"
            add(f"{a_measure}-cumulative", f"{a_measure.replace('_', ' ')} cumulative {label}",
                CUMULATIVE, "other measure", a_cum, measure=a_measure, figs=a_fig)
            if "operations" in a_fig.phase_total:
                add(f"{a_measure}-operations-full-year",
                    f"{a_measure.replace('_', ' ')}, a year of full operation", IN_A_YEAR,
                    "other measure", {"operations": _headline(a_fig, "operations", False)},
                    measure=a_measure, figs=a_fig)
    va_fig = fig if claim.measure == "value_added" else (
        alt[1] if alt is not None and alt[0] == "value_added" else None)
    if va_fig is not None and "operations" in va_fig.phase_total:
        own = va_fig.phase_total["operations"].get("direct")
        if own is not None:
            note = ("the operating site's own value added (its wages and operating surplus, "
                    "the direct effect of operations); profits booked abroad are not separated")
            add("investor-own-va-year", "investor's own value added, a year of full operation",
                IN_A_YEAR, "investor", {"operations": own}, measure="value_added",
                figs=va_fig, note=note)
            if span is not None:
                yearly = (getattr(va_fig, "yearly", None) or {}).get("operations", {})
                lo, hi = span
                tot = sum(e.get("direct", 0.0) for y, e in yearly.items() if lo <= int(y) <= hi)
                last = max((int(y) for y in yearly), default=hi)
                tot += max(0, hi - last) * own
                add("investor-own-va-horizon", f"investor's own value added over {hz}",
                    CUMULATIVE, "investor", {"operations": tot}, measure="value_added",
                    figs=va_fig, note=note)
    return tuple(out)


CONSISTENT, ABOVE, BELOW = "consistent", "above", "below"
DEPENDS = "depends on the reading"
NOT_DECISIVE = "not decisive (model is a lower bound)"
#: Primary reading (whose ratio is shown beside the verdict), in order of precedence.
PRIMARY_ORDER = ("cumulative-horizon", "construction-average-year", "construction-peak-year",
                 "operations-full-year", "construction-total", "cumulative-modelled")


def interval_verdict(c_lo: float, c_hi: float, m_lo: float, m_hi: float, *,
                     lower_bound: bool = False) -> str:
    """Claim interval against model interval: overlap → consistent; the whole claim above the
    model → above (or "not decisive" when the model is a lower bound); below → below."""
    if c_lo > m_hi:
        return NOT_DECISIVE if lower_bound else ABOVE
    if c_hi < m_lo:
        return BELOW
    return CONSISTENT


@dataclass(frozen=True, slots=True)
class Decision:
    """A claim's verdict over its defensible readings: ``verdict`` (one of consistent, above,
    below, depends on the reading, not decisive), ``primary`` the reading whose figure and
    ratio are shown, ``used`` every defensible reading, ``detail`` one line naming each with
    its own verdict and ratio."""

    verdict: str
    primary: Reading
    used: tuple[Reading, ...]
    detail: str


def decide(found: tuple[Reading, ...]) -> Decision | None:
    """The verdict over the defensible readings (``matches``), never the closest one: their
    common verdict when they agree, "depends on the reading" when they do not. None when no
    reading is in the claim's unit."""
    used = tuple(r for r in found if r.matches and r.value and math.isfinite(r.value))
    if not used:
        return None
    rank = {k: i for i, k in enumerate(PRIMARY_ORDER)}
    primary = min(used, key=lambda r: (rank.get(r.key, len(rank)), found.index(r)))
    kinds = {r.verdict for r in used}
    verdict = kinds.pop() if len(kinds) == 1 else DEPENDS
    detail = "; ".join(f"{r.label}: {r.verdict} (ratio {r.ratio:,.2f})" for r in used)
    return Decision(verdict, primary, used, detail)


def readings_frame(found: tuple[Reading, ...], *, used: str | None = None) -> pd.DataFrame:
    """Readings as a tidy frame (one row each), ``used`` marking the verdict's reading."""
    rows = [r.to_dict() for r in found]
    frame = pd.DataFrame(rows, columns=READING_COLUMNS)
    frame["used"] = frame["reading"] == used if used else False
    return frame


def leakage_factors(result: Any, measure: str, *, investments: tuple[str, ...] = ()
                    ) -> dict[str, float]:
    """Per phase: effects of all spending solved as if domestic over the run's effects,
    ``(μ′ (d + m)) / (μ′ d)`` with ``μ′`` the measure's multiplier row of the model the run
    solved (``result.model``: Type II, with the run's household closure, when the run has
    induced effects; its factorization is reused, not repeated), ``d`` the domestic and ``m``
    the imported spending by sector summed over the phase's years (the shocks' audit). A result
    without its model (built by hand) gets a model of its table, households closed on
    compensation with the scenario's leakage.

    Empty for multi-region results (supply is placed by region there, nothing "leaks").
    """
    if result.is_multiregional or result.sourcing is None or measure not in result.measures:
        return {}
    table = result.sourcing.table
    model = result.model
    if model is None or model.table is not table:  # a result built by hand: the run's model
        if result.induced:
            leak = float(result.scenario.model.household_leakage.value)
            model = LeontiefModel(table, closure=HouseholdClosure.from_table(table, leakage=leak))
        else:
            model = LeontiefModel(table)
    row = model.multiplier_matrix(induced=result.induced)[list(model.measures).index(measure)]
    audit = result.shocks.audit
    if audit.empty:
        return {}
    # the columns read here only: filtering the whole trail copies every text column
    audit = audit[["phase", "investment", "sector", "domestic", "table_units"]]
    audit = audit[audit["sector"].notna()]
    if investments:
        audit = audit[audit["investment"].isin(list(investments))]
    index = {s: i for i, s in enumerate(table.sectors)}
    out: dict[str, float] = {}
    for phase, part in audit.groupby("phase", sort=False):
        pos = part["sector"].map(index)
        ok = pos.notna()
        idx = pos[ok].astype(int).to_numpy()
        dom = float((row[idx] * part.loc[ok, "domestic"].to_numpy()).sum())
        gross = float((row[idx] * part.loc[ok, "table_units"].to_numpy()).sum())
        if dom > 0:
            out[str(phase)] = gross / dom
    return out
