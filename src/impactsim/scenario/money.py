"""Money: currency conversion, price-year conversion and the table's unit scale.

An announced amount ``a`` (currency ``c``, prices of year ``p``) becomes table units by::

    a_table = a × r(c → T, year_r) × P_T(t) / P_T(p) / u

where ``r`` is the annual-average exchange rate (table currency ``T`` per unit of ``c``) of
``year_r`` (default: the price year ``p``), ``P_T`` a price index of the table's economy
(default: the GDP deflator), ``t`` the table's price year and ``u`` the table's unit
(1e6 for "million KRW"). Convert first, then deflate with the *table economy's* index: the
money is spent in that economy, so its price level is the one that matters.

Which index deflates what (docs/scenarios.md, "Money"): the GDP deflator, for every kind of
spending by default. Scenario spending is final demand (investment and operating purchases),
national accounts move final-demand values between years with the GDP deflator, and it is the
only index with a value for every year 2015–2025. The producer price index (``ppi``) is offered
for equipment-heavy spending priced at the factory gate, but BOK's PPI annual averages are known
here only for 2015 and 2020–2022; asking for another year is an error naming the fix.

The rates and indices ship as CSV files in ``impactsim/datasets/data/money/`` (read by
:func:`impactsim.datasets.bundled.money_rows`) with their sources; rows not confirmed against the
publisher's own table carry ``unverified = true`` (docs/sources.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ..datasets.bundled import money_rows
from ..errors import ScenarioError

#: Price indices shipped, by name.
PRICE_INDICES = ("gdp-deflator", "ppi", "construction-cost", "electricity")

_CURRENCY_COUNTRY = {"KRW": "KOR", "USD": "USA"}


def _read_csv(name: str) -> list[dict[str, str]]:
    return [dict(row) for row in money_rows(name)]


@lru_cache(maxsize=1)
def _rates() -> dict[tuple[str, str, int], tuple[float, str, bool]]:
    out = {}
    for row in _read_csv("exchange_rates.csv"):
        key = (row["currency"], row["quote_currency"], int(row["year"]))
        out[key] = (float(row["rate"]), row["source"], row["unverified"] == "true")
    return out


@lru_cache(maxsize=1)
def _indices() -> dict[tuple[str, str, int], tuple[float, str, bool]]:
    out = {}
    for row in _read_csv("price_indices.csv"):
        key = (row["index"], row["country"], int(row["year"]))
        out[key] = (float(row["value"]), row["source"], row["unverified"] == "true")
    return out


def exchange_rates() -> pd.DataFrame:
    """The shipped exchange rates: year, currency, quote_currency, rate, kind, tag, source."""
    return pd.DataFrame(_read_csv("exchange_rates.csv")).astype({"year": int, "rate": float})


def price_indices() -> pd.DataFrame:
    """The shipped price indices: index, country, year, value (base_year = 100), tag, source."""
    return pd.DataFrame(_read_csv("price_indices.csv")).astype({"year": int, "value": float})


def known_currencies() -> frozenset[str]:
    """Currencies with shipped rates (either side of a quoted pair)."""
    cur: set[str] = set()
    for c, q, _ in _rates():
        cur.update((c, q))
    return frozenset(cur)


def exchange_rate(currency: str, to: str, year: int) -> tuple[float, str, bool]:
    """(rate, source, unverified): units of ``to`` per unit of ``currency`` in ``year``.

    Identity when the currencies match; the inverse of a shipped pair when only that exists.
    """
    if currency == to:
        return 1.0, "same currency", False
    table = _rates()
    if (currency, to, year) in table:
        return table[(currency, to, year)]
    if (to, currency, year) in table:
        r, src, unv = table[(to, currency, year)]
        return 1.0 / r, f"inverse of {to}/{currency}: {src}", unv
    years = sorted({y for c, q, y in table if {c, q} == {currency, to}})
    if years:
        raise ScenarioError(
            f"no {currency}→{to} exchange rate for {year} (shipped years {years[0]}–{years[-1]}); "
            f"fix: set money.exchange_rate_year to one of them or give money.exchange_rate"
        )
    raise ScenarioError(
        f"no exchange rate between {currency} and {to} is shipped (known: "
        f"{sorted(known_currencies())}); fix: give money.exchange_rate ({to} per {currency})"
    )


def price_level(index: str, country: str, year: int) -> tuple[float, str, bool]:
    """(value, source, unverified) of a price index in a year (base 2020 = 100)."""
    table = _indices()
    if (index, country, year) in table:
        return table[(index, country, year)]
    years = sorted(y for i, c, y in table if i == index and c == country)
    if not years:
        raise ScenarioError(
            f"no '{index}' price index for economy {country!r} is shipped (docs/sources.md "
            "lists those that are), so money cannot be moved to the table's price year; "
            "fix: give money.price_factor "
            "(price level of the table's price year / that of the scenario's price year)"
        )
    other = "ppi" if index == "gdp-deflator" else "gdp-deflator"
    raise ScenarioError(
        f"no '{index}' value for {country} in {year} (shipped years: {years}); "
        "fix: use a price_year "
        f"among them, price_index: {other}, or give money.price_factor"
    )


def _index_country(index: str, region: str, currency: str) -> str:
    """The economy whose price index deflates: the table's region when an index is shipped for
    it, else the economy of the table's currency (a world table in USD → USA)."""
    shipped = {c for i, c, _ in _indices() if i == index}
    if region in shipped:
        return region
    return _CURRENCY_COUNTRY.get(currency, region)


