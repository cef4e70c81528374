"""The steps of :meth:`impactsim.IOTable.from_arrays`: user input → read-only labelled blocks.

Each function takes one block of user input (an array, a DataFrame or a Series), checks its shape
and labels against the sectors, and returns read-only float arrays (and labels). Problems raise
:class:`~impactsim.errors.TableError` naming the argument and the fix. Non-finite values and
signs are left to :meth:`impactsim.IOTable.validate`, which can name the sector.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ..errors import TableError

Array = NDArray[np.float64]

EMPLOYMENT = "employment"

#: The money unit of a table (currency units per table unit: 1e6 for "million KRW") lies in
#: [MIN_UNIT, MAX_UNIT]. Published tables use 1 to 1e9 (a unit, thousand, million, billion);
#: outside this range scenario amounts (up to 1e18) would overflow or vanish in table units.
MIN_UNIT, MAX_UNIT = 1e-3, 1e15


def check_money_unit(unit: Any, *, what: str = "unit") -> float:
    """``unit`` as a float, or a :class:`TableError`: the one check of a table's money unit,
    used by :class:`~impactsim.tables.table.TableMeta` (hence ``IOTable.from_arrays``) and by
    ``table.json`` (``meta.unit``)."""
    if isinstance(unit, bool) or not isinstance(unit, int | float | np.integer | np.floating):
        raise TableError(f"{what}: {unit!r} is not a number; give currency units per table "
                         "unit, e.g. 1e6 for million")
    value = float(unit)
    if not (math.isfinite(value) and MIN_UNIT <= value <= MAX_UNIT):
        raise TableError(
            f"{what}: {value:g} is outside [{MIN_UNIT:g}, {MAX_UNIT:g}]; give currency units per "
            "table unit, e.g. 1e6 for a table in million"
        )
    return value


def floats(a: Any, *, what: str) -> Array:
    """``a`` as a new float ndarray; a :class:`TableError` naming ``what`` if it is not numeric
    (complex numbers included: their imaginary part would be dropped silently)."""
    _no_complex(a, what=what)
    try:
        return np.array(a, dtype=float, copy=True)
    except (TypeError, ValueError) as exc:
        raise TableError(
            f"{what}: values must be numbers ({exc}); fix the input data (0 where there is no flow)"
        ) from None


def _no_complex(a: Any, *, what: str) -> None:
    """Refuse complex input: converting it to float would drop the imaginary part silently."""
    try:
        complex_ = np.iscomplexobj(a) or (
            isinstance(a, pd.DataFrame) and any(np.iscomplexobj(a[c]) for c in a.columns))
    except (TypeError, ValueError):
        complex_ = False
    if complex_:
        raise TableError(f"{what}: complex numbers given; give real numbers (the imaginary part "
                         "would be dropped)")


def readonly(a: ArrayLike, *, what: str, ndim: int) -> Array:
    """A read-only float copy with ``ndim`` dimensions (a 1-D input becomes one column)."""
    arr = floats(a, what=what)
    if arr.ndim == 1 and ndim == 2:
        arr = arr[:, np.newaxis]
    if arr.ndim != ndim:
        shape = "a vector (n,)" if ndim == 1 else "a matrix"
        raise TableError(f"{what}: expected {shape}, got an array of shape {arr.shape}")
    arr.flags.writeable = False
    return arr


def vector(a: Any, *, what: str) -> Array:
    """A read-only float vector from any 1-D-shaped input (array, Series, one-row frame)."""
    values, _, _ = frame_parts(a, what=what)
    return readonly(floats(values, what=what).reshape(-1), what=what, ndim=1)


def labels(values: Any, n: int, *, what: str, default: Sequence[str]) -> pd.Index:
    """``n`` unique labels as an Index (tuples become a MultiIndex); ``default`` if ``None``."""
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


def frame_parts(obj: Any, *, what: str = "values") -> tuple[Any, Any, Any]:
    """Split a DataFrame / Series into (values, index, columns); arrays pass through."""
    _no_complex(obj, what=what)
    if isinstance(obj, pd.DataFrame):
        return obj.to_numpy(dtype=float), obj.index, obj.columns
    if isinstance(obj, pd.Series):
        return obj.to_numpy(dtype=float), obj.index, None
    return obj, None, None


def flows_block(flows: Any, sectors: Any) -> tuple[Array, pd.Index]:
    """The square flow matrix and the sector labels (given, or taken from a DataFrame)."""
    fv, f_idx, f_cols = frame_parts(flows, what="flows")
    z = readonly(fv, what="flows", ndim=2)
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
    return z, labels(sectors, n, what="sectors", default=[f"S{i + 1}" for i in range(n)])


def final_demand_block(
    final_demand: Any, categories: Sequence[str] | None, sec: pd.Index
) -> tuple[Array, pd.Index]:
    """Final demand (n × k) and its category labels (given, or from the frame / Series name)."""
    n = len(sec)
    yv, y_idx, y_cols = frame_parts(final_demand, what="final_demand")
    y = readonly(yv, what="final_demand", ndim=2)
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
    if categories is None and y_cols is not None:
        categories = list(y_cols)
    if categories is None and isinstance(final_demand, pd.Series):
        categories = [final_demand.name or "final_demand"]
    k = y.shape[1]
    default = ["final_demand"] if k == 1 else [f"F{j + 1}" for j in range(k)]
    return y, labels(categories, k, what="final_demand_categories", default=default)


def value_added_block(
    value_added: Any, components: Sequence[str] | None, sec: pd.Index
) -> tuple[Array, pd.Index]:
    """Value added (components × n) and its component labels; a Series is one component."""
    n = len(sec)
    vv, v_idx, v_cols = frame_parts(value_added, what="value_added")
    v = floats(vv, what="value_added")
    if isinstance(value_added, pd.Series):
        v_idx = pd.Index([value_added.name or "value_added"])
        v_cols = value_added.index
    va = readonly(np.atleast_2d(v), what="value_added", ndim=2)
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
    if components is None and v_idx is not None:
        components = list(v_idx)
    m = va.shape[0]
    default = ["value_added"] if m == 1 else [f"V{i + 1}" for i in range(m)]
    return va, labels(components, m, what="value_added_components", default=default)


def import_blocks(
    imports: Any, final_demand_imports: Any, z: Array, y: Array
) -> tuple[Array, Array, Array, Array | None, Array | None]:
    """``(Z_d, Y_d, m, Z_m, Y_m)`` from the ``imports`` argument of ``from_arrays``.

    No imports: ``m = 0``. A row (n values): ``z`` and ``y`` are domestic. An n × n matrix:
    ``z`` and ``y`` are totals, ``Z_d = Z − Z_m``, ``Y_d = Y − Y_m`` and ``m = 1'Z_m``.
    """
    n = z.shape[0]
    if imports is None:
        return z, y, readonly(np.zeros(n), what="imports", ndim=1), None, None
    iv, _, _ = frame_parts(imports, what="imports")
    imp = floats(iv, what="imports")
    if imp.ndim == 1 or (imp.ndim == 2 and 1 in imp.shape and imp.shape != (n, n)):
        m_row = readonly(imp.reshape(-1), what="imports", ndim=1)
        if m_row.shape[0] != n:
            raise TableError(
                f"imports: a row of {m_row.shape[0]} values for {n} sectors; "
                "give one imported-input value per buying sector"
            )
        return z, y, m_row, None, None
    return _import_matrix(imp, final_demand_imports, z, y)


def _import_matrix(
    imp: Array, final_demand_imports: Any, z: Array, y: Array
) -> tuple[Array, Array, Array, Array, Array]:
    """Split total flows and final demand by an imported-flow matrix and imported final demand."""
    n = z.shape[0]
    z_imp = readonly(imp, what="imports", ndim=2)
    if z_imp.shape != (n, n):
        raise TableError(f"imports: an imported-flow matrix must be {n} × {n}, got {z_imp.shape}")
    if final_demand_imports is None:
        raise TableError(
            "final_demand_imports: required with an imported-flow matrix (flows and "
            "final_demand are then totals); pass the imported part of final demand "
            "(n × k), or pass imports as a row when flows are already domestic"
        )
    fiv, _, _ = frame_parts(final_demand_imports, what="final_demand_imports")
    y_imp = readonly(fiv, what="final_demand_imports", ndim=2)
    if y_imp.shape != y.shape:
        raise TableError(
            f"final_demand_imports: shape {y_imp.shape} differs from final_demand "
            f"{y.shape}; give the imported part of every final-demand cell"
        )
    z_dom = readonly(z - z_imp, what="domestic flows (flows − imports)", ndim=2)
    y_dom = readonly(y - y_imp, what="domestic final demand", ndim=2)
    m_row = readonly(z_imp.sum(axis=0), what="imports", ndim=1)
    return z_dom, y_dom, m_row, z_imp, y_imp


def output_block(output: Any, z_dom: Array, y_dom: Array) -> Array:
    """Gross output as given, or the row sums ``Z_d 1 + Y_d 1``."""
    if output is None:
        return readonly(z_dom.sum(axis=1) + y_dom.sum(axis=1), what="output", ndim=1)
    x = vector(output, what="output")
    n = z_dom.shape[0]
    if x.shape[0] != n:
        raise TableError(f"output: {x.shape[0]} values for {n} sectors; give one each")
    return x


def satellite_block(
    employment: Any, satellites: Mapping[str, ArrayLike] | None, n: int
) -> dict[str, Array]:
    """Satellite accounts by name, ``employment`` first; one value per sector each."""
    sats: dict[str, Array] = {}
    if employment is not None:
        sats[EMPLOYMENT] = vector(employment, what="employment")
    for key, val in (satellites or {}).items():
        if key in sats:
            raise TableError(f"satellites: '{key}' given twice; use one name per account")
        sats[str(key)] = vector(val, what=f"satellite '{key}'")
    for key, arr in sats.items():
        if arr.shape[0] != n:
            raise TableError(
                f"satellite '{key}': {arr.shape[0]} values for {n} sectors; give one each"
            )
    return sats


def sector_info_block(sector_info: pd.DataFrame | None, sec: pd.Index) -> pd.DataFrame | None:
    """A copy of ``sector_info`` indexed by the sectors (one row per sector, in order)."""
    if sector_info is None:
        return None
    info = sector_info.copy()
    if len(info) != len(sec):
        raise TableError(f"sector_info: {len(info)} rows for {len(sec)} sectors; give one each")
    info.index = sec
    return info
