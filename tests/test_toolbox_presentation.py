"""Presentation: results in the announcement's money (`in_money`, `--currency/--price-year`),
value added by component, honest GVA labels, world-table runs without empty columns or a
job-years caveat, the spillover decomposition in the CLI and the report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

import impactsim as ims
from _cli_support import invoke
from _scenario_support import inline_pattern, scenario_dict, synthetic_table
from impactsim.engine.measures import IMPORT_PARTS
from impactsim.present import extra_tables, tables
from impactsim.scenario import money


def _building_only(tmp_path: Path, **over: object) -> Path:
    """USD 100 million of construction, all bought from C (no imports in C): the domestic
    demand in USD is the amount itself."""
    synthetic_table().to_dir(tmp_path / "syn")
    pat = inline_pattern(categories={"building": {
        "share": 1.0, "basis": "assumption", "source": "test", "sectors": {"toy": {"C": 1.0}}}})
    doc = scenario_dict(table="./syn", **over)
    doc["investments"][0]["construction"]["pattern"] = pat
    doc["investments"][0]["construction"]["amount"] = 1.0e8
    doc["investments"][0]["construction"].pop("local_share", None)
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def test_in_money_gives_back_the_announced_amount(tmp_path: Path) -> None:
    result = ims.run(_building_only(tmp_path), draws=0)
    usd = result.in_money()  # the scenario's money: USD at 2025 prices
    assert usd.table.currency == "USD" and usd.table.price_year == 2025
    assert usd.headline("construction").loc["direct", "output"] == pytest.approx(1.0e8,
                                                                                  rel=1e-12)
    # jobs do not change; money scales by one factor
    assert np.array_equal(usd.headline("construction")["employment"],
                          result.headline("construction")["employment"])
    # the factor from the shipped series (2025 USD→KRW rate, KOR GDP deflator 2020 / 2025)
    rates = money.exchange_rates()
    rate = float(rates[(rates["currency"] == "USD") & (rates["quote_currency"] == "KRW")
                       & (rates["year"] == 2025)]["rate"].iloc[0])
    idx = money.price_indices()
    kor = idx[(idx["index"] == "gdp-deflator") & (idx["country"] == "KOR")].set_index("year")
    per_unit = 1e6 / rate * float(kor.loc[2025, "value"]) / float(kor.loc[2020, "value"])
    ratio = (usd.headline("construction")["value_added"]
             / result.headline("construction")["value_added"])
    assert np.allclose(ratio, per_unit, rtol=1e-12)
    # the table's own currency and price year: only the unit changes (million KRW → KRW)
    won = result.in_money("KRW", 2020)
    assert won.headline("construction").loc["total", "output"] * 1e-6 == pytest.approx(
        result.headline("construction").loc["total", "output"], rel=1e-12)


def test_in_money_scales_the_draws(tmp_path: Path) -> None:
    path = _building_only(tmp_path)
    result = ims.run(path, draws=200, seed=1)
    usd = result.in_money()
    f = usd.table.provenance["presented_in"]["factor"]
    a = result.quantiles("construction")
    b = usd.quantiles("construction")
    assert np.allclose(b[("output", "P50")], a[("output", "P50")] * f, rtol=1e-12)
    assert np.array_equal(b[("employment", "P95")], a[("employment", "P95")])


def test_cli_currency_is_stated_in_the_header(tmp_path: Path) -> None:
    proc = invoke("run", _building_only(tmp_path), "--currency", "USD", "--price-year",
                  "2025", "--draws", "0")
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    assert "money in USD at 2025 prices" in text and "converted from million KRW" in text
    bad = invoke("run", _building_only(tmp_path), "--currency", "XYZ", "--draws", "0")
    assert bad.returncode == 2 and "exchange_rate" in bad.stderr


def test_value_added_by_component_adds_up() -> None:
    result = ims.run("scenarios/korea.yaml", draws=0)
    split = result.value_added_split("construction")
    assert list(split.columns) == ["compensation", "operating_surplus", "depreciation",
                                   "production_taxes"]
    head = result.headline("construction")
    np.testing.assert_allclose(split.sum(axis=1), head["value_added"], rtol=1e-12)
    np.testing.assert_allclose(split["compensation"], head["income"], rtol=1e-12)
    shown = extra_tables.va_split_display(result, "construction")
    assert shown is not None and "Consumption of fixed capital" in shown[0].columns


def test_gva_labels_follow_the_price_basis() -> None:
    korea = ims.load_table("korea-2020").meta
    world = ims.load_table("wiod-2011").meta
    frame = ims.run("scenarios/korea.yaml", draws=0).headline("construction")
    assert "GVA at producers' prices" in tables.headers(frame, korea).columns
    assert "GVA at basic prices" in tables.headers(frame, world).columns
    assert "Value added" in tables.headers(frame).columns


def test_world_run_names_no_empty_columns_no_job_years() -> None:
    result = ims.run("scenarios/apec-aws.yaml", draws=0)
    top = result.top_sectors("value_added", "construction")
    assert (top["name"].str.len() > 0).all()
    # nothing leaks abroad on the closed world table: imports and its three parts are empty
    assert extra_tables.empty_measures(result) == ("imports", *IMPORT_PARTS)
    assert "imports" not in tables.headline_display(result, "construction")[0].columns
    assert not any("job-years" in c for c in tables.caveats(result))
    # spillover parts add up to the Type I (direct + indirect) effects
    parts = result.spillovers("construction")
    head = result.headline("construction")
    assert parts.loc["total", "value_added"] == pytest.approx(head.loc["total", "value_added"],
                                                              rel=1e-9)
    by_region = result.spillovers("construction", measure="value_added")
    assert by_region["total"].sum() == pytest.approx(head.loc["total", "value_added"], rel=1e-9)


def test_spillovers_in_cli_and_report(tmp_path: Path) -> None:
    proc = invoke("run", "scenarios/apec-aws.yaml", "--draws", "0", "--full")
    assert proc.returncode == 0, proc.stderr
    assert "Intra-regional, feedback and spillover effects" in proc.stdout
    assert "Imports" not in proc.stdout and "job-years" not in proc.stdout
    out = tmp_path / "r.md"
    assert invoke("report", "scenarios/apec-aws.yaml", "-o", out, "--draws", "0").returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "Intra-regional, feedback and spillover effects" in text
    assert "GVA at basic prices" in text


def test_spillovers_need_a_multi_region_table() -> None:
    with pytest.raises(ims.OptionError, match="multi-region"):
        ims.run("scenarios/korea.yaml", draws=0).spillovers("construction")


def test_summary_file_splits_value_added(tmp_path: Path) -> None:
    import json

    import pandas as pd

    out = tmp_path / "o"
    assert invoke("run", "scenarios/korea.yaml", "--draws", "0", "-o", out, "-q").returncode == 0
    summary = pd.read_csv(out / "korea.summary.csv")
    comps = [c for c in summary.columns if c.startswith("value_added.")]
    assert comps == ["value_added.compensation", "value_added.operating_surplus",
                     "value_added.depreciation", "value_added.production_taxes"]
    np.testing.assert_allclose(summary[comps].sum(axis=1), summary["value_added"], rtol=1e-12)
    np.testing.assert_allclose(summary["value_added.compensation"], summary["income"],
                               rtol=1e-12)
    doc = json.loads(invoke("run", "scenarios/korea.yaml", "--draws", "0", "--json").stdout)
    parts = doc["scenarios"][0]["phases"]["construction"]["value_added_components"]
    total = doc["scenarios"][0]["phases"]["construction"]["effects"]["total"]["value_added"]
    assert sum(parts.values()) == pytest.approx(total, rel=1e-12)


def test_in_money_scales_sensitivity_and_sector_quantiles() -> None:
    result = ims.run("scenarios/korea.yaml", draws=200, seed=5, keep_sectors=True)
    usd = result.in_money("USD", 2025)
    f = usd.table.provenance["presented_in"]["factor"]
    a = result.sensitivity("value_added", phase="construction")
    b = usd.sensitivity("value_added", phase="construction")
    assert b.base == pytest.approx(a.base * f, rel=1e-12)
    np.testing.assert_allclose(b.swings["swing"], a.swings["swing"] * f, rtol=1e-12)
    pd_a = result.sector_quantiles("output", "construction")
    pd_b = usd.sector_quantiles("output", "construction")
    np.testing.assert_allclose(pd_b.to_numpy(), pd_a.to_numpy() * f, rtol=1e-12)
    # jobs are not money
    np.testing.assert_allclose(usd.sector_quantiles("employment", "construction").to_numpy(),
                               result.sector_quantiles("employment", "construction").to_numpy())


def test_json_has_spillovers_on_a_world_table() -> None:
    import json

    doc = json.loads(invoke("run", "scenarios/apec-aws.yaml", "--draws", "0", "--json").stdout)
    phase = doc["scenarios"][0]["phases"]["construction"]
    spill = phase["spillovers"]
    assert set(spill) == {"intra_regional", "feedback", "spillover", "total"}
    assert spill["total"]["output"] == pytest.approx(phase["effects"]["total"]["output"],
                                                     rel=1e-9)
    # top sectors by value added on a table without jobs (this failed before: 'employment')
    assert phase["top_sectors"][0]["name"]
