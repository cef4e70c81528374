"""Scenario draws: ims.run(scenario, draws=N) on the Korea table (needs the bundled table)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import impactsim as ims
from impactsim.scenario import get_pattern
from impactsim.uncertainty.scenario import scenario_ensemble

ROOT = Path(__file__).resolve().parents[1]
KOREA = ROOT / "scenarios" / "korea.yaml"


@pytest.fixture(scope="module")
def korea_table() -> ims.IOTable:
    return ims.load_table("korea-2020")


def _strip(node: Any) -> Any:
    """Every uncertain value collapsed to its value (ranges and distributions removed)."""
    if isinstance(node, dict):
        if "value" in node and ("range" in node or "distribution" in node):
            return {k: _strip(v) for k, v in node.items() if k not in ("range", "distribution")}
        return {k: _strip(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def _collapsed_korea() -> dict[str, Any]:
    data = yaml.safe_load(KOREA.read_text(encoding="utf-8"))
    data = _strip(data)
    for inv in data["investments"]:
        for phase in ("construction", "operations"):
            ph = inv.get(phase)
            if ph and isinstance(ph.get("pattern"), str):
                pat = get_pattern(ph["pattern"]).model_dump(mode="json", exclude_none=True)
                ph["pattern"] = _strip(pat)
            sus = (ph or {}).get("sustaining")  # operations' sustaining capex (IT refresh)
            if sus and isinstance(sus.get("pattern"), str):
                pat = get_pattern(sus["pattern"]).model_dump(mode="json", exclude_none=True)
                sus["pattern"] = _strip(pat)
    data["uncertainty"] = {"draws": 40, "seed": 7}
    # collapsed means no uncertain input: the BOK productivity path brings its own
    # low/high spread on jobs, so it is held off here (the path is tested in
    # test_appraisal_productivity.py)
    data.setdefault("model", {})["productivity"] = "none"
    return data


def test_collapsed_ranges_reproduce_the_deterministic_run_exactly(
    korea_table: ims.IOTable,
) -> None:
    sc = ims.Scenario.from_dict(_collapsed_korea(), base_dir=ROOT / "scenarios")
    res = ims.run(sc, table=korea_table)
    assert res.draws is not None and res.draws.n_draws == 40
    det = res.summary()
    q = res.quantiles()
    assert set(res.draws.measures) < set(det.columns)  # imports' parts are not drawn
    for measure in res.draws.measures:
        for lab in ("P5", "P50", "P95"):
            np.testing.assert_array_equal(q[(measure, lab)].to_numpy(), det[measure].to_numpy())


def test_korea_draws_are_ordered_reproducible_and_seeded_from_the_file(
    korea_table: ims.IOTable,
) -> None:
    a = ims.run(KOREA, draws=200, table=korea_table)
    b = ims.run(KOREA, draws=200, table=korea_table)
    assert a.draws.seed == 20251029  # uncertainty.seed of korea.yaml
    np.testing.assert_array_equal(a.draws.draws.totals, b.draws.draws.totals)
    c = ims.run(KOREA, draws=200, seed=1, table=korea_table)
    assert not np.array_equal(a.draws.draws.totals, c.draws.draws.totals)
    q = a.quantiles()
    for measure in a.draws.measures:
        p5, p50, p95 = (q[(measure, lab)].to_numpy() for lab in ("P5", "P50", "P95"))
        assert np.all(p5 <= p50) and np.all(p50 <= p95)
    assert q.index.names == ["phase", "effect"]
    assert a.quantiles("operations").index.name == "effect"
    # the amount is "more than USD 5 bn" (triangular 5–7.5 bn, mode 5): the median draw of
    # construction output is above the central case, which uses the stated floor
    det = a.summary().loc[("construction", "total"), "output"]
    assert q.loc[("construction", "total"), ("output", "P50")] > det
    # first-order variance shares are estimated from the draws (standard error about 0.08 each
    # at 150 draws, so their sum wanders by more than 0.05): 400 draws for the sum
    big = ims.run(KOREA, draws=400, table=korea_table)
    sens = big.sensitivity("employment", phase="construction")
    assert "aws-incheon-gyeonggi construction: amount" in sens.swings.index
    assert sens.variance_shares.sum() == pytest.approx(1.0, abs=0.05)


def test_headline_demand_per_draw_matches_the_translated_shocks(
    korea_table: ims.IOTable,
) -> None:
    """At base values the rebuilt headline demand is the shocks' own: construction = sum of
    its year columns, operations = its year of full operation."""
    from impactsim.scenario.shocks import translate
    from impactsim.simulate import build_model

    sc = ims.Scenario.from_yaml(KOREA)
    shocks = translate(sc, table=korea_table)
    model = build_model(korea_table, sc, induced=True)
    ens = scenario_ensemble(sc, model, shocks, induced=True)
    y = ens.demand.build(ens.base_values(1), 1)[0]
    cols = shocks.columns
    cons = shocks.matrix[:, (cols["phase"] == "construction").to_numpy()].sum(axis=1)
    np.testing.assert_allclose(y[0], cons, rtol=1e-12, atol=1e-9)
    ops_plans = [p for p in shocks.plans if p.phase == "operations"]  # running cost + IT refresh
    # each plan's column of its year of full operation (prices of that year included)
    full_year = sum(p.matrix()[:, int(np.argmax(p.weights))] for p in ops_plans)
    np.testing.assert_allclose(y[1], full_year, rtol=1e-12)


def test_household_leakage_draws_move_only_the_induced_effect(
    korea_table: ims.IOTable,
) -> None:
    data = _collapsed_korea()
    data["model"]["household_leakage"] = {"value": 0.07, "range": [0.0, 0.12]}
    sc = ims.Scenario.from_dict(data, base_dir=ROOT / "scenarios")
    res = ims.run(sc, draws=200, table=korea_table)
    q = res.quantiles("construction")
    for effect in ("direct", "indirect"):
        assert q.loc[effect, ("employment", "P5")] == q.loc[effect, ("employment", "P95")]
    assert q.loc["induced", ("employment", "P5")] < q.loc["induced", ("employment", "P95")]
    # a draw at leakage ℓ equals a deterministic run with household_leakage: ℓ
    ens = res.draws.draws.ensemble
    leak = 0.11
    vals = ens.base_values(1)
    vals["household_consumption"] = np.array([(1 - leak) / (1 - 0.07)])
    got = ens.evaluate(vals, 1)[0]
    data["model"]["household_leakage"] = leak
    ref = ims.run(
        ims.Scenario.from_dict(data, base_dir=ROOT / "scenarios"), draws=0, table=korea_table
    )
    drawn = len(ens.measures)  # the model's measures; the result adds imports' parts after them
    np.testing.assert_allclose(got[0], ref.phase_totals("construction")[:, :drawn], rtol=1e-10)


def test_stated_direct_jobs_replace_the_tables_direct_employment(
    korea_table: ims.IOTable,
) -> None:
    data = _collapsed_korea()
    ops = data["investments"][0]["operations"]
    # an output pattern (the whole site is the operating sector, as data-centre-operations v1):
    # every direct job of the plan is the stated one
    ops["pattern"] = {
        "name": "dc-output", "version": 1, "title": "data-centre output", "kind": "output",
        "demand": "exports", "categories": {"dc": {
            "share": 1.0, "basis": "assumption", "source": "test", "local_share": 1.0,
            "sectors": {"bok-2020": {"610-DC": 1.0}}}},
    }
    ops.pop("sustaining", None)
    ops["direct_jobs"] = {
        "value": 200,
        "distribution": {"distribution": "uniform", "low": 100, "high": 300},
    }
    data["uncertainty"] = {
        "draws": 4000,
        "seed": 3,
        "employment_coefficients": {"distribution": "uniform", "low": 0.8, "high": 1.2},
    }
    sc = ims.Scenario.from_dict(data, base_dir=ROOT / "scenarios")
    res = ims.run(sc, table=korea_table)
    det = res.summary().loc[("operations", "direct"), "employment"]
    assert det == pytest.approx(200.0, rel=1e-12)  # ramp reaches 1: one full year, 200 jobs
    jobs = res.draws.values("employment", phase="operations", effect="direct")
    # stated jobs are not scaled by the employment-coefficient factor: U(100, 300) quantiles
    assert np.quantile(jobs, 0.05) == pytest.approx(110.0, abs=4.0)
    assert np.quantile(jobs, 0.95) == pytest.approx(290.0, abs=4.0)
    indirect = res.draws.values("employment", phase="operations", effect="indirect")
    assert np.quantile(indirect, 0.95) / np.quantile(indirect, 0.05) == pytest.approx(
        1.19 / 0.82, rel=0.03
    )


def test_run_options(korea_table: ims.IOTable) -> None:
    res = ims.run(KOREA, draws=0, table=korea_table)
    assert res.draws is None
    with pytest.raises(ims.OptionError, match="no Monte Carlo draws"):
        res.quantiles()
    with pytest.raises(ims.ImpactsimError, match="draws=-3"):
        ims.run(KOREA, draws=-3, table=korea_table)
    data = copy.deepcopy(_collapsed_korea())
    del data["uncertainty"]
    sc = ims.Scenario.from_dict(data, base_dir=ROOT / "scenarios")
    assert ims.run(sc, table=korea_table).draws is None
    seen: list[tuple[int, int]] = []
    res = ims.run(sc, draws=5, table=korea_table, progress=lambda a, b: seen.append((a, b)))
    assert res.draws.n_draws == 5 and seen[-1] == (5, 5)
