"""Helpers for the data tests (tests/test_data_*.py): source-data paths, table strategies."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import strategies as st

import impactsim as ims

SHARED = Path(__file__).parents[1] / ".." / "shared" / "data"
BOK165 = SHARED / "bok-2020-165-khio00"
BOK83_DIR = SHARED / "bok-2020-83-khu-subapp"
WIOD_NIOT = SHARED / "wiod2016-niot"
DATA_DIR = Path(ims.__file__).parent / "datasets" / "data"
#: Extracts committed under tests/data (scripts/build_test_extracts.py; tests/data/README.md):
#: BOK's 165-product CSV files with the products summed into 13 groups, in BOK's own layout,
#: and the 2014 rows of WIOD's national tables for Korea, Japan and China.
EXTRACTS = Path(__file__).parent / "data"
BOK_AGGREGATED = EXTRACTS / "bok-2020-aggregated"
WIOD_2014 = EXTRACTS / "wiod2016-2014"

requires_shared = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason=(f"optional for users: rebuilds from the raw public source files in {SHARED} "
            "(../shared/data beside the repository), which a plain clone does not have; the "
            "oracles themselves run on the extracts in tests/data"),
)


def bok83_workbook() -> Path:
    """The BOK 2020 83-sector workbook in ../shared/data (skips the test if it is absent)."""
    found = sorted(BOK83_DIR.glob("*.xlsx")) if BOK83_DIR.is_dir() else []
    if not found:
        pytest.skip(f"BOK 83-sector workbook not found in {BOK83_DIR} (../shared/data absent)")
    return found[0]


LABEL_TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 _-,.\"'가나다")), min_size=1, max_size=6
)


@st.composite
def io_tables(
    draw: st.DrawFn,
    *,
    max_n: int = 5,
    multiindex: bool | None = None,
    import_matrix: bool | None = None,
) -> ims.IOTable:
    """A small balanced, productive table: A with column sums ≤ 0.8, y > 0, x = L y.

    Imports are a row (flows domestic) or a full matrix with imported final demand; value added
    is the column residual split into two components; one or two satellites; sector_info with a
    text, an integer and a float column; labels text or (region, sector) tuples.
    """
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.0, 0.8 / n, size=(n, n)) * (rng.uniform(size=(n, n)) < 0.7)
    y = rng.uniform(1.0, 1000.0, size=(n, k))
    x = np.linalg.solve(np.eye(n) - a, y.sum(axis=1))
    z = a * x[np.newaxis, :]
    mu = rng.uniform(0.0, 0.15, size=n)
    m = mu * x
    va_total = x - z.sum(axis=0) - m
    share = rng.uniform(0.2, 0.8, size=n)
    va = np.vstack([va_total * share, va_total - va_total * share])
    use_matrix = draw(st.booleans()) if import_matrix is None else import_matrix
    use_multi = draw(st.booleans()) if multiindex is None else multiindex
    labels = draw(st.lists(LABEL_TEXT, min_size=n, max_size=n, unique=True))
    if use_multi:
        regions = draw(st.lists(st.sampled_from(["KOR", "JPN", "지역 1"]), min_size=n, max_size=n))
        sectors: pd.Index = pd.MultiIndex.from_tuples(
            list(zip(regions, labels, strict=True)), names=["region", "sector"]
        )
    else:
        sectors = pd.Index(labels, name="sector")
    cats = ["households", "exports", "government"][:k]
    info = pd.DataFrame(
        {
            "name_en": [f"Sector {i}" for i in range(n)],
            "rank": np.arange(n, dtype="int64"),
            "weight": rng.uniform(size=n),
        }
    )
    sats = {"employment": rng.uniform(0, 50, size=n)}
    if draw(st.booleans()):
        sats["employees"] = sats["employment"] * rng.uniform(0.3, 1.0, size=n)
    common = {
        "sectors": sectors,
        "final_demand_categories": cats,
        "value_added_components": ["compensation", "other"],
        "satellites": sats,
        "sector_info": info,
        "name": draw(st.sampled_from(["t", "테이블", ""])),
        "region": "KOR",
        "year": draw(st.sampled_from([None, 2020])),
        "currency": "KRW",
        "unit": draw(st.sampled_from([1.0, 1e6])),
        "provenance": {"publisher": "test", "steps": [1, 2.5, "x"], "nested": {"a": None}},
    }
    if use_matrix:
        b = rng.uniform(size=(n, n))
        zm = b / b.sum(axis=0) * m[np.newaxis, :]
        ym = rng.uniform(0.0, 100.0, size=(n, k))
        return ims.IOTable.from_arrays(
            z + zm, y + ym, va, imports=zm, final_demand_imports=ym, output=x, **common
        )
    return ims.IOTable.from_arrays(z, y, va, imports=m, output=x, **common)


def assert_tables_identical(a: ims.IOTable, b: ims.IOTable) -> None:
    """Every array bit for bit, every label, the metadata, provenance and sector_info."""
    assert a.sectors.equals(b.sectors)
    assert list(a.sectors.names) == list(b.sectors.names)
    assert list(a.final_demand_categories) == list(b.final_demand_categories)
    assert list(a.value_added_components) == list(b.value_added_components)
    for name in ("z_domestic", "y_domestic", "va", "import_row", "x"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    for name in ("z_imported", "y_imported"):
        va_, vb_ = getattr(a, name), getattr(b, name)
        assert (va_ is None) == (vb_ is None), name
        if va_ is not None:
            assert np.array_equal(va_, vb_), name
    assert list(a.sats) == list(b.sats)
    for key in a.sats:
        assert np.array_equal(a.sats[key], b.sats[key]), key
    assert a.meta == b.meta
    assert dict(a.meta.provenance) == dict(b.meta.provenance)
    if a.sector_info is None:
        assert b.sector_info is None
    else:
        assert b.sector_info is not None
        pd.testing.assert_frame_equal(a.sector_info, b.sector_info)
