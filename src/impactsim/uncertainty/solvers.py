"""Stacked solves for many draws: one base inverse, or per-draw coefficient matrices.

Demand-only draws share ``L0 = (I − A)⁻¹``, formed once per ensemble from the model's LU: each
draw's right-hand sides are multiplied by it in one stacked product. When the coefficients
themselves vary, ``(I − A − ΔA_s) x_s = b_s`` (``q`` right-hand sides per draw) is solved for a
stack of draws by one of two methods, both exact to rounding:

* ``"iterative"`` — refinement from the base inverse, in correction form::

      d⁰ = L0 b,      d^{k+1} = L0 (ΔA_s d^k),      x = d⁰ + d¹ + …

  (the iterates of ``x^{k+1} = L0 (b + ΔA_s x^k)``), which converges geometrically when
  ``ρ(L0 ΔA_s) < 1`` (small relative perturbations; ±10 % on korea-2020 gives ρ ≈ 0.02–0.035,
  so 7–9 sweeps reach 10⁻¹³). Each sweep costs two products per draw, ``ΔA_s d`` (one gemm
  per draw still running) and ``L0 r`` (one gemm for a group of draws): ``4 n² q`` flops.
  Draws go through in groups of :data:`GROUP` consecutive draws, all sweeps of a group at
  once, so the group's ``ΔA_s`` stay in cache. A draw stops when its last step, or the error
  it predicts (``step · ρ/(1 − ρ)``, ``ρ`` the ratio of the last two steps), is below
  ``tol · ‖x‖∞``; a draw that diverges or has not converged after ``max_iter`` sweeps is
  solved by ``"direct"``.
* ``"direct"`` — per draw, one LAPACK LU of ``I − A − ΔA_s`` (``getrf``, ``(2/3) n³`` flops)
  and one ``getrs`` for its ``q`` right-hand sides (``2 n² q``).

``"auto"`` picks by flops: the refinement needs about :data:`TYPICAL_SWEEPS` sweeps of
``4 n² q`` flops in matrix products that run about :data:`PRODUCT_SPEEDUP` times faster per
flop than a small LU, so ``"iterative"`` is chosen when
``TYPICAL_SWEEPS · 4 n² q / PRODUCT_SPEEDUP < (2/3) n³ + 2 n² q`` — roughly ``n > 33 q``
(large tables, few right-hand sides) — and ``"direct"`` otherwise. For scenarios/korea.yaml on
korea-2020 (n = 167, q = 7: three phases, their three base-demand columns for the sensitivity
projection and ``h_c`` for Type II) one LU is 3.5 MFLOP against about 6.6 MFLOP of refinement,
so ``"auto"`` factorizes each draw (``benchmarks/montecarlo.py`` times both).

Every draw's floating-point operations are the same whatever else is in its chunk: ``matmul``
on a stack calls BLAS once per draw with the same shapes; the ``L0`` product of a group is one
BLAS call of a fixed shape (GROUP draws, zero-padded at chunk edges) in which a draw's place is
fixed by its number (groups are aligned to the draw numbers); converged draws are frozen; the
choice of method depends only on ``n`` and ``q``; and each LU factorizes one matrix alone. So
results do not depend on how draws are grouped into chunks, bit for bit.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..engine.linalg import lu_solve_rows
from ..errors import NotProductiveError
from .sampling import BLOCK

Array = NDArray[np.float64]
Method = Literal["auto", "iterative", "direct"]

METHODS = ("auto", "iterative", "direct")

#: Draws refined together: their ``ΔA_s`` (GROUP·n² numbers) stay in cache through the sweeps.
GROUP = 8
#: Sweeps the refinement typically needs (±10 % relative noise on korea-2020: 7–9).
TYPICAL_SWEEPS = 9
#: Flop rate of the refinement's matrix products over that of a small LU, measured on one core
#: (korea-2020, OpenBLAS 0.3.31: 26 GFLOP/s against 17 GFLOP/s; ``benchmarks/montecarlo.py``).
PRODUCT_SPEEDUP = 1.5


@dataclass(frozen=True, slots=True)
class SolveStats:
    """How a stack was solved: the most refinement sweeps a draw took, and how many draws were
    solved by LU (``"direct"``, the whole stack; ``"iterative"``, draws that did not converge)."""

    draws: int
    sweeps: int
    fallback: int


@functools.cache
def _blas() -> Any:
    """threadpoolctl's view of the loaded BLAS, found once (scanning the libraries takes about a
    millisecond; limiting through the controller afterwards about 10 µs)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def one_blas_thread() -> Any:
    """A context in which BLAS and LAPACK run on one thread: OpenBLAS would spread even a
    167 × 167 LU over every core, which costs more in hand-offs than the LU itself (on a busy
    2-core machine, in the same minute: 2.0 ms wall per LU on two threads, 0.6 ms on one).
    Threads outside the solve are untouched."""
    return _blas().limit(limits=1, user_api="blas")


