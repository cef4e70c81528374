"""Sourcing: which table a scenario runs on and where its spending is bought — decided once.

:func:`choose_sourcing` looks at the scenario's regions and the table and returns one strategy
object; everything downstream (shocks, the model, the result, presenters) asks that object
instead of inspecting table labels:

* :class:`NationalSourcing` — a single-region table; each category's local (domestic-supply)
  share comes from the scenario, the pattern or the table's own domestic shares;
* :class:`ProvincialSourcing` — a Bank of Korea table regionalised (FLQ) to the one Korean
  province the scenario names (docs/regions.md);
* :class:`MultiRegionSourcing` — a multi-region table: spending of a buying region is spread over
  (origin region, product) entries by the table's trade shares; Type I only.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..datasets import load_table
from ..datasets.catalog import catalog_currency, is_table_path
from ..errors import DemandError, ImpactsimError, OptionError, ScenarioError, TableError
from ..regional.korea import bok_ksic_concordance, province_name
from ..regional.lq import FLQ_DELTA, regionalize
from ..regional.mrio import is_multiregional, regions, trade_shares
from ..tables.table import IOTable

if TYPE_CHECKING:
    from .schema import Scenario

Array = NDArray[np.float64]

#: Final-demand categories left out of the "all domestic use" fallback for local shares.
NOT_DOMESTIC_USE = ("exports", "inventories", "valuables")

#: Scenario-pattern demand names → final-demand categories of the bundled world table.
DEMAND_CATEGORIES: dict[str, tuple[str, ...]] = {
    "gfcf": ("gfcf",),
    "gfcf_private": ("gfcf",),
    "gfcf_government": ("gfcf",),
    "households": ("households",),
    "government": ("government",),
    "npish": ("npish",),
    "inventories": ("inventories",),
}


@dataclass(frozen=True)
class CategorySource:
    """How one spending category is bought: ``bridge`` splits it over table sectors (sums to 1),
    ``local`` is the share of each entry supplied inside the table's economy, ``basis`` says
    where the local share came from (for the audit trail)."""

    bridge: Array
    local: Array
    basis: str


# ----------------------------------------------------------------------------- national
@dataclass(frozen=True, eq=False)
class NationalSourcing:
    """A single-region table: spending is bought at home at the local share, the rest abroad.

    ``table`` is the table the model solves; ``note`` a line for the report when the table was
    changed for the scenario (e.g. regionalised).
    """

    table: IOTable
    note: str | None = None

    #: Whether the table is multi-region (effects by region, Type I only).
    multiregional = False

    @property
    def kind(self) -> str:
        """``national``, ``provincial`` or ``multi-region``."""
        return "national"

    @property
    def induced_available(self) -> bool:
        """Whether households can be closed (Type II) on this table."""
        return True

    @property
    def regions(self) -> tuple[str, ...]:
        """Regions where effects happen (one for a single-region table)."""
        return (str(self.table.meta.region or ""),)

    def default_region(self) -> str:
        """The region an investment without one is placed in."""
        return str(self.table.meta.region or "")

    def check_regions(self, scenario: Scenario) -> None:
        """Every region the scenario names must be the table's own region."""
        own = self.default_region()
        for i, inv in enumerate(scenario.investments):
            for reg in inv.region_shares(scenario.region or own):
                if own and reg.upper() != own.upper() and not self._same_place(reg):
                    field = "regions" if inv.regions else "region"
                    loc = ("investments", i, field) if (inv.regions or inv.region) else ("region",)
                    raise ScenarioError(
                        f"{scenario.where(*loc)}: investments[{i}].{field}: region '{reg}' is not "
                        f"in table '{self.table.meta.name}', which covers only {own}; fix: use a "
                        "multi-region table for spending outside it, or drop the region"
                    )

    def _same_place(self, region: str) -> bool:
        return False

    def lookup(self) -> dict[str, int]:
        """Pattern sector code → row of the table."""
        return _codes(self.table)

    @functools.cached_property
    def _local_cache(self) -> dict[str, tuple[Array, list[str]]]:
        return {}

    def table_local_shares(self, demand: str) -> tuple[Array, list[str]]:
        """The table's default local share of each product for ``demand`` (cached per demand);
        see :func:`table_local_shares`."""
        cache = self._local_cache
        if demand not in cache:
            cache[demand] = table_local_shares(self.table, demand)
        return cache[demand]

    def source(
        self,
        split: Mapping[str, float],
        *,
        region: str,
        kind: str,
        demand: str,
        stated_local: float | None,
        stated_basis: str = "",
    ) -> CategorySource:
        """Bridge and local shares of one category: ``split`` (sector code → share) on the
        table; the local share is the stated one, 1 for an output change, else the table's."""
        lookup = self.lookup()
        bridge = np.zeros(self.table.n)
        for code, w in split.items():
            bridge[lookup[code]] += w
        if stated_local is not None:
            return CategorySource(bridge, np.full(self.table.n, stated_local), stated_basis)
        if kind == "output":
            return CategorySource(
                bridge, np.ones(self.table.n), "output of a sector in the region: domestic"
            )
        local, basis = self.table_local_shares(demand)
        used = sorted({basis[j] for j in np.flatnonzero(bridge)})
        return CategorySource(bridge, local.copy(), "; ".join(used))


