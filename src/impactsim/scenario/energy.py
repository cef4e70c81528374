"""The physical account of a scenario's sites: electricity, peak, emissions, water, and the bill.

For every investment that states ``capacity:`` (:mod:`impactsim.scenario.capacity`) and every
year of its operations (years and ramp ``w_t`` as the run places them, delay included)::

    IT energy      E_IT,t  = P_IT · u_t · w_t · 8760 h                       (MWh)
    site energy    E_t     = E_IT,t · PUE          (facility_mw: P_fac · u_t · w_t · 8760)
    peak demand    D_t     = P_IT · w_t · PUE      (facility_mw: P_fac · w_t)  (MW)
    emissions      location: E_t · f_t   market: E_t · (1 − r) · f_t         (tCO2eq)
    water          V_t     = E_IT,t · WUE           (MWh × L/kWh = m³; facility_mw: E_t · WUE)
    shares         E_t / national sales, E_t / provincial sales, D_t / national peak
    bill           physical: E_t · tariff   money: A · s_elec · w_t · rate   (KRW)

with ``u`` utilisation, ``f_t`` the grid factor of year t (the last published year held for
later years), ``r`` the renewable purchase share, ``A`` the operations annual amount, ``s_elec``
the spending pattern's electricity share and ``rate`` KRW per unit of the scenario's currency.
``energy_per_output`` (MWh per million KRW of the annual amount) replaces the size for a plant
stated by its output. ``bill: from-bill`` derives ``E_t`` from the money bill instead
(``E_t = A s_elec w_t rate / tariff``); ``bill: from-capacity`` rewrites the operations spending
so its electricity bill is the physical one (:func:`drive_bill`, applied before the run).

Every quantity is linear in the size and in utilisation; emissions are electricity × the
factor of the stated year. :func:`evaluate` takes arrays of parameter values (one per draw) so
the same formulas serve the deterministic account and the draws
(:mod:`impactsim.uncertainty.energy`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..datasets import energy as data
from ..engine.measures import Measure, MeasureRegistry
from ..errors import ImpactsimError, ScenarioError
from ..tables.table import IOTable
from . import money
from .capacity import Capacity
from .schema import Investment, Operations, Scenario
from .shocks import PhasePlan, Shocks
from .values import Share, Triangular, Uncertain

Array = NDArray[np.float64]
HOURS = 8760.0
ELECTRICITY_CATEGORY = "electricity"

#: The quantities of the physical account (units per year at full operation in the headline).
MEASURES = MeasureRegistry([
    Measure("electricity_gwh", "Electricity use", "physical", "GWh", "GWh",
            "Site electricity use (IT load × PUE), per year."),
    Measure("peak_mw", "Peak demand", "physical", "MW", "Peak",
            "Site power at full IT load (IT capacity online × PUE)."),
    Measure("share_national", "Share of national electricity sales", "physical", "share",
            "Nat. share", "Site electricity ÷ KEPCO sales to final customers, latest year."),
    Measure("share_province", "Share of the province's electricity sales", "physical", "share",
            "Prov. share", "Site electricity ÷ the province's KEPCO sales, latest year."),
    Measure("peak_share_national", "Share of national peak demand", "physical", "share",
            "Peak share", "Site peak ÷ the national summer peak (KPX), latest year."),
    Measure("emissions_location_t", "Emissions, location-based", "physical", "tCO2eq",
            "tCO2 (loc.)", "Site electricity × the national grid factor."),
    Measure("emissions_market_t", "Emissions, market-based", "physical", "tCO2eq",
            "tCO2 (mkt.)", "Site electricity less the renewable purchase × the grid factor."),
    Measure("water_m3", "Water", "physical", "m³", "Water",
            "Cooling water: IT energy × WUE."),
    Measure("bill_physical_krw_bn", "Electricity bill from the physical demand", "physical",
            "bn KRW", "Bill (phys.)", "Site electricity × the industrial tariff."),
    Measure("bill_money_krw_bn", "Electricity bill in the spending pattern", "physical",
            "bn KRW", "Bill (money)", "Operations amount × electricity share × ramp."),
    Measure("bill_gap_krw_bn", "Bill gap (money − physical)", "physical", "bn KRW", "Gap",
            "Positive: the spending pattern pays for more electricity than the site uses."),
    Measure("bill_gwh", "Electricity the money bill buys", "physical", "GWh", "GWh (bill)",
            "Money bill ÷ tariff."),
])
SHARES = ("share_national", "share_province", "peak_share_national")


@dataclass(frozen=True, eq=False)
class Site:
    """One investment's physical inputs, resolved against the shipped data and the run."""

    investment: str
    capacity: Capacity
    years: Array
    weights: Array
    amount: float
    currency: str
    rate_krw: float
    electricity_share: Uncertain | None
    amount_value: Uncertain | None
    tariff_krw_kwh: float
    tariff_note: str
    factor: Array
    factor_held: Array
    factor_years: Array
    national_sales_gwh: float
    national_peak_mw: float
    province_sales_gwh: float
    supply_years: str
    where: str

    @property
    def full_index(self) -> int:
        """Index of the first year at full operation (the largest ramp weight)."""
        return int(np.argmax(self.weights))

    def utilisation(self) -> Uncertain | None:
        """The scalar utilisation (None for a path, or for facility/output sizes unset)."""
        u = self.capacity.utilisation
        if isinstance(u, dict):
            return None
        if u is None:
            d = data.data_centre_defaults()["utilisation"]
            return Share(value=float(d["value"]), range=(float(d["low"]), float(d["high"])))
        return u

    def utilisation_path(self) -> Array | None:
        """Utilisation by year for a path (last stated year carried forward), else None."""
        u = self.capacity.utilisation
        if not isinstance(u, dict):
            return None
        known = sorted(u)
        out = []
        for y in self.years:
            before = [k for k in known if k <= y]
            out.append(u[before[-1]] if before else u[known[0]])
        return np.asarray(out, dtype=float)


