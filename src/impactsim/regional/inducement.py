"""Regional inducement coefficients of a Korean province or macro-region, as the Bank of Korea
publishes them for its regional input-output tables (지역산업연관표: 생산·부가가치·취업유발계수).

For region P and its two-region table (:func:`~impactsim.regional.tworegion.two_region_table`,
P and the rest of Korea R) with Type I inverse ``L`` and per-unit coefficients ``c`` (1 for
output, value added per unit of output, persons per unit of output), one unit of final demand
for P's own product j induces::

    within P      Σ_{i ∈ P} c_i L_{i,(P,j)}
    other regions Σ_{i ∈ R} c_i L_{i,(P,j)}
    total         the sum (Korea-wide; for value added, total + import inducement = 1)

:func:`regional_inducement` weights these columns by the composition of P's final demand for
its own products: product j of final-demand category k weighs ``s_j y_d[j, k]`` (P's share of
national activity in j times the nation's domestic final demand for j in k, normalised within
k), and the categories are mixed by ``mix`` (e.g. consumption / investment / exports; default:
the national mix of domestic final demand). ``by_product=True`` returns every product's column,
the form of BOK's published tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine.model import LeontiefModel
from ..errors import OptionError, TableError
from ..tables.table import IOTable
from .korea import NATIONAL, _persons_engaged, korean_sections_for, province_name
from .lq import FLQ_DELTA
from .tworegion import two_region_table

Array = NDArray[np.float64]

#: The Bank of Korea's economic regions (권역) of its 2020 regional input-output tables that
#: group several provinces, by their Korean names (Gangwon and Jeju are provinces of their own).
MACRO_REGIONS: dict[str, tuple[str, ...]] = {
    "수도권": ("Seoul", "Incheon", "Gyeonggi"),
    "충청권": ("Daejeon", "Sejong", "Chungbuk", "Chungnam"),
    "호남권": ("Gwangju", "Jeonbuk", "Jeonnam"),
    "대경권": ("Daegu", "Gyeongbuk"),
    "동남권": ("Busan", "Ulsan", "Gyeongnam"),
}
#: English names accepted for :data:`MACRO_REGIONS`.
MACRO_ALIASES = {
    "capital region": "수도권", "chungcheong": "충청권", "honam": "호남권",
    "daegyeong": "대경권", "dongnam": "동남권",
}
#: Final-demand categories of a Korean table grouped as BOK's mix names.
MIX_GROUPS: dict[str, tuple[str, ...]] = {
    "consumption": ("households", "government"),
    "investment": ("gfcf_private", "gfcf_government", "gfcf", "inventories", "valuables"),
    "exports": ("exports",),
}
#: Measures reported (employment from the table's employment satellite).
MEASURES = ("output", "value_added", "imports", "employment")
#: Columns of the result.
PLACES = ("within_region", "other_regions", "total")


def region_provinces(region: str | Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """(label, provinces) of a province name, a BOK macro-region (``"수도권"`` or
    ``"capital region"``) or a sequence of provinces."""
    if not isinstance(region, str):
        provs = tuple(dict.fromkeys(province_name(p) for p in region))
        if not provs:
            raise OptionError("region=[]: name at least one province")
        return "+".join(provs), provs
    key = MACRO_ALIASES.get(region.strip().lower(), region.strip())
    if key in MACRO_REGIONS:
        return key, MACRO_REGIONS[key]
    canon = province_name(region)
    return canon, (canon,)


def _regional_inputs(
    table: IOTable, provinces: tuple[str, ...]
) -> tuple[pd.Series, pd.Series, pd.Series, tuple[float, float]]:
    data = _persons_engaged()
    sections = [c for c in data.columns if len(c) == 1]
    conc = korean_sections_for(table)
    reg = data.loc[list(provinces), sections].astype(float).sum(axis=0)
    nat = data.loc[NATIONAL, sections].astype(float)
    for group in set(conc) - set(sections) - {"*"}:  # unions such as "H+J"
        members = group.split("+")
        reg[group] = float(reg[members].sum())
        nat[group] = float(nat[members].sum())
    totals = (float(data.loc[list(provinces), "total"].sum()), float(data.loc[NATIONAL, "total"]))
    return reg, nat, conc, totals


def _mix_weights(table: IOTable, s: Array, mix: Mapping[str, float] | None) -> Array:
    """Weights over products (sum 1) of the region's final demand for its own products."""
    cats = [str(c) for c in table.final_demand_categories]
    yd = np.clip(np.asarray(table.y_domestic, dtype=float), 0.0, None)
    groups: dict[str, Array] = {}
    for name, members in MIX_GROUPS.items():
        cols = [k for k, c in enumerate(cats) if c in members]
        if cols:
            groups[name] = yd[:, cols].sum(axis=1) * s
    if mix is None:
        mix = {name: float(v.sum()) for name, v in groups.items()}
    unknown = set(mix) - set(groups)
    if unknown:
        raise OptionError(
            f"mix: unknown final-demand group(s) {sorted(unknown)}; use {sorted(groups)}"
        )
    if any(float(w) < 0 for w in mix.values()) or sum(float(w) for w in mix.values()) <= 0:
        raise OptionError(f"mix={dict(mix)}: weights must be >= 0 and not all 0")
    total = sum(float(w) for w in mix.values())
    out = np.zeros(table.n)
    for name, w in mix.items():
        v = groups[name]
        if v.sum() > 0:
            out += float(w) / total * v / v.sum()
    return out


