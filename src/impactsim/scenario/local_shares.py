"""Local (domestic-supply) shares and trade-share sourcing read from a table.

:func:`table_local_shares` gives the default share of each product bought at home for a kind of
final demand on a single-region table; :func:`mrio_bridge` spreads a category over (origin,
product) entries of a multi-region table by its trade shares. Used by the sourcing strategies of
:mod:`impactsim.scenario.sourcing`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import DemandError, OptionError
from ..regional.mrio import regions, source_demand, trade_shares
from ..tables.table import IOTable

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


@functools.lru_cache(maxsize=8)  # asked for once per category of every investment
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
    ``w[(r, j)] = split_j · σ_j(r)`` (:func:`~impactsim.regional.mrio.source_demand` with these
    origin shares). With ``local_share`` ℓ the buying region's own share is set to ℓ and the
    other origins share ``1 − ℓ`` in their table proportions; where the table records no other
    origin of a product, its ``1 − ℓ`` is bought outside the table's regions (not in ``w``).
    Returns the weights (summing to 1 but for such products) and a one-line basis for the audit
    trail.
    """
    if region not in regions(table):
        raise DemandError(
            f"region {region!r} is not a region of table '{table.meta.name}' "
            f"({', '.join(regions(table)[:12])}…)"
        )
    cats = _categories(table, region, demand)
    shares = _trade_shares(table, region, None if cats is None else tuple(cats))
    amounts: dict[str, float] = {}
    origins: dict[str, Mapping[str, float]] = {}
    for prod, weight in split.items():
        if prod not in shares.index:
            raise DemandError(f"product {prod!r} is not a sector of table '{table.meta.name}'")
        sigma = _origin_shares(shares.loc[prod].fillna(0.0), table, region, prod, local_share)
        total = float(sigma.sum())
        if abs(total - 1.0) <= 1e-9:
            amounts[prod] = float(weight)
            origins[prod] = {str(r): float(s) for r, s in sigma.items()}
        elif total > 0:  # a local share ℓ < 1 where the region is the product's only origin:
            amounts[prod] = float(weight) * total  # the rest, 1 − ℓ, has no origin in the table
            origins[prod] = {str(r): float(s) / total for r, s in sigma.items()}
    out = source_demand(table, amounts, region=region, categories=cats, origins=origins)
    basis = (
        f"sourced by the table's origin shares of {region}'s "
        f"{'/'.join(cats) if cats else 'final'} purchases"
        if local_share is None
        else f"local share {local_share:g} in {region}, the rest by the table's origin shares"
    )
    return out.to_numpy(dtype=float), basis


@functools.lru_cache(maxsize=32)  # asked for by every category of every investment
def _trade_shares(table: IOTable, region: str, cats: tuple[str, ...] | None) -> pd.DataFrame:
    """:func:`trade_shares` of a buyer, cached per (table object, region, categories): tables
    are immutable, and the frame is only read."""
    return trade_shares(table, region, categories=cats)


def _origin_shares(
    sigma: pd.Series, table: IOTable, region: str, prod: str, local_share: float | None
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
    if local_share > 0 and (region, prod) not in table.sectors:
        raise DemandError(
            f"local_share={local_share} for {prod!r}, but {region!r} does not produce it"
        )
    others = sigma.drop(region, errors="ignore")
    rest = others / others.sum() * (1.0 - local_share) if others.sum() > 0 else others
    out = rest.copy()
    out[region] = local_share
    return out
