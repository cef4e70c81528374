"""When the money is spent: period phrases in English and Korean, and the announcement date.

Recognised (years are four digits, 1990–2099):

- end only: "by 2031", "through 2026", "until 2030", "by the end of 2030", "2030년까지",
  "2027년 5월 준공", "2030년 완공/가동 목표", "production from 2028" (operation begins: the
  spending has ended);
- start only: "from 2026", "starting in 2026", "construction starts in 2026", "break ground in
  2026", "2026년부터", "2026년 착공";
- both: "from 2026 to 2030", "between 2026 and 2030", "2026-2030", "2026~2030년",
  "2026년부터 2030년까지";
- relative: "over the next five years", "in the coming decade", "향후 5년간", "앞으로 3년"
  (needs the announcement date; see :func:`relative_years`);
- one year: "in 2026", "2026년에".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .text import Span, span

YEAR = r"(?:19[9]\d|20\d\d)"
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "a": 1,
}  # fmt: skip
_N = r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"

_MONTH = (r"(?:(?:January|February|March|April|May|June|July|August|September|October|"
          r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+)?")
#: One character between a cue word and its year: not a sentence or clause end, and not the
#: start of another year ("Construction of the P5 line starts in 2026").
_GAP = r"(?:(?!(?:19|20)\d\d)[^.;])"
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(?:from|between)\s+(?:(?:the\s+)?(?:fiscal\s+)?(?:year\s+)?)?(?P<a>{YEAR})"
                rf"\s+(?:to|and|through|until|till)\s+(?:the\s+end\s+of\s+)?(?P<b>{YEAR})\b",
                re.I), "both"),
    (re.compile(rf"(?<!\d)(?P<a>{YEAR})\s?(?:-|\u2013|~|\u301c|to)\s?(?P<b>{YEAR}|\d\d)(?!\d)"),
     "both"),
    (re.compile(rf"(?P<a>{YEAR})년\s?(?:\d{{1,2}}월\s?)?부터\s?(?:오는\s)?(?P<b>{YEAR})년"
                rf"(?:\s?\d{{1,2}}월)?\s?까지"), "both"),
    (re.compile(rf"(?P<a>{YEAR})\s?[~\-\u2013]\s?(?P<b>{YEAR})년"), "both"),
    (re.compile(rf"\b(?:by|through|thru|until|till|no later than)\s+"
                rf"(?:the\s+(?:end|middle|first half|second half|start)\s+of\s+)?"
                rf"(?:(?:early|mid|late|end)[- ])?(?:fiscal\s+(?:year\s+)?)?{_MONTH}"
                rf"(?P<b>{YEAR})\b",
                re.I), "end"),
    (re.compile(rf"(?:오는\s)?(?P<b>{YEAR})년(?:\s?(?:말|상반기|하반기|초|\d{{1,2}}월))?\s?까지"),
     "end"),
    (re.compile(rf"(?P<b>{YEAR})년(?:\s?(?:말|상반기|하반기|초|\d{{1,2}}월))?\s?(?:상업\s?|본격\s?)?"
                rf"(?:준공|완공|가동|양산|완료|설립|건설 완료|개소|오픈)"), "end"),
    (re.compile(rf"\b(?:complet\w*|finish\w*|open\w*|operational|operation|operating|online|"
                rf"production|targeted|scheduled|slated|due|ready)\b[^.;\d]{{0,50}}?"
                rf"\b(?:in|by|for)\s+(?:the\s+(?:end|first half|second half|middle|start)\s+"
                rf"of\s+)?(?:(?:early|mid|late)[- ])?{_MONTH}(?P<b>{YEAR})\b", re.I), "end"),
    (re.compile(rf"\b(?:production|operations?|operating|shipments?|output)\b{_GAP}{{0,50}}?"
                rf"\bfrom\s+{_MONTH}(?P<b>{YEAR})\b(?!\s*(?:-|\u2013|to|and|through|until|till)\s*\d)",
                re.I), "end"),
    (re.compile(rf"(?P<a>{YEAR})년\s?(?:(?:\d{{1,2}}월|상반기|하반기|초|말)\s?)?"
                rf"(?:착공|공사를 시작|건설을 시작)"), "start"),
    (re.compile(rf"\b(?:construction|building|work|works|groundwork)\b{_GAP}{{0,40}}?"
                rf"\b(?:starts?|begins?|began|commenc\w*|(?:is|are|was)\s+(?:set|due|scheduled|"
                rf"slated|expected)\s+to\s+(?:start|begin))\s+(?:in|by)\s+"
                rf"(?:(?:early|mid|late)[- ])?{_MONTH}(?P<a>{YEAR})\b", re.I), "start"),
    (re.compile(rf"\b(?:break(?:s|ing)?\s+ground|groundbreaking)\b{_GAP}{{0,30}}?"
                rf"\b(?:in|by)\s+(?:(?:early|mid|late)[- ])?{_MONTH}(?P<a>{YEAR})\b", re.I),
     "start"),
    (re.compile(rf"\b(?:from|starting(?:\s+in)?|beginning(?:\s+in)?|as of)\s+(?P<a>{YEAR})\b",
                re.I), "start"),
    (re.compile(rf"(?P<a>{YEAR})년\s?(?:\d{{1,2}}월\s?)?부터"), "start"),
    (re.compile(rf"\b(?:over|in|during|within)\s+the\s+(?:next|coming|following)\s+"
                rf"(?P<n>{_N})\s+years?\b", re.I), "relative"),
    (re.compile(r"\b(?:over|in|during|within)\s+the\s+(?:next|coming)\s+decade\b", re.I),
     "decade"),
    (re.compile(rf"\bover\s+(?P<n>{_N})\s+years\b", re.I), "relative"),
    (re.compile(r"(?:향후|앞으로|이후)\s?(?P<n>\d{1,2})\s?년(?:간|동안|에 걸쳐)?"), "relative"),
    (re.compile(rf"\b(?:in|during)\s+(?:fiscal\s+(?:year\s+)?)?(?P<y>{YEAR})\b", re.I), "year"),
    (re.compile(rf"(?P<y>{YEAR})년\s?(?:에|중|한 해)"), "year"),
]  # fmt: skip


@dataclass(frozen=True)
class Period:
    """A period phrase: years (``None`` when unstated) and the quote."""

    start: int | None
    end: int | None
    kind: str
    span: Span
    years: int | None = None  # for relative phrases: the number of years


def find_periods(text: str, start: int = 0, end: int | None = None) -> list[Period]:
    """Period phrases in ``text[start:end]``, in text order, without overlaps."""
    end = len(text) if end is None else end
    found: list[tuple[int, int, Period]] = []
    for rx, kind in _PATTERNS:
        for m in rx.finditer(text, start, end):
            g = m.groupdict()
            a = int(g["a"]) if g.get("a") else None
            b = g.get("b")
            bi: int | None = None
            if b:
                bi = int(b) if len(b) == 4 else (a // 100) * 100 + int(b) if a else None
            n = None
            if kind == "relative":
                raw = g["n"].lower()
                n = int(raw) if raw.isdigit() else _WORDS[raw]
            elif kind == "decade":
                n = 10
            if kind == "year":
                a = bi = int(g["y"])
            if a is not None and bi is not None and bi < a:
                continue
            found.append((m.start(), m.end(), Period(a, bi, kind, span(text, m.start(), m.end()),
                                                     n)))  # fmt: skip
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[Period] = []
    last_end = -1
    for s, e, p in found:
        if s < last_end:
            continue
        out.append(p)
        last_end = e
    return out


def relative_years(years: int, announced: dt.date) -> tuple[int, int]:
    """Calendar years of "the next ``years`` years" from ``announced``.

    Rule (derived, documented in docs/draft.md): announced in January–June, the first year is
    the announcement year; announced in July–December, the next year (most of the announcement
    year has gone). The period then runs ``years`` calendar years: 29 Oct 2025 + five years →
    2026–2030.
    """
    first = announced.year if announced.month <= 6 else announced.year + 1
    return first, first + years - 1


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_DATES = [
    re.compile(r"(?P<y>20\d\d)-(?P<m>\d\d)-(?P<d>\d\d)"),
    re.compile(r"(?P<y>20\d\d)년\s?(?P<m>\d{1,2})월\s?(?P<d>\d{1,2})일"),
    re.compile(r"(?P<y>20\d\d)\.\s?(?P<m>\d{1,2})\.\s?(?P<d>\d{1,2})"),
    re.compile(r"\b(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+"
               r"(?P<d>\d{1,2}),?\s+(?P<y>20\d\d)\b"),
    re.compile(r"\b(?P<d>\d{1,2})\s+(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
               r"[a-z]*\.?,?\s+(?P<y>20\d\d)\b"),
]  # fmt: skip


def find_dateline(text: str) -> tuple[dt.date, Span] | None:
    """The article's date from its first 300 characters (a dateline), or ``None``."""
    head = text[:300]
    best: tuple[int, dt.date, Span] | None = None
    for rx in _DATES:
        m = rx.search(head)
        if not m:
            continue
        g = m.groupdict()
        month = _MONTHS[g["mon"].lower()[:3]] if g.get("mon") else int(g["m"])
        try:
            d = dt.date(int(g["y"]), month, int(g["d"]))
        except ValueError:
            continue
        if best is None or m.start() < best[0]:
            best = (m.start(), d, span(text, m.start(), m.end()))
    return None if best is None else (best[1], best[2])
