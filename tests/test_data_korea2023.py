"""The bundled korea-2023 table against Bank of Korea's published 2023 figures, and its method.

Published figures (Bank of Korea, '2023 산업연관표(연장표)', press release of 24 Sep 2025, as
reported by Segye Ilbo, inews24 and The Fact the same day): economy-wide production inducement
1.827, value-added inducement 0.752, import inducement 0.248 (KRW per KRW of final demand for
domestic products), employment inducement 8.2 persons (FTE) per KRW 1 bn, FTE employment 25.99
million. BOK's economy-wide coefficient weights each product's coefficient by its share of
domestic final demand (as for 2020, tests/test_data_korea.py). The 33-sector figures are BOK's
ECOS tables 2.2.1.2.3 / 2.2.1.2.4 / 2.2.1.2.6 (shipped as ``ims.datasets.bok_series``).

Precision the method allows (docs/korea-2023.md): the split is fitted to the 33 × 33 blocks of
imported inputs implied by BOK's 33-sector tables, except in blocks BOK's own numbers make
infeasible under 0 ≤ imported ≤ total (BOK's implied imported intermediate use of mining and
basic-metal products exceeds its imports of them by 1.0 and 0.15 tn KRW, i.e. a negative imported
inventory change); there the residual reaches 0.11 tn KRW (0.4 % of its block). At 33 sectors
the 2023 inducement matrices then agree with BOK's to 0.002 (output, imports, KRW per KRW) and 0.002
persons per KRW bn (employment), column sums to 0.005 (persons: 0.01).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from _data_support import DATA_DIR, SHARED, requires_shared
from impactsim.datasets import bok_series

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = REPO / "scripts"


def _script(name: str):
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def km():
    return _script("korea2023_method")


@pytest.fixture(scope="module")
def k23() -> ims.IOTable:
    return ims.load_table("korea-2023")


@pytest.fixture(scope="module")
def base() -> ims.IOTable:
    return ims.IOTable.from_dir(DATA_DIR / "bok-2023-83")


def aggregate33(table: ims.IOTable) -> dict[str, np.ndarray]:
    """Domestic and imported flows, output and employment summed to BOK's 33 groups."""
    assert table.sector_info is not None and table.z_imported is not None
    groups = list(table.sector_info["bok33"])
    codes = list(dict.fromkeys(bok_series("output")["group"]))
    g = np.zeros((33, table.n))
    for i, grp in enumerate(groups):
        g[codes.index(grp), i] = 1.0
    return {
        "z_d": g @ table.z_domestic @ g.T,
        "z_m": g @ table.z_imported @ g.T,
        "x": g @ table.x,
        "emp": g @ table.sats["employment"],
        "codes": np.array(codes),
    }


def published(measure: str, year: int = 2023) -> np.ndarray:
    cells = bok_series(measure, cells=True)
    cells = cells[cells["year"] == year]
    codes = list(dict.fromkeys(bok_series("output")["group"]))
    wide = cells.pivot(index="induced_group", columns="group", values="value")
    return wide.loc[codes, codes].to_numpy()


# ---------------------------------------------------------------------------- catalog / shape
def test_catalog_lists_the_2023_vintage(k23) -> None:
    row = ims.list_tables().set_index("name").loc["korea-2023"]
    assert row["year"] == 2023 and row["sectors"] == k23.n == 85
    assert k23.meta.year == 2023 and k23.meta.price_year == 2023
    for parent, parts in {"31": ("31-MEM", "31-NMEM"), "61": ("61-DC", "61-OTH")}.items():
        assert parent not in list(k23.sectors)
        assert all(p in list(k23.sectors) for p in parts)


