"""The bundled default table korea-2020: BOK's published 2020 figures, the contract, the splits.

Published figures (Bank of Korea, 2020 input-output tables, released 29 Apr 2024; employment
annex released 25 Jun 2024, as reported by Edaily and etoday; docs/sources.md#bok-io-2020):
production inducement 1.804, value-added inducement 0.806, employment coefficient 5.4 persons
per KRW 1 bn of output and employment inducement 9.7 persons per KRW 1 bn of final demand.
BOK's all-economy coefficient weights each product's coefficient by its share of *domestic*
final demand (incl. exports) — the workbook test below shows it on BOK's own numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

import impactsim as ims

SPLIT_PARTS = {"310": ("310-MEM", "310-NMEM"), "610": ("610-DC", "610-OTH")}


@pytest.fixture(scope="module")
def korea() -> ims.IOTable:
    return ims.load_table("korea-2020")


@pytest.fixture(scope="module")
def bok165() -> ims.IOTable:
    return ims.load_table("korea-2020-165")


def fd_weighted(table: ims.IOTable, measure: str) -> float:
    """Σ_j multiplier_j · y_d,j / Σ_j y_d,j with y_d the domestic final demand by product."""
    mult = ims.LeontiefModel(table).multipliers()[measure].to_numpy()
    y = table.y_domestic.sum(axis=1)
    return float(mult @ y / y.sum())


def test_bok_published_2020_coefficients(korea: ims.IOTable) -> None:
    assert round(fd_weighted(korea, "output"), 3) == 1.804
    assert round(fd_weighted(korea, "value_added"), 3) == 0.806
    # persons per KRW 1 bn = persons per million KRW × 1000
    direct = korea.sats["employment"].sum() / korea.x.sum() * 1000
    assert round(direct, 1) == 5.4
    assert round(fd_weighted(korea, "employment") * 1000, 1) == 9.7
    # wage earners (고용계수) 4.0 per KRW 1 bn of output, reported with the same release
    assert round(korea.sats["employees"].sum() / korea.x.sum() * 1000, 1) == 4.0


def test_weights_are_domestic_final_demand(korea: ims.IOTable) -> None:
    """With total (domestic + imported) final demand as weights BOK's 1.804 is missed."""
    mult = ims.LeontiefModel(korea).multipliers()["output"].to_numpy()
    assert korea.y_imported is not None
    y_total = (korea.y_domestic + korea.y_imported).sum(axis=1)
    assert round(float(mult @ y_total / y_total.sum()), 3) != 1.804


def test_contract(korea: ims.IOTable) -> None:
    m = korea.meta
    assert (m.name, m.region, m.year, m.currency, m.unit, m.price_year) == (
        "korea-2020",
        "KOR",
        2020,
        "KRW",
        1e6,
        2020,
    )
    assert m.price_basis == "producers' prices"
    assert m.employment_unit == "persons (FTE)"
    assert m.money_unit == "million KRW"
    labels = list(korea.sectors)
    assert labels[0] == "011" and labels[-1] == "830" and len(labels) == 167
    for parent, parts in SPLIT_PARTS.items():
        assert parent not in labels
        assert all(p in labels for p in parts)
    for code in (
        "331",
        "339",
        "340",
        "351",
        "394",
        "410",
        "450",
        "502",
        "513",
        "591",
        "621",
        "629",
    ):
        assert code in labels
    assert list(korea.final_demand_categories) == [
        "households",
        "government",
        "gfcf_private",
        "gfcf_government",
        "inventories",
        "valuables",
        "exports",
    ]
    assert list(korea.value_added_components) == [
        "compensation",
        "operating_surplus",
        "depreciation",
        "production_taxes",
    ]
    assert list(korea.sats) == ["employment", "employees"]
    assert korea.z_imported is not None and korea.y_imported is not None
    info = korea.sector_info
    assert info is not None and list(info.columns) == ["name_en", "name_ko", "bok33"]
    assert info.loc["340", "name_en"] == "Computers and peripheral equipment"
    assert info.loc["340", "name_ko"] == "컴퓨터 및 주변기기"
    assert info.loc["310-MEM", "bok33"] == "C09" and info.loc["610-DC", "bok33"] == "J"
    assert info["name_en"].str.len().min() > 0
    # listed in the catalog with its provenance; load_table() defaults to it, cached
    cat = ims.list_tables().set_index("name")
    assert cat.loc["korea-2020", "default"]
    assert cat.loc["korea-2020", "sectors"] == korea.n
    assert cat.loc["korea-2020", "publisher"] == "Bank of Korea"
    assert ims.load_table() is korea


