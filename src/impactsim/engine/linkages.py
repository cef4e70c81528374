"""Backward and forward linkages: Rasmussen's power and sensitivity of dispersion.

With the domestic Leontief inverse ``L = (I − A_d)⁻¹`` (n × n)::

    backward_j = Σ_i L_ij          (column sum: output of the economy per unit of final demand
                                    for sector j — the Type I output multiplier)
    forward_i  = Σ_j L_ij          (row sum: output of sector i when every sector's final demand
                                    rises by one unit)
    power_of_dispersion_j       = backward_j / ( (1/n) Σ_k backward_k )
    sensitivity_of_dispersion_i = forward_i  / ( (1/n) Σ_k forward_k )

Both indices average 1 over the sectors; a sector above 1 on both is a "key sector"
(Rasmussen 1956, *Studies in Inter-Sectoral Relations*; Miller & Blair 2009, *Input-Output
Analysis*, 2nd ed., section 12.2). The Bank of Korea publishes them with every input-output
table as 영향력계수 (power of dispersion) and 감응도계수 (sensitivity of dispersion), computed
from the rows and columns of the **Leontief** inverse of the domestic-flow table (한국은행,
「산업연관분석해설」 2014, ch. 5; its 2020–2023 33-sector tables
"생산유발계수표(생산자가격, 대분류)" carry both as the last row and column). The supply-side
alternative of Miller & Blair (section 12.2.2) — row sums of the Ghosh inverse
``G = x̂⁻¹ L x̂`` — is reported next to them as ``forward_ghosh``; it is *not* what BOK calls
감응도계수 (tests/test_toolbox_linkages.py reproduces BOK's published 2020 values from the
bundled table and shows the Ghosh index differs).

The row and column sums need two solves with a vector of ones (``(I − A)ᵀ b = 1`` and
``(I − A) f = 1``); the inverse itself is never formed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import OptionError
from ..tables.table import IOTable
from .model import LeontiefModel

Array = NDArray[np.float64]

#: Columns of :func:`linkages`, in order.
LINKAGE_COLUMNS = (
    "backward",
    "forward",
    "power_of_dispersion",
    "sensitivity_of_dispersion",
    "forward_ghosh",
    "key_sector",
)

#: What each column means and its unit (shown by the CLI and written to files).
LINKAGE_UNITS = {
    "backward": "output of all sectors per unit of the sector's final demand (L column sum)",
    "forward": "output of the sector per unit of every sector's final demand (L row sum)",
    "power_of_dispersion": "index, mean 1 (영향력계수, Rasmussen backward linkage)",
    "sensitivity_of_dispersion": "index, mean 1 (감응도계수, Rasmussen forward linkage, L rows)",
    "forward_ghosh": "output of all sectors per unit of the sector's primary inputs (G row sum)",
    "key_sector": "both dispersion indices above 1",
}


def dispersion_indices(inverse: Array) -> tuple[Array, Array, Array, Array]:
    """(backward, forward, power, sensitivity) from a Leontief inverse given as an array.

    ``backward = 1'L``, ``forward = L1``, ``power = backward / mean(backward)``,
    ``sensitivity = forward / mean(forward)``.
    """
    inv = np.asarray(inverse, dtype=float)
    if inv.ndim != 2 or inv.shape[0] != inv.shape[1] or inv.shape[0] == 0:
        raise OptionError(f"dispersion_indices: give a square Leontief inverse, got {inv.shape}")
    backward = inv.sum(axis=0)
    forward = inv.sum(axis=1)
    return backward, forward, backward / backward.mean(), forward / forward.mean()


def linkages(model: LeontiefModel | IOTable) -> pd.DataFrame:
    """Backward and forward linkages of every sector of a model's (domestic) table.

    Parameters
    ----------
    model
        A :class:`~impactsim.LeontiefModel` (or an :class:`~impactsim.IOTable`, which is
        wrapped in one).

    Returns
    -------
    pandas.DataFrame
        Rows sectors (table order); columns ``backward`` (``1'L``, dimensionless: output per
        unit of final demand), ``forward`` (``L1``), ``power_of_dispersion`` (BOK 영향력계수),
        ``sensitivity_of_dispersion`` (BOK 감응도계수), ``forward_ghosh`` (``G1 = x̂⁻¹Lx``, the
        supply-side forward linkage) and ``key_sector`` (both indices > 1). ``attrs["units"]``
        says what each column means.
    """
    if not isinstance(model, LeontiefModel):
        model = LeontiefModel(model)
    table = model.table
    n = table.n
    ones = np.ones(n)
    fact = model.factorization
    backward = fact.solve_transposed(ones)
    forward = fact.solve(ones)
    x = table.x
    with np.errstate(divide="ignore", invalid="ignore"):
        ghosh = np.where(x > 0, fact.solve(x) / np.where(x > 0, x, 1.0), np.nan)
    power = backward / backward.mean()
    sensitivity = forward / forward.mean()
    frame = pd.DataFrame(
        {
            "backward": backward,
            "forward": forward,
            "power_of_dispersion": power,
            "sensitivity_of_dispersion": sensitivity,
            "forward_ghosh": ghosh,
            "key_sector": (power > 1.0) & (sensitivity > 1.0),
        },
        index=table.sectors.copy(),
    )
    frame.attrs["units"] = dict(LINKAGE_UNITS)
    frame.attrs["table"] = table.meta.name
    return frame
