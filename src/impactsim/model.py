"""Leontief demand model (Type I open, Type II households closed) and the Ghosh supply model.

With domestic coefficients ``A = Z_d x̂⁻¹`` and a final-demand change ``Δy`` (domestic part),
the open model gives ``Δx = (I − A)⁻¹ Δy = L Δy``. Per-unit-of-output coefficient rows ``c`` (value
added, labour income, imports, employment, any satellite) turn output into effects ``ĉ Δx``, and
the multipliers ``c'L`` are found by one transposed solve per measure set, never by an inverse.

Type II closes the model to households (Miller & Blair 2009, §2.5)::

    Ā = [[A,   h_c],      h_r: household income per unit of output (row)
         [h_r', h_s]]     h_c: household purchases from each sector per unit of income (column)

and the induced effect is the closed-model effect minus the open-model effect.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from . import linalg
from .errors import ClosureError, DemandError
from .results import Impact
from .table import COMPENSATION, EMPLOYMENT, HOUSEHOLDS, IOTable

Array = NDArray[np.float64]

#: Measures every model reports, in this order; satellites other than employment follow.
CORE_MEASURES = ("output", "value_added", "income", "imports", EMPLOYMENT)


@dataclass(frozen=True, slots=True)
class HouseholdClosure:
    """Coefficients that close the model to households (Type II).

    ``income``: household income per unit of output, by sector (the household row ``h_r``);
    ``consumption``: domestic purchases from each sector per unit of household income (the
    household column ``h_c``); ``self_coefficient``: household-to-household purchases per unit of
    income (``h_s``, usually 0). Sequences follow the table's sector order; a pandas Series is
    aligned on its labels.
    """

    income: Any
    consumption: Any
    self_coefficient: float = 0.0

    @classmethod
    def from_table(cls, table: IOTable, *, leakage: float = 0.0) -> HouseholdClosure:
        """The default closure derived from a table (the convention documented in methodology.md).

        ``h_r = compensation / x`` and ``h_c = (1 − leakage) · y_households / Σ compensation``,
        where ``y_households`` is the *domestic* household final demand column. ``leakage`` is
        the share of labour income not spent on domestic products beyond what the table already
        shows (income taxes, social contributions, extra saving); 0 keeps the table's own ratio.
        """
        comp = table.compensation
        if comp is None:
            raise ClosureError(
                f"table '{table.meta.name}' has no value-added component named "
                f"'{COMPENSATION}'; name the labour-income row 'compensation' or pass "
                "HouseholdClosure(income=..., consumption=...)"
            )
        if HOUSEHOLDS not in table.final_demand_categories:
            raise ClosureError(
                f"table '{table.meta.name}' has no final-demand category '{HOUSEHOLDS}' "
                f"(has {list(table.final_demand_categories)}); name the household consumption "
                "column 'households' or pass HouseholdClosure(income=..., consumption=...)"
            )
        if not 0.0 <= leakage < 1.0:
            raise ClosureError(f"leakage={leakage}: must be in [0, 1)")
        total_income = float(comp.sum())
        if total_income <= 0:
            raise ClosureError("compensation sums to zero or less: cannot form consumption shares")
        y_h = table.y_domestic[:, table.final_demand_categories.get_loc(HOUSEHOLDS)]
        return cls(
            income=linalg.per_unit(comp, table.x),
            consumption=(1.0 - leakage) * y_h / total_income,
        )

    def arrays(self, sectors: pd.Index) -> tuple[Array, Array, float]:
        """(h_r, h_c, h_s) as float arrays in the order of ``sectors``; validated."""
        out = []
        for what, val in (("income", self.income), ("consumption", self.consumption)):
            if isinstance(val, pd.Series):
                missing = sectors.difference(val.index)
                if len(missing):
                    raise ClosureError(
                        f"HouseholdClosure.{what}: no value for sector(s) {list(missing[:3])}; "
                        "give one value per table sector"
                    )
                arr = val.reindex(sectors).to_numpy(dtype=float)
            else:
                arr = np.asarray(val, dtype=float).reshape(-1)
            if arr.shape[0] != len(sectors):
                raise ClosureError(
                    f"HouseholdClosure.{what}: {arr.shape[0]} values for {len(sectors)} "
                    "sectors; give one per sector, in table order"
                )
            if not np.all(np.isfinite(arr)) or (arr < 0).any():
                raise ClosureError(
                    f"HouseholdClosure.{what}: values must be finite and >= 0 "
                    f"(first bad at sector {sectors[int(np.flatnonzero(~(arr >= 0))[0])]!r})"
                )
            out.append(arr)
        hs = float(self.self_coefficient)
        if not (np.isfinite(hs) and 0.0 <= hs < 1.0):
            raise ClosureError(f"HouseholdClosure.self_coefficient={hs}: must be in [0, 1)")
        return out[0], out[1], hs


def _demand_vector(demand: Any, sectors: pd.Index, table_name: str) -> Array:
    """A final-demand change as a float vector in table order (mapping, Series or array)."""
    n = len(sectors)
    if isinstance(demand, Mapping | pd.Series):
        y = np.zeros(n)
        items = demand.items()
        for label, value in items:
            try:
                pos = sectors.get_loc(label)
            except KeyError:
                import difflib

                near = difflib.get_close_matches(str(label), [str(s) for s in sectors], n=3)
                hint = f"; did you mean {near}?" if near else ""
                raise DemandError(
                    f"demand names sector {label!r}, which table '{table_name}' does not have{hint}"
                ) from None
            if not isinstance(pos, int | np.integer):
                raise DemandError(f"demand label {label!r} matches several sectors; use a full label")
            try:
                y[pos] += float(value)
            except (TypeError, ValueError):
                raise DemandError(f"demand for sector {label!r}: {value!r} is not a number") from None
    else:
        try:
            y = np.asarray(demand, dtype=float)
        except (TypeError, ValueError):
            raise DemandError("demand: values must be numbers") from None
        if y.ndim != 1 or y.shape[0] != n:
            raise DemandError(
                f"demand: expected {n} values (one per sector) or a mapping sector → amount, "
                f"got shape {y.shape}"
            )
    if not np.all(np.isfinite(y)):
        raise DemandError("demand: contains NaN or inf; give finite amounts in table units")
    return y


@dataclass(frozen=True, eq=False)
class LeontiefModel:
    """The Leontief demand model on a table's domestic coefficients; Type II via ``closure``.

    ``(I − A)`` is factorized once on first use (the productivity check runs first) and every
    solve reuses it. ``closure=None`` derives the default household closure from the table when
    induced effects are first asked for (:meth:`HouseholdClosure.from_table`).
    """

    table: IOTable
    closure: HouseholdClosure | None = None
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    # --------------------------------------------------------------- coefficients
    @cached_property
    def a(self) -> Array:
        """Domestic technical coefficients ``A_d = Z_d x̂⁻¹`` (ndarray, read-only)."""
        a = linalg.input_coefficients(self.table.z_domestic, self.table.x)
        a.flags.writeable = False
        return a

    @property
    def coefficients(self) -> pd.DataFrame:
        """Domestic technical coefficients ``A_d`` as a labelled n × n frame."""
        return pd.DataFrame(self.a, index=self.table.sectors, columns=self.table.sectors)

    @cached_property
    def measures(self) -> tuple[str, ...]:
        """Names of the measures reported: output, value_added, [income], imports, satellites."""
        names = ["output", "value_added"]
        if self.table.compensation is not None:
            names.append("income")
        names.append("imports")
        names.extend(self.table.sats)
        return tuple(names)

    @cached_property
    def measure_coefficients(self) -> Array:
        """Per-unit-of-output coefficient rows ``C`` (measures × n); output's row is ones."""
        t = self.table
        rows = [np.ones(t.n), linalg.per_unit(t.va.sum(axis=0), t.x)]
        if t.compensation is not None:
            rows.append(linalg.per_unit(t.compensation, t.x))
        rows.append(linalg.per_unit(t.import_row, t.x))
        rows.extend(linalg.per_unit(v, t.x) for v in t.sats.values())
        c = np.vstack(rows)
        c.flags.writeable = False
        return c

    @property
    def units(self) -> dict[str, str]:
        """Unit of each measure: money for output/value added/income/imports, persons for jobs."""
        money = self.table.meta.money_unit
        out = {m: money for m in ("output", "value_added", "income", "imports")}
        for key in self.table.sats:
            out[key] = self.table.meta.employment_unit if key == EMPLOYMENT else key
        return {m: out[m] for m in self.measures}

    # --------------------------------------------------------------- factorizations
    @property
    def productivity(self) -> linalg.Productivity:
        """Productivity diagnostic of ``A_d`` (spectral-radius bound or value)."""
        return linalg.check_productivity(self.a)

    @property
    def factorization(self) -> linalg.Factorization:
        """LU factors of ``I − A_d`` (computed once; raises if A is not productive)."""
        if "open" not in self._cache:
            self._cache["open"] = linalg.factorize_leontief(self.a)
        return self._cache["open"]

    @property
    def household_closure(self) -> HouseholdClosure:
        """The closure in use: the one given, or the table's default."""
        if "closure" not in self._cache:
            self._cache["closure"] = self.closure or HouseholdClosure.from_table(self.table)
        return self._cache["closure"]

    @property
    def closed_coefficients(self) -> pd.DataFrame:
        """The bordered matrix ``Ā`` ((n+1) × (n+1)); the last row/column is ``households``."""
        labels = self._closed_labels()
        return pd.DataFrame(self._closed_a(), index=labels, columns=labels)

    def _closed_labels(self) -> pd.Index:
        sec = self.table.sectors
        if isinstance(sec, pd.MultiIndex):
            extra = tuple([HOUSEHOLDS] + [""] * (sec.nlevels - 1))
            return sec.append(pd.MultiIndex.from_tuples([extra], names=sec.names))
        return sec.append(pd.Index([HOUSEHOLDS]))

    def _closed_a(self) -> Array:
        hr, hc, hs = self.household_closure.arrays(self.table.sectors)
        return linalg.close_matrix(self.a, hr, hc, hs)

    @property
    def closed_factorization(self) -> linalg.Factorization:
        """LU factors of ``I − Ā`` for the households-closed model (computed once)."""
        if "closed" not in self._cache:
            self._cache["closed"] = linalg.factorize_leontief(self._closed_a())
        return self._cache["closed"]

    # --------------------------------------------------------------- inverses on request
    @property
    def leontief_inverse(self) -> pd.DataFrame:
        """``L = (I − A_d)⁻¹`` (n × n), formed only when asked for."""
        inv = self.factorization.inverse()
        return pd.DataFrame(inv, index=self.table.sectors, columns=self.table.sectors)

    @property
    def closed_leontief_inverse(self) -> pd.DataFrame:
        """``L̄ = (I − Ā)⁻¹`` ((n+1) × (n+1)), formed only when asked for."""
        labels = self._closed_labels()
        return pd.DataFrame(self.closed_factorization.inverse(), index=labels, columns=labels)

    # --------------------------------------------------------------- solves
    def solve(self, demand: ArrayLike, *, induced: bool = False) -> Array:
        """Output ``x = L y`` (or the industry rows of ``L̄ [y; 0]``) for (n,) or (n, k) demand."""
        y = np.asarray(demand, dtype=float)
        n = self.table.n
        if y.shape[0] != n:
            raise DemandError(f"demand: first dimension {y.shape[0]} must equal {n} sectors")
        if not induced:
            return self.factorization.solve(y)
        pad = np.zeros((1, *y.shape[1:]))
        return self.closed_factorization.solve(np.concatenate([y, pad]))[:n]

    def multiplier_matrix(self, *, induced: bool = False) -> Array:
        """Total multipliers ``C L`` (measures × n), or ``C̄ L̄`` restricted to industries.

        One transposed solve with every measure as a right-hand side.
        """
        key = f"mult-{induced}"
        if key not in self._cache:
            c = self.measure_coefficients
            if induced:
                rhs = np.vstack([c.T, np.zeros((1, c.shape[0]))])
                mult = self.closed_factorization.solve_transposed(rhs)[: self.table.n].T
            else:
                mult = self.factorization.solve_transposed(np.ascontiguousarray(c.T)).T
            mult.flags.writeable = False
            self._cache[key] = mult
        return self._cache[key]

    def multipliers(
        self, *, induced: bool = False, form: Literal["total", "ratio"] = "total"
    ) -> pd.DataFrame:
        """Multipliers per sector (rows) and measure (columns).

        ``form="total"``: effect per unit of final demand, ``c'L`` (Type I) or ``c̄'L̄`` (Type II);
        the output multiplier is the column sum of ``L`` over industry rows only. With
        ``induced=True`` the column ``household_income`` is the household row of ``L̄``.
        ``form="ratio"``: (direct + indirect [+ induced]) / direct, dividing by each sector's own
        coefficient ``c_j`` (RIMS II direct-effect multipliers; NaN where ``c_j = 0``).
        """
        if form not in ("total", "ratio"):
            raise ValueError(f"form={form!r}: use 'total' or 'ratio'")
        mult = self.multiplier_matrix(induced=induced)
        frame = pd.DataFrame(mult.T, index=self.table.sectors, columns=list(self.measures))
        if form == "ratio":
            c = self.measure_coefficients
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(c != 0, mult / np.where(c != 0, c, 1.0), np.nan)
            frame = pd.DataFrame(ratio.T, index=self.table.sectors, columns=list(self.measures))
        elif induced:
            e = np.zeros(self.table.n + 1)
            e[-1] = 1.0
            frame["household_income"] = self.closed_factorization.solve_transposed(e)[: self.table.n]
        frame.attrs["units"] = self.units
        frame.attrs["type"] = "II" if induced else "I"
        frame.attrs["form"] = form
        return frame

    def effects(self, demand: ArrayLike, *, induced: bool = False) -> Array:
        """Effects by (effect, measure, sector) for one demand vector, as an ndarray.

        Effects are ``direct = ĉ y``, ``indirect = ĉ (L y − y)`` and, with ``induced``,
        ``induced = ĉ (L̄ȳ − L y)``; shape (2 or 3, measures, n).
        """
        y = np.asarray(demand, dtype=float)
        c = self.measure_coefficients
        x_open = self.solve(y)
        layers = [c * y, c * (x_open - y)]
        if induced:
            layers.append(c * (self.solve(y, induced=True) - x_open))
        return np.stack(layers)

    def impact(self, demand: Any, *, induced: bool = False) -> Impact:
        """The impact of a final-demand change (domestic, table money units) as an :class:`Impact`.

        ``demand`` is a mapping sector → amount, a labelled Series or an array in table order.
        Direct = the shock with its own value added, income and jobs; indirect = open model minus
        direct; induced = households-closed minus open.
        """
        y = _demand_vector(demand, self.table.sectors, self.table.meta.name)
        values = self.effects(y, induced=induced)
        effects = ("direct", "indirect", "induced") if induced else ("direct", "indirect")
        return Impact(
            values=values,
            effects=effects,
            measures=self.measures,
            sectors=self.table.sectors,
            units=self.units,
            table=self.table.meta,
            demand=y,
        )


