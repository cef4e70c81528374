"""The physical account (power, carbon, water, bill) and satellites with units.

Expected numbers are hand calculations from the scenario's stated inputs and the shipped data
(docs/sources.md entries named in datasets/data/energy/*.csv), never outputs pasted from a run.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.datasets import energy as data
from impactsim.errors import ImpactsimError
from impactsim.scenario import energy
from impactsim.scenario.claims import compare_claims
from impactsim.tables import pymrio_bridge

ROOT = Path(__file__).resolve().parents[1]
ULSAN = ROOT / "scenarios" / "ulsan.yaml"
ENERGY_DIR = ROOT / "src" / "impactsim" / "datasets" / "data" / "energy"


def _ulsan(draws: int = 0, **capacity: object) -> dict:
    raw = yaml.safe_load(ULSAN.read_text(encoding="utf-8"))
    raw["investments"][0]["capacity"].update(capacity)
    raw["uncertainty"]["draws"] = max(draws, 1)
    return raw


def _run(raw: dict, draws: int = 0) -> ims.ScenarioResult:
    sc = ims.Scenario.from_dict(raw, base_dir=ULSAN.parent)
    return ims.run(sc, draws=draws)


@pytest.fixture(scope="module")
def ulsan() -> ims.ScenarioResult:
    return ims.run(ULSAN, draws=100)


# ----------------------------------------------------------------------------- hand calculations
def test_ulsan_account_at_full_operation_matches_a_hand_calculation(ulsan) -> None:
    full = ulsan.energy.full.loc["sk-aws-ulsan"]
    mwh = 103 * 0.7 * 1.15 * 8760  # IT MW × utilisation × PUE × hours
    assert full["electricity_gwh"] == pytest.approx(mwh / 1e3, rel=1e-12)
    assert full["peak_mw"] == pytest.approx(103 * 1.15, rel=1e-12)
    assert full["emissions_location_t"] == pytest.approx(mwh * 0.4173, rel=1e-12)
    assert full["emissions_market_t"] == pytest.approx(mwh * 0.4173, rel=1e-12)  # no purchase
    assert full["water_m3"] == pytest.approx(103 * 0.7 * 8760 * 0.25, rel=1e-12)  # IT MWh × L/kWh
    assert full["share_national"] == pytest.approx(mwh / 547_933e3, rel=1e-12)  # 2022 sales
    assert full["share_province"] == pytest.approx(mwh / 33_593e3, rel=1e-12)  # Ulsan 2021
    assert full["peak_share_national"] == pytest.approx(103 * 1.15 / 93_600, rel=1e-12)
    assert full["bill_physical_krw_bn"] == pytest.approx(mwh * 1e3 * 182.7 / 1e9, rel=1e-12)
    assert full["bill_money_krw_bn"] == pytest.approx(1.318e11 * 0.67 / 1e9, rel=1e-12)
    assert full["bill_gwh"] == pytest.approx(1.318e11 * 0.67 / 182.7 / 1e6, rel=1e-12)
    assert full["bill_gap_krw_bn"] == pytest.approx(
        full["bill_money_krw_bn"] - full["bill_physical_krw_bn"], rel=1e-12)


def test_the_ramp_scales_early_years(ulsan) -> None:
    by_year = ulsan.energy.by_year.set_index("year")
    full = by_year.loc[2030, "electricity_gwh"]
    assert by_year.loc[2028, "electricity_gwh"] == pytest.approx(0.5 * full, rel=1e-12)
    assert by_year.loc[2029, "electricity_gwh"] == pytest.approx(0.75 * full, rel=1e-12)


def test_draws_give_ranges_around_the_account(ulsan) -> None:
    q = ulsan.energy.quantiles.xs("all", level="investment")
    for key in ("electricity_gwh", "emissions_location_t", "water_m3", "share_national",
                "share_province", "bill_gap_krw_bn"):
        assert q.loc[key, "P5"] < q.loc[key, "P50"] < q.loc[key, "P95"], key
    # PUE 1.1–1.56, utilisation 0.5–0.85: every draw lies within the bounds they imply
    assert q.loc["electricity_gwh", "P5"] >= 103 * 0.5 * 1.1 * 8.76 * 0.999
    assert q.loc["electricity_gwh", "P95"] <= 103 * 0.85 * 1.56 * 8.76 * 1.001


def test_without_ranges_every_draw_is_the_deterministic_account() -> None:
    raw = _ulsan(utilisation=0.7, pue=1.15, wue=0.25)
    ops = raw["investments"][0]["operations"]
    ops["annual_amount"] = 1.318e11
    ops["shares"] = {"electricity": 0.67}
    raw["investments"][0]["capacity"]["tariff"] = 182.7
    raw["investments"][0]["capacity"]["grid_factor"] = 0.4173
    res = _run(raw, draws=20)
    q = res.energy.quantiles.xs("all", level="investment")
    for key, central in res.energy.full.loc["all"].items():
        if key == "bill_money_krw_bn" or key.startswith("bill_g"):
            continue  # the economic draws still spread the other pattern shares
        assert q.loc[key, "P5"] == pytest.approx(central, rel=1e-9), key
        assert q.loc[key, "P95"] == pytest.approx(central, rel=1e-9), key


# ----------------------------------------------------------------------------- properties
def _site() -> energy.Site:
    sc = ims.Scenario.from_yaml(ULSAN)
    from impactsim.scenario.shocks import translate
    from impactsim.scenario.sourcing import choose_sourcing, resolve_table

    shocks = translate(sc, sourcing=choose_sourcing(sc, resolve_table(sc)))
    return energy.sites(sc, shocks)[0]


SITE = _site()
LINEAR = ("electricity_gwh", "emissions_location_t", "emissions_market_t", "water_m3",
          "share_national", "share_province", "bill_physical_krw_bn")


@settings(max_examples=60, deadline=None)
@given(k=st.floats(0.01, 100.0), size=st.floats(1.0, 2000.0), util=st.floats(0.05, 0.95),
       pue=st.floats(1.0, 2.0))
def test_physical_quantities_are_linear_in_capacity(k: float, size: float, util: float,
                                                    pue: float) -> None:
    base = energy.base_values(SITE) | {"size": np.array([size]), "utilisation": np.array([util]),
                                       "pue": np.array([pue])}
    one = energy.evaluate(SITE, base)
    scaled = energy.evaluate(SITE, base | {"size": np.array([size * k])})
    for key in (*LINEAR, "peak_mw", "peak_share_national"):
        np.testing.assert_allclose(scaled[key], k * one[key], rtol=1e-12, err_msg=key)


@settings(max_examples=60, deadline=None)
@given(k=st.floats(0.05, 1.0), util=st.floats(0.05, 1.0))
def test_physical_quantities_are_linear_in_utilisation(k: float, util: float) -> None:
    base = energy.base_values(SITE) | {"utilisation": np.array([util])}
    one = energy.evaluate(SITE, base)
    scaled = energy.evaluate(SITE, base | {"utilisation": np.array([util * k])})
    for key in LINEAR:
        np.testing.assert_allclose(scaled[key], k * one[key], rtol=1e-12, err_msg=key)
    np.testing.assert_allclose(scaled["peak_mw"], one["peak_mw"], rtol=1e-12)  # capacity only


@settings(max_examples=30, deadline=None)
@given(renew=st.floats(0.0, 1.0))
def test_emissions_are_electricity_times_the_factor_of_each_year(renew: float) -> None:
    vals = energy.base_values(SITE) | {"renewable_share": np.array([renew])}
    res = energy.evaluate(SITE, vals)
    mwh = res["electricity_gwh"][0] * 1e3
    published = data.grid_factors()
    for t, year in enumerate(SITE.years):
        want = published[min(int(year), int(published.index.max()))]
        assert res["emissions_location_t"][0, t] == pytest.approx(mwh[t] * want, rel=1e-12)
        assert res["emissions_market_t"][0, t] == pytest.approx(
            mwh[t] * (1 - renew) * want, rel=1e-12)


def test_published_years_use_their_own_factor() -> None:
    assert data.grid_factor(2021).value == 0.4509
    assert data.grid_factor(2022).value == 0.4312
    assert data.grid_factor(2023) == data.Factor(0.4173, 2023, False)
    assert data.grid_factor(2031) == data.Factor(0.4173, 2023, True)


# ----------------------------------------------------------------------------- the money side
def test_from_capacity_makes_the_money_bill_the_physical_bill() -> None:
    res = _run(_ulsan(bill="from-capacity"))
    full = res.energy.full.loc["all"]
    assert full["bill_gap_krw_bn"] == pytest.approx(0.0, abs=1e-9)
    # the other running costs are unchanged: 131.8 bn × 0.33 plus the physical bill
    ops = res.scenario.investments[0].operations
    assert ops.annual_amount.value == pytest.approx(
        1.318e11 * 0.33 + 103 * 0.7 * 1.15 * 8760 * 182.7e3, rel=1e-12)


def test_from_bill_derives_electricity_from_the_money_bill() -> None:
    res = _run(_ulsan(bill="from-bill"))
    full = res.energy.full.loc["all"]
    assert full["electricity_gwh"] == pytest.approx(1.318e11 * 0.67 / 182.7 / 1e6, rel=1e-12)
    assert full["bill_gap_krw_bn"] == pytest.approx(0.0, abs=1e-9)


def test_korea_bill_is_converted_from_usd() -> None:
    res = ims.run(ROOT / "scenarios" / "korea.yaml", draws=0)
    full = res.energy.full.loc["all"]
    assert full["bill_money_krw_bn"] == pytest.approx(1.2e8 * 0.67 * 1422.2 / 1e9, rel=1e-9)
    assert full["electricity_gwh"] == pytest.approx(132 * 0.7 * 1.15 * 8.76, rel=1e-12)
    assert full["share_province"] == pytest.approx(132 * 0.7 * 1.15 * 8760 / 141e6, rel=1e-12)


# ----------------------------------------------------------------------------- claims
def test_energy_and_renewable_claims_are_compared(ulsan) -> None:
    claims = [
        {"id": "gwh", "text": "will use about 0.7 TWh a year", "measure": "electricity_gwh",
         "value": 0.7, "unit": "TWh", "source": "test"},
        {"id": "green", "text": "will use 100% renewable power", "measure": "renewable_share",
         "value": 100, "unit": "%", "source": "test"},
    ]
    out = {c.claim.id: c for c in compare_claims(ulsan, claims)}
    assert out["gwh"].verdict == "consistent"
    assert out["gwh"].model_mid == pytest.approx(103 * 0.7 * 1.15 * 8.76 / 1e3, rel=1e-12)
    assert out["green"].verdict == "above"  # the scenario states no renewable purchase
    assert "market-based emissions would be 0" in out["green"].basis


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(("change", "needle"), [
    ({"it_mw": None}, "exactly one of it_mw"),
    ({"facility_mw": 120}, "exactly one of it_mw"),
    ({"pue": 0.9}, "PUE 0.9 is outside"),
    ({"utilisation": {2030: 1.5}}, "utilisation for [2030]"),
])
def test_bad_capacity_is_one_line_naming_the_field(change: dict, needle: str) -> None:
    raw = _ulsan(**change)
    raw["investments"][0]["capacity"] = {k: v for k, v in
                                         raw["investments"][0]["capacity"].items()
                                         if v is not None}
    with pytest.raises(ImpactsimError) as err:
        ims.Scenario.from_dict(raw, base_dir=ULSAN.parent)
    assert needle in str(err.value) and "capacity" in str(err.value)
    assert "\n" not in str(err.value).strip()


def test_unknown_province_names_the_fix() -> None:
    with pytest.raises(ImpactsimError, match="province 'Jeju' has no shipped electricity sales"):
        _run(_ulsan(province="Jeju"))


# ----------------------------------------------------------------------------- satellites
@pytest.fixture(scope="module")
def with_sats() -> ims.IOTable:
    return data.with_electricity_satellites(ims.load_table("korea-2020"))


def test_satellite_multipliers_are_e_times_the_electricity_row_of_l(with_sats) -> None:
    t = with_sats
    i = t.sector_position("450")
    e = 509_270e3 / t.x[i]  # KEPCO 2020 sales (MWh) per million KRW of 450 output
    a = t.z_domestic / t.x[None, :]
    eye = np.eye(t.n)
    mult = ims.LeontiefModel(t).multipliers(induced=False)
    for code in ("310-MEM", "610-DC", "502", "513"):
        j = t.sector_position(code)
        col = np.linalg.solve(eye - a, eye[:, j])  # independent of the engine's solver
        assert mult.loc[code, "electricity"] == pytest.approx(e * col[i], rel=1e-9)
        assert mult.loc[code, "emissions_electricity"] == pytest.approx(
            e * col[i] * 0.4173, rel=1e-9)


def test_satellites_survive_files_aggregation_and_pymrio(with_sats, tmp_path) -> None:
    want = {"electricity": "MWh", "emissions_electricity": "tCO2eq"}
    back = ims.IOTable.from_dir(with_sats.to_dir(tmp_path / "t"))
    assert dict(back.meta.satellite_units) == want
    doc = json.loads((tmp_path / "t" / "table.json").read_text(encoding="utf-8"))
    assert doc["meta"]["satellite_units"] == want
    agg = ims.aggregate(with_sats, "bok33")
    assert dict(agg.meta.satellite_units) == want
    assert agg.sats["electricity"].sum() == pytest.approx(509_270e3, rel=1e-12)
    assert dict(pymrio_bridge.from_pymrio(pymrio_bridge.to_pymrio(with_sats))
                .meta.satellite_units) == want
    assert ims.LeontiefModel(agg).units["emissions_electricity"] == "tCO2eq"


def test_tables_without_units_keep_their_bytes() -> None:
    t = ims.load_table("korea-2020-165")
    folder = ROOT / "src" / "impactsim" / "datasets" / "data" / "bok-2020-165"
    for name, blob in t.to_files().items():
        assert blob == (folder / name).read_bytes(), name


def test_satellites_flow_through_a_run_and_its_draws() -> None:
    raw = _ulsan()
    raw["energy"] = {"satellites": True}
    res = _run(raw, draws=30)
    assert {"electricity", "emissions_electricity"} <= set(res.measures)
    assert res.units["electricity"] == "MWh"
    q = res.quantiles(phase="operations").loc["total"]
    assert q[("electricity", "P5")] < q[("electricity", "P50")] < q[("electricity", "P95")]
    head = res.headline("operations").loc["total"]
    assert head["emissions_electricity"] == pytest.approx(head["electricity"] * 0.4173, rel=1e-9)
    # the site's own bill (88.3 bn KRW of 2025 money) is about 0.7 TWh at the table's 2020
    # output per MWh; with the rest of the economy the total is larger still
    assert head["electricity"] > 0.5e6
    tidy = res.tidy()
    assert {"electricity", "emissions_electricity"} <= set(tidy["measure"])


def test_every_energy_row_cites_an_entry_of_sources_md() -> None:
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    known = set(re.findall(r"^### ([a-z0-9][a-z0-9-]*)\s*$", text, flags=re.MULTILINE))
    for path in sorted(ENERGY_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert rows, path.name
        for row in rows:
            assert row["source"] == "assumption" or row["source"] in known, (path.name, row)
            assert row["basis"] in {"OFF", "IND", "DER", "assumption"}, (path.name, row)


# ----------------------------------------------------------------------------- presentation
def test_report_and_files_show_the_account(ulsan, tmp_path) -> None:
    from impactsim.present import energy as shown
    from impactsim.present import report

    page = report.render_html(ulsan, comparisons=[])
    assert shown.TITLE in page and 'id="chart-energy"' in page
    assert "Electricity bill: the spending pattern pays 88.3 bn KRW" in page
    frames = shown.energy_frames(ulsan)
    tidy = frames["energy"].set_index(["investment", "quantity"])
    assert tidy.loc[("all", "electricity_gwh"), "unit"] == "GWh"
    assert tidy.loc[("all", "electricity_gwh"), "P5"] < tidy.loc[("all", "electricity_gwh"),
                                                                  "P95"]
    assert len(frames["energy_by_year"]) == 2042 - 2028 + 1
    payload = shown.energy_payload(ulsan)
    assert payload["quantities"]["water_m3"]["unit"] == "m³"


def test_a_scenario_without_capacity_has_no_account() -> None:
    raw = _ulsan()
    del raw["investments"][0]["capacity"]
    res = _run(raw)
    from impactsim.present import energy as shown

    assert res.energy is None and shown.energy_display(res) is None
    assert shown.energy_frames(res) == {} and shown.energy_markdown(res) == []


def test_satellite_units_survive_the_two_region_table() -> None:
    raw = yaml.safe_load((ROOT / "scenarios" / "ulsan-province.yaml").read_text(encoding="utf-8"))
    raw["energy"] = {"satellites": True}
    res = ims.run(ims.Scenario.from_dict(raw, base_dir=ROOT / "scenarios"), draws=0)
    assert res.table.satellite_units["emissions_electricity"] == "tCO2eq"
    assert res.units["electricity"] == "MWh"
    head = res.headline("operations").loc["total"]
    assert head["emissions_electricity"] == pytest.approx(head["electricity"] * 0.4173, rel=1e-9)


def test_a_hand_written_unit_of_the_wrong_type_is_refused(with_sats, tmp_path) -> None:
    folder = with_sats.to_dir(tmp_path / "t")
    doc = json.loads((folder / "table.json").read_text(encoding="utf-8"))
    doc["meta"]["satellite_units"] = {"electricity": 5}
    (folder / "table.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ImpactsimError, match=r"meta\.satellite_units\.electricity"):
        ims.IOTable.from_dir(folder)


def test_satellites_on_an_unsupported_table_name_the_line() -> None:
    raw = yaml.safe_load((ROOT / "scenarios" / "apec-aws.yaml").read_text(encoding="utf-8"))
    raw["energy"] = {"satellites": True}
    with pytest.raises(ImpactsimError, match="no electricity satellite is shipped") as err:
        ims.run(ims.Scenario.from_dict(raw, file="apec.yaml", base_dir=ROOT / "scenarios"),
                draws=0)
    assert str(err.value).startswith("apec.yaml") and "\n" not in str(err.value)


def test_tariff_history_steps_are_the_stated_increases() -> None:
    # KEPCO / MOTIE: +8.0 (16 May 2023, all customers), +10.6 (9 Nov 2023, 을), +16.9 (24 Oct
    # 2024, 을); the 24 Oct 2024 step is also +10.2 % of the price before it
    steps = [data.tariff(on=d)[0] for d in ("2023-03-01", "2023-06-01", "2024-01-01")]
    latest = data.tariff()[0]
    assert np.diff([*steps, latest]) == pytest.approx([8.0, 10.6, 16.9], abs=1e-9)
    assert latest / steps[-1] - 1 == pytest.approx(0.102, abs=0.001)
