"""Reports of a scenario result: one self-contained HTML page, or markdown with chart files.

The HTML page embeds its charts as inline SVG and its style as inline CSS: no external asset, no
network access, one file to e-mail. A ten-line script records each chart's rendered size and
any script error in ``<pre id="render-check">`` (hidden), so an automated browser check can
confirm that the page rendered. The markdown variant writes the same tables and the charts as SVG
files in a ``<name>_files/`` folder beside it.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .._version import __version__
from ..errors import ImpactsimError
from ..scenario.claims import ClaimComparison, compare_claims
from ..scenario.result import ScenarioResult
from . import energy, extra_tables, regions, tables, views
from .appraisal import appraisal_display
from .charts import effects_chart, figure_svg, sectors_chart, years_chart
from .escape import md_text
from .payload import result_payload
from .writers import json_dumps, write_files

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of a report: an id, a caption and the figure (matplotlib)."""

    id: str
    caption: str
    figure: Figure


# ----------------------------------------------------------------------------- charts
def plot_effects(result: ScenarioResult) -> Figure:
    """Figure: direct / indirect / induced effects per phase, one panel per measure."""
    summary = views.effects_summary(result)
    units = tables.display_units(result, summary)
    scaled = tables.scale_money(result, summary)
    return effects_chart(scaled, units=units, title=tables.scenario_title(result))


def plot_sectors(
    result: ScenarioResult, *, measure: str = "employment", phase: str = "construction",
    top: int = 10,
) -> Figure:
    """Figure: the ``top`` sectors by effect on ``measure`` in ``phase``, stacked by effect."""
    frame = result.top_sectors(measure=measure, phase=phase, n=top)
    labels = [f"{s} {n}".strip() for s, n in zip(frame.index, frame["name"], strict=True)]
    data = frame.drop(columns=["name", "share"])
    data.index = labels
    unit = tables.unit_label(result, measure, phase)
    if result.registry.get_or_physical(measure).is_money:
        scale = views.money_scale(result.table, data.to_numpy())
        data = data * scale.factor
        unit = scale.label
    title = f"{extra_tables.measure_label(measure, result.table)} by sector, {phase}"
    return sectors_chart(data, title=title, unit=unit)


def plot_years(result: ScenarioResult, *, measure: str = "employment") -> Figure:
    """Figure: ``measure`` by calendar year, construction and operations side by side."""
    frame = views.by_year(result, measure=measure)
    kind = result.registry.get_or_physical(measure)
    unit = "jobs in the year" if kind.is_jobs else result.units_for()[measure]
    if kind.is_money:
        scale = views.money_scale(result.table, frame.to_numpy())
        frame = frame * scale.factor
        unit = scale.label
    title = f"{extra_tables.measure_label(measure, result.table)} by year"
    return years_chart(frame, title=title, unit=unit)


def report_charts(result: ScenarioResult) -> list[Chart]:
    """The report's charts: effects overview, jobs (value added on a table without jobs) by
    sector per phase and by year."""
    measure = result.lead_measure
    what = "Jobs" if measure == "employment" else "Value added"
    charts = [Chart("effects", "Direct, indirect and induced effects by phase",
                    plot_effects(result))]
    for phase in result.phases:
        charts.append(Chart(f"sectors-{phase}", f"{what} by sector, {phase} "
                            f"({tables.unit_label(result, measure, phase)})",
                            plot_sectors(result, measure=measure, phase=phase)))
    charts.append(Chart("years", f"{what} by year (construction and operations side by side)",
                        plot_years(result, measure=measure)))
    energy_fig = energy.plot_energy(result)  # None without a physical account (docs/energy.md)
    if energy_fig is not None:
        charts.append(Chart("energy", energy.energy_chart_caption(), energy_fig))
    for phase in result.phases:
        fig = plot_tornado(result, phase=phase, measure=measure)
        if fig is not None:
            charts.append(Chart(f"tornado-{phase}", f"What drives the range of "
                                f"{what.lower()}, {phase} (one-at-a-time low/high swings)", fig))
    return charts