def parameters(site: Site) -> dict[str, Uncertain]:
    """The uncertain inputs of ``site`` by name (value = the deterministic input)."""
    cap = site.capacity
    defaults = data.data_centre_defaults()
    out: dict[str, Uncertain] = {}
    size = cap.it_mw or cap.facility_mw or cap.energy_per_output
    assert size is not None  # validated: exactly one given
    out["size"] = size
    u = site.utilisation()
    if u is not None:
        out["utilisation"] = u
    if cap.basis != "facility":
        out["pue"] = cap.pue or _default("pue", defaults)
    out["wue"] = cap.wue or _default("wue", defaults)
    out["renewable_share"] = cap.renewable_share or Share(value=0.0)
    out["grid_factor"] = cap.grid_factor or _spread("grid_factor_after_last", defaults)
    # the shipped tariff is an average over seasons and times of day: spread it; a stated
    # price is the site's own
    out["tariff"] = (_spread("tariff_spread", defaults) if isinstance(cap.tariff, str)
                     else Uncertain(value=1.0))
    if site.amount_value is not None:
        out["amount"] = site.amount_value
    if site.electricity_share is not None:
        out["electricity_share"] = site.electricity_share
    return out


def _default(name: str, defaults: Mapping[str, Mapping[str, Any]]) -> Uncertain:
    d = defaults[name]
    lo, hi = float(d["low"]), float(d["high"])
    value = float(d["value"])
    return Uncertain(value=value, range=(lo, hi) if lo < hi else None)


def _spread(name: str, defaults: Mapping[str, Mapping[str, Any]]) -> Uncertain:
    """A factor around 1 (grid factor after the last published year, tariff)."""
    d = defaults[name]
    return Uncertain(value=1.0, distribution=Triangular(
        distribution="triangular", low=float(d["low"]), mode=1.0, high=float(d["high"])))


