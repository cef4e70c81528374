"""The regional split of a provincial (two-region) result, for the terminal and the report.

Reads :meth:`ScenarioResult.regional_split` only: where the effects happen (each spending
province, the rest of Korea, Korea) and where each won of spending ends up (stays in the
province, spills to the rest of Korea, leaks abroad).
"""

from __future__ import annotations

import pandas as pd

from ..engine.measures import jobs_basis
from ..scenario.result import ScenarioResult
from . import views

#: The caveat a provincial result adds to the report.
PROVINCE_CAVEAT = (
    "Provincial results come from two-region models (province + rest of Korea) built from the "
    "national table by location quotients (FLQ): technology and productivity are national, "
    "and interregional trade is estimated, not surveyed. Each province's spending runs on its "
    "own model, so effects one province's spending has in another province are counted in "
    "'rest of Korea' and feedback between two provinces is left out; Korea totals are exact."
)
REST = "rest of Korea"
ABROAD = "abroad (imports)"
KOREA = "Korea"


def split_display(result: ScenarioResult, phase: str) -> tuple[pd.DataFrame, str]:
    """Rows: each province, rest of Korea, abroad, Korea; columns: jobs (if the table has
    them), value added (rescaled money) and the share of each won spent, in %."""
    jobs = result.lead_measure == "employment"
    va = result.regional_split("value_added", phase)
    emp = result.regional_split("employment", phase) if jobs else None
    provs = [p for p in va.index if p != "all provinces"]
    total = va.loc["all provinces"] if "all provinces" in va.index else va.loc[provs[0]]
    summary = views.effects_summary(result)  # the headline's money scale
    money = views.money_columns(result, summary.columns)
    scale = views.money_scale(result.table, summary[money].to_numpy())
    rows: dict[str, dict[str, float]] = {}
    for p in provs:
        rows[p] = {"value_added": va.loc[p, "in_province"],
                   "share": va.loc[p, "stays_in_province"] * va.loc[p, "spending"]}
        if emp is not None:
            rows[p]["employment"] = emp.loc[p, "in_province"]
    rows[REST] = {"value_added": va["rest_of_korea"][provs].sum(),
                  "share": total["spills_to_rest_of_korea"] * total["spending"]}
    rows[ABROAD] = {"value_added": float("nan"),
                    "share": total["leaks_abroad"] * total["spending"]}
    rows[KOREA] = {"value_added": total["korea"],
                   "share": (1.0 - total["leaks_abroad"]) * total["spending"]}
    if emp is not None:
        rows[REST]["employment"] = emp["rest_of_korea"][provs].sum()
        rows[ABROAD]["employment"] = float("nan")
        rows[KOREA]["employment"] = emp.loc["all provinces" if len(provs) > 1 else provs[0],
                                            "korea"]
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame["share"] = frame["share"] / float(total["spending"]) * 100
    frame["value_added"] = frame["value_added"] * scale.factor
    cols = (["employment"] if emp is not None else []) + ["value_added", "share"]
    frame = frame[cols].rename(columns={"share": "% of spending (value created)"})
    frame.index.name = "where"
    unit = (f"employment in {jobs_basis(phase)}; " if emp is not None else "") + (
        f"value added in {scale.label}{' per year' if phase == 'operations' else ''}; "
        "effects of the whole run (direct + indirect + induced). The % column splits each won "
        "spent by where its value is created (Type I value added; imports: the imported part of "
        "the spending and of its supply chain)"
    )
    return frame, unit
