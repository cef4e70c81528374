"""Monte Carlo draws of a scenario: its uncertainty settings become an :class:`Ensemble`.

Each investment phase's translation (:class:`impactsim.scenario.shocks.PhasePlan`) is rebuilt
per draw
from the sampled inputs, for the headline of each phase (one column per phase)::

    y_s[phase] = Σ_plans W_s · A_s · Σ_c s_c,s · ℓ_c,s · ρ f (b_c ∘ ℓ_c)      (table units)

with ``A`` the amount, ``s`` the category shares (Dirichlet), ``ℓ`` a stated local share (when it
has a range), ``ρ f b_c`` the region share × money conversion × bridge, and ``W`` the headline
weight: 1 for construction (its weights sum to 1 whatever the delay), the number of refresh
cycles for sustaining capex (its weights' sum), the largest yearly weight for operations (one
year of full operation; a fractional delay can lower it). What is sampled:

==============================  =============================================================
scenario field                  draw
==============================  =============================================================
construction.amount,            its ``range`` (triangular) or ``distribution``
operations.annual_amount
shares (pattern categories)     when any category share has a range: Dirichlet with mean = the
                                phase's shares, concentration ``uncertainty.share_concentration``
                                (else the pattern's ``share_concentration``)
local_share (stated)            its range / distribution (table-derived local shares: fixed)
delay_years                     its range / distribution (changes years, so W of operations)
direct_jobs                     its range / distribution (replaces direct employment)
model.household_leakage         its range / distribution → consumption factor (1−ℓ)/(1−ℓ₀)
uncertainty.employment_coeff…   a factor on employment (and employees) per unit of output
uncertainty.table_coefficients  relative perturbation of A (uniform ±r; normal sd r; lognormal σ r)
split sectors' technologies     with ``table_coefficients``: one factor λ per split sector of the
                                table (its splits file's ``technology.uncertainty``); the parts'
                                whole columns and measure rows move together, ``ā + λ (a_k − ā)``
==============================  =============================================================

Imports are total leakage abroad: each draw's imported part of the spending itself,
``W · A · Σ_c s_c · (1 − ℓ_c) · ρ f Σ_j b_cj`` (``(b_c ∘ (1 − ℓ_c))`` summed for table-derived
local shares), is added to the direct imports, as in the deterministic run.

Not sampled (fixed at their values): sector splits inside a category, region shares, exchange
rates and price indices. The draws are anchored on the deterministic run: a draw whose inputs
all equal their base values reports exactly the deterministic headline (any other draw is
shifted by the same rounding-level difference between the two code paths).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine.measures import PHASES as PHASE_ORDER
from ..engine.measures import REGISTRY, TOTAL_PHASES
from ..engine.model import LeontiefModel
from ..scenario import values as sv
from ..scenario.prices import headline_adjust
from ..scenario.schema import (
    Construction,
    Operations,
    Perturbation,
    Scenario,
    UncertaintySettings,
)
from ..scenario.shocks import PhasePlan, Shocks, profile_weights
from .distributions import (
    Beta,
    Dirichlet,
    Distribution,
    LogNormal,
    Normal,
    Point,
    Triangular,
    UncertaintyError,
    Uniform,
    affine,
)
from .draws import DEFAULT_QUANTILES, Draws, simulate
from .ensemble import Ensemble
from .executors import Executor
from .perturbation import CoefficientPerturbation, SplitTechnology
from .sampling import Parameter
from .sensitivity import Sensitivity

Array = NDArray[np.float64]



# ----------------------------------------------------------------------------- specs
ScenarioDistribution = sv.Uniform | sv.Triangular | sv.Normal | sv.LogNormal | sv.Beta


def to_distribution(spec: ScenarioDistribution) -> Distribution:
    """A scenario distribution (``impactsim.scenario.values``) as a sampling spec."""
    if isinstance(spec, sv.Uniform):
        return Uniform(spec.low, spec.high)
    if isinstance(spec, sv.Triangular):
        return Triangular(spec.low, spec.mode, spec.high)
    if isinstance(spec, sv.Normal):
        return Normal(spec.mean, spec.sd, spec.low, spec.high)
    if isinstance(spec, sv.LogNormal):
        return LogNormal(spec.median, spec.sigma)
    if isinstance(spec, sv.Beta):
        return Beta(spec.alpha, spec.beta, spec.low, spec.high)
    raise UncertaintyError(f"unknown scenario distribution {spec!r}")


def uncertain_parameter(name: str, value: sv.Uncertain, label: str) -> Parameter:
    """A parameter from a scenario ``Uncertain`` value: base = its value, spread = its spec."""
    spec = value.spec()
    dist = Point(float(value.value)) if spec is None else to_distribution(spec)
    return Parameter(name, dist, base=float(value.value), label=label)


def coefficient_perturbation(setting: Perturbation | None) -> CoefficientPerturbation | None:
    """``uncertainty.table_coefficients`` → factor ``1 + ε``: uniform ±r, normal sd r (clipped
    at 0), lognormal median 1 and σ = r."""
    if setting is None:
        return None
    r = float(setting.relative)
    if setting.distribution == "uniform":
        return CoefficientPerturbation(Uniform(1.0 - r, 1.0 + r))
    if setting.distribution == "normal":
        return CoefficientPerturbation(Normal(1.0, r))
    return CoefficientPerturbation(LogNormal(1.0, r))


def table_perturbation(
    model: LeontiefModel, setting: Perturbation | None
) -> CoefficientPerturbation | SplitTechnology | None:
    """The table's uncertainty when ``uncertainty.table_coefficients`` is set: its cell noise
    and, on a table with split sectors of their own technology, one factor per split moving the
    parts' whole columns (:class:`SplitTechnology`); None without the setting."""
    cells = coefficient_perturbation(setting)
    if setting is None:
        return None
    return SplitTechnology.from_model(model, inner=cells) or cells


