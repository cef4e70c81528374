"""Uncertainty in files: the summary carries P5/P50/P95 (or the scenario's levels), sector
quantiles and the sensitivity as their own files (`run -o DIR --with …`), provenance records
the draws and seed actually used, `--json` has seed and sensitivity, `ims.run(keep_sectors=True)`
and `ScenarioResult.sector_quantiles`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import impactsim as ims
from _cli_support import assert_user_error, invoke
from _scenario_support import scenario_dict, synthetic_table
from impactsim.errors import OptionError
from impactsim.present.uncertainty_files import parse_extras


def _uncertain_scenario(tmp_path: Path, **unc: object) -> Path:
    synthetic_table().to_dir(tmp_path / "syn")
    doc = scenario_dict(table="./syn", currency="KRW", price_year=2020)
    doc["investments"][0]["construction"]["amount"] = {
        "value": 1.0e11, "range": [0.8e11, 1.3e11]}
    doc["uncertainty"] = {"draws": 400, "seed": 7, "quantiles": [0.1, 0.5, 0.9], **unc}
    path = tmp_path / "unc.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def unc_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _uncertain_scenario(tmp_path_factory.mktemp("unc"))


def test_sector_quantiles_need_keep_sectors(unc_path: Path) -> None:
    plain = ims.run(unc_path)
    with pytest.raises(OptionError, match="keep_sectors=True"):
        plain.sector_quantiles("output", "construction")
    kept = ims.run(unc_path, keep_sectors=True)
    q = kept.sector_quantiles("output", "construction")
    assert list(q.columns) == ["P10", "P50", "P90"]
    assert set(q.index) == set(kept.sectors)
    # every draw's sector outputs add up to the draw's total output, so the quantiles of the
    # sum lie within the sums of the extreme sector quantiles (monotone in the amount draw)
    head = kept.quantiles("construction").loc["total", ("output", "P50")]
    assert q["P10"].sum() <= head <= q["P90"].sum()
    # linear in one amount only: the sector quantile is the amount quantile × the base ratio
    central = kept.by_sector("output", "construction")["total"]
    ratio = q["P50"] / central.reindex(q.index)
    assert np.allclose(ratio[central.reindex(q.index) > 0], ratio.iloc[0], rtol=1e-9)


def test_summary_file_has_quantiles_and_extras(unc_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = invoke("run", unc_path, "-o", out, "--with", "sector-quantiles,sensitivity", "-q")
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["impactsim-manifest.json", "unc.appraisal.csv", "unc.claims.csv",
                     "unc.provenance.json", "unc.results.csv", "unc.sector_quantiles.csv",
                     "unc.sensitivity.csv", "unc.summary.csv"]
    summary = pd.read_csv(out / "unc.summary.csv")
    result = ims.run(unc_path)
    q = result.quantiles()
    row = summary[(summary["phase"] == "construction") & (summary["effect"] == "total")].iloc[0]
    assert row["employment"] == pytest.approx(result.headline("construction").loc[
        "total", "employment"])
    for lab in ("P10", "P50", "P90"):
        assert row[f"employment {lab}"] == pytest.approx(
            q.loc[("construction", "total"), ("employment", lab)])
    assert summary.loc[summary["phase"] == "whole scenario", "employment P50"].isna().all()
    sens = pd.read_csv(out / "unc.sensitivity.csv")
    cell = sens[(sens["phase"] == "construction") & (sens["measure"] == "employment")]
    # one uncertain input (the amount): it explains (almost) all of the variance
    amount = cell[cell["input"].str.endswith("amount")].iloc[0]
    assert amount["variance_share"] > 0.95
    # swing: the cell at the amount's P5 and P95 (triangular 0.8–1.3 e11, mode 1e11)
    assert amount["high"] > amount["base"] > amount["low"]
    sq = pd.read_csv(out / "unc.sector_quantiles.csv", dtype={"sector": str})
    assert {"phase", "measure", "sector", "central", "P10", "P50", "P90"} <= set(sq.columns)
    prov = json.loads((out / "unc.provenance.json").read_text(encoding="utf-8"))
    assert prov["options"]["draws"] == 400 and prov["options"]["seed"] == 7
    assert prov["options"]["quantiles"] == [0.1, 0.5, 0.9]


def test_provenance_records_command_line_draws(unc_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "o2"
    assert invoke("run", unc_path, "-o", out, "--draws", "50", "--seed", "3",
                  "-q").returncode == 0
    prov = json.loads((out / "unc.provenance.json").read_text(encoding="utf-8"))
    assert (prov["options"]["draws"], prov["options"]["seed"]) == (50, 3)


def test_json_has_seed_and_sensitivity(unc_path: Path) -> None:
    proc = invoke("run", unc_path, "--json")
    assert proc.returncode == 0, proc.stderr
    (sc,) = json.loads(proc.stdout)["scenarios"]
    assert sc["seed"] == 7 and sc["draws"] == 400
    sens = sc["sensitivity"]["construction"]
    assert sens["swings"][0]["input"].endswith("amount")
    assert sum(sens["variance_shares"].values()) == pytest.approx(1.0, abs=1e-9)


def test_deterministic_run_writes_no_quantile_columns(tmp_path: Path) -> None:
    synthetic_table().to_dir(tmp_path / "syn")
    doc = scenario_dict(table="./syn", currency="KRW", price_year=2020)
    path = tmp_path / "det.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    out = tmp_path / "o"
    assert invoke("run", path, "-o", out, "--with", "sensitivity", "-q").returncode == 0
    summary = pd.read_csv(out / "det.summary.csv")
    assert not any(" P" in c for c in summary.columns)
    assert not (out / "det.sensitivity.csv").exists()
    payload = json.loads(invoke("run", path, "--json").stdout)["scenarios"][0]
    assert payload["seed"] is None and payload["sensitivity"] == {}


def test_with_is_checked() -> None:
    assert parse_extras("sensitivity, sector-quantiles") == ("sensitivity", "sector-quantiles")
    with pytest.raises(ValueError, match="unknown"):
        parse_extras("tornado")
    proc = invoke("run", "scenarios/korea.yaml", "--with", "tornado")
    assert_user_error(proc, 2, "--with tornado")
    proc = invoke("run", "scenarios/korea.yaml", "--with", "sensitivity")
    assert_user_error(proc, 2, "add -o DIR")
