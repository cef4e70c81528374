"""Appraisal: gross effects → net, present values, GNI, tax revenue and headcount.

Input-output effects are *gross*: every job and won the spending touches, whatever would have
happened anyway. An appraisal (KDI preliminary feasibility study, UK Green Book) asks for more;
:func:`appraise` adds it, from a :class:`~impactsim.scenario.result.ScenarioResult` and the
scenario's ``appraisal:`` settings (:class:`~impactsim.scenario.schema.AppraisalSettings`):

net
    ``net = gross × (1 − deadweight) × (1 − displacement)`` (HCA Additionality Guide 2014;
    leakage to imports is already inside the model, the multiplier is the model's). The defaults
    of deadweight and displacement follow the *scope* of the appraisal (national, province,
    local area; :data:`ADDITIONALITY_DEFAULTS`, each sourced, each with a range): the larger
    the geography, the more of a project's activity is drawn from elsewhere inside it. The net
    range uses the ends of both ranges. Type I (direct + indirect) stands beside Type II.
present value
    ``PV = π Σ_t v_t / (1 + r)^(t − t₀ − h)`` over the modelled years ``t`` at the real discount
    rate ``r`` (default 4.5 %, Korea's social discount rate since 2017) to the base year ``t₀``
    (default: the scenario's price year), in **constant prices of the base year** (KDI, Green
    Book): ``π = D(t₀) / D(T)`` moves the model's money from the table's price year ``T`` with
    the GDP deflator ``D``. ``h`` is the timing convention: 0 for end-year (default: a year's
    flow counts at its end, the base year's undiscounted), ½ for mid-year. Undiscounted gross
    and net money stay at the table's prices (as the headline). Jobs are never discounted.
GNI
    ``GNI = value added − φ × operating surplus of the investor's own activity`` (direct effect
    in the site sectors of operations: every sector of an output pattern, the ``site: true``
    categories of a spending pattern), ``φ`` = ``foreign_ownership``. Operating surplus per unit
    of output comes from the table's ``operating_surplus`` row.
tax revenue
    net taxes on production = the table's ``production_taxes`` row per unit of output × output;
    on labour income ``w`` (the model's compensation): employers' contributions ``e w``,
    employees' contributions ``(1 − e) s_ee w``, income tax ``(1 − e) t w`` with the sourced
    rates of :mod:`impactsim.scenario.households`.
headcount
    persons = FTE × persons per FTE (Statistics Korea employed persons / BOK FTE, 2020).

Every figure says what it is: ``view`` gross or net, ``valuation`` undiscounted or PV, the
price year of money and the base year of discounting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ..engine.measures import APPRAISAL, PHASES
from ..errors import OptionError, ScenarioError
from ..tables.table import EMPLOYMENT, IOTable, TableMeta
from . import money as money_
from .households import HouseholdRates, household_countries, household_rates
from .prices import level
from .result_view import ResultView
from .schema import AppraisalSettings

#: The measures of an appraisal, in display order, with their kind (jobs in FTE, persons or
#: money): read from the measure registry (:data:`impactsim.engine.measures.APPRAISAL`).
APPRAISAL_MEASURES: dict[str, str] = {
    k: "money" if m.is_money else ("jobs" if "FTE" in m.unit else "persons")
    for k, m in APPRAISAL.items()
}
#: Display labels (the registry's).
APPRAISAL_LABELS = {k: m.label for k, m in APPRAISAL.items()}
#: Rows of the summary: each phase (construction, operations, sustaining capex) and the whole.
SCOPES = (*PHASES, "whole")


@dataclass(frozen=True, slots=True)
class Additionality:
    """A sourced default share (deadweight or displacement) with its range."""

    value: float
    low: float
    high: float
    source: str


_HCA = ("HCA Additionality Guide 2014 (4th ed.) ready reckoner: deadweight none 0 % / low 10 %; "
        "displacement none 0 %, low 25 %, medium 50 %, high 75 %, total 100 % "
        "(docs/sources.md#hca-additionality-2014)")
_DEADWEIGHT = Additionality(
    0.0, 0.0, 0.1,
    "no public support and no reference case with such a site: deadweight 'none' (0 %), range "
    "to 'low' (10 %); " + _HCA)
#: Default deadweight and displacement by the scope of the appraisal.
ADDITIONALITY_DEFAULTS: Mapping[str, Mapping[str, Additionality]] = MappingProxyType({
    "national": MappingProxyType({
        "deadweight": _DEADWEIGHT,
        "displacement": Additionality(
            0.75, 0.5, 1.0,
            "national appraisal: HM Treasury Green Book 2022 appraises at full employment, so "
            "employment effects at national level are largely displaced unless shown otherwise "
            "(docs/sources.md#green-book-2022); KDI preliminary feasibility studies leave "
            "regional output and job effects out of the national benefit (transfers; "
            "docs/sources.md#kdi-pfs-guidelines); central 'high' 75 %, range 'medium' 50 % to "
            "'total' 100 %; " + _HCA),
    }),
    "province": MappingProxyType({
        "deadweight": _DEADWEIGHT,
        "displacement": Additionality(
            0.5, 0.25, 0.75,
            "province: activity drawn from elsewhere in the province counts, from other "
            "provinces not; 'medium' 50 %, range 'low' to 'high'; " + _HCA),
    }),
    "local": MappingProxyType({
        "deadweight": _DEADWEIGHT,
        "displacement": Additionality(
            0.25, 0.0, 0.5,
            "local area: most displaced activity lies outside the area; 'low' 25 %, range "
            "'none' to 'medium'; " + _HCA),
    }),
})


def additionality(settings: AppraisalSettings) -> dict[str, Additionality]:
    """Deadweight and displacement of ``settings``: a stated value (with its stated range, else
    the value itself as both ends), otherwise the default of the appraisal's scope."""
    out: dict[str, Additionality] = {}
    for name in ("deadweight", "displacement"):
        stated = getattr(settings, name)
        if stated is None:
            out[name] = ADDITIONALITY_DEFAULTS[settings.scope][name]
            continue
        lo, hi = stated.range if stated.range is not None else (stated.value, stated.value)
        out[name] = Additionality(float(stated.value), float(lo), float(hi),
                                  "stated in the scenario")
    return out


