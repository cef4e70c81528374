"""impactsim: economic impact of announced investments with input-output models.

The public API is re-exported here; everything else is an implementation module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_names
from ._version import __version__
from .errors import (
    ClosureError,
    DataSourceError,
    DemandError,
    ImpactsimError,
    NotProductiveError,
    OptionError,
    ScenarioError,
    TableError,
)

# Everything but the errors loads on first use (PEP 562), so `import impactsim` and the CLI
# start fast (numpy, scipy and pandas are imported by the first name that needs them).
_LAZY: dict[str, tuple[str, str | None]] = {
    'GhoshModel': ('.engine.model', 'GhoshModel'),
    'HouseholdClosure': ('.engine.model', 'HouseholdClosure'),
    'IOTable': ('.tables.table', 'IOTable'),
    'Impact': ('.engine.results', 'Impact'),
    'LeontiefModel': ('.engine.model', 'LeontiefModel'),
    'TableMeta': ('.tables.table', 'TableMeta'),
    'APEC_WIOD': ('.regional', 'APEC_WIOD'),
    'ClaimComparison': ('.scenario.claims', 'ClaimComparison'),
    'DaskExecutor': ('.uncertainty.executors', 'DaskExecutor'),
    'InProcessExecutor': ('.uncertainty.executors', 'InProcessExecutor'),
    'Pattern': ('.scenario', 'Pattern'),
    'Scenario': ('.scenario', 'Scenario'),
    'ScenarioResult': ('.scenario.result', 'ScenarioResult'),
    'Shocks': ('.scenario.shocks', 'Shocks'),
    'SpilloverDecomposition': ('.regional', 'SpilloverDecomposition'),
    'aggregate': ('.datasets.catalog', 'aggregate'),
    'aggregate_regions': ('.regional', 'aggregate_regions'),
    'compare_claims': ('.scenario.claims', 'compare_claims'),
    'compare_multipliers': ('.regional', 'compare_multipliers'),
    'decompose_spillovers': ('.regional', 'decompose_spillovers'),
    'disaggregate': ('.tables.transform', 'disaggregate'),
    'flq_lambda': ('.regional', 'flq_lambda'),
    'get_pattern': ('.scenario', 'get_pattern'),
    'impact_by_region': ('.regional', 'impact_by_region'),
    'list_patterns': ('.scenario', 'list_patterns'),
    'list_tables': ('.datasets.catalog', 'list_tables'),
    'load_table': ('.datasets.catalog', 'load_table'),
    'location_quotients': ('.regional', 'location_quotients'),
    'multiplier_decomposition': ('.regional', 'multiplier_decomposition'),
    'region_sector_index': ('.regional', 'region_sector_index'),
    'regionalize': ('.regional', 'regionalize'),
    'run': ('.simulate', 'run'),
    'scenario_json_schema': ('.scenario', 'scenario_json_schema'),
    'source_demand': ('.regional', 'source_demand'),
    'trade_shares': ('.regional', 'trade_shares'),
    'two_region_table': ('.regional', 'two_region_table'),
    'regional_inducement': ('.regional', 'regional_inducement'),
    'uncertainty': ('.uncertainty', None),
    'datasets': ('.datasets', None),
    'draft': ('.scenario.draft', 'draft'),
    'write_report': ('.present.report', 'write_report'),
    'plot_effects': ('.present.report', 'plot_effects'),
    'plot_sectors': ('.present.report', 'plot_sectors'),
    'plot_years': ('.present.report', 'plot_years'),
    'translate': ('.scenario.shocks', 'translate'),
    'line_effects': ('.simulate', 'line_effects'),
    'channel_effects': ('.scenario.channels', 'channel_effects'),
    'linkages': ('.engine.linkages', 'linkages'),
    'from_pymrio': ('.tables.pymrio_bridge', 'from_pymrio'),
    'to_pymrio': ('.tables.pymrio_bridge', 'to_pymrio'),
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from . import datasets as datasets
    from . import uncertainty as uncertainty
    from .datasets.catalog import aggregate as aggregate
    from .datasets.catalog import list_tables as list_tables
    from .datasets.catalog import load_table as load_table
    from .engine.linkages import linkages as linkages
    from .engine.model import GhoshModel as GhoshModel
    from .engine.model import HouseholdClosure as HouseholdClosure
    from .engine.model import LeontiefModel as LeontiefModel
    from .engine.results import Impact as Impact
    from .present.report import plot_effects as plot_effects
    from .present.report import plot_sectors as plot_sectors
    from .present.report import plot_years as plot_years
    from .present.report import write_report as write_report
    from .regional import APEC_WIOD as APEC_WIOD
    from .regional import SpilloverDecomposition as SpilloverDecomposition
    from .regional import aggregate_regions as aggregate_regions
    from .regional import compare_multipliers as compare_multipliers
    from .regional import decompose_spillovers as decompose_spillovers
    from .regional import flq_lambda as flq_lambda
    from .regional import impact_by_region as impact_by_region
    from .regional import location_quotients as location_quotients
    from .regional import multiplier_decomposition as multiplier_decomposition
    from .regional import region_sector_index as region_sector_index
    from .regional import regional_inducement as regional_inducement
    from .regional import regionalize as regionalize
    from .regional import source_demand as source_demand
    from .regional import trade_shares as trade_shares
    from .regional import two_region_table as two_region_table
    from .scenario import Pattern as Pattern
    from .scenario import Scenario as Scenario
    from .scenario import get_pattern as get_pattern
    from .scenario import list_patterns as list_patterns
    from .scenario import scenario_json_schema as scenario_json_schema
    from .scenario.channels import channel_effects as channel_effects
    from .scenario.claims import ClaimComparison as ClaimComparison
    from .scenario.claims import compare_claims as compare_claims
    from .scenario.draft import draft as draft
    from .scenario.result import ScenarioResult as ScenarioResult
    from .scenario.shocks import Shocks as Shocks
    from .scenario.shocks import translate as translate
    from .simulate import line_effects as line_effects
    from .simulate import run as run
    from .tables.pymrio_bridge import from_pymrio as from_pymrio
    from .tables.pymrio_bridge import to_pymrio as to_pymrio
    from .tables.table import IOTable as IOTable
    from .tables.table import TableMeta as TableMeta
    from .tables.transform import disaggregate as disaggregate
    from .uncertainty.executors import DaskExecutor as DaskExecutor
    from .uncertainty.executors import InProcessExecutor as InProcessExecutor


__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals())


__all__ = [
    "APEC_WIOD",
    "ClaimComparison",
    "ClosureError",
    "DaskExecutor",
    "DataSourceError",
    "DemandError",
    "GhoshModel",
    "HouseholdClosure",
    "IOTable",
    "Impact",
    "ImpactsimError",
    "InProcessExecutor",
    "LeontiefModel",
    "NotProductiveError",
    "OptionError",
    "Pattern",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "Shocks",
    "SpilloverDecomposition",
    "TableError",
    "TableMeta",
    "__version__",
    "aggregate",
    "aggregate_regions",
    "channel_effects",
    "compare_claims",
    "compare_multipliers",
    "datasets",
    "decompose_spillovers",
    "disaggregate",
    "draft",
    "flq_lambda",
    "from_pymrio",
    "get_pattern",
    "impact_by_region",
    "line_effects",
    "linkages",
    "list_patterns",
    "list_tables",
    "load_table",
    "location_quotients",
    "multiplier_decomposition",
    "plot_effects",
    "plot_sectors",
    "plot_years",
    "region_sector_index",
    "regional_inducement",
    "regionalize",
    "run",
    "scenario_json_schema",
    "source_demand",
    "to_pymrio",
    "trade_shares",
    "translate",
    "two_region_table",
    "uncertainty",
    "write_report",
]
