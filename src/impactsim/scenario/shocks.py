"""Scenario → shocks: domestic final-demand changes by sector, year and region, with an audit trail.

For each investment phase ``p`` (and region share ``ρ``) the translation is::

    money    a_table = a × ρ × rate × P(table year)/P(price year) / unit       (table units)
    category a_c     = a_table × s_c                    (pattern shares, scenario overrides)
    sector   a_cj    = a_c × b_cj                       (the pattern's bridge to table sectors)
    margins  goods j: b_cj × (1 − τ − φ); trade and transport a_c × (τ + φ) × γ_c   (BOK GFCF)
    domestic d_cj    = a_cj × ℓ_cj,  imported a_cj × (1 − ℓ_cj)   (local share)
    year     y_j(t)  = Σ_c d_cj × w_t                   (profile shares, or operations ramp)

Construction weights ``w_t`` sum to 1 over the period (the amount is a total); operations
weights are the fraction of full operation in each year (the amount is per year); sustaining
capex (an operations phase's ``sustaining:`` block, its own phase) falls when each equipment
tranche reaches the end of its cycle (:mod:`impactsim.scenario.refresh`; the amount is per
refresh). Categories a
pattern marks ``excluded`` (land) carry money but no demand. The audit trail has one row per
(phase, region, category, sector, year) — or per excluded category and year; rows with
``margin`` true are the trade and transport margins on the category's goods (``margins`` module)
— and its columns add up exactly: ``domestic + imported + excluded = table_units`` and the sum of
``amount_currency`` is the stated amount times the sum of the weights.

A category of ``channel: exports`` (the Korean content of imported equipment, e.g. HBM inside
imported accelerators) is not a purchase by the investor: its local share is the share made at
home, which reaches the site through exports and re-imports. Such categories get a plan of their
own (``channel = "exports"``, the same categories, amount and weights, the other categories'
bridge rows zero), so the demand, the audit trail and the ledger show them as their own line;
the purchase plan carries every other category.

The numeric plan of each phase (:class:`PhasePlan`) is kept, so the uncertainty run can resample
amounts, shares, local shares and timing and rebuild the demand stack without re-reading YAML.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import ScenarioError
from ..tables.table import IOTable, TableMeta
from . import money
from .margins import margin_rates
from .patterns import Pattern
from .prices import CategoryPrices, category_prices
from .refresh import ramp_tranches, schedule
from .schema import Construction, Operations, Scenario, Sustaining
from .sourcing import choose_sourcing, resolve_table
from .sourcing_base import Sourcing

Array = NDArray[np.float64]

#: Steepness of the S-curve profile (logistic CDF over the period).
S_CURVE_STEEPNESS = 10.0


# ----------------------------------------------------------------------------- profiles
def profile_weights(
    profile: str | Mapping[int, float], start: int, end: int
) -> tuple[NDArray[np.int_], Array]:
    """(years, shares) of a construction profile over ``start..end`` (shares sum to 1).

    even: 1/n; front-loaded: ∝ n, n−1, …, 1; back-loaded: ∝ 1, …, n; s-curve: increments of
    the logistic CDF F(u) = 1/(1 + e^{−10(u − ½)}) at u = i/n, rescaled to F(0)..F(1);
    a mapping: the shares given (0 for years not listed), rescaled to sum exactly 1.
    """
    years = np.arange(start, end + 1)
    n = years.size
    if isinstance(profile, Mapping):
        w = np.array([float(profile.get(int(y), 0.0)) for y in years])
    elif profile == "even":
        w = np.ones(n)
    elif profile == "front-loaded":
        w = np.arange(n, 0, -1, dtype=float)
    elif profile == "back-loaded":
        w = np.arange(1, n + 1, dtype=float)
    elif profile == "s-curve":
        u = np.linspace(0.0, 1.0, n + 1)
        cdf = 1.0 / (1.0 + np.exp(-S_CURVE_STEEPNESS * (u - 0.5)))
        w = np.diff(cdf)
    else:  # pragma: no cover - schema forbids it
        raise ScenarioError(f"unknown profile {profile!r}")
    return years, w / w.sum()


def shift_profile(
    years: NDArray[np.int_], weights: Array, delay: float
) -> tuple[NDArray[np.int_], Array]:
    """Shift a yearly profile by ``delay`` years; a fraction f spreads (1 − f, f) over two years.

    The weights' sum is preserved exactly.
    """
    if delay == 0:
        return years, weights
    whole = math.floor(delay)
    frac = delay - whole
    yrs = years + whole
    if frac == 0:
        return yrs, weights
    out_years = np.arange(yrs[0], yrs[-1] + 2)
    out = np.zeros(out_years.size)
    out[:-1] += (1.0 - frac) * weights
    out[1:] += frac * weights
    return out_years, out


# ----------------------------------------------------------------------------- classification
def choose_classification(pattern: Pattern, sourcing: Sourcing, *, where: str) -> str:
    """The first classification of the pattern whose every sector code is in the table."""
    table = sourcing.table
    lookup = sourcing.lookup()
    active = {k: c for k, c in pattern.categories.items() if c.excluded is None}
    best: tuple[int, str, str, str] | None = None  # (-found, cls, category, missing code)
    for cls in pattern.classifications:
        missing: tuple[str, str] | None = None
        found = 0
        for cname, cat in active.items():
            if cls not in cat.sectors:
                missing = missing or (cname, "")
                continue
            for code in cat.sectors[cls]:
                if code in lookup:
                    found += 1
                else:
                    missing = missing or (cname, code)
        if missing is None:
            return cls
        cand = (-found, cls, *missing)
        best = cand if best is None or cand < best else best
    if best is None:
        raise ScenarioError(f"{where}: pattern '{pattern.name}' lists no sectors; fix: add sectors")
    _, cls, cname, code = best
    src = pattern.source_map
    if not code:
        raise ScenarioError(
            f"{src.where(('categories', cname, 'sectors'))}: categories.{cname}.sectors: no "
            f"'{cls}' sectors for table '{table.meta.name}'; fix: add `{cls}: {{<code>: 1.0}}`"
        )
    near = difflib.get_close_matches(code, list(lookup), n=3)
    hint = f"did you mean {near}? " if near else ""
    raise ScenarioError(
        f"{src.where(('categories', cname, 'sectors', cls, code))}: "
        f"categories.{cname}.sectors.{cls}: unknown sector '{code}' for table "
        f"'{table.meta.name}' (used by {where}); fix: {hint}use a sector code of the table "
        "(ims.load_table(...).sectors)"
    )


# ----------------------------------------------------------------------------- the plan
@dataclass(frozen=True, eq=False)
class PhasePlan:
    """The numeric translation of one investment phase in one region (see module docstring).

    ``bridge[c, j]`` splits category c over table sectors (rows sum to 1 less the category's
    trade and transport margins, which ``margin_bridge`` carries; zero for excluded categories
    and for the categories of the other channel); ``local[c, j]`` is the local share;
    ``weights[t]`` the yearly weights.
    """

    investment: str
    phase: str
    region: str
    region_share: float
    location: str
    amount: float
    qualifier: str
    currency: str
    conversion: money.Conversion
    pattern: str
    kind: str
    classification: str
    categories: tuple[str, ...]
    category_shares: Array
    excluded: Array
    bridge: Array
    local: Array
    local_basis: tuple[str, ...]
    years: Array
    weights: Array
    direct_jobs: float | None = None
    #: "main", or "sustaining" for an operations phase's sustaining capex (IT refresh).
    part: str = "main"
    #: Sustaining capex: (installation year, share) of each equipment tranche and the cycle in
    #: years (:mod:`impactsim.scenario.refresh`); the years include any delay.
    tranches: tuple[tuple[int, float], ...] = ()
    cycle: float | None = None
    #: Per category: the operating site's own activity (``direct_jobs`` replace its jobs).
    site: Array | None = None
    prices: CategoryPrices | None = None
    #: "purchase" (bought by the investor) or "exports" (Korean content of imported equipment).
    channel: str = "purchase"
    #: Per category: whether this plan carries it (None: all); the other plan of the same
    #: phase carries the rest (see the module docstring).
    own: Array | None = None
    #: Trade and transport margins on goods bought at purchasers' prices (:mod:`.margins`):
    #: ``margin_bridge[c, j]`` the share of category c's spending that buys margin service j
    #: (``bridge[c]`` + ``margin_bridge[c]`` sum to 1), ``margin_local`` its local share.
    margin_bridge: Array | None = None
    margin_local: Array | None = None

    def unit_demand(self) -> Array:
        """(categories, n) domestic demand per unit of each category's spending:
        ``b ∘ ℓ`` plus the domestic margins ``m ∘ ℓ_m``."""
        out = self.bridge * self.local
        if self.margin_bridge is not None and self.margin_local is not None:
            out = out + self.margin_bridge * self.margin_local
        return out

    def owns(self, category: int) -> bool:
        """Whether this plan carries category ``category`` (its audit rows and demand)."""
        return self.own is None or bool(self.own[category])

    def price_adjust(self) -> Array:
        """(categories, years) multipliers of the conversion factor: each category's index and
        year (:mod:`impactsim.scenario.prices`); ones when one factor serves the whole phase."""
        if self.prices is None:
            return np.ones((len(self.categories), len(self.years)))
        return self.prices.adjust

    @property
    def table_units(self) -> float:
        """The phase amount in this region, in table units (per year for operations)."""
        return self.amount * self.region_share * self.conversion.factor

    def domestic_vector(self) -> Array:
        """Domestic demand by sector for weight 1 (table units): a ρ f Σ_c s_c (b ∘ ℓ + m ∘ ℓ_m)_c
        (``m`` the trade and transport margins, zero without them)."""
        per_cat = self.unit_demand().T @ self.category_shares
        return self.table_units * per_cat

    def matrix(self) -> Array:
        """Domestic demand by sector (rows) and year (columns), table units:
        ``Σ_c a ρ f s_c (b ∘ ℓ)_c ⊗ (w ∘ p_c)`` with ``p_c`` the category's price adjustment."""
        if self.prices is None:
            return np.outer(self.domestic_vector(), self.weights)
        per_cat = self.unit_demand() * (self.table_units * self.category_shares)[:, None]
        return per_cat.T @ (self.price_adjust() * self.weights[None, :])

    def imported_matrix(self) -> Array:
        """The imported part of the spending itself by product (rows) and year (columns), table
        units: ``Σ_c a ρ f s_c (b ∘ (1 − ℓ) + m ∘ (1 − ℓ_m))_c ⊗ (w ∘ p_c)`` — the audit's
        ``imported`` column by sector and year (excluded categories buy nothing, so import
        nothing; ``m`` the trade and transport margins)."""
        unit = self.bridge * (1.0 - self.local)
        if self.margin_bridge is not None and self.margin_local is not None:
            unit = unit + self.margin_bridge * (1.0 - self.margin_local)
        per_cat = unit * (self.table_units * self.category_shares)[:, None]
        return per_cat.T @ (self.price_adjust() * self.weights[None, :])

    def site_vector(self) -> Array:
        """Domestic demand of the site's own categories for weight 1 (all categories of an
        output pattern; the ``site: true`` ones of a spending pattern)."""
        if self.kind == "output" or self.site is None:
            return self.domestic_vector()
        mask = np.asarray(self.site, dtype=float)
        return self.table_units * (self.unit_demand().T @ (self.category_shares * mask))


