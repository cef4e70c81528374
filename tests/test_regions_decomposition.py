"""Intra-regional / feedback / spillover decomposition (Miller & Blair 2009, ch. 3; Round 1985).

Oracles: the parts add up to L (identity); for two regions the own-region block of L equals the
closed form ``(I − A_rr − A_rs (I − A_ss)⁻¹ A_sr)⁻¹`` and the feedback part equals the diagonal
blocks of Round's multiplicative form ``L = M3 M2 M1`` minus ``M1``; pymrio's published L for its
two-region test system gives the spillover blocks.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from _regions_support import L_PUB, mrio_systems, small_mrio
from impactsim.regional import PARTS, decompose_spillovers, multiplier_decomposition


def test_parts_add_up_to_the_leontief_inverse() -> None:
    t = small_mrio()
    mats = multiplier_decomposition(t)
    assert set(mats) == set(PARTS)
    total = sum(m.to_numpy() for m in mats.values())
    np.testing.assert_allclose(total, L_PUB, rtol=1e-12, atol=1e-14)
    # Spillover blocks are exactly pymrio's published off-diagonal blocks of L.
    spill = mats["spillover"].to_numpy()
    np.testing.assert_allclose(spill[:3, 3:], L_PUB[:3, 3:], rtol=1e-12)
    np.testing.assert_allclose(spill[:3, :3], 0.0)


def test_two_region_feedback_matches_the_closed_form_and_round() -> None:
    t = small_mrio()
    a = ims.LeontiefModel(t).a
    i3 = np.eye(3)
    a11, a12, a21, a22 = a[:3, :3], a[:3, 3:], a[3:, :3], a[3:, 3:]
    l11 = np.linalg.inv(i3 - a11 - a12 @ np.linalg.inv(i3 - a22) @ a21)
    mats = multiplier_decomposition(t)
    own = mats["intra_regional"].to_numpy()[:3, :3] + mats["feedback"].to_numpy()[:3, :3]
    np.testing.assert_allclose(own, l11, rtol=1e-12)
    np.testing.assert_allclose(mats["intra_regional"].to_numpy()[:3, :3], np.linalg.inv(i3 - a11))
    # Round (1985): M1 = L_D, A* = L_D A_O, M2 = I + A*, M3 = (I − A*²)⁻¹, L = M3 M2 M1.
    a_o = a.copy()
    a_o[:3, :3] = 0
    a_o[3:, 3:] = 0
    m1 = mats["intra_regional"].to_numpy()
    a_star = m1 @ a_o
    m2 = np.eye(6) + a_star
    m3 = np.linalg.inv(np.eye(6) - a_star @ a_star)
    np.testing.assert_allclose(m3 @ m2 @ m1, L_PUB, rtol=1e-10)
    round_feedback = (m3 - np.eye(6)) @ m2 @ m1
    fb = mats["feedback"].to_numpy()
    for blk in (slice(0, 3), slice(3, 6)):
        np.testing.assert_allclose(fb[blk, blk], round_feedback[blk, blk], atol=1e-12)
    assert np.all(fb >= -1e-15)


def test_decomposed_impact_by_region_with_value_added() -> None:
    t = small_mrio()
    d = decompose_spillovers(t, {("reg1", "sector2"): 2.0})
    by = d.by_region("output")
    assert list(by.columns) == [*PARTS, "total"]
    # Output in reg2 is spillover only; in reg1 there is none: 2 × column 2 of pymrio's L.
    assert by.loc["reg2", "intra_regional"] == 0.0
    assert by.loc["reg2", "spillover"] == pytest.approx(2 * L_PUB[3:, 1].sum(), rel=1e-12)
    assert by.loc["reg1", "spillover"] == pytest.approx(0.0, abs=1e-12)
    assert by.loc["reg1", "total"] == pytest.approx(2 * L_PUB[:3, 1].sum(), rel=1e-12)
    s = d.summary()
    # All value added of a closed two-region system: v'L = 1', so VA total = the demand.
    assert s.loc["total", "value_added"] == pytest.approx(2.0, rel=1e-12)
    tidy = d.to_frame()
    assert list(tidy.columns) == ["region", "sector", "part", "measure", "value", "unit"]
    assert set(tidy["part"]) == set(PARTS)
    assert tidy["value"].sum() == pytest.approx(d.values.sum())
    with pytest.raises(ims.OptionError):
        d.by_region("jobs")


def test_decomposition_needs_a_multiregion_table() -> None:
    t = ims.IOTable.from_arrays([[1.0, 0.0], [0.0, 1.0]], [[2.0], [3.0]], [[2.0, 3.0]])
    with pytest.raises(ims.TableError, match="multi-region"):
        decompose_spillovers(t, [1.0, 0.0])


@settings(max_examples=40, deadline=None)
@given(mrio_systems())
def test_property_intra_plus_spillover_plus_feedback_is_total(system) -> None:
    t, demand = system
    m = ims.LeontiefModel(t)
    d = decompose_spillovers(m, demand)
    total = m.effects(demand).sum(axis=0)  # direct + indirect
    np.testing.assert_allclose(d.values.sum(axis=0), total, rtol=1e-9, atol=1e-9)
    by = d.by_region("output")
    np.testing.assert_allclose(by[list(PARTS)].sum(axis=1), by["total"], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(by["total"].sum(), m.solve(demand).sum(), rtol=1e-9, atol=1e-9)
    # With non-negative coefficients and demand every part is non-negative.
    assert np.all(d.values >= -1e-9)


@settings(max_examples=20, deadline=None)
@given(mrio_systems(), st.floats(0.1, 10))
def test_property_decomposition_is_linear(system, scale: float) -> None:
    t, demand = system
    d1 = decompose_spillovers(t, demand)
    d2 = decompose_spillovers(t, scale * demand)
    np.testing.assert_allclose(d2.values, scale * d1.values, rtol=1e-9, atol=1e-9)
