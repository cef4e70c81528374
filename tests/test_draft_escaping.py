"""Strings from an article and its file name reach the drafts only through the escaping
functions of ``impactsim.scenario.draft.yamltext`` (one per sink), so no text can add a key,
end a comment early or make the YAML unreadable.

Properties (hypothesis, any Unicode text including controls, NEL, U+2028/U+2029, CR, BOM and
bidirectional overrides):

* ``yaml_scalar(s)`` reads back as ``s`` and is one line;
* ``yaml_comment(s)`` is one line without unsafe characters, so ``key: 1  # <comment>`` reads
  back as ``{key: 1}``;
* ``yaml_document(d)`` reads back as ``d``;
* a draft whose investor name and file name are hostile still parses, validates, and has no
  key the text tried to inject.
"""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.scenario.draft import draft
from impactsim.scenario.draft.yamltext import yaml_comment, yaml_document, yaml_scalar

NASTY = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("\n\r\t\x1b\x85\u2028\u2029\ufeff\u202e\x00\x7f\x9b:#{}[]'\"-")),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(NASTY)
def test_a_scalar_reads_back_exactly(s: str) -> None:
    text = yaml_scalar(s)
    assert "\n" not in text and "\r" not in text
    assert yaml.safe_load(f"k: {text}\n") == {"k": s}


@settings(max_examples=300, deadline=None)
@given(NASTY)
def test_a_comment_stays_a_comment(s: str) -> None:
    c = yaml_comment(s)
    assert yaml.safe_load(f"key: 1   # {c}\nother: 2\n") == {"key": 1, "other": 2}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c"]),
                       st.one_of(NASTY, st.lists(NASTY, max_size=3)), max_size=3), NASTY)
def test_a_document_reads_back(data: dict, comment: str) -> None:
    assert yaml.safe_load(yaml_document(data, comment=comment)) == data


@settings(max_examples=40, deadline=None)
@given(name=st.text(alphabet=st.sampled_from(list("Ab\x1b\u202e\u2028\x85\r\n:#{} ")), min_size=1,
                    max_size=12), source=NASTY)  # fmt: skip
def test_hostile_names_cannot_change_a_draft(name: str, source: str) -> None:
    text = f"Evil{name}Corp will invest $5 billion in a chip fab in Taylor, Texas, by 2027."
    res = draft(text, announced="2025-01-01", source=source or "x.txt")
    for _, body in res.scenarios:
        data = yaml.safe_load(body)
        assert set(data) <= {"schema_version", "name", "title", "description", "seeds", "table",
                             "region", "currency", "price_year", "investments", "claims",
                             "notes"}  # fmt: skip
        assert data.get("uncertainty") is None
        ims.Scenario.from_text(body)
