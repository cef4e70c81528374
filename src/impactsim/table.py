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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from .errors import TableError

Array = NDArray[np.float64]

COMPENSATION = "compensation"
HOUSEHOLDS = "households"
EMPLOYMENT = "employment"
#: Value-added component name for taxes less subsidies on products (a primary input, not GVA).
NET_PRODUCT_TAXES = "net_product_taxes"


@dataclass(frozen=True, slots=True)
class TableMeta:
    """What a table's numbers mean: name, place, year, money units and provenance.

    ``unit`` is the number of currency units in one table unit (1e6 for "million KRW");
    ``price_year`` the year whose prices the money is in (defaults to ``year``);
    ``employment_unit`` e.g. "persons (FTE)"; ``provenance`` free-form key → text (publisher,
    table, year, units, licence, source checksums, assumptions applied).
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

    @property
    def money_unit(self) -> str:
        """Human label of the money unit, e.g. ``"million KRW"``."""
        scale = {1.0: "", 1e3: "thousand ", 1e6: "million ", 1e9: "billion ", 1e12: "trillion "}
        prefix = scale.get(float(self.unit), f"{self.unit:g} ")
        return f"{prefix}{self.currency}".strip() or "table units"


def _floats(a: Any, *, what: str) -> Array:
    """``a`` as a new float ndarray; a :class:`TableError` naming ``what`` if it is not numeric."""
    try:
        return np.array(a, dtype=float, copy=True)
    except (TypeError, ValueError) as exc:
        raise TableError(
            f"{what}: values must be numbers ({exc}); fix the input data (0 where there is no flow)"
        ) from None


def _readonly(a: ArrayLike, *, what: str, ndim: int) -> Array:
    """A read-only float copy with ``ndim`` dimensions (a 1-D input becomes one column).

    Non-finite values are reported by :meth:`IOTable.validate`, which can name the sector.
    """
    arr = _floats(a, what=what)
    if arr.ndim == 1 and ndim == 2:
        arr = arr[:, np.newaxis]
    if arr.ndim != ndim:
        shape = "a vector (n,)" if ndim == 1 else "a matrix"
        raise TableError(f"{what}: expected {shape}, got an array of shape {arr.shape}")
    arr.flags.writeable = False
    return arr


def _labels(values: Any, n: int, *, what: str, default: Sequence[str]) -> pd.Index:
    if values is None:
        idx = pd.Index(list(default))
    elif isinstance(values, pd.Index):
        idx = values
    else:
        vals = list(values)
        if vals and isinstance(vals[0], tuple):
            idx = pd.MultiIndex.from_tuples(vals)
        else:
            idx = pd.Index(vals)
    if len(idx) != n:
        raise TableError(f"{what}: {len(idx)} labels given for {n} entries; give one label each")
    if idx.has_duplicates:
        dup = idx[idx.duplicated()].unique().tolist()[:3]
        raise TableError(f"{what}: duplicate labels {dup}; every label must be unique")
    return idx


def _frame_parts(obj: Any) -> tuple[Any, Any, Any]:
    """Split a DataFrame / Series into (values, index, columns); arrays pass through."""
    if isinstance(obj, pd.DataFrame):
        return obj.to_numpy(dtype=float), obj.index, obj.columns
    if isinstance(obj, pd.Series):
        return obj.to_numpy(dtype=float), obj.index, None
    return obj, None, None


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
        fv, f_idx, f_cols = _frame_parts(flows)
        z = _readonly(fv, what="flows", ndim=2)
        n = z.shape[0]
        if z.shape != (n, n):
            raise TableError(
                f"flows: must be square (n × n), got shape {z.shape}; give one row and one "
                "column per sector (row = supplying sector, column = buying sector)"
            )
        if sectors is None and f_idx is not None:
            if f_cols is not None and not f_idx.equals(f_cols):
                raise TableError(
                    "flows: row labels and column labels differ; the same sectors must label "
                    "both (reorder the columns to match the rows)"
                )
            sectors = f_idx
        sec = _labels(sectors, n, what="sectors", default=[f"S{i + 1}" for i in range(n)])

        yv, y_idx, y_cols = _frame_parts(final_demand)
        y = _readonly(yv, what="final_demand", ndim=2)
        if y.shape[0] != n:
            raise TableError(
                f"final_demand: has {y.shape[0]} rows but flows has {n} sectors; "
                "give one row per sector"
            )
        if y_idx is not None and not pd.Index(y_idx).equals(sec):
            raise TableError(
                "final_demand: row labels differ from the sectors of flows; reindex it to the "
                "sectors in the same order (final_demand.reindex(sectors))"
            )
        if final_demand_categories is None and y_cols is not None:
            final_demand_categories = list(y_cols)
        if final_demand_categories is None and isinstance(final_demand, pd.Series):
            final_demand_categories = [final_demand.name or "final_demand"]
        fd_cats = _labels(
            final_demand_categories,
            y.shape[1],
            what="final_demand_categories",
            default=["final_demand"]
            if y.shape[1] == 1
            else [f"F{j + 1}" for j in range(y.shape[1])],
        )

        vv, v_idx, v_cols = _frame_parts(value_added)
        v = _floats(vv, what="value_added")
        if isinstance(value_added, pd.Series):
            v_idx = pd.Index([value_added.name or "value_added"])
            v_cols = value_added.index
        va = _readonly(np.atleast_2d(v), what="value_added", ndim=2)
        if va.shape[1] != n:
            raise TableError(
                f"value_added: has {va.shape[1]} columns but flows has {n} sectors; "
                "give one column per sector (components as rows)"
            )
        if v_cols is not None and not pd.Index(v_cols).equals(sec):
            raise TableError(
                "value_added: column labels differ from the sectors of flows; give components "
                "as rows and the sectors, in flows order, as columns"
            )
        if value_added_components is None and v_idx is not None:
            value_added_components = list(v_idx)
        va_comp = _labels(
            value_added_components,
            va.shape[0],
            what="value_added_components",
            default=["value_added"]
            if va.shape[0] == 1
            else [f"V{i + 1}" for i in range(va.shape[0])],
        )

        z_imp: Array | None = None
        y_imp: Array | None = None
        if imports is None:
            m_row = np.zeros(n)
            z_dom, y_dom = z, y
        else:
            iv, _, _ = _frame_parts(imports)
            imp = _floats(iv, what="imports")
            if imp.ndim == 1 or (imp.ndim == 2 and 1 in imp.shape and imp.shape != (n, n)):
                m_row = _readonly(imp.reshape(-1), what="imports", ndim=1)
                if m_row.shape[0] != n:
                    raise TableError(
                        f"imports: a row of {m_row.shape[0]} values for {n} sectors; "
                        "give one imported-input value per buying sector"
                    )
                z_dom, y_dom = z, y
            else:
                z_imp = _readonly(imp, what="imports", ndim=2)
                if z_imp.shape != (n, n):
                    raise TableError(
                        f"imports: an imported-flow matrix must be {n} × {n}, got {z_imp.shape}"
                    )
                if final_demand_imports is None:
                    raise TableError(
                        "final_demand_imports: required with an imported-flow matrix (flows and "
                        "final_demand are then totals); pass the imported part of final demand "
                        "(n × k), or pass imports as a row when flows are already domestic"
                    )
                fiv, _, _ = _frame_parts(final_demand_imports)
                y_imp = _readonly(fiv, what="final_demand_imports", ndim=2)
                if y_imp.shape != y.shape:
                    raise TableError(
                        f"final_demand_imports: shape {y_imp.shape} differs from final_demand "
                        f"{y.shape}; give the imported part of every final-demand cell"
                    )
                z_dom = _readonly(z - z_imp, what="domestic flows (flows − imports)", ndim=2)
                y_dom = _readonly(y - y_imp, what="domestic final demand", ndim=2)
                m_row = _readonly(z_imp.sum(axis=0), what="imports", ndim=1)
                z_imp.flags.writeable = False

        if output is None:
            x = _readonly(z_dom.sum(axis=1) + y_dom.sum(axis=1), what="output", ndim=1)
        else:
            ov, _, _ = _frame_parts(output)
            x = _readonly(_floats(ov, what="output").reshape(-1), what="output", ndim=1)
            if x.shape[0] != n:
                raise TableError(f"output: {x.shape[0]} values for {n} sectors; give one each")

        sats: dict[str, Array] = {}
        if employment is not None:
            ev, _, _ = _frame_parts(employment)
            sats[EMPLOYMENT] = _readonly(
                _floats(ev, what="employment").reshape(-1), what="employment", ndim=1
            )
        for key, val in (satellites or {}).items():
            sv, _, _ = _frame_parts(val)
            if key in sats:
                raise TableError(f"satellites: '{key}' given twice; use one name per account")
            what = f"satellite '{key}'"
            sats[str(key)] = _readonly(_floats(sv, what=what).reshape(-1), what=what, ndim=1)
        for key, arr in sats.items():
            if arr.shape[0] != n:
                raise TableError(
                    f"satellite '{key}': {arr.shape[0]} values for {n} sectors; give one each"
                )

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
        )
        info = None
        if sector_info is not None:
            info = sector_info.copy()
            if len(info) != n:
                raise TableError(f"sector_info: {len(info)} rows for {n} sectors; give one each")
            info.index = sec
        table = cls(
            sectors=sec,
            z_domestic=z_dom,
            y_domestic=y_dom,
            final_demand_categories=fd_cats,
            va=va,
            value_added_components=va_comp,
            import_row=m_row,
            x=x,
            sats=MappingProxyType(sats),
            meta=meta,
            z_imported=z_imp,
            y_imported=y_imp,
            sector_info=info,
        )
        table.validate(allow_negative=allow_negative, rtol=balance_rtol, atol=balance_atol)
        return table

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
        ``value_added``, ``output`` or a satellite) where negative entries are legal.
        """
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
        for key, arr in self.sats.items():
            blocks[key] = arr
        for what, arr in blocks.items():
            bad = ~np.isfinite(arr)
            if bad.any():
                pos = tuple(int(i) for i in np.argwhere(bad)[0])
                raise TableError(
                    f"{what}: non-finite value (NaN or inf) at {self._describe(what, pos)}; "
                    "replace it with a number (0 where there is no flow)"
                )
        for what, arr in blocks.items():
            sign_key = "final_demand" if what == "final_demand_imports" else what
            if sign_key in allow_negative or arr.size == 0:
                continue
            if (arr < 0).any():
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
        zero = np.flatnonzero(self.x <= 0)
        if zero.size:
            names = [str(self.sectors[i]) for i in zero[:5]]
            raise TableError(
                f"output: sector(s) {names} have zero output; drop them or aggregate them into a "
                "neighbouring sector before building a model"
            )
        report = self.balance()
        scale = np.abs(self.x) * rtol + atol
        for kind in ("row", "column"):
            res = report[f"{kind}_residual"].to_numpy()
            over = np.abs(res) > scale
            if over.any():
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
            import difflib

            near = difflib.get_close_matches(str(label), [str(s) for s in self.sectors], n=3)
            hint = f"; did you mean {near}?" if near else ""
            raise TableError(f"unknown sector {label!r} in table '{self.meta.name}'{hint}")
        return int(pos)

    def replace_meta(self, **changes: Any) -> IOTable:
        """A copy of the table with metadata fields changed (arrays shared, still read-only)."""
        from dataclasses import replace

        meta = replace(self.meta, **changes)
        if "provenance" in changes:
            meta = replace(meta, provenance=MappingProxyType(dict(changes["provenance"])))
        return replace(self, meta=meta)

    def to_dir(self, path: Any) -> Any:
        """Write the table as a folder of CSV files plus ``table.json`` metadata (docs/data.md)."""
        from .storage import write_table_dir

        return write_table_dir(self, path)

    @classmethod
    def from_dir(cls, path: Any) -> IOTable:
        """Read a table folder written by :meth:`IOTable.to_dir` (or by hand, see docs/data.md)."""
        from .storage import read_table_dir

        return read_table_dir(path)

    def __repr__(self) -> str:
        m = self.meta
        return (
            f"IOTable(name={m.name!r}, region={m.region!r}, year={m.year}, sectors={self.n}, "
            f"final_demand={list(self.final_demand_categories)}, money='{m.money_unit}', "
            f"satellites={list(self.sats)})"
        )
