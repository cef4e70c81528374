"""Engine benchmark: impactsim vs scipy LU, the explicit inverse, and pymrio.

Run as ``python benchmarks/engine.py`` (about 2 minutes on 2 cores; ``--quick`` for n=165 only).

For synthetic productive dense tables with n in {165, 1000, 3000} it times, as the median of
several repeats in the same process:

* **impactsim**: ``LeontiefModel(table)`` built from an existing ``IOTable``, then every multiplier
  (Type I and Type II, total and ratio form, all measures) and one ``impact(..., induced=True)``
  with its ``summary()``. Also the Type I subset (for the pymrio comparison).
* **scipy LU** (the anchor, "1.00"): ``scipy.linalg.lu_factor(I − A)`` + ``lu_solve`` for one
  right-hand side, on the same matrix, ``I − A`` already formed.
* **inverse**: the explicit-inverse approach peers use: ``np.linalg.inv(I − A)`` + one product
  (same work as the anchor), and the full Type I + II work done with two inverses.
* **pymrio** (if installed): ``IOSystem(Z, Y, factor_inputs).calc_all()`` + one impact ``L y``.
  pymrio has no Type II, so its work is Type I only.

Peak memory is measured with ``tracemalloc`` (numpy reports its buffers to it) in a separate,
untimed pass, and is shown in units of one n × n float64 array (8n² bytes). The table itself is
built before tracing starts.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.linalg as sla

import impactsim as ims

SIZES = (165, 1000, 3000)
#: Rounds per size; each round runs every workload once, interleaved, so that drift in machine
#: speed (shared VMs) hits all of them alike. Slow workloads (inverse, pymrio) stop earlier.
REPEATS = {165: 41, 1000: 15, 3000: 7}
SLOW_REPEATS = {165: 15, 1000: 7, 3000: 3}


# ------------------------------------------------------------------------------ synthetic data
def synthetic_table(n: int, *, seed: int = 0) -> ims.IOTable:
    """A dense, balanced, productive table with imports, compensation and employment.

    Output ``x_j ~ U(1, 2)`` (×1000), coefficients ``a_ij ~ U(0, 1) / n`` (column sums ≈ 0.5,
    so ρ(A) < 1), imported inputs 10 % of output, value added the column residual (half of it
    compensation), final demand the row residual (40 % households, 60 % exports).
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 2.0, n) * 1000.0
    a = rng.uniform(0.0, 1.0, (n, n)) / n
    z = a * x[np.newaxis, :]
    y = x - z.sum(axis=1)
    if (y <= 0).any():
        raise RuntimeError("synthetic table is not balanced with positive final demand")
    imports = 0.1 * x
    va = x - z.sum(axis=0) - imports
    if (va <= 0).any():
        raise RuntimeError("synthetic table has non-positive value added")
    return ims.IOTable.from_arrays(
        z,
        np.column_stack([0.4 * y, 0.6 * y]),
        np.vstack([0.5 * va, 0.5 * va]),
        sectors=[f"S{i:04d}" for i in range(n)],
        final_demand_categories=["households", "exports"],
        value_added_components=["compensation", "operating_surplus"],
        imports=imports,
        employment=x * rng.uniform(0.5, 2.0, n) * 1e-2,
        output=x,
        name=f"synthetic-{n}",
        currency="EUR",
        unit=1e6,
    )


# ------------------------------------------------------------------------------ the workloads
def work_engine(table: ims.IOTable, shock: str) -> Any:
    """Build the model, every multiplier (Type I and II, total and ratio) and one impact."""
    m = ims.LeontiefModel(table)
    m.multipliers()
    m.multipliers(form="ratio")
    m.multipliers(induced=True)
    m.multipliers(induced=True, form="ratio")
    imp = m.impact({shock: 100.0}, induced=True)
    imp.summary()
    return imp


def work_engine_type1(table: ims.IOTable, shock: str) -> Any:
    """Type I only: model, multipliers (total and ratio) and one open-model impact."""
    m = ims.LeontiefModel(table)
    m.multipliers()
    m.multipliers(form="ratio")
    imp = m.impact({shock: 100.0})
    imp.summary()
    return imp


