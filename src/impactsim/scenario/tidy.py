"""The tidy (long) frame of a scenario result: one row per shock column × effect × measure ×
sector, label columns as pandas categoricals (:meth:`ScenarioResult.to_frame`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

Codes = NDArray[np.int32]


def labels(values: ArrayLike, spread: Callable[[Codes], Codes]) -> pd.Categorical:
    """A categorical column: ``values`` (one label per position) coded against their sorted
    unique labels (a missing label stays missing), the codes laid out by ``spread`` (repeat /
    tile to the frame's rows)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=True)
    return pd.Categorical.from_codes(spread(codes.astype(np.int32)), categories=uniques)


def tidy_frame(values: NDArray[np.float64], columns: pd.DataFrame, sectors: pd.Index, *,
               effects: Sequence[str], measures: Sequence[str], units: Mapping[str, str],
               multiregional: bool) -> pd.DataFrame:
    """Columns investment, phase, year, region, sector, effect, measure, value
    (+ spending_region on a multi-region result), unit, for ``values[c, e, k, j]`` with the
    shock ``columns`` (investment, phase, year, region per ``c``) and the ``sectors`` (``j``;
    (region, sector) pairs on a multi-region result, whose region column is then where the
    effect happens and spending_region the shock column's region)."""
    c, e, m, n = values.shape
    reps = e * m * n

    def per_column(name: str) -> pd.Categorical:
        return labels(columns[name].to_numpy(dtype=object), lambda k: np.repeat(k, reps))

    def per_sector(vals: ArrayLike) -> pd.Categorical:
        return labels(vals, lambda k: np.tile(k, c * e * m))

    def per_measure(vals: ArrayLike) -> pd.Categorical:
        return labels(vals, lambda k: np.tile(np.repeat(k, n), c * e))

    if multiregional:
        region = per_sector(sectors.get_level_values(0))
        sector = per_sector(sectors.get_level_values(1))
    else:
        region, sector = per_column("region"), per_sector(list(sectors))
    frame = pd.DataFrame(
        {
            "investment": per_column("investment"),
            "phase": per_column("phase"),
            "year": np.repeat(columns["year"].to_numpy(dtype=int), reps),
            "region": region,
            "sector": sector,
            "effect": labels(effects, lambda k: np.tile(np.repeat(k, m * n), c)),
            "measure": per_measure(measures),
            "value": values.reshape(-1),
        }
    )
    if multiregional:
        frame["spending_region"] = per_column("region")
    frame["unit"] = per_measure([units[k] for k in measures])
    return frame