def plot_tornado(
    result: ScenarioResult, *, phase: str, measure: str = "employment"
) -> Figure | None:
    """Tornado chart of the inputs driving ``measure`` in ``phase`` (runs with draws only)."""
    if result.n_draws < 2:
        return None
    try:
        sens = result.sensitivity(measure, phase=phase)
    except ImpactsimError:  # e.g. a measure without uncertain inputs
        return None
    return sens.plot_tornado()


# ----------------------------------------------------------------------------- markdown
def render_markdown(result: ScenarioResult, *, comparisons: Sequence[ClaimComparison] | None = None,
                    chart_dir: str | None = None) -> tuple[str, dict[str, bytes]]:
    """Markdown text of the report and its chart files (name → SVG bytes).

    ``chart_dir`` is the folder name the markdown links charts under (relative to the file); with
    ``None`` no charts are linked or returned.
    """
    info = tables.scenario_info(result)
    comparisons = list(comparisons) if comparisons is not None else _claims(result)
    esc = md_text  # scenario text is HTML- and Markdown-escaped (docs/security.md)
    lines = [f"# {esc(info['title'])}", ""]
    if info["file"]:
        lines.append(f"Scenario file: {esc(info['file'])}  ")
    lines += [f"{esc(info['table'])}  ", f"**{esc(result.central_line())}**  ",
              f"{tables.draws_line(result)}; impactsim {__version__}, "
              f"{_dt.date.today().isoformat()}", ""]
    lines += ["## Caveats", ""] + [f"- {esc(c)}" for c in tables.caveats(result)] + [""]
    for phase in result.phases:
        frame, unit = tables.headline_display(result, phase)
        basis = f"*{esc(result.phase_basis(phase))}; {esc(unit)}*"
        lines += [f"## {phase.capitalize()}", "", basis, "",
                  tables.md_table(tables.headers(frame, result.table)), ""]
        q = tables.quantile_display(result, phase)
        if q is not None:
            ranges = tables.md_table(tables.headers(q[0], result.table))
            lines += [f"Ranges of the total ({esc(q[1])}):", "", ranges, ""]
        lines += _more_markdown(result, phase)
        if result.is_provincial:  # where the effects happen (docs/regions.md)
            split, split_unit = regions.split_display(result, phase)
            lines += [f"Where it happens ({esc(split_unit)}):", "", tables.md_table(split), ""]
    shown = appraisal_display(result)
    if shown is not None:
        lines += ["## Net and present values (appraisal)", "", f"*{esc(shown[1])}*", "",
                  tables.md_table(shown[0]), ""]
    lines += energy.energy_markdown(result)  # physical account (docs/energy.md)
    files: dict[str, bytes] = {}
    if chart_dir is not None:
        lines += ["## Charts", ""]
        for chart in report_charts(result):
            name = f"{chart.id}.svg"
            files[name] = figure_svg(chart.figure, salt=chart.id).encode("utf-8")
            lines += [f"![{esc(chart.caption)}]({chart_dir}/{name})", ""]
    for phase in result.phases:
        measure, words = tables.top_by(result)
        top = result.top_sectors(measure=measure, phase=phase)
        top = top.assign(share=(top["share"] * 100).round(1))
        lines += [f"## Top sectors by {words}, {phase}", "", tables.md_table(top.rename(
            columns={"share": "share %"})), ""]
    if comparisons:
        claims = tables.md_table(tables.claims_table(comparisons), index=False)
        lines += ["## Claims", "", claims, ""]
        for c in comparisons:
            lines.append(f"- **{esc(c.claim.text)}** ({c.verdict}"
                         + (f"; source: {esc(c.claim.source)}" if c.claim.source else "") + ")")
            lines.append(f"  - model: {esc(c.basis or c.note)}")
            if c.detail:
                lines.append(f"  - by reading: {esc(c.detail)}")
            for e in c.explanations:
                mark = " ← would close the gap" if e.closes_gap else ""
                lines.append(f"  - {esc(e.kind)}: {esc(e.text)}{mark}")
            if c.readings:
                head = f"Readings of {esc(c.claim.id)} ({esc(c.unit)}; ▶ the primary reading):"
                lines += ["", head, "", tables.md_table(tables.readings_table(c), index=False), ""]
        lines.append("")
    return "\n".join(lines), files


