"""Matplotlib figures for results: effects by sector, by year, and direct / indirect / induced.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot global state, no GUI
backend), so they work in scripts, notebooks and the HTML report alike. matplotlib is imported
only when a chart is drawn. Each function takes a tidy pandas view (see
:mod:`impactsim.present.views`);
the ``plot_*`` functions take a result and pick the view.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..engine.measures import REGISTRY, format_value

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: One colour per effect, the same in every chart (colour-blind safe, Okabe–Ito).
EFFECT_COLOURS = {
    "direct": "#0072B2",
    "indirect": "#E69F00",
    "induced": "#009E73",
    "total": "#555555",
}
PHASE_COLOURS = {"construction": "#D55E00", "operations": "#56B4E9", "sustaining": "#009E73"}


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig


def _thousands(ax: Axes, axis: str) -> None:
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _pos: format_value(v))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def sectors_chart(frame: pd.DataFrame, *, title: str, unit: str) -> Figure:
    """Horizontal stacked bars: one bar per sector (rows of ``frame``), one segment per effect.

    ``frame``: index = sector labels (largest first), columns = effects (direct, indirect,
    induced; a ``total`` column is ignored), values in ``unit``.
    """
    effects = [c for c in frame.columns if c != "total"]
    rows = frame.iloc[::-1]  # largest at the top
    fig = _figure(8.0, max(2.5, 0.42 * len(rows) + 1.3))
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    left_pos = np.zeros(len(rows))
    left_neg = np.zeros(len(rows))
    for eff in effects:
        vals = rows[eff].to_numpy(dtype=float)
        base = np.where(vals >= 0, left_pos, left_neg)
        ax.barh(y, vals, left=base, color=EFFECT_COLOURS.get(eff), label=eff, height=0.7)
        left_pos += np.clip(vals, 0, None)
        left_neg += np.clip(vals, None, 0)
    ax.set_yticks(y, [_shorten(str(s)) for s in rows.index])
    ax.set_xlabel(unit)
    ax.set_title(title, loc="left", fontsize=11)
    _thousands(ax, "x")
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    if effects:
        ax.legend(loc="lower right", frameon=False, fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def years_chart(frame: pd.DataFrame, *, title: str, unit: str) -> Figure:
    """Grouped bars by year: one bar per phase (columns of ``frame``), never stacked together.

    ``frame``: index = year, columns = phases (construction, operations), values in ``unit``
    (a construction bar is the jobs that year; an operations bar the jobs in that year of
    operation).
    """
    phases = list(frame.columns)
    fig = _figure(8.0, 3.6)
    ax = fig.add_subplot()
    years = frame.index.to_numpy()
    x = np.arange(len(years))
    width = 0.8 / max(1, len(phases))
    for i, ph in enumerate(phases):
        offset = (i - (len(phases) - 1) / 2) * width
        ax.bar(x + offset, frame[ph].to_numpy(dtype=float), width, label=ph,
               color=PHASE_COLOURS.get(str(ph)))
    step = max(1, len(years) // 12)
    ax.set_xticks(x[::step], [str(v) for v in years[::step]])
    ax.set_ylabel(unit)
    ax.set_title(title, loc="left", fontsize=11)
    _thousands(ax, "y")
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, fontsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig


def effects_chart(summary: pd.DataFrame, *, units: dict[str, str], title: str = "") -> Figure:
    """Small multiples, one panel per measure: a stacked bar per phase of direct / indirect /
    induced effects (phases side by side, never added).

    ``summary``: index = (phase, effect) MultiIndex, columns = measures; ``total`` rows ignored.
    """
    measures = REGISTRY.headline_order(str(c) for c in summary.columns)[:4]  # jobs … output
    if isinstance(summary.index, pd.MultiIndex):
        phases = list(dict.fromkeys(summary.index.get_level_values(0)))
    else:
        phases = ["all"]
        summary = pd.concat({"all": summary})
    fig = _figure(9.0, 3.2)
    axes = fig.subplots(1, len(measures), squeeze=False)[0]
    for ax, meas in zip(axes, measures, strict=True):
        for i, ph in enumerate(phases):
            part = summary.loc[ph, meas]
            bottom = 0.0
            for eff, val in part.items():
                if eff == "total":
                    continue
                v = float(val)
                ax.bar(i, v, bottom=bottom, color=EFFECT_COLOURS.get(str(eff)), width=0.6,
                       label=str(eff) if i == 0 else None)
                bottom += v
            ax.annotate(format_value(bottom), (i, bottom), ha="center", va="bottom", fontsize=8)
        ax.set_xticks(range(len(phases)), [str(p) for p in phases], fontsize=8)
        ax.set_title(REGISTRY.label(meas), fontsize=10)
        ax.set_ylabel(units.get(meas, ""), fontsize=8)
        ax.tick_params(axis="y", labelsize=8)
        _thousands(ax, "y")
        ax.margins(y=0.15)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), frameon=False,
                   fontsize=9)
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=11)
    return fig


def _shorten(label: str, width: int = 42) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def figure_svg(fig: Figure, *, salt: str) -> str:
    """The figure as inline SVG text (fonts as text, no external references).

    ``salt`` makes the SVG's internal ids unique when several charts share one HTML page.
    """
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        meta = {"Date": None, "Creator": None}
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata=meta)
    text = buf.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text

