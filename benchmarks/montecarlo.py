"""Monte Carlo benchmark: 10,000 draws of scenarios/korea.yaml with the table perturbed.

Run as ``python benchmarks/montecarlo.py`` (about 2–3 minutes on 2 cores; ``--quick`` for a
short smoke run). Prints medians of interleaved repeats and ratios, in one run:

* **batched** (impactsim): ``simulate`` on the scenario's ensemble — every draw perturbs every
  coefficient of the Korea table (±10 % uniform, ``uncertainty.table_coefficients``) besides the
  scenario's own ranges; solves by refinement from the base inverse (``method="auto"``), and by
  stacked LAPACK ``gesv`` (``method="direct"``); also with the coefficients fixed (demand-only
  draws: one stacked product with ``L0``).
* **lean LAPACK loop** (the reference for the batching claim): the same inputs, demand columns
  and perturbed tables as the batched run (generated per random-stream block of 64 draws, as the
  batched run does), then per draw one ``scipy.linalg.lu_factor`` of ``I − A_s`` and one
  ``lu_solve`` on the draw's right-hand sides (the demand columns, the base-demand columns for the
  sensitivity projection and ``h_c`` for the Type II layer), totals as the batched run. No
  inverses, no per-draw sampling in Python. Its totals are compared with the batched ones.
* **naive loop** (kept for reference only, clearly not the bar): per draw, sample the inputs in
  Python, perturb A, ``np.linalg.inv(I − A_s)`` and ``np.linalg.inv(I − Ā_s)``; timed on a
  subset (``--naive``, default 100) and scaled to N.
* **ims.run end to end**: ``ims.run(korea.yaml, draws=N)`` including loading, translation and
  the deterministic run.
* **dask**: the same batched run on a ``LocalCluster`` with 1 and 2 worker processes (one thread
  each); cluster start-up is reported separately and not included.

Every in-process workload runs with BLAS limited to one thread (``threadpoolctl``), so the
comparison is one core against one core. Both wall-clock and CPU (process) time are reported:
on a shared machine the CPU time of a single-threaded workload is the steadier measure of its work.

When the Korea table or the scenario cannot be loaded, a synthetic 169-sector table with an
equivalent shock is used instead (and the output says so).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.linalg
from threadpoolctl import threadpool_limits

import impactsim as ims
from impactsim import uncertainty as u
from impactsim.engine import linalg

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "korea.yaml"


def korea_ensemble() -> tuple[u.Ensemble, str]:
    """The ensemble of scenarios/korea.yaml on korea-2020 (as ``ims.run`` builds it)."""
    from impactsim.scenario.schema import Scenario
    from impactsim.scenario.shocks import translate
    from impactsim.scenario.sourcing import choose_sourcing, resolve_table
    from impactsim.simulate import build_model
    from impactsim.uncertainty.scenario import scenario_ensemble

    sc = Scenario.from_yaml(SCENARIO)
    sourcing = choose_sourcing(sc, resolve_table(sc))
    table, induced = sourcing.table, sourcing.induced_available
    shocks = translate(sc, sourcing=sourcing)
    model = build_model(table, sc, induced=induced)
    ens = scenario_ensemble(sc, model, shocks, induced=induced,
                            multiregional=sourcing.multiregional)
    return ens, f"scenarios/korea.yaml on {table.meta.name} (n = {table.n})"


def synthetic_ensemble(n: int = 169, *, why: str = "") -> tuple[u.Ensemble, str]:
    """Fallback: a synthetic balanced table and a two-phase shock with korea.yaml's spreads."""
    rng = np.random.default_rng(0)
    a = rng.random((n, n)) * (rng.random((n, n)) < 0.75)
    a = a / a.sum(axis=0) * rng.uniform(0.3, 0.7, n)
    y = rng.uniform(1e3, 1e5, (n, 2))
    x = np.linalg.solve(np.eye(n) - a, y.sum(axis=1))
    rest = x - (a * x).sum(axis=0)
    t = ims.IOTable.from_arrays(
        a * x,
        y,
        np.vstack([0.5 * rest, 0.3 * rest]),
        final_demand_categories=["households", "exports"],
        value_added_components=["compensation", "operating_surplus"],
        imports=0.2 * rest,
        employment=x * rng.uniform(0.001, 0.01, n),
        name="synthetic-169",
        currency="KRW",
        unit=1e6,
    )
    m = ims.LeontiefModel(t, closure=ims.HouseholdClosure.from_table(t, leakage=0.07))
    cats = 9
    vecs = [np.zeros(n) for _ in range(cats)]
    for v in vecs:
        v[rng.choice(n, 3, replace=False)] = 1.0 / 3.0
    shares = rng.dirichlet(np.ones(cats))
    terms = [u.DemandTerm(v, [1.0, 0.0], ("amount", ("shares", c))) for c, v in enumerate(vecs)]
    terms.append(u.DemandTerm(np.full(n, 1.0 / n), [0.0, 1.0], ("opex",)))
    params = [
        u.Parameter("amount", u.Triangular(7.1e6, 7.1e6, 1.07e7), base=7.1e6),
        u.Parameter("shares", u.Dirichlet(tuple(shares / shares.sum()), 100.0)),
        u.Parameter("opex", u.Triangular(1.3e5, 1.7e5, 4.3e5), base=1.7e5),
        u.Parameter("jobs", u.Triangular(0.9, 1.0, 1.1), base=1.0),
    ]
    ens = u.Ensemble.from_model(
        m,
        u.LinearDemand(("construction", "operations"), terms),
        params,
        perturbation=u.CoefficientPerturbation.relative(0.1),
        measure_factors={"employment": "jobs"},
    )
    return ens, f"synthetic table (n = {n}; {why})"


