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
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataSourceError, TableError
from ..storage import table_from_parts
from ..table import IOTable
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
    src = p.name
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
    industries = head[4:j_fd]
    fd_cols = head[j_fd : j_fd + len(FINAL_DEMAND)]
    if fd_cols != list(FINAL_DEMAND) or head[
        j_fd + len(FINAL_DEMAND) : j_fd + len(FINAL_DEMAND) + 1
    ] != ["GO"]:
        raise DataSourceError(
            f"{src}, row 1: expected the columns {[*FINAL_DEMAND, 'GO']} after the industries, "
            f"found {head[j_fd : j_fd + len(FINAL_DEMAND) + 1]}"
        )
    j_go = j_fd + len(FINAL_DEMAND)
    names = [text_of(v) for v in (grid[1] if len(grid) > 1 else [])][4:j_fd]
    n = len(industries)

    rows = [(i, r) for i, r in enumerate(grid) if r and text_of(r[0]) == str(year)]
    if not rows:
        years = sorted({text_of(r[0]) for r in grid[2:] if r and text_of(r[0])})
        raise DataSourceError(f"{src}: no rows for year {year}; years in the file: {years}")
    dom = [(i, r) for i, r in rows if len(r) > 3 and text_of(r[3]) == "Domestic"]
    imp = [(i, r) for i, r in rows if len(r) > 3 and text_of(r[3]) == "Imports"]
    tot = {text_of(r[1]): (i, r) for i, r in rows if len(r) > 3 and text_of(r[3]) == "TOT"}
    for what, block in (("Domestic", dom), ("Imports", imp)):
        codes = [text_of(r[1]) for _, r in block]
        if codes != industries:
            k = next(
                (q for q, (a, b) in enumerate(zip(codes, industries, strict=False)) if a != b),
                min(len(codes), n),
            )
            i = block[k][0] if k < len(block) else (block[-1][0] + 1 if block else rows[0][0])
            raise DataSourceError(
                f"{src}, cell {cell_ref(i, 1)}: expected {what} row for industry "
                f"{industries[k] if k < n else '(none)'} (#{k + 1} of {n}, as in row 1), found "
                f"{codes[k] if k < len(codes) else 'no more rows'}"
            )
    missing = [c for c in TOT_ROWS if c not in tot]
    if missing:
        raise DataSourceError(
            f"{src}: year {year} lacks the TOT row(s) {missing}; found {list(tot)}"
        )
    width = j_go + 1
    for i, r in [*dom, *imp, *tot.values()]:
        if len(r) < width:
            raise DataSourceError(
                f"{src}, row {i + 1}: {len(r)} columns where the header has {width}"
            )

    def block(rows_: list[tuple[int, list[Any]]], lo: int, hi: int) -> np.ndarray:
        return np.array(
            [
                [
                    amount(
                        r[j],
                        thousands=" ",
                        where=f"{src}, cell {cell_ref(i, j)} ({text_of(r[1])}, {head[j]})",
                    )
                    for j in range(lo, hi)
                ]
                for i, r in rows_
            ]
        )

    z_dom = block(dom, 4, j_fd)
    y_dom = block(dom, j_fd, j_go)
    go_col = block(dom, j_go, j_go + 1)[:, 0]
    z_imp = block(imp, 4, j_fd)
    y_imp = block(imp, j_fd, j_go)
    t = {c: block([tot[c]], 4, j_fd)[0] for c in TOT_ROWS}
    x = t["GO"]
    atol = 0.5 * (2 * n + len(TOT_ROWS))  # WIOD rounds every cell to 1 million USD
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
                f"{src}, year {year}: {what} differ by {diff[k]:,.0f} for industry "
                f"{industries[k]}; the layout may have changed"
            )

    keep = x > 0
    dropped: list[dict[str, Any]] = []
    for k in np.flatnonzero(~keep):
        k = int(k)
        if np.any(z_dom[k] != 0) or np.any(z_dom[:, k] != 0) or np.any(y_dom[k] != 0):
            raise DataSourceError(
                f"{src}, year {year}: industry {industries[k]} has zero output (GO) but non-zero "
                "domestic flows or final demand; the table is inconsistent"
            )
        dropped.append(
            {
                "code": industries[k],
                "reason": "zero gross output",
                "imported_intermediate_use": float(z_imp[k].sum()),
                "imported_final_use": float(y_imp[k].sum()),
            }
        )
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
    provenance: dict[str, Any] = {
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
            f"{float(y_imp.sum()):,.0f} is not part of the table"
        ),
        "value_added": "value_added = VA at basic prices; net_product_taxes = TXSP",
        "balance": f"checked with balance_atol = {atol:g} million USD (0.5 per summed cell)",
        "dropped_sectors": dropped,
    }
    try:
        return table_from_parts(
            sectors=pd.Index([industries[k] for k in idx], name="sector"),
            flows=z_dom[np.ix_(idx, idx)],
            final_demand=y_dom[idx],
            value_added=va[:, idx],
            final_demand_categories=list(FINAL_DEMAND.values()),
            value_added_components=list(va_rows),
            import_row=m[idx],
            output=x[idx],
            sector_info=pd.DataFrame(
                {"name_en": [names[k] if k < len(names) else "" for k in idx]}
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
            f"{src}, year {year}: the rows do not form a valid table: {exc}"
        ) from None
