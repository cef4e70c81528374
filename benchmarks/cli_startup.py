"""Cold start of the ``impactsim`` command, as ratios to the floor of its own imports.

The floor is ``python -c "import numpy, scipy.linalg, pandas"``: what any command that computes
something must import (with one BLAS thread, as the command sets it unless the user chose).
Each command is a fresh interpreter (nothing cached in memory; the OS file cache is warm after
one untimed run of each). All commands — and, with ``--checkout``, the
same commands on other checkouts of the code (e.g. the code before a change) — run interleaved,
repeat by repeat, so a busy machine slows them alike; the table gives median wall and CPU
(user + sys of the child) seconds and both as ratios to the floor's, and, against each target,
also the median of the ratios taken repeat by repeat (a machine whose speed drifts between
repeats moves a command and its floor together). On a machine shared with
other jobs the wall ratios mostly measure the scheduler; the CPU ratios measure the command's
own work (including any BLAS threads spinning). Targets:

* ``impactsim run scenarios/korea.yaml`` (its own 1,000 draws) ≤ 2.0× the floor (also shown
  with the draws on one worker thread, ``IMPACTSIM_WORKERS=1``: the default threads trade CPU
  time for wall time);
* ``impactsim run scenarios/korea.yaml --draws 0`` ≤ 1.5×;
* ``impactsim validate scenarios/korea.yaml`` and ``impactsim draft`` on a short text ≤ 1.3×;
* a province run (``scenarios/korea-provinces.yaml``) ≤ 1.3× the national run.

    python benchmarks/cli_startup.py [--repeat 7] [--checkout before=/path/to/other/checkout]
    python benchmarks/cli_startup.py --repeat 3 --checkout before=fb5dd92  # a git revision

Python caches compiled modules (``__pycache__``) as it does by default, so each command runs as
it would for a user after its first run (an installed package ships them compiled): the
untimed warm-up run writes them. An inherited ``PYTHONDONTWRITEBYTECODE=1`` (common in
containers) would make every timed run compile the whole package again, about 0.2 s of CPU
that no user pays; ``--no-bytecode-cache`` measures that condition instead.

The user's cache folder (``XDG_CACHE_HOME``) is a temporary folder of each checkout's own: the
untimed warm-up run fills it (the bundled table in its binary form, the world gazetteer of
``draft``), as a user's first run does; ``--cold-cache`` gives every timed run an empty one
instead (a user's very first run, which also writes the cache).

Afterwards it lists which optional modules (matplotlib, rich.progress, pyarrow, openpyxl, dask)
a plain run imports (none should be), and which heavy modules ``validate`` and ``draft`` import.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAZY = ("matplotlib", "rich.progress", "pyarrow", "openpyxl", "dask", "distributed")
SHORT_TEXT = (
    "SEOUL, 29 October 2025 — Amazon Web Services will invest 5 billion dollars in new AI data "
    "centres in Ulsan by 2031, the company said on Wednesday.\n"
)
FLOOR = "floor: python -c 'import numpy, scipy.linalg, pandas'"


def cases(article: Path) -> dict[str, list[str]]:
    """Label → arguments after ``python`` (``-m impactsim …`` runs the checkout's own code)."""
    cli = ["-m", "impactsim"]
    return {
        FLOOR: ["-c", "import numpy, scipy.linalg, pandas"],
        "run scenarios/korea.yaml (1,000 draws)": [*cli, "run", "scenarios/korea.yaml"],
        ONE_THREAD: [*cli, "run", "scenarios/korea.yaml"],
        "run scenarios/korea.yaml --draws 0": [*cli, "run", "scenarios/korea.yaml", "--draws", "0"],
        "validate scenarios/korea.yaml": [*cli, "validate", "scenarios/korea.yaml"],
        "draft (a 150-character text)": [*cli, "draft", str(article)],
        "run scenarios/korea-provinces.yaml": [*cli, "run", "scenarios/korea-provinces.yaml"],
    }


#: The default run with its draws on one worker thread (``IMPACTSIM_WORKERS=1``): the threads
#: trade CPU time for wall time, and this row shows the work itself.
ONE_THREAD = "  the same, draws on one thread"
#: Environment a case adds to its runs.
CASE_ENV = {ONE_THREAD: {"IMPACTSIM_WORKERS": "1"}}

TARGETS = {  # label → (what it is compared with, highest ratio)
    "run scenarios/korea.yaml (1,000 draws)": (FLOOR, 2.0),
    ONE_THREAD: (FLOOR, 2.0),
    "run scenarios/korea.yaml --draws 0": (FLOOR, 1.5),
    "validate scenarios/korea.yaml": (FLOOR, 1.3),
    "draft (a 150-character text)": (FLOOR, 1.3),
    "run scenarios/korea-provinces.yaml": ("run scenarios/korea.yaml (1,000 draws)", 1.3),
}


#: Whether the child processes may write and read ``__pycache__`` (``--no-bytecode-cache``).
BYTECODE_CACHE = {"on": True}
#: Each checkout's user cache folder (``XDG_CACHE_HOME``); with ``--cold-cache`` a fresh empty
#: folder for every run.
CACHE_HOMES: dict[Path, Path] = {}
COLD_CACHE = {"on": False}
#: The benchmark's temporary folder, where the cache folders are made (removed at the end).
TEMP: list[Path] = []


def cache_home(checkout: Path) -> Path:
    if checkout not in CACHE_HOMES or COLD_CACHE["on"]:
        CACHE_HOMES[checkout] = Path(tempfile.mkdtemp(prefix="cache-", dir=TEMP[0]))
    return CACHE_HOMES[checkout]


def env_for(checkout: Path) -> dict[str, str]:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(checkout / "src"),
               XDG_CACHE_HOME=str(cache_home(checkout)))
    if BYTECODE_CACHE["on"]:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


