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

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from ..errors import ClosureError, DemandError, NotProductiveError, OptionError, TableError
from ..tables.table import COMPENSATION, EMPLOYMENT, HOUSEHOLDS, NET_PRODUCT_TAXES, IOTable
from . import linalg
from .measures import REGISTRY, MeasureRegistry
from .results import Impact, label_index

Array = NDArray[np.float64]

#: A final-demand (or primary-input) change: sector label → amount (labels as in
#: ``table.sectors``: product codes, or (region, sector) pairs on a multi-region table), a
#: labelled Series, or an array in table order; table money units.
Demand: TypeAlias = (
    "Mapping[str, float] | Mapping[tuple[str, str], float] | pd.Series | ArrayLike"
)

#: Measures every model reports, in this order; satellites other than employment follow.


@dataclass(frozen=True, slots=True)
class HouseholdClosure:
    """Coefficients that close the model to households (Type II).

    ``income``: household income per unit of output, by sector (the household row ``h_r``, >= 0);
    ``consumption``: domestic purchases from each sector per unit of household income (the
    household column ``h_c``; negative entries, households' net sales such as scrap, are
    allowed); ``self_coefficient``: household-to-household purchases per unit of income
    (``h_s``, in [0, 1), usually 0). Sequences follow the table's sector order; a pandas Series
    is aligned on its labels.
    """

    income: ArrayLike
    consumption: ArrayLike
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
            raise ClosureError(
                f"leakage={leakage}: must be in [0, 1) (share of labour income not spent on "
                "domestic products)"
            )
        total_income = float(comp.sum())
        if total_income <= 0:
            raise ClosureError(
                f"table '{table.meta.name}': compensation sums to {total_income:g}, so household "
                "consumption shares cannot be formed; fix the 'compensation' row or pass "
                "HouseholdClosure(income=..., consumption=...)"
            )
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
                try:
                    arr = np.asarray(val, dtype=float).reshape(-1)
                except (TypeError, ValueError):
                    raise ClosureError(
                        f"HouseholdClosure.{what}: values must be numbers, one per sector; got "
                        f"{type(val).__name__}"
                    ) from None
            if arr.shape[0] != len(sectors):
                raise ClosureError(
                    f"HouseholdClosure.{what}: {arr.shape[0]} values for {len(sectors)} "
                    "sectors; give one per sector, in table order"
                )
            # Household purchases may be negative (households' net sales, e.g. of scrap, as the
            # Bank of Korea records them); income per unit of output may not.
            ok = np.isfinite(arr) if what == "consumption" else np.isfinite(arr) & (arr >= 0)
            bad = np.flatnonzero(~ok)
            if bad.size:
                rule = "a finite number" if what == "consumption" else "a finite number >= 0"
                raise ClosureError(
                    f"HouseholdClosure.{what}: value {float(arr[bad[0]])!r} for sector "
                    f"{sectors[int(bad[0])]!r} is not {rule}; give household income per unit of "
                    "output (income) and purchases per unit of household income (consumption)"
                )
            out.append(arr)
        try:
            hs = float(self.self_coefficient)
        except (TypeError, ValueError):
            hs = float("nan")
        if not (np.isfinite(hs) and 0.0 <= hs < 1.0):
            raise ClosureError(
                f"HouseholdClosure.self_coefficient={self.self_coefficient!r}: must be a number "
                "in [0, 1) (household purchases from households per unit of income; usually 0)"
            )
        return out[0], out[1], hs


def _demand_vector(
    demand: Demand, sectors: pd.Index, table_name: str, *, what: str = "demand"
) -> Array:
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
                    f"{what} names sector {label!r}, which table '{table_name}' does not "
                    f"have{hint}; use the table's sector labels (table.sectors)"
                ) from None
            if not isinstance(pos, int | np.integer):
                raise DemandError(
                    f"{what}: label {label!r} matches several sectors; give the full label"
                )
            try:
                y[pos] += float(value)
            except (TypeError, ValueError):
                raise DemandError(
                    f"{what} for sector {label!r}: {value!r} is not a number; give an amount "
                    "in table money units"
                ) from None
    else:
        try:
            y = np.array(demand, dtype=float)
        except (TypeError, ValueError):
            raise DemandError(
                f"{what}: values must be numbers (table money units), one per sector"
            ) from None
        if y.ndim != 1 or y.shape[0] != n:
            raise DemandError(
                f"{what}: expected {n} values (one per sector) or a mapping sector → amount, "
                f"got shape {y.shape}"
            )
    bad = np.flatnonzero(~np.isfinite(y))
    if bad.size:
        raise DemandError(
            f"{what}: NaN or inf for sector {sectors[int(bad[0])]!r}; give finite amounts in "
            "table money units"
        )
    return y


