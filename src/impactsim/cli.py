"""The ``impactsim`` command: run scenarios, validate them, list tables, show multipliers,
compare scenarios, write reports and print the scenario JSON Schema.

The CLI holds no economics: it parses options, calls the library and presents what comes back.
Heavy or optional modules (matplotlib, rich.progress, pyarrow, openpyxl, dask) are imported only
by the commands and options that use them, so ``impactsim --help`` and ``impactsim run`` start
fast. Exit status: 0 success, 1 model or data failure, 2 bad input (invalid scenario, bad
option, unreadable file); user errors print one line (``--debug`` shows the traceback).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from rich.console import Console

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2

app = typer.Typer(
    name="impactsim",
    help=(
        "Economic impact of announced investments with input-output (Leontief) models.\n\n"
        "Example: `impactsim run scenarios/korea.yaml`"
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(StrEnum):
    """Output formats of ``run``: a terminal table, data files, or a report."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"
    xlsx = "xlsx"
    md = "md"
    html = "html"


class Executor(StrEnum):
    inprocess = "inprocess"
    dask = "dask"


class Form(StrEnum):
    total = "total"
    ratio = "ratio"


class ListFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    md = "md"


# ----------------------------------------------------------------------------- shared options
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON on stdout.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors.")]
InducedOpt = Annotated[
    bool,
    typer.Option("--induced/--no-induced",
                 help="Include induced (household-spending, Type II) effects."),
]
DrawsOpt = Annotated[
    int | None,
    typer.Option("--draws", min=0, help="Monte Carlo draws (overrides the scenario; 0 = none)."),
]
SeedOpt = Annotated[int | None, typer.Option("--seed", min=0,
                                             help="Random seed for the draws (0 or more).")]
ExecutorOpt = Annotated[
    Executor | None,
    typer.Option("--executor", help="Where draws run: in this process or on dask.distributed."),
]
DaskOpt = Annotated[
    str | None,
    typer.Option("--dask-address", help="Address of an existing dask scheduler (with dask)."),
]


def _version_callback(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"impactsim {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version_callback, is_eager=True,
                     help="Print the version and exit."),
    ] = False,
) -> None:
    """Economic impact of announced investments with input-output (Leontief) models.

    Example: `impactsim run scenarios/korea.yaml`
    """


# ----------------------------------------------------------------------------- errors
class UsageProblem(Exception):
    """A bad combination of options (exit status 2)."""


def _exit_code(exc: BaseException) -> int:
    """Exit status for an exception: 2 for bad input, 1 for model or data failures."""
    from .claims import ClaimError
    from .errors import DemandError, ImpactsimError, OptionError, ScenarioError
    from .writers import OptionalDependencyError, OutputError

    bad_input: tuple[type[BaseException], ...] = (
        ScenarioError, OptionError, DemandError, ClaimError, OptionalDependencyError,
        OutputError, UsageProblem, FileNotFoundError, IsADirectoryError, NotADirectoryError,
        PermissionError, UnicodeDecodeError,
    )
    if isinstance(exc, bad_input):
        return EXIT_BAD_INPUT
    if isinstance(exc, ImpactsimError):
        return EXIT_FAILURE
    return EXIT_FAILURE


def _message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename is not None:
        reason = exc.strerror or str(exc)
        fix = {
            FileNotFoundError: "check the path",
            IsADirectoryError: "give a file, not a folder",
            PermissionError: "check the file's permissions",
            NotADirectoryError: "check the path",
        }.get(type(exc), "check the path")
        return f"{exc.filename}: {reason.lower()}; {fix}"
    if isinstance(exc, UnicodeDecodeError):
        return f"file is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
    from .errors import ImpactsimError

    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, ImpactsimError | UsageProblem):
        return text
    return f"internal error ({type(exc).__name__}: {text}); rerun with --debug and report it"


@contextlib.contextmanager
def _guard(*, debug: bool, as_json: bool = False) -> Iterator[None]:
    """Turn exceptions into a one-line message on stderr and the right exit status."""
    try:
        yield
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except KeyboardInterrupt:
        typer.echo("impactsim: interrupted", err=True)
        raise typer.Exit(130) from None
    except Exception as exc:
        if debug:
            import traceback

            traceback.print_exc()
        code = _exit_code(exc)
        msg = _message(exc)
        typer.echo(f"impactsim: error: {msg}", err=True)
        if as_json:
            from .writers import json_dumps

            typer.echo(json_dumps({"error": {"message": msg, "type": type(exc).__name__,
                                             "exit_status": code}}))
        raise typer.Exit(code) from None


