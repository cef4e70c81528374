"""Jobs at each year's productivity: the default factors are the direct employment coefficients
of the 2020 and 2023 BOK tables in real terms, damped after 2023 and kept in a stated band; the
BOK inducement path stays available; the factors scale only the job measures."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    on = ims.run(_scenario("bok-direct"), draws=0)
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


def _coef(table: str, group: str) -> float:
    """Persons (FTE) per unit of output of a BOK 33 group, summed from a bundled table."""
    t = ims.load_table(table)
    g = t.sector_info["bok33"].reindex(t.sectors).to_numpy()
    e = np.asarray(t.employment, dtype=float).reshape(-1)
    return float(e[g == group].sum() / np.asarray(t.x, dtype=float)[g == group].sum())


def test_direct_coefficients_sum_over_the_split_tables() -> None:
    """The coefficients are read from the folders the split tables are built from: every
    group's persons and output equal the sums over the loaded split tables (an identity of the
    splits, which divide a sector within its group)."""
    from impactsim.datasets import direct_coefficients

    frame = direct_coefficients()
    assert set(frame["year"]) == {2020, 2023} and frame["group"].nunique() >= 30
    for year in (2020, 2023):
        t = ims.load_table(f"korea-{year}")
        g = t.sector_info["bok33"].reindex(t.sectors).to_numpy()
        e = np.asarray(t.employment, dtype=float).reshape(-1)
        x = np.asarray(t.x, dtype=float)
        for row in frame[frame["year"] == year].itertuples():
            assert row.employment == pytest.approx(e[g == row.group].sum(), rel=1e-12)
            assert row.output == pytest.approx(x[g == row.group].sum(), rel=1e-12)


def test_direct_path_is_the_tables_direct_coefficients_in_real_terms() -> None:
    from impactsim.datasets import direct_employment_path

    # professional services (M): 2023 output at 2020 prices with the GDP deflator 108.64 (BOK
    # average growth 2.8 % a year, 2021-2024); inside the band, so not clipped
    hand = _coef("korea-2023", "M") * GDP_2023 / 100 / _coef("korea-2020", "M")
    path = direct_employment_path("M", years=[2020, 2023, 2024, 2040],
                                  prices={"M": GDP_2023 / 100})
    f = path.set_index("year")["factor"]
    assert f[2020] == 1.0 and f[2023] == pytest.approx(hand, rel=1e-9)
    assert 0.97 ** 3 < hand < 1.01 ** 3
    # information services (J) rose faster than +1 % a year: held at the band's edge
    j_hand = _coef("korea-2023", "J") * GDP_2023 / 100 / _coef("korea-2020", "J")
    j = direct_employment_path("J", years=[2023], prices={"J": GDP_2023 / 100})
    assert j_hand > 1.01 ** 3 and j["factor"].iloc[0] == pytest.approx(1.01 ** 3)
    # damped: the 2024 step is 0.8 of the 2020-2023 annual log rate, the limit 4 more years
    b = np.log(hand) / 3
    assert f[2024] == pytest.approx(hand * np.exp(0.8 * b), rel=1e-12)
    assert f[2040] == pytest.approx(hand * np.exp(b * 0.8 * (1 - 0.8 ** 17) / 0.2), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(2020, 2060), min_size=1, max_size=6),
       st.floats(0.0, 0.95), st.floats(0.5, 2.0))
def test_every_groups_factor_stays_in_the_band(years: list[int], damping: float,
                                               price: float) -> None:
    from impactsim.datasets import direct_employment_path
    from impactsim.datasets.series import BAND

    path = direct_employment_path(years=years, damping=damping,
                                  prices={g: price for g in ("C09", "D", "F", "J")})
    n = path["year"] - 2020
    lo, hi = (1 + BAND[0]) ** n, (1 + BAND[1]) ** n
    for col in ("factor", "low", "high"):
        assert ((path[col] >= lo * (1 - 1e-12)) & (path[col] <= hi * (1 + 1e-12))).all(), col
    assert (path["low"] <= path["factor"] + 1e-12).all()
    assert (path["factor"] <= path["high"] + 1e-12).all()
    assert set(path["group"]) >= {"A", "C09", "D", "F", "J", "S"}


def test_shipped_path_factors_by_2040_are_plausible() -> None:
    # the inducement path sent electricity (D) to 0.41 and construction (F) to 1.39 by 2040;
    # the direct path keeps every group within -3 % to +1 % a year since 2020
    table = ims.load_table("korea-2020")
    path = prod.productivity_path(table, [2040])
    assert path.applied and "direct" in path.basis
    assert (path.factor >= 0.97 ** 20 - 1e-12).all() and (path.factor <= 1.01 ** 20 + 1e-12).all()
    j_450 = list(table.sectors).index("450")
    assert 0.9 < path.factor[0, j_450] < 1.1
