"""Build the small oracle extracts under ``tests/data/`` from the Bank of Korea's public files.

Usage::

    python scripts/build_test_extracts.py SOURCE_DATA_DIR [--out tests/data]

``SOURCE_DATA_DIR`` is the folder holding BOK's published files (its sub-folders are named in
``tests/data/README.md``). The extracts let the oracle tests run in a plain clone: a user can
check that impactsim reproduces BOK's published coefficients without the source workbooks.

* ``bok-2020-83/table/``      BOK's 2020 83-sector table (total, domestic and imported
                              transactions sheets of BOK's workbook) in impactsim's table-folder
                              format, as :func:`impactsim.tables.readers.read_bok_xlsx` reads it;
* ``bok-2020-83/published/``  BOK's own inducement sheets of the same workbook, as published:
                              ``output_inducement.csv`` (생산유발계수: the 83 × 83 matrix, 행합,
                              감응도계수, 열합, 영향력계수), ``value_added_inducement.csv`` and
                              ``import_inducement.csv`` (부가가치 / 수입유발계수: 행합 and 열합 by
                              product),
                              ``by_final_demand.csv`` (the 유발계수 rows of the 최종수요항목별
                              생산 / 부가가치 / 수입유발액 sheets);
* ``bok-33-dispersion.csv``   BOK's published 33-sector 영향력계수 and 감응도계수, 2020–2023;
* ``bok-2020-aggregated/``    BOK's 2020 165-product CSV files (총거래표, 국산거래표, 고용표) in
                              their own layout, with the products summed into
                              :data:`AGGREGATE_GROUPS` contiguous groups (rows and columns alike):
                              sums of BOK's integers, so every published total and balance
                              identity holds exactly (the employment annex's 계 row, which BOK
                              rounds on its own, is the sum of its product rows); what
                              :func:`read_bok_csv` is tested on;
* ``wiod2016-2014/``          the 2014 rows of WIOD's national tables for Korea, Japan and China
                              (``*_NIOT_nov16.csv``), lines copied verbatim.

Numbers are copied as stored (full double precision, ``repr``; the aggregated BOK cells are
sums of BOK's whole numbers, written as BOK writes them); nothing else is recomputed.
Re-running reproduces the committed files byte for byte (tests/test_data_extracts.py).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))

from _build_cli import build_main  # noqa: E402

from impactsim.errors import DataSourceError  # noqa: E402
from impactsim.tables.readers import read_bok_xlsx  # noqa: E402
from impactsim.tables.readers.bok import open_workbook  # noqa: E402

DEFAULT_OUT = REPO / "tests" / "data"
BOK83_DIR = "bok-2020-83-khu-subapp"
BOK33_DIR = "bok-2020-2023-33-coefficients"
OUTPUT_33 = "투입산출표 생산유발계수표(생산자가격, 대분류)_16174702.csv"
N = 83
FIRST = 6  # 0-based row of the first product in BOK's inducement sheets
SHEETS = {
    "output_inducement": "생산유발계수",
    "value_added_inducement": "부가가치유발계수",
    "import_inducement": "수입유발계수",
}
BY_CATEGORY = {
    "output": "최종수요항목별 생산유발액",
    "value_added": "최종수요항목별 부가가치유발액",
    "imports": "최종수요항목별 수입유발액",
}
CATEGORY_CODES = ("9111", "9112", "9121", "9122", "9131", "9132", "9140", "9190")
BOK165_DIR = "bok-2020-165-khio00"
BOK165_FILES = ("총거래표.csv", "국산거래표.csv", "고용표.csv")
#: First product of each group of the aggregated BOK extract (groups run to the next start):
#: by the first digit of BOK's product code, with semiconductors (310) and information services
#: (610, which the bundled table splits into data centres and the rest) kept apart.
AGGREGATE_GROUPS = ("011", "100", "200", "301", "310", "320", "401", "501", "600", "610", "621",
                    "700", "800")
BOK_CODE_ROW, BOK_FIRST_ROW = 4, 6
WIOD_DIR = "wiod2016-niot"
WIOD_COUNTRIES = ("KOR", "JPN", "CHN")
WIOD_YEAR = "2014"


def _csv(rows: Sequence[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        writer.writerow([repr(float(v)) if isinstance(v, float | int) and not isinstance(v, bool)
                         else v for v in row])
    return buf.getvalue().encode()


def _sheet_values(path: Path) -> dict[str, list[list[Any]]]:
    wb = open_workbook(path)
    try:
        wanted = set(SHEETS.values()) | set(BY_CATEGORY.values())
        return {ws.title: [[c.value for c in r] for r in ws.iter_rows()]
                for ws in wb.worksheets if ws.title in wanted}
    finally:
        wb.close()


def _matrix_file(values: list[list[Any]]) -> bytes:
    """생산유발계수 as published: one row per product (code, the 83 cells, 행합, 감응도계수), then
    the 열합 and 영향력계수 rows (label, the 83 values)."""
    codes = [str(c) for c in values[4][2: 2 + N]]
    if [str(r[0]) for r in values[FIRST: FIRST + N]] != codes:
        raise DataSourceError("생산유발계수: row and column codes differ; not BOK's layout")
    if values[5][2 + N: 4 + N] != ["행합", "감응도계수"]:
        raise DataSourceError("생산유발계수: no 행합 / 감응도계수 columns after the products")
    rows: list[list[Any]] = [["code", *codes, "row_sum", "sensitivity_of_dispersion"]]
    rows += [[str(r[0]), *r[2: 4 + N]] for r in values[FIRST: FIRST + N]]
    for r, label in zip(values[FIRST + N: FIRST + N + 2], ("열합", "영향력계수"), strict=True):
        if r[1] != label:
            raise DataSourceError(f"생산유발계수: no {label} row after the products")
        rows.append([("column_sum", "power_of_dispersion")[label == "영향력계수"], *r[2: 2 + N]])
    return _csv(rows)


def _column_sums_file(values: list[list[Any]]) -> bytes:
    codes = [str(c) for c in values[4][2: 2 + N]]
    rows: list[list[Any]] = [["code", "row_sum", "column_sum"]]
    col = values[FIRST + N]
    if col[1] != "열합":
        raise DataSourceError("inducement sheet: no 열합 row after the products")
    for i, r in enumerate(values[FIRST: FIRST + N]):
        rows.append([codes[i], r[2 + N], col[2 + i]])
    return _csv(rows)


def _by_category_file(sheets: dict[str, list[list[Any]]]) -> bytes:
    rows: list[list[Any]] = [["measure", *CATEGORY_CODES]]
    for measure, title in BY_CATEGORY.items():
        row = next((r for r in sheets[title] if str(r[0]) == "9811"), None)
        if row is None or row[1] != "유발계수":
            raise DataSourceError(f"{title}: no 9811 유발계수 row")
        rows.append([measure, *row[2: 2 + len(CATEGORY_CODES)]])
    return _csv(rows)


def _dispersion_file(path: Path) -> bytes:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        data = list(csv.DictReader(fh))
    col, row = "수요부문(열)", "투입부문(행)"
    years = ("2020", "2021", "2022", "2023")
    out: list[list[Any]] = [["index", "sector", *years]]
    totals = {"행합", "감응도계수", "열합", "영향력계수"}
    for rec in data:
        if rec[col] in totals and rec[row] in totals:
            continue
        if rec[row] == "영향력계수":
            out.append(["power_of_dispersion", rec[col], *(float(rec[y]) for y in years)])
        elif rec[col] == "감응도계수":
            out.append(["sensitivity_of_dispersion", rec[row], *(float(rec[y]) for y in years)])
    if len(out) != 1 + 2 * 33:
        raise DataSourceError(f"{path.name}: expected 33 영향력계수 and 33 감응도계수 rows")
    return _csv(out)


def _bok_number(text: str, where: str) -> int:
    """A BOK cell (``"273,008 "``, ``" -1,201,076 "``) as a whole number."""
    raw = text.strip().replace(",", "")
    try:
        return int(raw)
    except ValueError:
        raise DataSourceError(f"{where}: {text!r} is not a whole number") from None


def _bok_cells(cells: Sequence[str], where: str) -> str:
    """The sum of BOK cells, written as BOK writes numbers; blank when all are blank."""
    if all(not c.strip() for c in cells):
        return ""
    return f"{sum(_bok_number(c, where) for c in cells):,} "


def _bok_groups(codes: Sequence[str]) -> list[list[int]]:
    """Positions of the products in each aggregate group (contiguous, in code order)."""
    starts = [codes.index(c) if c in codes else -1 for c in AGGREGATE_GROUPS]
    if -1 in starts or starts != sorted(starts) or starts[0] != 0:
        missing = [c for c, k in zip(AGGREGATE_GROUPS, starts, strict=True) if k < 0]
        raise DataSourceError(f"BOK 165 products: group starts {missing or 'out of order'}")
    ends = [*starts[1:], len(codes)]
    return [list(range(a, b)) for a, b in zip(starts, ends, strict=True)]


def _bok_aggregate_grid(rows: list[list[str]], name: str, *, columns: bool) -> list[list[str]]:
    """Sum the product rows (and, for a transactions table, the product columns) by group."""
    if columns:
        code_row = rows[BOK_CODE_ROW]
        n = code_row.index("9090") - 2
        codes = code_row[2: 2 + n]
    else:
        n = next(i for i in range(BOK_FIRST_ROW, len(rows)) if not rows[i][0].strip()) \
            - BOK_FIRST_ROW
        codes = [r[0] for r in rows[BOK_FIRST_ROW: BOK_FIRST_ROW + n]]
    if [r[0] for r in rows[BOK_FIRST_ROW: BOK_FIRST_ROW + n]] != codes:
        raise DataSourceError(f"{name}: product rows and columns differ; not BOK's layout")
    groups = _bok_groups(codes)

    def label(g: list[int], names: Sequence[str]) -> str:
        first = names[g[0]].strip()
        return first if len(g) == 1 else f"{first} 외 {len(g) - 1}개"

    def squeeze(row: list[str], i: int) -> list[str]:
        if not columns:
            return row
        part = row[2: 2 + n]
        if i == BOK_CODE_ROW:
            mid = [codes[g[0]] for g in groups]
        elif i == BOK_CODE_ROW + 1:
            mid = [label(g, part) for g in groups]
        elif i < BOK_FIRST_ROW:
            if any(c.strip() for c in part):
                raise DataSourceError(f"{name}, row {i + 1}: text above the product columns")
            mid = ["" for _ in groups]
        else:
            mid = [_bok_cells([part[k] for k in g], f"{name}, row {i + 1}") for g in groups]
        return [*row[:2], *mid, *row[2 + n:]]

    out = [squeeze(r, i) for i, r in enumerate(rows[:BOK_FIRST_ROW])]
    names = [r[1] for r in rows[BOK_FIRST_ROW: BOK_FIRST_ROW + n]]
    for g in groups:
        block = [rows[BOK_FIRST_ROW + k] for k in g]
        summed = [codes[g[0]], label(g, names)]
        summed += [_bok_cells([r[j] for r in block], f"{name}, product {codes[g[0]]}")
                   for j in range(2, len(rows[0]))]
        out.append(squeeze(summed, BOK_FIRST_ROW))
    for i, r in enumerate(rows[BOK_FIRST_ROW + n:]):
        if not columns and r[1].strip() == "계":  # the annex's total: BOK prints it rounded
            # from unrounded figures (24,436,652 persons where its 165 rows sum to 24,436,665),
            # which the reader allows only for as many rows as the file has: the extract's
            # total is the sum of BOK's rows, as for every other aggregated cell
            block = rows[BOK_FIRST_ROW: BOK_FIRST_ROW + n]
            r = [*r[:2], *(_bok_cells([b[j] for b in block], f"{name}, 계")
                           for j in range(2, len(r)))]
        out.append(squeeze(r, BOK_FIRST_ROW + n + i))
    return out


def _bok_aggregated(folder: Path) -> dict[str, bytes]:
    files = {}
    for name in BOK165_FILES:
        with (folder / name).open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        grid = _bok_aggregate_grid(rows, name, columns=name != "고용표.csv")
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(grid)
        files[f"bok-2020-aggregated/{name}"] = buf.getvalue().encode("utf-8-sig")
    return files


def _wiod_year(folder: Path) -> dict[str, bytes]:
    """The header lines and the :data:`WIOD_YEAR` rows of each country's national table."""
    files = {}
    for country in WIOD_COUNTRIES:
        name = f"{country}_NIOT_nov16.csv"
        lines = (folder / name).read_bytes().splitlines(keepends=True)
        head = [ln for ln in lines[:2] if not ln.lstrip(b"\xef\xbb\xbf")[:4].isdigit()]
        rows = [ln for ln in lines if ln.startswith(WIOD_YEAR.encode() + b";")]
        if len(head) != 2 or not rows:
            raise DataSourceError(f"{name}: expected two header lines and {WIOD_YEAR} rows")
        files[f"wiod2016-2014/{name}"] = b"".join([*head, *rows])
    return files


