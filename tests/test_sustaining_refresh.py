"""Sustaining capex (an IT refresh) as its own phase: each equipment tranche is replaced on its
own cycle, counted from the year it was installed.

Independent numbers: the cycle count ⌊(H − y) / c⌋ per tranche (arithmetic), the korea.yaml
and ulsan.yaml hand counts (2.0 and 2.6 cycles), and the identity that the phase's headline is
the sum over its years.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.scenario.refresh import cycles, ramp_tranches, refresh_years, schedule


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(2000, 2060), st.floats(0.01, 1.0)), min_size=1, max_size=8),
    st.integers(0, 40),
    st.sampled_from([1.0, 2.0, 3.0, 3.5, 4.0, 5.0, 6.5, 7.0, 10.0]),
)
def test_cycles_per_tranche_are_floor_of_horizon_over_cycle(
        raw: list[tuple[int, float]], span: int, cycle: float) -> None:
    total = sum(s for _, s in raw)
    tranches = [(y, s / total) for y, s in raw]
    first = min(y for y, _ in tranches)
    last = max(y for y, _ in tranches) + span
    years, w = schedule(tranches, cycle, first, last)
    # each tranche: ⌊(H − y) / c⌋ replacements, each of its share, all inside its life
    for y, _ in tranches:
        n = math.floor((last - y) / cycle)
        assert cycles(y, last, cycle) == n
        got = refresh_years(y, last, cycle)
        assert len(got) == n and all(y < t <= last for t in got)
        assert got == sorted(got)
    expected = sum(s * math.floor((last - y) / cycle) for y, s in tranches)
    assert w.sum() == pytest.approx(expected)
    assert (w >= 0).all() and years[0] == first and years[-1] == last
    # no refresh before a whole cycle has passed since the first installation
    early = years < first + cycle
    assert not w[early].any()


def test_ramp_tranches_are_the_capacity_added_each_year() -> None:
    got = ramp_tranches([2028, 2029, 2030, 2031], {2028: 0.5, 2029: 0.75})
    assert got == [(2028, 0.5), (2029, 0.25), (2030, 0.25)]


@pytest.mark.parametrize(("path", "first", "cycles_"), [
    ("scenarios/korea.yaml", 2026, 2.0),   # 1/7 a year 2025-31 to 2040: (3 + 5·2 + 1) / 7
    ("scenarios/ulsan.yaml", 2028, 2.6),   # 1/5 a year 2025-29 to 2042: (3 + 3 + 3 + 2 + 2) / 5
])
def test_shipped_scenarios_refresh_counts(path: str, first: int, cycles_: float) -> None:
    res = ims.run(path, draws=0)
    plans = [p for p in res.shocks.plans if p.phase == "sustaining"
             and getattr(p, "channel", "purchase") == "purchase"]  # one line per channel
    assert plans and all(p.part == "sustaining" for p in plans)
    assert sum(p.weights.sum() * p.region_share for p in plans) == pytest.approx(cycles_)
    assert res.phases == ("construction", "operations", "sustaining")
    # the sustaining headline is a total over its years (job-years); operations keep their
    # running costs only, per year of full operation
    by_year = res.by_year("employment", phase="sustaining")["total"]
    head = res.headline("sustaining").loc["total", "employment"]
    assert head == pytest.approx(by_year.sum(), rel=1e-9)
    assert by_year.index.min() >= first
    assert "job-years" in res.units_for("sustaining")["employment"]
    ops_plans = [p for p in res.shocks.plans if p.phase == "operations"]
    assert all(p.part == "main" for p in ops_plans)
    # appraisal and claims report the phase apart
    app = res.appraisal()
    assert "sustaining" in set(app.summary.index.get_level_values("scope"))
    whole = app.summary.xs("whole", level="scope").loc["jobs_type2", "gross"]
    parts = sum(app.summary.loc[(p, "jobs_type2"), "gross"] for p in res.phases)
    assert whole == pytest.approx(parts)
    assert np.isfinite(head) and head > 0
