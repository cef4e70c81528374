"""Scenario files: schema, safe loading, spending patterns and money conversion.

Public names are re-exported from :mod:`impactsim`: ``Scenario``, ``scenario_json_schema``,
``Pattern``, ``list_patterns``, ``get_pattern``.

Names load on first use (PEP 562), so importing a submodule (the draft writer, the schema)
does not import the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_names

_LAZY: dict[str, str] = {
    "Pattern": ".patterns",
    "get_pattern": ".patterns",
    "list_patterns": ".patterns",
    "load_pattern": ".patterns",
    "Scenario": ".schema",
    "scenario_json_schema": ".schema",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .patterns import Pattern as Pattern
    from .patterns import get_pattern as get_pattern
    from .patterns import list_patterns as list_patterns
    from .patterns import load_pattern as load_pattern
    from .schema import Scenario as Scenario
    from .schema import scenario_json_schema as scenario_json_schema


__getattr__, __dir__ = lazy_names(
    __name__, {name: (module, name) for name, module in _LAZY.items()}, globals()
)


__all__ = [
    "Pattern",
    "Scenario",
    "get_pattern",
    "list_patterns",
    "load_pattern",
    "scenario_json_schema",
]