@dataclass(frozen=True, slots=True)
class Conversion:
    """How one unit of announced money becomes table units: ``rate × price_factor / unit``."""

    currency: str
    table_currency: str
    exchange_rate: float
    exchange_rate_year: int | None
    exchange_rate_source: str
    price_index: str
    price_year: int
    table_price_year: int | None
    price_factor: float
    price_source: str
    unit: float
    unverified: bool

    @property
    def factor(self) -> float:
        """Table units per unit of announced currency."""
        return self.exchange_rate * self.price_factor / self.unit

    def describe(self) -> str:
        """One line: ``1 USD (2025) = 1422.2 KRW × 0.8718 (gdp-deflator 2025→2020) / 1e6``."""
        flag = " [uses unverified rows]" if self.unverified else ""
        rate = (
            f" (rate {self.exchange_rate_year})" if self.exchange_rate_year is not None
            else " (same currency)" if self.currency == self.table_currency
            else " (rate given in the scenario)"
        )
        return (
            f"1 {self.currency} ({self.price_year} prices) = {self.exchange_rate:g} "
            f"{self.table_currency}{rate} × {self.price_factor:.6g} "
            f"({self.price_index} {self.price_year}→{self.table_price_year}) / {self.unit:g}{flag}"
        )


def conversion(
    currency: str,
    price_year: int,
    *,
    table_currency: str,
    table_price_year: int | None,
    table_region: str,
    unit: float,
    price_index: str = "gdp-deflator",
    exchange_rate_value: float | None = None,
    exchange_rate_year: int | None = None,
    price_factor_value: float | None = None,
) -> Conversion:
    """The conversion of announced money to a table's units (formula in the module docstring).

    Explicit ``exchange_rate_value`` / ``price_factor_value`` override the shipped series. A table
    without a currency (synthetic tables) takes amounts as given in its units' currency.
    """
    unverified = False
    if exchange_rate_value is not None:
        rate, rate_src, rate_year = float(exchange_rate_value), "given in the scenario", None
    elif not table_currency or currency == table_currency:
        rate, rate_src, rate_year = 1.0, "same currency", None
    else:
        rate_year = exchange_rate_year if exchange_rate_year is not None else price_year
        rate, rate_src, unv = exchange_rate(currency, table_currency, rate_year)
        unverified |= unv
    if price_factor_value is not None:
        pf, pf_src = float(price_factor_value), "given in the scenario"
    elif table_price_year is None or table_price_year == price_year:
        pf, pf_src = 1.0, "same price year"
    else:
        country = _index_country(price_index, table_region, table_currency)
        base, src_b, unv_b = price_level(price_index, country, table_price_year)
        level, src_l, unv_l = price_level(price_index, country, price_year)
        pf = base / level
        pf_src = f"{price_index} {country} {table_price_year}/{price_year}: {src_b} | {src_l}"
        unverified |= unv_b or unv_l
    return Conversion(
        currency=currency,
        table_currency=table_currency or currency,
        exchange_rate=rate,
        exchange_rate_year=rate_year,
        exchange_rate_source=rate_src,
        price_index=price_index,
        price_year=price_year,
        table_price_year=table_price_year,
        price_factor=pf,
        price_source=pf_src,
        unit=float(unit),
        unverified=unverified,
    )
