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
