"""The reader's results: immutable records with quotes, as JSON and as seed YAML.

A :class:`DraftRecord` is one announced investment (the ``seeds/*.yaml`` shape): investor,
partners, amounts (each with its quote and character span), period, places, countries, the
suggested spending pattern, claims, and what was stated vs assumed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import ImpactsimError
from .text import Span


class DraftError(ImpactsimError, ValueError):
    """The article cannot be read into records (empty, binary, too large, no amounts)."""


@dataclass(frozen=True)
class DraftAmount:
    """An announced amount: ``value`` in units of ``currency`` (ISO 4217)."""

    value: float
    currency: str
    qualifier: str  # about | more-than | up-to | exact
    span: Span
    restated: tuple[tuple[float, str, Span], ...] = ()
    part_of_previous: bool = False  # a sub-amount ("a specific allocation of $3 billion")
    low: float | None = None  # a stated range: its ends (``value`` is the midpoint)
    high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        out: dict[str, Any] = {
            "value": self.value,
            "currency": self.currency,
            "qualifier": self.qualifier,
            "span": self.span.to_dict(),
        }
        if self.restated:
            out["restated"] = [
                {"value": v, "currency": c, "span": s.to_dict()} for v, c, s in self.restated
            ]
        if self.part_of_previous:
            out["part_of"] = "the first amount of this record"
        if self.low is not None:
            out["low"], out["high"] = self.low, self.high
        return out


@dataclass(frozen=True)
class DraftPeriod:
    """Years of spending (``None`` when unstated) and the phrase as stated."""

    start: int | None
    end: int | None
    as_stated: str
    span: Span | None = None
    relative_years: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "start": self.start,
            "end": self.end,
            "as_stated": self.as_stated,
            "span": self.span.to_dict() if self.span else None,
        }


@dataclass(frozen=True)
class DraftClaim:
    """An effect claimed for an investment (GDP contribution, jobs, production inducement)."""

    measure: str  # employment | value_added | output | income
    value: float | None
    unit: str  # "jobs" or an ISO 4217 currency
    span: Span
    low: float | None = None
    high: float | None = None
    sentence: Span | None = None  # the sentence that makes the claim
    region: str | None = None  # ISO code of the economy the claim is about, if named
    basis: str | None = None  # "job-years" for counts of person-years (연인원, cumulative)

    @property
    def text(self) -> str:
        """The claim in the article's words (its sentence, at most 240 characters)."""
        s = " ".join((self.sentence or self.span).text.split())
        return s if len(s) <= 240 else s[:237] + "..."

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        out: dict[str, Any] = {
            "measure": self.measure,
            "value": self.value,
            "unit": self.unit,
            "span": self.span.to_dict(),
            "sentence": self.sentence.to_dict() if self.sentence else None,
            "region": self.region,
            "basis": self.basis,
        }
        if self.low is not None:
            out["low"], out["high"] = self.low, self.high
        return out


@dataclass(frozen=True)
class Assumption:
    """A value the text did not give: the field, the default used and why."""

    field: str
    value: Any
    why: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"field": self.field, "value": self.value, "why": self.why}


