"""Reader for the WIOD 2016 release national input-output tables (``<ISO3>_NIOT_nov16``).

Layout (Timmer et al. 2015; CC BY 4.0): semicolon-separated, a space as thousands separator,
million USD at current prices. The first row holds ``Year;Code;Description;Origin`` and then the
industry codes (56, ISIC Rev.4), ``CONS_h, CONS_np, CONS_g, GFCF, INVEN, EXP`` and ``GO``; the
second row the descriptions. For each year: the industries with origin ``Domestic``, the same
industries with origin ``Imports``, then the ``TOT`` rows ``II_fob, TXSP, EXP_adj, PURR, PURNR,
VA, IntTTM, GO``.

Mapping to :class:`IOTable` (documented in docs/data.md):

* flows / final demand: the ``Domestic`` rows; output: ``GO``;
* imports by buying industry ``m`` = imported intermediate inputs (all ``Imports`` rows) +
  international transport margins ``IntTTM`` (imports at cif);
* value-added components: ``value_added`` (``VA``, at basic prices) and ``net_product_taxes``
  (``TXSP``; the model reports it as its own measure, not as value added), plus
  ``other_adjustments`` (``EXP_adj + PURR + PURNR``) if non-zero in an industry;
* industries with zero output (e.g. ``U``; in KOR also ``C33`` and ``T``) are dropped — their
  domestic rows and columns must be empty; imports of their products stay in ``m`` — and listed in
  ``provenance["dropped_sectors"]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import DataSourceError, TableError
from ..table import IOTable, table_from_parts
from ._grid import amount, cell_ref, read_text_grid, sha256_file, text_of

FINAL_DEMAND = {
    "CONS_h": "households",
    "CONS_np": "npish",
    "CONS_g": "government",
    "GFCF": "gfcf",
    "INVEN": "inventories",
    "EXP": "exports",
}
TOT_ROWS = ("II_fob", "TXSP", "EXP_adj", "PURR", "PURNR", "VA", "IntTTM", "GO")
HEAD = ["Year", "Code", "Description", "Origin"]
CITATION = (
    "Timmer, M. P., Dietzenbacher, E., Los, B., Stehrer, R. and de Vries, G. J. (2015), "
    "'An Illustrated User Guide to the World Input-Output Database: the Case of Global "
    "Automotive Production', Review of International Economics 23: 575-605"
)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where things are in the file: header texts, industry codes and names, column positions."""

    src: str
    head: list[str]
    industries: list[str]
    names: list[str]
    j_fd: int  # first final-demand column (CONS_h)
    j_go: int  # the gross-output column (GO)

    @property
    def n(self) -> int:
        return len(self.industries)


Rows = list[tuple[int, list[Any]]]


def read_wiod_niot(
    path: str | Path,
    *,
    year: int,
    region: str = "",
    encoding: str = "utf-8-sig",
    name: str = "",
) -> IOTable:
    """Read one year of a WIOD 2016 national IO table (million USD, current prices).

    ``region`` defaults to the ISO3 code at the start of the file name (``KOR_NIOT_nov16.csv``).
    Labels are WIOD industry codes (``"C26"``, ``"J62_J63"``); ``sector_info["name_en"]`` holds
    the descriptions. No employment (WIOD's Socio-Economic Accounts are a separate file).
    """
    p = Path(path)
    grid = read_text_grid(p, encoding=encoding, delimiter=";")
    lay = _layout(grid, p.name)
    dom, imp, tot = _year_rows(grid, lay, year)
    j_fd, j_go = lay.j_fd, lay.j_go
    z_dom = _block(lay, dom, 4, j_fd)
    y_dom = _block(lay, dom, j_fd, j_go)
    z_imp = _block(lay, imp, 4, j_fd)
    y_imp = _block(lay, imp, j_fd, j_go)
    t = {c: _block(lay, [tot[c]], 4, j_fd)[0] for c in TOT_ROWS}
    x = t["GO"]
    atol = 0.5 * (2 * lay.n + len(TOT_ROWS))  # WIOD rounds every cell to 1 million USD
    _check_totals(lay, year, atol, x, _block(lay, dom, j_go, j_go + 1)[:, 0], t, z_dom, z_imp)
    keep = x > 0
    dropped = _dropped(lay, year, keep, z_dom, y_dom, z_imp, y_imp)
    m = z_imp.sum(axis=0) + t["IntTTM"]
    va_rows = {"value_added": t["VA"], "net_product_taxes": t["TXSP"]}
    other = t["EXP_adj"] + t["PURR"] + t["PURNR"]
    if np.any(other[keep] != 0):
        va_rows["other_adjustments"] = other
    va = np.vstack(list(va_rows.values()))
    idx = np.flatnonzero(keep)
    if not region:
        found = re.match(r"([A-Z]{3})_", p.name)
        region = found.group(1) if found else ""
    provenance = _provenance(p, region, year, atol, float(y_imp.sum()), dropped)
    try:
        return table_from_parts(
            sectors=pd.Index([lay.industries[k] for k in idx], name="sector"),
            flows=z_dom[np.ix_(idx, idx)],
            final_demand=y_dom[idx],
            value_added=va[:, idx],
            final_demand_categories=list(FINAL_DEMAND.values()),
            value_added_components=list(va_rows),
            import_row=m[idx],
            output=x[idx],
            sector_info=pd.DataFrame(
                {"name_en": [lay.names[k] if k < len(lay.names) else "" for k in idx]}
            ),
            provenance=provenance,
            allow_negative=("final_demand", "value_added"),
            balance_rtol=1e-6,
            balance_atol=atol,
            name=name or f"wiod2016-{region.lower() or 'niot'}-{year}",
            region=region,
            year=year,
            currency="USD",
            unit=1e6,
            price_basis="basic prices",
            price_year=year,
        )
    except TableError as exc:
        raise DataSourceError(
            f"{lay.src}, year {year}: the rows do not form a valid table: {exc}"
        ) from None


