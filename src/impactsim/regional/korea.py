"""Korean provinces (시·도): names and the bundled persons-engaged data for location quotients.

Data: Statistics Korea, Census on Establishments (전국사업체조사) 2020, register basis — persons
engaged (headcount) by 17 provinces × 19 KSIC-10 sections, built by
``scripts/build_regional_employment.py`` into ``impactsim/datasets/data/kostat-sido-2020/`` with a
concordance from the Bank of Korea's 165 products to KSIC sections (``bok165_ksic.csv``); read
through :mod:`impactsim.datasets.bundled`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ..datasets.bundled import (
    KOSTAT_SIDO,
    kostat_concordance,
    kostat_persons_engaged,
    kostat_provenance,
)
from ..errors import TableError
from ..tables.table import IOTable

DATASET = KOSTAT_SIDO
NATIONAL = "Korea"
#: Concordance label for "no section: use the all-industry share" (the dummy product 830).
ALL_SECTIONS = "*"

#: Canonical English name → extra accepted spellings (Korean short/long names, RR long forms).
_ALIASES: dict[str, tuple[str, ...]] = {
    "Seoul": ("서울", "서울특별시", "seoul special city"),
    "Busan": ("부산", "부산광역시", "pusan"),
    "Daegu": ("대구", "대구광역시", "taegu"),
    "Incheon": ("인천", "인천광역시", "inchon"),
    "Gwangju": ("광주", "광주광역시", "kwangju"),
    "Daejeon": ("대전", "대전광역시", "taejon"),
    "Ulsan": ("울산", "울산광역시"),
    "Sejong": ("세종", "세종특별자치시"),
    "Gyeonggi": ("경기", "경기도", "kyonggi"),
    "Gangwon": ("강원", "강원도", "강원특별자치도", "kangwon"),
    "Chungbuk": ("충북", "충청북도", "chungcheongbuk", "north chungcheong"),
    "Chungnam": ("충남", "충청남도", "chungcheongnam", "south chungcheong"),
    "Jeonbuk": ("전북", "전라북도", "전북특별자치도", "jeollabuk", "north jeolla"),
    "Jeonnam": ("전남", "전라남도", "jeollanam", "south jeolla"),
    "Gyeongbuk": ("경북", "경상북도", "gyeongsangbuk", "north gyeongsang"),
    "Gyeongnam": ("경남", "경상남도", "gyeongsangnam", "south gyeongsang"),
    "Jeju": ("제주", "제주특별자치도", "cheju"),
}
_SUFFIX = re.compile(
    r"(-do|-si| province| metropolitan city| special city| special self-governing (city|province)"
    r"| city)$"
)


def _key(name: str) -> str:
    s = str(name).strip().lower()
    s = _SUFFIX.sub("", s)
    return s.replace("-", "").replace(" ", "")


def _lookup() -> dict[str, str]:
    out: dict[str, str] = {}
    for canon, aliases in _ALIASES.items():
        for a in (canon, *aliases):
            out[_key(a)] = canon
    return out


PROVINCES: tuple[str, ...] = tuple(_ALIASES)


def province_name(name: str) -> str:
    """Canonical English name of a Korean province from an English, romanised or Korean name
    (``"Incheon"``, ``"인천"``, ``"Gyeonggi-do"``, ``"North Gyeongsang"``)."""
    canon = _lookup().get(_key(name))
    if canon is None:
        import difflib

        near = difflib.get_close_matches(str(name), PROVINCES, n=3)
        hint = f"; did you mean {near}?" if near else ""
        raise TableError(
            f"region {name!r} is not a Korean province (시·도){hint}; provinces: "
            f"{', '.join(PROVINCES)}"
        )
    return canon


def _persons_engaged() -> pd.DataFrame:
    """Persons engaged by province × KSIC section (the bundled frame: do not modify)."""
    return kostat_persons_engaged()


@lru_cache(maxsize=1)
def _concordance() -> pd.Series:
    frame = kostat_concordance()
    return pd.Series(frame["ksic_section"].to_numpy(), index=frame["bok_code"].to_numpy())


def provincial_employment(*, year: int = 2020) -> pd.DataFrame:
    """Persons engaged (headcount) by province (rows, incl. ``"Korea"``) and KSIC section A–S
    (columns) plus ``total``; Statistics Korea, Census on Establishments, 2020. ``attrs`` holds
    the provenance."""
    if year != 2020:
        raise TableError(f"year={year}: the bundled provincial data is for 2020 only")
    frame = _persons_engaged().drop(columns=["province_ko", "iso_3166_2"]).copy()
    frame.attrs["provenance"] = kostat_provenance()
    return frame


def bok_ksic_concordance() -> pd.Series:
    """BOK 2020 product code (``"011"`` … ``"830"``) → KSIC-10 section letter (``"*"`` for the
    dummy product 830: no regional information). Reasons per row in ``bok165_ksic.csv``."""
    return _concordance().copy()


def korean_sections_for(table: IOTable) -> pd.Series:
    """KSIC section of each sector of a table labelled with BOK product codes (split sectors such
    as ``"310-MEM"`` take their parent's section). On an aggregated BOK table whose
    ``sector_info`` lists each sector's 165 products (column ``bok165``, e.g. korea-2023), a
    sector takes its products' section, or the union of their sections (``"H+J"``, postal and
    courier services) when they fall in several."""
    conc = _concordance()
    out = {}
    info = table.sector_info
    parts = None
    if info is not None and "bok165" in info.columns:
        parts = [str(v).split(";") for v in info["bok165"]]
    for i, lab in enumerate(table.sectors):
        base = str(lab).split("-", 1)[0]
        if base not in conc.index and parts is not None:
            secs = sorted({str(conc.get(c.split("-", 1)[0], "")) for c in parts[i]})
            if all(secs) and (len(secs) == 1 or ALL_SECTIONS not in secs):
                out[lab] = "+".join(secs)
                continue
        if base not in conc.index:
            raise TableError(
                f"sector {lab!r} of table '{table.meta.name}' is not a Bank of Korea product "
                "code, so the bundled provincial data cannot be mapped to it; pass regional= "
                "(and national=) data by sector, or a concordance="
            )
        out[lab] = conc[base]
    return pd.Series(out, name="ksic_section")


def korean_regional_inputs(
    table: IOTable, region: str
) -> tuple[pd.Series, pd.Series, pd.Series, tuple[float, float], str]:
    """(regional, national, concordance, (regional total, national total), source) for a
    Korean province, ready for :func:`impactsim.regionalize`."""
    canon = province_name(region)
    data = _persons_engaged()
    sections = [c for c in data.columns if len(c) == 1]
    conc = korean_sections_for(table)
    reg = data.loc[canon, sections].astype(float)
    nat = data.loc[NATIONAL, sections].astype(float)
    for group in set(conc) - set(sections) - {ALL_SECTIONS}:  # unions such as "H+J"
        members = group.split("+")
        reg[group] = float(reg[members].sum())
        nat[group] = float(nat[members].sum())
    totals = (float(data.loc[canon, "total"]), float(data.loc[NATIONAL, "total"]))
    source = (
        "Statistics Korea (KOSTAT), Census on Establishments 2020, persons engaged by province "
        f"and KSIC section ({DATASET}); BOK products mapped to sections by bok165_ksic.csv"
    )
    return reg, nat, conc, totals, source
