"""Effects by channel: the investor's purchases vs the Korean content of imported equipment.

A pattern category of ``channel: exports`` (e.g. the HBM inside imported accelerators) is made
at home, exported and bought back inside the foreign product: it is demand for domestic output
through exports, not a purchase by the site. :mod:`impactsim.scenario.shocks` gives such
categories plans of their own (``PhasePlan.channel == "exports"``), so their effects sit in their
own shock columns; :func:`channel_effects` adds up a phase's headline columns per channel.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import OptionError
from .result_view import ResultView

#: Row labels of :func:`channel_effects`, by ``PhasePlan.channel``.
CHANNEL_LABELS = {
    "purchase": "purchases of the investment",
    "exports": "Korean content of imported equipment (through exports)",
}


def channel_effects(
    result: ResultView, measure: str = "employment", phase: str | None = None
) -> pd.DataFrame:
    """Effects of ``measure`` on the phase's headline basis, one row per channel (plus
    ``total``), columns the result's effects (direct, indirect, induced) and ``total``.

    The rows add up to the phase headline: each headline column belongs to one plan, and each
    plan to one channel (``Σ_channels = headline``)."""
    if not phase:
        if not result.phases:
            raise OptionError("channel_effects(): the result has no phases; run a scenario "
                              "with investments")
        phase = result.phases[0]
    result._check(measure=measure, phase=phase)
    cols = set(result._headline_columns(phase))
    k = result.measures.index(measure)
    rows: dict[str, np.ndarray] = {}
    for plan, idx in zip(result.shocks.plans, result.shocks.plan_columns, strict=True):
        mine = [c for c in idx if c in cols]
        if plan.phase != phase or not mine:
            continue
        label = CHANNEL_LABELS.get(plan.channel, plan.channel)
        vals = result.values[mine][:, :, k, :].sum(axis=(0, 2))
        rows[label] = rows.get(label, np.zeros(len(result.effects))) + vals
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(result.effects))
    frame["total"] = frame.sum(axis=1)
    frame.loc["total"] = frame.sum(axis=0)
    frame.index.name = "channel"
    frame.attrs["unit"] = result.units[measure]
    frame.attrs["basis"] = result.basis(phase)
    return frame
