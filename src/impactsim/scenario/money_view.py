"""A result in other money, and value added split by component.

:func:`in_money` presents a result in another currency and price year — usually the
announcement's own (the scenario's ``currency`` and ``price_year``) — with the shipped exchange
rates and price indices of :mod:`impactsim.scenario.money`, the inverse of how the announced
amounts entered the table::

    v_c = v_T × u × P_T(p) / P_T(t) / r(c → T, p)  =  v_T / factor(c, p)

``v_T`` a value in table units (currency ``T``, unit ``u``, prices of year ``t``), ``P_T`` the
table economy's price index (GDP deflator), ``r`` the annual-average exchange rate of year ``p``.
Only money measures change (the measure registry's ``kind == "money"``: output, value
added, labour income, imports and its parts, net product taxes); jobs and physical satellites
do not. The new table metadata (currency, unit 1, price year) make every caption say the money
it is in, and ``meta.provenance["presented_in"]`` records the
conversion.

:func:`value_added_split` splits the value-added effect into the table's components
(compensation of employees, operating surplus, consumption of fixed capital, net taxes on
production …): ``VA_k = Σ_j (V_kj / x_j) Δx_j`` for each effect, so the components add up to
the ``value_added`` measure exactly (``net_product_taxes``, when the table has them, are their
own measure, as in the model).

:func:`spending` sums, per phase, what was spent — at home or abroad, excluded categories left
out — from the shocks' audit trail, on each phase's headline basis: the denominator of the
result's leakage table.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import TypeVar

import numpy as np
import pandas as pd

from ..errors import OptionError
from ..tables.table import NET_PRODUCT_TAXES
from . import money
from .result_view import ResultView

R = TypeVar("R", bound=ResultView)


def in_money(result: R, currency: str | None = None, price_year: int | None = None) -> R:
    """The result with money in ``currency`` at ``price_year`` prices (defaults: the scenario's
    currency and price year); the same object when that is already the table's money.

    Raises :class:`~impactsim.ScenarioError` (naming the fix) when no rate or index is shipped
    for the pair or the year.
    """
    meta = result.table
    currency = (currency or result.scenario.currency).upper()
    year = int(price_year if price_year is not None else result.scenario.price_year)
    if currency == meta.currency and (meta.price_year in (None, year)) and meta.unit == 1.0:
        return result
    # always from the money the model solved in (the table's), so that converting a converted
    # result, or converting it back, gives the same numbers as converting once
    before = dict(meta.provenance).get("presented_in")
    if isinstance(before, dict) and "table" in before:
        base, current = dict(before["table"]), float(before["factor"])
    else:
        base = {"currency": meta.currency, "unit": meta.unit, "price_year": meta.price_year}
        current = 1.0
    conv = money.conversion(
        currency, year, table_currency=base["currency"], table_price_year=base["price_year"],
        table_region=meta.region, unit=base["unit"],
    )
    factor = 1.0 / conv.factor  # new money units per table unit
    step = factor / current  # new money units per current money unit
    values = np.array(result.values, dtype=float, copy=True)
    scaled = {m: step for m in result.measures if result.registry.get_or_physical(m).is_money}
    for m in scaled:
        values[:, :, result.measures.index(m), :] *= step
    original = replace(meta, currency=base["currency"], unit=float(base["unit"]))
    note = {
        "from": f"{original.money_unit} at {base['price_year']} prices",
        "to": f"{currency} at {year} prices",
        "factor": factor,
        "table": base,
        "conversion": conv.describe(),
        "exchange_rate_source": conv.exchange_rate_source,
        "price_source": conv.price_source,
    }
    new_meta = replace(
        meta, currency=currency, unit=1.0, price_year=year,
        provenance=MappingProxyType({**dict(meta.provenance), "presented_in": note}),
    )
    units = {m: (new_meta.money_unit if m in scaled else u) for m, u in result.units.items()}
    draws = result.draws
    if draws is not None:
        draws = draws.scaled(scaled, {m: new_meta.money_unit for m in scaled})
    return replace(result, values=values, table=new_meta, units=units, draws=draws)


def value_added_split(result: ResultView, phase: str | None = None, *,
                      cumulative: bool = False) -> pd.DataFrame:
    """Value added by component: rows (phase, effect) — or effect, given ``phase`` — with a
    ``total`` row; columns the table's value-added components (without net product taxes).

    On each phase's headline basis (as :meth:`ScenarioResult.summary`), in the result's money;
    ``cumulative=True``: rows effects over every modelled year (as
    :meth:`ScenarioResult.cumulative`).
    """
    sourcing = result.sourcing
    if sourcing is None:
        raise OptionError("value_added_split(): the result carries no table (sourcing)")
    table = sourcing.table
    comps = [str(c) for c in table.value_added_components if str(c) != NET_PRODUCT_TAXES]
    rows = np.vstack([table.va[table.value_added_components.get_loc(c)] for c in comps])
    x = table.x
    with np.errstate(divide="ignore", invalid="ignore"):
        coef = np.where(x > 0, rows / np.where(x > 0, x, 1.0), 0.0)  # (K, n)
    k_out = result.measures.index("output")  # in the result's money: coef are ratios
    if cumulative:
        out = result.values[:, :, k_out, :].sum(axis=0) @ coef.T
        data = np.vstack([out, out.sum(axis=0, keepdims=True)])
        frame = pd.DataFrame(data, index=pd.Index([*result.effects, "total"], name="effect"),
                             columns=pd.Index(comps, name="component"))
        frame.attrs["unit"] = result.units.get("value_added", result.table.money_unit)
        return frame
    phases = result.phases if phase is None else (phase,)
    blocks = []
    for ph in phases:
        cols = result._headline_columns(ph)
        out = result.values[cols, :, k_out, :].sum(axis=0)  # (effects, n)
        split = out @ coef.T  # (effects, K)
        blocks.append(np.vstack([split, split.sum(axis=0, keepdims=True)]))
    effects = [*result.effects, "total"]
    data = np.vstack(blocks) if blocks else np.zeros((0, len(comps)))
    if phase is None:
        index = pd.MultiIndex.from_product([list(phases), effects], names=["phase", "effect"])
    else:
        index = pd.Index(effects, name="effect")
    frame = pd.DataFrame(data, index=index, columns=pd.Index(comps, name="component"))
    frame.attrs["unit"] = result.units.get("value_added", result.table.money_unit)
    return frame


def spending(result: ResultView) -> dict[str, float]:
    """All spending bought in the economy or abroad (the audit's ``table_units − excluded``)
    per phase, over the phase's headline columns (construction: every year; operations: each
    plan's full-operation year), in the result's money (``× money_factor``)."""
    audit = result.shocks.audit
    if len(audit):  # the columns read here only (filtering copies every column it holds)
        audit = audit[["phase", "investment", "year", "region", "table_units", "excluded"]]
    out = {}
    for ph in result.phases:
        spent = audit.loc[audit["phase"] == ph] if len(audit) else audit
        if len(spent):
            keys = set(map(tuple, result.columns.iloc[result._headline_columns(ph)][
                ["investment", "year", "region"]].to_numpy().tolist()))
            sel = [(i, y, r) in keys for i, y, r in
                   zip(spent["investment"], spent["year"], spent["region"], strict=True)]
            spent = spent[sel]
        units = float((spent["table_units"] - spent["excluded"]).sum()) if len(spent) else 0.0
        out[ph] = units * result.money_factor
    return out
