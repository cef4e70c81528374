"""Claims compare like with like: every reading with its ratio, the verdict over the readings
defensible on the claim's words (never the closest one), job-years never called jobs,
world-table channels and lower bounds.

Hand numbers on Miller & Blair's two-sector table (tests/_report_support.py): construction
2026 (100 of MAN) and 2027 (200 of MAN), Type I, jobs per unit of output 0.01 (AGR) and 0.02
(MAN): total 7.722772 job-years, of which 2027 carries 2/3 (linear in demand).
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from _report_support import fake_result
from impactsim.scenario.claims import ModelFigures, compare_claim, compare_claims, normalise_claim
from impactsim.scenario.readings import (
    DEPENDS,
    Reading,
    claim_basis,
    decide,
    defensible_bases,
    interval_verdict,
)

JOBS_C = 6 + 300 * 0.25 / 0.7575 * 0.01 + (300 * 0.85 / 0.7575 - 300) * 0.02


def _claim(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"id": "c", "text": "a claim", "unit": "jobs", "source": "test",
                               "measure": "employment"}
    base.update(kw)
    return base


def test_readings_of_a_jobs_claim_by_hand() -> None:
    res = fake_result(induced=False, claims=[_claim(value=5.15, phase="construction")])
    (comp,) = compare_claims(res)
    frame = comp.readings_frame().set_index("reading")
    assert frame.loc["construction-average-year", "model"] == pytest.approx(JOBS_C / 2)
    assert frame.loc["construction-peak-year", "model"] == pytest.approx(JOBS_C * 2 / 3)
    assert frame.loc["construction-total", "model"] == pytest.approx(JOBS_C)
    assert frame.loc["construction-total", "basis"] == "cumulative"
    assert not frame.loc["construction-total", "matches_unit"]
    # 5.15 jobs: above the average year (3.861) and the peak year (5.149) alike; the primary
    # reading is the average year (the claim's words fix it, not closeness)
    assert comp.reading == "construction-average-year" and comp.verdict == "above"
    assert comp.ratio == pytest.approx(5.15 / (JOBS_C / 2))
    assert frame["ratio"].to_dict()["construction-total"] == pytest.approx(5.15 / JOBS_C)
    assert frame.loc["construction-average-year", "used"]
    assert list(frame.loc[frame["matches_unit"], "verdict"]) == ["above", "above"]


def test_jobs_claim_without_basis_reads_both_a_year_and_the_stated_horizon() -> None:
    c = normalise_claim(_claim(value=78000, horizon_years=30))
    assert defensible_bases(c) == ("in-a-year", "cumulative")
    assert claim_basis(c) == "cumulative"  # the stated horizon is the primary reading
    assert defensible_bases(normalise_claim(_claim(value=78000))) == ("in-a-year",)
    money_claim = normalise_claim(_claim(measure="output", unit="KRW", value=1.0,
                                         horizon_years=30))
    assert claim_basis(money_claim) == "cumulative"
    assert claim_basis(normalise_claim(_claim(value=1.0, unit="job-years"))) == "cumulative"
    assert claim_basis(normalise_claim(_claim(measure="output", unit="KRW", value=1.0,
                                              phase="operations"))) == "in-a-year"


def test_korea_thousands_of_jobs_depends_on_the_reading() -> None:
    res = ims.run("scenarios/korea.yaml", draws=0)
    (comp,) = compare_claims(res)
    frame0 = comp.readings_frame().set_index("reading")
    used = frame0[frame0["matches_unit"]]
    # read as jobs in a year only (no horizon stated): never as job-years
    assert set(used["basis"]) == {"in-a-year"}
    verdicts = set(used["verdict"])
    assert comp.verdict == (verdicts.pop() if len(verdicts) == 1 else DEPENDS)
    for label in used["label"]:
        assert label in comp.detail
    by_year = res.by_year("employment", phase="construction")["total"]
    frame = comp.readings_frame().set_index("reading")
    # identity: the average construction year is the job-years over the years with activity
    assert frame.loc["construction-average-year", "model"] == pytest.approx(
        by_year.sum() / (by_year.abs() > 0).sum())
    assert frame.loc["construction-peak-year", "model"] == pytest.approx(by_year.max())


def test_explanations_never_call_job_years_jobs() -> None:
    res = ims.run("scenarios/ulsan.yaml", draws=0)
    comps = compare_claims(res)
    jobs = next(c for c in comps if c.claim.id == "jobs-78000")
    job_years = [r.value for r in jobs.readings if r.basis == "cumulative"]
    texts = " ".join(e.text for e in jobs.explanations)
    for v in job_years:
        shown = f"{v:,.0f}"
        for m in re.finditer(re.escape(shown) + r" (\w[\w-]*)", texts):
            assert m.group(1) == "job-years", (shown, texts)


def test_ulsan_claims_readings_and_horizon_by_hand() -> None:
    res = ims.run("scenarios/ulsan.yaml", draws=0)
    comps = {c.claim.id: c for c in compare_claims(res)}
    jobs = comps["jobs-78000"]
    # no draws: no range, so every point reading lies below 78,000
    assert jobs.verdict == "above" and not jobs.ranged
    assert jobs.reading == "cumulative-horizon"  # the stated 30 years is a reading of its own
    assert "SK" in jobs.claim.source and "Korea Herald" in jobs.claim.source
    frame = jobs.readings_frame().set_index("reading")
    by_year = res.by_year("employment")["total"]
    ops_full = res.headline("operations").loc["total", "employment"]
    last = int(res.columns["year"].max())
    # operations continue to 2054 at the full-operation level; the refresh continues on each
    # tranche's 5-year cycle: after 2042 the 2025-2027 tranches are replaced twice more (2045,
    # 2050; 2046, 2051; 2047, 2052), 2028 and 2029 three times (2043, 2048, 2053; 2044, 2049,
    # 2054): 0.2 × 12 = 2.4 cycles, against 2.6 in the modelled years (3 + 3 + 3 + 2 + 2) × 0.2
    sust = res.headline("sustaining").loc["total", "employment"]
    hand = by_year.sum() + (2025 + 30 - 1 - last) * ops_full + sust * 2.4 / 2.6
    assert last == 2042
    assert frame.loc["cumulative-horizon", "model"] == pytest.approx(hand, rel=1e-9)
    # the refresh reported apart: the same horizon without sustaining capex
    assert frame.loc["cumulative-horizon-no-sustaining", "model"] == pytest.approx(
        hand - sust * (1 + 2.4 / 2.6), rel=1e-9)
    money = comps["economic-effect-25tn"]
    assert money.reading == "cumulative-horizon"
    mf = money.readings_frame().set_index("reading")
    assert {"value_added-cumulative", "investor-own-va-year", "cumulative-no-leakage"} <= set(
        mf.index)
    # no import leakage solves more demand: a larger figure than the run's own
    assert mf.loc["cumulative-no-leakage", "model"] > mf.loc["cumulative-horizon", "model"]


def test_world_table_claim_lists_unseen_channels_and_is_a_lower_bound() -> None:
    totals = {"direct": 40.0, "indirect": 60.0, "total": 100.0}
    fig = ModelFigures({"construction": totals}, {}, {"construction": 1}, {"construction": 100.0},
                       {"construction": 100.0}, False, "the whole scenario, region USA", "USA",
                       True)
    claim = normalise_claim(_claim(measure="value_added", unit="USD", value=1000.0,
                                   region="USA"))
    comp = compare_claim(claim, fig)
    text = {e.kind: e.text for e in comp.explanations}
    unseen = text["channels the table cannot see"]
    assert "design margins" in unseen and "own returns" in unseen and "induced" in unseen
    assert "lower bound" in unseen and "lower bound" in text["gross vs net"]
    assert "upper bound" not in unseen


def test_comparisons_frame_and_claims_table_show_the_reading() -> None:
    from impactsim.present.tables import claims_table, readings_table
    from impactsim.scenario.claims import comparisons_frame

    res = fake_result(induced=False, claims=[_claim(value=5.15, phase="construction")])
    comps = compare_claims(res)
    assert comparisons_frame(comps).loc[0, "reading"] == "construction-average-year"
    assert claims_table(comps).loc[0, "reading"].startswith("construction, average year")
    rt = readings_table(comps[0])
    assert rt["reading"].str.startswith("▶").sum() == 1
    assert math.isfinite(float(rt["ratio"].iloc[0].replace(",", "")))


def test_ulsan_78000_with_draws_depends_on_the_reading() -> None:
    res = ims.run("scenarios/ulsan.yaml", draws=100)
    jobs = next(c for c in compare_claims(res) if c.claim.id == "jobs-78000")
    frame = jobs.readings_frame().set_index("reading")
    used = frame[frame["matches_unit"]]
    assert set(used.index) == {"construction-average-year", "construction-peak-year",
                               "operations-full-year", "cumulative-horizon"}
    assert used["ranged"].all()
    # 78,000 people at work in one year is far above every single-year reading ...
    assert (used.loc[used["basis"] == "in-a-year", "model_high"] < 78000).all()
    assert set(used.loc[used["basis"] == "in-a-year", "verdict"]) == {"above"}
    # ... so whatever the 30-year job-years reading says, the verdict names the readings
    hz = used.loc["cumulative-horizon"]
    expected = "consistent" if hz["model_low"] <= 78000 <= hz["model_high"] else "above"
    assert hz["verdict"] == expected
    assert jobs.verdict == ("above" if expected == "above" else DEPENDS)
    assert "job-years over the stated horizon 2025–2054" in jobs.detail


def _reading(key: str, value: float, lo: float, hi: float, claim: tuple[float, float],
             matches: bool = True) -> Reading:
    v = interval_verdict(claim[0], claim[1], lo, hi)
    return Reading(key, key, "employment", "in-a-year", "all effects", ("construction",),
                   value, lo, hi, claim[0] / value, matches, v == "consistent", "", v, True)


_KEYS = ("construction-average-year", "construction-peak-year", "operations-full-year")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.floats(1, 1e5), st.floats(0.5, 1.0), st.floats(1.0, 2.0)),
                min_size=1, max_size=3),
       st.floats(1, 1e5), st.floats(0, 2))
def test_no_verdict_is_chosen_by_closeness(figs: list[tuple[float, float, float]], c_lo: float,
                                          width: float) -> None:
    claim = (c_lo, c_lo * (1 + width))
    found = tuple(_reading(k, v, v * a, v * b, claim)
                  for k, (v, a, b) in zip(_KEYS, figs, strict=False))
    d = decide(found)
    assert d is not None
    kinds = {r.verdict for r in found}
    # the verdict is the readings' common verdict, or "depends" -- whichever reading is closest
    assert d.verdict == (next(iter(kinds)) if len(kinds) == 1 else DEPENDS)
    # the primary reading is fixed by the keys (the claim's words), not by the ratios
    assert d.primary.key == found[0].key
    assert decide(tuple(reversed(found))).verdict == d.verdict
    for r in found:
        assert r.label in d.detail