def _fail_usage(msg: str) -> NoReturn:
    raise UsageProblem(msg)


# ----------------------------------------------------------------------------- presentation
def _console(*, stderr: bool = False) -> Console:
    """A rich console; when the output is not a terminal (a pipe, a file) it is 140 columns wide
    (or $COLUMNS) so tables are not squeezed into 80."""
    import os

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty():
        try:
            width = int(os.environ.get("COLUMNS", "140"))
        except ValueError:
            width = 140
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def _cells(frame: pd.DataFrame, *, index: bool) -> list[list[str]]:
    from .views import format_number

    rows = []
    for ix, row in frame.iterrows():
        cells = [str(ix)] if index else []
        for col, v in zip(frame.columns, row.tolist(), strict=True):
            if isinstance(v, bool) or not isinstance(v, float | int):
                cells.append(str(v))
            elif str(col) in ("year", "price_year", "seed") and float(v).is_integer():
                cells.append(str(int(v)))
            else:
                cells.append(format_number(float(v)))
        rows.append(cells)
    return rows


def _rich_table(frame: pd.DataFrame, *, title: str | None = None, caption: str | None = None,
                index: bool = True, text_cols: tuple[str, ...] = (), bold_row: str | None = None,
                width: int | None = None) -> Any:
    """A rich table of a frame: numbers right-aligned with thousands separators; text columns
    (``text_cols``) share whatever width the numbers leave (ellipsis beyond it)."""
    from rich.table import Table

    heads = ([str(frame.index.name or "")] if index else []) + [str(c) for c in frame.columns]
    body = _cells(frame, index=index)
    natural = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(heads)]
    is_text = [(i == 0 and index) or h in text_cols for i, h in enumerate(heads)]
    texts = [i for i, t in enumerate(is_text) if t and heads[i] in text_cols]
    limits: dict[int, int] = {}
    if width and texts:
        fixed = sum(w + 3 for i, w in enumerate(natural) if i not in texts) + 1
        room = max(12 * len(texts), width - fixed - 3 * len(texts))
        for i in texts:
            limits[i] = max(12, min(natural[i], room // len(texts)))
    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left",
                  header_style="bold", pad_edge=False)
    for i, head in enumerate(heads):
        table.add_column(head, justify="left" if is_text[i] else "right", no_wrap=True,
                         overflow="ellipsis", max_width=limits.get(i))
    for cells, ix in zip(body, frame.index, strict=True):
        style = "bold" if bold_row is not None and ix == bold_row else None
        table.add_row(*cells, style=style)
    return table


def _print_table(console: Console, frame: pd.DataFrame, *, title: str | None = None,
                 caption: str | None = None, **kw: Any) -> None:
    """Print a table sized to the console, then its caption as wrapped text."""
    console.print(_rich_table(frame, title=title, width=console.width, **kw))
    if caption:
        console.print(caption, highlight=False)


# ----------------------------------------------------------------------------- run
def _load_scenario(path: Path) -> Any:
    import impactsim as ims

    if not path.exists():
        raise FileNotFoundError(2, "no such file", str(path))
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    return ims.Scenario.from_yaml(path)  # type: ignore[attr-defined]


def _run_one(scenario: Any, *, induced: bool, draws: int | None, seed: int | None,
             executor: Executor | None, dask_address: str | None, progress: bool) -> Any:
    import impactsim as ims

    kwargs: dict[str, Any] = {"induced": induced}
    if draws is not None:
        kwargs["draws"] = draws
    if seed is not None:
        kwargs["seed"] = seed
    if executor is not None or dask_address:
        kwargs["executor"] = _make_executor(executor, dask_address)
    n_draws = draws if draws is not None else _scenario_draws(scenario)
    if progress and n_draws and n_draws > 1:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=_console(stderr=True),
                      transient=True) as bar:
            task = bar.add_task(f"draws ({getattr(scenario, 'name', '')})", total=n_draws)

            def advance(done: int, total: int | None = None) -> None:
                bar.update(task, completed=done, total=total or n_draws)

            return _call_run(ims, scenario, kwargs, advance)
    return _call_run(ims, scenario, kwargs, None)


