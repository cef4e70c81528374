"""Prices by spending category and year : hand calculations from the
published index values (KICT construction cost index, BOK PPI) and the 2 % extrapolation rule."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.scenario import money, prices
from impactsim.scenario.schema import UncertaintySettings

# KICT 건설공사비지수, 2015 = 100, December levels (KICT Cost Management Center)
DEC = {2019: 117.33, 2020: 121.80, 2021: 138.89, 2022: 148.56, 2023: 153.26}
CCI_2025 = 131.66  # September 2025, 2020 = 100 (KICT via Yonhap Infomax, 3 Nov 2025)
PPI_2023 = 115.3 * 1.016  # BOK: 2022 = 115.3 on 2020 = 100, +1.6 % in 2023


def _annual(year: int) -> float:
    return (DEC[year - 1] + DEC[year]) / (DEC[2019] + DEC[2020]) * 100.0


def test_construction_cost_index_rows_are_the_published_december_levels_averaged() -> None:
    shipped = money.price_indices()
    cci = shipped[shipped["index"] == "construction-cost"].set_index("year")["value"]
    for year in (2021, 2022, 2023):
        assert cci[year] == pytest.approx(_annual(year), abs=0.01)
    assert cci[2020] == 100.0 and cci[2025] == CCI_2025
    # 2020 → 2023 rise: about a quarter ("construction costs rose about 24 %")
    assert 1.22 < cci[2023] / cci[2020] < 1.28
    src = shipped[shipped["index"] == "construction-cost"]["source"]
    assert src.str.contains("KICT").all() and not src.str.contains("facts.md").any()


def test_extrapolation_after_the_last_published_year_at_the_bok_target() -> None:
    lv = prices.level("ppi", "KOR", 2025)
    assert lv.extrapolated and lv.value == pytest.approx(PPI_2023 * 1.02**2, rel=1e-4)
    # cross-check: BOK's published PPI of December 2025 is 121.76 (Donga, 20 Jan 2026)
    assert lv.value == pytest.approx(121.76, rel=0.005)
    assert prices.level("construction-cost", "KOR", 2028).value == pytest.approx(
        CCI_2025 * 1.02**3)
    with pytest.raises(ims.ScenarioError, match="starts in"):
        prices.level("construction-cost", "KOR", 2010)


def _scenario(*, amounts: str, index: str = "by-category", price_factor: float | None = None,
              delay: float = 0.0) -> Any:
    money_block: dict[str, Any] = {"price_index": index, "amounts": amounts}
    if price_factor is not None:
        money_block["price_factor"] = price_factor
    pattern = {
        "name": "works-and-kit", "version": 1, "title": "t", "kind": "spending",
        "categories": {
            "works": {"share": 0.5, "basis": "assumption", "source": "test", "local_share": 1.0,
                      "sectors": {"bok-2020": {"502": 1.0}}},
            "kit": {"share": 0.3, "basis": "assumption", "source": "test", "local_share": 1.0,
                    "sectors": {"bok-2020": {"385": 1.0}}},
            "fees": {"share": 0.2, "basis": "assumption", "source": "test", "local_share": 1.0,
                     "price_index": "gdp-deflator", "sectors": {"bok-2020": {"721": 1.0}}},
        },
    }
    return ims.Scenario.from_dict({
        "name": "prices", "title": "t", "table": "korea-2020", "region": "KOR",
        "currency": "KRW", "price_year": 2025, "money": money_block,
        "model": {"productivity": "none"},
        "investments": [{"name": "p", "investor": "x", "construction": {
            "amount": 7.0e12, "period": [2025, 2029], "pattern": pattern,
            "delay_years": delay}}],
    })


def test_nominal_pledge_is_deflated_year_by_year_with_each_category_index() -> None:
    res = ims.run(_scenario(amounts="nominal"), draws=0)
    audit = res.shocks.audit
    # works: 7 tn × 0.5 spread evenly over 2025-29, each year at 100 / (131.66 × 1.02^(t-2025))
    disc = sum(1.02 ** -k for k in range(5))  # 4.80773
    works = audit[audit["category"] == "works"]
    assert works["table_units"].sum() == pytest.approx(
        7e12 * 0.5 / 5 * 100 / CCI_2025 * disc / 1e6, rel=1e-9)
    f2027 = works.set_index("year")["price_factor"][2027]
    assert f2027 == pytest.approx(100 / (CCI_2025 * 1.02**2), rel=1e-9)
    assert (works["price_index"] == "construction-cost").all()
    assert (works["money_year"] == works["year"]).all()
    kit = audit[(audit["category"] == "kit") & ~audit["margin"]]  # air conditioning (385): PPI
    assert (kit["price_index"] == "ppi").all()
    assert kit.set_index("year")["price_factor"][2025] == pytest.approx(
        100 / (PPI_2023 * 1.02**2), rel=1e-4)
    fees = audit[audit["category"] == "fees"]  # the pattern names its index
    assert fees.set_index("year")["price_factor"][2025] == pytest.approx(100 / 114.7, rel=1e-9)
    # the demand solved is the audit's domestic money, year by year
    assert res.shocks.matrix.sum() == pytest.approx(audit["domestic"].sum(), rel=1e-12)


def test_constant_money_uses_the_price_year_for_every_year() -> None:
    res = ims.run(_scenario(amounts="constant"), draws=0)
    works = res.shocks.audit.query("category == 'works'")
    assert works["table_units"].sum() == pytest.approx(7e12 * 0.5 * 100 / CCI_2025 / 1e6)
    assert (works["money_year"] == 2025).all()
    # the single-index behaviour is unchanged: GDP deflator 2025 = 114.7
    single = ims.run(_scenario(amounts="constant", index="gdp-deflator"), draws=0)
    assert single.shocks.audit["table_units"].sum() == pytest.approx(7e12 * 100 / 114.7 / 1e6)
    # an explicit price factor wins over every index
    given_pf = ims.run(_scenario(amounts="nominal", price_factor=0.5), draws=0)
    assert given_pf.shocks.audit["table_units"].sum() == pytest.approx(7e12 * 0.5 / 1e6)


def test_draws_rebuild_the_same_headline_demand() -> None:
    from impactsim.simulate import build_model
    from impactsim.uncertainty.scenario import scenario_ensemble

    sc = _scenario(amounts="nominal")
    res = ims.run(sc, draws=0)
    model = build_model(ims.load_table("korea-2020"), sc, induced=True)
    sc_u = sc.model_copy(update={"uncertainty": UncertaintySettings(draws=2)})
    ens = scenario_ensemble(sc_u, model, res.shocks, induced=True)
    det = ens.deterministic()[0]  # construction: (effects, measures)
    k = list(model.measures).index("output")
    assert det[:, k].sum() == pytest.approx(res.phase_totals("construction")[:, k].sum(),
                                            rel=1e-9)


@settings(max_examples=25, deadline=None)
@given(start=st.integers(2020, 2030), n=st.integers(1, 8))
def test_nominal_factors_never_rise_with_the_year(start: int, n: int) -> None:
    """Price levels only grow in the shipped CCI after 2020 and at +2 %/yr beyond: a later
    year's money buys less, so its factor to 2020 prices is no larger."""
    f = [100.0 / prices.level("construction-cost", "KOR", y).value
         for y in range(start, start + n)]
    assert np.all(np.diff(f) <= 1e-12)


