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
  unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .errors import TableError
from .storage import balance_tolerance, negative_blocks, table_from_parts
from .table import IOTable

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


def _meta_kwargs(table: IOTable, name: str | None) -> dict[str, Any]:
    m = table.meta
    return {
        "name": m.name if name is None else name,
        "region": m.region,
        "year": m.year,
        "currency": m.currency,
        "unit": m.unit,
        "price_basis": m.price_basis,
        "price_year": m.price_year,
        "employment_unit": m.employment_unit,
    }


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
    structures add up exactly to the parent's column. ``info`` = {part: {column: value}} sets
    ``sector_info`` fields (others are copied from the parent); ``source`` documents where the
    shares come from and is recorded with the split in ``provenance["disaggregation"]``.
    """
    p = table.sector_position(sector)
    labels, w = _weights(into, "into")
    s = len(labels)
    old = list(table.sectors)
    others = [lab for k, lab in enumerate(old) if k != p]
    clash = [lab for lab in labels if lab in others]
    if clash:
        raise TableError(f"into: label(s) {clash} already name other sectors; choose new labels")
    if len(set(labels)) != s:
        raise TableError("into: labels must be unique")
    new_labels = old[:p] + labels + old[p + 1 :]
    sectors = _index(new_labels, table.sectors)
    n_old, n = table.n, len(new_labels)
    if import_shares is None:
        ws_imp = w
    else:
        imp_labels, ws_imp = _weights(import_shares, "import_shares")
        if set(imp_labels) != set(labels):
            raise TableError(f"import_shares: give a share for each of {labels}, got {imp_labels}")
        ws_imp = np.array([float(import_shares[lab]) for lab in labels])

    # Rows of the new table come from rows of the old one (idx), scaled by f (1, or a part's
    # share): Z_new = f̂ Z[idx, idx] f̂ — fancy indexing, no matrix products.
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
    matrix = table.z_imported is not None
    if matrix:
        assert table.z_imported is not None and table.y_imported is not None
        zm = table.z_imported[np.ix_(idx, idx)] * f_m[:, np.newaxis] * f[np.newaxis, :]
        ym = table.y_imported[idx] * f_m[:, np.newaxis]
        m_row = zm.sum(axis=0)
    else:
        zm = ym = None
        m_row = table.import_row[idx] * f
    structured = dict(input_structures or {})
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
    entry: dict[str, Any] = {
        "sector": str(sector),
        "into": {str(lab): float(v) for lab, v in zip(labels, w, strict=True)},
        "rows": "output shares",
        "imported_rows": "output shares"
        if import_shares is None
        else {str(lab): float(v) for lab, v in zip(labels, ws_imp, strict=True)},
        "columns": "parent technology"
        if not structured
        else {
            "own input structures": {
                str(lab): {str(k): float(v) for k, v in st.items()}
                for lab, st in structured.items()
            },
            "other parts": "parent purchases net of the structured parts, by output share",
        },
        "source": source,
    }
    rtol = balance_tolerance(table)
    return table_from_parts(
        sectors=sectors,
        flows=z,
        final_demand=y,
        value_added=va,
        final_demand_categories=list(table.final_demand_categories),
        value_added_components=list(table.value_added_components),
        import_row=None if matrix else m_row,
        imported_flows=zm,
        imported_final_demand=ym,
        output=x,
        satellites=sats,
        sector_info=info_frame,
        provenance=_append_provenance(table, "disaggregation", entry),
        allow_negative=tuple(negative_blocks(table)),
        balance_rtol=max(rtol, 1e-6) * (1 + 1e-6),
        balance_atol=1e-9 * float(np.abs(table.x).max()),
        **_meta_kwargs(table, name),
    )


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
    z, va, m_row = z.copy(), va.copy(), m_row.copy()
    zm = None if zm is None else zm.copy()
    sats = {k: v.copy() for k, v in sats.items()}
    n = len(sectors)
    comps = list(table.value_added_components)
    n_imp = n if zm is not None else 1
    parts = list(range(p, p + len(labels)))

    def column(j: int) -> Array:
        imp = zm[:, j] if zm is not None else m_row[j : j + 1]
        return np.concatenate([z[:, j], imp, va[:, j]])

    def set_column(j: int, col: Array) -> None:
        z[:, j] = col[:n]
        if zm is not None:
            zm[:, j] = col[n : n + n_imp]
            m_row[j] = zm[:, j].sum()
        else:
            m_row[j] = col[n]
        va[:, j] = col[n + n_imp :]

    parent = sum(column(j) for j in parts)
    x_p = float(sum(x[j] for j in parts))
    resid_share = (float(parent.sum()) - x_p) / x_p  # parent's own column residual, relative
    imp_slice = slice(n, n + n_imp)
    done: dict[int, Array] = {}
    for lab, struct in structured.items():
        k = labels.index(lab)
        j = p + k
        default = column(j)
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
                sats[key][j] = c * x[j]
                continue
            if key == IMPORTS_KEY:
                base = parent[imp_slice]
                total = base.sum()
                if total == 0 and c != 0:
                    raise TableError(
                        f"input_structures[{lab!r}]['imports']: the parent buys no imports to "
                        "share out; use 0"
                    )
                col[imp_slice] = base / total * c * x[j] if total else 0.0
                fixed[imp_slice] = True
            elif key in comps:
                r = n + n_imp + comps.index(key)
                col[r], fixed[r] = c * x[j], True
            else:
                try:
                    r = sectors.get_loc(key)
                except KeyError:
                    raise TableError(
                        f"input_structures[{lab!r}]: {key!r} is not a sector, value-added "
                        f"component ({comps}), 'imports' or satellite ({list(table.sats)}) of "
                        "the split table"
                    ) from None
                col[r], fixed[r] = c * x[j], True
        target = x[j] * (1.0 + resid_share)
        free = default[~fixed].sum()
        rest = target - col[fixed].sum()
        if free == 0:
            if abs(rest) > 1e-9 * x[j]:
                raise TableError(
                    f"input_structures[{lab!r}]: the given coefficients sum to "
                    f"{col[fixed].sum() / x[j]:.6g} per unit of output and no other input is left "
                    "to balance the column; they must sum to 1"
                )
        else:
            scale = rest / free
            if scale < 0:
                raise TableError(
                    f"input_structures[{lab!r}]: the given coefficients take "
                    f"{col[fixed].sum() / x[j]:.6g} per unit of output, more than the whole "
                    "column allows; lower them"
                )
            col[~fixed] = default[~fixed] * scale
        done[j] = col
    rest_parts = [j for j in parts if j not in done]
    taken = sum(done.values())
    remainder = parent - taken
    if rest_parts:
        w_rest = np.array([w[j - p] for j in rest_parts])
        share = w_rest / w_rest.sum()
        scale = np.maximum(np.abs(parent), 1e-9 * x_p)
        wrong = (np.sign(remainder) * np.sign(parent) < 0) & (np.abs(remainder) > 1e-9 * scale)
        if wrong.any():
            r = int(np.flatnonzero(wrong)[0])
            raise TableError(
                f"input_structures: the structured parts buy more of input #{r + 1} "
                f"({_row_name(r, sectors, n, n_imp, comps)}) than sector {table.sectors[p]!r} "
                f"does in total ({taken[r]:.6g} vs {parent[r]:.6g}); lower their coefficients"
            )
        for j, sh in zip(rest_parts, share, strict=True):
            done[j] = remainder * sh
    else:
        gap = np.abs(remainder).max()
        if gap > 1e-9 * x_p:
            raise TableError(
                "input_structures: every part has its own structure but together they differ "
                f"from the parent's purchases by up to {gap:.6g}; leave one part without a "
                "structure to take the remainder"
            )
    for j, col in done.items():
        set_column(j, col)
    for key in table.sats:
        total = float(table.sats[key][p])
        fixed_parts = [p + labels.index(lab) for lab, st in structured.items() if key in st]
        if not fixed_parts:
            continue
        left = total - sum(sats[key][j] for j in fixed_parts)
        free_parts = [j for j in parts if j not in fixed_parts]
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
        wf = np.array([w[j - p] for j in free_parts])
        for j, sh in zip(free_parts, wf / wf.sum(), strict=True):
            sats[key][j] = left * sh
    return z, zm, m_row, va, sats


def _row_name(r: int, sectors: pd.Index, n: int, n_imp: int, comps: list[Any]) -> str:
    if r < n:
        return f"domestic {sectors[r]!r}"
    if r < n + n_imp:
        return f"imported {sectors[r - n]!r}" if n_imp == n else "imports"
    return f"value added {comps[r - n - n_imp]!r}"


def aggregate(
    table: IOTable,
    concordance: Mapping[Any, Any] | pd.Series | str,
    *,
    sector_info: pd.DataFrame | None = None,
    name: str | None = None,
) -> IOTable:
    """Merge sectors by a concordance: {sector label: group label} (a Series works too).

    ``Z_new = S Z Sᵀ``, ``Y_new = S Y``, ``V_new = V Sᵀ``, ``x_new = S x`` and satellites summed,
    where ``S`` is the 0/1 groups × sectors matrix. Groups appear in the order their first member
    has in the table. Every sector must be mapped; labels the table does not have are ignored (a
    concordance may cover several tables). A string names a bundled concordance (``"bok33"``:
    BOK's 33 major sectors, see :func:`impactsim.datasets.load_concordance`), whose group names
    become ``sector_info`` unless ``sector_info`` (indexed by group) is given.
    """
    label = "user mapping"
    if isinstance(concordance, str):
        from .datasets.catalog import load_concordance

        frame = load_concordance(concordance)
        label = f"bundled concordance '{concordance}'"
        mapping: Mapping[Any, Any] = frame["group"].to_dict()
        if sector_info is None:
            groups_info = frame.drop(columns=["group"]).groupby(frame["group"], sort=False).first()
            sector_info = groups_info[[c for c in groups_info.columns if c.startswith("group_")]]
            sector_info.columns = [c.removeprefix("group_") for c in sector_info.columns]
    elif isinstance(concordance, pd.Series):
        mapping = concordance.to_dict()
    elif isinstance(concordance, Mapping):
        mapping = concordance
    else:
        raise TableError(
            "concordance: give a mapping {sector: group}, a pandas Series or the name of a "
            "bundled concordance (e.g. 'bok33')"
        )
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
    s_mat = np.zeros((len(groups), table.n))
    s_mat[member, np.arange(table.n)] = 1.0
    if all(isinstance(g, tuple) for g in groups) and isinstance(table.sectors, pd.MultiIndex):
        sectors = pd.MultiIndex.from_tuples(groups, names=table.sectors.names)
    else:
        sectors = pd.Index(
            groups,
            name=table.sectors.name if not isinstance(table.sectors, pd.MultiIndex) else "sector",
        )
    info = None
    if sector_info is not None:
        lacking = [g for g in groups if g not in sector_info.index]
        if lacking:
            raise TableError(f"sector_info: no row for group(s) {lacking[:5]}")
        info = sector_info.loc[groups].reset_index(drop=True)
    matrix = table.z_imported is not None
    entry = {"concordance": label, "sectors": table.n, "groups": len(groups)}
    return table_from_parts(
        sectors=sectors,
        flows=s_mat @ table.z_domestic @ s_mat.T,
        final_demand=s_mat @ table.y_domestic,
        value_added=table.va @ s_mat.T,
        final_demand_categories=list(table.final_demand_categories),
        value_added_components=list(table.value_added_components),
        import_row=None if matrix else table.import_row @ s_mat.T,
        imported_flows=s_mat @ table.z_imported @ s_mat.T if matrix else None,
        imported_final_demand=s_mat @ table.y_imported if matrix else None,
        output=s_mat @ table.x,
        satellites={k: s_mat @ v for k, v in table.sats.items()},
        sector_info=info,
        provenance=_append_provenance(table, "aggregation", entry),
        allow_negative=tuple(negative_blocks(table)),
        balance_rtol=balance_tolerance(table) * (1 + 1e-6),
        balance_atol=1e-9 * float(np.abs(table.x).sum()),
        **_meta_kwargs(table, name),
    )