def test_published_totals_are_kept_exactly(base) -> None:
    """BOK's 2023 totals (ECOS 271Y120 as published, million KRW; folder README figures)."""
    assert base.x.sum() == 5_786_694_739
    assert base.va.sum() == 2_383_273_581
    assert base.va[0].sum() == 1_170_376_580  # compensation of employees
    i31 = list(base.sectors).index("31")
    assert base.x[i31] == 119_693_668
    assert base.va[:, i31].sum() == 46_107_632
    assert base.z_imported is not None and base.y_imported is not None
    imports = base.z_imported.sum() + base.y_imported.sum()
    assert imports == 1_015_957_287  # 9329: imports incl. product taxes on imports


def test_split_respects_its_bounds(base) -> None:
    assert base.z_imported is not None and base.y_imported is not None
    total = base.z_domestic + base.z_imported
    assert (base.z_imported >= 0).all()
    assert (base.z_imported <= np.clip(total, 0, None) + 1.0).all()  # whole million KRW
    cats = list(base.final_demand_categories)
    keep = [k for k, c in enumerate(cats) if c != "inventories"]
    assert (base.y_imported[:, keep] >= 0).all()
    y_total = base.y_domestic + base.y_imported
    assert (base.y_imported[:, keep] <= np.clip(y_total[:, keep], 0, None) + 1.0).all()


def test_every_derived_quantity_is_marked(base) -> None:
    prov = base.meta.provenance
    assert prov["imports"].startswith("[DER]") and prov["employment"].startswith("[DER]")
    assert prov["official"].startswith("[OFF]")
    assert "271Y120" in prov["table"]
    assert all(len(s["sha256"]) == 64 for s in prov["sources"])
    assert {s["publisher_table"].split(" (")[0][:19] for s in prov["sources"]} >= {
        "Bank of Korea ECOS "
    }


def test_every_bundled_pattern_code_has_an_83_sector(k23) -> None:
    """Patterns name 165-product codes (classification bok-2020); the 2023 table lists, per
    sector, the products it aggregates (BOK's nesting: first two digits), and the bundled
    concordance bok165_83 says the same."""
    from impactsim.datasets import load_concordance

    assert k23.sector_info is not None
    home = {
        code: sector
        for sector, codes in k23.sector_info["bok165"].items()
        for code in str(codes).split(";")
    }
    conc = load_concordance("bok165_83")["group"]
    for name in ims.list_patterns().index:
        pattern = ims.get_pattern(name)
        for cat in pattern.categories.values():
            for code in cat.sectors.get("bok-2020", {}):
                assert code in home, (name, code)
                assert conc[code] == home[code], (name, code)
                parent = code.split("-")[0][:2]
                assert home[code].split("-")[0] == parent, (name, code)


# ---------------------------------------------------------------------------- oracles
def test_economy_wide_inducement_matches_bok_2023_release(k23) -> None:
    """Σ_j multiplier_j · y_d,j / Σ y_d against BOK's release (printed precision)."""
    mult = ims.LeontiefModel(k23).multipliers()
    w = k23.y_domestic.sum(axis=1)
    avg = {k: float(mult[k].to_numpy() @ w / w.sum()) for k in mult.columns}
    assert round(avg["output"], 3) == 1.827
    assert round(avg["value_added"], 3) == 0.752
    assert round(avg["imports"], 3) == 0.248
    # employment per KRW 1 bn: the table's money unit is million KRW
    assert round(avg["employment"] * 1e3, 1) == 8.2
    # BOK: 2,599만 FTE persons in 2023 (rounded to 10,000)
    assert abs(k23.sats["employment"].sum() - 25_990_000) <= 5_000 + 1_000