def refinement_pays(n: int, q: int) -> bool:
    """Whether ``"auto"`` refines (True) or factorizes each draw (see the module docstring)."""
    refine = TYPICAL_SWEEPS * 4.0 * n * n * q / PRODUCT_SPEEDUP
    return refine < 2.0 / 3.0 * n**3 + 2.0 * n * n * q


def base_solve(inverse: Array, rhs: Array) -> Array:
    """``L0 b`` for every row ``b`` of a stack ``rhs`` (b, q, n) → (b, q, n).

    One stacked ``matmul`` (``rhs @ L0ᵀ``): BLAS is called per draw with identical shapes.
    """
    return np.matmul(rhs, inverse.T)


def direct_solve(
    a: Array, deltas: Array, rhs: Array, *, first_draw: int = 0, draws: list[int] | None = None
) -> Array:
    """Solve ``(I − A − ΔA_s) x_s = b_s`` by one LU per draw; ``rhs`` (b, q, n) → (b, q, n).

    ``draws`` numbers the stack's draws for error messages (default ``first_draw …``).
    """
    n = a.shape[0]
    base = -a
    base[np.diag_indices(n)] += 1.0
    m = np.empty((n, n))
    x = np.empty(rhs.shape)
    with one_blas_thread():
        for s in range(rhs.shape[0]):
            np.subtract(base, deltas[s], out=m)
            try:
                x[s] = lu_solve_rows(m, rhs[s])
            except NotProductiveError:
                draw = first_draw + s if draws is None else draws[s]
                raise NotProductiveError(
                    f"perturbed table of draw {draw} has a singular I − A; use a smaller "
                    "relative perturbation of the coefficients"
                ) from None
    return x


def perturbed_solve(
    inverse: Array,
    a: Array,
    deltas: Array,
    rhs: Array,
    *,
    method: Method = "auto",
    tol: float = 1e-13,
    max_iter: int = 60,
    first_draw: int = 0,
) -> tuple[Array, SolveStats]:
    """Solve ``(I − A − ΔA_s) x_s = b_s`` for a stack of draws; ``rhs`` (b, q, n).

    ``inverse`` is the base ``L0 = (I − A)⁻¹``; the stack holds draws ``first_draw …``. See the
    module docstring for the methods.
    """
    b, q, n = rhs.shape
    if method == "auto":
        method = "iterative" if refinement_pays(n, q) else "direct"
    if method == "direct":
        return direct_solve(a, deltas, rhs, first_draw=first_draw), SolveStats(b, 0, b)
    x = np.empty_like(rhs, dtype=np.float64)
    sweeps = 0
    failed: list[int] = []
    lo = 0
    with one_blas_thread():
        while lo < b:
            block = (first_draw + lo) // BLOCK
            hi = min(b, (block + 1) * BLOCK - first_draw)
            offset = first_draw + lo - block * BLOCK
            part, k, bad = _refine(
                inverse, deltas[lo:hi], rhs[lo:hi], offset=offset, tol=tol, max_iter=max_iter
            )
            x[lo:hi] = part
            sweeps = max(sweeps, k)
            failed.extend(lo + i for i in bad)
            lo = hi
    if failed:
        idx = np.asarray(failed)
        x[idx] = direct_solve(
            a, deltas[idx], rhs[idx], draws=[first_draw + int(i) for i in idx]
        )
    return x, SolveStats(b, sweeps, len(failed))


