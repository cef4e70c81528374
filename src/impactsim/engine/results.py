"""Impact: the immutable result of one final-demand change, with tidy and headline views.

``values[e, k, j]`` is effect ``e`` (direct, indirect[, induced]) on measure ``k`` (output,
value_added, income, imports, employment, …) in sector ``j``, in the measure's unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import OptionError
from ..tables.table import TableMeta
from .measures import IMPORT_PARTS, REGISTRY, format_value

Array = NDArray[np.float64]


@lru_cache(maxsize=256)
def _cached_index(labels: tuple[str, ...], name: str | None) -> pd.Index:
    return pd.Index(list(labels), name=name)


def label_index(labels: tuple[str, ...], name: str | None = None) -> pd.Index:
    """A pandas Index of a few string labels (measure or effect names), built once and cached.

    Returns a shallow copy so that renaming the index of one frame cannot change the cache.
    """
    return _cached_index(labels, name).copy()


def headline_columns(measures: tuple[str, ...]) -> list[str]:
    """Measures in headline order: jobs, labour income, value added, output, imports, others
    (:meth:`~impactsim.engine.measures.MeasureRegistry.headline_order`)."""
    return REGISTRY.headline_order(measures)


def with_import_parts(
    values: Array, measures: tuple[str, ...], effects: tuple[str, ...], imported: Array
) -> tuple[Array, tuple[str, ...]]:
    """Effects with ``imports`` as total leakage abroad and its three parts as measures.

    ``values[c, e, k, j]`` as the model gives them (``imports`` = imported intermediate inputs
    of the output each effect causes); ``imported[c, j]`` the imported part of column ``c``'s
    spending itself by product ``j`` (it never enters domestic demand). Returns the values with
    measures ``(*measures, imports_spending, imports_intermediate, imports_induced)`` where::

        imports_spending[c, direct, j]      = imported[c, j]          (other effects 0)
        imports_intermediate[c, e, j]       = imports[c, e, j]        for e ≠ induced
        imports_induced[c, induced, j]      = imports[c, induced, j]
        imports                             = the sum of the three

    so every view (summary, cumulative, by sector, by year, tidy files) reads one definition
    of imports, the parts side by side. Without an ``imports`` measure nothing changes.
    """
    if "imports" not in measures or any(p in measures for p in IMPORT_PARTS):
        return values, measures
    c, e, m, n = values.shape
    k = measures.index("imports")
    out = np.zeros((c, e, m + len(IMPORT_PARTS), n))
    out[:, :, :m, :] = values
    model_imports = values[:, :, k, :]
    spend = np.asarray(imported, dtype=float).reshape(c, n)
    out[:, 0, m, :] = spend
    induced = effects.index("induced") if "induced" in effects else None
    for i in range(e):
        out[:, i, m + (2 if i == induced else 1), :] = model_imports[:, i, :]
    out[:, 0, k, :] += spend
    return out, (*measures, *IMPORT_PARTS)


def headline_table(
    totals: Array, rows: tuple[str, ...], measures: tuple[str, ...], *, index_name: str
) -> pd.DataFrame:
    """``totals`` (rows × measures) plus a ``total`` row (their column sum), columns in
    headline order; ``attrs`` is left for the caller."""
    columns = tuple(headline_columns(measures))
    order = [measures.index(m) for m in columns]
    data = np.vstack([totals, totals.sum(axis=0, keepdims=True)])[:, order]
    index = label_index((*rows, "total"), index_name)
    return pd.DataFrame(data, index=index, columns=label_index(columns))


def tidy_frame(
    values: Array,
    *,
    sector_columns: Mapping[str, Any],
    layer: str,
    layers: tuple[str, ...],
    measures: tuple[str, ...],
    units: Mapping[str, str],
) -> pd.DataFrame:
    """Long frame of ``values[layer, measure, sector]``: the sector columns, ``layer``,
    ``measure``, ``value`` and ``unit``, one row per combination (sector varies fastest)."""
    e, k, n = values.shape
    cols: dict[str, Any] = {
        name: np.tile(np.asarray(col, dtype=object), e * k) for name, col in sector_columns.items()
    }
    cols[layer] = np.repeat(np.array(layers, dtype=object), k * n)
    cols["measure"] = np.tile(np.repeat(np.array(measures, dtype=object), n), e)
    cols["value"] = values.reshape(-1)
    frame = pd.DataFrame(cols)
    frame["unit"] = frame["measure"].map(dict(units))
    return frame


def measure_position(measures: tuple[str, ...], measure: str, *, what: str) -> int:
    """Position of ``measure``; :class:`OptionError` naming ``what`` and the choices otherwise."""
    if measure not in measures:
        raise OptionError(
            f"{what}(measure={measure!r}): unknown measure; use one of {list(measures)}"
        )
    return measures.index(measure)


@dataclass(frozen=True, eq=False)
class Impact:
    """Effects of one final-demand change by effect, measure and sector (read-only arrays)."""

    values: Array
    effects: tuple[str, ...]
    measures: tuple[str, ...]
    sectors: pd.Index
    units: Mapping[str, str]
    table: TableMeta
    demand: Array

    def __post_init__(self) -> None:
        for arr in (self.values, self.demand):
            arr.flags.writeable = False

    @property
    def totals(self) -> Array:
        """Economy-wide totals, shape (effects, measures): the sum over sectors."""
        return self.values.sum(axis=2)

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: one row per sector × effect × measure; columns ``value``, ``unit``."""
        return tidy_frame(
            self.values,
            sector_columns={"sector": self.sectors},
            layer="effect",
            layers=self.effects,
            measures=self.measures,
            units=self.units,
        )

    def summary(self) -> pd.DataFrame:
        """Headline table: rows direct / indirect / [induced] / total; columns employment,
        income, value_added, output, imports (and other satellites).

        ``total`` is the column sum of the effects; ``attrs['units']`` holds each column's unit.
        """
        frame = headline_table(self.totals, self.effects, self.measures, index_name="effect")
        frame.attrs["units"] = dict(self.units)
        frame.attrs["table"] = self.table.name
        return frame

    def by_sector(self, measure: str = "output") -> pd.DataFrame:
        """One measure by sector (rows) and effect (columns, plus ``total``); largest first."""
        k = measure_position(self.measures, measure, what="by_sector")
        frame = pd.DataFrame(self.values[:, k, :].T, index=self.sectors, columns=list(self.effects))
        frame["total"] = frame.sum(axis=1)
        return frame.sort_values("total", ascending=False, key=np.abs)

    def _caption(self) -> str:
        t = self.table
        year = f", {t.year}" if t.year else ""
        return f"Impact on {t.name or 'table'}{year} (money in {t.money_unit})"

    def __repr__(self) -> str:
        return f"{self._caption()}\n{self.summary().map(format_value).to_string()}"

    def _repr_html_(self) -> str:
        html = self.summary().map(format_value).to_html()
        return f"<p><b>{self._caption()}</b></p>{html}"

    def __getitem__(self, key: tuple[str, str]) -> float:
        """``impact['total', 'employment']``: one cell of the headline table."""
        effect, measure = key
        frame = self.summary()
        if effect not in frame.index or measure not in frame.columns:
            raise OptionError(
                f"impact[{effect!r}, {measure!r}]: use an effect in {list(frame.index)} and a "
                f"measure in {list(frame.columns)}"
            )
        return float(frame.loc[effect, measure])