def test_33_sector_inducement_cell_by_cell(k23) -> None:
    """The table aggregated to BOK's 33 groups reproduces BOK's 2023 33-sector matrices."""
    a = aggregate33(k23)
    x = a["x"]
    a_d = a["z_d"] / x[np.newaxis, :]
    a_m = a["z_m"] / x[np.newaxis, :]
    big_l = np.linalg.inv(np.eye(33) - a_d)
    l_emp = np.divide(a["emp"], x / 1e3, out=np.zeros(33), where=x > 0)
    ours = {"output": big_l, "imports": a_m @ big_l, "employment": l_emp[:, None] * big_l}
    tol = {"output": 0.002, "imports": 0.002, "employment": 0.002}
    col_tol = {"output": 0.005, "imports": 0.005, "employment": 0.01}
    for measure, mat in ours.items():
        theirs = published(measure)
        assert np.abs(mat - theirs).max() < tol[measure], measure
        assert np.abs(mat.sum(axis=0) - theirs.sum(axis=0)).max() < col_tol[measure], measure
    # and the shipped column sums (BOK's printed 열합) for employment, group by group
    col = bok_series("employment").query("year == 2023").set_index("group")["value"]
    np.testing.assert_allclose(
        ours["employment"].sum(axis=0), col[a["codes"]].to_numpy(), atol=0.01
    )


def test_employment_is_bok_coefficient_times_output_by_group(k23) -> None:
    """l_g = diag(E L⁻¹) from BOK's published 2023 tables; the table's group employment is
    l_g · x_g (persons per KRW bn × output), to the rounding of whole persons."""
    a = aggregate33(k23)
    e, big_l = published("employment"), published("output")
    l_g = np.diag(e @ np.linalg.inv(big_l))
    np.testing.assert_allclose(a["emp"], l_g * a["x"] / 1e3, rtol=2e-5, atol=60)


