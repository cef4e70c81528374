"""Money, periods and places: unit cases and hypothesis properties.

Property: an amount written in any supported form ("$5 billion", "USD 5bn", "5 billion
dollars", "50억 달러", "KRW 7 trillion", "7조 원", "1조 5,000억원", "360조", ...) parses to the
same number. The renderers below write a number in each form independently of the parser.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactsim.textread.amounts import find_money, korean_value
from impactsim.textread.periods import find_dateline, find_periods, relative_years
from impactsim.textread.places import find_places

CASES = [
    ("AWS will invest more than $5 billion in", 5e9, "USD", "more-than"),
    ("USD 5bn", 5e9, "USD", "exact"),
    ("about 2.26 trillion yen", 2.26e12, "JPY", "about"),
    ("KRW 7 trillion", 7e12, "KRW", "exact"),
    ("20조 원을 투자", 2e13, "KRW", "exact"),
    ("1조 5,000억원", 1.5e12, "KRW", "exact"),
    ("360조를 투자한다", 3.6e14, "KRW", "exact"),
    ("over $40 billion", 4e10, "USD", "more-than"),
    ("at least $1.2 billion", 1.2e9, "USD", "more-than"),
    ("up to €500 million", 5e8, "EUR", "up-to"),
    ("approximately $9 billion", 9e9, "USD", "about"),
    ("nearly US$3bn", 3e9, "USD", "about"),
    ("2조 원 이상을", 2e12, "KRW", "more-than"),
    ("최대 50억 달러", 5e9, "USD", "up-to"),
    ("약 3천억원", 3e11, "KRW", "about"),
    ("5조여 원", 5e12, "KRW", "about"),
    ("will exceed $40 billion", 4e10, "USD", "more-than"),
    ("£2.5bn", 2.5e9, "GBP", "exact"),
    ("NT$100 billion", 1e11, "TWD", "exact"),
    ("$5,000,000,000", 5e9, "USD", "exact"),
    ("30 trillion Korean won", 3e13, "KRW", "exact"),
    ("2 trillion Japanese yen", 2e12, "JPY", "exact"),
    # ranges: the midpoint, read as "about"
    ("between 400 billion and 600 billion won", 5e11, "KRW", "about"),
    ("5 to 7 trillion won", 6e12, "KRW", "about"),
    ("1.5-2 billion euros", 1.75e9, "EUR", "about"),
    ("1조5천억~2조원을", 1.75e12, "KRW", "about"),
    ("1조 5,000억~2조 원", 1.75e12, "KRW", "about"),
]


@pytest.mark.parametrize(("text", "value", "cur", "qual"), CASES)
def test_amount_forms(text: str, value: float, cur: str, qual: str) -> None:
    (m,) = find_money(text)
    assert math.isclose(m.value, value, rel_tol=1e-12)
    assert (m.currency, m.qualifier) == (cur, qual)
    assert text[m.span.start : m.span.end] == m.span.text


def test_restatement_in_parentheses_is_one_amount() -> None:
    for text in (
        "2.26 trillion yen ($15 billion)",
        "$15 billion (about 2.26 trillion yen)",
        "50억 달러(약 7조 원)",
        "$5 billion, or about 7 trillion won,",
    ):
        monies = find_money(text)
        assert len(monies) == 1, text
        assert len(monies[0].restated) == 1, text
    # same currency in parentheses is not a restatement (e.g. a sub-total)
    assert len(find_money("$5 billion ($2 billion this year)")) == 2


def test_and_without_between_is_two_amounts() -> None:
    """"A and B won" is a range only after "between": two amounts otherwise."""
    assert [m.value for m in find_money("spend 400 billion won and 600 billion won")] == [
        4e11, 6e11]


def test_counters_and_small_numbers_are_not_money() -> None:
    assert find_money("인구 1억 명") == []
    assert find_money("연간 20만 대 규모") == []


# ------------------------------------------------------------------ property: same number
def _en(d: Decimal) -> str:
    return f"{d.normalize():f}"


def _korean(value: int) -> str:
    """Korean notation written digit-group by digit-group: 1500000000000 → '1조 5,000억'."""
    jo, rest = divmod(value, 10**12)
    eok, rest = divmod(rest, 10**8)
    man, one = divmod(rest, 10**4)
    parts = []
    for n, unit in ((jo, "조"), (eok, "억"), (man, "만")):
        if n:
            parts.append(f"{n:,}{unit}")
    out = " ".join(parts)
    return out + (f" {one}" if one else "")


@st.composite
def amounts(draw):
    cents = draw(st.integers(min_value=100, max_value=99_999))  # 1.00 .. 999.99
    scale = draw(st.sampled_from([(Decimal(10) ** 6, "million", "mn"),
                                  (Decimal(10) ** 9, "billion", "bn"),
                                  (Decimal(10) ** 12, "trillion", "tn")]))  # fmt: skip
    mant = Decimal(cents) / 100
    return mant, scale


@settings(max_examples=200, deadline=None)
@given(amounts(), st.sampled_from(["USD", "KRW", "JPY"]))
def test_every_form_parses_to_the_same_number(a, cur: str) -> None:
    mant, (mult, word, short) = a
    value = mant * mult
    m = _en(mant)
    forms = {
        "USD": [
            f"${m} {word}",
            f"USD {m}{short}",
            f"US${m} {word}",
            f"{m} {word} dollars",
            f"${int(value):,}",
            f"{_korean(int(value))} 달러",
        ],
        "KRW": [
            f"KRW {m} {word}",
            f"{m} {word} won",
            f"\u20a9{m} {word}",
            f"{_korean(int(value))}원",
            f"{_korean(int(value))} 원",
        ],
        "JPY": [
            f"{m} {word} yen",
            f"\u00a5{m} {word}",
            f"JPY {m} {word}",
            f"{_korean(int(value))} 엔",
        ],
    }[cur]
    if cur == "KRW" and value >= 10**12 and int(value) % 10**4 == 0:
        forms.append(_korean(int(value)))  # bare "360조" (Korean press style for won)
    for form in forms:
        found = find_money(f"투자 규모는 {form} 이다" if "조" in form or "억" in form else
                           f"It will invest {form} in the plant.")  # fmt: skip
        assert len(found) == 1, form
        assert math.isclose(found[0].value, float(value), rel_tol=1e-12), form
        assert found[0].currency == cur, form


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=10**15))
def test_korean_value_inverts_korean_notation(n: int) -> None:
    assert korean_value(_korean(n)) == n


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(
        [
            ("more than", "more-than"),
            ("over", "more-than"),
            ("at least", "more-than"),
            ("up to", "up-to"),
            ("about", "about"),
            ("approximately", "about"),
            ("nearly", "about"),
            ("", "exact"),
        ]
    ),
    st.sampled_from(
        [
            "$5 billion",
            "USD 5bn",
            "5 billion dollars",
            "KRW 7 trillion",
            "7 trillion won",
            "2.26 trillion yen",
        ]
    ),
)
def test_qualifier_does_not_depend_on_the_form(q, form: str) -> None:
    word, expected = q
    (m,) = find_money(f"The company will invest {word} {form} by 2030.".replace("  ", " "))
    assert m.qualifier == expected


# ------------------------------------------------------------------ periods, dates, places
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("by 2031", None, 2031),
        ("through 2026", None, 2026),
        ("from 2026 to 2030", 2026, 2030),
        ("between 2026 and 2030", 2026, 2030),
        ("2030년까지", None, 2030),
        ("2027년 5월 준공", None, 2027),
        ("2026년부터 2030년까지", 2026, 2030),
        ("by the end of 2027", None, 2027),
        ("2026-2030", 2026, 2030),
    ],
)
def test_periods(text: str, start: int | None, end: int | None) -> None:
    (p,) = find_periods(text)
    assert (p.start, p.end) == (start, end)


def test_relative_period_counts_from_the_announcement() -> None:
    (p,) = find_periods("over the next five years")
    assert p.years == 5
    assert relative_years(5, dt.date(2025, 10, 29)) == (2026, 2030)  # late in the year: next
    assert relative_years(5, dt.date(2025, 3, 1)) == (2025, 2029)
    (k,) = find_periods("향후 5년간")
    assert k.years == 5


def test_dateline() -> None:
    assert find_dateline("SEOUL, Oct. 29, 2025 - AWS ...")[0] == dt.date(2025, 10, 29)
    assert find_dateline("2025년 10월 29일 삼성전자는")[0] == dt.date(2025, 10, 29)
    assert find_dateline("no date here") is None


def test_places_from_gazetteer_and_marked_by_the_text() -> None:
    t = "It will build data centres in Incheon and Gyeonggi Province and a plant in Taylor, Texas."
    names = [p.name for p in find_places(t)]
    assert names == ["Incheon", "Gyeonggi Province", "Taylor", "Texas"]
    assert [p.name for p in find_places("삼성전자는 경기도 평택에")] == [
        "Gyeonggi Province",
        "Pyeongtaek",
    ]
    # where an event was held is not the investment's place
    assert find_places("at the APEC CEO Summit held in Gyeongju") == []


def test_a_currency_prefix_is_not_a_place() -> None:
    """"US$2.1 billion" and "HK$ 5 bn" name currencies; "in the US" names a place."""
    t = "It will spend 3 trillion won (US$2.1 billion) in Busan and HK$ 5 bn, or 2 US dollars."
    assert [p.name for p in find_places(t)] == ["Busan"]
    assert [p.country for p in find_places("a plant in the US, its first")] == ["USA"]


@pytest.mark.parametrize(("text", "kind", "start", "end"), [
    ("Construction of the P5 line starts in 2026.", "start", 2026, None),
    ("Work on the site began in March 2025.", "start", 2025, None),
    ("The firm will break ground in early 2027.", "start", 2027, None),
    ("Mass production is expected from 2028.", "end", None, 2028),
    ("Operations from 2026 to 2040 are planned.", "both", 2026, 2040),
])
def test_start_and_operation_phrases(text: str, kind: str, start: int | None,
                                     end: int | None) -> None:
    (p,) = find_periods(text)
    assert (p.kind, p.start, p.end) == (kind, start, end)


def test_every_korean_city_of_the_gazetteer_has_its_province() -> None:
    from impactsim.textread.places import KOREAN_CITY_PROVINCE, gazetteer

    cities = {e.canonical for e in gazetteer() if e.source == "kr-city"}
    assert cities and cities <= set(KOREAN_CITY_PROVINCE)


@pytest.mark.parametrize(("text", "places"), [
    ("삼성전자는 지난해 평택에 투자했다", ["Pyeongtaek"]),  # 지난해: last year, not Jinan
    ("공장을 짓기 위해 투자한다", []),  # 위해: in order to, not Weihai
    ("회사는 세부 내용을 밝히지 않았다", []),  # 세부: details, not Cebu
    ("창사 이래 최대 투자다", []),  # 창사: the founding, not Changsha
    ("한중 관계가 개선되면서", []),  # 한중: Korea-China, not Hanzhong
    ("그는 이렇게 주장했다", []),  # 주장: to claim, not Jiujiang
    ("중국 선전에 공장을 짓는다", ["China", "Shenzhen"]),  # after a country: the city
    ("일본 지바현에", ["Japan", "Chiba"]),
    ("도쿄에서", ["Tokyo"]),
    ("안양시에 연구소를", ["Anyang"]),
])
def test_hangul_city_names_that_are_everyday_words(text: str, places: list[str]) -> None:
    assert [p.name for p in find_places(text)] == places


@pytest.mark.parametrize("text", [
    "KEPCO will build a substation and transmission lines for the new data centre",
    "The group will build a hotel, a port and a railway beside its data centre",
    "a combined-cycle power plant to supply new data centres",
])
def test_purposes_no_pattern_describes_give_unknown(text: str) -> None:
    from impactsim.textread.keywords import suggest_pattern

    assert suggest_pattern(text) == "unknown"
    assert suggest_pattern("an AI data centre and its cloud region") == "ai-data-centre-capex"
