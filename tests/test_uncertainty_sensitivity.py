"""Sensitivity: first-order indices against published values, swings against hand calculations."""

from __future__ import annotations

import numpy as np
import pytest

import impactsim as ims
from _uncertainty_support import random_model, two_phase_ensemble
from impactsim import uncertainty as u
from impactsim.uncertainty.sensitivity import RESIDUAL


def test_first_order_indices_of_a_linear_function() -> None:
    """Y = X1 + 2 X2 with X1, X2 iid uniform: S1 = 1/5, S2 = 4/5 (variances 1 : 4)."""
    rng = np.random.default_rng(0)
    x1, x2 = rng.random(20_000), rng.random(20_000)
    y = x1 + 2 * x2
    assert u.first_order_index(x1, y) == pytest.approx(0.2, abs=0.02)
    assert u.first_order_index(x2, y) == pytest.approx(0.8, abs=0.02)
    assert u.first_order_index(rng.random(20_000), y) == pytest.approx(0.0, abs=0.01)


def test_first_order_indices_of_the_ishigami_function() -> None:
    """Ishigami (a=7, b=0.1) on U(−π, π)³: S1 = 0.3139, S2 = 0.4424, S3 = 0 (Saltelli et al.
    2008, *Global Sensitivity Analysis: The Primer*, §4.1; Ishigami & Homma 1990)."""
    rng = np.random.default_rng(1)
    x = rng.uniform(-np.pi, np.pi, (3, 30_000))
    y = np.sin(x[0]) + 7 * np.sin(x[1]) ** 2 + 0.1 * x[2] ** 4 * np.sin(x[0])
    assert u.first_order_index(x[0], y) == pytest.approx(0.3139, abs=0.03)
    assert u.first_order_index(x[1], y) == pytest.approx(0.4424, abs=0.03)
    assert u.first_order_index(x[2], y) == pytest.approx(0.0, abs=0.03)


def test_constant_output_has_no_variance_to_share() -> None:
    assert u.first_order_index(np.arange(10.0), np.ones(10)) == 0.0


def _linear_ensemble(m: ims.LeontiefModel) -> u.Ensemble:
    n = m.table.n
    v = np.zeros(n)
    v[0] = 1.0
    return u.Ensemble.from_model(
        m,
        u.LinearDemand(("all",), (u.DemandTerm(v, [1.0], ("amount", "local")),)),
        (
            u.Parameter("amount", u.Uniform(50.0, 150.0)),
            u.Parameter("local", u.Triangular(0.4, 0.5, 0.6)),
            u.Parameter("fixed", u.Point(3.0)),
        ),
        induced=False,
    )


def test_swings_are_the_model_at_each_input_quantile() -> None:
    """Output is amount × local × m₁ (m₁ the first sector's output multiplier), so each swing
    is the multiplier times the input's P5 / P95 times the other input's base value."""
    m = random_model(5, 7)
    ens = _linear_ensemble(m)
    d = u.simulate(ens, draws=4000, seed=3)
    sens = d.sensitivity("output")
    mult = np.linalg.inv(np.eye(5) - m.a).sum(axis=0)[0]
    amount = sens.swings.loc["amount"]
    assert (amount.low_input, amount.high_input) == pytest.approx((55.0, 145.0))
    assert amount.low == pytest.approx(mult * 55.0 * 0.5, rel=1e-12)
    assert amount.high == pytest.approx(mult * 145.0 * 0.5, rel=1e-12)
    local = sens.swings.loc["local"]
    # triangular(0.4, 0.5, 0.6) P5 = 0.4 + sqrt(0.05 · 0.2 · 0.1)
    assert local.low_input == pytest.approx(0.4 + np.sqrt(0.001))
    assert local.low == pytest.approx(mult * 100.0 * local.low_input, rel=1e-12)
    assert list(sens.swings.index) == ["amount", "local"]  # ranked; the point input is left out
    assert sens.base == pytest.approx(mult * 100.0 * 0.5, rel=1e-12)
    # Y ∝ A·L, A ~ U(50, 150), L ~ Tri(0.4, 0.5, 0.6) independent: Var(A) = 10⁴/12,
    # Var(L) = 0.03/18; Var(AL) = E[L]²Var(A) + E[A]²Var(L) + Var(A)Var(L), so
    # S_A = 208.33/226.39 = 0.920, S_L = 16.67/226.39 = 0.074, interaction 0.006
    shares = sens.variance_shares
    assert shares["amount"] == pytest.approx(0.920, abs=0.02)
    assert shares["local"] == pytest.approx(0.074, abs=0.02)
    assert 0.0 <= shares[RESIDUAL] <= 0.03


def test_two_phase_sensitivity_covers_every_uncertain_input() -> None:
    m = random_model(6, 2)
    ens = two_phase_ensemble(m, perturbation=u.CoefficientPerturbation.relative(0.1))
    d = u.simulate(ens, draws=600, seed=9)
    sens = d.sensitivity("employment", column="construction")
    rows = set(sens.swings.index)
    assert {"amount", "local", "jobs", "shares: equipment", "shares: building"} <= rows
    assert "table coefficients (all together)" in rows
    # opex only feeds the operations column: no swing in construction
    assert sens.swings.loc["opex", "swing"] == 0.0
    assert np.all(np.diff(sens.swings["swing"].to_numpy()) <= 0)
    shares = sens.variance_shares
    assert set(shares.index) >= {"shares", "table coefficients (all together)", RESIDUAL}
    assert np.all((shares >= 0) & (shares <= 1))
    frame = sens.to_frame()
    assert frame.loc["shares: equipment", "variance_share"] == shares["shares"]
    assert "Sensitivity of total employment, construction" in repr(sens)


def test_plot_tornado_returns_a_figure_with_one_bar_per_input() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    m = random_model(4, 1)
    d = u.simulate(_linear_ensemble(m), draws=200, seed=0)
    fig = u.plot_tornado(d.sensitivity("output"))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["local", "amount"]
