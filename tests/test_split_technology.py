"""Split sectors with their own technologies, balanced to the parent (tables/_balanced_split.py).

Invariants (hypothesis, on random tables and on the bundled korea-2020 / korea-2023): for every
split sector and every measure, the output-weighted sum of the parts' direct coefficients equals
the parent's to 1e-9; the table stays productive; national output, value added and employment are
unchanged. Independent checks: a 2 × 2 RAS solved by hand, and the priors' arithmetic from the
cited company figures.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from _data_support import DATA_DIR, io_tables
from impactsim.datasets.catalog import apply_splits
from impactsim.tables._balanced_split import ras

TOL = 1e-9
SPLITS_2020 = {"310": ("310-MEM", "310-NMEM"), "610": ("610-DC", "610-OTH")}
SPLITS_2023 = {"31": ("31-MEM", "31-NMEM"), "61": ("61-DC", "61-OTH")}


def stacked(table: ims.IOTable) -> np.ndarray:
    """Every direct coefficient per unit of output, one column per sector: domestic inputs,
    imported inputs, value-added components, satellites, and the model's measure rows."""
    x = table.x
    blocks = [table.z_domestic, table.va, np.vstack(list(table.sats.values()))]
    if table.z_imported is not None:
        blocks.insert(1, table.z_imported)
    else:
        blocks.insert(1, table.import_row[np.newaxis, :])
    return np.vstack(blocks) / x[np.newaxis, :]


def assert_parts_average_to_parent(
    base: ims.IOTable, split: ims.IOTable, parent: str, parts: tuple[str, ...]
) -> None:
    p = base.sector_position(parent)
    idx = [split.sector_position(s) for s in parts]
    xs = split.x[idx]
    cb = stacked(base)
    cs = stacked(split)
    # rows of the parts as suppliers: merged back into the parent's row
    n_new, n_old = split.n, base.n

    def merge(c: np.ndarray, n: int, k: int) -> np.ndarray:
        """Stacked rows with the parts' supplier rows summed into one (domestic and imported)."""
        blocks = []
        offset = 0
        for size in (n, n if base.z_imported is not None else 1):
            blk = c[offset : offset + size]
            if size == n:
                rows = [blk[[i for i in range(n) if i not in idx]] if k else blk]
                if k:
                    rows.insert(0, blk[idx].sum(axis=0, keepdims=True))
                blk = np.vstack(rows)
            blocks.append(blk)
            offset += size
        blocks.append(c[offset:])
        return np.vstack(blocks)

    weighted = merge(cs[:, idx], n_new, 1) @ xs / xs.sum()
    parent_col = merge(cb[:, [p]], n_old, 0)[:, 0]
    # the base's parent row sits at position p: reorder it to the front like merge() does
    order = [p] + [i for i in range(n_old) if i != p]
    ref = parent_col.copy()
    ref[:n_old] = parent_col[:n_old][order]
    if base.z_imported is not None:
        ref[n_old : 2 * n_old] = parent_col[n_old : 2 * n_old][order]
    np.testing.assert_allclose(weighted, ref, rtol=0, atol=TOL * max(1.0, np.abs(ref).max()))
    # the model's measures (value added, imports, income, employment, …) the same way
    mb, ms = ims.LeontiefModel(base), ims.LeontiefModel(split)
    common = [m for m in mb.measures if m in ms.measures]
    for m in common:
        cb_m = np.asarray(mb.measure_coefficients)[list(mb.measures).index(m), p]
        cs_m = np.asarray(ms.measure_coefficients)[list(ms.measures).index(m), idx]
        assert float(cs_m @ xs / xs.sum()) == pytest.approx(cb_m, rel=0, abs=TOL)


def spectral_radius(table: ims.IOTable) -> float:
    a = table.z_domestic / table.x[np.newaxis, :]
    return float(np.abs(np.linalg.eigvals(a)).max())


def national(table: ims.IOTable) -> tuple[float, float, float]:
    return float(table.x.sum()), float(table.va.sum()), float(table.sats["employment"].sum())


# ------------------------------------------------------------------------------ RAS by hand
def test_ras_matches_the_closed_form_of_a_two_by_two() -> None:
    """Prior [[1, 1], [1, 3]], rows (2, 4), columns (3, 3): Z = â P b̂. With t = b₂/b₁ the first
    column gives 2/(1+t) + 4/(1+3t) = 3, i.e. 9t² + 2t − 3 = 0, t = (−2 + √112)/18."""
    t = (-2 + np.sqrt(112)) / 18
    expected = np.array([[2 / (1 + t), 2 * t / (1 + t)], [4 / (1 + 3 * t), 12 * t / (1 + 3 * t)]])
    got = ras(np.array([[1.0, 1.0], [1.0, 3.0]]), np.array([2.0, 4.0]), np.array([3.0, 3.0]))
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_ras_refuses_margins_the_prior_cannot_meet() -> None:
    with pytest.raises(ims.TableError, match="cannot be balanced"):
        # the second column must take 3 but only row 2 (total 1) may feed it
        ras(np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([3.0, 1.0]), np.array([1.0, 3.0]))