#: Read-only bridge and local-share matrices by content: investments that share a pattern and a
#: sourcing share one copy (9,000 investments held 9,000 identical 30 × 167 pairs, 700 MB).
_SHARED: weakref.WeakValueDictionary[tuple[tuple[int, ...], bytes], Array] = (
    weakref.WeakValueDictionary())


def _shared(a: Array) -> Array:
    """``a`` made read-only, or an identical read-only array already held by another plan."""
    key = (a.shape, hashlib.blake2b(a.tobytes(), digest_size=16).digest())
    held = _SHARED.get(key)
    if held is not None and held.dtype == a.dtype:
        return held
    a.flags.writeable = False
    _SHARED[key] = a
    return a


def _phase_plan(
    scenario: Scenario,
    sourcing: Sourcing,
    index: int,
    phase_name: str,
    phase: Construction | Operations | Sustaining,
    region: str,
    region_share: float,
    parent: Operations | None = None,
) -> PhasePlan:
    inv = scenario.investments[index]
    loc: tuple[str, ...] = ((phase_name,) if parent is None else ("operations", "sustaining"))
    where = scenario.where("investments", index, *loc)
    pattern = phase.pattern
    table = sourcing.table
    cls = choose_classification(pattern, sourcing, where=f"{where} ({inv.name} {phase_name})")
    n = table.n
    cats = tuple(pattern.categories)
    shares_map = phase.category_shares()
    shares = np.array([shares_map[c] for c in cats])
    excluded = np.array([pattern.categories[c].excluded is not None for c in cats])
    bridge = np.zeros((len(cats), n))
    local = np.zeros((len(cats), n))
    margin_bridge = np.zeros((len(cats), n))
    margin_local = np.zeros((len(cats), n))
    rates = None
    priced = sourcing.margin_table() if pattern.kind == "spending" else None
    if priced is not None:
        rates = margin_rates(priced, pattern.demand)
    basis: list[str] = []
    for c, name in enumerate(cats):
        cat = pattern.categories[name]
        if cat.excluded is not None:
            basis.append(f"excluded: {cat.excluded}")
            continue
        if name in phase.local_share:
            stated, how = phase.local_share[name], "scenario: local_share"
        elif cat.local_share is not None:
            stated, how = cat.local_share, f"pattern {pattern.name}: local_share"
        else:
            stated, how = None, ""
        if cat.channel == "exports":
            how = (f"{how.split(':')[0]}: Korean content of imported equipment (share made in "
                   "Korea; demand through exports)")
        provincial = None
        if name in phase.provincial_share:  # the province's part (provincial runs only)
            if not sourcing.province_blocks():
                raise ScenarioError(
                    f"{scenario.where('investments', index, *loc, 'provincial_share')}: "
                    f"provincial_share.{name}: the investment is not in a Korean province; fix: "
                    "place it in one (`region: Incheon`) or use local_share"
                )
            provincial = phase.provincial_share[name].value
        split = cat.split(cls)
        margin = 0.0
        if rates is not None and cat.channel == "purchase" and cat.margins:  # purchasers' prices
            lookup = sourcing.lookup()
            goods = sum(w for code, w in split.items() if lookup[code] in rates.goods)
            margin = rates.total * goods
            split = {code: w * (1.0 - rates.total) if lookup[code] in rates.goods else w
                     for code, w in split.items()}
        src = sourcing.source(
            split, region=region, kind=pattern.kind, demand=pattern.demand,
            stated_local=None if stated is None else stated.value, stated_basis=how,
            stated_provincial=provincial, channel=cat.channel,
            site=bool(cat.site or pattern.kind == "output"),  # the site's own staff: on site
        )
        bridge[c], local[c] = src.bridge, src.local
        basis.append(src.basis)
        if margin > 0 and rates is not None:
            msrc = sourcing.source(rates.split, region=region, kind=pattern.kind,
                                   demand=pattern.demand, stated_local=None)
            margin_bridge[c], margin_local[c] = margin * msrc.bridge, msrc.local
            basis[-1] += f"; {rates.describe()} bought in Korea ({msrc.basis})"
    settings = scenario.money
    try:
        conv = money.conversion(
            scenario.currency,
            scenario.price_year,
            table_currency=table.meta.currency,
            table_price_year=table.meta.price_year,
            table_region=table.meta.region,
            unit=table.meta.unit,
            price_index=phase.price_index or (
                "gdp-deflator" if settings.price_index == "by-category" else settings.price_index),
            exchange_rate_value=settings.exchange_rate,
            exchange_rate_year=settings.exchange_rate_year,
            price_factor_value=settings.price_factor,
        )
    except ScenarioError as exc:
        where_money = scenario.where("currency")
        raise ScenarioError(f"{where_money}: money for {inv.name} {phase_name}: {exc}") from None
    tranches: tuple[tuple[int, float], ...] = ()
    if isinstance(phase, Sustaining):  # sustaining capex: each tranche replaced on its cycle
        if parent is None:  # (refresh.py), on the operations phase it is written under
            raise ScenarioError(f"{where}: sustaining capex needs its operations phase")
        amount_spec = phase.amount
        if inv.construction is not None:
            c_years, c_w = profile_weights(inv.construction.profile, *inv.construction.period)
            tranches = tuple((int(y), float(w)) for y, w in zip(c_years, c_w, strict=True)
                             if w > 0)
        else:
            tranches = tuple(ramp_tranches(range(parent.period[0], parent.period[1] + 1),
                                           parent.ramp))
        years, weights = schedule(tranches, float(phase.cycle_years),
                                  parent.period[0], parent.period[1])
        jobs = None
    elif isinstance(phase, Construction):
        amount_spec = phase.amount
        years, weights = profile_weights(phase.profile, *phase.period)
        jobs = None
    else:
        amount_spec = phase.annual_amount
        years = np.arange(phase.period[0], phase.period[1] + 1)
        weights = np.array([float(phase.ramp.get(int(y), 1.0)) for y in years])
        jobs = None if phase.direct_jobs is None else phase.direct_jobs.value * region_share
    delay = phase.delay_years if parent is None else parent.delay_years
    if delay is not None:
        years, weights = shift_profile(years, weights, delay.value)
        tranches = tuple((y + math.floor(delay.value), w) for y, w in tranches)
    try:
        prices = category_prices(
            categories=cats, pattern=pattern, bridge=bridge, excluded=excluded,
            years=years, conversion=conv, table=table, settings=settings,
            phase_name=phase_name, phase_index=phase.price_index,
        )
    except ScenarioError as exc:
        where_money = scenario.where("money")
        raise ScenarioError(f"{where_money}: prices for {inv.name} {phase_name}: {exc}") from None
    return PhasePlan(
        investment=inv.name,
        phase=phase_name,
        region=region,
        region_share=region_share,
        location=where,
        amount=amount_spec.value,
        qualifier=amount_spec.qualifier,
        currency=scenario.currency,
        conversion=conv,
        pattern=pattern.label,
        kind=pattern.kind,
        classification=cls,
        categories=cats,
        category_shares=shares,
        excluded=excluded,
        bridge=_shared(bridge),
        local=_shared(local),
        local_basis=tuple(basis),
        years=years.astype(int),
        weights=weights.astype(float),
        direct_jobs=jobs,
        part="main" if parent is None else "sustaining",
        tranches=tranches,
        cycle=float(phase.cycle_years) if isinstance(phase, Sustaining) else None,
        site=np.array([pattern.categories[c].site for c in cats], dtype=bool),
        prices=prices,
        margin_bridge=margin_bridge if margin_bridge.any() else None,
        margin_local=margin_local if margin_bridge.any() else None,
    )


