"""Sums whose rounding does not depend on how draws are grouped into chunks.

``numpy.sum`` picks its summation order from the array's shape and memory layout: reducing the
middle axis of a ``(b, n, r)`` stack adds in one order when ``b`` is 1 and in another when it is
64, so a draw's total could change in its last bit with the chunk size. :func:`fixed_sum` adds
along one axis in a fixed pairwise tree made only of element-wise additions — each output element
is the same sequence of IEEE additions whatever the other axes hold — so a draw's result is a
function of its own inputs only, to the last bit (and, being pairwise, its rounding error grows
like ``log2 n``, not ``n``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.float64]


def fixed_sum(values: ArrayLike, axis: int = -1) -> Array:
    """Sum of ``values`` along ``axis`` in a fixed pairwise order (shape- and layout-free).

    At every level the first ``⌊m/2⌋`` entries are added element-wise to the next ``⌊m/2⌋``;
    an odd last entry is carried to the next level unchanged. An empty axis sums to 0.

    The levels are added in place in one buffer (one vectorised addition per level, nothing
    allocated after the first); a last axis is first moved to the front, so a level adds long
    runs rather than short rows. The additions, and so the bits, are those of the tree above
    whatever the layout.
    """
    x = np.asarray(values, dtype=np.float64)
    if x.ndim == 0:
        raise ValueError("fixed_sum: give an array with at least one axis")
    axis = axis % x.ndim
    if axis == x.ndim - 1 and x.ndim > 1:
        x, axis = np.moveaxis(x, axis, 0), 0
    m = x.shape[axis]
    if m == 0:
        return np.zeros(x.shape[:axis] + x.shape[axis + 1 :])
    lead = (slice(None),) * axis

    def part(lo: int, hi: int) -> tuple[slice, ...]:
        return (*lead, slice(lo, hi))

    def at(i: int) -> tuple[slice | int, ...]:
        return (*lead, i)

    half = m // 2
    buf = np.empty((*x.shape[:axis], half + m % 2, *x.shape[axis + 1 :]))
    if half:  # the first level reads the input (never modified), the others the buffer
        np.add(x[part(0, half)], x[part(half, 2 * half)], out=buf[part(0, half)])
    if m % 2:
        buf[at(half)] = x[at(2 * half)]
    m = half + m % 2
    while m > 1:
        half = m // 2
        np.add(buf[part(0, half)], buf[part(half, 2 * half)], out=buf[part(0, half)])
        if m % 2:
            buf[at(half)] = buf[at(2 * half)]
        m = half + m % 2
    return np.array(buf[at(0)])  # a contiguous copy (0-d for a 1-d input)
