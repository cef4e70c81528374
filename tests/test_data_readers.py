"""Readers for the public formats: what they read, and what they say about files they do not
understand (changed layout, missing rows, wrong encoding)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import numpy as np
import pytest

import impactsim as ims
from _data_support import BOK165, BOK_AGGREGATED, WIOD_2014
from impactsim.tables.readers import read_bok_csv, read_bok_xlsx, read_wiod_niot

# Totals printed in BOK's 2020 workbook (A표_총거래표 / 국산거래표, million KRW), see
# docs/sources.md#bok-io-2020: total output, domestic final demand, imports incl. product taxes.
BOK_OUTPUT = 4_557_248_699
BOK_DOMESTIC_FD = 2_525_875_255
BOK_IMPORTS = 663_935_937
BOK_IMPORTED_FD = 174_301_708
# 2020 FTE persons employed and employees, the '계' row of 고용표.csv
BOK_EMPLOYED, BOK_EMPLOYEES = 24_436_652, 18_176_224


def _assert_bok_published_totals(t: ims.IOTable) -> None:
    """The totals BOK prints for its 2020 table, which any grouping of its products keeps."""
    assert t.x.sum() == BOK_OUTPUT
    assert t.y_domestic.sum() == BOK_DOMESTIC_FD
    assert t.z_imported is not None and t.y_imported is not None
    assert t.z_imported.sum() + t.y_imported.sum() == BOK_IMPORTS
    assert t.y_imported.sum() == BOK_IMPORTED_FD
    # the published totals row differs from the sum of the 165 rounded products by a few persons
    assert abs(t.sats["employment"].sum() - BOK_EMPLOYED) <= 0.5 * 165
    assert abs(t.sats["employees"].sum() - BOK_EMPLOYEES) <= 0.5 * 165
    # BOK's rows and columns balance exactly (integers): Z_d 1 + Y_d 1 = x, 1'Z_d + m + 1'V = x
    bal = t.balance()
    assert bal["row_residual"].abs().max() == 0 and bal["column_residual"].abs().max() == 0
    assert t.sector_info is not None and t.sector_info.loc["310", "name_ko"] == "반도체"


@pytest.mark.skipif(
    not BOK165.is_dir(),
    reason="optional for users: reads BOK's full 165-product files (../shared/data beside the "
    "repository), which a plain clone does not have; the same published totals are checked on "
    "the aggregated extract in tests/data",
)
def test_bok_csv_reads_the_165_product_table() -> None:
    t = read_bok_csv(BOK165)
    assert t.n == 165 and t.meta.unit == 1e6 and t.meta.currency == "KRW" and t.meta.year == 2020
    _assert_bok_published_totals(t)


def test_bok_csv_reads_the_aggregated_extract_with_the_published_totals() -> None:
    """BOK's files with the products summed into 13 groups (tests/data): the grand totals
    BOK prints are those of the full table, and every row and column still balances."""
    t = read_bok_csv(BOK_AGGREGATED)
    assert list(t.sectors) == ["011", "100", "200", "301", "310", "320", "401", "501", "600",
                               "610", "621", "700", "800"]
    _assert_bok_published_totals(t)  # the extract's rows are sums of BOK's 165 rounded rows
    # output of each group = its intermediate and final uses, a second route to the same total
    assert (t.z_domestic.sum(axis=1) + t.y_domestic.sum(axis=1) == t.x).all()


def _copy_bok(tmp_path: Path) -> Path:
    """A copy of the aggregated extract, in BOK's layout, for the tests to damage."""
    folder = tmp_path / "bok"
    folder.mkdir()
    for name in ("총거래표.csv", "국산거래표.csv", "고용표.csv"):
        shutil.copy(BOK_AGGREGATED / name, folder / name)
    return folder


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _write(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")


def test_bok_wrong_encoding(tmp_path: Path) -> None:
    folder = _copy_bok(tmp_path)
    path = folder / "총거래표.csv"
    path.write_bytes(path.read_text(encoding="utf-8-sig").encode("cp949"))
    with pytest.raises(ims.DataSourceError, match=r"총거래표\.csv: expected utf-8-sig text.*cp949"):
        read_bok_csv(folder)


def test_bok_missing_product_row(tmp_path: Path) -> None:
    folder = _copy_bok(tmp_path)
    path = folder / "국산거래표.csv"
    rows = _rows(path)
    del rows[6 + 4]  # product 310 (the fifth product) disappears
    _write(path, rows)
    with pytest.raises(
        ims.DataSourceError,
        match=r"국산거래표\.csv, cell A11: expected product row 310 \(product #5.*found 320",
    ):
        read_bok_csv(folder)


def test_bok_shifted_columns(tmp_path: Path) -> None:
    folder = _copy_bok(tmp_path)
    path = folder / "총거래표.csv"
    rows = _rows(path)
    for r in rows:
        r.insert(8, "")  # an inserted empty column inside the product block (C … O)
    _write(path, rows)
    with pytest.raises(ims.DataSourceError, match=r"총거래표\.csv, row 5: expected product codes"):
        read_bok_csv(folder)


def test_bok_moved_final_demand_column(tmp_path: Path) -> None:
    folder = _copy_bok(tmp_path)
    path = folder / "국산거래표.csv"
    rows = _rows(path)
    j1, j2 = rows[4].index("9111"), rows[4].index("9112")
    for r in rows[6:]:  # swap the data of two final-demand columns, keep the codes
        r[j1], r[j2] = r[j2], r[j1]
    _write(path, rows)
    with pytest.raises(
        ims.DataSourceError, match=r"국산거래표\.csv: domestic final demand .* exceeds the total"
    ):
        read_bok_csv(folder)


def test_bok_missing_value_added_row(tmp_path: Path) -> None:
    folder = _copy_bok(tmp_path)
    path = folder / "총거래표.csv"
    rows = [r for r in _rows(path) if r[0] != "9622"]
    _write(path, rows)
    with pytest.raises(
        ims.DataSourceError, match=r"expected a row with code 9622 below the products"
    ):
        read_bok_csv(folder)


def test_bok_other_unit(tmp_path: Path) -> None:
    folder = _copy_bok(tmp_path)
    path = folder / "총거래표.csv"
    rows = _rows(path)
    rows[3][0] = "단위 : 십억원"
    _write(path, rows)
    with pytest.raises(
        ims.DataSourceError, match=r"cell A4: expected the unit line.*found '단위 : 십억원'"
    ):
        read_bok_csv(folder)


def test_bok_employment_year_absent(tmp_path: Path) -> None:
    folder = _copy_bok(tmp_path)
    with pytest.raises(
        ims.DataSourceError, match=r"고용표\.csv, row 5: expected a column headed '2019년'"
    ):
        read_bok_csv(folder, employment_year=2019)
    t = read_bok_csv(folder, employment_year=None)
    assert t.sats == {}


def test_bok_xlsx_missing_sheet_and_not_a_workbook(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (extra 'excel') not installed")
    wb = openpyxl.Workbook()
    wb.active.title = "A표_총거래표(생산자가격)"
    path = tmp_path / "two.xlsx"
    wb.save(path)
    with pytest.raises(
        ims.DataSourceError, match=r"two\.xlsx: expected a sheet whose name contains '국산거래표'"
    ):
        read_bok_xlsx(path)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip file")
    with pytest.raises(ims.DataSourceError, match=r"bad\.xlsx: not a readable \.xlsx workbook"):
        read_bok_xlsx(bad)


@pytest.mark.parametrize("country", ["KOR", "JPN", "CHN"])
def test_wiod_national_tables(country: str) -> None:
    path = WIOD_2014 / f"{country}_NIOT_nov16.csv"  # WIOD's lines for 2014 (tests/data)
    t = read_wiod_niot(path, year=2014)
    assert t.meta.region == country and t.meta.currency == "USD" and t.meta.unit == 1e6
    # independent parse of the GO row: zero-output industries are dropped, the rest kept
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    go = next(r for r in rows if r[0] == "2014" and r[1] == "GO")
    head = rows[0]
    output = {head[j]: float(go[j].replace(" ", "")) for j in range(4, head.index("CONS_h"))}
    assert list(t.sectors) == [k for k, v in output.items() if v > 0]
    assert t.x.sum() == sum(output.values())
    dropped = [d["code"] for d in t.meta.provenance["dropped_sectors"]]
    assert dropped == [k for k, v in output.items() if v == 0]
    assert "C26" in t.sectors and "J62_J63" in t.sectors
    mult = ims.LeontiefModel(t).multipliers()
    # every unit of final demand ends up as value added, net product taxes or imports (up to
    # WIOD's rounding to 1 million USD)
    total = mult["value_added"] + mult["imports"] + mult["net_product_taxes"]
    np.testing.assert_allclose(total, 1.0, atol=5e-3)


def _copy_wiod(tmp_path: Path) -> Path:
    src = WIOD_2014 / "KOR_NIOT_nov16.csv"
    dst = tmp_path / "KOR_NIOT_nov16.csv"
    shutil.copy(src, dst)
    return dst


def test_wiod_errors(tmp_path: Path) -> None:
    path = _copy_wiod(tmp_path)
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    with pytest.raises(
        ims.DataSourceError, match=r"no rows for year 2016; years in the file: \['2014'\]"
    ):
        read_wiod_niot(path, year=2016)
    path.write_text(
        "\n".join(ln for ln in lines if not ln.startswith("2014;VA;")), encoding="utf-8"
    )
    with pytest.raises(ims.DataSourceError, match=r"year 2014 lacks the TOT row\(s\) \['VA'\]"):
        read_wiod_niot(path, year=2014)
    path.write_text(text.replace(";", ","), encoding="utf-8")
    with pytest.raises(
        ims.DataSourceError, match=r"row 1: expected the columns \['Year', 'Code'.*semicolon"
    ):
        read_wiod_niot(path, year=2014)
    drop = next(i for i, ln in enumerate(lines) if ln.startswith("2014;C26;") and ";Imports;" in ln)
    path.write_text("\n".join(lines[:drop] + lines[drop + 1 :]), encoding="utf-8")
    with pytest.raises(
        ims.DataSourceError, match=r"expected Imports row for industry C26 \(#17 of 56"
    ):
        read_wiod_niot(path, year=2014)
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(ims.DataSourceError, match=r"expected utf-8-sig text"):
        read_wiod_niot(path, year=2014)
