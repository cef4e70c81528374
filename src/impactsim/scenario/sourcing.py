"""Sourcing: which table a scenario runs on and where its spending is bought — decided once.

:func:`choose_sourcing` looks at the scenario's regions and the table and returns one strategy
object; everything downstream (shocks, the model, the result, presenters) asks that object
instead of inspecting table labels:

* :class:`NationalSourcing` — a single-region table; each category's local (domestic-supply)
  share comes from the scenario, the pattern or the table's own domestic shares;
* :class:`MultiRegionSourcing` — a multi-region table: spending of a buying region is spread over
  (origin region, product) entries by the table's trade shares; Type I only;
* :class:`TwoRegionSourcing` — spending in one or more Korean provinces, each on its own
  two-region model (province + rest of Korea, :mod:`impactsim.regional.tworegion`): the share
  bought in the province is the national domestic share × the province's FLQ purchase
  coefficient (the supply–demand pool share for household or government final demand; 1 for
  the site's own activity), the rest of the domestic share is bought in the rest of Korea, the
  remainder abroad; households closed per region (docs/regions.md). Chosen for province
  scenarios.

Each implements :class:`~impactsim.scenario.sourcing_base.Sourcing`, the protocol the run, the
shocks and the regional split program against.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..datasets import load_table
from ..datasets.catalog import catalog_currency, is_table_path
from ..engine.model import LeontiefModel
from ..errors import DemandError, ImpactsimError, OptionError, ScenarioError, TableError
from ..regional.korea import PROVINCES as PROVINCE_ORDER
from ..regional.korea import bok_ksic_concordance, korean_sections_for, province_name
from ..regional.lq import FLQ_DELTA
from ..regional.mrio import is_multiregional, regions
from ..regional.tworegion import (
    final_demand_coefficients,
    provincial_shares,
    purchase_coefficients,
    rest_label,
    stack_tables,
    two_region_model,
    two_region_table,
)
from ..tables.table import IOTable
from .households import DEFAULT_CLOSURE, closure_scale
from .local_shares import DEMAND_CATEGORIES as DEMAND_CATEGORIES
from .local_shares import NOT_DOMESTIC_USE as NOT_DOMESTIC_USE
from .local_shares import _codes
from .local_shares import mrio_bridge as mrio_bridge
from .local_shares import table_local_shares as table_local_shares
from .sourcing_base import CategorySource as CategorySource
from .sourcing_base import ProvinceBlock, Sourcing, table_model

if TYPE_CHECKING:
    from .schema import Scenario

Array = NDArray[np.float64]

#: What a provincial run says of a scenario's ``uncertainty:`` section, which it does not run.
PROVINCE_DRAWS_NOTE = (
    "no Monte Carlo draws: provincial (two-region) runs do not run the scenario's "
    "`uncertainty:` section yet; the national run of the same investments has them"
)


# ----------------------------------------------------------------------------- national
@dataclass(frozen=True, eq=False)
class NationalSourcing:
    """A single-region table: spending is bought at home at the local share, the rest abroad.

    ``table`` is the table the model solves; ``note`` a line for the report when the table was
    changed for the scenario (e.g. regionalised).
    """

    table: IOTable
    note: str | None = None

    #: Whether the table is multi-region (effects by region).
    multiregional = False
    #: Whether a stated local share moves the bridge between supplying regions (re-sourced at
    #: each share) rather than scaling the bridge's local part.
    local_share_moves_bridge = False

    @property
    def kind(self) -> str:
        """``national``, ``two-region`` or ``multi-region``."""
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
                if own and reg.upper() != own.upper():
                    field = "regions" if inv.regions else "region"
                    loc = ("investments", i, field) if (inv.regions or inv.region) else ("region",)
                    raise ScenarioError(
                        f"{scenario.where(*loc)}: investments[{i}].{field}: region '{reg}' is not "
                        f"in table '{self.table.meta.name}', which covers only {own}; fix: use a "
                        "multi-region table for spending outside it, or drop the region"
                    )

    def lookup(self) -> dict[str, int]:
        """Pattern sector code → row of the table."""
        return _codes(self.table)

    def margin_table(self) -> IOTable | None:
        """The table itself: its margins price spending in purchasers' prices."""
        return self.table

    def model(self, *, leakage: float | None, basis: str = DEFAULT_CLOSURE) -> LeontiefModel:
        """The table's Leontief model, households closed economy-wide with ``leakage`` on
        ``basis`` (None: Type I only); cached per table (:func:`table_model`)."""
        return table_model(self.table, leakage=leakage, basis=basis)

    def draws_note(self, draws: int | None) -> str | None:
        """Monte Carlo draws run on a single-table model: None."""
        return None

    def province_blocks(self) -> Mapping[str, ProvinceBlock]:
        """No provinces: the table is solved as one system."""
        return {}

    def province_of(self, region: str) -> str:
        """Refused: a single-table run has no spending provinces (OptionError)."""
        raise OptionError(
            f"region {region!r}: the run was not computed on provincial (two-region) models; "
            "place the scenario's investments in Korean provinces (`region: Incheon`)"
        )

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
        stated_provincial: float | None = None,
        channel: str = "purchase",
        site: bool = False,
    ) -> CategorySource:
        """Bridge and local shares of one category: ``split`` (sector code → share) on the
        table; the local share is the stated one, 1 for an output change, else the table's.
        ``stated_provincial``, ``channel`` and ``site`` place spending between a province and
        the rest of the country, which a single-region table does not separate: not used."""
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


