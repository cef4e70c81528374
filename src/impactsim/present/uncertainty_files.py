"""The uncertainty of a run, flat for files: summary with quantiles, sector quantiles and the
sensitivity (tornado swings and variance shares).

Reads :meth:`ScenarioResult.summary` / :meth:`~ScenarioResult.quantiles` /
:meth:`~ScenarioResult.sector_quantiles` / :meth:`~ScenarioResult.sensitivity` only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..scenario.result import ScenarioResult
from . import views

#: What ``run --with`` can add to the result files.
EXTRAS = ("sector-quantiles", "sensitivity")


def parse_extras(text: str | None) -> tuple[str, ...]:
    """``"sector-quantiles,sensitivity"`` → a tuple of known extras; ValueError names the bad
    item and the allowed ones."""
    if not text:
        return ()
    items = tuple(dict.fromkeys(t.strip() for t in text.split(",") if t.strip()))
    bad = [t for t in items if t not in EXTRAS]
    if bad:
        raise ValueError(f"--with {text}: unknown {bad}; use a comma list of {list(EXTRAS)}")
    return items


def summary_with_quantiles(result: ScenarioResult) -> pd.DataFrame:
    """:func:`views.summary_frame` (central values: phase, effect, basis, measures) plus, with
    draws, one column per measure and quantile level, e.g. ``employment P5`` … ``employment
    P95`` (the scenario's levels), on the phase rows; the whole-scenario rows have none."""
    frame = views.summary_frame(result)
    if result.n_draws < 2:
        return frame
    q = result.quantiles()
    measures = [str(m) for m in frame.columns if m not in ("phase", "effect", "basis")]
    labels = list(dict.fromkeys(str(lab) for _, lab in q.columns))
    for m in measures:
        for lab in labels:
            col = f"{m} {lab}"
            if (m, lab) not in q.columns:
                continue
            series = q[(m, lab)]
            frame[col] = [
                float(series.loc[(ph, ef)]) if (ph, ef) in series.index else np.nan
                for ph, ef in zip(frame["phase"], frame["effect"], strict=True)
            ]
    return frame


def summary_file_frame(result: ScenarioResult) -> pd.DataFrame:
    """The summary file: :func:`summary_with_quantiles` with, where the table splits value
    added into components, one column per component (``value_added.compensation`` …, adding up
    to ``value_added``) after the measures, on the phase rows."""
    frame = summary_with_quantiles(result)
    if result.sourcing is None:
        return frame
    split = result.value_added_split()
    if split.shape[1] < 2:
        return frame
    from ..scenario.money_view import value_added_split

    whole = value_added_split(result, cumulative=True)
    whole.index = pd.MultiIndex.from_product([["whole scenario"], whole.index])
    split = pd.concat([split, whole])
    at = list(frame.columns).index("value_added") + 1 if "value_added" in frame.columns else None
    for i, comp in enumerate(split.columns):
        values = [float(split.loc[(ph, ef), comp]) if (ph, ef) in split.index else np.nan
                  for ph, ef in zip(frame["phase"], frame["effect"], strict=True)]
        name = f"value_added.{comp}"
        if at is None:
            frame[name] = values
        else:
            frame.insert(at + i, name, values)
    return frame


def sector_quantiles_frame(result: ScenarioResult) -> pd.DataFrame:
    """Long frame of sector quantiles: phase, measure, sector, name, central (deterministic
    total effect on the phase headline), then ``P5`` … per row; every measure and phase."""
    names = result.sector_names
    parts = []
    for phase in result.phases:
        for measure in getattr(result.draws, "measures", result.measures):
            q = result.sector_quantiles(measure, phase)
            central = result.by_sector(measure, phase)["total"]
            labels = [" ".join(map(str, s)) if isinstance(s, tuple) else str(s) for s in q.index]
            part = pd.DataFrame({
                "phase": phase,
                "measure": measure,
                "sector": labels,
                "name": [names.get(lab, names.get(lab.split(" ")[-1], "")) for lab in labels],
                "central": central.reindex(q.index).to_numpy(),
            })
            for col in q.columns:
                part[str(col)] = q[col].to_numpy()
            part["unit"] = result.units_for(phase)[measure]
            parts.append(part)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def sensitivity_frame(result: ScenarioResult, *, measures: tuple[str, ...] | None = None
                      ) -> pd.DataFrame:
    """Long frame of the sensitivity of each phase's total effect: phase, measure, input,
    group, low_input, high_input, low, high, swing (tornado data: the cell with that input at
    its P5 / P95, the others at base) and variance_share (first-order share of the cell's
    variance of the input's group); one ``residual`` row per cell carries the unexplained
    share."""
    picked = measures or tuple(m for m in ("employment", "value_added", "output")
                               if m in result.measures)
    parts = []
    for phase in result.phases:
        for measure in picked:
            sens = result.sensitivity(measure, phase=phase)
            frame = sens.to_frame().reset_index()
            shares = sens.variance_shares
            extra = [k for k in shares.index if k not in set(frame["group"])]
            if extra:
                frame = pd.concat([frame, pd.DataFrame({
                    "input": extra, "group": extra, "variance_share": shares[extra].to_numpy(),
                })], ignore_index=True)
            frame.insert(0, "measure", measure)
            frame.insert(0, "phase", phase)
            frame["base"] = sens.base
            frame["unit"] = result.units_for(phase)[measure]
            parts.append(frame)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def sensitivity_payload(result: ScenarioResult, *, top: int = 8) -> dict[str, Any]:
    """For ``--json``: per phase, the lead measure's total — its largest swings and the
    variance shares (empty without draws)."""
    if result.n_draws < 2:
        return {}
    out: dict[str, Any] = {}
    measure = result.lead_measure
    for phase in result.phases:
        sens = result.sensitivity(measure, phase=phase)
        swings = sens.swings.head(top).reset_index()
        out[phase] = {
            "cell": sens.cell, "unit": sens.unit, "base": float(sens.base),
            "draws": int(sens.draws),
            "swings": [{str(k): (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                       for row in swings.to_dict(orient="records")],
            "variance_shares": {str(k): float(v) for k, v in sens.variance_shares.items()},
        }
    return out
