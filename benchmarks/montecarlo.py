"""Monte Carlo benchmark: 10,000 draws of scenarios/korea.yaml with the table perturbed.

Run as ``python benchmarks/montecarlo.py`` (about 2–3 minutes on 2 cores; ``--quick`` for a
short smoke run; ``--no-dask`` skips the dask rows). Prints, in one run, medians of interleaved
repeats side by side and the ratio batched / lean loop:

* **batched** (impactsim): ``simulate`` on the scenario's ensemble — every draw perturbs every
  coefficient of the Korea table (±10 % uniform, ``uncertainty.table_coefficients``) and the
  split sectors' technologies, besides the scenario's own ranges. ``method="auto"`` (the
  default) picks the solve by flops: for this table and its 7 right-hand sides per draw, one
  LAPACK LU per draw (``getrf`` + ``getrs``); ``method="iterative"`` (refinement from the base
  inverse) is timed too. Also with the coefficients fixed (demand-only draws: one stacked
  product with ``L0``).
* **lean LAPACK loop** (the reference for the batching claim): the same inputs, demand columns
  and perturbed tables as the batched run (generated per random-stream block of 64 draws, as the
  batched run does), then per draw one ``scipy.linalg.lu_factor`` of ``I − A_s`` and one
  ``lu_solve`` on the draw's right-hand sides (the demand columns, the base-demand columns and
  ``h_c`` for the Type II layer). No inverses, no per-draw sampling in Python. It returns what
  the batched run returns, by the same code: the totals and the sensitivity projections (the
  coefficients-only totals from its own base-demand solutions, the shares-only totals from the
  base inverse); the batched run is timed with its projections read (the shares vectors' are
  made on first read). A second pair of rows times both without the shares' projections
  (the batched run as ``impactsim run`` runs it when nothing asks for a sensitivity analysis;
  the lean loop with totals only). Its totals and projections are compared with the batched
  ones.
* **per-draw parts**: on the first 64-draw block, CPU time per draw of drawing and capping the
  coefficients, the lean loop's LU + solve, ``method="direct"`` and ``method="iterative"``.
* **naive loop** (kept for reference only, clearly not the bar): per draw, sample the inputs in
  Python, perturb A, ``np.linalg.inv(I − A_s)`` and ``np.linalg.inv(I − Ā_s)``; timed on a
  subset (``--naive``, default 100) and scaled to N.
* **threads**: the batched run as ``ims.run`` runs it by default, its chunks on worker threads
  (:func:`impactsim.uncertainty.executors.default_workers`; more than one core, so not part of
  the one-core comparison); its draws must equal the one-thread draws bit for bit.
* **ims.run end to end**: ``ims.run(korea.yaml, draws=N)`` including loading, translation and
  the deterministic run (default threads).
* **dask**: the same batched run on a ``LocalCluster`` with 1 and 2 worker processes (one thread
  each); cluster start-up is reported separately and not included.

Every in-process workload runs with BLAS limited to one thread (``threadpoolctl``) and, but for
the rows that say so, its chunks on one worker thread, so the comparison is one core against
one core. Both wall-clock and CPU (process) time are reported:
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
from impactsim.uncertainty.executors import InProcessExecutor, default_workers
from impactsim.uncertainty.sampling import COEFFICIENTS
from impactsim.uncertainty.solvers import perturbed_solve

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
def lean_chunk(
    ens: u.Ensemble, seed: int, start: int, stop: int, *, projections: bool = True
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Totals (and sensitivity projections) of draws ``start … stop-1``, one LU per draw.

    Inputs, demand and perturbed coefficients are the batched run's own (same random numbers);
    only the solve differs: ``scipy.linalg.lu_factor`` + ``lu_solve`` per draw, no inverse. With
    ``projections`` it also returns what the batched run returns for the sensitivity analysis,
    by the same code: the totals with only the coefficients varied (from the base-demand columns
    of the same solve) and with only each shares vector varied (base inverse, no solve).
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
    x, x0 = sol[:, :p], sol[:, p : 2 * p]
    rows = measure_rows(ens, seed, start, stop)
    dx = dx0 = None
    if ens.closure:
        dx = ens._induced(x, sol[:, -1], ens._closure_g(values))
    totals = ens._totals(y, x, dx, ens._scale(values, b), ens._overrides(values, b), rows)
    proj: dict[str, np.ndarray] = {}
    if projections:
        if ens.closure:
            dx0 = ens._induced(x0, sol[:, -1], ens._closure_g(base))
        proj[COEFFICIENTS] = ens._totals(
            y0, x0, dx0, ens._scale(base, b), ens._overrides(base, b), rows
        )
        for name in ens.group_inputs:
            if name != COEFFICIENTS:
                vals = ens.base_values(b)
                vals[name] = values[name]
                proj[name] = ens.evaluate(vals, b)
    return totals, proj


def lean_run(
    ens: u.Ensemble, seed: int, draws: int, chunk: int, *, projections: bool = True
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    parts = [
        lean_chunk(ens, seed, lo, min(draws, lo + chunk), projections=projections)
        for lo in range(0, draws, chunk)
    ]
    proj = {k: np.concatenate([q[k] for _, q in parts]) for k in parts[0][1]}
    return np.concatenate([t for t, _ in parts]), proj


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
    lean_check, lean_proj = lean_chunk(ens, seed, 0, 64)
    rel_lean = max(
        _rel(lean_check, check.totals),
        *(_rel(lean_proj[k], check.projections[k]) for k in check.projections),
    )
    refined = u.simulate(ens, draws=64, seed=seed, method="iterative")
    rel_ref = _rel(refined.totals, check.totals)
    print(
        f"check: batched vs explicit inverses on the same 8 draws, max relative difference "
        f"{rel:.1e}; vs the lean LU loop on 64 draws (totals and projections) {rel_lean:.1e}; "
        f"refinement vs LU {rel_ref:.1e} ({refined.stats.sweeps} sweeps at most)"
    )
    parts = _per_draw_parts(ens, seed)

    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}

    def record(key: str, fn: Callable[[], Any], scale: float = 1.0) -> Any:
        tw, tc, res = timed(fn)
        wall.setdefault(key, []).append(tw * scale)
        cpu.setdefault(key, []).append(tc * scale)
        return res

    naive_scale = n_draws / args.naive
    one = InProcessExecutor(workers=1)  # one core against one core; threads in their own row
    for r in range(args.repeats):
        res = record("batched", lambda: with_projections(
            u.simulate(ens, draws=n_draws, seed=seed, executor=one)))
        record("lean", lambda: lean_run(ens, seed, n_draws, chunk))
        record("batched-totals", lambda: u.simulate(ens, draws=n_draws, seed=seed, executor=one))
        record("iterative", lambda: with_projections(u.simulate(
            ens, draws=n_draws, seed=seed, method="iterative", executor=one)))
        record("lean-totals", lambda: lean_run(ens, seed, n_draws, chunk, projections=False))
        record("fixed", lambda: u.simulate(fixed, draws=n_draws, seed=seed, executor=one))
        threaded = record("threads", lambda: u.simulate(ens, draws=n_draws, seed=seed))
        record(
            "naive",
            lambda r=r: naive_totals(ens, range(args.naive), seed=r, two_inverses=True),
            naive_scale,
        )
    stats = res.stats
    if not np.array_equal(threaded.totals, res.totals):
        raise SystemExit("the draws on worker threads differ from the draws on one thread")
    if not args.synthetic and "korea" in what:
        record("run", lambda: ims.run(SCENARIO, draws=n_draws))
    one_thread.restore_original_limits()

    dask_rows: list[tuple[str, float, float]] = []
    if not args.no_dask:
        dask_rows = _dask_times(ens, n_draws, seed, args.repeats, res.totals)

    mw = {k: statistics.median(v) for k, v in wall.items()}
    mc = {k: statistics.median(v) for k, v in cpu.items()}
    how = (
        "LU per draw (method='auto' chose 'direct')"
        if stats.sweeps == 0 and stats.fallback == stats.draws
        else f"refinement, up to {stats.sweeps} sweeps, {stats.fallback} draws by LU"
    )
    print(f"\nsolver of the default batched run: {how}")
    print("per draw on one core (median of 64-draw blocks): " + ", ".join(
        f"{k} {v * 1e3:.3f} ms" for k, v in parts.items()))
    print(
        f"\n{'workload (one BLAS thread)':60s} {'wall s':>7s} {'× batched':>9s} "
        f"{'CPU s':>7s} {'× batched':>9s}"
    )
    rows = [
        ("batched, impactsim default (method='auto'), projections read", "batched"),
        ("lean loop: lu_factor + lu_solve per draw, same outputs", "lean"),
        ("batched, refinement from L0 (method='iterative')", "iterative"),
        ("batched, shares' projections not read (not made)", "batched-totals"),
        ("lean loop, totals only (no sensitivity projections)", "lean-totals"),
        ("batched, coefficients fixed (demand-only draws)", "fixed"),
        (f"batched on {default_workers()} worker threads (the default; uses more cores)",
         "threads"),
        ("ims.run(korea.yaml, draws=N) end to end (default threads)", "run"),
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
        f"\nmedians, CPU s: batched {mc['batched']:.2f}, lean loop {mc['lean']:.2f}; "
        f"batched / lean {mc['batched'] / mc['lean']:.2f} (wall {mw['batched'] / mw['lean']:.2f})"
    )
    print(
        f"batched speed-up over the lean LAPACK loop: {ratio_w:.2f}× wall, {ratio_c:.2f}× CPU"
    )
    target = "met" if min(ratio_w, ratio_c) >= 3.0 else "NOT met"
    print(f"target (≥ 3× the lean LAPACK loop on one thread): {target}")
    return 0


def with_projections(draws: u.Draws) -> u.Draws:
    """The draws with every sensitivity projection made (the shares vectors' are made on first
    read): the outputs the lean loop returns."""
    for name in draws.projections:
        draws.projections[name]
    return draws


def _rel(x: np.ndarray, ref: np.ndarray) -> float:
    return float(np.abs(x - ref).max() / np.abs(ref).max())


def _per_draw_parts(ens: u.Ensemble, seed: int, repeats: int = 5) -> dict[str, float]:
    """CPU seconds per draw of the solve's parts, on the first block of 64 draws: drawing and
    capping the coefficients (both loops), one LU + solve of the q right-hand sides (the lean
    loop, and ``method="direct"``), the refinement (``method="iterative"``)."""
    pert, caps = ens.perturbation, ens.caps
    assert pert is not None and caps is not None
    b = u.BLOCK
    deltas = pert.deltas(ens.a, seed, 0, b, caps)
    values = {p.name: p.sample(seed, 0, b) for p in ens.parameters}
    y, y0 = ens.demand.build(values, b), ens.demand.build(ens.base_values(b), b)
    parts = [y, y0] + ([np.broadcast_to(ens.closure[1], (b, 1, ens.n))] if ens.closure else [])
    rhs = np.concatenate(parts, axis=1)
    i_minus_a = np.eye(ens.n) - ens.a

    def lean() -> None:
        for k in range(b):
            lu = scipy.linalg.lu_factor(i_minus_a - deltas[k], overwrite_a=True,
                                        check_finite=False)
            scipy.linalg.lu_solve(lu, rhs[k].T, check_finite=False)

    jobs: dict[str, Callable[[], Any]] = {
        "coefficients drawn": lambda: pert.deltas(ens.a, seed, 0, b, caps),
        f"lu_factor + lu_solve (q = {rhs.shape[1]})": lean,
        "LU per draw (direct)": lambda: perturbed_solve(
            ens.inverse, ens.a, deltas, rhs, method="direct"),
        "refinement (iterative)": lambda: perturbed_solve(
            ens.inverse, ens.a, deltas, rhs, method="iterative"),
    }
    return {
        k: statistics.median(timed(f)[1] for _ in range(repeats)) / b for k, f in jobs.items()
    }


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
