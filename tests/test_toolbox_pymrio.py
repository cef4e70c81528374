"""The pymrio bridge: pymrio's bundled test system in, multipliers equal to pymrio's own
(L column sums, M = S L), a region cut out with imports and exports, round trips to 1e-9, and a
scenario run end to end on the test system."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings

import impactsim as ims
from _data_support import io_tables
from _scenario_support import synthetic_table

pymrio = pytest.importorskip("pymrio")


@pytest.fixture(scope="module")
def test_system():  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        io = pymrio.load_test()
        io.calc_all()
    return io


def test_whole_system_matches_pymrio(test_system) -> None:  # type: ignore[no-untyped-def]
    table = ims.from_pymrio(test_system)
    assert table.n == 48 and table.meta.currency == "USD" and table.meta.unit == 1e6
    assert ("reg1", "gfcf") in list(table.final_demand_categories)
    mult = ims.LeontiefModel(table).multipliers()
    lsum = test_system.L.to_numpy().sum(axis=0)
    np.testing.assert_allclose(mult["output"].to_numpy(), lsum, rtol=1e-9)
    m = test_system.emissions.M  # pymrio: M = S L (stressor per unit of final demand)
    np.testing.assert_allclose(mult["emission_type1 air"].to_numpy(), m.iloc[0].to_numpy(),
                               rtol=1e-9)
    # the test system is not column-balanced: the gap is a value-added component, so
    # output = inputs + value added holds
    assert "balancing_item" in list(table.value_added_components)
    assert "balancing_item" in table.meta.provenance


def test_one_region_with_imports_and_exports(test_system) -> None:  # type: ignore[no-untyped-def]
    reg = ims.from_pymrio(test_system, region="reg2")
    z = test_system.Z
    mine = z.index.get_level_values(0) == "reg2"
    a = test_system.A.to_numpy()[np.ix_(mine, mine)]
    inv = np.linalg.inv(np.eye(mine.sum()) - a)  # the region's own Leontief inverse
    mult = ims.LeontiefModel(reg).multipliers()
    np.testing.assert_allclose(mult["output"].to_numpy(), inv.sum(axis=0), rtol=1e-9)
    # exports = sales to other regions' intermediate use and final demand
    y = test_system.Y
    exp = (z.loc[mine, ~mine].sum(axis=1) + y.loc[mine, y.columns.get_level_values(0) != "reg2"]
           .sum(axis=1)).to_numpy()
    k = list(reg.final_demand_categories).index("exports")
    np.testing.assert_allclose(reg.y_domestic[:, k], exp, rtol=1e-12)
    # imported inputs = the other regions' rows, summed by product
    imported = z.loc[~mine, mine].to_numpy().sum()
    assert reg.z_imported.sum() == pytest.approx(imported, rel=1e-12)


@pytest.mark.parametrize("name", ["korea-2020", "wiod-2011"])
def test_round_trip_multipliers(name: str) -> None:
    table = ims.load_table(name)
    back = ims.from_pymrio(ims.to_pymrio(table))
    a, b = ims.LeontiefModel(table), ims.LeontiefModel(back)
    np.testing.assert_allclose(b.multipliers().to_numpy(), a.multipliers().to_numpy(),
                               rtol=1e-9, atol=1e-12)
    if name == "korea-2020":
        np.testing.assert_allclose(b.multipliers(induced=True).to_numpy(),
                                   a.multipliers(induced=True).to_numpy(), rtol=1e-9)
        assert back.meta.currency == "KRW" and back.meta.unit == 1e6


def test_to_pymrio_is_what_pymrio_computes(test_system) -> None:  # type: ignore[no-untyped-def]
    table = synthetic_table()
    io = ims.to_pymrio(table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        io.calc_all()
    mult = ims.LeontiefModel(table).multipliers()
    np.testing.assert_allclose(io.satellites.M.loc["employment"].to_numpy(),
                               mult["employment"].to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(io.L.to_numpy().sum(axis=0), mult["output"].to_numpy(),
                               rtol=1e-9)


def test_scenario_on_the_test_system(test_system, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ims.from_pymrio(test_system, year=2011).to_dir(tmp_path / "testmrio")
    cat = {"basis": "assumption", "source": "illustration"}
    doc = {
        "name": "test-plant", "title": "A plant in reg2", "table": "./testmrio",
        "currency": "USD", "price_year": 2011, "region": "reg2",
        "investments": [{"name": "plant", "investor": "Example", "construction": {
            "amount": 500.0e6, "period": [2026, 2027], "pattern": {
                "name": "plant-capex", "version": 1, "title": "Plant", "kind": "spending",
                "demand": "gfcf", "categories": {
                    "building": {"share": 0.6, **cat,
                                 "sectors": {"pymrio-test": {"construction": 1.0}}},
                    "equipment": {"share": 0.4, **cat,
                                  "sectors": {"pymrio-test": {"manufactoring": 1.0}}}}}}}],
    }
    path = tmp_path / "plant.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = ims.run(path)
    assert result.is_multiregional
    head = result.headline("construction")
    # direct output = the spending, USD 500 million = 500 table units (no rate, no deflation)
    assert head.loc["direct", "output"] == pytest.approx(500.0, rel=1e-9)
    # total output = Σ over spending entries of the output multiplier of the supplying
    # (region, sector): check against pymrio's L and the demand vector the run solved
    y = result.shocks.matrix.sum(axis=1)
    assert head.loc["total", "output"] == pytest.approx(
        float(test_system.L.to_numpy().sum(axis=0) @ y), rel=1e-9)


def test_missing_pymrio_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real = builtins.__import__

    def fake(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "pymrio":
            raise ImportError("no pymrio")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(ims.ImpactsimError, match=r"impactsim\[pymrio\]"):
        ims.to_pymrio(synthetic_table())


@settings(max_examples=25, deadline=None)
@given(io_tables(multiindex=False))
def test_round_trip_property(table: ims.IOTable) -> None:
    """Any balanced single-region table survives to_pymrio → from_pymrio with its Type I and
    Type II multipliers (imports become pymrio's 'imports' factor input)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back = ims.from_pymrio(ims.to_pymrio(table))
    a, b = ims.LeontiefModel(table), ims.LeontiefModel(back)
    np.testing.assert_allclose(b.multipliers().to_numpy(), a.multipliers().to_numpy(),
                               rtol=1e-9, atol=1e-12)
    assert list(back.sats) == list(table.sats)
