"""Prices by spending category and year: which index deflates what, and nominal pledges.

Every category of a pattern is deflated with the index of what it buys (``money.price_index:
by-category``)::

    construction works (building, civil, installation)  construction-cost  KICT 건설공사비지수
    electricity bought (BOK 450 electric power)          electricity        KEPCO industrial price
    equipment and other manufactured goods               ppi                BOK producer prices
    everything else (services, …)                        gdp-deflator       BOK GDP deflator

A category may name its index (``price_index:`` in the pattern); otherwise the default follows
the table sectors it is bridged to (most of its weight in electric power → electricity; in the
BOK 33-sector group ``F`` → construction-cost; in manufacturing ``C…`` → ppi; else
gdp-deflator). On a table whose economy has no such index shipped, the scenario's single index
is used.

Product groups BOK publishes producer prices for but which are **not shipped** (their annual
values could not be sourced here): semiconductors and computers / communication equipment
(BOK PPI by item, ECOS 404Y014). Chips, servers and network gear therefore use the all-items
PPI, a stated fallback; electricity uses KEPCO's industrial average sales price (2019 → 2023:
106.6 → 153.7 KRW/kWh, × 1.44), not the GDP deflator (× 1.09 over 2020–2023).

Amounts (``money.amounts``):

* ``constant`` (default): the amount is in money of ``price_year``; each category's money
  becomes table units with ``P_c(table year) / P_c(price year)``.
* ``nominal``: a pledged total is in the money of the years it is spent; the spending of year t
  is deflated with ``P_c(table year) / P_c(t)``. Operations amounts are annual estimates in
  ``price_year`` money and stay constant.

Beyond the last published year an index grows at the Bank of Korea's inflation target,
2 % a year (official: BOK, "Price stability target", 2 % CPI inflation since 2019; applied here
to every index — derived): ``P(t) = P(T) · 1.02^(t − T)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..errors import ScenarioError
from ..tables.table import IOTable
from . import money
from .patterns import Pattern
from .schema import MoneySettings

Array = NDArray[np.float64]

#: Annual growth of a price index after its last published year (BOK inflation target).
INFLATION_TARGET = 0.02
INFLATION_TARGET_SOURCE = (
    "Bank of Korea, price stability target: 2 % consumer-price inflation (since 2019) [OFF], "
    "applied to every index after its last published year [DER]"
)
#: Indices a category may name; "by-category" picks one per category.
CATEGORY_INDICES = ("construction-cost", "ppi", "gdp-deflator", "electricity")
#: Sector codes of electric power in the bundled Korean tables (BOK 2020 classification).
ELECTRICITY_SECTORS = frozenset({"450"})


@dataclass(frozen=True, slots=True)
class Level:
    """A price index value (base 2020 = 100) with where it came from."""

    value: float
    source: str
    extrapolated: bool


def level(index: str, country: str, year: int) -> Level:
    """The index in ``year``: the shipped value, or the last shipped value grown at
    :data:`INFLATION_TARGET` a year (earlier than the first shipped year: an error)."""
    table = money._indices()
    if (index, country, year) in table:
        value, src, _ = table[(index, country, year)]
        return Level(value, src, False)
    years = sorted(y for i, c, y in table if i == index and c == country)
    if not years:
        raise ScenarioError(f"no '{index}' price index is shipped for {country}; fix: use "
                            "money.price_index: gdp-deflator or give money.price_factor")
    if year < years[0]:
        raise ScenarioError(f"'{index}' for {country} starts in {years[0]}, {year} is earlier; "
                            "fix: use a later price_year or give money.price_factor")
    last = max(y for y in years if y < year)
    value = table[(index, country, last)][0] * (1.0 + INFLATION_TARGET) ** (year - last)
    return Level(value, f"{index} {last} x 1.02^{year - last} ({INFLATION_TARGET_SOURCE})", True)


def has_index(index: str, country: str) -> bool:
    return any(i == index and c == country for i, c, _ in money._indices())


def default_index(bridge: Array, groups: Sequence[str] | None,
                  codes: Sequence[str] | None = None) -> str:
    """The index of a category from its sectors (bridge weights): electric power →
    electricity; else by BOK 33 group (F → construction-cost, C… → ppi, else gdp-deflator)."""
    if groups is None or bridge.sum() <= 0:
        return "gdp-deflator"
    weight: dict[str, float] = {}
    for j in np.flatnonzero(bridge).tolist():
        g = str(groups[j] or "")
        kind = "construction-cost" if g == "F" else "ppi" if g.startswith("C") else "gdp-deflator"
        if codes is not None and str(codes[j]) in ELECTRICITY_SECTORS:
            kind = "electricity"
        weight[kind] = weight.get(kind, 0.0) + float(bridge[j])
    return max(weight, key=lambda k: weight[k])


def sector_codes(table: IOTable) -> list[str]:
    """Each table sector's product code (the last level of a (region, sector) label)."""
    return [str(s[-1]) if isinstance(s, tuple) else str(s) for s in table.sectors]


