"""Stacked solves with perturbed coefficients: exact against per-draw dense solves."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _uncertainty_support import random_model, two_phase_ensemble
from impactsim import uncertainty as u
from impactsim.engine import linalg
from impactsim.errors import NotProductiveError
from impactsim.uncertainty.perturbation import SplitTechnology
from impactsim.uncertainty.solvers import base_solve, perturbed_solve, refinement_pays


def _system(n: int, seed: int, rel: float, draws: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    a = rng.random((n, n))
    a = a / a.sum(axis=0) * rng.uniform(0.3, 0.8, n)
    pert = u.CoefficientPerturbation.relative(rel)
    deltas = pert.deltas(a, seed, 0, draws, pert.caps(a))
    rhs = rng.random((draws, 3, n))
    return a, deltas, rhs


@pytest.mark.parametrize(
    ("rel", "method"), [(0.1, "iterative"), (0.5, "iterative"), (0.1, "direct"), (0.1, "auto")]
)
def test_perturbed_solves_match_dense_solves_draw_by_draw(rel: float, method: str) -> None:
    a, deltas, rhs = _system(30, 3, rel, 40)
    inv = linalg.factorize_leontief(a).inverse()
    x, stats = perturbed_solve(inv, a, deltas, rhs, method=method)  # type: ignore[arg-type]
    for s in range(40):
        ref = np.linalg.solve(np.eye(30) - a - deltas[s], rhs[s].T).T
        np.testing.assert_allclose(x[s], ref, rtol=1e-12, atol=1e-13)
    assert stats.draws == 40
    if method != "iterative":  # "auto" factorizes each draw of so small a table (n < 33 q)
        assert stats.fallback == 40 and stats.sweeps == 0
    else:
        assert stats.fallback == 0 and stats.sweeps > 0


def test_slow_or_divergent_draws_fall_back_to_direct_solves() -> None:
    """A perturbation with ρ((I − A)⁻¹ΔA) > 1 makes the refinement diverge; the answer holds."""
    n = 6
    a = np.full((n, n), 0.15)  # column sums 0.9, ρ(A) = 0.9
    deltas = np.stack([np.full((n, n), -0.14), np.full((n, n), 0.001)])
    rhs = np.ones((2, 2, n))
    inv = linalg.factorize_leontief(a).inverse()
    x, stats = perturbed_solve(inv, a, deltas, rhs, method="iterative")
    assert stats.fallback == 1
    for s in range(2):
        ref = np.linalg.solve(np.eye(n) - a - deltas[s], rhs[s].T).T
        np.testing.assert_allclose(x[s], ref, rtol=1e-12)


def test_stacked_base_solves_do_not_depend_on_the_stack() -> None:
    """Each draw's product with L0 has the same bits alone or in any stack (and solves I − A)."""
    m = random_model(12, 1)
    inv = m.factorization.inverse()
    y = np.random.default_rng(0).random((70, 3, 12))
    x = base_solve(inv, y)
    for s in (0, 1, 33, 69):
        np.testing.assert_array_equal(x[s], base_solve(inv, y[s : s + 1])[0])
        np.testing.assert_array_equal(x[s : s + 5], base_solve(inv, y[s : s + 5]))
        np.testing.assert_allclose(x[s], m.solve(y[s].T).T, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(2, 12),
    seed=st.integers(0, 10_000),
    low=st.floats(0.0, 1.0),
    width=st.floats(0.0, 3.0),
    negative=st.booleans(),
)
def test_perturbed_tables_stay_productive_and_under_their_caps(
    n: int, seed: int, low: float, width: float, negative: bool
) -> None:
    """Column sums of |A| below 0.95 (so ρ(|A|) < 1), with or without negative entries (as
    Bank of Korea by-products): every draw, however wild the factors, is productive and no
    column's input share exceeds its cap."""
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) * (rng.random((n, n)) < 0.7)
    if negative:
        a *= np.where(rng.random((n, n)) < 0.2, -1.0, 1.0)
    sums = np.abs(a).sum(axis=0)
    sums[sums == 0] = 1.0
    a = a / sums * rng.uniform(0.1, 0.95, n)
    pert = u.CoefficientPerturbation(u.Uniform(low, low + width))
    caps = pert.caps(a)
    assert caps.productive
    assert (caps.weights is None) == (not negative or not (a < 0).any())
    a_s = pert.deltas(a, seed, 0, 20, caps) + a
    assert np.all(a_s.sum(axis=1) <= caps.limit * (1 + 1e-12) + 1e-15)
    assert np.all(a_s[:, a == 0] == 0)
    radius = np.abs(np.linalg.eigvals(a_s)).max(axis=1)
    assert np.all(radius < 1.0)


