"""Scenario hooks for regions: sourcing a buying region's spending on a multi-region table, and
choosing the (regionalised) table a scenario runs on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import impactsim as ims
from _regions_support import small_mrio
from impactsim.regional.mrio import source_demand
from impactsim.scenario.sourcing import MultiRegionSourcing, _strategy, mrio_bridge


def test_mrio_bridge_uses_the_buyers_origin_shares() -> None:
    t = small_mrio()
    w, basis = mrio_bridge(t, "reg2", {"sector3": 0.5, "sector1": 0.5}, demand="final demand")
    pos = {lab: i for i, lab in enumerate(t.sectors)}
    # reg2's final demand column: sector3 bought 6 from reg1 and 10 from reg2; sector1 3 and 20.
    assert w[pos[("reg1", "sector3")]] == pytest.approx(0.5 * 6 / 16)
    assert w[pos[("reg2", "sector3")]] == pytest.approx(0.5 * 10 / 16)
    assert w[pos[("reg1", "sector1")]] == pytest.approx(0.5 * 3 / 23)
    assert w.sum() == pytest.approx(1.0)
    assert "origin shares" in basis


def test_mrio_bridge_with_a_stated_local_share() -> None:
    t = small_mrio()
    w, basis = mrio_bridge(t, "reg2", {"sector3": 1.0}, demand="x", local_share=0.9)
    pos = {lab: i for i, lab in enumerate(t.sectors)}
    assert w[pos[("reg2", "sector3")]] == pytest.approx(0.9)
    assert w[pos[("reg1", "sector3")]] == pytest.approx(0.1)
    assert "local share 0.9" in basis
    with pytest.raises(ims.DemandError, match="not a region"):
        mrio_bridge(t, "reg9", {"sector3": 1.0}, demand="x")
    with pytest.raises(ims.OptionError):
        mrio_bridge(t, "reg2", {"sector3": 1.0}, demand="x", local_share=1.5)


def test_product_lookup_on_multiregion_tables() -> None:
    t = small_mrio()
    assert MultiRegionSourcing(t).lookup() == {"sector1": 0, "sector2": 1, "sector3": 2}


def test_world_table_sourcing_of_investment_goods() -> None:
    world = ims.load_table("wiod-2011")
    w, _ = mrio_bridge(world, "KOR", {"c14": 1.0}, demand="gfcf_private")
    by_region = pd.Series(w, index=world.sectors).groupby(level=0).sum()
    assert w.sum() == pytest.approx(1.0)
    # Korea bought more of its 2011 investment electronics at home than from the US.
    assert by_region["KOR"] > by_region["USA"] > 0


def test_sourcing_strategy_for_regions() -> None:
    korea = ims.load_table("korea-2020")
    same = _strategy(korea, ["KOR"])
    assert same.table is korea and same.note is None and same.kind == "national"
    inch = _strategy(korea, ["인천"])
    assert inch.kind == "two-region" and inch.regions == ("Incheon", "Korea excl. Incheon")
    assert "FLQ" in (inch.note or "")
    # The province block of the two-region table is the FLQ regional table's.
    n = korea.n
    reg = ims.regionalize(korea, "Incheon")
    keep = [i for i, s in enumerate(korea.sectors) if s in set(reg.sectors)]
    np.testing.assert_allclose(inch.table.z_domestic[:n, :n][np.ix_(keep, keep)],
                               reg.z_domestic, rtol=1e-9, atol=1e-6)
    assert _strategy(korea, ["Incheon", "Gyeonggi"]).kind == "two-region"
    with pytest.raises(ims.TableError, match="multi-region table"):
        _strategy(korea, ["USA"])
    world = _strategy(ims.load_table("wiod-2011"), ["KOR"])
    assert world.multiregional and not world.induced_available


WORLD_SCENARIO = """\
schema_version: 1
name: world-test
title: USD 1 bn of AI data-centre capex bought by Korea, on the world table
table: wiod-2011
currency: USD
price_year: 2011
investments:
  - name: dc
    investor: test
    region: KOR
    construction:
      amount: 1.0e+9
      period: [2011, 2011]
      pattern: ai-data-centre-capex
