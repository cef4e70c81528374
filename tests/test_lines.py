"""Effects per spending line (impactsim.scenario.lines): recombining them must give exactly what
a run of the same settings gives (the run is the independent reference: it solves the whole
demand matrix again), for amounts, local shares, deadweight, displacement and discount rate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.scenario.lines import LineSettings, evaluate, scenario_data_with
from impactsim.scenario.schema import Scenario
from impactsim.simulate import line_effects

ROOT = Path(__file__).resolve().parents[1]
TOL = 1e-9


def _rel(a: float, b: float) -> float:
    if np.isnan(a) and np.isnan(b):
        return 0.0
    return abs(a - b) / abs(a) if a else abs(b)


def max_rel_diff(le, ev, result) -> float:
    """Largest relative difference between an evaluation and a run (headline and appraisal)."""
    worst = 0.0
    assert set(ev.headline) == set(result.phases)
    for ph in result.phases:
        run = result.headline(ph)[list(le.measures)].to_numpy()
        mine = ev.headline[ph]
        for a, b in zip(run.ravel(), mine.ravel(), strict=True):
            worst = max(worst, _rel(float(a), float(b)))
    summary = result.appraisal().summary
    for (scope, m), vals in ev.appraisal.items():
        row = summary.loc[(scope, m), ["gross", "net", "gross_pv", "net_pv"]]
        for a, b in zip(row.to_numpy(dtype=float), vals, strict=True):
            worst = max(worst, _rel(float(a), float(b)))
    return worst


@pytest.fixture(scope="module")
def korea():
    path = ROOT / "scenarios" / "korea.yaml"
    return path, line_effects(path), yaml.safe_load(path.read_text(encoding="utf-8"))


def test_stated_case_equals_the_run(korea):
    path, le, _ = korea
    assert max_rel_diff(le, evaluate(le), ims.run(path, draws=0)) <= TOL


def test_half_the_amount_is_half_the_effect(korea):
    """Linearity (an identity of the Leontief model): every construction effect halves with
    the construction amount; operations do not move."""
    _, le, _ = korea
    key = next(k for k in le.keys() if k.endswith("construction.main"))
    stated = evaluate(le)
    half = evaluate(le, LineSettings(amounts={key: le.stated_amounts()[key] / 2}))
    np.testing.assert_allclose(half.headline["construction"],
                               stated.headline["construction"] / 2, rtol=1e-12)
    np.testing.assert_array_equal(half.headline["operations"], stated.headline["operations"])


SCALE = st.one_of(st.just(0.0), st.floats(0.01, 3.0))  # subnormal amounts are not amounts
SHARE = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.001, 0.999))


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_settings_equal_a_run(korea, data):
    path, le, raw = korea
    amounts = {k: v * data.draw(SCALE) for k, v in le.stated_amounts().items()}
    local = {}
    for line in le.lines:
        for cat in line.categories:
            if cat.adjustable and data.draw(st.booleans()):
                local[(line.key, cat.name)] = data.draw(SHARE)
    s = LineSettings(amounts=amounts, local=local,
                     deadweight=data.draw(st.floats(0.0, 0.9)),
                     displacement=data.draw(st.floats(0.0, 0.9)),
                     discount_rate=data.draw(st.floats(0.0, 0.15)))
    scenario = Scenario.from_dict(scenario_data_with(raw, s), base_dir=path.parent)
    assert max_rel_diff(le, evaluate(le, s), ims.run(scenario, draws=0)) <= TOL


def test_site_share_zero_removes_the_stated_direct_jobs(korea):
    """With the site staff bought abroad (local share 0) the site has no domestic demand, so the
    run places no stated direct jobs there: a discontinuity the recombination must follow."""
    path, le, raw = korea
    line = next(ln for ln in le.lines if ln.direct_jobs is not None)
    site = next(c for c in line.categories if c.site)
    s = LineSettings(local={(line.key, site.name): 0.0})
    scenario = Scenario.from_dict(scenario_data_with(raw, s), base_dir=path.parent)
    result = ims.run(scenario, draws=0)
    assert max_rel_diff(le, evaluate(le, s), result) <= TOL
    with_site = evaluate(le).headline["operations"][0, le.measures.index("employment")]
    without = evaluate(le, s).headline["operations"][0, le.measures.index("employment")]
    assert with_site - without > 0.9 * line.direct_jobs  # the 220 stated jobs are gone


def test_amount_zero_gives_nothing(korea):
    _, le, _ = korea
    ev = evaluate(le, LineSettings(amounts={k: 0.0 for k in le.keys()}))
    for block in ev.headline.values():
        assert np.all(block == 0.0)


@pytest.mark.parametrize("name", ["apec-aws", "korea-provinces"])
def test_other_sourcings_equal_the_run(name):
    """Multi-region (local share moves the bridge between regions, affinely) and two-region
    (households closed per province) scenarios."""
    path = ROOT / "scenarios" / f"{name}.yaml"
    le = line_effects(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    rng = np.random.default_rng(7)
    local = {(ln.key, c.name): float(rng.uniform()) for ln in le.lines for c in ln.categories
             if c.adjustable}
    amounts = {k: v * float(rng.uniform(0.2, 2.0)) for k, v in le.stated_amounts().items()}
    s = LineSettings(amounts=amounts, local=local, displacement=0.3, discount_rate=0.07)
    scenario = Scenario.from_dict(scenario_data_with(raw, s), base_dir=path.parent)
    assert max_rel_diff(le, evaluate(le, s), ims.run(scenario, draws=0)) <= TOL
    assert local, "the scenario should have settable local shares"


def test_scenario_data_with_keeps_what_it_does_not_set(korea):
    _, le, raw = korea
    key = le.keys()[0]
    out = scenario_data_with(raw, LineSettings(amounts={key: 6.0e9}, displacement=0.1))
    amount = out["investments"][0]["construction"]["amount"]
    assert amount["value"] == 6.0e9 and amount["qualifier"] == "more-than"
    assert "distribution" not in amount  # its mode was the old value
    # korea.yaml states no displacement (its national scope sets it): a plain value is written,
    # and the scope is kept
    assert out["appraisal"]["displacement"] == 0.1
    assert out["appraisal"]["scope"] == "national"
    assert raw["investments"][0]["construction"]["amount"]["value"] == 5.0e9  # not mutated
