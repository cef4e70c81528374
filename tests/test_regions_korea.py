"""Korean provinces: the bundled Statistics Korea persons-engaged data, the BOK → KSIC
concordance, and FLQ regionalisation of the korea-2020 table.

Oracle for the data: the persons-engaged counts and location quotients computed by hand
from Statistics Korea, Census on Establishments 2020 (docs/sources.md#kostat-establishments-2020):
Incheon 1,208,269 persons, 253,606 in manufacturing, manufacturing LQ 1.22.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import impactsim as ims
from impactsim.regional import (
    PROVINCES,
    bok_ksic_concordance,
    compare_multipliers,
    province_name,
    provincial_employment,
    regionalize,
)

ROOT = Path(__file__).parents[1]
SHARED = ROOT / ".." / "shared" / "data"


def test_bundled_counts_match_the_published_figures() -> None:
    e = provincial_employment()
    assert e.loc["Korea", "total"] == 24_813_449
    assert e.loc["Incheon", "total"] == 1_208_269
    assert e.loc["Incheon", "C"] == 253_606
    assert e.loc["Gyeonggi", "J"] == 158_961
    assert e.loc["Ulsan", "C"] == 175_733
    assert "Statistics Korea" in e.attrs["provenance"]["publisher"]
    # Provinces add up to the nation, sections to all industries.
    provinces = e.drop(index="Korea")
    assert len(provinces) == 17
    assert (provinces.sum() == e.loc["Korea"]).all()
    assert (e.drop(columns="total").sum(axis=1) == e["total"]).all()


@pytest.mark.parametrize(
    ("province", "section", "lq"),
    [
        ("Incheon", "C", 1.22),
        ("Incheon", "J", 0.37),
        ("Ulsan", "C", 1.88),
        ("Gyeonggi", "C", 1.37),
        ("Seoul", "J", 2.51),
        ("Gyeongbuk", "D", 2.23),
    ],
)
def test_location_quotients_match_facts(province: str, section: str, lq: float) -> None:
    e = provincial_employment()
    slq = (e.loc[province, section] / e.loc[province, "total"]) / (
        e.loc["Korea", section] / e.loc["Korea", "total"]
    )
    assert slq == pytest.approx(lq, abs=0.005)


def test_province_names_and_aliases() -> None:
    assert len(PROVINCES) == 17
    for alias in ("Incheon", "인천", "incheon metropolitan city", "INCHEON"):
        assert province_name(alias) == "Incheon"
    assert province_name("Gyeonggi-do") == "Gyeonggi"
    assert province_name("North Gyeongsang") == "Gyeongbuk"
    assert province_name("충청남도") == "Chungnam"
    with pytest.raises(ims.TableError, match="did you mean"):
        province_name("Incheion")


def test_concordance_covers_every_bok_product() -> None:
    conc = bok_ksic_concordance()
    assert len(conc) == 165 and conc.index.is_unique
    assert conc["310"] == "C" and conc["610"] == "J" and conc["450"] == "D"
    assert conc["502"] == "F" and conc["513"] == "F" and conc["520"] == "G"
    assert conc["571"] == "J" and conc["572"] == "H"  # postal (KSIC 611) vs courier (494)
    assert conc["830"] == "*"
    assert set(conc) - {"*"} <= set("ABCDEFGHIJKLMNOPQRS")


@pytest.mark.skipif(
    not (SHARED / "kostat-establishment-survey-sido").is_dir(),
    reason="optional for users: rebuilds from the raw KOSTAT CSV (../shared/data beside the "
    "repository), which a plain clone does not have",
)
def test_regional_data_rebuild_is_byte_identical(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_regional_employment", ROOT / "scripts" / "build_regional_employment.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    files = mod.build(SHARED, tmp_path)
    bundled = ROOT / "src" / "impactsim" / "datasets" / "data" / "kostat-sido-2020"
    for name, blob in files.items():
        assert (bundled / name).read_bytes() == blob, name


@pytest.fixture(scope="module")
def korea() -> ims.IOTable:
    return ims.load_table("korea-2020")


@pytest.fixture(scope="module")
def korea_model(korea: ims.IOTable) -> ims.LeontiefModel:
    return ims.LeontiefModel(korea)


def test_incheon_flq_regional_table(korea: ims.IOTable, korea_model: ims.LeontiefModel) -> None:
    reg = regionalize(korea, region="Incheon", method="flq", delta=0.3)
    assert reg.meta.region == "Incheon" and reg.n == korea.n
    info = reg.meta.provenance["regionalisation"]
    assert info["regional_share_of_national_total"] == pytest.approx(1_208_269 / 24_813_449)
    assert info["lambda_star"] == pytest.approx(np.log2(1 + 1_208_269 / 24_813_449) ** 0.3)
    # Manufacturing share of national manufacturing employment: 253,606 / 4,260,429.
    pos = korea.sector_position("310-MEM")
    assert reg.output["310-MEM"] == pytest.approx(korea.x[pos] * 253_606 / 4_260_429)
    a_r = ims.LeontiefModel(reg).a
    assert np.all(np.abs(a_r) <= np.abs(korea_model.a) * (1 + 1e-12))
    out = compare_multipliers(korea_model, reg)
    assert (out["ratio"] < 1).all() and (out["ratio"] > 0.3).all()
    # The same table whatever the spelling of the province.
    again = regionalize(korea, region="인천")
    np.testing.assert_array_equal(again.z_domestic, reg.z_domestic)


@pytest.mark.parametrize(
    ("province", "method"), [("Gyeonggi", "slq"), ("Ulsan", "cilq"), ("Sejong", "flq")]
)
def test_korean_provinces_regionalise_with_every_method(
    korea: ims.IOTable, korea_model: ims.LeontiefModel, province: str, method: str
) -> None:
    reg = regionalize(korea, province, method=method)
    reg_model = ims.LeontiefModel(reg)
    assert np.all(np.abs(reg_model.a) <= np.abs(korea_model.a) * (1 + 1e-12))
    ratio = compare_multipliers(korea_model, reg_model, measure="value_added")["ratio"]
    assert (ratio <= 1 + 1e-9).all()
