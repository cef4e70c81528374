"""Readers for the Bank of Korea (한국은행) input-output table layouts.

BOK publishes each transactions table as a grid: title lines, the unit line ``단위 : 백만원``
(million KRW) in the fourth row, the codes in the fifth row, the Korean names in the sixth, and
data from the seventh; the first column holds the row codes and the second the row names.
Products are the codes before ``9090`` (total intermediate demand). Rows below the products are
``9590`` (total intermediate input), value added ``9610`` compensation of employees, ``9621``
operating surplus, ``9622`` consumption of fixed capital, ``9630`` production taxes less subsidies,
``9690`` total value added and ``9790`` total input. Final-demand columns are ``9111`` … ``9140``.

* :func:`read_bok_csv` — the 165-product CSV files (total and domestic transactions, and the
  employment annex 고용표) as re-hosted in khio00/IO-Analysis.
* :func:`read_bok_xlsx` — BOK's xlsx workbook (e.g. the 83-sector 통합중분류 workbook) with total,
  domestic and imported transactions sheets; needs ``openpyxl`` (``pip install impactsim[excel]``).

Imports follow BOK: imported flows = total − domestic transactions, valued at producers' prices
including product taxes on imports (column 9322), so that by product
``imports (9329) = imported intermediate use + imported final demand``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import DataSourceError, TableError
from ..table import IOTable, table_from_parts
from ._grid import Grid, amount, cell_ref, read_text_grid, sha256_file, text_of

#: BOK final-demand codes → impactsim category names.
FINAL_DEMAND = {
    "9111": "households",
    "9112": "government",
    "9121": "gfcf_private",
    "9122": "gfcf_government",
    "9131": "inventories",
    "9132": "valuables",
    "9140": "exports",
}
#: BOK value-added row codes → impactsim component names.
VALUE_ADDED = {
    "9610": "compensation",
    "9621": "operating_surplus",
    "9622": "depreciation",
    "9630": "production_taxes",
}
INTERMEDIATE_DEMAND = "9090"
FINAL_DEMAND_TOTAL = "9190"
TOTAL_OUTPUT = "9310"
IMPORTS = "9321"
IMPORT_TAXES = "9322"
IMPORTS_TOTAL = "9329"
INTERMEDIATE_INPUT = "9590"
VALUE_ADDED_TOTAL = "9690"
TOTAL_INPUT = "9790"
UNIT_LINE = "백만원"
CODE_ROW = 4  # 0-based: the fifth row holds the codes
FIRST_DATA_ROW = 6

PUBLISHER = "Bank of Korea (한국은행)"
LICENCE = (
    "Bank of Korea official statistics, free to use with attribution "
    "(source: Bank of Korea, Input-Output Tables)"
)
IMPORTS_NOTE = (
    "imported flows = total − domestic transactions (BOK 총거래표 − 국산거래표), at producers' "
    "prices including product taxes on imports (9322): by product, imports 9329 = 9321 + 9322 "
    "= imported intermediate use + imported final demand; trade margins 9331 and freight 9332 "
    "are zero at producers' prices"
)

NEGATIVE_NOTE = (
    "some domestic flows are negative: BOK records by-products and scrap (부산물) as negative "
    "inputs of the using product (its by-product treatment); A_d is then not non-negative but "
    "(I − A_d) is still invertible and BOK's own inducement coefficients use it as is"
)


@dataclass(frozen=True)
class _Block:
    """A located BOK transactions grid: product codes, row positions, column positions."""

    source: str
    grid: Grid
    products: list[str]
    names: list[str]
    rows: dict[str, int]
    cols: dict[str, int]

    def value(self, row: str, col: str) -> float:
        i, j = self.rows[row], self.cols[col]
        cells = self.grid[i]
        raw = cells[j] if j < len(cells) else None
        return amount(raw, where=f"{self.source}, cell {cell_ref(i, j)} (row {row}, column {col})")

    def matrix(self, rows: Sequence[str], cols: Sequence[str]) -> np.ndarray:
        return np.array([[self.value(r, c) for c in cols] for r in rows], dtype=float)

    def require(self, *, rows: Sequence[str] = (), cols: Sequence[str] = ()) -> None:
        for code in rows:
            if code not in self.rows:
                raise DataSourceError(
                    f"{self.source}: expected a row with code {code} below the products (column "
                    f"A), not found; rows found after the products: {self._extra_rows()}"
                )
        for code in cols:
            if code not in self.cols:
                raise DataSourceError(
                    f"{self.source}: expected a column with code {code} in row {CODE_ROW + 1}, "
                    f"not found; codes after the products: {self._extra_cols()}"
                )

    def _extra_rows(self) -> list[str]:
        return [c for c in self.rows if c not in set(self.products)][:12]

    def _extra_cols(self) -> list[str]:
        return [c for c in self.cols if c not in set(self.products)][:20]


def _locate(grid: Grid, *, source: str, title: str) -> _Block:
    """Find the products, codes and rows of a BOK transactions grid; check its layout."""
    _check_head(grid, source=source, title=title)
    code_row = [text_of(v) for v in grid[CODE_ROW]]
    cols: dict[str, int] = {}
    for j, code in enumerate(code_row[2:], start=2):
        if code:
            cols.setdefault(code, j)
    products = _product_codes(code_row, source=source)
    rows, order = _row_codes(grid, source=source)
    names: list[str] = []
    for k, code in enumerate(products):
        found = order[k] if k < len(order) else None
        if found != code:
            i = rows.get(found, len(grid)) if found else len(grid)
            raise DataSourceError(
                f"{source}, cell {cell_ref(i if found else FIRST_DATA_ROW + k, 0)}: expected "
                f"product row {code} (product #{k + 1}, as in the column codes), found "
                f"{found if found else 'no more rows'}; rows must list the products in the "
                "column order"
            )
        cells = grid[rows[code]]
        names.append(text_of(cells[1]) if len(cells) > 1 else "")
    return _Block(source, grid, products, names, rows, cols)


def _check_head(grid: Grid, *, source: str, title: str) -> None:
    """Enough rows, the expected title in A1 and the unit line (million KRW) in A4."""
    if len(grid) <= FIRST_DATA_ROW:
        raise DataSourceError(
            f"{source}: only {len(grid)} rows; expected title lines, the unit line, codes in row "
            f"{CODE_ROW + 1}, names in row {CODE_ROW + 2} and data from row {FIRST_DATA_ROW + 1}"
        )
    head = text_of(grid[0][0] if grid[0] else "")
    if title not in head:
        raise DataSourceError(
            f"{source}, cell A1: expected a title containing {title!r}, found {head!r}; is this "
            "the right BOK table?"
        )
    unit = text_of(grid[3][0] if grid[3] else "")
    if UNIT_LINE not in unit:
        raise DataSourceError(
            f"{source}, cell A4: expected the unit line '단위 : 백만원' (million KRW), found "
            f"{unit!r}; the reader only accepts tables in million KRW"
        )


def _product_codes(code_row: list[str], *, source: str) -> list[str]:
    """The product codes: the digit codes from column C up to 9090 (total intermediate demand)."""
    products: list[str] = []
    for code in code_row[2:]:
        if code == INTERMEDIATE_DEMAND:
            break
        if not code.isdigit():
            raise DataSourceError(
                f"{source}, row {CODE_ROW + 1}: expected product codes (digits) from column C up "
                f"to {INTERMEDIATE_DEMAND}, found {code!r} at "
                f"{cell_ref(CODE_ROW, code_row.index(code))}"
            )
        products.append(code)
    else:
        raise DataSourceError(
            f"{source}, row {CODE_ROW + 1}: expected the column code {INTERMEDIATE_DEMAND} (total "
            "intermediate demand) after the product codes, not found"
        )
    if not products:
        raise DataSourceError(
            f"{source}, row {CODE_ROW + 1}: no product codes before {INTERMEDIATE_DEMAND}"
        )
    return products


def _row_codes(grid: Grid, *, source: str) -> tuple[dict[str, int], list[str]]:
    """Row code → grid row for the data rows (column A), and the codes in order."""
    rows: dict[str, int] = {}
    order: list[str] = []
    for i in range(FIRST_DATA_ROW, len(grid)):
        cells = grid[i]
        code = text_of(cells[0]) if cells else ""
        if not code:
            continue
        if code in rows:
            raise DataSourceError(f"{source}, cell {cell_ref(i, 0)}: row code {code} appears twice")
        rows[code] = i
        order.append(code)
    return rows, order


def _check_sum(
    block: _Block, parts: np.ndarray, total_code: str, *, axis: str, atol: float, what: str
) -> None:
    """Compare computed sums with a published total row/column (BOK rounding tolerance)."""
    if axis == "column":
        published = np.array([block.value(p, total_code) for p in block.products])
    else:
        published = np.array([block.value(total_code, p) for p in block.products])
    diff = parts - published
    bad = np.flatnonzero(np.abs(diff) > atol)
    if bad.size:
        k = int(bad[np.argmax(np.abs(diff[bad]))])
        raise DataSourceError(
            f"{block.source}: {what} of product {block.products[k]} is {parts[k]:,.0f} but the "
            f"published total ({total_code}) is {published[k]:,.0f}; the layout may have changed "
            "(a column or row added, moved or missing)"
        )


def _year_of(grid: Grid) -> int | None:
    text = text_of(grid[1][0] if len(grid) > 1 and grid[1] else "")
    digits = "".join(ch for ch in text if ch.isdigit())
    return int(digits) if len(digits) == 4 else None


def _build(
    total: _Block,
    domestic: _Block,
    imported: _Block | None,
    *,
    sources: list[dict[str, str]],
    employment: dict[str, np.ndarray] | None,
    name: str,
) -> IOTable:
    """Check the located grids against each other and their published totals; build the table."""
    products = total.products
    n = len(products)
    _expect_same_products(domestic, total)
    fd = list(FINAL_DEMAND)
    va_codes = list(VALUE_ADDED)
    _require_codes(total, domestic, fd, va_codes)
    # BOK rounds every cell to 1 million KRW: a sum of c cells may be off by c/2.
    atol = 0.5 * (n + len(fd) + 2)
    z_tot = total.matrix(products, products)
    z_dom = domestic.matrix(products, products)
    y_tot = total.matrix(products, fd)
    y_dom = domestic.matrix(products, fd)
    va = total.matrix(va_codes, products)
    x = np.array([total.value(p, TOTAL_OUTPUT) for p in products])
    for blk, z, y in ((total, z_tot, y_tot), (domestic, z_dom, y_dom)):
        _check_flow_totals(blk, z, y, atol=atol)
    _check_sum(total, va.sum(axis=0), VALUE_ADDED_TOTAL, axis="row", atol=atol, what="value added")
    _check_sum(total, x, TOTAL_INPUT, axis="row", atol=atol, what="total output (9310)")
    z_imp, y_imp = _imported_blocks(total, domestic, imported, z_tot, z_dom, y_tot, y_dom)
    _check_imports(total, z_imp, y_imp, atol=atol)
    year = _year_of(total.grid)
    try:
        return table_from_parts(
            sectors=pd.Index(products, name="sector"),
            flows=z_dom,
            final_demand=y_dom,
            value_added=va,
            final_demand_categories=[FINAL_DEMAND[c] for c in fd],
            value_added_components=[VALUE_ADDED[c] for c in va_codes],
            imported_flows=z_imp,
            imported_final_demand=y_imp,
            output=x,
            satellites=dict(employment or {}),
            sector_info=pd.DataFrame({"name_ko": total.names}),
            provenance=_provenance(total, year, sources, atol),
            allow_negative=("flows", "final_demand", "value_added"),
            balance_rtol=1e-6,
            balance_atol=atol,
            name=name or f"bok-{year}-{n}",
            region="KOR",
            year=year,
            currency="KRW",
            unit=1e6,
            price_basis="producers' prices",
            price_year=year,
            employment_unit="persons (FTE)" if employment else "persons",
        )
    except TableError as exc:
        raise DataSourceError(
            f"{total.source}: the tables do not form a valid table: {exc}"
        ) from None


def _expect_same_products(domestic: _Block, total: _Block) -> None:
    """The domestic table must list the total table's products, in order."""
    products, n = total.products, len(total.products)
    if domestic.products == products:
        return
    k = next(
        (i for i, (a, b) in enumerate(zip(domestic.products, products, strict=False)) if a != b),
        min(len(domestic.products), n),
    )
    raise DataSourceError(
        f"{domestic.source}: product codes differ from {total.source} at product #{k + 1} "
        f"({domestic.products[k] if k < len(domestic.products) else 'missing'} vs "
        f"{products[k] if k < n else 'missing'}); both tables must list the same products"
    )


