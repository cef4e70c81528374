"""LeontiefModel, GhoshModel and Impact behaviour: the public API, immutability, labels, units.

Expected numbers are hand calculations on the toy table of ``conftest.py`` (shown inline) or
identities; oracle reproductions of published numbers are in ``test_engine_oracles.py``.
"""

from __future__ import annotations

import dataclasses
import tracemalloc

import numpy as np
import pandas as pd
import pytest

import impactsim as ims

# ------------------------------------------------------------------------------ table basics


def test_table_views_and_identities(toy_table: ims.IOTable) -> None:
    t = toy_table
    np.testing.assert_array_equal(t.x, [85.0, 90.0, 75.0])  # row sums of Z and Y
    assert list(t.flows.index) == ["agri", "manu", "serv"]
    assert list(t.final_demand.columns) == ["households", "exports"]
    assert list(t.value_added.index) == ["compensation", "operating_surplus"]
    np.testing.assert_array_equal(t.compensation, [30.0, 25.0, 20.0])
    assert t.employment is not None and t.employment["serv"] == 6.0
    assert t.meta.money_unit == "million EUR"
    bal = t.balance()
    assert np.all(bal[["row_residual", "column_residual"]].to_numpy() == 0.0)


def test_table_and_results_are_immutable(toy_table: ims.IOTable) -> None:
    with pytest.raises(ValueError, match="read-only"):
        toy_table.z_domestic[0, 0] = 1.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        toy_table.x = np.ones(3)  # type: ignore[misc]
    m = ims.LeontiefModel(toy_table)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.closure = None  # type: ignore[misc]
    for arr in (
        m.a,
        m.measure_coefficients,
        m.multiplier_matrix(),
        m.multiplier_matrix(induced=True),
    ):
        assert not arr.flags.writeable
    imp = m.impact({"agri": 10.0}, induced=True)
    assert not imp.values.flags.writeable and not imp.demand.flags.writeable
    with pytest.raises(TypeError):
        imp.units["output"] = "x"  # type: ignore[index]
    # Mutating a returned frame does not reach the model's cache.
    frame = m.multipliers()
    frame.iloc[0, 0] = -1.0
    assert m.multipliers().iloc[0, 0] != -1.0
    # Renaming a returned frame's axes does not reach the next one (label indexes are cached).
    frame.columns.name = "renamed"
    summary = imp.summary()
    summary.index.name = summary.columns.name = "renamed"
    assert m.multipliers().columns.name is None
    assert imp.summary().index.name == "effect" and imp.summary().columns.name is None
    with pytest.raises(ims.OptionError, match=r"by_sector.*use one of"):
        imp.by_sector("jobs")


def test_closure_is_keyword_only(toy_table: ims.IOTable) -> None:
    closure = ims.HouseholdClosure.from_table(toy_table)
    with pytest.raises(TypeError):
        ims.LeontiefModel(toy_table, closure)  # type: ignore[misc]


# ------------------------------------------------------------------------------ model numbers
def test_toy_coefficients_by_hand(toy_table: ims.IOTable) -> None:
    m = ims.LeontiefModel(toy_table)
    # a_ij = z_ij / x_j: column agri divides by 85, manu by 90, serv by 75.
    np.testing.assert_allclose(m.coefficients.loc["manu", "agri"], 15.0 / 85.0)
    np.testing.assert_allclose(m.coefficients.loc["agri", "manu"], 20.0 / 90.0)
    # Coefficient rows: value added 50/85, income 30/85, imports 5/85, employment 4/85 (agri).
    c = pd.DataFrame(m.measure_coefficients, index=list(m.measures), columns=toy_table.sectors)
    np.testing.assert_allclose(c["agri"], [1.0, 50 / 85, 30 / 85, 5 / 85, 4 / 85])
    assert m.measures == ("output", "value_added", "income", "imports", "employment")
    assert m.productivity.method == "row/column-sum bound"


def test_multiplier_frames(toy_table: ims.IOTable) -> None:
    m = ims.LeontiefModel(toy_table)
    t1 = m.multipliers()
    assert list(t1.columns) == list(m.measures)
    assert list(t1.index) == ["agri", "manu", "serv"]
    assert t1.attrs == {
        "units": {
            # units per unit of final demand (were the measure units alone)
            "output": "million EUR per million EUR of final demand",
            "value_added": "million EUR per million EUR of final demand",
            "income": "million EUR per million EUR of final demand",
            "imports": "million EUR per million EUR of final demand",
            "employment": "persons per million EUR of final demand",
        },
        "type": "I",
        "form": "total",
    }
    t2 = m.multipliers(induced=True)
    assert list(t2.columns) == [*m.measures, "household_income"]
    assert t2.attrs["type"] == "II" and t2.attrs["units"]["household_income"] == (
        "million EUR per million EUR of final demand")
    r = m.multipliers(form="ratio")
    # Output ratio multipliers equal output totals (the direct output coefficient is 1).
    np.testing.assert_allclose(r["output"], t1["output"])
    np.testing.assert_allclose(
        r["employment"] * np.array([4 / 85, 3 / 90, 6 / 75]), t1["employment"]
    )


