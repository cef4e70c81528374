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
    """
    x = np.moveaxis(np.asarray(values, dtype=np.float64), axis, -1)
    m = x.shape[-1]
    if m == 0:
        return np.zeros(x.shape[:-1])
    while m > 1:
        half = m // 2
        level = x[..., :half] + x[..., half : 2 * half]
        if m % 2:
            level = np.concatenate([level, x[..., 2 * half :]], axis=-1)
        x = level
        m = x.shape[-1]
    return np.ascontiguousarray(x[..., 0])
