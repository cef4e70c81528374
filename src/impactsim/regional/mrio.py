"""Multi-region tables: (region, sector) labels, aggregation, trade sourcing, by-region views.

A multi-region (MRIO) table is an ordinary :class:`~impactsim.IOTable` whose sectors are a
two-level :class:`pandas.MultiIndex` named ``("region", "sector")``: ``Z[(r, i), (s, j)]`` is what
sector ``j`` in region ``s`` buys from sector ``i`` in region ``r`` (Miller & Blair 2009, ch. 3).
Trade between regions sits inside ``Z`` and ``Y``; a rest-of-world region closes the system, so
the table has no separate import row (``imports=None``). Final-demand columns are labelled
``(region, category)`` — the region that buys.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine.results import Impact
from ..errors import DemandError, OptionError, TableError
from ..tables.table import IOTable

Array = NDArray[np.float64]

REGION = "region"
SECTOR = "sector"

#: WIOD 2013 regions that are APEC member economies (the other APEC members — Brunei, Chile,
#: Hong Kong, Malaysia, New Zealand, Papua New Guinea, Peru, the Philippines, Singapore, Thailand
#: and Viet Nam — are inside WIOD's rest of the world, ``RoW``). WIOD codes Taiwan as ``TWN``.
APEC_WIOD = ("AUS", "CAN", "CHN", "IDN", "JPN", "KOR", "MEX", "RUS", "TWN", "USA")


def region_sector_index(regions: Iterable[str], sectors: Iterable[str]) -> pd.MultiIndex:
    """All (region, sector) pairs, region-major, named ``("region", "sector")``."""
    return pd.MultiIndex.from_product([list(regions), list(sectors)], names=[REGION, SECTOR])


def is_multiregional(table: IOTable) -> bool:
    """True when the table's sectors are (region, sector) pairs."""
    return isinstance(table.sectors, pd.MultiIndex) and table.sectors.nlevels == 2


def require_multiregional(table: IOTable, *, what: str = "this operation") -> None:
    """Raise :class:`TableError` unless ``table`` is a multi-region table."""
    if not is_multiregional(table):
        raise TableError(
            f"{what} needs a multi-region table whose sectors are (region, sector) pairs; "
            f"table '{table.meta.name}' has single-level sectors (build it with a MultiIndex, "
            "e.g. impactsim.region_sector_index(regions, sectors), or load 'wiod-2011')"
        )


def regions(table: IOTable) -> tuple[str, ...]:
    """The regions of a multi-region table, in table order."""
    require_multiregional(table, what="regions()")
    return tuple(str(r) for r in table.sectors.get_level_values(0).unique())


def region_codes(table: IOTable) -> NDArray[np.str_]:
    """Region label of every (region, sector) row, as an array (length n)."""
    require_multiregional(table, what="region_codes()")
    return np.asarray(table.sectors.get_level_values(0).astype(str))


def _check_region(table: IOTable, region: str) -> None:
    known = regions(table)
    if region not in known:
        import difflib

        near = difflib.get_close_matches(str(region), known, n=3)
        hint = f"; did you mean {near}?" if near else f" (regions: {', '.join(known[:12])}…)"
        raise DemandError(f"region {region!r} is not in table '{table.meta.name}'{hint}")


# ----------------------------------------------------------------------------- aggregation
def _region_map(
    names: Sequence[str],
    mapping: Mapping[str, str] | None,
    keep: Iterable[str] | None,
    others: str,
) -> dict[str, str]:
    mapping = dict(mapping or {})
    unknown = [r for r in mapping if r not in names]
    keep_set = set(keep) if keep is not None else None
    if keep_set is not None:
        unknown += [r for r in keep_set if r not in names]
    if unknown:
        raise TableError(
            f"aggregate_regions: region(s) {sorted(unknown)[:5]} not in the table "
            f"(regions: {', '.join(names[:12])}…); fix the mapping"
        )
    out: dict[str, str] = {}
    for r in names:
        if r in mapping:
            out[r] = str(mapping[r])
        elif keep_set is None or r in keep_set:
            out[r] = r
        else:
            out[r] = others
    return out


