"""Commands on scenarios: ``run``, ``validate``, ``compare`` and ``report``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..present.escape import terminal_text
from .app import (
    EXIT_OK,
    CurrencyOpt,
    DaskOpt,
    DebugOpt,
    DrawsOpt,
    ExecutorOpt,
    Format,
    InducedOpt,
    JsonOpt,
    ListFormat,
    PriceYearOpt,
    QuietOpt,
    SeedOpt,
    app,
    fail_usage,
    guard,
    load_scenario,
    present_money,
    run_one,
    stem_names,
)


@app.command(epilog=(
    "Examples:\n\n"
    "`impactsim run scenarios/korea.yaml`\n\n"
    "`impactsim run scenarios/korea.yaml -o out/ --format xlsx`\n\n"
    "`impactsim run scenarios/korea.yaml --draws 2000 --seed 1 --json`\n\n"
    "`impactsim run scenarios/korea.yaml -o out --with sector-quantiles,sensitivity`\n\n"
    "`impactsim run scenarios/korea.yaml --currency USD --price-year 2025`"
))
def run(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario YAML file(s).",
                                                    show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Folder for result files (tidy results, summary, claims, "
        "provenance); written atomically.")] = None,
    fmt: Annotated[Format, typer.Option(
        "--format", "-f", help="table: terminal tables; csv/json/md/html: to stdout, or the "
        "file format with -o; parquet/xlsx: files (need -o).")] = Format.table,
    induced: InducedOpt = True,
    draws: DrawsOpt = None,
    seed: SeedOpt = None,
    executor: ExecutorOpt = None,
    dask_address: DaskOpt = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Sectors listed per phase.")] = 8,
    with_: Annotated[str | None, typer.Option(
        "--with", help="Extra result files with -o, a comma list: sector-quantiles (P5/P50/P95 "
        "by sector; keeps every draw by sector), sensitivity (tornado swings and variance "
        "shares).")] = None,
    currency: CurrencyOpt = None,
    price_year: PriceYearOpt = None,
    full: Annotated[bool, typer.Option(
        "--full", help="Print everything on the terminal: the whole scenario, the appraisal, "
        "top sectors, value added by component, every claim reading (default: one screen).")
    ] = False,
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Run scenarios: the central estimate, headline and ranges per phase, claim verdicts.

    Construction is in job-years (total over its years), operations in jobs per year of full
    operation: the two are never added. With -o DIR the tidy results, the summary, the claim
    comparisons and a provenance file are written atomically.

    Example: `impactsim run scenarios/korea.yaml`
    """
    with guard(debug=debug, as_json=as_json):
        from .._version import __version__
        from ..present import terminal
        from ..present.commit import check_target, commit_folder
        from ..present.escape import rich_text
        from ..present.writers import check_format_available, json_dumps
        from ..scenario.claims import compare_claims

        if fmt in (Format.parquet, Format.xlsx) and output is None:
            fail_usage(f"--format {fmt.value} writes files: add -o DIR")
        from ..present.uncertainty_files import parse_extras
        try:
            extras = parse_extras(with_)
        except ValueError as exc:
            fail_usage(str(exc))
        if extras and output is None:
            fail_usage(f"--with {with_} adds result files: add -o DIR")
        check_format_available(fmt.value)
        if output is not None:  # refused before any work: a file, -o ., foreign files
            check_target(output)
        stems = stem_names(scenarios)
        loaded = [(p, load_scenario(p)) for p in scenarios]  # validate all before running any
        argv = sys.argv[1:]
        options = {"induced": induced, "draws": draws, "seed": seed,
                   "executor": executor.value if executor else None, "format": fmt.value,
                   "with": list(extras), "currency": currency, "price_year": price_year}
        stdout_fmt = None if output is not None else fmt
        console = terminal.make_console()
        show_bar = not quiet and not as_json
        results = []

        def note(text: str) -> None:
            typer.echo(f"impactsim: note: {terminal_text(text, one_line=True)}", err=True)

        for path, scenario in loaded:
            result = run_one(scenario, induced=induced, draws=draws, seed=seed,
                              executor=executor, dask_address=dask_address, progress=show_bar,
                              keep_sectors="sector-quantiles" in extras)
            comparisons = compare_claims(result)
            result = present_money(result, currency, price_year)
            results.append((path, result, comparisons))
            if not quiet and not as_json and stdout_fmt in (None, Format.table):
                terminal.print_result(console, path, result, comparisons, top=top, full=full)
        written: list[Path] = []
        if output is not None:
            from ..present import outputs  # the file writers (and the report) only with -o

            files: dict[Path, Any] = {}
            for stem, (path, result, comparisons) in zip(stems, results, strict=True):
                files.update(outputs.result_files(output, stem, path, result, comparisons,
                                                  fmt.value, argv, options, extras=extras))
            written = commit_folder(output, files, notice=note)  # one set, swapped in whole
            if not quiet and not as_json:
                console.print(f"\nWrote {len(written)} file(s) to {rich_text(output)}/")
        if as_json or (stdout_fmt == Format.json and not quiet):
            payload = {"scenarios": [terminal.scenario_payload(p, r, c, top=top)
                                     for p, r, c in results],
                       "files": [str(w) for w in written]}
            typer.echo(json_dumps({"impactsim_version": __version__, **payload}))
        elif not quiet and stdout_fmt in (Format.csv, Format.md, Format.html):
            _print_stdout_format(stdout_fmt, results)


