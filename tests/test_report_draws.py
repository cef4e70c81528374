"""Runs with Monte Carlo draws: quantile tables in reports and JSON, P5–P95 as the model's range
in claim comparisons, and the progress hook of ``impactsim run``.

The draws are a stand-in with the interface of ``impactsim.uncertainty.Draws`` (``n_draws``,
``seed``, ``quantiles(phase)`` → rows effect, columns (measure, quantile)); its quantiles are
set by hand to 0.8× / 1× / 1.3× the central result so the expected ranges are known exactly.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

import impactsim as ims
from _report_support import fake_result
from impactsim import simulate
from impactsim.cli.app import run_one
from impactsim.present import report
from impactsim.scenario.claims import compare_claims

FACTORS = {"P5": 0.8, "P50": 1.0, "P95": 1.3}


class StubDraws:
    n_draws = 500
    seed = 7

    def __init__(self, result: Any) -> None:
        self._result = result

    def quantiles(self, phase: Any = None, *, q: Any = None) -> pd.DataFrame:
        head = self._result.headline(phase)
        cols = pd.MultiIndex.from_product([list(head.columns), list(FACTORS)],
                                          names=["measure", "quantile"])
        data = {(m, q): head[m] * f for m in head.columns for q, f in FACTORS.items()}
        return pd.DataFrame(data, index=head.index, columns=cols)


    def sensitivity(self, measure: str, *, phase: str, effect: str = "total") -> Any:
        raise ims.OptionError("the stand-in draws carry no input samples")


def with_draws(**kw: Any) -> Any:
    base = fake_result(induced=False, **kw)
    res = replace(base)
    object.__setattr__(res, "draws", StubDraws(base))
    return res


def test_quantiles_view_and_report_tables() -> None:
    res = with_draws()
    q = res.headline_quantiles("construction")
    assert q is not None and list(q.index) == ["P5", "P50", "P95"]
    central = res.headline("construction").loc["total", "employment"]
    assert q.loc["P95", "employment"] == pytest.approx(1.3 * central)
    md, _ = report.render_markdown(res)
    assert "Ranges of the total" in md and "500 Monte Carlo draws, seed 7" in md
    html = report.render_html(res)
    assert "Ranges of the total" in html
    assert fake_result().headline_quantiles("construction") is None  # no draws: no ranges


def test_claim_range_is_p5_p95_with_draws() -> None:
    claim = {"id": "c", "text": "t", "measure": "employment", "unit": "job-years",
             "source": "s", "phase": "construction", "value": 9.5}
    res = with_draws(claims=[claim])
    (comp,) = compare_claims(res)
    central = res.headline("construction").loc["total", "employment"]
    assert (comp.model_low, comp.model_high) == pytest.approx((0.8 * central, 1.3 * central))
    assert "P5–P95" in comp.basis
    assert comp.verdict == "consistent"  # 9.5 lies in [6.18, 10.04]; ±25 % would end at 9.65


def test_run_passes_a_progress_hook_when_the_library_takes_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # stderr counts as a terminal: the bar is drawn
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    calls: list[tuple[int, int]] = []

    def fake_run(scenario: Any, *, draws: Any = None, seed: Any = None, executor: Any = None,
                 induced: bool = True, progress: Any = None) -> str:
        assert progress is not None
        for done in (100, 200):
            progress(done, 200)
            calls.append((done, 200))
        return "result"

    monkeypatch.setattr(simulate, "run", fake_run)
    scenario = SimpleNamespace(name="s", uncertainty=SimpleNamespace(draws=200))
    out = run_one(scenario, induced=True, draws=None, seed=3, executor=None,
                  dask_address=None, progress=True)
    assert out == "result" and calls == [(100, 200), (200, 200)]

    def plain_run(scenario: Any, **kw: Any) -> Any:
        assert "progress" not in kw
        return kw

    monkeypatch.setattr(simulate, "run", plain_run)
    kw = run_one(scenario, induced=False, draws=0, seed=None, executor=None,
                 dask_address=None, progress=True)
    assert kw == {"induced": False, "draws": 0}