# ---------------------------------------------------------------------------- method, shared
@requires_shared
@pytest.mark.shared
def test_rebuild_reproduces_the_committed_files(tmp_path: Path) -> None:
    build = _script("build_korea_2023_table")
    files = build.build(SHARED, tmp_path)
    for rel in files:
        assert (tmp_path / rel).read_bytes() == (DATA_DIR / rel).read_bytes(), rel
    assert {p.name for p in (DATA_DIR / "bok-2023-83").iterdir()} == {
        Path(rel).name for rel in files if rel.startswith("bok-2023-83/")
    }
    assert build.main([str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 1


@requires_shared
@pytest.mark.shared
def test_bok_33_tables_agree_with_the_2023_total_table(km) -> None:
    """Two BOK publications, one economy: A_d + A_m implied by the 33-sector coefficient tables
    (I − L⁻¹ and M L⁻¹) equals the total input coefficients of ECOS 271Y120 aggregated to 33
    groups, to the 6 printed decimals of the coefficients."""
    build = _script("build_korea_2023_table")
    t23 = km.read_long_2023(SHARED / build.EXT_DIR / km.LONG_FILE)
    series = km.read_series(SHARED / build.SERIES_DIR)
    groups, _ = build.groups_83()
    g = km.group_matrix(groups)
    x33 = g @ t23.x
    for year, z, x in ((2023, g @ t23.z @ g.T, x33),):
        implied = km.implied_33(series, year)
        np.testing.assert_allclose(implied["A_d"] + implied["A_m"], z / x, atol=2e-6)
        assert np.abs(implied["offdiag"]).max() < 2e-5  # E L⁻¹ is diagonal


@pytest.fixture(scope="module")
def bench(km):
    """BOK's 2020 83-sector table (the extract of BOK's workbook in tests/data): the truth for
    the back-test."""
    table = ims.IOTable.from_dir(Path(__file__).parent / "data" / "bok-2020-83" / "table")
    return table, km.total_of(table)


def _bundled_import_blocks(km, year: int) -> np.ndarray:
    """A_m = M L⁻¹ from BOK's published 33 × 33 output and import inducement matrices as the
    package bundles them (``ims.datasets.bok_series(cells=True)``), in BOK's 33-group order."""
    cells = ims.datasets.bok_series(["output", "imports"], cells=True)
    cells = cells[cells["year"] == year]
    order = list(km.BOK33_CODES)

    def matrix(measure: str) -> np.ndarray:
        part = cells[cells["measure"] == measure]
        wide = part.pivot(index="induced_group", columns="group", values="value")
        return wide.loc[order, order].to_numpy()

    return matrix("imports") @ np.linalg.inv(matrix("output"))


def _backtest(km, bench, **kw):
    table, total = bench
    truth = km.inducement(table.z_domestic, table.z_imported, total.x)
    split = km.split_imports(total, km.initial_ip(total), method="test", **kw)
    z_d, y_d = split.domestic(total)
    ours = km.inducement(z_d, split.z_m, total.x)
    return (
        ours["L"].sum(axis=0) - truth["L"].sum(axis=0),
        ours["M"].sum(axis=0) - truth["M"].sum(axis=0),
        total.x.sum() / y_d.sum(),
    )


def test_backtest_2020_import_proportionality(km, bench) -> None:
    """Import proportionality on BOK's 2020 total table vs BOK's own 2020 domestic sheets:
    the error docs/korea-2023.md reports (per sector there). It misses BOK's economy-wide 1.804."""
    err_l, _, headline = _backtest(km, bench)
    assert np.abs(err_l).max() > 0.1  # the method's known weakness: it is not exact
    assert round(headline, 3) != 1.804


def test_backtest_2020_block_fit_halves_the_error(km, bench) -> None:
    """Fitting to BOK's published 2020 33-sector blocks (as the 2023 build does) halves the
    mean error of import proportionality and recovers BOK's economy-wide 1.804."""
    build = _script("build_korea_2023_table")
    groups, _ = build.groups_83()
    g = km.group_matrix(groups)
    x33 = g @ bench[1].x
    targets = _bundled_import_blocks(km, 2020) * x33[np.newaxis, :]
    ip_l, ip_m, _ = _backtest(km, bench)
    fit_l, fit_m, headline = _backtest(km, bench, groups=groups, block_targets=targets)
    assert np.abs(fit_l).mean() < 0.6 * np.abs(ip_l).mean()
    assert np.abs(fit_m).mean() < 0.6 * np.abs(ip_m).mean()
    assert round(headline, 3) == 1.804


@requires_shared
@pytest.mark.shared
def test_2020_shares_beat_proportionality_out_of_sample(km, bench) -> None:
    """Without the block fit, the 2020 cell shares applied to 2023 come closer to BOK's 2023
    33-sector output inducement than import proportionality (an out-of-sample comparison)."""
    build = _script("build_korea_2023_table")
    t23 = km.read_long_2023(SHARED / build.EXT_DIR / km.LONG_FILE)
    groups, _ = build.groups_83()
    g = km.group_matrix(groups)
    table, total = bench
    errs = {}
    for name, shares in {
        "ip": km.initial_ip(t23),
        "s20": km.initial_benchmark(t23, total, table.z_imported, table.y_imported),
    }.items():
        split = km.split_imports(t23, shares, method=name)
        z_d, _ = split.domestic(t23)
        ind = km.inducement(g @ z_d @ g.T, g @ split.z_m @ g.T, g @ t23.x)
        errs[name] = np.abs(ind["L"] - published("output")).max()
    assert errs["s20"] < 0.5 * errs["ip"]


def test_2020_employment_method_on_the_benchmark(km) -> None:
    """Where the answer is known: l_g = diag(E L⁻¹) from BOK's published 2020 33-sector tables
    equals the 2020 FTE employment annex (bundled korea-2020-165) per KRW bn of output."""
    t165 = ims.load_table("korea-2020-165")
    assert t165.sector_info is not None
    grp = pd.Series(t165.sats["employment"]).groupby(list(t165.sector_info["bok33"])).sum()
    out = pd.Series(t165.x).groupby(list(t165.sector_info["bok33"])).sum()
    codes = list(dict.fromkeys(bok_series("output")["group"]))
    l_true = (grp / (out / 1e3)).reindex(codes).fillna(0.0).to_numpy()
    l_bok = np.diag(published("employment", 2020) @ np.linalg.inv(published("output", 2020)))
    np.testing.assert_allclose(l_bok, l_true, atol=1e-3)


def test_derive_employment_recovers_2020_where_the_answer_is_known(km) -> None:
    """derive_employment with BOK's published 2020 coefficients (l = diag(E L⁻¹)) and 2020
    output returns the 2020 FTE annex by 83 sector (bundled korea-2020-165, summed)."""
    t165 = ims.load_table("korea-2020-165")
    codes = [str(s)[:2] for s in t165.sectors]
    x = pd.Series(t165.x).groupby(codes).sum()
    emp = pd.Series(t165.sats["employment"]).groupby(codes).sum()
    assert t165.sector_info is not None
    groups = pd.Series(list(t165.sector_info["bok33"])).groupby(codes).first()
    l_bok = np.diag(published("employment", 2020) @ np.linalg.inv(published("output", 2020)))
    ours = km.derive_employment(
        x.to_numpy(), list(groups), l_bok, emp.to_numpy() / (x.to_numpy() / 1e3)
    )
    np.testing.assert_allclose(ours, emp.to_numpy(), rtol=2e-4, atol=1.0)


# ---------------------------------------------------------------------------- properties
@st.composite
def total_tables(draw, km):
    n = draw(st.integers(2, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    z = rng.uniform(0, 100, (n, n)) * (rng.uniform(size=(n, n)) < 0.8)
    y = rng.uniform(0, 100, (n, 7))
    y[:, km.INVENTORIES] = rng.uniform(-5, 5, n)
    share = rng.uniform(0, 0.6, n)
    use = z.sum(axis=1) + np.delete(y, km.EXPORTS, axis=1).sum(axis=1)
    m = np.round(share * use)
    x = z.sum(axis=1) + y.sum(axis=1) - m
    return km.TotalTable(tuple(str(i) for i in range(n)), ("",) * n, z, y, np.zeros((4, n)), x, m)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_split_hits_imports_by_product_within_bounds(data) -> None:
    km = _script("korea2023_method")
    t = data.draw(total_tables(km))
    split = km.split_imports(t, km.initial_ip(t), method="ip")
    np.testing.assert_allclose(split.z_m.sum(axis=1) + split.y_m.sum(axis=1), t.imports, atol=1e-6)
    assert (split.z_m >= -1e-12).all() and (split.z_m <= t.z + 1e-9).all()
    # proportionality: every non-export use of a product has the same import share
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(t.z > 0, split.z_m / t.z, np.nan)
    for row in r:
        row = row[~np.isnan(row)]
        if row.size:
            assert np.ptp(row) < 1e-9


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_block_fit_reaches_feasible_targets(data) -> None:
    """Targets made from a hidden true split (so feasible): the fit meets the imports by
    product exactly and the block totals to 0.1 % of the imported intermediate total."""
    km = _script("korea2023_method")
    t = data.draw(total_tables(km))
    n = len(t.codes)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    true_zm = t.z * rng.uniform(0.0, 0.6, t.z.shape)
    true_ym = t.y * rng.uniform(0.0, 0.6, t.y.shape)
    true_ym[:, km.EXPORTS] = 0.0
    t = km.TotalTable(
        t.codes, t.names_ko, t.z, t.y, t.va, t.x, true_zm.sum(axis=1) + true_ym.sum(axis=1)
    )
    codes = km.BOK33_CODES[: max(1, n // 2)]
    groups = [codes[i % len(codes)] for i in range(n)]
    g = km.group_matrix(groups)
    targets = np.zeros((33, 33))
    targets[: len(codes), : len(codes)] = (g @ true_zm @ g.T)[: len(codes), : len(codes)]
    split = km.split_imports(
        t,
        km.initial_ip(t),
        method="fit",
        groups=groups,
        block_targets=targets,
        max_iter=2000,
        tol=1e-7,
    )
    np.testing.assert_allclose(split.z_m.sum(axis=1) + split.y_m.sum(axis=1), t.imports, atol=1e-6)
    assert split.block_gap <= 1e-3 * true_zm.sum() + 1e-6
    assert (split.z_m >= -1e-12).all() and (split.z_m <= t.z + 1e-9).all()