def _layout(grid: list[list[Any]], src: str) -> _Layout:
    """Check the two header rows and locate the industries, final demand and gross output."""
    if not grid:
        raise DataSourceError(f"{src}: empty file; expected the WIOD national IO table layout")
    head = [text_of(v) for v in grid[0]]
    if head[:4] != HEAD:
        raise DataSourceError(
            f"{src}, row 1: expected the columns {HEAD} first (semicolon-separated), found "
            f"{head[:4]}; is this a WIOD 2016 national table?"
        )
    try:
        j_fd = head.index("CONS_h")
    except ValueError:
        raise DataSourceError(
            f"{src}, row 1: expected the final-demand column CONS_h after the industries, not found"
        ) from None
    j_go = j_fd + len(FINAL_DEMAND)
    if head[j_fd:j_go] != list(FINAL_DEMAND) or head[j_go : j_go + 1] != ["GO"]:
        raise DataSourceError(
            f"{src}, row 1: expected the columns {[*FINAL_DEMAND, 'GO']} after the industries, "
            f"found {head[j_fd : j_go + 1]}"
        )
    names = [text_of(v) for v in (grid[1] if len(grid) > 1 else [])][4:j_fd]
    return _Layout(src, head, head[4:j_fd], names, j_fd, j_go)


def _year_rows(grid: list[list[Any]], lay: _Layout, year: int) -> tuple[Rows, Rows, dict[str, Any]]:
    """The ``Domestic`` and ``Imports`` rows (one per industry, in order) and ``TOT`` rows."""
    src = lay.src
    rows = [(i, r) for i, r in enumerate(grid) if r and text_of(r[0]) == str(year)]
    if not rows:
        years = sorted({text_of(r[0]) for r in grid[2:] if r and text_of(r[0])})
        raise DataSourceError(f"{src}: no rows for year {year}; years in the file: {years}")
    dom = _with_origin(rows, "Domestic")
    imp = _with_origin(rows, "Imports")
    tot = {text_of(r[1]): (i, r) for i, r in _with_origin(rows, "TOT")}
    _expect_industries(lay, "Domestic", dom, first=rows[0][0])
    _expect_industries(lay, "Imports", imp, first=rows[0][0])
    missing = [c for c in TOT_ROWS if c not in tot]
    if missing:
        raise DataSourceError(
            f"{src}: year {year} lacks the TOT row(s) {missing}; found {list(tot)}"
        )
    _expect_width(lay, [*dom, *imp, *tot.values()])
    return dom, imp, tot


def _with_origin(rows: Rows, origin: str) -> Rows:
    """The rows whose ``Origin`` column (the fourth) is ``origin``."""
    return [(i, r) for i, r in rows if len(r) > 3 and text_of(r[3]) == origin]


def _expect_width(lay: _Layout, rows: Rows) -> None:
    """Every data row must reach the GO column."""
    width = lay.j_go + 1
    for i, r in rows:
        if len(r) < width:
            raise DataSourceError(
                f"{lay.src}, row {i + 1}: {len(r)} columns where the header has {width}"
            )


