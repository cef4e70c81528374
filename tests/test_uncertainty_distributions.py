"""Distribution specs: moments and quantiles against closed forms and scipy.stats; seeding."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from impactsim import ImpactsimError
from impactsim import uncertainty as u
from impactsim.uncertainty.sampling import BLOCK, block_rng

N = 200_000


def _rng() -> np.random.Generator:
    return np.random.default_rng(12345)


@pytest.mark.parametrize(
    ("dist", "mean", "var"),
    [
        # Johnson, Kotz & Balakrishnan: uniform (a+b)/2, (b-a)^2/12
        (u.Uniform(2.0, 5.0), 3.5, 9.0 / 12.0),
        # triangular: (a+c+b)/3, (a²+b²+c²−ab−ac−bc)/18 with a=1, c=2, b=4
        (u.Triangular(1.0, 2.0, 4.0), 7.0 / 3.0, (1 + 16 + 4 - 4 - 2 - 8) / 18.0),
        (u.Normal(-3.0, 0.5), -3.0, 0.25),
        # lognormal median m, sigma s: mean m e^{s²/2}, var m² (e^{s²} − 1) e^{s²}
        (
            u.LogNormal(2.0, 0.3),
            2.0 * math.exp(0.045),
            4.0 * (math.exp(0.09) - 1) * math.exp(0.09),
        ),
        # beta(a, b) on [10, 20]: 10 + 10 a/(a+b), 100 ab/((a+b)²(a+b+1))
        (u.Beta(2.0, 3.0, 10.0, 20.0), 14.0, 100 * 6.0 / (25.0 * 6.0)),
    ],
)
def test_moments_match_closed_forms(dist: u.Distribution, mean: float, var: float) -> None:
    x = dist.sample(_rng(), N)
    se_mean = math.sqrt(var / N)
    assert abs(x.mean() - mean) < 5 * se_mean
    assert x.var() == pytest.approx(var, rel=0.03)


@pytest.mark.parametrize(
    ("dist", "ref"),
    [
        (u.Uniform(2.0, 5.0), stats.uniform(loc=2.0, scale=3.0)),
        (u.Triangular(1.0, 2.0, 4.0), stats.triang(c=1 / 3, loc=1.0, scale=3.0)),
        (u.Triangular(1.0, 1.0, 4.0), stats.triang(c=0.0, loc=1.0, scale=3.0)),
        (u.Normal(-3.0, 0.5), stats.norm(-3.0, 0.5)),
        (u.LogNormal(2.0, 0.3), stats.lognorm(s=0.3, scale=2.0)),
        (u.Beta(2.0, 3.0, 10.0, 20.0), stats.beta(2.0, 3.0, loc=10.0, scale=10.0)),
    ],
)
def test_ppf_agrees_with_scipy_stats(dist: u.Distribution, ref: object) -> None:
    q = np.array([0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999])
    np.testing.assert_allclose(dist.ppf(q), ref.ppf(q), rtol=1e-9)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "dist",
    [u.Uniform(2.0, 5.0), u.Triangular(1.0, 2.0, 4.0), u.Beta(0.5, 0.5, -1.0, 1.0)],
)
def test_bounded_samples_stay_in_support(dist: u.Distribution) -> None:
    x = dist.sample(_rng(), 50_000)
    lo, hi = dist.ppf([0.0, 1.0])
    assert x.min() >= lo
    assert x.max() <= hi


def test_dirichlet_rows_sum_to_one_with_the_stated_mean_and_variance() -> None:
    shares = (0.5, 0.3, 0.2, 0.0)
    d = u.Dirichlet(shares, 49.0)
    x = d.sample(_rng(), N)
    np.testing.assert_allclose(x.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.all(x[:, 3] == 0.0)
    s = np.array(shares)
    np.testing.assert_allclose(x.mean(axis=0), s, atol=2e-3)
    # Var(s_i) = s_i (1 − s_i) / (α₀ + 1)
    np.testing.assert_allclose(x.var(axis=0), s * (1 - s) / 50.0, rtol=0.03, atol=1e-12)
    # the marginal of a Dirichlet component is Beta(α_i, α₀ − α_i)
    m = d.marginal(0)
    assert isinstance(m, u.Beta)
    assert (m.a, m.b) == pytest.approx((24.5, 24.5))


@pytest.mark.parametrize(
    "dist",
    [
        u.Point(3.25),
        u.Uniform(3.25, 3.25),
        u.Triangular(3.25, 3.25, 3.25),
        u.Normal(3.25, 0.0),
        u.LogNormal(3.25, 0.0),
        u.Beta(2.0, 5.0, 3.25, 3.25),
    ],
)
def test_collapsed_ranges_sample_their_centre_exactly(dist: u.Distribution) -> None:
    assert dist.degenerate
    x = dist.sample(_rng(), 1000)
    assert np.all(x == 3.25)
    assert dist.center == 3.25


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (2.5, u.Point(2.5)),
        ([0.9, 1.1], u.Uniform(0.9, 1.1)),
        ({"dist": "triangular", "low": 1, "mode": 2, "high": 3}, u.Triangular(1, 2, 3)),
        ({"dist": "lognormal", "median": 1.0, "sigma": 0.2}, u.LogNormal(1.0, 0.2)),
        (
            {"dist": "dirichlet", "shares": [0.25, 0.75], "concentration": 10},
            u.Dirichlet((0.25, 0.75), 10),
        ),
    ],
)
def test_specs_parse(spec: object, expected: object) -> None:
    assert u.distribution_from_spec(spec) == expected


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ({"dist": "uniform", "low": 2, "high": 1}, "low=2 > high=1"),
        ({"dist": "triangular", "low": 0, "mode": 5, "high": 1}, "low <= mode <= high"),
        ({"dist": "normal", "mean": 0, "sd": -1}, "sd=-1"),
        ({"dist": "lognormal", "median": 0, "sigma": 0.1}, "median > 0"),
        ({"dist": "beta", "a": 0, "b": 1}, "must be > 0"),
        ({"dist": "gamma", "k": 1}, "unknown"),
        ({"dist": "uniform", "low": 1}, "bad fields"),
        ({"dist": "dirichlet", "shares": [0.5, 0.6]}, "sum to 1.1"),
        ({"dist": "normal", "mean": float("nan"), "sd": 1}, "finite"),
        ([1, 2, 3], "[low, high]"),
        (True, "not a number"),
        ("ten", "not a number"),
    ],
)
def test_bad_specs_name_the_field_and_the_fix(spec: object, fragment: str) -> None:
    with pytest.raises(ImpactsimError, match="amount") as info:
        u.distribution_from_spec(spec, where="amount")
    assert fragment in str(info.value)


def test_parameter_rejects_the_reserved_name() -> None:
    with pytest.raises(u.UncertaintyError, match="reserved"):
        u.Parameter("coefficients", u.Uniform(0, 1))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    start=st.integers(0, 300),
    length=st.integers(1, 200),
)
def test_any_slice_of_draws_equals_the_same_slice_of_a_longer_run(
    seed: int, start: int, length: int
) -> None:
    """Draws are addressed by (seed, input, block): chunk edges never change the numbers."""
    p = u.Parameter("amount", u.Triangular(1.0, 2.0, 5.0))
    whole = p.sample(seed, 0, start + length)
    np.testing.assert_array_equal(p.sample(seed, start, start + length), whole[start:])


def test_inputs_have_independent_streams() -> None:
    """Different names and different seeds give different streams; block streams are
    SeedSequence.spawn children, addressed directly."""
    a = u.Parameter("amount", u.Uniform(0.0, 1.0))
    b = u.Parameter("local", u.Uniform(0.0, 1.0))
    np.testing.assert_array_equal(a.sample(7, 0, 100), a.sample(7, 0, 100))
    assert not np.array_equal(a.sample(7, 0, 100), b.sample(7, 0, 100))
    assert not np.array_equal(a.sample(7, 0, 100), a.sample(8, 0, 100))
    child = np.random.SeedSequence(7).spawn(3)[2].spawn(2)[1]
    direct = np.random.SeedSequence(7, spawn_key=(2, 1))
    assert child.generate_state(4).tolist() == direct.generate_state(4).tolist()
    assert block_rng(7, "amount", 1).random() != block_rng(7, "amount", 0).random()
    # draws past one block come from the next block's stream, not a continuation
    assert BLOCK > 1
    one = a.sample(7, 0, BLOCK + 3)
    assert np.array_equal(one[:BLOCK], a.sample(7, 0, BLOCK))
    assert np.array_equal(one[BLOCK:], a.sample(7, BLOCK, BLOCK + 3))


def test_adding_an_input_leaves_the_others_draws_unchanged() -> None:
    """An ensemble whose only input is the amount, and the same ensemble with a second input
    (a factor on the jobs coefficients) added: output draws are bit for bit the same, jobs
    draws are not."""
    import impactsim as ims

    flows = np.array([[10.0, 20.0], [15.0, 5.0]])
    table = ims.IOTable.from_arrays(
        flows, np.array([[55.0], [80.0]]), np.array([[30.0, 40.0], [30.0, 35.0]]),
        sectors=["a", "b"], value_added_components=["compensation", "operating_surplus"],
        imports=np.array([0.0, 0.0]), employment=np.array([4.0, 3.0]))
    model = ims.LeontiefModel(table)
    demand = u.LinearDemand(("all",), (u.DemandTerm(np.array([0.5, 0.5]), [1.0], ("amount",)),))
    amount = u.Parameter("amount", u.Uniform(80.0, 120.0))
    jobs = u.Parameter("jobs", u.LogNormal(1.0, 0.2))
    alone = u.simulate(u.Ensemble.from_model(model, demand, (amount,), induced=False),
                       draws=50, seed=3)
    both = u.simulate(u.Ensemble.from_model(model, demand, (amount, jobs), induced=False,
                                            measure_factors={"employment": "jobs"}),
                      draws=50, seed=3)
    k_out, k_jobs = model.measures.index("output"), model.measures.index("employment")
    np.testing.assert_array_equal(alone.totals[..., k_out], both.totals[..., k_out])
    assert not np.array_equal(alone.totals[..., k_jobs], both.totals[..., k_jobs])
