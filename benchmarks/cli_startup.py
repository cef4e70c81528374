"""Cold-start time of the ``impactsim`` command (target: ``impactsim run scenarios/korea.yaml``
under 2 s on a two-core machine), and a check that optional heavy modules stay unimported.

Each timing is a fresh subprocess (a new interpreter: nothing cached in memory; the OS file cache
is warm after the first run, as on any machine that has run the command once). Prints the
median, min and max wall time of ``--repeat`` runs per command, the import-time leaders of the
run command (``python -X importtime``) and which of matplotlib, rich.progress, pyarrow, openpyxl,
dask were imported by a plain run (they must not be).

    python benchmarks/cli_startup.py [--repeat 7] [--scenario scenarios/korea.yaml]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAZY = ("matplotlib", "rich.progress", "pyarrow", "openpyxl", "dask", "distributed")


def command() -> list[str]:
    beside = Path(sys.executable).with_name("impactsim")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("impactsim")
    return [found] if found else [sys.executable, "-m", "impactsim"]


def wall(args: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (user + sys of the child) of ``repeat`` fresh runs."""
    env = dict(os.environ, MPLBACKEND="Agg")
    times, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, check=False)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return times, cpu


def import_profile(*args: str) -> tuple[list[tuple[float, str]], set[str]]:
    """(top cumulative import times in s, names of all imported modules) for ``python args``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        cwd=ROOT, env=dict(os.environ, MPLBACKEND="Agg"), capture_output=True, text=True,
        check=False,
    )
    rows = []
    names = set()
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            names.add(m.group(4))
            if len(m.group(3)) <= 3:  # top-level imports only
                rows.append((int(m.group(2)) / 1e6, m.group(4)))
    return sorted(rows, reverse=True)[:8], names


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--scenario", default="scenarios/korea.yaml")
    opts = ap.parse_args()
    cmd = command()
    cases = {
        f"impactsim run {opts.scenario}": [*cmd, "run", opts.scenario],
        f"impactsim run {opts.scenario} --draws 0": [*cmd, "run", opts.scenario, "--draws", "0"],
        "impactsim --help": [*cmd, "--help"],
        "python -c 'import impactsim'": [sys.executable, "-c", "import impactsim"],
        "python -c 'pass' (interpreter)": [sys.executable, "-c", "pass"],
    }
    print(f"cores: {os.cpu_count()}, repeats: {opts.repeat}, load average: "
          f"{', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"{'command':<50} {'median s':>9} {'min s':>7} {'max s':>7} {'median CPU s':>13}")
    medians = {}
    for label, args in cases.items():
        wall(args, 1)  # warm the OS file cache once
        t, cpu = wall(args, opts.repeat)
        medians[label] = statistics.median(t)
        print(f"{label:<50} {medians[label]:>9.3f} {min(t):>7.3f} {max(t):>7.3f} "
              f"{statistics.median(cpu):>13.3f}")
    main_label = f"impactsim run {opts.scenario}"
    target = 2.0
    verdict = "meets" if medians[main_label] < target else "MISSES"
    print(f"\n{main_label}: median {medians[main_label]:.3f} s, {verdict} the {target:.0f} s "
          f"target (ratio {medians[main_label] / target:.2f})")
    top, names = import_profile("-m", "impactsim", "run", opts.scenario, "-q")
    print("\nslowest top-level imports of a run (cumulative, s):")
    for secs, name in top:
        print(f"  {secs:7.3f}  {name}")
    _, by_pandas = import_profile("-c", "import pandas")
    loaded = sorted(m for m in LAZY if m in names and m not in by_pandas)
    via_pandas = sorted(m for m in LAZY if m in by_pandas)
    print("\noptional modules imported by a plain run: "
          + (", ".join(loaded) if loaded else "none (matplotlib, rich.progress, pyarrow, "
             "openpyxl, dask are imported only when used)"))
    if via_pandas:
        print(f"imported by pandas itself whenever installed (not avoidable here): "
              f"{', '.join(via_pandas)}")


if __name__ == "__main__":
    main()
