"""IOTable: an immutable, labelled, validated input-output table with its units and provenance.

A table holds the *domestic* intermediate flows ``Z_d`` (n × n, row supplies column), domestic
final demand ``Y_d`` (n × k, named categories), value-added components (m × n, named rows; the row
``compensation`` is labour income), imported intermediate inputs by buying sector (a row, or the
full imported-flow matrix ``Z_m``), gross output ``x`` and satellite accounts (``employment`` and
any named per-sector row, in absolute units such as persons). The accounting identities are

* rows:    ``Z_d 1 + Y_d 1 = x``                       (domestic output is used or sold)
* columns: ``1'Z_d + m' + 1'V = x'``                    (inputs + imports + value added = output)

where ``m`` is imported intermediate input by buying sector. Both are checked on construction
against a relative tolerance and the largest residuals are reported; nothing is silently fixed.

In a basic-price table the primary inputs also hold *taxes less subsidies on products* (ESA
D21−D31), which are not value added: give them as a value-added component named
``net_product_taxes``. They take part in the column balance, are excluded from the model's
``value_added`` measure and are reported as their own measure.

Build a table with :meth:`IOTable.from_arrays` (validated input of any shape and labelling) or,
keeping arrays bit for bit, :func:`table_from_parts` / :meth:`IOTable.from_parts` (readers and
sector transforms). :meth:`IOTable.with_arrays` is a validated copy with some arrays replaced.
The folder format is the codec in :mod:`impactsim.tables.storage` (below this module):
:meth:`IOTable.to_dir` / :meth:`IOTable.from_dir`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from html import escape as html_escape
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ..errors import DataSourceError, TableError
from ._blocks import (
    EMPLOYMENT,
    check_money_unit,
    final_demand_block,
    flows_block,
    import_blocks,
    output_block,
    readonly,
    satellite_block,
    sector_info_block,
    value_added_block,
)
from .storage import META_FIELDS, TableParts, parts_files, read_parts, write_parts

Array = NDArray[np.float64]

COMPENSATION = "compensation"
HOUSEHOLDS = "households"
#: Value-added component name for taxes less subsidies on products (a primary input, not GVA).
NET_PRODUCT_TAXES = "net_product_taxes"


@dataclass(frozen=True, slots=True)
class TableMeta:
    """What a table's numbers mean: name, place, year, money units and provenance.

    ``unit`` is the number of currency units in one table unit (1e6 for "million KRW");
    ``price_year`` the year whose prices the money is in (defaults to ``year``);
    ``employment_unit`` e.g. "persons (FTE)"; ``satellite_units`` the unit of each satellite
    other than employment, name → unit (``{"energy": "TJ"}``), read by the measure registry
    (:mod:`impactsim.engine.measures`); ``provenance`` free-form key → text (publisher, table,
    year, units, licence, source checksums, assumptions applied).
    """

    name: str = ""
    region: str = ""
    year: int | None = None
    currency: str = ""
    unit: float = 1.0
    price_basis: str = ""
    price_year: int | None = None
    employment_unit: str = ""
    provenance: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    satellite_units: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", check_money_unit(self.unit, what="unit"))

    @property
    def money_unit(self) -> str:
        """Human label of the money unit, e.g. ``"million KRW"``."""
        scale = {1.0: "", 1e3: "thousand ", 1e6: "million ", 1e9: "billion ", 1e12: "trillion "}
        prefix = scale.get(float(self.unit), f"{self.unit:g} ")
        return f"{prefix}{self.currency}".strip() or "table units"

    def fields(self, **changes: Any) -> dict[str, Any]:
        """The metadata as keywords of :meth:`IOTable.from_arrays` (all but ``provenance``),
        with ``changes`` applied: what a table derived from this one keeps."""
        keep = ("name", "region", "year", "currency", "unit", "price_basis", "price_year",
                "employment_unit", "satellite_units")
        return {**{k: getattr(self, k) for k in keep}, **changes}


#: The array fields :meth:`IOTable.with_arrays` can replace.
_ARRAY_FIELDS = ("z_domestic", "y_domestic", "va", "import_row", "x", "z_imported", "y_imported")


@dataclass(frozen=True, slots=True, eq=False)
class IOTable:
    """An immutable input-output table. Build it with :meth:`IOTable.from_arrays`.

    Arrays are read-only; the labelled views (:attr:`flows`, :attr:`final_demand`, …) are fresh
    pandas objects. Money is in ``meta.unit`` × ``meta.currency`` at ``meta.price_year`` prices.
    """

    sectors: pd.Index
    z_domestic: Array
    y_domestic: Array
    final_demand_categories: pd.Index
    va: Array
    value_added_components: pd.Index
    import_row: Array
    x: Array
    sats: Mapping[str, Array]
    meta: TableMeta
    z_imported: Array | None = None
    y_imported: Array | None = None
    sector_info: pd.DataFrame | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_arrays(
        cls,
        flows: ArrayLike,
        final_demand: ArrayLike,
        value_added: ArrayLike,
        *,
        sectors: Sequence[Any] | pd.Index | None = None,
        final_demand_categories: Sequence[str] | None = None,
        value_added_components: Sequence[str] | None = None,
        imports: ArrayLike | None = None,
        final_demand_imports: ArrayLike | None = None,
        employment: ArrayLike | None = None,
        satellites: Mapping[str, ArrayLike] | None = None,
        output: ArrayLike | None = None,
        name: str = "",
        region: str = "",
        currency: str = "",
        unit: float = 1.0,
        year: int | None = None,
        price_basis: str = "",
        price_year: int | None = None,
        employment_unit: str = "persons",
        satellite_units: Mapping[str, str] | None = None,
        provenance: Mapping[str, Any] | None = None,
        sector_info: pd.DataFrame | None = None,
        allow_negative: Sequence[str] = ("final_demand", "value_added"),
        balance_rtol: float = 1e-6,
        balance_atol: float = 0.0,
    ) -> IOTable:
        """Build and validate a table from arrays or labelled pandas objects.

        ``imports`` is either ``None`` (no imports; ``flows`` and ``final_demand`` are domestic),
        a row of imported intermediate inputs by buying sector (``flows`` and ``final_demand``
        are domestic), or an n × n matrix of imported flows, in which case ``flows`` and
        ``final_demand`` are *total* (domestic + imported) and ``final_demand_imports`` (n × k)
        must give the imported part of final demand. ``output`` defaults to the row sums
        ``Z_d 1 + Y_d 1``. ``allow_negative`` names the blocks where negative entries are legal
        (changes in inventories, subsidies); ``balance_rtol`` is relative to each sector's output.
        """
        z, sec = flows_block(flows, sectors)
        y, fd_cats = final_demand_block(final_demand, final_demand_categories, sec)
        va, va_comp = value_added_block(value_added, value_added_components, sec)
        z_dom, y_dom, m_row, z_imp, y_imp = import_blocks(imports, final_demand_imports, z, y)
        meta = TableMeta(
            name=name,
            region=region,
            year=year,
            currency=currency,
            unit=float(unit),
            price_basis=price_basis,
            price_year=price_year if price_year is not None else year,
            employment_unit=employment_unit,
            provenance=MappingProxyType(dict(provenance or {})),
            satellite_units=MappingProxyType(
                {str(k): str(v) for k, v in (satellite_units or {}).items()}),
        )
        table = cls(
            sectors=sec,
            z_domestic=z_dom,
            y_domestic=y_dom,
            final_demand_categories=fd_cats,
            va=va,
            value_added_components=va_comp,
            import_row=m_row,
            x=output_block(output, z_dom, y_dom),
            sats=MappingProxyType(satellite_block(employment, satellites, len(sec))),
            meta=meta,
            z_imported=z_imp,
            y_imported=y_imp,
            sector_info=sector_info_block(sector_info, sec),
        )
        table.validate(allow_negative=allow_negative, rtol=balance_rtol, atol=balance_atol)
        return table

    @classmethod
    def from_parts(cls, parts: TableParts) -> IOTable:
        """Build a validated table from :class:`~impactsim.tables.storage.TableParts`.

        The arrays are kept bit for bit (see :func:`table_from_parts`).
        """
        return table_from_parts(
            sectors=parts.sectors,
            flows=parts.flows,
            final_demand=parts.final_demand,
            value_added=parts.value_added,
            final_demand_categories=parts.final_demand_categories,
            value_added_components=parts.value_added_components,
            import_row=parts.import_row,
            imported_flows=parts.imported_flows,
            imported_final_demand=parts.imported_final_demand,
            output=parts.output,
            satellites=parts.satellites,
            sector_info=parts.sector_info,
            provenance=parts.provenance,
            allow_negative=parts.allow_negative,
            balance_rtol=parts.balance_rtol,
            balance_atol=parts.balance_atol,
            **parts.meta,
        )

    @classmethod
    def from_dir(cls, path: str | Path) -> IOTable:
        """Read a table folder written by :meth:`IOTable.to_dir` (or by hand, see docs/data.md).

        Raises :class:`~impactsim.errors.DataSourceError` naming the file (and line) at fault,
        including when the files are readable but break an accounting identity.
        """
        parts = read_parts(path)
        try:
            return cls.from_parts(parts)
        except TableError as exc:
            raise DataSourceError(
                f"{Path(path)}: the files do not form a valid table: {exc}"
            ) from None

    # ------------------------------------------------------------------ validation
    def validate(
        self,
        *,
        allow_negative: Sequence[str] = ("final_demand", "value_added"),
        rtol: float = 1e-6,
        atol: float = 0.0,
    ) -> None:
        """Raise :class:`TableError` naming the first problem: NaN/inf, signs, zero output, balance.

        ``allow_negative`` names the blocks (``flows``, ``imports``, ``final_demand``,
        ``value_added``, ``output`` or a satellite) where negative entries are legal. The balance
        holds when ``|residual_j| <= rtol·|x_j| + atol`` for every sector ``j`` (see
        :meth:`balance`).
        """
        blocks = self._blocks()
        self._check_finite(blocks)
        self._check_signs(blocks, allow_negative)
        zero = np.flatnonzero(self.x <= 0)
        if zero.size:
            names = [str(self.sectors[i]) for i in zero[:5]]
            raise TableError(
                f"output: sector(s) {names} have zero output; drop them or aggregate them into a "
                "neighbouring sector before building a model"
            )
        self._check_balance(rtol, atol)

    def _blocks(self) -> dict[str, Array]:
        """Every array of the table by the name errors use, in the order they are checked."""
        blocks: dict[str, Array] = {}
        if self.z_imported is not None:
            blocks["imports"] = self.z_imported
        if self.y_imported is not None:
            blocks["final_demand_imports"] = self.y_imported
        blocks.update(
            {
                "flows": self.z_domestic,
                "final_demand": self.y_domestic,
                "value_added": self.va,
            }
        )
        if self.z_imported is None:
            blocks["imports"] = self.import_row
        blocks["output"] = self.x
        blocks.update(self.sats)
        return blocks

    def _check_finite(self, blocks: Mapping[str, Array]) -> None:
        for what, arr in blocks.items():
            bad = ~np.isfinite(arr)
            if bad.any():
                pos = tuple(int(i) for i in np.argwhere(bad)[0])
                raise TableError(
                    f"{what}: non-finite value (NaN or inf) at {self._describe(what, pos)}; "
                    "replace it with a number (0 where there is no flow)"
                )

    def _check_signs(self, blocks: Mapping[str, Array], allow_negative: Sequence[str]) -> None:
        for what, arr in blocks.items():
            sign_key = "final_demand" if what == "final_demand_imports" else what
            if sign_key in allow_negative or arr.size == 0 or not (arr < 0).any():
                continue
            pos = tuple(int(i) for i in np.argwhere(arr < 0)[0])
            label = self._describe(what, pos)
            if what == "flows" and self.z_imported is not None:
                raise TableError(
                    f"flows: imported flow exceeds the total flow at {label} (domestic part "
                    f"{arr[pos]:g}); imports must not exceed total flows, fix the imported-"
                    "flow matrix or the total flows"
                )
            raise TableError(
                f"{what}: negative value {arr[pos]:g} at {label}; flows, imports, output and "
                f"satellites must be >= 0 (or pass allow_negative=[..., '{sign_key}'])"
            )

    def _check_balance(self, rtol: float, atol: float) -> None:
        report = self.balance()
        scale = np.abs(self.x) * rtol + atol
        for kind in ("row", "column"):
            res = report[f"{kind}_residual"].to_numpy()
            over = np.abs(res) > scale
            if not over.any():
                continue
            worst = report.loc[over, f"{kind}_residual"].abs().sort_values(ascending=False)
            top = ", ".join(
                f"{lab}: {report.loc[lab, f'{kind}_residual']:+.6g}" for lab in worst.index[:3]
            )
            eq = "Z_d 1 + Y_d 1 = x" if kind == "row" else "1'Z_d + imports + value added = x"
            raise TableError(
                f"{kind} balance ({eq}) fails in {int(over.sum())} sector(s), largest "
                f"residuals {top} (tolerance rtol={rtol:g} of output); correct the data or "
                "pass output= consistent with the flows"
            )

    def _describe(self, what: str, pos: tuple[int, ...]) -> str:
        if what in ("flows", "imports") and len(pos) == 2:
            return f"row {self.sectors[pos[0]]!r}, column {self.sectors[pos[1]]!r}"
        if what in ("final_demand", "final_demand_imports") and len(pos) == 2:
            cat = self.final_demand_categories[pos[1]]
            return f"sector {self.sectors[pos[0]]!r}, category {cat!r}"
        if what == "value_added" and len(pos) == 2:
            comp = self.value_added_components[pos[0]]
            return f"component {comp!r}, sector {self.sectors[pos[1]]!r}"
        return f"sector {self.sectors[pos[-1]]!r}"

    def balance(self) -> pd.DataFrame:
        """Balance diagnostics per sector: row and column residuals (table units) and relative.

        ``row_residual = Z_d 1 + Y_d 1 − x``; ``column_residual = 1'Z_d + m' + 1'V − x'``.
        """
        row = self.z_domestic.sum(axis=1) + self.y_domestic.sum(axis=1) - self.x
        col = self.z_domestic.sum(axis=0) + self.import_row + self.va.sum(axis=0) - self.x
        with np.errstate(divide="ignore", invalid="ignore"):
            frame = pd.DataFrame(
                {
                    "output": self.x,
                    "row_residual": row,
                    "column_residual": col,
                    "row_relative": row / self.x,
                    "column_relative": col / self.x,
                },
                index=self.sectors,
            )
        return frame

    # ------------------------------------------------------------------ labelled views
    @property
    def n(self) -> int:
        """Number of sectors."""
        return int(self.x.shape[0])

    @property
    def flows(self) -> pd.DataFrame:
        """Domestic intermediate flows Z_d (row supplies column), table money units."""
        return pd.DataFrame(self.z_domestic, index=self.sectors, columns=self.sectors)

    @property
    def total_flows(self) -> pd.DataFrame:
        """Total intermediate flows Z = Z_d + Z_m (= :attr:`flows` without an import matrix)."""
        z = self.z_domestic if self.z_imported is None else self.z_domestic + self.z_imported
        return pd.DataFrame(z, index=self.sectors, columns=self.sectors)

    @property
    def imported_flows(self) -> pd.DataFrame | None:
        """Imported intermediate flows Z_m, when the table separates them."""
        if self.z_imported is None:
            return None
        return pd.DataFrame(self.z_imported, index=self.sectors, columns=self.sectors)

    @property
    def final_demand(self) -> pd.DataFrame:
        """Domestic final demand Y_d (n × k)."""
        return pd.DataFrame(
            self.y_domestic, index=self.sectors, columns=self.final_demand_categories
        )

    @property
    def total_final_demand(self) -> pd.DataFrame:
        """Total final demand Y = Y_d + Y_m (equals :attr:`final_demand` without imports)."""
        y = self.y_domestic if self.y_imported is None else self.y_domestic + self.y_imported
        return pd.DataFrame(y, index=self.sectors, columns=self.final_demand_categories)

    @property
    def value_added(self) -> pd.DataFrame:
        """Value-added components (rows) by sector (columns)."""
        return pd.DataFrame(self.va, index=self.value_added_components, columns=self.sectors)

    @property
    def imports(self) -> pd.Series:
        """Imported intermediate inputs by buying sector, m."""
        return pd.Series(self.import_row, index=self.sectors, name="imports")

    @property
    def output(self) -> pd.Series:
        """Gross output x by sector."""
        return pd.Series(self.x, index=self.sectors, name="output")

    @property
    def satellites(self) -> pd.DataFrame:
        """Satellite accounts (columns, e.g. ``employment``) by sector, absolute units."""
        return pd.DataFrame(dict(self.sats), index=self.sectors)

    @property
    def employment(self) -> pd.Series | None:
        """Employment by sector (persons; see ``meta.employment_unit``), if the table has it."""
        if EMPLOYMENT not in self.sats:
            return None
        return pd.Series(self.sats[EMPLOYMENT], index=self.sectors, name=EMPLOYMENT)

    @property
    def compensation(self) -> Array | None:
        """Compensation of employees by sector (labour income), if a component is so named."""
        if COMPENSATION in self.value_added_components:
            return self.va[self.value_added_components.get_loc(COMPENSATION)]
        return None

    def sector_position(self, label: Any) -> int:
        """Position of a sector label; raises :class:`TableError` naming close matches."""
        try:
            pos = self.sectors.get_loc(label)
        except KeyError:
            pos = None
        if not isinstance(pos, int | np.integer):
            near = difflib.get_close_matches(str(label), [str(s) for s in self.sectors], n=3)
            hint = f"; did you mean {near}?" if near else ""
            raise TableError(f"unknown sector {label!r} in table '{self.meta.name}'{hint}")
        return int(pos)

    # ------------------------------------------------------------------ copies and files
    def replace_meta(self, **changes: Any) -> IOTable:
        """A copy of the table with metadata fields changed (arrays shared, still read-only)."""
        meta = replace(self.meta, **changes)
        if "provenance" in changes:
            meta = replace(meta, provenance=MappingProxyType(dict(changes["provenance"])))
        return replace(self, meta=meta)

    def with_arrays(
        self,
        *,
        allow_negative: Sequence[str] | None = None,
        balance_rtol: float | None = None,
        balance_atol: float = 0.0,
        **changes: Any,
    ) -> IOTable:
        """A validated copy with some arrays replaced; sector labels and ``meta`` are kept.

        ``changes`` maps field names to new values: ``z_domestic``, ``y_domestic``, ``va``,
        ``import_row``, ``x``, ``z_imported``, ``y_imported`` (arrays of the field's shape;
        ``z_imported`` (n × n) and ``y_imported`` (n × k) may also be added to a table without
        them, or both set to ``None``), ``sats`` (name → one value per sector) and
        ``sector_info`` (one row per sector). Nothing is derived: replacing ``z_imported`` does
        not change ``import_row``. The copy is checked by :meth:`validate` with
        ``allow_negative`` (default: the blocks in which this table already has negative
        entries, :func:`negative_blocks`) and ``balance_rtol`` (default: the tolerance this
        table passes, :func:`balance_tolerance`).
        """
        unknown = sorted(set(changes) - {*_ARRAY_FIELDS, "sats", "sector_info"})
        if unknown:
            raise TableError(
                f"with_arrays: {unknown} cannot be replaced; give {list(_ARRAY_FIELDS)}, 'sats' "
                "or 'sector_info' (labels and meta: build a new table / use replace_meta)"
            )
        rtol = balance_tolerance(self) if balance_rtol is None else balance_rtol
        allowed = negative_blocks(self) if allow_negative is None else allow_negative
        new: dict[str, Any] = {}
        for key in _ARRAY_FIELDS:
            if key in changes:
                new[key] = self._checked_array(key, changes[key])
        if "sats" in changes:
            new["sats"] = MappingProxyType(satellite_block(None, changes["sats"], self.n))
        if "sector_info" in changes:
            new["sector_info"] = sector_info_block(changes["sector_info"], self.sectors)
        table = replace(self, **new)
        if (table.z_imported is None) != (table.y_imported is None):
            raise TableError("with_arrays: z_imported and y_imported go together; give both")
        table.validate(allow_negative=allowed, rtol=rtol, atol=balance_atol)
        return table

    def _checked_array(self, key: str, value: Any) -> Array | None:
        """``value`` as a read-only array of the shape field ``key`` has in this table."""
        k = self.y_domestic.shape[1]
        shapes = {
            "z_domestic": (self.n, self.n),
            "y_domestic": (self.n, k),
            "va": self.va.shape,
            "import_row": (self.n,),
            "x": (self.n,),
            "z_imported": (self.n, self.n),
            "y_imported": (self.n, k),
        }
        if value is None and key in ("z_imported", "y_imported"):
            return None
        shape = shapes[key]
        arr = readonly(value, what=key, ndim=len(shape))
        if arr.shape != shape:
            raise TableError(
                f"{key}: shape {arr.shape} differs from the table's {shape}; give one value per "
                "cell of the block (change the sectors by building a new table)"
            )
        return arr

    def to_parts(self) -> TableParts:
        """The table as :class:`~impactsim.tables.storage.TableParts` (arrays shared, read-only).

        The validation options are the ones the table passes: :func:`negative_blocks` and
        :func:`balance_tolerance`; ``IOTable.from_parts(table.to_parts())`` equals ``table``.
        """
        m = self.meta
        return TableParts(
            sectors=self.sectors,
            flows=self.z_domestic,
            final_demand=self.y_domestic,
            value_added=self.va,
            final_demand_categories=list(self.final_demand_categories),
            value_added_components=list(self.value_added_components),
            import_row=self.import_row,
            imported_flows=self.z_imported,
            imported_final_demand=self.y_imported,
            output=self.x,
            satellites=dict(self.sats),
            sector_info=self.sector_info,
            provenance=dict(m.provenance),
            meta={f: getattr(m, f) for f in META_FIELDS},
            allow_negative=tuple(negative_blocks(self)),
            balance_rtol=balance_tolerance(self),
        )

    def to_files(self) -> dict[str, bytes]:
        """The bytes of every file :meth:`to_dir` writes, by file name (deterministic)."""
        return parts_files(self.to_parts())

    def to_dir(self, path: str | Path) -> Path:
        """Write the table as a folder of CSV files plus ``table.json`` metadata (docs/data.md).

        Returns the folder path; files of the format this table does not need are removed.
        """
        return write_parts(self.to_parts(), path)

    def __repr__(self) -> str:
        m = self.meta
        cats = list(self.final_demand_categories)
        return (
            f"IOTable(name={m.name!r}, region={m.region!r}, year={m.year}, sectors={self.n}, "
            f"final_demand={_short_list(cats)}, money='{m.money_unit}', "
            f"satellites={list(self.sats)})"
        )

    def _repr_html_(self) -> str:
        """A short summary for notebooks: name, size, money, price basis, blocks."""
        m = self.meta
        rows = {
            "sectors": f"{self.n:,}",
            "region, data year": f"{m.region or '–'}, {m.year or '–'}",
            "money": f"{m.money_unit} at {m.price_year or '–'} prices"
            + (f", {m.price_basis}" if m.price_basis else ""),
            "total output": f"{float(self.x.sum()):,.0f} {m.money_unit}",
            "final demand": _short_list(list(self.final_demand_categories)),
            "value added": ", ".join(map(str, self.value_added_components)),
            "imports": "flow matrix" if self.z_imported is not None else "row",
            "satellites": ", ".join(self.sats) or "none",
        }
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>"
                       f"{html_escape(str(v))}</td></tr>" for k, v in rows.items())
        return f"<p><b>IOTable {html_escape(m.name or '')}</b></p><table>{body}</table>"


def _short_list(items: list[Any], *, limit: int = 6) -> str:
    """``[a, b, c, … (+n more)]`` for reprs: a few labels, then how many are left out."""
    shown = ", ".join(map(str, items[:limit]))
    more = f", … (+{len(items) - limit} more)" if len(items) > limit else ""
    return f"[{shown}{more}]"


# ---------------------------------------------------------------------------- module functions
def table_from_parts(
    *,
    sectors: pd.Index,
    flows: Array,
    final_demand: Array,
    value_added: Array,
    final_demand_categories: Sequence[Any],
    value_added_components: Sequence[Any],
    import_row: Array | None = None,
    imported_flows: Array | None = None,
    imported_final_demand: Array | None = None,
    output: Array | None = None,
    satellites: Mapping[str, Array] | None = None,
    sector_info: pd.DataFrame | None = None,
    provenance: Mapping[str, Any] | None = None,
    allow_negative: Sequence[str] = ("final_demand", "value_added"),
    balance_rtol: float = 1e-6,
    balance_atol: float = 0.0,
    **meta: Any,
) -> IOTable:
    """Build a validated table from *domestic* parts, keeping every array bit for bit.

    ``flows`` / ``final_demand`` are domestic. With ``imported_flows`` (n × n) and
    ``imported_final_demand`` (n × k) the table keeps the imported matrices as given (their
    column sums are the import row unless ``import_row`` is passed); this avoids the rounding of
    ``(Z_d + Z_m) − Z_m`` that building from totals would introduce. ``meta`` takes the
    :class:`TableMeta` fields (``name``, ``region``, ``year``, …) as in :meth:`IOTable.from_arrays`.
    """
    if (imported_flows is None) != (imported_final_demand is None):
        raise TableError("imported_flows and imported_final_demand: give both or neither")
    m = import_row
    if m is None and imported_flows is not None:
        m = np.asarray(imported_flows, dtype=float).sum(axis=0)
    table = IOTable.from_arrays(
        flows,
        final_demand,
        value_added,
        sectors=sectors,
        final_demand_categories=list(final_demand_categories),
        value_added_components=list(value_added_components),
        imports=m,
        satellites=dict(satellites or {}),
        output=output,
        provenance=provenance,
        sector_info=sector_info,
        allow_negative=allow_negative,
        balance_rtol=balance_rtol,
        balance_atol=balance_atol,
        **meta,
    )
    if imported_flows is None:
        return table
    n, k = table.n, table.y_domestic.shape[1]
    zm = np.asarray(imported_flows, dtype=float)
    ym = np.asarray(imported_final_demand, dtype=float)
    if zm.shape != (n, n) or ym.shape != (n, k):
        raise TableError(
            f"imported flows {zm.shape} / imported final demand {ym.shape}: expected ({n}, {n}) "
            f"and ({n}, {k})"
        )
    return table.with_arrays(
        z_imported=zm,
        y_imported=ym,
        allow_negative=allow_negative,
        balance_rtol=balance_rtol,
        balance_atol=balance_atol,
    )


def balance_tolerance(table: IOTable) -> float:
    """The smallest relative tolerance (≥ 1e-6) the table's own residuals pass.

    ``max(1e-6, (1 + 1e-6) · max_j |residual_j| / |x_j|)`` over row and column residuals.
    """
    report = table.balance()
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = (
            np.abs(report[["row_residual", "column_residual"]].to_numpy())
            / np.abs(table.x)[:, None]
        )
    worst = float(np.nanmax(rel)) if rel.size else 0.0
    return max(1e-6, worst * (1.0 + 1e-6))


def negative_blocks(table: IOTable) -> list[str]:
    """The blocks where the table has negative entries, plus final demand and value added.

    The result, sorted, is an ``allow_negative`` under which the table validates.
    """
    blocks = {"final_demand", "value_added"}
    for what, arr in (
        ("flows", table.z_domestic),
        ("imports", table.import_row if table.z_imported is None else table.z_imported),
        ("output", table.x),
        *table.sats.items(),
    ):
        if arr.size and (arr < 0).any():
            blocks.add(what)
    return sorted(blocks)
