"""Build :class:`~impactsim.scenario.lines.LineEffects`: one solve per category and local-share
variant of every spending line (the formulas are in :mod:`impactsim.scenario.lines`).

For category ``c`` of a line, the demand per currency unit at weight 1 is
``u_c = ρ f s_c (b_c ∘ ℓ_c + m_c ∘ ℓ_m)`` (region share ρ, conversion factor f, category share
s_c, bridge b_c, local share ℓ_c, trade and transport margins m_c at their local shares ℓ_m)
and its effects are, per measure row ``C`` of the model::

    direct = C ∘ u,   indirect = C ∘ (L u − u),   induced = C ∘ (L̄ ū − L u)

summed over sectors; job measures are first multiplied by each year's productivity factor per
sector (as :func:`impactsim.run` does), so they carry one row per year.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..engine.measures import TOTAL_PHASES, is_jobs
from ..engine.model import LeontiefModel
from ..engine.results import headline_columns
from ..errors import ImpactsimError
from ..tables.table import EMPLOYMENT
from .appraisal import additionality, base_year_prices
from .lines import CategoryLine, LineEffects, SpendingLine
from .productivity import ProductivityPath
from .schema import AppraisalSettings, Construction, Operations, Scenario, Sustaining
from .shocks import PhasePlan, Shocks
from .sourcing_base import Sourcing

Array = NDArray[np.float64]
PhaseSpec = Construction | Operations | Sustaining


def _phase_of(scenario: Scenario, plan: PhasePlan) -> tuple[int, PhaseSpec]:
    names = [inv.name for inv in scenario.investments]
    i = names.index(plan.investment)
    inv = scenario.investments[i]
    # sustaining capex is a phase of its own, written under the operations phase
    parent = "operations" if plan.part == "sustaining" else plan.phase
    phase: PhaseSpec | None = inv.construction if parent == "construction" else inv.operations
    if plan.part == "sustaining":
        phase = phase.sustaining if isinstance(phase, Operations) else None
    if phase is None:
        raise ValueError(f"{plan.investment}: the scenario has no {plan.phase} ({plan.part}) "
                         "phase for this plan")
    return i, phase


def _variants(sourcing: Sourcing, plan: PhasePlan, phase: PhaseSpec,
              c: int) -> tuple[str, float | None, dict[str, Array]]:
    """(local kind, stated share, variant → domestic demand per unit of the category).

    On a single-region or two-region table a stated local share ``ℓ`` multiplies the bridge
    (``b ∘ ℓ``), so "one" is the bridge itself; the trade and transport margins on goods
    (``m ∘ ℓ_m``, their own local shares) are in every variant. On a multi-region table ``ℓ``
    moves the bridge between regions (affinely), so both ends are sourced again.
    """
    name = plan.categories[c]
    unit = plan.unit_demand()[c]
    fixed = {"fixed": unit}
    if plan.kind == "output":
        return "fixed", None, fixed
    margin = (plan.margin_bridge[c] * plan.margin_local[c]
              if plan.margin_bridge is not None and plan.margin_local is not None
              else np.zeros_like(unit))
    pattern = phase.pattern
    cat = pattern.categories[name]
    out: dict[str, Array] = {}
    if sourcing.local_share_moves_bridge:
        try:
            for key, ell in (("zero", 0.0), ("one", 1.0)):
                src = sourcing.source(cat.split(plan.classification), region=plan.region,
                                      kind=pattern.kind, demand=pattern.demand,
                                      stated_local=ell)
                out[key] = src.bridge * src.local + margin
        except ImpactsimError:  # this category's share cannot be set on this table
            return "fixed", None, fixed
    else:
        out["one"] = plan.bridge[c] + margin
        out["zero"] = margin
    # "zero" stays even without margins: what a zero local share imports is the spending itself
    out = {k: v for k, v in out.items() if k in ("one", "zero") or np.any(v)}
    if name in phase.local_share:
        return "stated", float(phase.local_share[name].value), out
    if cat.local_share is not None:
        return "stated", float(cat.local_share.value), out
    out["table"] = unit
    return "table", None, out


def _layers(model: LeontiefModel, demand: Array, *, induced: bool) -> Array:
    """(columns, effects, measures, sectors) of unit demand columns (n × k)."""
    c = model.measure_coefficients
    x_open = model.solve(demand)
    layers = [c[:, :, None] * demand[None], c[:, :, None] * (x_open - demand)[None]]
    if induced:
        x_closed = model.solve(demand, induced=True)
        layers.append(c[:, :, None] * (x_closed - x_open)[None])
    return np.stack(layers).transpose(3, 0, 1, 2)


def build_line_effects(scenario: Scenario, sourcing: Sourcing, shocks: Shocks,
                       model: LeontiefModel, path: ProductivityPath, *,
                       induced: bool) -> LineEffects:
    """The :class:`LineEffects` of a scenario on the model :func:`impactsim.run` solves
    (``path``: the run's productivity path; ``induced``: whether the run is Type II)."""
    measures = tuple(model.measures)
    order = tuple(headline_columns(measures))
    order = order + tuple(m for m in measures if m not in order)
    jobs_m = tuple(m for m in order if is_jobs(m))  # persons (measure registry)
    flat_m = tuple(m for m in order if m not in jobs_m)
    jobs_k = [measures.index(m) for m in jobs_m]
    flat_k = [measures.index(m) for m in flat_m]
    emp_k = measures.index(EMPLOYMENT) if EMPLOYMENT in measures else None
    # one demand column per (plan, category, variant)
    specs: list[tuple[int, int, str, float | None, dict[str, Array]]] = []
    spend: dict[tuple[int, int], float] = {}  # all spending per unit, imported part included
    columns: list[Array] = []
    for p, plan in enumerate(shocks.plans):
        _, phase = _phase_of(scenario, plan)
        for c in range(len(plan.categories)):
            if plan.excluded[c] or not plan.owns(c):  # the other channel's plan carries it
                continue
            kind, stated, dem = _variants(sourcing, plan, phase, c)
            unit = plan.region_share * plan.conversion.factor * plan.category_shares[c]
            dem = {k: unit * v for k, v in dem.items()}
            margins = plan.margin_bridge[c].sum() if plan.margin_bridge is not None else 0.0
            spend[(p, c)] = unit * float(plan.bridge[c].sum() + margins)
            specs.append((p, c, kind, stated, dem))
            columns.extend(dem.values())
    n = sourcing.table.n
    demand = np.column_stack(columns) if columns else np.zeros((n, 0))
    values = _layers(model, demand, induced=induced)  # (k, e, m, n)
    lines: dict[int, list[CategoryLine]] = {}
    col = 0
    site_sectors = _site_sectors(shocks, specs)
    for p, c, kind, stated, dem in specs:
        plan = shocks.plans[p]
        factor = (path.for_years([int(y) for y in plan.years])[0] if path.applied
                  else np.ones((len(plan.years), n)))
        site = plan.kind == "output" or bool(plan.site is not None and plan.site[c])
        sj = site_sectors.get(p)
        flat, jobs, own, site_dem = {}, {}, {}, {}
        for key, d in dem.items():
            v = values[col]
            col += 1
            flat[key] = v[:, flat_k, :].sum(axis=2)
            if "imports" in flat_m:  # total leakage: the imported spending itself, direct row
                flat[key][0, flat_m.index("imports")] += spend[(p, c)] - float(d.sum())
            jobs[key] = np.einsum("emn,tn->tem", v[:, jobs_k, :], factor)
            if sj is not None and emp_k is not None:
                own[key] = v[0, emp_k, sj][None, :] * factor[:, sj]
                if site:
                    site_dem[key] = d[sj]
        default = dem.get("table", dem.get("fixed"))
        if default is not None:
            bought = default
        elif stated is not None:
            bought = stated * dem["one"]
        else:
            raise ValueError(f"category {plan.categories[c]!r}: no stated or default local share")
        gross = dem.get("one", default)
        total = float(gross.sum()) if gross is not None else 0.0
        weight = plan.weights * plan.price_adjust()[c]
        lines.setdefault(p, []).append(CategoryLine(
            name=plan.categories[c], local=kind, stated_local=stated,
            default_local=float(bought.sum()) / total if total > 0 else 1.0, site=site,
            weight=weight, flat=flat, jobs=jobs, own_jobs=own, site_demand=site_dem,
        ))
    out = []
    for p, plan in enumerate(shocks.plans):
        i, _ = _phase_of(scenario, plan)
        head = np.zeros(len(plan.years), dtype=bool)
        if plan.phase in TOTAL_PHASES:
            head[:] = True
        elif len(plan.years):
            head[int(np.argmax(plan.weights))] = True
        out.append(SpendingLine(
            key=f"{i}.{plan.phase}.{plan.part}", investment=plan.investment, phase=plan.phase,
            part=plan.part, region=plan.region, amount=float(plan.amount),
            currency=plan.currency, years=tuple(int(y) for y in plan.years),
            weights=np.asarray(plan.weights, dtype=float), headline=head,
            direct_jobs=None if plan.direct_jobs is None else float(plan.direct_jobs),
            categories=tuple(lines.get(p, [])),
        ))
    st = scenario.appraisal if scenario.appraisal is not None else AppraisalSettings()
    add = additionality(st)  # stated, else the scope's sourced defaults
    base = int(st.base_year if st.base_year is not None else scenario.price_year)
    appraisal = {
        "deadweight": add["deadweight"].value,
        "displacement": add["displacement"].value,
        "discount_rate": float(st.discount_rate),
        "base_year": base,
        "timing_shift": 0.5 if st.timing == "mid-year" else 0.0,
        "pv_price_factor": base_year_prices(sourcing.table.meta, base)[0],
    }
    effects = ("direct", "indirect", "induced") if induced else ("direct", "indirect")
    return LineEffects(scenario=scenario.name, effects=effects, measures=order,
                       flat_measures=flat_m, job_measures=jobs_m, lines=tuple(out),
                       appraisal=appraisal)


def _site_sectors(shocks: Shocks, specs: list[tuple[int, int, str, float | None,
                                                    dict[str, Array]]]) -> dict[int, Array]:
    """Per line that states ``direct_jobs``: the sectors its site categories can buy from."""
    out: dict[int, set[int]] = {}
    for p, c, _kind, _stated, dem in specs:
        plan = shocks.plans[p]
        if plan.direct_jobs is None:
            continue
        site = plan.kind == "output" or bool(plan.site is not None and plan.site[c])
        found = out.setdefault(p, set())
        if site:
            for d in dem.values():
                found.update(int(j) for j in np.flatnonzero(d))
    return {p: np.array(sorted(s), dtype=int) for p, s in out.items()}
