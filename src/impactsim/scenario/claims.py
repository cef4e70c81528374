"""Claim comparisons: published figures ("thousands of jobs", "USD 45 bn of GDP") set against
the model's result for the same measure, phase and effect.

For each claim ``c`` with a claimed interval ``[c_lo, c_hi]`` (a point, a range, or what a
qualifier such as "more than" implies) and, for each defensible reading of it
(:mod:`impactsim.scenario.readings`), the model's interval ``[m_lo, m_hi]`` (P5–P95 of the draws
when the run has them; a run without draws has no range, ``m_lo = m_mid = m_hi``, and the
comparison says so), the comparison reports

* ``ratio = c_mid / m_mid`` (claimed over modelled, both in the claim's unit) on the primary
  reading,
* a verdict: ``consistent`` when the intervals overlap, ``above`` when the whole claim lies above
  the model's range, ``below`` when it lies below, on every defensible reading; ``depends on the
  reading`` when those readings disagree (``detail`` names each); ``not decisive (model is a
  lower bound)`` when the claim is above a model figure that misses channels (listed);
  ``not comparable`` when the model has no such measure (with the reason),
* what could explain a gap, each with the model figure under that reading of the claim: induced
  effects in or out, the years of operation counted, gross vs net, jobs vs job-years, the
  currency and price year, imported content, and the claim's geographic scope.

Money claims are converted to table units with the scenario's currency conversion (annual
average exchange rate of the claim's year, then the table's price index to the table's price
year), so a claim in USD of 2025 is compared with model money at 2020 KRW prices.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..engine.measures import format_value, jobs_basis
from ..errors import ImpactsimError
from ..regional.korea import province_name
from . import energy as physical
from . import money
from .claim_input import (
    Claim,
    ClaimError,
    normalise_claim,
    unit_scale,
)
from .claim_units import unit_problem
from .readings import (
    DEPENDS,
    NOT_DECISIVE,
    ModelFigures,
    Reading,
    decide,
    interval_verdict,
    leakage_factors,
    model_figures,
    readings,
    readings_frame,
)
from .result import ScenarioResult

__all__ = [
    "Claim",
    "ClaimComparison",
    "ClaimError",
    "Explanation",
    "ModelFigures",
    "compare_claim",
    "compare_claims",
    "comparisons_frame",
    "normalise_claim",
    "unit_scale",
]

#: Half-width of a band put around the point estimate of a run without draws: none. A range comes
#: from the draws (P5–P95) or not at all; a caller may still pass an explicit ``tolerance``.
DEFAULT_TOLERANCE = 0.0
#: When an explanation is marked "would close the gap": its figure within a quarter of the
#: claimed range. A presentation convention for the explanation list only; it never sets a
#: verdict.
CLOSE_ENOUGH = 0.25


@dataclass(frozen=True, slots=True)
class Explanation:
    """One possible reason for a gap, with the model figure under that reading (claim units)."""

    kind: str
    text: str
    model_value: float | None = None
    closes_gap: bool = False


@dataclass(frozen=True, slots=True)
class ClaimComparison:
    """A claim set against the model: both intervals in the claim's unit, ratio and verdict."""

    claim: Claim
    model_low: float
    model_mid: float
    model_high: float
    unit: str
    ratio: float
    verdict: str
    basis: str
    explanations: tuple[Explanation, ...] = field(default_factory=tuple)
    note: str = ""
    readings: tuple[Reading, ...] = field(default_factory=tuple)
    reading: str = ""
    detail: str = ""
    ranged: bool = False

    def readings_frame(self) -> pd.DataFrame:
        """Every reading of the claim (:mod:`impactsim.scenario.readings`) as a tidy frame:
        reading, label, measure, basis, variant, model range, ratio, whether it matches the
        claim's unit, whether it overlaps the claim, and ``used`` (the verdict's reading)."""
        frame = readings_frame(self.readings, used=self.reading or None)
        frame.insert(0, "claim", self.claim.id)
        return frame

    @property
    def reading_label(self) -> str:
        """Label of the reading the verdict used ('' when none)."""
        for r in self.readings:
            if r.key == self.reading:
                return r.label
        return ""

    def to_dict(self) -> dict[str, Any]:
        """Flat record for tables and JSON (explanations joined)."""
        c = self.claim
        return {
            "claim": c.id,
            "text": c.text,
            "measure": c.measure,
            "phase": c.phase or "",
            "claimed_low": c.low,
            "claimed_high": c.high,
            "claimed": c.mid,
            "unit": self.unit,
            "model_low": self.model_low,
            "model": self.model_mid,
            "model_high": self.model_high,
            "ratio": self.ratio,
            "verdict": self.verdict,
            "basis": self.basis,
            "explanations": [
                {"kind": e.kind, "text": e.text, "model_value": e.model_value,
                 "closes_gap": e.closes_gap}
                for e in self.explanations
            ],
            "note": self.note,
            "source": c.source,
            "reading": self.reading,
            "reading_label": self.reading_label,
            "detail": self.detail,
            "ranged": self.ranged,
        }


