"""The claim-checker gallery: one self-contained page per announcement and an index that sets
them side by side.

Each page shows the announcement in its seed record's words (amounts as stated, source, claims),
the scenario, the headline by phase with the P5–P95 of the draws, the claims against the model,
where the effects land, the charts, and an **explorer**: sliders for the amounts, the local
shares by spending category, deadweight, displacement and the discount rate that recompute the
headline and appraisal in the browser. The page carries the per-line effects of
:func:`impactsim.simulate.line_effects` and a small script (``gallery_assets/explorer.js``) that
recombines them exactly as :func:`impactsim.scenario.lines.evaluate` does; no economics is done
here. Everything is inline (CSS, script, SVG charts): a page works from a ``file://`` URL with
no network.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .._version import __version__
from ..engine.measures import REGISTRY, format_value, jobs_basis
from ..scenario.appraisal import APPRAISAL_LABELS
from ..scenario.claims import ClaimComparison
from ..scenario.lines import LineEffects
from ..scenario.result import ScenarioResult
from . import extra_tables, regions, tables, views
from .appraisal import appraisal_display
from .charts import figure_svg
from .report import report_charts

ASSETS = Path(__file__).with_name("gallery_assets")
#: Measures the explorer shows, in headline order (imports: see the page's note).
EXPLORER_MEASURES = ("employment", "income", "value_added", "output")
VERDICT_COLOURS = {"consistent": "#1b7837", "above": "#b2182b", "below": "#2166ac"}
esc = html.escape


@dataclass(frozen=True, eq=False)
class GalleryEntry:
    """One announcement of the gallery: the run (with its draws), its per-line effects, the
    scenario file's mapping (for the explorer's "download this scenario"), the seed records it
    names and its claim comparisons. ``page`` is the page's file name."""

    source: str
    result: ScenarioResult
    lines: LineEffects
    data: Mapping[str, Any]
    seeds: tuple[Any, ...]
    comparisons: tuple[ClaimComparison, ...]
    page: str


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def number(v: Any, **kw: Any) -> str:
    return format_value(None if v is None else float(v), **kw)


