"""Energy reference data and the electricity satellite of the Korea tables.

Data (``datasets/data/energy/``, sources in docs/sources.md, method in docs/energy.md):

* :func:`grid_factor` — Korea's national electricity emission factor, tCO2eq per MWh (consumption
  side, Ministry of Environment / Greenhouse Gas Inventory and Research Center), by year;
* :func:`supply` — electricity sold to final customers (GWh; KEPCO), generation (GWh) and summer
  peak demand (MW; KPX) for the nation and some provinces;
* :func:`tariff` — KEPCO's industrial tariff (을) by effective date, KRW per kWh;
* :func:`data_centre_defaults` — PUE, WUE, utilisation and spreads for the draws.

:func:`with_electricity_satellites` adds two satellites to a Korean table: ``electricity``
(MWh sold by the electricity sector) and ``emissions_electricity`` (tCO2eq of that
electricity). Every KRW of output of the electricity sector anywhere in the economy is turned
into MWh at the table year's average (output ÷ MWh sold) and into tCO2eq with the grid factor.
It is the *electricity-driven part* of an energy and emissions account only: fuel burnt by
industry, process emissions and transport are not in it (docs/energy.md says so everywhere the
numbers appear).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import DataSourceError, OptionError
from ..tables.table import IOTable

ENERGY_DIR = Path(__file__).resolve().parent / "data" / "energy"
#: Satellite names and units added by :func:`with_electricity_satellites`.
ELECTRICITY = "electricity"
EMISSIONS = "emissions_electricity"
SATELLITE_UNITS: Mapping[str, str] = {ELECTRICITY: "MWh", EMISSIONS: "tCO2eq"}
#: The electricity sector of each bundled Korean table (BOK 450 / 45: electric power and
#: renewable energy).
ELECTRICITY_SECTOR: Mapping[str, str] = {"korea-2020": "450", "korea-2020-165": "450"}
#: What the two satellites leave out (shown beside every number they produce).
PARTIAL_NOTE = (
    "electricity-driven part only: MWh of electricity (BOK 450) induced anywhere in the economy "
    "at the table year's output per MWh sold, times the national grid factor; fuel burnt by "
    "industry, process and transport emissions are not included"
)


@functools.cache
def _read(name: str) -> pd.DataFrame:
    path = ENERGY_DIR / name
    try:
        return pd.read_csv(path, encoding="utf-8", dtype={"region": str, "tariff": str})
    except (OSError, ValueError) as exc:
        raise DataSourceError(f"{path}: cannot read the energy data ({exc})") from None


@functools.cache
def _factors(region: str) -> Mapping[int, float]:
    """Year → tCO2eq per MWh of ``region`` in file order, read once per process."""
    frame = _read("grid_factors.csv")
    rows = frame[frame["region"] == region]
    if rows.empty:
        raise OptionError(f"grid: no emission factor shipped for {region!r}; fix: use 'KOR' or "
                          "state `grid_factor:` in the scenario's capacity")
    return MappingProxyType(dict(zip(rows["year"].to_numpy(int).tolist(),
                                     rows["tco2eq_per_mwh"].to_numpy(float).tolist(),
                                     strict=True)))


def grid_factors(region: str = "KOR") -> pd.Series:
    """Published grid emission factors of ``region`` by year (tCO2eq per MWh)."""
    by_year = _factors(region)
    return pd.Series(list(by_year.values()), index=np.array(list(by_year), dtype=int),
                     name="tco2eq_per_mwh", dtype=float)


@dataclass(frozen=True, slots=True)
class Factor:
    """A grid factor for one year: ``value`` (tCO2eq/MWh), the published ``year`` it comes from
    and whether it is held from the last published year (then the draws widen it)."""

    value: float
    year: int
    held: bool


def grid_factor(year: int, region: str = "KOR") -> Factor:
    """The factor of ``year``: the published one, else the nearest published year (the last
    published for later years, held; the first for earlier years)."""
    by_year = _factors(region)
    if year in by_year:
        return Factor(by_year[year], int(year), False)
    last = max(by_year)
    pick = last if year > last else min(by_year)
    return Factor(by_year[pick], pick, year > pick)


def supply(region: str, quantity: str) -> pd.Series:
    """``quantity`` (``sales`` GWh, ``generation`` GWh, ``peak`` MW) of ``region`` by year
    (empty when none is shipped)."""
    values, years = _supply(region, quantity)
    return pd.Series(values.copy(), index=years.copy(), name=quantity)


@functools.cache
def _supply(region: str, quantity: str) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Values and years of one supply series in file order, read once per process."""
    frame = _read("supply.csv")
    rows = frame[(frame["region"] == region) & (frame["quantity"] == quantity)]
    return rows["value"].to_numpy(float), rows["year"].to_numpy(np.int64)


def latest(series: pd.Series, year: int) -> tuple[float, int] | None:
    """The value of the latest year ≤ ``year`` (else the earliest year), with that year."""
    if series.empty:
        return None
    earlier = series[series.index <= year]
    pick = int(earlier.index.max()) if not earlier.empty else int(series.index.min())
    return float(series[pick]), pick