# ----------------------------------------------------------------------------- comparing
def compare_claim(
    claim: Claim,
    figures: ModelFigures,
    *,
    to_claim_units: Callable[[float], float] = lambda v: v,
    tolerance: float = DEFAULT_TOLERANCE,
    currency_note: str = "",
    alt: tuple[str, ModelFigures] | None = None,
    leakage: Mapping[str, float] | None = None,
) -> ClaimComparison:
    """Set one claim against the model figures; ``to_claim_units`` converts a model value (table
    units or persons) into the claim's unit as written.

    Every reading of the claim (:func:`impactsim.scenario.readings.readings`) is computed; the
    verdict comes from all readings defensible on the claim's words
    (:func:`~.readings.decide`): their common verdict, or "depends on the reading" naming each;
    the ratio is the primary reading's. ``alt`` = (measure, figures) of the other money
    measure; ``leakage[phase]`` the factor of a run with no import leakage.
    """
    unit = claim.unit
    if not figures.phase_total:
        return _not_comparable(claim, unit, f"the model has no '{claim.measure}' result for "
                               f"{figures.scope}")
    if claim.phase and claim.phase not in figures.phase_total:
        return _not_comparable(claim, unit, f"the scenario has no {claim.phase} phase")
    found = readings(claim, figures, to_claim_units, tolerance=tolerance, alt=alt,
                     leakage=leakage)
    decision = decide(found)
    chosen = decision.primary if decision is not None else None
    phases = [claim.phase] if claim.phase else list(figures.phase_total)
    if chosen is not None:
        phase = chosen.phases[0] if len(chosen.phases) == 1 else max(
            chosen.phases, key=lambda p: abs(figures.phase_total[p].get("total", 0.0)))
        m_lo, m_mid, m_hi = chosen.low, chosen.value, chosen.high
    else:  # no reading in the claim's unit: the larger phase's headline
        phase = max(phases, key=lambda p: abs(figures.phase_total[p].get("total", 0.0)))
        mid = figures.phase_total[phase]["total"]
        lo, hi = figures.quantiles.get(phase, (mid * (1 - tolerance), mid * (1 + tolerance)))
        m_mid = to_claim_units(mid)
        m_lo, m_hi = sorted((to_claim_units(lo), to_claim_units(hi)))
    ranged = phase in figures.quantiles
    range_kind = ("P5–P95 of the draws" if ranged
                  else f"±{tolerance:.0%} around the point estimate (no draws)" if tolerance
                  else "none (the run has no draws: the point estimate is compared)")
    jobs = claim.measure == "employment"
    if chosen is not None and decision is not None:
        read_as = ", ".join(sorted({
            ("jobs in a year" if r.basis == "in-a-year" else "job-years") if jobs else
            ("per year" if r.basis == "in-a-year" else "cumulative") for r in decision.used}))
        how = (f"stated: {read_as}" if claim.basis and claim.basis != "unspecified"
               else f"not stated, so read as {read_as}")
        basis = (f"primary reading: {chosen.label} for {figures.scope} (the claim's basis is "
                 f"{how}; {len(decision.used)} defensible reading(s)); range {range_kind}")
        if figures.lower_bound:
            basis += ("; the model figure is a lower bound: it cannot see "
                      + "; ".join(figures.lower_bound))
    else:
        per = f" ({jobs_basis(phase)})" if jobs else (
            "" if phase == "construction" else " (per year)")
        basis = f"{phase} total{per} for {figures.scope}; range {range_kind}"
        if claim.phase is None and len(phases) > 1:
            basis += "; no reading in the claim's unit, so the larger phase is used"
    if not (m_mid and all(math.isfinite(v) for v in (m_mid, m_lo, m_hi, claim.mid))):
        return _not_comparable(  # a zero or non-finite model figure has no ratio (no inf, ever)
            claim, unit, f"the model gives {_n(m_mid)} for this figure, so no ratio can be formed "
            "(check the amounts and the money conversion)")
    if decision is not None:
        verdict, detail = decision.verdict, decision.detail
    else:
        verdict, detail = _verdict(claim.low, claim.high, m_lo, m_hi), ""
        if verdict == "above" and figures.lower_bound:
            verdict = NOT_DECISIVE
    if verdict == NOT_DECISIVE or (verdict == DEPENDS and NOT_DECISIVE in detail):
        detail += ("; " if detail else "") + "missing channels: " + "; ".join(
            figures.lower_bound)
    if not ranged and not tolerance:
        detail = "no range (the run has no draws): point estimates compared; " + detail
    ratio = claim.mid / m_mid
    if not math.isfinite(ratio):
        return _not_comparable(claim, unit, "the claim and the model differ by more than the "
                               "floating-point range, so no ratio can be formed")
    explanations = _explain(claim, figures, phase, to_claim_units, verdict, currency_note, m_mid,
                            region_differs=figures.region is not None, found=found,
                            chosen=chosen)
    return ClaimComparison(
        claim=claim, model_low=m_lo, model_mid=m_mid, model_high=m_hi, unit=unit, ratio=ratio,
        verdict=verdict, basis=basis, explanations=tuple(explanations), readings=found,
        reading=chosen.key if chosen is not None else "", detail=detail, ranged=ranged,
    )