def _grouping(labels: pd.Index, new_labels: list[Any]) -> tuple[pd.Index, NDArray[np.intp]]:
    """Unique new labels (first-appearance order) and the group position of every old label."""
    if isinstance(labels, pd.MultiIndex):
        idx: pd.Index = pd.MultiIndex.from_tuples(new_labels, names=labels.names)
    else:
        idx = pd.Index(new_labels, name=labels.name)
    codes, uniq = idx.factorize()
    if isinstance(labels, pd.MultiIndex) and not isinstance(uniq, pd.MultiIndex):
        uniq = pd.MultiIndex.from_tuples(list(uniq), names=labels.names)
    elif isinstance(uniq, pd.MultiIndex):
        uniq = uniq.set_names(labels.names)
    return uniq, np.asarray(codes, dtype=np.intp)


def _sum_rows(arr: Array, groups: NDArray[np.intp], k: int) -> Array:
    out = np.zeros((k, *arr.shape[1:]))
    np.add.at(out, groups, arr)
    return out


def _sum_cols(arr: Array, groups: NDArray[np.intp], k: int) -> Array:
    return _sum_rows(arr.T, groups, k).T


def aggregate_regions(
    table: IOTable,
    mapping: Mapping[str, str] | None = None,
    *,
    keep: Iterable[str] | None = None,
    others: str = "Other",
    name: str | None = None,
) -> IOTable:
    """Merge regions of a multi-region table: ``Z* = S Z Sᵀ``, ``x* = S x``, ``Y* = S Y T``.

    ``S`` sums the (region, sector) rows that map to the same (new region, sector) and ``T`` the
    final-demand columns of merged buying regions. ``mapping`` renames regions (several to one
    merges them); with ``keep`` every region neither kept nor mapped goes to ``others``, e.g.
    ``aggregate_regions(t, keep=APEC_WIOD, others="non-APEC")``. Flows between merged regions
    become intra-regional. Totals (output, value added, final demand, satellites) are unchanged.
    """
    require_multiregional(table, what="aggregate_regions()")
    names = list(regions(table))
    rmap = _region_map(names, mapping, keep, others)
    sec = table.sectors
    new_rows = [(rmap[str(r)], s) for r, s in sec]
    new_sec, g = _grouping(sec, new_rows)
    k = len(new_sec)

    z = _sum_cols(_sum_rows(table.z_domestic, g, k), g, k)
    y_rows = _sum_rows(table.y_domestic, g, k)
    cats = table.final_demand_categories
    if isinstance(cats, pd.MultiIndex) and cats.nlevels == 2:
        new_cats_list = [(rmap.get(str(r), str(r)), c) for r, c in cats]
        new_cats, gc = _grouping(cats, new_cats_list)
        y = _sum_cols(y_rows, gc, len(new_cats))
    else:
        new_cats, gc = cats, np.arange(len(cats))
        y = y_rows
    va = _sum_cols(table.va, g, k)
    x = _sum_rows(table.x, g, k)
    sats = {key: _sum_rows(v, g, k) for key, v in table.sats.items()}
    kwargs: dict[str, Any] = {}
    if table.z_imported is not None and table.y_imported is not None:
        zi = _sum_cols(_sum_rows(table.z_imported, g, k), g, k)
        yi = _sum_cols(_sum_rows(table.y_imported, g, k), gc, len(new_cats))
        z, y = z + zi, y + yi
        kwargs.update(imports=zi, final_demand_imports=yi)
    elif np.any(table.import_row):
        kwargs.update(imports=_sum_rows(table.import_row, g, k))
    info = None
    if table.sector_info is not None:
        first = np.unique(g, return_index=True)[1]
        info = table.sector_info.iloc[first].reset_index(drop=True)
    merged = {new: sorted(r for r, v in rmap.items() if v == new) for new in set(rmap.values())}
    merged = {new: olds for new, olds in merged.items() if olds != [new]}
    prov = dict(table.meta.provenance)
    prov["region_aggregation"] = (
        "; ".join(f"{new} = {' + '.join(olds)}" for new, olds in sorted(merged.items()))
        or "none"
    )
    m = table.meta
    return IOTable.from_arrays(
        z,
        y,
        va,
        sectors=new_sec,
        final_demand_categories=new_cats,
        value_added_components=list(table.value_added_components),
        satellites=sats,
        output=x,
        **m.fields(name=name or f"{m.name}:regions-aggregated"),
        provenance=prov,
        sector_info=info,
        balance_rtol=1e-6,
        **kwargs,
    )


