"""Several household groups closed at once (Type II per region): a k-row bordered solver.

A multi-region model closed to the households of each region has k household rows and columns::

    I − Ā = [[ I − A,  −H_c   ],      H_r (k × n): income of group g per unit of output of j
             [ −H_r,   I − H_s]]      H_c (n × k): purchases of i per unit of group g's income
                                      H_s (k × k): group-to-group purchases (usually 0)

Block elimination reuses the LU of the open ``I − A`` (factorized once): with
``U = (I − A)⁻¹ H_c`` (n × k), ``W = (I − A)⁻ᵀ H_rᵀ`` (n × k) and the k × k Schur complement
``S = I − H_s − H_r U``::

    (I − Ā)[x; z] = [b; β]:   x₀ = (I − A)⁻¹ b,  z = S⁻¹ (β + H_r x₀),  x = x₀ + U z
    (I − Ā)ᵀ[p; q] = [c; γ]:  p₀ = (I − A)⁻ᵀ c,  q = S⁻ᵀ (γ + H_cᵀ p₀),  p = p₀ + W q

so building it costs 2k open solves plus a k × k LU, and each Type II solve one open solve plus
O(nk). With k = 1 this is :class:`impactsim.engine.linalg.BorderedFactorization`. For
non-negative coefficients the closed matrix is productive exactly when ρ(H_s + H_r U) < 1 (the
Schur complement is then a non-singular M-matrix); that is checked on the k × k matrix, with
``|H_c|`` when households make net sales (negative purchases). Miller & Blair (2009), §3.5
(interregional models closed with respect to households of each region).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ..errors import ClosureError, DemandError, NotProductiveError
from . import linalg
from .lapack import lu_factor, lu_solve
from .model import LeontiefModel

Array = NDArray[np.float64]




@dataclass(frozen=True, slots=True)
class HouseholdGroups:
    """Coefficients closing a model to k household groups (e.g. one per region).

    ``income``: k × n, household income of each group per unit of output of each sector (>= 0);
    ``consumption``: n × k, purchases from each sector per unit of each group's income;
    ``names``: the k group labels (e.g. ``("Incheon", "rest of Korea")``);
    ``self_coefficients``: k × k group-to-group purchases per unit of income (default 0).
    """

    income: ArrayLike
    consumption: ArrayLike
    names: tuple[str, ...]
    self_coefficients: ArrayLike | None = None

    def arrays(self, n: int) -> tuple[Array, Array, Array]:
        """(H_r, H_c, H_s) validated for n sectors."""
        k = len(self.names)
        hr = np.asarray(self.income, dtype=float)
        hc = np.asarray(self.consumption, dtype=float)
        hs = np.zeros((k, k)) if self.self_coefficients is None else np.asarray(
            self.self_coefficients, dtype=float
        )
        for what, arr, shape in (
            ("income", hr, (k, n)),
            ("consumption", hc, (n, k)),
            ("self_coefficients", hs, (k, k)),
        ):
            if arr.shape != shape:
                raise ClosureError(
                    f"HouseholdGroups.{what}: shape {arr.shape}, expected {shape} for {k} "
                    f"groups and {n} sectors"
                )
            if not np.isfinite(arr).all():
                raise ClosureError(f"HouseholdGroups.{what}: values must be finite numbers")
        if (hr < 0).any() or (hs < 0).any():
            raise ClosureError(
                "HouseholdGroups: income and self_coefficients must be >= 0 (income per unit of "
                "output; purchases between groups per unit of income)"
            )
        return hr, hc, hs


@dataclass(frozen=True)
class GroupBorderedFactorization:
    """Solves with ``I − Ā`` bordered by k household rows and columns (see the module docs)."""

    base: linalg.Factorization
    income: Array
    consumption: Array
    self_coefficients: Array
    u: Array
    w: Array
    schur: Array
    _lu: tuple[Array, NDArray[np.int32]] = field(repr=False)

    @property
    def size(self) -> int:
        return self.base.size + self.schur.shape[0]

    @property
    def groups(self) -> int:
        return int(self.schur.shape[0])

    def solve(self, b: ArrayLike) -> Array:
        """``(I − Ā)⁻¹ b`` for b of shape (n+k,) or (n+k, m); the last k rows are households."""
        b = np.asarray(b, dtype=float)
        n = self.base.size
        if b.shape[0] != self.size:
            raise DemandError(f"right-hand side has {b.shape[0]} rows, expected {self.size}")
        x0 = self.base.solve(b[:n])
        z = lu_solve(self._lu, b[n:] + self.income @ x0)
        return np.concatenate([x0 + self.u @ z, z])

    def solve_transposed(self, c: ArrayLike) -> Array:
        """``(I − Ā)⁻ᵀ c`` for c of shape (n+k,) or (n+k, m)."""
        c = np.asarray(c, dtype=float)
        n = self.base.size
        if c.shape[0] != self.size:
            raise DemandError(f"right-hand side has {c.shape[0]} rows, expected {self.size}")
        p0 = self.base.solve_transposed(c[:n])
        q = lu_solve(self._lu, c[n:] + self.consumption.T @ p0, trans=1)
        return np.concatenate([p0 + self.w @ q, q])

    def inverse(self) -> Array:
        """The explicit ``(I − Ā)⁻¹`` ((n+k) × (n+k)): formed only on request."""
        return self.solve(np.eye(self.size))


def factorize_groups(
    base: linalg.Factorization, income: Array, consumption: Array, self_coefficients: Array
) -> GroupBorderedFactorization:
    """Border the open factorization with k household rows/columns (module docs); raises
    :class:`NotProductiveError` unless ρ(H_s + H_r (I − A)⁻¹ |H_c|) < 1."""
    hr = np.ascontiguousarray(income, dtype=float)
    hc = np.ascontiguousarray(consumption, dtype=float)
    hs = np.asarray(self_coefficients, dtype=float)
    k = hs.shape[0]
    u = base.solve(hc).reshape(-1, k)
    w = base.solve_transposed(np.ascontiguousarray(hr.T)).reshape(-1, k)
    schur = np.eye(k) - hs - hr @ u
    u_abs = u if (hc >= 0).all() else base.solve(np.abs(hc)).reshape(-1, k)
    radius = float(np.max(np.abs(np.linalg.eigvals(hs + hr @ u_abs)))) if k else 0.0
    if not (np.isfinite(radius) and radius < 1.0):
        raise NotProductiveError(
            f"households-closed model is not productive: the spectral radius of "
            f"H_s + H_r(I − A)⁻¹H_c is {radius:.6g}, must be below 1 (each unit of household "
            "income must induce less than one unit of new income); raise the household leakage"
        )
    lu = lu_factor(schur)
    return GroupBorderedFactorization(base, hr, hc, hs, u, w, schur, lu)


@dataclass(frozen=True, eq=False)
class GroupClosedModel(LeontiefModel):
    """A :class:`~impactsim.LeontiefModel` whose Type II closes k household groups at once.

    ``groups`` holds the coefficients (:class:`HouseholdGroups`); Type I is the parent's. The
    open ``I − A`` is factorized once and bordered by the k household rows (module docs).
    """

    groups: HouseholdGroups | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.groups, HouseholdGroups):
            raise ClosureError("GroupClosedModel: give groups=HouseholdGroups(...)")
        self._cache["group-arrays"] = self.groups.arrays(self.table.n)

    def _closure_arrays(self) -> tuple[Array, Array, float]:
        raise ClosureError("this model closes several household groups: see .groups")

    # k-group solver in place of the one-group one; every parent method reading it is overridden
    @property
    def closed_factorization(self) -> GroupBorderedFactorization:  # type: ignore[override]
        """Solver for ``I − Ā`` with k household groups (computed once)."""
        if "closed" not in self._cache:
            hr, hc, hs = self._cache["group-arrays"]
            self._cache["closed"] = factorize_groups(self.factorization, hr, hc, hs)
        return self._cache["closed"]

    def _closed_labels(self) -> pd.Index:
        groups = self.groups
        assert groups is not None  # __post_init__ refuses a model without groups
        names = [f"households {g}" for g in groups.names]
        sec = self.table.sectors
        if isinstance(sec, pd.MultiIndex):
            extra = [tuple([nm] + [""] * (sec.nlevels - 1)) for nm in names]
            return sec.append(pd.MultiIndex.from_tuples(extra, names=sec.names))
        return sec.append(pd.Index(names))

    def _closed_a(self) -> Array:
        hr, hc, hs = self._cache["group-arrays"]
        return np.block([[self.a, hc], [hr, hs]])

    def solve(self, demand: ArrayLike, *, induced: bool = False) -> Array:
        """Output ``x = L y`` (or the industry rows of ``L̄ [y; 0]``) for (n,) or (n, m) demand."""
        if not induced:
            return super().solve(demand)
        y = np.asarray(demand, dtype=float)
        n = self.table.n
        if y.ndim not in (1, 2) or y.shape[0] != n:
            raise DemandError(f"demand: shape {y.shape}; give (n,) or (n, m) with n = {n}")
        fact = self.closed_factorization
        pad = np.zeros((fact.groups, *y.shape[1:]))
        return fact.solve(np.concatenate([y, pad]))[:n]

    def multiplier_matrix(self, *, induced: bool = False) -> Array:
        """``C L`` (Type I) or the industry columns of ``C̄ L̄``: ``C L + (C U) S⁻¹ Wᵀ``."""
        key = f"mult-{induced}"
        if key not in self._cache:
            if not induced:
                mult = self.factorization.solve_transposed(
                    np.ascontiguousarray(self.measure_coefficients.T)
                ).T
            else:
                fact = self.closed_factorization
                c_u = self.measure_coefficients @ fact.u
                mult = self.multiplier_matrix() + lu_solve(fact._lu, c_u.T, trans=1).T @ (
                    fact.w.T
                )
            self._store_multipliers(induced, mult)
        return self._cache[key]

    def multipliers(
        self, *, induced: bool = False, form: Literal["total", "ratio"] = "total"
    ) -> pd.DataFrame:
        """Multipliers per sector and measure (``form`` "total" or "ratio"; no household rows)."""
        if induced and form == "total":
            frame = pd.DataFrame(
                self.multiplier_matrix(induced=True).T, index=self.table.sectors,
                columns=self._measure_index, copy=True,
            )
            frame.attrs.update(units=self.units, type="II", form="total")
            return frame
        return super().multipliers(induced=induced, form=form)

    def effects(self, demand: ArrayLike, *, induced: bool = False) -> Array:
        """Effects (direct, indirect[, induced]) × measures × sectors for one demand vector."""
        y = np.asarray(demand, dtype=float)
        if y.ndim != 1:
            raise DemandError(f"effects: demand must be one vector of {self.table.n} values")
        c = self.measure_coefficients
        x_open = self.solve(y)
        layers = [c * y, c * (x_open - y)]
        if induced:
            layers.append(c * (self.solve(y, induced=True) - x_open))
        return np.stack(layers)