#: Interval comparison (overlap → consistent; claim wholly above / below the model range).
_verdict = interval_verdict


def _not_comparable(claim: Claim, unit: str, note: str) -> ClaimComparison:
    nan = math.nan
    return ClaimComparison(claim, nan, nan, nan, unit, nan, "not comparable", "", (), note)


def _closes(value: float | None, claim: Claim, tolerance: float = CLOSE_ENOUGH) -> bool:
    """Whether a model figure lies within the claim's range, widened by ``tolerance``."""
    if value is None or not math.isfinite(value):
        return False
    return claim.low * (1 - tolerance) <= value <= claim.high * (1 + tolerance)


def _explain(
    claim: Claim,
    fig: ModelFigures,
    phase: str,
    conv: Callable[[float], float],
    verdict: str,
    currency_note: str,
    model_mid: float,
    region_differs: bool = False,
    found: tuple[Reading, ...] = (),
    chosen: Reading | None = None,
) -> list[Explanation]:
    """Other readings of the claim, each with the model figure it implies (claim units).

    Job counts are named by what they are: "jobs" for people at work in a year, "job-years"
    for sums over years (never "jobs").
    """
    out: list[Explanation] = []
    tot = fig.phase_total[phase]
    jobs = claim.measure == "employment"
    by_key = {r.key: r for r in found}
    in_year = chosen is None or chosen.basis == "in-a-year"
    if jobs:
        u = " jobs" if (chosen is not None and in_year) else " job-years" if (
            chosen is not None or phase == "construction") else " jobs"
    else:
        u = f" {claim.unit}" if claim.unit else ""
    what = f" ({chosen.label})" if chosen is not None else ""

    def add(kind: str, text: str, value: float | None) -> None:
        out.append(Explanation(kind, text, value, _closes(value, claim)))

    def same_reading(factor: float) -> float:
        return (chosen.value if chosen is not None else conv(tot["total"])) * factor

    share_no_induced = ((tot["total"] - tot.get("induced", 0.0)) / tot["total"]
                        if tot.get("total") else math.nan)
    if fig.has_induced and "induced" in tot:
        alt = by_key.get(f"{chosen.key}-no-induced") if chosen is not None else None
        without = alt.value if alt is not None else same_reading(share_no_induced)
        add("induced effects",
            f"without induced (household-spending) effects the same reading{what} gives "
            f"{_n(without)}{u}; announcements often quote direct + indirect only, or count "
            "induced effects the model leaks abroad", without)
    elif fig.multiregional:
        add("induced effects",
            "multi-region (world) tables are run Type I only (households are per region and the "
            "table has no labour-income row), so induced (household-spending) effects are not "
            "in the model figure; claims often include them", None)
    else:
        add("induced effects",
            "this run excludes induced (household-spending) effects (--no-induced); claims "
            "usually include them: run with induced effects to compare like with like", None)
    if "direct" in tot and tot.get("total"):
        direct = same_reading(tot["direct"] / tot["total"])
        add("direct only", f"direct effects alone are {_n(direct)}{u} on the same reading",
            direct)
    if jobs and "construction" in fig.phase_total:
        c_total = conv(fig.phase_total["construction"]["total"])
        n_years = max(1, fig.years.get("construction", 1))
        avg = c_total / n_years
        peak = conv(fig.peak.get("construction", math.nan))
        add("jobs vs job-years",
            f"construction supports {_n(c_total)} job-years over {n_years} year(s): about "
            f"{_n(avg)} jobs in an average year and {_n(peak)} jobs in the peak year; a claim "
            "of 'jobs' is read as people at work in a year, a claim of job-years as the sum "
            "over years", avg)
    if "operations" in fig.phase_total:
        per_year = conv(fig.phase_total["operations"]["total"])
        horizon = fig.years.get("operations", 0)
        cum = conv(fig.cumulative.get("operations", math.nan))
        hz = by_key.get("cumulative-horizon")
        if jobs:
            text = (f"operations support {_n(per_year)} jobs in a year of full operation; "
                    f"summed over the {horizon} modelled year(s) of operation that is "
                    f"{_n(cum)} job-years")
            if hz is not None:
                text += (f"; all phases ({', '.join(hz.phases)}) give {_n(hz.value)} "
                         f"job-years {hz.label.split('horizon ')[-1]} (a claim over a horizon "
                         "may count job-years)")
            add("operations years", text, hz.value if hz is not None else cum)
        else:
            c_cum = conv(fig.cumulative.get("construction", 0.0))
            add("operations years",
                f"operations add {_n(per_year)}{u} per year; over the {horizon} modelled "
                f"year(s) of operation {_n(cum)}{u}, or {_n(cum + c_cum)}{u} with construction "
                "(multi-year figures are often cumulative)", cum + c_cum)
    if fig.multiregional:
        where = fig.region or claim.region or "the claiming economy"
        add("channels the table cannot see",
            f"the world table (2011 structure, Type I) cannot see: intellectual-property and "
            f"chip-design margins booked in {where} on equipment made elsewhere, the "
            f"investor's own returns booked in {where}, induced (household-spending) effects, "
            "and changes in technology since 2011; for a claim that counts them the model "
            "figure is a lower bound", None)
        add("gross vs net",
            "the model's figures are gross (no displacement), but on this table they miss the "
            "channels above, so they are a lower bound for the claim, not an upper bound", None)
    elif claim.mid >= model_mid:
        add("gross vs net",
            "the model's figures are already gross (no displacement or crowding out: an upper "
            "bound); a claim above them may count activity that would happen anyway, or "
            "catalytic effects (e.g. on users of AI services) that input-output leaves out",
            None)
    else:
        add("gross vs net",
            "the model's figures are gross; a claim below them may be net of displacement or "
            "crowding out, or count only a part of the effects", None)
    leak = next((r for r in found if r.variant == "no import leakage"
                 and chosen is not None and r.basis == chosen.basis
                 and set(r.phases) == set(chosen.phases)), None)
    if claim.is_money or leak is not None:
        if not fig.multiregional:
            extra = (f"; with no import leakage the reading is {_n(leak.value)}{u}"
                     if leak is not None else "")
            add("imports",
                "the model counts only the domestically supplied part of spending (imported "
                "servers and accelerators leak abroad); a claim may count the whole investment"
                + extra, leak.value if leak is not None else None)
        elif fig.region is not None:  # a world table has no "abroad": supply sits by region
            add("supply from other regions",
                f"the world table places each part of the spending where it is produced "
                f"(servers and accelerators largely outside {fig.region}), so the {fig.region} "
                "figure leaves out what other regions supply; a claim about one economy may "
                "count the whole investment", None)
        if currency_note:
            add("currency and price year", currency_note, None)
    if claim.region and region_differs:
        add("geographic scope", f"the claim is about {claim.region}; the model figure is the "
            f"part located in {claim.region} of the effects of {fig.scope.split(', region')[0]} "
            f"(spending in every region); the claim may count only {claim.region}'s own "
            "investment, or effects its spending causes elsewhere", None)
    return out


