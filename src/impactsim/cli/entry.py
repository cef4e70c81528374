"""The process around the typer app: signals, usage errors, unwritable or narrow output streams.

:func:`run_main` is what the ``impactsim`` command runs. It guarantees (docs/security.md):

* SIGINT and SIGTERM at any moment print ``impactsim: interrupted`` and exit 130 / 143, with no
  traceback; files being written are removed by the writers' own clean-up (a result folder is
  swapped in whole or not at all), and later signals are ignored while that clean-up runs;
* usage errors (unknown option, bad option value, missing argument) are one line on stderr with
  exit status 2, and a JSON error object on stdout under ``--json``;
* output that the terminal cannot encode (``PYTHONIOENCODING=ascii``) is backslash-escaped,
  never an encoding error; a full or closed output stream (``> /dev/full``, ``| head``) is one
  line and exit 2 (a closed pipe: silence and 141, as other Unix tools);
* a file-size limit (``ulimit -f``) is an error on the write (EFBIG), not a kill by SIGXFSZ;
* once the command has finished (its output written and flushed), a signal has nothing left to
  interrupt and is ignored: the exit status is the command's;
* results do not depend on the machine's core count: BLAS runs on one thread unless the user
  chose a count (``OPENBLAS_NUM_THREADS``, ``OMP_NUM_THREADS``, ``MKL_NUM_THREADS``), because
  OpenBLAS factorizes with a different blocking when it starts with 1 or with 2+ threads and
  the last bits of the results would differ (the models are small: one thread costs little).
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any, NoReturn

from .app import EXIT_BAD_INPUT, INTERRUPT, app

try:  # typer >= 0.2x vendors its own copy of click
    from typer._click import exceptions as _exc
    from typer.exceptions import Abort as _ABORT
except ImportError:  # pragma: no cover - older typer uses click itself
    # the same names from click itself: a second definition of each, by design
    from click import exceptions as _exc  # type: ignore[no-redef]
    from click.exceptions import Abort as _ABORT  # type: ignore[assignment]

_USAGE, _CLICK = _exc.UsageError, _exc.ClickException
_NO_ARGS = getattr(_exc, "NoArgsIsHelpError", ())

EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_PIPE = 130, 143, 141
#: Environment variables by which a user chooses the BLAS thread count themselves.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                    "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def blas_threads() -> contextlib.AbstractContextManager[Any]:
    """BLAS on one thread for the command, unless the user set a thread count: results
    identical to the last bit on any machine (docs/security.md).

    OpenBLAS factorizes with a different blocking when it *starts* with one thread than with
    several (a limit set later does not change it), so the count is set in the environment
    before numpy is first imported; where numpy is already loaded (the CLI called in-process)
    the count is limited with threadpoolctl, which keeps results stable within the process.
    """
    if any(os.environ.get(v) for v in THREAD_VARIABLES):
        return contextlib.nullcontext()
    if "numpy" not in sys.modules:
        for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = "1"
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a base dependency
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _handler(signum: int, frame: Any) -> None:
    INTERRUPT["signal"] = signum
    logging.disable(logging.CRITICAL)  # no log lines (dask shutting down) after the signal
    # a second signal must not interrupt the clean-up the first one started
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    raise KeyboardInterrupt


#: Seconds after which an interrupt that Python could not raise is raised again.
RETRY_INTERRUPT = 0.01


def _raise_again(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _unraisable(hook_args: Any) -> None:
    """An interrupt that arrived inside a weak-reference callback or a ``__del__`` (the import
    machinery runs such callbacks) cannot propagate: Python would print it as "Exception
    ignored" with a traceback and carry on. Say nothing and raise it again a moment later, when
    the interpreter is back in ordinary code; any other unraisable error goes to Python's hook.
    """
    if issubclass(hook_args.exc_type, KeyboardInterrupt) and INTERRUPT.get("signal"):
        if hasattr(signal, "setitimer"):
            signal.signal(signal.SIGALRM, _raise_again)
            signal.setitimer(signal.ITIMER_REAL, RETRY_INTERRUPT)
        return
    sys.__unraisablehook__(hook_args)


def install_signal_handlers() -> None:
    """SIGINT / SIGTERM → KeyboardInterrupt (recorded), SIGXFSZ ignored (writes fail instead);
    an interrupt that lands where Python cannot raise it is raised again (:func:`_unraisable`).
    """
    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)
    sys.unraisablehook = _unraisable
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _safe_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _say(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _usage_line(exc: Any) -> str:
    msg = " ".join(exc.format_message().split()).replace("Value error, ", "")
    ctx = exc.ctx
    cmd = ctx.command_path.replace("python -m impactsim", "impactsim") if ctx else "impactsim"
    return f"{msg} (see `{cmd} --help`)"


def _cancel_retry() -> None:
    """No interrupt raised again once the command has reported it (or finished)."""
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)


def _forget_unhandled_interrupt() -> None:
    """Clear CPython's record of an interrupt that left code run from a string.

    When a KeyboardInterrupt propagates out of code that Python runs from a string (``exec`` of
    generated source: dataclasses, named tuples, validators built during imports), the
    interpreter records it as unhandled, and ``python -m`` then ends the process by SIGINT even
    though the command caught the interrupt and chose its exit status (143 for SIGTERM).
    Running any string clears that record, so the status the command returns is the one the
    shell sees.
    """
    exec("pass")  # a constant string: see the docstring


def _interrupted(rc: int = EXIT_INTERRUPTED) -> int:
    _cancel_retry()
    _forget_unhandled_interrupt()
    sig = INTERRUPT.get("signal")
    code = 128 + int(sig) if sig else rc
    if not INTERRUPT.get("reported"):
        _say("impactsim: interrupted")
        INTERRUPT["reported"] = True
    return code


def run_main(argv: Sequence[str] | None = None) -> int:
    """Run the ``impactsim`` command with ``argv`` (default: ``sys.argv[1:]``); the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    install_signal_handlers()
    _safe_streams()
    as_json = "--json" in args
    try:
        try:
            with blas_threads():
                rc = app(args=args, prog_name="impactsim", standalone_mode=False)
        except _NO_ARGS as exc:  # `impactsim` alone: the help, as before
            sys.stdout.write(exc.ctx.get_help() + "\n")
            rc = EXIT_BAD_INPUT
        except _USAGE as exc:
            line = _usage_line(exc)
            _say(f"impactsim: error: {line}")
            if as_json:
                doc = {"error": {"message": line, "type": type(exc).__name__,
                                 "exit_status": EXIT_BAD_INPUT}}
                sys.stdout.write(json.dumps(doc, indent=2) + "\n")
            rc = EXIT_BAD_INPUT
        except _ABORT:
            rc = _interrupted()
        except _CLICK as exc:
            _say(f"impactsim: error: {' '.join(exc.format_message().split())}")
            rc = 2
        if INTERRUPT.get("signal"):
            rc = _interrupted(rc if isinstance(rc, int) else EXIT_INTERRUPTED)
        sys.stdout.flush()
    except KeyboardInterrupt:
        return _interrupted()
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            _silence_stdout()
            return EXIT_PIPE
        _silence_stdout()
        _say(f"impactsim: error: cannot write the output ({(exc.strerror or str(exc)).lower()}); "
             "check the disk or the file the output is redirected to")
        return 2
    except Exception:
        # A signal raised inside a library's own machinery can surface wrapped in another
        # error (pydantic-core turns it into a SchemaError while it builds a validator): the
        # cause is still the signal, so report it as one.
        if INTERRUPT.get("signal"):
            return _interrupted()
        raise
    _cancel_retry()
    return rc if isinstance(rc, int) else 0


def _threads_still_working() -> bool:
    main = threading.main_thread()
    return any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not main)


def _ignore_signals() -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)


def run_and_exit(argv: Sequence[str] | None = None) -> NoReturn:
    """Run the command (:func:`run_main`) and end the process with its exit status.

    After the command returns, SIGINT and SIGTERM are ignored: the output is written, and a
    signal during the interpreter's shutdown would otherwise kill the process by the signal's
    default action, silently and with the wrong status. The process then leaves without
    tearing down its modules (exit functions run, streams are flushed, then ``os._exit``, as
    mypy ends its runs): Python's own teardown frees every object one by one and takes
    0.1–0.25 s after a command of a second or two. If a thread the command started is still
    working, Python's ordinary shutdown waits for it instead.
    """
    try:
        rc = run_main(argv)
        if _threads_still_working():
            raise SystemExit(rc)
        _ignore_signals()
    except KeyboardInterrupt:  # in the instant between the command's end and the line above
        rc = _interrupted()
    try:
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(rc)
