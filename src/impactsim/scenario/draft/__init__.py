"""From announcement text to a draft scenario (``impactsim draft``).

``draft(text, announced=...)`` reads a press text (English or Korean) and returns a
:class:`DraftResult`: one :class:`DraftRecord` per announced investment, each value with its
quote and character span, and a draft scenario YAML that ``impactsim validate`` accepts, where
every value the text did not give is marked ``# assumed:`` with the default used.
Documentation: docs/draft.md.
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
from .scenario import scenario_yaml

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
    "draft",
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
    if not text.strip():
        raise DraftError(f"{where}: the article is empty; fix: give a file with the press text")
    if "\x00" in text:
        raise DraftError(f"{where}: looks binary (NUL bytes); fix: give plain text (UTF-8)")
    controls = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 20000):
        raise DraftError(
            f"{where}: looks binary ({controls} control characters); fix: give plain text (UTF-8)"
        )
    if len(text) > MAX_CHARS:
        raise DraftError(
            f"{where}: {len(text):,} characters is more than the {MAX_CHARS:,} "
            "read; fix: split the article or pass only the relevant part"
        )
    return text


def _date(announced: dt.date | str | None) -> dt.date | None:
    if announced is None or isinstance(announced, dt.date):
        return announced
    try:
        return dt.date.fromisoformat(str(announced))
    except ValueError:
        raise DraftError(f"announced: {announced!r} is not a date; fix: write YYYY-MM-DD") from None


def draft(
    text: str,
    *,
    announced: dt.date | str | None = None,
    source: str = "article.txt",
    name: str | None = None,
) -> DraftResult:
    """Read a press text into records and a draft scenario.

    Parameters
    ----------
    text : str
        The article (English or Korean press style).
    announced : date or "YYYY-MM-DD", optional
        Announcement date; relative periods ("over the next five years") and the assumed
        start and price year count from it. Default: a dateline in the first 300 characters.
    source : str
        File name quoted in the seeds and the scenario (no path is needed).
    name : str, optional
        Scenario name (a slug); default ``draft-`` + the first record's id.

    Returns
    -------
    DraftResult
        ``records`` (values in units of their currency, ISO 4217 codes), ``scenario_yaml``
        and ``notes``. Raises :class:`DraftError` for empty, binary or too large text; finding
        no investment is not an error here (``records`` is empty; the CLI exits 2).
    """
    check_text(text)
    day = _date(announced)
    records, day, notes, skipped = read(text, announced=day)
    yaml_text, more = scenario_yaml(records, announced=day, source=source, name=name)
    return DraftResult(tuple(records), day, yaml_text, tuple(notes + more), tuple(skipped))