def _n(value: float) -> str:
    return format_value(value)  # the one number formatter (engine/measures.py)


# ----------------------------------------------------------------------------- scenario level
def claims_of(result: ScenarioResult) -> list[Any]:
    """The ``claims:`` entries of the result's scenario (empty if none)."""
    return list(result.scenario.claims)


def compare_claims(
    result: ScenarioResult,
    claims: Iterable[Any] | None = None,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    money: Callable[[Claim], tuple[float, str]] | None = None,
) -> list[ClaimComparison]:
    """Compare every claim of a result's scenario (or ``claims``) with the model.

    ``money(claim)`` returns (table units per one currency unit of the claim, a note on the
    conversion); by default the scenario's currency conversion is used (annual-average exchange
    rate of the claim's price year, then the table economy's GDP deflator to the table's price
    year). A claim about another region than the table's is "not comparable" unless the result
    has that region.
    """
    raw_claims = list(claims) if claims is not None else claims_of(result)
    scenario = result.scenario
    where = scenario.name
    table_region = str(result.table.region or "")
    regions = _result_regions(result)
    convert_money = money or _default_money(result)
    all_investments = {inv.name for inv in scenario.investments}
    out: list[ClaimComparison] = []
    # each model figure and leakage factor once per (measure, scope): cost linear in the claims
    figures_of = functools.cache(lambda m, i, r: model_figures(result, m, investments=i, region=r))
    leakage_of = functools.cache(lambda m, i: leakage_factors(result, m, investments=i))
    for i, raw in enumerate(raw_claims):
        claim = raw if isinstance(raw, Claim) else normalise_claim(raw, index=i, where=where)
        problem = (None if claim.measure in physical.CLAIM_MEASURES  # its own units
                   else unit_problem(claim.unit, money=claim.is_money, measure=claim.measure))
        if problem is not None:  # never "consistent" with a figure in another unit
            out.append(_not_comparable(claim, claim.unit, problem))
            continue
        region = None
        if claim.region and claim.region.upper() != table_region.upper():
            if claim.region.upper() not in regions:
                out.append(_not_comparable(
                    claim, claim.unit,
                    f"the claim is about {claim.region}, the model covers "
                    f"{table_region or 'another economy'} only: "
                    f"{_scope_hint(claim.region, table_region)}"))
                continue
            region = claim.region
        if claim.measure in physical.CLAIM_MEASURES:  # answered by the physical account
            out.append(_physical_claim(claim, result))
            continue
        investments = claim.investments
        if all_investments and set(investments) >= all_investments:
            investments = ()  # the claim covers every investment: the whole scenario
        fig = figures_of(claim.measure, tuple(investments), region)
        if result.is_provincial:  # a provincial run: say which geography the figure covers
            where_ = (f"effects in {region}" if region is not None
                      else "Korea as a whole (the provinces + the rest of Korea)")
            fig = dataclasses.replace(fig, scope=f"{fig.scope}, {where_}")
        alt = None
        other = {"output": "value_added", "value_added": "output"}.get(claim.measure)
        if other is not None and other in result.measures:
            alt = (other, figures_of(other, tuple(investments), region))
        leakage = leakage_of(claim.measure, tuple(investments))
        note = ""
        scale = claim.scale
        if claim.is_money:
            try:
                per_unit, note = convert_money(claim)
            except ImpactsimError as exc:
                out.append(_not_comparable(claim, claim.unit, str(exc)))
                continue

            def conv(v: float, _f: float = per_unit * scale) -> float:
                return v / _f
        else:
            def conv(v: float, _f: float = scale) -> float:
                return v / _f

        out.append(compare_claim(claim, fig, to_claim_units=conv, tolerance=tolerance,
                                 currency_note=note, alt=alt, leakage=leakage))
    return out


