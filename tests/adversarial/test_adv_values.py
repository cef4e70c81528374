"""Class 3, values that slip through: year keys checked after conversion, money multipliers
capped, and no ``inf`` or ``nan`` ever written (a zero denominator is "not comparable")."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from _adv_support import MINI
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.present.writers import frame_bytes
from impactsim.scenario.claims import compare_claims, comparisons_frame
from impactsim.scenario.values import check_year_keys

OPS = """\
    operations:
      annual_amount: 1.0e+11
      period: [2028, 2030]
      pattern: data-centre-operations
      ramp: {RAMP}
"""
PROFILE = MINI.replace("      pattern: ai-data-centre-capex\n",
                       "      pattern: ai-data-centre-capex\n      profile: {PROFILE}\n")


@pytest.mark.parametrize("spelling", ["+2026", "2_026", "2026.0", "02026", " 2026"])
def test_profile_year_spellings_beside_the_plain_year_are_refused(spelling: str) -> None:
    text = PROFILE.replace("{PROFILE}", f"{{2026: 0.5, '{spelling}': 0.3, 2027: 0.2}}")
    with pytest.raises(ims.ScenarioError) as info:
        ims.Scenario.from_text(text)
    msg = str(info.value)
    assert "profile" in msg and ("twice" in msg or "plain year" in msg), msg


@pytest.mark.parametrize("spelling", ["+2029", "2_029", "2029.0"])
def test_ramp_year_spellings_are_refused(spelling: str) -> None:
    text = MINI + OPS.replace("{RAMP}", f"{{2029: 0.5, {spelling}: 0.8}}")
    with pytest.raises(ims.ScenarioError, match="ramp"):
        ims.Scenario.from_text(text)


def test_plain_year_keys_still_work() -> None:
    sc = ims.Scenario.from_text(PROFILE.replace("{PROFILE}", "{2026: 0.6, 2027: 0.4}"))
    phase = sc.investments[0].construction
    assert phase is not None and phase.profile == {2026: 0.6, 2027: 0.4}


_SPELLINGS = st.sampled_from(["{y}", "+{y}", "{a}_{b}", "{y}.0", "0{y}", "{y}e0", " {y} "])


@settings(max_examples=60, deadline=None)
@given(years=st.lists(st.integers(1990, 2060), min_size=1, max_size=6), data=st.data())
def test_year_keys_never_collide_silently(years: list[int], data: st.DataObject) -> None:
    """Whatever the spellings: either every entry survives under its own year, or an error."""
    mapping: dict[object, float] = {}
    for y in years:
        form = data.draw(_SPELLINGS)
        key = form.format(y=y, a=str(y)[:2], b=str(y)[2:])
        mapping.setdefault(key, 1.0)
    try:
        out = check_year_keys(mapping)
    except ValueError as exc:
        assert "fix:" in str(exc)
        return
    assert len(out) == len(mapping)
    assert all(isinstance(k, int) for k in out)


@pytest.mark.parametrize(
    ("money", "needle"),
    [
        ("exchange_rate: 1.0e+300", "exchange_rate"),
        ("exchange_rate: 1.0e-320", "exchange_rate"),
        ("price_factor: 1.0e-320", "price_factor"),
        ("price_factor: 1.0e+300", "price_factor"),
        ("exchange_rate: .inf", "exchange_rate"),
    ],
)
def test_money_multipliers_are_capped(money: str, needle: str) -> None:
    with pytest.raises(ims.ScenarioError) as info:
        ims.Scenario.from_text(MINI + f"money:\n  {money}\n")
    assert needle in str(info.value)


CLAIM = """\
claims:
  - id: jobs
    text: "=HYPERLINK(\\"http://evil\\", \\"jobs\\")"
    measure: employment
    phase: construction
    value: 5000
    unit: jobs
    source: test
"""


def test_zero_amounts_give_not_comparable_and_no_inf_in_claims_files() -> None:
    sc = ims.Scenario.from_text(MINI.replace("amount: 1.0e+12", "amount: 0") + CLAIM)
    result = ims.run(sc, draws=0)
    (cmp,) = compare_claims(result)
    assert cmp.verdict == "not comparable" and not math.isinf(cmp.ratio)
    frame = comparisons_frame([cmp])
    for fmt in ("csv", "json", "xlsx"):
        blob = frame_bytes(frame, fmt)
        if fmt != "xlsx":
            assert b"inf" not in blob.lower().replace(b"information", b"")
    csv = frame_bytes(frame, "csv").decode()
    assert "'=HYPERLINK" in csv  # the formula prefix is neutralised (class 5)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=6),
       fmt=st.sampled_from(["csv", "json"]))
def test_no_inf_or_nan_is_ever_written(values: list[float], fmt: str) -> None:
    frame = pd.DataFrame({"x": values, "label": [str(v) for v in values],
                          "mixed": [v if i % 2 else "t" for i, v in enumerate(values)]})
    blob = frame_bytes(frame, fmt).decode()
    back = pd.read_csv(io.StringIO(blob)) if fmt == "csv" else pd.read_json(io.StringIO(blob))
    numeric = pd.to_numeric(back["x"], errors="coerce")
    assert not numeric.abs().eq(math.inf).any()
    if fmt == "json":
        assert "Infinity" not in blob and "NaN" not in blob
