"""How a draw's uncertain inputs become final-demand vectors (table units, one per column).

A *column* is one final-demand vector the headline is reported for (e.g. the construction total
or a year of operations). :class:`LinearDemand` covers scenarios built from spending terms::

    y_s[c] = Σ_t  (Π_{f ∈ factors_t} v_{f,s}) · w_t[c] · vector_t

where ``vector_t`` (n,) is a term's spending by sector per unit of its weight, ``w_t`` (columns,)
spreads it over columns and ``v_{f,s}`` are draw ``s``'s values of the inputs it depends on (an
amount, a spending share ``("shares", i)``, a local share, …). Any object with ``columns`` and
``build(values, size)`` can stand in (the :class:`DemandModel` protocol).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from .distributions import UncertaintyError

Array = NDArray[np.float64]

#: A factor reference: a scalar input's name, or (vector input's name, component index).
FactorRef = str | tuple[str, int]


@runtime_checkable
class DemandModel(Protocol):
    """Builds the demand stack of a chunk of draws from the inputs' values.

    ``values[name]`` is (size,) for a scalar input or (size, k) for shares; the result has shape
    (size, len(columns), n) in table units. Must be a pure function of ``values``.
    """

    @property
    def columns(self) -> tuple[Any, ...]: ...

    def build(self, values: Mapping[str, Array], size: int) -> Array: ...


@dataclass(frozen=True, slots=True)
class DemandTerm:
    """One spending term: ``vector`` (n,) times the product of ``factors``, spread by ``weights``.

    ``weights`` has one entry per column of the :class:`LinearDemand` (e.g. ``[1, 0]`` for a
    construction term when the columns are ``("construction", "operations")``).
    """

    vector: NDArray[np.float64]  # any array-like is accepted and stored as a read-only array
    weights: NDArray[np.float64]
    factors: tuple[FactorRef, ...] = ()
    label: str = ""

    def __post_init__(self) -> None:
        vec = np.array(self.vector, dtype=float)
        w = np.array(self.weights, dtype=float).reshape(-1)
        if vec.ndim != 1 or not np.all(np.isfinite(vec)) or not np.all(np.isfinite(w)):
            raise UncertaintyError(
                f"demand term {self.label!r}: vector must be a finite 1-D array, weights finite"
            )
        vec.flags.writeable = False
        w.flags.writeable = False
        object.__setattr__(self, "vector", vec)
        object.__setattr__(self, "weights", w)
        refs: list[FactorRef] = []
        for ref in self.factors:
            if isinstance(ref, str):
                refs.append(ref)
            elif isinstance(ref, Sequence) and len(ref) == 2:
                refs.append((str(ref[0]), int(ref[1])))
            else:
                raise UncertaintyError(
                    f"demand term {self.label!r}: factor {ref!r} must be a name or (name, index)"
                )
        object.__setattr__(self, "factors", tuple(refs))


@dataclass(frozen=True, slots=True)
class LinearDemand:
    """Demand as a sum of :class:`DemandTerm` (see the module docstring)."""

    columns: tuple[Any, ...]
    terms: tuple[DemandTerm, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "terms", tuple(self.terms))
        if not self.columns:
            raise UncertaintyError("demand: give at least one column")
        sizes = {t.vector.shape[0] for t in self.terms}
        if len(sizes) > 1:
            raise UncertaintyError(f"demand: term vectors have different lengths {sorted(sizes)}")
        for t in self.terms:
            if t.weights.shape[0] != len(self.columns):
                raise UncertaintyError(
                    f"demand term {t.label!r}: {t.weights.shape[0]} weights for "
                    f"{len(self.columns)} columns {list(self.columns)}; give one per column"
                )

    @property
    def inputs(self) -> set[str]:
        """Names of the inputs the terms refer to."""
        return {r if isinstance(r, str) else r[0] for t in self.terms for r in t.factors}

    def build(self, values: Mapping[str, Array], size: int) -> Array:
        """(size, columns, n) demand: terms accumulated in order, element by element.

        Each draw's arithmetic is independent of the others (no BLAS reduction across terms), so
        a draw gets the same bits alone or in a chunk.
        """
        if not self.terms:
            raise UncertaintyError("demand: no spending terms")
        n = self.terms[0].vector.shape[0]
        out = np.zeros((size, len(self.columns), n))
        for t in self.terms:
            w = np.ones(size)
            for ref in t.factors:
                try:
                    v = values[ref] if isinstance(ref, str) else values[ref[0]][:, ref[1]]
                except (KeyError, IndexError):
                    raise UncertaintyError(
                        f"demand term {t.label!r}: no uncertain input {ref!r}; "
                        f"known: {sorted(values)}"
                    ) from None
                w = w * v
            out += (w[:, np.newaxis] * t.weights[np.newaxis, :])[:, :, np.newaxis] * t.vector
        return out