def _more_markdown(result: ScenarioResult, phase: str) -> list[str]:
    """Value added by component and the spillover decomposition (multi-region) of a phase."""
    lines: list[str] = []
    split = extra_tables.va_split_display(result, phase)
    if split is not None:
        lines += [f"Value added by component ({md_text(split[1])}):", "",
                  tables.md_table(split[0]), ""]
    spill = extra_tables.spillover_display(result, phase)
    if spill is not None:
        parts, by_region, caption = spill
        lines += [f"Intra-regional, feedback and spillover effects ({md_text(caption)}):", "",
                  tables.md_table(tables.headers(parts, result.table)), "",
                  tables.md_table(by_region), ""]
    return lines


def _more_html(result: ScenarioResult, phase: str) -> list[str]:
    esc = html.escape
    parts: list[str] = []
    split = extra_tables.va_split_display(result, phase)
    if split is not None:
        parts += [f'<p class="meta">Value added by component: {esc(split[1])}</p>',
                  _html_table(split[0])]
    spill = extra_tables.spillover_display(result, phase)
    if spill is not None:
        frame, by_region, caption = spill
        parts += [f'<p class="meta">Intra-regional, feedback and spillover effects: '
                  f"{esc(caption)}</p>", _html_table(tables.headers(frame, result.table)),
                  _html_table(by_region, total_row=None)]
    return parts


def _claims(result: ScenarioResult) -> list[ClaimComparison]:
    return compare_claims(result)


