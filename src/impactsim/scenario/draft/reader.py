"""The reader: press text → :class:`DraftRecord` s (one per announced investment).

Steps, each in its own module: sentences and clauses (:mod:`.text`), money
(:mod:`.amounts`), what each amount is (:mod:`.keywords`: an investment, a claim, past
spending, a comparison or context), who invests (:mod:`.actors`), when (:mod:`.periods`),
where (:mod:`.places`) and which spending pattern (:mod:`.keywords`). Mentions of the same
investment (same investor, amount and currency) are merged; a sub-amount ("a specific
allocation of $3 billion") joins the record before it; claims join the nearest earlier
investment that was not mentioned as background.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

from . import actors, keywords
from .amounts import Money, find_money
from .periods import Period, find_dateline, find_periods, relative_years
from .places import Place, find_places
from .records import (
    Assumption,
    DraftAmount,
    DraftClaim,
    DraftPeriod,
    DraftRecord,
    slug,
)
from .text import Sentence, Span, clauses, is_korean, sentences, span

#: Smallest amount read as an investment, per currency unit class (prices and per-share
#: figures are smaller): 1 million for most currencies, 100 million for KRW and JPY.
MIN_AMOUNT = {"KRW": 1e8, "JPY": 1e8}
MIN_DEFAULT = 1e6
#: Sentences after a record's last mention that may still describe it (site, completion year).
SCOPE_AFTER = 6

_FUTURE = re.compile(
    r"\b(?:will|would|plans?|planning|planned|aims?|intends?|expects? to|is set to|is to|"
    r"are to|to invest|to spend|pledged|pledges|promised|commit\w* to|going to|next|coming)\b"
    r"|계획|예정|방침|하기로|할 것|한다|나선다|목표",
    re.I,
)
_PAST_STRONG = re.compile(
    r"\b(?:has|have|had|already)\s+(?:already\s+|so far\s+|previously\s+)?"
    r"(?:invested|spent|poured|put|injected|sunk)\b"
    r"|\b(?:invested|spent|poured)\b[^.;]{0,60}\b(?:so far|to date|since (?:19|20)\d\d|"
    r"over the (?:past|last)|in the (?:past|last)|last year)\b"
    r"|투자해\s?왔|투자해왔|투자했|투입했|지금까지|그동안|그간|누적",
    re.I,
)
_PAST_WEAK = re.compile(
    r"\b(?:since\s+(?:19|20)\d\d|over the (?:past|last)\s+\w+\s+years?|in the (?:past|last)\s+"
    r"\w+\s+years?|cumulative(?:ly)?|last year|in total since|previously invested|"
    r"in (?:19|20)\d\d-(?:19|20)?\d\d)\b|지난\s?\d+\s?년\s?간|지난해",
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
_LOCATION_CUE = re.compile(
    r"\b(?:site|plant|factory|campus|facility|facilities|fab|line|cent(?:er|re)s?|hub|"
    r"complex|cluster|under construction|located|build|built|construct\w*)\b"
    r"|공장|캠퍼스|부지|센터|단지|라인|건설|착공|준공|짓",
    re.I,
)
_JOBS_EN = re.compile(
    r"(?<![\d$.,\u00a3\u20ac])(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(?:thousand|million))?|"
    r"(?:tens of |hundreds of )?thousands|hundreds|dozens)\s+(?:of\s+)?"
    r"(?:[\w-]+\s+(?:and\s+[\w-]+\s+)?){0,2}?"
    r"(?:jobs|job opportunities|positions|workers|employees|people|roles)\b",
    re.I,
)
_JOBS_VERB = re.compile(
    r"\b(?:creat\w*|generat\w*|add\w*|employ\w*|hir\w*|support\w*|bring\w*|provid\w*|"
    r"result in|lead to)\b",
    re.I,
)
_JOBS_KO = re.compile(
    r"(?:일자리|고용|채용|신규\s?고용|고용\s?유발|고용\s?창출)(?:\s?효과)?[^.\d]{0,12}?"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(?P<u>만|천)?\s?(?:여\s?)?(?:개|명)"
    r"|(?P<num2>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(?P<u2>만|천)?\s?(?:여\s?)?(?:개|명)의?\s?"
    r"(?:신규\s?|직간접\s?|직접\s?|간접\s?)?(?:일자리|고용|채용|인력)"
)
_VAGUE = {
    "dozens": (24.0, 99.0),
    "hundreds": (200.0, 999.0),
    "thousands": (2000.0, 9999.0),
    "tens of thousands": (20000.0, 99999.0),
    "hundreds of thousands": (200000.0, 999999.0),
}


@dataclass
class _Mention:
    money: Money
    sentence: Sentence
    kind: str  # investment | claim | past | comparison | context | small
    measure: str | None = None
    investor: str | None = None
    investor_span: Span | None = None
    partners: list[str] = field(default_factory=list)
    members_sentences: list[int] = field(default_factory=list)
    sub: bool = False
    background: bool = False
    period: Period | None = None
    includes: list[str] = field(default_factory=list)
    why: str = ""


@dataclass
class _Rec:
    mentions: list[_Mention]
    investor: str
    investor_span: Span | None
    partners: list[str]
    amounts: list[DraftAmount]
    background: bool
    first_sentence: int
    sentence_ids: list[int]
    claims: list[DraftClaim] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)


def _windows(text: str, sent: Sentence, monies: list[Money]) -> list[tuple[int, int, int, int]]:
    """Per amount: (clause start, clause end, window start, window end)."""
    cls = clauses(text, sent.start, sent.end)
    out = []
    for i, m in enumerate(monies):
        cs, ce = next(((a, b) for a, b in cls if a <= m.span.start < b), (sent.start, sent.end))
        ws = max([cs] + [p.span.end for p in monies[:i] if p.span.end <= m.span.start])
        we = min([ce] + [n.span.start for n in monies[i + 1 :] if n.span.start >= m.span.end])
        out.append((cs, ce, ws, we))
    return out


def _classify(text: str, m: Money, cs: int, ce: int, ws: int, we: int) -> tuple[str, str | None]:
    last = m.restated[-1].span.end if m.restated else m.span.end
    if m.value < MIN_AMOUNT.get(m.currency, MIN_DEFAULT):
        return "small", None
    near = text[max(ws, m.span.start - 70) : min(we, last + 60)]
    window = text[ws:we]
    measure = keywords.claim_measure(near)
    if measure is not None:
        return "claim", measure
    before = text[max(ws, m.span.start - 45) : m.span.start]
    after = text[last : min(we, last + 12)]
    if (
        keywords.COMPARISON.search(before)
        or re.match(r"\s?(?:보다|대비|에 비해)", after)
        or (re.search(r"\b(?:largest|biggest|since)\b[^.;]{0,50}$", before, re.I)
        and re.search(r"\bsince\b", before, re.I))
    ):
        return "comparison", None
    if _PAST_STRONG.search(window) or (_PAST_WEAK.search(window) and not _FUTURE.search(window)):
        return "past", None
    if keywords.CONTEXT.search(text[max(ws, m.span.start - 40) : min(we, last + 30)]):
        if not re.search(r"\binvest\w*|투자", text[max(ws, m.span.start - 25) : m.span.start]):
            return "context", None
    if keywords.INVEST_CUE.search(text[cs:ce]) or keywords.INVEST_CUE.search(window):
        return "investment", None
    if keywords.ALLOCATION.match(text, cs, min(ce, cs + 12)):
        return "investment", None  # "Of this, 73 trillion won will go to Korea": a part
    return "context", None


def _choose_period(
    text: str, periods: list[Period], m: Money, cs: int, ce: int
) -> Period | None:
    if not periods:
        return None
    inside = [p for p in periods if cs <= p.span.start < ce] or periods

    def dist(p: Period) -> int:
        return max(p.span.start - m.span.end, m.span.start - p.span.end, 0)

    ranked = sorted(inside, key=lambda p: (p.kind == "year", dist(p)))
    best = ranked[0]
    # "from 2026 ... by 2030": a start-only and an end-only phrase make one period
    other = {"start": "end", "end": "start"}.get(best.kind)
    pair = next((p for p in ranked[1:] if p.kind == other), None)
    if pair is not None:
        a, b = (pair, best) if other == "start" else (best, pair)
        if a.start is not None and b.end is not None and a.start <= b.end:
            lo, hi = sorted((a.span, b.span), key=lambda s: s.start)
            quote = span(text, lo.start, hi.end)
            return Period(a.start, b.end, "both", quote)
    return best


def read(
    text: str, *, announced: dt.date | None
) -> tuple[list[DraftRecord], dt.date | None, list[str], list[dict[str, object]]]:
    """Records, the announcement date used, notes and skipped amounts of ``text``."""
    notes: list[str] = []
    if announced is None:
        found = find_dateline(text)
        if found is not None:
            announced = found[0]
            notes.append(f"announcement date {announced} read from the dateline {found[1].text!r}")
    sents = sentences(text)
    reg = actors.registry(text)
    korean = is_korean(text)
    mentions: list[_Mention] = []
    skipped: list[dict[str, object]] = []
    claims: list[tuple[int, DraftClaim]] = []

    dl = dateline_end(text)

    def orgs(a: int, b: int) -> list[actors.Org]:
        if korean:
            found = actors.korean_orgs(text, a, b, reg)
        else:
            found = actors.english_orgs(text, a, b, reg)
        return [o for o in found if o.start >= dl]

    records: list[_Rec] = []
    for sent in sents:
        monies = find_money(text, sent.start, sent.end)
        periods = find_periods(text, sent.start, sent.end)
        for m, (cs, ce, ws, we) in zip(monies, _windows(text, sent, monies), strict=True):
            kind, measure = _classify(text, m, cs, ce, ws, we)
            if kind == "claim":
                claims.append(
                    (sent.index, DraftClaim(measure or "output", m.value, m.currency, m.span))
                )
                skipped.append(_skip(m, "claim", f"an effect claimed ({measure})"))
                continue
            if kind != "investment":
                skipped.append(_skip(m, kind, _WHY[kind]))
                continue
            men = _Mention(m, sent, kind)
            men.period = _choose_period(text, periods, m, cs, ce)
            p = men.period
            if (
                announced is not None
                and p is not None
                and p.end is not None
                and p.end < announced.year
                and cs <= p.span.start < ce
            ):  # "in 2019-2023 it invested $30 billion": a total of an earlier period
                skipped.append(_skip(m, "past", _WHY["past"] + f" ({p.span.text!r})"))
                continue
            men.background = bool(_BACKGROUND.search(text[cs : m.span.start])) or bool(
                _BACKGROUND.search(text[sent.start : cs])
            )
            _investor(text, men, cs, ce, ws, sents, orgs, reg, records)
            mentions.append(men)
            _attach(men, records, reg, text)
        for c in _job_claims(text, sent):
            claims.append((sent.index, c))

    # claims → nearest earlier record not mentioned as background (else nearest earlier)
    rec_pattern = [
        keywords.suggest_pattern(" ".join(sents[i].text(text) for i in r.sentence_ids[:5]))
        for r in records
    ]
    for idx, claim0 in claims:
        where = [p.country for p in find_places(text, sents[idx].start, sents[idx].end)
                 if p.country and len(p.country) == 3 and p.country.isupper()]  # fmt: skip
        claim = dataclasses.replace(
            claim0,
            sentence=span(text, sents[idx].start, sents[idx].end),
            region=where[0] if len(set(where)) == 1 else None,
        )
        near = [k for k, r in enumerate(records) if r.first_sentence <= idx][-8:]
        said = keywords.suggest_pattern(sents[idx].text(text))
        fits = [records[k] for k in near if said != "unknown" and rec_pattern[k] == said]
        earlier = [records[k] for k in near]
        pick = fits[-1] if len(fits) == 1 else None
        pick = pick or next((r for r in reversed(earlier) if not r.background), None)
        pick = pick or (earlier[-1] if earlier else (records[0] if records else None))
        if pick is not None:
            pick.claims.append(claim)
        else:
            notes.append(f"claim {claim.span.text!r} has no investment to attach to")

    out = _finish(text, records, sents, announced, korean, orgs, dl)
    return out, announced, notes, skipped


_PLACE_KINDS = ("province", "city", "state", "prefecture", "marked")
_APPOSITIVE = re.compile(r",\s(?:the|a|an|its|their)\s[^,;]{3,80}?,")

_WHY = {
    "past": "money spent in the past or a total of an earlier period",
    "comparison": "a figure quoted for comparison",
    "context": "context (revenue, market size, valuation, support), not money to be spent",
    "small": "too small to be an investment (a price or a per-unit figure)",
}


def _skip(m: Money, kind: str, why: str) -> dict[str, object]:
    return {"kind": kind, "value": m.value, "currency": m.currency, "why": why,
            "span": m.span.to_dict()}  # fmt: skip


def _investor(text, men, cs, ce, ws, sents, orgs, reg, records) -> None:
    """Fill ``men.investor`` (and partners / group members / sub-amount flag)."""
    m = men.money
    sent = men.sentence
    clause_orgs = [o for o in orgs(cs, m.span.start)]
    # an appositive (", the joint venture of A and B,") names partners, not the investor
    appos = [
        (a.start(), a.end())
        for a in _APPOSITIVE.finditer(text, sent.start, m.span.start)
        if any(o.end <= a.start() for o in clause_orgs)
    ]
    inside = [o for o in clause_orgs if any(a <= o.start < b for a, b in appos)]
    partners = [o.name for o in orgs(sent.start, sent.end) if o.partner] + [o.name for o in inside]
    men.partners = list(dict.fromkeys(partners))
    own = [o for o in clause_orgs if not o.partner and o not in inside]
    before_window = text[max(ws, m.span.start - 40) : m.span.start]
    allocation = keywords.ALLOCATION.search(text[ws : m.span.start]) or re.search(
        r"\bincluding\s+$", before_window
    )
    same_sentence = bool(records) and records[-1].sentence_ids[-1] == sent.index
    including = bool(re.search(r"\bincluding\s+$", before_window))
    at_start = bool(keywords.ALLOCATION.match(text, sent.start, sent.start + 12))
    if allocation and records and (not own or (including and same_sentence) or at_start):
        prev = records[-1]
        if prev.amounts[0].currency == m.currency and prev.amounts[0].value > m.value:
            men.sub = True
            men.investor = prev.investor
            return
    if own:
        _set(men, _coordinated(text, own), own[-1])
        return
    count = actors.count_phrase(text, sent.start, m.span.start)
    if count is not None:
        n, phrase = count
        members: list[actors.Org] = []
        seen: set[str] = set()
        for s in sents[sent.index : sent.index + 4]:
            if s.index > sent.index and find_money(text, s.start, s.end):
                break
            lo = m.span.end if s.index == sent.index else s.start
            for o in orgs(lo, s.end):
                if o.name not in seen:
                    seen.add(o.name)
                    members.append(o)
            men.members_sentences.append(s.index)
        names = [o.name for o in members]
        if len(names) == n:
            men.investor = ", ".join(names)
        elif names:
            men.investor = f"{phrase} (named: {', '.join(names)})"
        else:
            men.investor = phrase
        men.investor_span = span(text, *_find(text, phrase, sent.start, sent.end))
        inc = re.search(
            r"\bincluding\s+([A-Z][\w&\-]*(?:\s[A-Z][\w&\-]*)*)", text[m.span.end : sent.end]
        )
        if inc:
            men.includes.append(reg.canonical(inc.group(1)))
        return
    pron = actors.PRONOUN.search(text, cs, m.span.start) or actors.PRONOUN.search(
        text, sent.start, m.span.start
    )
    if pron:
        recent = [r for r in records if sent.index - r.sentence_ids[-1] <= 6]
        if recent:
            men.investor = recent[-1].investor
            men.investor_span = span(text, pron.start(), pron.end())
            men.why = f"{pron.group(0)!r} read as {recent[-1].investor}"
            return
        for s in reversed(sents[max(0, sent.index - 3) : sent.index]):
            found = [o for o in orgs(s.start, s.end) if not o.partner]
            if found:
                _set(men, [found[0]], found[0])
                return
    earlier = [o for o in orgs(sent.start, cs) if not o.partner]
    if earlier:
        _set(men, _coordinated(text, earlier), earlier[-1])
        return
    later = [o for o in orgs(m.span.end, sent.end) if not o.partner]
    if later:
        _set(men, [later[0]], later[0])
        return
    for s in reversed(sents[max(0, sent.index - 2) : sent.index]):
        found = [o for o in orgs(s.start, s.end) if not o.partner]
        if found:  # no name in the sentence: the organisation the sentence before is about
            _set(men, [found[0]], found[0])
            men.why = f"no organisation in the sentence; {found[0].name!r} from the one before"
            return
    men.investor = None


def _find(text: str, phrase: str, a: int, b: int) -> tuple[int, int]:
    i = text.find(phrase, a, b)
    return (i, i + len(phrase)) if i >= 0 else (a, a)


def _set(men: _Mention, names: list[actors.Org], last: actors.Org) -> None:
    men.investor = ", ".join(dict.fromkeys(o.name for o in names))
    men.investor_span = Span(names[0].start, last.end, "")


def _coordinated(text: str, orgs_: list[actors.Org]) -> list[actors.Org]:
    """The last org and those joined to it by "and" / "," / "와" ("Samsung and SK hynix")."""
    out = [orgs_[-1]]
    for o in reversed(orgs_[:-1]):
        between = text[o.end : out[0].start]
        if re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+|와\s*|과\s*|및\s*)", between):
            out.insert(0, o)
        else:
            break
    return out


def _attach(men: _Mention, records: list[_Rec], reg: actors.Registry, text: str) -> None:
    """Merge the mention into an existing record or start a new one."""
    m = men.money
    amount = DraftAmount(
        m.value,
        m.currency,
        m.qualifier,
        m.span,
        tuple((r.value, r.currency, r.span) for r in m.restated),
        men.sub,
    )
    if men.sub and records:
        rec = records[-1]
        rec.amounts.append(amount)
        rec.mentions.append(men)
        rec.sentence_ids.append(men.sentence.index)
        return
    investor = men.investor or "unknown"
    for rec in records:
        same_inv = rec.investor.lower() == investor.lower() or investor == "unknown"
        same_money = any(
            (a.currency == m.currency and abs(a.value - m.value) <= 1e-9 * m.value)
            or any(c == m.currency and abs(v - m.value) <= 1e-9 * m.value for v, c, _ in a.restated)
            for a in rec.amounts[:1]
        )
        if same_inv and same_money and investor != "unknown":
            first = rec.amounts[0]
            if first.qualifier == "exact" and m.qualifier != "exact":
                rec.amounts[0] = DraftAmount(
                    first.value,
                    first.currency,
                    m.qualifier,
                    m.span,
                    first.restated or amount.restated,
                )
            rec.mentions.append(men)
            rec.sentence_ids.append(men.sentence.index)
            rec.background = rec.background or men.background
            rec.partners = list(dict.fromkeys(rec.partners + men.partners))
            return
    span_ = men.investor_span
    if span_ is not None and not span_.text:
        span_ = span(text, span_.start, span_.end)
    records.append(_Rec([men], investor, span_, [p for p in men.partners if p != investor],
                        [amount], men.background, men.sentence.index, [men.sentence.index],
                        includes=list(men.includes)))  # fmt: skip


def _job_claims(text: str, sent: Sentence) -> list[DraftClaim]:
    out = []
    seg = text[sent.start : sent.end]
    for m in _JOBS_EN.finditer(seg):
        if not _JOBS_VERB.search(seg):
            continue
        raw = m.group("num").lower()
        low = high = value = None
        if raw in _VAGUE:
            low, high = _VAGUE[raw]
        else:
            mult = 1e6 if "million" in raw else 1e3 if "thousand" in raw else 1.0
            value = float(re.sub(r"[^\d.]", "", raw.split()[0])) * mult
        out.append(
            DraftClaim(
                "employment",
                value,
                "jobs",
                span(text, sent.start + m.start(), sent.start + m.end()),
                low,
                high,
            )
        )
    for m in _JOBS_KO.finditer(seg):
        num = m.group("num") or m.group("num2")
        unit = m.group("u") or m.group("u2")
        value = float(num.replace(",", "")) * {"만": 1e4, "천": 1e3, None: 1.0}[unit]
        out.append(
            DraftClaim(
                "employment",
                value,
                "jobs",
                span(text, sent.start + m.start(), sent.start + m.end()),
            )
        )
    return out


_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z .'\-]{2,}(?:,[^\n]{0,60}?)?|\([^)\n]{2,30}\)|[^\n]{0,40}\(Yonhap\))"
    r"\s?(?:-|\u2013|\u2014|--)\s"
)


def dateline_end(text: str) -> int:
    """End of a dateline such as ``"AUSTIN, Texas, March 4, 2025 - "`` (0 if none); places
    and organisations in it are where the report was filed, not the investment."""
    m = _DATELINE.match(text)
    return m.end() if m else 0


def _finish(text, records, sents, announced, korean, orgs, dl) -> list[DraftRecord]:
    out: list[DraftRecord] = []
    starts = [r.first_sentence for r in records]
    ids: set[str] = set()
    for k, rec in enumerate(records):
        scope_end = starts[k + 1] if k + 1 < len(records) else len(sents)
        last = max(rec.sentence_ids)
        scope_end = min(scope_end, last + 1 + SCOPE_AFTER)
        scope = list(range(rec.first_sentence, max(scope_end, rec.first_sentence + 1)))
        own = sorted(set(rec.sentence_ids) | {i for mm in rec.mentions for i in
                                               mm.members_sentences})  # fmt: skip
        # places: own sentences, plus scope sentences that say where something is built
        found: list[Place] = []
        for i in sorted(set(own) | set(scope)):
            s = sents[i]
            if i not in own:
                seg = text[s.start : s.end]
                if not _LOCATION_CUE.search(seg) or find_money(text, s.start, s.end):
                    continue
            ex = tuple((o.start, o.end) for o in orgs(s.start, s.end))
            found.extend(
                p for p in find_places(text, s.start, s.end, exclude=ex) if p.span.start >= dl
            )
        places = list(dict.fromkeys(p.name for p in found if p.kind in _PLACE_KINDS))
        countries = list(dict.fromkeys(p.country for p in found if p.country))
        main = [mm.sentence.index for mm in rec.mentions if not mm.sub] or rec.sentence_ids
        own_text = " ".join(text[sents[i].start : sents[i].end] for i in main)
        ctx = " ".join(text[sents[i].start : sents[i].end] for i in sorted(set(own) | set(scope)))
        pattern = keywords.suggest_pattern(own_text, ctx)
        if pattern == "unknown" and not keywords.pattern_scores(ctx).get(pattern, 0):
            lead = " ".join(text[x.start : x.end] for x in sents[:2])
            if not any(keywords.pattern_scores(ctx).values()):
                pattern = keywords.suggest_pattern(lead)
        period, p_assumed = _period(rec, announced)
        if period.span is None:
            extra = [p for i in scope if i not in rec.sentence_ids
                     and not find_money(text, sents[i].start, sents[i].end)
                     for p in find_periods(text, sents[i].start, sents[i].end)
                     if p.kind in ("end", "both", "start")]  # fmt: skip
            if extra:
                ends = [p for p in extra if p.end is not None]
                begun = [p for p in extra if p.start is not None and p.kind == "start"]
                best = max(ends, key=lambda p: p.end or 0) if ends else extra[0]
                st = begun[0].start if begun else best.start
                if st is not None and best.end is not None and st > best.end:
                    st = None
                text_ = best.span.text if not begun else f"{begun[0].span.text}; {best.span.text}"
                period = DraftPeriod(st, best.end, text_, best.span)
        assumed = list(p_assumed)
        if not countries:
            if korean:
                countries = ["KOR"]
                assumed.append(
                    Assumption("countries", ["KOR"], "Korean-language text, no place named")
                )
        assumed += [
            Assumption("investor", rec.investor, mm.why) for mm in rec.mentions[:1] if mm.why
        ]
        if rec.investor == "unknown":
            assumed.append(
                Assumption("investor", "unknown", "no organisation found near the amount")
            )
        rid = _id(rec, places, announced, ids)
        first_sent = sents[rec.first_sentence]
        out.append(DraftRecord(
            id=rid, investor=rec.investor, investor_span=rec.investor_span,
            partners=tuple(p for p in rec.partners if p not in rec.investor),
            amounts=tuple(rec.amounts), period=period, places=tuple(places),
            place_spans=tuple(
                (p.name, p.span) for p in {p.name: p for p in reversed(found)}.values()
                if p.kind in _PLACE_KINDS
            )[::-1],
            countries=tuple(countries), pattern=pattern,
            purpose=_purpose(text, first_sent), claims=tuple(rec.claims),
            sentences=tuple(span(text, sents[i].start, sents[i].end) for i in
                            sorted(set(rec.sentence_ids))),
            announced=announced, background=rec.background, assumed=tuple(assumed),
        ))  # fmt: skip
    # overlaps: "including AWS" in a group total
    final: list[DraftRecord] = []
    includes_map: dict[str, list[str]] = {}
    for rec, raw in zip(out, records, strict=True):
        for name in raw.includes:
            # the included investment: same investor, not background, same countries first
            cands = [o for o in out if o.investor == name and o.id != rec.id]
            cands.sort(key=lambda o: (o.background, not set(o.countries) & set(rec.countries)))
            if cands:
                includes_map.setdefault(rec.id, []).append(cands[0].id)
    included_in = {o: k for k, v in includes_map.items() for o in v}
    for rec in out:
        final.append(
            DraftRecord(
                **{
                    **rec.__dict__,
                    "included_in": included_in.get(rec.id),
                    "includes": tuple(includes_map.get(rec.id, ())),
                }
            )
        )
    return final


def _purpose(text: str, sent: Sentence) -> str:
    s = text[sent.start : sent.end].strip()
    return s if len(s) <= 300 else s[:297] + "..."


def _period(rec: _Rec, announced: dt.date | None) -> tuple[DraftPeriod, list[Assumption]]:
    start = end = None
    stated: Period | None = None
    rel: int | None = None
    for men in rec.mentions:
        p = men.period
        if p is None:
            continue
        if p.kind in ("relative", "decade"):
            rel = p.years
            stated = stated or p
            continue
        if stated is None or stated.kind in ("relative", "decade"):
            stated = p
        start = start if start is not None else p.start
        end = end if end is not None else p.end
    assumed: list[Assumption] = []
    if rel is not None and start is None and end is None:
        if announced is not None:
            start, end = relative_years(rel, announced)
            assumed.append(
                Assumption(
                    "period",
                    [start, end],
                    f"'next {rel} years' counted from the announcement date "
                    f"{announced} (docs/draft.md, relative periods)",
                )
            )
        else:
            assumed.append(
                Assumption(
                    "period", None, "relative period but no announcement date; pass --announced"
                )
            )
    if stated is None:
        return DraftPeriod(None, None, "not stated"), assumed
    return DraftPeriod(start, end, stated.span.text, stated.span, rel), assumed


def _id(rec: _Rec, places: list[str], announced: dt.date | None, taken: set[str]) -> str:
    names = [n for n in rec.investor.split(", ") if n]
    base = (
        slug(names[0].split("(")[0])[:32].strip("-")
        if len(names) == 1
        else (f"{len(names)}-companies")
    )
    if base in ("x", "unknown", ""):
        base = "investment"
    if places and slug(places[0]) != "x":
        base += "-" + slug(places[0])[:20]
    prefix = announced.isoformat() if announced else "draft"
    rid = f"{prefix}-{base}"
    n = 2
    while rid in taken:
        rid = f"{prefix}-{base}-{n}"
        n += 1
    taken.add(rid)
    return rid
