"""The claims' model figures come from the result itself, cheaply and exactly:

* the figures by phase, year and effect (summed from ``result.values``) equal the pivot of the
  tidy frame (:meth:`ScenarioResult.to_frame`) filtered on the measure, the investments and the
  region, to the last bit — for a subset of investments and for one region of a provincial run;
* the "no import leakage" factors use the multiplier row of the model the run solved (its
  household closure), checked against a dense inverse ``(I − Ā)⁻¹`` of that model's bordered
  matrix (an independent route: no LU, no bordering formula).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import impactsim as ims
from _report_support import fake_result
from impactsim.scenario.readings import _phase_year_frames, leakage_factors, model_figures

ROOT = Path(__file__).resolve().parents[1]


def _pivots(result: ims.ScenarioResult, measure: str, investments: tuple[str, ...],
            region: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    tidy = result.to_frame()
    tidy = tidy[(tidy["measure"] == measure) & tidy["effect"].isin(result.effects)]
    if investments:
        tidy = tidy[tidy["investment"].isin(list(investments))]
    if region is not None:
        tidy = tidy[tidy["region"].astype(str).str.upper() == region.upper()]
    yearly = tidy.pivot_table(index="year", columns="phase", values="value", aggfunc="sum",
                              fill_value=0.0)
    by = tidy.pivot_table(index=["phase", "year"], columns="effect", values="value",
                          aggfunc="sum", fill_value=0.0)
    return yearly, by


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert [str(c) for c in a.columns] == [str(c) for c in b.columns]
    assert list(map(str, a.index.tolist())) == list(map(str, b.index.tolist()))
    assert np.array_equal(a.to_numpy(dtype=float), b.to_numpy(dtype=float))  # to the last bit


@pytest.mark.parametrize("measure", ["employment", "output"])
@pytest.mark.parametrize("investments", [(), ("inv",), ("other",)])
def test_figures_equal_the_tidy_pivot_for_investments(measure: str,
                                                      investments: tuple[str, ...]) -> None:
    result = fake_result(other_investment=True)
    got = _phase_year_frames(result, measure, investments, None)
    want = _pivots(result, measure, investments, None)
    _same(got[0], want[0])
    _same(got[1], want[1])


def test_figures_equal_the_tidy_pivot_for_a_province() -> None:
    result = ims.run(ROOT / "scenarios" / "korea-provinces.yaml", draws=0)
    assert result.is_provincial
    for region in (None, *result.regions[:2]):
        got = _phase_year_frames(result, "employment", (), region)
        want = _pivots(result, "employment", (), region)
        _same(got[0], want[0])
        _same(got[1], want[1])
    fig = model_figures(result, "employment", region=result.regions[0])
    assert fig.cumulative and all(v >= 0 for v in fig.cumulative.values())


def test_leakage_factors_use_the_model_the_run_solved() -> None:
    result = ims.run(ROOT / "scenarios" / "korea.yaml", draws=0)
    model = result.model
    assert model is not None and result.sourcing is not None
    assert model.table is result.sourcing.table and result.induced
    factors = leakage_factors(result, "employment")
    assert set(factors) >= {"construction", "operations"}
    # μ′ = c′ (I − Ā)⁻¹ on the industries, Ā the run's bordered matrix, inverted densely
    n = model.table.n
    a_bar = model.closed_coefficients.to_numpy()
    l_bar = np.linalg.inv(np.eye(n + 1) - a_bar)
    c = model.measure_coefficients[list(model.measures).index("employment")]
    mu = c @ l_bar[:n, :n]
    audit = result.shocks.audit
    audit = audit[audit["sector"].notna()]
    pos = {s: i for i, s in enumerate(model.table.sectors)}
    for phase, factor in factors.items():
        part = audit[audit["phase"] == phase]
        idx = part["sector"].map(pos).astype(int).to_numpy()
        gross, dom = part["table_units"].to_numpy(), part["domestic"].to_numpy()
        want = (mu[idx] @ gross) / (mu[idx] @ dom)
        assert factor == pytest.approx(want, rel=1e-9)
        assert factor >= 1.0  # imported spending, solved as if domestic, adds effects
    assert factors["construction"] > 1.2  # imported servers and accelerators