def evaluate(site: Site, values: Mapping[str, Array]) -> dict[str, Array]:
    """The physical account of ``site`` for parameter arrays ``values`` (each shape (S,)).

    Returns quantity → array (S, T) over the site's years (formulas in the module docstring).
    ``grid_factor`` is a factor on the held (post-publication) years' factor unless the
    capacity states its own factor, which then replaces the national one in every year.
    """
    cap = site.capacity
    size = np.asarray(values["size"], dtype=float)[:, None]
    s = size.shape[0]
    w = site.weights[None, :]
    path = site.utilisation_path()
    util = (path[None, :] if path is not None else
            np.asarray(values["utilisation"], dtype=float)[:, None])
    pue = np.asarray(values.get("pue", np.ones(s)), dtype=float)[:, None]
    amount = np.asarray(values.get("amount", np.full(s, site.amount)), dtype=float)[:, None]
    share = np.asarray(values.get("electricity_share", np.zeros(s)), dtype=float)[:, None]
    tariff = site.tariff_krw_kwh * np.asarray(values["tariff"], dtype=float)[:, None]
    bill_money = amount * share * w * site.rate_krw  # KRW
    if cap.bill == "from-bill":
        energy = np.broadcast_to(bill_money / (tariff * 1000.0), (s, len(site.years))).copy()
        it_energy = energy / pue
        peak = energy / HOURS / np.maximum(util, 1e-12)
    elif cap.basis == "it":
        it_energy = size * util * w * HOURS
        energy = it_energy * pue
        peak = size * w * pue
    elif cap.basis == "facility":
        energy = size * util * w * HOURS
        it_energy = energy
        peak = size * w
    else:  # MWh per million KRW of the annual amount
        energy = size * amount * w * site.rate_krw / 1e6
        it_energy = energy
        peak = energy / HOURS
    gf = np.asarray(values["grid_factor"], dtype=float)[:, None]
    if cap.grid_factor is not None:
        factor = np.broadcast_to(gf, (s, len(site.years)))
    else:
        factor = site.factor[None, :] * np.where(site.factor_held[None, :], gf, 1.0)
    renew = np.asarray(values["renewable_share"], dtype=float)[:, None]
    wue = np.asarray(values["wue"], dtype=float)[:, None]
    bill_phys = energy * tariff * 1000.0
    out = {
        "electricity_gwh": energy / 1000.0,
        "peak_mw": np.broadcast_to(peak, energy.shape),
        "share_national": energy / (site.national_sales_gwh * 1000.0),
        "share_province": energy / (site.province_sales_gwh * 1000.0),
        "peak_share_national": np.broadcast_to(peak, energy.shape) / site.national_peak_mw,
        "emissions_location_t": energy * factor,
        "emissions_market_t": energy * (1.0 - renew) * factor,
        "water_m3": it_energy * wue,
        "bill_physical_krw_bn": bill_phys / 1e9,
        "bill_money_krw_bn": np.broadcast_to(bill_money, energy.shape) / 1e9,
        "bill_gap_krw_bn": (bill_money - bill_phys) / 1e9,
        "bill_gwh": np.broadcast_to(bill_money / (tariff * 1000.0), energy.shape) / 1000.0,
    }
    return {k: np.asarray(v, dtype=float) for k, v in out.items()}


def base_values(site: Site) -> dict[str, Array]:
    """The deterministic parameter values (shape (1,))."""
    return {k: np.array([float(v.value)]) for k, v in parameters(site).items()}


def with_satellites(scenario: Scenario, table: IOTable) -> IOTable:
    """``table`` with the electricity-driven satellites when the scenario asks for them
    (``energy: {satellites: true}``), else ``table``; an unsupported table is an error naming
    the scenario's ``energy.satellites`` line."""
    settings = scenario.energy
    if settings is None or not settings.satellites:
        return table
    try:
        return data.with_electricity_satellites(table, factor_year=settings.grid_year)
    except ImpactsimError as exc:
        raise ScenarioError(f"{scenario.where('energy', 'satellites')}: {exc}") from None


# ----------------------------------------------------------------------------- sites
def _operations_plans(shocks: Shocks, name: str) -> list[PhasePlan]:
    return [p for p in shocks.plans
            if p.investment == name and p.phase == "operations" and p.part == "main"]


def sites(scenario: Scenario, shocks: Shocks) -> list[Site]:
    """The scenario's sites: every investment with ``capacity:`` and an operations phase."""
    out = []
    for i, inv in enumerate(scenario.investments):
        cap = inv.capacity
        if cap is None:
            continue
        where = scenario.where("investments", i, "capacity")
        ops = inv.operations
        plans = _operations_plans(shocks, inv.name)
        if ops is None or not plans:
            raise ScenarioError(f"{where}: capacity needs an operations phase (the years the "
                                "site runs); fix: add `operations:` or remove `capacity:`")
        out.append(_site(scenario, inv, cap, ops, plans, where))
    return out


