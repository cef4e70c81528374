"""Reports: self-contained HTML (checked in a real headless browser), markdown, charts.

Numbers are hand calculations on Miller & Blair's two-sector table (see _report_support): the
construction phase buys 300 of MAN output (100 + 200), so direct output is 300, direct jobs
300 × 40/2000 = 6, and indirect output is L[:, MAN] · 300 − 300 = 300 × (0.25, 0.85)/0.7575 −
(0, 300) = (99.0099, 36.6337), i.e. 135.64 in all.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import impactsim as ims
from _report_support import fake_result
from impactsim.present import report, tables, views

OUT = Path(__file__).resolve().parents[1] / "out"


def test_views_headline_matches_hand_calculation() -> None:
    res = fake_result(induced=False)
    head = res.headline("construction")
    assert list(head.index) == ["direct", "indirect", "total"]
    assert head.loc["direct", "output"] == pytest.approx(300.0)
    assert head.loc["direct", "employment"] == pytest.approx(6.0)
    assert head.loc["indirect", "output"] == pytest.approx(300 * 1.1 / 0.7575 - 300)
    # value added with no imports: the VA multiplier is 1, so total VA = final demand
    assert head.loc["total", "value_added"] == pytest.approx(300.0)
    years = views.by_year(res)
    assert years.loc[2027, "construction"] == pytest.approx(2 * years.loc[2026, "construction"])
    assert years.loc[2026, "operations"] == 0.0


def test_top_sectors_order_and_shares() -> None:
    res = fake_result(induced=False)
    top = res.top_sectors(phase="construction")
    # MAN: 6 direct + 36.6337 × 0.02 indirect; AGR: 99.0099 × 0.01
    assert list(top.index) == ["MAN", "AGR"]
    assert top.loc["AGR", "total"] == pytest.approx(300 * 0.25 / 0.7575 * 0.01)
    assert top["share"].sum() == pytest.approx(1.0)
    assert top.loc["MAN", "name"] == "Manufacturing"


def test_cumulative_adds_years_and_phases_in_job_years() -> None:
    res = fake_result(induced=False)
    whole = res.cumulative()
    # construction 300 of demand + operations 25 + 50 of AGR demand; VA multiplier is 1
    assert whole.loc["total", "value_added"] == pytest.approx(375.0)
    assert "2026–2029" in res.cumulative_basis()


def test_money_scale_picks_readable_unit() -> None:
    meta = fake_result().table  # million USD
    scale = views.money_scale(meta, [7_000_000.0])  # 7 trillion USD
    assert scale.label == "billion USD" and scale.factor == pytest.approx(1e-3)
    assert views.money_scale(meta, [300.0]).label == "million USD"


def test_html_is_self_contained() -> None:
    html = report.render_html(fake_result())
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg") == 4  # effects, sectors × 2 phases, years
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html
    assert "Construction" in html and "Operations" in html
    assert "job-years" in html and "jobs per year" in html


def test_markdown_report_and_chart_files(tmp_path: Path) -> None:
    written = report.write_report(fake_result(induced=False), tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text()
    assert "| direct | 6 |" in text  # 6 direct job-years, hand-calculated
    charts = sorted(p.name for p in (tmp_path / "r_files").iterdir())
    assert charts == [
        "effects.svg",
        "sectors-construction.svg",
        "sectors-operations.svg",
        "years.svg",
    ]
    for name in charts:
        assert f"(r_files/{name})" in text
    assert len(written) == 5


def test_plot_functions_return_figures() -> None:
    from matplotlib.figure import Figure

    res = fake_result()
    fig = ims.plot_sectors(res, phase="construction", top=1)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert len(ax.patches) == 3  # one sector × direct/indirect/induced
    assert isinstance(ims.plot_years(res), Figure)
    effects = ims.plot_effects(res)
    assert len(effects.axes) == 4  # employment, income, value added, output


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


@pytest.mark.slow  # starts a browser
@pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (Debian: apt-get install chromium; .ci/run installs it)",
)
def test_html_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    korea = Path(__file__).resolve().parents[1] / "scenarios" / "korea.yaml"
    if korea.exists():  # the real thing when shipped; the two-sector stand-in otherwise
        import impactsim as ims

        result = ims.run(ims.Scenario.from_yaml(korea))
    else:
        result = fake_result()
    report.write_report(result, page)
    base = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [*base, "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = re.search(r'<pre id="render-check">(.*?)</pre>', dom, re.S)
    assert found and found.group(1), "the page's check script did not run"
    check = json.loads(found.group(1).replace("&quot;", '"'))
    assert check["errors"] == []
    assert len(check["charts"]) >= 4
    for chart in check["charts"]:
        assert chart["width"] > 200 and chart["height"] > 100, chart
    OUT.mkdir(exist_ok=True)
    shot = OUT / "report-screenshot.png"
    subprocess.run(
        [*base, "--window-size=1200,4200", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.stat().st_size > 20_000  # a blank page is a few kB


def test_report_on_a_world_table_without_jobs(tmp_path: Path) -> None:
    """The world table (WIOD) has no employment: charts and top sectors use value added, and
    the caveats say what a multi-region table does instead of 'imports leak abroad'."""
    apec = Path(__file__).resolve().parents[1] / "scenarios" / "apec-aws.yaml"

    result = ims.run(ims.Scenario.from_yaml(apec))
    assert result.is_multiregional and result.lead_measure == "value_added"
    written = report.write_report(result, tmp_path / "apec.md")
    text = (tmp_path / "apec.md").read_text()
    assert len(written) > 1 and "Top sectors by value added" in text
    assert "Jobs by" not in text and "employment in" not in text
    assert tables.WORLD_CAVEAT in text and tables.CAVEATS[2] not in text
