"""ScenarioResult on Miller & Blair's two-sector example (hand-checked numbers) and its views."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import impactsim as ims
from _scenario_support import miller_blair_table, scenario_dict, synthetic_table
from impactsim.simulate import build_model, sector_effects, total_effects

# Miller & Blair (2009) eq. 2.14: L = (I − A)⁻¹ for A = [[.15, .25], [.20, .05]], to 4 places
L = np.array([[1.2541, 0.3300], [0.2640, 1.1221]])
JOBS_PER_OUTPUT = np.array([10 / 1000, 40 / 2000])  # employment / output of the table below


def mb_scenario() -> ims.Scenario:
    one = {"share": 1.0, "basis": "assumption", "source": "test"}
    return ims.Scenario.from_dict(
        {
            "name": "mb",
            "title": "Miller-Blair",
            "table": "miller-blair",
            "currency": "USD",
            "price_year": 2020,
            "investments": [
                {
                    "name": "plant",
                    "investor": "x",
                    "construction": {
                        "amount": 100.0,
                        "period": [2025, 2026],
                        "pattern": {
                            "name": "p",
                            "version": 1,
                            "title": "p",
                            "kind": "spending",
                            "categories": {"all": {**one, "sectors": {"mb": {"1": 1.0}}}},
                        },
                    },
                    "operations": {
                        "annual_amount": 40.0,
                        "period": [2027, 2029],
                        "ramp": {2027: 0.5},
                        "direct_jobs": 3,
                        "pattern": {
                            "name": "o",
                            "version": 1,
                            "title": "o",
                            "kind": "output",
                            "categories": {"all": {**one, "sectors": {"mb": {"2": 1.0}}}},
                        },
                    },
                }
            ],
        }
    )


@pytest.fixture(scope="module")
def result() -> ims.ScenarioResult:
    return ims.run(mb_scenario(), table=miller_blair_table(), induced=False)


def test_construction_headline_by_hand(result: ims.ScenarioResult) -> None:
    s = result.summary(phase="construction")
    x = L[:, 0] * 100.0  # 100 spent on sector 1 over the two years, all domestic (no imports)
    assert s.loc["direct", "output"] == pytest.approx(100.0)
    assert s.loc["total", "output"] == pytest.approx(x.sum(), rel=2e-4)
    assert s.loc["total", "employment"] == pytest.approx(JOBS_PER_OUTPUT @ x, rel=2e-4)
    assert s.loc["total", "value_added"] == pytest.approx(
        np.array([650 / 1000, 1400 / 2000]) @ x, rel=2e-4
    )
    assert list(s.index) == ["direct", "indirect", "total"]


def test_operations_headline_is_one_full_year_with_stated_direct_jobs(
    result: ims.ScenarioResult,
) -> None:
    s = result.summary(phase="operations")
    x = L[:, 1] * 40.0  # one full year: output of 40 in sector 2
    assert s.loc["total", "output"] == pytest.approx(x.sum(), rel=2e-4)
    assert s.loc["direct", "employment"] == pytest.approx(3.0)  # stated, replaces 0.02 x 40
    indirect = JOBS_PER_OUTPUT @ (x - np.array([0.0, 40.0]))
    assert s.loc["indirect", "employment"] == pytest.approx(indirect, rel=2e-3)


def test_construction_and_operations_are_never_added(result: ims.ScenarioResult) -> None:
    s = result.summary()
    assert set(s.index.get_level_values("phase")) == {"construction", "operations"}
    assert "job-years" in s.attrs["employment_unit"]["construction"]
    assert "jobs per year" in s.attrs["employment_unit"]["operations"]
    assert "2025–2026" in s.attrs["basis"]["construction"]
    text = repr(result)
    assert "job-years" in text and "employment in jobs" in text
    assert "<table" in result._repr_html_()


def test_by_year_and_to_frame_add_up(result: ims.ScenarioResult) -> None:
    con = result.by_year("output", phase="construction")
    assert list(con.index) == [2025, 2026]
    assert con["total"].sum() == pytest.approx(
        result.summary(phase="construction").loc["total", "output"]
    )
    ops = result.by_year("employment", phase="operations")
    assert ops.loc[2027, "direct"] == pytest.approx(1.5)  # half of the stated 3 in the ramp year
    both = result.by_year("output")
    assert list(both.index.get_level_values("phase").unique()) == ["construction", "operations"]
    tidy = result.to_frame()
    assert list(tidy.columns) == [
        "investment",
        "phase",
        "year",
        "region",
        "sector",
        "effect",
        "measure",
        "value",
        "unit",
    ]
    out = tidy[(tidy["measure"] == "output") & (tidy["phase"] == "operations")]
    year_total = result.summary(phase="operations").loc["total", "output"]
    assert out["value"].sum() == pytest.approx(2.5 * year_total)  # ramp 0.5 + 1 + 1


def test_by_sector_matches_summary(result: ims.ScenarioResult) -> None:
    frame = result.by_sector("employment", phase="operations")
    assert frame["total"].sum() == pytest.approx(
        result.summary(phase="operations").loc["total", "employment"]
    )
    assert frame.index.name == "sector"
    assert abs(frame["total"].iloc[0]) >= abs(frame["total"].iloc[-1])
    with pytest.raises(ims.OptionError, match="measure"):
        result.by_sector("jobs")
    with pytest.raises(ims.OptionError, match="phase"):
        result.summary(phase="decommissioning")


def test_result_is_immutable(result: ims.ScenarioResult) -> None:
    with pytest.raises(ValueError, match="read-only"):
        result.values[0, 0, 0, 0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.induced = True  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        result.shocks.matrix[0, 0] = 1.0


def test_induced_effects_and_totals_two_ways() -> None:
    table = synthetic_table()
    sc = ims.Scenario.from_dict(scenario_dict())
    res = ims.run(sc, table=table)
    assert res.effects == ("direct", "indirect", "induced")
    s = res.summary(phase="construction")
    parts = ["imports_spending", "imports_intermediate"]  # imports' parts with no induced row
    assert (s.loc["induced"].drop(parts) > 0).all()
    assert (s.loc["induced", parts] == 0).all()
    model = build_model(table, sc, induced=True)
    y = res.shocks.matrix
    by_sector = sector_effects(model, y, induced=True).sum(axis=3)
    totals = total_effects(model, y, induced=True)
    assert np.allclose(by_sector, totals, rtol=1e-10, atol=1e-9)
    # Type II >= Type I, and Type I equals the open part of the Type II run
    open_run = ims.run(sc, table=table, induced=False)
    a = open_run.summary(phase="construction")
    assert np.allclose(a.loc["total"], s.loc[["direct", "indirect"]].sum(), rtol=1e-10)


def test_zero_shock_gives_zero_effects() -> None:
    doc = scenario_dict()
    doc["investments"][0]["construction"]["amount"] = 0.0
    doc["investments"][0]["operations"]["annual_amount"] = 0.0
    doc["investments"][0]["operations"].pop("direct_jobs")
    res = ims.run(ims.Scenario.from_dict(doc), table=synthetic_table())
    assert np.all(res.values == 0.0)


def test_run_accepts_a_path_and_the_household_leakage_lowers_induced(tmp_path) -> None:
    import yaml

    doc = scenario_dict()
    path = tmp_path / "toy.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    table = synthetic_table()
    base = ims.run(path, table=table).summary(phase="construction")
    doc["model"] = {"household_leakage": 0.3}
    leaky = ims.run(ims.Scenario.from_dict(doc), table=table).summary(phase="construction")
    assert leaky.loc["induced", "employment"] < base.loc["induced", "employment"]
    assert leaky.loc["direct", "employment"] == pytest.approx(base.loc["direct", "employment"])
