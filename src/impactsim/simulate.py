"""run(scenario) → ScenarioResult: shocks solved on the Leontief model, all columns at once.

The demand matrix ``Y`` (n × k: one column per investment × phase × year × region) is solved in
one call per model (``x = L Y``, and the households-closed ``x̄`` for induced effects); no Python
loop over years. With per-unit coefficient rows ``C`` (measures × n)::

    direct   = C ∘ Y                 (the shock's own output, value added, income, jobs)
    indirect = C ∘ (L Y − Y)
    induced  = C ∘ (L̄ Ȳ − L Y)      (Type II minus Type I)

For economy totals only (e.g. many Monte Carlo draws), :func:`total_effects` uses the
multiplier matrix ``M = C L`` instead: totals = ``M Y`` with no solve at all.

Imports are total leakage abroad (:data:`impactsim.engine.measures.IMPORT_PARTS`): the imported
part of the spending itself (``PhasePlan.imported_matrix``, on the direct row) + the imported
intermediate inputs of the output it causes + those of induced household spending; the three
parts are measures of the result beside ``imports`` (:func:`~impactsim.engine.results.
with_import_parts`), and the Monte Carlo draws count the imported spending of each draw.

Operations phases that state ``direct_jobs`` replace the table's direct employment in the
operating sector (IMPLAN practice when an event gives both output and employment); indirect and
induced effects still follow the output.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from .datasets.catalog import load_table
from .engine.model import HouseholdClosure, LeontiefModel
from .engine.results import with_import_parts
from .errors import ImpactsimError, ScenarioError
from .scenario import energy as physical
from .scenario import productivity as prod
from .scenario.households import DEFAULT_CLOSURE, build_closure
from .scenario.line_parts import build_line_effects
from .scenario.lines import LineEffects
from .scenario.result import ScenarioResult
from .scenario.schema import Scenario
from .scenario.shocks import Shocks, translate
from .scenario.sourcing import PROVINCE_DRAWS_NOTE as PROVINCE_DRAWS_NOTE
from .scenario.sourcing import choose_sourcing, resolve_table
from .scenario.sourcing_base import Sourcing, table_model
from .tables.table import EMPLOYMENT, IOTable

if TYPE_CHECKING:
    from .uncertainty.executors import Executor

Array = NDArray[np.float64]


def build_model(table: IOTable, scenario: Scenario, *, induced: bool) -> LeontiefModel:
    """The model a scenario runs on: the table's Leontief model, closed with the scenario's
    household leakage (``model.household_leakage``) when induced effects are wanted.

    Models are cached per (table object, leakage), so ``(I − A)`` is factorized once per table
    (:func:`impactsim.scenario.sourcing_base.table_model`).
    """
    leak = scenario.model.household_leakage.value if induced else None
    return table_model(table, leakage=leak, basis=scenario.model.household_closure)


def scenario_model(scenario: Scenario, sourcing: Sourcing, *, induced: bool) -> LeontiefModel:
    """The model a run solves: the sourcing's model (households closed per region on a
    two-region run, economy-wide otherwise) with the scenario's household leakage and closure
    basis when induced effects are wanted."""
    leak = scenario.model.household_leakage.value if induced else None
    return sourcing.model(leakage=leak, basis=scenario.model.household_closure)


def line_effects(
    scenario: Scenario | str | Path, *, induced: bool = True, table: IOTable | None = None
) -> LineEffects:
    """Effects per spending line and category, on the model :func:`run` solves: everything
    needed to recompute the headline and appraisal for other amounts, local shares, deadweight,
    displacement and discount rate without a solve (the gallery's explorer does it in the
    browser; docs/gallery.md).

    For category ``c`` of a line (investment × phase × part × region) the demand per currency
    unit at weight 1 is ``u_c(ℓ) = ρ f s_c (b_c ∘ ℓ)`` and its effects are
    ``C ∘ u``, ``C ∘ (L u − u)``, ``C ∘ (L̄ ū − L u)`` summed over sectors (direct, indirect,
    induced); a run's effect in year ``t`` is ``Σ_c A w_t p_c(t) E_c(ℓ_c)`` with
    ``E_c(ℓ) = (1 − ℓ) E_c⁰ + ℓ E_c¹`` (:mod:`impactsim.scenario.lines`).

    Parameters
    ----------
    scenario : Scenario or path
        The scenario (deterministic: draws are not part of it).
    induced : bool
        Type II (households closed) where the sourcing allows it, as :func:`run`.
    table : IOTable, optional
        Overrides the table the scenario names.

    Returns
    -------
    LineEffects
        Money measures in table units per currency unit of the line's amount, jobs in the
        table's employment unit (at each year's productivity);
        :func:`impactsim.scenario.lines.evaluate` recombines them, equal to :func:`run` of the
        same settings to rounding.
    """
    if isinstance(scenario, str | Path):
        scenario = Scenario.from_yaml(scenario)
    sourcing = choose_sourcing(scenario, resolve_table(scenario) if table is None else table)
    induced = induced and sourcing.induced_available
    shocks = translate(scenario, sourcing=sourcing)
    model = scenario_model(scenario, sourcing, induced=induced)
    years = shocks.columns["year"].to_numpy(dtype=int)
    path = prod.productivity_path(sourcing.table, years, setting=scenario.model.productivity)
    return build_line_effects(scenario, sourcing, shocks, model, path, induced=induced)


def household_closure(
    table: IOTable, leakage: float = 0.0, *, basis: str = DEFAULT_CLOSURE
) -> HouseholdClosure:
    """The household closure with the scenario's extra ``leakage``.

    ``basis="disposable-income"`` (default): households spend, per unit of compensation,
    the table's domestic share of their consumption × (1 − employers' contribution share) ×
    (1 − income tax − employees' contributions) × (1 − saving rate) × (1 − leakage), rates from
    :mod:`impactsim.scenario.households`; tables of economies without shipped rates fall back to
    ``basis="compensation"``: ``h_c = (1 − leakage) · y_households / Σ compensation`` (the
    table's own ratio). ``h_r = compensation / x`` in both.

    Household purchases are kept as the table records them, including the few negative entries
    BOK tables carry for households' net sales of by-products and scrap (e.g. product 141); the
    engine accepts them (docs/methodology.md, household closure).
    """
    return build_closure(table, basis=basis, leakage=leakage)


def sector_effects(model: LeontiefModel, demand: Array, *, induced: bool) -> Array:
    """Effects by (column, effect, measure, sector) for a demand matrix ``Y`` (n × k).

    Two (or three) multi-right-hand-side solves for all k columns together; the layers
    ``C ∘ y``, ``C ∘ (x − y)`` (and ``C ∘ (x̄ − x)``) are written into the result a block of
    columns at a time, so the memory peak is the result itself (k × effects × m × n × 8 bytes)
    plus one block, not three times it (a scenario with thousands of investments).
    """
    y = np.asarray(demand, dtype=float)
    c = model.measure_coefficients  # (m, n)
    x_open = model.solve(y)  # (n, k)
    parts = [y, x_open - y]
    if induced:
        parts.append(model.solve(y, induced=True) - x_open)
    k = y.shape[1]
    out = np.empty((k, len(parts), c.shape[0], c.shape[1]))
    step = _BLOCK_COLUMNS
    for start in range(0, k, step):
        stop = min(start + step, k)
        for e, part in enumerate(parts):
            # (m, n, block) → (block, m, n): the same products as the whole array at once
            out[start:stop, e] = (c[:, :, None] * part[None, :, start:stop]).transpose(2, 0, 1)
    return out


#: Columns of the demand matrix turned into effects at a time by :func:`sector_effects`.
_BLOCK_COLUMNS = 256


def total_effects(model: LeontiefModel, demand: Array, *, induced: bool) -> Array:
    """Economy-wide effects by (column, effect, measure) from the multiplier matrices.

    ``direct = C Y``, ``indirect = (C L − C) Y``, ``induced = (C̄ L̄ − C L) Y``.
    """
    y = np.asarray(demand, dtype=float)
    direct = model.measure_coefficients @ y
    type1 = model.multiplier_matrix() @ y
    layers = [direct, type1 - direct]
    if induced:
        layers.append(model.multiplier_matrix(induced=True) @ y - type1)
    return np.stack(layers).transpose(2, 0, 1)


def apply_direct_jobs(values: Array, shocks: Shocks, measures: tuple[str, ...]) -> Array:
    """Replace direct employment of operations plans that state ``direct_jobs`` (in place).

    In each year the stated jobs × that year's weight replace the direct jobs of the plan's site
    sectors (every sector of an output pattern; the ``site: true`` categories of a spending
    pattern, e.g. the data centre's own staff), spread in proportion to their demand; direct
    jobs of the other purchases (electricity, repairs, ...) stay as the table gives them.
    """
    if EMPLOYMENT not in measures:
        return values
    k = measures.index(EMPLOYMENT)
    for plan, cols in zip(shocks.plans, shocks.plan_columns, strict=True):
        if plan.direct_jobs is None:
            continue
        site = plan.site_vector()
        total = site.sum()
        spread = site / total if total > 0 else np.zeros_like(site)
        own = site > 0
        for col, w in zip(cols, plan.weights, strict=True):
            values[col, 0, k, own] = 0.0
            values[col, 0, k, :] += plan.direct_jobs * w * spread
    return values


def imported_spending(shocks: Shocks) -> Array:
    """The imported part of the spending itself by shock column and product, (columns, n),
    table units (``PhasePlan.imported_matrix`` of each plan; the audit's ``imported``)."""
    out = np.zeros((len(shocks.columns), len(shocks.sectors)))
    for plan, cols in zip(shocks.plans, shocks.plan_columns, strict=True):
        if cols:
            out[list(cols)] += plan.imported_matrix().T
    return out


def run(
    scenario: Scenario | str | Path,
    *,
    draws: int | None = None,
    seed: int | None = None,
    executor: Executor | str | None = None,
    induced: bool = True,
    table: IOTable | str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    keep_sectors: bool = False,
) -> ScenarioResult:
    """Run a scenario on its table: direct, indirect and (with ``induced``) induced effects.

    ``scenario`` is a :class:`Scenario` or a path to a scenario file; ``table`` overrides the
    table it names: an :class:`IOTable`, a catalog name (``"korea-2023"``) or a table folder.
    Monte Carlo draws (``result.draws``, ``result.quantiles()``,
    ``result.sensitivity()``; docs/uncertainty.md): ``draws``/``seed`` default to the
    scenario's ``uncertainty:`` section (no draws without one); ``draws=0`` turns them off.
    ``executor``: None / ``"inprocess"`` / ``"dask"`` / an
    :mod:`impactsim.uncertainty.executors` instance;
    ``progress(done, total)`` is called as chunks of draws finish. ``keep_sectors=True`` keeps
    each draw's output by sector for :meth:`ScenarioResult.sector_quantiles` (memory
    ``3 × draws × phases × sectors × 8`` bytes: 16 MB for 2,000 draws, 2 phases, 167 sectors).
    """
    if isinstance(scenario, str | Path):
        scenario = Scenario.from_yaml(scenario)
    if draws is not None and (isinstance(draws, bool) or not isinstance(draws, int) or draws < 0):
        raise ImpactsimError(f"draws={draws!r}: give a whole number >= 0 (0 turns draws off)")
    if isinstance(table, str | Path):
        try:
            table = load_table(table)
        except ImpactsimError as exc:
            raise ScenarioError(f"table={str(table)!r}: {exc}; fix: name a table from "
                                "ims.list_tables() or give a table folder") from None
    scenario = physical.drive_bill(scenario)  # `bill: from-capacity` sites pay the physical bill
    base = resolve_table(scenario) if table is None else table
    base = physical.with_satellites(scenario, base)  # `energy: {satellites: true}`
    sourcing = choose_sourcing(scenario, base)
    table = sourcing.table
    induced = induced and sourcing.induced_available
    shocks = translate(scenario, sourcing=sourcing)
    model = scenario_model(scenario, sourcing, induced=induced)
    values = sector_effects(model, shocks.matrix, induced=induced)
    years = shocks.columns["year"].to_numpy(dtype=int)
    path = prod.productivity_path(table, years, setting=scenario.model.productivity)
    prod.apply(values, years, model.measures, path)  # jobs at each year's productivity
    apply_direct_jobs(values, shocks, model.measures)
    effects = ("direct", "indirect", "induced") if induced else ("direct", "indirect")
    values, measures = with_import_parts(values, tuple(model.measures), effects,
                                         imported_spending(shocks))
    units = {m: model.registry.get_or_physical(m).unit_for(money_unit=table.meta.money_unit)
             for m in measures}
    n_model = len(model.measures)
    result = ScenarioResult(
        scenario=scenario,
        table=table.meta,
        shocks=shocks,
        values=values,
        effects=effects,
        measures=measures,
        sectors=table.sectors,
        units=units,
        induced=induced,
        sector_info=table.sector_info,
        sourcing=sourcing,
        productivity=path,
        energy=physical.account(scenario, shocks),
        model=model,
    )
    if draws == 0 or (draws is None and scenario.uncertainty is None):
        return result
    no_draws = sourcing.draws_note(draws)  # draws this strategy cannot run: why
    if no_draws is not None:
        return replace(result, notes=(*result.notes, no_draws))
    # the Monte Carlo modules load only for a run with draws (a run without starts faster)
    from .uncertainty.energy import with_draws as energy_draws
    from .uncertainty.scenario import run_draws

    mc = run_draws(
        scenario, model, shocks, lambda ph: result.phase_totals(ph)[:, :n_model],
        induced=induced,
        multiregional=sourcing.multiregional, draws=draws, seed=seed, executor=executor,
        progress=progress, keep_sectors=keep_sectors,
        employment_spread=prod.spread(values, years, model.measures, path)
        if path.applied else None,
    )
    if mc is None:  # no uncertainty settings and no draws asked: returned above
        return result
    site_account = result.energy
    if site_account is not None:
        site_account = energy_draws(site_account, scenario, shocks, draws=mc.n_draws,
                                    seed=mc.seed)
    return replace(result, draws=mc, energy=site_account)
