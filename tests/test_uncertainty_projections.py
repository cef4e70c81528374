"""The shares vectors' projections, made when first read: the numbers made with the draws, to
the last bit, whatever the chunks and threads; nothing made until a sensitivity analysis asks."""

from __future__ import annotations

import threading

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from _uncertainty_support import random_model, two_phase_ensemble
from impactsim import uncertainty as u
from impactsim.uncertainty.executors import InProcessExecutor
from impactsim.uncertainty.sampling import COEFFICIENTS


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(2, 9),
    table_seed=st.integers(0, 1000),
    seed=st.integers(0, 2**31),
    draws=st.integers(1, 150),
    chunk=st.integers(1, 70),
    workers=st.integers(1, 3),
    perturbed=st.booleans(),
)
def test_projections_made_on_first_read_are_the_ones_made_with_the_draws(
    n: int, table_seed: int, seed: int, draws: int, chunk: int, workers: int, perturbed: bool
) -> None:
    pert = u.CoefficientPerturbation.relative(0.15) if perturbed else None
    ens = two_phase_ensemble(random_model(n, table_seed), perturbation=pert)
    res = u.simulate(ens, draws=draws, seed=seed, chunk_size=chunk,
                     executor=InProcessExecutor(workers=workers))
    # the whole run as one chunk, every projection made with the draws
    eager = ens.run_chunk(seed, 0, draws, group_projections=True)
    assert ens.lazy_groups() == ("shares",)
    assert list(res.projections) == list(eager.projections)
    assert res.projections.pending() == ("shares",)
    for name, values in eager.projections.items():
        got = res.projections[name]
        assert got.shape == values.shape and got.tobytes() == values.tobytes(), name
        assert not got.flags.writeable
    assert res.projections.pending() == ()
    np.testing.assert_array_equal(res.totals, eager.totals)
    # and a chunk made without them holds only what the perturbed solves give
    lean = ens.run_chunk(seed, 0, draws, group_projections=False)
    assert list(lean.projections) == ([COEFFICIENTS] if perturbed else [])


def test_nothing_is_made_before_it_is_read_and_reads_from_threads_agree() -> None:
    ens = two_phase_ensemble(random_model(6, 3))
    res = u.simulate(ens, draws=300, seed=5, chunk_size=40)
    proj = res.projections
    assert "shares" in proj and "amount" not in proj and len(proj) == 1
    assert proj.pending() == ("shares",)  # membership, length and keys made nothing
    got: list[np.ndarray] = []
    threads = [threading.Thread(target=lambda: got.append(proj["shares"])) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and all(g is got[0] for g in got)  # made once, by one thread
    # the sensitivity analysis reads them: the shares' variance share is a number in [0, 1]
    share = res.sensitivity("employment", column="construction").variance_shares
    label = next(p.label for p in ens.uncertain if p.name == "shares")
    assert 0.0 <= share[label] <= 1.0
