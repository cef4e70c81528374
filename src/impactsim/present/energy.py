"""Presenting the physical account: a table, the bill reconciliation, a chart and files.

Reads only ``result.energy`` (:class:`impactsim.scenario.energy.PhysicalAccount`) and its
measure registry; numbers are written by the one formatter
(:func:`impactsim.engine.measures.format_value`). Every function returns None (or nothing to
add) for a result without a physical account, so callers add one line each.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..engine.measures import format_value
from ..scenario.energy import SHARES
from ..scenario.result import ScenarioResult
from .charts import _figure, _thousands
from .escape import md_text, rich_text
from .tables import md_table

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure
    from rich.console import Console

TITLE = "Power, carbon and water (a year of full operation)"
#: Rows of the display, in order (the rest of the account is in the files).
SHOWN = ("electricity_gwh", "peak_mw", "share_national", "share_province", "peak_share_national",
         "emissions_location_t", "emissions_market_t", "water_m3", "bill_physical_krw_bn",
         "bill_money_krw_bn", "bill_gap_krw_bn", "bill_gwh")


def energy_display(result: ScenarioResult) -> tuple[pd.DataFrame, str] | None:
    """The account at full operation: quantity rows × unit, central and quantiles (text)."""
    acc = getattr(result, "energy", None)
    if acc is None:
        return None
    head = acc.headline()
    rows = {}
    for key in SHOWN:
        if key not in head.index:
            continue
        m = acc.registry[key]
        share = key in SHARES
        values = head.loc[key].drop("unit")
        rows[m.label] = {"unit": "%" if share else m.unit,
                         **{c: format_value(v, percent=share) for c, v in values.items()}}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "quantity"
    caption = ("all sites, per year at full operation; central = deterministic inputs"
               + (f"; P5–P95 over {acc.n_draws} draws of PUE, WUE, utilisation, size, grid "
                  "factor, tariff and the operations bill" if acc.n_draws else "")
               + ". " + ". ".join(n.rstrip(".") for n in acc.notes) + ".")
    return frame, caption


def bill_line(result: ScenarioResult) -> str | None:
    """One sentence reconciling the money and the physical electricity bill."""
    acc = getattr(result, "energy", None)
    if acc is None:
        return None
    f = acc.full.loc["all"]
    gap = f["bill_gap_krw_bn"]
    ratio = f["bill_money_krw_bn"] / f["bill_physical_krw_bn"] if f["bill_physical_krw_bn"] else \
        float("nan")
    word = "more" if gap > 0 else "less"
    return (f"Electricity bill: the spending pattern pays {format_value(f['bill_money_krw_bn'])} "
            f"bn KRW a year, which buys {format_value(f['bill_gwh'])} GWh at the tariff; the "
            f"stated capacity draws {format_value(f['electricity_gwh'])} GWh, a bill of "
            f"{format_value(f['bill_physical_krw_bn'])} bn KRW. The money account pays "
            f"{format_value(abs(gap))} bn KRW {word} ({format_value(ratio, percent=True)} of the "
            "physical bill); `capacity: bill: from-capacity` makes the physical bill drive it.")


def print_energy(console: Console, result: ScenarioResult,
                 print_table: Callable[..., None]) -> None:
    """Terminal section: the account table and the bill line (nothing without an account)."""
    shown = energy_display(result)
    if shown is None:
        return
    console.print()
    print_table(console, shown[0], title=TITLE, caption=shown[1],
                text_cols=("unit", *shown[0].columns))
    console.print(rich_text(bill_line(result) or ""))


def energy_markdown(result: ScenarioResult) -> list[str]:
    """Markdown lines of the section (empty without an account)."""
    shown = energy_display(result)
    if shown is None:
        return []
    frame, caption = shown
    return [f"## {TITLE}", "", f"*{md_text(caption)}*", "", md_table(frame), "",
            md_text(bill_line(result) or ""), ""]


def energy_html(result: ScenarioResult,
                html_table: Callable[..., str]) -> list[str]:
    """HTML parts of the section (empty without an account); ``html_table`` renders a frame."""
    shown = energy_display(result)
    if shown is None:
        return []
    frame, caption = shown
    return [f"<h2>{html.escape(TITLE)}</h2>", f'<p class="meta">{html.escape(caption)}</p>',
            html_table(frame, total_row=None, text_cols=("unit", *frame.columns)),
            f"<p>{html.escape(bill_line(result) or '')}</p>"]


def plot_energy(result: ScenarioResult) -> Figure | None:
    """Figure: electricity (GWh, bars) and location-based emissions (ktCO2eq, line) by year."""
    acc = getattr(result, "energy", None)
    if acc is None:
        return None
    gwh = acc.series("electricity_gwh")
    kt = acc.series("emissions_location_t") / 1e3
    fig = _figure(8.0, 3.6)
    ax = fig.add_subplot()
    x = np.arange(len(gwh))
    ax.bar(x, gwh.to_numpy(dtype=float), 0.7, color="#56B4E9", label="electricity (GWh)")
    ax.set_ylabel("GWh per year")
    _thousands(ax, "y")
    ax2 = ax.twinx()
    ax2.plot(x, kt.to_numpy(dtype=float), color="#D55E00", marker="o", markersize=3,
             label="emissions, location-based (ktCO2eq)")
    ax2.set_ylabel("ktCO2eq per year")
    ax2.set_ylim(bottom=0)
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step], [str(v) for v in gwh.index.to_numpy()[::step]])
    ax.set_title("Site electricity and emissions by year", loc="left", fontsize=11)
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax.legend(handles, [str(h.get_label()) for h in handles], frameon=False, fontsize=9,
              loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    for side in ("top",):
        ax.spines[side].set_visible(False)
        ax2.spines[side].set_visible(False)
    return fig


def energy_chart_caption() -> str:
    """Caption of :func:`plot_energy` in reports."""
    return ("Site electricity (GWh, bars) and location-based emissions (ktCO2eq, line) by year "
            "(the operations ramp × utilisation × PUE; the grid factor of each year, the last "
            "published held after it)")


def energy_payload(result: ScenarioResult) -> dict[str, Any] | None:
    """The account as plain data for ``--json``: each quantity's unit, central value and
    quantiles at full operation (all sites), the bill sentence and the notes; None without."""
    acc = getattr(result, "energy", None)
    if acc is None:
        return None
    head = acc.headline()
    quantities = {str(k): {c: (str(v) if c == "unit" else
                               (float(v) if np.isfinite(float(v)) else None))
                           for c, v in row.items()} for k, row in head.iterrows()}
    return {"basis": "all sites, per year at full operation", "draws": acc.n_draws,
            "quantities": quantities, "bill": bill_line(result), "notes": list(acc.notes)}


def energy_frames(result: ScenarioResult) -> dict[str, pd.DataFrame]:
    """Files of the account: ``energy`` (full operation, central and quantiles, by site and in
    total) and ``energy_by_year`` (every site and year). Empty without an account."""
    acc = getattr(result, "energy", None)
    if acc is None:
        return {}
    full = acc.full.copy()
    full.index.name = "investment"
    tidy = full.reset_index().melt(id_vars="investment", var_name="quantity",
                                   value_name="central")
    if acc.quantiles is not None:
        tidy = tidy.merge(acc.quantiles.reset_index(), on=["quantity", "investment"], how="left")
    tidy.insert(2, "unit", [acc.registry[k].unit for k in tidy["quantity"]])
    return {"energy": tidy, "energy_by_year": acc.by_year.copy()}


__all__ = [
    "bill_line",
    "energy_chart_caption",
    "energy_display",
    "energy_frames",
    "energy_html",
    "energy_markdown",
    "energy_payload",
    "plot_energy",
    "print_energy",
]