def _expect_industries(lay: _Layout, what: str, block: Rows, *, first: int) -> None:
    """The rows of ``block`` must list the industries of row 1, in order."""
    codes = [text_of(r[1]) for _, r in block]
    industries, n = lay.industries, lay.n
    if codes == industries:
        return
    k = next(
        (q for q, (a, b) in enumerate(zip(codes, industries, strict=False)) if a != b),
        min(len(codes), n),
    )
    i = block[k][0] if k < len(block) else (block[-1][0] + 1 if block else first)
    raise DataSourceError(
        f"{lay.src}, cell {cell_ref(i, 1)}: expected {what} row for industry "
        f"{industries[k] if k < n else '(none)'} (#{k + 1} of {n}, as in row 1), found "
        f"{codes[k] if k < len(codes) else 'no more rows'}"
    )


def _block(lay: _Layout, rows: Rows, lo: int, hi: int) -> np.ndarray:
    """The amounts in columns ``lo:hi`` of ``rows``; a bad cell is named by reference."""
    return np.array(
        [
            [
                amount(
                    r[j],
                    thousands=" ",
                    where=f"{lay.src}, cell {cell_ref(i, j)} ({text_of(r[1])}, {lay.head[j]})",
                )
                for j in range(lo, hi)
            ]
            for i, r in rows
        ]
    )


def _check_totals(
    lay: _Layout,
    year: int,
    atol: float,
    x: np.ndarray,
    go_col: np.ndarray,
    t: dict[str, np.ndarray],
    z_dom: np.ndarray,
    z_imp: np.ndarray,
) -> None:
    """The GO row must equal the GO column, II_fob the sum of intermediate inputs (± rounding)."""
    checks = (
        ("GO row vs GO column", x - go_col),
        (
            "II_fob vs domestic + imported inputs",
            t["II_fob"] - z_dom.sum(axis=0) - z_imp.sum(axis=0),
        ),
    )
    for what, diff in checks:
        bad = np.flatnonzero(np.abs(diff) > atol)
        if bad.size:
            k = int(bad[0])
            raise DataSourceError(
                f"{lay.src}, year {year}: {what} differ by {diff[k]:,.0f} for industry "
                f"{lay.industries[k]}; the layout may have changed"
            )


def _dropped(
    lay: _Layout,
    year: int,
    keep: np.ndarray,
    z_dom: np.ndarray,
    y_dom: np.ndarray,
    z_imp: np.ndarray,
    y_imp: np.ndarray,
) -> list[dict[str, Any]]:
    """The zero-output industries to drop (their domestic rows and columns must be empty)."""
    dropped: list[dict[str, Any]] = []
    for k in np.flatnonzero(~keep).tolist():
        if np.any(z_dom[k] != 0) or np.any(z_dom[:, k] != 0) or np.any(y_dom[k] != 0):
            raise DataSourceError(
                f"{lay.src}, year {year}: industry {lay.industries[k]} has zero output (GO) but "
                "non-zero domestic flows or final demand; the table is inconsistent"
            )
        dropped.append(
            {
                "code": lay.industries[k],
                "reason": "zero gross output",
                "imported_intermediate_use": float(z_imp[k].sum()),
                "imported_final_use": float(y_imp[k].sum()),
            }
        )
    return dropped


def _provenance(
    p: Path, region: str, year: int, atol: float, y_imp_total: float, dropped: list[Any]
) -> dict[str, Any]:
    """Publisher, licence, source checksum and the mapping choices of this reader."""
    return {
        "publisher": "World Input-Output Database (WIOD), 2016 release",
        "table": f"National input-output table, {region or 'country'} {year}",
        "year": year,
        "units": "million USD, current prices",
        "price_basis": "basic prices",
        "licence": "CC BY 4.0; cite " + CITATION,
        "sources": [{"file": p.name, "sha256": sha256_file(p)}],
        "imports": (
            "imports by buying industry = imported intermediate inputs (Imports rows) + "
            "international transport margins (IntTTM); imported final demand total "
            f"{y_imp_total:,.0f} is not part of the table"
        ),
        "value_added": "value_added = VA at basic prices; net_product_taxes = TXSP",
        "balance": f"checked with balance_atol = {atol:g} million USD (0.5 per summed cell)",
        "dropped_sectors": dropped,
    }
