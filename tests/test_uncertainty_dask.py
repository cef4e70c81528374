"""Executors: the dask run equals the in-process run bit for bit; dask stays optional."""

from __future__ import annotations

import builtins
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _uncertainty_support import random_model, two_phase_ensemble
from impactsim import uncertainty as u
from impactsim.uncertainty.executors import (
    DaskExecutor,
    ExecutorError,
    InProcessExecutor,
    get_executor,
)


@pytest.fixture(scope="module")
def cluster() -> Iterator[DaskExecutor]:
    """A small in-process LocalCluster (2 workers, threads) shared by this module's tests."""
    pytest.importorskip(
        "distributed", reason="dask.distributed is an optional extra: pip install impactsim[dask]"
    )
    with DaskExecutor(n_workers=2, processes=False) as ex:
        yield ex


@settings(max_examples=6, deadline=None)
@given(
    n=st.integers(2, 12),
    table_seed=st.integers(0, 1000),
    seed=st.integers(0, 2**31),
    draws=st.integers(1, 150),
    chunk=st.integers(1, 70),
    perturbed=st.booleans(),
)
def test_dask_draws_equal_in_process_draws(
    cluster: DaskExecutor,
    n: int,
    table_seed: int,
    seed: int,
    draws: int,
    chunk: int,
    perturbed: bool,
) -> None:
    pert = u.CoefficientPerturbation.relative(0.15) if perturbed else None
    ens = two_phase_ensemble(random_model(n, table_seed), perturbation=pert)
    local = u.simulate(ens, draws=draws, seed=seed)
    remote = u.simulate(ens, draws=draws, seed=seed, executor=cluster, chunk_size=chunk)
    np.testing.assert_array_equal(local.totals, remote.totals)


def test_dask_run_equals_the_in_process_run() -> None:
    """Also with its own cluster, a context manager that shuts it down."""
    pytest.importorskip(
        "distributed", reason="dask.distributed is an optional extra: pip install impactsim[dask]"
    )
    ens = two_phase_ensemble(
        random_model(20, 4), perturbation=u.CoefficientPerturbation.relative(0.1)
    )
    local = u.simulate(ens, draws=500, seed=2024, chunk_size=96)
    seen: list[int] = []
    with DaskExecutor(n_workers=2, processes=False) as ex:
        remote = u.simulate(
            ens,
            draws=500,
            seed=2024,
            executor=ex,
            chunk_size=96,
            progress=lambda done, total: seen.append(done),
        )
        # a different chunking on the cluster still gives the same draws
        remote2 = u.simulate(ens, draws=500, seed=2024, executor=ex, chunk_size=37)
    np.testing.assert_array_equal(local.totals, remote.totals)
    np.testing.assert_array_equal(local.totals, remote2.totals)
    for name in local.projections:
        np.testing.assert_array_equal(local.projections[name], remote.projections[name])
    for name in local.samples:
        np.testing.assert_array_equal(local.samples[name], remote.samples[name])
    assert sorted(seen)[-1] == 500 and len(seen) == 6


def test_scenario_draws_on_dask_equal_the_in_process_draws(cluster: DaskExecutor) -> None:
    import impactsim as ims

    table = ims.load_table("korea-2020")
    korea = Path(__file__).resolve().parents[1] / "scenarios" / "korea.yaml"
    local = ims.run(korea, draws=300, table=table)
    remote = ims.run(korea, draws=300, table=table, executor=cluster)
    np.testing.assert_array_equal(local.draws.draws.totals, remote.draws.draws.totals)
    assert local.quantiles().equals(remote.quantiles())


def test_missing_dask_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_distributed(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError("No module named 'distributed'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "distributed", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_distributed)
    ens = two_phase_ensemble(random_model(3, 0))
    with pytest.raises(ExecutorError, match=r"pip install \"impactsim\[dask\]\""):
        u.simulate(ens, draws=10, seed=0, executor="dask")


def test_executor_names() -> None:
    assert isinstance(get_executor(None), InProcessExecutor)
    assert isinstance(get_executor("inprocess"), InProcessExecutor)
    assert isinstance(get_executor("dask"), DaskExecutor)
    assert get_executor("dask", address="tcp://h:8786").address == "tcp://h:8786"  # type: ignore[union-attr]
    with pytest.raises(ExecutorError, match="'inprocess', 'dask'"):
        get_executor("ray")


def test_a_shared_factorization_solves_correctly_from_several_threads() -> None:
    """Threaded dask workers share one LU: scipy's getrs shifts the pivots in place during the
    call (scipy ≤ 1.17), so sharing them used to give wrong answers; Factorization copies them."""
    from concurrent.futures import ThreadPoolExecutor

    from impactsim.engine import linalg

    rng = np.random.default_rng(0)
    a = rng.random((60, 60))
    a = a / a.sum(axis=0) * 0.6
    fac = linalg.factorize_leontief(a)
    b = rng.random((60, 64))
    ref = fac.solve(b)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: fac.solve(b), range(200)))
    assert all(np.array_equal(r, ref) for r in results)
    np.testing.assert_allclose((np.eye(60) - a) @ ref, b, atol=1e-12)
