"""Appraisal layer: net, present values, GNI, taxes, headcount.

Independent numbers: the annuity factor of a 4.5 % real discount rate (hand formula), the
additionality arithmetic (1 − 0.25), the sourced rates (OECD Taxing Wages 2021, statutory
contribution rates, Statistics Korea / BOK employment totals) and the Bank of Korea table's own
operating-surplus and production-tax rows.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import impactsim as ims
from impactsim.cli import app
from impactsim.errors import OptionError, ScenarioError
from impactsim.scenario.appraisal import appraise
from impactsim.scenario.schema import AppraisalSettings

ROOT = Path(__file__).resolve().parents[1]
KOREA = ROOT / "scenarios" / "korea.yaml"


def _construction_only(**appraisal: object) -> ims.Scenario:
    """korea.yaml's construction (7 equal years 2025–2031: the amount in constant 2025 money,
    one price index, jobs at the table's productivity) with an appraisal section."""
    sc = ims.Scenario.from_yaml(KOREA)
    data = sc.model_dump(mode="python", exclude_none=True)
    data["investments"][0].pop("operations")
    data["investments"][0].pop("capacity", None)  # the physical account needs operations
    data["money"].update(amounts="constant", price_index="gdp-deflator")
    data["model"]["productivity"] = "none"
    data.pop("claims", None)
    data.pop("uncertainty", None)
    data["appraisal"] = appraisal
    return ims.Scenario.from_dict(data)


@pytest.fixture(scope="module")
def table() -> ims.IOTable:
    return ims.load_table("korea-2020")


@pytest.fixture(scope="module")
def construction(table: ims.IOTable) -> ims.ScenarioResult:
    sc = _construction_only(deadweight=0.0, displacement=0.25, discount_rate=0.045,
                            base_year=2025)
    return ims.run(sc, draws=0, table=table)


def test_present_value_is_the_annuity_of_equal_years(construction: ims.ScenarioResult) -> None:
    app = construction.appraisal()
    row = app.summary.loc[("construction", "value_added")]
    # even profile: 7 equal years from the base year; PV = A/7 × Σ_{k=0..6} 1.045^−k
    annuity = (1 - 1.045 ** -7) / (1 - 1 / 1.045)
    # in constant prices of the base year: × GDP deflator 2025 / 2020 = 114.7 / 100 (Bank of
    # Korea growth rates, docs/sources.md#bok-gdp-deflator-2021-2025)
    assert row["gross_pv"] == pytest.approx(row["gross"] / 7 * annuity * 1.147, rel=1e-9)
    assert app.settings["pv_price_year"] == 2025 and app.settings["timing"] == "end-year"
    # jobs are never discounted
    assert math.isnan(app.summary.loc[("construction", "jobs_type2"), "gross_pv"])


def test_net_is_gross_times_additionality(construction: ims.ScenarioResult) -> None:
    app = construction.appraisal()
    s = app.summary
    assert np.allclose(s["net"].to_numpy(), 0.75 * s["gross"].to_numpy(), equal_nan=True)
    assert app.net_factor == pytest.approx(0.75)
    head = construction.headline("construction")
    whole = s.xs("whole", level="scope")
    assert whole.loc["jobs_type2", "gross"] == pytest.approx(head.loc["total", "employment"])
    type1 = head.loc["direct", "employment"] + head.loc["indirect", "employment"]
    assert whole.loc["jobs_type1", "gross"] == pytest.approx(type1)


def test_labour_taxes_and_headcount_from_sourced_rates(construction: ims.ScenarioResult) -> None:
    app = construction.appraisal()
    head = construction.headline("construction")
    w = head.loc["total", "income"]
    s = app.summary.xs("construction", level="scope")
    e = (0.23256 - 0.151) / (1 - 0.23256)
    e = e / (1 + e)  # employers' share of compensation, OECD Taxing Wages 2021 (Korea 2020)
    ee = 0.045 + 0.0667 / 2 + 0.1025 * 0.0667 / 2 + 0.016 / 2  # statutory employee rates 2020
    t = 0.151 - ee
    assert s.loc["income_tax", "gross"] == pytest.approx(w * (1 - e) * t, rel=5e-3)
    assert s.loc["social_contributions", "gross"] == pytest.approx(w * (e + (1 - e) * ee),
                                                                   rel=5e-3)
    # Statistics Korea 26.904 m employed persons / BOK 24.437 m FTE (2020)
    assert s.loc["headcount_type2", "gross"] == pytest.approx(
        head.loc["total", "employment"] * 26.904 / 24.437, rel=2e-3)


