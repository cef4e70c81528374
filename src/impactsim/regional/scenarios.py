"""Hooks that let scenario runs use multi-region and regionalised tables.

* :func:`mrio_bridge` — one spending category of a buying region spread over (origin region,
  product) entries of a multi-region table by the table's trade shares (or a stated local share);
* :func:`product_lookup` — product code → a position, so that pattern classifications (e.g.
  ``wiod-2013: {c14: 1.0}``) can be checked against a multi-region table;
* :func:`table_for_regions` — the table a scenario runs on: the table itself, or the table
  regionalised (FLQ) to the one Korean province the scenario names;
* :func:`result_by_region` — a scenario result on a multi-region table summed by the region where
  the effect happens.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import DemandError, OptionError, TableError
from ..table import IOTable
from .lq import FLQ_DELTA, regionalize
from .mrio import REGION, is_multiregional, regions, trade_shares

Array = NDArray[np.float64]

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


def product_lookup(table: IOTable) -> dict[str, int]:
    """Product (sector-level) code → the position of its first (region, product) row."""
    if not is_multiregional(table):
        return {str(s): i for i, s in enumerate(table.sectors)}
    out: dict[str, int] = {}
    for i, (_, prod) in enumerate(table.sectors):
        out.setdefault(str(prod), i)
    return out


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
        sigma = shares.loc[prod].fillna(0.0)
        if sigma.sum() <= 0:
            raise DemandError(
                f"region {region!r} buys no {prod!r} in table '{table.meta.name}'; state its "
                "origin with a local share"
            )
        if local_share is not None:
            if not 0.0 <= local_share <= 1.0:
                raise OptionError(f"local_share={local_share}: must be in [0, 1]")
            others = sigma.drop(region, errors="ignore")
            if local_share > 0 and (region, prod) not in index:
                raise DemandError(
                    f"local_share={local_share} for {prod!r}, but {region!r} does not produce it"
                )
            rest = others / others.sum() * (1.0 - local_share) if others.sum() > 0 else others
            sigma = rest.copy()
            sigma[region] = local_share
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


def _is_bok_table(table: IOTable) -> bool:
    from .korea import bok_ksic_concordance

    codes = set(bok_ksic_concordance().index)
    return not is_multiregional(table) and all(
        str(s).split("-", 1)[0] in codes for s in table.sectors
    )


def table_for_regions(
    table: IOTable,
    names: Iterable[str],
    *,
    method: str = "flq",
    delta: float = FLQ_DELTA,
) -> tuple[IOTable, str | None]:
    """The table a scenario's spending regions run on, and a note when it was changed.

    A multi-region table, or a single-region table of the named region, is used as it is. On a
    Bank of Korea table a region naming one Korean province (``Incheon``, ``인천``…) gives
    ``regionalize(table, province, method=method, delta=delta)``. Anything else raises.
    """
    wanted = {str(n) for n in names if str(n)}
    if is_multiregional(table) or not wanted:
        return table, None
    own = str(table.meta.region or "")
    if all(n.upper() == own.upper() for n in wanted):
        return table, None
    from .korea import province_name

    provinces = set()
    for n in wanted:
        if n.upper() == own.upper():
            continue
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
    reg = _provincial_table(table, province, method, delta)
    info = reg.meta.provenance["regionalisation"]
    note = (
        f"regionalised to {province} by {info['method']} (δ={delta:g}, "
        f"λ*={info['lambda_star']:.3f}) from Statistics Korea 2020 persons engaged"
    )
    return reg, note


def result_by_region(
    result: Any, *, measure: str = "value_added", phase: str | None = None
) -> pd.DataFrame:
    """A scenario result on a multi-region table by the region where effects happen: regions
    (rows) × effects + ``total`` for one measure, on the phase's headline basis."""
    sectors = result.sectors
    if not (isinstance(sectors, pd.MultiIndex) and sectors.nlevels == 2):
        raise TableError("result_by_region(): the result was not computed on a multi-region table")
    by = result.by_sector(measure=measure, phase=phase)
    frame = by.groupby(level=0, sort=False).sum()
    frame.index.name = REGION
    frame = frame.sort_values("total", ascending=False, key=np.abs)
    frame.attrs.update(by.attrs)
    return frame


