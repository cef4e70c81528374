"""Input-output tables: the :class:`IOTable` type, its folder format, sector transforms, readers.

* :mod:`impactsim.tables.table` — :class:`IOTable`, :class:`TableMeta`
* :mod:`impactsim.tables.storage` — the folder format (:meth:`IOTable.to_dir` / ``from_dir``)
* :mod:`impactsim.tables.transform` — :func:`aggregate` (by a {sector: group} mapping) and
  :func:`disaggregate`; bundled concordances by name: :func:`impactsim.datasets.aggregate`
* :mod:`impactsim.tables.readers` — readers of published table layouts (Bank of Korea, WIOD)

This layer imports only :mod:`impactsim.errors` and itself.
"""

from __future__ import annotations

from .table import IOTable, TableMeta
from .transform import aggregate, disaggregate

__all__ = ["IOTable", "TableMeta", "aggregate", "disaggregate"]
