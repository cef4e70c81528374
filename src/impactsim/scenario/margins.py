"""Trade and transport margins on purchased goods, read from a Bank of Korea table.

A scenario states what the investor pays: purchasers' prices. A producers'-price table (the
Bank of Korea's) records a buyer's purchase of a good at the producer's price in the good's row
and the wholesale and retail margin and the freight on it as purchases of trade (KSIC section G)
and transport services (section H) in the same column. The margin rates of a kind of final
demand ``k`` (private or government GFCF) are therefore in the table itself::

    τ_k = y[trade, k] / P_k,   φ_k = y[transport, k] / P_k,
    P_k = Σ_{goods} y[j, k] + y[trade, k] + y[transport, k]     (purchasers' value of goods)

with ``y`` total (domestic + imported) final demand and goods the products of KSIC sections A–C.
Of each unit spent on a good, ``1 − τ − φ`` buys the good (split into domestic and imported by
its local share), ``τ`` buys trade and ``φ`` transport services in the table's proportions of
that column — domestic margins on domestic and imported goods alike. On the Bank of Korea 2020
table, private GFCF: ``τ`` = 0.103, ``φ`` = 0.002 (transport of equipment is mostly in the
trade margin or the seller's price). Only investment demand is treated: in household and
intermediate columns the trade and transport rows also hold services bought for themselves
(passenger transport, commission trade), so they are not margins.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import TableError
from ..regional.korea import korean_sections_for
from ..tables.table import IOTable

#: Final-demand categories whose trade and transport rows are margins on purchased goods.
MARGIN_DEMANDS = ("gfcf_private", "gfcf_government")
#: KSIC-10 sections of goods (agriculture, mining, manufacturing) that carry margins.
GOODS_SECTIONS = ("A", "B", "C")
#: KSIC-10 sections of the margin services: wholesale and retail trade, transport.
TRADE_SECTION, TRANSPORT_SECTION = "G", "H"


@dataclass(frozen=True)
class MarginRates:
    """Margin rates of one kind of final demand on one table (module docs).

    ``trade`` and ``transport`` are shares of the purchasers' value of goods; ``split`` maps
    each margin sector's code to its share of all margins (sums to 1); ``goods`` the rows of
    the table (positions) of the goods that carry margins."""

    table: str
    demand: str
    trade: float
    transport: float
    split: dict[str, float]
    goods: frozenset[int]

    @property
    def total(self) -> float:
        """``τ + φ``: the margin share of a unit spent on goods."""
        return self.trade + self.transport

    def describe(self) -> str:
        """One line for the audit trail."""
        return (f"trade margin {self.trade:.3f} and transport margin {self.transport:.4f} of the "
                f"purchasers' value of goods ({self.demand} column of table '{self.table}')")


@lru_cache(maxsize=16)
def margin_rates(table: IOTable, demand: str) -> MarginRates | None:
    """The :class:`MarginRates` of ``demand`` on a Bank of Korea ``table``; None for other
    demand, a table whose sectors are not Bank of Korea products, or no margins recorded."""
    if demand not in MARGIN_DEMANDS:
        return None
    cats = [str(c) for c in table.final_demand_categories]
    if demand not in cats:
        return None
    try:
        sections = korean_sections_for(table).to_numpy()
    except TableError:
        return None
    k = cats.index(demand)
    y = np.asarray(table.y_domestic[:, k], dtype=float)
    if table.y_imported is not None:
        y = y + np.asarray(table.y_imported[:, k], dtype=float)
    y = np.clip(y, 0.0, None)
    goods = np.isin(sections, GOODS_SECTIONS)
    trade = sections == TRADE_SECTION
    transport = sections == TRANSPORT_SECTION
    t, f = float(y[trade].sum()), float(y[transport].sum())
    value = float(y[goods].sum()) + t + f
    if value <= 0 or t + f <= 0:
        return None
    codes = [str(s) for s in table.sectors]
    split = {codes[j]: float(y[j] / (t + f)) for j in np.flatnonzero((trade | transport) & (y > 0))}
    return MarginRates(
        table=table.meta.name, demand=demand, trade=t / value, transport=f / value, split=split,
        goods=frozenset(int(j) for j in np.flatnonzero(goods)),
    )