# ------------------------------------------------------------------------------ properties
@st.composite
def technology_splits(draw: st.DrawFn):
    table = draw(io_tables(max_n=5, multiindex=False))
    p = draw(st.integers(0, table.n - 1))
    parent = table.sectors[p]
    parts = draw(st.integers(2, 3))
    raw = np.array(draw(st.lists(st.floats(0.1, 1.0), min_size=parts, max_size=parts)))
    w = raw / raw.sum()
    w[-1] = 1.0 - w[:-1].sum()
    labels = [f"{parent}#{i}" for i in range(parts)]
    keys = [*table.value_added_components, *table.sats, "imports"]
    keys += [s for s in table.sectors if s != parent]
    tech = {}
    for lab in labels[:-1]:
        chosen = draw(st.lists(st.sampled_from(keys), max_size=4, unique=True))
        tech[lab] = {k: {"relative": draw(st.floats(0.3, 3.0))} for k in chosen}
    return table, parent, dict(zip(labels, w.tolist(), strict=True)), tech


@settings(max_examples=60, deadline=None)
@given(case=technology_splits())
def test_balanced_split_keeps_the_parent_on_every_measure(case) -> None:
    table, parent, into, tech = case
    try:
        new = ims.disaggregate(table, parent, into, technology=tech, source="test")
    except ims.TableError as exc:  # priors a random table cannot meet: said so, no table
        assert "cannot be balanced" in str(exc) or "zero prior" in str(exc)
        return
    assert_parts_average_to_parent(table, new, parent, tuple(into))
    np.testing.assert_allclose(national(new), national(table), rtol=1e-12)
    assert spectral_radius(new) < 1.0
    for lab, w in into.items():  # each part's inputs add up to its output
        j = new.sector_position(lab)
        col = new.z_domestic[:, j].sum() + new.import_row[j] + new.va[:, j].sum()
        assert col == pytest.approx(new.x[j], rel=1e-9)
        assert new.x[j] == pytest.approx(w * table.x[table.sector_position(parent)], rel=1e-12)


# ------------------------------------------------------------------------------ bundled tables
@pytest.fixture(scope="module")
def tables() -> dict[str, tuple[ims.IOTable, ims.IOTable]]:
    return {
        "2020": (ims.load_table("korea-2020-165"), ims.load_table("korea-2020")),
        "2023": (ims.IOTable.from_dir(DATA_DIR / "bok-2023-83"), ims.load_table("korea-2023")),
    }


@pytest.mark.parametrize("year,splits", [("2020", SPLITS_2020), ("2023", SPLITS_2023)])
def test_bundled_splits_keep_the_parent(tables, year, splits) -> None:
    """Each split of the recipe, applied in turn, against the table before it."""
    base, split = tables[year]
    recipe = json.loads((DATA_DIR / f"korea-{year}-splits.json").read_text(encoding="utf-8"))
    before = base
    for k, (parent, parts) in enumerate(splits.items()):
        after = apply_splits(base, {**recipe, "splits": recipe["splits"][: k + 1]})
        assert recipe["splits"][k]["sector"] == parent
        assert_parts_average_to_parent(before, after, parent, parts)
        before = after
    np.testing.assert_array_equal(before.z_domestic, split.z_domestic)
    np.testing.assert_allclose(national(split), national(base), rtol=1e-12)
    assert spectral_radius(split) < 1.0


@pytest.mark.parametrize("year,splits", [("2020", SPLITS_2020), ("2023", SPLITS_2023)])
def test_bundled_parts_differ_the_way_the_sources_say(tables, year, splits) -> None:
    _, split = tables[year]
    (mem, nmem), (dc, oth) = splits.values()
    persons = split.sats["employment"] / split.x
    pos = split.sector_position
    # memory: fewer persons per unit of output than non-memory (SK hynix's wage share < parent)
    assert persons[pos(mem)] < persons[pos(nmem)]
    # data centres: fewer staff, more depreciation, nearly all of the parent's electricity
    assert persons[pos(dc)] < 0.7 * persons[pos(oth)]
    dep = list(split.value_added_components).index("depreciation")
    assert split.va[dep, pos(dc)] / split.x[pos(dc)] > split.va[dep, pos(oth)] / split.x[pos(oth)]
    elec = "450" if year == "2020" else "45"
    e = split.sector_position(elec)
    buys = split.z_domestic[e] + split.z_imported[e]
    assert buys[pos(dc)] > 0.9 * (buys[pos(dc)] + buys[pos(oth)])
    mult = ims.LeontiefModel(split).multipliers()
    assert mult.loc[dc, "employment"] < mult.loc[oth, "employment"]
    assert mult.loc[mem, "output"] != pytest.approx(mult.loc[nmem, "output"], rel=1e-3)


