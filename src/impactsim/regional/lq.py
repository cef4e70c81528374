"""Sub-national regionalisation by location quotients: SLQ, CILQ and FLQ (Flegg & Tohmo 2013).

From regional and national activity by sector ``E`` (employment, or output) with totals
``E_r = Σ_i E_ri`` and ``E_n = Σ_i E_ni``:

* simple LQ        ``SLQ_i   = (E_ri / E_r) / (E_ni / E_n)``
* cross-industry   ``CILQ_ij = SLQ_i / SLQ_j``            (``SLQ_i`` on the diagonal)
* Flegg's FLQ      ``FLQ_ij  = CILQ_ij · λ*`` (``SLQ_i · λ*`` on the diagonal),
  ``λ* = [log₂(1 + E_r / E_n)]^δ``, ``0 ≤ δ < 1``; default ``δ = 0.3``

Regional coefficients are the national domestic ones scaled down where the region is too small
to supply them: ``r_ij = a_ij · min(LQ_ij, 1)`` — so ``r_ij ≤ a_ij`` always (for the rare negative
national entries, e.g. by-product conventions, ``|r_ij| ≤ |a_ij|``), and with non-negative
coefficients every regional multiplier is at most the national one. The part ``a_ij − r_ij``
is bought from outside the region (rest of the country); it joins the regional import row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine import linalg
from ..engine.model import LeontiefModel
from ..errors import OptionError, TableError
from ..tables.table import HOUSEHOLDS, IOTable

Array = NDArray[np.float64]
Method = Literal["slq", "cilq", "flq"]
METHODS = ("slq", "cilq", "flq")
#: Default δ of the FLQ (Flegg & Webber 1997; discussed in Flegg & Tohmo 2013). The best value
#: differs by region; test the sensitivity of results to it.
FLQ_DELTA = 0.3
#: Group label in a concordance meaning "no sector-specific data: use the all-industry share".
ALL_INDUSTRIES = "*"


def flq_lambda(regional_total: float, national_total: float, *, delta: float = FLQ_DELTA) -> float:
    """Flegg's regional-size scalar ``λ* = [log₂(1 + E_r / E_n)]^δ`` (in (0, 1] for E_r ≤ E_n)."""
    if not 0.0 <= delta < 1.0:
        raise OptionError(f"delta={delta}: the FLQ δ must be in [0, 1) (default {FLQ_DELTA})")
    if not (national_total > 0 and 0 < regional_total <= national_total):
        raise TableError(
            f"regional total {regional_total:g} and national total {national_total:g}: need "
            "0 < regional ≤ national"
        )
    return float(np.log2(1.0 + regional_total / national_total) ** delta)


def _as_series(values: Any, *, what: str) -> pd.Series:
    if isinstance(values, pd.Series):
        s = values.copy()
    elif isinstance(values, Mapping):
        s = pd.Series(dict(values))
    else:
        raise TableError(f"{what}: give a pandas Series or a mapping label → value")
    try:
        s = s.astype(float)
    except (TypeError, ValueError):
        raise TableError(f"{what}: values must be numbers") from None
    bad = ~np.isfinite(s.to_numpy()) | (s.to_numpy() < 0)
    if bad.any():
        lab = s.index[int(np.flatnonzero(bad)[0])]
        raise TableError(f"{what}: value for {lab!r} is {s[lab]!r}; give finite values >= 0")
    return s