def test_leakage_lowers_induced_effects(toy_table: ims.IOTable) -> None:
    base = ims.LeontiefModel(toy_table).impact({"manu": 10.0}, induced=True)
    leak = ims.LeontiefModel(
        toy_table, closure=ims.HouseholdClosure.from_table(toy_table, leakage=0.5)
    )
    less = leak.impact({"manu": 10.0}, induced=True)
    assert less["induced", "output"] < base["induced", "output"]
    assert less["indirect", "output"] == pytest.approx(base["indirect", "output"])
    # h_c = (1 − leakage) · households / Σ compensation = 0.5 · (30, 40, 25) / 75.
    _, hc, _ = leak.household_closure.arrays(toy_table.sectors)
    np.testing.assert_allclose(hc, 0.5 * np.array([30.0, 40.0, 25.0]) / 75.0)


def test_closure_given_as_labelled_series(toy_table: ims.IOTable) -> None:
    default = ims.HouseholdClosure.from_table(toy_table)
    hr, hc, hs = default.arrays(toy_table.sectors)
    order = ["serv", "agri", "manu"]
    shuffled = ims.HouseholdClosure(
        income=pd.Series(hr, index=toy_table.sectors)[order],
        consumption=pd.Series(hc, index=toy_table.sectors)[order],
        self_coefficient=hs,
    )
    a = ims.LeontiefModel(toy_table).multipliers(induced=True)
    b = ims.LeontiefModel(toy_table, closure=shuffled).multipliers(induced=True)
    pd.testing.assert_frame_equal(a, b)


def test_inverse_only_on_request_and_factorization_reused(toy_table: ims.IOTable) -> None:
    m = ims.LeontiefModel(toy_table)
    m.multipliers()
    m.impact({"agri": 1.0}, induced=True)
    fact = m.factorization
    m.multipliers(induced=True)
    assert m.factorization is fact
    assert m.closed_factorization.base is fact  # Type II borders the open LU
    inv = m.leontief_inverse.to_numpy()
    np.testing.assert_allclose(inv, np.linalg.inv(np.eye(3) - m.a), atol=1e-14)


def test_no_inverse_allocated_for_multipliers_and_impact() -> None:
    """Peak memory for the model, every multiplier and an impact stays near one n × n array
    (the LU factors) plus the cached coefficients; an explicit inverse would add another."""
    n = 400
    rng = np.random.default_rng(3)
    x = rng.uniform(1.0, 2.0, n) * 100
    z = rng.uniform(0.0, 1.0, (n, n)) / n * x
    y = x - z.sum(axis=1)
    va = x - z.sum(axis=0)
    t = ims.IOTable.from_arrays(
        z,
        np.column_stack([0.5 * y, 0.5 * y]),
        np.vstack([0.5 * va, 0.5 * va]),
        final_demand_categories=["households", "exports"],
        value_added_components=["compensation", "other"],
        employment=x / 100,
        output=x,
    )
    tracemalloc.start()
    try:
        m = ims.LeontiefModel(t)
        m.multipliers()
        m.multipliers(induced=True, form="ratio")
        m.impact({"S1": 1.0}, induced=True).summary()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * 8 * n * n, f"peak {peak / (8 * n * n):.2f} n×n arrays"


# ------------------------------------------------------------------------------ impact
def test_impact_summary_layout_and_units(toy_table: ims.IOTable) -> None:
    m = ims.LeontiefModel(toy_table)
    imp = m.impact({"manu": 10.0, "serv": 5.0}, induced=True)
    s = imp.summary()
    assert list(s.index) == ["direct", "indirect", "induced", "total"]
    assert s.index.name == "effect"
    assert list(s.columns) == ["employment", "income", "value_added", "output", "imports"]
    assert s.attrs["units"]["employment"] == "persons"
    assert s.attrs["units"]["output"] == "million EUR"
    # Direct effects: the shock and its own coefficients (hand calculation).
    assert s.loc["direct", "output"] == pytest.approx(15.0)
    assert s.loc["direct", "income"] == pytest.approx(10 * 25 / 90 + 5 * 20 / 75)
    assert s.loc["direct", "employment"] == pytest.approx(10 * 3 / 90 + 5 * 6 / 75)
    assert imp["total", "output"] == pytest.approx(s.loc["total", "output"])
    np.testing.assert_array_equal(imp.demand, [0.0, 10.0, 5.0])


