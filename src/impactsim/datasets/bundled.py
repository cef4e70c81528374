"""Readers of the small bundled data files that are not input-output tables.

Every data file the package ships is read through :mod:`impactsim.datasets`; this module holds
the readers of the non-table files, each returning the file's rows as they are (the layers that
use them interpret them):

* money (``datasets/data/money/``): exchange rates, price indices and household income rates,
  each row with its source (docs/sources.md) — read by :mod:`impactsim.scenario.money` and
  :mod:`impactsim.scenario.households`;
* Korean provinces (``datasets/data/kostat-sido-2020/``): Statistics Korea persons engaged by
  province × KSIC section, the Bank of Korea product → KSIC section concordance and their
  provenance (built by ``scripts/build_regional_employment.py``) — read by
  :mod:`impactsim.regional.korea`.
"""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

import pandas as pd

from ..errors import DataSourceError

#: Folder of the money files inside the package data.
MONEY = "money"
#: Folder of the Korean provincial data (Statistics Korea, Census on Establishments 2020).
KOSTAT_SIDO = "kostat-sido-2020"


def data_file(*parts: str) -> Traversable:
    """A file of the package data (``impactsim/datasets/data/<parts>``)."""
    return resources.files("impactsim").joinpath("datasets", "data", *parts)


@lru_cache(maxsize=8)
def money_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a bundled money file (``exchange_rates.csv``, ``price_indices.csv``,
    ``household_rates.csv``) as text fields keyed by column name (cached)."""
    path = data_file(MONEY, name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataSourceError(f"{path}: bundled money file missing; reinstall impactsim") from None
    return tuple(csv.DictReader(io.StringIO(text)))


@lru_cache(maxsize=1)
def kostat_persons_engaged() -> pd.DataFrame:
    """Persons engaged (headcount) by province (index, canonical English names plus
    ``"Korea"``) and KSIC-10 section (one-letter columns) plus ``total``, ``province_ko`` and
    ``iso_3166_2``: Statistics Korea, Census on Establishments 2020 (cached; do not modify)."""
    path = data_file(KOSTAT_SIDO, "persons_engaged_2020.csv")
    try:
        with path.open("rb") as fh:
            frame = pd.read_csv(fh, dtype={"province": str, "province_ko": str})
    except FileNotFoundError:
        raise DataSourceError(
            f"{path}: bundled regional data missing; rebuild it with "
            "scripts/build_regional_employment.py"
        ) from None
    return frame.set_index("province")


@lru_cache(maxsize=1)
def kostat_concordance() -> pd.DataFrame:
    """The Bank of Korea 2020 product → KSIC-10 section concordance (``bok165_ksic.csv``: columns
    ``bok_code``, ``ksic_section`` and the reason for each row), all text (cached)."""
    with data_file(KOSTAT_SIDO, "bok165_ksic.csv").open("rb") as fh:
        return pd.read_csv(fh, dtype=str)


def kostat_provenance() -> dict[str, object]:
    """Provenance of the Korean provincial data (publisher, table, retrieval, build script)."""
    with data_file(KOSTAT_SIDO, "provenance.json").open("rb") as fh:
        out: dict[str, object] = json.load(fh)
    return out
