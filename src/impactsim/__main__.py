"""``python -m impactsim`` and the ``impactsim`` command: the process around the CLI.

:func:`main` owns the whole process (the CLI itself, :mod:`impactsim.cli`, can also be called
inside another Python process, where none of this applies):

* until the CLI installs its own signal handlers, SIGINT/SIGTERM print one line and leave at
  once (:func:`_early`);
* the cyclic garbage collector keeps collecting young objects but defers its *full* passes
  (:data:`COMMAND_GC_THRESHOLDS`): a command is a short process whose heap is mostly modules
  and tables that live until it ends, and each full pass walks every one of those objects (two
  passes in a ``run``, about 70 ms of a second's work, docs/performance.md).
"""

import gc
import os
import signal

#: ``gc.set_threshold`` for a command: Python's default young-generation thresholds (700, 10)
#: and a full collection only after 1,000 middle-generation ones (default 10), i.e. after about
#: seven million container allocations instead of seventy thousand.
COMMAND_GC_THRESHOLDS = (700, 10, 1000)


def _early(signum: int, frame: object) -> None:  # until the CLI installs its own handlers
    """A signal while the command is still importing its modules: nothing has been read or
    written yet, so say so on one line and leave at once with 128 + the signal number (raising
    from a handler during imports can surface inside the import machinery as a traceback)."""
    os.write(2, b"impactsim: interrupted\n")
    os._exit(128 + signum)


def main() -> None:
    """Run the ``impactsim`` command in this process and end the process with its exit status
    (:func:`impactsim.cli.entry.run_and_exit`)."""
    signal.signal(signal.SIGTERM, _early)
    signal.signal(signal.SIGINT, _early)
    gc.set_threshold(*COMMAND_GC_THRESHOLDS)
    from impactsim.cli.entry import run_and_exit

    run_and_exit()


if __name__ == "__main__":
    main()
