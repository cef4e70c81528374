"""Operations as spending, IT refresh and installation labour.

Independent numbers: Epoch AI's 1 GW cost model (energy 0.6 of 0.9 USD bn per GW-year of
operating cost = 67 %), the 2025 exchange rate (1,422.2 KRW/USD) and GDP deflator (114.7 on
2020 = 100), the issue's "about 99 bn KRW a year of electricity missing", korea.yaml's stated
figures (USD 120 m a year of running cost, 220 site FTE, USD 2.9 bn per 5-year IT refresh) and
the Bank of Korea 2020 table's own coefficients for the identities.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impactsim as ims
from impactsim.errors import ScenarioError
from impactsim.scenario.shocks import translate

ROOT = Path(__file__).resolve().parents[1]
KOREA = ROOT / "scenarios" / "korea.yaml"
#: 2025 USD → 2020 million KRW: 1,422.2 KRW/USD, GDP deflator 114.7 (2025, 2020 = 100), 1e6
USD_2025 = 1422.2 / 1.147 / 1e6


@pytest.fixture(scope="module")
def korea_table() -> ims.IOTable:
    return ims.load_table("korea-2020")


@pytest.fixture(scope="module")
def korea_result(korea_table: ims.IOTable) -> ims.ScenarioResult:
    """korea.yaml with one price index (the GDP deflator), constant money and jobs at the
    table's productivity, so that demand and direct jobs can be recomputed by hand."""
    data = ims.Scenario.from_yaml(KOREA).model_dump(mode="python", exclude_none=True)
    data["money"].update(price_index="gdp-deflator", amounts="constant")
    data["model"]["productivity"] = "none"
    return ims.run(ims.Scenario.from_dict(data, base_dir=KOREA.parent), draws=0,
                   table=korea_table)


def _ops_main(shocks: object) -> object:
    return next(p for p in shocks.plans if p.phase == "operations" and p.part == "main")


def test_electricity_is_two_thirds_of_the_running_cost(korea_table: ims.IOTable) -> None:
    shocks = translate(ims.Scenario.from_yaml(KOREA), table=korea_table)
    plan = _ops_main(shocks)
    vec = plan.domestic_vector()  # one year at full operation, million KRW at 2020 prices
    elec = vec[korea_table.sector_position("450")]
    assert elec / vec.sum() == pytest.approx(0.6 / 0.9, abs=0.005)  # Epoch AI: 0.6 of 0.9
    # USD 120 m × 0.67 at 1,422.2 KRW/USD in 2025 money → 2020 prices: about 99.7 bn KRW a year
    # ("about 99 bn KRW a year of electricity demand is missing")
    assert elec == pytest.approx(1.2e8 * 0.67 * USD_2025, rel=1e-3)
    assert elec / 1e3 == pytest.approx(99.7, abs=0.5)


def test_information_services_inputs_no_longer_drive_operations(
    korea_result: ims.ScenarioResult,
) -> None:
    top = korea_result.top_sectors("employment", phase="operations", n=8)
    assert "600" not in top.index and "712" not in top.index  # broadcasting, advertising
    out = korea_result.by_sector("output", phase="operations")
    assert out["direct"].idxmax() == "450"  # electricity is the largest direct purchase


def test_site_staff_come_from_the_benchmark(korea_result: ims.ScenarioResult,
                                            korea_table: ims.IOTable) -> None:
    jobs = korea_result.by_sector("employment", phase="operations")
    # direct jobs of the site category (facility operations, BOK 741) = stated 220 FTE
    assert jobs.loc["741", "direct"] == pytest.approx(220.0, rel=1e-9)
    # other suppliers keep the table's direct jobs: employment per unit of output × demand
    shocks = korea_result.shocks
    plan = _ops_main(shocks)
    j = korea_table.sector_position("450")
    coef = korea_table.employment.to_numpy()[j] / korea_table.x[j]
    assert jobs.loc["450", "direct"] == pytest.approx(coef * plan.domestic_vector()[j], rel=1e-9)


