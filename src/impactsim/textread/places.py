"""Places: a gazetteer built from data the package has, plus places the text marks as such.

The gazetteer (``gazetteer.csv`` next to this module) lists the Korean provinces and
industrial cities, the countries of the world table ``wiod-2011`` and a few more, US states,
the places named in the shipped seeds and country groups (APEC, APAC); each row names its
source. The text marks a place with "X Province/City/County/Prefecture" or "plant/site/... in
X". Places where an *event* happened ("summit held in Gyeongju", "headquartered in") are not
places of the investment and are skipped.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from . import world
from .text import Span, span


@dataclass(frozen=True)
class Place:
    """A place found in the text."""

    name: str  # as reported: the English name (surface form for English text)
    canonical: str
    kind: str  # province | city | state | country | group | marked
    country: str | None  # ISO 3166-1 alpha-3 or a group label
    span: Span


#: Province (시·도) of each Korean city of the gazetteer (Statistics Korea administrative
#: divisions); provinces and metropolitan cities are their own province.
KOREAN_CITY_PROVINCE = {
    **dict.fromkeys(("Ansan", "Anseong", "Anyang", "Gimpo", "Hwaseong", "Icheon", "Paju",
                     "Pangyo", "Pyeongtaek", "Seongnam", "Siheung", "Suwon", "Yongin"),
                    "Gyeonggi Province"),
    **dict.fromkeys(("Asan", "Cheonan", "Dangjin", "Seosan"), "South Chungcheong Province"),
    **dict.fromkeys(("Cheongju", "Ochang", "Osong"), "North Chungcheong Province"),
    **dict.fromkeys(("Changwon", "Geoje"), "South Gyeongsang Province"),
    **dict.fromkeys(("Chuncheon", "Wonju"), "Gangwon Province"),
    **dict.fromkeys(("Gumi", "Gyeongju", "Pohang"), "North Gyeongsang Province"),
    **dict.fromkeys(("Gunsan", "Saemangeum"), "North Jeolla Province"),
    **dict.fromkeys(("Gwangyang", "Yeosu"), "South Jeolla Province"),
}  # fmt: skip


def province_of(place: Place) -> str | None:
    """The Korean province of a place in Korea (``None`` elsewhere or when unknown)."""
    if place.country != "KOR":
        return None
    if place.kind == "province":
        return place.canonical
    return KOREAN_CITY_PROVINCE.get(place.canonical)


@dataclass(frozen=True)
class GazetteerEntry:
    """One row of ``gazetteer.csv``."""

    name: str
    canonical: str
    kind: str
    country: str
    source: str


@lru_cache(maxsize=1)
def gazetteer() -> tuple[GazetteerEntry, ...]:
    """The rows of the shipped gazetteer (comment lines skipped)."""
    raw = resources.files(__package__).joinpath("gazetteer.csv").read_text(encoding="utf-8")
    lines = [ln for ln in raw.splitlines() if ln and not ln.startswith("#")]
    return tuple(GazetteerEntry(**row) for row in csv.DictReader(io.StringIO("\n".join(lines))))


@lru_cache(maxsize=1)
def _regex() -> tuple[re.Pattern[str], dict[str, GazetteerEntry]]:
    entries = {e.name: e for e in gazetteer()}
    latin = sorted((n for n in entries if not _hangul(n)), key=len, reverse=True)
    korean = sorted((n for n in entries if _hangul(n)), key=len, reverse=True)
    rx = re.compile(
        r"(?<![\w.])(?P<latin>" + "|".join(re.escape(n) for n in latin) + r")(?![\w-])"
        r"|(?<![\w])(?P<korean>" + "|".join(re.escape(n) for n in korean) + r")"
    )
    return rx, entries


def _hangul(s: str) -> bool:
    return any("\uac00" <= c <= "\ud7a3" for c in s)


_EVENT = re.compile(
    r"(?:held|hosted|headquartered|based|speaking|spoke|told reporters|summit|forum|conference|"
    r"expo|meeting|visit(?:ing)?|trip|ceremony|event|office|offices)\s+(?:\w+\s+){0,2}?"
    r"(?:in|at)\s+(?:the\s+)?$|(?:에서\s?열린|에서\s?개최된|에서 열리는)\s?$",
    re.I,
)
_EVENT_AFTER = re.compile(
    r"^\s?(?:에서\s?(?:열린|개최|진행된|만나)|-based|\s*headquarters|(?:\s[A-Z]{2,4})?\s(?:Summit|"
    r"Forum|Conference|Leaders|summit|forum|meeting|leaders))"
)
#: After a place name, a currency ("US$2 billion", "HK$ 5 bn", "US dollars"): not a place.
_CURRENCY_AFTER = re.compile(r"^(?:\s?\$|\s?dollars?\b)", re.I)
_MARKED = re.compile(
    r"\b(?:in|at|near)\s+(?P<p>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s+"
    r"(?P<k>Province|City|County|Prefecture|State|Industrial Complex)\b"
    r"|\b(?:plant|factory|site|campus|facility|fab|complex|cluster|park|centre|center|hub)s?\s+"
    r"(?:\w+\s+){0,2}?in\s+(?P<q>[A-Z][a-z]{2,}(?:[ -][A-Z][a-z]+)?)"
)


_NOT_PLACES = {
    "Europe",
    "Asia",
    "Africa",
    "North America",
    "South America",
    "Latin America",
    "Middle East",
    "Oceania",
    "The",
    "This",
    "That",
    "Its",
    "Their",
}
_KO_MARKED = re.compile(r"(?<=[\s주도])(?P<p>[가-힣]{2,6}?)(?P<k>시|군)(?=[에의은는이가\s,.]|$)")
_CITY_STATE = re.compile(
    r"\b(?:in|at|near)\s+(?P<c>[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?),\s+"
    r"(?P<s>[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
)


def find_places(
    text: str, start: int = 0, end: int | None = None, *, exclude: tuple[tuple[int, int], ...] = ()
) -> list[Place]:
    """Places in ``text[start:end]`` (text order); ``exclude`` are spans of organisation names
    ("Renault Korea") whose place words are not places."""
    end = len(text) if end is None else end
    rx, entries = _regex()
    korean_text = _hangul(text[start:end])
    out: list[Place] = []
    taken = Spans()
    orgs = Spans(exclude)

    def free(s: int, e: int, *, marked: bool = False) -> bool:
        # a marked place may coincide with an "organisation" run of the same words
        ex = [x for x in orgs.overlapping(s, e) if not (marked and x[0] >= s and x[1] <= e)]
        return not ex and not taken.overlapping(s, e)

    for m in rx.finditer(text, start, end):
        if not free(m.start(), m.end()):
            continue
        if _EVENT.search(text[max(0, m.start() - 60) : m.start()]) or _EVENT_AFTER.match(
            text[m.end() : m.end() + 16]
        ) or _CURRENCY_AFTER.match(text[m.end() : m.end() + 9]):
            continue
        e = entries[m.group(0)]
        surface = m.group(0)
        name = e.canonical if (m.group("korean") or korean_text or e.kind == "country") else surface
        if e.kind == "province" and not m.group("korean") and " Province" in e.canonical:
            after = re.match(r"\s?(?:-do|Province)\b", text[m.end() : m.end() + 10])
            name = e.canonical if after else surface
        elif not m.group("korean") and e.kind != "country":
            suffix = re.match(r" (Prefecture|Province|County|City|State)\b", text[m.end() :])
            if suffix and not surface.endswith(suffix.group(1)):
                name = f"{surface} {suffix.group(1)}"
                taken.append((m.end(), m.end() + len(suffix.group(0))))
        out.append(Place(name, e.canonical, e.kind, e.country, span(text, m.start(), m.end())))
        taken.append((m.start(), m.end()))
    if korean_text:  # "텍사스주 테일러시": a 시/군 right after a known place
        for m in _KO_MARKED.finditer(text, start, end):
            s, t = m.start("p"), m.end("p")
            if not free(s, t) or not taken.overlapping(s - 3, s):
                continue
            name = m.group("p") + m.group("k")
            out.append(Place(name, name, "marked", None, span(text, s, m.end("k"))))
            taken.append((s, m.end("k")))
    for m in _CITY_STATE.finditer(text, start, end):
        s, t = m.start("c"), m.end("c")
        st = entries.get(m.group("s"))
        wp = world.countries_and_divisions().get(m.group("s"))
        country = st.country if st is not None and st.kind in ("state", "country") else (
            wp.country if wp is not None else None)
        if country is None or not free(s, t, marked=True):
            continue
        if m.group("c") in entries:
            continue
        out.append(Place(m.group("c"), m.group("c"), "marked", country, span(text, s, t)))
        taken.append((s, t))
        if st is None and wp is not None and free(m.start("s"), m.end("s")):
            out.append(Place(wp.name, wp.name, wp.kind, wp.country,
                             span(text, m.start("s"), m.end("s"))))  # fmt: skip
            taken.append((m.start("s"), m.end("s")))
    _world_places(text, start, end, korean_text, free, out, taken)
    for m in _MARKED.finditer(text, start, end):
        grp = "p" if m.group("p") else "q"
        s, t = m.start(grp), m.end(grp)
        if not free(s, t, marked=True) or m.group(grp) in _NOT_PLACES:
            continue
        name = m.group(grp)
        if grp == "p":
            name = f"{name} {m.group('k')}"
        if _EVENT.search(text[max(0, s - 60) : s]):
            continue
        country = "JPN" if name.endswith(" Prefecture") else None  # a Japanese 都道府県
        out.append(Place(name, name, "marked", country, span(text, s, t)))
        taken.append((s, t))
    out.sort(key=lambda p: p.span.start)
    return out


class Spans:
    """Character spans kept sorted by start, with an overlap query in O(log n + k) (a sentence
    may hold thousands of place names; a list scan per check would be quadratic)."""

    def __init__(self, spans: tuple[tuple[int, int], ...] = ()) -> None:
        self._items = sorted(spans)
        self._starts = [a for a, _ in self._items]
        self._longest = max((b - a for a, b in self._items), default=0)

    def append(self, span_: tuple[int, int]) -> None:
        """Add a span."""
        k = bisect.bisect_left(self._starts, span_[0])
        self._starts.insert(k, span_[0])
        self._items.insert(k, span_)
        self._longest = max(self._longest, span_[1] - span_[0])

    def overlapping(self, s: int, e: int) -> list[tuple[int, int]]:
        """The spans that overlap ``[s, e)`` (or touch it when ``s == e``)."""
        lo = bisect.bisect_left(self._starts, s - self._longest)
        hi = bisect.bisect_left(self._starts, max(e, s + 1))
        return [x for x in self._items[lo:hi] if x[1] > s and x[0] < max(e, s + 1)]


#: Most world places read in one sentence (a bound on the work for a hostile text).
MAX_WORLD_PLACES = 200
#: What may follow a Hangul city name inside its word: nothing, 시, or a particle.
_KO_AFTER_PLACE = re.compile(
    r"^(?:$|시|현|성|주|항|공장|지역|에서|에선|에는|에도|에|엔|의|은|는|이|가|을|를|과|와|으로|로|"
    r"까지|부터|서|도|만)"
)
#: Hangul names of foreign cities (GeoNames) that are everyday Korean words ("위해" for,
#: "지난" last, "세부" detail, "창사" founding, "한중" Korea-China, "주장" claim, "선전"
#: propaganda / doing well): read as the city only right after a country ("중국 선전").
KO_COMMON_WORDS = frozenset({
    "지난", "위해", "세부", "창사", "한중", "주장", "선전", "연대", "진화", "서리", "우파",
    "이브", "중산", "상해", "방기", "후에", "지다", "허비", "파당", "말랑", "카스", "안산",
    "안양", "소흥", "신위", "장예", "리가", "사나", "조스", "와리", "이포", "동경", "대련",
})
_LATIN_WORD = re.compile(r"(?<![\w.\-])[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?![\w\-])")
_HANGUL_TOKEN = re.compile(r"(?<![가-힣])[가-힣]{2,12}")
_CUE = re.compile(r"(?:\bin|\bnear|\bat|\boutside|\baround)\s+(?:the\s+)?$", re.I)
_SUFFIX = re.compile(r" (Prefecture|Province|State|County|City)\b")


def _world_places(text, start, end, korean_text, free, out, taken) -> None:
    """Countries, first-level divisions and cities the shipped gazetteer does not list
    (:mod:`.world`), Latin names by word n-grams (at most three words) and Hangul city names
    by token prefix; linear in the range."""
    cd = world.countries_and_divisions()
    words = list(_LATIN_WORD.finditer(text, start, end))
    i = found = 0
    while i < len(words):
        hit = None
        for n in (3, 2, 1):
            if i + n > len(words):
                continue
            a, b = words[i].start(), words[i + n - 1].end()
            if b - a > 60 or any(text[words[k].end() : words[k + 1].start()] != " "
                                 for k in range(i, i + n - 1)):  # fmt: skip
                continue
            name = text[a:b]
            if name in _NOT_PLACES or not (name in cd or world.is_city_name(name)):
                continue
            if not free(a, b):
                continue
            before = text[max(0, a - 60) : a]
            if _EVENT.search(before) or _EVENT_AFTER.match(text[b : b + 16]):
                break
            after = text[b : b + 40]
            if name in cd:
                wp = cd[name]
                hit = (n, wp.name, wp.kind, wp.country, a, b)
                break
            cued = bool(_CUE.search(before[-12:])) or bool(
                re.match(r",\s[A-Z][a-z]+(?: [A-Z][a-z]+)?", after)
                and any(w in cd for w in re.findall(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", after[:30]))
            )
            c = world.city(name, cued=cued, context=after[:30])
            if c is not None:
                hit = (n, c.name, "city", c.country, a, b)
                break
        if hit is None:
            i += 1
            continue
        n, name, kind, country, a, b = hit
        suffix = _SUFFIX.match(text, b)
        if suffix and kind != "country":
            name = f"{text[a:b]} {suffix.group(1)}"
            b = suffix.end()
        out.append(Place(name, name, kind, country, span(text, a, b)))
        taken.append((a, b))
        i += n
        found += 1
        if found >= MAX_WORLD_PLACES:
            break  # a sentence naming hundreds of places is a list, not an announcement
    if korean_text:
        hangul = world.hangul_cities()
        countries_at = [p.span.end for p in out if p.kind == "country"]
        for m in _HANGUL_TOKEN.finditer(text, start, end):
            tok = m.group(0)
            for k in range(min(len(tok), 6), 1, -1):
                c = hangul.get(tok[:k])
                if c is None or not _KO_AFTER_PLACE.match(tok[k:]):
                    continue  # "지난해" is not 지난 (Jinan) + 해, "주장했다" not 주장 + 했다
                if tok[:k] in KO_COMMON_WORDS and not any(
                        0 <= m.start() - e <= 2 for e in countries_at):
                    continue  # "위해", "세부", "창사": a word, unless a country precedes it
                if free(m.start(), m.start() + k):
                    out.append(Place(c.name, c.name, "city", c.country,
                                     span(text, m.start(), m.start() + k)))  # fmt: skip
                    taken.append((m.start(), m.start() + k))
                    break
