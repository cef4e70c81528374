"""Intra-regional, feedback and spillover effects of a multi-region model (Miller & Blair ch. 3).

Split the coefficients of a multi-region table into the diagonal blocks ``A_D`` (each region's
purchases from itself) and the rest (trade). The *additive block decomposition* used here is::

    L = L_D  +  (blockdiag(L) − L_D)  +  (L − blockdiag(L))
        intra     feedback                spillover

* **intra-regional** ``L_D = (I − A_D)⁻¹``: the output a region's own final demand would cause
  if the region bought nothing from other regions (its single-region multiplier);
* **feedback** ``L_rr − (I − A_rr)⁻¹``: the extra output in region r that comes back to r because
  r's purchases from other regions make them buy from r (Miller & Blair 2009, ch. 3, the
  "interregional feedback"; for two regions ``L_rr = (I − A_rr − A_rs (I − A_ss)⁻¹ A_sr)⁻¹``);
* **spillover** ``L_sr`` (s ≠ r): the output in other regions.

The three parts add up to ``L`` exactly. For two regions they coincide with the diagonal blocks of
Round's (1985) multiplicative form ``L = M3 M2 M1`` (``M1 = L_D``, ``M2 = I + L_D A_O``,
``M3 = (I − (L_D A_O)²)⁻¹``); the additive block form is used because it extends unchanged to
any number of regions and is what "US value added caused by Korean demand" means.
Parts are relative to the region that *supplies* each final-demand entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine import linalg
from ..engine.measures import format_value
from ..engine.model import Demand, LeontiefModel, _demand_vector
from ..engine.results import headline_table, measure_position, tidy_frame
from ..tables.table import IOTable, TableMeta
from .mrio import REGION, region_codes, regions, require_multiregional

Array = NDArray[np.float64]

PARTS = ("intra_regional", "feedback", "spillover")


def _model(model: LeontiefModel | IOTable) -> LeontiefModel:
    m = model if isinstance(model, LeontiefModel) else LeontiefModel(model)
    require_multiregional(m.table, what="the intra-regional / feedback / spillover decomposition")
    return m


def _blocks(table: IOTable) -> dict[str, NDArray[np.intp]]:
    codes = region_codes(table)
    return {r: np.flatnonzero(codes == r) for r in regions(table)}


@dataclass(frozen=True, eq=False)
class SpilloverDecomposition:
    """Effects of one final-demand change split into intra-regional, feedback and spillover parts.

    ``values[p, k, j]``: part ``p`` (see :data:`PARTS`) of measure ``k`` in (region, sector) ``j``,
    in the measure's unit (Type I: no household closure). Summing over parts gives the ordinary
    Leontief effect ``ĉ L Δy`` (direct + indirect).
    """

    values: Array
    parts: tuple[str, ...]
    measures: tuple[str, ...]
    sectors: pd.MultiIndex
    units: Mapping[str, str]
    table: TableMeta
    demand: Array

    def __post_init__(self) -> None:
        for arr in (self.values, self.demand):
            arr.flags.writeable = False

    @property
    def totals(self) -> Array:
        """Parts × measures, summed over every (region, sector)."""
        return self.values.sum(axis=2)

    def summary(self) -> pd.DataFrame:
        """Rows intra_regional / feedback / spillover / total; columns the measures."""
        frame = headline_table(self.totals, self.parts, self.measures, index_name="part")
        frame.attrs["units"] = dict(self.units)
        return frame

    def by_region(self, measure: str = "output") -> pd.DataFrame:
        """Regions (rows, table order) × parts plus ``total`` for one measure."""
        k = measure_position(self.measures, measure, what="by_region")
        frame = pd.DataFrame(
            self.values[:, k, :].T, index=self.sectors.get_level_values(0), columns=list(self.parts)
        )
        frame = frame.groupby(level=0, sort=False).sum()
        frame["total"] = frame.sum(axis=1)
        frame.index.name = REGION
        frame.attrs["unit"] = self.units[measure]
        return frame

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame: region, sector, part, measure, value, unit (one row per combination)."""
        return tidy_frame(
            self.values,
            sector_columns={
                "region": self.sectors.get_level_values(0),
                "sector": self.sectors.get_level_values(1),
            },
            layer="part",
            layers=self.parts,
            measures=self.measures,
            units=self.units,
        )

    def __repr__(self) -> str:
        body = self.summary().map(format_value).to_string()
        return f"Spillover decomposition on {self.table.name} ({self.table.money_unit})\n{body}"


def decompose_spillovers(
    model: LeontiefModel | IOTable, demand: Demand
) -> SpilloverDecomposition:
    """Split the effects of ``demand`` (mapping (region, sector) → amount, Series or array, in
    table units) into intra-regional, feedback and spillover parts, for every measure.

    One LU solve of the full model with one right-hand side per region that has demand, plus one
    small solve per region block: ``x = Σ_r L y_r``, ``intra_r = (I − A_rr)⁻¹ y_r``,
    ``feedback_r = (L y_r)_r − intra_r``, spillover = the rest.
    """
    m = _model(model)
    t = m.table
    y = _demand_vector(demand, t.sectors, t.meta.name)
    blocks = _blocks(t)
    active = [r for r, pos in blocks.items() if np.any(y[pos])]
    n = t.n
    intra = np.zeros(n)
    own = np.zeros(n)
    total = np.zeros(n)
    if active:
        rhs = np.zeros((n, len(active)))
        for col, r in enumerate(active):
            pos = blocks[r]
            rhs[pos, col] = y[pos]
        x_by_origin = m.factorization.solve(rhs)
        total = x_by_origin.sum(axis=1)
        for col, r in enumerate(active):
            pos = blocks[r]
            own[pos] = x_by_origin[pos, col]
            a_rr = m.a[np.ix_(pos, pos)]
            intra[pos] = linalg.factorize_leontief(a_rr, check=False).solve(y[pos])
    parts_x = np.stack([intra, own - intra, total - own])
    c = m.measure_coefficients
    values = parts_x[:, np.newaxis, :] * c[np.newaxis, :, :]
    units = m.units
    return SpilloverDecomposition(
        values=values,
        parts=PARTS,
        measures=m.measures,
        sectors=t.sectors,
        units=units,
        table=t.meta,
        demand=y,
    )


def multiplier_decomposition(model: LeontiefModel | IOTable) -> dict[str, pd.DataFrame]:
    """The three n × n matrices ``L_D``, ``blockdiag(L) − L_D`` and ``L − blockdiag(L)``
    (keys ``intra_regional``, ``feedback``, ``spillover``); they add up to ``L``.

    Forms dense n × n inverses: meant for inspection and small tables (use
    :func:`decompose_spillovers` for a demand vector on a large table).
    """
    m = _model(model)
    t = m.table
    big_l = m.factorization.inverse()
    l_d = np.zeros_like(big_l)
    diag = np.zeros_like(big_l)
    for pos in _blocks(t).values():
        ix = np.ix_(pos, pos)
        l_d[ix] = linalg.factorize_leontief(m.a[ix], check=False).inverse()
        diag[ix] = big_l[ix]
    mats = {"intra_regional": l_d, "feedback": diag - l_d, "spillover": big_l - diag}
    return {k: pd.DataFrame(v, index=t.sectors, columns=t.sectors) for k, v in mats.items()}
