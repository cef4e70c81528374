"""Household closure from disposable income.

Independent numbers: OECD Taxing Wages 2021 (Korea 2020: tax wedge 23.256 % of labour cost;
income tax + employee contributions 15.1 % of the gross wage), statutory employee contribution
rates 2020, Bank of Korea 2020 IO table totals (household consumption 984.1 tn KRW of which
889.7 tn domestic; compensation 985.6 tn KRW), and the issue's recomputation of korea.yaml
(28,337 construction job-years with the old closure at 7 % leakage).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from _pattern_support import capex_pattern_v2
from impactsim.datasets.catalog import apply_splits, korea_splits
from impactsim.errors import ClosureError
from impactsim.scenario.households import (
    build_closure,
    closure_description,
    disposable_income_closure,
    household_rates,
)
from impactsim.simulate import household_closure

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def korea() -> ims.IOTable:
    return ims.load_table("korea-2020")


def test_employer_share_follows_from_the_oecd_tax_wedge() -> None:
    # (0.151 + e) / (1 + e) = 0.23256  →  e = (0.23256 − 0.151) / (1 − 0.23256) of the wage
    e_wage = (0.23256 - 0.151) / (1 - 0.23256)
    share_of_compensation = e_wage / (1 + e_wage)
    rates = household_rates("KOR")
    assert rates["employer_ssc_share"] == pytest.approx(share_of_compensation, abs=5e-4)


def test_income_tax_and_employee_contributions_add_to_oecd_15_1_percent() -> None:
    rates = household_rates("KOR")
    # statutory employee rates 2020: pension 4.5, health 6.67/2, long-term care 10.25 % of it,
    # employment insurance 1.6/2
    ee = 0.045 + 0.0667 / 2 + 0.1025 * 0.0667 / 2 + 0.016 / 2
    assert rates["employee_ssc_rate"] == pytest.approx(ee, abs=2e-4)
    assert rates["income_tax_rate"] + rates["employee_ssc_rate"] == pytest.approx(0.151, abs=5e-4)


def test_rates_carry_sources_and_ranges() -> None:
    rates = household_rates("KOR")
    for name, r in rates.rates.items():
        assert r.low <= r.value <= r.high, name
        assert r.tag in {"OFF", "DER", "IND"}
        assert len(r.source) > 40
        assert "facts.md" not in r.source and "/work" not in r.source
    # persons per FTE: Statistics Korea 26.904 m employed / BOK 24.437 m FTE
    assert rates["fte_to_persons"] == pytest.approx(26.904 / 24.437, abs=2e-3)


def test_unknown_economy_is_an_error_naming_the_fix() -> None:
    with pytest.raises(ClosureError, match="compensation"):
        household_rates("XYZ")


def test_consumption_per_unit_of_compensation_by_hand(korea: ims.IOTable) -> None:
    # 0.9039 × (1 − 0.0612 − 0.0898) × 0.93 = 0.71370 consumed per unit of compensation
    hand = (1 - 0.0961) * (1 - 0.0612 - 0.0898) * (1 - 0.07)
    rates = household_rates("KOR")
    assert rates.consumption_share == pytest.approx(hand, rel=1e-9)
    closure = build_closure(korea)
    # domestic share of household consumption: 889.72 / 984.09 tn KRW (BOK 2020 table)
    domestic = 889.721606 / 984.087951
    assert float(np.sum(closure.consumption)) == pytest.approx(domestic * hand, rel=1e-6)
    assert float(np.sum(closure.consumption)) == pytest.approx(0.6453, abs=5e-4)


def test_old_closure_stays_reachable(korea: ims.IOTable) -> None:
    old = build_closure(korea, basis="compensation")
    # the table's own ratio: 889.72 / 985.60 tn KRW = 0.9027 (0.84 after 7 % leakage)
    assert float(np.sum(old.consumption)) == pytest.approx(889.721606 / 985.597785, rel=1e-6)
    leaky = household_closure(korea, 0.07, basis="compensation")
    assert float(np.sum(leaky.consumption)) == pytest.approx(0.8395, abs=5e-4)
    assert "compensation" in closure_description(korea, basis="compensation")
    assert "disposable income" in closure_description(korea)


def test_default_is_disposable_income_everywhere(korea: ims.IOTable) -> None:
    assert np.allclose(household_closure(korea, 0.0).consumption,
                       build_closure(korea).consumption)
    sc = ims.Scenario.from_yaml(ROOT / "scenarios" / "korea.yaml")
    assert sc.model.household_closure == "disposable-income"


def _korea_v1_construction(closure: str, leakage: float) -> ims.Scenario:
    """korea.yaml's construction with the version-1 capex shares (no installation labour), in
    constant money deflated by the GDP deflator, jobs at the table's (2020) productivity."""
    text = (ROOT / "scenarios" / "korea.yaml").read_text(encoding="utf-8")
    sc = ims.Scenario.from_yaml(ROOT / "scenarios" / "korea.yaml")
    data = sc.model_dump(mode="python", exclude_none=True)
    assert text  # the file exists
    inv = data["investments"][0]
    inv.pop("operations")
    inv.pop("capacity", None)  # the physical account needs the operations phase
    inv["construction"]["pattern"] = capex_pattern_v2()  # memory as in versions 1-2, no margins
    inv["construction"]["shares"] = {"electrical-plant": 0.16, "mechanical-plant": 0.14,
                                     "me-installation": 0.0}
    data["model"] = {"household_closure": closure, "household_leakage": leakage,
                     "productivity": "none"}
    data["money"].update(price_index="gdp-deflator", amounts="constant")
    data.pop("appraisal", None)
    data.pop("claims", None)
    data.pop("uncertainty", None)
    return ims.Scenario.from_dict(data)