@dataclass(frozen=True, eq=False)
class Appraisal:
    """Net and present values of a scenario result (read-only frames).

    ``summary``: rows (scope, measure) with scope construction / operations / sustaining
    (capex during operation, e.g. an IT refresh) / whole (every modelled year summed:
    job-years, money totals), columns ``gross``, ``net`` (undiscounted)
    and ``gross_pv``, ``net_pv`` (money only; NaN for jobs). ``by_year``: tidy rows (year,
    phase, measure) with gross, net, discount factor and the discounted values. ``settings``:
    the rates used; ``notes``: one line per choice.
    """

    summary: pd.DataFrame
    by_year: pd.DataFrame
    settings: dict[str, Any]
    notes: tuple[str, ...]
    units: dict[str, str] = field(default_factory=dict)

    @property
    def net_factor(self) -> float:
        """``(1 − deadweight) × (1 − displacement)``."""
        return float(self.settings["net_factor"])

    def net_range(self, scope: str = "whole") -> pd.DataFrame:
        """Net (undiscounted and PV) at the ends of the deadweight and displacement ranges:
        columns ``net_low`` = gross × (1 − dw_high)(1 − dp_high), ``net_high`` = gross ×
        (1 − dw_low)(1 − dp_low), and the PV pair."""
        frame = self.summary.xs(scope, level="scope")
        lo, hi = self.settings["net_factor_low"], self.settings["net_factor_high"]
        return pd.DataFrame({"net_low": frame["gross"] * lo, "net_high": frame["gross"] * hi,
                             "net_pv_low": frame["gross_pv"] * lo,
                             "net_pv_high": frame["gross_pv"] * hi})

    def headline(self, scope: str = "whole") -> pd.DataFrame:
        """One scope's rows: measures × (gross, net, gross_pv, net_pv), with display labels."""
        have = list(dict.fromkeys(self.summary.index.get_level_values("scope")))
        if scope not in have:
            raise OptionError(f"scope={scope!r}: use one of {have}")
        frame = self.summary.xs(scope, level="scope").copy()
        frame.insert(0, "label", [APPRAISAL_LABELS[m] for m in frame.index])
        frame.insert(1, "unit", [self.units[m] for m in frame.index])
        return frame

    def describe(self) -> str:
        """One line: what the figures are (gross/net, discounting, prices)."""
        s = self.settings
        return (
            f"{s['scope']} appraisal: net = gross × {s['net_factor']:.3g} (range "
            f"{s['net_factor_low']:.3g}–{s['net_factor_high']:.3g}; deadweight "
            f"{s['deadweight']:.3g} [{s['deadweight_low']:.3g}–{s['deadweight_high']:.3g}], "
            f"displacement {s['displacement']:.3g} [{s['displacement_low']:.3g}–"
            f"{s['displacement_high']:.3g}]); PV at {100 * s['discount_rate']:.3g} % "
            f"real to {s['base_year']} ({s['timing']}), in {s['pv_price_year']} prices; money "
            f"at {s['price_year']} prices"
        )