# ----------------------------------------------------------------------------- scenario runs
def check_mrio_regions(scenario: Any, table: IOTable) -> None:
    """Every investment of ``scenario`` must name regions of the multi-region ``table``.

    Raises :class:`~impactsim.ScenarioError` with the file and line of the offending field.
    """
    from ..errors import ScenarioError

    known = regions(table)
    for i, inv in enumerate(scenario.investments):
        field = "regions" if inv.regions else "region"
        given = inv.region_shares(scenario.region or "")
        loc = ("investments", i, field) if (inv.regions or inv.region) else ("region",)
        if "" in given:
            raise ScenarioError(
                f"{scenario.where('investments', i)}: investments[{i}]: table "
                f"'{table.meta.name}' is multi-region, so the spending needs a region; fix: add "
                f"`region: KOR` (or `regions: {{KOR: 0.5, USA: 0.5}}`) — regions are "
                f"{', '.join(known)}"
            )
        for reg in given:
            if reg not in known:
                import difflib

                near = difflib.get_close_matches(reg, known, n=3)
                hint = f"did you mean {near}? " if near else ""
                raise ScenarioError(
                    f"{scenario.where(*loc)}: investments[{i}].{field}: region '{reg}' is not in "
                    f"table '{table.meta.name}'; fix: {hint}use one of {', '.join(known)}"
                )


def scenario_bridge(
    table: IOTable,
    region: str,
    split: Mapping[str, float],
    *,
    kind: str,
    demand: str,
    local_share: float | None,
) -> tuple[Array, Array, str]:
    """(bridge row, local-share row, basis) of one pattern category on a multi-region table.

    Spending (``kind="spending"``) is sourced over supplying regions by :func:`mrio_bridge`;
    an output change (``kind="output"``) stays in the sectors of ``region`` itself. Every entry
    is inside the world table, so the local-share row is 1 (nothing leaks out of the system).
    """
    if kind == "output":
        index = {lab: i for i, lab in enumerate(table.sectors)}
        row = np.zeros(table.n)
        for prod, w in split.items():
            if (region, prod) not in index:
                raise DemandError(
                    f"{region} has no output of {prod!r} in table '{table.meta.name}'"
                )
            row[index[(region, prod)]] += float(w)
        basis = f"output of sectors in {region}"
    else:
        row, basis = mrio_bridge(table, region, split, demand=demand, local_share=local_share)
    return row, np.ones(table.n), basis


@functools.lru_cache(maxsize=32)
def _provincial_table(table: IOTable, province: str, method: str, delta: float) -> IOTable:
    """``regionalize`` once per (table, province, method, δ): tables are immutable and hash by
    identity, so repeated runs reuse the regional table and the models cached on it."""
    return regionalize(table, province, method=method, delta=delta)  # type: ignore[arg-type]


def scenario_table(scenario: Any, table: IOTable, *, induced: bool) -> tuple[IOTable, bool]:
    """The table a scenario runs on and whether induced effects can be computed on it.

    A Korean province named as the scenario's only region regionalises a Bank of Korea table
    (FLQ, δ = 0.3; :func:`table_for_regions`). Multi-region tables run Type I only: households
    are per region there and the world table has no compensation row (docs/regions.md).
    """
    from ..errors import ScenarioError

    names: set[str] = set()
    for inv in scenario.investments:
        names.update(inv.region_shares(scenario.region or "").keys())
    names.discard("")
    try:
        table, _ = table_for_regions(table, names)
    except TableError as exc:
        loc: tuple[str | int, ...] = ("region",)
        for i, inv in enumerate(scenario.investments):
            if inv.regions or inv.region:
                loc = ("investments", i, "regions" if inv.regions else "region")
                break
        raise ScenarioError(f"{scenario.where(*loc)}: {loc[-1]}: {exc}") from None
    return table, induced and not is_multiregional(table)
