"""The typer application, its shared options and the error guard of every command.

Exit status: 0 success, 1 model or data failure, 2 bad input (invalid scenario, bad option,
unreadable file); user errors print one line (``--debug`` shows the traceback).
"""

from __future__ import annotations

import contextlib
import errno
import re
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from .._version import __version__
from ..errors import DemandError, ImpactsimError, OptionError, ScenarioError

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario.result import ScenarioResult
    from ..scenario.schema import Scenario


EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
#: The signal that interrupted this run (set by cli/entry.py) and whether it was reported.
INTERRUPT: dict[str, Any] = {"signal": None, "reported": False}

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
CurrencyOpt = Annotated[str | None, typer.Option(
    "--currency", help="Present money in this currency (e.g. USD; 'scenario' for the "
    "scenario's own), converted with the shipped exchange rates; the price year defaults to "
    "the scenario's.")]
PriceYearOpt = Annotated[int | None, typer.Option(
    "--price-year", help="Present money at this year's prices (GDP deflator of the table's "
    "economy); the currency defaults to the scenario's.")]
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
    from ..present.writers import OptionalDependencyError, OutputError
    from ..scenario.claims import ClaimError

    bad_input: tuple[type[BaseException], ...] = (
        ScenarioError, OptionError, DemandError, ClaimError, OptionalDependencyError,
        OutputError, UsageProblem, FileNotFoundError, IsADirectoryError, NotADirectoryError,
        PermissionError, UnicodeDecodeError,
    )
    if isinstance(exc, bad_input):
        return EXIT_BAD_INPUT
    from ..present.commit import SPACE_ERRORS

    if isinstance(exc, OSError) and exc.errno in SPACE_ERRORS | {errno.EPIPE}:
        return EXIT_BAD_INPUT  # a full disk, a size limit, a too-long path: the output target
    if isinstance(exc, ImpactsimError):
        return EXIT_FAILURE
    return EXIT_FAILURE


def _message(exc: BaseException) -> str:
    from ..present.escape import terminal_text

    return terminal_text(_raw_message(exc), one_line=True)