def split_channels(plan: PhasePlan, pattern: Pattern) -> list[PhasePlan]:
    """``[plan]``, or the purchase plan and the exports plan when the pattern has categories of
    ``channel: exports`` (module docstring): each keeps all categories (so that share and
    local-share draws stay joint) with the other channel's bridge rows set to zero."""
    exports = np.array([pattern.categories[c].channel == "exports" for c in plan.categories])
    if not exports.any():
        return [plan]
    mine = exports[:, None]
    purchase = replace(plan, bridge=np.where(mine, 0.0, plan.bridge), own=~exports)
    content = replace(
        plan, bridge=np.where(mine, plan.bridge, 0.0), own=exports, channel="exports",
        direct_jobs=None, site=np.zeros(len(plan.categories), dtype=bool),
        margin_bridge=None, margin_local=None,  # Korean content carries no margins
    )
    return [purchase, content]


# ----------------------------------------------------------------------------- shocks
@dataclass(frozen=True, eq=False)
class Shocks:
    """A scenario's domestic final-demand changes (table units) and their audit trail.

    ``matrix`` (n × k) holds one demand vector per column of ``columns`` (investment, phase,
    year, region); ``frame`` is the same as a tidy table of non-zero entries; ``audit`` traces
    every unit of currency; ``ledger`` sums the audit per phase; ``plans`` keep the numbers.
    """

    scenario: str
    table: TableMeta
    sectors: pd.Index
    columns: pd.DataFrame
    matrix: Array
    plans: tuple[PhasePlan, ...]
    plan_columns: tuple[tuple[int, ...], ...]
    audit: pd.DataFrame = field(repr=False)

    def __post_init__(self) -> None:
        self.matrix.flags.writeable = False

    @property
    def frame(self) -> pd.DataFrame:
        """Tidy non-zero shocks: investment, phase, year, region, sector, amount (table units)."""
        rows, cols = np.nonzero(self.matrix)
        meta = self.columns.iloc[cols].reset_index(drop=True)
        out = meta.assign(
            sector=np.asarray(self.sectors, dtype=object)[rows],
            amount=self.matrix[rows, cols],
        )
        out.attrs["unit"] = f"{self.table.money_unit}, {self.table.price_year} prices"
        return out

    def to_frame(self) -> pd.DataFrame:
        """Same as :attr:`frame`."""
        return self.frame

    @property
    def ledger(self) -> pd.DataFrame:
        """Per investment phase and region: stated amount → converted → table units →
        domestic + imported + excluded (the audit summed; the identities hold to rounding)."""
        keys = ["investment", "phase", "part", "channel", "region"]
        sums = self.audit.groupby(keys, sort=False)[
            ["amount_currency", "table_currency_nominal", "table_units", "domestic", "imported",
             "excluded"]
        ].sum()
        extra = pd.DataFrame(
            [
                {
                    "investment": p.investment,
                    "phase": p.phase,
                    "part": p.part,
                    "channel": p.channel,
                    "region": p.region,
                    "stated_amount": p.amount,
                    "qualifier": p.qualifier,
                    "currency": p.currency,
                    "region_share": p.region_share,
                    "weights_sum": float(p.weights.sum()),
                    "pattern": p.pattern,
                    "conversion": p.conversion.describe() + (
                        "" if p.prices is None else
                        f"; then by category ({', '.join(sorted(set(p.prices.indices)))}), "
                        f"{p.prices.mode} money: the audit's price_factor per row"),
                }
                for p in self.plans
            ]
        ).set_index(keys)
        return extra.join(sums).reset_index()

    def total(self, phase: str | None = None) -> float:
        """Sum of domestic demand (table units) over all columns, or one phase's columns."""
        if phase is None:
            return float(self.matrix.sum())
        mask = (self.columns["phase"] == phase).to_numpy()
        return float(self.matrix[:, mask].sum())

    def __repr__(self) -> str:
        return (
            f"Shocks(scenario={self.scenario!r}, table={self.table.name!r}, "
            f"columns={len(self.columns)}, "
            f"domestic total={self.total():,.6g} {self.table.money_unit})"
        )


