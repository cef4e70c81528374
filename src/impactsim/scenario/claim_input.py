"""A claim as published: the ``claims:`` entry of a scenario read into a :class:`Claim`.

A published figure names a measure ("jobs", "GDP", "economic effect"), a figure or a range
("more than 78,000", "up to X"), a unit with a scale word ("trillion KRW"), and sometimes a
phase, a basis (jobs in a year or job-years), a horizon ("over the next 30 years"), a currency
and price year, a region and the investments it is about. :func:`normalise_claim` reads them;
:mod:`impactsim.scenario.claims` sets the claim against the model.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..engine.measures import REGISTRY
from ..errors import ImpactsimError
from . import energy as physical


class ClaimError(ImpactsimError, ValueError):
    """A claim cannot be read (unknown measure, no value): the message names the claim and fix."""


@dataclass(frozen=True, slots=True)
class Claim:
    """One published figure, normalised from a scenario's ``claims:`` entry.

    ``low``/``high`` bound the claimed figure in ``unit`` as written (equal for a plain figure;
    ``high`` is ``inf`` for "more than X", ``low`` 0 for "up to X"); ``value`` is the figure
    itself when stated; ``phase`` is construction, operations or ``None`` (unstated);
    ``basis`` "job-years" when the unit says so; ``year`` the price year of a money claim;
    ``investments`` the investments the claim is about (empty: the whole scenario).
    """

    id: str
    text: str
    measure: str
    low: float
    high: float
    unit: str = ""
    value: float | None = None
    currency: str | None = None
    year: int | None = None
    phase: str | None = None
    basis: str | None = None
    region: str | None = None
    source: str = ""
    investments: tuple[str, ...] = ()
    horizon: int | None = None

    @property
    def mid(self) -> float:
        """Central claimed figure: the value, the midpoint of a range, or the bound of an open
        range ("more than X" → X, "up to X" → X)."""
        if self.value is not None:
            return self.value
        if math.isinf(self.high):
            return self.low
        if self.low == 0.0:
            return self.high
        return (self.low + self.high) / 2.0

    @property
    def scale(self) -> float:
        """Currency units (or persons) per unit as written: 1e9 for "billion USD"."""
        return unit_scale(self.unit)

    @property
    def is_money(self) -> bool:
        return REGISTRY.get_or_physical(self.measure).is_money


_SCALE_WORDS = (("trillion", 1e12), ("billion", 1e9), ("bn", 1e9), ("million", 1e6), ("mn", 1e6),
                ("thousand", 1e3))


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(obj, Mapping):
            if name in obj and obj[name] is not None:
                return obj[name]
        else:
            val = getattr(obj, name, None)
            if val is not None:
                return val
    return default


def unit_scale(unit: str) -> float:
    """Multiplier named by a claim's unit: "billion USD" → 1e9, "jobs" → 1."""
    words = unit.lower().replace("-", " ").split()
    for word, factor in _SCALE_WORDS:
        if word in words:
            return factor
    return 1.0


def normalise_claim(raw: Any, *, index: int = 0, where: str = "scenario") -> Claim:
    """A :class:`Claim` from a scenario's ``claims:`` entry (the scenario schema's ``Claim``
    model, or a mapping with the same fields).

    Fields read: ``id``, ``text``, ``measure``, ``phase`` (construction / operations /
    unspecified), ``value`` and/or ``low``/``high`` ("more than X" is ``low: X``; "up to X"
    ``high: X``), ``unit`` (a scale word such as "billion" multiplies the figures), ``currency``,
    ``price_year`` (default: the claim's ``date`` year), ``region``, ``investments`` and
    ``source``.
    """
    cid = str(_get(raw, "id", "name", default=f"claim-{index + 1}"))
    measure_raw = str(_get(raw, "measure", default="")).strip().lower()
    measure = REGISTRY.resolve(measure_raw) or (
        measure_raw if measure_raw in physical.CLAIM_MEASURES else None)  # docs/energy.md
    if measure is None:
        raise ClaimError(
            f"{where}: claims[{index}] ({cid}): measure {measure_raw!r} is not one of "
            f"{sorted([*REGISTRY.claimable(), *physical.CLAIM_MEASURES])}; fix: name what the "
            "figure counts"
        )
    unit = str(_get(raw, "unit", default="") or "")
    value, low, high = (_get(raw, k) for k in ("value", "low", "high"))
    if value is None and low is None and high is None:
        raise ClaimError(f"{where}: claims[{index}] ({cid}): no figure; fix: give value: or "
                         "low:/high:")
    lo = float(low) if low is not None else (float(value) if value is not None and high is None
                                              else 0.0)
    hi = float(high) if high is not None else (float(value) if value is not None and low is None
                                               else math.inf)
    if lo > hi:
        lo, hi = hi, lo
    phase = _get(raw, "phase")
    phase = None if phase in (None, "", "unspecified", "total", "all") else str(phase)
    year = _int_or_none(_get(raw, "price_year", "year"))
    if year is None:
        date = _get(raw, "date")
        year = getattr(date, "year", None) if date is not None else None
    invs = _get(raw, "investments", default=()) or ()
    basis = "job-years" if measure_raw in ("job_years", "job-years") or "job-year" in unit else None
    stated_basis = _get(raw, "basis")
    if stated_basis not in (None, "", "unspecified"):
        basis = str(stated_basis)
    return Claim(
        id=cid,
        text=str(_get(raw, "text", default=cid)),
        measure=measure,
        low=lo,
        high=hi,
        unit=unit,
        currency=_get(raw, "currency"),
        year=year,
        phase=phase,
        basis=basis,
        region=_get(raw, "region"),
        source=_source_text(_get(raw, "source")),
        investments=tuple(str(i) for i in invs),
        value=float(value) if value is not None else None,
        horizon=_int_or_none(_get(raw, "horizon_years")),
    )


def _source_text(src: Any) -> str:
    if src is None:
        return ""
    if isinstance(src, str):
        return src
    parts = [str(_get(src, k)) for k in ("publisher", "title", "name", "url", "date")
             if _get(src, k) is not None]
    return ", ".join(parts) if parts else str(src)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
