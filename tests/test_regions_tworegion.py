"""Two-region (province + rest of the nation) tables built from a national one: a hand-computed
oracle, the exact aggregation to the national model (hypothesis), and the k-group household
closure against a dense solve."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.engine.households import GroupClosedModel, HouseholdGroups
from impactsim.regional import decompose_spillovers, regions
from impactsim.regional.tworegion import (
    purchase_coefficients,
    regional_households,
    stack_tables,
    two_region_model,
    two_region_table,
)


def national_2x2() -> ims.IOTable:
    """A 2-sector national table: Z_d = [[20, 30], [10, 40]], x = (100, 200), so
    A = [[0.2, 0.15], [0.1, 0.2]]; imports (10, 30); compensation (40, 50), surplus (20, 50);
    households buy (20, 60), other final demand (30, 90); employment (100, 300)."""
    return ims.IOTable.from_arrays(
        np.array([[20.0, 30.0], [10.0, 40.0]]),
        np.array([[20.0, 30.0], [60.0, 90.0]]),
        np.array([[40.0, 50.0], [20.0, 50.0]]),
        sectors=["s1", "s2"],
        final_demand_categories=["households", "other"],
        value_added_components=["compensation", "operating_surplus"],
        imports=np.array([10.0, 30.0]),
        employment=np.array([100.0, 300.0]),
        name="nat2",
        region="N",
    )


def test_two_region_flq_oracle() -> None:
    # Region P employs (50, 50) of the nation's (100, 300): s = (0.5, 1/6), σ = 100/400 = 0.25.
    # P:  SLQ = s/σ = (2, 2/3); CILQ_12 = s1/s2 = 3, CILQ_21 = 1/3;
    #     λ*_P = log2(1.25)^0.3 = 0.321928^0.3 = 0.711750
    #     FLQ = [[2λ, 3λ], [λ/3, 2λ/3]] = [[1.423501, 2.135251], [0.237250, 0.474500]]
    #     A_PP = A ∘ min(FLQ, 1) = [[0.2, 0.15], [0.1·0.237250, 0.2·0.474500]]
    #          = [[0.2, 0.15], [0.023725, 0.094900]]
    #     A_RP = A − A_PP = [[0, 0], [0.076275, 0.105100]]
    # R:  s_R = (0.5, 5/6), σ_R = 0.75; SLQ_R = (2/3, 10/9); CILQ_R12 = 0.6, CILQ_R21 = 5/3;
    #     λ*_R = log2(1.75)^0.3 = 0.807355^0.3 = 0.937820
    #     FLQ_R = [[0.625213, 0.562692], [1.563033, 1.042022]]
    #     A_RR = [[0.2·0.625213, 0.15·0.562692], [0.1, 0.2]] = [[0.125043, 0.084404], [0.1, 0.2]]
    #     A_PR = A − A_RR = [[0.074957, 0.065596], [0, 0]]
    # Outputs x_P = (50, 33.3333), x_R = (50, 166.6667).
    nat = national_2x2()
    two = two_region_table(nat, "P", regional={"s1": 50.0, "s2": 50.0}, delta=0.3, rest="R")
    a = ims.LeontiefModel(two).coefficients.to_numpy()
    expected = np.array(
        [
            [0.2, 0.15, 0.074957, 0.065596],
            [0.023725, 0.094900, 0.0, 0.0],
            [0.0, 0.0, 0.125043, 0.084404],
            [0.076275, 0.105100, 0.1, 0.2],
        ]
    )
    np.testing.assert_allclose(a, expected, atol=5e-7)
    np.testing.assert_allclose(two.x, [50.0, 100 / 3, 50.0, 500 / 3], rtol=1e-12)
    assert two.meta.provenance["two_region"]["lambda_star"]["P"] == pytest.approx(
        math.log2(1.25) ** 0.3
    )
    # Households of P buy h_c = (20, 60)/90 per unit of income; P's income is
    # 0.4·50 + 0.25·33.333 = 28.3333; own-region share by the supply–demand pool
    # π_P = min(SLQ, 1) = (1, 2/3): P households buy (20/90·28.3333, 60/90·(2/3)·28.3333)
    # = (6.296296, 12.592593) in P and 60/90·(1/3)·28.3333 = 6.296296 of product 2 in R.
    y = pd.DataFrame(two.y_domestic, index=two.sectors, columns=two.final_demand_categories)
    np.testing.assert_allclose(y[("P", "households")].to_numpy()[:2], [6.296296, 12.592593],
                               rtol=1e-6)
    np.testing.assert_allclose(y[("P", "households")].to_numpy()[2:], [0.0, 6.296296],
                               rtol=1e-6)
    # As an industry (FLQ, final_demand="flq"): ρ_P = min(SLQ λ*, 1) = (1, 0.474500):
    # (20/90·28.3333, 60/90·0.4745·28.3333) = (6.296296, 8.962778) in P.
    flq = two_region_table(nat, "P", regional={"s1": 50.0, "s2": 50.0}, delta=0.3, rest="R",
                           final_demand="flq")
    y = pd.DataFrame(flq.y_domestic, index=flq.sectors, columns=flq.final_demand_categories)
    np.testing.assert_allclose(y[("P", "households")].to_numpy()[:2], [6.296296, 8.962778],
                               rtol=1e-6)
    np.testing.assert_allclose(y[("P", "households")].to_numpy()[2:], [0.0, 60 / 90 * 0.5255 *
                                                                      28.333333], rtol=1e-4)


def test_purchase_coefficients_are_the_final_demand_flq() -> None:
    # SLQ = (2, 2/3), λ* = 0.711750: ρ = (min(1.4235, 1), 0.474500)
    np.testing.assert_allclose(
        purchase_coefficients(np.array([0.5, 1 / 6]), 0.25), [1.0, 0.474500], atol=5e-7
    )


@st.composite
def national_tables(draw: st.DrawFn) -> tuple[ims.IOTable, dict[str, float]]:
    n = draw(st.integers(2, 5))
    f = st.floats(0.0, 1.0, allow_nan=False)
    raw = np.array(draw(st.lists(f, min_size=n * n, max_size=n * n))).reshape(n, n)
    scale = draw(st.floats(0.1, 0.7))
    a = raw / max(raw.sum(axis=0).max(), 1e-9) * scale
    x = np.array(draw(st.lists(st.floats(10.0, 1000.0), min_size=n, max_size=n)))
    z = a * x
    imp_share = np.array(draw(st.lists(st.floats(0.0, 0.2), min_size=n, max_size=n)))
    imports = imp_share * x
    va = x - z.sum(axis=0) - imports
    comp = va * 0.6
    y = x - z.sum(axis=1)
    hh = np.abs(y) * 0.4
    emp = np.array(draw(st.lists(st.floats(1.0, 100.0), min_size=n, max_size=n)))
    share = draw(st.lists(st.floats(0.01, 0.95), min_size=n, max_size=n))
    sectors = [f"s{i}" for i in range(n)]
    table = ims.IOTable.from_arrays(
        z, np.column_stack([hh, y - hh]), np.vstack([comp, va - comp]),
        sectors=sectors, final_demand_categories=["households", "other"],
        value_added_components=["compensation", "operating_surplus"], imports=imports,
        employment=emp, output=x, name="random", region="N",
    )
    regional = {s: float(e * sh) for s, e, sh in zip(sectors, emp, share, strict=True)}
    return table, regional


@settings(max_examples=40, deadline=None)
@given(
    national_tables(),
    st.floats(0.0, 0.5),
    st.integers(0, 2**31 - 1),
)
def test_two_regions_sum_exactly_to_the_nation(case, leakage: float, seed: int) -> None:
    nat, regional = case
    two = two_region_table(nat, "P", regional=regional, rest="R")
    n = nat.n
    rng = np.random.default_rng(seed)
    y = rng.random(n) * 100
    rho = rng.random(n)  # any split of the demand between the regions
    y2 = np.concatenate([y * rho, y * (1 - rho)])
    national = ims.LeontiefModel(nat, closure=ims.HouseholdClosure.from_table(nat, leakage=leakage))
    try:  # random tables can spend more than a unit of income per unit of income: no Type II
        national.effects(y, induced=True)
    except ims.NotProductiveError:
        assume(False)
    model = two_region_model(two, leakage=leakage)
    for induced in (False, True):
        e2 = model.effects(y2, induced=induced)
        en = national.effects(y, induced=induced)
        both = e2[:, :, :n] + e2[:, :, n:]
        np.testing.assert_allclose(both, en, rtol=1e-9, atol=1e-9 * np.abs(en).max())
        # With non-negative coefficients every effect of each region is at most the nation's.
        assert (e2[:, :, :n] <= en + 1e-9 * np.abs(en).max()).all()
        assert (e2[:, :, n:] <= en + 1e-9 * np.abs(en).max()).all()
    # Intra-regional + feedback + spillover = the Type I output, by region.
    dec = decompose_spillovers(model, y2)
    total = dec.values.sum(axis=0)
    np.testing.assert_allclose(total, model.effects(y2).sum(axis=0), rtol=1e-9, atol=1e-9)
    assert (dec.values[0] >= -1e-9).all()


def dense_closed(a: np.ndarray, hr: np.ndarray, hc: np.ndarray) -> np.ndarray:
    k = hr.shape[0]
    big = np.block([[a, hc], [hr, np.zeros((k, k))]])
    return np.linalg.inv(np.eye(big.shape[0]) - big)


@settings(max_examples=30, deadline=None)
@given(national_tables(), st.integers(0, 2**31 - 1))
def test_group_closure_matches_a_dense_inverse(case, seed: int) -> None:
    nat, _ = case
    n = nat.n
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 4))
    hr = rng.random((k, n)) * 0.3 / k
    hc = rng.random((n, k)) * 0.4 / n
    model = GroupClosedModel(nat, groups=HouseholdGroups(hr, hc, tuple(f"g{i}" for i in range(k))))
    inv = dense_closed(model.a, hr, hc)
    np.testing.assert_allclose(model.closed_factorization.inverse(), inv, rtol=1e-9, atol=1e-12)
    b = rng.random(n + k)
    np.testing.assert_allclose(model.closed_factorization.solve_transposed(b), inv.T @ b,
                               rtol=1e-9, atol=1e-12)
    c = model.measure_coefficients
    np.testing.assert_allclose(model.multiplier_matrix(induced=True), c @ inv[:n, :n],
                               rtol=1e-9, atol=1e-12)
    y = rng.random(n)
    np.testing.assert_allclose(model.solve(y, induced=True), inv[:n, :n] @ y, rtol=1e-9)


def test_one_group_is_the_ordinary_type_ii_model() -> None:
    nat = national_2x2()
    closure = ims.HouseholdClosure.from_table(nat, leakage=0.1)
    hr, hc, _ = closure.arrays(nat.sectors)
    one = GroupClosedModel(nat, groups=HouseholdGroups(hr[None, :], hc[:, None], ("all",)))
    ref = ims.LeontiefModel(nat, closure=closure)
    np.testing.assert_allclose(one.multiplier_matrix(induced=True),
                               ref.multiplier_matrix(induced=True), rtol=1e-12)
    np.testing.assert_allclose(one.effects(np.array([1.0, 2.0]), induced=True),
                               ref.effects(np.array([1.0, 2.0]), induced=True), rtol=1e-12)
    assert list(one.closed_coefficients.index[-1:]) == ["households all"]


def test_group_closure_refuses_a_non_productive_closure() -> None:
    nat = national_2x2()
    hr = np.full((2, 2), 0.9)
    hc = np.full((2, 2), 0.9)
    with pytest.raises(ims.NotProductiveError, match="spectral radius"):
        GroupClosedModel(nat, groups=HouseholdGroups(hr, hc, ("a", "b"))).solve(
            np.ones(2), induced=True
        )
    with pytest.raises(ims.ClosureError, match="shape"):
        GroupClosedModel(nat, groups=HouseholdGroups(hr[:1], hc, ("a", "b")))


def test_korean_province_two_region_table_and_stacking() -> None:
    korea = ims.load_table("korea-2020")
    inch = two_region_table(korea, "인천")
    assert inch.n == 2 * korea.n
    assert regions(inch) == ("Incheon", "Korea excl. Incheon")
    # National technology: each column of the two blocks adds up to the national coefficient.
    a2 = ims.LeontiefModel(inch).a
    n = korea.n
    a = ims.LeontiefModel(korea).a
    np.testing.assert_allclose(a2[:n, :n] + a2[n:, :n], a, atol=1e-12)
    np.testing.assert_allclose(a2[:n, n:] + a2[n:, n:], a, atol=1e-12)
    np.testing.assert_allclose(inch.x[:n] + inch.x[n:], korea.x, rtol=1e-12)
    both = stack_tables([inch, two_region_table(korea, "Gyeonggi")])
    assert both.n == 4 * n and len(regions(both)) == 4
    groups = regional_households(both)
    assert groups.names == regions(both)
    with pytest.raises(ims.TableError, match="appears in two tables"):
        stack_tables([inch, inch])