def _print_stdout_format(fmt: Format, results: list[tuple[Path, Any, list[Any]]]) -> None:
    from ..present import report, views
    from ..present.escape import spreadsheet_frame

    for path, result, comparisons in results:
        if fmt == Format.csv:
            frame = views.summary_frame(result)
            frame.insert(0, "scenario", path.stem)
            frame = spreadsheet_frame(frame)  # CSV rules: no formula, no raw control character
            typer.echo(frame.to_csv(index=False, lineterminator="\n"), nl=False)
        elif fmt == Format.md:
            text, _ = report.render_markdown(result, comparisons=comparisons, chart_dir=None)
            typer.echo(text)
        else:
            typer.echo(report.render_html(result, comparisons=comparisons))


# ----------------------------------------------------------------------------- validate
@app.command(epilog="Example:\n\n`impactsim validate scenarios/*.yaml`")
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario YAML file(s).", show_default=False)],
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Check scenario files against the schema and translate them into shocks.

    Runs no model. Exit status 2 if any file is invalid.

    Example: `impactsim validate scenarios/korea.yaml`
    """
    from ..present.describe import describe_scenario
    from ..scenario.shocks import translate

    results: list[dict[str, Any]] = []
    worst = EXIT_OK
    for path in files:
        try:
            with guard(debug=debug):
                scenario = load_scenario(path)
                summary = describe_scenario(scenario, translate(scenario))
                results.append({"file": str(path), "valid": True, **summary})
                if not quiet and not as_json:
                    typer.echo(terminal_text(f"ok: {path}: {summary['description']}"))
        except typer.Exit as exit_:
            if int(exit_.exit_code) > 128:  # interrupted: stop, do not go on to the next file
                raise
            worst = max(worst, int(exit_.exit_code))
            results.append({"file": str(path), "valid": False, "exit_status": exit_.exit_code})
    if as_json:
        from ..present.writers import json_dumps

        typer.echo(json_dumps({"files": results}))
    if worst:
        raise typer.Exit(worst)


# ----------------------------------------------------------------------------- compare
@app.command(epilog=(
    "Example:\n\n`impactsim compare scenarios/korea.yaml scenarios/ulsan.yaml`"
))
def compare(
    scenarios: Annotated[list[Path], typer.Argument(help="Two or more scenario files.",
                                                    show_default=False)],
    effect: Annotated[str, typer.Option(
        "--effect", help="Effect to compare: total, direct, indirect or induced.")] = "total",
    induced: InducedOpt = True,
    currency: CurrencyOpt = None,
    price_year: PriceYearOpt = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ListFormat.table),
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Compare scenarios side by side, per phase, with the difference from the first.

    Money of every scenario is converted to one currency and price year before it is set side
    by side: --currency / --price-year, by default the first scenario's (its announcement's).

    Example: `impactsim compare scenarios/korea.yaml scenarios/ulsan.yaml`
    """
    with guard(debug=debug, as_json=as_json):
        if len(scenarios) < 2:
            fail_usage("compare needs at least two scenario files")
        if effect not in ("total", "direct", "indirect", "induced"):
            fail_usage(f"--effect {effect}: use total, direct, indirect or induced")
        from ..present import terminal, views
        loaded = [(p, load_scenario(p)) for p in scenarios]
        results = [(p, run_one(s, induced=induced, draws=0, seed=None, executor=None,
                                dask_address=None, progress=False)) for p, s in loaded]
        first = results[0][1].scenario
        cur = (first.currency if currency is None or currency.lower() == "scenario"
               else currency).upper()
        year = int(price_year if price_year is not None else first.price_year)
        results = [(p, present_money(r, cur, year)) for p, r in results]
        frame = views.compare_frame([(p.stem, r) for p, r in results], effect=effect)
        tables_used = sorted({str(r.table.name) for _, r in results})
        caption = (f"money in {cur} at {year} prices (every scenario converted to it from its "
                   f"table's money: {', '.join(tables_used)}); construction in job-years, "
                   f"operations per year; differences are against {results[0][0].stem}")
        terminal.emit_frame(frame, (ListFormat.json if as_json else fmt).value,
                    title=f"Scenarios compared ({effect} effects)", caption=caption,
                    attrs={"caption": caption})


