"""The reader: press text → :class:`DraftRecord` s (one per announced investment).

Steps, each in its own module: sentences and clauses (:mod:`.text`), money
(:mod:`.amounts`), what each amount is (:mod:`.keywords`: an investment, a claim, past
spending, a comparison, context or a restatement of an amount already read), who invests
(:mod:`.investor`), when (:mod:`.periods`), where (:mod:`.places`), job claims (:mod:`.jobs`)
and the finished records (:mod:`.assemble`). Every sentence is scanned once per finder
(:mod:`.index`), so reading is linear in the text, within a time budget.

One record per pledge: mentions of the same amount (in any of its currencies) by the same
investor, or by a name that is a short form of it, or in the headline, merge into one record
with all their spans; a sub-amount ("of which $3 billion") joins the record before it; a
restatement in another currency ("The amount, about $15.24 billion, ...") joins it too; claims
join the nearest earlier investment that was not mentioned as background.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from functools import lru_cache

from . import actors, assemble, keywords
from .amounts import Money
from .index import TIME_BUDGET, TextIndex
from .investor import Context, find_investor
from .jobs import job_claims
from .mentions import Mention, Rec
from .periods import Period, find_dateline
from .records import DraftAmount, DraftClaim, DraftRecord
from .text import Sentence, Span, clauses, span

#: Smallest amount read as an investment, per currency (prices and per-share figures are
#: smaller): 1 million for most currencies, 100 million for KRW and JPY.
MIN_AMOUNT = {"KRW": 1e8, "JPY": 1e8}
MIN_DEFAULT = 1e6

_FUTURE = re.compile(
    r"\b(?:will|would|plans?|planning|planned|aims?|intends?|expects? to|is set to|is to|"
    r"are to|to invest|to spend|pledged|pledges|promised|commit\w* to|going to|next|coming)\b"
    r"|계획|예정|방침|하기로|할 것|한다|나선다|목표",
    re.I,
)
_PAST_STRONG = re.compile(
    r"\b(?:has|have|had|already)\s+(?:already\s+|so far\s+|previously\s+)?"
    r"(?:invested|spent|poured|put|injected|sunk)\b"
    r"|\bhad\s+(?:once\s+)?(?:pledged|promised|committed|planned|announced)\b"
    r"|\b(?:invested|spent|poured)\b[^.;]{0,60}\b(?:so far|to date|since (?:19|20)\d\d|"
    r"over the (?:past|last)|in the (?:past|last)|last year)\b"
    r"|투자해\s?왔|투자해왔|투자했|투입했|지금까지|그동안|그간|누적",
    re.I,
)
_PAST_WEAK = re.compile(
    r"\b(?:since\s+(?:19|20)\d\d|over the (?:past|last)\s+\w+\s+years?|in the (?:past|last)\s+"
    r"\w+\s+years?|cumulative(?:ly)?|last year|in total since|previously invested|"
    r"in (?:19|20)\d\d-(?:19|20)?\d\d)\b|지난\s?\d+\s?년\s?간|지난해|이후",
    re.I,
)
_BACKGROUND = re.compile(
    r"\b(?:last month|last year|earlier this (?:year|month)|previously|earlier|has stated|"
    r"(?:a|one|two|three|several|\d+) (?:months?|weeks?|years?) (?:after|ago)|"
    r"had announced|announced earlier|already announced|comes after|came after|in (?:January|"
    r"February|March|April|May|June|July|August|September|October|November|December)"
    r"(?: (?:19|20)\d\d)?,? (?:it|the company) (?:announced|said))\b|앞서|지난달|지난해\s?발표",
    re.I,
)
#: Said after the amount: an earlier plan ("part of a 10 trillion won plan announced last year").
_BACKGROUND_AFTER = re.compile(
    r"[^.;]{0,40}?\b(?:announced|unveiled|pledged|revealed|disclosed|outlined)\s+(?:last\s+"
    r"(?:year|month|week)|earlier(?:\s+this\s+(?:year|month))?|previously|in\s+(?:January|"
    r"February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:19|20)\d\d))\b",
    re.I,
)
#: Next to an earlier announcement, words that make this one new ("지난해 발표한 계획과 별도로",
#: "in addition to the plan announced last year").
_NEW_BESIDES = re.compile(r"별도|별개|in addition to|separate(?:ly)? from|on top of", re.I)


def _background(text: str, s_start: int, s_end: int, m: Money) -> bool:
    """The amount was announced before the article: a cue before it in its sentence ("last
    year", "앞서", "previously") or after it ("a plan announced last year"), unless the
    sentence says this one comes besides that earlier one."""
    lo = max(s_start, m.span.start - 300)
    cue = _BACKGROUND.search(text, lo, m.span.start)
    if cue is not None and _NEW_BESIDES.search(text, max(lo, cue.start() - 20),
                                               min(m.span.start, cue.end() + 20)):
        cue = None
    after = _BACKGROUND_AFTER.match(text, m.span.end, min(s_end, m.span.end + 120))
    return cue is not None or after is not None


#: Before the amount: it is a whole that the investment just read belongs to ("The investment
#: is part of a 10 trillion won plan", "이번 투자는 ... 10조원 규모 계획의 일부").
_PART_OF = re.compile(r"\b(?:is|was|are|forms?|will\s+be)\s+(?:a\s+)?part\s+of\s+(?:a|an|the|"
                      r"its|their)\s+(?:[\w-]+\s+){0,3}$", re.I)
#: An amount restating one already read, in another currency ("The amount, about $15.24
#: billion, ..."; "... at current exchange rates"; "원화로 약 ...").
_RESTATE_BEFORE = re.compile(
    r"\b(?:the|this|that)\s+(?:amount|sum|figure|investment|total|pledge)\b[^.;]{0,25}$"
    r"|(?:equivalent to|worth about|roughly equal to)\s+$|(?:원화|달러)로\s?(?:환산하면|약)?\s?$",
    re.I,
)
_RESTATE_AFTER = re.compile(r"^\W{0,3}(?:at (?:current|today's|the current) exchange rates?)", re.I)
#: A dateline at the start of one of the first lines ("NAGOYA, Japan, Feb 2, 2026 - ").
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?:[A-Z][A-Z .'\-]{2,40}(?:,[^\n]{0,60}?)?|\([^)\n]{2,30}\)|[^\n]{0,40}"
    r"\(Yonhap\))[ \t]?(?:-|\u2013|\u2014|--)\s"
)
_WHY = {
    "past": "money spent in the past or a total of an earlier period",
    "comparison": "a figure quoted for comparison",
    "context": "context (revenue, market size, valuation, support), not money to be spent",
    "small": "too small to be an investment (a price or a per-unit figure)",
    "restatement": "the same amount restated in another currency",
    "total": "a running total of amounts read before it, not a new pledge",
}
#: Before an amount: a running total of pledges ("bringing its total U.S. investment
#: commitment to $26 billion", "총 투자 규모는 ... 로 늘어난다").
_RUNNING_TOTAL = re.compile(
    r"\b(?:bring(?:s|ing)?|rais(?:es|ing)|tak(?:es|ing)|lift(?:s|ing)|push(?:es|ing))\s+"
    r"(?:its|the|their|his|her|our)\s+(?:\S+\s+){0,5}?(?:total|tally|sum)\b[^;]{0,60}?\bto\s*$"
    r"|(?:누적|총)\s?투자\s?(?:규모|액|금액)?(?:는|은|가|이)\s?$",
    re.I,
)


def dateline(text: str) -> tuple[int, int]:
    """Span of a dateline such as ``"AUSTIN, Texas, March 4, 2025 - "`` at the start of one
    of the first three lines ((0, 0) if none); places and organisations in it are where the
    report was filed, not the investment."""
    head = text[: min(len(text), 600)]
    for k, m in enumerate(_DATELINE.finditer(head)):
        if head.count("\n", 0, m.start()) <= 2:
            return m.start(), m.end()
        if k > 2:
            break
    return 0, 0


def dateline_end(text: str) -> int:
    """End of the dateline (0 if none)."""
    return dateline(text)[1]


def _windows(text: str, sent: Sentence, monies: list[Money]) -> list[tuple[int, int, int, int]]:
    """Per amount: (clause start, clause end, window start, window end); the window runs from
    the previous amount's end to the next amount's start, inside the clause."""
    cls = clauses(text, sent.start, sent.end)
    out = []
    k = 0
    for i, m in enumerate(monies):
        while k + 1 < len(cls) and cls[k][1] <= m.span.start:
            k += 1
        cs, ce = cls[k] if cls[k][0] <= m.span.start < cls[k][1] else (sent.start, sent.end)
        prev_end = monies[i - 1].span.end if i else cs
        next_start = monies[i + 1].span.start if i + 1 < len(monies) else ce
        ws = max(cs, prev_end) if prev_end <= m.span.start else cs
        we = min(ce, next_start) if next_start >= m.span.end else ce
        out.append((cs, ce, ws, we))
    return out


@lru_cache(maxsize=256)
def _cue_in_clause(text_id: int, text: str, cs: int, ce: int) -> bool:
    return keywords.INVEST_CUE.search(text, cs, ce) is not None


def cue_in_clause(text: str, cs: int, ce: int) -> bool:
    """Whether the clause ``text[cs:ce]`` has a word of spending (each clause scanned once)."""
    return _cue_in_clause(id(text), text, cs, ce)


def _classify(text: str, m: Money, cs: int, ce: int, ws: int, we: int,
              have_records: bool) -> tuple[str, str | None]:  # fmt: skip
    """What an amount is: investment, claim (with its measure), past, comparison, context,
    restatement or small."""
    last = m.restated[-1].span.end if m.restated else m.span.end
    if m.value < MIN_AMOUNT.get(m.currency, MIN_DEFAULT):
        return "small", None
    before70 = text[max(ws, m.span.start - 70) : m.span.start]
    measure = keywords.nearest_claim_measure(before70, text[last : min(we, last + 60)])
    if measure is not None:
        return "claim", measure
    before = text[max(ws, m.span.start - 45) : m.span.start]
    after = text[last : min(we, last + 40)]
    if (
        keywords.COMPARISON.search(before)
        or re.match(r"\s?(?:보다|대비|에 비해)", after)
        or (re.search(r"\b(?:largest|biggest|since)\b[^.;]{0,50}$", before, re.I)
            and re.search(r"\bsince\b", before, re.I))
    ):  # fmt: skip
        return "comparison", None
    if have_records and (_RESTATE_BEFORE.search(before) or _RESTATE_AFTER.match(after)):
        return "restatement", None
    if have_records and _RUNNING_TOTAL.search(text[max(ws, m.span.start - 120) : m.span.start]):
        return "total", None
    lo = max(ws, m.span.start - 300)
    window = text[lo : min(we, last + 300)]
    if _PAST_STRONG.search(window) or (_PAST_WEAK.search(window) and not _FUTURE.search(window)):
        return "past", None
    if keywords.CONTEXT.search(text[max(ws, m.span.start - 40) : min(we, last + 30)]):
        if not re.search(r"\binvest\w*|투자", text[max(ws, m.span.start - 25) : m.span.start]):
            return "context", None
    if cue_in_clause(text, cs, ce) or keywords.INVEST_CUE.search(window):
        return "investment", None
    if keywords.ALLOCATION.match(text, cs, min(ce, cs + 12)):
        return "investment", None  # "Of this, 73 trillion won will go to Korea": a part
    return "context", None


def _choose_period(text: str, periods: list[Period], m: Money, cs: int, ce: int) -> Period | None:
    """The period phrase of an amount: in its clause, nearest, a year last; a start-only and
    an end-only phrase ("from 2026 ... by 2030") make one period."""
    if not periods:
        return None
    inside = [p for p in periods if cs <= p.span.start < ce] or periods

    def dist(p: Period) -> int:
        return max(p.span.start - m.span.end, m.span.start - p.span.end, 0)

    ranked = sorted(inside, key=lambda p: (p.kind == "year", dist(p)))[:8]
    best = ranked[0]
    other = {"start": "end", "end": "start"}.get(best.kind)
    pair = next((p for p in ranked[1:] if p.kind == other), None)
    if pair is not None:
        a, b = (pair, best) if other == "start" else (best, pair)
        if a.start is not None and b.end is not None and a.start <= b.end:
            lo, hi = sorted((a.span, b.span), key=lambda s: s.start)
            return Period(a.start, b.end, "both", span(text, lo.start, hi.end))
    return best


def _skip(m: Money, kind: str, why: str) -> dict[str, object]:
    return {"kind": kind, "value": m.value, "currency": m.currency, "why": why,
            "span": m.span.to_dict()}  # fmt: skip


def _headline_sentences(ix: TextIndex, dl: tuple[int, int]) -> set[int]:
    """Sentences of a headline: those before the dateline, or a first line without an end
    mark that is followed by more text."""
    if dl[1]:
        return {s.index for s in ix.sents if s.end <= dl[0]}
    if len(ix.sents) > 1:
        first = ix.sents[0].text(ix.text).rstrip()
        if len(first) <= 120 and not first.endswith((".", "다", "!", "?", "\u3002")):
            return {0}
    return set()


def read(
    text: str, *, announced: dt.date | None, budget: float = TIME_BUDGET
) -> tuple[list[DraftRecord], dt.date | None, list[str], list[dict[str, object]]]:
    """Records, the announcement date used, notes and skipped amounts of ``text``.

    Raises :class:`~.records.DraftError` when reading takes longer than ``budget`` seconds.
    """
    notes: list[str] = []
    if announced is None:
        found = find_dateline(text)
        if found is not None:
            announced = found[0]
            notes.append(f"announcement date {announced} read from the dateline {found[1].text!r}")
    ix = TextIndex(text, budget)
    dl = dateline(text)
    ix.dateline_end = dl[1]
    heads = _headline_sentences(ix, dl)
    skipped: list[dict[str, object]] = []
    claims: list[tuple[int, DraftClaim]] = []
    records: list[Rec] = []
    merger = _Merger(records)
    for sent in ix.sents:
        ix.check_time()
        monies = ix.monies(sent.index)
        for m, (cs, ce, ws, we) in zip(monies, _windows(text, sent, monies), strict=True):
            kind, measure = _classify(text, m, cs, ce, ws, we, bool(records))
            if kind == "claim":
                claims.append((sent.index, DraftClaim(measure or "output", m.value, m.currency,
                                                      m.span)))  # fmt: skip
                skipped.append(_skip(m, "claim", f"an effect claimed ({measure})"))
                continue
            if kind == "restatement":
                if merger.restate(m):
                    skipped.append(_skip(m, kind, _WHY[kind]))
                    continue
                kind, _ = _classify(text, m, cs, ce, ws, we, False)
            if kind != "investment":
                skipped.append(_skip(m, kind, _WHY[kind]))
                continue
            men = Mention(m, sent, headline=sent.index in heads)
            men.period = _choose_period(text, ix.periods(sent.index), m, cs, ce)
            p = men.period
            if (announced is not None and p is not None and p.end is not None
                    and p.end < announced.year and cs <= p.span.start < ce):  # fmt: skip
                # "in 2019-2023 it invested $30 billion": a total of an earlier period
                skipped.append(_skip(m, "past", _WHY["past"] + f" ({p.span.text!r})"))
                continue
            men.background = _background(text, sent.start, sent.end, m)
            pick = find_investor(Context(ix, m, sent, cs, ce, ws), records)
            men.investor, men.investor_span, men.why = pick.investor, pick.span, pick.why
            men.sub, men.partners = pick.sub, list(pick.partners)
            men.members_sentences, men.includes = list(pick.members_sentences), list(pick.includes)
            if _PART_OF.search(text, max(sent.start, m.span.start - 80), m.span.start):
                earlier = next((r for r in reversed(records) if not r.background), None)
                if earlier is not None and earlier.investor == men.investor:
                    men.includes.append(earlier.investor)  # the record before is its part
            merger.attach(men, text)
        claims += [(sent.index, c) for c in job_claims(text, sent)]
    _attach_claims(ix, records, claims, notes)
    out = assemble.build(ix, records, announced)
    return out, announced, notes, skipped


def _attach_claims(ix: TextIndex, records: list[Rec], claims: list[tuple[int, DraftClaim]],
                   notes: list[str]) -> None:  # fmt: skip
    """Each claim → the nearest earlier record not mentioned as background (a record whose
    pattern the claim's sentence names wins when exactly one does)."""
    text = ix.text
    patterns: dict[int, str] = {}
    for idx, claim0 in claims:
        ix.check_time()
        where = [p.country for p in ix.places(idx)
                 if p.country and len(p.country) == 3 and p.country.isupper()]  # fmt: skip
        claim = dataclasses.replace(
            claim0,
            sentence=span(text, ix.sents[idx].start, ix.sents[idx].end),
            region=where[0] if len(set(where)) == 1 else None,
        )
        near = [k for k, r in enumerate(records) if r.first_sentence <= idx][-8:]
        said = keywords.suggest_pattern(_head(ix, idx))
        for k in near:
            if k not in patterns:
                r = records[k]
                patterns[k] = keywords.suggest_pattern(
                    " ".join(_head(ix, i) for i in r.sentence_ids[:5]))
        fits = [records[k] for k in near if said != "unknown" and patterns[k] == said]
        earlier = [records[k] for k in near]
        pick = fits[-1] if len(fits) == 1 else None
        pick = pick or next((r for r in reversed(earlier) if not r.background), None)
        pick = pick or (earlier[-1] if earlier else (records[0] if records else None))
        if pick is not None:
            key = (claim.measure, claim.value, claim.low, claim.high, claim.unit)
            if all((c.measure, c.value, c.low, c.high, c.unit) != key for c in pick.claims[-8:]):
                pick.claims.append(claim)  # a claim repeated word for word is one claim
        else:
            notes.append(f"claim {claim.span.text!r} has no investment to attach to")


#: Characters of a sentence read for its spending pattern (keyword counts): enough for any
#: real sentence, and a bound on the work for a hostile one.
PATTERN_CHARS = 2000


def _head(ix: TextIndex, i: int) -> str:
    s = ix.sents[i]
    return ix.text[s.start : min(s.end, s.start + PATTERN_CHARS)]


def _key(value: float, currency: str) -> tuple[str, float]:
    return currency, float(f"{value:.9g}")


class _Merger:
    """Adds mentions to records: a new record, or a merge into the record of the same pledge
    (found through an index of every amount and restatement, so each lookup is constant)."""

    def __init__(self, records: list[Rec]) -> None:
        self.records = records
        self.by_amount: dict[tuple[str, float], list[Rec]] = {}

    def _index(self, rec: Rec, value: float, currency: str) -> None:
        self.by_amount.setdefault(_key(value, currency), []).append(rec)

    def restate(self, m: Money) -> bool:
        """Add ``m`` as a restatement of the latest record's first amount (another currency)."""
        if not self.records:
            return False
        rec = self.records[-1]
        a = rec.amounts[0]
        if m.currency == a.currency or any(c == m.currency for _, c, _ in a.restated):
            return False
        restated = (*a.restated, (m.value, m.currency, m.span))
        rec.amounts[0] = dataclasses.replace(a, restated=restated)
        self._index(rec, m.value, m.currency)
        return True

    def attach(self, men: Mention, text: str) -> None:
        """Merge ``men`` into the record of the same pledge, or start a new record."""
        m = men.money
        amount = DraftAmount(m.value, m.currency, m.qualifier, m.span,
                             tuple((r.value, r.currency, r.span) for r in m.restated), men.sub,
                             m.low, m.high)  # fmt: skip
        if men.sub and self.records:
            rec = self.records[-1]
            rec.amounts.append(amount)
            rec.mentions.append(men)
            rec.sentence_ids.append(men.sentence.index)
            return
        investor = men.investor or "unknown"
        keys = [_key(m.value, m.currency)] + [_key(r.value, r.currency) for r in m.restated]
        for key in keys:
            for rec in self.by_amount.get(key, []):
                if _same_investor(rec, investor, men):
                    self._merge(rec, men, amount, investor, text)
                    return
        span_ = men.investor_span
        if span_ is not None and not span_.text:
            span_ = span(text, span_.start, span_.end)
        rec = Rec([men], investor, span_, [p for p in men.partners if p != investor], [amount],
                  men.background, men.sentence.index, [men.sentence.index],
                  includes=list(men.includes))  # fmt: skip
        self.records.append(rec)
        for v, c in [(m.value, m.currency), *((r.value, r.currency) for r in m.restated)]:
            self._index(rec, v, c)

    def _merge(self, rec: Rec, men: Mention, amount: DraftAmount, investor: str,
               text: str) -> None:  # fmt: skip
        first = rec.amounts[0]
        restated = list(first.restated)
        for v, c, s in amount.restated:
            if c != first.currency and all(c != x for _, x, _ in restated):
                restated.append((v, c, s))
                self._index(rec, v, c)
        if amount.currency != first.currency and all(amount.currency != x for _, x, _ in restated):
            restated.append((amount.value, amount.currency, amount.span))
        better = first.qualifier == "exact" and amount.qualifier != "exact"
        rec.amounts[0] = dataclasses.replace(
            first,
            qualifier=amount.qualifier if better else first.qualifier,
            span=amount.span if better and amount.currency == first.currency else first.span,
            restated=tuple(restated),
            low=first.low if first.low is not None else amount.low,
            high=first.high if first.high is not None else amount.high,
        )
        headline_only = all(mm.headline for mm in rec.mentions)
        if investor != "unknown" and (
            rec.investor == "unknown" or headline_only or len(investor) > len(rec.investor)
        ):
            rec.investor = investor
            span_ = men.investor_span
            rec.investor_span = (span_ if span_ is None or span_.text
                                 else span(text, span_.start, span_.end))  # fmt: skip
        if headline_only and not men.headline:
            rec.first_sentence = men.sentence.index
        rec.mentions.append(men)
        rec.sentence_ids.append(men.sentence.index)
        rec.background = rec.background or men.background
        rec.partners = list(dict.fromkeys(rec.partners + men.partners))
        rec.includes = list(dict.fromkeys(rec.includes + men.includes))


def _same_investor(rec: Rec, investor: str, men: Mention) -> bool:
    """Whether a mention of the same amount names the record's investor: the same name, a
    short form of it ("Toyota" / "Toyota Motor Corp", "현대차" / "현대자동차"), no name, or
    a headline mention."""
    a, b = rec.investor, investor
    if "unknown" in (a, b) or all(mm.headline for mm in rec.mentions) or men.headline:
        return True
    return actors.same_firm(a, b)


__all__ = ["Span", "dateline_end", "read"]