# ------------------------------------------------------------------------------ the lean loop
def lean_totals(ens: u.Ensemble, seed: int, start: int, stop: int) -> np.ndarray:
    """Totals of draws ``start … stop-1`` by one LU factorization and solve per draw.

    Inputs, demand and perturbed coefficients are the batched run's own (same random numbers);
    only the solve differs: ``scipy.linalg.lu_factor`` + ``lu_solve`` per draw, no inverse.
    """
    pert, caps = ens.perturbation, ens.caps
    assert pert is not None and caps is not None
    n, b = ens.n, stop - start
    values = {p.name: p.sample(seed, start, stop) for p in ens.parameters}
    base = ens.base_values(b)
    y, y0 = ens.demand.build(values, b), ens.demand.build(base, b)
    p = y.shape[1]
    parts = [y, y0]
    if ens.closure:
        parts.append(np.broadcast_to(ens.closure[1], (b, 1, n)))
    rhs = np.concatenate(parts, axis=1)
    sol = np.empty_like(rhs)
    i_minus_a = np.eye(n) - ens.a
    lo = start
    while lo < stop:
        hi = min(stop, (lo // u.BLOCK + 1) * u.BLOCK)
        deltas = pert.deltas(ens.a, seed, lo, hi, caps)
        for k in range(hi - lo):
            m = i_minus_a - deltas[k]
            lu = scipy.linalg.lu_factor(m, overwrite_a=True, check_finite=False)
            s = lo - start + k
            sol[s] = scipy.linalg.lu_solve(lu, rhs[s].T, check_finite=False).T
        lo = hi
    x = sol[:, :p]
    dx = ens._induced(x, sol[:, -1], ens._closure_g(values)) if ens.closure else None
    rows = measure_rows(ens, seed, start, stop)
    return ens._totals(y, x, dx, ens._scale(values, b), ens._overrides(values, b), rows)


def lean_run(ens: u.Ensemble, seed: int, draws: int, chunk: int) -> np.ndarray:
    return np.concatenate(
        [lean_totals(ens, seed, lo, min(draws, lo + chunk)) for lo in range(0, draws, chunk)]
    )


# ------------------------------------------------------------------------------ the naive loop
def measure_rows(ens: u.Ensemble, seed: int, start: int, stop: int) -> np.ndarray | None:
    """Each draw's measure rows when the perturbation varies them (split technologies)."""
    hook = getattr(ens.perturbation, "measure_deltas", None)
    if hook is None:
        return None
    return ens.measure_coefficients + hook(len(ens.measures), ens.n, seed, start, stop)


def naive_totals(ens: u.Ensemble, draws: range, *, seed: int, two_inverses: bool) -> np.ndarray:
    """Per draw: sample the inputs in Python, invert, multiply — the loop batching replaces.

    The perturbed tables are the batched run's own (generated per block of 64 draws).
    """
    pert = ens.perturbation
    assert pert is not None and ens.caps is not None
    n = ens.n
    eye, eye1 = np.eye(n), np.eye(n + 1)
    hr, hc, hs = ens.closure if ens.closure else (None, None, 0.0)
    out = []
    deltas = rows = None
    block = -1
    for s in draws:
        if s // u.BLOCK != block:
            block = s // u.BLOCK
            lo, hi = block * u.BLOCK, (block + 1) * u.BLOCK
            deltas = pert.deltas(ens.a, seed, lo, hi, ens.caps)
            rows = measure_rows(ens, seed, lo, hi)
        assert deltas is not None
        c = ens.measure_coefficients if rows is None else rows[s % u.BLOCK]
        values = {p.name: p.sample(seed, s, s + 1) for p in ens.parameters}
        y = ens.demand.build(values, 1)[0]  # (columns, n)
        a_s = ens.a + deltas[s % u.BLOCK]
        big_l = np.linalg.inv(eye - a_s)
        x = y @ big_l.T
        layers = [c @ y.T, c @ (x - y).T]
        if hr is not None:
            g = values[ens.closure_scale][0] if ens.closure_scale else 1.0
            if two_inverses:
                closed = linalg.close_matrix(a_s, hr, g * hc, hs)
                x_bar = np.hstack([y, np.zeros((y.shape[0], 1))]) @ np.linalg.inv(eye1 - closed).T
                dx = x_bar[:, :n] - x
            else:
                uu = big_l @ (g * hc)
                z = (x @ hr) / (1.0 - hs - hr @ uu)
                dx = np.outer(z, uu)
            layers.append(c @ dx.T)
        out.append(np.stack(layers).transpose(2, 0, 1))
    return np.asarray(out)


def describe(pert: Any) -> str:
    """A one-line description of the coefficient perturbation."""
    if pert is None:
        return "none"
    factor = getattr(pert, "factor", None)
    if factor is not None:
        return f"{factor} on every coefficient"
    inner = getattr(pert, "inner", None)
    names = ", ".join(getattr(pert, "names", ()))
    cells = f"{inner.factor} on every coefficient, plus " if inner is not None else ""
    return f"{cells}split technologies ({names})"


# ------------------------------------------------------------------------------ timing helpers
def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock seconds, CPU (process) seconds and the result of ``fn()``."""
    w0, c0 = time.perf_counter(), time.process_time()
    res = fn()
    return time.perf_counter() - w0, time.process_time() - c0, res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--naive", type=int, default=100, help="draws timed in the naive loop")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--synthetic", action="store_true", help="skip the Korea table")
    ap.add_argument("--quick", action="store_true", help="1,000 draws, 1 repeat, 50 naive")
    args = ap.parse_args(argv)
    if args.quick:
        args.draws, args.repeats, args.naive = 1000, 1, 50
    n_draws, seed = args.draws, 20251029

    if args.synthetic:
        ens, what = synthetic_ensemble(why="--synthetic")
    else:
        try:
            ens, what = korea_ensemble()
        except ims.ImpactsimError as exc:
            ens, what = synthetic_ensemble(why=f"korea-2020 or korea.yaml not available: {exc}")
    fixed = u.Ensemble(**{**ens.__dict__, "perturbation": None, "caps": None})
    chunk = u.plan_chunks(n_draws, bytes_per_draw=ens.bytes_per_draw())[0][1]
    print(f"impactsim Monte Carlo benchmark — {what}")
    print(
        f"{n_draws:,} draws, seed {seed}; {len(ens.uncertain)} uncertain inputs + "
        f"coefficient perturbation {describe(ens.perturbation)}"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"chunk {chunk} draws, BLAS limited to 1 thread, load average {load:.1f} at start"
    )
    one_thread = threadpool_limits(limits=1)

    # correctness: batched draws equal the explicit inverses and the lean LU loop
    check = u.simulate(ens, draws=64, seed=seed)
    naive_same = _naive_same_inputs(ens, seed, range(8))
    rel = np.abs(naive_same - check.totals[:8]).max() / np.abs(check.totals[:8]).max()
    lean_check = lean_totals(ens, seed, 0, 64)
    rel_lean = np.abs(lean_check - check.totals).max() / np.abs(check.totals).max()
    print(
        f"check: batched vs explicit inverses on the same 8 draws, max relative difference "
        f"{rel:.1e}; vs the lean LU loop on 64 draws {rel_lean:.1e}"
    )

    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}

    def record(key: str, fn: Callable[[], Any], scale: float = 1.0) -> Any:
        tw, tc, res = timed(fn)
        wall.setdefault(key, []).append(tw * scale)
        cpu.setdefault(key, []).append(tc * scale)
        return res

    naive_scale = n_draws / args.naive
    for r in range(args.repeats):
        res = record("batched", lambda: u.simulate(ens, draws=n_draws, seed=seed))
        record("lean", lambda: lean_run(ens, seed, n_draws, chunk))
        record("direct", lambda: u.simulate(ens, draws=n_draws, seed=seed, method="direct"))
        record("fixed", lambda: u.simulate(fixed, draws=n_draws, seed=seed))
        record(
            "naive",
            lambda r=r: naive_totals(ens, range(args.naive), seed=r, two_inverses=True),
            naive_scale,
        )
    stats = res.stats
    if not args.synthetic and "korea" in what:
        record("run", lambda: ims.run(SCENARIO, draws=n_draws))
    one_thread.restore_original_limits()

    dask_rows: list[tuple[str, float, float]] = []
    if not args.no_dask:
        dask_rows = _dask_times(ens, n_draws, seed, args.repeats, res.totals)

    mw = {k: statistics.median(v) for k, v in wall.items()}
    mc = {k: statistics.median(v) for k, v in cpu.items()}
    print(
        f"\nsolver: up to {stats.sweeps} refinement sweeps per block, "
        f"{stats.fallback} of {stats.draws} draws fell back to direct solves\n"
    )
    print(
        f"{'workload (one BLAS thread)':60s} {'wall s':>7s} {'× batched':>9s} "
        f"{'CPU s':>7s} {'× batched':>9s}"
    )
    rows = [
        ("batched, refinement from L0 (impactsim default)", "batched"),
        ("lean loop: LAPACK lu_factor + lu_solve per draw", "lean"),
        ("batched, stacked LAPACK gesv (method='direct')", "direct"),
        ("batched, coefficients fixed (demand-only draws)", "fixed"),
        ("ims.run(korea.yaml, draws=N) end to end", "run"),
        (f"naive loop, reference only: 2 inverses/draw (×{naive_scale:g})", "naive"),
    ]
    for label, key in rows:
        if key in mw:
            print(
                f"{label:60s} {mw[key]:7.2f} {mw[key] / mw['batched']:9.2f} "
                f"{mc[key]:7.2f} {mc[key] / mc['batched']:9.2f}"
            )
    for label, t, start in dask_rows:
        print(f"{label:60s} {t:7.2f} {t / mw['batched']:9.2f}   (cluster start {start:.1f} s)")
    ratio_w, ratio_c = mw["lean"] / mw["batched"], mc["lean"] / mc["batched"]
    print(
        f"\nbatched speed-up over the lean LAPACK loop: {ratio_w:.2f}× wall, {ratio_c:.2f}× CPU"
    )
    target = "met" if min(ratio_w, ratio_c) >= 3.0 else "NOT met"
    print(f"target (≥ 3× the lean LAPACK loop on one thread): {target}")
    return 0


def _naive_same_inputs(ens: u.Ensemble, seed: int, draws: range) -> np.ndarray:
    """Explicit inverses on exactly the batched run's inputs (for the correctness check)."""
    assert ens.perturbation is not None and ens.caps is not None
    n = ens.n
    out = []
    for s in draws:
        values = {p.name: p.sample(seed, s, s + 1) for p in ens.parameters}
        y = ens.demand.build(values, 1)[0]
        a_s = ens.a + ens.perturbation.deltas(ens.a, seed, s, s + 1, ens.caps)[0]
        rows = measure_rows(ens, seed, s, s + 1)
        c = ens.measure_coefficients if rows is None else rows[0]
        x = y @ np.linalg.inv(np.eye(n) - a_s).T
        layers = [c @ y.T, c @ (x - y).T]
        if ens.closure:
            hr, hc, hs = ens.closure
            g = values[ens.closure_scale][0] if ens.closure_scale else 1.0
            closed = linalg.close_matrix(a_s, hr, g * hc, hs)
            xb = np.hstack([y, np.zeros((y.shape[0], 1))]) @ np.linalg.inv(np.eye(n + 1) - closed).T
            layers.append(c @ (xb[:, :n] - x).T)
        tot = np.stack(layers).transpose(2, 0, 1)
        f = ens._scale(values, 1)
        if f is not None:
            tot = tot * f[0]
        over = ens._overrides(values, 1)
        for col, measure, value, part in over or ():
            k = ens.measures.index(measure)
            own = (c[k] * part[0]).sum() * (1.0 if f is None else f[0, k])
            tot[col, 0, k] += value[0] - own
        out.append(tot)
    return np.asarray(out)


def _dask_times(
    ens: u.Ensemble, n_draws: int, seed: int, repeats: int, reference: np.ndarray
) -> list[tuple[str, float, float]]:
    try:
        import distributed  # noqa: F401

        from impactsim.uncertainty.executors import DaskExecutor
    except ImportError:
        print("dask.distributed not installed: dask rows skipped (pip install impactsim[dask])")
        return []
    rows = []
    for workers in (1, 2):
        start, _, ex = timed(lambda w=workers: DaskExecutor(n_workers=w, threads_per_worker=1))
        with ex:
            t0 = time.perf_counter()
            u.simulate(ens, draws=64, seed=seed, executor=ex)  # starts the cluster, ships data
            start += time.perf_counter() - t0
            ts = []
            for _ in range(repeats):
                t, _, res = timed(
                    lambda ex=ex: u.simulate(ens, draws=n_draws, seed=seed, executor=ex)
                )
                ts.append(t)
            same = np.array_equal(res.totals, reference)
        rows.append(
            (
                f"dask LocalCluster, {workers} worker process(es) (= in-process: {same})",
                statistics.median(ts),
                start,
            )
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
