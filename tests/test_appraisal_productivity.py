"""Jobs at each year's productivity (issue 11, productivity): the factors are BOK's published
employment-inducement coefficients moved to real terms, and they scale only the job measures."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import impactsim as ims
from impactsim.datasets import bok_series
from impactsim.scenario import productivity as prod

# Published index values (scenario/prices.py sources): KICT construction cost index 2023 on
# 2020 = 100 from December levels; GDP deflator 2023 (1.028^3, BOK average growth 2021-24).
CCI_2023 = (148.56 + 153.26) / (117.33 + 121.80) * 100
GDP_2023 = 108.64


def _bok(group: str, year: int) -> float:
    s = bok_series("employment")
    return float(s[(s["group"] == group) & (s["year"] == year)]["value"].iloc[0])


def test_observed_factors_are_bok_coefficients_in_real_terms() -> None:
    table = ims.load_table("korea-2020")
    path = prod.productivity_path(table, [2020, 2023], setting="bok-trend")
    j_502 = list(table.sectors).index("502")  # non-residential buildings: group F
    j_610 = list(table.sectors).index("610-DC")  # information services: group J
    f_hand = _bok("F", 2023) * CCI_2023 / 100 / _bok("F", 2020)
    j_hand = _bok("J", 2023) * GDP_2023 / 100 / _bok("J", 2020)
    assert path.factor[1, j_502] == pytest.approx(f_hand, rel=2e-4)
    assert path.factor[1, j_610] == pytest.approx(j_hand, rel=2e-4)
    assert np.all(path.factor[0] == 1.0)  # the table's own year
    # the economy-wide nominal coefficient fell from 9.7 to 8.2 per KRW bn (BOK releases):
    # information services fell too, in nominal and in real terms
    assert _bok("J", 2023) < _bok("J", 2020) and j_hand < 1


def test_factors_are_relative_to_the_tables_year() -> None:
    t23 = ims.load_table("korea-2023")
    path = prod.productivity_path(t23, [2023, 2030])
    assert np.allclose(path.factor[0], 1.0)
    assert np.all((path.low[1] <= path.factor[1] + 1e-12) & (path.factor[1] <= path.high[1]
                                                               + 1e-12))


def _scenario(setting: str) -> Any:
    """ulsan.yaml with the productivity ``setting`` and without its stated site staff
    (``direct_jobs`` are a stated head count in the operating years, not scaled by the path)."""
    sc = ims.Scenario.from_yaml("scenarios/ulsan.yaml")
    inv = sc.investments[0]
    ops = inv.operations.model_copy(update={"direct_jobs": None})
    sc = sc.model_copy(update={"investments": [inv.model_copy(update={"operations": ops})]})
    return sc.model_copy(update={"model": sc.model.model_copy(update={"productivity": setting})})


def test_jobs_move_money_does_not() -> None:
    on = ims.run(_scenario("bok-trend"), draws=0)
    off = ims.run(_scenario("none"), draws=0)
    k = on.measures.index("employment")
    m = on.measures.index("value_added")
    np.testing.assert_allclose(on.values[:, :, m, :], off.values[:, :, m, :], rtol=1e-12)
    years = on.columns["year"].to_numpy()
    path = prod.productivity_path(ims.load_table("korea-2020"), years)
    factor, _, _ = path.for_years(years)
    np.testing.assert_allclose(on.values[:, :, k, :], off.values[:, :, k, :]
                               * factor[:, None, :], rtol=1e-12)
    assert "productivity" in on.caption() and "2020 productivity" in off.caption()


def test_world_table_has_no_path() -> None:
    t = ims.load_table("wiod-2011")
    path = prod.productivity_path(t, [2025])
    assert not path.applied and np.all(path.factor == 1.0)


def test_draws_are_centred_on_the_path_with_its_spread() -> None:
    res = ims.run(_scenario("bok-trend"), draws=300, seed=3)
    det = res.headline("operations").loc["total", "employment"]
    q = res.headline_quantiles("operations")
    assert q is not None and q.loc["P5", "employment"] < det * 1.2
    years = res.columns["year"].to_numpy()
    lo, hi = prod.spread(res.values, years, res.measures, res.productivity)
    assert lo < 1.0 < hi
    # value added has no productivity term: its draws are those of the spending alone
    off = ims.run(_scenario("none"), draws=300, seed=3)
    va_on = res.draws.values("value_added", phase="construction")
    va_off = off.draws.values("value_added", phase="construction")
    np.testing.assert_allclose(va_on, va_off, rtol=1e-9)
