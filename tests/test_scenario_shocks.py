"""Shock translation is exact: shocks add up to the domestic spending in table units, and the
audit trail accounts for every unit of currency. Money, profiles and local shares by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from _scenario_support import inline_pattern, scenario_dict, synthetic_table
from impactsim.errors import ScenarioError
from impactsim.scenario import money
from impactsim.scenario.shocks import plan_scenario, profile_weights, shift_profile
from impactsim.scenario.sourcing import NationalSourcing, table_local_shares

TABLE = synthetic_table()

# docs/sources.md, typed in by hand: KRW per USD (annual averages) and the GDP deflator (2020 = 100)
FX = {
    2015: 1131.5,
    2016: 1160.5,
    2017: 1130.8,
    2018: 1100.6,
    2019: 1166.1,
    2020: 1180.2,
    2021: 1144.6,
    2024: 1364.4,
    2025: 1422.2,
}
DEFLATOR = {
    2015: 95.02,
    2016: 96.91,
    2017: 99.06,
    2018: 99.54,
    2019: 98.71,
    2020: 100.0,
    2024: 111.7,
    2025: 114.7,
}

# the synthetic table by hand: domestic share of gfcf purchases where there are any (E: 20 of
# 80, C: 60 of 60, S: 5 of 5), else of all domestic use excluding exports (G: intermediate
# 40 + households 30 domestic vs 40 + 18 + 30 + 10 in total)
LOCAL = {"G": 70 / 98, "E": 20 / 80, "C": 1.0, "S": 1.0}


def test_conversion_factor_by_hand() -> None:
    conv = money.conversion(
        "USD", 2025, table_currency="KRW", table_price_year=2020, table_region="KOR", unit=1e6
    )
    assert conv.factor == pytest.approx(1422.2 * 100 / 114.7 / 1e6, rel=1e-12)
    krw = money.conversion(
        "KRW", 2018, table_currency="KRW", table_price_year=2020, table_region="KOR", unit=1e6
    )
    assert krw.factor == pytest.approx(100 / 99.54 / 1e6, rel=1e-12)
    usd_table = money.conversion(
        "KRW", 2020, table_currency="USD", table_price_year=2020, table_region="", unit=1.0
    )
    assert usd_table.factor == pytest.approx(1 / 1180.2, rel=1e-12)


def test_unverified_rows_are_flagged() -> None:
    rates = money.exchange_rates().set_index("year")
    # docs/sources.md#bok-ecos-fx marks 2016, 2017, 2022 and 2023 as not confirmed
    assert set(rates.index[rates["unverified"] == "true"]) == {2016, 2017, 2022, 2023}
    assert rates["source"].str.len().min() > 10
    conv = money.conversion(
        "USD", 2022, table_currency="KRW", table_price_year=2020, table_region="KOR", unit=1e6
    )
    assert conv.unverified and "unverified" in conv.describe()


def test_missing_years_name_the_fix() -> None:
    with pytest.raises(ScenarioError, match="exchange_rate_year"):
        money.exchange_rate("USD", "KRW", 2031)
    with pytest.raises(ScenarioError, match="price_factor"):
        money.conversion(
            "USD",
            2025,
            table_currency="KRW",
            table_price_year=2020,
            table_region="KOR",
            unit=1e6,
            price_index="ppi",
        )


def test_profiles_by_hand() -> None:
    years, w = profile_weights("even", 2025, 2028)
    assert list(years) == [2025, 2026, 2027, 2028] and np.allclose(w, 0.25)
    _, w = profile_weights("front-loaded", 2025, 2027)
    assert np.allclose(w, [3 / 6, 2 / 6, 1 / 6])
    _, w = profile_weights("back-loaded", 2025, 2027)
    assert np.allclose(w, [1 / 6, 2 / 6, 3 / 6])
    _, w = profile_weights("s-curve", 2025, 2029)
    assert np.isclose(w.sum(), 1.0) and np.allclose(w, w[::-1])  # symmetric about the middle
    assert w[2] > w[1] > w[0]
    _, w = profile_weights({2026: 0.7, 2025: 0.3}, 2025, 2027)
    assert np.allclose(w, [0.3, 0.7, 0.0])


@given(
    st.integers(1, 15),
    st.sampled_from(["even", "front-loaded", "back-loaded", "s-curve"]),
    st.floats(-3, 3, allow_nan=False),
)
def test_profiles_sum_to_one_and_shifts_preserve_the_sum(n: int, kind: str, delay: float) -> None:
    years, w = profile_weights(kind, 2030, 2030 + n - 1)
    assert np.isclose(w.sum(), 1.0, rtol=0, atol=1e-12) and (w >= 0).all()
    y2, w2 = shift_profile(years, w, delay)
    assert np.isclose(w2.sum(), 1.0, rtol=0, atol=1e-12)
    assert y2.size == w2.size and np.all(np.diff(y2) == 1)


def test_table_local_shares_by_hand() -> None:
    shares, basis = table_local_shares(TABLE, "gfcf_private")
    assert dict(zip(TABLE.sectors, shares, strict=True)) == pytest.approx(LOCAL)
    assert "all domestic use" in basis[0] and "gfcf_private" in basis[1]


def test_a_table_without_imports_by_product_is_all_domestic() -> None:
    t = ims.IOTable.from_arrays(
        np.array([[1.0, 2.0], [3.0, 4.0]]),
        np.array([[5.0], [6.0]]),
        np.array([[3.0, 5.0]]),
        imports=np.array([1.0, 2.0]),
    )
    shares, basis = table_local_shares(t, "gfcf_private")
    assert np.all(shares == 1.0) and "no imports" in basis[0]


def test_shocks_by_hand() -> None:
    sc = ims.Scenario.from_dict(scenario_dict())
    sh = ims.translate(sc, table=TABLE)
    f = 1422.2 * 100 / 114.7 / 1e6  # table units per USD 2025
    a = 1.0e8 * f
    # equipment 0.5 (E 0.8, G 0.2), building 0.3 (C), services 0.15 (S, local 0.9), land 0.05
    dom = {
        "G": a * 0.5 * 0.2 * LOCAL["G"],
        "E": a * 0.5 * 0.8 * LOCAL["E"],
        "C": a * 0.3,
        "S": a * 0.15 * 0.9,
    }
    frame = sh.frame[sh.frame["phase"] == "construction"]
    by_sector = frame.groupby("sector")["amount"].sum()
    assert by_sector.to_dict() == pytest.approx(dom, rel=1e-12)
    # front-loaded over 3 years: 3/6, 2/6, 1/6
    by_year = frame.groupby("year")["amount"].sum()
    assert by_year.to_numpy() == pytest.approx(np.array([3, 2, 1]) / 6 * sum(dom.values()))
    ops = sh.frame[sh.frame["phase"] == "operations"]
    assert ops.groupby("year")["amount"].sum().to_numpy() == pytest.approx(
        2.0e7 * f * np.array([0.5, 1.0, 1.0])
    )
    led = sh.ledger.set_index("phase")
    assert led.loc["construction", "excluded"] == pytest.approx(a * 0.05)


@st.composite
def scenarios(draw: st.DrawFn) -> dict:
    weights = draw(st.lists(st.floats(0.01, 1.0), min_size=4, max_size=4))
    shares = [w / sum(weights) for w in weights]
    pat = inline_pattern()
    for (_, cat), s in zip(pat["categories"].items(), shares, strict=True):
        cat["share"] = s
    split = draw(st.floats(0.0, 1.0))
    pat["categories"]["equipment"]["sectors"]["toy"] = {"E": split, "G": 1.0 - split}
    start = draw(st.integers(2015, 2030))
    n = draw(st.integers(1, 8))
    doc = scenario_dict(
        currency=draw(st.sampled_from(["USD", "KRW"])),
        price_year=draw(st.sampled_from(sorted(DEFLATOR))),
    )
    con = doc["investments"][0]["construction"]
    con["amount"] = draw(st.floats(0.0, 1e13, allow_nan=False))
    con["period"] = [start, start + n - 1]
    con["profile"] = draw(st.sampled_from(["even", "front-loaded", "back-loaded", "s-curve"]))
    con["pattern"] = pat
    con["local_share"] = {"services": draw(st.floats(0.0, 1.0))}
    con["delay_years"] = draw(st.floats(-2.0, 2.0))
    ops = doc["investments"][0]["operations"]
    ops["annual_amount"] = draw(st.floats(0.0, 1e12, allow_nan=False))
    ops["ramp"] = {2028: draw(st.floats(0.0, 1.0))}
    regions = draw(st.booleans())
    if regions:
        doc["investments"][0]["region"] = "KOR"
    return doc


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_translation_is_exact_and_the_audit_accounts_for_every_unit(doc: dict) -> None:
    sc = ims.Scenario.from_dict(doc)
    sh = ims.translate(sc, table=TABLE)
    audit = sh.audit
    fx = FX[sc.price_year] if sc.currency == "USD" else 1.0
    factor = fx * 100.0 / DEFLATOR[sc.price_year] / 1e6  # by hand from docs/sources.md
    for plan in sh.plans:
        part = audit[(audit["investment"] == plan.investment) & (audit["phase"] == plan.phase)]
        stated = plan.amount * plan.weights.sum()
        # every unit of the announced currency is in the audit ...
        assert part["amount_currency"].sum() == pytest.approx(stated, rel=1e-9, abs=1e-6)
        # ... converted at the stated rate and price factor ...
        assert part["table_units"].sum() == pytest.approx(stated * factor, rel=1e-9, abs=1e-9)
        # ... and split without loss into domestic, imported and excluded
        rows = part["domestic"] + part["imported"] + part["excluded"]
        assert np.allclose(rows, part["table_units"], rtol=1e-12, atol=1e-12)
        # the shock columns of this plan add up to its domestic spending
        cols = list(sh.plan_columns[sh.plans.index(plan)])
        assert sh.matrix[:, cols].sum() == pytest.approx(part["domestic"].sum(), rel=1e-9, abs=1e-9)
    assert sh.matrix.sum() == pytest.approx(audit["domestic"].sum(), rel=1e-9, abs=1e-9)
    assert (sh.matrix >= 0).all()
    assert sh.frame["amount"].sum() == pytest.approx(sh.matrix.sum(), rel=1e-12, abs=1e-12)
    led = sh.ledger
    assert np.allclose(
        led["domestic"] + led["imported"] + led["excluded"],
        led["table_units"],
        rtol=1e-12,
        atol=1e-9,
    )


def test_scenario_region_outside_a_single_region_table() -> None:
    doc = scenario_dict()
    doc["investments"][0]["region"] = "USA"
    sc = ims.Scenario.from_dict(doc)
    with pytest.raises(ScenarioError, match=r"region 'USA' .*multi-region table"):
        ims.translate(sc, table=TABLE)


def test_region_shares_split_the_amount() -> None:
    t = synthetic_table(region="")
    doc = scenario_dict()
    doc["investments"][0]["regions"] = {"A": 0.25, "B": 0.75}
    plans = plan_scenario(ims.Scenario.from_dict(doc), NationalSourcing(t))
    units = {(p.phase, p.region): p.domestic_vector().sum() for p in plans}
    assert units["construction", "B"] == pytest.approx(3 * units["construction", "A"])
    assert units["operations", "B"] == pytest.approx(3 * units["operations", "A"])


def test_a_pattern_file_next_to_the_scenario_translates_like_the_inline_pattern(tmp_path) -> None:
    import yaml

    (tmp_path / "patterns").mkdir()
    (tmp_path / "patterns" / "toy.yaml").write_text(yaml.safe_dump(inline_pattern()), "utf-8")
    doc = scenario_dict()
    doc["investments"][0]["construction"]["pattern"] = "patterns/toy.yaml"
    path = tmp_path / "toy.yaml"
    path.write_text(yaml.safe_dump(doc), "utf-8")
    from_file = ims.translate(ims.Scenario.from_yaml(path), table=TABLE)
    inline = ims.translate(ims.Scenario.from_dict(scenario_dict()), table=TABLE)
    assert np.array_equal(from_file.matrix, inline.matrix)
    assert from_file.plans[0].pattern == "toy-capex@1"
