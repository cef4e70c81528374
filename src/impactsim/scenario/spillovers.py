"""The spillover decomposition of a multi-region result, phase by phase.

For a phase's headline demand ``y`` (the shock columns summed on the phase's headline basis, in
table units), :func:`impactsim.regional.decompose_spillovers` splits the Type I effects
``ĉ L y`` into intra-regional, feedback and spillover parts (Miller & Blair 2009, ch. 3; see
:mod:`impactsim.regional.decomposition`). The parts add up to the result's direct + indirect
effects. Money follows the result's money (a result presented with ``in_money`` is scaled by
the same factor).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import OptionError
from ..regional.decomposition import SpilloverDecomposition, decompose_spillovers
from .result_view import ResultView


def spillover_decomposition(result: ResultView, phase: str) -> SpilloverDecomposition:
    """The :class:`~impactsim.SpilloverDecomposition` of a phase's headline demand (in table
    units, as the model solved it)."""
    sourcing = result.sourcing
    if sourcing is None or not result.is_multiregional:
        raise OptionError(
            "spillovers(): the result was not computed on a multi-region table; run the "
            "scenario on a multi-region table (e.g. wiod-2011)"
        )
    cols = result._headline_columns(phase)
    demand = np.asarray(result.shocks.matrix)[:, cols].sum(axis=1)
    return decompose_spillovers(sourcing.table, demand)


def spillovers(result: ResultView, phase: str, *, measure: str | None = None,
               decomposition: SpilloverDecomposition | None = None) -> pd.DataFrame:
    """Rows intra_regional / feedback / spillover / total; columns the measures (headline
    order) — or, with ``measure``, rows the regions where the output happens and columns the
    parts + total for that measure. In the result's money. ``decomposition``: the phase's
    :func:`spillover_decomposition`, when the caller has it already (it is the same for every
    view of a phase)."""
    dec = decomposition if decomposition is not None else spillover_decomposition(result, phase)
    f = result.money_factor
    reg = result.registry
    if measure is None:
        frame = dec.summary()
        for m in frame.columns:
            if reg.get_or_physical(str(m)).is_money:
                frame[m] = frame[m] * f
        frame.attrs["units"] = {m: result.units.get(m, u) for m, u in dec.units.items()}
        return frame
    frame = dec.by_region(measure)
    if reg.get_or_physical(measure).is_money:
        frame = frame * f
    frame.attrs["unit"] = result.units.get(measure, dec.units.get(measure, ""))
    return frame
