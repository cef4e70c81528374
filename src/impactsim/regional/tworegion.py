"""A two-region (province + rest of the nation) interregional table built from a national one.

From a national table with domestic coefficients ``A`` (Leontief, domestic flows only — imports
from abroad are in the import row), output ``x`` and activity (employment) shares ``s_j`` of the
province in each sector, with overall share ``σ = E_P / E_N``:

* outputs ``x_P = ŝ x`` and ``x_R = (I − ŝ) x`` (national productivity in both regions);
* **intra-regional** coefficients by Flegg's FLQ in each region,
  ``A_PP = A ∘ min(FLQ^P, 1)`` and ``A_RR = A ∘ min(FLQ^R, 1)``, where ``FLQ^R`` uses the rest
  of the nation's shares ``1 − s_j`` and ``1 − σ`` (:mod:`impactsim.regional.lq`);
* **interregional** coefficients are the remainder of each national coefficient, bought from
  the other region: ``A_RP = A − A_PP`` and ``A_PR = A − A_RR``;
* foreign imports, value added and satellites per unit of output as in the nation;
* households of each region earn the national labour income per unit of output of their
  region's industries and spend it like the nation's households (domestic purchases per unit
  of income ``h_c``), buying ``h_c ∘ π_r`` in their own region and the rest in the other, where
  ``π_r = min(SLQ^r, 1)`` is the **supply–demand pool** share of a final buyer (the region
  supplies its own consumers before selling outside; consumers' demand is taken proportional
  to the region's overall share ``σ``): final demand is sourced apart from industries, whose
  intermediate purchases carry FLQ's size scalar ``λ*`` (``final_demand="flq"`` gives the
  households the FLQ share ``min(SLQ^r · λ*_r, 1)`` instead);
* other final demand (government, investment, exports abroad) is the row residual of each
  region and may be negative (it also absorbs the trade the location quotients miss).

Because each column of ``[A_PP; A_RP]`` and ``[A_PR; A_RR]`` adds up to the national column of
``A`` and both regions have national per-unit coefficients, the model aggregates exactly: for
any demand ``(y_P, y_R)`` the output of the two regions sums to ``L (y_P + y_R)`` of the
national model, Type I and (households of the two regions together spending the national ``h_c``)
Type II. The intra-regional / feedback / spillover split is Miller & Blair's (2009, ch. 3),
:func:`impactsim.regional.decompose_spillovers`.

References: Flegg, A. T. and Tohmo, T. (2013), Regional Studies 47(5): 703-721 (FLQ);
Miller, R. E. and Blair, P. D. (2009), *Input-Output Analysis*, 2nd ed., ch. 3 (interregional
models and feedback) and §8 (location quotients); Jahn, M. (2017), 'Extending the FLQ formula:
a location quotient-based interregional input-output framework', Regional Studies 51(10):
1518-1529 (two-region FLQ with the remainder bought from the other region); Kronenberg, T. (2009),
'Construction of regional input-output tables using nonsurvey methods: the role of cross-hauling',
International Regional Science Review 32(1): 40-64 (CHARM, the alternative via net trade).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine import linalg
from ..engine.households import GroupClosedModel, HouseholdGroups
from ..engine.model import LeontiefModel
from ..errors import ClosureError, OptionError, TableError
from ..tables.table import HOUSEHOLDS, IOTable
from .lq import (
    FLQ_DELTA,
    _as_series,
    _household_factor,
    _lq_matrix,
    _shares,
    column_tolerance,
    flq_lambda,
)
from .mrio import REGION, SECTOR, region_codes, regions

Array = NDArray[np.float64]

#: Final-demand category holding each region's residual (government, GFCF, exports abroad).
OTHER = "other_final_demand"


def rest_label(region: str, nation: str = "Korea") -> str:
    """The label of the other region of ``region``'s two-region table (``"Korea excl. Ulsan"``)."""
    return f"{nation} excl. {region}"