#: BLAS threads as the command sets them (docs/security.md): the floor imports numpy with the
#: same one thread, so that idle BLAS threads starting up do not inflate its CPU time.
THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
           "VECLIB_MAXIMUM_THREADS")


def floor_env(env: dict[str, str]) -> dict[str, str]:
    if not any(env.get(v) for v in THREADS):
        env = dict(env, OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def once(args: list[str], checkout: Path, extra: dict[str, str] | None = None
         ) -> tuple[float, float]:
    """Wall and CPU (user + sys of the child) seconds of one fresh run (``extra``: environment
    variables added)."""
    env = dict(env_for(checkout), **(extra or {}))
    if args[0] == "-c":  # the floor
        env = floor_env(env)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, *args], cwd=checkout, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} in {checkout} failed ({proc.returncode}): "
                         f"{proc.stderr[-500:]}")
    return took, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def paired(times: dict[tuple[str, str], list[float]], key: tuple[str, str],
           ref: tuple[str, str]) -> float:
    """Median over the repeats of each repeat's ratio ``key / ref``: the two ran a few seconds
    apart in every repeat, so a machine that speeds up or slows down between repeats moves both
    (the ratio of the medians can pair a fast floor with a slow command)."""
    return statistics.median(a / b for a, b in zip(times[key], times[ref], strict=True))