def test_impact_tidy_frame(toy_table: ims.IOTable) -> None:
    imp = ims.LeontiefModel(toy_table).impact({"agri": 2.0}, induced=True)
    f = imp.to_frame()
    assert list(f.columns) == ["sector", "effect", "measure", "value", "unit"]
    assert len(f) == 3 * 5 * 3  # effects × measures × sectors
    assert set(f["effect"]) == {"direct", "indirect", "induced"}
    per_measure = f.groupby("measure")["value"].sum()
    s = imp.summary()
    for measure in s.columns:
        assert per_measure[measure] == pytest.approx(s.loc["total", measure])
    by = imp.by_sector("employment")
    assert list(by.columns) == ["direct", "indirect", "induced", "total"]
    assert by["total"].abs().is_monotonic_decreasing


def test_impact_repr_states_money_unit(toy_table: ims.IOTable) -> None:
    imp = ims.LeontiefModel(toy_table).impact({"agri": 2.0})
    assert "money in million EUR" in repr(imp)
    assert "Impact on toy, 2020" in imp._repr_html_()


def test_demand_as_series_and_array_agree(toy_table: ims.IOTable) -> None:
    m = ims.LeontiefModel(toy_table)
    a = m.impact(pd.Series({"serv": 3.0, "agri": 1.0})).values
    b = m.impact(np.array([1.0, 0.0, 3.0])).values
    c = m.impact({"agri": 1.0, "serv": 3.0}).values
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(b, c)


def test_multiindex_sectors(toy_kwargs: dict) -> None:
    kw = dict(toy_kwargs)
    kw["sectors"] = pd.MultiIndex.from_product([["KOR"], kw["sectors"]], names=["region", "sector"])
    t = ims.IOTable.from_arrays(
        kw.pop("flows"), kw.pop("final_demand"), kw.pop("value_added"), **kw
    )
    m = ims.LeontiefModel(t)
    imp = m.impact({("KOR", "manu"): 1.0}, induced=True)
    assert imp.summary().loc["direct", "output"] == 1.0
    assert m.closed_leontief_inverse.index[-1] == ("households", "")
    with pytest.raises(ims.DemandError, match="several sectors"):
        m.impact({"KOR": 1.0})


def test_net_product_taxes_are_not_value_added(toy_kwargs: dict) -> None:
    kw = dict(toy_kwargs)
    va = np.array(kw["value_added"])
    taxes = np.array([2.0, 3.0, 1.0])
    va[1] -= taxes  # part of operating surplus becomes product taxes; the columns still balance
    kw["value_added"] = np.vstack([va, taxes])
    kw["value_added_components"] = ["compensation", "operating_surplus", "net_product_taxes"]
    t = ims.IOTable.from_arrays(
        kw.pop("flows"), kw.pop("final_demand"), kw.pop("value_added"), **kw
    )
    m = ims.LeontiefModel(t)
    assert m.measures == (
        "output",
        "value_added",
        "income",
        "imports",
        "net_product_taxes",
        "employment",
    )
    c = m.measure_coefficients
    np.testing.assert_allclose(c[1], (va.sum(axis=0)) / t.x)  # GVA without the taxes
    mult = m.multipliers()
    np.testing.assert_allclose(
        mult["value_added"] + mult["imports"] + mult["net_product_taxes"], 1.0
    )


# ------------------------------------------------------------------------------ Ghosh
def test_ghosh_model(toy_table: ims.IOTable) -> None:
    g = ims.GhoshModel(toy_table)
    b = g.allocation
    # b_ij = z_ij / x_i: row manu divides by 90.
    assert b.loc["manu", "agri"] == pytest.approx(15.0 / 90.0)
    gi = g.ghosh_inverse.to_numpy()
    np.testing.assert_allclose(gi, np.linalg.inv(np.eye(3) - b.to_numpy()), atol=1e-14)
    fl = g.forward_linkages()
    np.testing.assert_allclose(fl, gi.sum(axis=1))
    dx = g.impact({"agri": 1.0})
    np.testing.assert_allclose(dx, gi[0], atol=1e-14)  # Δx' = Δv' G: row of G
    assert "caveat" in (ims.GhoshModel.__doc__ or "").lower() or "forecast" in (
        ims.GhoshModel.__doc__ or ""
    )


def test_negative_household_purchases_are_kept(toy_table: ims.IOTable) -> None:
    """Households' net sales (negative consumption, as BOK records scrap) are allowed; the
    closed model still matches an explicit inverse of the bordered matrix."""
    hr = np.asarray(toy_table.compensation) / toy_table.x
    closure = ims.HouseholdClosure(income=hr, consumption=[0.3, -0.05, 0.4])
    m = ims.LeontiefModel(toy_table, closure=closure)
    big = m.closed_coefficients.to_numpy()
    assert big[1, 3] == -0.05
    ref = np.linalg.inv(np.eye(4) - big)
    np.testing.assert_allclose(m.closed_leontief_inverse.to_numpy(), ref, atol=1e-13)
    np.testing.assert_allclose(m.multipliers(induced=True)["output"], ref[:3, :3].sum(axis=0))
