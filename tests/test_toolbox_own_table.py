"""Own tables end to end: a table folder named in a scenario (relative to the file), loaded by
``ims.load_table(path)``, and a scenario in the table's own currency needing no exchange rate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

import impactsim as ims
from _scenario_support import scenario_dict, synthetic_table
from impactsim.errors import ImpactsimError, ScenarioError


def _eur_table_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "tables" / "toy-table"
    synthetic_table(region="FRA", currency="EUR").to_dir(folder)
    return folder


def _scenario_file(tmp_path: Path, **overrides: object) -> Path:
    doc = scenario_dict(table="./tables/toy-table", currency="EUR", price_year=2020, **overrides)
    path = tmp_path / "toy.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_load_table_accepts_a_folder(tmp_path: Path) -> None:
    folder = _eur_table_dir(tmp_path)
    table = ims.load_table(folder)
    assert table.meta.currency == "EUR"
    assert np.array_equal(table.x, synthetic_table().x)
    assert ims.load_table(str(folder)) is table  # cached while the files are unchanged


def test_load_table_bad_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ImpactsimError, match="does not exist"):
        ims.load_table(tmp_path / "nowhere")


def test_scenario_runs_on_a_relative_folder_in_its_own_currency(tmp_path: Path) -> None:
    _eur_table_dir(tmp_path)
    result = ims.run(_scenario_file(tmp_path), draws=0)
    assert result.table.currency == "EUR"
    plan = result.shocks.plans[0]
    # EUR amounts on a EUR table at the table's price year: factor = 1 / unit (1e6), no rate
    assert plan.conversion.exchange_rate == 1.0
    assert plan.conversion.factor == pytest.approx(1e-6)
    # construction output: direct output = domestic demand = table units placed
    direct = result.headline("construction").loc["direct", "output"]
    assert direct == pytest.approx(result.shocks.matrix[:, result._headline_columns(
        "construction")].sum())


def test_scenario_folder_is_relative_to_the_file_not_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _eur_table_dir(tmp_path)
    path = _scenario_file(tmp_path)
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert ims.run(path, draws=0).table.currency == "EUR"


def test_missing_folder_names_the_table_line(tmp_path: Path) -> None:
    path = _scenario_file(tmp_path)  # no folder written
    with pytest.raises(ScenarioError, match=r"toy\.yaml:\d+: table: './tables/toy-table'"):
        ims.run(path, draws=0)


def test_other_currency_on_own_table_still_needs_a_rate(tmp_path: Path) -> None:
    _eur_table_dir(tmp_path)
    doc = scenario_dict(table="./tables/toy-table", currency="GBP", price_year=2020)
    path = tmp_path / "gbp.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(ScenarioError, match="exchange_rate"):
        ims.run(path, draws=0)


def test_bare_folder_name_next_to_the_scenario(tmp_path: Path) -> None:
    synthetic_table(region="FRA", currency="EUR").to_dir(tmp_path / "toy-table")
    doc = scenario_dict(table="toy-table", currency="EUR", price_year=2020)
    path = tmp_path / "bare.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    assert ims.run(path, draws=0).table.currency == "EUR"


def test_cli_runs_a_scenario_on_a_folder(tmp_path: Path) -> None:
    from _cli_support import invoke

    _eur_table_dir(tmp_path)
    path = _scenario_file(tmp_path)
    proc = invoke("run", path, "--draws", "0")
    assert proc.returncode == 0, proc.stderr
    assert "money in million EUR" in " ".join(proc.stdout.split())
    assert invoke("validate", path).returncode == 0
