"""From assembled investments (:class:`~.mentions.Rec`) to :class:`~.records.DraftRecord` s:
typed steps for the record's scope, places, spending pattern, period, assumptions and id, then
the links between records ("... including AWS": one total contains another).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from . import actors, keywords
from .index import TextIndex
from .mentions import Rec
from .periods import Period, relative_years
from .places import Place, province_of
from .records import Assumption, DraftPeriod, DraftRecord, slug
from .text import span

#: Sentences after a record's last mention that may still describe it (site, completion year).
SCOPE_AFTER = 6
#: Place kinds reported as the investment's places (countries go to ``countries``).
PLACE_KINDS = ("province", "city", "state", "prefecture", "marked")

_LOCATION_CUE = re.compile(
    r"\b(?:site|plant|factory|campus|facility|facilities|fab|line|cent(?:er|re)s?|hub|"
    r"complex|cluster|under construction|located|build|built|construct\w*)\b"
    r"|공장|캠퍼스|부지|센터|단지|라인|건설|착공|준공|짓",
    re.I,
)


@dataclass(frozen=True)
class Scope:
    """The sentences of a record: its own (where its amount is) and its scope (those that
    follow it up to the next record, at most :data:`SCOPE_AFTER`)."""

    own: tuple[int, ...]
    scope: tuple[int, ...]
    main: tuple[int, ...]  # own sentences of the record's main (not sub-) amounts


def scope_of(rec: Rec, next_start: int | None, n_sents: int) -> Scope:
    """The record's :class:`Scope`."""
    end = next_start if next_start is not None else n_sents
    end = min(end, max(rec.sentence_ids) + 1 + SCOPE_AFTER)
    scope = tuple(range(rec.first_sentence, max(end, rec.first_sentence + 1)))
    own = tuple(sorted(set(rec.sentence_ids)
                       | {i for mm in rec.mentions for i in mm.members_sentences}))  # fmt: skip
    main = tuple(mm.sentence.index for mm in rec.mentions if not mm.sub) or tuple(rec.sentence_ids)
    return Scope(own, scope, main)


#: Sentences before an investment read for its place when the ones after it name none.
PLACES_BEFORE = 2


def places_of(ix: TextIndex, sc: Scope, investor: str = "") -> list[Place]:
    """Places in the record's own sentences, plus scope sentences that say where something
    is built (and hold no other amount). If these name none, the sentences just before the
    amount that name the investor and say where it builds ("삼성전자는 평택캠퍼스 5라인 건설에
    착수했다. 업계는 투자 규모가 30조원 이상이라고 본다"), back to the first with an amount."""
    found: list[Place] = []
    for i in sorted(set(sc.own) | set(sc.scope)):
        if i not in sc.own:
            s = ix.sents[i]
            if not _LOCATION_CUE.search(ix.text, s.start, s.end) or ix.monies(i):
                continue
        found.extend(ix.places(i))
    first = min(sc.scope) if sc.scope else 0
    names = [n.strip() for n in investor.split(",") if n.strip() and n.strip() != "unknown"]
    for i in range(first - 1, max(-1, first - 1 - PLACES_BEFORE), -1):
        if found or ix.monies(i):
            break
        s = ix.sents[i]
        text = ix.text[s.start : s.end]
        if any(n in text for n in names) and _LOCATION_CUE.search(text):
            found.extend(ix.places(i))
    return found


#: Characters either side of an amount (and at the start of other sentences) read for the
#: spending pattern; bounds the keyword scan on a hostile sentence.
PATTERN_REACH = 1000


def _near_amounts(ix: TextIndex, by: dict[int, list], i: int) -> str:
    """Sentence ``i`` as read for the pattern: around the record's amounts in it, else its
    first :data:`PATTERN_REACH` characters."""
    s = ix.sents[i]
    spans = by.get(i, [])[:3]
    if not spans:
        return ix.text[s.start : min(s.end, s.start + PATTERN_REACH)]
    reach = PATTERN_REACH
    return " ".join(ix.text[max(s.start, a.start - reach) : min(s.end, a.end + reach)]
                    for a in spans)  # fmt: skip


def _spans_by_sentence(rec: Rec) -> dict[int, list]:
    out: dict[int, list] = {}
    for mm in rec.mentions:
        out.setdefault(mm.sentence.index, []).append(mm.money.span)
    return out


