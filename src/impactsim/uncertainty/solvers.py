"""Stacked solves for many draws: one base inverse, or per-draw coefficient matrices.

Demand-only draws share ``L0 = (I − A)⁻¹``, formed once per ensemble from the model's LU: each
draw's right-hand sides are multiplied by it in one stacked product. When the coefficients
themselves vary, ``(I − A − ΔA_s) x_s = b_s`` is solved for a stack of draws by one of two
methods, both exact to rounding:

* ``"iterative"`` — refinement from the base inverse::

      x⁰ = L0 b,      x^{k+1} = L0 (b + ΔA_s x^k)

  which converges geometrically when ``ρ(L0 ΔA_s) < 1`` (small relative perturbations; for
  ±10 % on korea-2020 about 8 sweeps reach 10⁻¹³). Each sweep costs two products per draw,
  ``ΔA_s x`` (one gemm per draw of a stacked ``numpy.matmul``) and ``L0 r`` (one gemm for a
  group of draws). Draws go through in groups of :data:`GROUP` consecutive draws, all sweeps of
  a group at once, so the group's ``ΔA_s`` stay in cache. A draw stops when its last step, or
  the error it predicts (``step · ρ/(1 − ρ)``, ``ρ`` the ratio of the last two steps), is below
  ``tol · ‖x‖∞``; a draw that diverges or has not converged after ``max_iter`` sweeps falls back
  to ``"direct"``.
* ``"direct"`` — LAPACK ``gesv`` on the stacked (b, n, n) matrices (``numpy.linalg.solve``: the
  loop over the stack runs in C).

Every draw's floating-point operations are the same whatever else is in its chunk: ``matmul``
on a stack calls BLAS once per draw with the same shapes; the ``L0`` product of a group is one
BLAS call of a fixed shape (GROUP draws, zero-padded at chunk edges) in which a draw's place is
fixed by its number (groups are aligned to the draw numbers); converged draws are frozen; and
``gesv`` factorizes each matrix on its own. So results do not depend on how draws are grouped
into chunks, bit for bit. ``benchmarks/montecarlo.py`` times both methods against a lean loop
of LAPACK factorizations; ``"auto"`` is ``"iterative"`` with the fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ..errors import NotProductiveError
from .sampling import BLOCK

Array = NDArray[np.float64]
Method = Literal["auto", "iterative", "direct"]

METHODS = ("auto", "iterative", "direct")

#: Draws refined together: their ``ΔA_s`` (GROUP·n² numbers) stay in cache through the sweeps.
GROUP = 8


@dataclass(frozen=True, slots=True)
class SolveStats:
    """How a stack was solved: sweeps taken and how many draws needed the direct fallback."""

    draws: int
    sweeps: int
    fallback: int


def base_solve(inverse: Array, rhs: Array) -> Array:
    """``L0 b`` for every row ``b`` of a stack ``rhs`` (b, q, n) → (b, q, n).

    One stacked ``matmul`` (``rhs @ L0ᵀ``): BLAS is called per draw with identical shapes.
    """
    return np.matmul(rhs, inverse.T)


def direct_solve(a: Array, deltas: Array, rhs: Array, *, first_draw: int = 0) -> Array:
    """Solve ``(I − A − ΔA_s) x_s = b_s`` by stacked LU; ``rhs`` (b, q, n) → (b, q, n)."""
    n = a.shape[0]
    m = np.negative(deltas)
    m -= a
    m[:, np.arange(n), np.arange(n)] += 1.0
    try:
        x = np.linalg.solve(m, rhs.transpose(0, 2, 1))
    except np.linalg.LinAlgError:
        bad = [s for s in range(m.shape[0]) if np.linalg.matrix_rank(m[s]) < n]
        raise NotProductiveError(
            f"perturbed table of draw {first_draw + (bad[0] if bad else 0)} has a singular "
            "I − A; use a smaller relative perturbation of the coefficients"
        ) from None
    return np.ascontiguousarray(x.transpose(0, 2, 1))


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
    b = rhs.shape[0]
    if method == "direct":
        return direct_solve(a, deltas, rhs, first_draw=first_draw), SolveStats(b, 0, b)
    x = np.empty_like(rhs, dtype=np.float64)
    sweeps = 0
    failed: list[int] = []
    lo = 0
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
        x[idx] = direct_solve(a, deltas[idx], rhs[idx], first_draw=first_draw)
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
    b, q, n = rhs.shape
    rows = slice(offset, offset + b)
    pad = np.zeros((GROUP, q, n))
    inv_t = inverse.T

    def times_l0(r: Array) -> Array:
        pad[rows] = r
        return (pad.reshape(GROUP * q, n) @ inv_t).reshape(GROUP, q, n)[rows]

    x = times_l0(rhs)
    dt = deltas.transpose(0, 2, 1)
    active = np.ones(b, dtype=bool)
    last = np.full(b, np.inf)
    failed = np.zeros(b, dtype=bool)
    sweeps = 0
    while sweeps < max_iter and active.any():
        sweeps += 1
        r = np.matmul(x, dt)  # (ΔA_s x)ᵀ for every draw of the group: one gemm per draw
        r += rhs
        xn = times_l0(r)
        step = np.abs(xn - x).max(axis=(1, 2))
        size = np.abs(xn).max(axis=(1, 2))
        x[active] = xn[active]
        # the error left after this sweep is about step · ρ/(1 − ρ), ρ ≈ step / last step
        rate = np.where(np.isfinite(last), step / np.where(last > 0, last, 1.0), 1.0)
        done = (step <= tol * size) | ((rate < 0.5) & (step * rate <= 0.5 * tol * size))
        bad = ~np.isfinite(step) | ((sweeps >= 3) & (step > last))
        failed |= active & bad & ~done
        last = np.where(active, step, last)
        active &= ~done & ~bad
    failed |= active
    return x, sweeps, np.flatnonzero(failed).tolist()
