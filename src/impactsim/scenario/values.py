"""Uncertain values: a central value plus an optional range or probability distribution.

Wherever a scenario (or a spending pattern) takes a number that is really an assumption — an
amount, a share, a local share, direct jobs, a delay — it accepts either a plain number or::

    {value: 0.8, range: [0.5, 0.95]}            # triangular(low, mode=value, high)
    {value: 0.8, distribution: {distribution: beta, alpha: 8, beta: 2}}

The deterministic run uses ``value``; the uncertainty run samples the distribution.
Every distribution is validated here, including that its support stays inside the quantity's
allowed bounds (a share's draws stay in [0, 1], an amount's draws stay ≥ 0).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, Self, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ..errors import ScenarioError


class StrictModel(BaseModel):
    """Base of every scenario model: unknown keys refused, immutable, finite numbers only.

    The checks hold however a model is made: from YAML or JSON, by the constructor, or by
    :meth:`model_copy` with ``update`` (which pydantic itself does not validate: here the copy is
    validated again, so ``amount.model_copy(update={"value": nan})``, a phase copied with such an
    amount, or a scenario copied with investments given as mappings are refused with
    :class:`ScenarioError`). Nested models are trusted as built (each was validated when made;
    only ``model_construct``, pydantic's explicit way around validation, escapes this).
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, str_strip_whitespace=True,
        defer_build=True,
    )

    def model_copy(self, *, update: Mapping[str, Any] | None = None,
                   deep: bool = False) -> Self:
        """A copy with ``update`` applied, validated like a model built from a file."""
        copied = super().model_copy(update=update, deep=deep)
        if not update:
            return copied
        base = getattr(self, "_base_dir", None)
        try:
            fresh = type(self).model_validate(
                {k: getattr(copied, k) for k in type(self).model_fields},
                context={"base_dir": base},
            )
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err.get("loc", ())) or type(self).__name__
            msg = str(err.get("msg", "invalid value")).replace("Value error, ", "")
            raise ScenarioError(
                f"{type(self).__name__}.model_copy: {where}: {msg} (got {err.get('input')!r}); "
                "fix: give a value the scenario file would accept"
            ) from None
        if copied.__pydantic_private__:
            object.__setattr__(fresh, "__pydantic_private__", dict(copied.__pydantic_private__))
        return fresh

    @model_validator(mode="before")
    @classmethod
    def _no_bool_as_number(cls, data: Any) -> Any:
        """YAML ``true``/``false`` is never a number (pydantic would read it as 1 or 0)."""
        if isinstance(data, dict):
            numeric = _numeric_fields(cls)
            for name, v in data.items():
                if isinstance(v, bool) and name in numeric:
                    raise _fix(f"{name}: {str(v).lower()} is not a number", "give a number")
        return data


@functools.cache
def _numeric_fields(cls: type[BaseModel]) -> frozenset[str]:
    """The fields of a model that take a number but not a boolean (computed once per class)."""
    out = set()
    for name, field in cls.model_fields.items():
        kinds = (field.annotation, *get_args(field.annotation))
        if bool not in kinds and (float in kinds or int in kinds):
            out.add(name)
    return frozenset(out)


def _fix(problem: str, fix: str) -> ValueError:
    return ValueError(f"{problem}; fix: {fix}")


class Uniform(StrictModel):
    """Uniform on [low, high]."""

    distribution: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> Uniform:
        if self.low > self.high:
            raise _fix(f"uniform low {self.low:g} > high {self.high:g}", "swap low and high")
        return self

    def support(self) -> tuple[float, float]:
        return self.low, self.high


