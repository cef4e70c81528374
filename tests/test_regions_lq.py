"""Location-quotient regionalisation (SLQ, CILQ, FLQ) on a hand-calculated three-sector table,
plus hypothesis properties: regional coefficients and multipliers never exceed national ones.

Hand calculation. Regional employment E_r = (10, 30, 60), national E_n = (200, 300, 500), so the
regional shares are s = (0.05, 0.10, 0.12), E_r/E_n = 0.1 and SLQ = s / 0.1 = (0.5, 1.0, 1.2).
CILQ_ij = SLQ_i / SLQ_j with SLQ_i on the diagonal; FLQ = CILQ · λ*, λ* = log₂(1.1)^0.3.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.regional import compare_multipliers, flq_lambda, location_quotients, regionalize

SECTORS = ["s1", "s2", "s3"]
A = np.array([[0.10, 0.20, 0.05], [0.15, 0.05, 0.30], [0.05, 0.10, 0.10]])
X = np.array([100.0, 200.0, 300.0])
M = np.array([0.10, 0.05, 0.10])  # imported inputs per unit of output
E_R = pd.Series([10.0, 30.0, 60.0], index=SECTORS)
E_N = pd.Series([200.0, 300.0, 500.0], index=SECTORS)
LAM = math.log2(1.1) ** 0.3
SLQ = np.array([0.5, 1.0, 1.2])
CILQ = np.array([[0.5, 0.5, 0.5 / 1.2], [2.0, 1.0, 1 / 1.2], [2.4, 1.2, 1.2]])


def national(a: np.ndarray = A, x: np.ndarray = X, m: np.ndarray = M, **kw) -> ims.IOTable:
    """A table with A, x, imports m x, value added split half compensation / half surplus,
    final demand = x − Z1 split into households (40 %) and other, employment (50, 40, 30)."""
    z = a * x
    va = (1 - a.sum(axis=0) - m) * x
    y = x - z.sum(axis=1)
    emp = kw.pop("employment", np.array([50.0, 40.0, 30.0])[: len(x)])
    sectors = kw.pop("sectors", SECTORS[: len(x)])
    return ims.IOTable.from_arrays(
        z,
        np.column_stack([0.4 * y, 0.6 * y]),
        np.vstack([0.5 * va, 0.5 * va]),
        sectors=sectors,
        final_demand_categories=["households", "other"],
        value_added_components=["compensation", "operating_surplus"],
        imports=m * x,
        employment=emp,
        output=x,
        name="hand",
        currency="USD",
        unit=1e6,
        **kw,
    )


def test_flq_lambda_formula() -> None:
    assert flq_lambda(100, 1000, delta=0.3) == pytest.approx(LAM)
    assert flq_lambda(100, 1000, delta=0.0) == 1.0
    assert flq_lambda(1000, 1000, delta=0.3) == 1.0  # the whole nation: no adjustment
    with pytest.raises(ims.OptionError, match="δ"):
        flq_lambda(100, 1000, delta=1.2)


def test_location_quotient_matrices_by_hand() -> None:
    slq = location_quotients(E_R, E_N, method="slq")
    np.testing.assert_allclose(slq.to_numpy(), np.repeat(SLQ[:, None], 3, axis=1))
    np.testing.assert_allclose(location_quotients(E_R, E_N, method="cilq").to_numpy(), CILQ)
    flq = location_quotients(E_R, E_N, method="flq", delta=0.3)
    np.testing.assert_allclose(flq.to_numpy(), CILQ * LAM)
    assert list(flq.index) == SECTORS


@pytest.mark.parametrize(
    ("method", "q"),
    [
        ("slq", np.array([[0.5, 0.5, 0.5], [1, 1, 1], [1, 1, 1]])),
        ("cilq", np.array([[0.5, 0.5, 0.5 / 1.2], [1, 1, 1 / 1.2], [1, 1, 1]])),
        (
            "flq",
            np.array(
                [
                    [0.5 * LAM, 0.5 * LAM, 0.5 / 1.2 * LAM],
                    [1.0, LAM, LAM / 1.2],  # 2λ* = 1.10 > 1 is capped
                    [1.0, 1.2 * LAM, 1.2 * LAM],
                ]
            ),
        ),
    ],
)
def test_regionalize_by_hand(method: str, q: np.ndarray) -> None:
    nat = national()
    reg = regionalize(nat, "R", method=method, regional=E_R, national=E_N)
    r = ims.LeontiefModel(reg).a
    np.testing.assert_allclose(r, A * q, rtol=1e-12)
    np.testing.assert_allclose(reg.x, [5.0, 20.0, 36.0])  # x_n · s
    # Inputs no longer bought locally join the import row: (m + Σ_i (a_ij − r_ij)) x_r.
    np.testing.assert_allclose(reg.import_row, (M + (A - A * q).sum(axis=0)) * reg.x)
    # Per-unit value added, income and jobs are the nation's.
    np.testing.assert_allclose(reg.va / reg.x, nat.va / nat.x)
    np.testing.assert_allclose(reg.employment / reg.x, nat.employment / nat.x)
    # Household column: national h_c times min(SLQ_i [· λ*], 1), per unit of regional income.
    hq = np.minimum(SLQ * (LAM if method == "flq" else 1.0), 1.0)
    closure = ims.HouseholdClosure.from_table(reg)
    base = ims.HouseholdClosure.from_table(nat)
    np.testing.assert_allclose(closure.consumption, base.consumption * hq, rtol=1e-12)
    np.testing.assert_allclose(closure.income, base.income, rtol=1e-12)
    assert reg.meta.region == "R" and reg.meta.currency == "USD"
    info = reg.meta.provenance["regionalisation"]
    assert info["method"] == method.upper()
    assert info["regional_share_of_national_total"] == pytest.approx(0.1)
    assert reg.sector_info["slq"].tolist() == pytest.approx(SLQ.tolist())


def test_regional_multipliers_type_one_and_two_below_national() -> None:
    nat = national()
    reg = regionalize(nat, "R", method="flq", regional=E_R, national=E_N)
    for induced in (False, True):
        for measure in ("output", "value_added", "income", "employment"):
            c = compare_multipliers(nat, reg, measure=measure, induced=induced)
            assert (c["ratio"] <= 1 + 1e-12).all() and (c["ratio"] > 0).all()
    t2 = compare_multipliers(nat, reg, induced=True)
    t1 = compare_multipliers(nat, reg)
    assert (t2["regional"] >= t1["regional"]).all()  # Type II ≥ Type I


def test_concordance_groups_and_all_industry_fallback() -> None:
    nat = national()
    groups = pd.Series({"G1": 40.0, "G2": 60.0})
    nat_groups = pd.Series({"G1": 500.0, "G2": 500.0})
    reg = regionalize(
        nat,
        "R",
        method="slq",
        regional=groups,
        national=nat_groups,
        concordance={"s1": "G1", "s2": "G2", "s3": "*"},
    )
    # s = (0.08, 0.12, overall 0.1); SLQ = (0.8, 1.2, 1.0).
    np.testing.assert_allclose(reg.x, X * np.array([0.08, 0.12, 0.10]))
    np.testing.assert_allclose(ims.LeontiefModel(reg).a, A * np.array([[0.8], [1.0], [1.0]]))


def test_sector_without_regional_activity_is_dropped() -> None:
    nat = national()
    reg = regionalize(nat, "R", method="cilq", regional=E_R.mul([0, 1, 1]), national=E_N)
    assert list(reg.sectors) == ["s2", "s3"]
    assert "s1" in reg.meta.provenance["regionalisation"]["dropped_sectors"]


def test_default_national_is_the_table_satellite() -> None:
    nat = national()
    reg = regionalize(nat, "R", method="slq", regional=pd.Series([5.0, 4.0, 3.0], index=SECTORS))
    np.testing.assert_allclose(reg.x, X * 0.1)  # regional jobs are 10 % of (50, 40, 30)
    by_output = regionalize(
        nat, "R", method="slq", regional=pd.Series(X * 0.2, index=SECTORS), basis="output"
    )
    np.testing.assert_allclose(by_output.x, X * 0.2)


def test_bad_inputs_give_clear_errors() -> None:
    nat = national()
    with pytest.raises(ims.OptionError, match="method"):
        regionalize(nat, "R", method="lq", regional=E_R, national=E_N)  # type: ignore[arg-type]
    with pytest.raises(ims.OptionError, match="basis"):
        regionalize(nat, "R", regional=E_R, national=E_N, basis="sales")  # type: ignore[arg-type]
    with pytest.raises(ims.TableError, match="exceeds the national"):
        regionalize(nat, "R", regional=E_R * 100, national=E_N)
    with pytest.raises(ims.TableError, match="no value for sector"):
        regionalize(nat, "R", regional=E_R.drop("s3"), national=E_N)
    with pytest.raises(ims.TableError, match="finite values"):
        regionalize(nat, "R", regional=E_R.replace(10.0, -1.0), national=E_N)
    with pytest.raises(ims.TableError, match="not a Korean province"):
        regionalize(nat, "Atlantis")
    with pytest.raises(ims.TableError, match="Bank of Korea product"):
        regionalize(nat, "Incheon")


@st.composite
def national_and_regional(draw: st.DrawFn) -> tuple[ims.IOTable, pd.Series, pd.Series]:
    n = draw(st.integers(2, 7))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    a = rng.uniform(0, 1, (n, n)) * (rng.uniform(0, 1, (n, n)) < 0.8)
    a *= rng.uniform(0.2, 0.8) / np.maximum(a.sum(axis=0), 1e-9)
    m = rng.uniform(0, 0.15, n)
    # Positive final demand y, output x = (I − A)⁻¹ y, so household demand is positive too.
    x = np.linalg.solve(np.eye(n) - a, rng.uniform(1, 100, n))
    sectors = [f"p{i}" for i in range(n)]
    nat_emp = pd.Series(rng.uniform(10, 1000, n), index=sectors)
    share = rng.uniform(0, 1, n) * (rng.uniform(0, 1, n) < 0.9)
    share[rng.integers(n)] = max(share.max(), 0.05)
    reg_emp = nat_emp * share
    table = national(a, x, m, employment=nat_emp.to_numpy(), sectors=sectors)
    return table, reg_emp, nat_emp


@settings(max_examples=40, deadline=None)
@given(national_and_regional(), st.sampled_from(["slq", "cilq", "flq"]), st.floats(0.0, 0.95))
def test_property_regional_never_exceeds_national(case, method: str, delta: float) -> None:
    nat, reg_emp, nat_emp = case
    reg = regionalize(nat, "R", method=method, delta=delta, regional=reg_emp, national=nat_emp)
    keep = [nat.sector_position(s) for s in reg.sectors]
    a_n = ims.LeontiefModel(nat).a[np.ix_(keep, keep)]
    a_r = ims.LeontiefModel(reg).a
    assert np.all(a_r <= a_n * (1 + 1e-12) + 1e-15)
    assert np.all(a_r >= 0)
    for induced in (False, True):
        mult_n = ims.LeontiefModel(nat).multipliers(induced=induced).loc[reg.sectors]
        mult_r = ims.LeontiefModel(reg).multipliers(induced=induced)
        for measure in ("output", "value_added", "income", "employment"):
            assert np.all(mult_r[measure] <= mult_n[measure] * (1 + 1e-9) + 1e-12), measure
    # Columns still balance: local inputs + outside purchases + value added = output.
    assert np.abs(reg.balance()["column_relative"]).max() < 1e-9
