"""From announcement text to a draft scenario (``impactsim draft``).

``draft(text, announced=...)`` reads a press text (English or Korean) and returns a
:class:`DraftResult`: one :class:`DraftRecord` per announced investment, each value with its
quote and character span, and a draft scenario YAML that ``impactsim validate`` accepts, where
every value the text did not give is marked ``# assumed:`` with the default used.
Documentation: docs/draft.md.
"""

from __future__ import annotations

import datetime as dt

from ...textread import (
    MAX_CHARS,
    Assumption,
    DraftAmount,
    DraftClaim,
    DraftError,
    DraftPeriod,
    DraftRecord,
    DraftResult,
    check_text,
    parse_date,
    read,
)
from .scenario import DraftScenario, scenarios

__all__ = [
    "MAX_CHARS",
    "Assumption",
    "DraftAmount",
    "DraftClaim",
    "DraftError",
    "DraftPeriod",
    "DraftRecord",
    "DraftResult",
    "DraftScenario",
    "check_text",
    "draft",
]


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
    day = parse_date(announced)
    records, day, notes, skipped = read(text, announced=day)
    found, more = scenarios(records, announced=day, source=source, name=name)
    return DraftResult(
        tuple(records), day, found[0].yaml if found else None, tuple(notes + more),
        tuple(skipped), tuple((f.name, f.yaml) for f in found),
    )