def test_production_taxes_from_the_table_row(construction: ims.ScenarioResult,
                                             table: ims.IOTable) -> None:
    app = construction.appraisal()
    out = construction.by_sector("output", phase="construction")["total"]
    coef = table.value_added.loc["production_taxes"] / table.output
    hand = float((out * coef.reindex(out.index)).sum())
    assert app.summary.loc[("construction", "taxes_on_production"), "gross"] == pytest.approx(
        hand, rel=1e-9)


def test_gni_removes_the_foreign_owned_surplus_of_the_site(table: ims.IOTable) -> None:
    sc = ims.Scenario.from_yaml(KOREA)
    data = sc.model_dump(mode="python", exclude_none=True)
    inv = data["investments"][0]
    inv.pop("construction")
    ops = inv["operations"]
    ops.pop("sustaining")
    ops.pop("direct_jobs")
    ops["pattern"] = {  # data-centre-operations version 1: the whole site is 610-DC output
        "name": "dc-output", "version": 1, "title": "data-centre output", "kind": "output",
        "demand": "exports", "categories": {"dc": {
            "share": 1.0, "basis": "assumption", "source": "test", "local_share": 1.0,
            "sectors": {"bok-2020": {"610-DC": 1.0}}}},
    }
    data.pop("claims", None)
    data.pop("uncertainty", None)
    data["appraisal"] = {"foreign_ownership": 1.0}
    res = ims.run(ims.Scenario.from_dict(data), draws=0, table=table)
    app = res.appraisal()
    whole = app.summary.xs("whole", level="scope")
    j = table.sector_position("610-DC")
    os_coef = table.value_added.loc["operating_surplus"].iloc[j] / table.x[j]
    direct_out = float(res.shocks.matrix[j].sum())  # every modelled year of output
    assert whole.loc["value_added", "gross"] - whole.loc["gni", "gross"] == pytest.approx(
        os_coef * direct_out, rel=1e-9)
    half = appraise(res, AppraisalSettings(foreign_ownership=0.5))
    gap = half.summary.xs("whole", level="scope")
    assert gap.loc["value_added", "gross"] - gap.loc["gni", "gross"] == pytest.approx(
        0.5 * os_coef * direct_out, rel=1e-9)


def test_defaults_are_named_and_gross_stays(table: ims.IOTable) -> None:
    sc = _construction_only()
    res = ims.run(sc, draws=0, table=table)
    app = res.appraisal()
    assert app.settings["discount_rate"] == 0.045  # KDI / MOEF social discount rate
    assert app.settings["base_year"] == sc.price_year
    # national scope by default: deadweight 0 and displacement 0.75 (HCA ready reckoner 'high',
    # Green Book full employment), net = 1 × 0.25, range (1 − 0.1)(1 − 1) = 0 to 1 × 0.5
    assert app.settings["scope"] == "national"
    assert app.net_factor == pytest.approx(0.25)
    assert (app.settings["net_factor_low"], app.settings["net_factor_high"]) == pytest.approx(
        (0.0, 0.5))
    assert app.describe().startswith("national appraisal")
    assert "PV at 4.5 % real to 2025" in app.describe()
    assert "2020 prices" in app.describe()
    with pytest.raises(OptionError):
        app.headline("later")
    assert list(app.headline().columns[:2]) == ["label", "unit"]


def test_shares_of_one_are_refused() -> None:
    with pytest.raises(ScenarioError, match="no net effect"):
        _construction_only(deadweight=1.0)
    with pytest.raises(ScenarioError, match="discount_rate"):
        _construction_only(discount_rate=-0.01)


