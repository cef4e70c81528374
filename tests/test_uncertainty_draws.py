"""Monte Carlo draws: properties (ordered quantiles, collapsed ranges, seeds, chunking) and
quantiles checked against closed forms on a hand-sized table."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from _uncertainty_support import random_model, two_phase_ensemble
from impactsim import uncertainty as u

PERTURB = u.CoefficientPerturbation.relative(0.15)


@st.composite
def ensembles(draw: st.DrawFn, *, spread: float | None = None) -> u.Ensemble:
    n = draw(st.integers(2, 7))
    seed = draw(st.integers(0, 10_000))
    perturbed = draw(st.booleans())
    induced = draw(st.booleans())
    s = draw(st.floats(0.1, 1.0)) if spread is None else spread
    model = random_model(n, seed)
    pert = PERTURB if s > 0 else u.CoefficientPerturbation(u.Uniform(1.0, 1.0))
    return two_phase_ensemble(
        model, spread=s, perturbation=pert if perturbed else None, induced=induced
    )


@settings(max_examples=25, deadline=None)
@given(ens=ensembles(), seed=st.integers(0, 2**31), draws=st.integers(5, 150))
def test_quantiles_are_ordered(ens: u.Ensemble, seed: int, draws: int) -> None:
    d = u.simulate(ens, draws=draws, seed=seed)
    q = (0.05, 0.25, 0.5, 0.75, 0.95)
    frame = d.quantiles(q)
    wide = frame.pivot_table(
        index=["column", "effect", "measure"], columns="level", values="value"
    ).to_numpy()
    assert np.all(np.diff(wide, axis=1) >= -1e-9 * np.abs(wide).max())
    table = d.summary("construction")
    for measure in d.measures:
        p5, p50, p95 = (table[(measure, lab)] for lab in ("P5", "P50", "P95"))
        assert np.all(p5 <= p50) and np.all(p50 <= p95)


@settings(max_examples=25, deadline=None)
@given(ens=ensembles(spread=0.0), seed=st.integers(0, 2**31), draws=st.integers(1, 140))
def test_collapsed_ranges_reproduce_the_deterministic_result_exactly(
    ens: u.Ensemble, seed: int, draws: int
) -> None:
    d = u.simulate(ens, draws=draws, seed=seed)
    det = ens.deterministic()
    for s in range(draws):
        np.testing.assert_array_equal(d.totals[s], det)


@pytest.mark.parametrize("perturbation", [None, PERTURB])
@pytest.mark.parametrize("induced", [False, True])
def test_the_deterministic_result_is_the_engine_impact(
    perturbation: u.CoefficientPerturbation | None, induced: bool
) -> None:
    """The kernel at base values reproduces LeontiefModel.impact column by column."""
    m = random_model(6, 3)
    ens = two_phase_ensemble(m, perturbation=perturbation, induced=induced)
    det = ens.deterministic()
    y = ens.demand.build(ens.base_values(1), 1)[0]
    for c in range(2):
        imp = m.impact(y[c], induced=induced)
        np.testing.assert_allclose(det[c], imp.totals, rtol=1e-12, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(ens=ensembles(), seed=st.integers(0, 2**31), draws=st.integers(1, 160))
def test_the_same_seed_reproduces_the_same_draws(ens: u.Ensemble, seed: int, draws: int) -> None:
    a = u.simulate(ens, draws=draws, seed=seed)
    b = u.simulate(ens, draws=draws, seed=seed)
    np.testing.assert_array_equal(a.totals, b.totals)
    assert a.seed == seed
    c = u.simulate(ens, draws=draws, seed=seed + 1)
    assert not np.array_equal(a.totals, c.totals)


@settings(max_examples=20, deadline=None)
@given(
    ens=ensembles(),
    seed=st.integers(0, 2**31),
    draws=st.integers(1, 200),
    chunk=st.integers(1, 130),
)
def test_chunking_does_not_change_the_draws(
    ens: u.Ensemble, seed: int, draws: int, chunk: int
) -> None:
    whole = u.simulate(ens, draws=draws, seed=seed, chunk_size=draws)
    parts = u.simulate(ens, draws=draws, seed=seed, chunk_size=chunk)
    np.testing.assert_array_equal(whole.totals, parts.totals)
    for name in whole.projections:
        np.testing.assert_array_equal(whole.projections[name], parts.projections[name])


def test_quantiles_of_a_linear_ensemble_follow_the_input_quantiles() -> None:
    """Demand = amount × v with amount ~ Uniform(80, 120): every total is m'v × amount, so
    its P5 / P50 / P95 are m'v × (82, 100, 118) up to sampling error (hand calculation on the
    three-sector table of Miller & Blair-style toy data; multipliers from a dense inverse)."""
    flows = np.array([[10.0, 20.0, 5.0], [15.0, 5.0, 10.0], [5.0, 10.0, 20.0]])
    fd = np.array([[30.0, 20.0], [40.0, 20.0], [25.0, 15.0]])
    va = np.array([[30.0, 25.0, 20.0], [20.0, 20.0, 15.0]])
    t = ims.IOTable.from_arrays(
        flows,
        fd,
        va,
        sectors=["agri", "manu", "serv"],
        final_demand_categories=["households", "exports"],
        value_added_components=["compensation", "operating_surplus"],
        imports=np.array([5.0, 10.0, 5.0]),
        employment=np.array([4.0, 3.0, 6.0]),
    )
    x = np.array([85.0, 90.0, 75.0])
    leontief = np.linalg.inv(np.eye(3) - flows / x)
    v = np.array([0.2, 0.5, 0.3])
    ens = u.Ensemble.from_model(
        ims.LeontiefModel(t),
        u.LinearDemand(("all",), (u.DemandTerm(v, [1.0], ("amount",)),)),
        (u.Parameter("amount", u.Uniform(80.0, 120.0)),),
        induced=False,
    )
    d = u.simulate(ens, draws=20_000, seed=1)
    out_mult = leontief.sum(axis=0) @ v
    jobs_mult = (np.array([4.0, 3.0, 6.0]) / x) @ leontief @ v
    table = d.summary()
    # P_q of Uniform(80, 120) is 80 + 40 q; standard error of a sample quantile ≈ 0.3 here
    for lab, q in (("P5", 0.05), ("P50", 0.5), ("P95", 0.95)):
        assert table.loc["total", ("output", lab)] == pytest.approx(
            out_mult * (80 + 40 * q), rel=5e-3
        )
        assert table.loc["total", ("employment", lab)] == pytest.approx(
            jobs_mult * (80 + 40 * q), rel=5e-3
        )
    assert table.attrs["draws"] == 20_000


def test_by_sector_quantiles_add_up_for_the_median_draw_of_a_point_ensemble() -> None:
    m = random_model(5, 2)
    ens = two_phase_ensemble(m, spread=0.0, perturbation=PERTURB)
    d = u.simulate(ens, draws=30, seed=4, keep_sectors=True)
    by = d.by_sector("output", column="construction")
    # coefficient noise only: the sum over sectors of each draw is the headline total
    total = d.values("output", column="construction")
    assert by["P50"].sum() == pytest.approx(np.median(total), rel=0.05)
    assert list(by.columns) == ["P5", "P50", "P95"]
    with pytest.raises(u.UncertaintyError, match="keep_sectors"):
        u.simulate(ens, draws=3, seed=4).by_sector("output", column="construction")


def test_progress_reports_every_chunk() -> None:
    ens = two_phase_ensemble(random_model(4, 0))
    seen: list[tuple[int, int]] = []
    u.simulate(ens, draws=100, seed=0, chunk_size=30, progress=lambda a, b: seen.append((a, b)))
    assert seen == [(30, 100), (60, 100), (90, 100), (100, 100)]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"draws": 0}, "draws=0"),
        ({"draws": 10, "seed": -1}, "seed=-1"),
        ({"draws": 10, "chunk_size": 0}, "chunk_size=0"),
        ({"draws": 10, "method": "lu"}, "method='lu'"),
        ({"draws": 10, "executor": "spark"}, "executor='spark'"),
    ],
)
def test_bad_run_options_raise_impactsim_errors(kwargs: dict, fragment: str) -> None:
    ens = two_phase_ensemble(random_model(3, 0))
    with pytest.raises(ims.ImpactsimError) as info:
        u.simulate(ens, **kwargs)
    assert fragment in str(info.value)


def test_bad_ensembles_name_the_culprit() -> None:
    m = random_model(3, 0)
    term = u.DemandTerm(np.ones(3), [1.0], ("amount",), "capex")
    demand = u.LinearDemand(("all",), (term,))
    with pytest.raises(u.UncertaintyError, match="'amount' is not an uncertain input"):
        u.Ensemble.from_model(m, demand, ())
    p = u.Parameter("amount", u.Point(1.0))
    with pytest.raises(u.UncertaintyError, match="duplicate"):
        u.Ensemble.from_model(m, demand, (p, p))
    with pytest.raises(u.UncertaintyError, match="measures"):
        u.Ensemble.from_model(m, demand, (p,), measure_factors={"jobs": "amount"})
    short = u.LinearDemand(("all",), (u.DemandTerm(np.ones(2), [1.0], ("amount",), "x"),))
    with pytest.raises(u.UncertaintyError, match="2 values for a table of 3"):
        u.Ensemble.from_model(m, short, (p,))
    shares = u.Parameter("shares", u.Dirichlet((0.5, 0.5), 10))
    bad_ref = u.LinearDemand(("all",), (u.DemandTerm(np.ones(3), [1.0], ("shares",), "y"),))
    with pytest.raises(u.UncertaintyError, match=r"\(name, index\)"):
        u.Ensemble.from_model(m, bad_ref, (shares,))
