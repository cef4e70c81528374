"""The measure registry: what every number the library reports *is*, defined once.

A measure is a row of effects the model reports (output, value added, labour income, imports,
employment, any satellite a table carries such as energy or emissions). Its :class:`Measure`
says its unit, its kind (``money``, ``persons`` or ``physical``), its label, and how it adds up
over years: a sum over construction years of jobs is *job-years*; of money or a physical
quantity it is the same unit; operations report the value *per year of full operation*.

Every presenter, the claims, the appraisal, the draws and money conversion read measures from
here; no other module keeps its own list of money measures, labels or number formats. Numbers
are written by :func:`format_value`, the one formatter (a missing value is always ``"–"``).

Units: a money measure has no unit of its own, it takes the table's money unit
(``TableMeta.money_unit``, e.g. ``"million KRW"``); persons and physical measures carry theirs
(``"persons (FTE)"``, ``"GWh"``, ``"tCO2eq"``); a table states the unit of each satellite in
``TableMeta.satellite_units``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Literal

Kind = Literal["money", "persons", "physical"]
Phase = Literal["construction", "operations", "sustaining"]

#: The phases a scenario reports, in order; their headlines are never added. ``sustaining`` is
#: capital spending during operation (an IT refresh), apart from running costs.
PHASES: tuple[str, ...] = ("construction", "operations", "sustaining")
#: How one phase's headline adds up over years.
PHASE_AGGREGATION: Mapping[str, str] = MappingProxyType({
    "construction": "total over the construction years",
    "operations": "per year of full operation",
    "sustaining": "total over the years of operation (each refresh cycle)",
})
#: Phases whose headline is a total over their years (job-years, money summed); the others
#: report one year of full operation.
TOTAL_PHASES: frozenset[str] = frozenset({"construction", "sustaining"})

def sums_years(phase: str) -> bool:
    """Whether a phase's headline is a total over its years (construction), not a value per
    year (operations): read from :data:`PHASE_AGGREGATION`."""
    return PHASE_AGGREGATION.get(phase, "").startswith("total")


def jobs_basis(phase: str) -> str:
    """What a number of jobs means in ``phase``'s headline: ``"job-years"`` for a phase summed
    over its years, ``"jobs per year"`` otherwise."""
    return "job-years" if sums_years(phase) else "jobs per year"


EMPLOYMENT = "employment"
EMPLOYEES = "employees"
NET_PRODUCT_TAXES = "net_product_taxes"


@dataclass(frozen=True, slots=True)
class Measure:
    """One reported measure.

    Attributes
    ----------
    key : str
        Name in results and files (``"value_added"``).
    label : str
        Human label (``"Value added (GDP)"``).
    kind : {"money", "persons", "physical"}
        Money takes the table's money unit; persons and physical measures carry ``unit``.
    unit : str
        Unit of one value (empty for money: the table's money unit applies).
    short : str
        Column header for narrow tables (``"VA"``).
    description : str
        One sentence on what the measure counts (docs, report tooltips).
    aliases : tuple of str
        Other names a published claim may use for it (``"jobs"``, ``"gdp"``); a measure with
        aliases can be the measure of a claim (:meth:`MeasureRegistry.resolve`).
    """

    key: str
    label: str
    kind: Kind
    unit: str = ""
    short: str = ""
    description: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def is_money(self) -> bool:
        """True for measures in the table's money unit (converted by currency / price year)."""
        return self.kind == "money"

    @property
    def is_jobs(self) -> bool:
        """True for persons measures (employment, employees): job-years when summed over years."""
        return self.kind == "persons"

    def unit_for(self, *, money_unit: str = "", phase: str | None = None) -> str:
        """Unit of a value of this measure in ``phase``'s headline.

        Money: ``money_unit`` (``"million KRW"``), ``"… per year"`` for operations. Persons:
        ``"<unit>, job-years"`` for construction and sustaining capex (a sum over years of
        jobs), ``"<unit>, jobs per year"`` for operations. Physical: the unit, ``"… per year"``
        for operations.
        """
        base = (money_unit or "table units") if self.is_money else (self.unit or self.key)
        if phase is None:
            return base
        if phase not in PHASE_AGGREGATION:
            raise ValueError(f"phase={phase!r}: use one of {list(PHASES)}")
        if self.is_jobs:
            return f"{base}, {jobs_basis(phase)}"
        return base if sums_years(phase) else f"{base} per year"

    def summed_unit(self, *, money_unit: str = "") -> str:
        """Unit of a sum of yearly values over years: job-years for persons, else the unit."""
        if self.is_jobs:
            return f"{self.unit or 'persons'} × years (job-years)"
        return (money_unit or "table units") if self.is_money else (self.unit or self.key)


#: The measures the engine reports, in headline order (IMPLAN / RIMS II: jobs, labour income,
#: value added, output), then imports and its parts, taxes and employees.
CORE: tuple[Measure, ...] = (
    Measure(EMPLOYMENT, "Employment", "persons", "persons", "Jobs",
            "Persons employed (incl. self-employed), in the table's employment unit.",
            ("jobs", "job_years")),
    Measure("income", "Labour income", "money", "", "Income",
            "Compensation of employees.", ("labour_income", "labor_income", "wages")),
    Measure("value_added", "Value added (GDP)", "money", "", "VA",
            "Gross value added at basic prices: the contribution to GDP.", ("gdp",)),
    Measure("output", "Output", "money", "", "Output",
            "Gross output: sales of every producer, intermediate sales included.",
            ("production",)),
    Measure("imports", "Imports", "money", "", "Imports",
            "Total leakage abroad: the imported part of the spending itself, plus imported "
            "intermediate inputs, plus imports bought with induced household spending.",
            ("leakage",)),
    Measure("imports_spending", "Imports: the spending itself", "money", "", "Imp. direct",
            "The part of the announced spending bought abroad (never enters domestic output)."),
    Measure("imports_intermediate", "Imports: intermediate inputs", "money", "", "Imp. interm.",
            "Imported inputs of domestic producers, direct and indirect (Type I)."),
    Measure("imports_induced", "Imports: induced", "money", "", "Imp. induced",
            "Imported inputs of the production that induced household spending sets off."),
    Measure(NET_PRODUCT_TAXES, "Net product taxes", "money", "", "Taxes",
            "Taxes less subsidies on products (not part of value added at basic prices)."),
    Measure(EMPLOYEES, "Employees", "persons", "persons", "Employees",
            "Employees (persons paid a wage), a subset of employment."),
)

#: Order of the headline columns; measures not listed follow in the order they come.
HEADLINE_ORDER: tuple[str, ...] = ("employment", "income", "value_added", "output", "imports")
#: The parts of ``imports`` (total leakage abroad), in order; they add up to it.
IMPORT_PARTS: tuple[str, ...] = ("imports_spending", "imports_intermediate", "imports_induced")


class MeasureRegistry(Mapping[str, Measure]):
    """An immutable, ordered mapping ``key → Measure``.

    :data:`REGISTRY` holds the core measures; :meth:`with_satellites` adds a table's satellites
    with their units (``TableMeta.satellite_units``). Unknown keys raise ``KeyError``;
    :meth:`get_or_physical` treats an unknown key as a physical quantity in a unit named after it.
    """

    __slots__ = ("_items",)

    def __init__(self, measures: Iterable[Measure]) -> None:
        items: dict[str, Measure] = {}
        for m in measures:
            items[m.key] = m
        self._items: Mapping[str, Measure] = MappingProxyType(items)

    def __getitem__(self, key: str) -> Measure:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"MeasureRegistry({list(self._items)})"

    def get_or_physical(self, key: str) -> Measure:
        """The registered measure, or a physical measure with unit ``key`` when unknown."""
        found = self._items.get(key)
        return found if found is not None else Measure(key, key.replace("_", " ").capitalize(),
                                                       "physical", key, key)

    def with_satellites(self, units: Mapping[str, str]) -> MeasureRegistry:
        """This registry plus one physical measure per satellite ``name → unit``.

        Employment and employees keep their kind (persons) and take the stated unit.
        """
        extra = []
        for key, unit in units.items():
            known = self._items.get(key)
            if known is not None:
                extra.append(replace(known, unit=unit or known.unit))
            else:
                extra.append(Measure(key, key.replace("_", " ").capitalize(), "physical",
                                     unit or key, key))
        return MeasureRegistry([*self._items.values(), *extra])

    def keys_of(self, kind: Kind) -> tuple[str, ...]:
        """Keys of the measures of one kind, in registry order."""
        return tuple(k for k, m in self._items.items() if m.kind == kind)

    def money_keys(self) -> tuple[str, ...]:
        """Keys of the money measures (converted by currency and price year)."""
        return self.keys_of("money")

    def claimable(self) -> tuple[str, ...]:
        """Keys a claim may name (the measures with aliases), in registry order."""
        return tuple(k for k, m in self._items.items() if m.aliases)

    def resolve(self, name: str) -> str | None:
        """The key of a claimable measure named ``name`` (its key or an alias; case, spaces and
        hyphens ignored: ``"Job-years"`` → ``"employment"``), or None."""
        norm = str(name).strip().lower().replace(" ", "_").replace("-", "_")
        for key in self.claimable():
            m = self._items[key]
            if norm == key or norm in m.aliases:
                return key
        return None

    def label(self, key: str) -> str:
        """Label of ``key`` (an unknown key is its own label)."""
        return self.get_or_physical(key).label

    def headline_order(self, keys: Iterable[str]) -> list[str]:
        """``keys`` in headline order: jobs, labour income, value added, output, imports, rest."""
        keys = list(keys)
        first = [k for k in HEADLINE_ORDER if k in keys]
        return first + [k for k in keys if k not in first]


REGISTRY = MeasureRegistry(CORE)

#: Value-added components as national accounts name them (SNA 2008 §7), by table row name:
#: the columns of ``ScenarioResult.value_added_split`` (they add up to ``value_added``).
VA_COMPONENTS = MeasureRegistry((
    Measure("compensation", "Compensation of employees", "money", "", "CoE"),
    Measure("operating_surplus", "Operating surplus", "money", "", "OS"),
    Measure("depreciation", "Consumption of fixed capital", "money", "", "CFC"),
    Measure("production_taxes", "Net taxes on production", "money", "", "Taxes"),
    Measure("net_production_taxes", "Net taxes on production", "money", "", "Taxes"),
    Measure("value_added_residual", "Value added (residual)", "money", "", "Residual"),
    Measure("balancing_item", "Balancing item", "money", "", "Balance"),
))

#: The measures of an appraisal (net and present values, :mod:`impactsim.scenario.appraisal`),
#: in display order: derived from the core ones, over every modelled year.
APPRAISAL = MeasureRegistry((
    Measure("jobs_type1", "Jobs, Type I (direct + indirect, FTE)", "persons", "persons (FTE)",
            "Jobs I"),
    Measure("jobs_type2", "Jobs, Type II (with induced, FTE)", "persons", "persons (FTE)",
            "Jobs II"),
    Measure("headcount_type2", "Headcount, Type II (persons)", "persons", "persons",
            "Headcount"),
    Measure("value_added_type1", "Value added (GDP), Type I", "money", "", "VA I"),
    Measure("value_added", "Value added (GDP), Type II", "money", "", "VA II"),
    Measure("gni", "GNI (GDP less foreign-owned surplus)", "money", "", "GNI"),
    Measure("taxes_on_production", "Net taxes on production", "money", "", "Prod. taxes"),
    Measure("income_tax", "Income tax on labour income", "money", "", "Income tax"),
    Measure("social_contributions", "Social contributions", "money", "", "Soc. contrib."),
    Measure("taxes_total", "Tax revenue, total", "money", "", "Taxes"),
))


def measure(key: str) -> Measure:
    """The core measure ``key`` (a satellite not in the registry is a physical quantity)."""
    return REGISTRY.get_or_physical(key)


def is_money(key: str) -> bool:
    """True when ``key`` is a money measure."""
    return REGISTRY.get_or_physical(key).is_money


def is_jobs(key: str) -> bool:
    """True when ``key`` counts persons (job-years when summed over years)."""
    return REGISTRY.get_or_physical(key).is_jobs


#: What every display shows for a missing, infinite or NaN value.
MISSING = "–"


def format_value(value: float | None, *, digits: int = 3, percent: bool = False) -> str:
    """The one number formatter of the library.

    Thousands separators; whole numbers at or above 100 in absolute value, ``digits``
    significant digits below; ``percent=True`` multiplies by 100 and appends ``" %"``. None,
    NaN and ±inf are :data:`MISSING`. Examples: 21760.4 → ``"21,760"``, 0.4173 → ``"0.417"``,
    0.1234 with ``percent`` → ``"12.3 %"``.
    """
    if value is None:
        return MISSING
    try:
        v = float(value)
    except (TypeError, ValueError):
        return MISSING
    if not math.isfinite(v):
        return MISSING
    if percent:
        return f"{format_value(100.0 * v, digits=digits)} %"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if v == 0:
        return "0"
    return f"{v:,.{digits}g}"


__all__ = [
    "APPRAISAL",
    "CORE",
    "EMPLOYEES",
    "EMPLOYMENT",
    "HEADLINE_ORDER",
    "IMPORT_PARTS",
    "MISSING",
    "NET_PRODUCT_TAXES",
    "PHASES",
    "PHASE_AGGREGATION",
    "REGISTRY",
    "TOTAL_PHASES",
    "VA_COMPONENTS",
    "Measure",
    "MeasureRegistry",
    "format_value",
    "is_jobs",
    "is_money",
    "jobs_basis",
    "measure",
    "sums_years",
]