# ----------------------------------------------------------------------------- demand
@dataclass(frozen=True, eq=False)
class PlanDraw:
    """One phase plan as sampled terms (see the module docstring)."""

    column: int
    vectors: Array  # (categories, n): ρ f (b_c ∘ ℓ_c), or ρ f b_c when ℓ_c is sampled
    active: tuple[int, ...]  # categories with demand
    amount: str
    shares: str | None
    base_shares: Array
    local: tuple[str | None, ...]
    weights: Array  # yearly weights before any delay
    headline: str  # "sum" (construction) or "max" (operations)
    delay: str | None
    base_delay: float
    direct_jobs: str | None
    region_share: float
    #: categories whose direct jobs ``direct_jobs`` replace (None: every category)
    site: tuple[int, ...] | None = None
    #: per category: imported spending per unit of amount × share (× (1 − ℓ) when ℓ is sampled)
    imported: Array | None = None
    #: (categories, n): domestic margins per unit of spending (ρ f m_c ∘ ℓ_m), not scaled by a
    #: sampled local share (trade and transport on imported goods are bought at home too)
    fixed: Array | None = None
    #: per category: imported margins per unit of amount × share (not scaled by a sampled ℓ)
    imported_fixed: Array | None = None

    def weight(self, values: Mapping[str, Array], size: int) -> Array:
        """Headline weight ``W`` per draw (b,)."""
        if self.headline == "sum":
            return np.full(size, float(self.weights.sum()))
        d = values[self.delay] if self.delay else np.full(size, self.base_delay)
        frac = d - np.floor(d)
        w = self.weights
        shifted = (1.0 - frac)[:, np.newaxis] * np.append(w, 0.0) + frac[:, np.newaxis] * np.insert(
            w, 0, 0.0
        )
        out = shifted.max(axis=1)
        whole = frac == 0
        out[whole] = float(w.max())
        return out

    def part(
        self, values: Mapping[str, Array], size: int, *, only: tuple[int, ...] | None = None
    ) -> tuple[Array, Array]:
        """(demand (b, n), W (b,)) of this plan for ``size`` draws (``only``: these
        categories)."""
        amount = values[self.amount]
        shares = values[self.shares] if self.shares else None
        w = self.weight(values, size)
        out = np.zeros((size, self.vectors.shape[1]))
        for c in self.active:
            if only is not None and c not in only:
                continue
            s = shares[:, c] if shares is not None else self.base_shares[c]
            f = amount * s
            if self.fixed is not None:
                out += (f * w)[:, np.newaxis] * self.fixed[c]
            local = self.local[c]
            if local is not None:
                f = f * values[local]
            out += (f * w)[:, np.newaxis] * self.vectors[c]
        return out, w

    def imported_value(self, values: Mapping[str, Array], size: int) -> Array:
        """The imported part of this plan's spending itself per draw (b,), table units."""
        out = np.zeros(size)
        if self.imported is None:
            return out
        amount = values[self.amount]
        shares = values[self.shares] if self.shares else None
        w = self.weight(values, size)
        for c in self.active:
            s = shares[:, c] if shares is not None else self.base_shares[c]
            goods = amount * s * w * self.imported[c]
            local = self.local[c]
            if local is not None:
                goods = goods * (1.0 - values[local])
            out += goods
            if self.imported_fixed is not None:  # imported trade and transport margins
                out += amount * s * w * self.imported_fixed[c]
        return out


