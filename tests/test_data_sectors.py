"""Sector splits (disaggregate) and merges (aggregate): totals kept, multipliers as theory says."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import impactsim as ims
from _data_support import io_tables

RTOL = 1e-9


def totals(t: ims.IOTable) -> dict[str, np.ndarray]:
    """Economy-wide totals: output, value added by component, final demand by category,
    imports (intermediate and final), every satellite."""
    out = {
        "output": np.array([t.x.sum()]),
        "value_added": t.va.sum(axis=1),
        "final_demand": t.y_domestic.sum(axis=0),
        "imports": np.array([t.import_row.sum()]),
    }
    if t.y_imported is not None:
        out["final_demand_imports"] = t.y_imported.sum(axis=0)
    for k, v in t.sats.items():
        out[k] = np.array([v.sum()])
    return out


def assert_same_totals(a: ims.IOTable, b: ims.IOTable) -> None:
    ta, tb = totals(a), totals(b)
    assert ta.keys() == tb.keys()
    for k in ta:
        scale = max(float(np.abs(ta[k]).max(initial=0.0)), 1.0)
        np.testing.assert_allclose(tb[k], ta[k], rtol=RTOL, atol=RTOL * scale, err_msg=k)


@st.composite
def splits(draw: st.DrawFn, **kw):
    table = draw(io_tables(**kw))
    p = draw(st.integers(0, table.n - 1))
    parts = draw(st.integers(2, 3))
    raw = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=parts, max_size=parts)))
    w = raw / raw.sum()
    w[-1] = 1.0 - w[:-1].sum()
    parent = table.sectors[p]
    if isinstance(parent, tuple):
        labels = [(*parent[:-1], f"{parent[-1]}#{i}") for i in range(parts)]
    else:
        labels = [f"{parent}#{i}" for i in range(parts)]
    return table, parent, dict(zip(labels, w.tolist(), strict=True))


@settings(max_examples=60, deadline=None)
@given(case=splits())
def test_parent_technology_split_keeps_totals_and_multipliers(case) -> None:
    table, parent, into = case
    new = ims.disaggregate(table, parent, into, source="test")
    assert new.n == table.n + len(into) - 1
    assert_same_totals(table, new)
    # rows by output shares
    p = table.sector_position(parent)
    for lab, w in into.items():
        j = new.sector_position(lab)
        assert new.x[j] == pytest.approx(w * table.x[p], rel=RTOL)
        np.testing.assert_allclose(
            new.y_domestic[j], w * table.y_domestic[p], rtol=RTOL, atol=1e-12
        )
    # multipliers: parts = parent, every other sector unchanged (Type I and Type II)
    for induced in (False, True):
        # a strong leakage keeps the random households-closed models productive
        old_c = ims.HouseholdClosure.from_table(table, leakage=0.9)
        new_c = ims.HouseholdClosure.from_table(new, leakage=0.9)
        old_m = ims.LeontiefModel(table, closure=old_c).multipliers(induced=induced)
        new_m = ims.LeontiefModel(new, closure=new_c).multipliers(induced=induced)
        others = [s for s in table.sectors if s != parent]
        np.testing.assert_allclose(
            new_m.loc[others].to_numpy(), old_m.loc[others].to_numpy(), rtol=1e-9, atol=1e-12
        )
        for lab in into:
            np.testing.assert_allclose(
                new_m.loc[[lab]].to_numpy()[0],
                old_m.loc[[parent]].to_numpy()[0],
                rtol=1e-9,
                atol=1e-12,
            )
    # merging the parts back gives the original table
    back = ims.aggregate(new, {s: (parent if s in into else s) for s in new.sectors})
    assert back.sectors.equals(table.sectors)
    for name in ("z_domestic", "y_domestic", "va", "import_row", "x"):
        np.testing.assert_allclose(getattr(back, name), getattr(table, name), rtol=1e-9, atol=1e-9)
    entry = new.meta.provenance["disaggregation"][-1]
    assert entry["columns"] == "parent technology" and entry["source"] == "test"


@settings(max_examples=60, deadline=None)
@given(case=splits(), factor=st.floats(0.3, 1.5), use_imports=st.booleans(), data=st.data())
def test_own_input_structure_keeps_every_total(
    case, factor: float, use_imports: bool, data
) -> None:
    table, parent, into = case
    first = next(iter(into))
    p = table.sector_position(parent)
    a = ims.LeontiefModel(table).a
    # the part buys `factor` times the parent's coefficient from one supplier (not the parent)
    candidates = [r for r in range(table.n) if r != p] or [p]
    r = data.draw(st.sampled_from(candidates))
    supplier = table.sectors[r] if r != p else next(iter(into))
    struct = {supplier: factor * a[r, p] * (into[supplier] if r == p else 1.0)}
    if use_imports:
        struct["imports"] = 0.5 * table.import_row[p] / table.x[p]
    struct["employment"] = 0.5 * table.sats["employment"][p] / table.x[p]
    try:
        new = ims.disaggregate(table, parent, into, input_structures={first: struct})
    except ims.TableError as exc:
        # rescaling the part's other inputs to balance its column can ask for more of an input
        # than the parent buys: refused with a message, never a silently negative remainder
        assert "lower" in str(exc)
        assume(False)
    assert_same_totals(table, new)
    j = new.sector_position(first)
    k = new.sector_position(supplier)
    assert new.z_domestic[k, j] == pytest.approx(struct[supplier] * new.x[j], rel=1e-9, abs=1e-12)
    assert new.sats["employment"][j] == pytest.approx(struct["employment"] * new.x[j], rel=1e-9)
    if use_imports:
        assert new.import_row[j] == pytest.approx(struct["imports"] * new.x[j], rel=1e-9)
    # what each sector sells is unchanged: merging the parts gives the original table back
    back = ims.aggregate(new, {s: (parent if s in into else s) for s in new.sectors})
    for name in ("z_domestic", "y_domestic", "va", "import_row", "x"):
        np.testing.assert_allclose(getattr(back, name), getattr(table, name), rtol=1e-9, atol=1e-9)
    assert new.balance()[["row_relative", "column_relative"]].abs().to_numpy().max() < 1e-9


def _tiny() -> ims.IOTable:
    return ims.IOTable.from_arrays(
        [[10.0, 20.0], [30.0, 5.0]],
        [[60.0], [65.0]],
        [[40.0, 60.0], [10.0, 15.0]],
        sectors=["a", "b"],
        value_added_components=["compensation", "other"],
        final_demand_categories=["households"],
        employment=[3.0, 4.0],
        sector_info=pd.DataFrame({"name_en": ["A", "B"]}),
    )


def test_split_by_hand() -> None:
    """A two-sector table split 0.25 / 0.75, every cell checked against a hand calculation."""
    t = _tiny()
    new = ims.disaggregate(
        t, "a", {"a1": 0.25, "a2": 0.75}, info={"a1": {"name_en": "A one"}}, source="hand"
    )
    assert list(new.sectors) == ["a1", "a2", "b"]
    expected_z = [
        [10 * 0.25 * 0.25, 10 * 0.25 * 0.75, 20 * 0.25],
        [10 * 0.75 * 0.25, 10 * 0.75 * 0.75, 20 * 0.75],
        [30 * 0.25, 30 * 0.75, 5],
    ]
    np.testing.assert_allclose(new.z_domestic, expected_z)
    np.testing.assert_allclose(new.x, [22.5, 67.5, 100.0])
    np.testing.assert_allclose(new.sats["employment"], [0.75, 2.25, 4.0])
    assert list(new.sector_info["name_en"]) == ["A one", "A", "B"]


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"into": {"a1": 0.5, "a2": 0.4}}, r"shares sum to 0\.9"),
        ({"into": {"a1": 0.5, "b": 0.5}}, r"\['b'\] already name other sectors"),
        ({"into": {"a1": 1.2, "a2": -0.2}}, r"share of 'a2' must be a number > 0"),
        ({"sector": "x"}, r"unknown sector 'x'"),
        ({"input_structures": {"zz": {"b": 0.1}}}, r"\['zz'\] are not parts"),
        ({"input_structures": {"a1": {"steel": 0.1}}}, r"'steel' is not a sector"),
        ({"input_structures": {"a1": {"b": 2.0}}}, r"more than the whole column allows"),
        ({"input_structures": {"a1": {"b": 0.9}}}, r"buy more of input #3 \(domestic 'b'\)"),
        (
            {"input_structures": {"a1": {"b": 0.1}, "a2": {"b": 0.1}}},
            r"every part has its own structure",
        ),
        ({"info": {"a1": {"colour": "red"}}}, r"sector_info has no column 'colour'"),
    ],
)
def test_split_errors(kwargs, pattern: str) -> None:
    args = {"sector": "a", "into": {"a1": 0.5, "a2": 0.5}} | kwargs
    with pytest.raises(ims.TableError, match=pattern):
        ims.disaggregate(_tiny(), args.pop("sector"), args.pop("into"), **args)


@settings(max_examples=40, deadline=None)
@given(table=io_tables(), data=st.data())
def test_aggregate_keeps_totals(table: ims.IOTable, data) -> None:
    groups = data.draw(
        st.lists(st.sampled_from(["G1", "G2", "G3"]), min_size=table.n, max_size=table.n)
    )
    mapping = dict(zip(table.sectors, groups, strict=True))
    agg = ims.aggregate(table, mapping)
    assert list(agg.sectors) == list(dict.fromkeys(groups))
    assert_same_totals(table, agg)
    # an aggregated flow is the sum of its members' flows
    g = list(agg.sectors)
    member = np.array([g.index(x) for x in groups])
    for i in range(agg.n):
        for j in range(agg.n):
            want = table.z_domestic[np.ix_(member == i, member == j)].sum()
            assert agg.z_domestic[i, j] == pytest.approx(want, rel=1e-12, abs=1e-12)


def test_aggregate_errors() -> None:
    with pytest.raises(ims.TableError, match=r"no group for sector\(s\) \['b'\]"):
        ims.aggregate(_tiny(), {"a": "x"})
    with pytest.raises(ims.DataSourceError, match=r"no bundled concordance named 'bok99'"):
        ims.aggregate(_tiny(), "bok99")


def test_bok33_concordance_on_the_bundled_table() -> None:
    t = ims.load_table("korea-2020")
    agg = ims.aggregate(t, "bok33")
    assert agg.n == 33
    assert agg.sectors[0] == "A" and agg.sectors[-1] == "T"
    assert agg.sector_info is not None
    assert agg.sector_info.loc["C09", "name_ko"] == "컴퓨터, 전자 및 광학기기"
    # C09 (computer, electronic and optical equipment) holds 310 (split), 320 … 369
    members = ["310-MEM", "310-NMEM", "320", "331", "339", "340", "351", "352", "361", "369"]
    assert agg.x[agg.sector_position("C09")] == pytest.approx(
        sum(t.x[t.sector_position(s)] for s in members), rel=1e-12
    )
    assert_same_totals(t, agg)
    # the concordance agrees with the sector_info column bok33
    assert t.sector_info is not None
    by_info = ims.aggregate(t, dict(zip(t.sectors, t.sector_info["bok33"], strict=True)))
    np.testing.assert_allclose(by_info.z_domestic, agg.z_domestic, rtol=1e-12)