class Triangular(StrictModel):
    """Triangular with minimum ``low``, mode ``mode`` and maximum ``high``."""

    distribution: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _order(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise _fix(
                f"triangular needs low <= mode <= high, got {self.low:g}, {self.mode:g}, "
                f"{self.high:g}",
                "reorder the three values",
            )
        return self

    def support(self) -> tuple[float, float]:
        return self.low, self.high


class Normal(StrictModel):
    """Normal(mean, sd), optionally truncated to [low, high]."""

    distribution: Literal["normal"]
    mean: float
    sd: float = Field(ge=0)
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _order(self) -> Normal:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise _fix(f"normal truncation low {self.low:g} > high {self.high:g}", "swap them")
        return self

    def support(self) -> tuple[float, float]:
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        return lo, hi


class LogNormal(StrictModel):
    """Lognormal with the given ``median`` (> 0) and log-scale standard deviation ``sigma``."""

    distribution: Literal["lognormal"]
    median: float = Field(gt=0)
    sigma: float = Field(ge=0)

    def support(self) -> tuple[float, float]:
        return 0.0, math.inf


class Beta(StrictModel):
    """Beta(alpha, beta) rescaled to [low, high] (default [0, 1])."""

    distribution: Literal["beta"]
    alpha: float = Field(gt=0)
    beta: float = Field(gt=0)
    low: float = 0.0
    high: float = 1.0

    @model_validator(mode="after")
    def _order(self) -> Beta:
        if self.low >= self.high:
            raise _fix(f"beta low {self.low:g} >= high {self.high:g}", "use low < high")
        return self

    def support(self) -> tuple[float, float]:
        return self.low, self.high


Distribution = Annotated[
    Uniform | Triangular | Normal | LogNormal | Beta, Field(discriminator="distribution")
]


def _wrap_number(v: Any) -> Any:
    if isinstance(v, int | float | str):  # incl. bool, which Uncertain.value refuses
        return {"value": v}
    return v


class Uncertain(StrictModel):
    """A number with an optional uncertainty: ``range`` (triangular shorthand) or ``distribution``.

    Subclasses set ``bounds`` (allowed interval for the value and for the distribution's support)
    and ``what`` (used in messages).
    """

    bounds: ClassVar[tuple[float, float]] = (-math.inf, math.inf)
    what: ClassVar[str] = "value"
    #: Example appended to the fix when the value is out of bounds.
    example: ClassVar[str] = ""

    value: float
    range: tuple[float, float] | None = None
    distribution: Distribution | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _not_bool(cls, v: Any) -> Any:
        if isinstance(v, bool):  # pydantic would read true as 1.0
            raise _fix(f"{cls.what} is {str(v).lower()}, not a number", "give a number")
        return v

    @model_validator(mode="after")
    def _check(self) -> Uncertain:
        lo_b, hi_b = self.bounds
        if not lo_b <= self.value <= hi_b:
            if self.value < lo_b and hi_b == math.inf:
                raise _fix(
                    f"{self.what} {self.value:g} is negative",
                    f"use {self.what}s >= {lo_b:g} (a disinvestment is not modelled)",
                )
            raise _fix(
                f"{self.what} {self.value:g} is outside [{lo_b:g}, {hi_b:g}]",
                f"give a {self.what} between {lo_b:g} and {hi_b:g}{self.example}",
            )
        if self.range is not None and self.distribution is not None:
            raise _fix("both `range` and `distribution` given", "keep one of them")
        if self.range is not None:
            lo, hi = self.range
            if lo > hi:
                raise _fix(f"range [{lo:g}, {hi:g}] is reversed", f"write [{hi:g}, {lo:g}]")
            if not lo <= self.value <= hi:
                raise _fix(
                    f"value {self.value:g} lies outside its range [{lo:g}, {hi:g}]",
                    "widen the range or move the value inside it",
                )
        support = self.support()
        if support[0] < lo_b or support[1] > hi_b:
            raise _fix(
                f"the {self.what}'s uncertainty reaches [{support[0]:g}, {support[1]:g}], outside "
                f"the allowed [{lo_b:g}, {hi_b:g}]",
                "narrow the range, or truncate the distribution with low/high",
            )
        return self

    def spec(self) -> Uniform | Triangular | Normal | LogNormal | Beta | None:
        """The distribution to sample (the range shorthand as a triangular), or None."""
        if self.distribution is not None:
            return self.distribution
        if self.range is not None:
            return Triangular(
                distribution="triangular", low=self.range[0], mode=self.value, high=self.range[1]
            )
        return None

    def support(self) -> tuple[float, float]:
        """Interval the sampled values can take (the value itself when certain)."""
        d = self.spec()
        return d.support() if d is not None else (self.value, self.value)

    @property
    def is_certain(self) -> bool:
        """True when no range or distribution is given."""
        return self.spec() is None


class Share(Uncertain):
    """A share in [0, 1]."""

    bounds: ClassVar[tuple[float, float]] = (0.0, 1.0)
    what: ClassVar[str] = "share"
    example: ClassVar[str] = " (e.g. 0.35, not 35)"


class NonNegative(Uncertain):
    """A number ≥ 0 (jobs, multipliers)."""

    bounds: ClassVar[tuple[float, float]] = (0.0, math.inf)
    what: ClassVar[str] = "value"


#: Largest amount accepted in any currency: 1e18 is ~10,000 × world GDP in USD and ~7 × in
#: KRW, so only a typing slip exceeds it (and it keeps conversions far from float overflow).
MAX_AMOUNT = 1e18


class Delay(Uncertain):
    """A shift of a phase's years, in years (negative = earlier)."""

    bounds: ClassVar[tuple[float, float]] = (-30.0, 30.0)
    what: ClassVar[str] = "delay"
    example: ClassVar[str] = " years (for a larger shift, move the period)"


Qualifier = Literal["exact", "about", "at-least", "more-than", "up-to", "less-than"]
QUALIFIERS: tuple[str, ...] = get_args(Qualifier)


class Amount(Uncertain):
    """Money in the scenario's currency and price year; ``qualifier`` records how it was stated."""

    bounds: ClassVar[tuple[float, float]] = (0.0, math.inf)
    what: ClassVar[str] = "amount"

    qualifier: Qualifier = "exact"

    @model_validator(mode="after")
    def _not_huge(self) -> Amount:
        top = self.support()[1] if math.isfinite(self.support()[1]) else self.value
        if max(self.value, top) > MAX_AMOUNT:
            raise _fix(
                f"amount {max(self.value, top):g} is implausibly large (over {MAX_AMOUNT:g})",
                "check the exponent (5 billion is 5.0e+9)",
            )
        return self


def _input(model: type[Uncertain]) -> Any:
    return BeforeValidator(_wrap_number, json_schema_input_type=float | model)


#: Field types: a plain number or the full mapping form.
UncertainValue = Annotated[Uncertain, _input(Uncertain)]
ShareValue = Annotated[Share, _input(Share)]
NonNegativeValue = Annotated[NonNegative, _input(NonNegative)]
AmountValue = Annotated[Amount, _input(Amount)]
DelayValue = Annotated[Delay, _input(Delay)]


# ----------------------------------------------------------------------------- year keys
def check_year_keys(value: Any) -> Any:
    """Year-keyed mappings (``profile``, ``ramp``): every key a plain year, none twice.

    YAML keys are kept as written, and pydantic would read ``+2026``, ``2_026`` and ``2026.0`` as
    the year 2026 — beside a ``2026`` key one of them would silently win. Keys are converted
    here, spellings other than digits refused, and two keys naming one year refused.
    """
    if not isinstance(value, dict):
        return value
    seen: dict[int, Any] = {}
    out: dict[int, Any] = {}
    for key, item in value.items():
        if isinstance(key, bool):
            raise _fix(f"year key {key!r} is not a year", "write the year, e.g. 2026")
        if isinstance(key, int):
            year = key
        elif isinstance(key, str) and key.strip().isascii() and key.strip().isdigit():
            year = int(key.strip())
        else:
            raise _fix(
                f"year key {str(key)!r} is not written as a plain year",
                "write the year as digits only, e.g. 2026",
            )
        if year in seen:
            raise _fix(
                f"year {year} is given twice (as {str(seen[year])!r} and {str(key)!r})",
                "keep one entry per year",
            )
        seen[year] = key
        out[year] = item
    return out


#: Largest / smallest exchange rate accepted (table currency per unit of the scenario's): the
#: widest official rates are within 1e-4 … 1e6 per US dollar, so 1e-7 … 1e7 only stops a slip
#: (and keeps amount × rate × price factor far from float overflow and underflow).
EXCHANGE_RATE_BOUNDS = (1e-7, 1e7)
#: Bounds of an explicit price factor (table prices per scenario price): 1e-3 … 1e3 spans any
#: deflator ratio between 1950 and 2100 prices short of hyperinflation.
PRICE_FACTOR_BOUNDS = (1e-3, 1e3)


def check_multiplier(value: Any, *, what: str, bounds: tuple[float, float]) -> Any:
    """A multiplicative money input inside ``bounds`` (results stay finite and non-zero)."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    lo, hi = bounds
    if not (math.isfinite(value) and lo <= value <= hi):
        raise _fix(
            f"{what} {value:g} is outside the plausible range [{lo:g}, {hi:g}]",
            f"check the exponent: {what} is table currency per unit (e.g. 1350 KRW per USD)"
            if what == "exchange_rate" else f"check the exponent: {what} is a ratio near 1",
        )
    return value
