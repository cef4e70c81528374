"""Small frozen distribution specs for uncertain inputs, sampled with a numpy ``Generator``.

Every spec has a ``center`` (the value a deterministic run uses unless the input names another
base), a quantile function ``ppf(q)`` (used for one-at-a-time swings) and ``sample(rng, size)``.
A spec whose spread is zero (``Uniform(a, a)``, ``Normal(m, 0)``, …) samples its centre *exactly*,
so a run with every range collapsed reproduces the deterministic result bit for bit.

Parametrisations (all standard; Johnson, Kotz & Balakrishnan, *Continuous Univariate
Distributions*, 1994–95):

* ``Uniform(low, high)``: density 1/(high − low) on [low, high].
* ``Triangular(low, mode, high)``: sampled by the inverse CDF
  ``F⁻¹(u) = low + √(u (high−low)(mode−low))`` for ``u < F(mode)``, else
  ``high − √((1−u)(high−low)(high−mode))``.
* ``Normal(mean, sd)``; ``LogNormal(median, sigma)`` = ``median · exp(sigma · Z)``.
* ``Beta(a, b, low=0, high=1)``: ``low + (high − low) · B`` with ``B ~ Beta(a, b)``.
* ``Dirichlet(shares, concentration)``: a vector of shares that always sums to 1, with mean
  ``shares`` and ``Var(s_i) = shares_i (1 − shares_i) / (concentration + 1)``;
  ``concentration=None`` fixes the shares.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from ..errors import ImpactsimError

Array = NDArray[np.float64]


def _special() -> Any:
    """``scipy.special``, imported on first use (a run without draws never needs it)."""
    from scipy import special

    return special


class UncertaintyError(ImpactsimError, ValueError):
    """An uncertainty setting (distribution, draws, seed, chunking, executor) is invalid."""


def _finite(what: str, **values: float) -> None:
    for key, val in values.items():
        if not isinstance(val, int | float | np.floating | np.integer) or not math.isfinite(val):
            raise UncertaintyError(f"{what}: {key}={val!r} must be a finite number")


def _probabilities(q: Any) -> Array:
    arr = np.asarray(q, dtype=float)
    if not np.all((arr >= 0.0) & (arr <= 1.0)):
        raise UncertaintyError(f"quantile levels {q!r} must lie in [0, 1]")
    return arr


class Distribution:
    """Base class of scalar distribution specs (frozen dataclasses)."""

    kind: ClassVar[str] = ""

    @property
    def center(self) -> float:
        """The central value used by a deterministic run (see each class)."""
        raise NotImplementedError

    @property
    def degenerate(self) -> bool:
        """True when the spread is zero: every sample equals :attr:`center` exactly."""
        raise NotImplementedError

    def ppf(self, q: Any) -> Array:
        """Quantile function ``F⁻¹(q)`` for levels ``q`` in [0, 1]."""
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> Array:
        """``size`` independent draws as a float array."""
        out = np.empty(size)
        self.fill(rng, out)
        return out

    def fill(self, rng: np.random.Generator, out: Array) -> None:
        """Fill ``out`` in place with independent draws (no extra allocation where possible)."""
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        """A plain-dict description, the inverse of :func:`distribution_from_spec`."""
        from dataclasses import asdict

        # every concrete Distribution is a dataclass; the abstract base is not one
        return {"dist": self.kind, **asdict(self)}  # type: ignore[call-overload]


@dataclass(frozen=True, slots=True)
class Point(Distribution):
    """A fixed value (no uncertainty)."""

    value: float
    kind: ClassVar[str] = "point"

    def __post_init__(self) -> None:
        _finite("point", value=self.value)

    @property
    def center(self) -> float:
        return float(self.value)

    @property
    def degenerate(self) -> bool:
        return True

    def ppf(self, q: Any) -> Array:
        return np.full_like(_probabilities(q), float(self.value))

    def fill(self, rng: np.random.Generator, out: Array) -> None:
        out.fill(float(self.value))


@dataclass(frozen=True, slots=True)
class Uniform(Distribution):
    """Uniform on [low, high]; centre = midpoint."""

    low: float
    high: float
    kind: ClassVar[str] = "uniform"

    def __post_init__(self) -> None:
        _finite("uniform", low=self.low, high=self.high)
        if self.high < self.low:
            raise UncertaintyError(f"uniform: low={self.low} > high={self.high}; give low <= high")

    @property
    def center(self) -> float:
        return float(self.low) if self.degenerate else 0.5 * (self.low + self.high)

    @property
    def degenerate(self) -> bool:
        return self.low == self.high

    def ppf(self, q: Any) -> Array:
        return self.low + (self.high - self.low) * _probabilities(q)

    def fill(self, rng: np.random.Generator, out: Array) -> None:
        if self.degenerate:
            out.fill(float(self.low))
            return
        rng.random(out=out)
        out *= self.high - self.low
        out += self.low


@dataclass(frozen=True, slots=True)
class Triangular(Distribution):
    """Triangular on [low, high] with peak at ``mode``; centre = mode (the most likely value)."""

    low: float
    mode: float
    high: float
    kind: ClassVar[str] = "triangular"

    def __post_init__(self) -> None:
        _finite("triangular", low=self.low, mode=self.mode, high=self.high)
        if not self.low <= self.mode <= self.high:
            raise UncertaintyError(
                f"triangular: need low <= mode <= high, got {self.low}, {self.mode}, {self.high}"
            )

    @property
    def center(self) -> float:
        return float(self.mode)

    @property
    def degenerate(self) -> bool:
        return self.low == self.high

    def ppf(self, q: Any) -> Array:
        u = _probabilities(q)
        lo, c, hi = float(self.low), float(self.mode), float(self.high)
        if hi == lo:
            return np.full_like(u, lo)
        fc = (c - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (c - lo))
        right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - c))
        return np.where(u < fc, left, right)

    def fill(self, rng: np.random.Generator, out: Array) -> None:
        if self.degenerate:
            out.fill(float(self.low))
            return
        rng.random(out=out)
        out[...] = self.ppf(out)


@dataclass(frozen=True, slots=True)
class Normal(Distribution):
    """Normal with ``mean`` and standard deviation ``sd``, optionally truncated to [low, high].

    Centre = ``mean``. Truncated draws use the inverse CDF on ``[Φ(α), Φ(β)]`` with
    ``α = (low − mean)/sd``, ``β = (high − mean)/sd``:
    ``x = mean + sd Φ⁻¹(Φ(α) + u (Φ(β) − Φ(α)))``.
    """

    mean: float
    sd: float
    low: float | None = None
    high: float | None = None
    kind: ClassVar[str] = "normal"

    def __post_init__(self) -> None:
        _finite("normal", mean=self.mean, sd=self.sd)
        if self.sd < 0:
            raise UncertaintyError(f"normal: sd={self.sd} must be >= 0")
        lo = -math.inf if self.low is None else float(self.low)
        hi = math.inf if self.high is None else float(self.high)
        if math.isnan(lo) or math.isnan(hi) or lo > hi:
            raise UncertaintyError(f"normal: truncation low={self.low} > high={self.high}")
        if self.sd > 0 and self.truncated:
            a, b = self._cdf_range()
            if not b > a:
                raise UncertaintyError(
                    f"normal: truncation [{lo}, {hi}] leaves no probability; widen it"
                )

    @property
    def truncated(self) -> bool:
        return self.low is not None or self.high is not None

    @property
    def center(self) -> float:
        return float(self.mean)

    @property
    def degenerate(self) -> bool:
        return self.sd == 0

    def _cdf_range(self) -> tuple[float, float]:
        lo = -math.inf if self.low is None else (self.low - self.mean) / self.sd
        hi = math.inf if self.high is None else (self.high - self.mean) / self.sd
        return float(_special().ndtr(lo)), float(_special().ndtr(hi))

    def ppf(self, q: Any) -> Array:
        u = _probabilities(q)
        if self.degenerate:
            return np.full_like(u, float(self.mean))
        if self.truncated:
            a, b = self._cdf_range()
            u = a + u * (b - a)
        return self.mean + self.sd * _special().ndtri(u)

    def fill(self, rng: np.random.Generator, out: Array) -> None:
        if self.degenerate:
            out.fill(float(self.mean))
            return
        if self.truncated:
            rng.random(out=out)
            out[...] = self.ppf(out)
            return
        rng.standard_normal(out=out)
        out *= self.sd
        out += self.mean


@dataclass(frozen=True, slots=True)
class LogNormal(Distribution):
    """``median · exp(sigma · Z)``, Z standard normal; centre = median (mean is larger)."""

    median: float
    sigma: float
    kind: ClassVar[str] = "lognormal"

    def __post_init__(self) -> None:
        _finite("lognormal", median=self.median, sigma=self.sigma)
        if self.median <= 0 or self.sigma < 0:
            raise UncertaintyError(
                f"lognormal: need median > 0 and sigma >= 0, got {self.median}, {self.sigma}"
            )

    @property
    def center(self) -> float:
        return float(self.median)

    @property
    def degenerate(self) -> bool:
        return self.sigma == 0

    def ppf(self, q: Any) -> Array:
        return self.median * np.exp(self.sigma * _special().ndtri(_probabilities(q)))

    def fill(self, rng: np.random.Generator, out: Array) -> None:
        if self.degenerate:
            out.fill(float(self.median))
            return
        rng.standard_normal(out=out)
        out *= self.sigma
        np.exp(out, out=out)
        out *= self.median


@dataclass(frozen=True, slots=True)
class Beta(Distribution):
    """``low + (high − low) · Beta(a, b)``; centre = mean ``low + (high − low) a/(a+b)``."""

    a: float
    b: float
    low: float = 0.0
    high: float = 1.0
    kind: ClassVar[str] = "beta"

    def __post_init__(self) -> None:
        _finite("beta", a=self.a, b=self.b, low=self.low, high=self.high)
        if self.a <= 0 or self.b <= 0:
            raise UncertaintyError(f"beta: shape parameters a={self.a}, b={self.b} must be > 0")
        if self.high < self.low:
            raise UncertaintyError(f"beta: low={self.low} > high={self.high}; give low <= high")

    @property
    def center(self) -> float:
        return float(self.low + (self.high - self.low) * self.a / (self.a + self.b))

    @property
    def degenerate(self) -> bool:
        return self.low == self.high

    def ppf(self, q: Any) -> Array:
        return self.low + (self.high - self.low) * _special().betaincinv(
            self.a, self.b, _probabilities(q)
        )

    def fill(self, rng: np.random.Generator, out: Array) -> None:
        if self.degenerate:
            out.fill(float(self.low))
            return
        out[...] = rng.beta(self.a, self.b, size=out.shape)
        out *= self.high - self.low
        out += self.low


@dataclass(frozen=True, slots=True)
class Dirichlet:
    """Shares that always sum to 1: mean ``shares``, spread set by ``concentration`` (α₀).

    ``α = concentration · shares``; ``Var(s_i) = shares_i (1 − shares_i) / (α₀ + 1)`` (so
    α₀ = 99 gives a standard deviation of 10 % of √(s(1−s))). ``concentration=None`` fixes the
    shares. Components with a zero mean share stay exactly zero.
    """

    shares: tuple[float, ...]
    concentration: float | None = None
    labels: tuple[str, ...] | None = None
    kind: ClassVar[str] = "dirichlet"

    def __post_init__(self) -> None:
        s = np.asarray(self.shares, dtype=float)
        if s.ndim != 1 or s.size == 0 or not np.all(np.isfinite(s)) or (s < 0).any():
            raise UncertaintyError(f"dirichlet: shares {self.shares!r} must be finite and >= 0")
        if abs(s.sum() - 1.0) > 1e-9:
            raise UncertaintyError(
                f"dirichlet: shares sum to {s.sum():.12g}, not 1; rescale them so they add up to 1"
            )
        if self.concentration is not None:
            _finite("dirichlet", concentration=self.concentration)
            if self.concentration <= 0:
                raise UncertaintyError(
                    f"dirichlet: concentration={self.concentration} must be > 0 (None fixes shares)"
                )
        if self.labels is not None and len(self.labels) != s.size:
            raise UncertaintyError(
                f"dirichlet: {len(self.labels)} labels for {s.size} shares; give one label each"
            )
        object.__setattr__(self, "shares", tuple(float(v) for v in s))

    @property
    def size(self) -> int:
        return len(self.shares)

    @property
    def center(self) -> Array:
        return np.asarray(self.shares, dtype=float)

    @property
    def degenerate(self) -> bool:
        return self.concentration is None or int(np.count_nonzero(self.center)) <= 1

    def marginal(self, i: int) -> Beta | Point:
        """Marginal of share ``i``: ``Beta(α_i, α₀ − α_i)`` (a point if fixed)."""
        s = self.center
        c = self.concentration
        if c is None or self.degenerate or s[i] in (0.0, 1.0):
            return Point(float(s[i]))
        return Beta(c * s[i], c * (1.0 - s[i]))

    def sample(self, rng: np.random.Generator, size: int) -> Array:
        """(size, k) draws, each row summing to 1 (by the gamma construction)."""
        s = self.center
        c = self.concentration
        if c is None or self.degenerate:
            return np.broadcast_to(s, (size, s.size)).copy()
        nz = s > 0
        out = np.zeros((size, s.size))
        g = rng.standard_gamma(float(c) * s[nz], size=(size, int(nz.sum())))
        out[:, nz] = g / g.sum(axis=1, keepdims=True)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "dist": self.kind,
            "shares": list(self.shares),
            "concentration": self.concentration,
            "labels": None if self.labels is None else list(self.labels),
        }


_SCALAR: dict[str, type[Distribution]] = {
    cls.kind: cls for cls in (Point, Uniform, Triangular, Normal, LogNormal, Beta)
}


def distribution_from_spec(spec: Any, *, where: str = "distribution") -> Distribution | Dirichlet:
    """A distribution from a plain spec (as written in YAML).

    Accepted: a number (a point); ``[low, high]`` (uniform); a mapping with ``dist`` one of
    point, uniform, triangular, normal, lognormal, beta, dirichlet and that class's fields, e.g.
    ``{dist: triangular, low: 0.8, mode: 1, high: 1.3}``. ``where`` names the field in errors.
    """
    if isinstance(spec, Distribution | Dirichlet):
        return spec
    if isinstance(spec, bool):
        raise UncertaintyError(f"{where}: {spec!r} is not a number or distribution")
    if isinstance(spec, int | float):
        return Point(float(spec))
    if isinstance(spec, Sequence) and not isinstance(spec, str):
        if len(spec) != 2:
            raise UncertaintyError(f"{where}: a range is [low, high], got {list(spec)!r}")
        return _build(Uniform, {"low": spec[0], "high": spec[1]}, where)
    if isinstance(spec, Mapping):
        fields = dict(spec)
        kind = fields.pop("dist", None)
        if kind == Dirichlet.kind:
            return _build(Dirichlet, fields, where)
        if kind not in _SCALAR:
            raise UncertaintyError(
                f"{where}: dist={kind!r} is unknown; use one of "
                f"{[*sorted(_SCALAR), Dirichlet.kind]}"
            )
        return _build(_SCALAR[kind], fields, where)
    raise UncertaintyError(f"{where}: {spec!r} is not a number, [low, high] or a mapping with dist")


def _build(
    cls: type[Distribution] | type[Dirichlet], fields: Mapping[str, Any], where: str
) -> Distribution | Dirichlet:
    try:
        if cls is Dirichlet:
            shares = fields.get("shares")
            if shares is None:
                raise TypeError("missing 'shares'")
            labels = fields.get("labels")
            return Dirichlet(
                tuple(float(v) for v in shares),
                fields.get("concentration"),
                None if labels is None else tuple(str(v) for v in labels),
            )
        return cls(**fields)
    except UncertaintyError as exc:
        raise UncertaintyError(f"{where}: {exc}") from None
    except (TypeError, ValueError) as exc:
        raise UncertaintyError(f"{where}: bad fields for {cls.kind} ({exc})") from None


def affine(dist: Distribution, a: float, b: float) -> Distribution:
    """The distribution of ``a + b X`` for ``X ~ dist`` (``b ≠ 0``), in the same family.

    A reflection (``b < 0``) swaps a range's ends and a beta's shape parameters.
    """
    if b == 0 or not math.isfinite(a) or not math.isfinite(b):
        raise UncertaintyError(f"affine map {a} + {b}·x: b must be a finite non-zero number")

    def f(v: float) -> float:
        return a + b * v

    if isinstance(dist, Point):
        return Point(f(dist.value))
    if isinstance(dist, Uniform):
        lo, hi = sorted((f(dist.low), f(dist.high)))
        return Uniform(lo, hi)
    if isinstance(dist, Triangular):
        lo, hi = sorted((f(dist.low), f(dist.high)))
        return Triangular(lo, min(max(f(dist.mode), lo), hi), hi)
    if isinstance(dist, Normal):
        ends = [None if v is None else f(v) for v in (dist.low, dist.high)]
        end_lo, end_hi = ends if b > 0 else ends[::-1]
        return Normal(f(dist.mean), abs(b) * dist.sd, end_lo, end_hi)
    if isinstance(dist, Beta):
        if b > 0:
            return Beta(dist.a, dist.b, f(dist.low), f(dist.high))
        return Beta(dist.b, dist.a, f(dist.high), f(dist.low))
    if isinstance(dist, LogNormal) and a == 0 and b > 0:
        return LogNormal(b * dist.median, dist.sigma)
    raise UncertaintyError(f"{dist.kind}: no closed form for the map {a} + {b}·x")