def pattern_of(ix: TextIndex, rec: Rec, sc: Scope) -> str:
    """The spending pattern: from the record's own sentences, else its scope, else the lead."""
    text = ix.text
    by = _spans_by_sentence(rec)
    own_text = " ".join(_near_amounts(ix, by, i) for i in dict.fromkeys(sc.main))
    ctx = " ".join(_near_amounts(ix, by, i) for i in sorted(set(sc.own) | set(sc.scope)))
    pattern = keywords.suggest_pattern(own_text, ctx)
    if pattern == "unknown" and not any(keywords.pattern_scores(ctx).values()):
        lead = " ".join(text[s.start : min(s.end, s.start + PATTERN_REACH)] for s in ix.sents[:2])
        pattern = keywords.suggest_pattern(lead)
    return pattern


def period_of(rec: Rec, announced: dt.date | None) -> tuple[DraftPeriod, list[Assumption]]:
    """The period stated with the record's amounts (relative ones counted from the date)."""
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
            assumed.append(Assumption(
                "period", [start, end],
                f"'next {rel} years' counted from the announcement date {announced} "
                "(docs/draft.md, relative periods)"))  # fmt: skip
        else:
            assumed.append(Assumption(
                "period", None, "relative period but no announcement date; pass --announced"))
    if stated is None:
        return DraftPeriod(None, None, "not stated"), assumed
    return DraftPeriod(start, end, stated.span.text, stated.span, rel), assumed


#: Words of building or starting to run a plant, in a period phrase.
_WORKS = re.compile(r"착공|준공|완공|가동|양산|개소|construct|build|ground|complet|operat|"
                    r"production|open|finish|start|begin|began|commenc", re.I)


def scope_period(ix: TextIndex, rec: Rec, sc: Scope, period: DraftPeriod) -> DraftPeriod:
    """No period with the amount: the start/end phrases of the scope sentences ("공장은 2023년
    착공해 2025년 가동할 예정이다"); an end with the amount and no start: the start phrase of
    the scope sentences ("2030년까지 4조원을 투자한다. 공장은 2025년 착공해"). Scope sentences
    count when they hold no other amount than the record's own claims ("... 가동할 예정이며,
    생산유발효과는 4조원")."""
    if period.span is not None and (period.start is not None or period.relative_years):
        return period  # stated whole with the amount
    claimed = [(c.span.start, c.span.end) for c in rec.claims]

    def usable(i: int, p: Period) -> bool:
        """A sentence without amounts, or whose amounts are all this record's claims and whose
        phrase names the works ("2025년 착공해 2027년 가동", not a claim's "by 2029")."""
        monies = ix.monies(i)
        if not monies:
            return True
        return _WORKS.search(p.span.text) is not None and all(
            any(m.span.start < e and a < m.span.end for a, e in claimed) for m in monies)

    extra = [p for i in sc.scope if i not in rec.sentence_ids for p in ix.periods(i)
             if p.kind in ("end", "both", "start") and usable(i, p)]
    if period.span is not None:  # an end stated with the amount: a start stated after it joins
        begun = [p for p in extra if p.kind in ("start", "both") and p.start is not None
                 and period.end is not None and p.start <= period.end]  # fmt: skip
        if not begun:
            return period
        return DraftPeriod(begun[0].start, period.end,
                           f"{begun[0].span.text}; {period.as_stated}", period.span)
    if not extra:
        return period
    ends = [p for p in extra if p.end is not None]
    begun = [p for p in extra if p.start is not None and p.kind == "start"]
    best = max(ends, key=lambda p: p.end or 0) if ends else extra[0]
    st = begun[0].start if begun else best.start
    if st is not None and best.end is not None and st > best.end:
        st = None
    text_ = best.span.text if not begun else f"{begun[0].span.text}; {best.span.text}"
    return DraftPeriod(st, best.end, text_, best.span)


def assumptions_of(
    rec: Rec, countries: list[str], korean: bool
) -> tuple[list[str], list[Assumption]]:
    """Countries (Korea for a Korean text naming none) and the investor assumptions."""
    assumed: list[Assumption] = []
    if not countries and korean:
        countries = ["KOR"]
        assumed.append(Assumption("countries", ["KOR"], "Korean-language text, no place named"))
    assumed += [Assumption("investor", rec.investor, mm.why) for mm in rec.mentions[:1] if mm.why]
    if rec.investor == "unknown":
        assumed.append(Assumption("investor", "unknown", "no organisation found near the amount"))
    return countries, assumed


