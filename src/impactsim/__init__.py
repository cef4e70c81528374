"""impactsim: economic impact of announced investments with input-output models.

The public API is re-exported here; everything else is an implementation module.
"""

from __future__ import annotations

from .errors import (
    ClosureError,
    DataSourceError,
    DemandError,
    ImpactsimError,
    NotProductiveError,
    ScenarioError,
    TableError,
)
from .model import GhoshModel, HouseholdClosure, LeontiefModel
from .results import Impact
from .table import IOTable, TableMeta

__version__ = "0.1.0"

__all__ = [
    "ClosureError",
    "DataSourceError",
    "DemandError",
    "GhoshModel",
    "HouseholdClosure",
    "IOTable",
    "Impact",
    "ImpactsimError",
    "LeontiefModel",
    "NotProductiveError",
    "ScenarioError",
    "TableError",
    "TableMeta",
    "__version__",
]