def _site(scenario: Scenario, inv: Investment, cap: Capacity, ops: Operations,
          plans: Sequence[PhasePlan], where: str) -> Site:
    years = np.asarray(plans[0].years, dtype=int)
    weights = np.zeros(len(years))
    for p in plans:  # region parts of one phase share the years
        weights = weights + p.region_share * np.asarray(p.weights, dtype=float)
    shares = ops.category_shares()
    el_share = shares.get(ELECTRICITY_CATEGORY, 0.0)
    el_value = ops.shares.get(ELECTRICITY_CATEGORY) or (
        ops.pattern.categories[ELECTRICITY_CATEGORY].share
        if ELECTRICITY_CATEGORY in ops.pattern.categories else None)
    if cap.bill != "compare" and el_value is None:
        raise ScenarioError(f"{where}: bill: {cap.bill} needs a spending pattern with an "
                            f"'{ELECTRICITY_CATEGORY}' category (pattern '{ops.pattern.name}' "
                            "has none); fix: use `bill: compare`")
    el_share_u = None if el_value is None else el_value.model_copy(update={"value": el_share})
    rate = _rate_krw(scenario)
    if isinstance(cap.tariff, str):
        krw, effective = data.tariff(cap.tariff)
        note = f"KEPCO {cap.tariff} from {effective}: {krw} KRW/kWh"
    else:
        krw, note = float(cap.tariff), f"stated: {cap.tariff} KRW/kWh"
    factors = [data.grid_factor(int(y), cap.grid) for y in years]
    last = int(years[-1]) if len(years) else 0
    nat = data.latest(data.supply(cap.grid, "sales"), last)
    peak = data.latest(data.supply(cap.grid, "peak"), last)
    prov = data.latest(data.supply(cap.province, "sales"), last) if cap.province else None
    if cap.province and prov is None:
        raise ScenarioError(
            f"{where}: province {cap.province!r} has no shipped electricity sales; fix: use one "
            f"of {[r for r in data.supply_regions() if r != cap.grid]} or remove `province:`")
    years_note = ", ".join(f"{k} {v[1]}" for k, v in
                           (("national sales", nat), ("peak", peak), ("province", prov)) if v)
    return Site(
        investment=inv.name, capacity=cap, years=years, weights=weights,
        amount=float(ops.annual_amount.value), currency=scenario.currency, rate_krw=rate,
        electricity_share=el_share_u, amount_value=ops.annual_amount,
        tariff_krw_kwh=krw, tariff_note=note,
        factor=np.array([f.value for f in factors]),
        factor_held=np.array([f.held for f in factors]),
        factor_years=np.array([f.year for f in factors]),
        national_sales_gwh=nat[0] if nat else np.nan,
        national_peak_mw=peak[0] if peak else np.nan,
        province_sales_gwh=prov[0] if prov else np.nan,
        supply_years=years_note, where=where,
    )


def _rate_krw(scenario: Scenario) -> float:
    """KRW per unit of the scenario's currency (the stated rate, else the shipped one)."""
    if scenario.currency == "KRW":
        return 1.0
    stated = scenario.money.exchange_rate
    if stated is not None:
        return float(stated)
    year = scenario.money.exchange_rate_year or scenario.price_year
    return float(money.exchange_rate(scenario.currency, "KRW", int(year))[0])


# ----------------------------------------------------------------------------- the account
@dataclass(frozen=True, eq=False)
class PhysicalAccount:
    """A scenario's physical account (read-only frames).

    ``by_year``: investment, year, ramp and every quantity of :data:`MEASURES` (deterministic);
    ``full``: the same at each site's first year of full operation, plus a row ``all``;
    ``quantiles``: with draws, quantity × investment × quantile level at full operation.
    """

    by_year: pd.DataFrame
    full: pd.DataFrame
    notes: tuple[str, ...]
    quantiles: pd.DataFrame | None = None
    n_draws: int = 0
    registry: MeasureRegistry = field(default_factory=lambda: MEASURES, repr=False)

    @property
    def investments(self) -> tuple[str, ...]:
        return tuple(self.full.index.drop("all", errors="ignore"))

    def headline(self) -> pd.DataFrame:
        """Quantity rows × (central, P5, P95 …) for all sites together at full operation."""
        central = self.full.loc["all"].rename("central")
        frame = central.to_frame()
        if self.quantiles is not None:
            q = self.quantiles.xs("all", level="investment")
            frame = frame.join(q)
        frame.index.name = "quantity"
        frame.insert(0, "unit", [self.registry[k].unit for k in frame.index])
        return frame

    def series(self, quantity: str) -> pd.Series:
        """A quantity by year, all sites summed."""
        return self.by_year.groupby("year")[quantity].sum()


