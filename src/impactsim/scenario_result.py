"""ScenarioResult: the immutable result of running a scenario, per phase, year and sector.

``values[c, e, k, j]`` is effect ``e`` (direct, indirect[, induced]) on measure ``k`` (output,
value_added, income, imports, employment, …) in sector ``j`` for shock column ``c`` (one
investment × phase × year × region, see ``shocks.columns``). Money is in table units at the
table's price year; employment in the table's unit (persons, FTE for korea-2020).

Headline conventions (IMPLAN / JEDI practice): construction effects are summed over the
construction years (employment in job-years); operations effects are for one year of full
operation (employment in jobs per year) — for each investment its year with the largest
operations weight, summed over investments. The two are never added together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .errors import OptionError
from .results import headline_columns
from .shocks import Shocks
from .table import TableMeta

Array = NDArray[np.float64]

PHASE_ORDER = ("construction", "operations")
EMPLOYMENT_BASIS = {"construction": "job-years", "operations": "jobs per year"}


@dataclass(frozen=True, eq=False)
class ScenarioResult:
    """Effects of a scenario by shock column, effect, measure and sector (read-only).

    ``scenario`` is the validated :class:`~impactsim.Scenario`; ``table`` the table's metadata;
    ``shocks`` the demand that was solved (with its audit trail); ``draws`` is filled by
    uncertainty runs (issue 6) and None for a deterministic run.
    """

    scenario: Any
    table: TableMeta
    shocks: Shocks
    values: Array
    effects: tuple[str, ...]
    measures: tuple[str, ...]
    sectors: pd.Index
    units: Mapping[str, str]
    induced: bool
    sector_info: pd.DataFrame | None = field(default=None, repr=False)
    draws: Any = None

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
        return {str(k): str(v) for k, v in info["name_en"].items()}

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
            if phase == "construction":
                cols.extend(idx)
            else:
                cols.append(idx[int(np.argmax(plan.weights))])
        return cols

    def _basis(self, phase: str) -> str:
        years = self.columns.loc[self.columns["phase"] == phase, "year"]
        span = f"{int(years.min())}–{int(years.max())}" if len(years) else "no years"
        if phase == "construction":
            return (
                f"total over the construction years {span}: employment in job-years, "
                "money summed"
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
        ``attrs``: units (per measure), basis (per phase), employment_unit (per phase).
        """
        phases = self.phases if phase is None else (phase,)
        self._check(phase=phase)
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
        frame.attrs["employment_unit"] = {ph: EMPLOYMENT_BASIS[ph] for ph in phases}
        frame.attrs["table"] = self.table.name
        return frame

    # ------------------------------------------------------------------ draws (issue 6)
    def _draws(self) -> Any:
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
        return self._draws().quantiles(phase, q=q)

    def sensitivity(
        self, measure: str = "employment", *, phase: str = "construction", effect: str = "total"
    ) -> Any:
        """One-at-a-time swings (tornado data, ``.plot_tornado()``) and variance shares of one
        headline cell across the uncertain inputs (docs/uncertainty.md)."""
        self._check(measure=measure, phase=phase)
        return self._draws().sensitivity(measure, phase=phase, effect=effect)

    def by_sector(self, measure: str = "employment", phase: str | None = None) -> pd.DataFrame:
        """One measure by sector (rows) and effect (columns + ``total``), largest |total| first,
        on the phase's headline basis (``phase`` defaults to the first phase present)."""
        phase = phase or (self.phases[0] if self.phases else None)
        self._check(measure=measure, phase=phase)
        k = self.measures.index(measure)
        cols = self._headline_columns(phase)  # type: ignore[arg-type]
        data = self.values[cols, :, k, :].sum(axis=0).T
        frame = pd.DataFrame(data, index=self.sectors.copy(), columns=list(self.effects))
        frame.index.name = "sector"
        frame["total"] = frame.sum(axis=1)
        frame = frame.sort_values("total", ascending=False, key=np.abs)
        frame.attrs["unit"] = self.units[measure]
        frame.attrs["basis"] = self._basis(phase)  # type: ignore[arg-type]
        return frame

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

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: investment, phase, year, region, sector, effect, measure, value, unit
        (one row per shock column × effect × measure × sector; no 'total' rows)."""
        c, e, m, n = self.values.shape
        cols = self.columns
        reps = e * m * n
        frame = pd.DataFrame(
            {
                "investment": np.repeat(cols["investment"].to_numpy(dtype=object), reps),
                "phase": np.repeat(cols["phase"].to_numpy(dtype=object), reps),
                "year": np.repeat(cols["year"].to_numpy(dtype=int), reps),
                "region": np.repeat(cols["region"].to_numpy(dtype=object), reps),
                "sector": np.tile(np.asarray(self.sectors, dtype=object), c * e * m),
                "effect": np.tile(np.repeat(np.array(self.effects, dtype=object), m * n), c),
                "measure": np.tile(np.repeat(np.array(self.measures, dtype=object), n), c * e),
                "value": self.values.reshape(-1),
            }
        )
        if isinstance(self.sectors, pd.MultiIndex):  # multi-region: region where effects happen
            frame["spending_region"] = frame["region"]
            for col, level in (("region", 0), ("sector", 1)):
                labels = np.asarray(self.sectors.get_level_values(level), dtype=object)
                frame[col] = np.tile(labels, c * e * m)
        frame["unit"] = frame["measure"].map(dict(self.units))
        return frame

    # ------------------------------------------------------------------ charts (issue 5: report.py)
    def plot_effects(self) -> Any:
        """matplotlib Figure: direct / indirect / induced effects per phase, a panel per measure."""
        from .report import plot_effects

        return plot_effects(self)

    def plot_sectors(self, *, measure: str = "employment", phase: str = "construction",
                     top: int = 10) -> Any:
        """matplotlib Figure: the ``top`` sectors by ``measure`` in ``phase``, by effect."""
        from .report import plot_sectors

        return plot_sectors(self, measure=measure, phase=phase, top=top)

    def plot_years(self, *, measure: str = "employment") -> Any:
        """matplotlib Figure: ``measure`` by year, construction and operations side by side."""
        from .report import plot_years

        return plot_years(self, measure=measure)

    # ------------------------------------------------------------------ display
    def _caption(self) -> str:
        t = self.table
        name = getattr(self.scenario, "name", "") or "scenario"
        kind = "Type II (households closed)" if self.induced else "Type I"
        return (
            f"Scenario {name} on table {t.name} ({t.region or 'no region'}, {t.year}); money in "
            f"{t.money_unit} at {t.price_year} prices; jobs in {t.employment_unit or 'persons'}; "
            f"{kind}"
        )

    def __repr__(self) -> str:
        parts = [self._caption()]
        for ph in self.phases:
            parts.append(f"\n{ph}: {self._basis(ph)}")
            parts.append(self.summary(phase=ph).to_string(float_format=lambda v: f"{v:,.4g}"))
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        html = [f"<p><b>{self._caption()}</b></p>"]
        for ph in self.phases:
            html.append(f"<p><i>{ph}</i>: {self._basis(ph)}</p>")
            html.append(self.summary(phase=ph).to_html(float_format=lambda v: f"{v:,.4g}"))
        return "\n".join(html)