@dataclass(frozen=True, eq=False)
class LeontiefModel:
    """The Leontief demand model on a table's domestic coefficients; Type II via ``closure``.

    ``(I − A)`` is factorized once on first use (the productivity check runs first) and every
    solve reuses it; the households-closed model borders that factorization (Schur complement)
    instead of factorizing again. ``closure=None`` derives the default household closure from
    the table when induced effects are first asked for (:meth:`HouseholdClosure.from_table`).
    """

    table: IOTable
    closure: HouseholdClosure | None = field(default=None, kw_only=True)
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.table, IOTable):
            raise TableError(
                "LeontiefModel: table must be an impactsim.IOTable, got "
                f"{type(self.table).__name__}; build one with IOTable.from_arrays(...) or "
                "impactsim.load_table(...)"
            )
        if self.closure is not None:
            if not isinstance(self.closure, HouseholdClosure):
                raise ClosureError(
                    f"closure must be an impactsim.HouseholdClosure or None, got "
                    f"{type(self.closure).__name__}; use HouseholdClosure(income=..., "
                    "consumption=...) or HouseholdClosure.from_table(table)"
                )
            self._cache["closure-arrays"] = self.closure.arrays(self.table.sectors)

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
        """Measures reported: output, value_added, [income], imports, [net_product_taxes], sats."""
        names = ["output", "value_added"]
        if self.table.compensation is not None:
            names.append("income")
        names.append("imports")
        if NET_PRODUCT_TAXES in self.table.value_added_components:
            names.append(NET_PRODUCT_TAXES)
        names.extend(self.table.sats)
        return tuple(names)

    @cached_property
    def measure_coefficients(self) -> Array:
        """Per-unit-of-output coefficient rows ``C`` (measures × n); output's row is ones.

        Rows: output (1), value added ``v = 1'V x̂⁻¹`` (all components except
        ``net_product_taxes``), income ``w = compensation x̂⁻¹``, imports ``m = m' x̂⁻¹``
        (intermediate imports), net product taxes ``t = t' x̂⁻¹`` (if the table has them), then
        each satellite ``e = sat x̂⁻¹``.
        """
        t = self.table
        comps = t.value_added_components
        taxes = None
        va_total = t.va.sum(axis=0)
        if NET_PRODUCT_TAXES in comps:
            taxes = t.va[comps.get_loc(NET_PRODUCT_TAXES)]
            va_total = va_total - taxes
        rows = [np.ones(t.n), linalg.per_unit(va_total, t.x)]
        if t.compensation is not None:
            rows.append(linalg.per_unit(t.compensation, t.x))
        rows.append(linalg.per_unit(t.import_row, t.x))
        if taxes is not None:
            rows.append(linalg.per_unit(taxes, t.x))
        rows.extend(linalg.per_unit(v, t.x) for v in t.sats.values())
        c = np.vstack(rows)
        c.flags.writeable = False
        return c

    @property
    def units(self) -> dict[str, str]:
        """Unit of each measure: money for output/value added/income/imports, persons for jobs."""
        return dict(self._units)

    @cached_property
    def _units(self) -> dict[str, str]:
        reg = self.registry
        return {m: reg[m].unit_for(money_unit=self.table.meta.money_unit) for m in self.measures}

    @cached_property
    def registry(self) -> MeasureRegistry:
        """The measure registry of this model: the core measures plus the table's satellites
        with their units (``meta.employment_unit``, ``meta.satellite_units``)."""
        meta = self.table.meta
        units = {k: (meta.employment_unit if k == EMPLOYMENT else
                     meta.satellite_units.get(k, "")) for k in self.table.sats}
        return REGISTRY.with_satellites(units)

    # --------------------------------------------------------------- factorizations
    @property
    def productivity(self) -> linalg.Productivity:
        """Productivity diagnostic of ``A_d`` (spectral-radius bound or value)."""
        if "productivity" not in self._cache:
            self._cache["productivity"] = linalg.check_productivity_flows(
                self.table.z_domestic, self.table.x
            )
        return self._cache["productivity"]

    @property
    def factorization(self) -> linalg.Factorization:
        """LU factors of ``I − A_d`` (computed once; raises if A is not productive).

        Built straight from ``Z_d`` and ``x``: the only n × n array allocated is ``I − A_d``,
        which LAPACK overwrites with its factors.
        """
        if "open" not in self._cache:
            fact, diag = linalg.factorize_flows(
                self.table.z_domestic, self.table.x, labels=self.table.sectors
            )
            self._cache["productivity"] = diag
            self._cache["open"] = fact
        return self._cache["open"]

    @property
    def household_closure(self) -> HouseholdClosure:
        """The closure in use: the one given, or the table's default."""
        if "closure" not in self._cache:
            self._cache["closure"] = self.closure or HouseholdClosure.from_table(self.table)
        return self._cache["closure"]

    def _closure_arrays(self) -> tuple[Array, Array, float]:
        if "closure-arrays" not in self._cache:
            self._cache["closure-arrays"] = self.household_closure.arrays(self.table.sectors)
        return self._cache["closure-arrays"]

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
        hr, hc, hs = self._closure_arrays()
        return linalg.close_matrix(self.a, hr, hc, hs)

    @property
    def closed_factorization(self) -> linalg.BorderedFactorization:
        """Solver for ``I − Ā`` (households closed), bordering the open LU (computed once).

        No second O(n³) factorization: see :class:`impactsim.engine.linalg.BorderedFactorization`.
        With non-negative coefficients the closed model is productive iff the Schur complement
        ``1 − h_s − h_r'L h_c`` is positive; otherwise ρ(Ā) is checked directly.
        """
        if "closed" not in self._cache:
            hr, hc, hs = self._closure_arrays()
            base = self.factorization
            diag = self.productivity
            # w = (I − A)⁻ᵀh_r rides along with the Type I multipliers' transposed solve, and
            # u = (I − A)⁻¹h_c with an impact's forward solve when that came first.
            if "mult-False" not in self._cache:
                self.multiplier_matrix()
            w = self._cache.pop("w", None)
            u = self._cache.pop("u", None)
            # With A >= 0 and h >= 0, s > 0 decides productivity (factorize_bordered checks it).
            # Negative household purchases: ρ(Ā) <= ρ(|Ā|), so s > 0 for |h_c| still proves it
            # in O(n²); only failing that, or with negative A, are eigenvalues computed.
            need_eig = not diag.nonnegative
            if diag.nonnegative and hc.min() < 0:
                s_abs = 1.0 - hs - float(hr @ base.solve(np.abs(hc)))
                need_eig = not s_abs > 0.0
            if need_eig:
                closed = linalg.check_productivity(self._closed_a())
                if not closed.productive:
                    raise NotProductiveError(
                        f"households-closed model is not productive: spectral radius "
                        f"{closed.radius or float('nan'):.6g} must be below 1; lower "
                        "HouseholdClosure.consumption "
                        "or income, e.g. HouseholdClosure.from_table(table, leakage=0.2)"
                    )
            self._cache["closed"] = linalg.factorize_bordered(base, hr, hc, hs, u=u, w=w)
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
        if y.ndim not in (1, 2) or y.shape[0] != n:
            raise DemandError(
                f"demand: shape {y.shape}; give (n,) or (n, k) with n = {n} sectors in table order"
            )
        if not induced:
            return self.factorization.solve(y)
        pad = np.zeros((1, *y.shape[1:]))
        return self.closed_factorization.solve(np.concatenate([y, pad]))[:n]

    def multiplier_matrix(self, *, induced: bool = False) -> Array:
        """Total multipliers ``C L`` (measures × n), or ``C̄ L̄`` restricted to industries.

        One transposed solve with every measure as a right-hand side: ``(I − A)ᵀ Mᵀ = Cᵀ``.
        """
        key = f"mult-{induced}"
        if key not in self._cache:
            if induced:
                # Bordered transposed solve with right-hand side [Cᵀ; 0]: p₀ = (I − A)⁻ᵀCᵀ is
                # the Type I result, so  C̄L̄ (industries) = CL + (CL h_c) w' / s.
                fact = self.closed_factorization
                open_mult = self.multiplier_matrix()
                mult = open_mult + np.multiply.outer(
                    open_mult @ fact.consumption / fact.schur, fact.w
                )
            else:
                c = self.measure_coefficients
                try:  # h_r as an extra right-hand side gives w = (I − A)⁻ᵀh_r for Type II
                    hr = self._closure_arrays()[0]
                except ClosureError:
                    hr = None
                rhs = c.T if hr is None else np.column_stack([c.T, hr])
                sol = self.factorization.solve_transposed(np.ascontiguousarray(rhs))
                if hr is not None:
                    self._cache["w"] = np.ascontiguousarray(sol[:, -1])
                    sol = sol[:, :-1]
                mult = sol.T
            self._store_multipliers(induced, mult)
        return self._cache[key]

    def _store_multipliers(self, induced: bool, mult: Array) -> None:
        mult = np.ascontiguousarray(mult)
        mult.flags.writeable = False
        self._cache[f"mult-{induced}"] = mult

    @cached_property
    def _measure_index(self) -> pd.Index:
        return label_index(self.measures)

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
            raise OptionError(f"multipliers(form={form!r}): use form='total' or form='ratio'")
        mult = self.multiplier_matrix(induced=induced)
        columns = self._measure_index
        if form == "ratio":
            c = self.measure_coefficients
            with np.errstate(divide="ignore", invalid="ignore"):
                values = np.where(c != 0, mult / np.where(c != 0, c, 1.0), np.nan)
        elif induced:
            fact = self.closed_factorization
            values = np.vstack([mult, fact.w / fact.schur])
            columns = label_index((*self.measures, "household_income"))
        else:
            values = mult
        frame = pd.DataFrame(values.T, index=self.table.sectors, columns=columns, copy=True)
        frame.attrs["units"] = self.multiplier_units(form=form, columns=tuple(columns))
        frame.attrs["type"] = "II" if induced else "I"
        frame.attrs["form"] = form
        return frame

    def multiplier_units(
        self, *, form: str = "total", columns: tuple[str, ...] | None = None
    ) -> dict[str, str]:
        """Unit of each multiplier column: per unit of *final demand*, not of output.

        ``form="total"``: e.g. ``"million KRW per million KRW of final demand"`` for money and
        ``"persons (FTE) per million KRW of final demand"`` for employment; ``form="ratio"``:
        ``"ratio (direct + indirect [+ induced]) / direct"``.
        """
        cols = columns if columns is not None else self.measures
        money = self.table.meta.money_unit or "table money unit"
        if form == "ratio":
            return {c: "ratio (total / direct)" for c in cols}
        out = {}
        for c in cols:
            base = self._units.get(c, money) if c != "household_income" else money
            out[c] = f"{base} per {money} of final demand"
        return out

    def effects(self, demand: ArrayLike, *, induced: bool = False) -> Array:
        """Effects by (effect, measure, sector) for one demand vector, as an ndarray.

        Effects are ``direct = ĉ y``, ``indirect = ĉ (L y − y)`` and, with ``induced``,
        ``induced = ĉ (L̄ȳ − L y)``; shape (2 or 3, measures, n).
        """
        y = np.asarray(demand, dtype=float)
        if y.ndim != 1:
            raise DemandError(f"effects: demand must be one vector of {self.table.n} values")
        c = self.measure_coefficients
        if induced and "closed" not in self._cache:
            # u = (I − A)⁻¹h_c rides along with this forward solve.
            hc = self._closure_arrays()[1]
            sol = self.solve(np.column_stack([y, hc]))
            x_open = sol[:, 0]
            self._cache["u"] = np.ascontiguousarray(sol[:, 1])
        else:
            x_open = self.solve(y)
        layers = [c * y, c * (x_open - y)]
        if induced:
            # Bordered solve with β = 0: x̄ = x + u z, z = h_r'x / s (one open solve shared).
            fact = self.closed_factorization
            z = float(fact.income @ x_open) / fact.schur
            layers.append(c * (fact.u * z))
        return np.stack(layers)

    def impact(self, demand: Demand, *, induced: bool = False) -> Impact:
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
            units=MappingProxyType(self._units),
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

    def impact(
        self, primary_inputs: Demand
    ) -> pd.Series:
        """Output change ``Δx' = Δv' G`` from a change in primary inputs ``Δv`` (table money units).

        Computed as ``Δx = x̂ L' (x̂⁻¹ Δv)`` with one transposed solve.
        """
        dv = _demand_vector(
            primary_inputs, self.table.sectors, self.table.meta.name, what="primary_inputs"
        )
        x = self.table.x
        dx = self._leontief.factorization.solve_transposed(dv / x) * x
        return pd.Series(dx, index=self.table.sectors, name="output_change")