def test_cli_writes_and_prints_the_appraisal(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["run", str(ROOT / "scenarios" / "ulsan.yaml"), "--draws", "0",
                              "--output", str(tmp_path), "--full"])
    assert res.exit_code == 0, res.output
    assert "Net and present values" in res.output
    files = list(tmp_path.glob("*.appraisal.csv"))
    assert files, list(tmp_path.iterdir())
    import pandas as pd

    frame = pd.read_csv(files[0])
    assert set(frame["view"]) == {"gross", "net"}
    assert set(frame["valuation"]) == {"undiscounted", "present value"}
    assert set(frame["price_year"]) == {2020} and set(frame["base_year"]) == {2025}


def test_reports_carry_the_appraisal(construction: ims.ScenarioResult) -> None:
    from impactsim.present.report import render_html, render_markdown

    text, _ = render_markdown(construction, comparisons=[])
    assert "## Net and present values (appraisal)" in text
    assert "PV at 4.5 % real to 2025" in text
    page = render_html(construction, comparisons=[])
    assert "Net and present values (appraisal)" in page and "net PV" in page


@pytest.mark.parametrize(("scope", "factor", "low", "high"), [
    ("national", 1 * (1 - 0.75), (1 - 0.1) * (1 - 1.0), 1 * (1 - 0.5)),
    ("province", 1 * (1 - 0.5), (1 - 0.1) * (1 - 0.75), 1 * (1 - 0.25)),
    ("local", 1 * (1 - 0.25), (1 - 0.1) * (1 - 0.5), 1 * (1 - 0.0)),
])
def test_additionality_defaults_follow_the_scope(table: ims.IOTable, scope: str, factor: float,
                                                  low: float, high: float) -> None:
    # HCA ready-reckoner levels: displacement high 75 % / medium 50 % / low 25 %, deadweight
    # none 0 % (low 10 %); the net range multiplies the ends of both ranges
    res = ims.run(_construction_only(scope=scope), draws=0, table=table)
    app = res.appraisal()
    assert app.net_factor == pytest.approx(factor)
    rng = app.net_range()
    gross = app.summary.xs("whole", level="scope")["gross"]
    assert np.allclose(rng["net_low"], gross * low, equal_nan=True)
    assert np.allclose(rng["net_high"], gross * high, equal_nan=True)
    assert app.describe().startswith(f"{scope} appraisal")
    assert "Additionality Guide" in app.settings["displacement_source"]
    # a stated value wins over the scope's default, with its own range
    stated = ims.run(_construction_only(scope=scope, displacement={"value": 0.1,
                                                                    "range": [0.0, 0.2]}),
                     draws=0, table=table).appraisal()
    assert stated.net_factor == pytest.approx(0.9)
    assert stated.settings["displacement_source"] == "stated in the scenario"


def test_mid_year_convention_moves_every_flow_half_a_year_earlier(table: ims.IOTable) -> None:
    end = ims.run(_construction_only(base_year=2025), draws=0, table=table).appraisal()
    mid = ims.run(_construction_only(base_year=2025, timing="mid-year"), draws=0,
                  table=table).appraisal()
    a = end.summary.loc[("whole", "value_added"), "gross_pv"]
    b = mid.summary.loc[("whole", "value_added"), "gross_pv"]
    assert b == pytest.approx(a * 1.045 ** 0.5, rel=1e-12)
    assert "(mid-year)" in mid.describe()


def test_a_table_without_a_price_year_is_appraised_in_its_own_money() -> None:
    """A user's table need not state a price year: the appraisal says it has none (no price
    conversion of the present values) and net is still gross × (1 − displacement)."""
    from _scenario_support import scenario_dict, synthetic_table

    table = synthetic_table(currency="USD").replace_meta(price_year=None)
    doc = scenario_dict()
    doc["appraisal"] = {"displacement": 0.25, "discount_rate": 0.045, "base_year": 2025}
    app = ims.run(ims.Scenario.from_dict(doc), table=table, draws=0).appraisal()
    assert app.settings["price_year"] is None and app.settings["pv_price_year"] is None
    assert app.settings["pv_price_factor"] == 1.0
    s = app.summary
    assert np.allclose(s["net"].to_numpy(), 0.75 * s["gross"].to_numpy(), equal_nan=True)
