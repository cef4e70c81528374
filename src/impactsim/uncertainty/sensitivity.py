"""Which assumption drives the range: one-at-a-time swings and first-order variance shares.

**Swings (tornado).** Each uncertain input in turn is set to its low and high quantile (P5 and
P95 by default) with every other input at its base value, and the headline cell is recomputed
exactly (no sampling). Shares vectors swing one component at a time, the other components
rescaled proportionally so the shares still sum to 1. The coefficient perturbation swings all
coefficients together to the factor's low / high quantile (a systematic shift, capped as in the
draws): an upper bound on what independent noise can do.

**Variance shares.** The first-order Sobol index of input ``X_i`` is ``S_i = Var(E[Y | X_i]) /
Var(Y)``: the share of the variance of ``Y`` that would go if ``X_i`` were known. It is estimated
from the Monte Carlo draws themselves (no extra runs), by sorting the draws on ``X_i`` into ``M``
equal-count bins (``M = ⌊√d⌋``, between 2 and 100) and taking the variance of the bin means,
minus the bias term ``(1/d) Σ_b s_b²`` (``s_b²`` the within-bin variance): a given-data
estimator (Plischke 2010, *Reliab. Eng. Syst. Saf.* 95; Strong, Oakley & Chilcott 2012).
Group inputs (a shares vector, the coefficient noise) are binned on their *projection*, the
draw's result with only that input varied, which gives a lower bound on the group's index that
is exact when the output depends on the group only through that projection. The row
``interactions and unexplained`` is ``1 − Σ S_i``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..engine.measures import format_value

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

Array = NDArray[np.float64]

RESIDUAL = "interactions and unexplained"


def first_order_index(x: Array, y: Array, *, bins: int | None = None) -> float:
    """Given-data estimate of ``Var(E[Y|X]) / Var(Y)`` by equal-count binning on ``x``.

    Bias-corrected (see the module docstring) and clipped to [0, 1]; 0 when ``Var(Y) = 0``.
    """
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    d = y.size
    var = float(y.var())
    if d < 4 or var <= 0.0 or not np.isfinite(var):
        return 0.0
    m = bins or int(min(100, max(2, np.sqrt(d))))
    order = np.argsort(x, kind="stable")
    parts = np.array_split(y[order], m)
    mean = float(y.mean())
    between = sum(p.size * (p.mean() - mean) ** 2 for p in parts) / d
    within = sum(p.var(ddof=1) for p in parts if p.size > 1) / d
    return float(np.clip((between - within) / var, 0.0, 1.0))


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """Sensitivity of one headline cell to each uncertain input.

    ``swings``: one row per input (label; one per share for a shares vector), columns ``group``
    (the uncertain input it belongs to), ``low_input``, ``high_input`` (the input values used),
    ``low``, ``high`` (the cell at those values), ``swing`` = ``|high − low|``, sorted largest
    first; ``base`` the cell with every input at base; ``variance_shares``: first-order index
    of each uncertain input (a shares vector counts as one) plus the residual row; ``unit``
    the cell's unit.
    """

    cell: str
    unit: str
    base: float
    swings: pd.DataFrame
    variance_shares: pd.Series
    draws: int

    def to_frame(self) -> pd.DataFrame:
        """Swings with the variance share of each row's input (group) alongside."""
        frame = self.swings.copy()
        frame["variance_share"] = self.variance_shares.reindex(frame["group"]).to_numpy()
        return frame

    def plot_tornado(self, *, ax: Axes | None = None, top: int = 12) -> Figure:
        """A tornado chart of the swings (see :func:`plot_tornado`)."""
        return plot_tornado(self, ax=ax, top=top)

    def __repr__(self) -> str:
        return (
            f"Sensitivity of {self.cell} (base {format_value(self.base)} {self.unit}; "
            f"{self.draws} draws)\n"
            + self.to_frame().map(lambda v: format_value(v) if isinstance(v, float) else v)
            .to_string()
        )


def plot_tornado(sens: Sensitivity, *, ax: Axes | None = None, top: int = 12) -> Figure:
    """Horizontal bars from the low to the high result of each input, widest on top.

    Matplotlib is imported here, not at package import. Returns the Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    rows = sens.swings.head(top).iloc[::-1]
    if ax is None:
        fig, ax = plt.subplots(figsize=(9.5, 0.45 * max(len(rows), 2) + 1.4))
    else:
        parent = ax.figure  # an axes in a subfigure: the figure that holds it
        fig = parent if isinstance(parent, Figure) else parent.figure
    pos = np.arange(len(rows))
    lo = np.minimum(rows["low"], rows["high"]).to_numpy(dtype=float)
    hi = np.maximum(rows["low"], rows["high"]).to_numpy(dtype=float)
    ax.barh(pos, hi - lo, left=lo, color="#4C72B0", height=0.6)
    ax.axvline(sens.base, color="black", linewidth=1)
    ax.set_yticks(pos, [str(i) for i in rows.index])
    ax.set_xlabel(f"{sens.cell} ({sens.unit})")
    fig.suptitle("One-at-a-time swings (low to high input); line = base", x=0.01, ha="left")
    fig.tight_layout()
    return fig