def test_it_refresh_falls_on_each_tranches_cycle_with_its_own_local_shares(
    korea_table: ims.IOTable,
) -> None:
    shocks = translate(ims.Scenario.from_yaml(KOREA), table=korea_table)
    refresh = next(p for p in shocks.plans if p.part == "sustaining")
    assert refresh.phase == "sustaining" and refresh.pattern == "data-centre-it-refresh@2"
    # USD 2.9 bn per refresh of all the equipment
    assert refresh.table_units == pytest.approx(2.9e9 * USD_2025, rel=1e-3)
    # 1/7 installed in each year 2025-2031, replaced every 5 years to 2040 (by hand): 2030-2034
    # one tranche each, 2035 and 2036 two (2025+2030, 2026+2031), 2037-2039 one, 2040 two
    # (2025 a third time, 2030 a second): (3 + 5 x 2 + 1) / 7 = 2.0 cycles, not 12 / 5 = 2.4
    by_year = dict(zip(refresh.years.tolist(), refresh.weights.tolist(), strict=True))
    hand = {2030: 1, 2031: 1, 2032: 1, 2033: 1, 2034: 1, 2035: 2, 2036: 2, 2037: 1, 2038: 1,
            2039: 1, 2040: 2}
    for year in range(2026, 2041):
        assert by_year.get(year, 0.0) == pytest.approx(hand.get(year, 0) / 7), year
    assert refresh.weights.sum() == pytest.approx(2.0)
    cats = list(refresh.categories)
    mem = cats.index("memory-chips")
    logic = cats.index("logic-chips")
    j_mem = korea_table.sector_position("310-MEM")
    j_logic = korea_table.sector_position("310-NMEM")
    assert refresh.local[mem, j_mem] == pytest.approx(0.8)  # memory mostly Korean
    assert refresh.local[logic, j_logic] == pytest.approx(0.05)  # accelerators imported
    ledger = shocks.ledger
    row = ledger[(ledger["part"] == "sustaining")].iloc[0]
    assert row["domestic"] + row["imported"] + row["excluded"] == pytest.approx(
        row["table_units"], rel=1e-9)


def test_installation_labour_is_construction_work() -> None:
    pat = ims.get_pattern("ai-data-centre-capex")
    assert pat.version >= 2
    inst = pat.categories["me-installation"]
    assert inst.share.value == pytest.approx(0.04)
    assert set(inst.split("bok-2020")) == {"513", "519"}
    s = pat.shares()
    assert s["electrical-plant"] + s["mechanical-plant"] + s["me-installation"] == pytest.approx(
        0.30)  # the version-1 electrical 16 % + mechanical 14 %


def test_direct_jobs_need_a_site_category() -> None:
    text = KOREA.read_text(encoding="utf-8").replace(
        "pattern: data-centre-operations ", "pattern: data-centre-it-refresh "
    )
    with pytest.raises(ScenarioError, match="site: true"):
        ims.Scenario.from_text(text, file="korea-variant.yaml", base_dir=KOREA.parent)


def test_sustaining_cycle_must_be_positive() -> None:
    text = KOREA.read_text(encoding="utf-8").replace(
        "cycle_years: 5 ", "cycle_years: 0 ")
    with pytest.raises(ScenarioError, match="cycle_years"):
        ims.Scenario.from_text(text, file="korea-variant.yaml", base_dir=KOREA.parent)


def test_operations_before_after_by_hand(korea_result: ims.ScenarioResult,
                                         korea_table: ims.IOTable) -> None:
    """Direct output of a full operating year = running cost + annualised refresh (domestic)."""
    head = korea_result.headline("operations")
    plans = [p for p in korea_result.shocks.plans if p.phase == "operations"]
    demand = sum(p.domestic_vector() * p.weights.max() for p in plans)
    assert head.loc["direct", "output"] == pytest.approx(demand.sum(), rel=1e-9)
    # the running cost is all domestic: USD 120 m a year in 2020 million KRW
    assert _ops_main(korea_result.shocks).domestic_vector().sum() == pytest.approx(
        1.2e8 * USD_2025, rel=1e-3)
    frame = pd.DataFrame({"demand": demand}, index=korea_table.sectors)
    assert float(frame.loc["450", "demand"]) > 0
    assert np.all(demand >= 0)
