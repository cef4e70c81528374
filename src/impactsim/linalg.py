"""Pure functions on ndarrays: coefficients, productivity, factorization and solves.

Notation (Miller & Blair 2009, ch. 2): ``Z`` intermediate flows (row supplies column), ``x`` gross
output, ``A = Z x̂⁻¹`` technical coefficients, ``L = (I − A)⁻¹`` the Leontief inverse. Nothing here
knows about labels; :mod:`impactsim.table` and :mod:`impactsim.model` put labels on the edges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from .errors import NotProductiveError

Array = NDArray[np.float64]

#: Above this size the spectral radius is found iteratively rather than from all eigenvalues.
_DENSE_EIG_MAX = 400


def input_coefficients(flows: Array, output: Array) -> Array:
    """Technical coefficients ``A = Z x̂⁻¹``: input from row sector per unit output of column sector.

    Columns with zero output get zero coefficients (the table validator rejects such sectors
    before a model is built; this function stays total for aggregation code).
    """
    x = np.asarray(output, dtype=float)
    inv = np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)
    return np.asarray(flows, dtype=float) * inv[np.newaxis, :]


def allocation_coefficients(flows: Array, output: Array) -> Array:
    """Ghosh allocation coefficients ``B = x̂⁻¹ Z``: share of row sector's output sold to column."""
    x = np.asarray(output, dtype=float)
    inv = np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)
    return inv[:, np.newaxis] * np.asarray(flows, dtype=float)


def per_unit(values: Array, output: Array) -> Array:
    """Per-unit-of-output coefficients ``c_j = values_j / x_j`` (rows of a 2-D ``values``)."""
    x = np.asarray(output, dtype=float)
    inv = np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)
    return np.asarray(values, dtype=float) * inv


@dataclass(frozen=True, slots=True)
class Productivity:
    """Diagnostic of a coefficient matrix's productivity.

    ``radius`` is the spectral radius ρ(A) when it was computed, else ``None``; ``bound`` an upper
    bound on ρ(A) (a Collatz–Wielandt bound: the largest row or column sum for non-negative A).
    """

    productive: bool
    radius: float | None
    bound: float
    method: str


def spectral_radius(a: Array) -> float:
    """Spectral radius ρ(A) = max |λ_i(A)|, from all eigenvalues (small n) or ARPACK (large n)."""
    a = np.asarray(a, dtype=float)
    n = a.shape[0]
    if n == 0:
        return 0.0
    if n <= _DENSE_EIG_MAX:
        return float(np.max(np.abs(np.linalg.eigvals(a))))
    from scipy.sparse.linalg import ArpackNoConvergence, eigs

    try:
        vals = eigs(a, k=1, which="LM", return_eigenvectors=False, maxiter=5000, tol=1e-10)
        return float(np.max(np.abs(vals)))
    except ArpackNoConvergence:
        return float(np.max(np.abs(np.linalg.eigvals(a))))


def check_productivity(a: Array) -> Productivity:
    """Decide whether ``A`` is productive, ρ(A) < 1, as cheaply as the matrix allows.

    For non-negative ``A`` the Perron root is bounded by the smallest of the largest row sum and
    the largest column sum (Collatz–Wielandt); if that bound is below 1 the answer costs O(n²).
    Otherwise (or when ``A`` has negative entries) ρ(A) is computed.
    """
    a = np.asarray(a, dtype=float)
    if a.size == 0:
        return Productivity(True, 0.0, 0.0, "empty")
    if not np.all(np.isfinite(a)):
        return Productivity(False, None, float("inf"), "non-finite coefficients")
    if np.all(a >= 0):
        bound = float(min(a.sum(axis=0).max(), a.sum(axis=1).max()))
        if bound < 1.0:
            return Productivity(True, None, bound, "row/column-sum bound")
    rho = spectral_radius(a)
    return Productivity(rho < 1.0, rho, rho, "eigenvalues")


@dataclass(frozen=True, slots=True)
class Factorization:
    """An LU factorization of ``M = I − A`` (``scipy.linalg.lu_factor``), made once, reused.

    ``solve(b)`` returns ``M⁻¹ b`` and ``solve_transposed(c)`` returns ``M⁻ᵀ c`` (so that the row
    ``c'M⁻¹`` is ``solve_transposed(c)``), for one vector or many columns at once.
    """

    lu: Array
    piv: NDArray[np.int32]

    @property
    def size(self) -> int:
        return int(self.lu.shape[0])

    def solve(self, b: Array) -> Array:
        """``(I − A)⁻¹ b`` for ``b`` of shape (n,) or (n, k)."""
        return np.asarray(sla.lu_solve((self.lu, self.piv), b, trans=0, check_finite=False))

    def solve_transposed(self, c: Array) -> Array:
        """``(I − A)⁻ᵀ c``: each column of the result is the row ``c'(I − A)⁻¹`` transposed."""
        return np.asarray(sla.lu_solve((self.lu, self.piv), c, trans=1, check_finite=False))

    def inverse(self) -> Array:
        """The explicit inverse ``(I − A)⁻¹`` (n × n): formed only on request."""
        return self.solve(np.eye(self.size))


def factorize_leontief(a: Array, *, check: bool = True) -> Factorization:
    """Factorize ``I − A`` once (partial-pivoting LU). Raises if ``A`` is not productive.

    The productivity check runs first unless ``check=False`` (used for stacked solves where the
    caller has already checked); a singular or non-productive matrix is never pseudo-inverted.
    """
    a = np.asarray(a, dtype=float)
    n = a.shape[0]
    if check:
        diag = check_productivity(a)
        if not diag.productive:
            raise NotProductiveError(
                f"coefficient matrix is not productive: spectral radius {diag.radius!r} "
                f"(method: {diag.method}) must be below 1; check that every sector's inputs "
                "(intermediate + imports + value added) add up to its output and that no "
                "output is understated"
            )
    m = np.eye(n) - a
    lu, piv = sla.lu_factor(m, check_finite=False, overwrite_a=True)
    if n and np.min(np.abs(np.diag(lu))) == 0.0:
        raise NotProductiveError("I − A is singular: the table has no Leontief inverse")
    return Factorization(lu, piv)


def close_matrix(a: Array, income: Array, consumption: Array, self_coefficient: float) -> Array:
    """Bordered matrix for the households-closed (Type II) model::

        Ā = [[A,   h_c],
             [h_r', h_s]]

    ``h_r`` household income per unit of output (row), ``h_c`` household purchases per unit of
    household income (column), ``h_s`` the household-to-household coefficient.
    """
    n = a.shape[0]
    out = np.empty((n + 1, n + 1))
    out[:n, :n] = a
    out[:n, n] = consumption
    out[n, :n] = income
    out[n, n] = self_coefficient
    return out