@dataclass(frozen=True, eq=False)
class ProvincialSourcing(NationalSourcing):
    """A national Bank of Korea table regionalised to one province (FLQ): the spending is bought
    in the province at the regional table's local shares."""

    province: str = ""

    @property
    def kind(self) -> str:
        return "provincial"

    @property
    def regions(self) -> tuple[str, ...]:
        return (self.province,)

    def default_region(self) -> str:
        return self.province

    def _same_place(self, region: str) -> bool:
        try:
            return province_name(region) == self.province
        except TableError:
            return False


# ----------------------------------------------------------------------------- multi-region
@dataclass(frozen=True, eq=False)
class MultiRegionSourcing(NationalSourcing):
    """A multi-region table: each category of a buying region is spread over (origin, product)
    entries by the table's trade shares (or a stated local share); nothing leaks out of the
    system, so the local-share row is 1. Households are per region: Type I only."""

    multiregional = True

    @property
    def kind(self) -> str:
        return "multi-region"

    @property
    def induced_available(self) -> bool:
        return False

    @property
    def regions(self) -> tuple[str, ...]:
        return regions(self.table)

    def default_region(self) -> str:
        return ""

    def check_regions(self, scenario: Scenario) -> None:
        """Every investment must name regions of the table (ScenarioError with file and line)."""
        known = self.regions
        for i, inv in enumerate(scenario.investments):
            field = "regions" if inv.regions else "region"
            given = inv.region_shares(scenario.region or "")
            loc = ("investments", i, field) if (inv.regions or inv.region) else ("region",)
            if "" in given:
                raise ScenarioError(
                    f"{scenario.where('investments', i)}: investments[{i}]: table "
                    f"'{self.table.meta.name}' is multi-region, so the spending needs a region; "
                    f"fix: add `region: KOR` (or `regions: {{KOR: 0.5, USA: 0.5}}`) — regions "
                    f"are {', '.join(known)}"
                )
            for reg in given:
                if reg not in known:
                    near = difflib.get_close_matches(reg, known, n=3)
                    hint = f"did you mean {near}? " if near else ""
                    raise ScenarioError(
                        f"{scenario.where(*loc)}: investments[{i}].{field}: region '{reg}' is not "
                        f"in table '{self.table.meta.name}'; fix: {hint}use one of "
                        f"{', '.join(known)}"
                    )

    def lookup(self) -> dict[str, int]:
        """Product code → the position of its first (region, product) row."""
        out: dict[str, int] = {}
        for i, (_, prod) in enumerate(self.table.sectors):
            out.setdefault(str(prod), i)
        return out

    def source(
        self,
        split: Mapping[str, float],
        *,
        region: str,
        kind: str,
        demand: str,
        stated_local: float | None,
        stated_basis: str = "",
    ) -> CategorySource:
        """Spending is sourced over supplying regions by :func:`mrio_bridge`; an output change
        stays in the sectors of ``region`` itself."""
        table = self.table
        if kind == "output":
            index = {lab: i for i, lab in enumerate(table.sectors)}
            row = np.zeros(table.n)
            for prod, w in split.items():
                if (region, prod) not in index:
                    raise DemandError(
                        f"{region} has no output of {prod!r} in table '{table.meta.name}'"
                    )
                row[index[(region, prod)]] += float(w)
            return CategorySource(row, np.ones(table.n), f"output of sectors in {region}")
        row, basis = mrio_bridge(table, region, split, demand=demand, local_share=stated_local)
        return CategorySource(row, np.ones(table.n), basis)


# ----------------------------------------------------------------------------- choosing
def resolve_table(scenario: Scenario) -> IOTable:
    """Load the table a scenario names from the catalog; a clear ScenarioError if it cannot."""
    names = scenario_regions(scenario)
    need = (
        f"; this scenario spans regions {sorted(names)}, so it needs a multi-region table"
        if len(names) > 1
        else ""
    )
    name: str | Path = scenario.table
    if is_table_path(name) or (catalog_currency(str(name)) is None
                               and table_path(scenario).is_dir()):
        name = table_path(scenario)
    try:
        return load_table(name)
    except ImpactsimError as exc:
        raise ScenarioError(
            f"{scenario.where('table')}: table: '{scenario.table}' is not available ({exc}){need}; "
            "fix: name a table from ims.list_tables(), give a table folder (relative to the "
            "scenario file), or pass table= to run()"
        ) from None


