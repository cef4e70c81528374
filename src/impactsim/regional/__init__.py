"""Multi-region and sub-national models (docs/regions.md).

* multi-region tables: (region, sector) labels, region aggregation, trade-share sourcing of
  spending, impacts by region (:mod:`.mrio`);
* intra-regional / feedback / spillover decomposition (:mod:`.decomposition`);
* location-quotient regionalisation SLQ / CILQ / FLQ of a national table (:mod:`.lq`), with
  bundled Korean provincial employment (:mod:`.korea`);
* two-region (province + rest of the nation) interregional tables built from a national one,
  households closed per region (:mod:`.tworegion`), and BOK-style regional inducement
  coefficients of a province or macro-region (:mod:`.inducement`);
* the hooks scenario runs use for both (:mod:`.scenarios`) and the bundled world table
  (:mod:`impactsim.datasets`).
"""

from __future__ import annotations

from .decomposition import (
    PARTS,
    SpilloverDecomposition,
    decompose_spillovers,
    multiplier_decomposition,
)
from .inducement import MACRO_REGIONS, regional_inducement
from .korea import PROVINCES, bok_ksic_concordance, province_name, provincial_employment
from .lq import FLQ_DELTA, compare_multipliers, flq_lambda, location_quotients, regionalize
from .mrio import (
    APEC_WIOD,
    aggregate_regions,
    impact_by_region,
    is_multiregional,
    region_sector_index,
    regions,
    source_demand,
    trade_shares,
)
from .tworegion import regional_households, stack_tables, two_region_model, two_region_table

__all__ = [
    "APEC_WIOD",
    "FLQ_DELTA",
    "MACRO_REGIONS",
    "PARTS",
    "PROVINCES",
    "SpilloverDecomposition",
    "aggregate_regions",
    "bok_ksic_concordance",
    "compare_multipliers",
    "decompose_spillovers",
    "flq_lambda",
    "impact_by_region",
    "is_multiregional",
    "location_quotients",
    "multiplier_decomposition",
    "province_name",
    "provincial_employment",
    "region_sector_index",
    "regional_households",
    "regional_inducement",
    "regionalize",
    "regions",
    "source_demand",
    "stack_tables",
    "trade_shares",
    "two_region_model",
    "two_region_table",
]
