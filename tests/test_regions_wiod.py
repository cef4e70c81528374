"""The bundled world table "wiod-2011": reader, byte-for-byte rebuild, provenance, agreement with
pymrio (x, A, L to 1e-9 relative), and the multi-region identities it must satisfy."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import numpy as np
import pytest

import impactsim as ims
from impactsim.regional import APEC_WIOD, aggregate_regions, regions, source_demand
from impactsim.tables.readers.wiod2013 import FILES, read_wiod2013

ROOT = Path(__file__).parents[1]
SHARED = ROOT / ".." / "shared" / "data"
SOURCE = SHARED / "wiod2013-wiot-2011"
needs_source = pytest.mark.skipif(
    not SOURCE.is_dir(),
    reason="optional for users: checks and rebuilds from the raw WIOD 2013 CSVs (../shared/data "
    "beside the repository), which a plain clone does not have",
)


@pytest.fixture(scope="module")
def world() -> ims.IOTable:
    return ims.load_table("wiod-2011")


def test_bundled_world_table_shape_units_and_provenance(world: ims.IOTable) -> None:
    assert world.n == 41 * 35 - 22
    assert len(regions(world)) == 41 and "RoW" in regions(world)
    assert world.meta.currency == "USD" and world.meta.unit == 1e6 and world.meta.year == 2011
    prov = world.meta.provenance
    assert "Timmer" in prov["citation"] and prov["licence"].startswith("CC BY 4.0")
    assert set(prov["sha256"]) == set(FILES)
    assert "no employment" in prov["employment"]
    assert "KOR_c35" in prov["dropped_zero_output"]
    assert world.employment is None
    # Gross output of KOR c14 (electrical and optical equipment) as published in the WIOD
    # source file wiot2011_x_va.csv (row KOR_c14: 321942), not computed by impactsim.
    assert world.output[("KOR", "c14")] == 321942.0
    bal = world.balance()
    assert bal["row_residual"].abs().max() < 1e-6 and bal["column_residual"].abs().max() < 1e-6


@needs_source
def test_provenance_checksums_match_the_sources(world: ims.IOTable) -> None:
    for name, digest in world.meta.provenance["sha256"].items():
        assert hashlib.sha256((SOURCE / name).read_bytes()).hexdigest() == digest


@needs_source
def test_build_script_reproduces_the_bundled_files_byte_for_byte() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_world_table", ROOT / "scripts" / "build_world_table.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    files = mod.build_table(SOURCE).to_files()
    bundled = ROOT / "src" / "impactsim" / "datasets" / "data" / "wiod-2011"
    for name, blob in files.items():
        assert (bundled / name).read_bytes() == blob, name


def test_agreement_with_pymrio_on_the_world_table(world: ims.IOTable) -> None:
    pymrio = pytest.importorskip("pymrio", reason="pymrio (optional peer) is not installed")
    io = pymrio.IOSystem(Z=world.flows, Y=world.final_demand)
    io.calc_system()
    m = ims.LeontiefModel(world)
    x_p = io.x.to_numpy().ravel()
    np.testing.assert_allclose(world.x, x_p, rtol=1e-9, atol=0)
    np.testing.assert_allclose(m.a, io.A.to_numpy(), rtol=1e-9, atol=1e-15)
    big_l = m.factorization.inverse()
    l_p = io.L.to_numpy()
    rel = np.abs(big_l - l_p) / np.maximum(np.abs(l_p), 1e-300)
    assert rel[np.abs(l_p) > 1e-12].max() < 1e-9
    assert np.abs(big_l - l_p).max() < 1e-12


def test_world_value_added_identity_and_us_spillover(world: ims.IOTable) -> None:
    """VA is output − intermediate inputs, so v'L = 1': a dollar of final demand creates exactly
    a dollar of value added somewhere in the world; by region it splits into home and abroad."""
    demand = source_demand(world, {"c14": 1.0}, region="KOR", categories=["gfcf"])
    assert demand.sum() == pytest.approx(1.0)
    imp = ims.LeontiefModel(world).impact(demand)
    by = ims.impact_by_region(imp, measure="value_added")
    assert by["total"].sum() == pytest.approx(1.0, rel=1e-9)
    assert 0 < by.loc["USA", "total"] < by.loc["KOR", "total"]


def test_type_two_is_not_offered_on_the_world_table(world: ims.IOTable) -> None:
    with pytest.raises(ims.ClosureError):
        ims.LeontiefModel(world).impact({("KOR", "c14"): 1.0}, induced=True)


def test_apec_aggregation_of_the_world_table(world: ims.IOTable) -> None:
    apec = aggregate_regions(world, keep=APEC_WIOD, others="non-APEC")
    assert set(regions(apec)) == {*APEC_WIOD, "non-APEC"}
    assert apec.x.sum() == pytest.approx(world.x.sum(), rel=1e-12)
    assert apec.va.sum() == pytest.approx(world.va.sum(), rel=1e-12)


def _write(tmp: Path, z: str, y: str, xva: str) -> Path:
    (tmp / "wiot2011_Z.csv").write_text(z)
    (tmp / "wiot2011_Y.csv").write_text(y)
    (tmp / "wiot2011_x_va.csv").write_text(xva)
    (tmp / "wiod2013_sectors.csv").write_text("code,nace_rev1,description\nc1,AtB,Agriculture\n")
    return tmp


def test_reader_on_a_tiny_two_country_file(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        "from\\to,AAA_c1,BBB_c1\nAAA_c1,10,5\nBBB_c1,2,20\n",
        "from\\to,AAA_CONS_h,BBB_GFCF\nAAA_c1,80,5\nBBB_c1,3,75\n",
        "country_sector,output,value_added_residual\nAAA_c1,100,88\nBBB_c1,100,75\n",
    )
    t = read_wiod2013(folder)
    assert regions(t) == ("AAA", "BBB")
    assert list(t.final_demand_categories) == [
        ("AAA", "households"),
        ("BBB", "gfcf"),
        ("ALL", "discrepancy"),
    ]
    # Discrepancy = x − Z1 − Y1 = (100 − 15 − 85, 100 − 22 − 78) = (0, 0).
    np.testing.assert_allclose(t.final_demand[("ALL", "discrepancy")], [0.0, 0.0])


@pytest.mark.parametrize(
    ("z", "match"),
    [
        ("from\\to,AAA_c1,BBB_c1\nAAA_c1,10,x\nBBB_c1,2,20\n", "not a number"),
        ("from\\to,AAA_c1,BBB_c1\nAAA_c1,10,5\nBBB_1,2,20\n", "not of the form"),
        ("from\\to,BBB_c1,AAA_c1\nAAA_c1,10,5\nBBB_c1,2,20\n", "same region-sectors"),
    ],
)
def test_reader_errors_name_the_file_and_cell(tmp_path: Path, z: str, match: str) -> None:
    folder = _write(
        tmp_path,
        z,
        "from\\to,AAA_CONS_h,BBB_GFCF\nAAA_c1,80,5\nBBB_c1,3,75\n",
        "country_sector,output,value_added_residual\nAAA_c1,100,88\nBBB_c1,100,75\n",
    )
    with pytest.raises(ims.DataSourceError, match=match) as err:
        read_wiod2013(folder)
    assert "wiot2011_Z.csv" in str(err.value)


def test_reader_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ims.DataSourceError, match="not a folder"):
        read_wiod2013(tmp_path / "nope")
    with pytest.raises(ims.DataSourceError, match="file not found"):
        read_wiod2013(tmp_path)
