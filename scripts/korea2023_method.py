"""Sources and methods for the Korea 2023 table (used by build_korea_2023_table.py and tests).

Three jobs, each a pure function of the Bank of Korea (BOK) source files:

* read BOK's 2023 extension table (ECOS 271Y120, long format, total transactions, 83 sectors)
  and BOK's published 33-sector inducement tables for 2020–2023 (ECOS 2.2.1.2.3/4/6);
* split total flows into domestic and imported flows (:func:`split_imports`): an initial guess
  of the imported share of every cell (import proportionality by product, or the 2020
  benchmark's own cell shares) fitted by iterative proportional scaling to BOK's imports by
  product (9329) and, optionally, to the 33 × 33 block totals of imported intermediate inputs
  implied by BOK's published 33-sector coefficients, ``A_m = M L⁻¹`` and ``x̂``;
* derive employment by sector (:func:`derive_employment`) from BOK's published 33-sector
  employment- and output-inducement tables, ``l̂ = E L⁻¹`` (exact up to the 6 printed decimals),
  distributed within each 33-sector group by the 2020 benchmark's employment per unit of output.

Arrays inside (numpy), sector codes as strings. No impactsim import here except the error type.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from impactsim.errors import DataSourceError

LONG_FILE = "ecos_271Y120_2023_long.csv"
SERIES_FILES = {
    "output": "투입산출표 생산유발계수표(생산자가격, 대분류)_16174702.csv",
    "imports": "투입산출표 수입유발계수표(생산자가격, 대분류)_16174742.csv",
    "employment": "emp.csv",
}
SERIES_TABLES = {
    "output": "2.2.1.2.3",
    "imports": "2.2.1.2.4",
    "employment": "2.2.1.2.6",
}
YEARS = (2020, 2021, 2022, 2023)
FD_CODES = ("9111", "9112", "9121", "9122", "9131", "9132", "9140")
FD_NAMES = (
    "households",
    "government",
    "gfcf_private",
    "gfcf_government",
    "inventories",
    "valuables",
    "exports",
)
VA_CODES = ("9610", "9621", "9622", "9630")
VA_NAMES = ("compensation", "operating_surplus", "depreciation", "production_taxes")
EXPORTS = FD_NAMES.index("exports")
INVENTORIES = FD_NAMES.index("inventories")

#: BOK's 33 major sectors in the order of the coefficient files; codes as in the bundled bok33
#: concordance (BOK 2015 33-sector codes).
BOK33_CODES = (
    "A B C01 C02 C03 C04 C05 C06 C07 C08 C09 C10 C11 C12 C13 C14 D E F G H I J K L M N O P Q R S T"
).split()


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read(path: Path) -> list[list[str]]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DataSourceError(f"{path}: file not found (pass the BOK source folder)") from None
    except UnicodeDecodeError as exc:
        raise DataSourceError(f"{path}: not UTF-8 text at byte {exc.start}") from None
    return [r for r in csv.reader(io.StringIO(text)) if r]


# ---------------------------------------------------------------------------- the 2023 table
@dataclass(frozen=True)
class TotalTable:
    """A total-transactions table (domestic + imported flows together), million KRW."""

    codes: tuple[str, ...]
    names_ko: tuple[str, ...]
    z: np.ndarray  # n × n total intermediate flows
    y: np.ndarray  # n × 7 total final demand (FD_NAMES)
    va: np.ndarray  # 4 × n value added (VA_NAMES)
    x: np.ndarray  # n output
    imports: np.ndarray  # n imports incl. product taxes on imports (9329)


def read_long_2023(path: Path) -> TotalTable:
    """BOK ECOS 271Y120 2023 table from its long export ``item1,name1,item2,name2,value``.

    ``item1`` is the column (buying sector or final-demand / supply code), ``item2`` the row.
    Every identity of the table is checked (exactly: BOK's cells are whole million KRW).
    """
    rows = _read(path)
    if rows[0][:5] != ["item1", "name1", "item2", "name2", "value"]:
        raise DataSourceError(f"{path.name}, line 1: expected 'item1,name1,item2,name2,value'")
    cells: dict[tuple[str, str], float] = {}
    names: dict[str, str] = {}
    for k, r in enumerate(rows[1:], start=2):
        try:
            cells[(r[2], r[0])] = float(r[4])
        except (ValueError, IndexError):
            raise DataSourceError(f"{path.name}, record {k}: bad value {r!r}") from None
        names[r[0]] = r[1].strip()
    codes = tuple(f"{i:02d}" for i in range(1, 84))

    def get(row: str, col: str) -> float:
        try:
            return cells[(row, col)]
        except KeyError:
            raise DataSourceError(f"{path.name}: no cell for row {row}, column {col}") from None

    z = np.array([[get(r, c) for c in codes] for r in codes])
    y = np.array([[get(r, c) for c in FD_CODES] for r in codes])
    va = np.array([[get(v, c) for c in codes] for v in VA_CODES])
    x = np.array([get(r, "9310") for r in codes])
    m = np.array([get(r, "9329") for r in codes])
    checks = {
        "intermediate demand 9090": (z.sum(axis=1), [get(r, "9090") for r in codes]),
        "final demand 9190": (y.sum(axis=1), [get(r, "9190") for r in codes]),
        "intermediate input 9590": (z.sum(axis=0), [get("9590", c) for c in codes]),
        "value added 9690": (va.sum(axis=0), [get("9690", c) for c in codes]),
        "total input 9790": (z.sum(axis=0) + va.sum(axis=0), [get("9790", c) for c in codes]),
        "output 9310 = 9790": (x, [get("9790", c) for c in codes]),
        "total supply 9390": (x + m, [get(r, "9390") for r in codes]),
        "total demand = supply": (z.sum(axis=1) + y.sum(axis=1), x + m),
    }
    for what, (ours, theirs) in checks.items():
        gap = np.abs(np.asarray(ours) - np.asarray(theirs, dtype=float)).max()
        if gap > 0.5:
            raise DataSourceError(f"{path.name}: {what} does not add up (gap {gap:,.0f})")
    return TotalTable(codes, tuple(names.get(c, "") for c in codes), z, y, va, x, m)


def total_of(table: object) -> TotalTable:
    """The total-transactions view of an impactsim IOTable with imported matrices (2020 test)."""
    zd, zm = table.z_domestic, table.z_imported  # type: ignore[attr-defined]
    yd, ym = table.y_domestic, table.y_imported  # type: ignore[attr-defined]
    codes = tuple(str(s) for s in table.sectors)  # type: ignore[attr-defined]
    return TotalTable(
        codes,
        ("",) * len(codes),
        zd + zm,
        yd + ym,
        np.asarray(table.va),  # type: ignore[attr-defined]
        np.asarray(table.x),  # type: ignore[attr-defined]
        zm.sum(axis=1) + ym.sum(axis=1),
    )


# ---------------------------------------------------------------------------- 33-sector series
@dataclass(frozen=True)
class Series33:
    """BOK's published 33 × 33 inducement matrices by year (row = induced, column = demand)."""

    names_ko: tuple[str, ...]
    matrices: dict[tuple[str, int], np.ndarray]  # (kind, year) → 33 × 33
    column_sums: dict[tuple[str, int], np.ndarray]  # published 열합 (kind, year) → 33

    def matrix(self, kind: str, year: int) -> np.ndarray:
        return self.matrices[(kind, year)]


def read_series(folder: Path) -> Series33:
    """The three BOK 33-sector coefficient files (output, import, employment inducement)."""
    matrices: dict[tuple[str, int], np.ndarray] = {}
    sums: dict[tuple[str, int], np.ndarray] = {}
    names: tuple[str, ...] = ()
    for kind, fname in SERIES_FILES.items():
        path = folder / fname
        rows = _read(path)
        head = rows[0]
        if head[:5] != ["통계표", "수요부문(열)", "투입부문(행)", "단위", "변환"] or head[5:9] != [
            str(y) for y in YEARS
        ]:
            raise DataSourceError(f"{path.name}, line 1: unexpected header {head}")
        if not rows[1][0].startswith(SERIES_TABLES[kind]):
            raise DataSourceError(
                f"{path.name}: expected ECOS table {SERIES_TABLES[kind]}, found {rows[1][0]!r}"
            )
        order: list[str] = []
        for r in rows[1:]:
            if r[1] not in order and r[1] not in ("행합", "감응도계수"):
                order.append(r[1])
        if len(order) != 33:
            raise DataSourceError(f"{path.name}: expected 33 demand sectors, found {len(order)}")
        if names and tuple(order) != names:
            raise DataSourceError(f"{path.name}: sector order differs from the other files")
        names = tuple(order)
        pos = {s: i for i, s in enumerate(order)}
        for yi, year in enumerate(YEARS):
            mat = np.full((33, 33), np.nan)
            col = np.full(33, np.nan)
            for k, r in enumerate(rows[1:], start=2):
                if r[1] not in pos:
                    continue
                try:
                    v = float(r[5 + yi])
                except ValueError:
                    raise DataSourceError(
                        f"{path.name}, line {k}: bad number {r[5 + yi]!r}"
                    ) from None
                if r[2] in pos:
                    mat[pos[r[2]], pos[r[1]]] = v
                elif r[2] == "열합":
                    col[pos[r[1]]] = v
            if np.isnan(mat).any() or np.isnan(col).any():
                raise DataSourceError(f"{path.name}: incomplete 33 × 33 block for {year}")
            matrices[(kind, year)] = mat
            sums[(kind, year)] = col
    return Series33(names, matrices, sums)


def implied_33(series: Series33, year: int) -> dict[str, np.ndarray]:
    """What BOK's published 33-sector tables imply: ``A_d = I − L⁻¹``, ``A_m = M L⁻¹``,
    ``l = diag(E L⁻¹)`` (persons per KRW bn of output) and the off-diagonal residual of
    ``E L⁻¹`` (zero in exact arithmetic; a check of the reading and of the rounding)."""
    big_l = series.matrix("output", year)
    inv = np.linalg.inv(big_l)
    e_l = series.matrix("employment", year) @ inv
    off = e_l - np.diag(np.diag(e_l))
    return {
        "A_d": np.eye(33) - inv,
        "A_m": series.matrix("imports", year) @ inv,
        "l": np.diag(e_l).copy(),
        "offdiag": off,
    }


# ---------------------------------------------------------------------------- aggregation
def group_matrix(groups: Sequence[str], codes: Sequence[str] = BOK33_CODES) -> np.ndarray:
    """0/1 aggregation matrix G (len(codes) × n): G[g, i] = 1 when sector i is in group g."""
    pos = {c: i for i, c in enumerate(codes)}
    g = np.zeros((len(codes), len(groups)))
    for i, grp in enumerate(groups):
        g[pos[grp], i] = 1.0
    return g


def inducement(z_d: np.ndarray, z_m: np.ndarray, x: np.ndarray) -> dict[str, np.ndarray]:
    """BOK's inducement matrices of a domestic table: ``L = (I − Z_d x̂⁻¹)⁻¹``, ``M = A_m L``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_x = np.where(x != 0, 1.0 / x, 0.0)
    a_d = z_d * inv_x[np.newaxis, :]
    a_m = z_m * inv_x[np.newaxis, :]
    big_l = np.linalg.inv(np.eye(len(x)) - a_d)
    return {"L": big_l, "M": a_m @ big_l}


# ---------------------------------------------------------------------------- the domestic split
def _ip_shares(t: TotalTable) -> np.ndarray:
    """Import proportionality: imports of product p / its domestic use (all uses but exports)."""
    use = np.clip(t.z, 0.0, None).sum(axis=1) + np.delete(t.y, EXPORTS, axis=1).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(use > 0, t.imports / use, 0.0)
    return np.clip(s, 0.0, 1.0)


def initial_ip(t: TotalTable) -> tuple[np.ndarray, np.ndarray]:
    """Cell import shares under import proportionality (exports taken as domestic)."""
    s = _ip_shares(t)
    sz = np.repeat(s[:, np.newaxis], t.z.shape[1], axis=1)
    sy = np.repeat(s[:, np.newaxis], t.y.shape[1], axis=1)
    sy[:, EXPORTS] = 0.0
    return sz, sy


def initial_benchmark(
    t: TotalTable, bench: TotalTable, bench_zm: np.ndarray, bench_ym: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cell import shares of the benchmark table (2020); a cell that was zero or negative in the
    benchmark takes the benchmark's import-proportionality share of its product."""
    fallback = _ip_shares(bench)
    with np.errstate(divide="ignore", invalid="ignore"):
        sz = np.where(bench.z > 0, bench_zm / bench.z, np.nan)
        sy = np.where(bench.y > 0, bench_ym / bench.y, np.nan)
    sz = np.where(np.isnan(sz), fallback[:, np.newaxis], sz)
    ip_y = np.repeat(fallback[:, np.newaxis], t.y.shape[1], axis=1)
    ip_y[:, EXPORTS] = 0.0
    sy = np.where(np.isnan(sy), ip_y, sy)
    return np.clip(sz, 0.0, 1.0), np.clip(sy, 0.0, 1.0)


def _fit_rows(zm, ym, cap_z, cap_y, free_y, target):
    """Scale each row's free cells so the row (flows + final demand) sums to its target,
    keeping every cell within [0, cap]; fixed cells (inventories) keep their value."""
    for p in range(zm.shape[0]):
        fixed = ym[p, ~free_y].sum()
        cz, cy = cap_z[p], cap_y[p, free_y]
        vz, vy = zm[p].copy(), ym[p, free_y].copy()
        for _ in range(50):
            at_cap_z, at_cap_y = vz >= cz, vy >= cy
            capped = vz[at_cap_z].sum() + vy[at_cap_y].sum()
            movable = vz[~at_cap_z].sum() + vy[~at_cap_y].sum()
            need = target[p] - fixed - capped
            if movable <= 0 or need <= 0:
                if need <= 0:  # the capped cells alone are too much: scale everything down
                    tot = vz.sum() + vy.sum()
                    if tot > 0:
                        f = max(target[p] - fixed, 0.0) / tot
                        vz, vy = vz * f, vy * f
                break
            f = need / movable
            vz = np.where(at_cap_z, vz, vz * f)
            vy = np.where(at_cap_y, vy, vy * f)
            if not ((vz > cz * (1 + 1e-12)).any() or (vy > cy * (1 + 1e-12)).any()):
                break
            vz, vy = np.minimum(vz, cz), np.minimum(vy, cy)
        zm[p], ym[p, free_y] = vz, vy


def _fit_blocks(zm, cap_z, g, target):
    """Scale the cells of each 33 × 33 block to its target total, within [0, cap]."""
    blocks = g @ zm @ g.T
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(blocks > 0, target / blocks, 1.0)
    zm[:] = np.minimum(zm * (g.T @ f @ g), cap_z)


@dataclass(frozen=True)
class Split:
    """A domestic / imported split of a total table and how well it fits its constraints."""

    method: str
    z_m: np.ndarray
    y_m: np.ndarray
    row_gap: float  # max |Σ imported use − imports by product|, million KRW
    block_gap: float  # max |block total − target| (nan without block targets), million KRW
    iterations: int

    def domestic(self, t: TotalTable) -> tuple[np.ndarray, np.ndarray]:
        return t.z - self.z_m, t.y - self.y_m


def split_imports(
    t: TotalTable,
    shares: tuple[np.ndarray, np.ndarray],
    *,
    method: str,
    groups: Sequence[str] | None = None,
    block_targets: np.ndarray | None = None,
    max_iter: int = 200,
    tol: float = 0.5,
) -> Split:
    """Imported flows from cell import shares, fitted to imports by product (and 33 blocks).

    ``Z_m = S_z ∘ Z⁺`` and ``Y_m = S_y ∘ Y`` (the inventory column keeps its share, sign and
    value; cells with negative total flows import nothing), then alternately (a) each product
    row's imported use is scaled to BOK's imports 9329 and (b) with ``block_targets`` (33 × 33,
    million KRW) each block of imported intermediate flows is scaled to its target, every cell
    within ``0 ≤ Z_m ≤ Z`` (``Y_m ≤ Y``), until both gaps are below ``tol`` (million KRW).
    """
    sz, sy = shares
    cap_z = np.clip(t.z, 0.0, None)
    cap_y = np.clip(t.y, 0.0, None)
    zm = sz * cap_z
    ym = sy * t.y
    free_y = np.ones(t.y.shape[1], dtype=bool)
    free_y[INVENTORIES] = False
    ym[:, free_y] = sy[:, free_y] * cap_y[:, free_y]
    g = group_matrix(groups) if groups is not None else None
    it = 0
    row_gap = block_gap = float("nan")
    while it < max_iter:
        it += 1
        if g is not None and block_targets is not None:
            _fit_blocks(zm, cap_z, g, np.clip(block_targets, 0.0, None))
        _fit_rows(zm, ym, cap_z, cap_y, free_y, t.imports)
        row_gap = float(np.abs(zm.sum(axis=1) + ym.sum(axis=1) - t.imports).max())
        if g is None or block_targets is None:
            break
        block_gap = float(np.abs(g @ zm @ g.T - np.clip(block_targets, 0.0, None)).max())
        if block_gap < tol and row_gap < tol:
            break
    return Split(method, zm, ym, row_gap, block_gap, it)


# ---------------------------------------------------------------------------- employment
def derive_employment(
    x: np.ndarray,
    groups: Sequence[str],
    l33: np.ndarray,
    l_bench: np.ndarray,
) -> np.ndarray:
    """Persons employed by sector: each 33-sector group's total is BOK's ``l_g x_g`` (persons
    per KRW bn × output in KRW bn), shared within the group in proportion to ``l_bench_i x_i``
    (the benchmark year's persons per unit of output, at this year's output)."""
    g = group_matrix(groups)
    x_bn = x / 1e3
    group_total = l33 * (g @ x_bn)
    weight = l_bench * x_bn
    group_weight = g @ weight
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.where(group_weight > 0, group_total / group_weight, 0.0)
    return weight * (g.T @ k)
