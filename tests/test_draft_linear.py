"""The text reader is linear in its input: on every family of hostile text the time per
character of a long text stays within a bounded factor of that of a short one.

Families (the inputs that made the reader quadratic): a run of 100,000 dots; ``!?``
repeated; ``A A A ...``; capitalised words; an all-caps dateline; a number of thousands of
digits after ``$`` or before ``조``; a long run of spaces between two amounts; thousands of
amounts in one sentence; ordinary press text repeated. Each family is read at two sizes, ``n``
and ``8 n`` characters (hypothesis picks ``n``); the
long text may take at most :data:`FACTOR` times as long per character as the short one (a
quadratic reader takes about 8 times as long per character; timing noise on a shared machine
stays well inside the factor because each timing is the best of three).

Absolute speed is measured by ``benchmarks/draft_reader.py``, not here.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impactsim.scenario.draft import DraftError, draft

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from draft_reader import FAMILIES, sized

#: Largest allowed ratio of (time per character, long text) / (time per character, short).
FACTOR = 4.0


def _best(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        try:
            draft(text, announced="2025-01-01")
        except DraftError:
            pass  # "no investment" is an answer too; only the time matters here
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    draft("Samsung will invest $5 billion in a chip fab in Taylor, Texas.", announced="2025-01-01")


@pytest.mark.parametrize("family", sorted(FAMILIES))
@settings(max_examples=2, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(n=st.integers(min_value=2000, max_value=6000))
def test_time_per_character_is_bounded(family: str, n: int) -> None:
    short, long = sized(family, n), sized(family, 8 * n)
    per_short = _best(short) / len(short)
    per_long = _best(long) / len(long)
    # a floor for the short text's time per character: below about 1 µs a character the
    # fixed cost of a call dominates and the ratio says nothing about growth
    assert per_long <= FACTOR * max(per_short, 1e-6), (family, per_short, per_long)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_family_reads_without_error_or_gives_a_one_line_reason(family: str) -> None:
    text = sized(family, 20000)
    try:
        res = draft(text, announced="2025-01-01")
    except DraftError as exc:
        assert "\n" not in str(exc) and "fix:" in str(exc)
        return
    for r in res.records:
        for a in r.amounts:
            assert 0 < a.value < float("inf")


def test_the_time_budget_gives_a_clear_error() -> None:
    from impactsim.textread import read

    text = sized("amounts-in-one-sentence", 200000)
    with pytest.raises(DraftError, match=r"took more than .* fix: pass only the article"):
        read(text, announced=None, budget=0.0)
