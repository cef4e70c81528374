"""The group inputs' projections of a set of draws, the shares vectors' made on first use.

A projection holds each draw's totals with one group input at its drawn value and every other
input at its base value; :meth:`Draws.sensitivity` reads them for the first-order variance
shares. The coefficients' projection shares the draws' perturbed solves and is made with the
draws. A shares vector's projection needs only the base inverse, but one evaluation of the
demand per group and draw — about a fifth of the draws' time for a scenario with three phases —
and only a sensitivity analysis reads it, so it is made when first asked for, from the draws'
own random streams, chunk by chunk: the same numbers, to the last bit, as when made with the
draws (a chunk is a pure function of its draw range, whatever the split).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from .ensemble import Ensemble
from .solvers import one_blas_thread

Array = NDArray[np.float64]


class Projections(Mapping[str, Array]):
    """Group input name → projection (draws, columns, effects, measures), read-only arrays.

    ``made`` holds the projections made with the draws; the ensemble's other group inputs
    (:meth:`Ensemble.lazy_groups`) are made together on the first read of any of them, over
    ``chunks`` (draw ranges) of the draws with ``seed``. Safe to read from several threads.
    """

    def __init__(self, made: Mapping[str, Array], ensemble: Ensemble, seed: int,
                 chunks: Sequence[tuple[int, int]]) -> None:
        self._made = dict(made)
        self._ensemble = ensemble
        self._seed = seed
        self._chunks = tuple(chunks)
        self._later = tuple(g for g in ensemble.lazy_groups() if g not in self._made)
        self._lock = threading.Lock()

    def _make(self) -> None:
        with self._lock:
            if all(g in self._made for g in self._later):
                return
            parts = [self._ensemble.group_projections(self._seed, a, b) for a, b in self._chunks]
            for name in self._later:
                out = np.concatenate([p[name] for p in parts], axis=0)
                out.flags.writeable = False
                self._made[name] = out

    def __getitem__(self, name: str) -> Array:
        if name not in self._made:
            if name not in self._later:
                raise KeyError(name)
            with one_blas_thread():
                self._make()
        return self._made[name]

    def __contains__(self, name: object) -> bool:
        return name in self._made or name in self._later

    def __iter__(self) -> Iterator[str]:
        made = [k for k in self._made if k not in self._later]
        return iter([*made, *self._later])

    def __len__(self) -> int:
        return len({*self._made, *self._later})

    def pending(self) -> tuple[str, ...]:
        """The group inputs whose projections are not made yet."""
        return tuple(g for g in self._later if g not in self._made)