def _parent_technology_table() -> ims.IOTable:
    """korea-2020 as it was split before the split sectors had cost structures of their own:
    the same splits, each part with its parent's technology."""
    recipe = korea_splits()
    recipe["splits"] = [{k: v for k, v in sp.items() if k != "technology"}
                        for sp in recipe["splits"]]
    return apply_splits(ims.load_table("korea-2020-165"), recipe)


def test_old_closure_reproduces_the_published_recomputation() -> None:
    """A referee's recomputation on the parent-technology split: 28,337 construction
    job-years, VA 2,732 bn KRW, Type II / Type I = 1.73."""
    res = ims.run(_korea_v1_construction("compensation", 0.07), draws=0,
                  table=_parent_technology_table())
    head = res.headline("construction")
    assert head.loc["total", "employment"] == pytest.approx(28_337, abs=1.0)
    assert head.loc["total", "value_added"] / 1e3 == pytest.approx(2_732, abs=1.0)
    type1 = head.loc["direct", "employment"] + head.loc["indirect", "employment"]
    assert head.loc["total", "employment"] / type1 == pytest.approx(1.73, abs=0.005)


def test_disposable_income_closure_lowers_induced_jobs() -> None:
    old = ims.run(_korea_v1_construction("compensation", 0.07), draws=0).headline("construction")
    new = ims.run(_korea_v1_construction("disposable-income", 0.0), draws=0).headline(
        "construction")
    type1 = new.loc["direct", "employment"] + new.loc["indirect", "employment"]
    assert type1 == pytest.approx(
        old.loc["direct", "employment"] + old.loc["indirect", "employment"], rel=1e-9)
    ratio = new.loc["total", "employment"] / type1
    # consumption per unit of compensation falls from 0.8395 to 0.6453: the induced layer of a
    # closed model scales less than proportionally, but must fall by at least 15 %
    assert 1.0 < ratio < 1.73
    assert new.loc["induced", "employment"] < 0.85 * old.loc["induced", "employment"]


@settings(max_examples=20, deadline=None)
@given(s1=st.floats(0.0, 0.3), s2=st.floats(0.0, 0.3))
def test_more_leakage_spends_less_on_every_product(s1: float, s2: float) -> None:
    table = ims.load_table("korea-2020")
    rates = household_rates("KOR")
    a = disposable_income_closure(table, rates, leakage=s1).consumption
    b = disposable_income_closure(table, rates, leakage=s2).consumption
    # h_c is linear in (1 − leakage): ratios equal the ratio of the factors
    nz = np.abs(a) > 0
    assert np.allclose(b[nz] / a[nz], (1 - s2) / (1 - s1))


def test_cli_multipliers_default_and_explicit_old_closure() -> None:
    import json

    from typer.testing import CliRunner

    from impactsim.cli import app

    runner = CliRunner()
    base = ["multipliers", "korea-2020", "--sector", "502", "--induced", "--json"]
    new = runner.invoke(app, base)
    old = runner.invoke(app, [*base, "--closure", "compensation"])
    assert new.exit_code == 0 and old.exit_code == 0, (new.output, old.output)

    def jobs(out: str) -> float:
        data = json.loads(out)
        rows = data["rows"] if isinstance(data, dict) and "rows" in data else data
        row = rows[0] if isinstance(rows, list) else rows
        return float(row["employment"])

    assert jobs(new.output) < jobs(old.output)  # less household spending per unit of income
    bad = runner.invoke(app, [*base, "--closure", "wages"])
    assert bad.exit_code == 2