def _audit_rows(plan: PhasePlan, sectors: Sequence[Any], cols: dict[str, list[Any]]) -> None:
    """Append the plan's audit rows to ``cols`` (column name → values): columns, not one dict
    per row, so thousands of investments do not hold millions of small dicts at once.

    One row per category, sector (or margin sector) and year, in that order. The yearly values
    of a (category, sector) pair are made as arrays over the years with the same operations in
    the same order as one row at a time (``((a ρ) s b) w``, then ``· f · p_ct``), so the same
    numbers."""
    conv = plan.conversion
    base = plan.amount * plan.region_share
    adjust = plan.price_adjust()
    indices = plan.prices.indices if plan.prices is not None else ()
    money_years = plan.prices.money_years if plan.prices is not None else None
    n_years = len(plan.years)
    years = [int(y) for y in plan.years]
    weights = np.asarray(plan.weights)
    money = ([int(m) for m in money_years] if money_years is not None
             else [conv.price_year] * n_years)
    every_row = {"investment": plan.investment, "phase": plan.phase, "part": plan.part,
                 "channel": plan.channel, "region": plan.region, "source": plan.location,
                 "pattern": plan.pattern, "exchange_rate": conv.exchange_rate}
    out = {key: cols.setdefault(key, []) for key in _AUDIT_COLUMNS}

    def extend(key: str, values: Array) -> None:
        out[key].extend(values.tolist())

    for c, cname in enumerate(plan.categories):
        if not plan.owns(c):
            continue
        s = plan.category_shares[c]
        pairs: list[tuple[int | None, float, float, bool]] = [(None, 1.0, 0.0, False)] if (
            plan.excluded[c]) else [
            (j, plan.bridge[c, j], plan.local[c, j], False)
            for j in np.flatnonzero(plan.bridge[c]).tolist()
        ]
        if plan.margin_bridge is not None and plan.margin_local is not None:
            pairs += [(j, plan.margin_bridge[c, j], plan.margin_local[c, j], True)
                      for j in np.flatnonzero(plan.margin_bridge[c]).tolist()]
        price_factor = conv.price_factor * adjust[c]
        index = indices[c] if indices else conv.price_index
        for j, b, ell, is_margin in pairs:
            cur = base * s * b * weights
            units = cur * conv.factor * adjust[c]
            dom = units * ell if j is not None else np.zeros(n_years)
            for key, value in every_row.items():
                out[key].extend([value] * n_years)
            out["year"].extend(years)
            out["category"].extend([cname] * n_years)
            out["sector"].extend([None if j is None else sectors[j]] * n_years)
            out["margin"].extend([is_margin] * n_years)
            out["category_share"].extend([s] * n_years)
            out["sector_share"].extend([b] * n_years)
            extend("year_weight", weights)
            extend("amount_currency", cur)
            extend("table_currency_nominal", cur * conv.exchange_rate)
            extend("price_factor", price_factor)
            out["price_index"].extend([index] * n_years)
            out["money_year"].extend(money)
            extend("table_units", units)
            out["local_share"].extend([ell] * n_years)
            out["local_share_basis"].extend([plan.local_basis[c]] * n_years)
            extend("domestic", dom)
            extend("imported", units - dom if j is not None else np.zeros(n_years))
            extend("excluded", units if j is None else np.zeros(n_years))


