"""Effects per spending line: what each category of each investment phase adds to the headline.

Input-output effects are linear in final demand, and a scenario's demand is a sum over spending
lines (investment × phase × part × region) and their categories ``c``
(:mod:`impactsim.scenario.shocks`)::

    y_c(t) = A · u_c(ℓ_c) · g_c(t),   u_c(ℓ) = ρ f s_c (b_c ∘ ℓ + m_c ∘ ℓ_m)  (per currency unit)

with ``A`` the stated amount (currency), ``g_c(t) = w_t · p_c(t)`` the year's weight times the
category's price adjustment, ``ℓ_c`` the local share and ``m_c ∘ ℓ_m`` the trade and
transport margins on the category's goods (bought at their own local shares, whatever ``ℓ_c``).
The effects of ``u_c`` are computed once (one solve per category and local-share variant);
every headline then follows without a solve::

    effect(t) = Σ_c A · g_c(t) · E_c(ℓ_c),      E_c(ℓ) = (1 − ℓ) E_c⁰ + ℓ E_c¹

``E_c¹`` (everything bought at home) and ``E_c⁰`` (nothing; zero on a single-region table, the
other regions' supply on a multi-region one) are exact because a stated local share enters the
demand affinely; the table's own product-by-product shares (no share stated) are a third
variant ``E_cᵗ``. Money (and other non-job) measures carry one (effects × measures) block per
category; job measures one per year, because jobs are counted at each year's productivity
(a factor per sector and year, :mod:`impactsim.scenario.productivity`).

Two parts are not a plain sum and are applied after it, exactly as :func:`impactsim.run` does:
an operations line that states ``direct_jobs`` replaces the table's direct jobs in its site
sectors (the sectors where the site categories buy; a sector is a site sector while its site
demand is positive) with ``direct_jobs × w_t``; and the appraisal's net and present values are
``gross × (1 − deadweight)(1 − displacement)`` and ``Σ_t v_t (1 + r)^{−(t − t₀)}``, computed
from the per-year totals. Monte Carlo draws are not part of this: they need a run.

:func:`evaluate` recombines the parts for any amounts, local shares, deadweight, displacement and
discount rate; :func:`scenario_data_with` writes the same settings into a scenario mapping, so
``run(Scenario.from_dict(scenario_data_with(data, s)))`` is the run the evaluation equals.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..engine.measures import PHASES

Array = NDArray[np.float64]

#: Local-share variants of a category: nothing bought at home, everything, the table's shares,
#: or fixed (an output change, or a category whose share cannot be set).
VARIANTS = ("zero", "one", "table", "fixed")
#: Appraisal measures the recombination reproduces (:mod:`impactsim.scenario.appraisal`).
LINE_APPRAISAL = ("jobs_type1", "jobs_type2", "value_added_type1", "value_added")
#: Appraisal scopes, as in :mod:`impactsim.scenario.appraisal`.
SCOPES = (*PHASES, "whole")


@dataclass(frozen=True, eq=False)
class CategoryLine:
    """One category of a spending line: its effects per currency unit at weight 1.

    ``flat[v]``: (effects, measures not counted at each year's productivity); ``jobs[v]``:
    (years, effects, job measures), at each year's productivity; ``own_jobs[v]``: (years, site
    sectors) the direct jobs in the line's site sectors; ``site_demand[v]``: (site sectors,)
    demand there (site categories
    only); ``weight``: ``g_c(t) = w_t p_c(t)`` per year. Variants missing from a mapping are
    zero. ``local``: ``stated`` (the scenario gives the share), ``table`` (the table's shares by
    product) or ``fixed``; ``default_local`` the share bought at home at the default, as one
    number (demand-weighted over the category's products).
    """

    name: str
    local: str
    stated_local: float | None
    default_local: float
    site: bool
    weight: Array
    flat: Mapping[str, Array]
    jobs: Mapping[str, Array]
    own_jobs: Mapping[str, Array] = field(default_factory=dict)
    site_demand: Mapping[str, Array] = field(default_factory=dict)

    @property
    def adjustable(self) -> bool:
        """Whether the local share can be set (a spending category that is not fixed)."""
        return self.local != "fixed"


@dataclass(frozen=True, eq=False)
class SpendingLine:
    """One investment phase part in one region (a :class:`~impactsim.scenario.shocks.PhasePlan`).

    ``key`` names the line for settings (``"<investment index>.<phase>.<part>"``; shared by the
    regions of one investment phase, whose amount is one); ``headline[t]`` marks the years of
    the phase's headline (every construction year; the year of full operation).
    """

    key: str
    investment: str
    phase: str
    part: str
    region: str
    amount: float
    currency: str
    years: tuple[int, ...]
    weights: Array
    headline: Array
    direct_jobs: float | None
    categories: tuple[CategoryLine, ...]


@dataclass(frozen=True, eq=False)
class LineEffects:
    """The per-line effects of a scenario (module docstring): enough to recompute its headline
    and appraisal for other amounts, local shares, deadweight, displacement and discount rate.

    ``measures`` in headline order, ``flat_measures`` / ``job_measures`` the two kinds (index
    into the arrays of :class:`CategoryLine`), ``effects`` direct / indirect [/ induced];
    ``appraisal`` the scenario's deadweight, displacement, discount rate and base year.
    """

    scenario: str
    effects: tuple[str, ...]
    measures: tuple[str, ...]
    flat_measures: tuple[str, ...]
    job_measures: tuple[str, ...]
    lines: tuple[SpendingLine, ...]
    appraisal: Mapping[str, float]
    employment: str = "employment"

    def keys(self) -> list[str]:
        """The line keys, in file order, without repeats."""
        return list(dict.fromkeys(ln.key for ln in self.lines))

    def stated_amounts(self) -> dict[str, float]:
        """Stated amount of each line key (currency units; per year for operations)."""
        return {ln.key: ln.amount for ln in self.lines}

    def to_dict(self) -> dict[str, Any]:
        """Plain lists and numbers (JSON): the data a browser needs to run :func:`evaluate`."""
        def arr(a: Array) -> Any:
            return np.asarray(a, dtype=float).tolist()

        return {
            "scenario": self.scenario,
            "effects": list(self.effects),
            "measures": list(self.measures),
            "flat_measures": list(self.flat_measures),
            "job_measures": list(self.job_measures),
            "employment": self.employment,
            "appraisal": dict(self.appraisal),
            "lines": [
                {
                    "key": ln.key, "investment": ln.investment, "phase": ln.phase,
                    "part": ln.part, "region": ln.region, "amount": ln.amount,
                    "currency": ln.currency, "years": list(ln.years),
                    "weights": arr(ln.weights), "headline": [bool(h) for h in ln.headline],
                    "direct_jobs": ln.direct_jobs,
                    "categories": [
                        {
                            "name": c.name, "local": c.local, "stated_local": c.stated_local,
                            "default_local": c.default_local, "site": c.site,
                            "weight": arr(c.weight),
                            "flat": {k: arr(v) for k, v in c.flat.items()},
                            "jobs": {k: arr(v) for k, v in c.jobs.items()},
                            "own_jobs": {k: arr(v) for k, v in c.own_jobs.items()},
                            "site_demand": {k: arr(v) for k, v in c.site_demand.items()},
                        }
                        for c in ln.categories
                    ],
                }
                for ln in self.lines
            ],
        }


@dataclass(frozen=True)
class LineSettings:
    """Explorer settings: amounts by line key, local shares by (line key, category), and the
    appraisal's deadweight, displacement and discount rate (None: the scenario's)."""

    amounts: Mapping[str, float] = field(default_factory=dict)
    local: Mapping[tuple[str, str], float] = field(default_factory=dict)
    deadweight: float | None = None
    displacement: float | None = None
    discount_rate: float | None = None


@dataclass(frozen=True, eq=False)
class LineEvaluation:
    """A recombined headline: ``headline[phase]`` (effects + total, measures) as
    :meth:`ScenarioResult.summary`; ``appraisal[(scope, measure)]`` = (gross, net, gross_pv,
    net_pv) as :meth:`Appraisal.summary` (PV NaN for jobs)."""

    effects: tuple[str, ...]
    measures: tuple[str, ...]
    headline: Mapping[str, Array]
    appraisal: Mapping[tuple[str, str], tuple[float, float, float, float]]


def _mix(cat: CategoryLine, table: Mapping[str, Array], share: float | None) -> Array | None:
    """The category's array of one kind at local share ``share`` (None: the default)."""
    if not table:
        return None
    if cat.local == "fixed":
        return table.get("fixed")
    if share is None and cat.local == "table":
        return table.get("table")
    ell = cat.stated_local if share is None else share
    if ell is None:
        raise ValueError(f"category {cat.name!r}: local={cat.local!r} has no stated share")
    one, zero = table.get("one"), table.get("zero")
    base = one if one is not None else zero
    if base is None:
        return None
    out = np.zeros_like(base)
    if zero is not None:
        out = out + (1.0 - ell) * zero
    if one is not None:
        out = out + ell * one
    return out