def sector_groups(table: IOTable) -> list[str] | None:
    """BOK 33-sector group of each table sector (``sector_info['bok33']``), or None."""
    info = getattr(table, "sector_info", None)
    if info is None or "bok33" not in info.columns:
        return None
    groups = info["bok33"].reindex(table.sectors)
    return [str(g) if isinstance(g, str) else "" for g in groups]


@dataclass(frozen=True, slots=True)
class CategoryPrices:
    """Per category × year: the index used and the factor relative to the scenario conversion.

    ``adjust[c, t]`` multiplies the plan's conversion factor (whose price factor is
    ``base_factor``); ``factors[c, t] = base_factor · adjust[c, t]`` is the full price factor
    ``P_c(table year) / P_c(money year)``; ``money_years[t]`` the year whose prices the money
    is in (the price year, or the spending year for nominal amounts).
    """

    indices: tuple[str, ...]
    adjust: Array
    factors: Array
    money_years: Array
    mode: str


def category_prices(
    *,
    categories: Sequence[str],
    pattern: Pattern,
    bridge: Array,
    excluded: Array,
    years: NDArray[np.int_],
    conversion: money.Conversion,
    table: IOTable,
    settings: MoneySettings,
    phase_name: str,
    phase_index: str | None,
) -> CategoryPrices | None:
    """Price adjustments of one phase plan (None: today's single-factor conversion holds).

    Applies when ``money.price_index`` is ``by-category`` or ``money.amounts`` is ``nominal``
    (construction only), unless ``money.price_factor`` is given (an explicit factor wins).
    """
    by_cat = settings.price_index == "by-category" and phase_index is None
    nominal = getattr(settings, "amounts", "constant") == "nominal" and phase_name == "construction"
    if settings.price_factor is not None or not (by_cat or nominal):
        return None
    meta = table.meta
    if meta.price_year is None:
        return None
    country = money._index_country(conversion.price_index, meta.region, meta.currency)
    groups = sector_groups(table)
    base = conversion.price_factor
    n_c, n_t = len(categories), len(years)
    money_years = (np.asarray(years, dtype=int) if nominal
                   else np.full(n_t, conversion.price_year, dtype=int))
    adjust = np.ones((n_c, n_t))
    factors = np.full((n_c, n_t), base)
    names: list[str] = []
    for c, name in enumerate(categories):
        cat = pattern.categories[name]
        stated = getattr(cat, "price_index", None)
        if not by_cat:
            index = conversion.price_index
        elif stated is not None:
            index = stated
        else:
            index = default_index(bridge[c], groups, sector_codes(table))
        if not has_index(index, country):
            index = conversion.price_index
        names.append(index)
        try:
            top = level(index, country, meta.price_year).value
            for t, y in enumerate(money_years):
                f = top / level(index, country, int(y)).value
                factors[c, t] = f
                adjust[c, t] = f / base if base else 1.0
        except ScenarioError as exc:
            raise ScenarioError(f"category {name}: {exc}") from None
    return CategoryPrices(tuple(names), adjust, factors, money_years,
                          "nominal" if nominal else "constant")


def headline_adjust(prices: CategoryPrices | None, weights: Array, phase: str) -> Array | None:
    """Per category: the adjustment of the phase headline — weight-averaged over the years for
    construction (``Σ_t w_t a_ct / Σ_t w_t``), the full-operation year for operations."""
    if prices is None:
        return None
    w = np.asarray(weights, dtype=float)
    if phase == "construction":
        total = w.sum()
        return prices.adjust @ w / total if total else prices.adjust[:, 0]
    return prices.adjust[:, int(np.argmax(w))]