def base_year_prices(meta: TableMeta, base: int) -> tuple[float, str]:
    """(π, note): the GDP deflator of the base year over the table's price year, which moves
    the model's money to constant prices of the base year; (1, why) when not shipped."""
    year = getattr(meta, "price_year", None)
    if year is None or int(year) == base:
        return 1.0, "the table's prices"
    try:
        country = money_._index_country("gdp-deflator", str(meta.region or ""),
                                        str(meta.currency or ""))
        hi, lo = level("gdp-deflator", country, base), level("gdp-deflator", country, int(year))
    except ScenarioError as exc:  # no index shipped: stay at the table's prices, and say so
        return 1.0, f"table prices: no GDP deflator to move them to {base} ({exc})"
    return hi.value / lo.value, (f"× {hi.value / lo.value:.4g}, GDP deflator {base} / "
                                 f"{int(year)}, {country}")


def _coefficient(table: IOTable | None, row: str) -> np.ndarray | None:
    va = None if table is None else table.value_added
    if table is None or va is None or row not in getattr(va, "index", ()):
        return None
    x = np.asarray(table.x, dtype=float)
    v = va.loc[row].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, v / np.where(x > 0, x, 1.0), 0.0)


def _site_mask(result: ResultView) -> np.ndarray:
    """(columns, sectors): 1 where a column's direct effect is the investor's own activity."""
    values = result.values
    mask = np.zeros((values.shape[0], values.shape[3]))
    for plan, cols in zip(result.shocks.plans, result.shocks.plan_columns, strict=True):
        if plan.phase != "operations" or plan.part != "main":
            continue
        own = plan.site_vector() > 0
        for c in cols:
            mask[c, own] = 1.0
    return mask


def _rates(result: ResultView) -> HouseholdRates | None:
    region = str(getattr(result.table, "region", "") or "")
    return household_rates(region) if region in household_countries() else None


def _settings(result: ResultView, settings: AppraisalSettings | None) -> AppraisalSettings:
    if settings is not None:
        return settings
    stated = getattr(result.scenario, "appraisal", None)
    return stated if stated is not None else AppraisalSettings()


