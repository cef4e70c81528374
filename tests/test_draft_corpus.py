"""Every draft of every corpus text validates and runs.

For each press text in ``tests/draft_texts/`` the reader drafts one scenario per announced
investment; each must load (``ims.Scenario.from_text``), translate into shocks (what
``impactsim validate`` checks) and run (``ims.run``, stated case) with finite headline figures.
A text whose only amounts are in a currency without a shipped exchange rate gets no scenario
(its expected file says ``scenario: none``); every other text with records gets one per record.
The field-by-field score of the reader over the same corpus is printed by
``scripts/score_draft_corpus.py``.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

import impactsim as ims
from impactsim.scenario.draft import draft
from impactsim.scenario.shocks import translate

TEXTS = Path(__file__).parent / "draft_texts"
ALL = sorted(TEXTS.glob("*.txt"))


def test_the_corpus_is_at_least_forty_texts_half_korean() -> None:
    expected = [p for p in TEXTS.glob("*.expected.yaml")
                if "records" in yaml.safe_load(p.read_text(encoding="utf-8"))]  # fmt: skip
    assert len(expected) >= 40
    korean = [p for p in expected if p.name.startswith("ko-")]
    assert 2 * len(korean) >= len(expected)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_every_draft_validates_and_runs(path: Path) -> None:
    exp_path = TEXTS / path.name.replace(".txt", ".expected.yaml")
    exp = yaml.safe_load(exp_path.read_text(encoding="utf-8")) if exp_path.exists() else {}
    res = draft(path.read_text(encoding="utf-8"), announced=exp.get("announced"),
                source=path.name)  # fmt: skip
    if not res.records or exp.get("scenario") == "none":
        assert res.scenarios == ()
        return
    assert len(res.scenarios) == len(res.records)
    for name, text in res.scenarios:
        sc = ims.Scenario.from_text(text, file=f"{name}.yaml")
        translate(sc)
        result = ims.run(sc)
        head = result.headline(result.phases[0])
        assert all(math.isfinite(float(v)) for v in head.to_numpy().ravel()), name