def build(source: Path, out: Path) -> dict[str, bytes]:
    """Derive the extracts from ``source``; write them below ``out``; return them by path."""
    from _build_cli import write_files

    books = sorted((source / BOK83_DIR).glob("*.xlsx"))
    if not books:
        raise DataSourceError(f"{source / BOK83_DIR}: BOK's 83-sector workbook not found")
    table = read_bok_xlsx(books[0], name="bok-2020-83")
    files = {f"bok-2020-83/table/{k}": v for k, v in table.to_files().items()}
    sheets = _sheet_values(books[0])
    files["bok-2020-83/published/output_inducement.csv"] = _matrix_file(
        sheets[SHEETS["output_inducement"]])
    for key in ("value_added_inducement", "import_inducement"):
        files[f"bok-2020-83/published/{key}.csv"] = _column_sums_file(sheets[SHEETS[key]])
    files["bok-2020-83/published/by_final_demand.csv"] = _by_category_file(sheets)
    files["bok-33-dispersion.csv"] = _dispersion_file(source / BOK33_DIR / OUTPUT_33)
    files.update(_bok_aggregated(source / BOK165_DIR))
    files.update(_wiod_year(source / WIOD_DIR))
    write_files(out, files)
    return files


def main(argv: list[str] | None = None) -> int:
    return build_main(build, doc=__doc__ or "", default_out=DEFAULT_OUT, argv=argv,
                      source_help="folder of BOK's public source files (see tests/data/README.md)")


if __name__ == "__main__":
    raise SystemExit(main())