def test_electricity_bought_by_operations_uses_the_kepco_industrial_price() -> None:
    # KEPCO average industrial sales price: 106.6 KRW/kWh (2019, taken for 2020) and 153.7
    # (2023); then 2 % a year (BOK target) to 2025
    kepco_2025 = 153.7 / 106.6 * 100 * 1.02 ** 2
    assert prices.level("electricity", "KOR", 2023).value == pytest.approx(
        153.7 / 106.6 * 100, abs=0.01)
    res = ims.run("scenarios/korea.yaml", draws=0)
    ops = next(p for p in res.shocks.plans if p.phase == "operations")
    assert ops.prices is not None
    c = list(ops.categories).index("electricity")
    assert ops.prices.indices[c] == "electricity"
    assert ops.prices.factors[c, 0] == pytest.approx(100 / kepco_2025, rel=1e-3)
    # the other running costs keep the GDP deflator (services)
    s = list(ops.categories).index("site-staff")
    assert ops.prices.indices[s] == "gdp-deflator"
    assert ops.prices.factors[s, 0] == pytest.approx(100 / 114.7, rel=1e-3)
    # chips and network gear: BOK publishes item PPIs, not shipped here: the all-items PPI
    capex = next(p for p in res.shocks.plans if p.phase == "construction")
    for cat in ("logic-chips", "memory-chips", "network-equipment"):
        assert capex.prices.indices[list(capex.categories).index(cat)] == "ppi"
