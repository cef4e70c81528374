"""Claim comparisons against hand-calculated model results (Miller & Blair two-sector table).

Type I construction phase (300 of MAN demand): total jobs = 6 direct + 99.0099 × 0.01 +
36.6337 × 0.02 indirect = 7.722772 job-years over 2 years; total value added = 300 (no imports,
so the value-added multiplier is 1). Operations (AGR 25 then 50): per year of full operation
50 × (0.95 + 0.2)/0.7575 output.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _report_support import fake_result, mb_table
from impactsim.scenario.claims import (
    ClaimError,
    ModelFigures,
    _verdict,
    compare_claim,
    compare_claims,
    comparisons_frame,
    normalise_claim,
    unit_scale,
)

JOBS_C = 6 + 300 * 0.25 / 0.7575 * 0.01 + (300 * 0.85 / 0.7575 - 300) * 0.02  # 7.722772


def _claim(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "c",
        "text": "a claim",
        "unit": "jobs",
        "source": "test",
        "measure": "employment",
    }
    base.update(kw)
    return base


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        (2 * JOBS_C, "above"),
        (1.2 * JOBS_C, "above"),  # no draws, no band: the point estimate is compared
        (0.5 * JOBS_C, "below"),
    ],
)
def test_jobs_claim_ratio_and_verdict(value: float, verdict: str) -> None:
    # a claim stated in job-years is set against the construction total (job-years)
    res = fake_result(induced=False, claims=[_claim(value=value, phase="construction",
                                                    unit="job-years")])
    (comp,) = compare_claims(res)
    assert comp.reading == "construction-total"
    assert comp.model_mid == pytest.approx(JOBS_C)
    assert comp.ratio == pytest.approx(value / JOBS_C)
    assert comp.verdict == verdict
    # a run without draws has no range (no arbitrary band), and says so
    assert (comp.model_low, comp.model_high) == pytest.approx((JOBS_C, JOBS_C))
    assert not comp.ranged and "no draws" in comp.basis
    assert comp.detail.startswith("no range (the run has no draws)")


def test_range_claim_around_the_point_estimate_is_consistent() -> None:
    res = fake_result(induced=False, claims=[_claim(low=0.9 * JOBS_C, high=1.1 * JOBS_C,
                                                    phase="construction", unit="job-years")])
    (comp,) = compare_claims(res)
    assert comp.reading == "construction-total" and comp.verdict == "consistent"


def test_more_than_claim_is_open_above() -> None:
    claim = normalise_claim(_claim(low=1000))
    assert claim.low == 1000 and math.isinf(claim.high) and claim.mid == 1000
    res = fake_result(induced=False, claims=[_claim(low=1000, text="thousands of jobs")])
    (comp,) = compare_claims(res)
    assert comp.verdict == "above"
    kinds = [e.kind for e in comp.explanations]
    assert {"induced effects", "jobs vs job-years", "operations years", "gross vs net"} <= set(
        kinds
    )


def test_jobs_claim_is_read_as_jobs_in_a_year_not_job_years() -> None:
    # "3.5 to 4.2 jobs" in construction: a jobs claim without a basis is read as jobs in a
    # year, never as the 7.72 job-years. Average year 7.72 / 2 = 3.86 (inside the claim), peak
    # year 2027 = 7.72 × 2/3 = 5.15 (above it): the two defensible readings disagree, so the
    # verdict is "depends on the reading"; the closer one (the average year) does not decide
    res = fake_result(induced=False, claims=[_claim(low=3.5, high=4.2, phase="construction")])
    (comp,) = compare_claims(res)
    assert comp.verdict == "depends on the reading"
    assert "construction, average year" in comp.detail and "consistent" in comp.detail
    assert "construction, peak year: below" in comp.detail
    assert comp.reading == "construction-average-year"  # primary by the claim's words
    assert comp.model_mid == pytest.approx(JOBS_C / 2)
    frame = comp.readings_frame().set_index("reading")
    assert not frame.loc["construction-total", "matches_unit"]
    jy = next(e for e in comp.explanations if e.kind == "jobs vs job-years")
    assert jy.model_value == pytest.approx(JOBS_C / 2)
    assert jy.closes_gap


def test_money_claim_in_table_currency_and_unit_scale() -> None:
    claim = _claim(
        measure="value_added",
        unit="million USD",
        value=300,
        currency="USD",
        price_year=2009,
        phase="construction",
    )
    (comp,) = compare_claims(fake_result(induced=False, claims=[claim]))
    assert comp.model_mid == pytest.approx(300.0)
    assert comp.ratio == pytest.approx(1.0)
    assert comp.verdict == "consistent"
    billions = dict(claim, unit="billion USD", value=0.3)
    (comp_bn,) = compare_claims(fake_result(induced=False, claims=[billions]))
    assert comp_bn.model_mid == pytest.approx(0.3)


def test_money_claim_converted_with_shipped_exchange_rate() -> None:
    # A KRW table at 2020 prices; claim in USD of 2020: 1 USD = 1,180.2 KRW
    # (BOK; docs/sources.md#bok-fx-2018-2021)
    table = mb_table().replace_meta(currency="KRW", year=2020, price_year=2020, region="KOR")
    claim = _claim(
        measure="value_added",
        unit="million USD",
        value=1.0,
        currency="USD",
        price_year=2020,
        phase="construction",
    )
    (comp,) = compare_claims(fake_result(induced=False, claims=[claim], table=table))
    # model: 300 million KRW of value added = 300 / 1180.2 million USD
    assert comp.model_mid == pytest.approx(300.0 / 1180.2, rel=1e-3)
    assert any(e.kind == "currency and price year" for e in comp.explanations)


def test_claim_about_another_economy_is_not_comparable() -> None:
    claim = _claim(
        measure="value_added", unit="billion USD", value=45, currency="USD", region="USA"
    )
    (comp,) = compare_claims(fake_result(claims=[claim]))
    assert comp.verdict == "not comparable"
    assert "USA" in comp.note
    frame = comparisons_frame([comp])
    assert frame.loc[0, "verdict"] == "not comparable"


def test_claim_on_one_investment_uses_only_its_effects() -> None:
    claim = _claim(value=JOBS_C, phase="construction", investments=["inv"], unit="job-years")
    (comp,) = compare_claims(fake_result(induced=False, claims=[claim], other_investment=True))
    assert comp.model_mid == pytest.approx(JOBS_C)
    assert "investment(s) inv" in comp.basis


def test_unknown_measure_names_claim_and_fix() -> None:
    with pytest.raises(ClaimError, match=r"claims\[0\] \(c\).*fix"):
        normalise_claim(_claim(measure="happiness"))


def test_unit_scale_words() -> None:
    assert unit_scale("billion USD") == 1e9
    assert unit_scale("USD bn") == 1e9
    assert unit_scale("trillion KRW") == 1e12
    assert unit_scale("jobs") == 1.0


@settings(max_examples=200)
@given(
    st.floats(0, 1e6),
    st.floats(0, 1e6),
    st.floats(0, 1e6),
    st.floats(0, 1e6),
)
def test_verdict_is_interval_logic(a: float, b: float, c: float, d: float) -> None:
    c_lo, c_hi = sorted((a, b))
    m_lo, m_hi = sorted((c, d))
    v = _verdict(c_lo, c_hi, m_lo, m_hi)
    overlap = c_lo <= m_hi and m_lo <= c_hi
    assert (v == "consistent") == overlap
    assert (v == "above") == (c_lo > m_hi)
    assert (v == "below") == (c_hi < m_lo)


def _world_figures(*, has_induced: bool, multiregional: bool, region: str | None) -> ModelFigures:
    """Hand-made figures (one construction year: direct 40, indirect 60)."""
    totals = {"direct": 40.0, "indirect": 60.0, "total": 100.0}
    if has_induced:
        totals = {"direct": 40.0, "indirect": 60.0, "induced": 20.0, "total": 120.0}
    scope = "the whole scenario" + (f", region {region}" if region else "")
    return ModelFigures({"construction": totals}, {}, {"construction": 1},
                        {"construction": totals["total"]}, {"construction": totals["total"]},
                        has_induced, scope, region, multiregional)


def test_world_table_explanations_fit_the_table_kind() -> None:
    claim = normalise_claim(_claim(measure="value_added", unit="USD", value=1000.0,
                                   region="USA"))
    world = compare_claim(claim, _world_figures(has_induced=False, multiregional=True,
                                                region="USA"))
    assert world.verdict == "above"  # 1000 vs 100 (hand-made figures list no missing channel)
    text = {e.kind: e.text for e in world.explanations}
    assert "--no-induced" not in text["induced effects"]
    assert "Type I only" in text["induced effects"]
    assert "imports" not in text and "abroad" not in " ".join(text.values())
    assert "outside USA" in text["supply from other regions"]
    # a single-region Type I run keeps its own wording
    single = compare_claim(claim, _world_figures(has_induced=False, multiregional=False,
                                                 region=None))
    kinds = {e.kind: e.text for e in single.explanations}
    assert "--no-induced" in kinds["induced effects"] and "leak abroad" in kinds["imports"]
    assert "supply from other regions" not in kinds
    # induced present: 120 − 20 = 100 without them
    closed = compare_claim(claim, _world_figures(has_induced=True, multiregional=False,
                                                 region=None))
    assert next(e for e in closed.explanations
                if e.kind == "induced effects").model_value == pytest.approx(100.0)
