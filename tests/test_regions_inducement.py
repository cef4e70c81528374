"""BOK-style regional inducement coefficients (:func:`impactsim.regional_inducement`).

Checked against the Bank of Korea's published 2020 regional coefficients for its five
multi-province economic regions (tests/data/bok_regional_coefficients_2020.csv, source and
licence in tests/data/README.md), against the national multipliers (the two-region model
aggregates to the national one) and against the column-balance identity (value added + imports
= 1 per unit of final demand, Type I)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impactsim as ims
from impactsim.errors import OptionError
from impactsim.regional import MACRO_REGIONS

BOK = Path(__file__).parent / "data" / "bok_regional_coefficients_2020.csv"


@pytest.fixture(scope="module")
def table() -> ims.IOTable:
    return ims.load_table("korea-2020")


@pytest.fixture(scope="module")
def comparison(table: ims.IOTable) -> pd.DataFrame:
    bok = pd.read_csv(BOK, dtype={"bok83": str})
    assert len(bok) == 60 and set(bok["region"]) == set(MACRO_REGIONS)
    rows = []
    for _, b in bok.iterrows():
        f = ims.regional_inducement(table, b["region"], products=b["bok165"].split(";"))
        rows.append({
            "region": b["region"], "sector": b["sector_ko"],
            "bok_output": b["output"], "output": f.loc["output", "total"],
            "bok_jobs": b["employment_per_krw_bn"],
            "jobs": f.loc["employment", "total"] * 1000.0,  # per million KRW -> per billion
        })
    return pd.DataFrame(rows)


def test_total_output_inducement_is_close_to_bok_regional_tables(comparison) -> None:
    rel = comparison["output"] / comparison["bok_output"] - 1.0
    # national technology in every region: sector by sector within 30 %, on average within 8 %
    assert rel.abs().max() < 0.30
    assert rel.abs().mean() < 0.08
    by_region = comparison.groupby("region")[["output", "bok_output"]].mean()
    np.testing.assert_allclose(by_region["output"], by_region["bok_output"], rtol=0.05)


def test_total_employment_inducement_is_in_bok_range(comparison) -> None:
    rel = comparison["jobs"] / comparison["bok_jobs"] - 1.0
    assert abs(rel.mean()) < 0.15 and rel.abs().median() < 0.15


def test_totals_are_the_national_multipliers_and_value_added_plus_imports_is_one(table) -> None:
    model = ims.LeontiefModel(table)
    linv = model.leontief_inverse.to_numpy()
    va = model.measure_coefficients[model.measures.index("value_added")]
    jobs = np.divide(table.employment, table.x, out=np.zeros(table.n), where=table.x > 0)
    for region in ("Ulsan", "동남권"):
        f = ims.regional_inducement(table, region, by_product=True)
        tot = f["total"].unstack("measure").loc[[str(s) for s in table.sectors]]
        np.testing.assert_allclose(tot["output"], linv.sum(axis=0), rtol=1e-9)
        np.testing.assert_allclose(tot["value_added"], va @ linv, rtol=1e-9)
        np.testing.assert_allclose(tot["employment"], jobs @ linv, rtol=1e-9, atol=1e-12)
        # column balance of the table: every won of final demand is value added or imports
        np.testing.assert_allclose(tot["value_added"] + tot["imports"], 1.0, atol=1e-6)
        parts = f["within_region"] + f["other_regions"]
        np.testing.assert_allclose(parts, f["total"], rtol=1e-12)
        assert (f["other_regions"] >= -1e-12).all()
        assert (f["within_region"] <= f["total"] + 1e-12).all()


def test_mix_and_region_names(table) -> None:
    a = ims.regional_inducement(table, "capital region")
    b = ims.regional_inducement(table, ["Seoul", "인천", "Gyeonggi-do"])
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["provinces"] == ("Seoul", "Incheon", "Gyeonggi")
    assert a.attrs["weights"].sum() == pytest.approx(1.0)
    exports = ims.regional_inducement(table, "Ulsan", mix={"exports": 1.0})
    cons = ims.regional_inducement(table, "Ulsan", mix={"consumption": 1.0})
    # consumption buys services made with more domestic value added than Ulsan's exports
    # (refined oil, chemicals, ships with imported inputs)
    assert cons.loc["value_added", "total"] > exports.loc["value_added", "total"]
    with pytest.raises(OptionError, match="unknown final-demand group"):
        ims.regional_inducement(table, "Ulsan", mix={"tourism": 1.0})
    with pytest.raises(OptionError, match="not sectors"):
        ims.regional_inducement(table, "Ulsan", products=["999"])