def _shares(
    sectors: pd.Index,
    regional: pd.Series,
    national: pd.Series,
    concordance: Mapping[Any, Any] | pd.Series | None,
    totals: tuple[float, float] | None,
) -> tuple[Array, float]:
    """Per-sector regional share ``s_i = E_r,g(i) / E_n,g(i)`` and the overall ``E_r / E_n``."""
    groups = pd.Index(regional.index)
    missing_nat = groups.difference(pd.Index(national.index))
    if len(missing_nat):
        raise TableError(
            f"national: no value for {list(missing_nat[:3])} given in regional; give both on "
            "the same labels"
        )
    national = national.reindex(groups)
    over = regional.to_numpy() > national.to_numpy() * (1 + 1e-12)
    if over.any():
        lab = groups[int(np.flatnonzero(over)[0])]
        raise TableError(
            f"regional value for {lab!r} ({regional[lab]:g}) exceeds the national one "
            f"({national[lab]:g}); the region must be part of the nation"
        )
    orphan = (national.to_numpy() == 0) & (regional.to_numpy() > 0)
    if orphan.any():
        raise TableError(f"national value for {groups[int(np.flatnonzero(orphan)[0])]!r} is 0")
    with np.errstate(divide="ignore", invalid="ignore"):
        share_g = pd.Series(
            np.where(national.to_numpy() > 0, regional.to_numpy() / national.to_numpy(), 0.0),
            index=groups,
        )
    if totals is None:
        totals = (float(regional.sum()), float(national.sum()))
    e_r, e_n = (float(v) for v in totals)
    if not (e_n > 0 and 0 < e_r <= e_n):
        raise TableError(f"totals ({e_r:g}, {e_n:g}): need 0 < regional total ≤ national total")
    overall = e_r / e_n
    if concordance is None:
        unmapped = pd.Index(sectors).difference(groups)
        if len(unmapped):
            raise TableError(
                f"regional data has no value for sector(s) {list(unmapped[:3])}; give one value "
                "per table sector, or a concordance= mapping sectors to the data's groups"
            )
        return share_g.reindex(sectors).to_numpy(dtype=float), overall
    conc = dict(concordance)
    out = np.empty(len(sectors))
    for i, lab in enumerate(sectors):
        if lab not in conc:
            raise TableError(f"concordance: sector {lab!r} is not mapped to a group of the data")
        g = conc[lab]
        if g == ALL_INDUSTRIES:
            out[i] = overall
        elif g in share_g.index:
            out[i] = share_g[g]
        else:
            raise TableError(
                f"concordance maps sector {lab!r} to {g!r}, which the regional data lacks"
            )
    return out, overall


def _lq_matrix(s: Array, overall: float, method: str, delta: float) -> Array:
    """Uncapped LQ_ij (n × n) from shares; columns with s_j = 0 are set to 0 (sector absent)."""
    if method not in METHODS:
        raise OptionError(f"method={method!r}: use one of {', '.join(METHODS)}")
    slq = s / overall
    n = s.shape[0]
    if method == "slq":
        lq = np.repeat(slq[:, np.newaxis], n, axis=1)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            lq = np.where(s[np.newaxis, :] > 0, s[:, np.newaxis] / s[np.newaxis, :], 0.0)
        np.fill_diagonal(lq, slq)
        if method == "flq":
            lq = lq * flq_lambda(overall, 1.0, delta=delta)
    return lq


