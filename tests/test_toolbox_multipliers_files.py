"""`impactsim multipliers TABLE -o FILE`: csv / xlsx / parquet / json by suffix, with linkage
indices and units per unit of final demand (Miller & Blair two-sector table, by hand)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from _cli_support import assert_user_error, invoke
from _scenario_support import miller_blair_table, synthetic_table

DET = 0.85 * 0.95 - 0.25 * 0.20  # det(I − A), A = [[.15, .25], [.20, .05]]


@pytest.fixture
def mb_dir(tmp_path: Path) -> Path:
    miller_blair_table().to_dir(tmp_path / "mb")
    return tmp_path / "mb"


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype={"sector": str})
    if path.suffix == ".xlsx":
        return pd.read_excel(path, sheet_name="results", dtype={"sector": str})
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.DataFrame(json.loads(path.read_text(encoding="utf-8"))["rows"])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".json"])
def test_file_by_suffix_with_linkages(mb_dir: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"mult{suffix}"
    proc = invoke("multipliers", mb_dir, "-o", out)
    assert proc.returncode == 0, proc.stderr
    frame = _read(out).set_index("sector")
    # L = [[.95, .25], [.20, .85]] / det: column sums 1.15/det, 1.10/det; row sums 1.20, 1.05
    assert frame.loc["1", "output"] == pytest.approx(1.15 / DET, rel=1e-12)
    assert frame.loc["2", "backward"] == pytest.approx(1.10 / DET, rel=1e-12)
    assert frame.loc["1", "forward"] == pytest.approx(1.20 / DET, rel=1e-12)
    assert frame.loc["1", "power_of_dispersion"] == pytest.approx(1.15 / 1.125, rel=1e-12)
    assert frame.loc["2", "sensitivity_of_dispersion"] == pytest.approx(1.05 / 1.125, rel=1e-12)
    # the table has no imports: the all-zero column is left out
    assert "imports" not in frame.columns


def test_units_are_per_unit_of_final_demand(tmp_path: Path) -> None:
    synthetic_table().to_dir(tmp_path / "syn")
    out = tmp_path / "m.json"
    proc = invoke("multipliers", tmp_path / "syn", "--induced", "-o", out)
    assert proc.returncode == 0, proc.stderr
    body = json.loads(out.read_text(encoding="utf-8"))
    assert body["units"]["employment"] == "persons per million KRW of final demand"
    assert body["units"]["output"] == "million KRW per million KRW of final demand"
    assert "영향력계수" in body["units"]["power_of_dispersion"]
    # with the table's own closure household income is the income multiplier: shown once
    assert "household_income" not in body["rows"][0]
    assert "shown once as income" in body["caption"]


def test_xlsx_has_a_units_sheet(mb_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.xlsx"
    assert invoke("multipliers", mb_dir, "--form", "ratio", "-o", out).returncode == 0
    units = pd.read_excel(out, sheet_name="units").set_index("column")["unit"]
    assert units["employment"] == "ratio (total / direct)"
    ratio = pd.read_excel(out, sheet_name="results", dtype={"sector": str}).set_index("sector")
    # (e'L)_2 / e_2 with e = (10/1000, 40/2000)
    assert ratio.loc["2", "employment"] == pytest.approx(
        (0.01 * 0.25 + 0.02 * 0.85) / DET / 0.02, rel=1e-12)


def test_selection_applies_to_the_file(tmp_path: Path) -> None:
    out = tmp_path / "top.csv"
    proc = invoke("multipliers", "korea-2020", "--sort", "output", "--top", "3", "-o", out)
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(out, dtype={"sector": str})
    assert len(frame) == 3
    assert list(frame["output"]) == sorted(frame["output"], reverse=True)
    assert frame["name"].str.len().min() > 0


def test_world_table_has_names_and_no_empty_columns(tmp_path: Path) -> None:
    out = tmp_path / "w.csv"
    assert invoke("multipliers", "wiod-2011", "--top", "2", "-o", out).returncode == 0
    frame = pd.read_csv(out)
    assert list(frame["sector"]) == ["AUS c1", "AUS c2"]
    assert frame.loc[0, "name"] == "Agriculture, Hunting, Forestry and Fishing"
    assert "imports" not in frame.columns and "employment" not in frame.columns
    screen = invoke("multipliers", "wiod-2011", "--top", "2")
    assert "Mining and Quarrying" in screen.stdout and "employment in  per" not in screen.stdout


def test_bad_suffix_is_a_usage_error(mb_dir: Path, tmp_path: Path) -> None:
    proc = invoke("multipliers", mb_dir, "-o", tmp_path / "m.txt")
    assert_user_error(proc, 2, "unknown file type '.txt'")
