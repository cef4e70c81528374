"""``python -m impactsim``: the same as the ``impactsim`` command."""

from impactsim.cli import main

if __name__ == "__main__":
    main()
