"""Household income rates and the household closure from disposable income (Type II).

Compensation of employees in an input-output table is a labour *cost*: it includes employers'
social contributions, and employees then pay income tax and their own contributions and save
part of what is left. The default closure therefore spends, per unit of compensation::

    h_c,j = (y_h,dom,j / Σ_j y_h,j) × (1 − e) × (1 − t − s_ee) × (1 − σ) × (1 − ℓ)

where ``y_h,dom`` / ``Σ y_h`` is the table's domestic household purchase of product j per unit
of total household consumption (imports leak), ``e`` the employers' contribution share of
compensation, ``t`` the average income-tax rate and ``s_ee`` the employees' contribution rate
(both on the gross wage), ``σ`` the household saving rate (of disposable income) and ``ℓ`` any
further leakage the scenario states (``model.household_leakage``, default 0). The household row
stays ``h_r = compensation / x``.

The older closure (``basis="compensation"``) spends the table's own ratio
``h_c = (1 − ℓ) · y_h,dom / Σ compensation`` (0.90 on the Bank of Korea 2020 table): as if
every unit of labour cost were disposable and consumed. It stays available by name.

Rates ship in ``impactsim/datasets/data/money/household_rates.csv`` (read through
:func:`impactsim.datasets.bundled.money_rows`) with their sources (OECD Taxing Wages, statutory
contribution rates, Bank of Korea national accounts, Statistics Korea); each has a low/high
range. Tables of economies without rates fall back to the compensation closure, and
:func:`closure_description` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..datasets.bundled import money_rows
from ..engine.model import HouseholdClosure
from ..errors import ClosureError, TableError
from ..regional.korea import province_name
from ..tables.table import IOTable

#: Closure bases a scenario or command may ask for.
CLOSURE_BASES = ("disposable-income", "compensation")
#: The default basis.
DEFAULT_CLOSURE = "disposable-income"
ClosureBasis = Literal["disposable-income", "compensation"]

_RATE_NAMES = (
    "employer_ssc_share",
    "income_tax_rate",
    "employee_ssc_rate",
    "saving_rate",
    "fte_to_persons",
)


@dataclass(frozen=True)
class Rate:
    """One sourced rate: value, range, year, tag (OFF / DER / IND) and source text."""

    value: float
    low: float
    high: float
    year: str
    tag: str
    source: str


@dataclass(frozen=True)
class HouseholdRates:
    """Sourced household income rates of one economy (shares, not percent).

    ``employer_ssc_share``: employers' social contributions / compensation;
    ``income_tax_rate`` and ``employee_ssc_rate``: on the gross wage;
    ``saving_rate``: saving / disposable income; ``fte_to_persons``: persons per FTE job.
    """

    country: str
    rates: dict[str, Rate]

    def __getitem__(self, name: str) -> float:
        return self.rates[name].value

    @property
    def disposable_share(self) -> float:
        """Disposable income per unit of compensation: ``(1 − e)(1 − t − s_ee)``."""
        return (1.0 - self["employer_ssc_share"]) * (
            1.0 - self["income_tax_rate"] - self["employee_ssc_rate"]
        )

    @property
    def consumption_share(self) -> float:
        """Consumption per unit of compensation: disposable share × (1 − saving rate)."""
        return self.disposable_share * (1.0 - self["saving_rate"])

    def labour_taxes(self) -> dict[str, float]:
        """Taxes and contributions per unit of compensation, by kind.

        employer contributions ``e``; employee contributions ``(1 − e) s_ee``; income tax
        ``(1 − e) t``.
        """
        e = self["employer_ssc_share"]
        return {
            "employer_contributions": e,
            "employee_contributions": (1.0 - e) * self["employee_ssc_rate"],
            "income_tax": (1.0 - e) * self["income_tax_rate"],
        }


def _rows() -> tuple[dict[str, str], ...]:
    return money_rows("household_rates.csv")


def household_countries() -> tuple[str, ...]:
    """Economies with shipped household rates (ISO codes)."""
    return tuple(sorted({r["country"] for r in _rows()}))


def household_rates(country: str = "KOR") -> HouseholdRates:
    """The shipped household rates of ``country`` (raises :class:`ClosureError` if none)."""
    rates = {
        r["rate"]: Rate(
            value=float(r["value"]), low=float(r["low"]), high=float(r["high"]),
            year=r["year"], tag=r["tag"], source=r["source"],
        )
        for r in _rows()
        if r["country"] == country
    }
    missing = [n for n in _RATE_NAMES if n not in rates]
    if missing:
        raise ClosureError(
            f"no household rates for economy {country!r} (missing {missing}); shipped: "
            f"{list(household_countries())}; use the closure basis 'compensation' or add rows "
            "to impactsim/datasets/data/money/household_rates.csv"
        )
    return HouseholdRates(country=country, rates=rates)


def rates_for_table(table: IOTable) -> HouseholdRates | None:
    """The household rates of the table's economy, or None when none ship. A table of a Korean
    province (e.g. regionalised to Incheon) takes Korea's rates: income tax, social
    contributions and the saving rate are national."""
    region = str(table.meta.region or "")
    if region not in household_countries() and table.meta.currency == "KRW":
        try:
            province_name(region)
        except TableError:
            return None
        region = "KOR"
    return household_rates(region) if region in household_countries() else None


def disposable_income_closure(
    table: IOTable, rates: HouseholdRates, *, leakage: float = 0.0
) -> HouseholdClosure:
    """The closure from disposable income (module docstring), from a table and its rates."""
    base = HouseholdClosure.from_table(table)  # validates compensation and households
    i = table.final_demand_categories.get_loc("households")
    total = float(table.total_final_demand.to_numpy()[:, i].sum())
    if total <= 0:
        raise ClosureError(
            f"table '{table.meta.name}': household consumption sums to {total:g}; use the "
            "closure basis 'compensation'"
        )
    y_dom = table.y_domestic[:, i]
    if not 0.0 <= leakage < 1.0:
        raise ClosureError(f"leakage={leakage}: must be in [0, 1)")
    scale = rates.consumption_share * (1.0 - leakage)
    return HouseholdClosure(income=base.income, consumption=np.asarray(y_dom) / total * scale)


def closure_scale(table: IOTable, *, basis: str = DEFAULT_CLOSURE) -> float:
    """Household spending per unit of compensation on ``basis`` relative to the table's own
    ratio (``compensation`` basis): ``consumption_share · Σ compensation / Σ household
    consumption`` for disposable income, 1 for the table ratio or a table without rates.
    Multiplying the table-ratio closure by it gives :func:`build_closure`'s consumption."""
    if basis not in CLOSURE_BASES:
        raise ClosureError(f"household closure {basis!r}: use one of {list(CLOSURE_BASES)}")
    rates = rates_for_table(table) if basis == "disposable-income" else None
    if rates is None:
        return 1.0
    i = table.final_demand_categories.get_loc("households")
    total = float(table.total_final_demand.to_numpy()[:, i].sum())
    income = float(np.sum(table.compensation)) if table.compensation is not None else 0.0
    if total <= 0 or income <= 0:
        raise ClosureError(
            f"table '{table.meta.name}': no household consumption or compensation; use the "
            "closure basis 'compensation'"
        )
    return rates.consumption_share * income / total


def build_closure(
    table: IOTable, *, basis: str = DEFAULT_CLOSURE, leakage: float = 0.0
) -> HouseholdClosure:
    """The household closure on ``basis`` (``disposable-income`` default, or
    ``compensation``); a table without shipped rates falls back to ``compensation``."""
    if basis not in CLOSURE_BASES:
        raise ClosureError(f"household closure {basis!r}: use one of {list(CLOSURE_BASES)}")
    rates = rates_for_table(table) if basis == "disposable-income" else None
    if rates is None:
        return HouseholdClosure.from_table(table, leakage=leakage)
    return disposable_income_closure(table, rates, leakage=leakage)


def closure_description(table: IOTable, *, basis: str = DEFAULT_CLOSURE) -> str:
    """One line naming the closure actually used for ``table``."""
    rates = rates_for_table(table) if basis == "disposable-income" else None
    if rates is None:
        extra = " (no household rates for this economy)" if basis == "disposable-income" else ""
        return f"households closed on compensation (table ratio){extra}"
    return (
        f"households closed on disposable income: {rates.consumption_share:.3f} consumed per "
        f"unit of compensation ({rates.country} rates)"
    )