def _table(frame: pd.DataFrame, *, index: bool = True, text_cols: Sequence[str] = (),
           caption: str = "", total_row: str | None = "total") -> str:
    head = ([str(frame.index.name or "")] if index else []) + [str(c) for c in frame.columns]
    ths = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    rows = []
    for ix, row in frame.iterrows():
        cls = ' class="total"' if total_row is not None and ix == total_row else ""
        cells = [f'<th scope="row">{esc(str(ix))}</th>'] if index else []
        for col, v in zip(frame.columns, row.tolist(), strict=True):
            text = str(v) if str(col) in text_cols or isinstance(v, str) else tables.cell(v)
            klass = ' class="text"' if str(col) in text_cols or isinstance(v, str) else ""
            if str(col) == "verdict":
                klass = f' class="text verdict-{str(v).replace(" ", "-")}"'
            cells.append(f"<td{klass}>{esc(text)}</td>")
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    cap = f'<p class="meta tcap">{esc(caption)}</p>' if caption else ""
    return (f'{cap}<div class="scroll"><table><thead><tr>{ths}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")


# ----------------------------------------------------------------------------- sections
def _announcement(entry: GalleryEntry) -> list[str]:
    out = ['<section id="announcement"><h2>The announcement</h2>']
    if not entry.seeds:
        out.append('<p class="meta">This scenario names no seed record.</p>')
    for seed in entry.seeds:
        amounts = "; ".join(
            f"{qualifier_text(a.qualifier)}{esc(money_text(entry.result, a.value, a.currency))} "
            f"({esc(a.scope)})" for a in seed.amounts)
        when = seed.announced.isoformat() if seed.announced else (seed.announced_as_stated or "")
        src = seed.source
        out += [
            f"<h3>{esc(seed.title)}</h3>",
            '<dl class="facts">',
            f"<dt>Announced</dt><dd>{esc(when)}</dd>",
            f"<dt>Investor</dt><dd>{esc(seed.investor)}"
            + (f" with {esc(', '.join(seed.partners))}" if seed.partners else "") + "</dd>",
            f"<dt>Amount as stated</dt><dd>{amounts}</dd>",
            f"<dt>Period</dt><dd>“{esc(seed.period.as_stated)}”</dd>",
            f"<dt>Where</dt><dd>{esc(', '.join(seed.places or seed.countries))}</dd>",
            f"<dt>Purpose</dt><dd>{esc(seed.purpose)}</dd>",
            f"<dt>Source</dt><dd>{esc(src.kind)} ({src.date.isoformat()}); attributed to "
            f"{esc(src.attributed_to)}; citation: <code>{esc(src.file)}</code></dd>",
            "</dl>",
        ]
        if seed.claims:
            out.append("<p>Claims made with the announcement:</p><ul>")
            out += [f"<li><q>{esc(c.claim)}</q> — {esc(c.attributed_to)}</li>"
                    for c in seed.claims]
            out.append("</ul>")
        out.append('<details><summary>What was stated and what the scenario assumes</summary>'
                   "<p>Stated:</p><ul>" + "".join(f"<li>{esc(s)}</li>" for s in seed.stated)
                   + "</ul><p>Assumed:</p><ul>"
                   + "".join(f"<li>{esc(s)}</li>" for s in seed.assumed) + "</ul>"
                   + ("<p>Overlaps:</p><ul>" + "".join(
                       f"<li>{esc(o.relation)} <code>{esc(o.seed)}</code>: {esc(o.note)}</li>"
                       for o in seed.overlaps) + "</ul>" if seed.overlaps else "")
                   + "</details>")
    out.append("</section>")
    return out


def money_text(result: ScenarioResult, value: float, currency: str) -> str:
    """An amount of money in a readable scale, e.g. ``5,000 million USD``."""
    meta = dataclasses.replace(result.table, currency=currency, unit=1.0)
    scale = views.money_scale(meta, [value])
    return f"{number(value * scale.factor)} {scale.label}"


def qualifier_text(q: str) -> str:
    return {"more-than": "more than ", "up-to": "up to ", "about": "about ",
            "at-least": "at least "}.get(q, "")


def _scenario(entry: GalleryEntry) -> list[str]:
    r = entry.result
    sc = r.scenario
    rows = []
    for line in entry.lines.lines:
        if line.part == "sustaining":
            what = "sustaining capex (per replacement cycle)"
        else:
            what = "total" if line.phase == "construction" else "per year"
        rows.append({"investment": line.investment, "phase": line.phase, "part": line.part,
                     "region": line.region,
                     "amount": f"{number(line.amount)} {line.currency} ({what})",
                     "years": f"{line.years[0]}–{line.years[-1]}" if line.years else "–"})
    frame = pd.DataFrame(rows).drop_duplicates().set_index("investment")
    out = ['<section id="scenario"><h2>The scenario</h2>',
           f"<p>{esc(str(sc.description or ''))}</p>",
           f'<p class="meta">Scenario file <code>{esc(entry.source)}</code>; '
           f"{esc(views.table_caption(r.table))}.<br>{esc(r.caption())}.<br>"
           f"{esc(tables.draws_line(r))}</p>"]
    if r.sourcing_note:
        out.append(f'<p class="meta">{esc(r.sourcing_note)}</p>')
    out.append(_table(frame, text_cols=tuple(frame.columns), total_row=None,
                      caption="Spending lines (money as stated, in the scenario's currency "
                      f"at {sc.price_year} prices)"))
    out.append('<details><summary>Caveats</summary><ul>'
               + "".join(f"<li>{esc(c)}</li>" for c in tables.caveats(r)) + "</ul></details>")
    out.append("</section>")
    return out


def _headline(entry: GalleryEntry) -> list[str]:
    r = entry.result
    out = ['<section id="headline"><h2>Headline by phase</h2>']
    for phase in r.phases:
        frame, unit = tables.headline_display(r, phase)
        out += [f"<h3>{esc(phase.capitalize())}</h3>",
                f'<p class="meta">{esc(r.basis(phase))}; {esc(unit)}</p>',
                _table(tables.headers(frame, r.table))]
        q = tables.quantile_display(r, phase)
        if q is not None:
            out += [f'<p class="meta">Range of the total over the draws: {esc(q[1])}</p>',
                    _table(tables.headers(q[0], r.table), total_row=None)]
    out.append("</section>")
    return out


def _claims(entry: GalleryEntry) -> list[str]:
    out = ['<section id="claims"><h2>Claims and the model</h2>']
    comps = entry.comparisons
    if not comps:
        out.append("<p>The scenario records no claim about effects.</p></section>")
        return out
    out.append(_table(tables.claims_table(comps), index=False,
                      text_cols=("claim", "claimed", "model", "ratio", "verdict", "reading"),
                      total_row=None))
    svg = claims_chart([(entry.result.scenario.name, c) for c in comps])
    if svg:
        out.append(f'<figure class="chart">{svg}<figcaption>Claim / model: the dot is the '
                   "claimed figure over the model's central reading; the bar runs from the claim's "
                   "low end over the model's high end to its high end over the model's low "
                   "end (model range: P5–P95 of the draws, or ±25 % without draws), so it "
                   "crosses 1 exactly when the two overlap.</figcaption></figure>")
    out.append("<ul>")
    for c in comps:
        src = f" Source: {esc(c.claim.source)}." if c.claim.source else ""
        items = f"<li>model: {esc(c.basis or c.note)}</li>" + "".join(
            f"<li>{esc(e.kind)}: {esc(e.text)}"
            + (" <b>(would close the gap)</b>" if e.closes_gap else "") + "</li>"
            for e in c.explanations)
        out.append(f"<li><q>{esc(c.claim.text)}</q> — <b>{esc(c.verdict)}</b>.{src}"
                   f"<ul>{items}</ul></li>")
    out.append("</ul></section>")
    return out


def _where(entry: GalleryEntry) -> list[str]:
    r = entry.result
    measure, words = tables.top_by(r)
    out = ['<section id="where"><h2>Where the effects land</h2>']
    for phase in r.phases:
        top = r.top_sectors(measure=measure, phase=phase)
        top = top.assign(share=(top["share"] * 100).round(1)).rename(columns={"share": "share %"})
        out.append(_table(top, text_cols=("name",), total_row=None,
                          caption=f"Top sectors by {words}, {phase} "
                          f"({tables.unit_label(r, measure, phase)})"))
        if r.is_provincial:
            split, unit = regions.split_display(r, phase)
            out.append(_table(split, total_row=regions.KOREA,
                              caption=f"Where it happens, {phase}: {unit}"))
        elif r.is_multiregional:
            by = r.by_region(measure="value_added", phase=phase).head(10)
            scale = views.money_scale(r.table, by.to_numpy())
            out.append(_table(by * scale.factor, total_row=None,
                              caption=f"Value added by region, {phase} ({scale.label})"))
    out.append("</section>")
    return out


def _appraisal(entry: GalleryEntry) -> list[str]:
    shown = appraisal_display(entry.result)
    if shown is None:
        return []
    return ['<section id="appraisal"><h2>Net and present values (appraisal)</h2>',
            f'<p class="meta">{esc(shown[1])}</p>', _table(shown[0], total_row=None),
            "</section>"]


def _charts(entry: GalleryEntry) -> list[str]:
    out = ['<section id="charts"><h2>Charts</h2>']
    for chart in report_charts(entry.result):
        svg = figure_svg(chart.figure, salt=f"{entry.result.scenario.name}-{chart.id}")
        out.append(f'<figure class="chart" id="chart-{esc(chart.id)}">{svg}'
                   f"<figcaption>{esc(chart.caption)}</figcaption></figure>")
    out.append("</section>")
    return out


# ----------------------------------------------------------------------------- the explorer
def _nice_step(value: float) -> float:
    """A 1-2-5 step near ``value`` / 100 that divides ``value`` (else ``value`` / 100)."""
    if value <= 0:
        return 1.0
    raw = value / 100.0
    mag = 10.0 ** math.floor(math.log10(raw))
    for f in (1.0, 2.0, 5.0, 10.0):
        step = f * mag
        if step >= raw * 0.999:
            break
    ratio = value / step
    return step if abs(ratio - round(ratio)) < 1e-9 else raw


def _slider(id_: str, label: str, unit: str, *, kind: str, key: str, value: float,
            lo: float, hi: float, step: float, size: float = 1.0,
            default: float | None = None, default_kind: str = "") -> str:
    state = ' data-state="default"' if default_kind == "table" else ""
    extra = (f' data-default="{default!r}" data-default-kind="{default_kind}"'
             if default is not None else "")
    return (
        f'<div class="slider"><label for="{id_}">{esc(label)} <span class="unit">'
        f"({esc(unit)})</span></label>"
        f'<input type="range" id="{id_}" min="{lo!r}" max="{hi!r}" step="{step!r}" '
        f'value="{value!r}" data-initial="{value!r}" data-kind="{kind}" '
        f'data-key="{esc(key)}" data-size="{size!r}" data-unit="{esc(unit)}" '
        f'data-label="{esc(label)}"{state}{extra}>'
        f'<output id="{id_}-out" for="{id_}"></output></div>'
    )


def _explorer_controls(entry: GalleryEntry) -> list[str]:
    le = entry.lines
    r = entry.result
    region = str(r.table.region or "the table's economy")
    out = ['<fieldset><legend>Amounts</legend>']
    seen: set[str] = set()
    n = 0
    for line in le.lines:
        if line.key in seen:
            continue
        seen.add(line.key)
        meta = dataclasses.replace(r.table, currency=line.currency, unit=1.0)
        scale = views.money_scale(meta, [line.amount])
        size = round(1.0 / scale.factor)
        stated = line.amount / size
        step = _nice_step(stated)
        what = ("construction, total" if line.phase == "construction" else
                "sustaining capex per replacement cycle" if line.part == "sustaining"
                else "operations, per year")
        n += 1
        out.append(_slider(f"amount-{n}", f"{line.investment}: {what}", scale.label,
                           kind="amount", key=line.key, value=stated, lo=0.0,
                           hi=3 * stated if stated > 0 else 1.0, step=step, size=float(size)))
    out.append("</fieldset>")
    groups: dict[str, list[str]] = {}
    done: set[tuple[str, str]] = set()
    for line in le.lines:
        for cat in line.categories:
            if not cat.adjustable or (line.key, cat.name) in done:
                continue
            done.add((line.key, cat.name))
            n += 1
            value = cat.stated_local if cat.stated_local is not None else round(
                cat.default_local, 2)
            groups.setdefault(f"{line.investment}: {line.phase}"
                              + (" (sustaining capex)" if line.part == "sustaining" else ""),
                              []).append(_slider(
                f"share-{n}", f"{cat.name}: share bought in {region}", "%", kind="share",
                key=f"{line.key}|{cat.name}", value=float(value), lo=0.0, hi=1.0, step=0.01,
                default=cat.default_local, default_kind=cat.local))
    for title, items in groups.items():
        out.append(f"<details><summary>Local shares — {esc(title)}</summary>"
                   + "".join(items) + "</details>")
    a = le.appraisal
    out.append('<fieldset><legend>Appraisal</legend>')
    out.append(_slider("deadweight", "Deadweight: share that would happen anyway", "%",
                       kind="rate", key="deadweight", value=a["deadweight"], lo=0.0, hi=0.95,
                       step=0.01))
    out.append(_slider("displacement", "Displacement: share taken from other activity", "%",
                       kind="rate", key="displacement", value=a["displacement"], lo=0.0,
                       hi=0.95, step=0.01))
    out.append(_slider("discount-rate", f"Discount rate (real, to {a['base_year']})", "%",
                       kind="rate", key="discount_rate", value=a["discount_rate"], lo=0.0,
                       hi=0.15, step=0.0025))
    out.append("</fieldset>")
    return out


def _explorer_results(entry: GalleryEntry) -> list[str]:
    r = entry.result
    le = entry.lines
    scale = views.money_scale(r.table, tables.money_values(r.summary()))
    shown = [m for m in EXPLORER_MEASURES if m in le.measures]

    def label(m: str) -> str:  # as the static headline labels it
        return extra_tables.measure_label(m, r.table)

    out = []
    summary = []
    for phase in r.phases:
        heads = "".join(f'<th scope="col">{esc(label(m))}</th>' for m in shown)
        rows = []
        for effect in [*le.effects, "total"]:
            cells = "".join(f'<td {_cell_attrs(phase, effect, m, scale.factor)}></td>'
                            for m in shown)
            cls = ' class="total"' if effect == "total" else ""
            rows.append(f'<tr{cls}><th scope="row">{effect}</th>{cells}</tr>')
        units = "; ".join(f"{label(m)}: {_unit(r, m, phase, scale.label)}"
                          for m in shown)
        out.append(f'<p class="meta tcap"><b>{esc(phase.capitalize())}</b>: '
                   f"{esc(r.phase_basis(phase))} ({esc(units)})</p>"
                   f'<div class="scroll"><table class="live"><thead><tr><th>effect</th>{heads}'
                   f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
        for m in ("employment", "value_added"):
            if m in shown:
                unit = (jobs_basis(phase) if m == "employment"
                        else _unit(r, m, phase, scale.label))
                summary.append(f"{esc(phase)}, {esc(label(m))}: <b "
                               f"{_cell_attrs(phase, 'total', m, scale.factor)}></b> "
                               f'<span class="unit">{esc(unit)}</span>')
    out.insert(0, '<p class="live-summary" aria-hidden="true">' + " · ".join(summary) + "</p>")
    cols = [("construction", "construction"), ("operations", "operations (all years)"),
            ("sustaining", "sustaining capex"), ("whole", "whole")]
    cols = [(s, lab) for s, lab in cols if s == "whole" or s in r.phases]
    rows = []
    views_ = (("jobs_type2", 0, "gross"), ("jobs_type2", 1, "net"), ("value_added", 0, "gross"),
              ("value_added", 1, "net"), ("value_added", 2, "gross PV"),
              ("value_added", 3, "net PV"))
    for m, i, what in views_:
        if (m == "jobs_type2" and "employment" not in le.measures) or (
                m == "value_added" and "value_added" not in le.measures):
            continue
        factor = 1.0 if m.startswith("jobs") else scale.factor
        cells = "".join(f'<td data-appraisal="{s}|{m}|{i}" data-factor="{factor!r}"></td>'
                        for s, _ in cols)
        unit = "job-years" if m.startswith("jobs") else scale.label
        rows.append(f'<tr><th scope="row">{esc(APPRAISAL_LABELS[m])}, {what} '
                    f'<span class="unit">({esc(unit)})</span></th>{cells}</tr>')
    heads = "".join(f'<th scope="col">{esc(lab)}</th>' for _, lab in cols)
    out.append(f'<p class="meta tcap"><b>Net and present values</b>: net = gross × (1 − '
               f"deadweight) × (1 − displacement); PV discounted to "
               f"{le.appraisal['base_year']}; every modelled year summed</p>"
               '<div class="scroll"><table class="live"><thead><tr>'
               f"<th>measure</th>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
               "</div>")
    return out


def _cell_attrs(phase: str, effect: str, measure: str, money_factor: float) -> str:
    factor = 1.0 if REGISTRY.get_or_physical(measure).is_jobs else money_factor
    return f'data-cell="{phase}|{effect}|{measure}" data-factor="{factor!r}"'


def _unit(r: ScenarioResult, measure: str, phase: str, money: str) -> str:
    if REGISTRY.get_or_physical(measure).is_jobs:
        return f"{r.units.get(measure, '')}, {jobs_basis(phase)}".strip(", ")
    per = " per year" if phase == "operations" else ""
    return f"{money}, {r.table.price_year} prices{per}"


def _explorer(entry: GalleryEntry) -> list[str]:
    cfg = {
        "lines": entry.lines.to_dict(),
        "scenario_data": _json_ready(entry.data),
        "scenario_name": entry.result.scenario.name,
        "source": entry.source,
    }
    payload = json.dumps(cfg, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    results = _explorer_results(entry)  # the first is the one-line summary, kept in view
    return [
        '<section id="explorer" aria-labelledby="explorer-title">',
        '<h2 id="explorer-title">Explore: what if?</h2>',
        '<p>Move a slider (or focus it and use the arrow keys); the tables below are '
        "recomputed in your browser from the effects of each spending category, which "
        "input-output effects add up exactly. The numbers equal <code>impactsim run</code> on "
        "the scenario the <b>Download</b> button writes. Draws (ranges) and claim verdicts are "
        "those of the scenario as stated; they need a run. Imports are left out here (the "
        "imported part of the spending itself is in the headline above).</p>",
        '<div class="explorer-grid"><div class="controls">',
        *_explorer_controls(entry),
        '<p class="buttons"><button type="button" id="explorer-download">Download this '
        'scenario (YAML)</button> <button type="button" id="explorer-reset">Reset</button></p>',
        '<p class="meta">The page address records the slider positions: copy it to share '
        "this result.</p>",
        '</div><div class="results" aria-live="polite">',
        *results[1:],
        '<p class="meta" id="explorer-status">the script has not run (JavaScript off?)</p>',
        "</div></div>",
        results[0],
        f'<script type="application/json" id="explorer-data">{payload}</script>',
        "</section>",
    ]


def _json_ready(value: Any) -> Any:
    """Scenario data as JSON: dates as ISO text; integer mapping keys marked with ``\\x01`` so
    the explorer writes them back as integers (years of a ramp)."""
    if isinstance(value, Mapping):
        return {(k if isinstance(k, str) else f"\x01{k}"): _json_ready(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# ----------------------------------------------------------------------------- pages
def page(title: str, body: Sequence[str], *, script: bool) -> str:
    js = f"<script>{_asset('explorer.js')}</script>" if script else ""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>", f"<style>{_asset('gallery.css')}</style>",
        "</head><body><main>", *body,
        f'<footer><p class="meta">impactsim {esc(__version__)}: the claim-checker gallery '
        "(docs/gallery.md). Gross input-output effects; read the caveats.</p></footer>",
        "</main>", js, "</body></html>",
    ])


def render_page(entry: GalleryEntry) -> str:
    """One announcement's page (self-contained HTML)."""
    r = entry.result
    body = [
        '<p class="crumb"><a href="index.html">← all announcements</a></p>',
        f"<h1>{esc(tables.scenario_title(r))}</h1>",
        '<nav aria-label="sections"><a href="#announcement">announcement</a> · '
        '<a href="#scenario">scenario</a> · <a href="#headline">headline</a> · '
        '<a href="#explorer">explore</a> · <a href="#claims">claims</a> · '
        '<a href="#where">where</a> · <a href="#charts">charts</a></nav>',
        *_announcement(entry), *_scenario(entry), *_headline(entry), *_explorer(entry),
        *_claims(entry), *_where(entry), *_appraisal(entry), *_charts(entry),
    ]
    return page(f"{tables.scenario_title(r)} — impactsim gallery", body, script=True)


def claims_chart(items: Sequence[tuple[str, ClaimComparison]]) -> str:
    """SVG: each claim's ratio claim / model on a log scale with the model's range."""
    rows = []
    for name, c in items:
        if c.verdict == "not comparable" or not (c.model_mid > 0 and c.model_low > 0):
            continue
        mid = c.claim.mid
        c_hi = c.claim.high if math.isfinite(c.claim.high) else mid
        c_lo = c.claim.low if c.claim.low > 0 else mid
        # claim low / model high … claim high / model low: it spans 1 exactly when the claimed
        # interval and the model's range overlap (the verdict "consistent")
        lo, hi = c_lo / max(c.model_high, 1e-300), c_hi / c.model_low
        if all(math.isfinite(v) and v > 0 for v in (c.ratio, lo, hi)):
            rows.append((f"{name}: {c.claim.id}", c.ratio, lo, hi, c.verdict))
    if not rows:
        return ""
    vals = [v for r in rows for v in r[1:4]] + [1.0]
    lo_e = math.floor(math.log10(min(vals)))
    hi_e = math.ceil(math.log10(max(vals)))
    if hi_e == lo_e:
        hi_e += 1
    width, left, right, row_h, top = 640, 230, 20, 26, 30
    plot = width - left - right
    height = top + row_h * len(rows) + 30

    def x(v: float) -> float:
        return left + plot * (math.log10(v) - lo_e) / (hi_e - lo_e)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="Claim over model ratios" class="claims-chart">']
    for e in range(lo_e, hi_e + 1):
        xe = x(10.0 ** e)
        parts.append(f'<line x1="{xe:.1f}" x2="{xe:.1f}" y1="{top - 8}" y2="{height - 24}" '
                     'stroke="#ddd"/>')
        parts.append(f'<text x="{xe:.1f}" y="{height - 8}" text-anchor="middle" '
                     f'font-size="11">{esc(number(10.0 ** e))}</text>')
    x1 = x(1.0)
    parts.append(f'<line x1="{x1:.1f}" x2="{x1:.1f}" y1="{top - 8}" y2="{height - 24}" '
                 'stroke="#333" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{x1 + 4:.1f}" y="{top - 12}" font-size="11">claim = model</text>')
    for i, (label, ratio, lo, hi, verdict) in enumerate(rows):
        y = top + row_h * i + row_h / 2
        colour = VERDICT_COLOURS.get(verdict, "#555")
        tip = (f"{label}: claim / model {format_value(ratio)} (range {format_value(lo)}–"
               f"{format_value(hi)}), {verdict}")
        parts.append(f"<g><title>{esc(tip)}</title>"
                     f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                     f"{esc(label[:34])}</text>"
                     f'<line x1="{x(lo):.1f}" x2="{x(hi):.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{colour}" stroke-width="4" stroke-opacity="0.45"/>'
                     f'<circle cx="{x(ratio):.1f}" cy="{y:.1f}" r="5" fill="{colour}"/></g>')
    parts.append("</svg>")
    return "".join(parts)
