"""In-process draws on several threads: the same numbers as on one thread, errors as on one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _uncertainty_support import random_model, two_phase_ensemble
from impactsim import uncertainty as u
from impactsim.cli.entry import run_main
from impactsim.uncertainty.executors import (
    MAX_DEFAULT_WORKERS,
    WORKERS_VARIABLE,
    ExecutorError,
    InProcessExecutor,
    default_workers,
)

ROOT = Path(__file__).resolve().parents[1]


@settings(max_examples=12, deadline=None)
@given(
    n=st.integers(2, 10),
    table_seed=st.integers(0, 1000),
    seed=st.integers(0, 2**31),
    draws=st.integers(1, 200),
    chunk=st.integers(1, 70),
    workers=st.integers(2, 5),
    perturbed=st.booleans(),
)
def test_threads_give_the_draws_of_one_thread(
    n: int, table_seed: int, seed: int, draws: int, chunk: int, workers: int, perturbed: bool
) -> None:
    pert = u.CoefficientPerturbation.relative(0.15) if perturbed else None
    ens = two_phase_ensemble(random_model(n, table_seed), perturbation=pert)
    one = u.simulate(ens, draws=draws, seed=seed, executor=InProcessExecutor(workers=1))
    many = u.simulate(ens, draws=draws, seed=seed, chunk_size=chunk,
                      executor=InProcessExecutor(workers=workers))
    np.testing.assert_array_equal(one.totals, many.totals)
    assert one.projections.keys() == many.projections.keys()
    for name, values in one.projections.items():
        np.testing.assert_array_equal(values, many.projections[name])
    for name, values in one.samples.items():
        np.testing.assert_array_equal(values, many.samples[name])


def _fail_on(bad: set[int], seen: list[int], *, slow_after: int | None = None) -> Any:
    def fn(payload: Any, item: int) -> int:
        seen.append(item)
        if item in bad:
            raise ValueError(f"item {item}")
        if slow_after is not None and item > slow_after:
            time.sleep(0.005)
        return item * payload

    return fn


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_the_first_failing_item_is_reported_whatever_the_threads(workers: int) -> None:
    for _ in range(20):  # thread timing varies; the reported error must not
        seen: list[int] = []
        with pytest.raises(ValueError, match=r"^item 3$"):
            InProcessExecutor(workers=workers).map(_fail_on({3, 5}, seen, slow_after=5), 10,
                                                   list(range(40)))
        assert 3 in seen
        assert len(seen) < 40  # items not started when the error came are cancelled


def test_results_in_item_order_and_progress_in_the_calling_thread() -> None:
    calls: list[tuple[int, int, str]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total, threading.current_thread().name))

    def uneven(payload: int, item: int) -> int:  # later items often finish first
        time.sleep(0.003 * ((25 - item) % 4))
        return payload * item

    out = InProcessExecutor(workers=3).map(
        uneven, 2, list(range(25)), weights=[i + 1 for i in range(25)], progress=progress,
    )
    assert out == [2 * i for i in range(25)]
    total = sum(range(1, 26))
    assert [c[1] for c in calls] == [total] * 25
    # the calls one thread makes: the running sums of the weights in item order
    assert [c[0] for c in calls] == [sum(range(1, k + 2)) for k in range(25)]
    assert {c[2] for c in calls} == {threading.current_thread().name}
    assert not [t for t in threading.enumerate() if t.name.startswith("impactsim-draws")]


def test_default_workers_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(WORKERS_VARIABLE, raising=False)
    cores = len(os.sched_getaffinity(0))
    assert default_workers() == max(1, min(cores, MAX_DEFAULT_WORKERS))
    monkeypatch.setenv(WORKERS_VARIABLE, "7")
    assert default_workers() == 7
    for bad in ("0", "-1", "two", "1.5", "²", "٣", "257", "99999999999999999999"):
        monkeypatch.setenv(WORKERS_VARIABLE, bad)
        with pytest.raises(ExecutorError, match=rf"{WORKERS_VARIABLE}='{bad}': give a whole"):
            default_workers()
    monkeypatch.setenv(WORKERS_VARIABLE, " 256 ")
    assert default_workers() == 256


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "2", 257])
def test_a_bad_worker_count_is_refused(bad: Any) -> None:
    with pytest.raises(ExecutorError, match=r"workers=.*: give a whole number of threads"):
        InProcessExecutor(workers=bad)


def test_a_bad_worker_variable_is_one_line_and_status_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(WORKERS_VARIABLE, "many")
    rc = run_main(["run", str(ROOT / "scenarios" / "korea.yaml"), "--draws", "20", "-q"])
    err = capsys.readouterr().err.strip()
    assert rc == 2
    assert len(err.splitlines()) == 1
    assert f"{WORKERS_VARIABLE}='many'" in err and "unset it" in err


def test_the_command_defers_full_garbage_collections() -> None:
    """The process entry sets the collector's thresholds before anything else is imported."""
    from impactsim.__main__ import COMMAND_GC_THRESHOLDS

    probe = ("import atexit, gc, sys\n"
             "atexit.register(lambda: print('thresholds', gc.get_threshold(), flush=True))\n"
             "sys.argv = ['impactsim', '--version']\n"
             "from impactsim.__main__ import main\n"
             "main()\n")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=False, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert f"thresholds {COMMAND_GC_THRESHOLDS}" in proc.stdout
    assert COMMAND_GC_THRESHOLDS[:2] == (700, 10)  # young generations as Python's default


def test_threads_share_the_memory_budget() -> None:
    """Chunks running side by side keep together to ``memory``: each thread gets a part."""
    ens = two_phase_ensemble(random_model(6, 3),
                             perturbation=u.CoefficientPerturbation.relative(0.1))
    per_draw = ens.bytes_per_draw()
    budget = 40 * per_draw
    one = u.simulate(ens, draws=90, seed=1, memory=budget, executor=InProcessExecutor(workers=1))
    two = u.simulate(ens, draws=90, seed=1, memory=budget, executor=InProcessExecutor(workers=2))
    assert one.chunk_size == 40 and two.chunk_size == 20
    np.testing.assert_array_equal(one.totals, two.totals)


#: Runs ``impactsim run`` as ``python -m impactsim`` does and reports, when the process ends,
#: whether any Monte Carlo module was loaded.
RUN_PROBE = """
import atexit, json, runpy, sys
sys.argv = ["impactsim", "run", "scenarios/korea.yaml", "-q", *sys.argv[1:]]

def report():
    loaded = sorted(m for m in sys.modules if m.startswith("impactsim.uncertainty"))
    sys.stderr.write("PROBE " + json.dumps(loaded) + "\\n")

atexit.register(report)
runpy.run_module("impactsim", run_name="__main__", alter_sys=True)
"""


@pytest.mark.parametrize("draws", ["0", "20"])
def test_only_a_run_with_draws_loads_the_monte_carlo_modules(draws: str) -> None:
    proc = subprocess.run([sys.executable, "-c", RUN_PROBE, "--draws", draws],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
                          env=dict(os.environ, MPLBACKEND="Agg"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = next(x for x in proc.stderr.splitlines() if x.startswith("PROBE "))
    loaded = json.loads(line.removeprefix("PROBE "))
    if draws == "0":
        assert loaded == []
    else:
        assert "impactsim.uncertainty.draws" in loaded
