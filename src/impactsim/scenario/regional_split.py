"""Where a provincial scenario's effects happen: the province, the rest of Korea, abroad.

On a two-region run (:class:`~impactsim.scenario.sourcing.TwoRegionSourcing`) each shock column
is spent in one province ``P`` and solved on P's two-region model, so every effect lands either
in P or in P's rest of Korea: the sourcing's
:meth:`~impactsim.scenario.sourcing_base.Sourcing.province_blocks` gives those rows (none on
a run solved as one system, which has no provinces to split by). :func:`regional_split` adds
them up per spending province, on the phase's headline basis, and splits each unit of spending
by where its value is created::

    S = VA_P + VA_R + M          (Type I identity: 1'y = (v + m)'L y, column balance of the table)

with ``S`` the spending (table units, imported part included, excluded categories left out),
``VA_P`` / ``VA_R`` the value added (direct + indirect) in P / the rest of Korea and ``M`` the
foreign imports: the imported part of the spending itself plus the imported intermediate inputs
of the whole domestic chain. The three shares sum to 1 up to the table's column-balance error.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine import linalg
from ..errors import OptionError
from ..regional.decomposition import PARTS
from .result_view import ResultView
from .sourcing_base import ProvinceBlock, Sourcing

#: Columns of :func:`regional_split`, in display order.
SPLIT_COLUMNS = (
    "in_province", "rest_of_korea", "korea", "province_share",
    "stays_in_province", "spills_to_rest_of_korea", "leaks_abroad", "spending",
)
#: Row label of the sum over provinces.
ALL_PROVINCES = "all provinces"


def spending_by_column(result: ResultView) -> NDArray[np.float64]:
    """Spending of every shock column in table units, imported part included and excluded
    categories left out: domestic demand + the imported part of the spending itself
    (``PhasePlan.matrix`` + ``PhasePlan.imported_matrix``, each category at its own prices)."""
    out = np.zeros(len(result.columns))
    for plan, cols in zip(result.shocks.plans, result.shocks.plan_columns, strict=True):
        if cols:
            out[list(cols)] += plan.matrix().sum(axis=0) + plan.imported_matrix().sum(axis=0)
    return out


def regional_split(
    result: ResultView, measure: str = "employment", phase: str | None = None
) -> pd.DataFrame:
    """Per spending province (rows; plus ``"all provinces"`` when several): the total effect
    on ``measure`` in the province, in the rest of Korea and in Korea (``in_province``,
    ``rest_of_korea``, ``korea``; all effects of the run, the phase's headline basis),
    ``province_share`` = in_province / korea, and the split of the spending by where its value
    is created (module docs): ``stays_in_province``, ``spills_to_rest_of_korea``,
    ``leaks_abroad`` (shares summing to 1) and ``spending`` (table units)."""
    sourcing, blocks = _provinces(
        result, "regional_split(): the result was not computed on a provincial (two-region) run; "
        "place the scenario's investments in Korean provinces (`region: Incheon`)"
    )
    phase = _phase(result, phase)
    result._check(measure=measure, phase=phase)
    cols = result._headline_columns(phase)
    k = result.measures.index(measure)
    va = result.measures.index("value_added")
    imp = result.measures.index("imports")
    type1 = [i for i, e in enumerate(result.effects) if e in ("direct", "indirect")]
    spend = spending_by_column(result) * result.money_factor
    rows: dict[str, NDArray[np.float64]] = {}
    for prov in blocks:
        rows[prov] = np.zeros(6)
    for c in cols:
        prov = sourcing.province_of(str(result.columns["region"].iloc[c]))
        home, rest = blocks[prov]
        vals = result.values[c]
        rows[prov] += [
            vals[:, k, home].sum(),
            vals[:, k, rest].sum(),
            vals[type1, va, home].sum(),
            vals[type1, va, rest].sum(),
            vals[type1, imp, :].sum(),  # total leakage: the direct row has the imported spending
            spend[c],
        ]
    if len(rows) > 1:
        rows[ALL_PROVINCES] = np.sum(list(rows.values()), axis=0)
    frame = pd.DataFrame.from_dict(rows, orient="index",
                                   columns=["in_province", "rest_of_korea", "va_p", "va_r",
                                            "abroad", "spending"])
    frame["korea"] = frame["in_province"] + frame["rest_of_korea"]
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["province_share"] = frame["in_province"] / frame["korea"]
        for name, part in (("stays_in_province", "va_p"), ("spills_to_rest_of_korea", "va_r"),
                           ("leaks_abroad", "abroad")):
            frame[name] = frame[part] / frame["spending"]
    frame = frame[list(SPLIT_COLUMNS)]
    frame.index.name = "province"
    frame.attrs["unit"] = result.units[measure]
    frame.attrs["money_unit"] = result.table.money_unit
    frame.attrs["basis"] = result.basis(phase)
    return frame


def _phase(result: ResultView, phase: str | None) -> str:
    """``phase``, or the result's first phase; a result without phases is refused."""
    if phase:
        return phase
    if not result.phases:
        raise OptionError("the result has no phases to split; run a scenario with investments")
    return result.phases[0]


def _provinces(result: ResultView, refusal: str) -> tuple[Sourcing, Mapping[str, ProvinceBlock]]:
    """The result's sourcing and its spending provinces' rows; OptionError ``refusal`` when the
    run had no provinces."""
    sourcing = result.sourcing
    blocks = sourcing.province_blocks() if sourcing is not None else {}
    if sourcing is None or not blocks:
        raise OptionError(refusal)
    return sourcing, blocks


def regional_decomposition(
    result: ResultView, measure: str = "output", phase: str | None = None
) -> pd.DataFrame:
    """Type I effects of each province's spending split as Miller & Blair (2009, ch. 3), from
    the spending province's side: with its demand ``y = (y_P, y_R)`` (bought in the province /
    in the rest of Korea) and the two-region ``L``,

    * ``feedback`` = ``ĉ_P [L y]_P − ĉ_P (I − A_PP)⁻¹ y_P``: what comes back to the province
      because it (and its suppliers) buy from the rest of Korea, which buys from the province;
    * ``intra_regional``: the rest of the result's Type I effect in the province — the
      province's own chain of what it buys at home, ``ĉ_P (I − A_PP)⁻¹ y_P``, plus any stated
      ``direct_jobs`` in place of the table's direct jobs;
    * ``spillover``: the result's Type I effect in the rest of Korea (``ĉ_R [L y]_R``);

    plus ``total`` (the Type I effect in Korea): rows per spending province (and ``"all
    provinces"``), the phase's headline demand, column by column with the result's own
    coefficients (jobs at each year's productivity, money in the result's money), so the parts
    add up to the result's direct + indirect effects exactly, and ``intra_regional +
    feedback`` is the Type I part of :func:`regional_split`'s ``in_province``.
    (:func:`impactsim.regional.decompose_spillovers` splits relative to the *supplying* region
    instead.)"""
    sourcing, blocks = _provinces(
        result, "regional_decomposition(): needs a provincial (two-region) run"
    )
    phase = _phase(result, phase)
    result._check(measure=measure, phase=phase)
    cols = result._headline_columns(phase)
    model = sourcing.model(leakage=None)
    k = result.measures.index(measure)
    kind = result.registry.get_or_physical(measure)
    type1 = [i for i, e in enumerate(result.effects) if e in ("direct", "indirect")]
    coef = (model.measure_coefficients[model.measures.index(measure)]
            if measure in model.measures else None)
    years = result.columns["year"].to_numpy(dtype=int)
    path = result.productivity
    rows: dict[str, NDArray[np.float64]] = {}
    for prov, (home, rest) in blocks.items():
        mine = [j for j in cols
                if sourcing.province_of(str(result.columns["region"].iloc[j])) == prov]
        inside = float(result.values[np.ix_(mine, type1, [k])][..., home].sum())
        spill = float(result.values[np.ix_(mine, type1, [k])][..., rest].sum())
        feedback = 0.0
        if coef is not None and mine:
            y = np.asarray(result.shocks.matrix)[:, mine]  # (2n, columns)
            x = model.solve(y)
            own = linalg.factorize_leontief(model.a[home, home], check=False).solve(y[home])
            c = np.repeat(coef[:, None], len(mine), axis=1)
            if kind.is_jobs and path is not None and path.applied:  # jobs at each year's
                c = c * path.for_years(years[mine].tolist())[0].T  # productivity
            elif kind.is_money:
                c = c * result.money_factor
            feedback = float((c[home] * x[home]).sum() - (c[home] * own).sum())
        rows[prov] = np.array([inside - feedback, feedback, spill])
    if len(rows) > 1:
        rows[ALL_PROVINCES] = np.sum(list(rows.values()), axis=0)
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(PARTS))
    frame["total"] = frame.sum(axis=1)
    frame.index.name = "province"
    frame.attrs["unit"] = result.units[measure]
    frame.attrs["basis"] = result.basis(phase)
    return frame
