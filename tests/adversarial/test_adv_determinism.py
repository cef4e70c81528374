"""Class 7, determinism to the last bit: draw totals do not depend on chunking, and the seed
actually used is always recorded (so a run without a seed can be repeated)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from _adv_support import MINI, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import impactsim as ims
from impactsim.uncertainty.fixedsum import fixed_sum


@settings(max_examples=80, deadline=None)
@given(
    arr=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=4, max_side=9),
                   elements=st.floats(-1e6, 1e6)),
    data=st.data(),
)
def test_fixed_sum_of_a_slice_is_the_slice_of_the_sum(arr: np.ndarray, data: st.DataObject
                                                      ) -> None:
    """Bit for bit: what one row sums to does not depend on the other rows or the layout."""
    axis = data.draw(st.integers(1, arr.ndim - 1))
    whole = fixed_sum(arr, axis=axis)
    i = data.draw(st.integers(0, arr.shape[0] - 1))
    part = fixed_sum(arr[i : i + 1], axis=axis)
    assert np.array_equal(whole[i : i + 1], part)
    assert np.array_equal(fixed_sum(np.asfortranarray(arr), axis=axis), whole)
    exact = np.apply_along_axis(math.fsum, axis, arr)
    assert np.allclose(whole, exact, rtol=1e-12, atol=1e-6)


def _tree_sum(xs: list[float]) -> float:
    """The documented order in plain Python floats (IEEE additions one at a time): halves added
    pairwise, an odd last entry carried to the next level."""
    if not xs:
        return 0.0
    while len(xs) > 1:
        half = len(xs) // 2
        xs = [xs[i] + xs[half + i] for i in range(half)] + xs[2 * half :]
    return xs[0]


@settings(max_examples=80, deadline=None)
@given(
    arr=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=11),
                   elements=st.floats(-1e300, 1e300) | st.floats(-1.0, 1.0)),
    data=st.data(),
    fortran=st.booleans(),
)
def test_fixed_sum_adds_in_the_documented_order(arr: np.ndarray, data: st.DataObject,
                                                fortran: bool) -> None:
    """Every output element is, bit for bit, the documented pairwise tree over its line, and the
    input is left as it was."""
    axis = data.draw(st.integers(-arr.ndim, arr.ndim - 1))
    if fortran:
        arr = np.asfortranarray(arr)
    before = arr.copy()
    got = fixed_sum(arr, axis=axis)
    lines = np.moveaxis(arr, axis, -1)
    want = np.empty(lines.shape[:-1])
    for idx in np.ndindex(want.shape):
        want[idx] = _tree_sum(lines[idx].tolist())
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(arr, before)


@pytest.fixture(scope="module")
def fdi_ensemble():
    """korea-fdi-2025 with ±10 % coefficients: many draws hit the column caps, which is where
    chunk mates used to change a draw's last bits."""
    from impactsim.scenario.shocks import translate
    from impactsim.scenario.sourcing import choose_sourcing
    from impactsim.simulate import build_model, resolve_table
    from impactsim.uncertainty.scenario import scenario_ensemble

    sc = ims.Scenario.from_yaml(ROOT / "scenarios" / "korea-fdi-2025.yaml")
    src = choose_sourcing(sc, resolve_table(sc))
    model = build_model(src.table, sc, induced=True)
    return scenario_ensemble(sc, model, translate(sc, sourcing=src), induced=True)


def test_coefficient_draws_do_not_depend_on_their_chunk_mates(fdi_ensemble) -> None:
    """A draw's perturbed coefficients are the same alone as in a chunk where other draws are
    scaled back onto the column caps (they used to be rewritten as (ΔA + A) − A)."""
    ens = fdi_ensemble
    together = ens.perturbation.deltas(ens.a, 5, 0, 48, ens.caps)
    for s in range(48):
        alone = ens.perturbation.deltas(ens.a, 5, s, s + 1, ens.caps)[0]
        assert np.array_equal(together[s], alone), f"draw {s}"


@pytest.mark.slow
@pytest.mark.parametrize("chunk", [1, 2, 3, 7])
def test_draw_totals_do_not_depend_on_chunk_size(fdi_ensemble, chunk: int) -> None:
    from impactsim.uncertainty.draws import simulate

    whole = simulate(fdi_ensemble, draws=24, seed=5, chunk_size=24)
    parts = simulate(fdi_ensemble, draws=24, seed=5, chunk_size=chunk)
    assert np.array_equal(whole.totals, parts.totals)


def test_the_seed_used_is_recorded_and_repeats_the_run(tmp_path: Path) -> None:
    from impactsim.present.outputs import provenance
    from impactsim.present.terminal import scenario_payload

    path = tmp_path / "s.yaml"
    path.write_text(MINI + "uncertainty:\n  draws: 16\n", encoding="utf-8")  # no seed given
    first = ims.run(path, induced=False)
    assert isinstance(first.seed, int)
    again = ims.run(path, induced=False, seed=first.seed)
    assert again.draws is not None and first.draws is not None
    assert np.array_equal(first.draws.draws.totals, again.draws.draws.totals)
    prov = json.loads(provenance(path, first, ["run"], {"seed": None}).to_json())
    assert prov["options"]["seed"] == first.seed
    assert scenario_payload(path, first, [], top=3)["seed"] == first.seed
