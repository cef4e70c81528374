"""The text reader: announcement press text (English or Korean) → records of announced
investments, each value with its quote and character span (``impactsim draft``).

:func:`read_article` checks the text and reads it; the draft scenario built from the records
lives in :mod:`impactsim.scenario.draft`. This package imports only :mod:`impactsim.errors`
(layer rule, docs/architecture.md). Documentation: docs/draft.md.
"""

from __future__ import annotations

import datetime as dt

from .reader import read
from .records import (
    Assumption,
    DraftAmount,
    DraftClaim,
    DraftError,
    DraftPeriod,
    DraftRecord,
    DraftResult,
)

__all__ = [
    "MAX_CHARS",
    "Assumption",
    "DraftAmount",
    "DraftClaim",
    "DraftError",
    "DraftPeriod",
    "DraftRecord",
    "DraftResult",
    "check_text",
    "parse_date",
    "read",
]

#: Longest article read (characters): about 300 pages of press text.
MAX_CHARS = 1_000_000


def check_text(text: object, *, where: str = "text") -> str:
    """``text`` if it is readable press text; else :class:`DraftError` naming the fix."""
    if not isinstance(text, str):
        raise DraftError(
            f"{where}: expected text (str), got {type(text).__name__}; fix: pass "
            "the article as a string"
        )
    if len(text) > MAX_CHARS:
        raise DraftError(
            f"{where}: {len(text):,} characters is more than the {MAX_CHARS:,} "
            "read; fix: split the article or pass only the relevant part"
        )
    if not text.strip():
        raise DraftError(f"{where}: the article is empty; fix: give a file with the press text")
    if "\x00" in text:
        raise DraftError(f"{where}: looks binary (NUL bytes); fix: give plain text (UTF-8)")
    controls = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, 0.01 * min(len(text), 20000)):  # a stray ESC is not binary
        raise DraftError(
            f"{where}: looks binary ({controls} control characters); fix: give plain text (UTF-8)"
        )
    return text


def parse_date(announced: dt.date | str | None) -> dt.date | None:
    """``announced`` as a date (``None`` stays ``None``); :class:`DraftError` if not a date."""
    if announced is None or isinstance(announced, dt.date):
        return announced
    try:
        return dt.date.fromisoformat(str(announced))
    except ValueError:
        raise DraftError(f"announced: {announced!r} is not a date; fix: write YYYY-MM-DD") from None