# ----------------------------------------------------------------------------- multi-region
@dataclass(frozen=True, eq=False)
class MultiRegionSourcing(NationalSourcing):
    """A multi-region table: each category of a buying region is spread over (origin, product)
    entries by the table's trade shares (or a stated local share); nothing leaks out of the
    system, so the local-share row is 1. Households are per region: Type I only."""

    multiregional = True
    local_share_moves_bridge = True

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

    def margin_table(self) -> IOTable | None:
        """None: a multi-region table's flows are taken as they are (basic prices)."""
        return None

    def source(
        self,
        split: Mapping[str, float],
        *,
        region: str,
        kind: str,
        demand: str,
        stated_local: float | None,
        stated_basis: str = "",
        stated_provincial: float | None = None,
        channel: str = "purchase",
        site: bool = False,
    ) -> CategorySource:
        """Spending is sourced over supplying regions by :func:`mrio_bridge`; an output change
        stays in the sectors of ``region`` itself (``stated_provincial``, ``channel`` and
        ``site`` are not used: the table's trade shares place the spending)."""
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


# ----------------------------------------------------------------------------- provinces
@dataclass(frozen=True, eq=False)
class TwoRegionSourcing(NationalSourcing):
    """Spending in Korean provinces, each on its own two-region model (province + rest of Korea).

    ``table`` stacks the two-region tables of ``provinces`` (block-diagonal, regions
    ``P, "Korea excl. P"`` for each); ``national`` is the national table. A category's product
    ``j`` bought in province P is supplied in P at ``ℓ_j · ρ_Pj``, in the rest of Korea at
    ``ℓ_j · (1 − ρ_Pj)`` and abroad at ``1 − ℓ_j``, where ``ℓ_j`` is the national domestic
    share (the table's, or the scenario's ``local_share``, which always means *supplied in
    Korea*) and ``ρ_Pj = min(SLQ_Pj · λ*_P, 1)`` the FLQ purchase coefficient of a final buyer
    in P (1 for construction, KSIC section F: it is done on the site). Effects in one province
    of another province's spending are counted in that other
    province's "rest of Korea" (no feedback between provinces).
    """

    national: IOTable | None = None
    provinces: tuple[str, ...] = ()
    purchase: Mapping[str, Array] | None = None
    #: Per province: its share ``s_j`` of national activity in each product (where Korean
    #: content of imported equipment, ``channel: exports``, is made).
    production: Mapping[str, Array] | None = None
    #: Per province: the supply–demand pool share ``π_Pj = min(SLQ_Pj, 1)`` of final demand
    #: (patterns of household or government demand, :data:`FINAL_DEMANDS`).
    final: Mapping[str, Array] | None = None

    multiregional = True

    @property
    def kind(self) -> str:
        return "two-region"

    @property
    def induced_available(self) -> bool:
        return True

    @property
    def regions(self) -> tuple[str, ...]:
        return regions(self.table)

    def rest_of(self, province: str) -> str:
        """The label of ``province``'s rest-of-Korea region in :attr:`table`."""
        return rest_label(province)

    def margin_table(self) -> IOTable | None:
        """The national table: its margins price spending in purchasers' prices."""
        return self.national

    def draws_note(self, draws: int | None) -> str | None:
        """Draws do not run on two-region models yet: :data:`PROVINCE_DRAWS_NOTE`, or an
        ImpactsimError when ``draws`` asks for them."""
        if draws:
            raise ImpactsimError(
                f"draws={draws}: Monte Carlo draws are not available on two-region (provincial) "
                "runs yet; run the national scenario for draws, or pass draws=0"
            )
        return PROVINCE_DRAWS_NOTE

    def province_blocks(self) -> Mapping[str, ProvinceBlock]:
        """Per province of the run: its block's rows (province, then rest of Korea)."""
        out = {}
        for prov in self.provinces:
            lo, n = self.block(prov)
            out[prov] = ProvinceBlock(slice(lo, lo + n), slice(lo + n, lo + 2 * n))
        return out

    def province_of(self, region: str) -> str:
        """The province of the run a column spent in ``region`` belongs to (any spelling
        :func:`~impactsim.regional.korea.province_name` knows)."""
        return region if region in self.provinces else province_name(region)

    def default_region(self) -> str:
        return self.provinces[0] if len(self.provinces) == 1 else ""

    def check_regions(self, scenario: Scenario) -> None:
        """Every investment must be placed in the provinces of this run."""
        for i, inv in enumerate(scenario.investments):
            given = inv.region_shares(scenario.region or self.default_region())
            for reg in given:
                try:
                    ok = province_name(reg) in self.provinces
                except TableError:
                    ok = False
                if not ok:
                    field = "regions" if inv.regions else "region"
                    raise ScenarioError(
                        f"{scenario.where('investments', i)}: investments[{i}].{field}: region "
                        f"{reg!r} is not one of the provinces of this run "
                        f"({', '.join(self.provinces)}); fix: name a Korean province"
                    )

    def lookup(self) -> dict[str, int]:
        """Pattern sector code → row of the national table (the product of each block)."""
        assert self.national is not None
        return _codes(self.national)

    def table_local_shares(self, demand: str) -> tuple[Array, list[str]]:
        """The national table's domestic (supplied-in-Korea) share of each product."""
        cache = self._local_cache
        if demand not in cache:
            assert self.national is not None
            cache[demand] = table_local_shares(self.national, demand)
        return cache[demand]

    def block(self, province: str) -> tuple[int, int]:
        """(first row of the province's block, number of products)."""
        n = len(self.lookup_rows)
        return self.provinces.index(province) * 2 * n, n

    @functools.cached_property
    def lookup_rows(self) -> pd.Index:
        assert self.national is not None
        return self.national.sectors

    def source(
        self,
        split: Mapping[str, float],
        *,
        region: str,
        kind: str,
        demand: str,
        stated_local: float | None,
        stated_basis: str = "",
        stated_provincial: float | None = None,
        channel: str = "purchase",
        site: bool = False,
    ) -> CategorySource:
        """Bridge over (province | rest of Korea, product) and the national domestic share;
        ``stated_provincial`` (a scenario's ``provincial_share``) replaces the FLQ purchase
        coefficient ρ for this category. Korean content of imported equipment (``channel =
        "exports"``) is not bought in the province: it is made where the product is made, in
        the province at its share ``s_j`` of national activity, the rest in the rest of Korea.
        The site's own activity (``site``: its staff) is in the province (ρ = 1); a pattern of
        final demand (``demand`` in :data:`FINAL_DEMANDS`) is sourced by the supply–demand pool
        share ``π_Pj`` instead of the FLQ purchase coefficient."""
        prov = province_name(region)
        lo, n = self.block(prov)
        lookup = self.lookup()
        w = np.zeros(n)
        for code, share in split.items():
            w[lookup[code]] += share
        bridge = np.zeros(self.table.n)
        local = np.ones(self.table.n)
        if kind == "output":
            bridge[lo:lo + n] = w
            return CategorySource(bridge, local, f"output of sectors in {prov}")
        assert self.purchase is not None
        if site and stated_provincial is None:
            rho = np.ones(n)
            where = f"; the site's own activity: in {prov}"
        elif channel == "exports" and stated_provincial is None:
            assert self.production is not None
            rho = self.production[prov]
            where = (f"; made in {prov} at its share of national activity in the product, the "
                     "rest in the rest of Korea")
        elif stated_provincial is None and demand in FINAL_DEMANDS:
            assert self.final is not None
            rho = self.final[prov]
            where = (f"; in {prov} at the supply-demand pool share of final demand min(SLQ, 1) "
                     "(construction: all on the site), the rest in the rest of Korea")
        elif stated_provincial is None:
            rho = self.purchase[prov]
            where = (f"; in {prov} at the FLQ purchase coefficient (construction: all on the "
                     "site), the rest of it in the rest of Korea")
        else:
            if not 0.0 <= stated_provincial <= 1.0:
                raise OptionError(f"provincial_share={stated_provincial}: must be in [0, 1]")
            rho = np.full(n, float(stated_provincial))
            where = (f"; scenario: provincial_share {stated_provincial:g} of it in {prov}, the "
                     "rest in the rest of Korea")
        bridge[lo:lo + n] = w * rho
        bridge[lo + n:lo + 2 * n] = w * (1.0 - rho)
        if stated_local is not None:
            local[lo:lo + 2 * n] = stated_local
            return CategorySource(bridge, local, f"{stated_basis} (supplied in Korea){where}")
        dom, basis = self.table_local_shares(demand)
        local[lo:lo + n] = dom
        local[lo + n:lo + 2 * n] = dom
        used = sorted({basis[j] for j in np.flatnonzero(w)})
        return CategorySource(bridge, local, "; ".join(used) + where)

    def model(
        self, *, leakage: float | None, basis: str = DEFAULT_CLOSURE
    ) -> LeontiefModel:
        """The Leontief model of :attr:`table`, households closed per region (``leakage`` as
        the scenario's ``model.household_leakage``; None for Type I only) on the same closure
        ``basis`` as a national run, so that the regions add up to the national result."""
        scale = 1.0
        if leakage is not None and self.national is not None:
            scale = closure_scale(self.national, basis=basis)
        return _stacked_model(self.table, 0.0 if leakage is None else float(leakage), scale)