def table_path(scenario: Scenario) -> Path:
    """The folder a scenario's ``table:`` names, relative paths taken from the scenario file's
    folder (the working directory for a scenario not read from a file)."""
    path = Path(scenario.table).expanduser()
    base = getattr(scenario, "base_dir", None)
    if not path.is_absolute() and base is not None:
        path = Path(base) / path
    return path


def scenario_regions(scenario: Scenario) -> set[str]:
    """Every region the scenario's investments name (the scenario default when none)."""
    out: set[str] = set()
    for inv in scenario.investments:
        out.update(inv.region_shares(scenario.region or "").keys())
    out.discard("")
    return out


def choose_sourcing(scenario: Scenario, table: IOTable) -> NationalSourcing:
    """The sourcing strategy of ``scenario`` on ``table`` (the one place this is decided).

    A multi-region table → :class:`MultiRegionSourcing`; a Korean province named as the
    scenario's only region on a Bank of Korea table → :class:`ProvincialSourcing` on the table
    regionalised by FLQ (δ = 0.3); otherwise :class:`NationalSourcing`. Region names are then
    checked against the strategy (ScenarioError naming file, line and fix).
    """
    try:
        sourcing = _strategy(table, scenario_regions(scenario))
    except TableError as exc:
        loc: tuple[str | int, ...] = ("region",)
        for i, inv in enumerate(scenario.investments):
            if inv.regions or inv.region:
                loc = ("investments", i, "regions" if inv.regions else "region")
                break
        raise ScenarioError(f"{scenario.where(*loc)}: {loc[-1]}: {exc}") from None
    sourcing.check_regions(scenario)
    return sourcing


def _strategy(table: IOTable, names: Iterable[str]) -> NationalSourcing:
    if is_multiregional(table):
        return MultiRegionSourcing(table)
    wanted = {str(n) for n in names if str(n)}
    own = str(table.meta.region or "")
    others = {n for n in wanted if n.upper() != own.upper()}
    if not others:
        return NationalSourcing(table)
    provinces = set()
    for n in others:
        try:
            provinces.add(province_name(n))
        except TableError:
            raise TableError(
                f"region {n!r} is neither {own or 'the table region'} nor a Korean province; "
                "use a multi-region table (e.g. 'wiod-2011') for spending in other economies"
            ) from None
    if len(provinces) != 1 or len(wanted) != 1:
        raise TableError(
            f"regions {sorted(wanted)}: a regionalised run covers one province at a time; split "
            "the scenario by province (one file per province) or use the national table"
        )
    if not _is_bok_table(table):
        raise TableError(
            f"table '{table.meta.name}' is not a Bank of Korea product table, so the bundled "
            "provincial data cannot regionalise it; use ims.regionalize(table, ..., regional=...)"
        )
    province = provinces.pop()
    reg = _provincial_table(table, province, "flq", FLQ_DELTA)
    info = reg.meta.provenance["regionalisation"]
    note = (
        f"regionalised to {province} by {info['method']} (δ={FLQ_DELTA:g}, "
        f"λ*={info['lambda_star']:.3f}) from Statistics Korea 2020 persons engaged"
    )
    return ProvincialSourcing(reg, note=note, province=province)


def _is_bok_table(table: IOTable) -> bool:
    codes = set(bok_ksic_concordance().index)
    return all(str(s).split("-", 1)[0] in codes for s in table.sectors)


@functools.lru_cache(maxsize=32)
def _provincial_table(table: IOTable, province: str, method: str, delta: float) -> IOTable:
    """``regionalize`` once per (table, province, method, δ): tables are immutable and hash by
    identity, so repeated runs reuse the regional table and the models cached on it."""
    return regionalize(table, province, method=method, delta=delta)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- local shares
def _codes(table: IOTable) -> dict[str, int]:
    """Sector code → row; on an aggregated Bank of Korea table (korea-2023, 83 sectors) the
    165-product codes of the patterns also find the sector that contains them (``bok165``)."""
    lookup = {str(s): i for i, s in enumerate(table.sectors)}
    info = table.sector_info
    if info is not None and "bok165" in info.columns:
        for i, codes in enumerate(info["bok165"]):
            for code in str(codes).split(";"):
                lookup.setdefault(code, i)
    return lookup


