"""Stacked solves for many draws: one base inverse, or per-draw coefficient matrices.

Demand-only draws share ``L0 = (I − A)⁻¹``, formed once per ensemble from the model's LU: each
draw's right-hand sides are multiplied by it in one stacked product. When the coefficients
themselves vary, ``(I − A − ΔA_s) x_s = b_s`` is solved for a stack of draws by one of two
methods, both exact to rounding:

* ``"iterative"`` — refinement from the base inverse::

      x⁰ = L0 b,      x^{k+1} = L0 (b + ΔA_s x^k)

  which converges geometrically when ``ρ(L0 ΔA_s) < 1`` (small relative perturbations). Each
  sweep costs two matrix products per draw (``ΔA_s x`` and ``L0 r``), run for the whole stack
  by one ``numpy.matmul``. A draw stops when ``‖x^{k+1} − x^k‖∞ ≤ tol · ‖x^{k+1}‖∞``; a draw
  that diverges or has not converged after ``max_iter`` sweeps falls back to ``"direct"``.
* ``"direct"`` — LAPACK ``gesv`` on the stacked (b, n, n) matrices (``numpy.linalg.solve``: the
  loop over the stack runs in C).

Every draw's floating-point operations are the same whatever else is in its chunk: ``matmul``
on a stack calls BLAS once per draw with the same shapes, converged draws are frozen, and
``gesv`` factorizes each matrix on its own. So results do not depend on how draws are grouped
into chunks, bit for bit (a single BLAS call on all columns at once would not guarantee that:
OpenBLAS picks kernels by matrix size). ``benchmarks/montecarlo.py`` times both methods;
``"auto"`` is ``"iterative"`` with the fallback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ..errors import NotProductiveError

Array = NDArray[np.float64]
Method = Literal["auto", "iterative", "direct"]

METHODS = ("auto", "iterative", "direct")


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

    ``inverse`` is the base ``L0 = (I − A)⁻¹``. See the module docstring for the methods.
    """
    b = rhs.shape[0]
    if method == "direct":
        return direct_solve(a, deltas, rhs, first_draw=first_draw), SolveStats(b, 0, b)
    x = base_solve(inverse, rhs)
    active = np.arange(b)
    last = np.full(b, np.inf)
    failed: list[int] = []
    sweeps = 0
    for sweep in range(max_iter):
        if active.size == 0:
            break
        sweeps = sweep + 1
        xa = x[active]
        if 2 * active.size <= b:  # few left: gather them (copies), else sweep all in place
            r = np.matmul(xa, deltas[active].transpose(0, 2, 1))  # (ΔA x)ᵀ: (k, q, n)
            r += rhs[active]
            xn = base_solve(inverse, r)
        else:
            r = np.matmul(x, deltas.transpose(0, 2, 1))
            r += rhs
            xn = base_solve(inverse, r)[active]
        step = np.abs(xn - xa).max(axis=(1, 2))
        size = np.abs(xn).max(axis=(1, 2))
        x[active] = xn
        done = step <= tol * size
        bad = ~np.isfinite(step) | ((sweep >= 2) & (step > last[active]))
        failed.extend(active[bad & ~done].tolist())
        last[active] = step
        active = active[~done & ~bad]
    failed.extend(active.tolist())
    if failed:
        idx = np.sort(np.asarray(failed))
        x[idx] = direct_solve(a, deltas[idx], rhs[idx], first_draw=first_draw)
    return x, SolveStats(b, sweeps, len(failed))
