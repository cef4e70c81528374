"""Cost in the number of claims and investments (target: linear; docs/security.md).

Builds scenarios with N claims (one investment) and N investments (compact YAML, no claims) on
the bundled table, runs ``impactsim run FILE -q`` in a fresh process for each N and prints the
wall time, the peak memory (max RSS of the child) and the ratio to the smallest N beside the
ratio of N itself: linear cost keeps the two ratios close (the fixed start-up cost makes the
time ratio smaller).

    python benchmarks/scaling.py [--claims 300 1000 3000] [--investments 1000 3000 9000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAD = ["name: big", "title: scaling benchmark", "table: korea-2020", "currency: KRW",
        "price_year: 2020", "investments:"]
INVESTMENT = ("- {{name: s{i}, investor: T, construction: {{amount: 1e9, period: [2026, 2027], "
              "pattern: ai-data-centre-capex}}}}")
CLAIM = ("- {{id: c{i}, text: jobs, measure: employment, phase: construction, value: {v}, "
         "unit: jobs, source: press}}")


def scenario(n_investments: int, n_claims: int) -> str:
    lines = [*HEAD, *(INVESTMENT.format(i=i) for i in range(n_investments))]
    if n_claims:
        lines += ["claims:", *(CLAIM.format(i=i, v=1000 + i) for i in range(n_claims))]
    return "\n".join(lines) + "\n"


def measure(text: str, folder: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of ``impactsim run FILE -q`` in a fresh process."""
    path = folder / "s.yaml"
    path.write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MPLBACKEND="Agg")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "impactsim", "run", str(path), "-q"], check=True,
                   env=env)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def series(label: str, sizes: list[int], make: object) -> None:
    print(f"\n{label:>14} {'seconds':>9} {'peak MiB':>9} {'N ratio':>8} {'time ratio':>11}")
    base: float | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            seconds, mib = measure(make(n), Path(tmp))  # type: ignore[operator]
            base = base or seconds
            print(f"{n:>14,} {seconds:>9.1f} {mib:>9.0f} {n / sizes[0]:>8.1f} "
                  f"{seconds / base:>11.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, nargs="+", default=[300, 1000, 3000])
    ap.add_argument("--investments", type=int, nargs="+", default=[1000, 3000, 9000])
    args = ap.parse_args()
    series("claims", args.claims, lambda n: scenario(1, n))
    series("investments", args.investments, lambda n: scenario(n, 0))


if __name__ == "__main__":
    main()