@dataclass(frozen=True, eq=False)
class ScenarioDemand:
    """Headline demand per phase of a scenario, rebuilt per draw (a DemandModel)."""

    columns: tuple[str, ...]
    plans: tuple[PlanDraw, ...]
    n: int
    #: add each draw's imported spending to the direct effect on ``imports``
    imports: bool = False

    def build(self, values: Mapping[str, Array], size: int) -> Array:
        out = np.zeros((size, len(self.columns), self.n))
        for plan in self.plans:
            part, _ = plan.part(values, size)
            out[:, plan.column] += part
        return out

    def direct_overrides(
        self, values: Mapping[str, Array], size: int
    ) -> list[tuple[int, str, Array, Array]] | None:
        """Stated direct jobs replace the table's direct employment of their plans; the imported
        spending of each plan is added to its direct imports (it replaces no demand)."""
        out = []
        for plan in self.plans:
            if self.imports and plan.imported is not None:
                out.append((plan.column, "imports", plan.imported_value(values, size),
                            np.zeros((size, self.n))))
            if plan.direct_jobs is None:
                continue
            part, w = plan.part(values, size, only=plan.site)
            jobs = values[plan.direct_jobs] * plan.region_share * w
            out.append((plan.column, "employment", jobs, part))
        return out or None


# ----------------------------------------------------------------------------- building
def _phase_objects(scenario: Scenario) -> dict[tuple[str, str], Any]:
    # Any: the ensemble reads each phase's fields by ``plan.phase`` / ``plan.part`` (construction,
    # operations or its sustaining capex), a dispatch on strings the checker cannot follow.
    return {(inv.name, name): ph for _, inv, name, ph in scenario.phases()}


def parent_name(plan: PhasePlan) -> str:
    """The scenario phase a plan belongs to (sustaining capex belongs to operations)."""
    return "operations" if plan.part == "sustaining" else plan.phase


def _base_weights(phase: Construction | Operations) -> Array:
    if isinstance(phase, Construction):
        _, w = profile_weights(phase.profile, *phase.period)
        return np.asarray(w, dtype=float)
    years = range(phase.period[0], phase.period[1] + 1)
    return np.array([float(phase.ramp.get(int(y), 1.0)) for y in years])