def supply_regions() -> tuple[str, ...]:
    """Regions with shipped supply data (``KOR`` and provinces)."""
    return tuple(dict.fromkeys(_read("supply.csv")["region"]))


def tariff(name: str = "industrial-eul", *, on: str | None = None) -> tuple[float, str]:
    """KRW per kWh of tariff ``name`` in force on the date ``on`` (ISO; default: the latest),
    with its effective date."""
    frame = _read("tariffs.csv")
    rows = frame[frame["tariff"] == name].sort_values("effective")
    if rows.empty:
        raise OptionError(f"tariff: {name!r} is not shipped; fix: use 'industrial-eul' or give "
                          "`tariff:` in KRW per kWh")
    if on is not None:
        rows = rows[rows["effective"] <= on]
        if rows.empty:
            raise OptionError(f"tariff: no {name!r} price in force on {on}")
    last = rows.iloc[-1]
    return float(last["krw_per_kwh"]), str(last["effective"])


def data_centre_defaults() -> dict[str, dict[str, Any]]:
    """Default value, low, high, unit, basis and source of each data-centre parameter."""
    frame = _read("data_centre.csv")
    return {str(r["parameter"]): {k: r[k] for k in frame.columns if k != "parameter"}
            for _, r in frame.iterrows()}


def electricity_intensity(table: IOTable) -> tuple[float, str, int]:
    """MWh sold per table money unit of electricity output: national sales of the table year
    (KEPCO, GWh × 1000) ÷ the output of the table's electricity sector. Returns the value, the
    sector code and the year of the sales figure."""
    sector = ELECTRICITY_SECTOR.get(table.meta.name)
    if sector is None or table.meta.region != "KOR":
        raise OptionError(
            f"table '{table.meta.name}': no electricity satellite is shipped for it (only "
            f"{sorted(ELECTRICITY_SECTOR)}: the table year's KEPCO sales are needed); fix: use "
            "one of those tables or add your own satellites to the table"
        )
    year = int(table.meta.year or 0)
    sales = supply("KOR", "sales")
    if year not in sales.index:
        raise DataSourceError(f"{ENERGY_DIR / 'supply.csv'}: no KOR sales for {year}")
    x = float(table.x[table.sector_position(sector)])
    return float(sales[year]) * 1000.0 / x, sector, year


def with_electricity_satellites(table: IOTable, *, factor_year: int | None = None) -> IOTable:
    """``table`` plus satellites ``electricity`` (MWh) and ``emissions_electricity`` (tCO2eq).

    ``electricity_j = e · x_j`` for the electricity sector ``j`` (0 elsewhere) with ``e`` from
    :func:`electricity_intensity`, so its multiplier ``e · L[j, :]`` is the MWh induced per unit
    of final demand; ``emissions = electricity × f`` with ``f`` the grid factor of
    ``factor_year`` (default: the latest published, since the effects lie ahead). Units are
    recorded in ``meta.satellite_units``; the method in ``meta.provenance['satellites']``.
    """
    key = (id(table), factor_year)
    hit = _SAT_CACHE.get(key)
    if hit is not None and hit[0] is table:
        return hit[1]
    e, sector, year = electricity_intensity(table)
    fy = int(grid_factors().index.max()) if factor_year is None else int(factor_year)
    f = grid_factor(fy)
    mwh = np.zeros(table.n)
    j = table.sector_position(sector)
    mwh[j] = e * table.x[j]
    sats = {**dict(table.sats), ELECTRICITY: mwh, EMISSIONS: mwh * f.value}
    units = {**dict(table.meta.satellite_units), **SATELLITE_UNITS}
    prov = dict(table.meta.provenance)
    prov["satellites"] = {
        ELECTRICITY: f"MWh: KEPCO electricity sales {year} ÷ output of sector {sector} "
                     f"({e:.4g} MWh per {table.meta.money_unit}) "
                     "(docs/sources.md#kepco-sales-2020)",
        EMISSIONS: f"tCO2eq: electricity × {f.value} tCO2eq/MWh, national grid factor {f.year} "
                   "(docs/sources.md#gir-grid-factor-2025)",
        "scope": PARTIAL_NOTE,
    }
    out = table.with_arrays(sats=sats).replace_meta(satellite_units=units, provenance=prov)
    _SAT_CACHE[key] = (table, out)
    while len(_SAT_CACHE) > 8:  # a few tables; drop the oldest
        del _SAT_CACHE[next(iter(_SAT_CACHE))]
    return out


#: Tables with satellites added, so repeated runs reuse one table object (and its model).
_SAT_CACHE: dict[tuple[int, int | None], tuple[IOTable, IOTable]] = {}


__all__ = [
    "ELECTRICITY",
    "EMISSIONS",
    "PARTIAL_NOTE",
    "SATELLITE_UNITS",
    "Factor",
    "data_centre_defaults",
    "electricity_intensity",
    "grid_factor",
    "grid_factors",
    "latest",
    "supply",
    "supply_regions",
    "tariff",
    "with_electricity_satellites",
]