# ----------------------------------------------------------------------------- sourcing
def _final_demand_columns(table: IOTable, region: str, categories: Sequence[str] | None) -> Array:
    cats = table.final_demand_categories
    if not (isinstance(cats, pd.MultiIndex) and cats.nlevels == 2):
        raise TableError(
            f"table '{table.meta.name}': final-demand columns are not (region, category) pairs, "
            "so purchases cannot be attributed to a buying region"
        )
    buyer = np.asarray(cats.get_level_values(0).astype(str)) == region
    if categories is not None:
        have = set(cats[buyer].get_level_values(1).astype(str))
        bad = [c for c in categories if c not in have]
        if bad:
            raise DemandError(
                f"final-demand category {bad[0]!r} not found for region {region!r}; "
                f"categories are {sorted(have)}"
            )
        buyer &= np.isin(np.asarray(cats.get_level_values(1).astype(str)), list(categories))
    return table.y_domestic[:, buyer].sum(axis=1)


def trade_shares(
    table: IOTable, region: str, *, categories: Sequence[str] | None = None
) -> pd.DataFrame:
    """Origin shares of ``region``'s final purchases: products (rows) × supplying regions (columns).

    ``share[j, r] = Y[(r, j), region·cats] / Σ_r' Y[(r', j), region·cats]`` over the buying
    region's final-demand columns named in ``categories`` (all of them by default). Where the
    region buys none of a product in those categories the shares of all its final demand are
    used, then those of its intermediate purchases; rows with no purchases at all are NaN.
    """
    _check_region(table, region)
    sec = table.sectors
    prod = sec.get_level_values(1)
    origin = sec.get_level_values(0)
    first = _final_demand_columns(table, region, categories)
    every = _final_demand_columns(table, region, None)
    cols = region_codes(table) == region
    inter = table.z_domestic[:, cols].sum(axis=1)
    frames = []
    for use in (first, every, inter):
        s = pd.Series(np.clip(use, 0.0, None), index=pd.MultiIndex.from_arrays([prod, origin]))
        frames.append(s.unstack(level=1, fill_value=0.0))
    products = pd.Index(prod.unique(), name=SECTOR)
    origins = pd.Index(origin.unique(), name=REGION)
    out = pd.DataFrame(np.nan, index=products, columns=origins)
    for f in frames:
        f = f.reindex(index=products, columns=origins, fill_value=0.0)
        tot = f.sum(axis=1)
        todo = out.isna().all(axis=1) & (tot > 0)
        out.loc[todo] = f.loc[todo].div(tot[todo], axis=0).to_numpy()
    out.attrs["buyer"] = region
    out.attrs["categories"] = list(categories) if categories is not None else "all"
    return out


