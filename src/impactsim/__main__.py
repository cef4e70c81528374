"""``python -m impactsim``: the same as the ``impactsim`` command."""

import os
import signal


def _early(signum: int, frame: object) -> None:  # until the CLI installs its own handlers
    """A signal while the command is still importing its modules: nothing has been read or
    written yet, so say so on one line and leave at once with 128 + the signal number (raising
    from a handler during imports can surface inside the import machinery as a traceback)."""
    os.write(2, b"impactsim: interrupted\n")
    os._exit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _early)
    signal.signal(signal.SIGINT, _early)
    from impactsim.cli import main

    main()