def provincial_shares(
    table: IOTable,
    region: str,
    *,
    regional: Mapping[Any, float] | pd.Series | None = None,
    national: Mapping[Any, float] | pd.Series | None = None,
    concordance: Mapping[Any, Any] | pd.Series | None = None,
    totals: tuple[float, float] | None = None,
) -> tuple[Array, float, str, str]:
    """``(s, σ, canonical region name, data source)``: the region's share ``s_j`` of national
    activity in each table sector and of the national total (``σ``); bundled Statistics Korea
    persons engaged for a Korean province when ``regional`` is None."""
    if regional is None:
        from .korea import korean_regional_inputs, province_name

        reg, nat, conc, tots, source = korean_regional_inputs(table, region)
        region = province_name(region)
        concordance = conc if concordance is None else concordance
        totals = tots if totals is None else totals
    else:
        reg = _as_series(regional, what="regional")
        if national is None:
            if table.employment is None:
                raise TableError(
                    f"national=: table '{table.meta.name}' has no employment satellite; give "
                    "national activity by the same labels as regional"
                )
            nat = pd.Series(table.employment, index=table.sectors)
        else:
            nat = _as_series(national, what="national")
        source = f"user-supplied regional activity ({len(reg)} groups)"
    s, overall = _shares(table.sectors, reg, _as_series(nat, what="national"), concordance, totals)
    if overall >= 1.0:
        raise TableError(f"region {region!r} is the whole nation: no rest of the nation to model")
    return np.clip(s, 0.0, 1.0), overall, str(region), source


def purchase_coefficients(s: Array, overall: float, *, delta: float = FLQ_DELTA) -> Array:
    """Share of an investor's or a firm's domestic purchases of each product supplied inside the
    region: ``ρ_j = min(SLQ_j · λ*, 1)`` (the FLQ of a buyer as large as the region, δ as the
    FLQ)."""
    return _household_factor(np.asarray(s, dtype=float), overall, "flq", delta)


def final_demand_coefficients(s: Array, overall: float) -> Array:
    """Share of final demand (households, government) of each product supplied inside the
    region, by a regional supply–demand pool: ``π_j = min(s_j / σ, 1) = min(SLQ_j, 1)``.

    The region's consumers buy ``σ`` of the nation's final demand for product j (demand in
    proportion to the region's overall share of activity ``σ``) and the region makes ``s_j`` of
    its supply: it supplies its own consumers first, up to what it makes. Unlike
    :func:`purchase_coefficients`, no size scalar ``λ*``: FLQ's ``λ*`` corrects industries'
    purchases for a small region's greater reliance on outside suppliers of intermediate
    inputs, while consumer services (retail, restaurants, health, education) are bought where
    people live. (Miller & Blair 2009, §8.7: supply–demand pool regional purchase coefficients.)
    """
    return np.minimum(np.asarray(s, dtype=float) / float(overall), 1.0)


