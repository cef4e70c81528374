"""Text plumbing for the reader: spans, sentences, clauses and script detection.

Offsets are always character offsets into the text as given (no normalisation that would
move them), so every quote the reader reports can be checked with ``text[start:end]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters treated as apostrophes (straight and typographic).
APOS = "'\u2019\u2018"

#: A sentence end: a run of end marks (taken whole from its first mark: the lookbehind and the
#: possessive quantifiers keep the scan linear on "!!!!...") or a line break.
_SENT_END = re.compile(
    r"(?<![.!?\u3002])[.!?\u3002]++[\"'\u201d\u2019)]*+(?=\s|$)|[\n\r\u2028\u2029\x85]"
)
_ABBREV = {
    "mr",
    "ms",
    "mrs",
    "dr",
    "co",
    "inc",
    "corp",
    "ltd",
    "vs",
    "st",
    "no",
    "jr",
    "sr",
    "approx",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "est",
    "gov",
    "dept",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}


_LINE_BREAKS = frozenset("\n\r\u2028\u2029\x85")


def _is_break(text: str, m: re.Match[str]) -> bool:
    if m.group(0) in _LINE_BREAKS:
        return True
    before = text[max(0, m.start() - 12) : m.start()]
    word = re.split(r"[\s(]", before)[-1].lower()
    if word in _ABBREV or re.fullmatch(r"[a-z]", word):
        return False
    if m.group(0).startswith(".") and re.fullmatch(r"\d", before[-1:] or "x"):
        return bool(re.match(r"\s", text[m.end() : m.end() + 1]))
    return True


@dataclass(frozen=True)
class Span:
    """A quoted piece of the text: ``text == source[start:end]``."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, object]:
        """Plain form for JSON: ``{"start", "end", "text"}``."""
        return {"start": self.start, "end": self.end, "text": self.text}


def span(text: str, start: int, end: int) -> Span:
    """The span ``text[start:end]``, with surrounding white space trimmed."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])


@dataclass(frozen=True)
class Sentence:
    """One sentence: its bounds, its index and its paragraph number."""

    index: int
    start: int
    end: int
    paragraph: int

    def text(self, source: str) -> str:
        """The sentence's text."""
        return source[self.start : self.end]


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences (English and Korean press style); line breaks end one.

    Paragraph numbers count blank-line or single-line breaks (press texts pasted from the web
    put one paragraph per line).
    """
    out: list[Sentence] = []
    pos = 0
    para = 0
    for m in _SENT_END.finditer(text):
        if not _is_break(text, m):
            continue
        end = m.start() if m.group(0) in _LINE_BREAKS else m.end()
        s = span(text, pos, end)
        if s.text:
            out.append(Sentence(len(out), s.start, s.end, para))
        if m.group(0) in _LINE_BREAKS:
            para += 1
        pos = m.end()
    s = span(text, pos, len(text))
    if s.text:
        out.append(Sentence(len(out), s.start, s.end, para))
    return out


_CLAUSE = re.compile(
    r";|:\s|\s[\u2013\u2014-]\s|,\s*(?:and|but|while|whereas|which|whose|who|adding|saying)\b"
    r"|,\s*(?=[\"\u201c])|(?<=[\uac00-\ud7a3])(?:\uba70|\uace0|\uc11c),\s|,\s(?=\uc774\ub97c|\uc774\ub294)"
)


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause bounds inside ``text[start:end]``: split at ``;``, dashes, ", and/while/which
    ...", and Korean connective endings (``-며,`` ``-고,``)."""
    out = []
    pos = start
    for m in _CLAUSE.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out or [(start, end)]


def is_korean(text: str) -> bool:
    """True when Hangul makes up at least a tenth of the letters."""
    hangul = sum(1 for c in text if "\uac00" <= c <= "\ud7a3")
    letters = sum(1 for c in text if c.isalpha())
    return letters > 0 and hangul / letters >= 0.1