# ----------------------------------------------------------------------------- HTML
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:68rem;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #ddd;padding-bottom:.2rem}
.meta{color:#555;font-size:.9rem}table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}
th,td{padding:.25rem .6rem;border-bottom:1px solid #e5e5e5;text-align:right}
th:first-child,td:first-child{text-align:left}td.text,th.text{text-align:left}
tr.total td{font-weight:600;border-top:1px solid #999}
figure.chart{margin:1rem 0}figure.chart svg{max-width:100%;height:auto}
figcaption{font-size:.85rem;color:#555}.verdict-consistent{color:#1a7f37}
.verdict-above,.verdict-below{color:#b35900}.caveats li{font-size:.9rem}
#render-check{display:none}
"""

_CHECK_JS = """
(function(){var errs=[];window.addEventListener('error',function(e){errs.push(String(e.message));});
window.addEventListener('load',function(){var out=[];
document.querySelectorAll('figure.chart').forEach(function(f){var s=f.querySelector('svg');
var r=s?s.getBoundingClientRect():{width:0,height:0};
out.push({id:f.id,width:Math.round(r.width),height:Math.round(r.height)});});
document.getElementById('render-check').textContent=JSON.stringify({charts:out,errors:errs});});
})();
"""


def _html_table(frame: pd.DataFrame, *, index: bool = True, total_row: str | None = "total",
                text_cols: Sequence[str] = ()) -> str:
    head = ([frame.index.name or ""] if index else []) + [str(c) for c in frame.columns]
    ths = "".join(
        f'<th class="text">{html.escape(h)}</th>' if h in text_cols
        else f"<th>{html.escape(h)}</th>"
        for h in head
    )
    rows = []
    for ix, row in frame.iterrows():
        cls = ' class="total"' if total_row is not None and ix == total_row else ""
        cells = [f"<td>{html.escape(str(ix))}</td>"] if index else []
        for col, v in zip(frame.columns, row.tolist(), strict=True):
            klass = ' class="text"' if str(col) in text_cols else ""
            if str(col) == "verdict":
                klass = f' class="text verdict-{str(v).replace(" ", "-")}"'
            cells.append(f"<td{klass}>{html.escape(tables.cell(v))}</td>")
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def render_html(
    result: ScenarioResult, *, comparisons: Sequence[ClaimComparison] | None = None
) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG charts)."""
    info = tables.scenario_info(result)
    comparisons = list(comparisons) if comparisons is not None else _claims(result)
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(info['title'])} — impactsim report</title>",
        f"<style>{_CSS}</style>",
        f"<script>{_CHECK_JS}</script>",
        "</head><body>",
        f"<h1>{esc(info['title'])}</h1>",
        '<p class="meta">',
    ]
    if info["file"]:
        parts.append(f"Scenario file: <code>{esc(info['file'])}</code><br>")
    parts += [
        f"{esc(info['table'])}<br>",
        f"<b>{esc(result.central_line())}</b><br>",
        f"{esc(tables.draws_line(result))}; impactsim {esc(__version__)}, "
        f"{_dt.date.today().isoformat()}</p>",
        '<h2>Caveats</h2><ul class="caveats">',
        *[f"<li>{esc(c)}</li>" for c in tables.caveats(result)],
        "</ul>",
    ]
    for phase in result.phases:
        frame, unit = tables.headline_display(result, phase)
        parts += [f"<h2>{esc(phase.capitalize())}</h2>",
                  f'<p class="meta">{esc(result.phase_basis(phase))}; {esc(unit)}</p>',
                  _html_table(tables.headers(frame, result.table))]
        q = tables.quantile_display(result, phase)
        if q is not None:
            parts += [f'<p class="meta">Ranges of the total: {esc(q[1])}</p>',
                      _html_table(tables.headers(q[0], result.table), total_row=None)]
        parts += _more_html(result, phase)
        if result.is_provincial:  # where the effects happen (docs/regions.md)
            split, split_unit = regions.split_display(result, phase)
            parts += [f'<p class="meta">Where it happens: {esc(split_unit)}</p>',
                      _html_table(split, total_row=regions.KOREA)]
    shown = appraisal_display(result)
    if shown is not None:
        parts += ["<h2>Net and present values (appraisal)</h2>",
                  f'<p class="meta">{esc(shown[1])}</p>',
                  _html_table(shown[0], total_row=None)]
    parts += energy.energy_html(result, _html_table)  # physical account (docs/energy.md)
    parts.append("<h2>Charts</h2>")
    for chart in report_charts(result):
        svg = figure_svg(chart.figure, salt=chart.id)
        parts.append(f'<figure class="chart" id="chart-{esc(chart.id)}">{svg}'
                     f"<figcaption>{esc(chart.caption)}</figcaption></figure>")
    for phase in result.phases:
        measure, words = tables.top_by(result)
        top = result.top_sectors(measure=measure, phase=phase)
        top = top.assign(share=(top["share"] * 100).round(1)).rename(columns={"share": "share %"})
        parts += [f"<h2>Top sectors by {words}, {esc(phase)}</h2>",
                  _html_table(top, total_row=None, text_cols=("sector", "name"))]
    if comparisons:
        parts += ["<h2>Claims</h2>",
                  _html_table(tables.claims_table(comparisons), index=False, total_row=None,
                              text_cols=("claim", "claimed", "model", "verdict")),
                  "<ul>"]
        for c in comparisons:
            src = f"; source: {esc(c.claim.source)}" if c.claim.source else ""
            items = f"<li>model: {esc(c.basis or c.note)}</li>" + "".join(
                f"<li>{esc(e.kind)}: {esc(e.text)}"
                + (" <b>(would close the gap)</b>" if e.closes_gap else "") + "</li>"
                for e in c.explanations
            )
            parts.append(f"<li><b>{esc(c.claim.text)}</b> ({esc(c.verdict)}{src})"
                         f"<ul>{items}</ul></li>")
        parts.append("</ul>")
    data = json_dumps(result_payload(result, list(comparisons), file=info["file"]))
    parts += ['<pre id="render-check"></pre>',
              # the numbers of the page as data, in the result's units (present/payload.py)
              '<script type="application/json" id="impactsim-data">'
              + data.replace("</", "<\\/") + "</script>",
              "</body></html>"]
    return "\n".join(parts)


def write_report(result: ScenarioResult, path: str | Path, *,
                 comparisons: Sequence[ClaimComparison] | None = None,
                 charts: bool = True) -> list[Path]:
    """Write the report to ``path`` (``.html`` / ``.htm`` → HTML, ``.md`` → markdown with a
    ``<stem>_files/`` chart folder), atomically. Returns the paths written."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix in (".html", ".htm"):
        return write_files({target: render_html(result, comparisons=comparisons)})
    if suffix in (".md", ".markdown"):
        folder = f"{target.stem}_files"
        text, files = render_markdown(result, comparisons=comparisons,
                                      chart_dir=folder if charts else None)
        payload: dict[Path, bytes | str] = {target.parent / folder / k: v for k, v in files.items()}
        payload[target] = text
        return write_files(payload)
    raise ValueError(f"{target}: report format from the suffix must be .html or .md")