def scenario_ensemble(
    scenario: Scenario, model: LeontiefModel, shocks: Shocks, *, induced: bool,
    multiregional: bool = False,
    employment_spread: tuple[float, float] | None = None,
) -> Ensemble:
    """The :class:`Ensemble` of a scenario on ``model`` from its translated ``shocks``.

    Stated local shares are sampled on single-region tables only (``multiregional`` sources
    spending by trade shares, where a local share is part of the bridge).
    ``employment_spread`` = (low, high) of the productivity path relative to its central value
    (scenario/productivity.py): when given, the employment factor is triangular (low, 1, high),
    centred on the path, in place of ``uncertainty.employment_coefficients``.
    """
    settings = scenario.uncertainty or UncertaintySettings()
    phases = tuple(p for p in PHASE_ORDER if any(pl.phase == p for pl in shocks.plans))
    objects = _phase_objects(scenario)
    params: dict[str, Parameter] = {}
    plans: list[PlanDraw] = []
    for plan in shocks.plans:
        sustaining = getattr(plan, "part", "main") == "sustaining"
        phase = objects[(plan.investment, "operations" if sustaining else plan.phase)]
        key = f"{plan.investment}/{plan.phase}"
        title = f"{plan.investment} {plan.phase}"
        parent = phase
        if sustaining:  # sustaining capex of operations: its refresh schedule (a total)
            phase = parent.sustaining
            title = f"{title} capex"
            base_weights = np.asarray(plan.weights, dtype=float)
        else:
            base_weights = _base_weights(phase)
        amount_value = phase.annual_amount if plan.phase == "operations" and phase is parent \
            else phase.amount
        amount = f"{key}/amount"
        params.setdefault(amount, uncertain_parameter(amount, amount_value, f"{title}: amount"))
        cats = plan.categories
        base_shares = np.asarray(plan.category_shares, dtype=float)
        conc = settings.share_concentration or phase.pattern.share_concentration
        shares: str | None = None
        dist = Dirichlet(tuple(base_shares / base_shares.sum()), conc, tuple(cats))
        stated = [phase.shares.get(c) or phase.pattern.categories[c].share for c in cats]
        if not (dist.degenerate or all(v.is_certain for v in stated)):
            shares = f"{key}/shares"
            params.setdefault(
                shares, Parameter(shares, dist, base=base_shares, label=f"{title} shares")
            )
        scale = plan.region_share * plan.conversion.factor
        vectors = np.zeros((len(cats), model.table.n))
        imported = np.zeros(len(cats))
        local: list[str | None] = []
        for c, cname in enumerate(cats):
            stated_local = (phase.local_share.get(cname)
                            or phase.pattern.categories[cname].local_share)  # fmt: skip
            if stated_local is not None and not stated_local.is_certain and not multiregional:
                name = f"{key}/local/{cname}"
                params.setdefault(
                    name, uncertain_parameter(name, stated_local, f"{title} local share: {cname}")
                )
                local.append(name)
                vectors[c] = scale * plan.bridge[c]
                imported[c] = scale * plan.bridge[c].sum()
            else:
                local.append(None)
                vectors[c] = scale * (plan.bridge[c] * plan.local[c])
                imported[c] = scale * (plan.bridge[c] * (1.0 - plan.local[c])).sum()
        fixed = None
        imported_fixed = None
        if plan.margin_bridge is not None and plan.margin_local is not None:  # trade margins
            fixed = scale * (plan.margin_bridge * plan.margin_local)
            imported_fixed = scale * (plan.margin_bridge * (1.0 - plan.margin_local)).sum(axis=1)
        adjust = headline_adjust(plan.prices, plan.weights, plan.phase)
        if adjust is not None:  # each category's price index and years (scenario/prices.py)
            vectors *= adjust[:, np.newaxis]
            imported *= adjust
            if fixed is not None:
                fixed = fixed * adjust[:, np.newaxis]
            if imported_fixed is not None:
                imported_fixed = imported_fixed * adjust
        delay = None
        base_delay = 0.0
        delay_value = parent.delay_years
        if delay_value is not None:
            base_delay = float(delay_value.value)
            if not delay_value.is_certain:
                delay = f"{plan.investment}/{parent_name(plan)}/delay"
                params.setdefault(
                    delay, uncertain_parameter(delay, delay_value, f"{title}: delay (years)")
                )
        jobs = None
        if plan.direct_jobs is not None and phase.direct_jobs is not None:
            jobs = f"{key}/direct_jobs"
            params.setdefault(
                jobs, uncertain_parameter(jobs, phase.direct_jobs, f"{title}: direct jobs")
            )
        plans.append(
            PlanDraw(
                column=phases.index(plan.phase),
                vectors=vectors,
                active=tuple(int(c) for c in np.flatnonzero(
                    np.abs(vectors).sum(axis=1) + np.abs(imported)
                    + (0.0 if fixed is None else np.abs(fixed).sum(axis=1))
                    + (0.0 if imported_fixed is None else np.abs(imported_fixed)))),
                amount=amount,
                shares=shares,
                base_shares=base_shares,
                local=tuple(local),
                weights=base_weights,
                headline="sum" if plan.phase in TOTAL_PHASES else "max",
                delay=delay,
                base_delay=base_delay,
                direct_jobs=jobs,
                region_share=plan.region_share,
                site=None if plan.kind == "output" or plan.site is None
                else tuple(int(c) for c in np.flatnonzero(plan.site)),
                imported=imported,
                fixed=fixed,
                imported_fixed=imported_fixed,
            )
        )
    factors: dict[str, str] = {}
    emp = settings.employment_coefficients
    spread = (employment_spread if employment_spread is not None
              and employment_spread[0] < employment_spread[1] else None)  # fmt: skip
    emp_dist: Distribution | None = None
    if spread is not None:
        emp_dist = Triangular(min(spread[0], 1.0), 1.0, max(spread[1], 1.0))
        label = "employment per unit of output (BOK productivity path, low–high)"
    elif emp is not None:
        emp_dist = to_distribution(emp)
        label = "employment per unit of output (factor)"
    if emp_dist is not None:
        name = "employment_coefficients"
        params[name] = Parameter(name, emp_dist, base=1.0, label=label)
        factors = {m: name for m in model.measures if REGISTRY.get_or_physical(m).is_jobs}
    closure = None
    leak = scenario.model.household_leakage
    leak_spec = leak.spec()
    if induced and leak_spec is not None:
        l0 = float(leak.value)
        closure = "household_consumption"
        params[closure] = Parameter(
            closure,
            affine(to_distribution(leak_spec), 1.0 / (1.0 - l0), -1.0 / (1.0 - l0)),
            base=1.0,
            label="household leakage (as consumption factor (1−ℓ)/(1−ℓ₀))",
        )
    demand = ScenarioDemand(phases, tuple(plans), model.table.n,
                            imports="imports" in model.measures)
    return Ensemble.from_model(
        model,
        demand,
        tuple(params.values()),
        perturbation=table_perturbation(model, settings.table_coefficients),
        measure_factors=factors,
        closure_scale=closure,
        induced=induced,
    )