def line_values(line: SpendingLine, le: LineEffects, settings: LineSettings) -> Array:
    """(years, effects, measures) of one line at ``settings`` (measures as ``le.measures``)."""
    amount = float(settings.amounts.get(line.key, line.amount))
    t_n, e_n = len(line.years), len(le.effects)
    out = np.zeros((t_n, e_n, len(le.measures)))
    mi = [le.measures.index(m) for m in le.flat_measures]
    ji = [le.measures.index(m) for m in le.job_measures]
    site_total: Array | None = None
    own_sum = np.zeros(0)
    for cat in line.categories:
        share = settings.local.get((line.key, cat.name))
        g = amount * cat.weight  # (T,)
        flat = _mix(cat, cat.flat, share)
        if flat is not None:
            out[:, :, mi] += g[:, None, None] * flat[None, :, :]
        jobs = _mix(cat, cat.jobs, share)
        if jobs is not None:
            out[:, :, ji] += g[:, None, None] * jobs
        own = _mix(cat, cat.own_jobs, share)
        if own is not None:
            own_sum = own_sum + g[:, None] * own if own_sum.size else g[:, None] * own
        dem = _mix(cat, cat.site_demand, share) if cat.site else None
        if dem is not None:
            site_total = amount * dem if site_total is None else site_total + amount * dem
    if line.direct_jobs is not None and le.employment in le.measures:
        k = le.measures.index(le.employment)
        d = le.effects.index("direct")
        if site_total is not None and own_sum.size:
            mask = site_total > 0
            out[:, d, k] -= own_sum[:, mask].sum(axis=1)
        if site_total is not None and site_total.sum() > 0:
            out[:, d, k] += line.direct_jobs * line.weights
    return out


