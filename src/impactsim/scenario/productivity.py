"""Jobs per unit of real output along the Bank of Korea path (``model.productivity``).

A table's employment coefficients are those of its year (2020 for korea-2020). Effects in a
later year t are at that year's productivity: each sector j's employment (and employees) is
multiplied by::

    F[t, j] = f_g(t) / f_g(T)          g = the BOK 33-sector group of j, T = the table's year

with ``f_g`` one of:

``bok-direct`` (default)
    :func:`impactsim.datasets.direct_employment_path`: the *direct* employment coefficients
    of the bundled 2020 and 2023 tables (persons per unit of the group's output), the 2023
    output moved to 2020 prices with the group's price index, continued after 2023 with the
    annual rate damped by 0.8 a year, and kept inside the band of −3 % to +1 % a year since
    2020 (:data:`impactsim.datasets.series.BAND`). ``low``/``high``: holding the 2023 level
    and the undamped trend.
``bok-trend``
    :func:`impactsim.datasets.employment_path`: BOK's published employment-*inducement*
    coefficients 2020–2023 (direct + indirect persons per KRW bn of the group's final demand),
    in real terms, ``midpoint`` rule after 2023. Inducement ratios mix the supplying groups'
    productivity into each group's and were extrapolated from three years (electricity fell to
    0.41 by 2040); kept for comparison.
``none``
    2020 productivity held.

The group's price index (:mod:`impactsim.scenario.prices`): construction-cost for ``F``,
electricity for ``D``, producer prices for manufacturing ``C…``, the GDP deflator otherwise.
Tables without a BOK 33 grouping (e.g. the world table) have no path: factors are 1 and the
result says so.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..datasets import direct_employment_path, employment_path
from ..datasets.series import BAND, BASE_YEAR, DAMPING
from ..engine.measures import is_jobs
from ..tables.table import IOTable
from .prices import level, sector_groups

Array = NDArray[np.float64]

#: Settings of ``model.productivity``.
PRODUCTIVITY = ("bok-direct", "bok-trend", "none")
#: Extrapolation rule of the BOK path after 2023 (employment_path's derived default).
RULE: Literal["trend", "hold", "midpoint"] = "midpoint"
#: Measures of jobs the path applies to.
OBSERVED = (2021, 2022, 2023)


@dataclass(frozen=True, eq=False)
class ProductivityPath:
    """Factors (years × sectors) on jobs per unit of output, relative to the table's year.

    ``factor``/``low``/``high`` have one row per year in ``years`` and one column per table
    sector; ``basis`` is one line for captions.
    """

    years: tuple[int, ...]
    factor: Array
    low: Array
    high: Array
    basis: str
    applied: bool

    def for_years(self, years: Sequence[int]) -> tuple[Array, Array, Array]:
        """(factor, low, high) rows for ``years`` (each (len(years), sectors))."""
        pos = [self.years.index(int(y)) for y in years]
        return self.factor[pos], self.low[pos], self.high[pos]


def _group_index(group: str) -> str:
    """The price index of a BOK 33 group's output."""
    if group == "D":
        return "electricity"
    return "construction-cost" if group == "F" else "ppi" if group.startswith("C") else (
        "gdp-deflator")


@functools.lru_cache(maxsize=8)
def _paths(groups: tuple[str, ...], years: tuple[int, ...], setting: str = "bok-trend"
           ) -> pd.DataFrame:
    if setting == "bok-direct":
        p23 = {g: level(_group_index(g), "KOR", 2023).value / 100.0 for g in groups}
        return direct_employment_path(list(groups), years=years, prices=p23)
    frames = []
    for index in sorted({_group_index(g) for g in groups}):
        members = [g for g in groups if _group_index(g) == index]
        prices = {y: level(index, "KOR", y).value / 100.0 for y in OBSERVED}
        frames.append(employment_path(members, years=years, rule=RULE, prices=prices))
    return pd.concat(frames, ignore_index=True)


def productivity_path(table: IOTable, years: Sequence[int], *, setting: str = "bok-direct"
                      ) -> ProductivityPath:
    """The (years × sectors) productivity factors of ``table`` (see the module docstring)."""
    ys = tuple(sorted({int(y) for y in years}))
    n = len(table.sectors)
    ones = np.ones((len(ys), n))
    groups = sector_groups(table)
    t0 = int(table.meta.year or BASE_YEAR)
    if setting == "none":
        return ProductivityPath(ys, ones, ones, ones, f"jobs at {t0} productivity (held)", False)
    if groups is None or not ys or t0 < BASE_YEAR:
        return ProductivityPath(ys, ones, ones, ones,
                                f"jobs at {t0} productivity (no BOK path for this table)", False)
    known = sorted({g for g in groups if g})
    span = tuple(range(BASE_YEAR, max(max(ys), t0) + 1))
    path = _paths(tuple(known), span, setting)
    wide = {c: path.pivot(index="year", columns="group", values=c) for c in
            ("factor", "low", "high")}
    out = []
    rows = [max(y, BASE_YEAR) for y in ys]
    base = wide["factor"].loc[t0]  # relative to the table's year
    for col in ("factor", "low", "high"):
        w = wide[col]
        where = {g: i for i, g in enumerate(w.columns)}
        ratio = w.reindex(rows).to_numpy() / base.reindex(w.columns).to_numpy(dtype=float)
        ratio = np.hstack([ratio, np.ones((len(ys), 1))])  # last column: sectors of no group
        m = ratio[:, [where.get(g, -1) if g else -1 for g in groups]]
        out.append(np.nan_to_num(m, nan=1.0))
    if setting == "bok-direct":
        basis = (f"jobs at each year's productivity: direct jobs per unit of real output by "
                 f"33-sector group (BOK tables 2020 and 2023) relative to {t0}, the annual "
                 f"change damped by {DAMPING:g} a year after 2023, within {100 * BAND[0]:g} % "
                 f"to +{100 * BAND[1]:g} % a year")
    else:
        basis = (f"jobs at each year's productivity: BOK employment-inducement path by "
                 f"33-sector group relative to {t0}, real terms, '{RULE}' rule after 2023")
    return ProductivityPath(ys, out[0], out[1], out[2], basis, True)


def apply(values: Array, years: Sequence[int], measures: Sequence[str],
          path: ProductivityPath) -> Array:
    """Multiply the job measures of ``values`` (columns, effects, measures, sectors) by each
    column's year row of ``path`` (in place; returns ``values``)."""
    if not path.applied:
        return values
    factor, _, _ = path.for_years(years)  # (columns, sectors)
    for k, m in enumerate(measures):
        if is_jobs(m):  # employment, employees (measure registry)
            values[:, :, k, :] *= factor[:, None, :]
    return values


def spread(values: Array, years: Sequence[int], measures: Sequence[str],
           path: ProductivityPath) -> tuple[float, float]:
    """(low, high) of the path relative to its central factor, weighted by the run's
    employment (all columns, effects and sectors): the spread the draws use."""
    if not path.applied or "employment" not in measures:
        return 1.0, 1.0
    k = list(measures).index("employment")
    f, lo, hi = path.for_years(years)
    jobs = np.abs(values[:, :, k, :]).sum(axis=1)  # (columns, sectors), at the path's factor
    total = jobs.sum()
    if total <= 0:
        return 1.0, 1.0
    rel_lo = float((jobs * np.divide(lo, f, out=np.ones_like(f), where=f > 0)).sum() / total)
    rel_hi = float((jobs * np.divide(hi, f, out=np.ones_like(f), where=f > 0)).sum() / total)
    return rel_lo, rel_hi
