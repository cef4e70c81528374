"""``python -m impactsim``: the same as the ``impactsim`` command."""

import sys

if __name__ == "__main__":
    try:
        from impactsim.cli import main
    except KeyboardInterrupt:  # Ctrl-C while the command starts: no traceback
        sys.stderr.write("impactsim: interrupted\n")
        raise SystemExit(130) from None
    main()