def account(scenario: Scenario, shocks: Shocks) -> PhysicalAccount | None:
    """The deterministic physical account (None when no investment states ``capacity:``)."""
    found = sites(scenario, shocks)
    if not found:
        return None
    rows, full = [], {}
    for site in found:
        res = evaluate(site, base_values(site))
        frame = pd.DataFrame({k: v[0] for k, v in res.items()})
        frame.insert(0, "ramp", site.weights)
        frame.insert(0, "year", site.years)
        frame.insert(0, "investment", site.investment)
        rows.append(frame)
        full[site.investment] = frame.iloc[site.full_index][list(MEASURES)]
    by_year = pd.concat(rows, ignore_index=True)
    full_frame = pd.DataFrame(full).T
    full_frame.loc["all"] = combine(full_frame)
    return PhysicalAccount(by_year=by_year, full=full_frame, notes=notes(found))


def combine(frame: pd.DataFrame) -> pd.Series:
    """Sites added up: every quantity is a sum (shares of the same supply add too)."""
    return frame.sum(axis=0, min_count=1)


def notes(found: Sequence[Site]) -> tuple[str, ...]:
    """What the account assumes, one line each (shown under every presentation)."""
    out = []
    for s in found:
        cap = s.capacity
        held = sorted({int(y) for y, h in zip(s.years, s.factor_held, strict=True) if h})
        fy = sorted(set(s.factor_years.tolist()))
        out.append(
            f"{s.investment}: {cap.basis} basis; grid {cap.grid} factor of "
            f"{', '.join(map(str, fy))}" + (f" (held for {held[0]}–{held[-1]})" if held else "")
            + f"; {s.tariff_note}; supply: {s.supply_years}; bill: {cap.bill}")
    out.append("Emissions are scope 2 (purchased electricity) only; embodied emissions of "
               "equipment and buildings, and any climate effect of cooling, are left out.")
    return tuple(out)


# ----------------------------------------------------------------------------- bill driving
def drive_bill(scenario: Scenario) -> Scenario:
    """The scenario with each ``bill: from-capacity`` site's operations spending rewritten so
    the electricity category pays the physical bill at the deterministic inputs:
    ``A' = A (1 − s_e) + B / rate``, ``s_e' = (B / rate) / A'``, other shares ``s_i A / A'``,
    with ``B = P_IT · u · PUE · 8760 · tariff`` (KRW per year at full operation). Scenarios
    without such a site are returned as they are."""
    if not any(i.capacity is not None and i.capacity.bill == "from-capacity"
               for i in scenario.investments):
        return scenario
    rate = _rate_krw(scenario)
    new_invs = []
    for i, inv in enumerate(scenario.investments):
        cap = inv.capacity
        if cap is None or cap.bill != "from-capacity" or inv.operations is None:
            new_invs.append(inv)
            continue
        new_invs.append(inv.model_copy(update={"operations": _driven(
            scenario, i, inv.operations, cap, rate)}))
    out = scenario.model_copy(update={"investments": new_invs})
    return out


def _driven(scenario: Scenario, i: int, ops: Operations, cap: Capacity,
            rate: float) -> Operations:
    where = scenario.where("investments", i, "capacity")
    shares = ops.category_shares()
    if ELECTRICITY_CATEGORY not in shares:
        raise ScenarioError(f"{where}: bill: from-capacity needs a pattern with an "
                            f"'{ELECTRICITY_CATEGORY}' category; fix: use `bill: compare`")
    defaults = data.data_centre_defaults()
    util = cap.utilisation
    u = (max(util.values()) if isinstance(util, dict) else
         float(util.value) if util is not None else float(defaults["utilisation"]["value"]))
    pue = float(cap.pue.value) if cap.pue is not None else float(defaults["pue"]["value"])
    tariff = (data.tariff(cap.tariff)[0] if isinstance(cap.tariff, str) else float(cap.tariff))
    if cap.it_mw is not None:  # basis "it"
        mwh = float(cap.it_mw.value) * u * pue * HOURS
    elif cap.facility_mw is not None:  # basis "facility"
        mwh = float(cap.facility_mw.value) * u * HOURS
    else:
        raise ScenarioError(f"{where}: bill: from-capacity needs it_mw or facility_mw")
    bill = mwh * tariff * 1000.0 / rate  # scenario currency per year
    a = float(ops.annual_amount.value)
    s_e = shares[ELECTRICITY_CATEGORY]
    a_new = a * (1.0 - s_e) + bill
    scale = a / a_new
    new_shares = {}
    for k, s in shares.items():
        if k == ELECTRICITY_CATEGORY:
            new_shares[k] = Share(value=bill / a_new)
            continue
        old = ops.shares.get(k) or ops.pattern.categories[k].share
        rng = None if old.range is None else (min(1.0, old.range[0] * scale),
                                              min(1.0, old.range[1] * scale))
        new_shares[k] = Share(value=s * scale, range=rng)
    amt = ops.annual_amount
    rng = None if amt.range is None else (amt.range[0] * a_new / a, amt.range[1] * a_new / a)
    new_amount = amt.model_copy(update={"value": a_new, "range": rng, "distribution": None})
    return ops.model_copy(update={"annual_amount": new_amount, "shares": new_shares})