def export_revision(rev: str, dest: Path) -> Path:
    """The files of git revision ``rev`` of this repository, written to ``dest``."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        raise SystemExit(f"--checkout {rev}: neither a folder nor a git revision "
                         f"({archive.stderr.decode(errors='replace').strip()[:200]})")
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def imported(args: list[str], checkout: Path) -> set[str]:
    """Names of all modules ``python args`` imports."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=checkout,
                          env=env_for(checkout), capture_output=True, text=True, check=False)
    return {m.group(1) for line in proc.stderr.splitlines()
            if (m := re.match(r"import time:\s+\d+ \|\s+\d+ \|\s*(\S+)", line))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--checkout", action="append", default=[], metavar="LABEL=PATH|REV",
                    help="also time another checkout of impactsim (its src/ and scenarios/): a "
                         "folder, or a git revision of this repository (exported to a "
                         "temporary folder)")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="compile every module in every run (PYTHONDONTWRITEBYTECODE=1), as if "
                         "no __pycache__ could be written")
    ap.add_argument("--cold-cache", action="store_true",
                    help="an empty user cache folder for every run (a user's very first run: "
                         "tables are built and their binary form written)")
    opts = ap.parse_args()
    BYTECODE_CACHE["on"] = not opts.no_bytecode_cache
    COLD_CACHE["on"] = opts.cold_cache
    checkouts = {"this": ROOT}
    with tempfile.TemporaryDirectory() as tmp:
        TEMP.append(Path(tmp))
        for item in opts.checkout:
            label, _, where = item.partition("=")
            checkouts[label] = (Path(where).resolve() if Path(where).is_dir()
                                else export_revision(where, Path(tmp) / f"checkout-{label}"))
        article = Path(tmp) / "article.txt"
        article.write_text(SHORT_TEXT, encoding="utf-8")
        todo = cases(article)
        print(f"cores: {os.cpu_count()}, repeats: {opts.repeat}, bytecode cache: "
              f"{'on' if BYTECODE_CACHE['on'] else 'off'}, user cache folder: "
              f"{'empty in every run' if COLD_CACHE['on'] else 'filled by the warm-up run'}, "
              "load average at start: "
              f"{', '.join(f'{v:.2f}' for v in os.getloadavg())}; checkouts: "
              + ", ".join(f"{k} = {v}" for k, v in checkouts.items()))
        walls: dict[tuple[str, str], list[float]] = {}
        cpus: dict[tuple[str, str], list[float]] = {}
        for label, args in todo.items():  # warm the OS file cache
            for name, path in checkouts.items():
                if label != FLOOR or name == "this":
                    once(args, path, CASE_ENV.get(label))
        for _ in range(opts.repeat):
            for label, args in todo.items():
                for name, path in checkouts.items():
                    if label == FLOOR and name != "this":
                        continue
                    w, c = once(args, path, CASE_ENV.get(label))
                    walls.setdefault((label, name), []).append(w)
                    cpus.setdefault((label, name), []).append(c)
        print(f"load average at end: {', '.join(f'{v:.2f}' for v in os.getloadavg())}\n")
        med = {k: statistics.median(v) for k, v in walls.items()}
        mcpu = {k: statistics.median(v) for k, v in cpus.items()}
        print(f"{'command':<42} {'code':<6} {'wall s':>7} {'× floor':>8} {'CPU s':>7} "
              f"{'× floor':>8}   target (ratio of wall / ratio of CPU)")
        for label in todo:
            for name in checkouts:
                key = (label, name)
                if key not in med:
                    continue
                target = ""
                if label in TARGETS:
                    ref, limit = TARGETS[label]
                    rkey = (ref, name if ref != FLOOR else "this")
                    rw, rc = med[key] / med[rkey], mcpu[key] / mcpu[rkey]
                    what = "floor" if ref == FLOOR else "national"
                    verdict = ("met" if max(rw, rc) <= limit else
                               "met on CPU" if rc <= limit else
                               "met on wall" if rw <= limit else "NOT met")
                    pw, pc = paired(walls, key, rkey), paired(cpus, key, rkey)
                    target = (f"{rw:.2f} / {rc:.2f} × {what} ≤ {limit}: {verdict}; "
                              f"per repeat {pw:.2f} / {pc:.2f}")
                fw = med[key] / med[(FLOOR, "this")]
                fc = mcpu[key] / mcpu[(FLOOR, "this")]
                print(f"{label:<42} {name:<6} {med[key]:>7.3f} {fw:>8.2f} {mcpu[key]:>7.3f} "
                      f"{fc:>8.2f}   {target}")
        here = todo["run scenarios/korea.yaml (1,000 draws)"]
        names = imported(here, ROOT) - imported(["-c", "import pandas"], ROOT)
        loaded = sorted(m for m in LAZY if m in names)
        print("\noptional modules imported by a plain run (beyond pandas' own): "
              + (", ".join(loaded) if loaded else "none"))
        for label in ("validate scenarios/korea.yaml", "draft (a 150-character text)"):
            names = imported(todo[label], ROOT)
            heavy = [m for m in ("numpy", "pandas", "pyarrow", "scipy.linalg") if m in names]
            none = "none of numpy, pandas, pyarrow, scipy.linalg"
            print(f"{label}: imports {', '.join(heavy) if heavy else none}")


if __name__ == "__main__":
    main()