@functools.lru_cache(maxsize=8)
def _stacked_model(table: IOTable, leakage: float, scale: float) -> LeontiefModel:
    return two_region_model(table, leakage=leakage, scale=scale)


#: Pattern ``demand`` names that are final demand of households or government: sourced between
#: province and rest of Korea by the supply–demand pool share, not the FLQ purchase coefficient.
FINAL_DEMANDS = ("households", "government", "npish")

#: KSIC-10 section whose products are bought where the site is (construction, section F):
#: their provincial purchase coefficient is 1 (derived: the work is done on the site).
SITE_BOUND_SECTION = "F"


@functools.lru_cache(maxsize=16)
def two_region_sourcing(table: IOTable, provinces: tuple[str, ...]) -> TwoRegionSourcing:
    """The :class:`TwoRegionSourcing` of Korean ``provinces`` on a Bank of Korea ``table``
    (cached per table object and provinces: tables are immutable)."""
    tables, purchase, production, final, lams = [], {}, {}, {}, []
    site = (korean_sections_for(table) == SITE_BOUND_SECTION).to_numpy()
    for prov in provinces:
        tables.append(two_region_table(table, prov, delta=FLQ_DELTA))
        s, overall, _, _ = provincial_shares(table, prov)
        rho = purchase_coefficients(s, overall, delta=FLQ_DELTA)
        # Construction is produced where it is built: a site in the province buys it there.
        rho[site] = 1.0
        purchase[prov] = rho
        production[prov] = np.asarray(s, dtype=float)
        pool = final_demand_coefficients(s, overall)
        pool[site] = 1.0
        final[prov] = pool
        lam = tables[-1].meta.provenance["two_region"]["lambda_star"][prov]
        lams.append(f"{prov} λ*={lam:.3f}")
    stacked = stack_tables(tables, name=f"{table.meta.name}:{'+'.join(provinces)}")
    many = (
        "; each province's spending runs on its own model, so effects of one province's "
        "spending on another province are counted in its 'rest of Korea' (no feedback between "
        "provinces)"
        if len(provinces) > 1 else ""
    )
    note = (
        f"two-region FLQ model{'s' if len(provinces) > 1 else ''} (δ={FLQ_DELTA:g}; "
        f"{', '.join(lams)}) of {' and '.join(provinces)} with the rest of Korea, from Statistics "
        f"Korea 2020 persons engaged; households closed per region{many}"
    )
    return TwoRegionSourcing(
        stacked, note=note, national=table, provinces=provinces, purchase=purchase,
        production=production, final=final,
    )

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


