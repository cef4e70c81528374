"""Who invests an amount: a chain of typed steps, each returning a :class:`Pick` or ``None``.

Order (the first step that finds someone wins):

1. :func:`sub_amount` — "of which $3 billion", "including $2 billion": a part of the record
   before it, same investor;
2. :func:`own_clause` — organisations in the amount's clause before it ("Samsung and SK
   hynix will invest ..."), partners and appositives left out;
3. :func:`counted_group` — "seven international companies ...": the firms named after it;
4. :func:`pronoun` — "it", "the company", "회사는": the latest record's investor;
5. :func:`earlier_in_sentence`, :func:`later_in_sentence` — an organisation elsewhere in the
   sentence ("..., Microsoft said");
6. :func:`previous_sentences` — the organisation the one or two sentences before are about.

Only organisations found by :mod:`.actors` are candidates, so an investor is a firm, never a
word fragment or a project code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import actors, keywords
from .amounts import Money
from .index import TextIndex
from .mentions import Rec
from .text import Sentence, Span, span

#: Farthest an investor may stand before its amount inside one clause (characters); keeps
#: every step's scan bounded.
REACH = 400

_APPOSITIVE = re.compile(r",\s(?:the|a|an|its|their)\s[^,;]{3,80}?,")
_INCLUDING = re.compile(r"\bincluding\s+$")


@dataclass(frozen=True)
class Context:
    """Where an amount stands: its sentence, clause ``[cs, ce)`` and window start ``ws``."""

    ix: TextIndex
    money: Money
    sent: Sentence
    cs: int
    ce: int
    ws: int

    @property
    def text(self) -> str:
        return self.ix.text


@dataclass(frozen=True)
class Pick:
    """An investor found by a step, with its quote and why (when it is inferred)."""

    investor: str | None
    span: Span | None = None
    why: str = ""
    sub: bool = False
    partners: tuple[str, ...] = ()
    members_sentences: tuple[int, ...] = ()
    includes: tuple[str, ...] = field(default_factory=tuple)


Step = Callable[[Context, Sequence[Rec]], "Pick | None"]


def _from_orgs(names: list[actors.Org], last: actors.Org, why: str = "") -> Pick:
    return Pick(", ".join(dict.fromkeys(o.name for o in names)),
                Span(names[0].start, last.end, ""), why)  # fmt: skip


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


def _clause_orgs(c: Context) -> tuple[list[actors.Org], list[actors.Org]]:
    """(organisations in the clause before the amount, those inside an appositive)."""
    m = c.money
    lo = max(c.cs, m.span.start - REACH)
    found = c.ix.orgs_in(lo, m.span.start)
    appos = [
        (a.start(), a.end())
        for a in c.ix.hits(_APPOSITIVE, max(c.sent.start, m.span.start - REACH), m.span.start)
        if any(o.end <= a.start() for o in found)
    ]
    inside = [o for o in found if any(a <= o.start < b for a, b in appos)]
    return found, inside


def partners_of(c: Context) -> list[str]:
    """Partners named in the sentence ("with AWS", "와 함께") and appositive organisations."""
    _, inside = _clause_orgs(c)
    sent_orgs = c.ix.orgs(c.sent.index)
    return list(dict.fromkeys([o.name for o in sent_orgs if o.partner] + [o.name for o in inside]))


def sub_amount(c: Context, records: Sequence[Rec]) -> Pick | None:
    """A part of the record before it: "of which", "a specific allocation of", "including"."""
    if not records:
        return None
    m = c.money
    text = c.text
    before = text[max(c.ws, m.span.start - 40) : m.span.start]
    allocation = c.ix.hits(keywords.ALLOCATION, max(c.ws, m.span.start - REACH), m.span.start)
    including = bool(_INCLUDING.search(before))
    if not (allocation or including):
        return None
    found, inside = _clause_orgs(c)
    own = [o for o in found if not o.partner and o not in inside]
    same_sentence = records[-1].sentence_ids[-1] == c.sent.index
    at_start = bool(keywords.ALLOCATION.match(text, c.sent.start, c.sent.start + 12))
    if own and not (including and same_sentence) and not at_start:
        return None
    prev = records[-1]
    if prev.amounts[0].currency == m.currency and prev.amounts[0].value > m.value:
        return Pick(prev.investor, sub=True)
    return None


def own_clause(c: Context, records: Sequence[Rec]) -> Pick | None:
    """Organisations before the amount in its own clause."""
    found, inside = _clause_orgs(c)
    own = [o for o in found if not o.partner and o not in inside]
    if not own:
        return None
    return _from_orgs(_coordinated(c.text, own), own[-1])


def counted_group(c: Context, records: Sequence[Rec]) -> Pick | None:
    """"seven international companies": the firms named after the amount (up to 3 sentences)."""
    m = c.money
    text = c.text
    count = actors.count_phrase_of(
        c.ix.hits(actors.COUNT, max(c.sent.start, m.span.start - REACH), m.span.start))
    if count is None:
        return None
    n, phrase = count
    members: list[actors.Org] = []
    seen: set[str] = set()
    used: list[int] = []
    ix = c.ix
    for k in range(c.sent.index, min(len(ix.sents), c.sent.index + 4)):
        s = ix.sents[k]
        if k > c.sent.index and ix.monies(k):
            break
        lo = m.span.end if k == c.sent.index else s.start
        for o in ix.orgs_in(lo, s.end):
            if o.name not in seen:
                seen.add(o.name)
                members.append(o)
        used.append(k)
    names = [o.name for o in members]
    if len(names) == n:
        investor = ", ".join(names)
    elif names:
        investor = f"{phrase} (named: {', '.join(names)})"
    else:
        investor = phrase
    i = text.find(phrase, c.sent.start, c.sent.end)
    where = span(text, i, i + len(phrase)) if i >= 0 else None
    inc = re.search(
        r"\bincluding\s+([A-Z][\w&\-]*(?:\s[A-Z][\w&\-]*){0,5})", text[m.span.end : c.sent.end]
    )
    includes = (ix.reg.canonical(inc.group(1)),) if inc else ()
    return Pick(investor, where, members_sentences=tuple(used), includes=includes)


def pronoun(c: Context, records: Sequence[Rec]) -> Pick | None:
    """"it", "the company", "회사는": the investor of the latest record (within 6 sentences),
    else the first organisation of the three sentences before."""
    m = c.money
    lo = max(c.sent.start, m.span.start - REACH)
    found = c.ix.hits(actors.PRONOUN, max(c.cs, lo), m.span.start) or c.ix.hits(
        actors.PRONOUN, lo, m.span.start)
    if not found:
        return None
    pron = found[0]
    recent = [r for r in records if c.sent.index - r.sentence_ids[-1] <= 6]
    if recent:
        return Pick(recent[-1].investor, span(c.text, pron.start(), pron.end()),
                    f"{pron.group(0)!r} read as {recent[-1].investor}")  # fmt: skip
    for k in range(c.sent.index - 1, max(-1, c.sent.index - 4), -1):
        orgs = [o for o in c.ix.orgs(k) if not o.partner]
        if orgs:
            return _from_orgs([orgs[0]], orgs[0])
    return None


def earlier_in_sentence(c: Context, records: Sequence[Rec]) -> Pick | None:
    """Organisations in the clauses before the amount's clause."""
    found = [o for o in c.ix.orgs_in(max(c.sent.start, c.cs - REACH), c.cs) if not o.partner]
    return _from_orgs(_coordinated(c.text, found), found[-1]) if found else None


