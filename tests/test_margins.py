"""Trade and transport margins on goods bought at purchasers' prices (scenario/margins.py).

The rates are the Bank of Korea table's own: in its producers'-price table the private-GFCF
column buys trade (520) and transport services (531-572, less public postal 571 which KSIC-10
puts in section J) as the margins on investment goods. Expected values are computed here from
the table's columns by product code, independently of the code's KSIC concordance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import impactsim as ims
from impactsim.scenario.margins import margin_rates
from impactsim.uncertainty.scenario import scenario_ensemble

DOC = """\
schema_version: 1
name: m
title: test
table: korea-2020
currency: KRW
price_year: 2020
uncertainty: {{draws: 10, seed: 1}}
investments:
  - name: plant
    investor: test
    region: KOR
    construction:
      amount: 1.0e+12
      period: [2021, 2021]
      pattern:
        name: kit
        version: 1
        title: test
        kind: spending
        demand: gfcf_private
        categories:
          chillers:
            share: 0.5
            basis: assumption
            source: test
            sectors: {{bok-2020: {{"385": 1.0}}}}
          direct:
            share: 0.3
            basis: assumption
            source: test
            margins: false
            sectors: {{bok-2020: {{"340": 1.0}}}}
          works:
            share: 0.2
            basis: assumption
            source: test
            sectors: {{bok-2020: {{"502": 1.0}}}}
{local}"""


@pytest.fixture(scope="module")
def table() -> ims.IOTable:
    return ims.load_table("korea-2020")


def by_hand(table: ims.IOTable) -> tuple[float, dict[str, float]]:
    yt = table.total_final_demand["gfcf_private"].clip(lower=0)
    codes = [str(c) for c in table.sectors]
    goods = [c for c in codes if c[:3] < "450"]  # agriculture, mining, manufacturing
    serv = ["520", *[c for c in codes if "531" <= c[:3] <= "572" and c != "571"]]
    margin = yt[serv].sum()
    rate = margin / (yt[goods].sum() + margin)
    return float(rate), {c: float(yt[c] / margin) for c in serv if yt[c] > 0}


def scenario(tmp_path: Path, local: str = "") -> ims.Scenario:
    path = tmp_path / "m.yaml"
    path.write_text(DOC.format(local=local), encoding="utf-8")
    return ims.Scenario.from_yaml(path)


def test_rates_are_the_gfcf_column_of_the_table(table: ims.IOTable) -> None:
    rates = margin_rates(table, "gfcf_private")
    rate, split = by_hand(table)
    assert rates.total == pytest.approx(rate, rel=1e-12)
    assert rates.split == pytest.approx(split, rel=1e-12)
    # Bank of Korea 2020: about a tenth of the purchasers' value of investment goods is the
    # wholesale and retail margin, transport well under 1 %
    assert 0.09 < rates.trade < 0.11 and rates.transport < 0.005
    assert margin_rates(table, "households") is None  # passenger transport is not a margin
    assert margin_rates(ims.load_table("wiod-2011"), "gfcf_private") is None


def test_margins_move_spending_on_goods_to_trade_and_transport(tmp_path, table) -> None:
    sh = ims.translate(scenario(tmp_path), table=table)
    rate, split = by_hand(table)
    a = 1e12 / 1e6  # million KRW, 2020 prices
    yd = table.final_demand["gfcf_private"]
    yt = table.total_final_demand["gfcf_private"]
    ell = (yd / yt).fillna(1.0)
    dom = sh.frame.groupby("sector")["amount"].sum()
    assert dom["385"] == pytest.approx(a * 0.5 * (1 - rate) * ell["385"], rel=1e-9)
    assert dom["340"] == pytest.approx(a * 0.3 * ell["340"], rel=1e-9)  # margins: false
    assert dom["502"] == pytest.approx(a * 0.2 * ell["502"], rel=1e-9)  # works: no margin
    assert dom["520"] == pytest.approx(a * 0.5 * rate * split["520"] * ell["520"], rel=1e-9)
    audit = sh.audit
    assert set(audit.loc[audit["margin"], "category"]) == {"chillers"}
    np.testing.assert_allclose(audit["domestic"] + audit["imported"] + audit["excluded"],
                               audit["table_units"], rtol=1e-12)
    assert audit["amount_currency"].sum() == pytest.approx(1e12, rel=1e-12)
    assert audit.loc[audit["margin"], "table_units"].sum() == pytest.approx(a * 0.5 * rate)


def test_sampled_local_share_leaves_margins_alone(tmp_path, table) -> None:
    sc = scenario(tmp_path, "      local_share: {chillers: {value: 0.5, range: [0.0, 1.0]}}\n")
    sh = ims.translate(sc, table=table)
    model = ims.LeontiefModel(table)
    ens = scenario_ensemble(sc, model, sh, induced=False)
    values = {p.name: np.full(3, p.base, dtype=float) if np.ndim(p.base) == 0
              else np.tile(p.base, (3, 1)) for p in ens.parameters}
    local = next(p.name for p in ens.parameters if p.name.endswith("local/chillers"))
    values[local] = np.array([0.0, 0.5, 1.0])
    demand = ens.demand.build(values, 3)[:, 0]  # (draws, n), construction
    j520 = list(table.sectors).index("520")
    j385 = list(table.sectors).index("385")
    rate, split = by_hand(table)
    a = 1e12 / 1e6
    ell = float((table.final_demand["gfcf_private"] / table.total_final_demand["gfcf_private"])
                .fillna(1.0)["520"])
    # the margin is bought at home whatever share of the chillers is imported
    np.testing.assert_allclose(demand[:, j520], a * 0.5 * rate * split["520"] * ell, rtol=1e-9)
    np.testing.assert_allclose(demand[:, j385], a * 0.5 * (1 - rate) * np.array([0, 0.5, 1]),
                               rtol=1e-9, atol=1e-9)
    # the stated case of the draws is the translation
    np.testing.assert_allclose(demand[1], sh.matrix[:, 0], rtol=1e-9)