def choose_sourcing(scenario: Scenario, table: IOTable) -> Sourcing:
    """The sourcing strategy of ``scenario`` on ``table`` (the one place this is decided).

    A multi-region table → :class:`MultiRegionSourcing`; Korean provinces named as the
    scenario's regions on a Bank of Korea table → :class:`TwoRegionSourcing` (one two-region
    FLQ model per province, δ = 0.3); otherwise :class:`NationalSourcing`. Region names are then
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


def _strategy(table: IOTable, names: Iterable[str]) -> Sourcing:
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
    if others != wanted:
        raise TableError(
            f"regions {sorted(wanted)}: a provincial run places every investment in Korean "
            "provinces; give each investment provinces (`regions: {Incheon: 0.5, Gyeonggi: "
            "0.5}`), or run the national table"
        )
    if not _is_bok_table(table):
        raise TableError(
            f"table '{table.meta.name}' is not a Bank of Korea product table, so the bundled "
            "provincial data cannot regionalise it; use ims.two_region_table(table, ..., "
            "regional=...)"
        )
    order = tuple(p for p in PROVINCE_ORDER if p in provinces)
    return two_region_sourcing(table, order)


def _is_bok_table(table: IOTable) -> bool:
    codes = set(bok_ksic_concordance().index)
    info = table.sector_info
    if info is not None and "bok165" in info.columns:  # aggregated BOK tables (korea-2023)
        labels = [c for v in info["bok165"] for c in str(v).split(";")]
    else:
        labels = [str(s) for s in table.sectors]
    return all(lab.split("-", 1)[0] in codes for lab in labels)