def _physical_claim(claim: Claim, result: ScenarioResult) -> ClaimComparison:
    """A claim about electricity, peak, emissions, water or renewable purchase
    (:func:`impactsim.scenario.energy.claim_figures`)."""
    found = physical.claim_figures(claim, result.energy, result.scenario)
    if isinstance(found, str):
        return _not_comparable(claim, claim.unit, found)
    _, lo, mid, hi, basis = found
    verdict = _verdict(claim.low, claim.high, lo, hi)
    ratio = claim.mid / mid if mid else math.nan
    return ClaimComparison(claim=claim, model_low=lo, model_mid=mid, model_high=hi,
                           unit=claim.unit, ratio=ratio, verdict=verdict, basis=basis)


def _scope_hint(region: str, table_region: str) -> str:
    """Why a claim about ``region`` cannot be read off a result covering ``table_region``."""
    try:
        province = province_name(region)
    except ImpactsimError:
        return "different economies"
    return (f"{province} is a Korean province; place the investment there (`region: "
            f"{province}`) for a provincial run, which reports the {province} figure")


def _result_regions(result: ScenarioResult) -> set[str]:
    """Regions of the result: where effects happen (multi-region) and where spending is."""
    spending = {str(r).upper() for r in result.columns["region"].unique()}
    return spending | {str(r).upper() for r in result.regions}