# ----------------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class ScenarioDraws:
    """Monte Carlo draws of a scenario's headline, phase by phase.

    ``draws`` (:class:`Draws`, columns = phases) anchored on the deterministic headline;
    ``quantile_levels`` from the scenario (default P5 / P50 / P95).
    """

    draws: Draws
    quantile_levels: tuple[float, ...] = DEFAULT_QUANTILES
    #: Factor and unit of each money measure when presented in other money (:meth:`scaled`).
    money_factors: Mapping[str, float] = field(default_factory=dict)
    money_units: Mapping[str, str] = field(default_factory=dict)
    #: (deterministic headline, ensemble base), each (phases, effects, measures): the anchor
    #: that puts the sensitivity base on the stated case (:meth:`sensitivity`).
    anchor: tuple[Array, Array] | None = None

    def scaled(self, factors: Mapping[str, float], units: Mapping[str, str]) -> ScenarioDraws:
        """The same draws with money measures multiplied by ``factors`` (a positive factor per
        measure: quantiles, swings and sector quantiles scale with it) and labelled ``units``
        (for results presented in another currency or price year)."""
        k = np.ones(len(self.draws.measures))
        for m, f in factors.items():
            if m in self.draws.measures:
                k[self.draws.measures.index(m)] = float(f)
        totals = self.draws.totals * k
        totals.flags.writeable = False
        merged = {m: float(f) * self.money_factors.get(m, 1.0) for m, f in factors.items()}
        return replace(self, draws=replace(self.draws, totals=totals), money_factors=merged,
                       money_units={**self.money_units, **units})

    def _relabel(self, frame: pd.DataFrame) -> pd.DataFrame:
        if self.money_units and "units" in frame.attrs:
            frame.attrs["units"] = {m: self.money_units.get(m, u)
                                    for m, u in frame.attrs["units"].items()}
        return frame

    @property
    def n_draws(self) -> int:
        return self.draws.n_draws

    @property
    def measures(self) -> tuple[str, ...]:
        """The measures drawn: the model's (imports as total leakage; its parts are not)."""
        return tuple(self.draws.measures)

    @property
    def seed(self) -> int:
        return self.draws.seed

    @property
    def phases(self) -> tuple[str, ...]:
        return tuple(self.draws.columns)

    def quantiles(
        self, phase: str | None = None, *, q: Sequence[float] | None = None
    ) -> pd.DataFrame:
        """Headline quantiles: rows (phase, effect) — or effect, given ``phase`` — and columns
        (measure, ``P5`` …) in headline order; ``attrs``: units, draws, seed."""
        levels = self.quantile_levels if q is None else tuple(q)
        single = phase is None and len(self.phases) == 1
        out = self.draws.summary(self.phases[0] if single else phase, q=levels)
        attrs = dict(out.attrs)  # units, draws, seed: the same for every phase
        if single:
            out = pd.concat([out], keys=[self.phases[0]], names=["phase"])
        elif phase is None:
            out.index = out.index.set_names(["phase", "effect"])
        out.attrs.update(attrs)
        return self._relabel(out)

    def tidy(self, q: Sequence[float] | None = None) -> pd.DataFrame:
        """Long quantiles: phase, effect, measure, quantile, level, value, unit."""
        frame = self.draws.quantiles(self.quantile_levels if q is None else q)
        return frame.rename(columns={"column": "phase"})

    def sensitivity(
        self, measure: str = "employment", *, phase: str = "construction", effect: str = "total"
    ) -> Sensitivity:
        """Swings and variance shares of one headline cell (see :meth:`Draws.sensitivity`).

        The base is the stated case, the headline's central estimate: the ensemble's base
        (every input at its base value, jobs at the table's productivity) is anchored on the
        deterministic run as the draws are (jobs by the ratio of the two, money shifted by
        their difference), and the swings' low / high with it."""
        sens = self.draws.sensitivity(measure, column=phase, effect=effect)
        if self.anchor is not None:
            det, base = (self._cell(a, measure, phase, effect) for a in self.anchor)
            swings = sens.swings.copy()
            cols = ["low", "high"]
            if REGISTRY.get_or_physical(measure).is_jobs:
                r = det / base if base else 1.0
                swings[cols] = swings[cols] * r
            else:
                swings[cols] = swings[cols] + (det - base)
            swings["swing"] = (swings["high"] - swings["low"]).abs()
            sens = replace(sens, base=det, swings=swings)
        f = self.money_factors.get(measure)
        if f is None:
            return sens
        swings = sens.swings.copy()
        swings[["low", "high", "swing"]] = swings[["low", "high", "swing"]] * f
        return replace(sens, base=sens.base * f, swings=swings,
                       unit=self.money_units.get(measure, sens.unit))

    def _cell(self, arr: Array, measure: str, phase: str, effect: str) -> float:
        c = self.phases.index(phase)
        k = self.draws.measures.index(measure)
        row = arr[c, :, k]
        return float(row.sum() if effect == "total" else row[self.draws.effects.index(effect)])

    @property
    def has_sectors(self) -> bool:
        """Whether each draw's demand and output by sector were kept (``keep_sectors=True``)."""
        return self.draws.sectors is not None

    def by_sector(
        self, measure: str = "employment", *, phase: str, effect: str = "total",
        q: Sequence[float] | None = None,
    ) -> pd.DataFrame:
        """Quantiles of one measure by sector over the draws for a phase's headline: rows
        sectors (largest median first), columns ``P5`` … (the scenario's levels unless ``q``).

        Needs the draws run with ``keep_sectors=True`` (memory ``3 × draws × phases × sectors ×
        8`` bytes, e.g. 16 MB for 2,000 draws × 2 phases × 167 sectors). Sector values are the
        coefficients × sampled output by sector, not anchored on the deterministic run (the
        anchoring shift is a rounding-level amount) and without stated ``direct_jobs``.
        """
        levels = self.quantile_levels if q is None else tuple(q)
        out = self.draws.by_sector(measure, column=phase, effect=effect, q=levels)
        f = self.money_factors.get(measure)
        if f is not None:
            out = out * f
            out.attrs["unit"] = self.money_units.get(measure, "")
        return out

    def values(self, measure: str, *, phase: str, effect: str = "total") -> Array:
        """The draws (d,) of one headline cell."""
        return self.draws.values(measure, column=phase, effect=effect)