def location_quotients(
    regional: Mapping[Any, float] | pd.Series,
    national: Mapping[Any, float] | pd.Series,
    *,
    method: Method = "flq",
    delta: float = FLQ_DELTA,
    sectors: Any = None,
    concordance: Mapping[Any, Any] | pd.Series | None = None,
    totals: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """The LQ matrix ``LQ_ij`` (rows supplying sector i, columns buying sector j), uncapped.

    ``regional`` / ``national``: activity (employment or output) by group; ``concordance`` maps
    each sector to a group (identity by default; ``"*"`` = use the all-industry share);
    ``totals`` = (E_r, E_n), default the sums of the two series. For SLQ every column is the
    SLQ vector. Regional coefficients use ``min(LQ, 1)``.
    """
    reg = _as_series(regional, what="regional")
    nat = _as_series(national, what="national")
    if sectors is None:
        sectors = pd.Index(concordance.keys()) if concordance is not None else reg.index
    idx = pd.Index(sectors)
    s, overall = _shares(idx, reg, nat, concordance, totals)
    return pd.DataFrame(_lq_matrix(s, overall, method, delta), index=idx, columns=idx)


def _household_factor(s: Array, overall: float, method: str, delta: float) -> Array:
    """min(LQ_i,h, 1) for the household column: households are as large as the region, SLQ_h = 1."""
    slq = s / overall
    if method == "flq":
        slq = slq * flq_lambda(overall, 1.0, delta=delta)
    return np.minimum(slq, 1.0)


def regionalize(
    table: IOTable,
    region: str,
    *,
    method: Method = "flq",
    delta: float = FLQ_DELTA,
    regional: Mapping[Any, float] | pd.Series | None = None,
    national: Mapping[Any, float] | pd.Series | None = None,
    concordance: Mapping[Any, Any] | pd.Series | None = None,
    totals: tuple[float, float] | None = None,
    basis: Literal["employment", "output"] = "employment",
) -> IOTable:
    """A regional table for ``region`` from a national one by location quotients.

    Coefficients ``r_ij = a_ij · min(LQ_ij, 1)`` on the national *domestic* coefficients; regional
    output ``x_rj = x_nj · s_j`` with ``s_j = E_r,g(j) / E_n,g(j)`` (same productivity as the
    nation); value added, income, employment and imports per unit of output as in the nation;
    purchases no longer supplied locally (``a_ij − r_ij``) join the import row, which therefore
    means "bought from outside the region". Household consumption of local products is scaled by
    the household LQ (SLQ_i, times λ* for FLQ, capped at 1), so Type II multipliers work too.
    Final demand is ``households`` plus ``other_final_demand`` (a residual: government,
    investment and exports to the rest of the country and abroad; may be negative).

    Data: with ``regional=None`` and a Bank of Korea table, the bundled Statistics Korea 2020
    persons engaged by province (``region="Incheon"``, ``"인천"``, ``"Gyeonggi-do"``…); otherwise
    ``regional`` (and ``national``, default the table's employment or output when ``regional``
    is by table sector) with an optional ``concordance`` sector → group and ``totals``.
    Sectors with no regional activity are dropped (listed in the provenance).
    """
    if basis not in ("employment", "output"):
        raise OptionError(f"basis={basis!r}: use 'employment' or 'output'")
    if regional is None:
        from .korea import korean_regional_inputs

        if basis != "employment":
            raise OptionError(
                "basis='output': the bundled provincial data is employment; pass regional="
            )
        reg, nat, conc, tots, source = korean_regional_inputs(table, region)
        from .korea import province_name

        region = province_name(region)
        concordance = conc if concordance is None else concordance
        totals = tots if totals is None else totals
    else:
        reg = _as_series(regional, what="regional")
        if national is None:
            if basis == "output":
                nat = table.output
            elif table.employment is not None:
                nat = table.employment
            else:
                raise TableError(
                    f"national=: table '{table.meta.name}' has no employment satellite; give "
                    "national employment by the same labels as regional, or basis='output'"
                )
        else:
            nat = _as_series(national, what="national")
        source = f"user-supplied regional {basis} ({len(reg)} groups)"
    sectors = table.sectors
    s, overall = _shares(sectors, reg, _as_series(nat, what="national"), concordance, totals)
    lq = _lq_matrix(s, overall, method, delta)
    q = np.minimum(lq, 1.0)
    lam = flq_lambda(overall, 1.0, delta=delta) if method == "flq" else 1.0

    model = LeontiefModel(table)
    a_n = model.a
    x_n = table.x
    keep = s > 0
    if not keep.any():
        raise TableError(f"region {region!r}: no activity in any sector of the data")
    a_r = (a_n * q)[np.ix_(keep, keep)]
    x_r = x_n[keep] * s[keep]
    z_r = a_r * x_r[np.newaxis, :]
    inflow = a_n[:, keep].sum(axis=0) - a_r.sum(axis=0)
    m_r = (linalg.per_unit(table.import_row, x_n)[keep] + inflow) * x_r
    va_r = linalg.per_unit(table.va, x_n)[:, keep] * x_r
    sats = {k: linalg.per_unit(v, x_n)[keep] * x_r for k, v in table.sats.items()}

    cats: list[str]
    comp = table.compensation
    if comp is not None and HOUSEHOLDS in table.final_demand_categories:
        y_h_n = table.y_domestic[:, table.final_demand_categories.get_loc(HOUSEHOLDS)]
        h_c = y_h_n / float(comp.sum())
        comp_r = linalg.per_unit(comp, x_n)[keep] * x_r
        y_h = (h_c * _household_factor(s, overall, method, delta))[keep] * float(comp_r.sum())
        y_o = x_r - z_r.sum(axis=1) - y_h
        y = np.column_stack([y_h, y_o])
        cats = [HOUSEHOLDS, "other_final_demand"]
    else:
        y = (x_r - z_r.sum(axis=1))[:, np.newaxis]
        cats = ["final_demand"]

    sec_r = sectors[keep]
    info = (
        table.sector_info.iloc[np.flatnonzero(keep)].reset_index(drop=True)
        if table.sector_info is not None
        else pd.DataFrame(index=range(int(keep.sum())))
    )
    info["regional_share"] = s[keep]
    info["slq"] = (s / overall)[keep]
    dropped = [str(v) for v in sectors[~keep]]
    m = table.meta
    prov = dict(m.provenance)
    prov["regionalisation"] = {
        "method": method.upper(),
        "formula": {
            "slq": "r_ij = a_ij · min(SLQ_i, 1)",
            "cilq": "r_ij = a_ij · min(SLQ_i / SLQ_j, 1), SLQ_i on the diagonal",
            "flq": "r_ij = a_ij · min(CILQ_ij · λ*, 1), SLQ_i · λ* on the diagonal, "
            "λ* = [log2(1 + E_r/E_n)]^δ",
        }[method],
        "delta": float(delta) if method == "flq" else None,
        "lambda_star": lam,
        "regional_share_of_national_total": overall,
        "basis": basis,
        "data": source,
        "national_table": m.name,
        "reference": "Flegg, A. T. and Tohmo, T. (2013), 'Regional input-output tables and the "
        "FLQ formula: a case study of Finland', Regional Studies 47(5): 703-721",
        "assumptions": "national technology and productivity; regional output = national "
        "output × regional share of the sector's activity; inputs not supplied locally are "
        "bought from outside the region (import row)",
        "dropped_sectors": ", ".join(dropped) or "none",
    }
    name = f"{m.name}:{region}-{method}"
    negative = ["final_demand", "value_added"]
    negative += [b for b, arr in (("flows", z_r), ("imports", m_r)) if (arr < 0).any()]
    return IOTable.from_arrays(
        z_r,
        y,
        va_r,
        sectors=sec_r,
        final_demand_categories=cats,
        value_added_components=list(table.value_added_components),
        imports=m_r,
        satellites=sats,
        output=x_r,
        **m.fields(name=name, region=str(region)),
        provenance=prov,
        sector_info=info,
        allow_negative=negative,
        balance_rtol=max(1e-6, column_tolerance(table)),
    )


def column_tolerance(table: IOTable) -> float:
    """The largest finite relative column residual of ``table`` (a balance tolerance its derived
    tables can pass), slightly widened."""
    rel = np.abs(table.balance()["column_relative"].to_numpy())
    rel = rel[np.isfinite(rel)]
    return float(rel.max()) * (1 + 1e-9) if rel.size else 0.0


def compare_multipliers(
    national: IOTable | LeontiefModel,
    regional: IOTable | LeontiefModel,
    *,
    measure: str = "output",
    induced: bool = False,
) -> pd.DataFrame:
    """National vs regional multipliers of one measure for the regional table's sectors.

    Columns ``national``, ``regional`` and ``ratio`` (regional / national), Type I or (with
    ``induced``) Type II. Tables get their default household closure; pass models to reuse
    factorizations or to choose closures.
    """
    nat_m = national if isinstance(national, LeontiefModel) else LeontiefModel(national)
    reg_m = regional if isinstance(regional, LeontiefModel) else LeontiefModel(regional)
    nat = nat_m.multipliers(induced=induced)
    reg = reg_m.multipliers(induced=induced)
    if measure not in reg.columns:
        raise OptionError(f"measure={measure!r}: use one of {list(reg.columns)}")
    frame = pd.DataFrame(
        {"national": nat.loc[reg.index, measure], "regional": reg[measure]}, index=reg.index
    )
    frame["ratio"] = frame["regional"] / frame["national"]
    frame.attrs["type"] = "II" if induced else "I"
    frame.attrs["unit"] = reg.attrs.get("units", {}).get(measure, "")
    return frame