@dataclass(frozen=True, eq=False)
class GhoshModel:
    """The Ghosh supply-side model: ``B = x̂⁻¹ Z_d``, ``G = (I − B)⁻¹``, ``Δx' = Δv' G``.

    Supply-driven: a change in primary inputs (value added, or imports) is pushed forward to the
    buyers at fixed *allocation* shares. Read results as a forward-linkage measure, not a forecast:
    the model implies output can rise without the demand for it and ignores that production needs
    all its inputs (Oosterhaven 1988; Dietzenbacher 1997 reads it as a price model). Numerically,
    ``G = x̂⁻¹ L x̂``, so it reuses the Leontief factorization.
    """

    table: IOTable
    _leontief: LeontiefModel = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_leontief", LeontiefModel(self.table))

    @property
    def allocation(self) -> pd.DataFrame:
        """Allocation coefficients ``B = x̂⁻¹ Z_d``: share of row sector's output sold to column."""
        b = linalg.allocation_coefficients(self.table.z_domestic, self.table.x)
        return pd.DataFrame(b, index=self.table.sectors, columns=self.table.sectors)

    @property
    def ghosh_inverse(self) -> pd.DataFrame:
        """``G = (I − B)⁻¹ = x̂⁻¹ L x̂`` (n × n), formed only when asked for."""
        x = self.table.x
        inv = self._leontief.factorization.inverse()
        g = inv * x[np.newaxis, :] / x[:, np.newaxis]
        return pd.DataFrame(g, index=self.table.sectors, columns=self.table.sectors)

    def forward_linkages(self) -> pd.Series:
        """Output (forward-linkage) multipliers ``G 1 = x̂⁻¹ L x``: total output enabled downstream
        per unit of primary input in each sector."""
        x = self.table.x
        g1 = self._leontief.factorization.solve(x) / x
        return pd.Series(g1, index=self.table.sectors, name="forward_linkage")

    def impact(self, primary_inputs: Mapping[Any, float] | Sequence[float] | pd.Series) -> pd.Series:
        """Output change ``Δx' = Δv' G`` from a change in primary inputs ``Δv`` (table money units).

        Computed as ``Δx = x̂ L' (x̂⁻¹ Δv)`` with one transposed solve.
        """
        dv = _demand_vector(primary_inputs, self.table.sectors, self.table.meta.name)
        x = self.table.x
        dx = self._leontief.factorization.solve_transposed(dv / x) * x
        return pd.Series(dx, index=self.table.sectors, name="output_change")
