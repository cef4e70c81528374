"""Relative perturbation of the technical coefficients, kept productive.

Each draw ``s`` multiplies every domestic coefficient by its own independent factor::

    a_ij,s = a_ij · ε_ij,s,      ε_ij,s ~ factor (default Uniform(0.9, 1.1), i.e. ±10 %)

(zeros stay zero; negative factors from a normal are clipped to 0). Two caps then act on each
column, and a column above either is scaled down proportionally until it meets both:

* **inputs leave room for imports and value added**: the column sum may use at most ``room``
  (default ½) of what its base leaves::

      Σ_i a_ij,s ≤ s_j + room · (1 − s_j),      s_j = Σ_i a_ij   (a column with s_j ≥ 1: ≤ s_j)

* **productivity**: with positive weights ``w`` the weighted column sums bound the spectral
  radius, ``ρ(A_s) ≤ ρ(|A_s|) ≤ max_j Σ_i w_i |a_ij,s| / w_j`` (Collatz–Wielandt), so capping them
  below 1 the same way (``σ_j + room · (1 − σ_j)``, ``σ_j`` the base weighted sum) makes every
  draw productive. For a non-negative table whose column sums are below 1, ``w = 1`` and the two
  caps coincide. Otherwise (negative entries, e.g. by-products in Bank of Korea tables, or a
  column sum ≥ 1) ``w`` is the left Perron vector of ``|A|`` (slightly regularized so it is
  positive), which makes every base weighted sum equal ρ(|A|) — 0.47 for korea-2020, so the
  productivity cap never binds there.

If ρ(|A|) ≥ 1 no such weights exist; each draw is then checked instead
(:meth:`CoefficientPerturbation.check_productive`: cheap row/column bounds, else eigenvalues).
Split technologies (:class:`SplitTechnology`) are not capped; :meth:`SplitTechnology.radius_bound`
bounds every draw's spectral radius from the ranges alone, and only when that bound is not below
1 is each draw checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..engine.model import LeontiefModel
from ..errors import NotProductiveError, TableError
from .distributions import (
    Distribution,
    Triangular,
    UncertaintyError,
    Uniform,
    distribution_from_spec,
)
from .fixedsum import fixed_sum
from .sampling import BLOCK, COEFFICIENTS, fill_range

Array = NDArray[np.float64]

#: Default factor distribution: ±10 % uniform relative noise.
_DEFAULT_FACTOR = Uniform(0.9, 1.1)
#: Regularization of ``|A|`` for its Perron vector (relative to the mean entry).
_PERRON_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Caps:
    """Column caps for a table (see the module docstring).

    ``limit``: cap on each plain column sum; ``weights`` / ``weighted_limit``: the productivity
    weights and caps on the weighted sums (``None`` when the plain caps already guarantee
    productivity); ``productive``: whether every capped draw is productive.
    """

    limit: Array
    weights: Array | None
    weighted_limit: Array | None
    productive: bool


def perron_weights(b: Array, *, iterations: int = 500) -> Array:
    """Positive weights ``w`` (max 1) close to the left Perron vector of a non-negative ``b``.

    Power iteration on ``(b + c I + ε J)ᵀ`` with ``ε = 10⁻⁹ · mean(b)`` (strictly positive, so
    ``w > 0``) and the shift ``c`` = the largest column sum (same Perron vector, no oscillation
    for periodic ``b``). Any positive ``w`` gives a valid bound ``ρ(b) ≤ max_j (wᵀb)_j / w_j``;
    the Perron vector makes it tight (every ratio equal to ρ).
    """
    n = b.shape[0]
    eps = _PERRON_EPS * float(b.mean()) if b.size else 0.0
    scale = float(b.sum(axis=0).max()) if b.size else 0.0  # shift c: ≥ ρ(b), keeps it fast
    w = np.ones(n)
    for _ in range(iterations):
        nxt = w @ b + w * scale + eps * w.sum()  # (b + cI + εJ)ᵀ: aperiodic, same vector
        nxt /= nxt.max() if nxt.max() > 0 else 1.0
        done = np.abs(nxt - w).max() <= 1e-12
        w = nxt
        if done:
            break
    return np.maximum(w, np.finfo(float).tiny)


@dataclass(frozen=True, slots=True)
class CoefficientPerturbation:
    """Independent multiplicative noise on every domestic coefficient (see module docstring).

    ``factor``: distribution of ``ε`` (centre 1 for an unbiased perturbation);
    ``room``: share in [0, 1) of the base room ``1 − s_j`` a perturbed column may use.
    """

    factor: Distribution = _DEFAULT_FACTOR
    room: float = 0.5

    def __post_init__(self) -> None:
        dist = distribution_from_spec(self.factor, where="coefficient perturbation factor")
        if not isinstance(dist, Distribution):
            raise UncertaintyError(
                "coefficient perturbation factor: give a scalar distribution (e.g. uniform "
                "0.9–1.1), not Dirichlet shares"
            )
        object.__setattr__(self, "factor", dist)
        if not 0.0 <= float(self.room) < 1.0:
            raise UncertaintyError(f"coefficient perturbation: room={self.room} must be in [0, 1)")

    @classmethod
    def relative(cls, r: float, *, room: float = 0.5) -> CoefficientPerturbation:
        """Uniform relative noise ``±r`` (``r = 0.1`` → factors in [0.9, 1.1])."""
        if not 0.0 <= r < 1.0:
            raise UncertaintyError(f"relative perturbation r={r} must be in [0, 1)")
        return cls(Uniform(1.0 - r, 1.0 + r), room=room)

    @property
    def identity(self) -> bool:
        """True when every factor is exactly 1 (no perturbation at all)."""
        return self.factor.degenerate and self.factor.center == 1.0

    def _cap(self, s: Array) -> Array:
        return np.where(s < 1.0, s + self.room * (1.0 - s), s)

    def caps(self, a: Array) -> Caps:
        """The column caps of table ``a`` and whether they guarantee productive draws."""
        a = np.asarray(a, dtype=float)
        s = a.sum(axis=0)
        limit = self._cap(s)
        if np.all(a >= 0) and np.all(limit < 1.0):
            return Caps(limit, None, None, True)
        absa = np.abs(a)
        w = perron_weights(absa)
        sigma = (w @ absa) / w
        if not np.all(sigma < 1.0):  # ρ(|A|) ≥ 1 (or w too far from Perron): check per draw
            return Caps(limit, None, None, False)
        return Caps(limit, w, self._cap(sigma), True)

    def _apply(
        self, a: Array, a_s: Array, caps: Caps, cols: NDArray[np.intp] | None = None
    ) -> Array:
        """Scale columns of ``a_s`` (b, n, r) — ``cols`` of the table, all if None — onto caps."""
        idx = slice(None) if cols is None else cols
        k = np.ones((a_s.shape[0], a_s.shape[2]))
        plain = fixed_sum(a_s, axis=1)  # chunk-free rounding (fixedsum.py)
        lim = caps.limit[idx]
        over = plain > lim
        if over.any():
            k = np.where(over, lim / np.where(over, plain, 1.0), k)
        if caps.weights is not None and caps.weighted_limit is not None:
            w = caps.weights
            weighted = fixed_sum(w[:, np.newaxis] * np.abs(a_s), axis=1) / w[idx]
            wlim = caps.weighted_limit[idx]
            over_w = weighted > wlim
            if over_w.any():
                k = np.minimum(k, np.where(over_w, wlim / np.where(over_w, weighted, 1.0), 1.0))
        return k

    def perturbed(self, a: Array, factors: Array, caps: Caps) -> Array:
        """``A ∘ ε`` with columns capped, for a stack ``factors`` (b, n, n); overwrites it."""
        if not self.factor.ppf(0.0) >= 0.0:  # e.g. a normal: clip negative factors to 0
            np.maximum(factors, 0.0, out=factors)
        factors *= a
        k = self._apply(a, factors, caps)
        if np.any(k < 1.0):
            factors *= k[:, np.newaxis, :]
        return factors

    def deltas(self, a: Array, seed: int, start: int, stop: int, caps: Caps) -> Array:
        """``ΔA_s = A_s − A = A ∘ (ε_s − 1)`` (capped) for draws ``start … stop-1``: (b, n, n).

        Only columns that the factor's upper bound could push over a cap are summed and checked
        (for ±10 % on korea-2020: the few columns whose input share exceeds 5/6).
        """
        n = a.shape[0]
        out = np.empty((stop - start, n, n))
        fill_range(self.factor.fill, COEFFICIENTS, seed, start, stop, out)
        if not self.factor.ppf(0.0) >= 0.0:  # e.g. a normal: clip negative factors to 0
            np.maximum(out, 0.0, out=out)
        out -= 1.0
        out *= a
        top = float(self.factor.ppf(1.0))
        absa = np.abs(a)
        risky = ~(top * absa.sum(axis=0) <= caps.limit)
        if caps.weights is not None and caps.weighted_limit is not None:
            w = caps.weights
            risky |= ~(top * (w @ absa) / w <= caps.weighted_limit)
        cols = np.flatnonzero(risky)
        if cols.size:
            a_r = a[:, cols]
            a_s = out[:, :, cols] + a_r  # (b, n, r): the perturbed columns at risk
            k = self._apply(a, a_s, caps, cols)
            capped = k < 1.0
            if np.any(capped):
                # only the capped (draw, column) pairs are rewritten: (out + a) - a is not out to
                # the last bit, and a draw must not depend on its chunk-mates being capped
                out[:, :, cols] = np.where(
                    capped[:, np.newaxis, :], k[:, np.newaxis, :] * a_s - a_r, out[:, :, cols]
                )
        return out

    @staticmethod
    def check_productive(a: Array, deltas: Array, *, first_draw: int = 0) -> None:
        """Raise unless every ``A_s = A + ΔA_s`` is productive (when caps cannot promise it).

        Cheap first: ``ρ(A_s) ≤ min(max column sum, max row sum)`` of ``|A_s|``; draws not
        settled by that bound get their eigenvalues computed.
        """
        a_s = np.abs(deltas + a)
        bound = np.minimum(a_s.sum(axis=1).max(axis=1), a_s.sum(axis=2).max(axis=1))
        for s in np.flatnonzero(~(bound < 1.0)):
            rho = float(np.abs(np.linalg.eigvals(a + deltas[s])).max())
            if not rho < 1.0:
                raise NotProductiveError(
                    f"draw {first_draw + int(s)}: the perturbed coefficients are not productive "
                    f"(spectral radius {rho:.4g}); use a smaller relative perturbation"
                )

    def systematic(self, a: Array, factor: float, caps: Caps) -> Array:
        """``A`` with every coefficient times one ``factor`` (capped): for one-at-a-time swings."""
        return self.perturbed(a, np.full((1, *a.shape), float(factor)), caps)[0]

    def bytes_per_draw(self, n: int) -> int:
        """Working memory per draw of a chunk: ΔA, one temporary and the direct fallback."""
        return 3 * n * n * 8

    def to_dict(self) -> dict[str, Any]:
        return {"factor": self.factor.to_dict(), "room": self.room, "block": BLOCK}


# ----------------------------------------------------------------------------- split technology
#: Stream name prefix of a split's technology factor λ (one stream per split sector).
SPLIT_STREAM = "split-technology/"


@dataclass(frozen=True, eq=False)
class SplitTechnology:
    """Uncertainty of split sectors' own technologies, correlated by column (not cell noise).

    A split sector's parts have balanced technologies ``a_k`` whose output-weighted mean is the
    parent's ``ā`` (:mod:`impactsim.tables._balanced_split`). Each draw ``s`` takes one factor
    ``λ_s`` per split and moves every coefficient of the parts' columns together::

        a_k,s = ā + λ_s (a_k − ā),        c_k,s = c̄ + λ_s (c_k − c̄)

    (``c`` the measure rows: value added, income, imports, employment …). ``λ = 1`` is the table,
    ``λ = 0`` the parent's technology in every part; the output-weighted mean stays ``ā`` for
    every ``λ``, so each draw keeps the parent's totals. ``λ`` is sampled from the split's
    ``technology.uncertainty`` (triangular low / mode / high), its upper end cut at the largest
    λ that keeps every coefficient ≥ 0. ``inner`` adds independent cell noise
    (``uncertainty.table_coefficients``) on top.
    """

    columns: tuple[Array, ...]
    directions: tuple[Array, ...]  # per split: (n, parts) a_k − ā
    measure_directions: tuple[Array, ...]  # per split: (measures, parts) c_k − c̄
    factors: tuple[Distribution, ...]
    names: tuple[str, ...]
    inner: CoefficientPerturbation | None = None

    @classmethod
    def from_model(
        cls, model: LeontiefModel, *, inner: CoefficientPerturbation | None = None
    ) -> SplitTechnology | None:
        """The split technologies recorded in the model's table (``provenance``
        ``split_assumptions`` with a ``technology.uncertainty``), or None when there are none."""
        table = model.table
        specs = table.meta.provenance.get("split_assumptions") or []
        a = np.asarray(model.a)
        c = np.asarray(model.measure_coefficients)
        cols, dirs, mdirs, dists, names = [], [], [], [], []
        for spec in specs:
            tech = spec.get("technology") or {}
            unc = tech.get("uncertainty")
            if not unc or not tech.get("priors"):
                continue
            try:
                idx = np.array([table.sector_position(lab) for lab in spec["into"]])
            except (KeyError, TableError):  # labels changed since (aggregated, regionalised)
                continue
            x = np.asarray(table.x)[idx]
            w = x / x.sum()
            d = a[:, idx] - (a[:, idx] @ w)[:, np.newaxis]
            dc = c[:, idx] - (c[:, idx] @ w)[:, np.newaxis]
            base = np.concatenate([a[:, idx], c[:, idx]])
            step = np.concatenate([d, dc])
            # a + (λ − 1) d ≥ 0  ⇔  λ ≤ 1 + a / (−d) where d < 0 (negative entries of the table,
            # BOK's by-products, are shared by output and do not move: d = 0 up to rounding)
            neg = (step < -1e-12 * np.abs(base).max()) & (base > 0)
            lam_max = float(np.min(1.0 + base[neg] / -step[neg])) if neg.any() else np.inf
            high = min(float(unc["high"]), lam_max)
            mode = min(float(unc["mode"]), high)
            cols.append(idx)
            dirs.append(d)
            mdirs.append(dc)
            dists.append(Triangular(float(unc["low"]), mode, high))
            names.append(SPLIT_STREAM + str(spec["sector"]))
        if not cols:
            return None
        return cls(tuple(cols), tuple(dirs), tuple(mdirs), tuple(dists), tuple(names), inner)

    # the interface of CoefficientPerturbation that ensembles and sensitivity use
    @property
    def identity(self) -> bool:
        return False

    @property
    def factor(self) -> Distribution:
        return self.inner.factor if self.inner is not None else Uniform(1.0, 1.0)

    def caps(self, a: Array) -> Caps:
        """The inner noise's caps; productive for every draw when :meth:`radius_bound` < 1."""
        a = np.asarray(a, dtype=float)
        if self.inner is not None:
            inner = self.inner.caps(a)
            caps = Caps(inner.limit, inner.weights, inner.weighted_limit, False)
        else:
            caps = Caps(np.full(a.shape[1], np.inf), None, None, False)
        if self.radius_bound(a, caps) < 1.0:
            return Caps(caps.limit, caps.weights, caps.weighted_limit, True)
        return caps

    def radius_bound(self, a: Array, caps: Caps) -> float:
        """An upper bound on ``ρ(A_s)`` valid for every draw, from the ranges alone.

        The capped cell noise only shrinks a column, so ``|A ∘ ε k| ≤ ε_max |A|`` (``ε_max`` the
        factor's upper end, ``0 ≤ k ≤ 1``), and the split adds ``|λ − 1| |a_k − ā|`` in its parts'
        columns with ``|λ − 1| ≤ max(1 − low, high − 1)``. With the Perron weights ``w`` of
        ``|A|`` (Collatz–Wielandt, as for the caps)::

            ρ(A_s) ≤ max_j (ε_max (wᵀ|A|)_j + Σ_splits |λ − 1|_max (wᵀ|a_k − ā|)_j) / w_j

        ``inf`` when the factor has no finite upper end or a cap could flip a column's sign.
        """
        top = 1.0
        if self.inner is not None:
            top = max(float(self.inner.factor.ppf(1.0)), 0.0)
            limits = [caps.limit] + ([caps.weighted_limit] if caps.weighted_limit is not None
                                     else [])
            if not np.isfinite(top) or any(np.any(lim <= 0.0) for lim in limits):
                return float("inf")
        absa = np.abs(a)
        w = perron_weights(absa)
        num = top * (w @ absa)
        for idx, d, dist in zip(self.columns, self.directions, self.factors, strict=True):
            lo, hi = (float(v) for v in dist.ppf([0.0, 1.0]))
            num[idx] += max(1.0 - lo, hi - 1.0, 0.0) * (w @ np.abs(d))
        return float(np.max(num / w))

    def lambdas(self, seed: int, start: int, stop: int) -> Array:
        """λ per draw and split: (b, splits)."""
        out = np.empty((stop - start, len(self.names)))
        for k, (dist, name) in enumerate(zip(self.factors, self.names, strict=True)):
            col = np.empty(stop - start)
            fill_range(dist.fill, name, seed, start, stop, col)
            out[:, k] = col
        return out

    def deltas(self, a: Array, seed: int, start: int, stop: int, caps: Caps) -> Array:
        """``ΔA_s``: the inner cell noise (if any) plus ``(λ_s − 1) (a_k − ā)`` in the parts'
        columns, (b, n, n)."""
        if self.inner is not None:
            out = self.inner.deltas(a, seed, start, stop, caps)
        else:
            out = np.zeros((stop - start, *a.shape))
        lam = self.lambdas(seed, start, stop) - 1.0
        for k, (idx, d) in enumerate(zip(self.columns, self.directions, strict=True)):
            out[:, :, idx] += lam[:, k, np.newaxis, np.newaxis] * d[np.newaxis]
        return out

    def measure_deltas(self, n_measures: int, n: int, seed: int, start: int, stop: int) -> Array:
        """``ΔC_s = (λ_s − 1) (c_k − c̄)`` in the parts' columns, (b, measures, n)."""
        out = np.zeros((stop - start, n_measures, n))
        lam = self.lambdas(seed, start, stop) - 1.0
        for k, (idx, dc) in enumerate(zip(self.columns, self.measure_directions, strict=True)):
            out[:, :, idx] += lam[:, k, np.newaxis, np.newaxis] * dc[np.newaxis]
        return out

    @staticmethod
    def check_productive(a: Array, deltas: Array, *, first_draw: int = 0) -> None:
        CoefficientPerturbation.check_productive(a, deltas, first_draw=first_draw)

    def systematic(self, a: Array, factor: float, caps: Caps) -> Array:
        """Every coefficient times ``factor`` (the inner noise's swing); the split factors stay
        at 1."""
        if self.inner is None:
            return np.array(a, dtype=float)
        return self.inner.systematic(a, factor, caps)

    def bytes_per_draw(self, n: int) -> int:
        return 3 * n * n * 8

    def to_dict(self) -> dict[str, Any]:
        return {
            "splits": {n: f.to_dict() for n, f in zip(self.names, self.factors, strict=True)},
            "inner": None if self.inner is None else self.inner.to_dict(),
        }