def _call_run(ims: Any, scenario: Any, kwargs: dict[str, Any], progress: Any) -> Any:
    import inspect

    run = ims.run  # type: ignore[attr-defined]
    if progress is not None:
        try:
            params = inspect.signature(run).parameters
        except (TypeError, ValueError):
            params = {}
        if "progress" in params:
            kwargs = {**kwargs, "progress": progress}
    return run(scenario, **kwargs)


def _scenario_draws(scenario: Any) -> int | None:
    unc = getattr(scenario, "uncertainty", None)
    n = getattr(unc, "draws", None) if unc is not None else None
    return int(n) if isinstance(n, int) else None


def _make_executor(executor: Executor | None, address: str | None) -> Any:
    if executor == Executor.inprocess and not address:
        return "inprocess"
    try:
        from . import executors  # type: ignore[attr-defined]
    except ImportError:
        _fail_usage("--executor: executors are not available in this version of impactsim")
    factory = getattr(executors, "make_executor", None) or getattr(executors, "get_executor", None)
    name = (executor or Executor.dask).value
    if factory is None:
        return name
    return factory(name, address=address) if address else factory(name)


def _stem_names(paths: list[Path]) -> list[str]:
    stems = [p.stem for p in paths]
    dup = {s for s in stems if stems.count(s) > 1}
    if dup:
        _fail_usage(f"scenarios {sorted(dup)} share a file name; -o DIR names outputs after the "
                    "file: rename one or run them separately")
    return stems