def test_priors_follow_from_the_cited_figures() -> None:
    """docs/sources.md#split-technology: SK hynix 2020 wage bill 29,008 × 93.58 mn KRW over
    revenue 31,900.4 bn KRW = 8.51 %, against BOK product 310's compensation share 9.22 %;
    operating margins 5,012.6 / 31,900.4 (SK hynix) and 239.4 / 935.9 (DB HiTek)."""
    recipe = json.loads((DATA_DIR / "korea-2020-splits.json").read_text(encoding="utf-8"))
    priors = {s["sector"]: s["technology"]["priors"] for s in recipe["splits"]}
    assert priors["310"]["310-MEM"]["compensation"] == {"relative": 0.92}
    assert round(29_008 * 93.58e-3 / 31_900.4 / 0.0922, 2) == 0.92
    r = round((5_012.6 / 31_900.4) / (239.4 / 935.9), 2)
    assert r == 0.61
    n = 1 / (0.64 * r + 0.36)
    assert priors["310"]["310-NMEM"]["operating_surplus"]["relative"] == pytest.approx(n, abs=1e-4)
    # data centres: 20 % of output on electricity against the parent's 0.44 %
    base = ims.load_table("korea-2020-165")
    j, e = base.sector_position("610"), base.sector_position("450")
    parent = (base.z_domestic[e, j] + base.z_imported[e, j]) / base.x[j]
    assert round(100 * parent, 2) == 0.44
    assert priors["610"]["610-DC"]["450"]["relative"] == pytest.approx(0.20 / parent, abs=1e-4)


# ------------------------------------------------------------------------------ draws
def test_split_draws_move_whole_columns_and_keep_the_parent() -> None:
    """Each draw moves a split's parts along one direction: ΔA[:, parts] = (λ − 1)(a_k − ā), the
    same λ for every cell of both parts (correlated by column, not cell noise), λ within the
    splits file's triangular range; the output-weighted sum of the changes is zero, so every
    draw keeps the parent's coefficients and totals; no coefficient goes negative."""
    from impactsim.uncertainty.perturbation import SplitTechnology

    table = ims.load_table("korea-2020")
    model = ims.LeontiefModel(table)
    split = SplitTechnology.from_model(model)
    assert split is not None and split.names == ("split-technology/310", "split-technology/610")
    a = np.asarray(model.a)
    c = np.asarray(model.measure_coefficients)
    caps = split.caps(a)
    deltas = split.deltas(a, 7, 0, 50, caps)
    mdeltas = split.measure_deltas(c.shape[0], table.n, 7, 0, 50)
    lam = split.lambdas(7, 0, 50)
    recipe = json.loads((DATA_DIR / "korea-2020-splits.json").read_text(encoding="utf-8"))
    for k, parts in enumerate(SPLITS_2020.values()):
        unc = recipe["splits"][k]["technology"]["uncertainty"]
        assert np.all(lam[:, k] >= unc["low"]) and np.all(lam[:, k] <= unc["high"])
        assert lam[:, k].std() > 0.05
        idx = [table.sector_position(s) for s in parts]
        x = table.x[idx]
        abar = a[:, idx] @ x / x.sum()
        for s in range(50):
            np.testing.assert_allclose(deltas[s][:, idx] @ x, 0.0, atol=1e-12 * x.sum())
            np.testing.assert_allclose(mdeltas[s][:, idx] @ x, 0.0, atol=1e-9 * x.sum())
            expected = (lam[s, k] - 1.0) * (a[:, idx] - abar[:, np.newaxis])
            np.testing.assert_allclose(deltas[s][:, idx], expected, atol=1e-15)
            nonneg = a[:, idx] >= 0  # BOK's negative (by-product) entries are shared by output
            assert np.all((a[:, idx] + deltas[s][:, idx])[nonneg] >= -1e-15)
    others = [j for j in range(table.n) if table.sectors[j] not in sum(SPLITS_2020.values(), ())]
    assert not np.any(deltas[:, :, others])


def test_scenario_draws_include_the_split_technology() -> None:
    from impactsim.uncertainty.perturbation import SplitTechnology

    model = ims.LeontiefModel(ims.load_table("korea-2023"))
    split = SplitTechnology.from_model(model)
    assert split is not None and split.inner is None
    # the data-centre split cannot go far beyond λ = 1: the other part keeps ≈ no electricity
    assert 1.0 < split.factors[1].high < 1.05
    assert split.factors[0].high == 1.5
    # a table without split technologies has none
    assert SplitTechnology.from_model(ims.LeontiefModel(ims.load_table("korea-2020-165"))) is None


def test_scenarios_draw_split_technologies_with_table_coefficients() -> None:
    from impactsim.scenario.schema import UncertaintySettings
    from impactsim.uncertainty.perturbation import CoefficientPerturbation, SplitTechnology
    from impactsim.uncertainty.scenario import table_perturbation

    model = ims.LeontiefModel(ims.load_table("korea-2020"))
    assert table_perturbation(model, None) is None  # no table uncertainty asked for: none
    setting = UncertaintySettings(
        table_coefficients={"relative": 0.1, "distribution": "uniform"}
    ).table_coefficients
    pert = table_perturbation(model, setting)
    assert isinstance(pert, SplitTechnology)
    assert isinstance(pert.inner, CoefficientPerturbation)
    assert pert.factor.ppf(0.0) == pytest.approx(0.9)
