"""Multi-region tables: pymrio's published two-region test system, aggregation, sourcing, by-region.

Oracle: pymrio's own test fixture ``td_small_MRIO`` (IndEcol/pymrio, ``tests/test_math.py``): two
regions × three sectors with published Z, Y, x, A, L and the Ghosh inverse G. The numbers below
are copied from that file, not from a run of impactsim.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import impactsim as ims
from _regions_support import A_PUB, G_PUB, L_PUB, REGIONS, X_PUB, Z, mrio_systems, small_mrio
from impactsim.regional import (
    APEC_WIOD,
    aggregate_regions,
    impact_by_region,
    is_multiregional,
    regions,
    source_demand,
    trade_shares,
)


def test_pymrio_small_two_region_system_x_a_l_ghosh() -> None:
    t = small_mrio()
    m = ims.LeontiefModel(t)
    np.testing.assert_allclose(t.x, X_PUB, rtol=0, atol=1e-12)
    np.testing.assert_allclose(m.a, A_PUB, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(m.leontief_inverse.to_numpy(), L_PUB, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ims.GhoshModel(t).ghosh_inverse.to_numpy(), G_PUB, atol=5e-9)
    assert is_multiregional(t)
    assert regions(t) == ("reg1", "reg2")


def test_single_region_table_is_refused_with_a_clear_error() -> None:
    t = ims.IOTable.from_arrays([[1.0, 0.0], [0.0, 1.0]], [[2.0], [3.0]], [[2.0, 3.0]])
    assert not is_multiregional(t)
    with pytest.raises(ims.TableError, match="multi-region table"):
        regions(t)
    imp = ims.LeontiefModel(t).impact([1.0, 0.0])
    with pytest.raises(ims.TableError, match="single-region"):
        impact_by_region(imp)


def test_impact_by_region_adds_up_and_splits_by_place() -> None:
    t = small_mrio()
    imp = ims.LeontiefModel(t).impact({("reg1", "sector1"): 1.0})
    by = impact_by_region(imp)
    assert list(by.index) == REGIONS
    np.testing.assert_allclose(by.sum().to_numpy(), imp.totals.sum(axis=0))
    # Output in each region is the column of L_PUB summed over that region's rows.
    np.testing.assert_allclose(by["output"], [L_PUB[:3, 0].sum(), L_PUB[3:, 0].sum()], rtol=1e-12)
    va = impact_by_region(imp, measure="value_added")
    assert list(va.columns) == ["direct", "indirect", "total"]
    # No imports in a closed MRIO: all value added stays in the system, v'L = 1'.
    assert va["total"].sum() == pytest.approx(1.0, rel=1e-12)
    with pytest.raises(ims.OptionError, match="measure"):
        impact_by_region(imp, measure="jobs")


def test_aggregate_regions_preserves_totals_and_turns_trade_into_intra_flows() -> None:
    t = small_mrio()
    one = aggregate_regions(t, {"reg1": "world", "reg2": "world"}, name="one-region")
    assert regions(one) == ("world",)
    # Z* = S Z Sᵀ by hand: sector1 row/col blocks summed over both regions.
    s = np.hstack([np.eye(3), np.eye(3)])
    np.testing.assert_allclose(one.z_domestic, s @ Z @ s.T)
    np.testing.assert_allclose(one.x, s @ X_PUB)
    assert one.y_domestic.shape == (3, 1)
    assert one.va.sum() == pytest.approx(t.va.sum())
    assert "reg1 + reg2" in one.meta.provenance["region_aggregation"]
    kept = aggregate_regions(t, keep=["reg2"], others="rest")
    assert regions(kept) == ("rest", "reg2")
    np.testing.assert_allclose(kept.z_domestic, t.z_domestic)
    with pytest.raises(ims.TableError, match="not in the table"):
        aggregate_regions(t, {"nowhere": "x"})


def test_apec_members_in_wiod() -> None:
    assert len(APEC_WIOD) == 10 and "KOR" in APEC_WIOD and "USA" in APEC_WIOD
    assert "RoW" not in APEC_WIOD


def test_trade_shares_and_sourcing_follow_final_demand_columns() -> None:
    t = small_mrio()
    sh = trade_shares(t, "reg1")
    # reg1 buys sector1 for final use: 14 from reg1, 5 from reg2 (column reg1 of Y).
    assert sh.loc["sector1", "reg1"] == pytest.approx(14 / 19)
    assert sh.loc["sector1", "reg2"] == pytest.approx(5 / 19)
    np.testing.assert_allclose(sh.sum(axis=1), 1.0)
    y = source_demand(t, {"sector3": 100.0}, region="reg2")
    assert y[("reg1", "sector3")] == pytest.approx(100 * 6 / 16)
    assert y[("reg2", "sector3")] == pytest.approx(100 * 10 / 16)
    assert y.sum() == pytest.approx(100.0)
    forced = source_demand(
        t,
        {"sector3": 10.0, ("reg2", "sector1"): 1.0},
        region="reg2",
        origins={"sector3": {"reg1": 1.0}},
    )
    assert forced[("reg1", "sector3")] == 10.0 and forced[("reg2", "sector1")] == 1.0
    with pytest.raises(ims.DemandError, match="add up to 1"):
        source_demand(t, {"sector3": 1.0}, region="reg2", origins={"sector3": {"reg1": 0.5}})
    with pytest.raises(ims.DemandError, match="not in table"):
        source_demand(t, {"sector3": 1.0}, region="reg9")
    with pytest.raises(ims.DemandError, match="did you mean"):
        source_demand(t, {"sector33": 1.0}, region="reg1")


@settings(max_examples=40, deadline=None)
@given(mrio_systems())
def test_property_sum_over_regions_equals_total(system: tuple[ims.IOTable, np.ndarray]) -> None:
    t, demand = system
    imp = ims.LeontiefModel(t).impact(demand)
    by = impact_by_region(imp)
    np.testing.assert_allclose(by.sum().to_numpy(), imp.totals.sum(axis=0), rtol=1e-10, atol=1e-9)
    merged = aggregate_regions(t, {r: "all" for r in regions(t)})
    # Merging every region keeps output, value added and final demand by product.
    by_product = pd.Series(t.x, index=t.sectors).groupby(level=1, sort=False).sum()
    np.testing.assert_allclose(merged.x, by_product.to_numpy(), rtol=1e-12)
    assert merged.va.sum() == pytest.approx(t.va.sum())