def two_region_table(
    table: IOTable,
    region: str,
    *,
    delta: float = FLQ_DELTA,
    regional: Mapping[Any, float] | pd.Series | None = None,
    national: Mapping[Any, float] | pd.Series | None = None,
    concordance: Mapping[Any, Any] | pd.Series | None = None,
    totals: tuple[float, float] | None = None,
    rest: str | None = None,
    final_demand: str = "pool",
) -> IOTable:
    """The two-region table (``region``, rest of the nation) of a national table (module docs).

    Sectors are ``(region, sector)`` pairs, the province first; final demand is
    ``(region, households)`` and ``(region, other_final_demand)`` for each region; the import
    row holds foreign imports only. ``regional`` etc. as :func:`impactsim.regionalize` (default:
    Statistics Korea 2020 persons engaged for a Korean province). ``rest`` names the other
    region (default ``"Korea excl. <region>"``). ``final_demand``: how households source their
    purchases between the regions, ``"pool"`` (supply–demand pool,
    :func:`final_demand_coefficients`) or ``"flq"`` (as an industry,
    :func:`purchase_coefficients`).
    """
    if final_demand not in ("pool", "flq"):
        raise OptionError(f"final_demand={final_demand!r}: use 'pool' or 'flq'")
    s, overall, region, source = provincial_shares(
        table, region, regional=regional, national=national, concordance=concordance,
        totals=totals,
    )
    rest = rest or rest_label(region)
    if rest == region:
        raise OptionError(f"rest={rest!r}: the other region needs a different name")
    a = LeontiefModel(table).a
    x = table.x
    s_r, overall_r = 1.0 - s, 1.0 - overall
    q_p = np.minimum(_lq_matrix(s, overall, "flq", delta), 1.0)
    q_r = np.minimum(_lq_matrix(s_r, overall_r, "flq", delta), 1.0)
    a_pp, a_rr = a * q_p, a * q_r
    big_a = np.block([[a_pp, a - a_rr], [a - a_pp, a_rr]])
    x2 = np.concatenate([s * x, s_r * x])
    z2 = big_a * x2[np.newaxis, :]

    def per_unit(row: Array) -> Array:
        return np.tile(linalg.per_unit(row, x), 2) * x2

    m2 = per_unit(table.import_row)
    va2 = np.vstack([per_unit(v) for v in table.va])
    sats = {k: per_unit(v) for k, v in table.sats.items()}

    n = table.n
    if final_demand == "pool":
        rho = (final_demand_coefficients(s, overall), final_demand_coefficients(s_r, overall_r))
    else:
        rho = (purchase_coefficients(s, overall, delta=delta),
               purchase_coefficients(s_r, overall_r, delta=delta))
    cats: list[tuple[str, str]] = []
    cols: list[Array] = []
    comp = table.compensation
    has_h = comp is not None and HOUSEHOLDS in table.final_demand_categories
    y_h = np.zeros((2 * n, 2))
    if comp is not None and has_h:
        y_hn = table.y_domestic[:, table.final_demand_categories.get_loc(HOUSEHOLDS)]
        h_c = y_hn / float(comp.sum())
        comp2 = per_unit(comp)
        for g, (lo, hi) in enumerate(((0, n), (n, 2 * n))):
            income = float(comp2[lo:hi].sum())
            own = h_c * rho[g] * income
            other = h_c * (1.0 - rho[g]) * income
            y_h[lo:hi, g] = own
            y_h[(hi % (2 * n)):(hi % (2 * n)) + n, g] = other
    resid = x2 - z2.sum(axis=1) - y_h.sum(axis=1)
    names = (region, rest)
    for g, (lo, hi) in enumerate(((0, n), (n, 2 * n))):
        if has_h:
            cats.append((names[g], HOUSEHOLDS))
            cols.append(y_h[:, g])
        other = np.zeros(2 * n)
        other[lo:hi] = resid[lo:hi]
        cats.append((names[g], OTHER))
        cols.append(other)
    y2 = np.column_stack(cols)

    sectors = pd.MultiIndex.from_product([list(names), [str(v) for v in table.sectors]],
                                         names=[REGION, SECTOR])
    info = None
    if table.sector_info is not None:
        base = table.sector_info.reset_index(drop=True)
        info = pd.concat([base, base], ignore_index=True)
        info.index = sectors
        info["regional_share"] = np.concatenate([s, s_r])
    m = table.meta
    prov = dict(m.provenance)
    prov["two_region"] = {
        "method": "two-region FLQ (intra-regional by FLQ in each region, the rest of each "
        "national coefficient bought from the other region)",
        "delta": float(delta),
        "lambda_star": {region: flq_lambda(overall, 1.0, delta=delta),
                        rest: flq_lambda(overall_r, 1.0, delta=delta)},
        "regional_share_of_national_total": overall,
        "household_sourcing": (
            "supply-demand pool min(SLQ, 1)" if final_demand == "pool"
            else "FLQ purchase coefficient min(SLQ λ*, 1)"),
        "data": source,
        "national_table": m.name,
        "references": "Flegg & Tohmo (2013) Regional Studies 47(5); Jahn (2017) Regional "
        "Studies 51(10); Miller & Blair (2009) ch. 3",
    }
    negative = ["final_demand", "value_added"]
    if (z2 < 0).any():
        negative.append("flows")
    if (m2 < 0).any():
        negative.append("imports")
    return IOTable.from_arrays(
        z2, y2, va2,
        sectors=sectors,
        final_demand_categories=pd.MultiIndex.from_tuples(cats),
        value_added_components=list(table.value_added_components),
        imports=m2,
        satellites=sats,
        output=x2,
        **m.fields(name=f"{m.name}:{region}+rest", region=str(m.region or "")),
        provenance=prov,
        sector_info=info,
        allow_negative=negative,
        balance_rtol=max(1e-6, column_tolerance(table)),
    )




