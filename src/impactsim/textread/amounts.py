"""Money in press text, English and Korean: ``$5 billion``, ``USD 5bn``, ``2.26 trillion yen``,
``KRW 7 trillion``, ``20조 원``, ``1조 5,000억원``, ``50억 달러``, ``360조``.

Each mention becomes a :class:`Money`: the value as a plain number in units of the currency
(``"$5 billion"`` → ``5e9``), the ISO 4217 code, the qualifier (``about``, ``more-than``,
``up-to`` or ``exact``) and the quoted span. A second amount in parentheses (or after
", or") that restates the first in another currency is folded into it (:func:`find_money`).

Scales: thousand 1e3, million 1e6, billion 1e9, trillion 1e12; Korean 만 1e4, 억 1e8, 조 1e12,
with 천 (x1,000) and 백 (x100) inside a group (``5천억`` = 5 x 1,000 x 1e8).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from .text import Span, span

#: A number as written: bounded digit runs, never part of a longer run of digits (so a
#: 40,000-digit string is no amount, and every scan stays linear).
NUM = r"(?<![\d,.])(?:\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,6})?|\d{1,15}(?:\.\d{1,6})?)(?![\d,]\d)"
#: Largest value read as an amount, in units of its currency (1e16: ten quadrillion, beyond
#: any announced investment in any currency); larger figures are not amounts.
MAX_VALUE = 1e16

#: English scale words → multiplier.
SCALES = {
    "trillion": 1e12, "tn": 1e12, "trn": 1e12, "tr": 1e12,
    "billion": 1e9, "bn": 1e9, "bln": 1e9, "b": 1e9, "bil": 1e9,
    "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "mil": 1e6,
    "thousand": 1e3, "k": 1e3,
}  # fmt: skip
_SCALE = r"trillion|billion|million|thousand|trn|tn|tr|bln|bn|bil|mln|mn|mil|b|m|k"

#: Currency written before the number → ISO 4217 (``$`` alone is read as US dollars).
PREFIX = {
    "us$": "USD", "u.s.$": "USD", "$": "USD", "usd": "USD", "nt$": "TWD", "s$": "SGD",
    "a$": "AUD", "c$": "CAD", "hk$": "HKD", "\u20a9": "KRW", "krw": "KRW", "w": "KRW",
    "\u20ac": "EUR", "eur": "EUR", "\u00a3": "GBP", "gbp": "GBP", "\u00a5": "JPY", "jpy": "JPY",
    "cny": "CNY", "rmb": "CNY", "twd": "TWD", "\u20b9": "INR", "inr": "INR", "rs.": "INR",
    "sgd": "SGD", "aud": "AUD", "cad": "CAD", "hkd": "HKD", "chf": "CHF",
}  # fmt: skip
#: Currency written after the number.
SUFFIX = {
    "us dollars": "USD", "u.s. dollars": "USD", "dollars": "USD", "dollar": "USD",
    "yen": "JPY", "won": "KRW", "euros": "EUR", "euro": "EUR", "pounds": "GBP",
    "pounds sterling": "GBP", "yuan": "CNY", "renminbi": "CNY", "rupees": "INR",
    "usd": "USD", "krw": "KRW", "jpy": "JPY", "eur": "EUR", "gbp": "GBP", "cny": "CNY",
    "twd": "TWD", "inr": "INR", "korean won": "KRW", "south korean won": "KRW",
    "japanese yen": "JPY", "chinese yuan": "CNY", "us dollar": "USD", "u.s. dollar": "USD",
    "american dollars": "USD", "british pounds": "GBP",
}  # fmt: skip
#: Korean currency words.
KO_CURRENCY = {
    "원": "KRW",
    "달러": "USD",
    "엔": "JPY",
    "유로": "EUR",
    "위안": "CNY",
    "파운드": "GBP",
}

_PREFIX_RE = "|".join(re.escape(k) for k in sorted(PREFIX, key=len, reverse=True) if k != "w")
_SUFFIX_RE = "|".join(re.escape(k) for k in sorted(SUFFIX, key=len, reverse=True))

_EN_PREFIX = re.compile(
    rf"(?<![A-Za-z0-9])(?P<cur>{_PREFIX_RE})\s?(?P<num>{NUM})(?:\s?-?(?P<scale>{_SCALE})\b)?",
    re.IGNORECASE,
)
_KRW_W = re.compile(rf"(?<![A-Za-z0-9])W(?P<num>{NUM})\s?(?P<scale>trillion|billion|tn|bn)\b")
_EN_SUFFIX = re.compile(
    rf"(?<![\w$.,])(?P<num>{NUM})(?:\s?(?P<scale>{_SCALE}))?\s(?P<cur>{_SUFFIX_RE})\b",
    re.IGNORECASE,
)
_KO_GROUP = rf"(?:{NUM})\s?(?:천|백)?\s?(?:조|억|만)"
_KO = re.compile(
    rf"(?<![\w.,])(?P<cur_pre>미화\s?|US\$\s?|\$\s?)?(?P<num>{_KO_GROUP}(?:\s?{_KO_GROUP})*)"
    rf"(?:\s?(?P<tail>{NUM}))?"
    rf"\s?(?P<cur>{'|'.join(KO_CURRENCY)})?"
)
_KO_PART = re.compile(rf"(?P<n>{NUM})\s?(?P<mult>천|백)?\s?(?P<unit>조|억|만)")
_KO_UNITS = {"조": 1e12, "억": 1e8, "만": 1e4}
#: Hangul counters after a bare Korean number: not money (1억 명 = 100 million people).
_KO_COUNTERS = "명개대톤주건회장평배석가호곳채마리년월일시분초"

QUALIFIERS = ("about", "more-than", "up-to", "exact")

_Q_BEFORE = [
    (re.compile(r"\b(?:more than|over|above|in excess of|upwards of|exceeding|exceeds?|exceeded|"
                r"at least|no less than|a minimum of|minimum of|north of|top|topping|surpassing|"
                r"well over|just over|over)\s*$", re.I), "more-than"),
    (re.compile(r"\b(?:up to|as much as|a maximum of|maximum of|no more than|as high as|"
                r"a ceiling of|capped at)\s*$", re.I), "up-to"),
    (re.compile(r"(?:\b(?:about|approximately|approx\.|around|roughly|some|nearly|almost|"
                r"close to|an estimated|estimated|circa|just under|just below|"
                r"in the region of)|~)\s*$", re.I), "about"),
    (re.compile(r"(?:최대|많게는)\s*$"), "up-to"),
    (re.compile(r"(?:최소|적어도)\s*$"), "more-than"),
    (re.compile(r"(?:약|대략|무려\s*약|거의|총\s*약)\s*$"), "about"),
]  # fmt: skip
_Q_AFTER = [
    (re.compile(r"^\s?(?:이상|넘는|넘게|넘어|넘을|초과|\+|-?plus\b)"), "more-than"),
    (re.compile(r"^\s?(?:이하|미만|이내|까지)"), "up-to"),
    (re.compile(r"^\s?(?:여\s?원|여\s?달러|여\s|여를|여가|여의|여에|가량|정도|안팎|내외|남짓|대\s|"
                r"대의|대를)"), "about"),
    (re.compile(r"^\s?(?:or more|and more|and up|and above|or higher)\b", re.I), "more-than"),
]  # fmt: skip


@dataclass(frozen=True)
class Money:
    """One amount of money as written.

    Attributes
    ----------
    value : float
        Plain number in units of ``currency`` (``"$5 billion"`` → ``5e9``).
    currency : str
        ISO 4217 code.
    qualifier : str
        ``about``, ``more-than``, ``up-to`` or ``exact`` (no qualifier word).
    span : Span
        The quoted amount, qualifier words included.
    restated : tuple[Money, ...]
        The same amount restated in another currency (parentheses or ", or about").
    """

    value: float
    currency: str
    qualifier: str
    span: Span
    restated: tuple[Money, ...] = ()
    low: float | None = None  # a range ("$5-7 billion", "5조~7조 원"): its ends; value = midpoint
    high: float | None = None


def parse_number(s: str) -> float:
    """``"1,500.5"`` → ``1500.5``."""
    return float(s.replace(",", ""))


def korean_value(s: str) -> float:
    """Value of a Korean amount without its currency: ``"1조 5,000억"`` → ``1.5e12``;
    a trailing plain number counts in units (``"1억 2000"`` → ``1.0002e8``)."""
    total = 0.0
    pos = 0
    for m in _KO_PART.finditer(s):
        mult = {"천": 1e3, "백": 1e2, None: 1.0}[m.group("mult")]
        total += parse_number(m.group("n")) * mult * _KO_UNITS[m.group("unit")]
        pos = m.end()
    rest = s[pos:].strip()
    if rest:
        total += parse_number(rest)
    return total


def _qualifier(text: str, start: int, end: int) -> tuple[str, int, int]:
    before = text[max(0, start - 40) : start]
    after = text[end : end + 12]
    for rx, q in _Q_BEFORE:
        m = rx.search(before)
        if m:
            return q, start - (len(before) - m.start()), end
    for rx, q in _Q_AFTER:
        m = rx.match(after)
        if m:
            return q, start, end + len(m.group(0).rstrip())
    return "exact", start, end


_DASH = r"\s?(?:-|\u2013|\u2014|~|\u301c|\uff5e|to)\s?"
_EN_RANGE = re.compile(
    rf"(?<![A-Za-z0-9])(?P<cur>{_PREFIX_RE})\s?(?P<a>{NUM})\s?(?P<sa>{_SCALE})?{_DASH}"
    rf"(?:{_PREFIX_RE})?\s?(?P<b>{NUM})\s?-?(?P<scale>{_SCALE})\b",
    re.IGNORECASE,
)
_EN_BETWEEN = re.compile(
    rf"\bbetween\s(?P<cur>{_PREFIX_RE})\s?(?P<a>{NUM})\s?(?P<sa>{_SCALE})?\s?and\s"
    rf"(?:{_PREFIX_RE})?\s?(?P<b>{NUM})\s?-?(?P<scale>{_SCALE})\b",
    re.IGNORECASE,
)
#: The currency after the second number only: "between 400 billion and 600 billion won",
#: "5 to 7 trillion won", "1.5-2 billion euros".
_EN_RANGE_SUFFIX = re.compile(
    rf"(?:\bbetween\s)?(?<![A-Za-z0-9$])(?P<a>{NUM})\s?(?P<sa>{_SCALE})?"
    rf"(?P<join>{_DASH}|\sand\s)(?P<b>{NUM})\s?-?(?P<scale>{_SCALE})\s(?P<cur>{_SUFFIX_RE})\b",
    re.IGNORECASE,
)
_KO_RANGE = re.compile(
    rf"(?P<a>{NUM})\s?(?P<ua>조|억)?\s?[~\-\u2013\u301c\uff5e]\s?(?P<b>{NUM})\s?(?P<ub>조|억)"
    rf"\s?(?P<cur>{'|'.join(KO_CURRENCY)})?"
)
#: Korean ranges whose ends are compound numbers: "1조5천억~2조원", "1조 5,000억~2조 원".
#: Linear on a run of numbers ("1조 1조 1조 ..."): a match starts only at the run's first group
#: (not after "조 ") and its groups are taken possessively, never given back one by one.
_KO_RANGE_COMPOUND = re.compile(
    rf"(?<![\w.,])(?<![조억만]\s)(?P<a>{_KO_GROUP}(?:\s?{_KO_GROUP})*+)\s?"
    rf"[~\-\u2013\u301c\uff5e]\s?(?P<b>{_KO_GROUP}(?:\s?{_KO_GROUP})*+)\s?"
    rf"(?P<cur>{'|'.join(KO_CURRENCY)})?"
)
_WORD_NUMBERS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "a hundred": 100, "one hundred": 100, "half a": 0.5,
}  # fmt: skip
_SPELLED = re.compile(
    r"\b(?P<n>half a|a hundred|one hundred|" + "|".join(sorted(
        (k for k in _WORD_NUMBERS if " " not in k), key=len, reverse=True)) + r")\s"
    r"(?P<scale>trillion|billion|million)\s(?P<cur>" + _SUFFIX_RE + r")\b",
    re.IGNORECASE,
)

#: A mention: (start, end, value, currency, low, high).
Mention = tuple[int, int, float, str, "float | None", "float | None"]


def _finite(value: float) -> bool:
    return math.isfinite(value) and 0 < value <= MAX_VALUE


def _ranges(text: str, start: int, end: int) -> list[Mention]:
    out: list[Mention] = []
    en = [*_EN_RANGE.finditer(text, start, end), *_EN_BETWEEN.finditer(text, start, end)]
    for m in en:
        scale = SCALES[m.group("scale").lower()]
        sa = SCALES[m.group("sa").lower()] if m.group("sa") else scale
        lo, hi = parse_number(m.group("a")) * sa, parse_number(m.group("b")) * scale
        if lo < hi:
            out.append((m.start(), m.end(), (lo + hi) / 2, PREFIX[m.group("cur").lower()], lo, hi))
    for m in _EN_RANGE_SUFFIX.finditer(text, start, end):
        if m.group("join").strip().lower() == "and" and not m.group(0).lower().startswith(
                "between"):
            continue  # "A and B" is a range only after "between"
        scale = SCALES[m.group("scale").lower()]
        sa = SCALES[m.group("sa").lower()] if m.group("sa") else scale
        lo, hi = parse_number(m.group("a")) * sa, parse_number(m.group("b")) * scale
        if lo < hi:
            out.append((m.start(), m.end(), (lo + hi) / 2, SUFFIX[m.group("cur").lower()], lo,
                        hi))
    for m in _KO_RANGE.finditer(text, start, end):
        ub = _KO_UNITS[m.group("ub")]
        ua = _KO_UNITS[m.group("ua")] if m.group("ua") else ub
        lo, hi = parse_number(m.group("a")) * ua, parse_number(m.group("b")) * ub
        cur = KO_CURRENCY.get(m.group("cur") or "", "KRW")
        if lo < hi:
            out.append((m.start(), m.end(), (lo + hi) / 2, cur, lo, hi))
    for m in _KO_RANGE_COMPOUND.finditer(text, start, end):
        lo, hi = korean_value(m.group("a")), korean_value(m.group("b"))
        cur = KO_CURRENCY.get(m.group("cur") or "", "KRW")
        if lo < hi:
            out.append((m.start(), m.end(), (lo + hi) / 2, cur, lo, hi))
    for m in _SPELLED.finditer(text, start, end):
        value = _WORD_NUMBERS[m.group("n").lower()] * SCALES[m.group("scale").lower()]
        out.append((m.start(), m.end(), value, SUFFIX[m.group("cur").lower()], None, None))
    return out


def _mentions(text: str, start: int, end: int) -> list[Mention]:
    """(start, end, value, currency, low, high) of every amount, longest match first, no
    overlaps; values that are not finite or above :data:`MAX_VALUE` are not amounts."""
    found: list[tuple[int, int, float, str]] = []
    for m in _EN_PREFIX.finditer(text, start, end):
        scale = SCALES[m.group("scale").lower()] if m.group("scale") else 1.0
        cur = PREFIX[m.group("cur").lower()]
        nxt = text[m.end() : m.end() + 6]
        if re.match(r"\s?[조억만]", nxt):
            continue  # "$50억" is a Korean-style amount
        if m.group("cur").isalpha() and not m.group("scale") and parse_number(m.group("num")) < 1e5:
            continue  # "USD 5" alone: a price or a code, not an investment-sized amount
        found.append((m.start(), m.end(), parse_number(m.group("num")) * scale, cur))
    for m in _KRW_W.finditer(text, start, end):  # Korean English-language press: "W7 trillion"
        found.append((m.start(), m.end(),
                      parse_number(m.group("num")) * SCALES[m.group("scale").lower()], "KRW"))
    for m in _EN_SUFFIX.finditer(text, start, end):
        scale = SCALES[m.group("scale").lower()] if m.group("scale") else 1.0
        found.append(
            (m.start(), m.end(), parse_number(m.group("num")) * scale,
             SUFFIX[m.group("cur").lower()])
        )  # fmt: skip
    for m in _KO.finditer(text, start, end):
        named = "USD" if m.group("cur_pre") else KO_CURRENCY.get(m.group("cur") or "")
        if named is None:
            nxt = text[m.end() : m.end() + 1]
            if "조" not in m.group("num") and "억" not in m.group("num"):
                continue
            if nxt and nxt in _KO_COUNTERS:
                continue
            named = "KRW"  # bare "360조": Korean press style for won
        cur = named
        value = korean_value(m.group("num") + (" " + m.group("tail") if m.group("tail") else ""))
        found.append((m.start(), m.end(), value, cur))
    every: list[Mention] = [(*f, None, None) for f in found] + _ranges(text, start, end)
    every.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[Mention] = []
    for f in every:
        if out and f[0] < out[-1][1]:
            continue
        if _finite(f[2]):
            out.append(f)
    return out


_RESTATE_OPEN = re.compile(
    r"^\s*(?:[(\uff08\[]\s*|,\s*or\s+|\s*/\s*|,\s*equivalent to\s+|,\s*or roughly\s+)"
    r"(?:about|approximately|approx\.|around|roughly|some|nearly|equivalent to|or|약|"
    r"an estimated)?\s*$",
    re.I,
)
_RESTATE_CLOSE = re.compile(r"^\s*(?:[)\uff09\]]|,|\.|\s)")


def find_money(text: str, start: int = 0, end: int | None = None) -> list[Money]:
    """Every amount of money in ``text[start:end]`` with its qualifier; restatements in a
    second currency (``2.26 trillion yen ($15 billion)``) are folded into the first amount."""
    end = len(text) if end is None else end
    raw = _mentions(text, start, end)
    monies: list[Money] = []
    for s, e, value, cur, low, high in raw:
        q, qs, qe = _qualifier(text, s, e)
        if low is not None and q == "exact":
            q = "about"
        monies.append(Money(value, cur, q, span(text, qs, qe), low=low, high=high))
    out: list[Money] = []
    for m in monies:
        if out:
            prev = out[-1]
            last = prev.restated[-1] if prev.restated else prev
            between = text[last.span.end : m.span.start]
            after = text[m.span.end : m.span.end + 2]
            if (
                len(between) <= 40
                and m.currency != prev.currency
                and _RESTATE_OPEN.match(between)
                and (_RESTATE_CLOSE.match(after) or not after)
                and all(r.currency != m.currency for r in prev.restated)
            ):
                out[-1] = replace(prev, restated=(*prev.restated, m))
                continue
        out.append(m)
    return out
