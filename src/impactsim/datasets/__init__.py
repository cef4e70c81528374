"""Bundled tables and concordances with their provenance, and the table catalog.

``load_table(name)`` / ``list_tables()`` (re-exported as ``impactsim.load_table`` /
``impactsim.list_tables``); ``load_concordance(name)`` / ``list_concordances()``;
``aggregate(table, concordance)`` (also by bundled concordance name, e.g. ``"bok33"``). The
registry lives in :mod:`impactsim.datasets.catalog`.

Names load on first use (PEP 562): checking a scenario's table name reads the catalog without
importing the series module (and numpy and pandas with it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_names

_LAZY: dict[str, str] = {
    "DEFAULT_TABLE": ".catalog",
    "TableEntry": ".catalog",
    "aggregate": ".catalog",
    "list_concordances": ".catalog",
    "list_tables": ".catalog",
    "load_concordance": ".catalog",
    "load_table": ".catalog",
    "register_table": ".catalog",
    "bok_economy": ".series",
    "bok_series": ".series",
    "direct_coefficients": ".series",
    "direct_employment_path": ".series",
    "employment_path": ".series",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .catalog import DEFAULT_TABLE as DEFAULT_TABLE
    from .catalog import TableEntry as TableEntry
    from .catalog import aggregate as aggregate
    from .catalog import list_concordances as list_concordances
    from .catalog import list_tables as list_tables
    from .catalog import load_concordance as load_concordance
    from .catalog import load_table as load_table
    from .catalog import register_table as register_table
    from .series import bok_economy as bok_economy
    from .series import bok_series as bok_series
    from .series import direct_coefficients as direct_coefficients
    from .series import direct_employment_path as direct_employment_path
    from .series import employment_path as employment_path


__getattr__, __dir__ = lazy_names(
    __name__, {name: (module, name) for name, module in _LAZY.items()}, globals()
)


__all__ = [
    "DEFAULT_TABLE",
    "TableEntry",
    "aggregate",
    "bok_economy",
    "bok_series",
    "direct_coefficients",
    "direct_employment_path",
    "employment_path",
    "list_concordances",
    "list_tables",
    "load_concordance",
    "load_table",
    "register_table",
]