def test_perturbed_type_ii_matches_the_bordered_matrix_solved_directly() -> None:
    """Induced effects with perturbed A: the Schur route equals a dense solve of I − Ā_s."""
    m = random_model(8, 5)
    t = m.table
    ens = two_phase_ensemble(m, perturbation=u.CoefficientPerturbation.relative(0.2))
    chunk = ens.run_chunk(11, 0, 6, keep_sectors=True)
    y, x, dx = chunk.sectors  # type: ignore[misc]
    deltas = ens.perturbation.deltas(ens.a, 11, 0, 6, ens.caps)  # type: ignore[union-attr]
    hr, hc, hs = m.household_closure.arrays(t.sectors)
    for s in range(6):
        closed = linalg.close_matrix(ens.a + deltas[s], hr, hc, hs)
        rhs = np.vstack([y[s].T, np.zeros((1, 2))])
        xbar = np.linalg.solve(np.eye(9) - closed, rhs)[:8].T
        x_open = np.linalg.solve(np.eye(8) - ens.a - deltas[s], y[s].T).T
        np.testing.assert_allclose(x[s], x_open, rtol=1e-12)
        np.testing.assert_allclose(x[s] + dx[s], xbar, rtol=1e-11)


def test_caps_use_perron_weights_when_column_sums_exceed_one() -> None:
    """A = [[0, 1.9], [0.5, 0]]: a column sum of 1.9 but ρ(|A|) = √0.95; weighted by the left
    Perron vector every column sum is √0.95, so capping those keeps even +50 % draws productive."""
    a = np.array([[0.0, 1.9], [0.5, 0.0]])
    pert = u.CoefficientPerturbation(u.Uniform(1.4, 1.6))
    caps = pert.caps(a)
    assert caps.productive and caps.weights is not None
    np.testing.assert_allclose(caps.limit, [0.75, 1.9])
    np.testing.assert_allclose(caps.weighted_limit, np.sqrt(0.95) + 0.5 * (1 - np.sqrt(0.95)))
    a_s = pert.deltas(a, 0, 0, 50, caps) + a
    assert np.all(np.abs(np.linalg.eigvals(a_s)).max(axis=1) < 1.0)


def test_tables_the_caps_cannot_vouch_for_are_checked_draw_by_draw() -> None:
    """A = [[0.6, 0.6], [−0.6, 0.6]] is productive (|λ| = 0.6√2 ≈ 0.85) but ρ(|A|) = 1.2, so no
    weights help and each draw is checked. +50 % on every coefficient: column 2 is held at its
    sum 1.2, column 1 (sum 0) is not, so A_s ≈ [[0.9, 0.6], [−0.9, 0.6]], |λ| = √1.08 > 1."""
    a = np.array([[0.6, 0.6], [-0.6, 0.6]])
    pert = u.CoefficientPerturbation(u.Uniform(1.49, 1.51))
    caps = pert.caps(a)
    assert not caps.productive
    deltas = pert.deltas(a, 0, 0, 5, caps)
    with pytest.raises(NotProductiveError, match="draw 3: the perturbed coefficients"):
        pert.check_productive(a, deltas, first_draw=3)
    mild = u.CoefficientPerturbation(u.Uniform(0.98, 1.02))
    mild.check_productive(a, mild.deltas(a, 0, 0, 5, mild.caps(a)))  # |λ| ≈ 0.87: passes


