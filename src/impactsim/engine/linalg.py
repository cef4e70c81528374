"""Pure functions on ndarrays: coefficients, productivity, factorization and solves.

Notation (Miller & Blair 2009, ch. 2): ``Z`` intermediate flows (row supplies column), ``x`` gross
output, ``A = Z x̂⁻¹`` technical coefficients, ``L = (I − A)⁻¹`` the Leontief inverse. Nothing here
knows about labels; :mod:`impactsim.tables.table` and :mod:`impactsim.engine.model` put labels
on the edges.

Numerics: ``I − A`` is LU-factorized once (LAPACK ``getrf``, scipy's wrapper, :mod:`.lapack`) and
every product with ``L`` is a pair of triangular solves. The households-closed (Type II) matrix is
never factorized again: :class:`BorderedFactorization` reuses the open LU through the Schur
complement of the bordered matrix. An explicit inverse is formed only by ``inverse()``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..errors import DemandError, NotProductiveError
from .lapack import lu_routines

Array = NDArray[np.float64]

#: Above this size the spectral radius is found iteratively rather than from all eigenvalues.
_DENSE_EIG_MAX = 400
#: Power steps of the Collatz–Wielandt refinement before falling back to eigenvalues.
_CW_STEPS = 60


#: Systems up to this size solve a few right-hand sides (up to ``_SMALL_RHS``) one at a time.
_SMALL_N = 512
_SMALL_RHS = 16


def _reciprocal(x: Array) -> Array:
    x = np.asarray(x, dtype=float)
    return np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)


def input_coefficients(flows: Array, output: Array) -> Array:
    """Technical coefficients ``A = Z x̂⁻¹``: input from row sector per unit output of column sector.

    Columns with zero output get zero coefficients (the table validator rejects such sectors
    before a model is built; this function stays total for aggregation code).
    """
    return np.asarray(flows, dtype=float) * _reciprocal(output)[np.newaxis, :]


def allocation_coefficients(flows: Array, output: Array) -> Array:
    """Ghosh allocation coefficients ``B = x̂⁻¹ Z``: share of row sector's output sold to column."""
    return _reciprocal(output)[:, np.newaxis] * np.asarray(flows, dtype=float)


def per_unit(values: Array, output: Array) -> Array:
    """Per-unit-of-output coefficients ``c_j = values_j / x_j`` (rows of a 2-D ``values``)."""
    return np.asarray(values, dtype=float) * _reciprocal(output)


# ---------------------------------------------------------------------------- productivity
@dataclass(frozen=True, slots=True)
class Productivity:
    """Diagnostic of a coefficient matrix's productivity.

    ``radius`` is the spectral radius ρ(A) when it was computed, else ``None``; ``bound`` an upper
    bound on ρ(A) (a Collatz–Wielandt bound for non-negative A, or ρ itself); ``method`` says how
    the decision was reached; ``nonnegative`` whether every coefficient is >= 0.
    """

    productive: bool
    radius: float | None
    bound: float
    method: str
    nonnegative: bool = True


def spectral_radius(a: Array) -> float:
    """Spectral radius ρ(A) = max |λ_i(A)|, from all eigenvalues (small n) or ARPACK (large n)."""
    a = np.asarray(a, dtype=float)
    n = a.shape[0]
    if n == 0:
        return 0.0
    if n <= _DENSE_EIG_MAX:
        return float(np.max(np.abs(np.linalg.eigvals(a))))
    from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigs

    try:
        vals = eigs(a, k=1, which="LM", return_eigenvectors=False, maxiter=5000, tol=1e-10)
        return float(np.max(np.abs(vals)))
    except (ArpackNoConvergence, ArpackError):
        return float(np.max(np.abs(np.linalg.eigvals(a))))


def collatz_wielandt_bounds(a: Array, *, steps: int = _CW_STEPS) -> tuple[float, float, int]:
    """Bounds ``lo <= ρ(A) <= hi`` for non-negative ``A`` by the Collatz–Wielandt formula.

    For any ``u > 0``, ``min_i (Au)_i/u_i <= ρ(A) <= max_i (Au)_i/u_i``. Starting from ``u = 1``
    (so the first ``hi`` is the largest row sum) ``u`` is improved by power steps on ``I + A``
    (which keep ``u > 0``). Stops as soon as the bounds decide ``ρ < 1`` or ``ρ >= 1``; each
    step costs one matrix-vector product, O(n²). Returns ``(lo, hi, steps_taken)``.
    """
    a = np.asarray(a, dtype=float)
    u = np.ones(a.shape[0])
    lo, hi = 0.0, float("inf")
    for k in range(steps + 1):
        au = a @ u
        ratio = au / u
        lo, hi = max(lo, float(ratio.min())), min(hi, float(ratio.max()))
        if hi < 1.0 or lo >= 1.0:
            return lo, hi, k
        u = au + u
        u /= u.max()
    return lo, hi, steps