def later_in_sentence(c: Context, records: Sequence[Rec]) -> Pick | None:
    """The first organisation after the amount in the sentence ("..., Microsoft said")."""
    m = c.money
    found = [o for o in c.ix.orgs_in(m.span.end, min(c.sent.end, m.span.end + REACH))
             if not o.partner]  # fmt: skip
    return _from_orgs([found[0]], found[0]) if found else None


def previous_sentences(c: Context, records: Sequence[Rec]) -> Pick | None:
    """No name in the sentence: the organisation the sentence before (or the one before
    that) is about."""
    for k in range(c.sent.index - 1, max(-1, c.sent.index - 3), -1):
        found = [o for o in c.ix.orgs(k) if not o.partner]
        if found:
            return _from_orgs([found[0]], found[0], f"no organisation in the sentence; "
                              f"{found[0].name!r} from the one before")  # fmt: skip
    return None


STEPS: tuple[Step, ...] = (
    sub_amount,
    own_clause,
    counted_group,
    pronoun,
    earlier_in_sentence,
    later_in_sentence,
    previous_sentences,
)


def find_investor(c: Context, records: Sequence[Rec]) -> Pick:
    """The first step's pick, with the sentence's partners; ``Pick(None)`` if none finds one."""
    partners = tuple(partners_of(c))
    for step in STEPS:
        pick = step(c, records)
        if pick is not None:
            return Pick(pick.investor, pick.span, pick.why, pick.sub, partners,
                        pick.members_sentences, pick.includes)  # fmt: skip
    return Pick(None, partners=partners)
