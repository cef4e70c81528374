"""Spending patterns: named, versioned bridges from spending categories to table sectors.

A pattern splits one amount into categories (``share``, summing to 1) and each category into
table sectors, separately for each sector classification it knows (``bok-2020`` for the Korea
table, ``wiod-2013`` for the world table)::

    categories:
      memory-chips:
        share: {value: 0.07, range: [0.05, 0.09]}
        basis: DER
        source: "docs/sources.md#epoch-ai-2026: HBM ~6 % of all-in capex ..."
        sectors:
          bok-2020: {310-MEM: 1.0}
          wiod-2013: {c14: 1.0}

``kind: spending`` patterns are purchases: each category's domestic part is found with a local
share (by default the table's domestic-supply share of the product for the pattern's ``demand``
category, e.g. private GFCF). ``kind: output`` patterns are industry-output changes of the
operating sector (the IMPLAN "industry output" event): the site is in the region, so the local
share is 1. A category with ``excluded:`` (e.g. land) creates no demand and is reported as such.

Bundled patterns live in ``impactsim/scenario/patterns/*.yaml``; users pass a file path or write
the same mapping inline in a scenario.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, PrivateAttr, ValidationError, field_validator, model_validator

from ..errors import ScenarioError
from .loading import SourceMap, load_yaml_file, load_yaml_text, validation_error
from .values import ShareValue, StrictModel, _fix

if TYPE_CHECKING:  # pragma: no cover - annotations only (validating needs no pandas)
    import pandas as pd

SLUG = r"^[a-z0-9][a-z0-9._-]*$"
#: Relative tolerance for shares that must sum to 1 (they are then rescaled to sum exactly 1).
SHARE_TOLERANCE = 5e-4


def check_sum(shares: dict[str, float], *, what: str) -> None:
    """Raise ValueError (with a fix) unless the shares sum to 1 within :data:`SHARE_TOLERANCE`."""
    total = sum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        biggest = max(shares, key=lambda k: shares[k]) if shares else "?"
        raise _fix(
            f"{what} sum to {total:.6g}, not 1",
            f"adjust them so they add up to 1 (e.g. set '{biggest}' to "
            f"{shares.get(biggest, 0) + 1 - total:.4g})",
        )


class PatternCategory(StrictModel):
    """One spending category: its share, its sectors per classification, its local share."""

    share: ShareValue
    basis: Literal["OFF", "IND", "DER", "assumption"]
    source: str = Field(min_length=1)
    description: str | None = None
    sectors: dict[str, dict[str, ShareValue]] = Field(default_factory=dict)
    local_share: ShareValue | None = None
    excluded: str | None = None
    #: The operating site's own activity (its staff): a scenario's ``direct_jobs`` replace the
    #: table's direct jobs in this category's sectors (for ``kind: output`` patterns, in all).
    site: bool = False
    #: Price index that deflates this category (scenario ``money.price_index: by-category``);
    #: default by the category's sectors (docs/scenarios.md, Money).
    price_index: Literal["construction-cost", "ppi", "gdp-deflator", "electricity"] | None = None
    #: How the category's domestic part reaches the economy: ``purchase`` (bought by the
    #: investor, the rest imported) or ``exports``: Korean content of imported equipment (e.g.
    #: HBM inside imported accelerators), made at home, exported and bought back inside the
    #: foreign product; its ``local_share`` is the share made at home, and its demand is kept
    #: as its own line (``channel`` in the audit trail and ledger).
    channel: Literal["purchase", "exports"] = "purchase"
    #: Whether the goods are bought through domestic distribution, carrying the table's trade
    #: and transport margins of the pattern's demand (:mod:`impactsim.scenario.margins`);
    #: ``false`` for goods bought directly from their maker (only the goods' price is paid).
    margins: bool = True

    @model_validator(mode="after")
    def _bridges(self) -> PatternCategory:
        if self.channel == "exports" and (self.local_share is None or self.excluded is not None):
            raise _fix(
                "a `channel: exports` category needs `local_share:` (the share of it made at "
                "home) and cannot be `excluded:`",
                "add `local_share: {value: <share>, range: [<low>, <high>]}` with its source",
            )
        if self.excluded is not None:
            if self.sectors:
                raise _fix(
                    "an `excluded:` category cannot also list sectors",
                    "remove `sectors:` (excluded spending creates no demand) or remove `excluded:`",
                )
            return self
        if not self.sectors:
            raise _fix(
                "category has no `sectors:`",
                "add `sectors: {bok-2020: {<code>: 1.0}}`, or `excluded: <reason>`",
            )
        for cls, split in self.sectors.items():
            if not split:
                raise _fix(f"sectors for '{cls}' are empty", "list at least one sector")
            check_sum({k: v.value for k, v in split.items()}, what=f"sector shares for '{cls}'")
        return self

    def split(self, classification: str) -> dict[str, float]:
        """Sector shares for a classification, rescaled to sum exactly 1."""
        raw = {k: v.value for k, v in self.sectors[classification].items()}
        total = sum(raw.values())
        return {k: v / total for k, v in raw.items()}


class Pattern(StrictModel):
    """A spending pattern (see the module docstring); shares are validated to sum to 1."""

    name: str = Field(pattern=SLUG)
    version: int = Field(ge=1)
    title: str = Field(min_length=1)
    description: str = ""
    kind: Literal["spending", "output"]
    demand: str = "gfcf_private"
    share_concentration: float = Field(default=200.0, gt=0)
    sources: dict[str, str] = Field(default_factory=dict)
    categories: dict[str, PatternCategory] = Field(min_length=1)

    _source: SourceMap = PrivateAttr(default_factory=SourceMap)

    @field_validator("categories")
    @classmethod
    def _sum(cls, cats: dict[str, PatternCategory]) -> dict[str, PatternCategory]:
        check_sum({k: c.share.value for k, c in cats.items()}, what="category shares")
        return cats

    @property
    def source_map(self) -> SourceMap:
        """Where this pattern was read from (file and lines), for error messages."""
        return self._source

    @property
    def classifications(self) -> list[str]:
        """Sector classifications the pattern bridges to, in first-seen order."""
        seen: list[str] = []
        for cat in self.categories.values():
            for cls in cat.sectors:
                if cls not in seen:
                    seen.append(cls)
        return seen

    @property
    def has_site(self) -> bool:
        """Whether ``direct_jobs`` can apply: an output pattern or a ``site: true`` category."""
        return self.kind == "output" or any(c.site for c in self.categories.values())

    def shares(self) -> dict[str, float]:
        """Category shares rescaled to sum exactly 1."""
        raw = {k: c.share.value for k, c in self.categories.items()}
        total = sum(raw.values())
        return {k: v / total for k, v in raw.items()}

    @property
    def label(self) -> str:
        """``name@version``."""
        return f"{self.name}@{self.version}"


def _bundle() -> resources.abc.Traversable:
    return resources.files("impactsim.scenario").joinpath("patterns")


@lru_cache(maxsize=1)
def bundled_names() -> tuple[str, ...]:
    """Names of the bundled patterns."""
    return tuple(
        sorted(p.name[: -len(".yaml")] for p in _bundle().iterdir() if p.name.endswith(".yaml"))
    )


def _from_data(data: object, source: SourceMap) -> Pattern:
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{source.where()}: a pattern must be a mapping (name:, version:, categories: ...); "
            "fix: see docs/scenarios.md, 'Spending patterns'"
        )
    try:
        pat = Pattern.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source, data=data, allowed_keys=pattern_keys) from None
    pat._source = source
    return pat


@lru_cache(maxsize=32)
def _bundled(name: str) -> Pattern:
    entry = _bundle().joinpath(f"{name}.yaml")
    data, source = load_yaml_text(entry.read_text(encoding="utf-8"), file=f"<bundled>/{name}.yaml")
    pat = _from_data(data, source)
    if pat.name != name:
        raise ScenarioError(
            f"{source.where(('name',))}: bundled pattern name {pat.name!r} != {name!r}"
        )
    return pat


def load_pattern(ref: str, *, base_dir: str | Path | None = None) -> Pattern:
    """A pattern by bundled name (``ai-data-centre-capex``) or by path to a YAML file.

    Relative paths are resolved against ``base_dir`` (the scenario file's folder).
    """
    ref = ref.strip()
    if ref in bundled_names():
        return _bundled(ref)
    if ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref:
        path = Path(ref)
        if not path.is_absolute() and base_dir is not None:
            path = Path(base_dir) / path
        if not path.is_file():
            raise _fix(
                f"pattern file '{path}' not found", "check the path (relative to the scenario)"
            )
        data, source = load_yaml_file(path)
        return _from_data(data, source)
    near = difflib.get_close_matches(ref, bundled_names(), n=1)
    hint = f"did you mean '{near[0]}'? " if near else ""
    raise _fix(
        f"unknown spending pattern '{ref}'",
        f"{hint}use one of {', '.join(bundled_names())}, a path to a .yaml file, or an "
        "inline mapping",
    )


def pattern_from_dict(data: object, source: SourceMap | None = None) -> Pattern:
    """Validate an inline pattern (a mapping as in a pattern file)."""
    return _from_data(data, source or SourceMap(file="<inline pattern>"))


def list_patterns() -> pd.DataFrame:
    """The bundled patterns: name, version, kind, title, categories, classifications."""
    import pandas as pd

    rows = []
    for name in bundled_names():
        p = _bundled(name)
        rows.append(
            {
                "name": p.name,
                "version": p.version,
                "kind": p.kind,
                "title": p.title,
                "categories": ", ".join(p.categories),
                "classifications": ", ".join(p.classifications),
            }
        )
    return pd.DataFrame(rows).set_index("name")


def get_pattern(name: str) -> Pattern:
    """A bundled pattern by name (raises :class:`ScenarioError` naming the known ones)."""
    try:
        return load_pattern(name)
    except ValueError as exc:
        raise ScenarioError(str(exc)) from None


def pattern_keys(loc: tuple[str | int, ...]) -> list[str]:
    """Allowed keys at a location of a pattern document (for unknown-key messages)."""
    if not loc:
        return list(Pattern.model_fields)
    if len(loc) == 2 and loc[0] == "categories":
        return list(PatternCategory.model_fields)
    return []
