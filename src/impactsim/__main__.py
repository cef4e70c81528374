"""``python -m impactsim``: the same as the ``impactsim`` command."""

import signal
import sys

_received: list[int] = []


def _early(signum: int, frame: object) -> None:  # until the CLI installs its own handlers
    _received.append(signum)
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _early)
    signal.signal(signal.SIGINT, _early)
    try:
        from impactsim.cli import main
    except KeyboardInterrupt:  # a signal while the command starts: no traceback
        sys.stderr.write("impactsim: interrupted\n")
        raise SystemExit(128 + (_received[-1] if _received else signal.SIGINT)) from None
    main()
