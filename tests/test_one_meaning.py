"""One number, one meaning: the measure registry is the only list of measures, labels and
number formats; the terminal states one central estimate on one screen; compare, provinces and
``run(table=...)`` keep their numbers' meaning."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import impactsim as ims
from _cli_support import MINIMAL_SCENARIO, invoke, run_cli
from impactsim.engine.measures import REGISTRY, format_value
from impactsim.present import extra_tables

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "impactsim"

#: What a second copy of the registry looks like in the source.
COPIES = {
    "a list of money measures": re.compile(
        r"""^[A-Z_]+(\s*:[^=\n]+)?\s*=\s*[(\[{]\s*["'](output|value_added|income|imports)"""
        r"""["']\s*,\s*["'](output|value_added|income|imports)["']""", re.M),
    "a table of measure labels": re.compile(
        r"""["'](employment|value_added|income)["']\s*:\s*["'](Employment|Value added|"""
        r"""Labour income)"""),
    "a number formatter": re.compile(
        r"def (format_number|_fmt|_number)\b|float_format=lambda|:,\.\dg\}\"\s*$", re.M),
    "a phase basis table": re.compile(r"""["']construction["']\s*:\s*["']job-years["']"""),
}
#: The registry itself, and the exact-number writer of table files (a serialisation format:
#: shortest text that reads back as the same float, not a display).
#: The BOK series reader and the regional inducement coefficients list the inducement
#: coefficients the Bank of Korea publishes (output, value added, import, employment): a
#: selection that mirrors the publication, not a classification of measures.
ALLOWED = {SRC / "engine" / "measures.py", SRC / "tables" / "_csvio.py",
           SRC / "datasets" / "series.py", SRC / "regional" / "inducement.py"}


def test_the_registry_is_the_only_copy() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path in ALLOWED:
            continue
        text = path.read_text(encoding="utf-8")
        for what, pattern in COPIES.items():
            for m in pattern.finditer(text):
                line = text[: m.start()].count("\n") + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}: {m.group(0)!r}")
    assert not found, "\n".join(found)
    # the patterns are not vacuous: they find the copies that the registry replaced
    assert COPIES["a list of money measures"].search('MONEY = ("output", "value_added")')
    assert COPIES["a number formatter"].search('    return f"{v:,.3g}"\n')


def test_one_formatter_shows_missing_one_way() -> None:
    assert {format_value(v) for v in (None, float("nan"), float("inf"), "x")} == {"–"}
    assert format_value(21760.4) == "21,760" and format_value(0.4173) == "0.417"
    assert format_value(0.1234, percent=True) == "12.3 %"


def test_default_terminal_output_is_one_screen_naming_the_central_estimate() -> None:
    proc = invoke("run", "scenarios/korea.yaml")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.rstrip("\n").splitlines()
    assert len(lines) <= 60, len(lines)
    head = next(i for i, ln in enumerate(lines) if ln.startswith("Central estimate"))
    assert head <= 3  # stated once, at the top
    central = re.sub(r"\s+", " ", " ".join(lines[head:head + 3]))
    res = ims.run("scenarios/korea.yaml")
    total = res.headline("construction").loc["total", "employment"]
    p50 = res.headline_quantiles("construction").loc["P50", "employment"]
    assert "stated case" in central and f"construction {format_value(total)} job-years" in central
    assert f"P50 of 1,000 draws {format_value(p50)}" in central
    assert "Top sectors" not in proc.stdout and "--full" in proc.stdout
    full = invoke("run", "scenarios/korea.yaml", "--full")
    assert "Top sectors by jobs" in full.stdout and "Whole scenario" in full.stdout
    assert len(full.stdout.splitlines()) > len(lines)
    # the tornado's base is the same central case
    sens = res.sensitivity("employment", phase="construction")
    assert sens.base == pytest.approx(total, rel=1e-12)


def test_run_takes_a_table_name_or_object() -> None:
    sc = ims.Scenario.from_yaml(ROOT / "scenarios" / "ulsan.yaml")
    by_name = ims.run(sc, table="korea-2023", draws=0)
    by_object = ims.run(sc, table=ims.load_table("korea-2023"), draws=0)
    assert by_name.table.name == "korea-2023"
    np.testing.assert_array_equal(by_name.values, by_object.values)
    with pytest.raises(ims.ScenarioError, match="no-such-table"):
        ims.run(sc, table="no-such-table", draws=0)


def test_compare_puts_both_sides_in_one_money(tmp_path: Path) -> None:
    a = tmp_path / "t2020.yaml"
    b = tmp_path / "t2023.yaml"
    a.write_text(MINIMAL_SCENARIO)
    b.write_text(MINIMAL_SCENARIO.replace("table: korea-2020", "table: korea-2023"))
    proc = run_cli("compare", a, b, "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "money in KRW at 2020 prices" in data["caption"]
    rows = {r["phase · measure"]: r for r in data["rows"]}
    # the 2023 table's result, converted to KRW at 2020 prices by the API, is what is compared
    other = ims.run(b, draws=0).in_money("KRW", 2020).headline("construction")
    row = rows["construction · output"]
    words = {"KRW": 1.0, "million KRW": 1e6, "billion KRW": 1e9, "trillion KRW": 1e12}
    assert row["t2023"] * words[row["unit"]] == pytest.approx(other.loc["total", "output"])
    usd = run_cli("compare", a, b, "--json", "--currency", "USD", "--price-year", "2023")
    assert "money in USD at 2023 prices" in json.loads(usd.stdout)["caption"]


@pytest.fixture(scope="module")
def provinces() -> ims.ScenarioResult:
    return ims.run(ROOT / "scenarios" / "korea-provinces.yaml")


def test_province_decomposition_is_the_results_and_counts_persons(
    provinces: ims.ScenarioResult,
) -> None:
    res = provinces
    type1 = [i for i, e in enumerate(res.effects) if e in ("direct", "indirect")]
    for phase in res.phases:
        for measure in ("employment", "employees", "value_added"):
            dec = res.regional_decomposition(measure, phase)
            k = res.measures.index(measure)
            cols = res._headline_columns(phase)
            want = res.values[cols][:, type1, k, :].sum()
            assert dec.loc["all provinces", "total"] == pytest.approx(want, rel=1e-10)
        parts, _, caption = extra_tables.spillover_display(res, phase)
        dec = res.regional_decomposition("employees", phase)
        # employees are persons: the CLI table shows the API's numbers, not money-scaled
        np.testing.assert_allclose(parts["employees"].to_numpy(),
                                   dec.loc["all provinces"].to_numpy(), rtol=1e-12)
        assert "regional_decomposition" in caption and "persons" in caption


def test_province_run_says_it_skips_the_draws(provinces: ims.ScenarioResult) -> None:
    sc = ims.Scenario.from_yaml(ROOT / "scenarios" / "korea-provinces.yaml")
    assert sc.uncertainty is not None and provinces.n_draws == 0
    assert len(provinces.notes) == 1 and "uncertainty" in provinces.notes[0]
    proc = invoke("run", "scenarios/korea-provinces.yaml")
    assert sum("Note: no Monte Carlo draws" in ln for ln in proc.stdout.splitlines()) == 1


def test_registry_units_follow_the_phase() -> None:
    emp, money = REGISTRY["employment"], REGISTRY["imports"]
    assert emp.unit_for(phase="construction") == "persons, job-years"
    assert emp.unit_for(phase="operations") == "persons, jobs per year"
    assert money.unit_for(money_unit="million KRW", phase="operations") == "million KRW per year"
    assert REGISTRY.resolve("Job-years") == "employment" and REGISTRY.resolve("GDP") == (
        "value_added")
    assert REGISTRY.resolve("employees") is None  # not a claimable measure