def check_productivity(a: Array) -> Productivity:
    """Decide whether ``A`` is productive, ρ(A) < 1, as cheaply as the matrix allows.

    For non-negative ``A`` the Perron root is bounded by the smaller of the largest row sum and
    the largest column sum (Collatz–Wielandt with ``u = 1``); if that bound is below 1 the answer
    costs O(n²). Otherwise the bound is refined by a few power steps (still O(n²) each), and only
    if that does not prove productivity is ρ(A) computed from eigenvalues. A matrix with negative
    entries (tables with negative flows) is bounded through ``|A|``, as ρ(A) <= ρ(|A|).
    """
    a = np.asarray(a, dtype=float)
    if a.size == 0:
        return Productivity(True, 0.0, 0.0, "empty")
    if not np.all(np.isfinite(a)):
        return Productivity(False, None, float("inf"), "non-finite coefficients", False)
    nonneg = bool(a.min() >= 0)
    # ρ(A) <= ρ(|A|), so bounds on |A| also prove productivity when A has negative entries.
    absolute, on = (a, "") if nonneg else (np.abs(a), " on |A|")
    bound = float(min(absolute.sum(axis=0).max(), absolute.sum(axis=1).max()))
    if bound < 1.0:
        return Productivity(True, None, bound, f"row/column-sum bound{on}", nonneg)
    _lo, hi, k = collatz_wielandt_bounds(absolute)
    if hi < 1.0:
        method = f"Collatz–Wielandt bound{on} after {k} power steps"
        return Productivity(True, None, hi, method, nonneg)
    rho = spectral_radius(a)
    return Productivity(rho < 1.0, rho, rho, "eigenvalues", nonneg)


def check_productivity_flows(flows: Array, output: Array) -> Productivity:
    """:func:`check_productivity` of ``A = Z x̂⁻¹`` without forming ``A`` in the cheap case.

    Column sums of ``A`` are ``(1'Z)_j / x_j`` and row sums ``Z x̂⁻¹ 1``: two O(n²) reads of ``Z``.
    """
    z = np.asarray(flows, dtype=float)
    if z.size == 0:
        return Productivity(True, 0.0, 0.0, "empty")
    inv = _reciprocal(output)
    if z.min() >= 0:
        bound = float(min((z.sum(axis=0) * inv).max(), (z @ inv).max()))
        if bound < 1.0:
            return Productivity(True, None, bound, "row/column-sum bound")
    return check_productivity(input_coefficients(z, output))


# ---------------------------------------------------------------------------- factorizations
@dataclass(frozen=True, slots=True)
class Factorization:
    """An LU factorization of ``M = I − A`` (``scipy.linalg.lu_factor``), made once, reused.

    ``solve(b)`` returns ``M⁻¹ b`` and ``solve_transposed(c)`` returns ``M⁻ᵀ c`` (so that the row
    ``c'M⁻¹`` is ``solve_transposed(c)``), for one vector or many columns at once. When
    ``transposed`` is true the stored factors are those of ``Mᵀ`` (this lets a C-ordered
    ``I − A`` be factorized in place, with no copy; the solves swap ``trans`` accordingly).
    """

    lu: Array
    piv: NDArray[np.int32]
    transposed: bool = False

    @property
    def size(self) -> int:
        return int(self.lu.shape[0])

    def _getrs(self, b: Array, trans: int) -> Array:
        b = np.asarray(b, dtype=float)
        if b.shape[0] != self.size:
            raise DemandError(
                f"right-hand side has {b.shape[0]} rows, expected {self.size}; give one row per "
                "sector, in table order"
            )
        if b.size == 0:
            return np.array(b, copy=True)
        if b.ndim == 2 and 1 < b.shape[1] <= _SMALL_RHS and self.size <= _SMALL_N:
            # OpenBLAS threads getrs over right-hand sides whatever their size; for small
            # systems the thread hand-off costs far more than the solve (milliseconds on a busy
            # machine), so a few right-hand sides are solved one by one (single-threaded).
            return np.column_stack([self._getrs(b[:, j], trans) for j in range(b.shape[1])])
        # scipy's f2py getrs shifts ``piv`` to 1-based *in place* during the call, so concurrent
        # solves sharing it (dask threads) get wrong answers; a private copy costs O(n).
        x, info = lu_routines()[1](self.lu, self.piv.copy(), b, trans=trans, overwrite_b=False)
        if info != 0:  # pragma: no cover - only for malformed arguments
            raise ValueError(f"LAPACK getrs failed (info={info})")
        return np.asarray(x)

    def solve(self, b: Array) -> Array:
        """``(I − A)⁻¹ b`` for ``b`` of shape (n,) or (n, k)."""
        return self._getrs(b, 1 if self.transposed else 0)

    def solve_transposed(self, c: Array) -> Array:
        """``(I − A)⁻ᵀ c``: each column of the result is the row ``c'(I − A)⁻¹`` transposed."""
        return self._getrs(c, 0 if self.transposed else 1)

    def inverse(self) -> Array:
        """The explicit inverse ``(I − A)⁻¹`` (n × n): formed only on request."""
        return self.solve(np.eye(self.size))


