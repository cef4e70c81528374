"""The reader's working state: one :class:`Mention` per amount read as an investment and one
:class:`Rec` per investment being assembled (several mentions of the same pledge)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .amounts import Money
from .periods import Period
from .records import DraftAmount, DraftClaim
from .text import Sentence, Span


@dataclass
class Mention:
    """An amount read as money to be spent, with who, when and how it relates to others."""

    money: Money
    sentence: Sentence
    investor: str | None = None
    investor_span: Span | None = None
    partners: list[str] = field(default_factory=list)
    members_sentences: list[int] = field(default_factory=list)
    sub: bool = False  # a part of the record before it ("of which $3 billion")
    background: bool = False  # announced earlier ("last month")
    headline: bool = False  # in the headline (before the dateline or the first paragraph)
    period: Period | None = None
    includes: list[str] = field(default_factory=list)
    why: str = ""


@dataclass
class Rec:
    """An investment being assembled from its mentions."""

    mentions: list[Mention]
    investor: str
    investor_span: Span | None
    partners: list[str]
    amounts: list[DraftAmount]
    background: bool
    first_sentence: int
    sentence_ids: list[int]
    claims: list[DraftClaim] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)
