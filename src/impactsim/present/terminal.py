"""The terminal presenter: rich tables sized to the console, the result of a run, lists of
frames in table / csv / markdown / JSON form. No economics: it formats what the result API gives.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..engine.measures import format_value, jobs_basis
from ..scenario.claims import ClaimComparison
from ..scenario.readings import DEPENDS
from ..scenario.result import ScenarioResult
from ..tables.table import IOTable
from . import energy, extra_tables, regions, tables, views
from .appraisal import appraisal_display
from .escape import rich_text as escape
from .escape import spreadsheet_frame, terminal_text
from .multiplier_files import drop_empty_money_columns, sector_label, sector_names
from .payload import result_payload
from .writers import json_dumps, json_ready

#: Output forms of a listed frame.
LIST_FORMATS = ("table", "csv", "json", "md")


def make_console(*, stderr: bool = False) -> Console:
    """A rich console; when the output is not a terminal (a pipe, a file) it is 140 columns wide
    (or $COLUMNS) so tables are not squeezed into 80."""
    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty():
        try:
            width = int(os.environ.get("COLUMNS", "140"))
        except ValueError:
            width = 140
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def frame_cells(frame: pd.DataFrame, *, index: bool) -> list[list[str]]:
    rows = []
    for ix, row in frame.iterrows():
        cells = [str(ix)] if index else []
        for col, v in zip(frame.columns, row.tolist(), strict=True):
            if isinstance(v, bool) or not isinstance(v, float | int):
                cells.append(str(v))
            elif str(col) in ("year", "price_year", "seed") and float(v).is_integer():
                cells.append(str(int(v)))
            else:
                cells.append(format_value(float(v)))
        rows.append(cells)
    return rows


def rich_table(frame: pd.DataFrame, *, title: str | None = None, caption: str | None = None,
                index: bool = True, text_cols: tuple[str, ...] = (), bold_row: str | None = None,
                width: int | None = None) -> Table:
    """A rich table of a frame: numbers right-aligned with thousands separators; text columns
    (``text_cols``) share whatever width the numbers leave (ellipsis beyond it)."""
    heads = ([str(frame.index.name or "")] if index else []) + [str(c) for c in frame.columns]
    body = frame_cells(frame, index=index)
    natural = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(heads)]
    is_text = [(i == 0 and index) or h in text_cols for i, h in enumerate(heads)]
    texts = [i for i, t in enumerate(is_text) if t and heads[i] in text_cols]
    limits: dict[int, int] = {}
    if width and texts:
        fixed = sum(w + 3 for i, w in enumerate(natural) if i not in texts) + 1
        room = max(12 * len(texts), width - fixed - 3 * len(texts))
        for i in texts:
            limits[i] = max(12, min(natural[i], room // len(texts)))
    table = Table(title=Text(terminal_text(title)) if title else None, caption=caption,
                  title_justify="left", caption_justify="left",
                  header_style="bold", pad_edge=False)
    for i, head in enumerate(heads):
        table.add_column(Text(terminal_text(head)), justify="left" if is_text[i] else "right",
                         no_wrap=True, overflow="ellipsis", max_width=limits.get(i))
    for cells, ix in zip(body, frame.index, strict=True):
        style = "bold" if bold_row is not None and ix == bold_row else None
        table.add_row(*(Text(terminal_text(c)) for c in cells), style=style)
    return table


def print_table(console: Console, frame: pd.DataFrame, *, title: str | None = None,
                 caption: str | None = None, **kw: Any) -> None:
    """Print a table sized to the console, then its caption as wrapped text."""
    console.print(rich_table(frame, title=title, width=console.width, **kw))
    if caption:
        console.print(Text(terminal_text(caption)), highlight=False)


#: Claims whose readings and explanations the terminal shows one by one (all are in the table).
MAX_CLAIM_DETAILS = 50


def print_result(console: Console, path: Path, result: ScenarioResult,
                 comparisons: list[ClaimComparison], *, top: int, full: bool = False) -> None:
    """A run on the terminal. By default one screen: the central estimate in one line, the
    headline of each phase with the ranges of its total, where it happens (provinces), the
    claims' verdicts and the caveats. ``full`` adds the whole scenario, the appraisal, top
    sectors, value added by component, spillovers and every claim reading."""
    info = tables.scenario_info(result)
    console.print(Rule(f"[bold]{escape(info['title'])}[/bold] ({escape(str(path))})",
                       align="left"))
    kind = "Type II: direct + indirect + induced" if result.induced else (
        "Type I: direct + indirect")
    console.print(escape(f"{info['table']}; every headline is gross ({kind})"))
    console.print("[bold]" + escape(result.central_line()) + "[/bold]")
    if full:
        line = tables.draws_line(result)
        console.print(escape(line[:1].upper() + line[1:]))
    for note in result.notes:
        console.print(escape(f"Note: {note}"))
    for phase in result.phases:
        frame, unit = tables.headline_display(result, phase, ranges=True)
        title = f"{phase.capitalize()}: {result.phase_basis(phase)}"
        if full:
            console.print()
        print_table(console, tables.headers(frame, result.table), title=title, caption=unit,
                    bold_row="total")
        if result.is_provincial:  # where the effects happen: docs/regions.md
            split, split_unit = regions.split_display(result, phase)
            print_table(console, split, title=f"{phase.capitalize()}: where it happens",
                        caption=split_unit, bold_row=regions.KOREA)
    if full:
        print_details(console, result, top=top)
    if comparisons:
        console.print()
        print_table(console, tables.claims_table(comparisons), index=False,
                    title="Claims against the model", text_cols=("claim", "reading"))
        for c in comparisons[:MAX_CLAIM_DETAILS]:
            head = f"[bold]{escape(c.claim.id)}[/bold] ({c.verdict}) “{escape(c.claim.text)}”"
            if c.verdict == "not comparable":
                console.print(f"{head}: {escape(c.note)}")
                continue
            if full:
                console.print(f"{head}: model {escape(c.basis)}")
            if c.detail and (full or c.verdict == DEPENDS):  # readings that disagree, named
                console.print(f"{head if not full else ''}  by reading: {escape(c.detail)}")
            if full and c.readings:
                print_table(console, tables.readings_table(c), index=False,
                            title=f"Readings of {c.claim.id} ({c.unit})",
                            text_cols=("reading",))
            if c.verdict == "consistent":
                continue
            console.print("  what could explain the gap:")
            for e in c.explanations:
                mark = " [green](would close the gap)[/green]" if e.closes_gap else ""
                console.print(f"  • {escape(e.kind)}: {escape(e.text)}{mark}")
    if len(comparisons) > MAX_CLAIM_DETAILS:  # the terminal stays readable (and fast)
        console.print(f"… readings of {len(comparisons) - MAX_CLAIM_DETAILS:,} more claims: "
                      "see the claims file of `run -o DIR` or `impactsim report`")
    console.print()
    console.print("[dim]" + escape(" ".join(tables.caveats(result))) + "[/dim]")
    if not full:
        console.print("[dim]More: --full (whole scenario, appraisal, top sectors, value added "
                      "by component, claim readings); -o DIR for the result files.[/dim]")


def print_details(console: Console, result: ScenarioResult, *, top: int) -> None:
    """What ``--full`` adds: the whole scenario, the appraisal, and per phase the top
    sectors, value added by component and (multi-region) spillovers."""
    whole, unit = tables.cumulative_display(result)
    console.print()
    print_table(console, tables.headers(whole, result.table),
                title=f"Whole scenario: {result.cumulative_basis()}", caption=unit,
                bold_row="total")
    shown = appraisal_display(result)
    if shown is not None:
        app_frame, app_caption = shown
        console.print()
        print_table(console, app_frame, title="Net and present values (appraisal)",
                    caption=app_caption)
    energy.print_energy(console, result, print_table)  # physical account (docs/energy.md)
    for phase in result.phases:
        jobs = result.lead_measure == "employment"
        top_frame = result.top_sectors(measure=result.lead_measure, phase=phase,
                                       n=top)
        top_frame = top_frame.assign(share=(top_frame["share"] * 100).round(1)).rename(
            columns={"share": "share %"})
        basis = jobs_basis(phase)
        what, basis = ("jobs", basis) if jobs else ("value added", result.units["value_added"])
        console.print()
        print_table(console, top_frame, title=f"Top sectors by {what}, {phase} ({basis})",
                    text_cols=("name",))
        if result.is_multiregional and not result.is_provincial:  # docs/regions.md
            by_region = result.by_region(measure="value_added", phase=phase).head(top)
            console.print()
            print_table(console, by_region, title=f"Value added by region, {phase} "
                        f"({result.units['value_added']})")
        print_more(console, result, phase, top=top)


def print_more(console: Console, result: ScenarioResult, phase: str, *, top: int) -> None:
    """Value added by component and, on a multi-region table, the spillover decomposition."""
    split = extra_tables.va_split_display(result, phase)
    if split is not None:
        console.print()
        print_table(console, split[0], title=f"Value added by component, {phase}",
                    caption=split[1], bold_row="total")
    spill = extra_tables.spillover_display(result, phase, top=top)
    if spill is not None:
        parts, by_region, caption = spill
        console.print()
        print_table(console, tables.headers(parts, result.table),
                    title=f"Intra-regional, feedback and spillover effects, {phase}",
                    caption=caption, bold_row="total")
        print_table(console, by_region, title=f"{extra_tables.value_added_label(result.table)}"
                    f" by region and part, {phase} (largest {top})")


def emit_frame(frame: pd.DataFrame, fmt: str, *, title: str, caption: str | None = None,
                text_cols: tuple[str, ...] = (), attrs: dict[str, Any] | None = None) -> None:
    if fmt == "table":
        print_table(make_console(), frame, title=title, caption=caption, text_cols=text_cols)
    elif fmt == "csv":
        flat = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
        flat = spreadsheet_frame(flat)
        print_text(flat.to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt == "md":
        tail = f"\n\n{caption}" if caption else ""
        print_text(f"**{title}**\n\n{tables.md_table(frame)}{tail}")
    else:
        body: dict[str, Any] = {"title": title, "rows": json_ready(frame)}
        if attrs:
            body.update(attrs)
        print_text(json_dumps(body))


def print_text(text: str, *, nl: bool = True) -> None:
    """Write text to standard output (a newline after it unless ``nl`` is False)."""
    sys.stdout.write(text + ("\n" if nl else ""))
    sys.stdout.flush()


def scenario_payload(
    path: Path, result: ScenarioResult, comparisons: list[ClaimComparison], *, top: int
) -> dict[str, Any]:
    """Everything ``run`` shows for one scenario, as plain data (for --json;
    :func:`impactsim.present.payload.result_payload`)."""
    return result_payload(result, comparisons, top=top, file=str(path))


def per_label(meta: Any, scale: float) -> str:
    """'billion KRW' for 1,000 × million KRW; '1,000 USD' when no scale word fits."""
    amount = scale * float(meta.unit or 1.0)
    words = {size: word for size, word in views.SCALES if word}
    word = words.get(amount)
    return f"{word} {meta.currency}" if word else f"{amount:,.0f} {meta.currency}"


def employment_scale(values: Any) -> float:
    """Power of ten that brings the largest employment multiplier to at least 1 for display."""
    biggest = float(np.nanmax(np.abs(np.asarray(values, dtype=float)))) if len(values) else 0.0
    scale = 1.0
    while 0 < biggest * scale < 1.0 and scale < 1e12:
        scale *= 1000.0
    return scale


def multipliers_view(table: IOTable, frame: pd.DataFrame, *, induced: bool, form: str,
                     terminal: bool) -> tuple[pd.DataFrame, str]:
    """A multipliers frame labelled for reading (sector names first) and its caption; on the
    terminal, employment per a power-of-ten money unit that keeps the numbers above 1."""
    tab = table
    names = sector_names(tab)
    frame = drop_empty_money_columns(frame.copy(), {})
    frame.index = frame.index.map(sector_label)
    frame.index.name = "sector"
    frame.insert(0, "name", [names.get(s, names.get(s.split(" ")[-1], "")) for s in frame.index])
    kind = "Type II (households closed)" if induced else "Type I (open)"
    meta = tab.meta
    if form == "total":
        per = f"per 1 {meta.money_unit} of final demand"
        caption = (f"{views.table_caption(meta)}. {kind} multipliers {per}: money in "
                   f"{meta.money_unit} per {meta.money_unit}")
        persons = [c for c in ("employment", "employees") if c in frame.columns]
        if persons and terminal:
            scale = employment_scale(frame[persons[0]])
            label = meta.money_unit if scale == 1.0 else per_label(meta, scale)
            short = label.replace("thousand ", "k ").replace("million ", "mn ").replace(
                "billion ", "bn ").replace("trillion ", "tn ")
            renames = {c: f"{'jobs' if c == 'employment' else c}/{short}" for c in persons}
            frame = frame.rename(columns=renames)
            for col in renames.values():
                frame[col] = frame[col] * scale
            caption += f"; {meta.employment_unit} per {label} of final demand"
        elif persons:
            caption += f"; employment in {meta.employment_unit} {per}"
    else:
        caption = (f"{views.table_caption(meta)}. {kind} ratio multipliers: (direct + "
                   "indirect" + (" + induced" if induced else "") + ") / direct")
    if terminal:
        frame = frame.rename(columns={"value_added": "value added",
                                      "household_income": "hh income"})
    return frame, caption