def _raise_not_productive(diag: Productivity, culprits: str = "") -> None:
    radius = f"{diag.radius:.6g}" if diag.radius is not None else "not finite"
    raise NotProductiveError(
        f"coefficient matrix is not productive: spectral radius {radius} (method: "
        f"{diag.method}) must be below 1{culprits}; check that every sector's inputs "
        "(intermediate + imports + value added) add up to its output and that no output is "
        "understated"
    )


def _largest_column_sums(col_sums: Array, labels: Sequence[object] | None = None) -> str:
    order = np.argsort(col_sums)[::-1][:3]
    names = [str(labels[i]) if labels is not None else str(i) for i in order]
    parts = ", ".join(f"{nm}: {col_sums[i]:.4g}" for nm, i in zip(names, order, strict=True))
    return f"; largest intermediate-input shares (column sums of A) {parts}"


def _lu_in_place(m: Array) -> Factorization:
    """LU of ``m = I − A`` (C-ordered, overwritten): factorize ``mᵀ`` (F-ordered view), no copy."""
    lu, piv, info = lu_routines()[0](m.T, overwrite_a=True)
    if info > 0 or (lu.shape[0] and np.min(np.abs(np.diag(lu))) == 0.0):
        raise NotProductiveError("I − A is singular: the table has no Leontief inverse")
    return Factorization(lu, piv, transposed=True)


def lu_solve_rows(m: Array, rows: Array) -> Array:
    """``X = B M⁻ᵀ`` for right-hand sides stored as rows: ``M Xᵀ = Bᵀ``, ``rows`` (k, n) → (k, n).

    One partial-pivoting LU of ``m`` (C-ordered n × n, overwritten by its factors: ``getrf`` on
    the F-ordered view ``mᵀ``, no copy) and one ``getrs`` for all k right-hand sides; the same
    LAPACK calls as ``scipy.linalg.lu_factor`` + ``lu_solve`` without their copies and checks.
    Raises :class:`~impactsim.errors.NotProductiveError` when ``m`` is singular.
    """
    getrf, getrs = lu_routines()
    lu, piv, info = getrf(m.T, overwrite_a=True)
    if info > 0:
        raise NotProductiveError("the matrix is singular: it has no inverse")
    x, info = getrs(lu, piv, np.asarray(rows, dtype=float).T, trans=1, overwrite_b=False)
    if info != 0:  # pragma: no cover - only for malformed arguments
        raise ValueError(f"LAPACK getrs failed (info={info})")
    return np.asarray(x).T


def factorize_leontief(a: Array, *, check: bool = True) -> Factorization:
    """Factorize ``I − A`` once (partial-pivoting LU). Raises if ``A`` is not productive.

    The productivity check runs first unless ``check=False`` (used where the caller has already
    checked); a singular or non-productive matrix is never pseudo-inverted.
    """
    a = np.asarray(a, dtype=float)
    n = a.shape[0]
    if check:
        diag = check_productivity(a)
        if not diag.productive:
            _raise_not_productive(diag, _largest_column_sums(a.sum(axis=0)) if n else "")
    m = np.negative(a, order="C")
    m[np.diag_indices(n)] += 1.0
    return _lu_in_place(m)


