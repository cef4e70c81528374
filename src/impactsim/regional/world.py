"""The bundled world table ``"wiod-2011"`` (loaded through the catalog: ``load_table``).

Built by ``scripts/build_world_table.py`` from the WIOD 2013 release world input-output table for
2011 (Timmer et al. 2015; CC BY 4.0) into ``impactsim/datasets/data/wiod-2011/`` in the project's
table-folder format. Multi-region: sectors ``(region, sector)`` with 41 regions (40 countries +
``RoW``) × 35 NACE Rev.1 industries, less 22 region-industries with zero output; final demand
``(buying region, category)``; million USD, 2011 prices; no employment satellite.
"""

from __future__ import annotations

from pathlib import Path

from ..table import IOTable

NAME = "wiod-2011"
DATA_DIR = Path(__file__).resolve().parents[1] / "datasets" / "data" / NAME


def load_wiod_2011() -> IOTable:
    """The bundled WIOD 2013 world table for 2011 as a multi-region :class:`IOTable`."""
    return IOTable.from_dir(DATA_DIR)
