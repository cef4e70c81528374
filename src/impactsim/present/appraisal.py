"""Presenting an appraisal: the "Net and present values" table of a run (terminal, report, file).

No economics here: the numbers come from :meth:`ScenarioResult.appraisal
<impactsim.scenario.result.ScenarioResult.appraisal>`; this module scales money for display and
names what every column is (gross / net, undiscounted / present value, price year).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import ImpactsimError
from ..scenario.appraisal import APPRAISAL_LABELS, APPRAISAL_MEASURES, Appraisal
from ..scenario.result import ScenarioResult
from .views import money_scale

#: Display columns of the headline and what each is.
COLUMNS = {
    "gross": "gross",
    "net": "net",
    "gross_pv": "gross PV",
    "net_pv": "net PV",
}


def result_appraisal(result: ScenarioResult) -> Appraisal | None:
    """The result's appraisal, or None when it cannot be formed (e.g. no years)."""
    try:
        return result.appraisal()
    except (ImpactsimError, KeyError, ValueError):
        return None


def appraisal_display(result: ScenarioResult, appraisal: Appraisal | None = None
                      ) -> tuple[pd.DataFrame, str] | None:
    """(frame, caption) of the whole scenario's appraisal: rows measures with display labels,
    columns gross / net / gross PV / net PV; money in a readable scale; rows the table cannot
    give (all NaN) are dropped."""
    app = appraisal if appraisal is not None else result_appraisal(result)
    if app is None:
        return None
    frame = app.summary.xs("whole", level="scope").copy()
    money = [m for m, k in APPRAISAL_MEASURES.items() if k == "money"]
    scale = money_scale(result.table, frame.loc[money].to_numpy(dtype=float))
    frame.loc[money] = frame.loc[money] * scale.factor
    frame = frame.dropna(how="all")
    frame.index = pd.Index([APPRAISAL_LABELS[m] for m in frame.index], name="measure")
    frame = frame.rename(columns=COLUMNS)
    if frame.isna().to_numpy().any():  # PV of jobs: not discounted
        frame = frame.astype(object).where(frame.notna(), "—")
    s = app.settings
    jobs = ""
    if result.lead_measure == "employment":
        jobs = (f"jobs in job-years (FTE), headcount in person-years (x "
                f"{s['fte_to_persons']:.3g} persons per FTE); ")
    kinds = ("Type I = direct + indirect; Type II adds induced (household) effects." if
             result.induced else "Type I (direct + indirect): this table has no household "
             "closure.")
    caption = (
        f"{app.describe()}. Whole scenario, every modelled year summed: {jobs}money in "
        f"{scale.label} at {s['price_year']} prices. {kinds}"
    )
    return frame, caption


def appraisal_frame(result: ScenarioResult) -> pd.DataFrame | None:
    """The appraisal as a tidy file frame: scope, measure, view (gross/net), valuation
    (undiscounted/PV), value, unit, price year, base year, discount rate."""
    app = result_appraisal(result)
    if app is None:
        return None
    long = app.summary.reset_index().melt(
        id_vars=["scope", "measure"], var_name="column", value_name="value"
    )
    long = long.dropna(subset=["value"])
    long["view"] = np.where(long["column"].str.startswith("net"), "net", "gross")
    long["valuation"] = np.where(long["column"].str.endswith("_pv"), "present value",
                                 "undiscounted")
    long["unit"] = long["measure"].map(app.units)
    s: dict[str, Any] = app.settings
    long["price_year"] = s["price_year"]
    long["base_year"] = s["base_year"]
    long["discount_rate"] = s["discount_rate"]
    long["net_factor"] = s["net_factor"]
    return long.drop(columns="column")[
        ["scope", "measure", "view", "valuation", "value", "unit", "price_year", "base_year",
         "discount_rate", "net_factor"]
    ]
