"""Monte Carlo ensembles of a Leontief model: draws solved in chunks, never a loop of inverses.

An :class:`Ensemble` is everything a chunk of draws needs, as plain arrays (so it ships to dask
workers cheaply): the base coefficients ``A`` and ``L0 = (I − A)⁻¹`` (formed once from the
model's LU), the measure rows ``C``, the household closure, the demand model, the uncertain
inputs and the optional coefficient perturbation.

For draw ``s`` with demand columns ``Y_s`` (columns × n) the kernel computes

* open output ``X_s = (I − A_s)⁻¹ Y_s`` (``A_s = A`` unless coefficients are perturbed);
* with the household closure (Type II), the induced output ``x̄ − x = u_s z`` from the bordered
  system (Schur complement, as :class:`impactsim.engine.linalg.BorderedFactorization`)::

      u_s = (I − A_s)⁻¹ h_c,   s_s = 1 − h_s − h_r'u_s,   z = h_r'x / s_s

  With a fixed ``A``, ``u`` and ``s`` are the model's own; with ``A_s``, ``u_s`` is one more
  right-hand side of the draw's solve.

* totals by effect: direct ``Σ_j c_kj y_j``, indirect ``Σ_j c_kj (x_j − y_j)``, induced
  ``Σ_j c_kj u_j z``, each times the draw's factor for measure ``k`` (e.g. employment
  coefficients), in the measure's unit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import NotProductiveError
from ..tables.table import TableMeta
from .demand import DemandModel, LinearDemand
from .distributions import Dirichlet, UncertaintyError
from .fixedsum import fixed_sum
from .perturbation import Caps, CoefficientPerturbation, SplitTechnology, perron_weights
from .sampling import BLOCK, COEFFICIENTS, Parameter
from .solvers import METHODS, Method, SolveStats, base_solve, direct_solve, perturbed_solve

if TYPE_CHECKING:
    from ..engine.model import LeontiefModel

Array = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """What one chunk of draws ``[start, stop)`` returns (all arrays have ``stop − start`` rows).

    ``totals`` (b, columns, effects, measures); ``samples`` scalar inputs (b,); ``projections``
    for group inputs (shares, coefficients): totals with only that input varied (others at base);
    ``sectors`` optional ``(y, x, x̄ − x)`` each (b, columns, n).
    """

    start: int
    stop: int
    totals: Array
    samples: Mapping[str, Array]
    projections: Mapping[str, Array]
    sectors: tuple[Array, ...] | None
    stats: SolveStats


@dataclass(frozen=True, eq=False)
class Ensemble:
    """A Leontief model with uncertain inputs, ready to sample. Build with :meth:`from_model`."""

    demand: DemandModel
    parameters: tuple[Parameter, ...]
    a: Array
    measure_coefficients: Array
    measures: tuple[str, ...]
    units: Mapping[str, str]
    sectors: pd.Index
    table: TableMeta
    inverse: Array
    closure: tuple[Array, Array, float] | None
    closure_u: Array | None = None
    closure_schur: float = 1.0
    perturbation: CoefficientPerturbation | SplitTechnology | None = None
    measure_factors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    closure_scale: str | None = None
    caps: Caps | None = None

    @classmethod
    def from_model(
        cls,
        model: LeontiefModel,
        demand: DemandModel,
        parameters: Iterable[Parameter] = (),
        *,
        perturbation: CoefficientPerturbation | SplitTechnology | None = None,
        measure_factors: Mapping[str, str] | None = None,
        closure_scale: str | None = None,
        induced: bool = True,
    ) -> Ensemble:
        """An ensemble on ``model`` (its table's domestic coefficients and closure).

        ``measure_factors`` maps a measure (e.g. ``"employment"``) to the scalar input whose
        draws multiply its coefficients; ``closure_scale`` names a scalar input whose draws
        multiply the household consumption column ``h_c`` (e.g. ``(1 − ℓ)/(1 − ℓ₀)`` for an
        uncertain leakage ``ℓ``); ``induced`` adds the households-closed (Type II) layer.
        """
        params = tuple(parameters)
        names = [p.name for p in params]
        if len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise UncertaintyError(f"uncertain inputs: duplicate names {dup}; give unique names")
        if not isinstance(demand, DemandModel):
            raise UncertaintyError("demand: give a LinearDemand (or an object with build/columns)")
        by_name = {p.name: p for p in params}
        if isinstance(demand, LinearDemand):
            cls._check_terms(demand, by_name, model.table.n)
        factors = dict(measure_factors or {})
        for measure, pname in factors.items():
            if measure not in model.measures:
                raise UncertaintyError(
                    f"measure factor for {measure!r}: the model has measures {list(model.measures)}"
                )
            if pname not in by_name or by_name[pname].is_vector:
                raise UncertaintyError(
                    f"measure factor for {measure!r}: {pname!r} is not a scalar uncertain input"
                )
        if closure_scale is not None:
            p = by_name.get(closure_scale)
            if p is None or p.is_vector:
                raise UncertaintyError(
                    f"closure_scale: {closure_scale!r} is not a scalar uncertain input"
                )
            if p.degenerate and p.base == 1.0:
                closure_scale = None
        if perturbation is not None and perturbation.identity:
            perturbation = None
        caps = None
        a = np.asarray(model.a)
        if perturbation is not None:
            caps = perturbation.caps(a)
        closure = closed = None
        if induced:
            closed = model.closed_factorization
            closure = (closed.income, closed.consumption, closed.self_coefficient)
        return cls(
            demand=demand,
            parameters=params,
            a=a,
            measure_coefficients=np.asarray(model.measure_coefficients),
            measures=tuple(model.measures),
            units=MappingProxyType(dict(model.units)),
            sectors=model.table.sectors,
            table=model.table.meta,
            inverse=_readonly(model.factorization.inverse()),
            closure=closure,
            closure_u=None if closed is None else closed.u,
            closure_schur=1.0 if closed is None else closed.schur,
            perturbation=perturbation,
            measure_factors=MappingProxyType(factors),
            closure_scale=closure_scale if induced else None,
            caps=caps,
        )

    @staticmethod
    def _check_terms(demand: LinearDemand, by_name: Mapping[str, Parameter], n: int) -> None:
        for t in demand.terms:
            if t.vector.shape[0] != n:
                raise UncertaintyError(
                    f"demand term {t.label!r}: {t.vector.shape[0]} values for a table of {n} "
                    "sectors; give one per sector in table order"
                )
            for ref in t.factors:
                name = ref if isinstance(ref, str) else ref[0]
                p = by_name.get(name)
                if p is None:
                    raise UncertaintyError(
                        f"demand term {t.label!r}: factor {name!r} is not an uncertain input "
                        f"(known: {sorted(by_name)}); declare it (a point value if fixed)"
                    )
                if isinstance(ref, str) == p.is_vector:
                    what = "(name, index)" if p.is_vector else "a plain name"
                    raise UncertaintyError(
                        f"demand term {t.label!r}: refer to input {name!r} as {what}"
                    )
                if not isinstance(ref, str):
                    dist = p.distribution
                    size = dist.size if isinstance(dist, Dirichlet) else 1
                    if not 0 <= ref[1] < size:
                        raise UncertaintyError(
                            f"demand term {t.label!r}: {name!r} has {size} shares, "
                            f"no index {ref[1]}"
                        )

    # ------------------------------------------------------------------ descriptors
    @property
    def n(self) -> int:
        return int(self.a.shape[0])

    @property
    def columns(self) -> tuple[Any, ...]:
        return tuple(self.demand.columns)

    @property
    def effects(self) -> tuple[str, ...]:
        return ("direct", "indirect", "induced") if self.closure else ("direct", "indirect")

    @property
    def uncertain(self) -> tuple[Parameter, ...]:
        """Inputs that actually vary (degenerate ones are left out of sensitivity)."""
        return tuple(p for p in self.parameters if not p.degenerate)

    @property
    def group_inputs(self) -> tuple[str, ...]:
        """Inputs handled as groups in sensitivity: shares vectors and the coefficients."""
        names = [p.name for p in self.uncertain if p.is_vector]
        if self.perturbation is not None:
            names.append(COEFFICIENTS)
        return tuple(names)

    def bytes_per_draw(self) -> int:
        """Approximate working memory per draw of a chunk (bytes)."""
        q = 2 * len(self.columns) + 1
        per = 12 * q * self.n * 8
        if self.perturbation is not None:
            per += self.perturbation.bytes_per_draw(self.n)
        return per

    def base_values(self, size: int = 1) -> dict[str, Array]:
        """Every input at its base value, ``size`` rows."""
        return {p.name: p.base_values(size) for p in self.parameters}

    # ------------------------------------------------------------------ the kernel
    def _scale(self, values: Mapping[str, Array], size: int) -> Array | None:
        if not self.measure_factors:
            return None
        f = np.ones((size, len(self.measures)))
        for measure, pname in self.measure_factors.items():
            f[:, self.measures.index(measure)] = values[pname]
        return f

    def _totals(
        self,
        y: Array,
        x: Array,
        dx: Array | None,
        scale: Array | None,
        overrides: list[tuple[int, str, Array, Array]] | None = None,
        coefficients: Array | None = None,
    ) -> Array:
        """(b, columns, effects, measures) from demand, open output and induced output (b, q, n).

        ``overrides``: (column, measure, stated direct value (b,), the demand it replaces (b, n))
        — the direct effect of that part of the column's demand becomes the stated value.
        ``coefficients``: measure rows per draw (b, measures, n) in place of the base ``C``.
        """
        c = self.measure_coefficients
        # (b, columns, n) @ Cᵀ (or each draw's own C_sᵀ): numpy's matmul calls BLAS once per draw
        # with the same shapes, so each draw's rounding is its own, whatever the chunk
        ct = np.ascontiguousarray(c.T) if coefficients is None else coefficients.transpose(0, 2, 1)
        layers = [np.matmul(y, ct), np.matmul(x - y, ct)]
        if dx is not None:
            layers.append(np.matmul(dx, ct))
        tot = np.stack(layers, axis=2)
        if scale is not None:
            tot *= scale[:, np.newaxis, np.newaxis, :]
        for col, measure, value, part in overrides or ():
            k = self.measures.index(measure)
            own = fixed_sum((c[k] if coefficients is None else coefficients[:, k]) * part)
            if scale is not None:
                own = own * scale[:, k]
            tot[:, col, 0, k] += value - own
        return tot

    def _overrides(
        self, values: Mapping[str, Array], size: int
    ) -> list[tuple[int, str, Array, Array]] | None:
        hook = getattr(self.demand, "direct_overrides", None)
        return None if hook is None else hook(values, size)

    def _induced(
        self,
        x: Array,
        u: Array | None = None,
        g: Array | None = None,
        first_draw: int = 0,
    ) -> Array:
        """Induced output ``u z`` with ``z = h_r'x / s`` (b, q, n).

        ``u`` (b, n) is ``(I − A_s)⁻¹h_c`` per draw (default: the model's own, with its Schur
        complement ``s``); ``g`` (b,) scales ``h_c`` (so ``u`` too) per draw.
        """
        assert self.closure is not None
        hr, _, hs = self.closure
        if u is None and g is None:
            assert self.closure_u is not None
            z = fixed_sum(x * hr) / self.closure_schur
            return z[:, :, np.newaxis] * self.closure_u
        if u is None:
            assert self.closure_u is not None
            u = np.broadcast_to(self.closure_u, (x.shape[0], self.n))
        if g is not None:
            u = g[:, np.newaxis] * u
        denom = 1.0 - hs - fixed_sum(u * hr)  # (b,)
        if not np.all(denom > 0):
            s = int(np.flatnonzero(~(denom > 0))[0])
            raise NotProductiveError(
                f"draw {first_draw + s}: the households-closed model is not productive "
                f"(1 − h_s − h_r'(I − A_s)⁻¹h_c = {denom[s]:.3g}); use a smaller perturbation "
                "or a larger household leakage"
            )
        z = fixed_sum(x * hr) / denom[:, np.newaxis]  # (b, q)
        return z[:, :, np.newaxis] * u[:, np.newaxis, :]

    def _closure_g(self, values: Mapping[str, Array]) -> Array | None:
        return None if self.closure_scale is None else np.asarray(values[self.closure_scale])

    def evaluate(
        self,
        values: Mapping[str, Array],
        size: int,
        *,
        a: Array | None = None,
    ) -> Array:
        """Totals (size, columns, effects, measures) for given input values, no random numbers.

        ``a`` replaces the coefficients for all rows (used by one-at-a-time swings); with the
        default the base inverse ``L0`` is used.
        """
        y = self.demand.build(values, size)
        scale = self._scale(values, size)
        over = self._overrides(values, size)
        g = self._closure_g(values)
        if a is None:
            x = base_solve(self.inverse, y)
            dx = self._induced(x, g=g) if self.closure else None
            return self._totals(y, x, dx, scale, over)
        deltas = np.broadcast_to(a - self.a, (size, self.n, self.n))
        rhs = y
        if self.closure:
            hc = np.broadcast_to(self.closure[1], (size, 1, self.n))
            rhs = np.concatenate([y, hc], axis=1)
        sol = direct_solve(self.a, np.array(deltas), rhs)
        x = sol[:, : y.shape[1]]
        dx = self._induced(x, sol[:, -1], g) if self.closure else None
        return self._totals(y, x, dx, scale, over)

    def deterministic(self) -> Array:
        """Totals (columns, effects, measures) with every input at its base value."""
        return self.evaluate(self.base_values(1), 1)[0]

    @functools.cached_property
    def _base_demand(self) -> tuple[Array, list[tuple[int, str, Array, Array]] | None]:
        """Demand (1, columns, n) and direct overrides with every input at its base value: the
        same for every draw (row by row, what ``build`` and the overrides give for any number of
        draws), so made once and repeated for each chunk's coefficients-only projection."""
        base = self.base_values(1)
        return self.demand.build(base, 1), self._overrides(base, 1)

    @functools.cached_property
    def _weights(self) -> Array:
        """Positive weights near the left Perron vector of ``|A|`` (for the bound below)."""
        return perron_weights(np.abs(self.a))

    def _check_productive(self, deltas: Array, first_draw: int) -> None:
        """Every ``A_s = A + ΔA_s`` productive: settled cheaply where the Collatz–Wielandt bound
        ``ρ(A_s) ≤ ρ(|A_s|) ≤ max_j (wᵀ|A_s|)_j / w_j`` (``w`` > 0 from :attr:`_weights`) is
        below 1, else by the perturbation's own check (eigenvalues) for that draw."""
        assert self.perturbation is not None
        w = self._weights
        bound = (np.matmul(w, np.abs(deltas + self.a)) / w).max(axis=1)
        for s in np.flatnonzero(~(bound < 1.0)):
            self.perturbation.check_productive(
                self.a, deltas[s : s + 1], first_draw=first_draw + int(s)
            )

    def _perturbed(
        self, seed: int, start: int, stop: int, rhs: Array, method: Method, tol: float
    ) -> tuple[Array, SolveStats]:
        """Solve the perturbed systems of draws ``start … stop-1`` one random-stream block at a
        time: a block's ``ΔA_s`` stack (BLOCK·n² numbers) stays in cache while it is used."""
        assert self.perturbation is not None and self.caps is not None
        sol = np.empty_like(rhs)
        stats = SolveStats(0, 0, 0)
        lo = start
        while lo < stop:
            hi = min(stop, (lo // BLOCK + 1) * BLOCK)
            deltas = self.perturbation.deltas(self.a, seed, lo, hi, self.caps)
            if not self.caps.productive:
                self._check_productive(deltas, lo)
            part, st = perturbed_solve(
                self.inverse,
                self.a,
                deltas,
                rhs[lo - start : hi - start],
                method=method,
                tol=tol,
                first_draw=lo,
            )
            sol[lo - start : hi - start] = part
            stats = _merge(stats, st)
            lo = hi
        return sol, stats

    def lazy_groups(self) -> tuple[str, ...]:
        """The group inputs whose projections need no perturbed solve (all but the
        coefficients): :meth:`group_projections` makes them, apart from the draws."""
        return tuple(g for g in self.group_inputs if g != COEFFICIENTS)

    def _group_projections(self, values: Mapping[str, Array], size: int) -> dict[str, Array]:
        out = {}
        for name in self.lazy_groups():
            vals = self.base_values(size)
            vals[name] = values[name]
            out[name] = self.evaluate(vals, size)
        return out

    def group_projections(self, seed: int, start: int, stop: int) -> dict[str, Array]:
        """Totals of draws ``start … stop-1`` with one group input (a shares vector) at its
        drawn values and every other input at its base value, per group of
        :meth:`lazy_groups`: (b, columns, effects, measures) each. The draws' own random
        streams, so the same numbers as :meth:`run_chunk` makes with ``group_projections=True``,
        for any split of the draws into chunks."""
        names = set(self.lazy_groups())
        values = {p.name: p.sample(seed, start, stop) for p in self.parameters
                  if p.name in names}
        return self._group_projections(values, stop - start)

    def run_chunk(
        self,
        seed: int,
        start: int,
        stop: int,
        *,
        keep_sectors: bool = False,
        method: Method = "auto",
        tol: float = 1e-13,
        group_projections: bool = True,
    ) -> ChunkResult:
        """Draws ``start … stop-1``: a pure function of ``(self, seed, start, stop)``.

        ``group_projections=False`` leaves out the projections of the group inputs other than
        the coefficients (:meth:`group_projections` gives them later, the same numbers); the
        coefficients' projection shares the perturbed solves and is always made here.
        """
        if method not in METHODS:
            raise UncertaintyError(f"method={method!r}: use one of {list(METHODS)}")
        b = stop - start
        values = {p.name: p.sample(seed, start, stop) for p in self.parameters}
        y = self.demand.build(values, b)
        p = y.shape[1]
        scale = self._scale(values, b)
        over = self._overrides(values, b)
        g = self._closure_g(values)
        projections: dict[str, Array] = {}
        coefs = None  # measure rows per draw (split technologies), else the base rows
        if self.perturbation is None:
            x = base_solve(self.inverse, y)
            dx = self._induced(x, g=g, first_draw=start) if self.closure else None
            stats = SolveStats(b, 0, 0)
        else:
            assert self.caps is not None
            base = self.base_values(b)
            measure_deltas = getattr(self.perturbation, "measure_deltas", None)
            if measure_deltas is not None:
                coefs = self.measure_coefficients + measure_deltas(
                    len(self.measures), self.n, seed, start, stop
                )
            y0_row, over0_rows = self._base_demand
            y0 = np.repeat(y0_row, b, axis=0)
            over0 = [(col, measure, np.repeat(value, b), np.repeat(part, b, axis=0))
                     for col, measure, value, part in over0_rows or ()]
            parts = [y, y0]
            if self.closure:
                parts.append(np.broadcast_to(self.closure[1], (b, 1, self.n)))
            rhs = np.concatenate(parts, axis=1)
            sol, stats = self._perturbed(seed, start, stop, rhs, method, tol)
            x, x0 = sol[:, :p], sol[:, p : 2 * p]
            dx = dx0 = None
            if self.closure:
                u = sol[:, -1]
                dx = self._induced(x, u, g, start)
                dx0 = self._induced(x0, u, self._closure_g(base), start)
            projections[COEFFICIENTS] = self._totals(
                y0, x0, dx0, self._scale(base, b), over0 or None, coefs
            )
        if group_projections:
            projections.update(self._group_projections(values, b))
        samples = {
            q.name: values[q.name] for q in self.parameters if not q.is_vector and not q.degenerate
        }
        sectors = (y, x, dx if dx is not None else np.zeros_like(x)) if keep_sectors else None
        return ChunkResult(
            start=start,
            stop=stop,
            totals=self._totals(y, x, dx, scale, over, coefs),
            samples=samples,
            projections=projections,
            sectors=sectors,
            stats=stats,
        )


def _merge(a: SolveStats, b: SolveStats) -> SolveStats:
    return SolveStats(a.draws + b.draws, max(a.sweeps, b.sweeps), a.fallback + b.fallback)


def _readonly(a: Array) -> Array:
    a = np.ascontiguousarray(a)
    a.flags.writeable = False
    return a