def table_local_shares(table: IOTable, demand: str) -> tuple[Array, list[str]]:
    """Default local (domestic-supply) share of each product and how it was found.

    ``ℓ_j = y_d[j, demand] / (y_d + y_m)[j, demand]`` where the table records purchases of
    product j for that kind of final demand; otherwise the domestic share of all domestic use
    ``(Z_d 1 + Y_d 1)_j / (Z 1 + Y 1)_j`` (exports, inventories, valuables left out); 1 where the
    product has no domestic use or the table has no imports by product. Clipped to [0, 1].
    """
    n = table.n
    if table.z_imported is None or table.y_imported is None:
        return np.ones(n), ["table has no imports by product: taken as domestic"] * n
    cats = [str(c) for c in table.final_demand_categories]
    yd, ym = table.y_domestic, table.y_imported
    share = np.full(n, np.nan)
    basis = [""] * n
    if demand in cats:
        j = cats.index(demand)
        tot = yd[:, j] + ym[:, j]
        ok = tot > 0
        share[ok] = yd[ok, j] / tot[ok]
        for i in np.flatnonzero(ok):
            basis[i] = f"table: domestic share of '{demand}' purchases"
    keep = [k for k, c in enumerate(cats) if c not in NOT_DOMESTIC_USE]
    dom = table.z_domestic.sum(axis=1) + yd[:, keep].sum(axis=1)
    tot = dom + table.z_imported.sum(axis=1) + ym[:, keep].sum(axis=1)
    fill = np.isnan(share) & (tot > 0)
    share[fill] = dom[fill] / tot[fill]
    for i in np.flatnonzero(fill):
        basis[i] = f"table: domestic share of all domestic use (no '{demand}' purchases)"
    rest = np.isnan(share)
    share[rest] = 1.0
    for i in np.flatnonzero(rest):
        basis[i] = "table: no domestic use recorded, taken as domestic"
    return np.clip(share, 0.0, 1.0), basis


def _categories(table: IOTable, region: str, demand: str) -> list[str] | None:
    cats = table.final_demand_categories
    if not isinstance(cats, pd.MultiIndex):
        return None
    have = {str(c) for r, c in cats if str(r) == region}
    if demand in have:
        return [demand]
    wanted = [c for c in DEMAND_CATEGORIES.get(demand, ()) if c in have]
    return wanted or None


def mrio_bridge(
    table: IOTable,
    region: str,
    split: Mapping[str, float],
    *,
    demand: str,
    local_share: float | None = None,
) -> tuple[Array, str]:
    """Weights over the table's (region, product) entries for one spending category of ``region``.

    ``split`` maps products to shares (summing to 1). Each product ``j`` is sourced by origin
    shares ``σ_j(r)`` of ``region``'s final purchases of ``j`` for ``demand`` (a pattern's demand
    name, e.g. ``gfcf_private`` → the table's ``gfcf``; see :func:`trade_shares`):
    ``w[(r, j)] = split_j · σ_j(r)``. With ``local_share`` ℓ the buying region's own share is set
    to ℓ and the other origins share ``1 − ℓ`` in their table proportions. Returns the weights
    (summing to 1) and a one-line basis for the audit trail.
    """
    if region not in regions(table):
        raise DemandError(
            f"region {region!r} is not a region of table '{table.meta.name}' "
            f"({', '.join(regions(table)[:12])}…)"
        )
    cats = _categories(table, region, demand)
    shares = trade_shares(table, region, categories=cats)
    index = {lab: i for i, lab in enumerate(table.sectors)}
    out = np.zeros(table.n)
    for prod, weight in split.items():
        if prod not in shares.index:
            raise DemandError(f"product {prod!r} is not a sector of table '{table.meta.name}'")
        sigma = _origin_shares(shares.loc[prod].fillna(0.0), table, region, prod, index,
                               local_share)
        for origin, s in sigma.items():
            if s:
                out[index[(str(origin), prod)]] += float(weight) * float(s)
    basis = (
        f"sourced by the table's origin shares of {region}'s "
        f"{'/'.join(cats) if cats else 'final'} purchases"
        if local_share is None
        else f"local share {local_share:g} in {region}, the rest by the table's origin shares"
    )
    return out, basis


def _origin_shares(
    sigma: pd.Series, table: IOTable, region: str, prod: str, index: Mapping[Any, int],
    local_share: float | None,
) -> pd.Series:
    if sigma.sum() <= 0:
        raise DemandError(
            f"region {region!r} buys no {prod!r} in table '{table.meta.name}'; state its "
            "origin with a local share"
        )
    if local_share is None:
        return sigma
    if not 0.0 <= local_share <= 1.0:
        raise OptionError(f"local_share={local_share}: must be in [0, 1]")
    if local_share > 0 and (region, prod) not in index:
        raise DemandError(
            f"local_share={local_share} for {prod!r}, but {region!r} does not produce it"
        )
    others = sigma.drop(region, errors="ignore")
    rest = others / others.sum() * (1.0 - local_share) if others.sum() > 0 else others
    out = rest.copy()
    out[region] = local_share
    return out
