"""The scenario schema (pydantic v2): what a scenario file may say, validated on load.

Structure (docs/scenarios.md has the full reference)::

    Scenario
      name, title, description, seeds, table, region, currency, price_year, money, model, notes
      investments[]: name, investor, partners, seed, places, region | regions, overlaps
        construction: amount, period, profile, pattern, shares, local_share, price_index,
                      delay_years
        operations:   annual_amount, period, ramp, pattern, shares, local_share, direct_jobs, ...
      claims[]:       id, text, measure, phase, value | low/high, unit, region, source, date
      uncertainty:    draws, seed, quantiles, share_concentration, table_coefficients,
                      employment_coefficients

Everything that is only known relative to a table (sector codes, regions, final-demand
categories) is checked when the scenario is translated (:mod:`impactsim.scenario.shocks`), with
the same
file-and-line messages.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..datasets.catalog import catalog_currency, is_table_path
from ..errors import ScenarioError
from . import money
from .capacity import Capacity, EnergySettings
from .loading import SourceMap, load_yaml_file, load_yaml_text, validation_error
from .patterns import SLUG, Pattern, check_sum, load_pattern, pattern_from_dict
from .values import (
    EXCHANGE_RATE_BOUNDS,
    PRICE_FACTOR_BOUNDS,
    AmountValue,
    DelayValue,
    Distribution,
    NonNegativeValue,
    Share,
    ShareValue,
    StrictModel,
    _fix,
    check_multiplier,
    check_year_keys,
)

YEAR_MIN, YEAR_MAX = 1950, 2100

Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]

#: The phases an investment states in a scenario file (sustaining capex is stated inside
#: ``operations.sustaining`` and reported as its own phase: the registry's ``PHASES``).
FILE_PHASES = ("construction", "operations")


def _resolve_pattern(value: Any, info: ValidationInfo) -> Any:
    """A pattern reference (bundled name or path) or inline mapping → :class:`Pattern`."""
    if isinstance(value, Pattern):
        return value
    base = (info.context or {}).get("base_dir")
    if isinstance(value, str):
        return load_pattern(value, base_dir=base)
    if isinstance(value, dict):
        try:
            return pattern_from_dict(value)
        except ScenarioError as exc:
            # re-anchor inner messages on the scenario: strip the "<inline pattern>: " prefix
            msg = str(exc).split(": ", 1)[-1]
            raise ValueError(msg) from None
    raise _fix(
        f"a pattern must be a name, a file path or a mapping, not {type(value).__name__}",
        "write e.g. `pattern: ai-data-centre-capex`",
    )


PatternRef = Annotated[
    Pattern, BeforeValidator(_resolve_pattern, json_schema_input_type=str | Pattern)
]


class _Phase(StrictModel):
    """Fields shared by construction and operations."""

    pattern: PatternRef
    shares: dict[str, ShareValue] = Field(default_factory=dict)
    local_share: dict[str, ShareValue] = Field(
        default_factory=dict,
        description="Share of each category supplied inside the table's economy (on a Korean "
        "table: supplied in Korea, also when the investment is in a province — the province's "
        "part follows from the two-region model, docs/regions.md).",
    )
    provincial_share: dict[str, ShareValue] = Field(
        default_factory=dict,
        description="Share of each category's Korean-supplied part bought in the investment's "
        "province (provincial runs only; default: the FLQ purchase coefficient, docs/regions.md).",
    )
    price_index: Literal["gdp-deflator", "ppi", "construction-cost"] | None = None
    delay_years: DelayValue | None = None
    note: str | None = None

    @field_validator("shares")
    @classmethod
    def _shares(cls, v: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        pat = info.data.get("pattern")
        if pat is None or not v:
            return v
        _known_categories(v, pat, "shares")
        merged = {k: c.share.value for k, c in pat.categories.items()}
        merged.update({k: s.value for k, s in v.items()})
        check_sum(merged, what=f"category shares of '{pat.name}' after your overrides")
        return v

    @field_validator("local_share", "provincial_share")
    @classmethod
    def _local(cls, v: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        pat = info.data.get("pattern")
        name = str(info.field_name)
        if pat is not None and v:
            _known_categories(v, pat, name)
            for k in v:
                if pat.categories[k].excluded is not None:
                    raise _fix(
                        f"{name}: category '{k}' is excluded ({pat.categories[k].excluded})",
                        f"remove '{k}' from {name}",
                    )
        return v

    def category_shares(self) -> dict[str, float]:
        """The pattern's category shares with the scenario's overrides, rescaled to sum 1."""
        merged = {k: c.share.value for k, c in self.pattern.categories.items()}
        merged.update({k: s.value for k, s in self.shares.items()})
        total = sum(merged.values())
        return {k: v / total for k, v in merged.items()}


def _known_categories(v: dict[str, Any], pat: Pattern, what: str) -> None:
    import difflib

    for k in v:
        if k not in pat.categories:
            near = difflib.get_close_matches(k, list(pat.categories), n=1)
            hint = f"did you mean '{near[0]}'? " if near else ""
            raise _fix(
                f"{what}: '{k}' is not a category of pattern '{pat.name}'",
                f"{hint}categories are {', '.join(pat.categories)}",
            )


def _period(v: tuple[int, int]) -> tuple[int, int]:
    start, end = v
    if end < start:
        raise _fix(
            f"period [{start}, {end}] is reversed (ends before it starts)",
            f"write [{end}, {start}]",
        )
    return v


class Construction(_Phase):
    """Capital spending: ``amount`` spread over ``period`` by ``profile``; effects in job-years."""

    amount: AmountValue
    period: tuple[Year, Year]
    profile: Literal["even", "front-loaded", "back-loaded", "s-curve"] | dict[Year, float] = "even"

    _p = field_validator("period")(_period)
    _y = field_validator("profile", mode="before")(check_year_keys)

    @model_validator(mode="after")
    def _explicit(self) -> Construction:
        if isinstance(self.profile, dict):
            years = sorted(self.profile)
            if not years:
                raise _fix("profile: no years given", "give year: share pairs, or `profile: even`")
            outside = [y for y in years if not self.period[0] <= y <= self.period[1]]
            if outside:
                raise _fix(
                    f"profile years {outside} fall outside the period {list(self.period)}",
                    "widen the period or move the years inside it",
                )
            if any(s < 0 for s in self.profile.values()):
                raise _fix("profile: a year has a negative share", "use shares >= 0")
            check_sum({str(k): s for k, s in self.profile.items()}, what="profile shares")
        return self


class Sustaining(_Phase):
    """Sustaining capital spending during operation (e.g. an IT refresh), under ``operations:``.

    ``amount`` is the cost of replacing all of the equipment once, every ``cycle_years`` (e.g.
    servers every 5 years). Each tranche of equipment (the construction profile's share of each
    year; without construction, the operations ramp's increments) is replaced when its cycle
    ends, counted from the year it was installed, until operation ends
    (:mod:`impactsim.scenario.refresh`). Its own phase, ``sustaining``: capital spending
    reported apart from running costs, a total over the years of operation.
    """

    amount: AmountValue
    cycle_years: float = Field(gt=0, le=100)


class Operations(_Phase):
    """Operating activity: ``annual_amount`` per year at full operation over ``period``.

    ``ramp`` gives the fraction of full operation in early years (default 1 for every year);
    ``direct_jobs`` replaces the table's direct employment of the operating sector (output
    patterns only). Effects are per year: jobs, not job-years.
    """

    annual_amount: AmountValue
    period: tuple[Year, Year]
    ramp: dict[Year, float] = Field(default_factory=dict)
    direct_jobs: NonNegativeValue | None = None
    sustaining: Sustaining | None = None

    _p = field_validator("period")(_period)
    _y = field_validator("ramp", mode="before")(check_year_keys)

    @model_validator(mode="after")
    def _checks(self) -> Operations:
        outside = [y for y in self.ramp if not self.period[0] <= y <= self.period[1]]
        if outside:
            raise _fix(
                f"ramp years {sorted(outside)} fall outside the period {list(self.period)}",
                "move them inside the period",
            )
        bad = [y for y, f in self.ramp.items() if not 0.0 <= f <= 1.0]
        if bad:
            raise _fix(
                f"ramp fractions for {sorted(bad)} are outside [0, 1]", "use 0..1 of full operation"
            )
        if self.direct_jobs is not None and not self.pattern.has_site:
            raise _fix(
                f"direct_jobs needs an output pattern or a pattern with a `site: true` category "
                f"(the site's own staff), but '{self.pattern.name}' has neither",
                "use pattern: data-centre-operations, or remove direct_jobs",
            )
        return self


class Investment(StrictModel):
    """One announced investment: who, where, and its construction and/or operations phases."""

    name: str = Field(pattern=SLUG)
    investor: str = Field(min_length=1)
    partners: list[str] = Field(default_factory=list)
    seed: str | None = None
    places: list[str] = Field(default_factory=list)
    description: str | None = None
    region: str | None = None
    regions: dict[str, ShareValue] | None = None
    overlaps: str | None = None
    construction: Construction | None = None
    operations: Operations | None = None
    #: The site's power, water and grid (docs/energy.md); gives the physical account.
    capacity: Capacity | None = None

    @model_validator(mode="after")
    def _checks(self) -> Investment:
        if self.construction is None and self.operations is None:
            raise _fix("no phase given", "add `construction:` and/or `operations:`")
        if self.region is not None and self.regions is not None:
            raise _fix("both `region` and `regions` given", "keep one (regions: splits the amount)")
        if self.regions is not None:
            if not self.regions:
                raise _fix("regions: is empty", "list region: share pairs")
            check_sum({k: s.value for k, s in self.regions.items()}, what="region shares")
        return self

    def region_shares(self, default: str) -> dict[str, float]:
        """Region → share of the amount (rescaled to sum 1); ``default`` when none given."""
        if self.regions:
            total = sum(s.value for s in self.regions.values())
            return {k: s.value / total for k, s in self.regions.items()}
        return {self.region or default: 1.0}


class Claim(StrictModel):
    """A published figure to compare the model with (see :mod:`impactsim.scenario.claims`)."""

    id: str = Field(pattern=SLUG)
    text: str = Field(min_length=1)
    measure: Literal["employment", "income", "value_added", "output", "imports",
                     # the physical account (docs/energy.md)
                     "electricity_gwh", "peak_mw", "emissions_location_t",
                     "emissions_market_t", "water_m3", "renewable_share"]
    phase: Literal["construction", "operations", "unspecified"] = "unspecified"
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = Field(min_length=1)
    currency: str | None = None
    price_year: Year | None = None
    region: str | None = None
    investments: list[str] = Field(default_factory=list)
    source: str = Field(min_length=1)
    date: dt.date | None = None
    note: str | None = None
    #: What the figure counts over time: ``in-a-year`` (people at work / money in one year),
    #: ``cumulative`` (summed over years; job-years for jobs) or ``unspecified`` (jobs are then
    #: read as jobs in a year, money as cumulative; docs/scenarios.md, Claims).
    basis: Literal["in-a-year", "cumulative", "job-years", "unspecified"] = "unspecified"
    #: Years the claim counts, from the first modelled year (e.g. "over the next 30 years").
    horizon_years: int | None = Field(default=None, ge=1, le=100)

    @model_validator(mode="after")
    def _checks(self) -> Claim:
        if self.value is None and self.low is None and self.high is None:
            raise _fix("a claim needs a figure", "give `value:` or `low:`/`high:`")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise _fix(f"low {self.low:g} > high {self.high:g}", "swap low and high")
        return self


class MoneySettings(StrictModel):
    """Overrides of the shipped exchange rates and price indices (scenario level)."""

    exchange_rate: float | None = Field(default=None, gt=0)
    exchange_rate_year: Year | None = None
    price_index: Literal["gdp-deflator", "ppi", "construction-cost", "by-category"] = (
        "gdp-deflator"
    )
    price_factor: float | None = Field(default=None, gt=0)
    note: str | None = None
    #: ``constant``: amounts are in money of ``price_year``; ``nominal``: a construction total
    #: is in the money of the years it is spent (each year deflated with that year's index).
    amounts: Literal["constant", "nominal"] = "constant"

    @field_validator("exchange_rate", "price_factor")
    @classmethod
    def _plausible(cls, v: float | None, info: ValidationInfo) -> float | None:
        bounds = EXCHANGE_RATE_BOUNDS if info.field_name == "exchange_rate" else PRICE_FACTOR_BOUNDS
        return check_multiplier(v, what=str(info.field_name), bounds=bounds)


class ModelSettings(StrictModel):
    """How the model is closed for induced effects."""

    household_leakage: ShareValue = Field(default_factory=lambda: Share(value=0.0))
    #: How households are closed for induced effects: from disposable income (compensation
    #: less employers' and employees' contributions, income tax and saving; sourced rates in
    #: impactsim/datasets/data/money/household_rates.csv) or the table's compensation ratio
    #: (the old closure).
    household_closure: Literal["disposable-income", "compensation"] = "disposable-income"
    note: str | None = None
    #: Jobs per unit of real output by sector group and year (scenario/productivity.py):
    #: ``bok-direct`` (default) the direct coefficients of the 2020 and 2023 BOK tables, damped
    #: after 2023; ``bok-trend`` BOK's employment-inducement series; ``none`` the table year's.
    productivity: Literal["bok-direct", "bok-trend", "none"] = "bok-direct"

    @field_validator("household_leakage")
    @classmethod
    def _below_one(cls, v: Any) -> Any:
        if v.value >= 1.0 or v.support()[1] >= 1.0:
            raise _fix("household_leakage must stay below 1", "use a share in [0, 1)")
        return v


class AppraisalSettings(StrictModel):
    """How gross effects become an appraisal (``appraisal:``; see :mod:`impactsim.scenario.
    appraisal` and docs/appraisal.md). Every field is optional.

    ``scope``: the geography the appraisal is for — ``national`` (default), ``province`` or
    ``local`` (a local area); it sets the defaults of ``deadweight`` (share of the gross effect
    that would have happened anyway) and ``displacement`` (share of the rest taken from other
    activity inside the same geography), each sourced with a range
    (:data:`impactsim.scenario.appraisal.ADDITIONALITY_DEFAULTS`); a stated value wins.
    ``discount_rate``: real rate for present values, default 4.5 % (Korea's social discount rate
    for preliminary feasibility studies since 2017); ``base_year`` (default: the scenario's
    price year) is the year values are discounted to and whose constant prices money is shown
    in; ``timing``: ``end-year`` (default: a year's flow is discounted by ``(1 + r)^(t − t₀)``)
    or ``mid-year`` (by ``(1 + r)^(t − t₀ + 0.5) / (1 + r)``, i.e. half a year earlier).
    ``foreign_ownership``: share of the investor's own operating surplus owned abroad, removed
    for GNI.
    """

    scope: Literal["national", "province", "local"] = "national"
    deadweight: ShareValue | None = None
    displacement: ShareValue | None = None
    discount_rate: float = Field(default=0.045, ge=0.0, lt=1.0)
    base_year: Year | None = None
    timing: Literal["end-year", "mid-year"] = "end-year"
    foreign_ownership: ShareValue = Field(default_factory=lambda: Share(value=0.0))
    source: str | None = None
    note: str | None = None

    @field_validator("deadweight", "displacement")
    @classmethod
    def _below_one(cls, v: Any) -> Any:
        if v is not None and v.value >= 1.0:
            raise _fix("a share of 1 or more leaves no net effect", "use a share in [0, 1)")
        return v


class Perturbation(StrictModel):
    """A relative perturbation of every table coefficient: ``a_ij × (1 + ε_ij)``."""

    relative: float = Field(gt=0, lt=1)
    distribution: Literal["uniform", "normal", "lognormal"] = "uniform"


class UncertaintySettings(StrictModel):
    """How many draws, the seed and the scenario-wide uncertain inputs (sampled per draw).

    Per-input distributions sit next to the inputs (amount, shares, local_share, direct_jobs,
    delay_years, regions); here: Dirichlet concentration for spending shares, a relative
    perturbation of the table's coefficients and a factor on employment per unit of output.
    """

    draws: int = Field(default=1000, ge=1, le=10_000_000)
    seed: int | None = Field(default=None, ge=0)
    quantiles: tuple[float, ...] = (0.05, 0.5, 0.95)
    share_concentration: float | None = Field(default=None, gt=0)
    table_coefficients: Perturbation | None = None
    employment_coefficients: Distribution | None = None

    @field_validator("quantiles")
    @classmethod
    def _q(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if not v or any(not 0.0 < q < 1.0 for q in v) or list(v) != sorted(set(v)):
            raise _fix(
                "quantiles must be increasing and strictly between 0 and 1",
                "e.g. [0.05, 0.5, 0.95]",
            )
        return v

    @field_validator("employment_coefficients")
    @classmethod
    def _positive(cls, v: Any) -> Any:
        if v is not None and v.support()[0] < 0:
            raise _fix(
                "employment_coefficients factor can go negative", "use a factor >= 0 (e.g. 0.8–1.2)"
            )
        return v


class Scenario(StrictModel):
    """A validated scenario. Build it with :meth:`from_yaml` (or :meth:`from_dict`)."""

    schema_version: Literal[1] = 1
    name: str = Field(pattern=SLUG)
    title: str = Field(min_length=1)
    description: str | None = None
    seeds: list[str] = Field(default_factory=list)
    table: str = Field(min_length=1)
    region: str | None = None
    money: MoneySettings = Field(default_factory=MoneySettings)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    price_year: Year
    model: ModelSettings = Field(default_factory=ModelSettings)
    investments: list[Investment] = Field(min_length=1)
    claims: list[Claim] = Field(default_factory=list)
    uncertainty: UncertaintySettings | None = None
    notes: list[str] = Field(default_factory=list)
    appraisal: AppraisalSettings | None = None
    energy: EnergySettings | None = None

    _source: SourceMap = PrivateAttr(default_factory=SourceMap)
    _base_dir: Path | None = PrivateAttr(default=None)

    @field_validator("currency", mode="before")
    @classmethod
    def _upper(cls, v: Any) -> Any:
        return v.strip().upper() if isinstance(v, str) else v

    @field_validator("currency")
    @classmethod
    def _known(cls, v: str, info: ValidationInfo) -> str:
        settings = info.data.get("money")
        base = (info.context or {}).get("base_dir")
        if _table_currency_matches(info.data.get("table"), v, base):
            return v  # amounts in the table's own currency need no rate
        if (
            settings is None or settings.exchange_rate is None
        ) and v not in money.known_currencies():
            raise _fix(
                f"currency '{v}' has no shipped exchange rate",
                f"use one of {', '.join(sorted(money.known_currencies()))}, or give "
                "money.exchange_rate (table currency per unit)",
            )
        return v

    @model_validator(mode="after")
    def _checks(self) -> Scenario:
        names = [i.name for i in self.investments]
        dup = sorted(n for n, count in Counter(names).items() if count > 1)
        seen = set(names)
        if dup:
            raise _fix(
                f"investment names {dup} are used twice", "give every investment its own name"
            )
        for c in self.claims:
            unknown = [n for n in c.investments if n not in seen]
            if unknown:
                raise _fix(f"claim '{c.id}' names unknown investments {unknown}", f"use {names}")
        return self

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_yaml(cls, path: str | Path) -> Scenario:
        """Load and validate a scenario file; raises :class:`ScenarioError` naming file, line,
        field and fix."""
        data, source = load_yaml_file(path)
        return cls._build(data, source, base_dir=Path(path).parent)

    @classmethod
    def from_text(
        cls, text: str, *, file: str = "<string>", base_dir: str | Path | None = None
    ) -> Scenario:
        """Validate a scenario given as YAML text (``file`` names it in messages)."""
        data, source = load_yaml_text(text, file=file)
        return cls._build(data, source, base_dir=base_dir)

    @classmethod
    def from_dict(
        cls, data: Any, *, file: str = "<dict>", base_dir: str | Path | None = None
    ) -> Scenario:
        """Validate a scenario given as plain data (as YAML would produce)."""
        return cls._build(data, SourceMap(file=file), base_dir=base_dir)

    @classmethod
    def _build(cls, data: Any, source: SourceMap, *, base_dir: str | Path | None) -> Scenario:
        if not isinstance(data, dict):
            raise ScenarioError(
                f"{source.where()}: the document is a {type(data).__name__}, not a mapping of "
                "fields; fix: start with `name:`, `title:`, `table:`, ... "
                "(see scenarios/korea.yaml)"
            )
        try:
            sc = cls.model_validate(data, context={"base_dir": base_dir})
        except ValidationError as exc:
            raise validation_error(exc, source, data=data, allowed_keys=scenario_keys) from None
        sc._source = source
        sc._base_dir = None if base_dir is None else Path(base_dir)
        for i, _inv, phase, ph in sc.phases():
            raw = data["investments"][i][phase]
            if isinstance(raw, dict) and isinstance(raw.get("pattern"), dict):
                ph.pattern._source = source.sub(("investments", i, phase, "pattern"))
        return sc

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        """One line instead of the whole model: name, table, money, investments, claims."""
        phases = sum(1 for _ in self.phases())
        unc = f", {self.uncertainty.draws} draws" if self.uncertainty is not None else ""
        return (
            f"Scenario({self.name!r}, table={self.table!r}, money={self.currency} "
            f"{self.price_year}, investments={len(self.investments)} ({phases} phase(s)), "
            f"claims={len(self.claims)}{unc})"
        )

    __str__ = __repr__

    def _repr_html_(self) -> str:
        from html import escape

        rows = [f"<li>{escape(inv.name)}: "
                + ", ".join(p for p in FILE_PHASES if getattr(inv, p) is not None) + "</li>"
                for inv in self.investments]
        return (f"<p><b>{escape(self.title)}</b> ({escape(self.name)}; table "
                f"{escape(self.table)}; money {self.currency} {self.price_year})</p>"
                f"<ul>{''.join(rows)}</ul>")

    # ------------------------------------------------------------------ helpers
    @property
    def source(self) -> SourceMap:
        """Where the scenario came from (file and line of every field)."""
        return self._source

    @property
    def base_dir(self) -> Path | None:
        """The scenario file's folder (relative table folders and patterns start there)."""
        return self._base_dir

    @property
    def source_sha256(self) -> str | None:
        """SHA-256 (hex) of exactly the bytes parsed by :meth:`from_yaml`; None for a scenario
        built from text or data in memory."""
        return self._source.sha256

    def where(self, *loc: str | int) -> str:
        """``file:line`` of a field, e.g. ``sc.where("investments", 0, "construction")``."""
        return self._source.where(loc)

    def phases(self) -> list[tuple[int, Investment, str, Construction | Operations]]:
        """(index, investment, phase name, phase) for every phase present, in file order."""
        out = []
        for i, inv in enumerate(self.investments):
            for name in FILE_PHASES:
                ph = getattr(inv, name)
                if ph is not None:
                    out.append((i, inv, name, ph))
        return out


def _table_currency_matches(table: Any, currency: str, base_dir: Any = None) -> bool:
    """Whether ``currency`` may be the table's own: a bundled table in that currency, or a table
    folder (its currency is only known when it is loaded; a mismatch then fails in the run,
    naming the ``currency:`` line)."""
    if not isinstance(table, str) or not table:
        return False
    if is_table_path(table):
        return True
    if catalog_currency(table) is None and base_dir is not None:
        return (Path(base_dir) / table).is_dir()
    return catalog_currency(table) == currency


def scenario_keys(loc: tuple[str | int, ...]) -> list[str]:
    """Allowed keys at a location of a scenario (for 'did you mean' fixes)."""
    import typing

    tp: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            tp = _unwrap(tp, list)
            continue
        model = _model_of(tp)
        if model is not None and part in model.model_fields:
            tp = model.model_fields[part].annotation
        else:
            tp = _unwrap(tp, dict)
            if tp is None or (typing.get_origin(tp) is None and _model_of(tp) is None):
                return []
    model = _model_of(tp)
    return list(model.model_fields) if model is not None else []


def _unwrap(tp: Any, container: type) -> Any:
    """The item type of a list (or value type of a dict) inside ``tp`` (None if there is none)."""
    import typing

    if typing.get_origin(tp) is container:
        return typing.get_args(tp)[-1]
    for arg in typing.get_args(tp):
        found = _unwrap(arg, container)
        if found is not None:
            return found
    return None


def _model_of(tp: Any) -> type[StrictModel] | None:
    import typing

    if isinstance(tp, type) and issubclass(tp, StrictModel):
        return tp
    if typing.get_origin(tp) in (list, dict):
        return None
    for arg in typing.get_args(tp):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def scenario_json_schema() -> dict[str, Any]:
    """JSON Schema of scenario files (for editors' autocompletion and validation)."""
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "impactsim scenario"
    return schema