def work_scipy(i_minus_a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The anchor: one LU factorization and one solve."""
    lu = sla.lu_factor(i_minus_a, check_finite=False)
    return sla.lu_solve(lu, y, check_finite=False)


def work_inverse_anchor(i_minus_a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The anchor's work with an explicit inverse: L = inv(I − A), then L y."""
    return np.linalg.inv(i_minus_a) @ y


def _coefficient_rows(table: ims.IOTable) -> np.ndarray:
    x = table.x
    rows = [
        np.ones(table.n),
        table.va.sum(axis=0) / x,
        table.compensation / x,
        table.import_row / x,
        table.sats["employment"] / x,
    ]
    return np.vstack(rows)


def work_inverse_full(table: ims.IOTable, y: np.ndarray) -> tuple[np.ndarray, ...]:
    """The engine's work done the way peers do it: two explicit inverses (open and closed)."""
    n = table.n
    x = table.x
    a = table.z_domestic / x
    big_l = np.linalg.inv(np.eye(n) - a)
    c = _coefficient_rows(table)
    m1 = c @ big_l
    comp = table.compensation
    hr = comp / x
    hc = table.y_domestic[:, 0] / comp.sum()
    closed = np.zeros((n + 1, n + 1))
    closed[:n, :n] = a
    closed[:n, n] = hc
    closed[n, :n] = hr
    big_lc = np.linalg.inv(np.eye(n + 1) - closed)
    m2 = c @ big_lc[:n, :n]
    x1 = big_l @ y
    x2 = big_lc[:n, :n] @ y
    return m1, m2, m1 / c, m2 / c, x1, x2


def make_pymrio_work(table: ims.IOTable) -> Callable[[np.ndarray], Any] | None:
    """pymrio's calc_all on the same table (single region), or None if pymrio is missing."""
    try:
        import pandas as pd
        import pymrio
    except ImportError:
        return None
    sectors = pd.MultiIndex.from_product([["R"], list(table.sectors)], names=["region", "sector"])
    cats = pd.MultiIndex.from_product(
        [["R"], list(table.final_demand_categories)], names=["region", "category"]
    )
    z = pd.DataFrame(table.z_domestic, index=sectors, columns=sectors)
    y_frame = pd.DataFrame(table.y_domestic, index=sectors, columns=cats)
    x = table.x
    f = pd.DataFrame(
        _coefficient_rows(table)[1:] * x,
        index=pd.Index(["value_added", "income", "imports", "employment"], name="stressor"),
        columns=sectors,
    )

    def work(y: np.ndarray) -> Any:
        io = pymrio.IOSystem(
            Z=z.copy(), Y=y_frame.copy(), factor_inputs={"name": "factor_inputs", "F": f.copy()}
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            io.calc_all()
        return io.L.to_numpy() @ y

    return work


# ------------------------------------------------------------------------------ measurement
def median_times(
    works: dict[str, Callable[[], Any]], repeats: int, slow: set[str], slow_repeats: int
) -> dict[str, float]:
    """Median wall time of each workload over interleaved rounds (after one warm-up each)."""
    for fn in works.values():
        fn()  # warm-up (imports, BLAS threads, caches)
    times: dict[str, list[float]] = {k: [] for k in works}
    for r in range(repeats):
        for name, fn in works.items():
            if name in slow and r >= slow_repeats:
                continue
            gc.collect()
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def peak_memory(fn: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench(n: int) -> dict[str, Any]:
    table = synthetic_table(n)
    shock = str(table.sectors[n // 2])
    y = np.zeros(n)
    y[n // 2] = 100.0
    i_minus_a = np.eye(n) - table.z_domestic / table.x
    row: dict[str, Any] = {"n": n}
    t0 = time.perf_counter()
    synthetic_table(n)
    row["table_s"] = time.perf_counter() - t0
    pym = make_pymrio_work(table)
    works: dict[str, Callable[[], Any]] = {
        "scipy_s": lambda: work_scipy(i_minus_a, y),
        "engine_s": lambda: work_engine(table, shock),
        "engine1_s": lambda: work_engine_type1(table, shock),
        "inv_anchor_s": lambda: work_inverse_anchor(i_minus_a, y),
        "inv_full_s": lambda: work_inverse_full(table, y),
    }
    if pym is not None:
        works["pymrio_s"] = lambda: pym(y)
    slow = {"inv_anchor_s", "inv_full_s", "pymrio_s"}
    row.update(median_times(works, REPEATS[n], slow, SLOW_REPEATS[n]))
    row.setdefault("pymrio_s", None)

    nn = 8.0 * n * n
    row["engine_mem"] = peak_memory(lambda: work_engine(table, shock)) / nn
    row["scipy_mem"] = peak_memory(lambda: work_scipy(i_minus_a, y)) / nn
    row["inv_full_mem"] = peak_memory(lambda: work_inverse_full(table, y)) / nn
    row["pymrio_mem"] = peak_memory(lambda: pym(y)) / nn if pym else None

    # Correctness cross-check (not timed): the engine agrees with the explicit inverse.
    imp = work_engine(table, shock)
    m1, m2, *_, x2 = work_inverse_full(table, y)
    model = ims.LeontiefModel(table)
    err = max(
        float(np.abs(model.multiplier_matrix() - m1).max()),
        float(np.abs(model.multiplier_matrix(induced=True) - m2).max()),
        abs(float(imp.summary().loc["total", "output"]) - float(x2.sum())),
    )
    row["max_abs_diff"] = err
    return row


def _fmt_s(v: float | None) -> str:
    if v is None:
        return "n/a"
    return f"{v * 1e3:9.1f} ms" if v < 10 else f"{v:9.2f} s "


def report(rows: list[dict[str, Any]]) -> None:
    print()
    print("Timings: medians over repeats, same process; ratios are time / scipy LU anchor.")
    head = (
        f"{'n':>5} | {'scipy LU':>12} | {'impactsim I+II':>14} {'ratio':>6} | "
        f"{'impactsim I':>12} | {'inv (anchor)':>12} {'ratio':>6} | {'inv I+II':>12} "
        f"{'ratio':>6} | {'pymrio':>12} {'pymrio/ims':>10} {'pymrio/ims I':>12}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        s = r["scipy_s"]
        pym = r["pymrio_s"]
        speed = f"{pym / r['engine_s']:9.1f}x" if pym else "       n/a"
        speed1 = f"{pym / r['engine1_s']:11.1f}x" if pym else "         n/a"
        print(
            f"{r['n']:>5} | {_fmt_s(s):>12} | {_fmt_s(r['engine_s']):>14} "
            f"{r['engine_s'] / s:6.2f} | {_fmt_s(r['engine1_s']):>12} | "
            f"{_fmt_s(r['inv_anchor_s']):>12} {r['inv_anchor_s'] / s:6.2f} | "
            f"{_fmt_s(r['inv_full_s']):>12} {r['inv_full_s'] / s:6.2f} | "
            f"{_fmt_s(pym):>12} {speed} {speed1}"
        )
    print()
    print("Peak traced memory, in n×n float64 arrays (8n² bytes); the table exists beforehand.")
    head = f"{'n':>5} | {'scipy LU':>9} | {'impactsim I+II':>14} | {'inv I+II':>9} | {'pymrio':>9}"
    print(head)
    print("-" * len(head))
    for r in rows:
        pm = f"{r['pymrio_mem']:9.2f}" if r["pymrio_mem"] is not None else "      n/a"
        print(
            f"{r['n']:>5} | {r['scipy_mem']:9.2f} | {r['engine_mem']:14.2f} | "
            f"{r['inv_full_mem']:9.2f} | {pm}"
        )
    print()
    for r in rows:
        print(
            f"n={r['n']}: building the IOTable (validation incl.) {_fmt_s(r['table_s']).strip()}; "
            f"max |impactsim − explicit inverse| = {r['max_abs_diff']:.2e}"
        )
    print()
    big = {r["n"]: r for r in rows}
    if 3000 in big:
        r = big[3000]
        ratio = r["engine_s"] / r["scipy_s"]
        print(f"target n=3000: impactsim / scipy LU <= 1.3  -> {ratio:.2f}")
        if r["pymrio_s"]:
            speed = r["pymrio_s"] / r["engine_s"]
            print(f"target n=3000: pymrio / impactsim >= 2.5    -> {speed:.1f}")
    if 165 in big and big[165]["pymrio_s"]:
        speed = big[165]["pymrio_s"] / big[165]["engine_s"]
        print(f"target n=165:  pymrio / impactsim >= 10     -> {speed:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only n=165")
    parser.add_argument("--sizes", type=int, nargs="*", default=None, help="override sizes")
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="re-run with OPENBLAS_NUM_THREADS / OMP_NUM_THREADS set (all contenders alike)",
    )
    args = parser.parse_args()
    if args.blas_threads and os.environ.get("OPENBLAS_NUM_THREADS") != str(args.blas_threads):
        env = dict(os.environ)
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(args.blas_threads)
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    sizes = [165] if args.quick else (args.sizes or list(SIZES))
    for n in sizes:
        REPEATS.setdefault(n, 7)
        SLOW_REPEATS.setdefault(n, 3)
    import platform

    import scipy

    print(
        f"impactsim {ims.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"python {platform.python_version()}, {platform.machine()}"
    )
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "library default")
    print(
        f"cpus: {os.cpu_count()}, BLAS threads: {threads}, "
        f"load average at start: {os.getloadavg()[0]:.2f}"
    )
    rows = []
    for n in sizes:
        t0 = time.perf_counter()
        rows.append(bench(n))
        print(f"  n={n} done in {time.perf_counter() - t0:.1f} s", flush=True)
    report(rows)
    print(
        f"load average at end: {os.getloadavg()[0]:.2f} (other processes on the machine add "
        "noise; workloads are interleaved so that it hits all of them alike)"
    )


if __name__ == "__main__":
    main()