#: The audit trail's columns, in order.
_AUDIT_COLUMNS = (
    "investment", "phase", "part", "channel", "region", "year", "category", "sector", "margin",
    "source", "pattern", "category_share", "sector_share", "year_weight", "amount_currency",
    "exchange_rate", "table_currency_nominal", "price_factor", "price_index", "money_year",
    "table_units", "local_share", "local_share_basis", "domestic", "imported", "excluded",
)


def build_shocks(scenario_name: str, table: IOTable, plans: Sequence[PhasePlan]) -> Shocks:
    """Assemble plans into a :class:`Shocks` (one matrix column per plan × year)."""
    col_rows: list[dict[str, Any]] = []
    blocks: list[Array] = []
    plan_cols: list[tuple[int, ...]] = []
    for plan in plans:
        start = len(col_rows)
        for y in plan.years:
            col_rows.append(
                {"investment": plan.investment, "phase": plan.phase, "year": int(y),
                 "region": plan.region}
            )
        plan_cols.append(tuple(range(start, len(col_rows))))
        blocks.append(plan.matrix())
    matrix = np.hstack(blocks) if blocks else np.zeros((table.n, 0))
    columns = pd.DataFrame(col_rows, columns=["investment", "phase", "year", "region"])
    audit_cols: dict[str, list[Any]] = {}
    sectors = list(table.sectors)
    for plan in plans:
        _audit_rows(plan, sectors, audit_cols)
    audit = pd.DataFrame(audit_cols)
    return Shocks(
        scenario=scenario_name,
        table=table.meta,
        sectors=table.sectors,
        columns=columns,
        matrix=np.ascontiguousarray(matrix),
        plans=tuple(plans),
        plan_columns=tuple(plan_cols),
        audit=audit,
    )


