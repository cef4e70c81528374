"""A checksum of an input-output table's numbers and labels (recorded in run provenance)."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np


def table_checksum(table: Any) -> str:
    """SHA-256 over an :class:`~impactsim.IOTable`'s numbers and labels (order-sensitive).

    Covers sectors, Z_d, Y_d and its categories, value added and its components, the import row,
    output and every satellite, so two tables with the same checksum give the same results.
    """
    h = hashlib.sha256()

    def feed(label: str, arr: Any) -> None:
        h.update(label.encode())
        a = np.ascontiguousarray(np.asarray(arr, dtype=float))
        h.update(str(a.shape).encode())
        h.update(a.tobytes())

    h.update("|".join(map(str, table.sectors)).encode())
    h.update("|".join(map(str, table.final_demand_categories)).encode())
    h.update("|".join(map(str, table.value_added_components)).encode())
    feed("z", table.z_domestic)
    feed("y", table.y_domestic)
    feed("va", table.va)
    feed("m", table.import_row)
    feed("x", table.x)
    for key in sorted(table.sats):
        feed(f"sat:{key}", table.sats[key])
    return h.hexdigest()
