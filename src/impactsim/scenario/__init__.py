"""Scenario files: schema, safe loading, spending patterns and money conversion.

Public names are re-exported from :mod:`impactsim`: ``Scenario``, ``scenario_json_schema``,
``Pattern``, ``list_patterns``, ``get_pattern``.
"""

from __future__ import annotations

from .patterns import Pattern, get_pattern, list_patterns, load_pattern
from .schema import Scenario, scenario_json_schema

__all__ = [
    "Pattern",
    "Scenario",
    "get_pattern",
    "list_patterns",
    "load_pattern",
    "scenario_json_schema",
]