def evaluate(le: LineEffects, settings: LineSettings | None = None) -> LineEvaluation:
    """Headline by phase and appraisal of :class:`LineEffects` at ``settings`` (module
    docstring); equals :func:`impactsim.run` of :func:`scenario_data_with` to rounding."""
    st = settings or LineSettings()
    e_n, m_n = len(le.effects), len(le.measures)
    head: dict[str, Array] = {}
    per_year: dict[tuple[str, int], Array] = {}
    for line in le.lines:
        vals = line_values(line, le, st)
        sel = np.asarray(line.headline, dtype=bool)
        block = head.setdefault(line.phase, np.zeros((e_n, m_n)))
        block += vals[sel].sum(axis=0)
        for t, y in enumerate(line.years):
            key = (line.phase, int(y))
            per_year[key] = per_year.get(key, np.zeros((e_n, m_n))) + vals[t]
    headline = {ph: np.vstack([b, b.sum(axis=0, keepdims=True)]) for ph, b in head.items()}
    return LineEvaluation(le.effects, le.measures, headline,
                          _appraisal(le, per_year, st))


def _appraisal(le: LineEffects, per_year: Mapping[tuple[str, int], Array],
               st: LineSettings) -> dict[tuple[str, str], tuple[float, float, float, float]]:
    a = le.appraisal
    dead = a["deadweight"] if st.deadweight is None else st.deadweight
    disp = a["displacement"] if st.displacement is None else st.displacement
    rate = a["discount_rate"] if st.discount_rate is None else st.discount_rate
    nf = (1.0 - dead) * (1.0 - disp)
    type1 = [i for i, e in enumerate(le.effects) if e in ("direct", "indirect")]
    cols = {"jobs": le.employment, "value_added": "value_added"}
    out: dict[tuple[str, str], tuple[float, float, float, float]] = {}
    present = {phase for phase, _ in per_year}
    for scope in [s for s in SCOPES if s == "whole" or s in present]:  # as the appraisal's rows
        sums = {m: [0.0, 0.0] for m in LINE_APPRAISAL}  # gross, gross pv
        for (phase, year), v in per_year.items():
            if scope != "whole" and phase != scope:
                continue
            disc = (1.0 + rate) ** -float(year - a["base_year"] - a.get("timing_shift", 0.0))
            disc *= a.get("pv_price_factor", 1.0)  # constant prices of the base year
            for m in LINE_APPRAISAL:
                kind, t1 = ("jobs" if m.startswith("jobs") else "value_added"), m.endswith("1")
                if cols[kind] not in le.measures:
                    continue
                k = le.measures.index(cols[kind])
                g = float(v[type1, k].sum() if t1 else v[:, k].sum())
                sums[m][0] += g
                sums[m][1] += g * disc
        for m in LINE_APPRAISAL:
            gross, pv = sums[m]
            money = m.startswith("value")
            out[(scope, m)] = (gross, gross * nf, pv if money else float("nan"),
                               pv * nf if money else float("nan"))
    return out