def source_demand(
    table: IOTable,
    spending: Mapping[Any, float] | pd.Series,
    *,
    region: str,
    categories: Sequence[str] | None = None,
    origins: Mapping[str, Mapping[str, float]] | None = None,
) -> pd.Series:
    """Spend ``region``'s purchases of products on supplying regions: Δy[(r, j)] = s[j, r] · d_j.

    ``spending`` maps a product (the sector level, e.g. ``"c14"``) to an amount in table units,
    or a full ``(region, sector)`` label to an amount bought from that region (not re-sourced).
    The shares ``s`` are the table's :func:`trade_shares` for the buyer ``region`` and final-demand
    ``categories`` (e.g. ``["gfcf"]`` for investment) unless ``origins`` gives them for a product:
    ``{"c14": {"USA": 0.4, "TWN": 0.3, "KOR": 0.3}}`` (shares must add up to 1).
    Returns a Series over the table's (region, sector) labels; its sum equals the spending.
    """
    require_multiregional(table, what="source_demand()")
    _check_region(table, region)
    sec = table.sectors
    pos, products, known_regions = _labels(table)
    acc = np.zeros(table.n)
    shares: pd.DataFrame | None = None
    for label, amount in dict(spending).items():
        try:
            value = float(amount)
        except (TypeError, ValueError):
            raise DemandError(f"spending on {label!r}: {amount!r} is not a number") from None
        if not np.isfinite(value):
            raise DemandError(f"spending on {label!r}: amount must be finite")
        if isinstance(label, tuple):
            key = tuple(str(part) for part in label)
            if key not in pos:
                raise DemandError(
                    f"spending names {label!r}, which is not a (region, sector) of table "
                    f"'{table.meta.name}'"
                )
            acc[pos[key]] += value
            continue
        prod = str(label)
        if prod not in products:
            import difflib

            near = difflib.get_close_matches(prod, sorted(products), n=3)
            raise DemandError(
                f"spending names product {prod!r}, not a sector of table '{table.meta.name}'"
                + (f"; did you mean {near}?" if near else "")
            )
        if origins is not None and prod in origins:
            given = {str(r): float(v) for r, v in origins[prod].items()}
            bad = [r for r in given if r not in known_regions]
            if bad:
                raise DemandError(f"origins for {prod!r}: unknown region(s) {bad[:3]}")
            if any(v < 0 for v in given.values()) or abs(sum(given.values()) - 1.0) > 1e-9:
                raise DemandError(
                    f"origins for {prod!r}: shares must be >= 0 and add up to 1 "
                    f"(they add up to {sum(given.values()):.6g})"
                )
            row = pd.Series(given)
        else:
            if shares is None:
                shares = trade_shares(table, region, categories=categories)
            row = shares.loc[prod]
            if row.isna().all():
                raise DemandError(
                    f"region {region!r} buys no {prod!r} in table '{table.meta.name}', so its "
                    "origin shares are undefined; give them with origins={...}"
                )
        for r, s in row.items():
            if s and (str(r), prod) in pos:
                acc[pos[(str(r), prod)]] += value * float(s)
            elif s:
                raise DemandError(
                    f"origins for {prod!r}: region {r!r} does not produce {prod!r} in table "
                    f"'{table.meta.name}' (zero output)"
                )
    out = pd.Series(acc, index=sec, name="final_demand_change")
    out.attrs["buyer"] = region
    return out


@functools.lru_cache(maxsize=4)
def _labels(
    table: IOTable,
) -> tuple[dict[tuple[str, ...], int], frozenset[str], frozenset[str]]:
    """((region, sector) label → row, products, regions) of a multi-region table (cached:
    tables are immutable)."""
    pos: dict[tuple[str, ...], int] = {
        (str(r), str(s)): i for i, (r, s) in enumerate(table.sectors)
    }
    products = frozenset(str(p) for p in table.sectors.get_level_values(1))
    return pos, products, frozenset(regions(table))


# ----------------------------------------------------------------------------- by-region views
def _impact_regions(impact: Impact) -> pd.Index:
    sec = impact.sectors
    if not (isinstance(sec, pd.MultiIndex) and sec.nlevels == 2):
        raise TableError(
            "by_region(): the result was computed on a single-region table; regional breakdowns "
            "need a multi-region table (sectors as (region, sector) pairs)"
        )
    return sec.get_level_values(0)


def impact_by_region(impact: Impact, *, measure: str | None = None) -> pd.DataFrame:
    """An impact summed by the region where it happens.

    Without ``measure``: regions (rows) × measures (columns), total effect. With ``measure``:
    regions × effects (direct, indirect[, induced]) plus ``total``. Rows add up to the
    impact's economy-wide totals (``impact.totals``).
    """
    reg = _impact_regions(impact)
    if measure is None:
        tot = impact.values.sum(axis=0)  # measures × n
        frame = pd.DataFrame(tot.T, index=reg, columns=list(impact.measures))
        frame = frame.groupby(level=0, sort=False).sum()
    else:
        if measure not in impact.measures:
            raise OptionError(f"measure={measure!r}: use one of {list(impact.measures)}")
        k = impact.measures.index(measure)
        frame = pd.DataFrame(impact.values[:, k, :].T, index=reg, columns=list(impact.effects))
        frame = frame.groupby(level=0, sort=False).sum()
        frame["total"] = frame.sum(axis=1)
    frame.index.name = REGION
    frame.attrs["units"] = dict(impact.units)
    return frame
