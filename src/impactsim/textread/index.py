"""One pass over the text: sentences, and per sentence its amounts, periods, places and
organisations, each found once and kept (every later step asks this index, never the raw
text again), plus the reader's time budget.

Every finder used here is linear in the length of what it scans (bounded repetitions,
possessive runs, lookbehinds that stop a scan from restarting inside a run), and each sentence
is scanned once per finder, so reading is linear in the text.
"""

from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass, field

from . import actors
from .amounts import Money, find_money
from .periods import Period, find_periods
from .places import Place, find_places
from .records import DraftError
from .text import Sentence, is_korean, sentences

#: Longest time the reader may take on one text (seconds of processor time, so a busy machine
#: does not cut a normal read short); past it the reader stops with a :class:`DraftError`
#: naming the fix. An ordinary 1 MB text takes a few seconds.
TIME_BUDGET = 60.0


@dataclass
class TextIndex:
    """Sentences of ``text`` and what each contains (found lazily, once)."""

    text: str
    budget: float = TIME_BUDGET
    sents: list[Sentence] = field(init=False)
    korean: bool = field(init=False)
    reg: actors.Registry = field(init=False)
    dateline_end: int = 0
    _starts: list[int] = field(init=False)
    _deadline: float = field(init=False)
    _money: dict[int, list[Money]] = field(default_factory=dict)
    _periods: dict[int, list[Period]] = field(default_factory=dict)
    _places: dict[int, list[Place]] = field(default_factory=dict)
    _orgs: dict[int, list[actors.Org]] = field(default_factory=dict)
    _org_starts: dict[int, list[int]] = field(default_factory=dict)
    _hits: dict[tuple[int, int], tuple[list[int], list[re.Match[str]]]] = field(
        default_factory=dict)

    def __post_init__(self) -> None:
        self._deadline = time.process_time() + self.budget
        self.sents = sentences(self.text)
        self._starts = [s.start for s in self.sents]
        self.korean = is_korean(self.text)
        self.reg = actors.registry(self.text)
        self.check_time()

    def check_time(self) -> None:
        """Raise :class:`DraftError` once the reader has used its time budget."""
        if time.process_time() > self._deadline:
            raise DraftError(
                f"reading the text took more than {self.budget:g} s of processor time (it is "
                f"{len(self.text):,} characters); fix: pass only the article's own text"
            )

    def sentence_at(self, pos: int) -> int:
        """Index of the sentence that contains (or last starts before) ``pos``."""
        return max(0, bisect.bisect_right(self._starts, pos) - 1)

    def monies(self, i: int) -> list[Money]:
        """Amounts of sentence ``i``."""
        if i not in self._money:
            s = self.sents[i]
            self._money[i] = find_money(self.text, s.start, s.end)
        return self._money[i]

    def periods(self, i: int) -> list[Period]:
        """Period phrases of sentence ``i``."""
        if i not in self._periods:
            s = self.sents[i]
            self._periods[i] = find_periods(self.text, s.start, s.end)
        return self._periods[i]

    def orgs(self, i: int) -> list[actors.Org]:
        """Organisations of sentence ``i`` (outside the dateline), in text order."""
        if i not in self._orgs:
            s = self.sents[i]
            find = actors.korean_orgs if self.korean else actors.english_orgs
            found = find(self.text, s.start, s.end, self.reg)
            self._orgs[i] = [o for o in found if o.start >= self.dateline_end]
        return self._orgs[i]

    def orgs_in(self, a: int, b: int) -> list[actors.Org]:
        """Organisations inside ``text[a:b]`` (a range within one sentence)."""
        i = self.sentence_at(a)
        found = self.orgs(i)
        if i not in self._org_starts:
            self._org_starts[i] = [o.start for o in found]
        starts = self._org_starts[i]
        lo, hi = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
        return [o for o in found[lo:hi] if o.end <= b]

    def hits(self, rx: re.Pattern[str], a: int, b: int) -> list[re.Match[str]]:
        """Matches of ``rx`` inside ``text[a:b]`` (a range within one sentence); each pattern
        scans each sentence once."""
        i = self.sentence_at(a)
        key = (id(rx), i)
        if key not in self._hits:
            s = self.sents[i]
            found = list(rx.finditer(self.text, s.start, s.end))
            self._hits[key] = ([m.start() for m in found], found)
        starts, found = self._hits[key]
        lo = bisect.bisect_left(starts, a)
        hi = bisect.bisect_left(starts, b)
        return [m for m in found[lo:hi] if m.end() <= b]

    def places(self, i: int) -> list[Place]:
        """Places of sentence ``i`` (organisation names excluded, dateline excluded)."""
        if i not in self._places:
            s = self.sents[i]
            ex = tuple((o.start, o.end) for o in self.orgs(i))
            starts = {o.start for o in self.orgs(i)}
            self._places[i] = [
                p for p in find_places(self.text, s.start, s.end, exclude=ex)
                if p.span.start >= self.dateline_end
                # "대만 TSMC", "미국 인텔": a country right before a firm is its nationality
                and not (p.kind == "country" and (p.span.end + 1 in starts
                                                  or p.span.end in starts))
            ]  # fmt: skip
        return self._places[i]
