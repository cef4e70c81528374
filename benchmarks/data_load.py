"""Data benchmark: how long loading the bundled default table takes.

Run as ``python benchmarks/data_load.py``. Each measurement runs in a fresh interpreter (so the
``functools.lru_cache`` of :func:`impactsim.load_table` is cold) and prints medians over the runs:

* ``import``: ``import impactsim``;
* ``korea-2020-165``: reading the BOK 165-product table folder (``IOTable.from_dir``);
* ``korea-2020``: the default table (read + the two documented sector splits), the number the
  brief asks to keep under 0.3 s;
* ``cached``: a second ``load_table("korea-2020")`` in the same process (the cache).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

RUNS = 7
CODE = """
import json, time
t0 = time.perf_counter()
import impactsim
t1 = time.perf_counter()
impactsim.load_table("korea-2020-165")
t2 = time.perf_counter()
impactsim.datasets.catalog._load.cache_clear()
t3 = time.perf_counter()
impactsim.load_table("korea-2020")
t4 = time.perf_counter()
impactsim.load_table("korea-2020")
t5 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "korea-2020-165": t2 - t1, "korea-2020": t4 - t3,
                  "cached": t5 - t4}))
"""


def main() -> None:
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", CODE], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(RUNS)
    ]
    print(f"median of {RUNS} fresh interpreters (seconds)")
    for key in runs[0]:
        values = [r[key] for r in runs]
        print(
            print(
                f"  {key:<16} {statistics.median(values):9.4f}   "
                f"(min {min(values):.4f}, max {max(values):.4f})"
            )
        )
    ratio = statistics.median(r["korea-2020"] for r in runs) / 0.3
    print(f"  korea-2020 / 0.3 s budget = {ratio:.2f}")


if __name__ == "__main__":
    main()