def stack_tables(tables: Sequence[IOTable], *, name: str = "") -> IOTable:
    """Block-diagonal union of multi-region tables with distinct regions (no trade between the
    blocks): several provinces' two-region models solved side by side in one factorization."""
    if len(tables) == 1:
        return tables[0]
    seen: set[str] = set()
    for t in tables:
        dup = seen.intersection(regions(t))
        if dup:
            raise TableError(f"stack_tables: region {sorted(dup)[0]!r} appears in two tables")
        seen.update(regions(t))
    sizes = [t.n for t in tables]
    n = sum(sizes)
    z = np.zeros((n, n))
    fd_cats = [c for t in tables for c in t.final_demand_categories]
    y = np.zeros((n, len(fd_cats)))
    lo = col = 0
    for t, k in zip(tables, sizes, strict=True):
        z[lo:lo + k, lo:lo + k] = t.z_domestic
        nc = t.y_domestic.shape[1]
        y[lo:lo + k, col:col + nc] = t.y_domestic
        lo += k
        col += nc
    first = tables[0]
    sectors = first.sectors.append([t.sectors for t in tables[1:]])
    infos = [t.sector_info for t in tables]
    info = pd.concat(infos) if all(i is not None for i in infos) else None
    m = first.meta
    prov = dict(m.provenance)
    prov["stacked"] = [t.meta.name for t in tables]
    negative = ["final_demand", "value_added"]
    if (z < 0).any():
        negative.append("flows")
    m_row = np.concatenate([t.import_row for t in tables])
    if (m_row < 0).any():
        negative.append("imports")
    return IOTable.from_arrays(
        z, y, np.hstack([t.va for t in tables]),
        sectors=sectors,
        final_demand_categories=pd.MultiIndex.from_tuples(fd_cats),
        value_added_components=list(first.value_added_components),
        imports=m_row,
        satellites={k: np.concatenate([t.sats[k] for t in tables]) for k in first.sats},
        output=np.concatenate([t.x for t in tables]),
        **m.fields(name=name or "+".join(t.meta.name for t in tables),
                   region=str(m.region or "")),
        provenance=prov, sector_info=info, allow_negative=negative,
        balance_rtol=max(1e-6, max(column_tolerance(t) for t in tables)),
    )


def regional_households(
    table: IOTable, *, leakage: float = 0.0, scale: float = 1.0
) -> HouseholdGroups:
    """One household group per region of a multi-region table with ``(region, households)``
    final demand and a ``compensation`` row: ``H_r[g] = compensation / x`` on region g's sectors,
    ``H_c[:, g] = scale · (1 − leakage) · y[:, (g, households)] / Σ_g compensation``.

    ``scale`` turns the table's own consumption-to-compensation ratio into another closure
    basis (e.g. disposable income: see :mod:`impactsim.scenario.households`)."""
    if not 0.0 <= leakage < 1.0:
        raise ClosureError(f"leakage={leakage}: must be in [0, 1)")
    comp = table.compensation
    cats = table.final_demand_categories
    if comp is None or not isinstance(cats, pd.MultiIndex):
        raise ClosureError(
            f"table '{table.meta.name}': regional households need a 'compensation' row and "
            "(region, households) final demand"
        )
    codes = region_codes(table)
    names = regions(table)
    hr = np.zeros((len(names), table.n))
    hc = np.zeros((table.n, len(names)))
    per = linalg.per_unit(comp, table.x)
    for g, reg in enumerate(names):
        mask = codes == reg
        hr[g, mask] = per[mask]
        key = (reg, HOUSEHOLDS)
        if key not in cats:
            raise ClosureError(f"table '{table.meta.name}': no final demand {key!r}")
        income = float(comp[mask].sum())
        if income <= 0:
            raise ClosureError(f"table '{table.meta.name}': region {reg!r} has no labour income")
        hc[:, g] = scale * (1.0 - leakage) * table.y_domestic[:, cats.get_loc(key)] / income
    return HouseholdGroups(income=hr, consumption=hc, names=tuple(names))


def two_region_model(
    table: IOTable, *, leakage: float = 0.0, scale: float = 1.0
) -> GroupClosedModel:
    """The Leontief model of a (stacked) two-region table with one household group per region
    (Type II closes every region's households at once; Type I is the ordinary one)."""
    return GroupClosedModel(
        table, groups=regional_households(table, leakage=leakage, scale=scale)
    )
