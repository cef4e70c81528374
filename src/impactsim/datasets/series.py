"""Bank of Korea inducement coefficients 2020–2023 by 33-sector group, and a productivity path.

:func:`bok_series` returns BOK's published output-, import- and employment-inducement
coefficients (ECOS 2.2.1.2.3 / 2.2.1.2.4 / 2.2.1.2.6, producers' prices, 33 sectors) as tidy
frames; :func:`bok_economy` BOK's economy-wide headline figures; :func:`employment_path` turns
the employment series into a path of jobs per unit of output relative to 2020, extrapolated to
later years with a stated rule and a spread. Data: ``datasets/data/bok-series/`` (built by
``scripts/build_bok_series.py``; values as published, nothing recomputed).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import DataSourceError, OptionError
from .catalog import unsplit_accounts

SERIES_DIR = Path(__file__).resolve().parent / "data" / "bok-series"
MEASURES = ("output", "imports", "employment")
BASE_YEAR = 2020
Rule = Literal["trend", "hold", "midpoint"]


@functools.cache
def _read(name: str) -> pd.DataFrame:
    path = SERIES_DIR / name
    try:
        return pd.read_csv(path, dtype={"group": str, "induced_group": str}, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise DataSourceError(f"{path}: cannot read the BOK series ({exc})") from None


def _measures(measure: str | Sequence[str] | None) -> list[str]:
    wanted = (
        list(MEASURES)
        if measure is None
        else [measure]
        if isinstance(measure, str)
        else list(measure)
    )
    bad = [m for m in wanted if m not in MEASURES]
    if bad:
        raise OptionError(f"measure: unknown {bad}; fix: use one of {list(MEASURES)}")
    return wanted


def _groups(groups: Iterable[str] | None) -> list[str]:
    known = list(_read("groups.csv")["group"])
    if groups is None:
        return known
    wanted = [groups] if isinstance(groups, str) else list(groups)
    bad = [g for g in wanted if g not in known]
    if bad:
        raise OptionError(
            f"groups: unknown BOK 33-sector group(s) {bad}; fix: use codes from "
            f"ims.datasets.bok_series()['group'] (e.g. 'C09' computers/electronics, 'F', 'J')"
        )
    return wanted


def bok_series(measure: str | Sequence[str] | None = None, *, cells: bool = False) -> pd.DataFrame:
    """BOK's published inducement coefficients by 33-sector group and year (2020–2023).

    Parameters
    ----------
    measure
        ``"output"`` (KRW of output per KRW of final demand, ``1′L``), ``"imports"`` (KRW of
        imported inputs, ``m′L``) or ``"employment"`` (persons, FTE, per KRW 1 bn of final
        demand in that year's prices, ``l′L``); one, several, or ``None`` for all three.
    cells
        ``False``: the published column sums (열합), one row per (measure, group, year): the
        coefficient of one unit of final demand for the group's domestic products. ``True``:
        every cell of BOK's 33 × 33 matrices, with ``induced_group`` the row (the group whose
        output / imports / jobs are induced) and ``group`` the column (the demand).

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, group, [induced_group,] year, value, unit, group_name_en,
        group_name_ko``; BOK's values to their printed 6 decimals. 2020 is the benchmark table,
        2021–2023 extension tables (official, Bank of Korea).
    """
    wanted = _measures(measure)
    names = _read("groups.csv").rename(
        columns={"name_en": "group_name_en", "name_ko": "group_name_ko"}
    )
    if not cells:
        frame = _read("inducement.csv")
        frame = frame[frame["measure"].isin(wanted)]
    else:
        wide = _read("cells.csv")
        wide = wide[wide["measure"].isin(wanted)]
        frame = wide.melt(
            id_vars=["measure", "group", "induced_group"], var_name="year", value_name="value"
        )
        frame["year"] = frame["year"].astype("int64")
        units = _read("inducement.csv").drop_duplicates("measure").set_index("measure")["unit"]
        frame["unit"] = frame["measure"].map(units)
        frame = frame.sort_values(["measure", "group", "induced_group", "year"], kind="stable")
    out = frame.merge(names, on="group", how="left")
    return out.reset_index(drop=True)


def bok_economy() -> pd.DataFrame:
    """BOK's economy-wide (all final demand) coefficients as published in its releases.

    Columns ``year, measure, value, unit, source``; employment in persons (FTE) per KRW 1 bn of
    final demand, output / value added / imports in KRW per KRW of domestic final demand, and
    BOK's FTE employment total. Official figures, each row citing the BOK release it is from.
    """
    return _read("economy.csv").copy()


def employment_path(
    groups: str | Iterable[str] | None = None,
    *,
    years: Iterable[int] = range(2020, 2041),
    rule: Rule = "midpoint",
    prices: Mapping[int, float] | None = None,
) -> pd.DataFrame:
    """Jobs per unit of output by 33-sector group over time, relative to 2020.

    Observed years (2020–2023): ``f_t = e_t / e_2020``, with ``e_t`` BOK's published
    employment-inducement column sum of the group (persons per KRW bn of final demand for the
    group's products, direct and indirect). With ``prices`` (a price index by year, 2020 = 1,
    e.g. a deflator for the group's output) the ratio is moved to 2020 prices:
    ``f_t = (e_t · P_t) / e_2020``; without it the ratio is per current-price KRW (price
    changes then count as productivity changes).

    Later years follow ``rule`` from the last observed year T = 2023:

    * ``"trend"``: the log-linear least-squares trend of ``ln f_t`` on the year over
      2020–2023 continues: ``f_t = f_T · exp(b (t − T))``;
    * ``"hold"``: ``f_t = f_T`` (no further change);
    * ``"midpoint"`` (default, derived): the geometric mean of the two, ``√(trend · hold)``.
      The 2020–2023 fall mixes productivity with price rises (the coefficients are per
      current-price KRW) and the break from the 2020 benchmark to extension tables, so 17
      more years of trend is the steep end and holding the 2023 level the flat end.

    Spread (every rule): ``low`` / ``high`` = the smaller / larger of "trend" and "hold",
    widened by one residual standard deviation ``s`` of the log-linear fit,
    ``low = min · e^(−s)``, ``high = max · e^(+s)``; for observed years ``low = high = f_t``.

    Parameters
    ----------
    groups
        BOK 33-sector group codes (e.g. ``"C09"`` computer, electronic and optical products,
        ``"F"`` construction, ``"J"`` information and communication); ``None`` for all 33.
    years
        Years to return (each ≥ 2020).
    rule
        Extrapolation rule after 2023 (above).
    prices
        Optional price index by year for 2021–2023 (2020 = 1); missing years count as 1.

    Returns
    -------
    pandas.DataFrame
        Columns ``group, year, factor, low, high, basis`` (``basis`` is ``"observed"`` or
        ``"extrapolated (<rule>)"``), one row per group and year; ``factor`` multiplies 2020
        jobs per unit of output.
    """
    if rule not in ("trend", "hold", "midpoint"):
        raise OptionError(f"rule: {rule!r} is not a rule; fix: use 'trend', 'hold' or 'midpoint'")
    ys = sorted({int(y) for y in years})
    if not ys or ys[0] < BASE_YEAR:
        raise OptionError(
            f"years: must be non-empty and ≥ {BASE_YEAR} (the base year), got {ys[:3]}…; "
            f"fix: pass e.g. range({BASE_YEAR}, 2041)"
        )
    price = dict(prices or {})
    bad = {k: v for k, v in price.items() if not (np.isfinite(v) and v > 0)}
    if bad:
        raise OptionError(f"prices: index values must be positive numbers, got {bad}")
    wanted = _groups(groups)
    emp = bok_series("employment")
    emp = emp[emp["group"].isin(wanted)]
    table = emp.pivot(index="group", columns="year", values="value").reindex(wanted)
    obs_years = np.array(sorted(table.columns), dtype=float)
    last = int(obs_years[-1])
    rows = []
    for group, e in table.iterrows():
        e = e.to_numpy(dtype=float)
        p = np.array([price.get(int(y), 1.0) for y in obs_years])
        if not (e > 0).all():
            continue  # 'T' (other / dummy) has no employment: no path
        f = e * p / e[0]
        slope, icpt = np.polyfit(obs_years, np.log(f), 1)
        resid = np.log(f) - (icpt + slope * obs_years)
        s = float(np.sqrt((resid**2).sum() / max(len(f) - 2, 1)))
        for y in ys:
            if y <= last:
                if y not in table.columns:
                    continue
                v = float(f[list(obs_years).index(float(y))])
                rows.append((group, y, v, v, v, "observed"))
                continue
            trend = f[-1] * np.exp(slope * (y - last))
            hold = f[-1]
            central = {"trend": trend, "hold": hold, "midpoint": np.sqrt(trend * hold)}[rule]
            lo, hi = min(trend, hold) * np.exp(-s), max(trend, hold) * np.exp(s)
            rows.append((group, y, central, lo, hi, f"extrapolated ({rule})"))
    return pd.DataFrame(rows, columns=["group", "year", "factor", "low", "high", "basis"])


#: Years of the two bundled Korean tables the direct path compares.
DIRECT_YEARS = (2020, 2023)
#: Damping of the annual rate of change after the last observed year (the rate of year
#: T + k is ``δ^k`` times the observed one): δ = 0.8 halves it about every three years
#: (damped-trend extrapolation, Gardner & McKenzie 1985; the value is an assumption).
DAMPING = 0.8
#: Plausible band of the average annual change of jobs per unit of real output since 2020:
#: from −3 % a year (labour productivity growing 3 % a year, at the top of what a mature
#: economy sustains) to +1 % a year (productivity falling, which outside measurement breaks is
#: rare). An assumption, stated; factors outside it are set to its edge.
BAND = (-0.03, 0.01)


@functools.cache
def _direct_table() -> pd.DataFrame:
    """Persons (FTE) and output (million KRW, current prices) by BOK 33 group, 2020 and 2023,
    summed over the sectors of the bundled tables korea-2020 and korea-2023 (read from the
    folders they are built from: the sector splits keep each group's sums, and the flow
    matrices are not needed)."""
    frames = []
    for year in DIRECT_YEARS:
        name = f"korea-{year}"
        accounts = unsplit_accounts(name)
        info, employment = accounts.sector_info, accounts.satellites.get("employment")
        if (info is None or "bok33" not in info.columns or employment is None
                or accounts.output is None):
            raise DataSourceError(f"{name}: no BOK 33 grouping, output or employment account")
        frame = pd.DataFrame({
            "group": info["bok33"].reindex(accounts.sectors).fillna("").astype(str).to_numpy(),
            "employment": np.asarray(employment, dtype=float).reshape(-1),
            "output": np.asarray(accounts.output, dtype=float),
        }).groupby("group", as_index=False).sum()
        frame["year"] = year
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    return out[(out["group"] != "") & (out["output"] > 0) & (out["employment"] > 0)]


def direct_coefficients(groups: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Direct employment coefficients by BOK 33-sector group: persons (FTE) per KRW 1 bn of the
    group's output, from the bundled tables of 2020 (benchmark) and 2023 (extension).

    Returns
    -------
    pandas.DataFrame
        Columns ``group, year, employment, output, persons_per_bn`` (output in million KRW at
        the year's prices; ``persons_per_bn = employment / output × 1000``).
    """
    wanted = _groups(groups)
    frame = _direct_table()
    frame = frame[frame["group"].isin(wanted)].copy()
    frame["persons_per_bn"] = frame["employment"] / frame["output"] * 1000.0
    return frame.sort_values(["group", "year"], kind="stable").reset_index(drop=True)


def direct_employment_path(
    groups: str | Iterable[str] | None = None,
    *,
    years: Iterable[int] = range(2020, 2041),
    prices: Mapping[str, float] | None = None,
    damping: float = DAMPING,
    band: tuple[float, float] = BAND,
) -> pd.DataFrame:
    """Jobs per unit of *real* output by 33-sector group, relative to 2020, from the direct
    employment coefficients of the 2020 and 2023 tables, extrapolated with a damped rule.

    Observed change (2020 → 2023), with ``P_g`` the group's output price in 2023 (2020 = 1;
    ``prices``, default 1)::

        f_g(2023) = [E_g(2023) / (X_g(2023) / P_g)] / [E_g(2020) / X_g(2020)],  b_g = ln f / 3

    2021–2022 lie on the geometric line ``f(t) = e^{b (t − 2020)}``. After 2023 the annual rate
    is damped: ``ln f(T + n) = ln f(T) + b δ (1 − δⁿ) / (1 − δ)`` (``δ = damping``), which
    approaches ``ln f(T) + b δ / (1 − δ)``. ``low`` / ``high`` are holding the 2023 level and
    the undamped trend ``f(T) e^{b n}``, whichever is lower / higher. Every value is kept in
    the band ``e^{r_lo (t − 2020)} ≤ f ≤ e^{r_hi (t − 2020)}`` (``band`` = (r_lo, r_hi),
    annual log rates; module constant :data:`BAND`).

    Returns
    -------
    pandas.DataFrame
        Columns ``group, year, factor, low, high, basis`` (``basis``: ``"observed"`` for 2020
        and 2023, ``"interpolated"``, or ``"extrapolated (damped δ)"``, with "held at the
        band's edge" when the 2020 → 2023 change lies outside the band).
    """
    if not 0.0 <= damping < 1.0:
        raise OptionError(f"damping: {damping!r} must be in [0, 1); fix: e.g. 0.8")
    r_lo, r_hi = (float(np.log1p(band[0])), float(np.log1p(band[1])))
    if not r_lo <= 0.0 <= r_hi:
        raise OptionError(f"band: {band!r} must contain 0; fix: e.g. (-0.03, 0.01)")
    ys = sorted({int(y) for y in years})
    if not ys or ys[0] < BASE_YEAR:
        raise OptionError(f"years: must be non-empty and ≥ {BASE_YEAR}, got {ys[:3]}…")
    coef = direct_coefficients(groups).pivot(index="group", columns="year",
                                             values="persons_per_bn")
    t0, t1 = DIRECT_YEARS
    price = dict(prices or {})
    rows = []
    for group, c in coef.iterrows():
        if c.isna().any():
            continue
        p = float(price.get(str(group), 1.0))
        raw = float(c[t1] * p / c[t0])
        lo1, hi1 = np.exp(r_lo * (t1 - t0)), np.exp(r_hi * (t1 - t0))
        f1 = float(min(max(raw, lo1), hi1))  # clip (a NaN-free scalar: min/max are exact)
        edge = "; held at the band's edge" if f1 != raw else ""
        b = float(np.log(f1)) / (t1 - t0)
        for y in ys:
            clip = (np.exp(r_lo * (y - t0)), np.exp(r_hi * (y - t0)))
            if y <= t1:
                v = float(np.exp(b * (y - t0)))
                rows.append((group, y, v, v, v, ("observed" if y in DIRECT_YEARS
                                                 else "interpolated") + (edge if y > t0 else "")))
                continue
            n = y - t1
            damped = b * damping * (1 - damping**n) / (1 - damping) if damping else 0.0
            central = f1 * np.exp(damped)
            trend, hold = f1 * np.exp(b * n), f1
            vals = [float(min(max(v, clip[0]), clip[1]))
                    for v in (central, min(trend, hold), max(trend, hold))]
            rows.append((group, y, *vals, f"extrapolated (damped {damping:g}){edge}"))
    return pd.DataFrame(rows, columns=["group", "year", "factor", "low", "high", "basis"])