def appraise(result: ResultView, settings: AppraisalSettings | None = None) -> Appraisal:
    """Net and present values, GNI, tax revenue and headcount of a scenario result.

    ``settings`` defaults to the scenario's ``appraisal:`` section, else
    :class:`AppraisalSettings` defaults (national scope: its deadweight and displacement
    defaults, 4.5 % real, base year = price year, no foreign ownership). Formulas in the
    module docstring. Money is in the table's money unit at its price year; jobs in job-years
    (FTE) and person-years.
    """
    st = _settings(result, settings)
    measures = tuple(result.measures)
    effects = tuple(result.effects)
    values = np.asarray(result.values, dtype=float)  # (c, e, m, n)
    table = result.sourcing.table if result.sourcing is not None else None
    rates = _rates(result)
    notes: list[str] = []

    def layer(measure: str) -> np.ndarray | None:
        return values[:, :, measures.index(measure), :] if measure in measures else None

    out_l, va_l, inc_l, emp_l = (layer(m) for m in ("output", "value_added", "income", EMPLOYMENT))
    k1 = [i for i, e in enumerate(effects) if e in ("direct", "indirect")]
    nan_c = np.full(values.shape[0], np.nan)

    def total(arr: np.ndarray | None, *, type1: bool = False) -> np.ndarray:
        if arr is None:
            return nan_c
        sel = arr[:, k1, :] if type1 else arr
        return sel.sum(axis=(1, 2))

    per: dict[str, np.ndarray] = {}
    per["jobs_type1"] = total(emp_l, type1=True)
    per["jobs_type2"] = total(emp_l)
    ratio = rates["fte_to_persons"] if rates is not None else np.nan
    per["headcount_type2"] = per["jobs_type2"] * ratio
    per["value_added_type1"] = total(va_l, type1=True)
    per["value_added"] = total(va_l)
    os_coef = None if table is None else _coefficient(table, "operating_surplus")
    phi = float(st.foreign_ownership.value)
    if os_coef is not None and out_l is not None:
        direct_os = out_l[:, effects.index("direct"), :] * os_coef * _site_mask(result)
        per["gni"] = per["value_added"] - phi * direct_os.sum(axis=1)
    else:
        per["gni"] = per["value_added"] if phi == 0 else nan_c
        notes.append("GNI: the table has no operating-surplus row; GNI = GDP unless owned abroad")
    tax_coef = None if table is None else _coefficient(table, "production_taxes")
    per["taxes_on_production"] = (
        nan_c if tax_coef is None or out_l is None
        else (out_l * tax_coef).sum(axis=(1, 2))
    )
    income = total(inc_l)
    if rates is not None:
        lt = rates.labour_taxes()
        per["income_tax"] = income * lt["income_tax"]
        per["social_contributions"] = income * (
            lt["employer_contributions"] + lt["employee_contributions"]
        )
    else:
        per["income_tax"] = per["social_contributions"] = nan_c
        notes.append("labour taxes: no household rates for this economy")
    per["taxes_total"] = np.nansum(
        np.vstack([per["taxes_on_production"], per["income_tax"], per["social_contributions"]]),
        axis=0,
    )

    cols = result.columns
    years = cols["year"].to_numpy(dtype=int)
    phases = cols["phase"].to_numpy(dtype=object)
    base = int(st.base_year if st.base_year is not None else result.scenario.price_year)
    r = float(st.discount_rate)
    half = 0.5 if st.timing == "mid-year" else 0.0
    disc = (1.0 + r) ** -(years - base - half).astype(float)
    pv_factor, pv_note = base_year_prices(result.table, base)
    price_year = None if result.table.price_year is None else int(result.table.price_year)
    disc = disc * pv_factor
    add = additionality(st)
    dw, dp = add["deadweight"], add["displacement"]
    net_factor = (1.0 - dw.value) * (1.0 - dp.value)

    rows = []
    for m, kind in APPRAISAL_MEASURES.items():
        gross = per[m]
        frame = pd.DataFrame({"year": years, "phase": phases, "gross": gross})
        frame["measure"] = m
        frame["net"] = gross * net_factor
        frame["discount_factor"] = disc
        money = kind == "money"
        frame["gross_pv"] = gross * disc if money else np.nan
        frame["net_pv"] = frame["net"] * disc if money else np.nan
        rows.append(frame)
    tidy = pd.concat(rows, ignore_index=True)
    by_year = (
        tidy.groupby(["year", "phase", "measure"], sort=False)[["gross", "net", "gross_pv",
                                                               "net_pv"]]
        .sum(min_count=1)
        .reset_index()
    )
    by_year["discount_factor"] = (1.0 + r) ** -(by_year["year"] - base - half).astype(float)

    summary_rows = []
    present = set(phases)
    for scope in [p for p in PHASES if p in present] + ["whole"]:
        sel = tidy if scope == "whole" else tidy[tidy["phase"] == scope]
        agg = sel.groupby("measure", sort=False)[["gross", "net", "gross_pv", "net_pv"]].sum(
            min_count=1
        )
        agg = agg.reindex(list(APPRAISAL_MEASURES))
        agg.index = pd.MultiIndex.from_product([[scope], agg.index], names=["scope", "measure"])
        summary_rows.append(agg)
    summary = pd.concat(summary_rows)

    money_unit = f"{result.table.money_unit}, {result.table.price_year} prices"
    units = {
        m: (money_unit if k == "money" else ("job-years (FTE)" if k == "jobs" else
                                            "person-years"))
        for m, k in APPRAISAL_MEASURES.items()
    }
    summary.attrs["units"] = units
    summary.attrs["view"] = "gross and net; undiscounted and present values"
    sets: dict[str, Any] = {
        "scope": st.scope,
        "deadweight": dw.value,
        "deadweight_low": dw.low,
        "deadweight_high": dw.high,
        "deadweight_source": dw.source,
        "displacement": dp.value,
        "displacement_low": dp.low,
        "displacement_high": dp.high,
        "displacement_source": dp.source,
        "net_factor": net_factor,
        "net_factor_low": (1.0 - dw.high) * (1.0 - dp.high),
        "net_factor_high": (1.0 - dw.low) * (1.0 - dp.low),
        "discount_rate": r,
        "base_year": base,
        "price_year": price_year,
        "timing": st.timing,
        "pv_price_year": base if pv_factor != 1.0 or base == price_year else price_year,
        "pv_price_factor": pv_factor,
        "foreign_ownership": phi,
        "fte_to_persons": ratio,
        "source": st.source,
    }
    if rates is not None:
        sets.update({f"rate_{k}": v for k, v in rates.labour_taxes().items()})
    notes.insert(0, (
        f"gross: the model's effects; net ({st.scope} scope): × (1 − deadweight "
        f"{sets['deadweight']:.3g}) × (1 − displacement {sets['displacement']:.3g}); deadweight: "
        f"{dw.source}; displacement: {dp.source}"
    ))
    notes.append(
        f"PV: discounted at {100 * r:.3g} % real to {base} ({st.timing} convention), in "
        f"constant {sets['pv_price_year']} prices ({pv_note}); undiscounted money at "
        f"{sets['price_year']} prices; jobs not discounted"
    )
    if phi:
        notes.append(f"GNI: {100 * phi:.3g} % of the investor's own operating surplus is owned "
                     "abroad")
    return Appraisal(summary=summary, by_year=by_year, settings=sets, notes=tuple(notes),
                     units=units)
