"""The ``impactsim`` command: typer commands only — no economics, no formatting rules.

Commands parse options, call the library (:func:`impactsim.run`, the catalog, the model) and
hand what comes back to the presenters in :mod:`impactsim.present`. Heavy or optional modules
(pandas, matplotlib, rich.progress, pyarrow, openpyxl, dask) are imported inside the commands
that use them, so ``impactsim --help`` starts fast.
"""

from __future__ import annotations

from . import draft, gallery, scenarios, tables
from .app import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, app

__all__ = [
    "EXIT_BAD_INPUT", "EXIT_FAILURE", "EXIT_OK", "app", "draft", "gallery", "main", "scenarios",
    "tables",
]


def main() -> None:
    """Run the ``impactsim`` command and end the process: signals, usage errors and output
    streams are handled by :func:`impactsim.cli.entry.run_main`, the end of the process by
    :func:`impactsim.cli.entry.run_and_exit` (docs/security.md). The console script itself is
    :func:`impactsim.__main__.main`, which also sets the process up before this package is
    imported.

    It ends the process (exit functions run, then ``os._exit``; no ``SystemExit`` reaches the
    caller). To run a command inside a Python process and get its exit status, call
    ``impactsim.cli.entry.run_main(argv)``.
    """
    from .entry import run_and_exit

    run_and_exit()