def run_draws(
    scenario: Scenario,
    model: LeontiefModel,
    shocks: Shocks,
    deterministic: Callable[[str], Array],
    *,
    induced: bool,
    multiregional: bool = False,
    draws: int | None = None,
    seed: int | None = None,
    executor: Executor | str | None = None,
    progress: Callable[[int, int], None] | None = None,
    employment_spread: tuple[float, float] | None = None,
    keep_sectors: bool = False,
) -> ScenarioDraws | None:
    """Draws of a scenario (None when it has no uncertainty settings and ``draws`` is None).

    ``deterministic(phase)`` gives the deterministic headline totals (effects × measures) of a
    phase; draws whose inputs equal the base values report them exactly. ``draws`` / ``seed``
    override the scenario's ``uncertainty.draws`` / ``seed``.
    """
    settings = scenario.uncertainty
    if settings is None:
        if draws is None:
            return None
        settings = UncertaintySettings()
        scenario = scenario.model_copy(update={"uncertainty": settings})
    n = settings.draws if draws is None else draws
    s = settings.seed if seed is None else seed
    ens = scenario_ensemble(scenario, model, shocks, induced=induced, multiregional=multiregional,
                            employment_spread=employment_spread)
    result = simulate(ens, draws=n, seed=s, executor=executor, progress=progress,
                      keep_sectors=keep_sectors)
    base = ens.deterministic()
    det = np.stack([deterministic(ph) for ph in ens.columns])
    if det.shape != base.shape:  # pragma: no cover - both follow the model's effects/measures
        raise UncertaintyError("deterministic headline and draws disagree in shape")
    # Jobs are anchored by ratio (the deterministic run is at each year's productivity, the
    # ensemble at the table's): a draw's jobs are scaled by det / base; money is shifted.
    jobs = np.array([REGISTRY.get_or_physical(m).is_jobs for m in model.measures])
    scale = np.divide(det, base, out=np.ones_like(det), where=base != 0)
    anchored = np.where(jobs, result.totals * scale, result.totals + (det - base))
    tot = np.where(result.totals == base, det, anchored)
    tot.flags.writeable = False
    return ScenarioDraws(replace(result, totals=tot), tuple(settings.quantiles),
                         anchor=(det, base))
