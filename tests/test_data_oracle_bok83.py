"""Oracle: BOK's own 2020 83-sector workbook. The table read from its transactions sheets must
reproduce BOK's production-, value-added- and import-inducement sheets cell by cell.

Definitions found in the workbook (checked below): 생산유발계수 = L_d = (I − A_d)⁻¹ with 행합
(row sums), 감응도계수 (row sum / mean row sum), 열합 (column sums) and 영향력계수 (column sum /
mean column sum); 부가가치유발계수 = v̂ L_d with v the value-added coefficient row, so its 열합 is
v'L_d; 수입유발계수 = A_m L_d with A_m the import coefficients (imported flows / output), 열합
m'L_d. Printed precision: the sheets' number format ``#,##0.000`` (3 decimals).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import impactsim as ims
from _data_support import bok83_workbook
from impactsim.tables.readers import read_bok_xlsx
from impactsim.tables.readers.bok import open_workbook

pytestmark = pytest.mark.shared

N = 83
FIRST = 6  # 0-based row of the first product


@pytest.fixture(scope="module")
def workbook() -> dict[str, Any]:
    path = bok83_workbook()
    table = read_bok_xlsx(path)
    wb = open_workbook(path)
    sheets: dict[str, Any] = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows())
        sheets[ws.title] = {
            "values": [[c.value for c in r] for r in rows],
            "format": rows[FIRST][2].number_format,
        }
    wb.close()
    return {"table": table, "sheets": sheets}


def decimals(number_format: str) -> int:
    """Decimals shown by an Excel number format such as '#,##0.000_ '."""
    found = re.search(r"\.(0+)", number_format)
    return len(found.group(1)) if found else 0


def block(values: list[list[Any]], rows: slice, cols: slice) -> np.ndarray:
    return np.array([r[cols] for r in values[rows]], dtype=float)


def compare(ours: np.ndarray, theirs: np.ndarray, places: int) -> float:
    """Equal at the printed precision (half a unit of the last printed digit); max deviation."""
    dev = np.abs(ours - theirs)
    half = 0.5 * 10.0**-places
    assert dev.max() < half, f"max deviation {dev.max():.3g} ≥ {half}"
    return float(dev.max())


def test_sheet_layout(workbook) -> None:
    sheets = workbook["sheets"]
    for name in ("생산유발계수", "부가가치유발계수", "수입유발계수"):
        v = sheets[name]["values"]
        codes = [str(c) for c in v[4][2 : 2 + N]]
        assert codes == [f"{i:02d}" for i in range(1, N + 1)]
        assert [str(r[0]) for r in v[FIRST : FIRST + N]] == codes
        assert str(v[FIRST + N][0]) == "9590" and v[FIRST + N][1] == "열합"
        assert v[5][2 + N] == "행합"
        assert decimals(sheets[name]["format"]) == 3


def test_production_inducement(workbook) -> None:
    table, v = workbook["table"], workbook["sheets"]["생산유발계수"]["values"]
    places = decimals(workbook["sheets"]["생산유발계수"]["format"])
    model = ims.LeontiefModel(table)
    big_l = model.leontief_inverse.to_numpy()
    col = model.multipliers()["output"].to_numpy()  # one transposed solve, not L
    rows = slice(FIRST, FIRST + N)
    dev = [
        compare(big_l, block(v, rows, slice(2, 2 + N)), places),
        compare(big_l.sum(axis=1), block(v, rows, slice(2 + N, 3 + N))[:, 0], places),
        compare(
            big_l.sum(axis=1) / big_l.sum(axis=1).mean(),
            block(v, rows, slice(3 + N, 4 + N))[:, 0],
            places,
        ),
        compare(col, np.array(v[FIRST + N][2 : 2 + N], dtype=float), places),
        compare(col / col.mean(), np.array(v[FIRST + N + 1][2 : 2 + N], dtype=float), places),
    ]
    # BOK stores the full double: the model agrees far beyond the printed precision
    assert max(dev) < 1e-12


def test_value_added_inducement(workbook) -> None:
    table, v = workbook["table"], workbook["sheets"]["부가가치유발계수"]["values"]
    places = decimals(workbook["sheets"]["부가가치유발계수"]["format"])
    model = ims.LeontiefModel(table)
    coef = table.va.sum(axis=0) / table.x
    matrix = coef[:, np.newaxis] * model.leontief_inverse.to_numpy()
    rows = slice(FIRST, FIRST + N)
    dev = [
        compare(matrix, block(v, rows, slice(2, 2 + N)), places),
        compare(matrix.sum(axis=1), block(v, rows, slice(2 + N, 3 + N))[:, 0], places),
        compare(
            model.multipliers()["value_added"].to_numpy(),
            np.array(v[FIRST + N][2 : 2 + N], dtype=float),
            places,
        ),
    ]
    assert max(dev) < 1e-12


def test_import_inducement(workbook) -> None:
    table, v = workbook["table"], workbook["sheets"]["수입유발계수"]["values"]
    places = decimals(workbook["sheets"]["수입유발계수"]["format"])
    model = ims.LeontiefModel(table)
    assert table.z_imported is not None
    a_m = table.z_imported / table.x[np.newaxis, :]
    matrix = a_m @ model.leontief_inverse.to_numpy()
    rows = slice(FIRST, FIRST + N)
    dev = [
        compare(matrix, block(v, rows, slice(2, 2 + N)), places),
        compare(matrix.sum(axis=1), block(v, rows, slice(2 + N, 3 + N))[:, 0], places),
        compare(
            model.multipliers()["imports"].to_numpy(),
            np.array(v[FIRST + N][2 : 2 + N], dtype=float),
            places,
        ),
    ]
    assert max(dev) < 1e-12
    # value added + imports = 1 per unit of final demand, product by product (BOK's sheets)
    mult = model.multipliers()
    np.testing.assert_allclose(mult["value_added"] + mult["imports"], 1.0, rtol=1e-12)


def test_inducement_by_final_demand_category(workbook) -> None:
    """BOK's 유발계수 row: output and value added per unit of *domestic* final demand by
    category; imports (incl. imported final goods) per unit of *total* final demand."""
    table, sheets = workbook["table"], workbook["sheets"]
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
    for name, values in ours.items():
        v = sheets[name]["values"]
        row = next(r for r in v if str(r[0]) == "9811")  # 유발계수
        assert row[1] == "유발계수"
        published = np.array(row[2:10], dtype=float)  # 9111 … 9140, then 9190 (all)
        np.testing.assert_allclose(values, published[:7], rtol=1e-12)
        assert totals[name] == pytest.approx(published[7], rel=1e-12)
    # BOK's headline 1.804 / 0.806 are the all-final-demand values
    assert round(totals["최종수요항목별 생산유발액"], 3) == 1.804
    assert round(totals["최종수요항목별 부가가치유발액"], 3) == 0.806


def test_same_economy_as_the_bundled_table(workbook) -> None:
    """The 83-sector workbook and the bundled 165-product table describe the same economy."""
    t83, t165 = workbook["table"], ims.load_table("korea-2020-165")
    for get in (
        lambda t: t.x.sum(),
        lambda t: t.va.sum(axis=1),
        lambda t: t.y_domestic.sum(axis=0),
    ):
        np.testing.assert_allclose(get(t83), get(t165), rtol=1e-12)