claims:
  - id: us-va
    text: USD 0.1 bn of US GDP
    measure: value_added
    phase: construction
    value: 1.0e+8
    unit: USD
    currency: USD
    price_year: 2011
    region: USA
    source: test
    date: 2025-10-29
"""


def test_scenario_on_the_world_table_breaks_down_by_region(tmp_path) -> None:
    from impactsim.scenario.claims import compare_claims

    path = tmp_path / "world.yaml"
    path.write_text(WORLD_SCENARIO, encoding="utf-8")
    res = ims.run(path)
    assert not res.induced  # multi-region tables run Type I only
    demand = res.shocks.matrix.sum()
    summary = res.summary(phase="construction")
    # v'L = 1' on the world table: value added equals the final demand it serves.
    assert summary.loc["total", "value_added"] == pytest.approx(demand, rel=1e-9)
    by_region = res.by_region(measure="value_added", phase="construction")
    assert by_region["total"].sum() == pytest.approx(demand, rel=1e-9)
    tidy = res.to_frame()
    assert set(tidy["spending_region"]) == {"KOR"} and "USA" in set(tidy["region"])
    (cmp,) = compare_claims(res)
    us = by_region.loc["USA", "total"] * 1e6  # million USD → USD
    assert cmp.model_mid == pytest.approx(us, rel=1e-9)


def test_scenario_names_an_unknown_world_region(tmp_path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(WORLD_SCENARIO.replace("region: KOR", "region: KOREA"), encoding="utf-8")
    with pytest.raises(ims.ScenarioError, match="did you mean"):
        ims.run(path)


def test_scenario_in_a_korean_province_runs_on_the_regional_table(tmp_path) -> None:
    text = (
        WORLD_SCENARIO.replace("table: wiod-2011", "table: korea-2020")
        .replace("region: KOR", "region: Incheon")
        .replace("currency: USD\nprice_year: 2011", "currency: KRW\nprice_year: 2020")
        .replace("amount: 1.0e+9", "amount: 1.0e+12")
        .replace("period: [2011, 2011]", "period: [2020, 2020]")
    )
    text = text[: text.index("claims:")]
    path = tmp_path / "incheon.yaml"
    path.write_text(text, encoding="utf-8")
    regional = ims.run(path)
    assert regional.is_provincial and "Incheon" in regional.regions
    assert "two-region FLQ" in (regional.sourcing_note or "")
    national = ims.run(path, table=ims.load_table("korea-2020").replace_meta(region="Incheon"))
    split = regional.regional_split("output", "construction").loc["Incheon"]
    n = national.summary(phase="construction").loc["total"]
    # Same spending; the province keeps less of the chain than the nation (the
    # province's effect is now the Incheon block of the two-region run, Korea its total).
    assert split["in_province"] < n["output"]
    assert split["korea"] == pytest.approx(n["output"], rel=1e-9)


def test_mrio_bridge_is_source_demand_of_the_split() -> None:
    """Sourcing a category is spending its split on the table's origin shares: the bridge is
    exactly ``source_demand`` of the split for the buyer's final-demand column."""
    t = small_mrio()
    split = {"sector3": 0.25, "sector1": 0.75}
    w, _ = mrio_bridge(t, "reg2", split, demand="final demand")
    direct = source_demand(t, split, region="reg2",
                                             categories=["final demand"])
    np.testing.assert_array_equal(w, direct.to_numpy())
    # with a stated local share: the buyer's own share, the rest from the other origins in
    # table proportions (reg1 is the only other region)
    w, _ = mrio_bridge(t, "reg2", {"sector3": 1.0}, demand="x", local_share=0.4)
    given = source_demand(
        t, {"sector3": 1.0}, region="reg2", origins={"sector3": {"reg2": 0.4, "reg1": 0.6}})
    np.testing.assert_allclose(w, given.to_numpy(), rtol=0, atol=1e-15)
