"""Oracle: BOK's own 2020 83-sector workbook. The table read from its transactions sheets must
reproduce BOK's production-, value-added- and import-inducement sheets (the Leontief inverse
cell by cell, every row and column sum). Both come from the extract in tests/data/bok-2020-83,
so the oracle runs in a plain clone; tests/test_data_extracts.py rebuilds the extract from the
workbook when the source files are present.

Definitions found in the workbook (checked below): 생산유발계수 = L_d = (I − A_d)⁻¹ with 행합
(row sums), 감응도계수 (row sum / mean row sum), 열합 (column sums) and 영향력계수 (column sum /
mean column sum); 부가가치유발계수 = v̂ L_d with v the value-added coefficient row, so its 열합 is
v'L_d; 수입유발계수 = A_m L_d with A_m the import coefficients (imported flows / output), 열합
m'L_d. Printed precision: the sheets' number format ``#,##0.000`` (3 decimals).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impactsim as ims

#: BOK's 83-sector 2020 table and its published inducement sheets, extracted from BOK's
#: workbook by scripts/build_test_extracts.py (tests/data/README.md: source and licence).
EXTRACT = Path(__file__).parent / "data" / "bok-2020-83"
N = 83
#: BOK prints the sheets with the number format ``#,##0.000``; it stores the full double.
PLACES = 3


@pytest.fixture(scope="module")
def table() -> ims.IOTable:
    return ims.IOTable.from_dir(EXTRACT / "table")


@pytest.fixture(scope="module")
def published() -> dict[str, pd.DataFrame]:
    folder = EXTRACT / "published"
    return {p.stem: pd.read_csv(p, dtype={"code": str}).set_index(
        "code" if p.stem != "by_final_demand" else "measure") for p in folder.glob("*.csv")}


def compare(ours: np.ndarray, theirs: np.ndarray, places: int = PLACES) -> float:
    """Equal at the printed precision (half a unit of the last printed digit); max deviation."""
    dev = np.abs(np.asarray(ours, dtype=float) - np.asarray(theirs, dtype=float))
    half = 0.5 * 10.0**-places
    assert dev.max() < half, f"max deviation {dev.max():.3g} ≥ {half}"
    return float(dev.max())


def test_extract_layout(table, published) -> None:
    codes = [f"{i:02d}" for i in range(1, N + 1)]
    assert [str(c) for c in table.sectors] == codes
    out = published["output_inducement"]
    assert list(out.index[:N]) == codes and list(out.columns[:N]) == codes
    assert list(out.index[N:]) == ["column_sum", "power_of_dispersion"]
    for key in ("value_added_inducement", "import_inducement"):
        assert list(published[key].index) == codes


def test_production_inducement(table, published) -> None:
    v = published["output_inducement"]
    model = ims.LeontiefModel(table)
    big_l = model.leontief_inverse.to_numpy()
    col = model.multipliers()["output"].to_numpy()  # one transposed solve, not L
    cells = v.iloc[:N, :N].to_numpy(dtype=float)
    dev = [
        compare(big_l, cells),
        compare(big_l.sum(axis=1), v["row_sum"].iloc[:N]),
        compare(big_l.sum(axis=1) / big_l.sum(axis=1).mean(),
                v["sensitivity_of_dispersion"].iloc[:N]),
        compare(col, v.loc["column_sum"].iloc[:N]),
        compare(col / col.mean(), v.loc["power_of_dispersion"].iloc[:N]),
    ]
    # BOK stores the full double: the model agrees far beyond the printed precision
    assert max(dev) < 1e-12


def test_value_added_inducement(table, published) -> None:
    """부가가치유발계수 = v̂ L_d: its 행합 is v_i Σ_j L_ij, its 열합 the multiplier v'L_d."""
    v = published["value_added_inducement"]
    model = ims.LeontiefModel(table)
    coef = table.va.sum(axis=0) / table.x
    matrix = coef[:, np.newaxis] * model.leontief_inverse.to_numpy()
    dev = [
        compare(matrix.sum(axis=1), v["row_sum"]),
        compare(model.multipliers()["value_added"].to_numpy(), v["column_sum"]),
    ]
    assert max(dev) < 1e-12


def test_import_inducement(table, published) -> None:
    """수입유발계수 = A_m L_d: 행합 by product, 열합 the multiplier m'L_d."""
    v = published["import_inducement"]
    model = ims.LeontiefModel(table)
    assert table.z_imported is not None
    a_m = table.z_imported / table.x[np.newaxis, :]
    matrix = a_m @ model.leontief_inverse.to_numpy()
    dev = [
        compare(matrix.sum(axis=1), v["row_sum"]),
        compare(model.multipliers()["imports"].to_numpy(), v["column_sum"]),
    ]
    assert max(dev) < 1e-12
    # value added + imports = 1 per unit of final demand, product by product (BOK's sheets)
    mult = model.multipliers()
    np.testing.assert_allclose(mult["value_added"] + mult["imports"], 1.0, rtol=1e-12)
    published_sum = published["value_added_inducement"]["column_sum"] + v["column_sum"]
    np.testing.assert_allclose(published_sum, 1.0, rtol=1e-12)


def test_inducement_by_final_demand_category(table, published) -> None:
    """BOK's 유발계수 row: output and value added per unit of *domestic* final demand by
    category; imports (incl. imported final goods) per unit of *total* final demand."""
    model = ims.LeontiefModel(table)
    y_d = table.y_domestic
    assert table.y_imported is not None
    y_t = y_d + table.y_imported
    x_by_cat = model.solve(y_d)  # n × categories
    coef = model.measure_coefficients
    k = list(model.measures)
    ours = {
        "최종수요항목별 생산유발액": x_by_cat.sum(axis=0) / y_d.sum(axis=0),
        "최종수요항목별 부가가치유발액": coef[k.index("value_added")] @ x_by_cat / y_d.sum(axis=0),
        "최종수요항목별 수입유발액": (
            coef[k.index("imports")] @ x_by_cat + table.y_imported.sum(axis=0)
        )
        / y_t.sum(axis=0),
    }
    totals = {
        "최종수요항목별 생산유발액": table.x.sum() / y_d.sum(),
        "최종수요항목별 부가가치유발액": table.va.sum() / y_d.sum(),
        "최종수요항목별 수입유발액": (table.z_imported.sum() + table.y_imported.sum()) / y_t.sum(),
    }
    rows = {"최종수요항목별 생산유발액": "output", "최종수요항목별 부가가치유발액": "value_added",
            "최종수요항목별 수입유발액": "imports"}
    for name, values in ours.items():
        row = published["by_final_demand"].loc[rows[name]].to_numpy(dtype=float)
        np.testing.assert_allclose(values, row[:7], rtol=1e-12)  # 9111 … 9140
        assert totals[name] == pytest.approx(row[7], rel=1e-12)  # 9190, all final demand
    # BOK's headline 1.804 / 0.806 are the all-final-demand values
    assert round(totals["최종수요항목별 생산유발액"], 3) == 1.804
    assert round(totals["최종수요항목별 부가가치유발액"], 3) == 0.806


def test_same_economy_as_the_bundled_table(table) -> None:
    """The 83-sector workbook and the bundled 165-product table describe the same economy."""
    t83, t165 = table, ims.load_table("korea-2020-165")
    for get in (
        lambda t: t.x.sum(),
        lambda t: t.va.sum(axis=1),
        lambda t: t.y_domestic.sum(axis=0),
    ):
        np.testing.assert_allclose(get(t83), get(t165), rtol=1e-12)