# ----------------------------------------------------------------------------- claims
#: Claim measures answered by the physical account (a claim's ``measure:``).
CLAIM_MEASURES = ("electricity_gwh", "peak_mw", "emissions_location_t", "emissions_market_t",
                  "water_m3", "renewable_share")
#: Units a physical claim may be written in: unit word → factor to the account's unit.
_CLAIM_UNITS = {
    "electricity_gwh": {"mwh": 1e-3, "gwh": 1.0, "twh": 1e3},
    "peak_mw": {"kw": 1e-3, "mw": 1.0, "gw": 1e3},
    "emissions_location_t": {"tco2eq": 1.0, "tco2": 1.0, "t": 1.0, "kt": 1e3, "ktco2eq": 1e3,
                             "mt": 1e6, "mtco2eq": 1e6},
    "water_m3": {"m3": 1.0, "m³": 1.0, "l": 1e-3, "litres": 1e-3, "million m3": 1e6},
    "renewable_share": {"share": 1.0, "%": 0.01, "percent": 0.01},
}
_CLAIM_UNITS["emissions_market_t"] = _CLAIM_UNITS["emissions_location_t"]


class PhysicalClaim(Protocol):
    """What :func:`claim_figures` reads of a claim (:class:`impactsim.scenario.claims.Claim`,
    which imports this module)."""

    @property
    def measure(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def investments(self) -> tuple[str, ...]: ...
    @property
    def mid(self) -> float: ...


def claim_figures(claim: PhysicalClaim, account: PhysicalAccount | None,
                  scenario: Scenario) -> tuple[float, float, float, float, str] | str:
    """A physical claim against the account at full operation, in the claim's unit:
    ``(claim factor to the account unit, model low, mid, high, basis)``, or a note why it
    cannot be compared. ``renewable_share`` is the stated purchase share (the account has no
    other figure for it); the basis says what the claimed share would do to market-based
    emissions."""
    if account is None:
        return "the scenario states no `capacity:`, so it has no physical account"
    units = _CLAIM_UNITS[claim.measure]
    factor = units.get(claim.unit.strip().lower())
    if factor is None:
        return (f"unit '{claim.unit}' is not known for {claim.measure}; use one of "
                f"{sorted(units)}")
    invs = list(claim.investments) or ["all"]
    if claim.measure == "renewable_share":
        shares = [inv.capacity.renewable_share for inv in scenario.investments
                  if inv.capacity is not None and (invs == ["all"] or inv.name in invs)]
        vals = [(*s.support(), s.value) if s is not None else (0.0, 0.0, 0.0) for s in shares]
        lo, hi, mid = (min(v[0] for v in vals), max(v[1] for v in vals),
                       sum(v[2] for v in vals) / max(len(vals), 1))
        loc = float(account.full.loc["all", "emissions_location_t"])
        claimed = claim.mid * factor
        basis = (f"renewable purchase stated in the scenario; at the claimed share "
                 f"market-based emissions would be {loc * (1 - claimed):,.0f} tCO2eq a year "
                 f"(location-based {loc:,.0f})")
        return factor, lo / factor, mid / factor, hi / factor, basis
    rows = [i for i in invs if i in account.full.index]
    if not rows:
        return f"investments {invs} have no physical account"
    mid = float(account.full.loc[rows, claim.measure].sum())
    lo = hi = mid
    kind = "±0 (no draws)"
    if account.quantiles is not None and len(rows) == 1:
        q = account.quantiles.xs(rows[0], level="investment").loc[claim.measure]
        lo, hi = float(q.iloc[0]), float(q.iloc[-1])
        kind = f"{q.index[0]}–{q.index[-1]} of {account.n_draws} draws"
    unit = account.registry[claim.measure].unit
    basis = (f"physical account, a year of full operation ({unit} per year); range {kind}")
    return factor, lo / factor, mid / factor, hi / factor, basis


__all__ = [
    "CLAIM_MEASURES",
    "MEASURES",
    "PhysicalAccount",
    "Site",
    "account",
    "base_values",
    "claim_figures",
    "combine",
    "drive_bill",
    "evaluate",
    "parameters",
    "sites",
    "with_satellites",
]
