"""Property: no claim (or past, comparison, subsidy) figure of the test texts is ever reported
as an investment amount, whatever texts are put together and in whatever sentence order.

The figures that are not investments are listed by hand in ``tests/draft_texts/*.expected.yaml``
(``not_amounts``, each with the figure as written: ``quote``); their positions are found by
that quote, independently of the reader.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impactsim.scenario.draft import draft
from impactsim.textread.text import sentences

TEXTS = Path(__file__).parent / "draft_texts"


def _cases() -> list[tuple[list[str], list[dict]]]:
    out = []
    for exp_path in sorted(TEXTS.glob("*.expected.yaml")):
        exp = yaml.safe_load(exp_path.read_text(encoding="utf-8"))
        if not exp.get("not_amounts"):
            continue
        text = (TEXTS / exp_path.name.replace(".expected.yaml", ".txt")).read_text("utf-8")
        sents = [s.text(text) for s in sentences(text)]
        out.append((sents, exp["not_amounts"]))
    return out


CASES = _cases()


def test_every_text_with_claims_is_covered() -> None:
    assert len(CASES) >= 10


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_claims_never_become_amounts(data: st.DataObject) -> None:
    picked = data.draw(st.lists(st.sampled_from(range(len(CASES))), min_size=1, max_size=4,
                                unique=True))  # fmt: skip
    parts: list[str] = []
    bad: list[dict] = []
    for i in picked:
        sents, not_amounts = CASES[i]
        order = data.draw(st.permutations(range(len(sents))))
        parts.append("\n".join(sents[j] for j in order))
        bad.extend(not_amounts)
    text = "\n\n".join(parts)
    res = draft(text)
    spans = [a.span for r in res.records for a in r.amounts]
    checked = 0
    for i in picked:
        sents, not_amounts = CASES[i]
        for b in not_amounts:
            for s in sentences(text):
                sent = s.text(text)
                if sent not in sents or b["quote"] not in sent:
                    continue
                at = s.start + sent.index(b["quote"])
                checked += 1
                for sp in spans:
                    assert sp.end <= at or sp.start >= at + len(b["quote"]), (b, sent)
    assert checked >= sum(len(CASES[i][1]) for i in picked)