def _default_money(result: ScenarioResult) -> Callable[[Claim], tuple[float, str]]:
    """Table units per one claim-currency unit, with the scenario's money conversion."""
    meta = result.table
    scenario = result.scenario
    settings = scenario.money

    def convert(claim: Claim) -> tuple[float, str]:
        cur = (claim.currency or scenario.currency or meta.currency).upper()
        year = claim.year or scenario.price_year or meta.price_year
        if year is None:
            raise ClaimError(f"claim {claim.id}: no price year; fix: state the claim's year")
        same_as_scenario = cur == scenario.currency.upper()
        try:
            conv = money.conversion(
                cur, int(year), table_currency=meta.currency, table_price_year=meta.price_year,
                table_region=meta.region, unit=meta.unit,
                # a claim's money is economy-wide: by-category spending indices do not apply
                price_index=settings.price_index if settings.price_index != "by-category"
                else "gdp-deflator",
                exchange_rate_value=settings.exchange_rate
                if same_as_scenario else None,
                price_factor_value=settings.price_factor
                if same_as_scenario and int(year) == scenario.price_year
                else None,
            )
        except ImpactsimError as exc:
            raise ClaimError(f"claim {claim.id}: {exc}") from None
        return conv.factor, f"claim money converted: {conv.describe()}"

    return convert


def comparisons_frame(comparisons: Sequence[ClaimComparison]) -> pd.DataFrame:
    """One row per claim: claimed and modelled values, ratio, verdict and explanations (text)."""
    rows = []
    for c in comparisons:
        rec = c.to_dict()
        rec["explanations"] = "; ".join(
            f"{e['kind']}: {e['text']}" for e in rec["explanations"]
        )
        rows.append(rec)
    cols = ["claim", "text", "measure", "phase", "claimed_low", "claimed", "claimed_high", "unit",
            "model_low", "model", "model_high", "ratio", "verdict", "basis", "explanations",
            "note", "source", "reading", "reading_label"]
    return pd.DataFrame(rows, columns=cols)
