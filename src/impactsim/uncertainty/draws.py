"""Run an ensemble in chunks on an executor and summarise the draws (quantiles, sensitivity).

``simulate(ensemble, draws=N, seed=S)`` splits the draws into chunks sized by a memory budget,
runs each chunk (a pure function of the seed and its draw range) on the executor, and returns an
immutable :class:`Draws`. Chunking, the executor and the number of workers never change the
numbers: the same seed gives the same draws, bit for bit.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine.results import headline_columns
from ..errors import OptionError
from .distributions import Dirichlet, Distribution, UncertaintyError
from .ensemble import ChunkResult, Ensemble
from .executors import Executor, InProcessExecutor, get_executor
from .projections import Projections
from .sampling import BLOCK, COEFFICIENTS, check_seed
from .sensitivity import RESIDUAL, Sensitivity, first_order_index
from .solvers import METHODS, Method, SolveStats, one_blas_thread

Array = NDArray[np.float64]

#: Quantile levels reported by default (P5, P50, P95).
DEFAULT_QUANTILES = (0.05, 0.5, 0.95)
#: Default working-memory budget of the chunks that run at once (bytes).
DEFAULT_MEMORY = 256 * 2**20
#: Largest default chunk (draws) with perturbed coefficients: 64 draws of a 167-sector table
#: keep the (b, n, n) stack of ΔA (14 MB) in cache across refinement sweeps
#: (``benchmarks/montecarlo.py``); demand-only draws take larger chunks.
MAX_CHUNK = 64
MAX_CHUNK_FIXED = 1024
#: Most draws one run accepts.
MAX_DRAWS = 10_000_000
#: Share of the machine's physical memory the kept draws may take (estimated before the run).
MAX_MEMORY_SHARE = 0.5


class DrawMemoryError(UncertaintyError, OptionError):
    """The draws asked for would not fit in memory (the message gives the estimate)."""


def _physical_memory() -> int | None:
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def draw_memory(ensemble: Ensemble, draws: int, seed: int, options: Mapping[str, Any]) -> int:
    """Bytes the results of ``draws`` draws keep (totals, samples, projections, sectors), from
    one probe draw, times two for the final concatenation of the chunks."""
    probe = ensemble.run_chunk(seed, 0, 1, **options)
    per_draw = probe.totals.nbytes + sum(a.nbytes for a in probe.samples.values())
    per_draw += sum(a.nbytes for a in probe.projections.values())
    # the shares vectors' projections, made on first use (one totals array each)
    per_draw += probe.totals.nbytes * sum(
        1 for g in ensemble.lazy_groups() if g not in probe.projections)
    per_draw += sum(a.nbytes for a in probe.sectors or ())
    return 2 * per_draw * int(draws)


def check_draw_memory(ensemble: Ensemble, draws: int, seed: int,
                      options: Mapping[str, Any], *, budget: int | None = None) -> int:
    """The estimate of :func:`draw_memory`; :class:`DrawMemoryError` when it is above
    ``budget`` (default :data:`MAX_MEMORY_SHARE` of physical memory), before any draw runs."""
    need = draw_memory(ensemble, draws, seed, options)
    if budget is None:
        phys = _physical_memory()
        budget = int(phys * MAX_MEMORY_SHARE) if phys else None
    if budget is not None and need > budget:
        fits = max(1, int(draws * budget / need))
        raise DrawMemoryError(
            f"draws={draws:,}: the results would take about {need / 2**30:.1f} GiB of memory, "
            f"more than the {budget / 2**30:.1f} GiB allowed (half of this machine's memory); "
            f"use at most about {fits:,} draws (10,000 draws already place P5 and P95 within "
            "±0.44 percentile points: two binomial standard errors, 2·√(0.05·0.95/10,000))"
        )
    return need


def quantile_label(q: float) -> str:
    """``0.05`` → ``"P5"``, ``0.5`` → ``"P50"``, ``0.975`` → ``"P97.5"``."""
    return f"P{100 * q:.10g}"


def plan_chunks(
    draws: int,
    *,
    bytes_per_draw: int,
    chunk_size: int | None = None,
    memory: int = DEFAULT_MEMORY,
    max_chunk: int = MAX_CHUNK,
) -> list[tuple[int, int]]:
    """Draw ranges ``[start, stop)`` covering ``0 … draws-1``.

    Without ``chunk_size`` a chunk holds as many draws as ``memory`` allows (at most
    ``max_chunk``), rounded down to whole random-stream blocks when it holds at least one.
    """
    if chunk_size is None:
        size = max(1, int(memory // max(bytes_per_draw, 1)))
        size = min(size, max_chunk)
        if size >= BLOCK:
            size -= size % BLOCK
    else:
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
            raise UncertaintyError(f"chunk_size={chunk_size!r}: give a positive integer")
        size = chunk_size
    return [(s, min(s + size, draws)) for s in range(0, draws, size)]


def _task(payload: tuple[Ensemble, int, dict[str, Any]], item: tuple[int, int]) -> ChunkResult:
    ensemble, seed, options = payload
    return ensemble.run_chunk(seed, item[0], item[1], **options)


def simulate(
    ensemble: Ensemble,
    *,
    draws: int,
    seed: int | None = None,
    executor: Executor | str | None = None,
    chunk_size: int | None = None,
    memory: int = DEFAULT_MEMORY,
    progress: Callable[[int, int], None] | None = None,
    keep_sectors: bool = False,
    method: Method = "auto",
    tol: float = 1e-13,
) -> Draws:
    """Run ``draws`` Monte Carlo draws of ``ensemble`` and return a :class:`Draws`.

    ``seed=None`` takes fresh entropy (recorded in ``Draws.seed``). ``executor``: ``None`` /
    ``"inprocess"`` / ``"dask"`` / an :class:`~impactsim.uncertainty.executors.Executor`.
    ``memory`` bounds
    the working memory of the chunks running at once (bytes; in this process, one chunk per
    worker thread, each given an equal part); ``progress(done, total)`` is called as chunks
    finish. ``keep_sectors`` keeps each draw's demand and output by sector (for
    :meth:`Draws.by_sector`; memory ``3 · draws · columns · n · 8`` bytes). ``method`` picks the
    solver when coefficients are perturbed (see :mod:`impactsim.uncertainty.solvers`).
    """
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise UncertaintyError(f"draws={draws!r}: give a positive integer (e.g. draws: 1000)")
    if draws > MAX_DRAWS:
        raise UncertaintyError(f"draws={draws}: at most {MAX_DRAWS:,} per run")
    if method not in METHODS:
        raise UncertaintyError(f"method={method!r}: use one of {list(METHODS)}")
    seed = check_seed(seed)
    ex = get_executor(executor)
    # chunks run side by side on the in-process threads: together they keep to the budget
    threads = ex.threads() if isinstance(ex, InProcessExecutor) else 1
    chunks = plan_chunks(
        int(draws),
        bytes_per_draw=ensemble.bytes_per_draw(),
        chunk_size=chunk_size,
        memory=max(1, memory // threads),
        max_chunk=MAX_CHUNK if ensemble.perturbation is not None else MAX_CHUNK_FIXED,
    )
    # the shares vectors' projections are made when a sensitivity analysis first reads them
    options = {"keep_sectors": keep_sectors, "method": method, "tol": tol,
               "group_projections": False}
    # BLAS on one thread, set by the calling thread: this OpenBLAS keeps a limit set from a
    # worker thread to that thread, so a limit set only inside the chunks would leave the threads
    # of an in-process dask cluster factorizing on several threads (other last bits than here)
    with one_blas_thread():
        if draws > 10_000:  # estimate what the draws will keep before running them all
            check_draw_memory(ensemble, int(draws), seed, options)
        try:
            parts = ex.map(
                _task,
                (ensemble, seed, options),
                chunks,
                weights=[b - a for a, b in chunks],
                progress=progress,
            )
        finally:
            if ex is not executor and hasattr(ex, "close"):  # made here from a name: shut it
                ex.close()
    return Draws.from_chunks(ensemble, seed, parts, chunk_size=chunks[0][1] - chunks[0][0])


@dataclass(frozen=True, eq=False)
class Draws:
    """Monte Carlo draws of an ensemble's headline totals (read-only arrays).

    ``totals[s, c, e, k]``: draw ``s``, column ``c`` (e.g. phase), effect ``e`` (direct,
    indirect[, induced]), measure ``k``, in the measure's unit. ``samples`` holds each varying
    scalar input's draws; ``projections`` the group inputs' one-input-varied totals (for
    :meth:`sensitivity`; the shares vectors' are made on first read,
    :mod:`impactsim.uncertainty.projections`); ``sectors`` optionally (demand, open output,
    induced output) by sector.
    """

    ensemble: Ensemble
    seed: int
    totals: Array
    samples: Mapping[str, Array]
    projections: Mapping[str, Array]
    sectors: tuple[Array, ...] | None
    stats: SolveStats
    chunk_size: int
    #: quantiles of :meth:`with_total` by tuple of levels, computed once (read-only arrays)
    _quantile_values: dict[tuple[float, ...], Array] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_chunks(
        cls, ensemble: Ensemble, seed: int, parts: Sequence[ChunkResult], *, chunk_size: int
    ) -> Draws:
        """Concatenate chunk results (in draw order)."""
        parts = sorted(parts, key=lambda p: p.start)

        def cat(arrays: list[Array]) -> Array:
            out = np.concatenate(arrays, axis=0)
            out.flags.writeable = False
            return out

        samples = {k: cat([p.samples[k] for p in parts]) for k in parts[0].samples}
        proj = {k: cat([p.projections[k] for p in parts]) for k in parts[0].projections}
        sectors = None
        part_sectors = [p.sectors for p in parts if p.sectors is not None]
        if part_sectors and len(part_sectors) == len(parts):
            sectors = tuple(
                cat([s[i] for s in part_sectors]) for i in range(len(part_sectors[0]))
            )
        stats = SolveStats(
            draws=sum(p.stats.draws for p in parts),
            sweeps=max(p.stats.sweeps for p in parts),
            fallback=sum(p.stats.fallback for p in parts),
        )
        return cls(
            ensemble=ensemble,
            seed=seed,
            totals=cat([p.totals for p in parts]),
            samples=MappingProxyType(samples),
            projections=Projections(proj, ensemble, seed, [(p.start, p.stop) for p in parts]),
            sectors=sectors,
            stats=stats,
            chunk_size=chunk_size,
        )

    # ------------------------------------------------------------------ shape and labels
    @property
    def n_draws(self) -> int:
        return int(self.totals.shape[0])

    @property
    def columns(self) -> tuple[Any, ...]:
        return self.ensemble.columns

    @property
    def effects(self) -> tuple[str, ...]:
        return self.ensemble.effects

    @property
    def measures(self) -> tuple[str, ...]:
        return self.ensemble.measures

    def _column(self, column: Any) -> int:
        cols = self.columns
        if column is None:
            if len(cols) == 1:
                return 0
            raise UncertaintyError(f"name a column: one of {list(cols)}")
        if column not in cols:
            raise UncertaintyError(f"column {column!r} is not one of {list(cols)}")
        return cols.index(column)

    def _measure(self, measure: str) -> int:
        if measure not in self.measures:
            raise UncertaintyError(f"measure {measure!r} is not one of {list(self.measures)}")
        return self.measures.index(measure)

    def _pick(self, arr: Array, column: Any, effect: str, measure: str) -> Array:
        """One headline cell per draw from a (d, columns, effects, measures) array."""
        c, k = self._column(column), self._measure(measure)
        if effect == "total":
            return arr[:, c, :, k].sum(axis=1)
        if effect not in self.effects:
            raise UncertaintyError(f"effect {effect!r} is not one of {[*self.effects, 'total']}")
        return arr[:, c, self.effects.index(effect), k]

    def values(self, measure: str, *, column: Any = None, effect: str = "total") -> Array:
        """The draws (d,) of one headline cell."""
        return self._pick(self.totals, column, effect, measure)

    def with_total(self) -> Array:
        """Totals with the ``total`` effect appended: (d, columns, effects + 1, measures)."""
        return np.concatenate([self.totals, self.totals.sum(axis=2, keepdims=True)], axis=2)

    def _levels_values(self, levels: list[float]) -> Array:
        """``np.quantile(self.with_total(), levels, axis=0)``: (Q, C, E+1, K), computed once per
        set of levels (every summary of every column reads the same array)."""
        key = tuple(levels)
        vals = self._quantile_values.get(key)
        if vals is None:
            vals = np.quantile(self.with_total(), levels, axis=0)
            vals.flags.writeable = False
            self._quantile_values[key] = vals
        return vals

    # ------------------------------------------------------------------ summaries
    def quantiles(self, q: Sequence[float] = DEFAULT_QUANTILES) -> pd.DataFrame:
        """Tidy quantiles: one row per column × effect (+ total) × measure × level.

        Columns ``column, effect, measure, quantile`` (label such as ``P5``), ``level``, ``value``,
        ``unit``. Quantiles use linear interpolation between order statistics.
        """
        levels = _levels(q)
        vals = self._levels_values(levels)  # (Q, C, E+1, K)
        effects = [*self.effects, "total"]
        idx = pd.MultiIndex.from_product(
            [list(range(len(levels))), list(self.columns), effects, list(self.measures)],
            names=["level_index", "column", "effect", "measure"],
        )
        frame = pd.DataFrame({"value": vals.reshape(-1)}, index=idx).reset_index()
        frame.insert(3, "quantile", [quantile_label(levels[i]) for i in frame["level_index"]])
        frame["level"] = [levels[i] for i in frame["level_index"]]
        frame["unit"] = frame["measure"].map(dict(self.ensemble.units))
        frame = frame.drop(columns="level_index")
        return frame[["column", "effect", "measure", "quantile", "level", "value", "unit"]]

    def summary(
        self, column: Any = None, *, q: Sequence[float] = DEFAULT_QUANTILES
    ) -> pd.DataFrame:
        """Headline table of quantiles: rows effect (direct … total), columns (measure, P5 …).

        ``column=None`` with several columns puts the column in the row index too.
        """
        levels = _levels(q)
        vals = self._levels_values(levels)  # (Q, C, E+1, K)
        effects = [*self.effects, "total"]
        order = headline_columns(self.measures)
        kidx = [self.measures.index(m) for m in order]
        labels = [quantile_label(v) for v in levels]
        cols = pd.MultiIndex.from_product([order, labels], names=["measure", "quantile"])
        blocks = []
        chosen = range(len(self.columns)) if column is None else [self._column(column)]
        for c in chosen:
            block = vals[:, c][:, :, kidx].transpose(1, 2, 0).reshape(len(effects), -1)
            frame = pd.DataFrame(block, index=pd.Index(effects, name="effect"), columns=cols)
            blocks.append(frame)
        if column is None and len(self.columns) > 1:
            out = pd.concat(blocks, keys=list(self.columns), names=["column"])
        else:
            out = blocks[0]
        out.attrs["units"] = {m: self.ensemble.units[m] for m in order}
        out.attrs["draws"] = self.n_draws
        out.attrs["seed"] = self.seed
        return out

    def by_sector(
        self,
        measure: str = "output",
        *,
        column: Any = None,
        effect: str = "total",
        q: Sequence[float] = DEFAULT_QUANTILES,
    ) -> pd.DataFrame:
        """Quantiles of one measure by sector (rows), largest median first.

        Needs ``simulate(..., keep_sectors=True)``.
        """
        if self.sectors is None:
            raise UncertaintyError(
                "by-sector draws were not kept; run with keep_sectors=True (memory: "
                "3 × draws × columns × sectors × 8 bytes)"
            )
        c, k = self._column(column), self._measure(measure)
        y, x, dx = (s[:, c, :] for s in self.sectors)
        coef = self.ensemble.measure_coefficients[k]
        layers = {"direct": coef * y, "indirect": coef * (x - y), "induced": coef * dx}
        if effect == "total":
            vals = layers["direct"] + layers["indirect"]
            if "induced" in self.effects:
                vals = vals + layers["induced"]
        elif effect in self.effects:
            vals = layers[effect]
        else:
            raise UncertaintyError(f"effect {effect!r} is not one of {[*self.effects, 'total']}")
        scale = self._scale_draws(measure)
        if scale is not None:
            vals = vals * scale[:, np.newaxis]
        levels = _levels(q)
        qv = np.quantile(vals, levels, axis=0).T
        frame = pd.DataFrame(
            qv, index=self.ensemble.sectors, columns=[quantile_label(v) for v in levels]
        )
        frame.attrs["unit"] = self.ensemble.units[measure]
        mid = np.median(vals, axis=0)
        return frame.iloc[np.argsort(-np.abs(mid), kind="stable")]

    def _scale_draws(self, measure: str) -> Array | None:
        pname = self.ensemble.measure_factors.get(measure)
        if pname is None:
            return None
        if pname in self.samples:
            return np.asarray(self.samples[pname])
        base = next(p.base for p in self.ensemble.parameters if p.name == pname)
        return np.full(self.n_draws, float(base))

    # ------------------------------------------------------------------ sensitivity
    def sensitivity(
        self,
        measure: str = "employment",
        *,
        column: Any = None,
        effect: str = "total",
        q: tuple[float, float] = (0.05, 0.95),
    ) -> Sensitivity:
        """One-at-a-time swings and first-order variance shares of one headline cell.

        See :mod:`impactsim.uncertainty.sensitivity` for the method.
        """
        lo_q, hi_q = _levels(q)
        ens = self.ensemble
        y = self.values(measure, column=column, effect=effect)
        base_tot = ens.deterministic()[np.newaxis]
        base = float(self._pick(base_tot, column, effect, measure)[0])
        rows: list[dict[str, Any]] = []
        shares: dict[str, float] = {}
        for p in ens.uncertain:
            dist = p.distribution
            if isinstance(dist, Dirichlet):
                rows.extend(self._share_swings(p, dist, lo_q, hi_q, column, effect, measure))
                shares[p.label] = first_order_index(
                    self._pick(self.projections[p.name], column, effect, measure), y
                )
                continue
            assert isinstance(dist, Distribution)
            lo_v, hi_v = (float(v) for v in dist.ppf([lo_q, hi_q]))
            vals = ens.base_values(2)
            vals[p.name] = np.array([lo_v, hi_v])
            out = self._pick(ens.evaluate(vals, 2), column, effect, measure)
            rows.append(_row(p.label, p.label, lo_v, hi_v, out))
            shares[p.label] = first_order_index(self.samples[p.name], y)
        pert = ens.perturbation
        if pert is not None and ens.caps is not None:
            label = "table coefficients (all together)"
            lo_f, hi_f = (float(v) for v in pert.factor.ppf([lo_q, hi_q]))
            outs = []
            for f in (lo_f, hi_f):
                a = pert.systematic(ens.a, f, ens.caps)
                outs.append(
                    self._pick(ens.evaluate(ens.base_values(1), 1, a=a), column, effect, measure)[0]
                )
            rows.append(_row(label, label, lo_f, hi_f, np.array(outs)))
            shares[label] = first_order_index(
                self._pick(self.projections[COEFFICIENTS], column, effect, measure), y
            )
        swings = pd.DataFrame(
            rows, columns=["input", "group", "low_input", "high_input", "low", "high", "swing"]
        ).set_index("input")
        swings = swings.sort_values("swing", ascending=False, kind="stable")
        var = pd.Series(shares, name="variance_share", dtype=float)
        var[RESIDUAL] = max(0.0, 1.0 - float(var.sum()))
        cell = f"{effect} {measure}" + ("" if column is None else f", {column}")
        return Sensitivity(
            cell=cell,
            unit=ens.units[measure],
            base=base,
            swings=swings,
            variance_shares=var,
            draws=self.n_draws,
        )

    def _share_swings(
        self,
        p: Any,
        dist: Dirichlet,
        lo_q: float,
        hi_q: float,
        column: Any,
        effect: str,
        measure: str,
    ) -> list[dict[str, Any]]:
        ens = self.ensemble
        base = np.asarray(p.base, dtype=float)
        labels = dist.labels or tuple(str(i) for i in range(dist.size))
        rows = []
        for i in range(dist.size):
            if base[i] in (0.0, 1.0):
                continue
            marg = dist.marginal(i)
            lo_v, hi_v = (float(v) for v in marg.ppf([lo_q, hi_q]))
            vecs = []
            for v in (lo_v, hi_v):
                s = base * (1.0 - v) / (1.0 - base[i])
                s[i] = v
                vecs.append(s)
            vals = ens.base_values(2)
            vals[p.name] = np.vstack(vecs)
            out = self._pick(ens.evaluate(vals, 2), column, effect, measure)
            rows.append(_row(f"{p.label}: {labels[i]}", p.label, lo_v, hi_v, out))
        return rows


def _row(label: str, group: str, lo_v: float, hi_v: float, out: Array) -> dict[str, Any]:
    return {
        "input": label,
        "group": group,
        "low_input": lo_v,
        "high_input": hi_v,
        "low": float(out[0]),
        "high": float(out[1]),
        "swing": abs(float(out[1]) - float(out[0])),
    }


def _levels(q: Sequence[float]) -> list[float]:
    levels = [float(v) for v in q]
    if not levels or any(not 0.0 <= v <= 1.0 for v in levels):
        raise UncertaintyError(f"quantile levels {list(q)!r}: give values in [0, 1]")
    return levels