def record_id(investor: str, places: list[str], announced: dt.date | None,
              taken: set[str]) -> str:  # fmt: skip
    """``<date>-<investor>-<place>``, unique among ``taken``."""
    names = [n for n in investor.split(", ") if n]
    base = slug(names[0].split("(")[0])[:32].strip("-") if len(names) == 1 else (
        f"{len(names)}-companies")  # fmt: skip
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


def build(ix: TextIndex, records: list[Rec], announced: dt.date | None) -> list[DraftRecord]:
    """Every record as a :class:`DraftRecord`, then the "included in" links."""
    out: list[DraftRecord] = []
    ids: set[str] = set()
    text = ix.text
    for k, rec in enumerate(records):
        ix.check_time()
        nxt = records[k + 1].first_sentence if k + 1 < len(records) else None
        sc = scope_of(rec, nxt, len(ix.sents))
        found = places_of(ix, sc, rec.investor)
        places = list(dict.fromkeys(p.name for p in found if p.kind in PLACE_KINDS))
        countries = list(dict.fromkeys(p.country for p in found if p.country))
        provinces = tuple(dict.fromkeys(x for p in found if (x := province_of(p))))
        period, p_assumed = period_of(rec, announced)
        period = scope_period(ix, rec, sc, period)
        countries, assumed = assumptions_of(rec, countries, ix.korean)
        first = ix.sents[rec.first_sentence].text(text).strip()
        out.append(DraftRecord(
            id=record_id(rec.investor, places, announced, ids), investor=rec.investor,
            investor_span=rec.investor_span,
            partners=tuple(p for p in rec.partners if p not in rec.investor),
            amounts=tuple(rec.amounts), period=period, places=tuple(places),
            place_spans=tuple(
                (p.name, p.span) for p in {p.name: p for p in reversed(found)}.values()
                if p.kind in PLACE_KINDS)[::-1],
            countries=tuple(countries), pattern=pattern_of(ix, rec, sc),
            purpose=first if len(first) <= 300 else first[:297] + "...",
            claims=tuple(rec.claims),
            sentences=tuple(span(text, ix.sents[i].start, ix.sents[i].end)
                            for i in sorted(set(rec.sentence_ids))),
            announced=announced, background=rec.background,
            assumed=tuple(p_assumed + assumed), provinces=provinces,
        ))  # fmt: skip
    return link_included(out, records)


#: Records after a joint total read as its parts (they follow it in the text); a bound on the
#: work for a text with thousands of records.
JOINT_PARTS = 6


def _link_joint_parts(out: list[DraftRecord], includes_map: dict[str, list[str]]) -> None:
    """A joint total ("Samsung Electronics and SK hynix will together invest 622 trillion won
    ... Samsung will put 360 trillion won ..., while SK hynix will spend 122 trillion won"):
    the records of its investors among the next :data:`JOINT_PARTS`, in its currency, that add
    up to no more than it, are its parts."""
    linked = {o for v in includes_map.values() for o in v}
    for k, whole in enumerate(out):
        names = [n for n in whole.investor.split(", ") if n]
        if len(names) < 2 or whole.id in linked or not whole.amounts:
            continue
        total, cur = whole.amounts[0].value, whole.amounts[0].currency
        parts = [o for o in out[k + 1 : k + 1 + JOINT_PARTS]
                 if o.id not in linked and not o.background and o.amounts
                 and o.amounts[0].currency == cur and o.amounts[0].value < total
                 and any(actors.same_firm(o.investor, n) for n in names)]  # fmt: skip
        if len(parts) >= 2 and sum(o.amounts[0].value for o in parts) <= total * (1 + 1e-9):
            includes_map.setdefault(whole.id, []).extend(o.id for o in parts)
            linked.update(o.id for o in parts)


def link_included(out: list[DraftRecord], records: list[Rec]) -> list[DraftRecord]:
    """"$9 billion, including AWS": the included investor's record (same investor, not
    background, same countries first) is marked ``included_in`` the total; so are the parts
    of a joint total (:func:`_link_joint_parts`)."""
    includes_map: dict[str, list[str]] = {}
    for rec, raw in zip(out, records, strict=True):
        for name in raw.includes:
            cands = [o for o in out if o.investor == name and o.id != rec.id]
            cands.sort(key=lambda o: (o.background, not set(o.countries) & set(rec.countries)))
            if cands:
                includes_map.setdefault(rec.id, []).append(cands[0].id)
    _link_joint_parts(out, includes_map)
    included_in = {o: k for k, v in includes_map.items() for o in v}
    return [
        dataclasses.replace(
            r, included_in=included_in.get(r.id), includes=tuple(includes_map.get(r.id, ()))
        )
        for r in out
    ]