def _raw_message(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.filename is not None:
        reason = exc.strerror or str(exc)
        fix = {
            FileNotFoundError: "check the path",
            IsADirectoryError: "give a file, not a folder",
            PermissionError: "check the file's permissions",
            NotADirectoryError: "check the path",
        }.get(type(exc), "check the path")
        if exc.errno == errno.ENAMETOOLONG:
            fix = "use a shorter path"
        return f"{exc.filename}: {reason.lower()}; {fix}"
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return (f"cannot write the output ({(exc.strerror or str(exc)).lower()}); free space, "
                "raise the file-size limit or write elsewhere")
    if isinstance(exc, UnicodeDecodeError):
        return f"file is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, ImpactsimError | UsageProblem):
        return text
    return f"internal error ({type(exc).__name__}: {text}); rerun with --debug and report it"


@contextlib.contextmanager
def guard(*, debug: bool, as_json: bool = False) -> Iterator[None]:
    """Turn exceptions into a one-line message on stderr and the right exit status."""
    try:
        yield
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except KeyboardInterrupt:
        _exit_interrupted()
    except BrokenPipeError:  # `impactsim ... | head`: the reader left; end quietly
        _quiet_stdout()
        raise typer.Exit(141) from None
    except Exception as exc:
        if INTERRUPT.get("signal"):  # a signal that a library wrapped in its own error
            _exit_interrupted()
        if debug:
            import traceback

            traceback.print_exc()
        code = _exit_code(exc)
        msg = _message(exc)
        typer.echo(f"impactsim: error: {msg}", err=True)
        if as_json:
            from ..present.writers import json_dumps

            typer.echo(json_dumps({"error": {"message": msg, "type": type(exc).__name__,
                                             "exit_status": code}}))
        raise typer.Exit(code) from None


def _exit_interrupted() -> NoReturn:
    """One line "interrupted" (once) and exit with 128 + the signal (130 for Ctrl-C)."""
    sig = INTERRUPT.get("signal")
    if not INTERRUPT.get("reported"):
        with contextlib.suppress(OSError, ValueError):
            typer.echo("impactsim: interrupted", err=True)
        INTERRUPT["reported"] = True
    raise typer.Exit(128 + int(sig) if sig else 130) from None


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so no later flush fails on the closed pipe."""
    import os
    import sys

    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def fail_usage(msg: str) -> NoReturn:
    raise UsageProblem(msg)


# ----------------------------------------------------------------------------- shared steps
def load_scenario(path: Path) -> Scenario:
    """A validated scenario from a file (one-line errors for missing files and folders)."""
    from ..scenario.schema import Scenario

    if not path.exists():
        raise FileNotFoundError(2, "no such file", str(path))
    if path.is_dir():
        raise IsADirectoryError(21, "is a directory", str(path))
    return Scenario.from_yaml(path)


def run_one(scenario: Scenario, *, induced: bool, draws: int | None, seed: int | None,
            executor: Executor | None, dask_address: str | None,
            progress: bool, keep_sectors: bool = False) -> ScenarioResult:
    """``run(scenario)`` with the command's options, with a progress bar for draws."""
    from ..present.terminal import make_console
    from ..simulate import run

    n_draws = draws
    if n_draws is None and scenario.uncertainty is not None:
        n_draws = scenario.uncertainty.draws
    if n_draws:  # the Monte Carlo modules load only for a run with draws
        from ..uncertainty.draws import MAX_DRAWS
        from ..uncertainty.executors import default_workers

        if draws is not None and draws > MAX_DRAWS:
            fail_usage(f"--draws {draws}: at most {MAX_DRAWS:,} per run; use fewer draws")
        if executor is None and not dask_address:
            default_workers()  # a bad IMPACTSIM_WORKERS is refused before any work
    kwargs: dict[str, Any] = {"induced": induced}
    if keep_sectors:
        kwargs["keep_sectors"] = True
    if draws is not None:
        kwargs["draws"] = draws
    if seed is not None:
        kwargs["seed"] = seed
    if executor is not None or dask_address:
        kwargs["executor"] = make_executor(executor, dask_address)
    console = make_console(stderr=True) if progress and n_draws and n_draws > 1 else None
    if console is not None and console.is_terminal:  # not drawn into a pipe or a log file
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                      console=console, transient=True) as bar:
            task = bar.add_task(f"draws ({scenario.name})", total=n_draws)

            def advance(done: int, total: int | None = None) -> None:
                bar.update(task, completed=done, total=total or n_draws)

            return run(scenario, progress=advance, **kwargs)
    return run(scenario, **kwargs)


def present_money(result: ScenarioResult, currency: str | None,
                  price_year: int | None) -> ScenarioResult:
    """The result in the money asked for with --currency / --price-year (unchanged without)."""
    if currency is None and price_year is None:
        return result
    cur = None if currency is None or currency.lower() == "scenario" else currency.upper()
    if cur is not None and (len(cur) != 3 or not cur.isalpha()):
        fail_usage(f"--currency {currency}: give a three-letter code such as USD or KRW")
    return result.in_money(cur, price_year)


_DASK_ADDRESS = re.compile(r"^((tcp|tls|ucx|ws|wss|inproc)://)?[A-Za-z0-9_.\-\[\]:%]+:\d{1,5}$")


def make_executor(executor: Executor | None, address: str | None) -> Any:
    """The executor the draws run on: in this process, or dask (at ``address`` if given)."""
    if executor == Executor.inprocess and not address:
        return "inprocess"
    if address is not None and not _DASK_ADDRESS.match(address):
        fail_usage(f"--dask-address {address!r}: not a scheduler address; give e.g. "
                   "tcp://host:8786 (or leave it out for a local cluster)")
    name = (executor or Executor.dask).value
    if address is None:
        return name  # made and shut down by the run itself
    from ..uncertainty.executors import get_executor

    return get_executor(name, address=address)


def stem_names(paths: list[Path]) -> list[str]:
    stems = [p.stem for p in paths]
    dup = {s for s in stems if stems.count(s) > 1}
    if dup:
        fail_usage(f"scenarios {sorted(dup)} share a file name; -o DIR names outputs after the "
                    "file: rename one or run them separately")
    return stems
