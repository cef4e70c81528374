"""When sustaining capital spending falls: each equipment tranche is replaced on its own cycle.

An operating site's IT equipment is bought in tranches (the construction profile: the share of
the capital spending of each construction year) and replaced every ``c`` years *from the year
that tranche was installed*. Tranche ``i``, installed in year ``y_i`` with share ``s_i``
(``Σ s_i = 1``), is replaced in the years

    y_i + ⌈k c⌉,  k = 1, 2, …  while  y_i + k c ≤ H

(``H`` the last year of operation), so it is replaced ``⌊(H − y_i) / c⌋`` times and the refresh
amount ``A`` (the cost of replacing all of the equipment once) spends ``A s_i`` each time. The
spending in year ``t`` is ``A w_t`` with ``w_t = Σ_i s_i [t is a refresh year of i]``, and the
whole operation carries ``Σ_i s_i ⌊(H − y_i)/c⌋`` refresh cycles.

Without a construction phase the tranches are the increments of the operations ramp (the
capacity added in each year, installed in the year it first operates).

Example: korea.yaml installs 1/7 in each year 2025–2031 and operates to 2040 on a 5-year cycle:
the 2025 tranche is replaced in 2030, 2035 and 2040 (3 times), 2026–2030 twice, 2031 once:
(3 + 5·2 + 1)/7 = 2.0 cycles (spreading ``A/c`` over every year of operation at the ramp gave
12/5 = 2.4, counting refreshes of equipment before it reached the end of its cycle).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

#: Tolerance on ``k c ≤ H − y`` (cycles given as decimals, e.g. 3.3).
_EPS = 1e-9


def cycles(install_year: int, last_year: int, cycle: float) -> int:
    """Number of replacements of a tranche installed in ``install_year``: ``⌊(H − y) / c⌋``."""
    return max(0, math.floor((last_year - install_year) / cycle + _EPS))


def refresh_years(install_year: int, last_year: int, cycle: float) -> list[int]:
    """The years a tranche installed in ``install_year`` is replaced, up to ``last_year``."""
    return [install_year + math.ceil(k * cycle - _EPS)
            for k in range(1, cycles(install_year, last_year, cycle) + 1)]


def ramp_tranches(years: Sequence[int], ramp: Mapping[int, float]) -> list[tuple[int, float]]:
    """Tranches from an operations ramp: the capacity added in each year (increments of the
    fraction of full operation, 1 where the ramp is silent), rescaled to sum 1."""
    level = 0.0
    out: list[tuple[int, float]] = []
    for y in years:
        f = float(ramp.get(int(y), 1.0))
        if f > level:
            out.append((int(y), f - level))
            level = f
    total = sum(s for _, s in out)
    return [(y, s / total) for y, s in out] if total > 0 else []


def schedule(tranches: Sequence[tuple[int, float]], cycle: float, first: int, last: int
             ) -> tuple[NDArray[np.int_], Array]:
    """(years ``first..last``, refresh weights ``w_t``): the share of the refresh amount spent
    in each year (module docstring); ``w`` sums to the number of refresh cycles."""
    years = np.arange(first, last + 1)
    w = np.zeros(years.size)
    for y0, share in tranches:
        for t in refresh_years(int(y0), last, cycle):
            if first <= t <= last:
                w[t - first] += share
    return years, w