@lru_cache(maxsize=8)
def _columns(
    table: IOTable, label: str, provinces: tuple[str, ...], delta: float
) -> tuple[IOTable, Array, Array]:
    """(two-region table, within, other): induced measures (rows :data:`MEASURES`) by unit of
    final demand for each of the region's products (columns), cached per table and region."""
    reg, nat, conc, totals = _regional_inputs(table, provinces)
    two = two_region_table(table, label, regional=reg, national=nat, concordance=conc,
                           totals=totals, delta=delta)
    model = LeontiefModel(two)
    n = table.n
    coef = model.measure_coefficients
    rows = [model.measures.index(m) for m in MEASURES[:-1]]
    jobs = np.divide(np.asarray(two.employment, dtype=float), two.x,
                     out=np.zeros(2 * n), where=two.x > 0)
    c = np.vstack([coef[rows], jobs])
    unit = np.zeros((2 * n, n))
    unit[np.arange(n), np.arange(n)] = 1.0  # unit final demand for each of the region's products
    x = model.solve(unit)  # (2n, n)
    return two, c[:, :n] @ x[:n], c[:, n:] @ x[n:]


def regional_inducement(
    table: IOTable,
    region: str | Sequence[str],
    *,
    mix: Mapping[str, float] | None = None,
    products: Sequence[str] | None = None,
    by_product: bool = False,
    delta: float = FLQ_DELTA,
) -> pd.DataFrame:
    """BOK-style regional inducement coefficients (Type I) of a Korean province or macro-region.

    Per unit of final demand for the region's own (domestically produced) products: output,
    value added, imports from abroad (table money per unit; value added + imports = 1 in total,
    the column balance of the table) and employment (persons per unit of the table's money,
    e.g. persons per million KRW on ``korea-2020``: × 1,000 for BOK's persons per KRW 1 billion)
    induced within the region, in the other regions and in total (module docs for formulas).

    Parameters
    ----------
    table
        A Bank of Korea product table (``korea-2020``; ``korea-2023``).
    region
        A province (``"Ulsan"``, ``"울산"``), a BOK macro-region (``"수도권"``, ``"동남권"``, or
        ``"capital region"``, ``"dongnam"``, ...) or a sequence of provinces.
    mix
        Weights of the final-demand groups ``consumption`` (households + government),
        ``investment`` (GFCF, inventories) and ``exports``, e.g. ``{"exports": 1}`` for
        exports only; default the national mix of domestic final demand. Within a group a
        product weighs ``s_j · y_d[j, k]``.
    products
        Only these products (table sector codes, e.g. the 165-product codes of one BOK 83-sector
        group), weighted as above within the set: the coefficient of a sector group.
    by_product
        Return every product's column (rows ``(product, measure)``) instead of the weighted sum.
    delta
        FLQ δ of the two-region table.

    Returns
    -------
    pandas.DataFrame
        Rows ``output``, ``value_added``, ``imports``, ``employment`` (or ``(product, measure)``),
        columns
        ``within_region``, ``other_regions``, ``total``; ``attrs`` hold the region, its
        provinces, the unit of each measure and the final-demand weights.
    """
    label, provinces = region_provinces(region)
    if table.employment is None:
        raise TableError(f"table '{table.meta.name}' has no employment satellite")
    two, within, other = _columns(table, label, provinces, float(delta))
    n = table.n
    s = np.asarray(two.x[:n] / np.where(table.x > 0, table.x, 1.0), dtype=float)
    money = f"{table.meta.money_unit} per {table.meta.money_unit}"
    units = {"output": money, "value_added": money, "imports": money,
             "employment": f"persons per {table.meta.money_unit}"}
    if by_product:
        index = pd.MultiIndex.from_product([list(map(str, table.sectors)), list(MEASURES)],
                                           names=["product", "measure"])
        k = len(MEASURES)
        data = np.stack([within.T, other.T, (within + other).T], axis=2).reshape(k * n, 3)
        frame = pd.DataFrame(data, index=index, columns=list(PLACES))
        weights: Any = None
    else:
        weights = _mix_weights(table, s, mix)
        if products is not None:
            codes = [str(v) for v in table.sectors]
            missing = [p for p in products if str(p) not in codes]
            if missing:
                raise OptionError(f"products: {missing} are not sectors of '{table.meta.name}'")
            keep = np.isin(codes, [str(p) for p in products])
            weights = np.where(keep, weights, 0.0)
            if weights.sum() <= 0:
                raise OptionError(f"products={list(products)}: the region has no final demand "
                                  "for them in this mix")
            weights = weights / weights.sum()
        data = np.column_stack([within @ weights, other @ weights, (within + other) @ weights])
        frame = pd.DataFrame(data, index=pd.Index(list(MEASURES), name="measure"),
                             columns=list(PLACES))
        weights = pd.Series(weights, index=table.sectors, name="weight")
    frame.attrs.update(region=label, provinces=provinces, units=units, weights=weights,
                       basis="Type I, per unit of final demand for the region's own products")
    return frame