def _refine(
    inverse: Array, deltas: Array, rhs: Array, *, offset: int, tol: float, max_iter: int
) -> tuple[Array, int, list[int]]:
    """Refinement sweeps for draws of one random-stream block (see the module docstring).

    The block's draws go through in groups of ``GROUP`` consecutive draws (fixed by the draw
    numbers, not by the chunk), all sweeps of a group at once, so its ``ΔA_s`` stay in cache.
    Within a group the draws sit at their own rows of a zero-padded (GROUP·q, n) matrix, so the
    product with ``L0`` is one BLAS call of a fixed shape in which each draw has a fixed place.
    Returns the solutions, the most sweeps taken and the draws (indices into the stack) that did
    not converge.
    """
    b = rhs.shape[0]
    x = np.empty_like(rhs, dtype=np.float64)
    failed: list[int] = []
    sweeps = 0
    lo = 0
    while lo < b:
        first = (offset + lo) // GROUP * GROUP - offset  # group start, relative to the stack
        hi = min(b, first + GROUP)
        part, k, bad = _refine_group(
            inverse, deltas[lo:hi], rhs[lo:hi], offset=lo - first, tol=tol, max_iter=max_iter
        )
        x[lo:hi] = part
        sweeps = max(sweeps, k)
        failed.extend(lo + i for i in bad)
        lo = hi
    return x, sweeps, failed


def _refine_group(
    inverse: Array, deltas: Array, rhs: Array, *, offset: int, tol: float, max_iter: int
) -> tuple[Array, int, list[int]]:
    """Sweeps of one group in correction form: ``d⁰ = L0 b``, ``d^{k+1} = L0 (ΔA_s d^k)``,
    ``x = Σ d^k`` (the same iterates as ``x^{k+1} = L0 (b + ΔA_s x^k)``). Only draws still
    running get their ``ΔA_s d`` product (one BLAS call each, the same shapes whatever else
    runs); the ``L0`` product is one fixed-shape BLAS call in which each draw has its own rows
    (rows of finished draws hold stale numbers that no other row reads).
    """
    b, q, n = rhs.shape
    pad = np.zeros((GROUP, q, n))
    flat = pad.reshape(GROUP * q, n)
    inv_t = inverse.T
    pad[offset : offset + b] = rhs
    d = (flat @ inv_t).reshape(GROUP, q, n)[offset : offset + b]
    x = d.copy()
    dt = deltas.transpose(0, 2, 1)
    active = np.ones(b, dtype=bool)
    failed = np.zeros(b, dtype=bool)
    last = np.full(b, np.inf)
    sweeps = 0
    while sweeps < max_iter and active.any():
        sweeps += 1
        for s in np.flatnonzero(active).tolist():
            np.matmul(d[s], dt[s], out=pad[offset + s])  # (ΔA_s d)ᵀ
        d = (flat @ inv_t).reshape(GROUP, q, n)[offset : offset + b]
        x[active] += d[active]
        step = np.abs(d).max(axis=(1, 2))
        size = np.abs(x).max(axis=(1, 2))
        # the error left after this sweep is about step · ρ/(1 − ρ), ρ ≈ step / last step
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(np.isfinite(last) & (last > 0), step / last, 1.0)
        done = (step <= tol * size) | ((rate < 0.5) & (step * rate <= 0.5 * tol * size))
        bad = ~np.isfinite(step) | ((sweeps >= 3) & (step > last))
        failed |= active & bad & ~done
        last = np.where(active, step, last)
        active &= ~done & ~bad
    failed |= active
    return x, sweeps, np.flatnonzero(failed).tolist()
