"""The gallery as a site: the index that sets every announcement side by side, and writing the
index and the pages (:mod:`impactsim.present.gallery`) into one folder, all or nothing."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ImpactsimError
from ..scenario.result import ScenarioResult
from . import tables
from .commit import commit_folder
from .gallery import (
    GalleryEntry,
    claims_chart,
    esc,
    money_text,
    number,
    page,
    qualifier_text,
    render_page,
)


def per_unit(result: ScenarioResult, phase: str, *, currency: str | None = None,
             price_year: int | None = None) -> dict[str, Any]:
    """Jobs per million of spending and value added per unit of spending, on the phase's
    headline basis (spending = every unit spent, imports included, excluded items such as land
    left out; :meth:`ScenarioResult.leakage`). Money: ``currency`` at ``price_year`` prices
    (default: the announcement's), converted as :meth:`ScenarioResult.in_money` does."""
    spending = float(result.leakage(phase).loc[phase, "spending"])
    head = result.headline(phase).loc["total"]
    try:  # table units → the money asked for, read off the result in that money
        moved = result.in_money(currency, price_year)
        out_t = float(head["output"])
        to_money = float(moved.headline(phase).loc["total", "output"]) / out_t if out_t else 1.0
        money = f"{moved.table.currency} {moved.table.price_year}"
    except ImpactsimError:
        to_money = float(result.table.unit or 1.0)
        money = f"{result.table.currency} {result.table.price_year}"
    jobs = float(head["employment"]) if "employment" in head.index else float("nan")
    spent_m = spending * to_money / 1e6
    return {
        "jobs_per_million": jobs / spent_m if spent_m else float("nan"),
        "va_per_unit": float(head["value_added"]) / spending if spending else float("nan"),
        "money": money,
    }


def render_index(entries: Sequence[GalleryEntry]) -> str:
    """The index: every announcement side by side (amounts, jobs and value added per unit of
    spending by phase, table and scope) and all claim ratios on one chart."""
    rows = []
    common = pd.Series([(e.result.scenario.currency, e.result.scenario.price_year)
                        for e in entries]).mode()
    cur, year = common.iloc[0] if len(common) else (None, None)
    for e in entries:
        r = e.result
        seed = e.seeds[0] if e.seeds else None
        stated = ("; ".join(f"{qualifier_text(a.qualifier)}{money_text(r, a.value, a.currency)}"
                            for a in seed.amounts) if seed else "–")
        when = seed.announced.isoformat() if seed and seed.announced else ""
        row: dict[str, str] = {
            "announcement": f'<a href="{esc(e.page)}">{esc(tables.scenario_title(r))}</a>'
                            f'<br><span class="unit">{esc(when)} · {esc(stated)}</span>',
        }
        for phase in ("construction", "operations"):
            jobs = va = "–"
            if phase in r.phases:
                pu = per_unit(r, phase, currency=cur, price_year=year)
                jobs = esc(number(pu["jobs_per_million"]))
                if math.isfinite(pu["jobs_per_million"]) and pu["money"] != f"{cur} {year}":
                    jobs += f' <span class="unit">per million {esc(pu["money"])}</span>'

                va = esc(number(pu["va_per_unit"]))
            row[f"{phase}|jobs"], row[f"{phase}|va"] = jobs, va
        verdicts = pd.Series([c.verdict for c in e.comparisons]).value_counts()
        row["claims"] = esc(", ".join(f"{n} {v}" for v, n in verdicts.items()) or "none")
        kind = "Type II" if r.induced else "Type I"
        scope = r.sourcing.kind if r.sourcing is not None else "national"
        places = list(map(str, r.regions))
        where = places[0] if len(places) == 1 else f"{len(places)} regions"
        row["table"] = esc(f"{r.table.name.split(':')[0]} (data {r.table.year}, "
                           f"{r.table.price_year} prices); {scope}, {where}; {kind}")
        rows.append(row)
    money = f"{cur} {year}" if cur else "(money shown)"
    labels = {"announcement": "announcement", "claims": "claims (verdicts)",
              "table": "table vintage and scope",
              "construction|jobs": f"job-years per million {money}",
              "construction|va": "value added per unit spent",
              "operations|jobs": f"jobs per year per million {money} a year",
              "operations|va": "value added per unit spent"}
    cols = list(rows[0]) if rows else []
    group = ('<tr><th></th><th colspan="2" scope="colgroup">construction (total over the '
             'years)</th><th colspan="2" scope="colgroup">operations (a year of full '
             "operation)</th><th></th><th></th></tr>")
    head = group + "<tr>" + "".join(f'<th scope="col">{esc(labels[c])}</th>' for c in cols) \
        + "</tr>"
    body = "".join("<tr>" + "".join(
        f'<td class="{"num" if "|" in c else "text"}">{row[c]}</td>' for c in cols) + "</tr>"
                   for row in rows)
    chart = claims_chart([(e.result.scenario.name, c) for e in entries for c in e.comparisons])
    parts = [
        "<h1>Announcements and what a transparent model says</h1>",
        "<p>Each announcement of an investment is turned into a scenario file and run on an "
        "input-output model (impactsim). The pages set what was claimed beside what the model "
        "says and let you change the assumptions in the browser. All effects are gross "
        "(before displacement, unless the appraisal says net) and an upper bound; construction "
        "jobs are job-years over the construction years, operations jobs are jobs in a year of "
        "full operation, and the two are never added.</p>",
        '<p class="meta tcap">Side by side. Jobs and value added '
        "per unit of spending: the headline total over all spending of the phase (imports "
        "included, land left out), on each phase's headline basis; money converted to one "
        "currency and price year with the shipped exchange rates and GDP deflator. On the world "
        "table every unit spent becomes value added somewhere in the world (ratio 1): nothing "
        "leaks out of it.</p>"
        '<div class="scroll"><table class="index">'
        f"<thead>{head}</thead><tbody>{body}</tbody></table></div>",
        "<h2>Claims against the model</h2>",
        (f'<figure class="chart">{chart}<figcaption>Claim / model for every claim the model '
         "can read: dot = claimed figure over the model's central reading; bar = from the claim's "
         "low end over the model's high end to the claim's high end over the model's low end "
         "(the model's range: P5–P95 of the draws, ±25 % without draws), so it crosses 1 "
         "exactly when claim and model overlap; colour = verdict (green consistent, red "
         "above, blue below).</figcaption></figure>")
        if chart else "<p>No comparable claims.</p>",
        f'<p class="meta">Built {dt.date.today().isoformat()} from '
        f"{len(entries)} scenario file(s).</p>",
    ]
    return page("impactsim gallery: announcements side by side", parts, script=False)


def gallery_files(entries: Sequence[GalleryEntry]) -> dict[Path, str]:
    """File name → text of every page of the gallery (``index.html`` and one per entry)."""
    files = {Path("index.html"): render_index(entries)}
    for e in entries:
        files[Path(e.page)] = render_page(e)
    return files


def write_gallery(entries: Sequence[GalleryEntry], out_dir: str | Path) -> list[Path]:
    """Write the gallery into ``out_dir`` (all or nothing; the folder's old content is
    replaced). Returns the paths written."""
    folder = Path(out_dir)
    files = {folder / p: text.encode("utf-8") for p, text in gallery_files(entries).items()}
    return commit_folder(folder, files)