def factorize_flows(
    flows: Array, output: Array, *, check: bool = True, labels: Sequence[object] | None = None
) -> tuple[Factorization, Productivity | None]:
    """Factorize ``I − Z x̂⁻¹`` straight from flows and output (``A`` is never stored).

    Memory: one n × n array (``I − A``, overwritten by its LU factors). Returns the factorization
    and the productivity diagnostic (``None`` when ``check=False``). ``labels`` (sector names)
    only improve the error message.
    """
    z = np.asarray(flows, dtype=float)
    n = z.shape[0]
    diag = None
    if check:
        diag = check_productivity_flows(z, output)
        if not diag.productive:
            col = z.sum(axis=0) * _reciprocal(output)
            _raise_not_productive(diag, _largest_column_sums(col, labels) if n else "")
    m = np.multiply(z, -_reciprocal(output)[np.newaxis, :])
    m[np.diag_indices(n)] += 1.0
    return _lu_in_place(m), diag


@dataclass(frozen=True, slots=True)
class BorderedFactorization:
    """Solves with the households-closed matrix, reusing the LU of the open ``I − A``.

    The closed matrix is bordered by the household row ``h_r`` and column ``h_c``::

        I − Ā = [[ I − A, −h_c   ],
                 [ −h_r', 1 − h_s]]

    Block elimination with ``u = (I − A)⁻¹ h_c``, ``w = (I − A)⁻ᵀ h_r`` and the Schur complement
    ``s = 1 − h_s − h_r'u`` (= ``1 − h_s − w'h_c``) gives, for ``(I − Ā)[x; z] = [b; β]``::

        x₀ = (I − A)⁻¹ b,   z = (β + h_r'x₀) / s,   x = x₀ + u z

    and for ``(I − Ā)ᵀ[p; q] = [c; γ]``::

        p₀ = (I − A)⁻ᵀ c,   q = (γ + h_c'p₀) / s,   p = p₀ + w q.

    So a Type II solve costs one open solve plus O(n); building this costs two O(n²) solves,
    not a second O(n³) factorization. For non-negative ``A``, ``h_r``, ``h_c``, ``h_s`` with
    ρ(A) < 1, ``I − Ā`` is a non-singular M-matrix (ρ(Ā) < 1) exactly when ``s > 0``.
    """

    base: Factorization
    income: Array
    consumption: Array
    self_coefficient: float
    u: Array
    w: Array
    schur: float

    @property
    def size(self) -> int:
        return self.base.size + 1

    def solve(self, b: Array) -> Array:
        """``(I − Ā)⁻¹ b`` for ``b`` of shape (n+1,) or (n+1, k); last row is households."""
        b = np.asarray(b, dtype=float)
        x0 = self.base.solve(b[:-1])
        z = (b[-1] + self.income @ x0) / self.schur
        return np.concatenate([x0 + np.multiply.outer(self.u, z), z[np.newaxis, ...]])

    def solve_transposed(self, c: Array) -> Array:
        """``(I − Ā)⁻ᵀ c`` for ``c`` of shape (n+1,) or (n+1, k)."""
        c = np.asarray(c, dtype=float)
        p0 = self.base.solve_transposed(c[:-1])
        q = (c[-1] + self.consumption @ p0) / self.schur
        return np.concatenate([p0 + np.multiply.outer(self.w, q), q[np.newaxis, ...]])

    def inverse(self) -> Array:
        """The explicit ``(I − Ā)⁻¹`` ((n+1) × (n+1)): formed only on request."""
        return self.solve(np.eye(self.size))


def factorize_bordered(
    base: Factorization,
    income: Array,
    consumption: Array,
    self_coefficient: float,
    *,
    u: Array | None = None,
    w: Array | None = None,
) -> BorderedFactorization:
    """Border the open factorization with a household row and column (see the class docs).

    ``u = (I − A)⁻¹h_c`` and ``w = (I − A)⁻ᵀh_r`` are solved for unless given (a caller can get
    them for free as extra columns of solves it makes anyway). Raises
    :class:`NotProductiveError` when the Schur complement ``s`` is not positive (then the closed
    matrix is singular or, for non-negative coefficients, not productive).
    """
    hr = np.ascontiguousarray(income, dtype=float)
    hc = np.ascontiguousarray(consumption, dtype=float)
    hs = float(self_coefficient)
    u = base.solve(hc) if u is None else np.asarray(u, dtype=float)
    w = base.solve_transposed(hr) if w is None else np.asarray(w, dtype=float)
    s = 1.0 - hs - float(hr @ u)
    if not (np.isfinite(s) and s > 0.0):
        raise NotProductiveError(
            f"households-closed model is not productive: 1 − h_s − h_r'(I − A)⁻¹h_c = {s:.6g} "
            "must be positive (each unit of household income must induce less than one unit "
            "of new household income); lower HouseholdClosure.consumption or income, e.g. "
            "HouseholdClosure.from_table(table, leakage=0.2)"
        )
    return BorderedFactorization(base, hr, hc, hs, u, w, s)


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