def plan_scenario(scenario: Scenario, sourcing: Sourcing) -> list[PhasePlan]:
    """The :class:`PhasePlan` of every investment phase and region, in file order."""
    default = sourcing.default_region()
    plans = []
    for i, inv, name, phase in scenario.phases():
        for region, rho in inv.region_shares(scenario.region or default).items():
            plan = _phase_plan(scenario, sourcing, i, name, phase, region, rho)
            plans.extend(split_channels(plan, phase.pattern))
            sustaining = phase.sustaining if isinstance(phase, Operations) else None
            if isinstance(phase, Operations) and sustaining is not None:  # its own phase:
                plan = _phase_plan(  # capital spending, not running costs
                    scenario, sourcing, i, "sustaining", sustaining, region, rho, parent=phase
                )
                plans.extend(split_channels(plan, sustaining.pattern))
    return plans


def translate(
    scenario: Scenario, *, table: IOTable | None = None, sourcing: Sourcing | None = None
) -> Shocks:
    """A scenario's shocks: final demand by sector and year (table units) with its audit trail.

    ``sourcing`` is the strategy chosen by :func:`~impactsim.scenario.sourcing.choose_sourcing`
    (the run passes its own); without it one is chosen for ``table`` (default: the table the
    scenario names).
    """
    if sourcing is None:
        sourcing = choose_sourcing(scenario, resolve_table(scenario) if table is None else table)
    return build_shocks(scenario.name, sourcing.table, plan_scenario(scenario, sourcing))