def _require_codes(total: _Block, domestic: _Block, fd: list[str], va_codes: list[str]) -> None:
    """The total and domestic tables must have every row and column code the reader uses."""
    total.require(
        rows=[INTERMEDIATE_INPUT, *va_codes, VALUE_ADDED_TOTAL, TOTAL_INPUT],
        cols=[
            INTERMEDIATE_DEMAND,
            *fd,
            FINAL_DEMAND_TOTAL,
            TOTAL_OUTPUT,
            IMPORTS,
            IMPORT_TAXES,
            IMPORTS_TOTAL,
        ],
    )
    domestic.require(rows=[INTERMEDIATE_INPUT], cols=[INTERMEDIATE_DEMAND, *fd, FINAL_DEMAND_TOTAL])


def _check_flow_totals(block: _Block, z: np.ndarray, y: np.ndarray, *, atol: float) -> None:
    """Row sums of flows and final demand and column sums of flows against BOK's totals."""
    _check_sum(
        block,
        z.sum(axis=1),
        INTERMEDIATE_DEMAND,
        axis="column",
        atol=atol,
        what="intermediate demand",
    )
    _check_sum(
        block, y.sum(axis=1), FINAL_DEMAND_TOTAL, axis="column", atol=atol, what="final demand"
    )
    _check_sum(
        block, z.sum(axis=0), INTERMEDIATE_INPUT, axis="row", atol=atol, what="intermediate input"
    )


