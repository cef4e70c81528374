"""Helpers for the uncertainty tests: balanced random tables and small ensembles."""

from __future__ import annotations

import numpy as np

import impactsim as ims
from impactsim import uncertainty as u


def random_table(n: int, seed: int, *, density: float = 0.8) -> ims.IOTable:
    """A balanced table built backwards from a productive ``A`` and final demand ``y ≥ 0``.

    ``x = (I − A)⁻¹ y``, ``Z = A x̂``; what a column does not buy domestically is split into
    imports (20 %), compensation (50 %) and operating surplus (30 %); jobs ∝ output.
    """
    rng = np.random.default_rng(seed)
    a = rng.random((n, n)) * (rng.random((n, n)) < density)
    sums = a.sum(axis=0)
    sums[sums == 0] = 1.0
    a = a / sums * rng.uniform(0.2, 0.7, n)
    y = rng.uniform(10.0, 100.0, (n, 2))
    x = np.linalg.solve(np.eye(n) - a, y.sum(axis=1))
    z = a * x
    rest = x - z.sum(axis=0)
    return ims.IOTable.from_arrays(
        z,
        y,
        np.vstack([0.5 * rest, 0.3 * rest]),
        final_demand_categories=["households", "exports"],
        value_added_components=["compensation", "operating_surplus"],
        imports=0.2 * rest,
        employment=x * rng.uniform(0.01, 0.1, n),
        name=f"random-{n}-{seed}",
        currency="EUR",
        unit=1e6,
    )


def random_model(n: int, seed: int) -> ims.LeontiefModel:
    """A model on :func:`random_table` whose households spend half their income domestically
    (a closure far from the productivity edge, so perturbed draws stay productive)."""
    t = random_table(n, seed)
    return ims.LeontiefModel(t, closure=ims.HouseholdClosure.from_table(t, leakage=0.5))


def two_phase_ensemble(
    model: ims.LeontiefModel,
    *,
    spread: float = 1.0,
    perturbation: u.CoefficientPerturbation | None = None,
    induced: bool = True,
) -> u.Ensemble:
    """Construction (amount × spending shares × local share) and operations (opex) columns.

    ``spread=0`` collapses every range to a point (the base values).
    """
    n = model.table.n
    v1 = np.zeros(n)
    v1[0] = 1.0
    v2 = np.zeros(n)
    v2[n - 1] = 0.6
    v2[n // 2] = 0.4
    v3 = np.full(n, 1.0 / n)
    terms = (
        u.DemandTerm(v1, [1.0, 0.0], ("amount", ("shares", 0), "local"), "equipment"),
        u.DemandTerm(v2, [1.0, 0.0], ("amount", ("shares", 1)), "building"),
        u.DemandTerm(v3, [0.0, 1.0], ("opex",), "operations"),
    )
    s = spread
    params = (
        u.Parameter("amount", u.Triangular(100.0 - 20 * s, 100.0, 100.0 + 40 * s)),
        u.Parameter(
            "shares",
            u.Dirichlet((0.6, 0.4), None if s == 0 else 40.0, ("equipment", "building")),
        ),
        u.Parameter("local", u.Uniform(0.5 - 0.2 * s, 0.5 + 0.2 * s)),
        u.Parameter("opex", u.Normal(10.0, 1.5 * s)),
        u.Parameter("jobs", u.LogNormal(1.0, 0.1 * s)),
    )
    return u.Ensemble.from_model(
        model,
        u.LinearDemand(("construction", "operations"), terms),
        params,
        perturbation=perturbation,
        measure_factors={"employment": "jobs"},
        induced=induced,
    )