# ----------------------------------------------------------------------------- report
@app.command(epilog=(
    "Examples:\n\n`impactsim report scenarios/korea.yaml -o korea.html`\n\n"
    "`impactsim report scenarios/korea.yaml -o korea.md`"
))
def report(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.", show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="report.html (one self-contained page) or report.md (markdown + "
        "a folder of SVG charts).")],
    induced: InducedOpt = True,
    draws: DrawsOpt = None,
    seed: SeedOpt = None,
    executor: ExecutorOpt = None,
    dask_address: DaskOpt = None,
    currency: CurrencyOpt = None,
    price_year: PriceYearOpt = None,
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Write a report: tables, charts and claim comparisons.

    One self-contained HTML page (charts by sector, by year, direct / indirect / induced), or
    markdown with its charts as SVG files.

    Example: `impactsim report scenarios/korea.yaml -o korea.html`
    """
    with guard(debug=debug, as_json=as_json):
        if output.suffix.lower() not in (".html", ".htm", ".md", ".markdown"):
            fail_usage(f"-o {output}: the report file must end in .html or .md")
        if output.is_dir():
            fail_usage(f"-o {output}: is a folder; give the report's file name, e.g. "
                        f"{output / 'report.html'}")
        from ..present.report import write_report
        from ..present.writers import json_dumps

        sc = load_scenario(scenario)
        result = run_one(sc, induced=induced, draws=draws, seed=seed, executor=executor,
                          dask_address=dask_address, progress=not quiet and not as_json)
        from ..scenario.claims import compare_claims

        comparisons = compare_claims(result)
        written = write_report(present_money(result, currency, price_year), output,
                               comparisons=comparisons)
        if as_json:
            typer.echo(json_dumps({"files": [str(w) for w in written]}))
        elif not quiet:
            typer.echo(terminal_text(f"Wrote {output}") + (
                f" and {len(written) - 1} chart file(s)" if len(written) > 1 else ""))
