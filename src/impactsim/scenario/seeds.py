"""Seed records: one structured record per investment announcement (``seeds/*.yaml``).

A seed says what was announced, in the project's own words: investor and partners, amounts and
how they were qualified ("more than"), currency, period, places, purpose, the source and its
date, what was stated and what scenarios have to assume, overlaps with other announcements (so
scenarios do not count money twice) and the claims made about effects. Scenarios point at seeds
with ``seeds:`` and ``investments[].seed``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from ..errors import ScenarioError
from .loading import load_yaml_file, validation_error
from .patterns import SLUG
from .values import Qualifier, StrictModel, _fix


class SeedAmount(StrictModel):
    """An amount as announced."""

    value: float = Field(ge=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    qualifier: Qualifier = "exact"
    scope: str = Field(min_length=1)


class SeedPeriod(StrictModel):
    """When the money is to be spent (years, either end may be unstated)."""

    start: int | None = None
    end: int | None = None
    as_stated: str = Field(min_length=1)

    @model_validator(mode="after")
    def _order(self) -> SeedPeriod:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise _fix(f"period {self.start}–{self.end} is reversed", "swap start and end")
        return self


class SeedSource(StrictModel):
    """Where the announcement was reported."""

    kind: str = Field(min_length=1)
    date: dt.date
    file: str = Field(min_length=1)
    attributed_to: str = Field(min_length=1)


class SeedOverlap(StrictModel):
    """How this announcement relates to another one."""

    seed: str = Field(pattern=SLUG)
    relation: Literal["included-in", "includes", "separate-from", "overlaps"]
    note: str = Field(min_length=1)


class SeedClaim(StrictModel):
    """A claim about effects made with the announcement."""

    id: str = Field(pattern=SLUG)
    claim: str = Field(min_length=1)
    attributed_to: str = Field(min_length=1)


class SeedRecord(StrictModel):
    """One announcement (see the module docstring)."""

    id: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    announced: dt.date | None = None
    announced_as_stated: str | None = None
    investor: str = Field(min_length=1)
    partners: list[str] = Field(default_factory=list)
    amounts: list[SeedAmount] = Field(min_length=1)
    period: SeedPeriod
    countries: list[str] = Field(min_length=1)
    places: list[str] = Field(default_factory=list)
    purpose: str = Field(min_length=1)
    source: SeedSource
    stated: list[str] = Field(min_length=1)
    assumed: list[str] = Field(default_factory=list)
    overlaps: list[SeedOverlap] = Field(default_factory=list)
    claims: list[SeedClaim] = Field(default_factory=list)


def load_seed(path: str | Path) -> SeedRecord:
    """Read and validate one seed file; raises :class:`ScenarioError` (file, line, field, fix)."""
    data, source = load_yaml_file(path)
    if not isinstance(data, dict):
        raise ScenarioError(f"{source.where()}: a seed must be a mapping; fix: see seeds/*.yaml")
    try:
        rec = SeedRecord.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source, data=data) from None
    if rec.id != Path(path).stem:
        raise ScenarioError(
            f"{source.where(('id',))}: id: '{rec.id}' differs from the file name "
            f"'{Path(path).stem}'; fix: make them equal"
        )
    return rec


def load_seeds(folder: str | Path) -> dict[str, SeedRecord]:
    """Every seed in a folder by id; overlaps must name seeds of the same folder."""
    seeds = {p.stem: load_seed(p) for p in sorted(Path(folder).glob("*.yaml"))}
    for rec in seeds.values():
        for ov in rec.overlaps:
            if ov.seed not in seeds:
                raise ScenarioError(
                    f"{Path(folder) / (rec.id + '.yaml')}: overlaps: unknown seed '{ov.seed}'; "
                    f"fix: use one of {sorted(seeds)}"
                )
    return seeds
