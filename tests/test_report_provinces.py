"""The regional split of a provincial run in the CLI headline and the reports."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import impactsim as ims
from impactsim.present.regions import ABROAD, KOREA, REST, split_display
from impactsim.present.report import render_html, render_markdown

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ulsan() -> ims.ScenarioResult:
    return ims.run(ROOT / "scenarios" / "ulsan-province.yaml")


def test_split_display_adds_up(ulsan: ims.ScenarioResult) -> None:
    frame, unit = split_display(ulsan, "construction")
    assert list(frame.index) == ["Ulsan", REST, ABROAD, KOREA]
    pct = frame["% of spending (value created)"]
    # stays + spills + leaks = 100 %; Korea = stays + spills.
    assert pct["Ulsan"] + pct[REST] + pct[ABROAD] == pytest.approx(100.0, abs=1e-6)
    assert pct[KOREA] == pytest.approx(pct["Ulsan"] + pct[REST], abs=1e-9)
    jobs = ulsan.summary(phase="construction").loc["total", "employment"]
    assert frame.loc[KOREA, "employment"] == pytest.approx(jobs, rel=1e-12)
    assert frame.loc["Ulsan", "employment"] + frame.loc[REST, "employment"] == pytest.approx(jobs)
    assert "job-years" in unit


def test_reports_and_cli_show_the_split(ulsan: ims.ScenarioResult) -> None:
    page = render_html(ulsan)
    assert "Where it happens" in page and "rest of Korea" in page and "two-region" in page
    text, _ = render_markdown(ulsan)
    assert "Where it happens" in text and "| Ulsan |" in text
    from typer.testing import CliRunner

    from impactsim.cli.app import app

    out = CliRunner().invoke(app, ["run", str(ROOT / "scenarios" / "ulsan-province.yaml")])
    assert out.exit_code == 0, out.output
    assert "where it happens" in out.output and "abroad (imports)" in out.output
    js = CliRunner().invoke(app, ["run", str(ROOT / "scenarios" / "ulsan-province.yaml"),
                                  "--json"])
    assert js.exit_code == 0 and '"regional_split"' in js.output


def test_national_claim_on_a_provincial_run_reads_the_korea_total() -> None:
    res = ims.run(ROOT / "scenarios" / "korea-provinces.yaml")
    (cmp,) = ims.compare_claims(res)
    assert "Korea as a whole" in cmp.basis
    # the Korea total of the provincial run is the national run: the same reading, same figure
    (national,) = ims.compare_claims(ims.run(ROOT / "scenarios" / "korea.yaml", draws=0))
    assert cmp.reading == national.reading
    assert cmp.model_mid == pytest.approx(national.model_mid, rel=1e-9)
    nat = ims.run(ROOT / "scenarios" / "ulsan.yaml", draws=0)
    claim = {"id": "ulsan-jobs", "text": "x jobs in Ulsan", "measure": "employment",
             "value": 1000, "unit": "jobs", "region": "Ulsan", "source": "test"}
    (c2,) = ims.compare_claims(nat, [claim])
    assert c2.verdict == "not comparable" and "provincial run" in c2.note


@pytest.mark.parametrize(("national", "provincial"), [
    ("korea.yaml", "korea-provinces.yaml"), ("ulsan.yaml", "ulsan-province.yaml"),
])
def test_provincial_variant_adds_up_to_its_national_scenario(national: str,
                                                             provincial: str) -> None:
    """The regional variants beside the national scenarios place the same spending in
    provinces: their Korea totals (provinces + rest of Korea) equal the national run — the
    identity of the two-region construction — so the two files cannot drift apart."""
    nat = ims.run(ROOT / "scenarios" / national, draws=0).summary()
    prov = ims.run(ROOT / "scenarios" / provincial, draws=0).summary()
    cols = ["employment", "value_added", "output", "income"]
    np.testing.assert_allclose(prov[cols].to_numpy(), nat[cols].to_numpy(), rtol=1e-9)