def test_provenance(korea: ims.IOTable) -> None:
    prov = korea.meta.provenance
    assert "Bank of Korea" in prov["publisher"]
    assert "attribution" in prov["licence"]
    assert "khio00/IO-Analysis" in prov["rehosted"]
    files = {s["file"]: s["sha256"] for s in prov["sources"]}
    assert set(files) == {
        "총거래표.csv",
        "국산거래표.csv",
        "고용표.csv",
        "소분류(상품).csv",
        "행통합행렬.csv",
    }
    assert all(len(h) == 64 for h in files.values())
    splits = {s["sector"]: s for s in prov["split_assumptions"]}
    # the shares are the docs/sources.md#korea-2020-splits figures:
    # memory 63.93 / 100.25 bn USD exports; data centres
    # > 3 tn KRW revenue / 17.57 tn KRW output of product 610
    mem = round(63.93 / 100.25, 2)
    assert splits["310"]["into"] == {"310-MEM": mem, "310-NMEM": round(1 - mem, 2)}
    dc = round(3 / 17.57, 2)
    assert splits["610"]["into"] == {"610-DC": dc, "610-OTH": round(1 - dc, 2)}
    assert "[DER]" in splits["310"]["tag"] and "[IND]" in splits["610"]["tag"]
    assert "upper bound" in splits["610"]["basis"]
    # the parts' columns: own prior cost structures, balanced to the parent (RAS)
    method = "balanced (RAS) to the parent from prior cost structures"
    assert [list(d["columns"]) for d in prov["disaggregation"]] == [[method]] * 2
    assert set(prov["disaggregation"][1]["columns"][method]) == {"610-DC", "610-OTH"}


def test_split_sources_match_the_table(bok165: ims.IOTable) -> None:
    """sources.md#bok-io-2020: BOK's 2020 output of 310 (125.15 tn KRW) and 610 (17.57 tn KRW)."""
    assert round(bok165.x[bok165.sector_position("310")] / 1e6, 2) == 125.15
    assert round(bok165.x[bok165.sector_position("610")] / 1e6, 2) == 17.57


def test_splits_keep_totals_and_other_multipliers(korea: ims.IOTable, bok165: ims.IOTable) -> None:
    for get in (
        lambda t: t.x.sum(),
        lambda t: t.va.sum(axis=1),
        lambda t: t.y_domestic.sum(axis=0),
        lambda t: t.y_imported.sum(axis=0),
        lambda t: t.z_imported.sum(),
        lambda t: t.import_row.sum(),
        lambda t: t.sats["employment"].sum(),
        lambda t: t.sats["employees"].sum(),
    ):
        np.testing.assert_allclose(get(korea), get(bok165), rtol=1e-12)
    for parent, parts in SPLIT_PARTS.items():
        p = bok165.sector_position(parent)
        xs = [korea.x[korea.sector_position(s)] for s in parts]
        assert sum(xs) == pytest.approx(bok165.x[p], rel=1e-12)
    # the parts have technologies of their own (tests/test_split_technology.py checks that their
    # output-weighted coefficients are the parent's), so their multipliers differ
    new = ims.LeontiefModel(korea).multipliers()
    for a, b in SPLIT_PARTS.values():
        assert abs(new.loc[a, "employment"] - new.loc[b, "employment"]) > 1e-5
    # the parent-technology split (same multipliers everywhere) is a property test in
    # test_data_sectors.py


def test_changing_a_split_assumption() -> None:
    """The documented recipe: re-split the official table with other shares (docs/data.md)."""
    base = ims.load_table("korea-2020-165")
    t = ims.disaggregate(base, "310", {"310-MEM": 0.7, "310-NMEM": 0.3}, source="my estimate")
    assert t.x[t.sector_position("310-MEM")] == pytest.approx(
        0.7 * base.x[base.sector_position("310")]
    )
    assert t.meta.provenance["disaggregation"][-1]["source"] == "my estimate"


def test_unknown_table_name() -> None:
    with pytest.raises(ims.DataSourceError, match=r"no table named 'korea-2021'.*did you mean"):
        ims.load_table("korea-2021")
