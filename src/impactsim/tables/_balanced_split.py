"""Own technologies for the parts of a split sector, balanced to the parent (RAS).

The parts' input columns are estimated from a *prior*: for each part, its coefficient on some
inputs (per unit of its output) from cost-structure data; every input without a prior keeps the
parent's coefficient. The prior flows ``P[r, k] = a⁰_rk x_k`` are then balanced by biproportional
scaling (RAS) so that

* each input row sums to the parent's purchase of it: ``Σ_k Z[r, k] = Z[r, p]`` — domestic
  and imported rows of every product and every value-added component, so nothing the parent buys
  or pays changes, and the output-weighted mean of the parts' coefficients is the parent's;
* each part's column sums to its output: ``Σ_r Z[r, k] = x_k (1 + e_p)`` (``e_p`` the parent's
  own rounding residual, usually 0).

``Z = r̂ P ŝ`` is the matrix closest to the prior in the information (Kullback–Leibler) sense that
meets both margins (Bacharach 1970). Rows whose parent entry is zero or negative (by-products in
Bank of Korea tables, negative production taxes or operating surplus) are not balanced: they
are shared by output, and a prior on them is ignored.
Satellites (employment, employees) are shared in proportion to ``prior coefficient × output``, so
they also add up to the parent's.

A prior value is a number (the coefficient) or ``{"relative": f}`` (``f`` times the parent's
coefficient). Keys: a sector label of the split table (the part's purchases of that product,
domestic and imported together, split between them as the parent's), a value-added component,
``"imports"`` (all imported inputs of products not named, in the parent's product mix) or a
satellite name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import TableError

Array = NDArray[np.float64]

IMPORTS_KEY = "imports"
#: RAS stops when every column is within this relative distance of its target.
RAS_TOL = 1e-13
RAS_MAX_ITER = 20_000


def ras(prior: Array, rows: Array, cols: Array, *, what: str = "split") -> Array:
    """Biproportional scaling of a non-negative ``prior`` (r × k) to row sums ``rows`` and column
    sums ``cols`` (``Σ rows = Σ cols``); the result meets the row sums to rounding and the
    column sums to :data:`RAS_TOL` (relative). Raises :class:`TableError` when no matrix with
    the prior's zero pattern meets both."""
    m = prior.astype(float).copy()
    rs = m.sum(axis=1)
    if np.any((rows > 0) & (rs <= 0)):
        raise TableError(f"{what}: an input with a positive total has a zero prior in every part")
    if np.any(cols <= 0):
        raise TableError(f"{what}: a part's balanced inputs would be zero or negative")
    for _ in range(RAS_MAX_ITER):
        rs = m.sum(axis=1)
        m *= np.divide(rows, rs, out=np.zeros_like(rows), where=rs > 0)[:, np.newaxis]
        cs = m.sum(axis=0)
        if np.all(np.abs(cs - cols) <= RAS_TOL * cols):
            return m
        m *= (cols / cs)[np.newaxis, :]
    gap = float(np.max(np.abs(m.sum(axis=0) - cols) / cols))
    raise TableError(
        f"{what}: the cost-structure priors cannot be balanced to the parent's inputs (column "
        f"gap {gap:.3g} after {RAS_MAX_ITER} RAS sweeps); the priors ask a part for more of an "
        "input than the parent buys, or a part for none of an input it must buy"
    )


def _value(spec: Any, parent_coef: float, where: str) -> float:
    if isinstance(spec, Mapping):
        if set(spec) != {"relative"}:
            raise TableError(f"{where}: give a coefficient or {{'relative': factor}}, got {spec}")
        val = float(spec["relative"]) * parent_coef
    else:
        try:
            val = float(spec)
        except (TypeError, ValueError):
            raise TableError(f"{where}: {spec!r} is not a number") from None
    if not np.isfinite(val) or val < 0:
        raise TableError(f"{where}: a prior coefficient must be a number >= 0, got {val}")
    return val


def prior_column(
    parent: Array,
    x_p: float,
    spec: Mapping[Any, Any],
    *,
    sectors: pd.Index,
    n_imp: int,
    comps: list[Any],
    sats: Mapping[str, Array],
    p: int,
    label: Any,
) -> tuple[Array, dict[str, float]]:
    """A part's prior input coefficients (stacked domestic, imported, value added) and its prior
    satellite coefficients, from the parent's column and the part's ``spec``."""
    n = len(sectors)
    coef = parent / x_p
    out = coef.copy()
    named: set[int] = set()
    sat_prior: dict[str, float] = {}
    imports_spec = None
    for key, val in spec.items():
        where = f"technology[{label!r}][{key!r}]"
        if key == IMPORTS_KEY:
            imports_spec = val
        elif key in sats:
            sat_prior[key] = _value(val, float(sats[key][p]) / x_p, where)
        elif key in comps:
            r = n + n_imp + comps.index(key)
            if coef[r] > 0:  # a zero or negative parent entry is shared by output, unbalanced
                out[r] = _value(val, coef[r], where)
        else:
            try:
                i = int(sectors.get_loc(key))
            except KeyError:
                raise TableError(
                    f"{where}: not a sector, value-added component ({comps}), 'imports' or "
                    f"satellite ({list(sats)}) of the split table"
                ) from None
            cells = [i] + ([n + i] if n_imp == n else [])
            base = coef[cells].sum()
            target = _value(val, base, where)
            if base > 0:
                out[cells] = coef[cells] / base * target
            elif target > 0:
                out[i] = target  # the parent buys none: a domestic purchase
            named.add(i)
    if imports_spec is not None:
        imp = np.arange(n, n + n_imp)
        free = np.array([k - n not in named for k in imp]) if n_imp == n else np.ones(1, bool)
        base = coef[imp].sum()
        target = _value(imports_spec, base, f"technology[{label!r}]['imports']")
        fixed = out[imp][~free].sum()
        rest = coef[imp][free].sum()
        if rest > 0:
            out[imp[free]] = coef[imp[free]] * max(target - fixed, 0.0) / rest
    return out, sat_prior


def balanced_columns(
    parent: Array,
    x_parts: Array,
    priors: list[Array],
    *,
    what: str,
) -> Array:
    """The parts' input columns (rows × parts): the parent's column ``parent`` (stacked inputs),
    balanced by :func:`ras` from the prior coefficients ``priors`` (one stacked column per part).
    """
    x_p = float(x_parts.sum())
    w = x_parts / x_p
    resid = (float(parent.sum()) - x_p) / x_p
    out = parent[:, np.newaxis] * w[np.newaxis, :]  # parent technology where not balanced
    pri = np.stack(priors, axis=1) * x_parts[np.newaxis, :]
    free = (parent > 0) & (pri.sum(axis=1) > 0)
    cols = x_parts * (1.0 + resid) - out[~free].sum(axis=0)
    out[free] = ras(pri[free], parent[free], cols, what=what)
    return out


def split_satellite(total: float, x_parts: Array, coefs: list[float]) -> Array:
    """A satellite total shared in proportion to ``coefficient × output`` (sums to ``total``)."""
    weight = np.asarray(coefs) * x_parts
    if weight.sum() <= 0:
        return total * x_parts / x_parts.sum()
    return total * weight / weight.sum()
