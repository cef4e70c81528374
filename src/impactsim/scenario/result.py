"""ScenarioResult: the immutable result of running a scenario, per phase, year and sector.

``values[c, e, k, j]`` is effect ``e`` (direct, indirect[, induced]) on measure ``k`` (output,
value_added, income, imports, employment, …) in sector ``j`` for shock column ``c`` (one
investment × phase × year × region, see ``shocks.columns``). Money is in table units at the
table's price year; employment in the table's unit (persons, FTE for korea-2020).

Headline conventions (IMPLAN / JEDI practice): construction effects are summed over the
construction years (employment in job-years); operations effects are for one year of full
operation (employment in jobs per year) — for each investment its year with the largest
operations weight, summed over investments. The two are never added together. What each
measure is (unit, kind, label, how it adds up over years) comes from the measure registry
(:mod:`impactsim.engine.measures`, :attr:`ScenarioResult.registry`); ``imports`` is total
leakage abroad with its three parts (``imports_spending``, ``imports_intermediate``,
``imports_induced``) as measures beside it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine.measures import (
    EMPLOYEES,
    IMPORT_PARTS,
    PHASE_AGGREGATION,
    PHASES,
    REGISTRY,
    TOTAL_PHASES,
    MeasureRegistry,
    format_value,
    jobs_basis,
)
from ..engine.model import LeontiefModel
from ..engine.results import headline_columns
from ..errors import OptionError
from ..tables.checksum import table_checksum
from ..tables.table import EMPLOYMENT, TableMeta
from .energy import PhysicalAccount
from .productivity import ProductivityPath
from .regional_split import regional_decomposition as _regional_decomposition
from .regional_split import regional_split as _regional_split
from .result_view import DrawsView, SensitivityView
from .schema import AppraisalSettings, Scenario
from .shocks import Shocks
from .sourcing_base import Sourcing
from .tidy import tidy_frame

if TYPE_CHECKING:
    from ..regional.decomposition import SpilloverDecomposition
    from .appraisal import Appraisal

Array = NDArray[np.float64]

#: The phases of an investment, in the order every table shows them.
PHASE_ORDER = PHASES
#: The effects of a run, in display order (``total`` is their sum).
EFFECT_ORDER = ("direct", "indirect", "induced", "total")


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """Effects of a scenario by shock column, effect, measure and sector (read-only).

    ``scenario`` is the validated :class:`~impactsim.Scenario`; ``table`` the metadata of the
    table the model solved (after regionalisation); ``shocks`` the demand that was solved (with
    its audit trail); ``sourcing`` the strategy that placed the spending (national, provincial
    or multi-region); ``draws`` the Monte Carlo draws, None for a deterministic run.

    Every presenter (terminal, files, report, charts, claims) reads results through the methods
    below: :meth:`summary` / :meth:`headline` by phase, :meth:`cumulative`, :meth:`by_sector` /
    :meth:`top_sectors`, :meth:`by_year`, :meth:`by_region`, :meth:`quantiles` /
    :meth:`headline_quantiles`, :meth:`sensitivity`; units in :attr:`units` and
    :meth:`units_for`, the basis of each phase in :meth:`basis`. Also :meth:`sector_quantiles`
    (with ``keep_sectors=True``), :meth:`value_added_split`, :meth:`spillovers` (multi-region)
    and :meth:`in_money` (the result in another currency / price year).
    """

    scenario: Scenario
    table: TableMeta
    shocks: Shocks
    values: Array
    effects: tuple[str, ...]
    measures: tuple[str, ...]
    sectors: pd.Index
    units: Mapping[str, str]
    induced: bool
    sector_info: pd.DataFrame | None = field(default=None, repr=False)
    draws: DrawsView | None = None
    sourcing: Sourcing | None = field(default=None, repr=False)
    productivity: ProductivityPath | None = field(default=None, repr=False)
    #: One-line notes on what the run did not do (e.g. draws a provincial run skips).
    notes: tuple[str, ...] = ()
    #: The sites' physical account (:class:`impactsim.scenario.energy.PhysicalAccount`; None
    #: when no investment states ``capacity:``).
    energy: PhysicalAccount | None = field(default=None, repr=False)
    #: The model the run solved (its factorization reused by the claims' leakage readings);
    #: None for a result built by hand.
    model: LeontiefModel | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.values.flags.writeable = False

    # ------------------------------------------------------------------ structure
    @property
    def columns(self) -> pd.DataFrame:
        """The shock columns: investment, phase, year, region (one row per ``values[c]``)."""
        return self.shocks.columns

    @property
    def phases(self) -> tuple[str, ...]:
        """Phases present, construction first."""
        present = set(self.columns["phase"])
        return tuple(p for p in PHASE_ORDER if p in present)

    @property
    def sector_names(self) -> dict[str, str]:
        """Sector code → English name (empty when the table has no ``name_en``)."""
        info = self.sector_info
        if info is None or "name_en" not in info.columns:
            return {}
        out: dict[str, str] = {}
        for k, v in info["name_en"].items():
            if isinstance(k, tuple):  # multi-region (region, sector): by "region sector" and code
                out[" ".join(map(str, k))] = str(v)
                out.setdefault(str(k[-1]), str(v))
            else:
                out[str(k)] = str(v)
        return out

    @property
    def is_multiregional(self) -> bool:
        """Whether effects are by (region, sector) on a multi-region table (Type I only)."""
        return bool(self.sourcing is not None and self.sourcing.multiregional)

    @property
    def regions(self) -> tuple[str, ...]:
        """Regions where effects happen: the table's regions, the province, or the nation."""
        if self.sourcing is not None:
            return self.sourcing.regions
        return (str(self.table.region or ""),)

    @property
    def sourcing_note(self) -> str | None:
        """A line on how the table was changed for this scenario (e.g. regionalised), or None."""
        return None if self.sourcing is None else self.sourcing.note

    @functools.cached_property
    def table_checksum(self) -> str | None:
        """SHA-256 of the numbers and labels of the table this result was solved on."""
        return None if self.sourcing is None else table_checksum(self.sourcing.table)

    @property
    def lead_measure(self) -> str:
        """The measure sectors and years are ranked by: employment, or value added when the
        table has no employment account (e.g. the world table)."""
        return EMPLOYMENT if EMPLOYMENT in self.measures else "value_added"

    @property
    def n_draws(self) -> int:
        """Number of Monte Carlo draws behind the result (0 for a deterministic run)."""
        return 0 if self.draws is None else int(self.draws.n_draws)

    @property
    def seed(self) -> int | None:
        """The seed the draws used (recorded even when the scenario gave none), or None."""
        return None if self.draws is None else int(self.draws.seed)

    @functools.cached_property
    def registry(self) -> MeasureRegistry:
        """The measures of this result (:mod:`impactsim.engine.measures`): the core ones plus
        the table's satellites with their units (``TableMeta.satellite_units``)."""
        meta = self.table
        extra = {m: (meta.employment_unit if m == EMPLOYMENT else
                     meta.satellite_units.get(m, "")) for m in self.measures
                 if m not in REGISTRY or m in (EMPLOYMENT, EMPLOYEES)}
        return REGISTRY.with_satellites(extra)

    def units_for(self, phase: str | None = None) -> dict[str, str]:
        """Unit of each measure (:meth:`Measure.unit_for`): money in the result's money unit;
        with ``phase`` persons say job-years (construction) or jobs per year (operations),
        money and physical quantities say "per year" for operations."""
        reg, money = self.registry, self.table.money_unit
        return {m: reg.get_or_physical(m).unit_for(money_unit=money, phase=phase)
                for m in self.measures}

    @property
    def money_factor(self) -> float:
        """Result money units per table unit: 1, or the factor of :meth:`in_money`."""
        note = dict(self.table.provenance).get("presented_in")
        return float(note["factor"]) if isinstance(note, dict) and "factor" in note else 1.0

    def _phase_or_first(self, phase: str | None) -> str:
        """``phase``, or the first phase present (an error when the result has none)."""
        if phase:
            return phase
        if not self.phases:
            raise OptionError("the result has no phases; run a scenario with investments")
        return self.phases[0]

    def _check(self, *, measure: str | None = None, phase: str | None = None) -> None:
        if measure is not None and measure not in self.measures:
            raise OptionError(
                f"measure={measure!r}: unknown measure; use one of {list(self.measures)}"
            )
        if phase is not None and phase not in self.phases:
            raise OptionError(
                f"phase={phase!r}: not in this result; use one of {list(self.phases)}"
            )

    def _headline_columns(self, phase: str) -> list[int]:
        """Columns forming a phase's headline: all construction years; for operations, each
        plan's year with the largest weight (full operation)."""
        cols: list[int] = []
        for plan, idx in zip(self.shocks.plans, self.shocks.plan_columns, strict=True):
            if plan.phase != phase or not idx:
                continue
            if phase in TOTAL_PHASES:
                cols.extend(idx)
            else:
                cols.append(idx[int(np.argmax(plan.weights))])
        return cols

    def phase_basis(self, phase: str) -> str:
        """Short basis of a phase's headline ("job-years, total over the construction years",
        "jobs per year of full operation"; without jobs the aggregation alone)."""
        agg = PHASE_AGGREGATION.get(phase, "")
        if self.lead_measure != EMPLOYMENT or not agg:
            return agg
        basis = jobs_basis(phase)
        return f"{basis}, {agg}" if basis == "job-years" else f"jobs {agg}"

    def basis(self, phase: str) -> str:
        """How a phase's headline adds up, with its years (one line for captions)."""
        return self._basis(phase)

    def _basis(self, phase: str) -> str:
        years = self.columns.loc[self.columns["phase"] == phase, "year"]
        span = f"{int(years.min())}–{int(years.max())}" if len(years) else "no years"
        if phase == "construction":
            return (
                f"total over the construction years {span}: employment in job-years, "
                "money summed"
            )
        if phase in TOTAL_PHASES:
            return (
                f"sustaining capex (equipment refresh), total over the years of operation "
                f"{span}: employment in job-years, money summed"
            )
        return (
            f"one year at full operation (operations modelled {span}): employment in jobs, "
            "money per year"
        )

    def phase_totals(self, phase: str) -> Array:
        """Headline totals of one phase, shape (effects, measures), summed over sectors."""
        self._check(phase=phase)
        cols = self._headline_columns(phase)
        return self.values[cols].sum(axis=(0, 3))

    # ------------------------------------------------------------------ views
    def summary(self, phase: str | None = None) -> pd.DataFrame:
        """Headline table: rows (phase, effect) with effect in direct / indirect / [induced] /
        total; columns employment, income, value_added, output, imports (+ other satellites).

        Construction is the total over its years (job-years), operations one year of full
        operation (jobs per year); never added. With ``phase`` the rows are effects only.

        Units are not part of the frame: read them from :meth:`units_for` (``attrs`` carries a
        copy, which pandas operations may drop): money in the table's money unit at its price
        year, employment in the table's employment unit.
        """
        self._check(phase=phase)
        key = ("summary", phase)
        if key not in self._memo:  # read by every presenter: built once, handed out as copies
            self._memo[key] = self._summary(phase)
        return self._memo[key].copy()

    def _summary(self, phase: str | None) -> pd.DataFrame:
        phases = self.phases if phase is None else (phase,)
        cols = headline_columns(self.measures)
        order = [self.measures.index(m) for m in cols]
        blocks = []
        for ph in phases:
            tot = self.phase_totals(ph)
            blocks.append(np.vstack([tot, tot.sum(axis=0, keepdims=True)])[:, order])
        effects = [*self.effects, "total"]
        data = np.vstack(blocks) if blocks else np.zeros((0, len(cols)))
        if phase is None:
            index = pd.MultiIndex.from_product([list(phases), effects], names=["phase", "effect"])
        else:
            index = pd.Index(effects, name="effect")
        frame = pd.DataFrame(data, index=index, columns=pd.Index(cols))
        frame.attrs["units"] = {m: self.units[m] for m in cols}
        frame.attrs["basis"] = (
            {ph: self._basis(ph) for ph in phases} if phase is None else self._basis(phase)
        )
        frame.attrs["employment_unit"] = {ph: jobs_basis(ph) for ph in phases}
        frame.attrs["table"] = self.table.name
        return frame

    def headline(self, phase: str) -> pd.DataFrame:
        """One phase's headline: rows direct / indirect / [induced] / total, columns measures in
        headline order (employment, income, value added, output, imports, others)."""
        frame = self.summary(phase=phase)
        frame.index.name = "effect"
        return frame

    def cumulative(self) -> pd.DataFrame:
        """The whole scenario over its modelled years: rows effects + total, columns measures;
        employment in job-years (construction years plus each modelled year of operation),
        money summed over the years. :meth:`cumulative_basis` states the years."""
        per = self.values.sum(axis=(0, 3))  # (effects, measures)
        cols = headline_columns(self.measures)
        order = [self.measures.index(m) for m in cols]
        data = np.vstack([per, per.sum(axis=0, keepdims=True)])[:, order]
        return pd.DataFrame(data, index=pd.Index([*self.effects, "total"], name="effect"),
                            columns=pd.Index(cols))

    def cumulative_basis(self) -> str:
        """One line: the years :meth:`cumulative` adds up."""
        years = self.columns["year"]
        span = f"{int(years.min())}–{int(years.max())}" if len(years) else "no years"
        jobs = "employment in job-years, " if EMPLOYMENT in self.measures else ""
        return f"cumulative over the modelled years {span}: {jobs}money summed over the years"

    def _draws(self) -> DrawsView:
        if self.draws is None:
            raise OptionError(
                "this result has no Monte Carlo draws; run with draws=N (or give the scenario "
                "an `uncertainty:` section)"
            )
        return self.draws

    def quantiles(
        self, phase: str | None = None, *, q: tuple[float, ...] | None = None
    ) -> pd.DataFrame:
        """Headline quantiles of the draws: rows (phase, effect) — or effect, given ``phase`` —
        columns (measure, ``P5``/``P50``/``P95``); levels from the scenario unless ``q``."""
        self._check(phase=phase)
        key = ("quantiles", phase, None if q is None else tuple(q))
        if key not in self._memo:  # the draws are immutable: summarised once per result
            self._memo[key] = self._draws().quantiles(phase, q=q)
        return self._memo[key].copy()

    def sensitivity(
        self, measure: str = "employment", *, phase: str = "construction", effect: str = "total"
    ) -> SensitivityView:
        """One-at-a-time swings (tornado data, ``.plot_tornado()``) and variance shares of one
        headline cell across the uncertain inputs (docs/uncertainty.md)."""
        self._check(measure=measure, phase=phase)
        return self._draws().sensitivity(measure, phase=phase, effect=effect)

    def sector_quantiles(
        self, measure: str = "employment", phase: str | None = None, *, effect: str = "total",
        q: tuple[float, ...] | None = None,
    ) -> pd.DataFrame:
        """Quantiles of ``measure`` by sector over the draws, on a phase's headline basis: rows
        sectors (largest median first), columns ``P5`` / ``P50`` / ``P95`` (the scenario's
        levels unless ``q``). Needs ``ims.run(..., keep_sectors=True)``."""
        phase = self._phase_or_first(phase)
        self._check(measure=measure, phase=phase)
        mc = self._draws()
        if not getattr(mc, "has_sectors", False):
            raise OptionError(
                "sector quantiles need the draws by sector; run with keep_sectors=True "
                "(ims.run(..., keep_sectors=True); CLI: --with sector-quantiles)"
            )
        return mc.by_sector(measure, phase=phase, effect=effect, q=q)

    def in_money(self, currency: str | None = None, price_year: int | None = None
                 ) -> ScenarioResult:
        """The result with money in ``currency`` at ``price_year`` prices — by default the
        announcement's (the scenario's currency and price year) — converted with the shipped
        exchange rates and the table economy's GDP deflator; jobs unchanged; captions state the
        new money (:func:`impactsim.scenario.money_view.in_money`)."""
        from .money_view import in_money

        return in_money(self, currency, price_year)

    def value_added_split(self, phase: str | None = None) -> pd.DataFrame:
        """Value added by component of the table (compensation, operating surplus, consumption
        of fixed capital, net taxes on production …): rows (phase, effect) or effect, columns
        components summing to the ``value_added`` measure."""
        if phase is not None:
            self._check(phase=phase)
        from .money_view import value_added_split

        return value_added_split(self, phase)

    def spillovers(self, phase: str | None = None, *, measure: str | None = None
                   ) -> pd.DataFrame:
        """Intra-regional / feedback / spillover split of a phase's direct + indirect effects on
        a multi-region table (rows parts + total, columns measures; with ``measure``: rows
        regions, columns parts + total) — :mod:`impactsim.scenario.spillovers`."""
        phase = self._phase_or_first(phase)
        self._check(phase=phase, measure=measure)
        from .spillovers import spillover_decomposition, spillovers

        if phase not in self._spillover_memo:  # one decomposition per phase, for every view
            self._spillover_memo[phase] = spillover_decomposition(self, phase)
        return spillovers(self, phase, measure=measure,
                          decomposition=self._spillover_memo[phase])

    def headline_quantiles(self, phase: str) -> pd.DataFrame | None:
        """Quantiles of a phase's total effect over the draws: rows P5 / P50 / P95 (the
        scenario's levels), columns measures in headline order; None without draws."""
        if self.n_draws < 2:
            return None
        key = ("headline_quantiles", phase)
        if key not in self._memo:
            frame = self.quantiles(phase=phase)
            total = frame.loc["total"] if "total" in frame.index else frame.iloc[-1]
            out = total.unstack(level=0)
            out = out[headline_columns(tuple(out.columns))].astype(float)
            out.index.name = "quantile"
            out.columns.name = None
            self._memo[key] = out
        return self._memo[key].copy()

    @functools.cached_property
    def _memo(self) -> dict[tuple[object, ...], pd.DataFrame]:
        """Frames computed once per (immutable) result: headline summaries and quantile
        summaries of the draws (callers get copies)."""
        return {}

    @functools.cached_property
    def _spillover_memo(self) -> dict[str, SpilloverDecomposition]:
        """The spillover decomposition of each phase (immutable), computed once."""
        return {}

    def by_sector(self, measure: str = "employment", phase: str | None = None) -> pd.DataFrame:
        """One measure by sector (rows) and effect (columns + ``total``), largest |total| first,
        on the phase's headline basis (``phase`` defaults to the first phase present)."""
        phase = self._phase_or_first(phase)
        self._check(measure=measure, phase=phase)
        k = self.measures.index(measure)
        cols = self._headline_columns(phase)
        data = self.values[cols, :, k, :].sum(axis=0).T
        frame = pd.DataFrame(data, index=self.sectors.copy(), columns=list(self.effects))
        frame.index.name = "sector"
        frame["total"] = frame.sum(axis=1)
        frame = frame.sort_values("total", ascending=False, key=np.abs)
        frame.attrs["unit"] = self.units[measure]
        frame.attrs["basis"] = self._basis(phase)
        return frame

    def top_sectors(
        self, measure: str = "employment", phase: str | None = None, *, n: int = 8
    ) -> pd.DataFrame:
        """The ``n`` sectors with the largest |total| effect on ``measure`` in ``phase``:
        columns name (English, where the table has names), effects, total and share of the
        phase total; labels of a multi-region result read "region sector"."""
        frame = self.by_sector(measure=measure, phase=phase)
        grand = float(frame["total"].sum())
        frame = frame.head(n).copy()
        frame["share"] = frame["total"] / grand if grand else np.nan
        names = self.sector_names
        if self.is_multiregional:
            labels = [" ".join(map(str, ix)) for ix in frame.index]
            found = [names.get(str(ix[-1]), "") for ix in frame.index]
        else:
            labels = [str(s) for s in frame.index]
            found = [names.get(s, "") for s in labels]
        frame.index = pd.Index(labels, name="sector")
        frame.insert(0, "name", found)
        return frame

    def by_region(self, measure: str = "value_added", phase: str | None = None) -> pd.DataFrame:
        """Effects by the region where they happen (rows) × effects + ``total``, for one measure
        on the phase's headline basis; a multi-region result only."""
        if not self.is_multiregional:
            raise OptionError(
                "by_region(): the result was not computed on a multi-region table; use "
                "by_sector() or run the scenario on a multi-region table"
            )
        by = self.by_sector(measure=measure, phase=phase)
        frame = by.groupby(level=0, sort=False).sum()
        frame.index.name = "region"
        frame = frame.sort_values("total", ascending=False, key=np.abs)
        frame.attrs.update(by.attrs)
        return frame

    @property
    def is_provincial(self) -> bool:
        """Whether the scenario ran on two-region (province + rest of Korea) models."""
        return bool(self.sourcing is not None and self.sourcing.province_blocks())

    def regional_split(
        self, measure: str = "employment", phase: str | None = None
    ) -> pd.DataFrame:
        """Per spending province: effects in the province / the rest of Korea / Korea and the
        share of spending that stays in the province, spills to the rest of Korea and leaks
        abroad (provincial runs only; :func:`impactsim.scenario.regional_split.regional_split`).
        """
        return _regional_split(self, measure, phase)

    def regional_decomposition(
        self, measure: str = "output", phase: str | None = None
    ) -> pd.DataFrame:
        """Type I effects of each province's spending: intra-regional / feedback (in the
        province) / spillover (rest of Korea), Miller & Blair ch. 3 (provincial runs only)."""
        return _regional_decomposition(self, measure, phase)

    def by_year(self, measure: str = "employment", phase: str | None = None) -> pd.DataFrame:
        """One measure by year: rows (phase, year) — or year, given ``phase`` — and columns
        effects + ``total``, summed over sectors, investments and regions. A construction value
        is the jobs in that year; an operations value the jobs in that year of operation."""
        self._check(measure=measure, phase=phase)
        k = self.measures.index(measure)
        cols = self.columns
        per_col = self.values[:, :, k, :].sum(axis=2)  # (columns, effects)
        frame = pd.DataFrame(per_col, columns=list(self.effects))
        frame["phase"] = cols["phase"].to_numpy()
        frame["year"] = cols["year"].to_numpy()
        if phase is not None:
            frame = frame[frame["phase"] == phase]
        out = frame.groupby(["phase", "year"], sort=False)[list(self.effects)].sum()
        out = out.reindex(sorted(out.index, key=lambda t: (PHASE_ORDER.index(t[0]), t[1])))
        out["total"] = out.sum(axis=1)
        if phase is not None:
            out = out.droplevel("phase")
        out.attrs["unit"] = self.units[measure]
        return out

    def tidy(self) -> pd.DataFrame:
        """:meth:`to_frame`, computed once per result and shared (do not modify it)."""
        return self._tidy

    @functools.cached_property
    def _tidy(self) -> pd.DataFrame:
        return self.to_frame()

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: investment, phase, year, region, sector, effect, measure, value, unit
        (one row per shock column × effect × measure × sector; no 'total' rows).

        The label columns (investment, phase, region, sector, effect, measure, unit and, on a
        multi-region result, spending_region) are pandas ``category`` columns whose categories
        are the labels in sorted order (a provincial result has close to a million rows: a
        column of strings would hold each label once per row); ``year`` is an integer,
        ``value`` a float column. Values compare, filter and group as text does
        (``tidy["measure"] == "employment"``); ``.astype(str)`` gives plain text.
        """
        return tidy_frame(self.values, self.columns, self.sectors, effects=self.effects,
                          measures=self.measures, units=self.units,
                          multiregional=self.is_multiregional)

    def appraisal(self, settings: AppraisalSettings | None = None) -> Appraisal:
        """Net and present values, GNI, tax revenue and headcount of this result
        (:func:`impactsim.scenario.appraisal.appraise`; ``settings`` default to the scenario's
        ``appraisal:`` section)."""
        from .appraisal import appraise

        return appraise(self, settings)

    # ------------------------------------------------------------------ display
    def caption(self) -> str:
        """One line: scenario, table, money unit and price year, jobs unit, Type I or II."""
        return self._caption()

    def _caption(self) -> str:
        t = self.table
        name = getattr(self.scenario, "name", "") or "scenario"
        kind = "Type II (households closed)" if self.induced else "Type I"
        return (
            f"Scenario {name} on table {t.name} ({t.region or 'no region'}, {t.year}); money in "
            f"{t.money_unit} at {t.price_year} prices; jobs in {t.employment_unit or 'persons'}; "
            f"{kind}; {self.productivity_basis}; central values: {self.central_statistic}"
        )

    # ------------------------------------------------------------------ honesty
    @property
    def productivity_basis(self) -> str:
        """One line: at which productivity jobs are counted (scenario/productivity.py)."""
        if self.productivity is None:
            return f"jobs at {self.table.year} productivity"
        return str(self.productivity.basis)

    @property
    def central_statistic(self) -> str:
        """What the headline's central value is: the *stated case* (every input at its stated
        value — the floor of "more than", the mode of a range), not the mean or P50 of the
        draws; with draws, :meth:`central_vs_p50` says how far P50 lies from it."""
        if self.n_draws > 1:
            return "stated case (inputs at their stated values; P50 of the draws shown apart)"
        return "stated case (inputs at their stated values)"

    def central_line(self) -> str:
        """One line naming the central estimate, per phase, with the P50 of the draws beside it:
        "central estimate = stated case …: construction 21,760 job-years (P50 of 1,000 draws
        25,164; P5–P95 19,841–33,706); operations …". The sensitivity (tornado) base is this
        same stated case."""
        m = self.lead_measure
        label = self.registry.label(m).lower()
        parts = []
        for ph in self.phases:
            head = float(self.headline(ph).loc["total", m])
            unit = jobs_basis(ph) if self.registry.get_or_physical(m).is_jobs else (
                self.units_for(ph)[m])
            text = f"{ph} {format_value(head)} {unit}"
            q = self.headline_quantiles(ph)
            if q is not None and len(q.index) >= 2:
                lo, hi = q.index[0], q.index[-1]
                mid = "P50" if "P50" in q.index else q.index[len(q.index) // 2]
                v = {ix: format_value(q.loc[ix, m]) for ix in (lo, mid, hi)}
                text += (f" (beside it: {mid} of {self.n_draws:,} draws {v[mid]}; "
                         f"{lo}–{hi} {v[lo]}–{v[hi]})")
            parts.append(text)
        what = ("stated case: every input at its stated value"
                if self.n_draws < 2 else
                "stated case: every input at its stated value (not the P50 of the draws)")
        return f"Central estimate = {what}; total {label}: " + "; ".join(parts)

    def central_vs_p50(self) -> pd.Series | None:
        """P50 of the draws over the headline (stated case) total of the lead measure, by
        phase; None without draws."""
        if self.n_draws < 2:
            return None
        out = {}
        m = self.lead_measure
        for ph in self.phases:
            q = self.headline_quantiles(ph)
            head = float(self.headline(ph).loc["total", m])
            if q is not None and "P50" in q.index and head:
                out[ph] = float(q.loc["P50", m]) / head
        return pd.Series(out, name=f"P50 / stated case ({m})")

    def leakage(self, phase: str | None = None) -> pd.DataFrame:
        """Imports (total leakage abroad) by phase on the headline basis, its three parts side
        by side: ``imports_spending`` (the imported part of the spending itself),
        ``imports_intermediate`` (imported inputs of the output it causes, direct + indirect),
        ``imports_induced`` (imported inputs of induced household spending), ``imports`` (their
        sum, the headline "Imports" total), ``spending`` (all spending bought in the economy or
        abroad, excluded categories left out) and ``share`` = imports / spending. In the
        result's money (converted with it by :meth:`in_money`); operations: the full-operation
        year."""
        self._check(phase=phase)
        key = ("leakage",)
        if key not in self._memo:  # every phase at once, once per (immutable) result
            self._memo[key] = self._leakage_frame()
        frame = self._memo[key]
        out = frame.copy() if phase is None else frame.loc[[phase]].copy()
        out.attrs["unit"] = self.table.money_unit
        return out

    def _leakage_frame(self) -> pd.DataFrame:
        """:meth:`leakage` of every phase (rows in phase order)."""
        from .money_view import spending

        spent = spending(self)
        rows = {}
        cols = [*IMPORT_PARTS, "imports"]
        for ph in self.phases:
            head = self.headline(ph).loc["total"]
            row = {c: float(head[c]) if c in head.index else 0.0 for c in cols}
            row["spending"] = spent[ph]
            row["share"] = row["imports"] / row["spending"] if row["spending"] else float("nan")
            rows[ph] = row
        frame = pd.DataFrame.from_dict(rows, orient="index",
                                       columns=[*cols, "spending", "share"])
        frame.index.name = "phase"
        frame.attrs["unit"] = self.table.money_unit
        return frame

    def __repr__(self) -> str:
        parts = [self._caption()]
        for ph in self.phases:
            parts.append(f"\n{ph}: {self._basis(ph)}")
            parts.append(_formatted(self.summary(phase=ph)).to_string())
        if self.n_draws:
            parts.append(f"\n{self.n_draws:,} Monte Carlo draws (seed {self.seed}): "
                         ".quantiles(), .sensitivity()")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        html = [f"<p><b>{self._caption()}</b></p>"]
        for ph in self.phases:
            html.append(f"<p><i>{ph}</i>: {self._basis(ph)}</p>")
            html.append(_formatted(self.summary(phase=ph)).to_html())
        if self.n_draws:
            html.append(f"<p>{self.n_draws:,} Monte Carlo draws (seed {self.seed})</p>")
        return "\n".join(html)


def _formatted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(format_value)
