"""Invalid scenarios: never a traceback; the message names file, line, field and fix (one line)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import impactsim as ims
from _scenario_support import synthetic_table
from impactsim.errors import ScenarioError

VALID = """\
name: toy
title: Toy scenario
table: synthetic
currency: USD
price_year: 2025
investments:
  - name: plant
    investor: Someone
    construction:
      amount: {value: 1.0e+8, qualifier: more-than}
      period: [2025, 2027]
      profile: even
      pattern:
        name: toy-capex
        version: 1
        title: Toy capex
        kind: spending
        categories:
          equipment:
            share: 0.6
            basis: assumption
            source: test
            sectors:
              toy: {E: 0.8, G: 0.2}
          building:
            share: 0.4
            basis: assumption
            source: test
            sectors:
              toy: {C: 1.0}
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing ``needle`` (computed independently)."""
    hits = [i + 1 for i, ln in enumerate(text.splitlines()) if needle in ln]
    return hits[occurrence - 1]


def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def check(err: BaseException, path: Path, line: int | None, field: str, *, says: str = "") -> str:
    msg = str(err)
    assert isinstance(err, ScenarioError)
    assert "\n" not in msg, msg
    prefix = f"{path}:{line}:" if line is not None else f"{path}:"
    assert msg.startswith(prefix), f"expected {prefix!r} in {msg!r}"
    assert field in msg, msg
    assert "fix:" in msg, msg
    assert says in msg, msg
    return msg


def load_error(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        ims.Scenario.from_yaml(path)
    return info.value


def test_valid_base_document_loads(tmp_path: Path) -> None:
    sc = ims.Scenario.from_yaml(write(tmp_path, VALID))
    assert sc.investments[0].construction is not None
    assert sc.where("investments", 0, "construction", "period").endswith(
        f":{line_of(VALID, 'period:')}"
    )


def test_shares_not_summing_to_one_inline_pattern(tmp_path: Path) -> None:
    text = VALID.replace("share: 0.4", "share: 0.3")
    path = write(tmp_path, text)
    msg = check(
        load_error(path), path, line_of(text, "pattern:"), "investments[0].construction.pattern"
    )
    assert "sum to 0.9, not 1" in msg


def test_shares_not_summing_to_one_in_pattern_file(tmp_path: Path) -> None:
    pattern = VALID.split("      pattern:\n", 1)[1]
    pattern = "\n".join(ln[8:] for ln in pattern.splitlines()).replace("share: 0.4", "share: 0.5")
    pat_path = write(tmp_path, pattern + "\n", "my-pattern.yaml")
    text = VALID.split("      pattern:\n", 1)[0] + "      pattern: my-pattern.yaml\n"
    path = write(tmp_path, text)
    msg = check(load_error(path), path, line_of(text, "pattern:"), "pattern")
    # the inner message names the pattern file and the line of `categories:`
    assert f"{pat_path}:{line_of(pattern, 'categories:')}" in msg
    assert "sum to 1.1, not 1" in msg


def test_shares_override_not_summing_to_one(tmp_path: Path) -> None:
    text = VALID.replace(
        "      profile: even\n", "      profile: even\n      shares: {building: 0.5}\n"
    )
    path = write(tmp_path, text)
    check(
        load_error(path), path, line_of(text, "shares:"), "construction.shares", says="sum to 1.1"
    )


def test_unknown_sector_is_reported_when_translated(tmp_path: Path) -> None:
    text = VALID.replace("toy: {C: 1.0}", "toy: {Q9: 1.0}")
    path = write(tmp_path, text)
    sc = ims.Scenario.from_yaml(path)  # sectors are only known relative to a table
    with pytest.raises(ScenarioError) as info:
        ims.translate(sc, table=synthetic_table())
    check(info.value, path, line_of(text, "Q9"), "sectors.toy", says="unknown sector 'Q9'")


def test_unknown_pattern(tmp_path: Path) -> None:
    text = VALID.split("      pattern:\n", 1)[0] + "      pattern: ai-data-center-capex\n"
    path = write(tmp_path, text)
    check(
        load_error(path),
        path,
        line_of(text, "pattern:"),
        "construction.pattern",
        says="did you mean 'ai-data-centre-capex'",
    )


def test_negative_amount(tmp_path: Path) -> None:
    text = VALID.replace("value: 1.0e+8", "value: -5")
    path = write(tmp_path, text)
    check(load_error(path), path, line_of(text, "amount:"), "construction.amount", says="negative")


def test_unknown_currency(tmp_path: Path) -> None:
    text = VALID.replace("currency: USD", "currency: XYZ")
    path = write(tmp_path, text)
    msg = check(
        load_error(path), path, line_of(text, "currency:"), "currency", says="currency 'XYZ'"
    )
    assert "USD" in msg  # the fix lists the known currencies


def test_unknown_currency_with_bad_format(tmp_path: Path) -> None:
    text = VALID.replace("currency: USD", "currency: dollars")
    path = write(tmp_path, text)
    check(load_error(path), path, line_of(text, "currency:"), "currency")


def test_reversed_period(tmp_path: Path) -> None:
    text = VALID.replace("[2025, 2027]", "[2027, 2025]")
    path = write(tmp_path, text)
    check(
        load_error(path),
        path,
        line_of(text, "period:"),
        "construction.period",
        says="write [2025, 2027]",
    )


def test_missing_table(tmp_path: Path) -> None:
    text = VALID.replace("table: synthetic\n", "")
    path = write(tmp_path, text)
    check(load_error(path), path, 1, "table", says="required field is missing")


def test_unknown_table_at_run(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("table: synthetic", "table: no-such-table"))
    sc = ims.Scenario.from_yaml(path)
    with pytest.raises(ScenarioError) as info:
        ims.run(sc)
    check(info.value, path, line_of(VALID, "table:"), "table", says="no-such-table")


@pytest.mark.parametrize(
    ("old", "new", "needle", "field"),
    [
        ("price_year: 2025", "price_year: soon", "price_year:", "price_year"),
        ("period: [2025, 2027]", "period: 2025-2027", "period:", "construction.period"),
        ("investor: Someone", "investor: [a, b]", "investor:", "investments[0].investor"),
        ("share: 0.6", "share: lots", "share: lots", "categories"),
    ],
)
def test_wrong_types(tmp_path: Path, old: str, new: str, needle: str, field: str) -> None:
    text = VALID.replace(old, new)
    path = write(tmp_path, text)
    err = load_error(path)
    line = line_of(text, "pattern:") if field == "categories" else line_of(text, needle)
    check(err, path, line, field)


def test_unknown_key(tmp_path: Path) -> None:
    text = VALID.replace("      period:", "      perod: [2025, 2027]\n      period:")
    path = write(tmp_path, text)
    check(
        load_error(path),
        path,
        line_of(text, "perod:"),
        "construction.perod",
        says="did you mean 'period'",
    )


def test_unknown_top_level_key(tmp_path: Path) -> None:
    text = VALID + "colour: blue\n"
    path = write(tmp_path, text)
    check(load_error(path), path, line_of(text, "colour:"), "colour", says="unknown key 'colour'")


def test_malformed_yaml(tmp_path: Path) -> None:
    text = VALID.replace("period: [2025, 2027]", "period: [2025, 2027")
    path = write(tmp_path, text)
    err = load_error(path)
    msg = str(err)
    assert re.match(rf"{re.escape(str(path))}:\d+: malformed YAML", msg), msg
    assert "fix:" in msg and "\n" not in msg


@pytest.mark.parametrize("text", ["", "   \n", "# just a comment\n"])
def test_empty_file(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    check(load_error(path), path, None, "empty")


def test_document_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "- just\n- a list\n")
    check(load_error(path), path, None, "not a mapping")


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object:impactsim.Scenario {{}}",
        "!!python/name:os.system",
        "!custom 3",
    ],
)
def test_yaml_tags_never_construct_objects(tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "pwned"
    text = VALID.replace("investor: Someone", "investor: " + payload.format(marker=marker))
    path = write(tmp_path, text)
    check(load_error(path), path, line_of(text, "investor:"), "", says="is not allowed")
    assert not marker.exists()


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    text = VALID.replace("title: Toy scenario\n", "title: Toy scenario\ntitle: Again\n")
    path = write(tmp_path, text)
    check(load_error(path), path, line_of(text, "title: Again"), "title", says="appears twice")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    check(load_error(path), path, None, "not found")


def test_profile_years_outside_period(tmp_path: Path) -> None:
    text = VALID.replace("profile: even", "profile: {2025: 0.5, 2030: 0.5}")
    path = write(tmp_path, text)
    check(load_error(path), path, line_of(text, "construction:"), "construction", says="[2030]")


def test_share_out_of_bounds_hints_at_percent(tmp_path: Path) -> None:
    text = VALID.replace("share: 0.6", "share: 60")
    path = write(tmp_path, text)
    check(load_error(path), path, line_of(text, "pattern:"), "pattern", says="not 35")


@pytest.mark.parametrize("new", ["amount: true", "amount: {value: false, qualifier: more-than}"])
def test_boolean_amount_is_not_read_as_one(tmp_path: Path, new: str) -> None:
    # YAML `true` is not a number; pydantic alone would read it as 1.0
    text = VALID.replace("amount: {value: 1.0e+8, qualifier: more-than}", new)
    path = write(tmp_path, text)
    check(
        load_error(path), path, line_of(text, "amount:"), "construction.amount", says="not a number"
    )


@pytest.mark.parametrize("value", ["1.0e+308", "2.0e+18"])
def test_absurdly_large_amount(tmp_path: Path, value: str) -> None:
    # 1e308 would overflow to inf once multiplied by an exchange rate (float max ~1.8e308)
    text = VALID.replace("value: 1.0e+8", f"value: {value}")
    path = write(tmp_path, text)
    check(load_error(path), path, line_of(text, "amount:"), "construction.amount", says="large")


def test_absurd_delay(tmp_path: Path) -> None:
    text = VALID.replace("profile: even", "profile: even\n      delay_years: 1000")
    path = write(tmp_path, text)
    check(
        load_error(path),
        path,
        line_of(text, "delay_years:"),
        "construction.delay_years",
        says="outside [-30, 30]",
    )


@pytest.mark.parametrize(
    ("new", "field"),
    [
        (
            "amount: {value: 1.0e+8, distribution: "
            "{distribution: triangular, low: true, mode: 1.0e+8, high: 2.0e+8}}",
            "low: true",
        ),
        (
            "amount: {value: 1.0e+8, distribution: "
            "{distribution: uniform, low: 1.0e+8, high: false}}",
            "high: false",
        ),
    ],
)
def test_boolean_distribution_parameter_is_not_a_number(
    tmp_path: Path, new: str, field: str
) -> None:
    # every numeric field refuses YAML true/false (the base model checks them all at once)
    text = VALID.replace("amount: {value: 1.0e+8, qualifier: more-than}", new)
    path = write(tmp_path, text)
    check(load_error(path), path, line_of(text, "amount:"), field, says="not a number")


def test_boolean_claim_value_is_not_a_number(tmp_path: Path) -> None:
    text = VALID + (
        "claims:\n"
        "  - id: c\n"
        "    text: a claim\n"
        "    measure: employment\n"
        "    value: true\n"
        "    unit: jobs\n"
        "    source: a source\n"
    )
    path = write(tmp_path, text)
    check(load_error(path), path, line_of(text, "  - id: c"), "claims[0]", says="value: true")
