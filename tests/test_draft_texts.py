"""Field-by-field checks of `draft` on hand-written press texts (tests/draft_texts/*.txt).

Each ``NAME.expected.yaml`` was written by reading ``NAME.txt`` (not by running the reader):
the investments, their amounts (value in units of the currency, ISO 4217 code, qualifier,
parenthetical restatements), period, places, countries, spending pattern and claims, plus
the figures that must NOT be read as investment amounts (claims, past spending, comparisons,
subsidies).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

import impactsim as ims
from impactsim.scenario.draft import draft
from impactsim.scenario.seeds import SeedRecord

TEXTS = Path(__file__).parent / "draft_texts"
CASES = sorted(
    p for p in TEXTS.glob("*.expected.yaml") if "records" in yaml.safe_load(p.read_text())
)


def _load(case: Path) -> tuple[str, dict]:
    exp = yaml.safe_load(case.read_text(encoding="utf-8"))
    text = (TEXTS / case.name.replace(".expected.yaml", ".txt")).read_text(encoding="utf-8")
    return text, exp


def test_at_least_ten_texts_besides_the_seed_article() -> None:
    others = [c for c in CASES if not c.name.startswith("seed-")]
    assert len(others) >= 10
    assert any(c.name.startswith("ko-") for c in others)
    assert any(c.name.startswith("en-") for c in others)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.split(".")[0])
def test_records_field_by_field(case: Path) -> None:
    text, exp = _load(case)
    res = draft(text, announced=exp.get("announced"))
    got = res.records
    assert [r.investor for r in got] == [e["investor"] for e in exp["records"]]
    for rec, e in zip(got, exp["records"], strict=True):
        where = f"{case.name}: {rec.investor}"
        assert list(rec.partners) == e.get("partners", []), where
        assert len(rec.amounts) == len(e["amounts"]), where
        for a, ea in zip(rec.amounts, e["amounts"], strict=True):
            assert math.isclose(a.value, ea["value"], rel_tol=1e-12), where
            assert (a.currency, a.qualifier) == (ea["currency"], ea["qualifier"]), where
            assert text[a.span.start : a.span.end] == a.span.text, where
            rest = [{"value": v, "currency": c} for v, c, _ in a.restated]
            assert rest == ea.get("restated", []), where
        assert (rec.period.start, rec.period.end) == (e["period"]["start"], e["period"]["end"]), (
            where
        )
        assert sorted(rec.places) == sorted(e["places"]), where
        assert sorted(rec.countries) == sorted(e["countries"]), where
        assert rec.pattern == e["pattern"], where
        got_claims = sorted((c.measure, c.value) for c in rec.claims)
        assert got_claims == sorted((c["measure"], c["value"]) for c in e["claims"]), where
        for c in rec.claims:
            assert text[c.span.start : c.span.end] == c.span.text


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.split(".")[0])
def test_figures_that_are_not_investments_are_not_amounts(case: Path) -> None:
    text, exp = _load(case)
    res = draft(text, announced=exp.get("announced"))
    amounts = {(a.value, a.currency) for r in res.records for a in r.amounts}
    for bad in exp.get("not_amounts", []):
        assert (bad["value"], bad["currency"]) not in amounts, bad["why"]
        # and the reader says why it skipped it
        assert any(
            math.isclose(s["value"], bad["value"]) and s["currency"] == bad["currency"]
            for s in res.skipped
        ), bad


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.split(".")[0])
def test_draft_scenario_validates_and_seeds_follow_the_schema(case: Path, tmp_path: Path) -> None:
    text, exp = _load(case)
    res = draft(
        text, announced=exp.get("announced"), source=case.name.replace(".expected.yaml", ".txt")
    )
    for seed in res.seeds(source_file="x.txt"):
        SeedRecord.model_validate(seed)
    if not exp["records"]:
        assert res.scenarios == () and res.scenario_yaml is None
        return
    if exp.get("scenario") == "none":  # only currencies without a shipped exchange rate
        assert res.scenarios == () and res.scenario_yaml is None
        assert any("exchange rate" in n for n in res.notes)
        return
    # one scenario per announced investment, each valid on its own
    assert len(res.scenarios) == len(res.records)
    assert res.scenario_yaml == res.scenarios[0][1]
    for name, body in res.scenarios:
        path = tmp_path / f"{name}.yaml"
        path.write_text(body, encoding="utf-8")
        sc = ims.Scenario.from_yaml(path)
        assert len(sc.investments) == 1
        data = yaml.safe_load(body)
        # every stated amount carries its quote, every default says "assumed"
        for ln in body.splitlines():
            s = ln.strip().lstrip("# ").strip()
            keys = ("amount:", "pattern:", "profile:", "period:", "price_year:", "table:")
            if s.startswith(keys):
                assert "# stated" in ln or "# assumed" in ln or "# no period stated" in ln, ln
        rec = next(r for r in res.records if r.id == data["investments"][0]["seed"])
        a = rec.amounts[0]
        v = data["investments"][0]["construction"]["amount"]["value"]
        assert v == pytest.approx(a.value) or any(v == pytest.approx(x) for x, _, _ in a.restated)
        # the national table when the investment is in Korea
        korea = set(rec.countries) == {"KOR"}
        assert (data["table"] == "korea-2020") == korea, (name, rec.countries)


def test_no_amount_gives_no_records() -> None:
    for name in ("en-no-amount.txt", "en-context-only.txt"):
        res = draft((TEXTS / name).read_text(encoding="utf-8"))
        assert res.records == ()
        assert res.scenario_yaml is None


def test_included_record_gets_its_own_scenario_marked_as_included() -> None:
    text = (TEXTS / "seed-korea-ai-2025-10-29.txt").read_text(encoding="utf-8")
    res = draft(text)
    inc = next(r for r in res.records if r.places[:1] == ("Incheon",))
    group = next(r for r in res.records if r.includes)
    assert inc.included_in == group.id
    body = dict(res.scenarios)[f"draft-{inc.id}"]
    data = yaml.safe_load(body)
    assert data["investments"][0]["overlaps"] == f"included in {group.id} (the text says so)"
    assert any("do not add the two" in n for n in data["notes"])


def _spans(obj: object):
    if isinstance(obj, dict):
        if set(obj) == {"start", "end", "text"}:
            yield obj
        for v in obj.values():
            yield from _spans(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _spans(v)


@pytest.mark.parametrize("path", sorted(TEXTS.glob("*.txt")), ids=lambda p: p.stem)
def test_every_quote_is_the_text_at_its_span(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = draft(text, announced="2025-01-01").to_json()
    spans = list(_spans(data))
    assert spans or not data["records"]
    for s in spans:
        assert text[s["start"] : s["end"]] == s["text"]
    for rec in data["records"]:
        assert rec["investor_span"] is None or rec["investor_span"]["text"]


def test_pronoun_investor_is_quoted_and_marked_assumed() -> None:
    text = (TEXTS / "seed-korea-ai-2025-10-29.txt").read_text(encoding="utf-8")
    ulsan = next(r for r in draft(text).records if r.places == ("Ulsan",))
    assert ulsan.investor_span is not None and ulsan.investor_span.text.lower() == "it"
    assert text[ulsan.investor_span.start : ulsan.investor_span.end] == ulsan.investor_span.text
    assert any(a.field == "investor" for a in ulsan.assumed)
    assert ulsan.partners == ("SK Group",)


def test_price_year_falls_back_to_the_last_year_with_a_deflator() -> None:
    # the article is dated 2026; the shipped GDP deflators end in 2025 (docs/sources.md)
    text = (TEXTS / "en-toyota-aichi-restated.txt").read_text(encoding="utf-8")
    res = draft(text)
    assert res.announced is not None and res.announced.year == 2026
    ((_, body),) = res.scenarios
    assert yaml.safe_load(body)["price_year"] == 2025
    line = next(ln for ln in body.splitlines() if ln.startswith("price_year:"))
    assert "no GDP deflator for USA in 2026" in line and "2025 is the last year" in line
    # and an article of a year with a deflator keeps its own year
    res = draft("Samsung will invest $5 billion in a chip fab in Taylor, Texas.",
                announced="2024-03-01")  # fmt: skip
    assert yaml.safe_load(res.scenarios[0][1])["price_year"] == 2024


def test_korean_person_years_are_job_years_and_qualifiers_follow_korean_usage() -> None:
    text = (TEXTS / "ko-samsung-p4.txt").read_text(encoding="utf-8")
    (rec,) = draft(text, announced="2024-06-17").records
    assert rec.amounts[0].qualifier == "more-than"  # 30조원 이상
    (claim,) = rec.claims
    assert (claim.measure, claim.value, claim.unit, claim.basis) == (
        "employment", 3000.0, "job-years", "job-years")  # 연인원 3천여 명
    body = draft(text, announced="2024-06-17").scenarios[0][1]
    c = yaml.safe_load(body)["claims"][0]
    assert (c["unit"], c["basis"]) == ("job-years", "job-years")


def test_places_in_korea_resolve_to_their_province() -> None:
    text = (TEXTS / "ko-samsung-p4.txt").read_text(encoding="utf-8")
    (rec,) = draft(text, announced="2024-06-17").records
    assert (rec.places, rec.countries, rec.provinces) == (
        ("Pyeongtaek",), ("KOR",), ("Gyeonggi Province",))  # 평택 is in 경기도
    text = (TEXTS / "en-toyota-aichi-restated.txt").read_text(encoding="utf-8")
    (rec,) = draft(text).records
    assert rec.countries == ("JPN",) and rec.provinces == ()


def test_a_whole_announced_earlier_includes_the_part_read_before_it() -> None:
    """"The investment is part of a 10 trillion won plan announced last year": the plan is a
    background mention that includes the expansion, whose scenario says not to add the two."""
    res = draft((TEXTS / "en-lges-ochang-part-of-plan.txt").read_text(encoding="utf-8"))
    part, whole = res.records
    assert whole.background and not part.background
    assert part.included_in == whole.id and whole.includes == (part.id,)
    body = next(b for _, b in res.scenarios if f"seed: {part.id}\n" in b)
    data = yaml.safe_load(body)
    assert data["investments"][0]["overlaps"] == f"included in {whole.id} (the text says so)"


def test_a_relative_period_without_a_date_keeps_its_length() -> None:
    """"over the next three years" with no date in the text: three years from the assumed start
    (not the five-year default), and the comment says the start is assumed."""
    res = draft((TEXTS / "en-kakao-ansan-range-won.txt").read_text(encoding="utf-8"))
    (_name, body), = res.scenarios
    start, end = yaml.safe_load(body)["investments"][0]["construction"]["period"]
    assert end - start + 1 == 3
    line = next(ln for ln in body.splitlines() if "period:" in ln)
    assert "None" not in line and "pass --announced" in line


def test_the_parts_of_a_joint_total_are_included_in_it() -> None:
    """"Samsung Electronics and SK hynix will together invest 622 trillion won ... Samsung will
    put 360 trillion won ..., while SK hynix will spend 122 trillion won": three records, the
    two parts (360 + 122 ≤ 622) included in the joint total, whose draft says not to add them."""
    res = draft((TEXTS / "en-yongin-cluster-joint-parts.txt").read_text(encoding="utf-8"))
    whole, *parts = res.records
    assert [a.value for r in res.records for a in r.amounts] == [6.22e14, 3.6e14, 1.22e14]
    assert whole.includes == tuple(p.id for p in parts)
    assert all(p.included_in == whole.id for p in parts)
    body = next(b for _, b in res.scenarios if f"seed: {whole.id}\n" in b)
    assert "do not add both" in body


def test_a_capitalised_common_word_at_a_sentence_start_is_not_an_investor() -> None:
    """"Financial terms were not disclosed, but industry officials estimate the project at
    around 20 trillion won": "Financial" opens the sentence; the project is the one the
    sentence before describes, by OpenAI and SK Group."""
    text = ("OpenAI and SK Group signed a memorandum of understanding to jointly develop an AI "
            "data center in southwest Korea. Financial terms were not disclosed, but industry "
            "officials estimate the project at around 20 trillion won.")
    (rec,) = draft(text).records
    assert rec.investor != "Financial" and "OpenAI" in rec.investor
    assert rec.countries == ("KOR",)