# ------------------------------------------------------------------------------ fast paths
def _random_system(
    n: int, q: int, rel: float, draws: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) * (rng.random((n, n)) < 0.7)
    sums = a.sum(axis=0)
    sums[sums == 0] = 1.0
    a = a / sums * rng.uniform(0.1, 0.9, n)
    pert = u.CoefficientPerturbation.relative(rel)
    deltas = pert.deltas(a, seed, 0, draws, pert.caps(a))
    # right-hand sides of very different sizes, as phases in money and h_c in shares
    rhs = rng.random((draws, q, n)) * 10.0 ** rng.uniform(-3, 6, (draws, q, 1))
    return a, linalg.factorize_leontief(a).inverse(), deltas, rhs


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 40),
    q=st.integers(1, 7),
    rel=st.floats(0.0, 0.6),
    draws=st.integers(1, 20),
    seed=st.integers(0, 10_000),
    method=st.sampled_from(["iterative", "direct", "auto"]),
)
def test_fast_paths_agree_with_a_dense_solve_within_the_tolerance(
    n: int, q: int, rel: float, draws: int, seed: int, method: str
) -> None:
    """Each draw's solution is that of numpy's dense solve of ``(I − A − ΔA_s) x = b`` within
    the documented tolerance: the refinement stops when its predicted error is below
    ``tol · ‖x‖∞`` (``tol`` = 10⁻¹³; the property allows 10 × for the prediction), an LU to
    rounding (10⁻¹³ ‖x‖∞ for these well-conditioned tables)."""
    a, inv, deltas, rhs = _random_system(n, q, rel, draws, seed)
    x, stats = perturbed_solve(inv, a, deltas, rhs, method=method)  # type: ignore[arg-type]
    assert stats.draws == draws
    refines = method == "iterative" or (method == "auto" and refinement_pays(n, q))
    assert (stats.sweeps > 0) == refines
    bound = 1e-12 if refines else 1e-13
    for s in range(draws):
        ref = np.linalg.solve(np.eye(n) - a - deltas[s], rhs[s].T).T
        assert np.abs(x[s] - ref).max() <= bound * np.abs(ref).max()


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 25),
    q=st.integers(1, 5),
    rel=st.floats(0.0, 0.5),
    first=st.integers(0, 200),
    cuts=st.lists(st.integers(1, 69), max_size=4),
    seed=st.integers(0, 10_000),
    method=st.sampled_from(["iterative", "direct"]),
)
def test_solves_do_not_depend_on_how_the_draws_are_stacked(
    n: int, q: int, rel: float, first: int, cuts: list[int], seed: int, method: str
) -> None:
    """70 draws numbered from ``first`` solved as one stack or cut into sub-stacks anywhere
    (each with its own first draw number): the same bits (refinement groups are aligned to the
    draw numbers, not to the stack)."""
    a, inv, deltas, rhs = _random_system(n, q, rel, 70, seed)
    whole, _ = perturbed_solve(inv, a, deltas, rhs, method=method, first_draw=first)  # type: ignore[arg-type]
    edges = [0, *sorted(set(cuts)), 70]
    for lo, hi in itertools.pairwise(edges):
        part, _ = perturbed_solve(
            inv, a, deltas[lo:hi], rhs[lo:hi], method=method, first_draw=first + lo  # type: ignore[arg-type]
        )
        np.testing.assert_array_equal(part, whole[lo:hi])


def test_auto_refines_only_where_the_flops_favour_it() -> None:
    """One LU is (2/3) n³ + 2 n² q flops; the refinement about 9 sweeps of 4 n² q at 1.5 times
    the LU's flop rate, i.e. it pays when n > 33 q: korea-2020 with 7 right-hand sides
    (n = 167 < 231) factorizes each draw; a 1,000-sector table refines. "auto" gives the bits
    of the method it picks."""
    assert not refinement_pays(167, 7)
    assert refinement_pays(1000, 7)
    assert refinement_pays(167, 5) is (167 > 33 * 5)
    a, inv, deltas, rhs = _random_system(40, 1, 0.1, 9, 4)  # 40 > 33: refines
    auto, stats = perturbed_solve(inv, a, deltas, rhs, method="auto")
    ref, _ = perturbed_solve(inv, a, deltas, rhs, method="iterative")
    assert stats.sweeps > 0
    np.testing.assert_array_equal(auto, ref)
    auto, stats = perturbed_solve(inv, a, deltas, np.repeat(rhs, 2, axis=1), method="auto")
    assert stats.sweeps == 0 and stats.fallback == 9


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(3, 12),
    seed=st.integers(0, 10_000),
    rel=st.floats(0.0, 0.3),
    low=st.floats(0.0, 1.0),
    high=st.floats(1.0, 2.0),
)
def test_the_split_radius_bound_holds_for_every_draw(
    n: int, seed: int, rel: float, low: float, high: float
) -> None:
    """Cell noise plus a split's column direction ``(λ − 1) d``: every draw's spectral radius is
    at most :meth:`SplitTechnology.radius_bound`, and a bound below 1 marks the caps productive
    (no per-draw check)."""
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) * (rng.random((n, n)) < 0.8)
    a *= np.where(rng.random((n, n)) < 0.1, -1.0, 1.0)  # a few by-product entries
    sums = np.abs(a).sum(axis=0)
    sums[sums == 0] = 1.0
    a = a / sums * rng.uniform(0.1, 0.8, n)
    idx = np.array(sorted(rng.choice(n, 2, replace=False)))
    d = (rng.random((n, 2)) - 0.5) * 0.2 * np.abs(a[:, idx]).max()
    split = SplitTechnology(
        columns=(idx,),
        directions=(d,),
        measure_directions=(np.zeros((1, 2)),),
        factors=(u.Triangular(low, min(max(1.0, low), high), high),),
        names=("split-technology/x",),
        inner=u.CoefficientPerturbation.relative(rel) if rel > 0 else None,
    )
    caps = split.caps(a)
    bound = split.radius_bound(a, caps)
    assert caps.productive == (bound < 1.0)
    deltas = split.deltas(a, seed, 0, 30, caps)
    radius = np.abs(np.linalg.eigvals(a + deltas)).max(axis=1)
    assert np.all(radius <= bound * (1 + 1e-12))