def _imported_blocks(
    total: _Block,
    domestic: _Block,
    imported: _Block | None,
    z_tot: np.ndarray,
    z_dom: np.ndarray,
    y_tot: np.ndarray,
    y_dom: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Imported flows and final demand: the imported sheet (checked against total − domestic)
    or total − domestic; a domestic cell above its total is an error (inventories excepted)."""
    products = total.products
    fd = list(FINAL_DEMAND)
    if imported is not None:
        if imported.products != products:
            raise DataSourceError(f"{imported.source}: product codes differ from {total.source}")
        imported.require(cols=fd)
        z_imp = imported.matrix(products, products)
        y_imp = imported.matrix(products, fd)
        gap = np.abs(z_tot - z_dom - z_imp).max(initial=0.0)
        gap = max(gap, np.abs(y_tot - y_dom - y_imp).max(initial=0.0))
        if gap > 1.0:
            raise DataSourceError(
                f"{imported.source}: total − domestic differs from the imported table by up to "
                f"{gap:,.0f} million KRW; the three sheets must describe the same table"
            )
    else:
        z_imp = z_tot - z_dom
        y_imp = y_tot - y_dom
    neg = np.argwhere(z_imp < -0.5)
    if neg.size:
        i, j = (int(v) for v in neg[0])
        raise DataSourceError(
            f"{domestic.source}: domestic flow {z_dom[i, j]:,.0f} exceeds the total flow "
            f"{z_tot[i, j]:,.0f} at row {products[i]}, column {products[j]}; the domestic table "
            "must not exceed the total table"
        )
    z_imp = np.clip(z_imp, 0.0, None)
    # imported final demand may be negative only in the change in inventories (9131)
    other_cats = [q for q, c in enumerate(fd) if c != "9131"]
    neg = np.argwhere(y_imp[:, other_cats] < -0.5)
    if neg.size:
        i, q = int(neg[0][0]), other_cats[int(neg[0][1])]
        raise DataSourceError(
            f"{domestic.source}: domestic final demand {y_dom[i, q]:,.0f} exceeds the total "
            f"{y_tot[i, q]:,.0f} for product {products[i]}, column {fd[q]}; the final-demand "
            "columns of the total and domestic tables do not match (moved or swapped?)"
        )
    return z_imp, y_imp


def _check_imports(total: _Block, z_imp: np.ndarray, y_imp: np.ndarray, *, atol: float) -> None:
    """Imports 9321 + taxes 9322 = 9329 by product, and 9329 = imported use (± rounding)."""
    products = total.products
    imports_by_product = np.array([total.value(p, IMPORTS_TOTAL) for p in products])
    parts = np.array([total.value(p, IMPORTS) + total.value(p, IMPORT_TAXES) for p in products])
    bad = np.flatnonzero(np.abs(parts - imports_by_product) > 1.0)
    if bad.size:
        p = products[int(bad[0])]
        raise DataSourceError(
            f"{total.source}: imports {IMPORTS} + product taxes on imports {IMPORT_TAXES} ≠ total "
            f"imports {IMPORTS_TOTAL} for product {p}; the import columns have moved"
        )
    used = z_imp.sum(axis=1) + y_imp.sum(axis=1)
    bad = np.flatnonzero(np.abs(used - imports_by_product) > atol)
    if bad.size:
        p = products[int(bad[0])]
        raise DataSourceError(
            f"{total.source}: imports of product {p} ({IMPORTS_TOTAL}) do not equal total − "
            "domestic use of it; the total and domestic tables do not match"
        )


def _provenance(
    total: _Block, year: int | None, sources: list[dict[str, str]], atol: float
) -> dict[str, Any]:
    """Publisher, licence, sources and the reader's treatment of imports and rounding."""
    return {
        "publisher": PUBLISHER,
        "table": text_of(total.grid[0][0]),
        "year": year,
        "price_basis": "producers' prices (생산자가격)",
        "units": "million KRW (백만원)",
        "licence": LICENCE,
        "sources": sources,
        "imports": IMPORTS_NOTE,
        "negative_flows": NEGATIVE_NOTE,
        "balance": (
            "checked with balance_atol = 0.5 million KRW per summed cell "
            f"({atol:g} million KRW: BOK rounds every cell to 1 million KRW) and balance_rtol=1e-6"
        ),
    }


def _read_employment(
    path: Path, products: list[str], *, year: int, encoding: str
) -> dict[str, np.ndarray]:
    """Persons employed (취업자수) and employees (피용자수), FTE, for ``year`` from 고용표."""
    grid = read_text_grid(path, encoding=encoding)
    src = path.name
    j = _employment_column(grid, src, year)
    emp, ees = [], []
    for k, code in enumerate(products):
        i = FIRST_DATA_ROW + k
        found = text_of(grid[i][0]) if i < len(grid) and grid[i] else ""
        if found != code:
            raise DataSourceError(
                f"{src}, cell {cell_ref(i, 0)}: expected product {code} (product #{k + 1} of the "
                f"transactions table), found {found or 'nothing'}"
            )
        emp.append(amount(grid[i][j], where=f"{src}, cell {cell_ref(i, j)} ({code}, 취업자수)"))
        ees.append(
            amount(grid[i][j + 1], where=f"{src}, cell {cell_ref(i, j + 1)} ({code}, 피용자수)")
        )
    i = FIRST_DATA_ROW + len(products)
    if i < len(grid) and text_of(grid[i][1]) == "계":
        tol = 0.5 * len(products)
        for arr, jj, what in ((emp, j, "취업자수"), (ees, j + 1, "피용자수")):
            total = amount(grid[i][jj], where=f"{src}, cell {cell_ref(i, jj)}")
            if abs(sum(arr) - total) > tol:
                raise DataSourceError(
                    f"{src}: {what} by product sum to {sum(arr):,.0f} but the total row says "
                    f"{total:,.0f}; a product row is missing or misplaced"
                )
    return {"employment": np.array(emp), "employees": np.array(ees)}


def _employment_column(grid: Grid, src: str, year: int) -> int:
    """The column of persons employed in ``year`` (employees in the next); FTE basis checked."""
    if len(grid) < 7:
        raise DataSourceError(
            f"{src}: only {len(grid)} rows; expected the BOK employment annex layout"
        )
    if "전업환산" not in "".join(text_of(v) for v in grid[1]):
        raise DataSourceError(
            f"{src}, row 2: expected '전업환산 기준' (full-time equivalent basis), found "
            f"{[text_of(v) for v in grid[1] if text_of(v)]}"
        )
    years = [text_of(v) for v in grid[4]]
    label = f"{year}년"
    if label not in years:
        raise DataSourceError(
            f"{src}, row 5: expected a column headed {label!r}, found {[y for y in years if y]}"
        )
    j = years.index(label)
    kinds = [text_of(v) for v in grid[5]]
    if kinds[j : j + 2] != ["취업자수", "피용자수"]:
        raise DataSourceError(
            f"{src}, cells {cell_ref(5, j)}:{cell_ref(5, j + 1)}: expected '취업자수', '피용자수' "
            f"(persons employed, employees), found {kinds[j : j + 2]}"
        )
    return j


def read_bok_csv(
    directory: str | Path,
    *,
    employment_year: int | None = 2020,
    encoding: str = "utf-8-sig",
    name: str = "",
) -> IOTable:
    """Read BOK's product-level CSV tables from ``directory`` into an :class:`IOTable`.

    Files: ``총거래표.csv`` (total transactions), ``국산거래표.csv`` (domestic transactions) and,
    unless ``employment_year`` is None, ``고용표.csv`` (employment annex, FTE persons employed and
    employees for that year → satellites ``employment`` and ``employees``). Labels are BOK product
    codes (strings, e.g. ``"011"``); ``sector_info["name_ko"]`` the Korean names. Money in million
    KRW; flows and final demand are domestic, with imported flows = total − domestic.
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise DataSourceError(
            f"{folder}: not a folder; give the folder with 총거래표.csv and 국산거래표.csv"
        )
    tot_path, dom_path = folder / "총거래표.csv", folder / "국산거래표.csv"
    total = _locate(
        read_text_grid(tot_path, encoding=encoding), source=tot_path.name, title="총거래표"
    )
    domestic = _locate(
        read_text_grid(dom_path, encoding=encoding), source=dom_path.name, title="국산거래표"
    )
    paths = [tot_path, dom_path]
    employment = None
    if employment_year is not None:
        emp_path = folder / "고용표.csv"
        employment = _read_employment(
            emp_path, total.products, year=employment_year, encoding=encoding
        )
        paths.append(emp_path)
    sources = [{"file": p.name, "sha256": sha256_file(p)} for p in paths]
    return _build(total, domestic, None, sources=sources, employment=employment, name=name)


def _sheet(workbook: Any, needle: str, path: Path) -> Grid:
    for ws in workbook.worksheets:
        if needle in ws.title:
            return [list(r) for r in ws.iter_rows(values_only=True)]
    raise DataSourceError(
        f"{path.name}: expected a sheet whose name contains {needle!r}, found sheets "
        f"{[ws.title for ws in workbook.worksheets]}"
    )


def open_workbook(path: str | Path) -> Any:
    """Open an xlsx workbook read-only with values (openpyxl), with readable errors."""
    p = Path(path)
    try:
        import openpyxl
    except ImportError:
        raise DataSourceError(
            "reading .xlsx needs openpyxl: pip install 'impactsim[excel]'"
        ) from None
    if not p.is_file():
        raise DataSourceError(f"{p}: file not found")
    try:
        return openpyxl.load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise DataSourceError(
            f"{p.name}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})"
        ) from None


def read_bok_xlsx(path: str | Path, *, name: str = "") -> IOTable:
    """Read a BOK input-output workbook (.xlsx) with total, domestic and imported transactions.

    Sheets are found by name (``총거래표``, ``국산거래표``, ``수입거래표``); each has the BOK grid
    layout described in this module. The imported sheet must equal total − domestic. No
    employment (the workbook has none). Labels are BOK codes (e.g. ``"01"`` … ``"83"``).
    """
    p = Path(path)
    wb = open_workbook(p)
    try:
        grids = {key: _sheet(wb, key, p) for key in ("총거래표", "국산거래표", "수입거래표")}
    finally:
        wb.close()
    blocks = {
        key: _locate(grid, source=f"{p.name} [{key}]", title=key) for key, grid in grids.items()
    }
    sources = [{"file": p.name, "sha256": sha256_file(p)}]
    return _build(
        blocks["총거래표"],
        blocks["국산거래표"],
        blocks["수입거래표"],
        sources=sources,
        employment=None,
        name=name,
    )
