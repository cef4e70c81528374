"""The numerical layer: productivity bounds, LU factorizations and the bordered (Type II) solver.

References are explicit ``numpy.linalg`` inverses and eigenvalues, computed here."""

from __future__ import annotations

import numpy as np
import pytest

import impactsim as ims
from impactsim.engine import linalg


def rand_a(n: int, colsum: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.0, 1.0, (n, n))
    return a / a.sum(axis=0) * colsum


@pytest.mark.parametrize("n", [1, 5, 40])
@pytest.mark.parametrize("k", [1, 3, 20])
def test_factorization_solves_match_explicit_inverse(n: int, k: int) -> None:
    """Both right-hand-side paths (a few columns one by one, many at once) and both orders."""
    a = rand_a(n, 0.6, seed=n)
    inv = np.linalg.inv(np.eye(n) - a)
    b = np.random.default_rng(k).normal(size=(n, k))
    fact = linalg.factorize_leontief(a)
    np.testing.assert_allclose(fact.solve(b), inv @ b, atol=1e-12)
    np.testing.assert_allclose(fact.solve_transposed(b), inv.T @ b, atol=1e-12)
    np.testing.assert_allclose(fact.solve(b[:, 0]), inv @ b[:, 0], atol=1e-12)
    np.testing.assert_allclose(fact.inverse(), inv, atol=1e-12)


def test_factorize_flows_equals_factorize_coefficients() -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(10, 20, 6)
    a = rand_a(6, 0.7)
    f1, diag = linalg.factorize_flows(a * x, x)
    f2 = linalg.factorize_leontief(a)
    assert diag is not None and diag.productive
    np.testing.assert_allclose(f1.inverse(), f2.inverse(), atol=1e-13)
    np.testing.assert_allclose(linalg.input_coefficients(a * x, x), a, atol=1e-15)


def test_row_column_bound_decides_cheaply() -> None:
    diag = linalg.check_productivity(rand_a(10, 0.9))
    assert diag.productive and diag.radius is None and diag.method == "row/column-sum bound"
    assert diag.bound == pytest.approx(0.9)


def test_collatz_wielandt_refinement_proves_productivity() -> None:
    """Row and column sums exceed 1, yet ρ < 1: the power-step bound proves it without
    eigenvalues. A = [[0, 1.5], [0.4, 0]] has ρ = sqrt(0.6) = 0.7746."""
    a = np.array(
        [
            [0.0, 1.5],
            [0.4, 0.0],
        ]
    )
    assert min(a.sum(axis=0).max(), a.sum(axis=1).max()) > 1.0
    lo, hi, steps = linalg.collatz_wielandt_bounds(a)
    assert lo <= np.sqrt(0.6) <= hi < 1.0 and steps > 0
    diag = linalg.check_productivity(a)
    assert diag.productive and diag.radius is None
    assert diag.method.startswith("Collatz–Wielandt")


def test_negative_coefficients_use_eigenvalues() -> None:
    a = np.array([[0.5, -0.6], [0.6, 0.5]])  # eigenvalues 0.5 ± 0.6i, |λ| = 0.781
    diag = linalg.check_productivity(a)
    assert diag.productive and diag.method == "eigenvalues" and not diag.nonnegative
    assert diag.radius == pytest.approx(np.hypot(0.5, 0.6))


def test_negative_coefficients_bounded_through_absolute_values() -> None:
    """ρ(A) <= ρ(|A|): a table with a few negative flows is still decided in O(n²)."""
    a = np.array([[0.2, -0.3], [0.1, 0.2]])
    diag = linalg.check_productivity(a)
    assert diag.productive and diag.method == "row/column-sum bound on |A|"
    assert not diag.nonnegative and diag.radius is None


def test_non_productive_and_non_finite() -> None:
    assert not linalg.check_productivity(np.array([[1.0]])).productive
    diag = linalg.check_productivity(np.array([[np.nan]]))
    assert not diag.productive and diag.method == "non-finite coefficients"
    with pytest.raises(ims.NotProductiveError, match="not finite"):
        linalg.factorize_leontief(np.array([[np.inf]]))
    with pytest.raises(ims.NotProductiveError, match="singular"):
        linalg.factorize_leontief(np.array([[1.0]]), check=False)
    with pytest.raises(ims.DemandError, match="one row per sector"):
        linalg.factorize_leontief(np.array([[0.5]])).solve(np.ones(2))


def test_large_matrix_spectral_radius_iterative() -> None:
    """Above the dense-eigenvalue size ARPACK finds ρ; a matrix with ρ = 1.2 is rejected."""
    n = 450
    a = rand_a(n, 1.2, seed=4)  # column sums all 1.2 ⇒ ρ = 1.2 exactly (1 is a left eigenvector)
    diag = linalg.check_productivity(a)
    assert not diag.productive
    assert diag.radius == pytest.approx(1.2, rel=1e-8)


def test_bordered_factorization_formulas() -> None:
    n = 4
    a = rand_a(n, 0.5, seed=2)
    hr = np.array([0.2, 0.3, 0.1, 0.25])
    hc = np.array([0.3, 0.2, 0.1, 0.2])
    hs = 0.05
    base = linalg.factorize_leontief(a)
    fact = linalg.factorize_bordered(base, hr, hc, hs)
    big = linalg.close_matrix(a, hr, hc, hs)
    inv = np.linalg.inv(np.eye(n + 1) - big)
    l_open = np.linalg.inv(np.eye(n) - a)
    assert fact.size == n + 1
    assert fact.schur == pytest.approx(1 - hs - hr @ l_open @ hc)
    np.testing.assert_allclose(fact.u, l_open @ hc)
    np.testing.assert_allclose(fact.w, l_open.T @ hr)
    np.testing.assert_allclose(fact.inverse(), inv, atol=1e-13)
    v = np.arange(n + 1.0)
    np.testing.assert_allclose(fact.solve(v), inv @ v, atol=1e-13)
    np.testing.assert_allclose(fact.solve_transposed(v), inv.T @ v, atol=1e-13)
    # The household row of the closed inverse is w' / s (used for the income multiplier).
    np.testing.assert_allclose(inv[n, :n], fact.w / fact.schur, atol=1e-13)


def test_bordered_factorization_rejects_non_positive_schur() -> None:
    a = rand_a(3, 0.5)
    base = linalg.factorize_leontief(a)
    with pytest.raises(ims.NotProductiveError, match="must be positive"):
        linalg.factorize_bordered(base, np.ones(3), np.ones(3), 0.0)


def test_lu_solve_rows_solves_each_row_and_refuses_a_singular_matrix() -> None:
    """``M Xᵀ = Bᵀ`` by one LU for rows of right-hand sides; a hand-checked 2 × 2: M = [[2, 1],
    [1, 3]] (det 5) and b = (3, 4) give x = (1, 1); b = (5, 0) gives x = (3, −1)."""
    m = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = linalg.lu_solve_rows(m.copy(), np.array([[3.0, 4.0], [5.0, 0.0]]))
    np.testing.assert_allclose(x, [[1.0, 1.0], [3.0, -1.0]], rtol=1e-15, atol=1e-15)
    with pytest.raises(ims.NotProductiveError, match="singular"):
        linalg.lu_solve_rows(np.array([[1.0, 2.0], [2.0, 4.0]]), np.ones((1, 2)))