@dataclass(frozen=True)
class DraftRecord:
    """One announced investment read from the text (see the module docstring)."""

    id: str
    investor: str
    investor_span: Span | None
    partners: tuple[str, ...]
    amounts: tuple[DraftAmount, ...]
    period: DraftPeriod
    places: tuple[str, ...]
    countries: tuple[str, ...]
    pattern: str
    purpose: str
    claims: tuple[DraftClaim, ...]
    sentences: tuple[Span, ...]
    announced: dt.date | None
    background: bool  # announced before the article ("last month", "previously revealed")
    assumed: tuple[Assumption, ...] = ()
    place_spans: tuple[tuple[str, Span], ...] = ()  # first quote of each place
    included_in: str | None = None  # id of a record whose total contains this one
    includes: tuple[str, ...] = field(default_factory=tuple)
    provinces: tuple[str, ...] = ()  # Korean provinces of the places in Korea

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the ``--format json`` record)."""
        return {
            "id": self.id,
            "investor": self.investor,
            "investor_span": self.investor_span.to_dict() if self.investor_span else None,
            "partners": list(self.partners),
            "amounts": [a.to_dict() for a in self.amounts],
            "period": self.period.to_dict(),
            "places": list(self.places),
            "place_spans": [{"name": n, "span": s.to_dict()} for n, s in self.place_spans],
            "countries": list(self.countries),
            "provinces": list(self.provinces),
            "pattern": self.pattern,
            "purpose": self.purpose,
            "claims": [c.to_dict() for c in self.claims],
            "announced": self.announced.isoformat() if self.announced else None,
            "background": self.background,
            "assumed": [a.to_dict() for a in self.assumed],
            "included_in": self.included_in,
            "includes": list(self.includes),
            "quotes": [s.to_dict() for s in self.sentences],
        }

    def to_seed(self, *, source_file: str, source_date: dt.date) -> dict[str, Any]:
        """The record in the ``seeds/*.yaml`` shape (validates as
        :class:`impactsim.scenario.seeds.SeedRecord`)."""
        stated = [
            f"amount {a.span.text!r} (chars {a.span.start}-{a.span.end})" for a in self.amounts
        ]
        if self.period.span is not None:
            stated.append(f"period {self.period.as_stated!r}")
        if self.places:
            stated.append("places: " + ", ".join(self.places))
        overlaps = []
        if self.included_in:
            overlaps.append(
                {
                    "seed": self.included_in,
                    "relation": "included-in",
                    "note": "the text says the other total includes this investor",
                }
            )
        for other in self.includes:
            overlaps.append(
                {
                    "seed": other,
                    "relation": "includes",
                    "note": "the text says this total includes the other investor",
                }
            )
        return {
            "id": self.id,
            "title": _title(self),
            "announced": (self.announced.isoformat() if self.announced and not self.background
                          else None),
            "announced_as_stated": ("mentioned as an earlier announcement" if self.background
                                    else None),
            "investor": self.investor,
            "partners": list(self.partners),
            "amounts": [
                {"value": v, "currency": c, "qualifier": a.qualifier,
                 "scope": ("part of the first amount: " if a.part_of_previous else "")
                 + (f"the same amount restated in {c}: {q.text}" if q is not a.span
                    else f"as stated: {a.span.text}")}
                for a in self.amounts
                for v, c, q in [(a.value, a.currency, a.span), *a.restated]
            ],
            "period": {"start": self.period.start, "end": self.period.end,
                       "as_stated": self.period.as_stated},
            "countries": list(self.countries) or ["unknown"],
            "places": list(self.places),
            "purpose": self.purpose,
            "source": {"kind": "news report (draft read by impactsim draft)",
                       "date": source_date.isoformat(), "file": source_file,
                       "attributed_to": "the article (quotes in the draft scenario)"},
            "stated": stated,
            "assumed": [f"{a.field}: {a.value} ({a.why})" for a in self.assumed],
            "overlaps": overlaps,
            "claims": [
                {"id": _slug(f"{c.measure}-{i + 1}"), "claim": c.text,
                 "attributed_to": "as reported in the article"}
                for i, c in enumerate(self.claims)
            ],
        }  # fmt: skip


def _title(rec: DraftRecord) -> str:
    a = rec.amounts[0]
    where = f" in {', '.join(rec.places)}" if rec.places else ""
    q = "" if a.qualifier == "exact" else a.qualifier.replace("-", " ") + " "
    return f"{rec.investor}: {q}{a.currency} {human(a.value)}{where} (draft)"


def human(v: float) -> str:
    """``5e9`` → ``"5 bn"``, ``1.5e12`` → ``"1.5 tn"``, ``2.5e8`` → ``"250 m"``."""
    for scale, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if v >= scale:
            return f"{v / scale:,.4g} {word}"
    return f"{v:,.0f}"


def _slug(s: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")
    return s or "x"


def slug(s: str) -> str:
    """Lower-case ASCII slug (``[a-z0-9-]``) of ``s``; Hangul dropped, ``x`` if empty."""
    return _slug(s)


@dataclass(frozen=True)
class DraftResult:
    """What :func:`impactsim.scenario.draft.draft` read: records, the draft scenario and notes.

    Attributes
    ----------
    records : tuple[DraftRecord, ...]
        One per announced investment, in text order.
    announced : datetime.date or None
        The announcement date used (given, or read from a dateline).
    scenario_yaml : str or None
        The first draft scenario (validates with ``ims.Scenario.from_text``); ``None`` if no
        record could go into one (the reason is in ``notes``).
    notes : tuple[str, ...]
        What the reader skipped or could not place (claims, past spending, comparisons).
    skipped : tuple[dict, ...]
        Amounts not read as investments, each with its kind, value, currency, span and why.
    scenarios : tuple[tuple[str, str], ...]
        ``(name, YAML)`` of every draft scenario: one per announced investment (investor and
        place), each valid and runnable on its own.
    """

    records: tuple[DraftRecord, ...]
    announced: dt.date | None
    scenario_yaml: str | None
    notes: tuple[str, ...]
    skipped: tuple[dict[str, Any], ...] = ()
    scenarios: tuple[tuple[str, str], ...] = ()  # (name, YAML) per announced investment

    def to_json(self) -> dict[str, Any]:
        """``{"records": [...], "skipped": [...], "notes": [...]}``."""
        return {
            "records": [r.to_dict() for r in self.records],
            "announced": self.announced.isoformat() if self.announced else None,
            "skipped": list(self.skipped),
            "notes": list(self.notes),
        }

    def seeds(self, *, source_file: str = "article.txt") -> list[dict[str, Any]]:
        """The records as ``seeds/*.yaml`` mappings."""
        date = self.announced or dt.date.today()
        return [r.to_seed(source_file=source_file, source_date=date) for r in self.records]
