"""Job claims in English and Korean press text, with what they count.

English: "create 2,000 jobs", "thousands of jobs" (a vague count becomes a range, see
:data:`VAGUE`), "support an average of 48,000 full-time jobs a year". Korean: "일자리 3만 개",
"8100여 명의 일자리", "고용유발효과 3000명", "연평균 1만2300개의 일자리" (compound numbers:
1만2300 = 12,300).

Basis: a count of person-years ("연인원 3천여 명", "누적 고용 1만 명", "10,000 job-years",
"person-years") is a claim in **job-years** (``unit: job-years``); any other count is jobs in a
year (``unit: jobs``).
"""

from __future__ import annotations

import re

from .records import DraftClaim
from .text import Sentence, span

#: Vague English counts → (low, high) read for them (a reading convention, stated on the claim).
VAGUE = {
    "dozens": (24.0, 99.0),
    "hundreds": (200.0, 999.0),
    "thousands": (2000.0, 9999.0),
    "tens of thousands": (20000.0, 99999.0),
    "hundreds of thousands": (200000.0, 999999.0),
}
_JOBS_EN = re.compile(
    r"(?<![\d$.,\u00a3\u20ac])(?P<num>(?:\d{1,3}(?:,\d{3}){1,3}|\d{1,7}(?:\.\d{1,3})?)"
    r"(?:\s?(?:thousand|million))?|(?:tens of |hundreds of )?thousands|hundreds|dozens)"
    r"\s{1,3}(?:of\s)?(?:[\w-]{1,30}\s(?:and\s[\w-]{1,30}\s)?){0,2}?"
    r"(?P<what>jobs|job opportunities|positions|workers|employees|people|roles|job-years|"
    r"person-years|job years|person years)\b",
    re.I,
)
_JOBS_VERB = re.compile(
    r"\b(?:creat\w*|generat\w*|add\w*|employ\w*|hir\w*|support\w*|bring\w*|provid\w*|"
    r"result in|lead to)\b",
    re.I,
)
_KO_NUM = (
    r"(?<![\d,.])(?P<n>\d{1,3}(?:,\d{3}){1,3}|\d{1,7}(?:\.\d{1,2})?)\s?(?P<u>만|천)?"
    r"(?P<r>\d{1,4})?"
)
_JOBS_KO = re.compile(
    r"(?P<cue>일자리|고용|채용|신규\s?고용|고용\s?유발|고용\s?창출|연인원|누적\s?고용)"
    r"(?:\s?(?:효과|인원))?[^.\d\n]{0,12}?" + _KO_NUM + r"\s?(?P<yeo>여\s?)?(?:개|명)"
    r"|" + _KO_NUM.replace("(?P<n>", "(?P<n2>").replace("(?P<u>", "(?P<u2>").replace(
        "(?P<r>", "(?P<r2>") + r"\s?(?P<yeo2>여\s?)?(?:개|명)의?\s?"
    r"(?:신규\s?|직간접\s?|직접\s?|간접\s?|건설\s?)?(?:일자리|고용|채용|인력)"
)
_PERSON_YEARS_KO = re.compile(r"연인원|누적|연\s?인원")
_PERSON_YEARS_EN = re.compile(r"job[- ]years|person[- ]years|man[- ]years", re.I)


def _ko_value(n: str, u: str | None, r: str | None) -> float:
    base = float(n.replace(",", "")) * {"만": 1e4, "천": 1e3, None: 1.0}[u]
    return base + (float(r) if r and u else 0.0)


def job_claims(text: str, sent: Sentence) -> list[DraftClaim]:
    """Job claims in the sentence ``sent`` (spans are offsets into ``text``)."""
    out = []
    seg = text[sent.start : sent.end]
    verb = bool(_JOBS_VERB.search(seg))
    for m in _JOBS_EN.finditer(seg):
        if not verb:
            break
        raw = m.group("num").lower()
        low = high = value = None
        if raw in VAGUE:
            low, high = VAGUE[raw]
        else:
            mult = 1e6 if "million" in raw else 1e3 if "thousand" in raw else 1.0
            value = float(re.sub(r"[^\d.]", "", raw.split()[0])) * mult
        years = bool(_PERSON_YEARS_EN.search(m.group("what")))
        out.append(_claim(text, sent, m.start(), m.end(), value, low, high, years))
    for m in _JOBS_KO.finditer(seg):
        if m.group("n") is not None:
            value = _ko_value(m.group("n"), m.group("u"), m.group("r"))
        else:
            value = _ko_value(m.group("n2"), m.group("u2"), m.group("r2"))
        before = seg[max(0, m.start() - 12) : m.end()]
        years = bool(_PERSON_YEARS_KO.search(before))
        out.append(_claim(text, sent, m.start(), m.end(), value, None, None, years))
    return out


def _claim(text: str, sent: Sentence, a: int, b: int, value: float | None, low: float | None,
           high: float | None, years: bool) -> DraftClaim:  # fmt: skip
    return DraftClaim(
        "employment",
        value,
        "job-years" if years else "jobs",
        span(text, sent.start + a, sent.start + b),
        low,
        high,
        basis="job-years" if years else None,
    )