# ----------------------------------------------------------------------------- scenario files
def _phase_node(inv: dict[str, Any], phase: str, part: str) -> dict[str, Any] | None:
    node = inv.get("operations" if part == "sustaining" else phase)  # written under operations
    if not isinstance(node, dict):
        return None
    if part == "sustaining":
        node = node.get("sustaining")
    return node if isinstance(node, dict) else None


def _set_value(node: dict[str, Any], key: str, value: float) -> None:
    """Set an uncertain value: a plain number stays one; a mapping keeps its other fields, and
    its range or distribution when the new value still lies inside it."""
    old = node.get(key)
    if not isinstance(old, dict):
        node[key] = value
        return
    lo_hi = old.get("range")
    dist = old.get("distribution")
    inside = True
    if isinstance(lo_hi, list | tuple) and len(lo_hi) == 2:
        inside = float(lo_hi[0]) <= value <= float(lo_hi[1])
    if isinstance(dist, dict) and ("low" in dist or "high" in dist or "mode" in dist):
        inside = inside and dist.get("mode", value) == value and (
            float(dist.get("low", value)) <= value <= float(dist.get("high", value)))
    if value != old.get("value") and not inside:
        old.pop("range", None)
        old.pop("distribution", None)
    old["value"] = value


def scenario_data_with(data: Mapping[str, Any], settings: LineSettings) -> dict[str, Any]:
    """A copy of a scenario mapping (as read from YAML) with ``settings`` written into it:
    amounts (``amount`` / ``annual_amount`` / ``sustaining.amount``), ``local_share`` entries,
    and ``appraisal:`` deadweight, displacement and discount rate. A changed value drops a
    range or distribution that no longer contains it."""
    out = copy.deepcopy(dict(data))
    invs = out.get("investments") or []
    for key, amount in settings.amounts.items():
        i, phase, part = key.split(".")
        node = _phase_node(invs[int(i)], phase, part)
        if node is not None:
            field_ = "annual_amount" if phase == "operations" and part == "main" else "amount"
            _set_value(node, field_, float(amount))
    for (key, cat), share in settings.local.items():
        i, phase, part = key.split(".")
        node = _phase_node(invs[int(i)], phase, part)
        if node is not None:
            ls = node.setdefault("local_share", {})
            _set_value(ls, cat, float(share))
    if any(v is not None for v in (settings.deadweight, settings.displacement,
                                   settings.discount_rate)):
        ap = out.setdefault("appraisal", {}) or {}
        out["appraisal"] = ap
        if settings.deadweight is not None:
            _set_value(ap, "deadweight", float(settings.deadweight))
        if settings.displacement is not None:
            _set_value(ap, "displacement", float(settings.displacement))
        if settings.discount_rate is not None:
            ap["discount_rate"] = float(settings.discount_rate)
    return out