def _scenario_payload(
    path: Path, result: Any, comparisons: list[Any], *, top: int
) -> dict[str, Any]:
    """Everything ``run`` shows for one scenario, as plain data (for --json)."""
    from . import views

    meta = result.table
    phases: dict[str, Any] = {}
    for phase in views.phases_of(result):
        head = views.headline(result, phase)
        phases[phase] = {
            "basis": views.phase_basis(result, phase),
            "effects": {str(e): {str(m): float(v) for m, v in row.items()}
                        for e, row in head.iterrows()},
            "top_sectors": _records(views.top_sectors(result, phase=phase, n=top)),
        }
        q = views.quantiles(result, phase)
        if q is not None:
            phases[phase]["quantiles"] = {str(lab): {str(m): float(v) for m, v in row.items()}
                                          for lab, row in q.iterrows()}
    cumulative = views.cumulative(result)
    return {
        "file": str(path),
        "name": str(getattr(result.scenario, "name", "") or path.stem),
        "title": str(getattr(result.scenario, "title", "") or ""),
        "table": {
            "name": meta.name, "region": meta.region, "year": meta.year,
            "currency": meta.currency, "unit": meta.unit, "money_unit": meta.money_unit,
            "price_year": meta.price_year, "price_basis": meta.price_basis,
            "employment_unit": meta.employment_unit, "caption": views.table_caption(meta),
        },
        "units": views.units_of(result),
        "draws": views.n_draws(result),
        "phases": phases,
        "whole_scenario": {
            "basis": cumulative.attrs.get("basis", ""),
            "effects": {str(e): {str(m): float(v) for m, v in row.items()}
                        for e, row in cumulative.iterrows()},
        },
        "claims": [c.to_dict() for c in comparisons],
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    from .writers import _json_ready

    return _json_ready(frame)


def _print_result(console: Console, path: Path, result: Any, comparisons: list[Any], *,
                  top: int) -> None:
    from rich.markup import escape
    from rich.rule import Rule

    from . import report, views

    info = report.scenario_info(result)
    console.print(Rule(f"[bold]{escape(info['title'])}[/bold] ({escape(str(path))})",
                       align="left"))
    console.print(info["table"])
    line = report._draws_line(result)
    console.print(line[:1].upper() + line[1:])
    for phase in views.phases_of(result):
        frame, unit = report.headline_display(result, phase)
        title = f"{phase.capitalize()}: {views.phase_basis(result, phase)}"
        console.print()
        _print_table(console, report._headers(frame), title=title, caption=unit,
                     bold_row="total")
        q = report.quantile_display(result, phase)
        if q is not None:
            frame_q, unit_q = q
            _print_table(console, report._headers(frame_q),
                         title=f"{phase.capitalize()}: ranges of the total", caption=unit_q)
    whole, unit = report.cumulative_display(result)
    console.print()
    _print_table(console, report._headers(whole), title=f"Whole scenario: {whole.attrs['basis']}",
                 caption=unit, bold_row="total")
    for phase in views.phases_of(result):
        jobs = views.lead_measure(result) == "employment"
        top_frame = views.top_sectors(result, measure=views.lead_measure(result), phase=phase,
                                      n=top)
        top_frame = top_frame.assign(share=(top_frame["share"] * 100).round(1)).rename(
            columns={"share": "share %"})
        basis = "job-years" if phase == "construction" else "jobs per year"
        what, basis = ("jobs", basis) if jobs else ("value added", result.units["value_added"])
        console.print()
        _print_table(console, top_frame, title=f"Top sectors by {what}, {phase} ({basis})",
                     text_cols=("name",))
        if views.is_multiregional(result):  # multi-region: docs/regions.md
            from .regional.scenarios import result_by_region

            by_region = result_by_region(result, measure="value_added", phase=phase).head(top)
            console.print()
            _print_table(console, by_region, title=f"Value added by region, {phase} "
                         f"({result.units['value_added']})")
    if comparisons:
        console.print()
        _print_table(console, report._claims_frame(comparisons), index=False,
                     title="Claims against the model", text_cols=("claim",))
        for c in comparisons:
            head = f"[bold]{escape(c.claim.id)}[/bold] ({c.verdict}) “{escape(c.claim.text)}”"
            if c.verdict == "not comparable":
                console.print(f"{head}: {escape(c.note)}")
                continue
            console.print(f"{head}: model {escape(c.basis)}")
            if c.verdict == "consistent":
                continue
            console.print("  what could explain the gap:")
            for e in c.explanations:
                mark = " [green](would close the gap)[/green]" if e.closes_gap else ""
                console.print(f"  • {escape(e.kind)}: {escape(e.text)}{mark}")
    console.print()
    console.print("[dim]" + escape(" ".join(report.caveats(result))) + "[/dim]")


def _output_files(out_dir: Path, stem: str, path: Path, result: Any, comparisons: list[Any],
                  fmt: Format, argv: list[str], options: dict[str, Any]) -> dict[Path, Any]:
    """Serialise one scenario's results into {target path: bytes} (nothing written yet)."""
    from . import report, views
    from .claims import comparisons_frame
    from .writers import TABULAR_FORMATS, frame_bytes

    data_fmt = fmt.value if fmt.value in TABULAR_FORMATS else "csv"
    ext = TABULAR_FORMATS[data_fmt]
    files: dict[Path, Any] = {}
    files[out_dir / f"{stem}.results{ext}"] = frame_bytes(views.tidy(result), data_fmt)
    summary = views.summary_frame(result)
    files[out_dir / f"{stem}.summary{ext}"] = frame_bytes(summary, data_fmt)
    if comparisons:
        files[out_dir / f"{stem}.claims{ext}"] = frame_bytes(comparisons_frame(comparisons),
                                                             data_fmt)
    files[out_dir / f"{stem}.provenance.json"] = _provenance(path, result, argv, options).to_json()
    if fmt == Format.html:
        files[out_dir / f"{stem}.report.html"] = report.render_html(result,
                                                                   comparisons=comparisons)
    elif fmt == Format.md:
        folder = f"{stem}.report_files"
        text, charts = report.render_markdown(result, comparisons=comparisons, chart_dir=folder)
        for name, blob in charts.items():
            files[out_dir / folder / name] = blob
        files[out_dir / f"{stem}.report.md"] = text
    return files


def _provenance(path: Path, result: Any, argv: list[str], options: dict[str, Any]) -> Any:
    import datetime as dt

    from . import __version__, views
    from .writers import Provenance, sha256_file

    meta = result.table
    table_info: dict[str, Any] = {
        "name": meta.name, "region": meta.region, "year": meta.year, "currency": meta.currency,
        "unit": meta.unit, "price_year": meta.price_year, "price_basis": meta.price_basis,
        "employment_unit": meta.employment_unit, "sha256": _table_checksum(result),
        "provenance": dict(meta.provenance),
    }
    opts = dict(options)
    opts["units"] = views.units_of(result)
    return Provenance(
        scenario_file=str(path),
        scenario_sha256=sha256_file(path),
        table=table_info,
        impactsim_version=__version__,
        command=["impactsim", *argv],
        options=opts,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def _table_checksum(result: Any) -> str | None:
    """The checksum of the table a result was computed on (numbers and labels)."""
    from .writers import table_checksum

    for attr in ("io_table", "table_object"):
        tab = getattr(result, attr, None)
        if tab is not None and hasattr(tab, "z_domestic"):
            return table_checksum(tab)
    meta = result.table
    try:
        import impactsim as ims

        return table_checksum(ims.load_table(meta.name))  # type: ignore[attr-defined]
    except Exception:
        return None


@app.command(epilog=(
    "Examples:\n\n"
    "`impactsim run scenarios/korea.yaml`\n\n"
    "`impactsim run scenarios/korea.yaml -o out/ --format xlsx`\n\n"
    "`impactsim run scenarios/korea.yaml --draws 2000 --seed 1 --json`"
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
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Run scenarios: headline table per phase, top sectors, claim comparisons.

    Construction is in job-years (total over its years), operations in jobs per year of full
    operation: the two are never added. With -o DIR the tidy results, the summary, the claim
    comparisons and a provenance file are written atomically.

    Example: `impactsim run scenarios/korea.yaml`
    """
    with _guard(debug=debug, as_json=as_json):
        from .writers import check_format_available

        if fmt in (Format.parquet, Format.xlsx) and output is None:
            _fail_usage(f"--format {fmt.value} writes files: add -o DIR")
        check_format_available(fmt.value)
        if output is not None and output.exists() and not output.is_dir():
            _fail_usage(f"-o {output}: is a file, but run writes a folder of result files; "
                        "give a folder (new or existing)")
        stems = _stem_names(scenarios)
        loaded = [(p, _load_scenario(p)) for p in scenarios]  # validate all before running any
        argv = sys.argv[1:]
        options = {"induced": induced, "draws": draws, "seed": seed,
                   "executor": executor.value if executor else None, "format": fmt.value}
        stdout_fmt = None if output is not None else fmt
        console = _console()
        show_bar = not quiet and not as_json
        results = []
        for path, scenario in loaded:
            result = _run_one(scenario, induced=induced, draws=draws, seed=seed,
                              executor=executor, dask_address=dask_address, progress=show_bar)
            from .claims import compare_claims

            comparisons = compare_claims(result)
            results.append((path, result, comparisons))
            if not quiet and not as_json and stdout_fmt in (None, Format.table):
                _print_result(console, path, result, comparisons, top=top)
        written: list[Path] = []
        if output is not None:
            from .writers import write_files

            files: dict[Path, Any] = {}
            for stem, (path, result, comparisons) in zip(stems, results, strict=True):
                files.update(_output_files(output, stem, path, result, comparisons, fmt, argv,
                                           options))
            written = write_files(files)
            if not quiet and not as_json:
                console.print(f"\nWrote {len(written)} file(s) to {output}/")
        if as_json or (stdout_fmt == Format.json and not quiet):
            from . import __version__
            from .writers import json_dumps

            payload = {"scenarios": [_scenario_payload(p, r, c, top=top) for p, r, c in results],
                       "files": [str(w) for w in written]}
            typer.echo(json_dumps({"impactsim_version": __version__, **payload}))
        elif not quiet and stdout_fmt in (Format.csv, Format.md, Format.html):
            _print_stdout_format(stdout_fmt, results)


def _print_stdout_format(fmt: Format, results: list[tuple[Path, Any, list[Any]]]) -> None:
    from . import report, views

    for path, result, comparisons in results:
        if fmt == Format.csv:
            frame = views.summary_frame(result)
            frame.insert(0, "scenario", path.stem)
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
    results: list[dict[str, Any]] = []
    worst = EXIT_OK
    for path in files:
        try:
            with _guard(debug=debug):
                scenario = _load_scenario(path)
                shocks = scenario.shocks()
                summary = _describe_scenario(scenario, shocks)
                results.append({"file": str(path), "valid": True, **summary})
                if not quiet and not as_json:
                    typer.echo(f"ok: {path}: {summary['description']}")
        except typer.Exit as exit_:
            worst = max(worst, int(exit_.exit_code))
            results.append({"file": str(path), "valid": False, "exit_status": exit_.exit_code})
    if as_json:
        from .writers import json_dumps

        typer.echo(json_dumps({"files": results}))
    if worst:
        raise typer.Exit(worst)


def _describe_scenario(scenario: Any, shocks: Any) -> dict[str, Any]:
    name = str(getattr(scenario, "name", "") or "")
    investments = getattr(scenario, "investments", None) or []
    claims = getattr(scenario, "claims", None) or []
    table = getattr(scenario, "table", "")
    table = getattr(table, "name", table)
    frame = getattr(shocks, "frame", None)
    if frame is None and hasattr(shocks, "to_frame"):
        frame = shocks.to_frame()
    if frame is None:
        frame = shocks
    has_amount = hasattr(frame, "columns") and "amount" in frame.columns
    total = float(frame["amount"].sum()) if has_amount else None
    desc = (f"{name}: {len(investments)} investment(s), table {table}, {len(claims)} claim(s)"
            + (f", domestic shocks {total:,.0f} table units" if total is not None else ""))
    return {"name": name, "table": str(table), "investments": len(investments),
            "claims": len(claims), "domestic_shock_total": total, "description": desc}


# ----------------------------------------------------------------------------- tables
@app.command(epilog="Example:\n\n`impactsim tables --json`")
def tables(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ListFormat.table),
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """List the bundled input-output tables with their provenance.

    Example: `impactsim tables`
    """
    with _guard(debug=debug, as_json=as_json):
        import impactsim as ims

        frame = ims.list_tables()  # type: ignore[attr-defined]
        out_fmt = ListFormat.json if as_json else fmt
        if out_fmt == ListFormat.table:  # the terminal gets the key columns; files get all
            keep = [c for c in ("name", "sectors", "region", "year", "currency", "unit",
                                "price_basis", "publisher", "default") if c in frame.columns]
            caption = "; ".join(f"{r['name']}: {r.get('description', '')} Licence: "
                                f"{r.get('licence', '')}" for _, r in frame.iterrows())
            frame = frame[keep].set_index("name")
            _emit_frame(frame, out_fmt, title="Bundled tables (impactsim tables --json for all "
                        "provenance fields)", caption=caption,
                        text_cols=("price_basis", "publisher"))
        else:
            _emit_frame(frame, out_fmt, title="Bundled tables")


def _emit_frame(frame: pd.DataFrame, fmt: ListFormat, *, title: str, caption: str | None = None,
                text_cols: tuple[str, ...] = (), attrs: dict[str, Any] | None = None) -> None:
    if fmt == ListFormat.table:
        _print_table(_console(), frame, title=title, caption=caption, text_cols=text_cols)
    elif fmt == ListFormat.csv:
        flat = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
        typer.echo(flat.to_csv(index=False, lineterminator="\n"), nl=False)
    elif fmt == ListFormat.md:
        from .report import _md_table

        typer.echo(f"**{title}**\n\n{_md_table(frame)}" + (f"\n\n{caption}" if caption else ""))
    else:
        from .writers import _json_ready, json_dumps

        body: dict[str, Any] = {"title": title, "rows": _json_ready(frame)}
        if attrs:
            body.update(attrs)
        typer.echo(json_dumps(body))


# ----------------------------------------------------------------------------- multipliers
def _load_any_table(name: str) -> Any:
    import impactsim as ims

    path = Path(name)
    if path.exists():
        if not path.is_dir():
            _fail_usage(f"{name}: a table is a bundled name or a table folder (IOTable.to_dir)")
        return ims.IOTable.from_dir(path)
    names = [str(n) for n in ims.list_tables()["name"]]  # type: ignore[attr-defined]
    if name not in names:
        _fail_usage(f"table '{name}': not a bundled table nor a folder; use one of {names} "
                    "(impactsim tables) or a table folder written by IOTable.to_dir")
    return ims.load_table(name)  # type: ignore[attr-defined]


@app.command(epilog=(
    "Examples:\n\n"
    "`impactsim multipliers korea-2020 --sector 610-DC --sector 310-MEM --induced`\n\n"
    "`impactsim multipliers --form ratio --sort employment --top 10`"
))
def multipliers(
    table: Annotated[str, typer.Argument(help="Bundled table name or table folder.")] = (
        "korea-2020"),
    sector: Annotated[list[str] | None, typer.Option(
        "--sector", "-s", help="Sector code(s) to show (repeat); default all.")] = None,
    induced: Annotated[bool, typer.Option(
        "--induced", help="Type II multipliers (households closed).")] = False,
    form: Annotated[Form, typer.Option(
        "--form", help="total: effect per unit of final demand; ratio: total / direct.")] = (
        Form.total),
    leakage: Annotated[float, typer.Option(
        "--leakage", min=0.0, max=0.99, help="With --induced: share of labour income not spent "
        "on domestic products beyond the table's own (taxes, extra saving).")] = 0.0,
    sort: Annotated[str | None, typer.Option(
        "--sort", help="Sort by this measure, largest first.")] = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="Show the first N rows.")] = None,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ListFormat.table),
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Multipliers by sector: effects per unit of final demand.

    Output, value added, labour income, imports and employment per unit of final demand for
    each sector (Type I, or Type II with --induced); --form ratio gives total / direct.

    Example: `impactsim multipliers korea-2020 --sector 610-DC --induced`
    """
    with _guard(debug=debug, as_json=as_json):
        import impactsim as ims

        from . import views

        tab = _load_any_table(table)
        positions = []
        for s in sector or ():
            try:
                positions.append(tab.sector_position(s))
            except ims.TableError as exc:
                _fail_usage(f"--sector: {exc}")
        closure = None
        if induced:
            from .simulate import household_closure

            closure = household_closure(tab, leakage)
        model = ims.LeontiefModel(tab, closure=closure)
        frame = model.multipliers(induced=induced, form=form.value)
        units = dict(frame.attrs.get("units", {}))
        if positions:
            frame = frame.iloc[positions]
        if sort:
            if sort not in frame.columns:
                _fail_usage(f"--sort {sort}: not a measure; use one of {list(frame.columns)}")
            frame = frame.sort_values(sort, ascending=False)
        if top:
            frame = frame.head(top)
        names = {}
        if tab.sector_info is not None and "name_en" in tab.sector_info.columns:
            names = {str(k): str(v) for k, v in tab.sector_info["name_en"].items()}
        frame = frame.copy()
        frame.index = frame.index.map(str)
        frame.index.name = "sector"
        frame.insert(0, "name", [names.get(s, "") for s in frame.index])
        kind = "Type II (households closed)" if induced else "Type I (open)"
        meta = tab.meta
        terminal = fmt == ListFormat.table and not as_json
        if form == Form.total:
            per = f"per 1 {meta.money_unit} of final demand"
            caption = (f"{views.table_caption(meta)}. {kind} multipliers {per}: money in "
                       f"{meta.money_unit} per {meta.money_unit}")
            persons = [c for c in ("employment", "employees") if c in frame.columns]
            if persons and terminal:
                scale = _employment_scale(frame[persons[0]])
                label = meta.money_unit if scale == 1.0 else _per_label(meta, scale)
                short = label.replace("thousand ", "k ").replace("million ", "mn ").replace(
                    "billion ", "bn ").replace("trillion ", "tn ")
                renames = {c: f"{'jobs' if c == 'employment' else c}/{short}" for c in persons}
                frame = frame.rename(columns=renames)
                for col in renames.values():
                    frame[col] = frame[col] * scale
                caption += f"; {meta.employment_unit} per {label} of final demand"
            else:
                caption += f"; employment in {meta.employment_unit} {per}"
        else:
            caption = (f"{views.table_caption(meta)}. {kind} ratio multipliers: (direct + "
                       "indirect" + (" + induced" if induced else "") + ") / direct")
        if terminal:
            frame = frame.rename(columns={"value_added": "value added",
                                          "household_income": "hh income"})
        out_fmt = ListFormat.json if as_json else fmt
        _emit_frame(frame, out_fmt, title=f"Multipliers, {meta.name}", caption=caption,
                    text_cols=("name",), attrs={"caption": caption, "units": units,
                                                "type": "II" if induced else "I",
                                                "form": form.value})


def _per_label(meta: Any, scale: float) -> str:
    """'billion KRW' for 1,000 × million KRW; '1,000 USD' when no scale word fits."""
    amount = scale * float(meta.unit or 1.0)
    words = {1e3: "thousand", 1e6: "million", 1e9: "billion", 1e12: "trillion"}
    word = words.get(amount)
    return f"{word} {meta.currency}" if word else f"{amount:,.0f} {meta.currency}"


def _employment_scale(values: Any) -> float:
    """Power of ten that brings the largest employment multiplier to at least 1 for display."""
    import numpy as np

    biggest = float(np.nanmax(np.abs(np.asarray(values, dtype=float)))) if len(values) else 0.0
    scale = 1.0
    while 0 < biggest * scale < 1.0 and scale < 1e12:
        scale *= 1000.0
    return scale


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
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = (
        ListFormat.table),
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Compare scenarios side by side, per phase, with the difference from the first.

    Example: `impactsim compare scenarios/korea.yaml scenarios/ulsan.yaml`
    """
    with _guard(debug=debug, as_json=as_json):
        if len(scenarios) < 2:
            _fail_usage("compare needs at least two scenario files")
        if effect not in ("total", "direct", "indirect", "induced"):
            _fail_usage(f"--effect {effect}: use total, direct, indirect or induced")
        from . import views

        loaded = [(p, _load_scenario(p)) for p in scenarios]
        results = [(p, _run_one(s, induced=induced, draws=0, seed=None, executor=None,
                                dask_address=None, progress=False)) for p, s in loaded]
        frame = views.compare_frame([(p.stem, r) for p, r in results], effect=effect)
        metas = {views.table_caption(r.table) for _, r in results}
        caption = " | ".join(sorted(metas)) + (
            "; construction in job-years, operations per year; differences are against "
            f"{results[0][0].stem}")
        _emit_frame(frame, ListFormat.json if as_json else fmt,
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
    quiet: QuietOpt = False,
    as_json: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Write a report: tables, charts and claim comparisons.

    One self-contained HTML page (charts by sector, by year, direct / indirect / induced), or
    markdown with its charts as SVG files.

    Example: `impactsim report scenarios/korea.yaml -o korea.html`
    """
    with _guard(debug=debug, as_json=as_json):
        if output.suffix.lower() not in (".html", ".htm", ".md", ".markdown"):
            _fail_usage(f"-o {output}: the report file must end in .html or .md")
        if output.is_dir():
            _fail_usage(f"-o {output}: is a folder; give the report's file name, e.g. "
                        f"{output / 'report.html'}")
        sc = _load_scenario(scenario)
        result = _run_one(sc, induced=induced, draws=draws, seed=seed, executor=executor,
                          dask_address=dask_address, progress=not quiet and not as_json)
        from .report import write_report

        written = write_report(result, output)
        if as_json:
            from .writers import json_dumps

            typer.echo(json_dumps({"files": [str(w) for w in written]}))
        elif not quiet:
            typer.echo(f"Wrote {output}" + (f" and {len(written) - 1} chart file(s)"
                                            if len(written) > 1 else ""))


# ----------------------------------------------------------------------------- schema
@app.command(epilog="Example:\n\n`impactsim schema -o scenario.schema.json`")
def schema(
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the schema to this file instead of stdout.")] = None,
    debug: DebugOpt = False,
) -> None:
    """Print the JSON Schema of scenario files (for editor autocompletion).

    Example: `impactsim schema > scenario.schema.json`
    """
    with _guard(debug=debug):
        import impactsim as ims

        from .writers import atomic_write, json_dumps

        text = json_dumps(ims.scenario_json_schema()) + "\n"  # type: ignore[attr-defined]
        if output is None:
            typer.echo(text, nl=False)
        else:
            atomic_write(output, text)


def main() -> None:
    """Console-script entry point (``impactsim``)."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
