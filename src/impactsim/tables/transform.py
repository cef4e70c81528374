"""Sector detail: split one sector into several (:func:`disaggregate`) or merge sectors by a
concordance (:func:`aggregate`). Both return a new, validated :class:`IOTable` that keeps every
economy-wide total and records what was done in ``meta.provenance``.

Splitting sector ``p`` into parts ``i`` with output shares ``w_i`` (Σ w_i = 1):

* rows (``p`` as a supplier): ``Z[i, ·] = w_i Z[p, ·]``, ``Y[i, ·] = w_i Y[p, ·]``,
  ``x_i = w_i x_p`` (imported rows by ``import_shares``, default ``w``);
* columns (``p`` as a buyer), parent technology: ``Z[·, i] = w_i Z[·, p]`` and likewise imports,
  value added and satellites, so every part has the parent's coefficients and
  ``A_new`` reproduces ``A`` — the parts' multipliers equal the parent's and every other sector's
  multipliers are unchanged;
* ``input_structures`` give a part its own coefficients (per unit of that part's output) for some
  inputs; its other inputs are rescaled so that its inputs still add up to its output, and the
  parts without a structure take what remains of the parent's purchases, row by row, in
  proportion to their weights — so every row total, value added, imports and satellite total is
  unchanged;
* ``technology`` gives every part a *prior* cost structure (coefficients on some inputs, the
  parent's elsewhere), and the parts' columns are balanced to the parent by RAS
  (:mod:`impactsim.tables._balanced_split`): each input row of the parts sums to the parent's,
  each part's column to its output, so the output-weighted mean of the parts' coefficients is
  the parent's for every input, value-added component, imports and satellite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import TableError
from ._balanced_split import balanced_columns, prior_column, split_satellite
from .table import IOTable, balance_tolerance, negative_blocks, table_from_parts

Array = NDArray[np.float64]

#: Sum of split weights must be 1 within this tolerance.
WEIGHT_TOL = 1e-9
IMPORTS_KEY = "imports"


def _index(labels: list[Any], like: pd.Index) -> pd.Index:
    if isinstance(like, pd.MultiIndex):
        bad = [lab for lab in labels if not (isinstance(lab, tuple) and len(lab) == like.nlevels)]
        if bad:
            raise TableError(
                f"labels {bad[:3]}: the table has {like.nlevels}-level labels {list(like.names)}; "
                f"give tuples of {like.nlevels} values"
            )
        return pd.MultiIndex.from_tuples(labels, names=like.names)
    return pd.Index(labels, name=like.name)


def _append_provenance(table: IOTable, key: str, entry: dict[str, Any]) -> dict[str, Any]:
    prov = dict(table.meta.provenance)
    steps = list(prov.get(key, []))
    steps.append(entry)
    prov[key] = steps
    return prov


def _weights(into: Mapping[Any, float], what: str) -> tuple[list[Any], Array]:
    if not isinstance(into, Mapping) or not into:
        raise TableError(f"{what}: give a mapping new_label → share, e.g. {{'A1': 0.6, 'A2': 0.4}}")
    labels = list(into)
    try:
        w = np.array([float(v) for v in into.values()])
    except (TypeError, ValueError):
        raise TableError(f"{what}: shares must be numbers, got {list(into.values())}") from None
    if not np.all(np.isfinite(w)) or (w <= 0).any():
        bad = labels[int(np.flatnonzero(~(w > 0))[0])]
        raise TableError(f"{what}: share of {bad!r} must be a number > 0")
    if abs(w.sum() - 1.0) > WEIGHT_TOL:
        raise TableError(
            f"{what}: shares sum to {w.sum():.12g}; they are shares of the parent and must sum to 1"
        )
    return labels, w


def disaggregate(
    table: IOTable,
    sector: Any,
    into: Mapping[Any, float],
    *,
    input_structures: Mapping[Any, Mapping[Any, float]] | None = None,
    technology: Mapping[Any, Mapping[Any, Any]] | None = None,
    import_shares: Mapping[Any, float] | None = None,
    info: Mapping[Any, Mapping[str, Any]] | None = None,
    source: str = "",
    name: str | None = None,
) -> IOTable:
    """Split ``sector`` into the parts ``into`` = {new_label: output share} (shares sum to 1).

    Rows are split by the output shares (imported rows by ``import_shares`` if given); columns
    copy the parent's technology unless ``input_structures`` = {part: {input: coefficient}} gives
    a part its own input coefficients per unit of its output. An input is a sector label of the
    new table (domestic purchases), a value-added component, ``"imports"`` (all imported inputs,
    in the parent's product mix) or a satellite name (e.g. ``"employment"`` per table money unit
    of output). At least one part must keep no structure (it takes the remainder) unless the
    structures add up exactly to the parent's column. ``technology`` = {part: {input: prior}}
    instead balances every part's column to the parent by RAS from prior coefficients (a number,
    or ``{"relative": f}`` times the parent's; same input keys; parts not named keep the
    parent's coefficients as their prior): the parts' purchases of each input, value-added
    components, imports and satellites sum to the parent's exactly, and each part's inputs to
    its output. ``info`` = {part: {column: value}} sets
    ``sector_info`` fields (others are copied from the parent); ``source`` documents where the
    shares come from and is recorded with the split in ``provenance["disaggregation"]``.
    """
    p = table.sector_position(sector)
    labels, w = _weights(into, "into")
    sectors = _split_index(table, p, labels)
    ws_imp = w if import_shares is None else _import_weights(import_shares, labels)
    z, y, x, va, sats, zm, ym, m_row = _split_rows(table, p, w, ws_imp)
    structured = dict(input_structures or {})
    if structured and technology:
        raise TableError("give input_structures or technology, not both")
    if technology:
        unknown = [lab for lab in technology if lab not in labels]
        if unknown:
            raise TableError(f"technology: {unknown} are not parts of the split {labels}")
        z, zm, m_row, va, sats = _apply_technology(
            table, technology, labels, p, z, zm, m_row, va, sats, x, sectors
        )
    if structured:
        unknown = [lab for lab in structured if lab not in labels]
        if unknown:
            raise TableError(f"input_structures: {unknown} are not parts of the split {labels}")
        z, zm, m_row, va, sats = _apply_structures(
            table, structured, labels, w, p, z, zm, m_row, va, sats, x, sectors
        )
    info_frame = None
    if table.sector_info is not None:
        info_frame = _split_info(table.sector_info, p, labels, info or {})
    elif info:
        info_frame = _split_info(pd.DataFrame(index=table.sectors), p, labels, info)
    entry = _split_entry(sector, labels, w, import_shares, ws_imp, structured, source)
    if technology:
        entry["columns"] = {
            "balanced (RAS) to the parent from prior cost structures": {
                str(lab): {str(k): v for k, v in st.items()} for lab, st in technology.items()
            }
        }
    rtol = balance_tolerance(table)
    return table_from_parts(
        sectors=sectors,
        flows=z,
        final_demand=y,
        value_added=va,
        final_demand_categories=list(table.final_demand_categories),
        value_added_components=list(table.value_added_components),
        import_row=None if zm is not None else m_row,
        imported_flows=zm,
        imported_final_demand=ym,
        output=x,
        satellites=sats,
        sector_info=info_frame,
        provenance=_append_provenance(table, "disaggregation", entry),
        allow_negative=tuple(negative_blocks(table)),
        balance_rtol=max(rtol, 1e-6) * (1 + 1e-6),
        balance_atol=1e-9 * float(np.abs(table.x).max()),
        **table.meta.fields(name=table.meta.name if name is None else name),
    )


def _split_index(table: IOTable, p: int, labels: list[Any]) -> pd.Index:
    """The sectors after replacing sector ``p`` by ``labels`` (new, unique labels only)."""
    old = list(table.sectors)
    others = [lab for k, lab in enumerate(old) if k != p]
    clash = [lab for lab in labels if lab in others]
    if clash:
        raise TableError(f"into: label(s) {clash} already name other sectors; choose new labels")
    if len(set(labels)) != len(labels):
        raise TableError("into: labels must be unique")
    return _index(old[:p] + labels + old[p + 1 :], table.sectors)


def _import_weights(import_shares: Mapping[Any, float], labels: list[Any]) -> Array:
    """The parts' shares of the parent's imported rows, in the order of ``labels``."""
    imp_labels, _ = _weights(import_shares, "import_shares")
    if set(imp_labels) != set(labels):
        raise TableError(f"import_shares: give a share for each of {labels}, got {imp_labels}")
    return np.array([float(import_shares[lab]) for lab in labels])


def _split_rows(table: IOTable, p: int, w: Array, ws_imp: Array) -> tuple[Any, ...]:
    """Every block with sector ``p`` split by the shares, parent technology in every part.

    Rows of the new table come from rows of the old one (``idx``), scaled by ``f`` (1, or a
    part's share): ``Z_new = f̂ Z[idx, idx] f̂`` — fancy indexing, no matrix products. Imported
    rows are scaled by ``ws_imp``. Returns ``(Z_d, Y_d, x, V, satellites, Z_m, Y_m, m)`` with
    ``Z_m`` and ``Y_m`` ``None`` for a table with an import row only.
    """
    s = len(w)
    n_old = table.n
    n = n_old + s - 1
    idx = np.array([*range(p), *([p] * s), *range(p + 1, n_old)])
    f = np.ones(n)
    f[p : p + s] = w
    f_m = np.ones(n)
    f_m[p : p + s] = ws_imp
    z = table.z_domestic[np.ix_(idx, idx)] * f[:, np.newaxis] * f[np.newaxis, :]
    y = table.y_domestic[idx] * f[:, np.newaxis]
    x = table.x[idx] * f
    va = table.va[:, idx] * f[np.newaxis, :]
    sats = {k: v[idx] * f for k, v in table.sats.items()}
    if table.z_imported is None or table.y_imported is None:
        return z, y, x, va, sats, None, None, table.import_row[idx] * f
    zm = table.z_imported[np.ix_(idx, idx)] * f_m[:, np.newaxis] * f[np.newaxis, :]
    ym = table.y_imported[idx] * f_m[:, np.newaxis]
    return z, y, x, va, sats, zm, ym, zm.sum(axis=0)


def _split_entry(
    sector: Any,
    labels: list[Any],
    w: Array,
    import_shares: Mapping[Any, float] | None,
    ws_imp: Array,
    structured: Mapping[Any, Mapping[Any, float]],
    source: str,
) -> dict[str, Any]:
    """The record of one split in ``provenance["disaggregation"]``."""
    columns: Any = "parent technology"
    if structured:
        columns = {
            "own input structures": {
                str(lab): {str(k): float(v) for k, v in st.items()}
                for lab, st in structured.items()
            },
            "other parts": "parent purchases net of the structured parts, by output share",
        }
    imported_rows: Any = "output shares"
    if import_shares is not None:
        imported_rows = {str(lab): float(v) for lab, v in zip(labels, ws_imp, strict=True)}
    return {
        "sector": str(sector),
        "into": {str(lab): float(v) for lab, v in zip(labels, w, strict=True)},
        "rows": "output shares",
        "imported_rows": imported_rows,
        "columns": columns,
        "source": source,
    }


def _split_info(
    frame: pd.DataFrame, p: int, labels: list[Any], info: Mapping[Any, Mapping[str, Any]]
) -> pd.DataFrame:
    unknown = [lab for lab in info if lab not in labels]
    if unknown:
        raise TableError(f"info: {unknown} are not parts of the split {labels}")
    parent = frame.iloc[[p] * len(labels)].copy()
    parent.index = range(len(labels))
    for k, lab in enumerate(labels):
        for col, val in (info.get(lab) or {}).items():
            if col not in parent.columns:
                raise TableError(
                    f"info[{lab!r}]: sector_info has no column {col!r} (has {list(parent.columns)})"
                )
            parent.loc[k, col] = val
    head = frame.iloc[:p].reset_index(drop=True)
    tail = frame.iloc[p + 1 :].reset_index(drop=True)
    out = pd.concat([head, parent, tail], ignore_index=True)
    for col in frame.columns:
        if out[col].dtype != frame[col].dtype:
            try:
                out[col] = out[col].astype(frame[col].dtype)
            except (TypeError, ValueError):
                pass
    return out


@dataclass(slots=True)
class _Columns:
    """The input columns of the split table being edited: domestic rows, imports, value added.

    A column stacks ``Z_d[:, j]``, the imported rows ``Z_m[:, j]`` (or the import row ``m_j``)
    and the value-added components ``V[:, j]``; ``n_imp`` is n with an import matrix, else 1.
    """

    z: Array
    zm: Array | None
    m_row: Array
    va: Array

    @property
    def n(self) -> int:
        return int(self.z.shape[0])

    @property
    def n_imp(self) -> int:
        return self.n if self.zm is not None else 1

    def get(self, j: int) -> Array:
        imp = self.zm[:, j] if self.zm is not None else self.m_row[j : j + 1]
        return np.concatenate([self.z[:, j], imp, self.va[:, j]])

    def set(self, j: int, col: Array) -> None:
        n, n_imp = self.n, self.n_imp
        self.z[:, j] = col[:n]
        if self.zm is not None:
            self.zm[:, j] = col[n : n + n_imp]
            self.m_row[j] = self.zm[:, j].sum()
        else:
            self.m_row[j] = col[n]
        self.va[:, j] = col[n + n_imp :]


@dataclass(frozen=True, slots=True)
class _Split:
    """What the structure steps share: the table, the new sectors, the parts and the parent."""

    table: IOTable
    sectors: pd.Index
    labels: list[Any]
    w: Array
    p: int
    x: Array
    parent: Array  # the parent's input column (sum of the parts' columns before structuring)

    @property
    def parts(self) -> list[int]:
        return list(range(self.p, self.p + len(self.labels)))

    @property
    def x_p(self) -> float:
        return float(sum(self.x[j] for j in self.parts))


def _parent_column(cols: _Columns, parts: Sequence[int]) -> Array:
    """The parent's input column: the sum of its parts' columns."""
    return np.sum([cols.get(j) for j in parts], axis=0, dtype=np.float64)


def _apply_structures(
    table: IOTable,
    structured: Mapping[Any, Mapping[Any, float]],
    labels: list[Any],
    w: Array,
    p: int,
    z: Array,
    zm: Array | None,
    m_row: Array,
    va: Array,
    sats: dict[str, Array],
    x: Array,
    sectors: pd.Index,
) -> tuple[Array, Array | None, Array, Array, dict[str, Array]]:
    """Give structured parts their own input columns; the other parts absorb the remainder.

    The input column of a part stacks domestic rows, imported rows (matrix) or the import row,
    and the value-added components. Satellites are handled separately (not inputs).
    """
    cols = _Columns(z.copy(), None if zm is None else zm.copy(), m_row.copy(), va.copy())
    sats = {k: v.copy() for k, v in sats.items()}
    parent = _parent_column(cols, range(p, p + len(labels)))
    split = _Split(table, sectors, labels, w, p, x, parent)
    resid_share = (float(parent.sum()) - split.x_p) / split.x_p  # parent's own column residual
    done: dict[int, Array] = {}
    for lab, struct in structured.items():
        j = p + labels.index(lab)
        done[j] = _structured_column(split, cols, lab, struct, j, resid_share, sats)
    _share_remainder(split, cols, done)
    for j, col in done.items():
        cols.set(j, col)
    _split_satellites(split, structured, sats)
    return cols.z, cols.zm, cols.m_row, cols.va, sats


def _apply_technology(
    table: IOTable,
    technology: Mapping[Any, Mapping[Any, Any]],
    labels: list[Any],
    p: int,
    z: Array,
    zm: Array | None,
    m_row: Array,
    va: Array,
    sats: dict[str, Array],
    x: Array,
    sectors: pd.Index,
) -> tuple[Array, Array | None, Array, Array, dict[str, Array]]:
    """Every part's column balanced to the parent from its prior (module docstring)."""
    cols = _Columns(z.copy(), None if zm is None else zm.copy(), m_row.copy(), va.copy())
    sats = {k: v.copy() for k, v in sats.items()}
    parts = list(range(p, p + len(labels)))
    parent = _parent_column(cols, parts)
    x_parts = np.array([x[j] for j in parts])
    x_p = float(x_parts.sum())
    comps = list(table.value_added_components)
    priors, sat_priors = [], []
    for lab in labels:
        col, sp = prior_column(
            parent, x_p, technology.get(lab, {}), sectors=sectors, n_imp=cols.n_imp,
            comps=comps, sats=table.sats, p=p, label=lab,
        )
        priors.append(col)
        sat_priors.append(sp)
    new = balanced_columns(parent, x_parts, priors, what=f"technology of {table.sectors[p]!r}")
    for k, j in enumerate(parts):
        cols.set(j, new[:, k])
    for key, total in table.sats.items():
        coefs = [sp.get(key, float(total[p]) / x_p) for sp in sat_priors]
        sats[key][p : p + len(labels)] = split_satellite(float(total[p]), x_parts, coefs)
    return cols.z, cols.zm, cols.m_row, cols.va, sats


def _structured_column(
    split: _Split,
    cols: _Columns,
    lab: Any,
    struct: Mapping[Any, float],
    j: int,
    resid_share: float,
    sats: dict[str, Array],
) -> Array:
    """Part ``j``'s input column: the given coefficients, the rest rescaled to balance it."""
    default = cols.get(j)
    col, fixed = _fixed_inputs(split, cols, lab, struct, j, default, sats)
    x_j = split.x[j]
    target = x_j * (1.0 + resid_share)
    free = default[~fixed].sum()
    rest = target - col[fixed].sum()
    if free == 0:
        if abs(rest) > 1e-9 * x_j:
            raise TableError(
                f"input_structures[{lab!r}]: the given coefficients sum to "
                f"{col[fixed].sum() / x_j:.6g} per unit of output and no other input is left "
                "to balance the column; they must sum to 1"
            )
        return col
    scale = rest / free
    if scale < 0:
        raise TableError(
            f"input_structures[{lab!r}]: the given coefficients take "
            f"{col[fixed].sum() / x_j:.6g} per unit of output, more than the whole "
            "column allows; lower them"
        )
    col[~fixed] = default[~fixed] * scale
    return col


def _fixed_inputs(
    split: _Split,
    cols: _Columns,
    lab: Any,
    struct: Mapping[Any, float],
    j: int,
    default: Array,
    sats: dict[str, Array],
) -> tuple[Array, NDArray[np.bool_]]:
    """Set the inputs ``struct`` names (coefficient × output); a mask of the cells set.

    A satellite key sets the part's satellite value instead (it is not an input).
    """
    table, n, n_imp, x_j = split.table, cols.n, cols.n_imp, split.x[j]
    comps = list(table.value_added_components)
    imp_slice = slice(n, n + n_imp)
    fixed = np.zeros(default.shape, dtype=bool)
    col = default.copy()
    for key, coef in struct.items():
        try:
            c = float(coef)
        except (TypeError, ValueError):
            raise TableError(
                f"input_structures[{lab!r}][{key!r}]: {coef!r} is not a number"
            ) from None
        if key in table.sats:
            sats[key][j] = c * x_j
        elif key == IMPORTS_KEY:
            base = split.parent[imp_slice]
            total = base.sum()
            if total == 0 and c != 0:
                raise TableError(
                    f"input_structures[{lab!r}]['imports']: the parent buys no imports to "
                    "share out; use 0"
                )
            col[imp_slice] = base / total * c * x_j if total else 0.0
            fixed[imp_slice] = True
        else:
            r = n + n_imp + comps.index(key) if key in comps else _sector_row(split, lab, key)
            col[r], fixed[r] = c * x_j, True
    return col, fixed


def _sector_row(split: _Split, lab: Any, key: Any) -> Any:
    """Position of an input sector of the split table (a clear error for unknown inputs)."""
    try:
        return split.sectors.get_loc(key)
    except KeyError:
        table = split.table
        raise TableError(
            f"input_structures[{lab!r}]: {key!r} is not a sector, value-added "
            f"component ({list(table.value_added_components)}), 'imports' or satellite "
            f"({list(table.sats)}) of the split table"
        ) from None


def _share_remainder(split: _Split, cols: _Columns, done: dict[int, Array]) -> None:
    """Give the parts without a structure the parent's column net of the structured parts.

    Shared by output weight, row by row; with every part structured, the structures must add
    up to the parent's column.
    """
    rest_parts = [j for j in split.parts if j not in done]
    taken = np.zeros_like(split.parent)
    for col in done.values():
        taken += col
    remainder = split.parent - taken
    x_p = split.x_p
    if not rest_parts:
        gap = np.abs(remainder).max()
        if gap > 1e-9 * x_p:
            raise TableError(
                "input_structures: every part has its own structure but together they differ "
                f"from the parent's purchases by up to {gap:.6g}; leave one part without a "
                "structure to take the remainder"
            )
        return
    parent = split.parent
    scale = np.maximum(np.abs(parent), 1e-9 * x_p)
    wrong = (np.sign(remainder) * np.sign(parent) < 0) & (np.abs(remainder) > 1e-9 * scale)
    if wrong.any():
        r = int(np.flatnonzero(wrong)[0])
        comps = list(split.table.value_added_components)
        raise TableError(
            f"input_structures: the structured parts buy more of input #{r + 1} "
            f"({_row_name(r, split.sectors, cols.n, cols.n_imp, comps)}) than sector "
            f"{split.table.sectors[split.p]!r} does in total ({taken[r]:.6g} vs "
            f"{parent[r]:.6g}); lower their coefficients"
        )
    w_rest = np.array([split.w[j - split.p] for j in rest_parts])
    for j, sh in zip(rest_parts, w_rest / w_rest.sum(), strict=True):
        done[j] = remainder * sh


def _split_satellites(
    split: _Split, structured: Mapping[Any, Mapping[Any, float]], sats: dict[str, Array]
) -> None:
    """For satellites some parts fix: the other parts share what is left, by output weight."""
    table, p, labels = split.table, split.p, split.labels
    for key in table.sats:
        total = float(table.sats[key][p])
        fixed_parts = [p + labels.index(lab) for lab, st in structured.items() if key in st]
        if not fixed_parts:
            continue
        left = total - sum(sats[key][j] for j in fixed_parts)
        free_parts = [j for j in split.parts if j not in fixed_parts]
        if not free_parts:
            if abs(left) > 1e-9 * max(abs(total), 1.0):
                raise TableError(
                    f"input_structures: '{key}' of the parts adds up to {total - left:.6g}, "
                    f"not the parent's {total:.6g}; leave one part without '{key}'"
                )
            continue
        if left < -1e-9 * max(abs(total), 1.0):
            raise TableError(
                f"input_structures: the structured parts have more '{key}' ({total - left:.6g}) "
                f"than sector {table.sectors[p]!r} ({total:.6g}); lower their coefficients"
            )
        wf = np.array([split.w[j - p] for j in free_parts])
        for j, sh in zip(free_parts, wf / wf.sum(), strict=True):
            sats[key][j] = left * sh


def _row_name(r: int, sectors: pd.Index, n: int, n_imp: int, comps: list[Any]) -> str:
    if r < n:
        return f"domestic {sectors[r]!r}"
    if r < n + n_imp:
        return f"imported {sectors[r - n]!r}" if n_imp == n else "imports"
    return f"value added {comps[r - n - n_imp]!r}"


def aggregate(
    table: IOTable,
    concordance: Mapping[Any, Any] | pd.Series,
    *,
    sector_info: pd.DataFrame | None = None,
    name: str | None = None,
    source: str = "user mapping",
) -> IOTable:
    """Merge sectors by a concordance: {sector label: group label} (a Series works too).

    ``Z_new = S Z Sᵀ``, ``Y_new = S Y``, ``V_new = V Sᵀ``, ``x_new = S x`` and satellites summed,
    where ``S`` is the 0/1 groups × sectors matrix. Groups appear in the order their first member
    has in the table. Every sector must be mapped; labels the table does not have are ignored (a
    concordance may cover several tables). ``sector_info`` (indexed by group) becomes the new
    table's ``sector_info``; ``source`` names the concordance in error messages and in
    ``provenance["aggregation"]``. Bundled concordances by name (``"bok33"``):
    :func:`impactsim.datasets.aggregate`.
    """
    mapping = _mapping(concordance)
    groups, member = _groups(table, mapping, source)
    s_mat = np.zeros((len(groups), table.n))
    s_mat[member, np.arange(table.n)] = 1.0
    sectors = _group_index(groups, table.sectors)
    info = None
    if sector_info is not None:
        lacking = [g for g in groups if g not in sector_info.index]
        if lacking:
            raise TableError(f"sector_info: no row for group(s) {lacking[:5]}")
        info = sector_info.loc[groups].reset_index(drop=True)
    zm, ym = table.z_imported, table.y_imported
    matrix = zm is not None
    entry = {"concordance": source, "sectors": table.n, "groups": len(groups)}
    return table_from_parts(
        sectors=sectors,
        flows=s_mat @ table.z_domestic @ s_mat.T,
        final_demand=s_mat @ table.y_domestic,
        value_added=table.va @ s_mat.T,
        final_demand_categories=list(table.final_demand_categories),
        value_added_components=list(table.value_added_components),
        import_row=None if matrix else table.import_row @ s_mat.T,
        imported_flows=None if zm is None else s_mat @ zm @ s_mat.T,
        imported_final_demand=None if zm is None or ym is None else s_mat @ ym,
        output=s_mat @ table.x,
        satellites={k: s_mat @ v for k, v in table.sats.items()},
        sector_info=info,
        provenance=_append_provenance(table, "aggregation", entry),
        allow_negative=tuple(negative_blocks(table)),
        balance_rtol=balance_tolerance(table) * (1 + 1e-6),
        balance_atol=1e-9 * float(np.abs(table.x).sum()),
        **table.meta.fields(name=table.meta.name if name is None else name),
    )


def _mapping(concordance: Any) -> Mapping[Any, Any]:
    """The concordance as a mapping {sector: group}."""
    if isinstance(concordance, pd.Series):
        return concordance.to_dict()
    if isinstance(concordance, Mapping):
        return concordance
    raise TableError(
        "concordance: give a mapping {sector: group} or a pandas Series; a bundled "
        "concordance by name (e.g. 'bok33') goes through impactsim.datasets.aggregate"
    )


def _groups(table: IOTable, mapping: Mapping[Any, Any], label: str) -> tuple[list[Any], Array]:
    """The groups in order of first member, and each sector's group position."""
    missing = [lab for lab in table.sectors if lab not in mapping]
    if missing:
        raise TableError(
            f"concordance ({label}): no group for sector(s) {missing[:5]}"
            f"{' …' if len(missing) > 5 else ''}; map every sector of the table"
        )
    groups: list[Any] = []
    member = np.empty(table.n, dtype=int)
    for k, lab in enumerate(table.sectors):
        g = mapping[lab]
        if isinstance(g, float) and np.isnan(g):
            raise TableError(f"concordance ({label}): sector {lab!r} maps to a missing group")
        if g not in groups:
            groups.append(g)
        member[k] = groups.index(g)
    return groups, member


def _group_index(groups: list[Any], like: pd.Index) -> pd.Index:
    """The new sector index: (region, group) tuples keep a MultiIndex's level names."""
    if all(isinstance(g, tuple) for g in groups) and isinstance(like, pd.MultiIndex):
        return pd.MultiIndex.from_tuples(groups, names=like.names)
    name = like.name if not isinstance(like, pd.MultiIndex) else "sector"
    return pd.Index(groups, name=name)
