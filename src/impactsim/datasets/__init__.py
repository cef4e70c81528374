"""Bundled tables and concordances with their provenance, and the table catalog.

``load_table(name)`` / ``list_tables()`` (re-exported as ``impactsim.load_table`` /
``impactsim.list_tables``); ``load_concordance(name)`` / ``list_concordances()``;
``aggregate(table, concordance)`` (also by bundled concordance name, e.g. ``"bok33"``). The
registry lives in :mod:`impactsim.datasets.catalog`.
"""

from __future__ import annotations

from .catalog import (
    DEFAULT_TABLE,
    TableEntry,
    aggregate,
    list_concordances,
    list_tables,
    load_concordance,
    load_table,
    register_table,
)
from .series import (
    bok_economy,
    bok_series,
    direct_coefficients,
    direct_employment_path,
    employment_path,
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
