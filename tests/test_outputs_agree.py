"""One number, one meaning: the same label carries the same number in ``ScenarioResult``, the
``--json`` payload, the result files (``summary.csv``) and the HTML report's data, under every
money option; imports are total leakage abroad with their three parts adding up to it.

A property over random valid scenarios (hypothesis, on the hand-made synthetic table) and a
check of every shipped scenario.
"""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import impactsim as ims
from _cli_support import SCENARIOS, run_cli
from _scenario_support import scenario_dict, synthetic_table
from impactsim.engine.measures import IMPORT_PARTS
from impactsim.present import outputs, report
from impactsim.present.payload import result_payload
from impactsim.present.writers import json_dumps
from impactsim.scenario.claims import compare_claims

REL = 1e-9
#: Money options of the CLI (--currency / --price-year) as ``in_money`` arguments.
MONEY_OPTIONS = ((None, None), ("KRW", 2025), ("USD", None), ("USD", 2020))


def _close(a: float, b: float) -> bool:
    return bool(np.isclose(a, b, rtol=REL, atol=1e-9 * max(1.0, abs(b))))


def _html_data(text: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="impactsim-data">(.*?)</script>',
                      text, re.S)
    assert found, "the report carries its data"
    return json.loads(html.unescape(found.group(1).replace("<\\/", "</")))


def _summary_file(result: ims.ScenarioResult, tmp: Any) -> pd.DataFrame:
    source = tmp / "s.yaml"  # the provenance record hashes the scenario file
    if not source.exists():
        source.write_text("name: s\n", encoding="utf-8")
    files = outputs.result_files(tmp, "s", source, result, [], "csv", [], {})
    return pd.read_csv(io.BytesIO(files[tmp / "s.summary.csv"]))


def check_agreement(result: ims.ScenarioResult, tmp: Any, *, html_page: bool = True) -> None:
    """Every headline, range and imports number agrees across the four outputs (the HTML
    report's data only with ``html_page``: drawing its charts takes a few seconds)."""
    comparisons = compare_claims(result)
    payload = json.loads(json_dumps(result_payload(result, comparisons)))
    page = (_html_data(report.render_html(result, comparisons=comparisons)) if html_page
            else payload)
    summary = _summary_file(result, tmp)
    for phase in result.phases:
        head = result.headline(phase)
        rows = summary[summary["phase"] == phase].set_index("effect")
        for effect in head.index:
            for measure in head.columns:
                want = float(head.loc[effect, measure])
                for data in (payload, page):
                    assert _close(data["phases"][phase]["effects"][effect][measure], want)
                assert _close(float(rows.loc[effect, measure]), want), (phase, effect, measure)
        # imports: one definition, its three parts add up to it, on every effect row
        assert np.allclose(head[list(IMPORT_PARTS)].sum(axis=1), head["imports"], rtol=1e-12)
        leak = result.leakage(phase).loc[phase]
        assert _close(leak["imports"], float(head.loc["total", "imports"]))
        for part in IMPORT_PARTS:
            assert _close(leak[part], float(head.loc["total", part]))
            assert _close(payload["leakage"][phase][part], leak[part])
        if leak["spending"] > 0:
            assert 0.0 <= leak["share"] <= 1.0 + 1e-9
        q = result.headline_quantiles(phase)
        if q is not None:
            for lab in q.index:
                for measure in q.columns:
                    want = float(q.loc[lab, measure])
                    assert _close(payload["phases"][phase]["quantiles"][lab][measure], want)
                    assert _close(page["phases"][phase]["quantiles"][lab][measure], want)
                    assert _close(float(rows.loc["total", f"{measure} {lab}"]), want)
            # the ranges use the same imports: the imported spending is in every draw
            assert q.loc[q.index[0], "imports"] >= head.loc["total", "imports_spending"] * 0.5
            sens = result.sensitivity(result.lead_measure, phase=phase)
            assert _close(sens.base, float(head.loc["total", result.lead_measure]))
    whole = result.cumulative()
    rows = summary[summary["phase"] == "whole scenario"].set_index("effect")
    for effect in whole.index:
        for measure in whole.columns:
            want = float(whole.loc[effect, measure])
            assert _close(payload["whole_scenario"]["effects"][effect][measure], want)
            assert _close(float(rows.loc[effect, measure]), want)


def check_money_round_trip(result: ims.ScenarioResult, tmp: Any) -> None:
    """Under every money option the outputs agree; money converted and converted back is
    unchanged; jobs and the imports share do not move."""
    base_share = result.leakage()["share"]
    meta = result.table
    for i, (currency, year) in enumerate(MONEY_OPTIONS):
        shown = result.in_money(currency, year)
        check_agreement(shown, tmp, html_page=i == 1)
        pd.testing.assert_series_equal(shown.leakage()["share"], base_share, rtol=1e-9)
        back = shown.in_money(meta.currency, meta.price_year)
        reg = result.registry
        for phase in result.phases:
            a, b = result.headline(phase), back.headline(phase)
            for m in a.columns:
                scale = meta.unit if reg.get_or_physical(m).is_money else 1.0
                assert np.allclose(b[m].to_numpy(), a[m].to_numpy() * scale, rtol=1e-9,
                                   atol=1e-6), (currency, year, phase, m)


# ----------------------------------------------------------------------------- random scenarios
@st.composite
def scenarios(draw: Any) -> tuple[dict[str, Any], bool]:
    doc = scenario_dict()
    inv = doc["investments"][0]
    build = inv["construction"]
    build["amount"] = {"value": draw(st.floats(1e6, 1e10)), "qualifier": "about"}
    start = draw(st.integers(2021, 2030))
    build["period"] = [start, start + draw(st.integers(0, 4))]
    build["profile"] = draw(st.sampled_from(["even", "front-loaded", "back-loaded", "s-curve"]))
    build["local_share"] = {
        "services": draw(st.floats(0.0, 1.0)),
        "equipment": draw(st.floats(0.0, 1.0)),
    }
    ops = inv["operations"]
    ops["annual_amount"] = draw(st.floats(0.0, 1e9))
    first = build["period"][1] + 1
    ops["period"] = [first, first + draw(st.integers(0, 5))]
    ops["ramp"] = {first: draw(st.floats(0.1, 1.0))}
    if draw(st.booleans()):
        ops.pop("direct_jobs")
    if draw(st.booleans()):  # a range on the amount: a few Monte Carlo draws
        build["amount"] = {"value": build["amount"]["value"],
                           "range": [build["amount"]["value"] * 0.8,
                                     build["amount"]["value"] * 1.5]}
        doc["uncertainty"] = {"draws": 24, "seed": draw(st.integers(0, 2**31))}
    return doc, draw(st.booleans())


TABLE = synthetic_table()


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=scenarios())
def test_outputs_agree_on_random_scenarios(case: tuple[dict[str, Any], bool],
                                           tmp_path: Any) -> None:
    doc, induced = case
    result = ims.run(ims.Scenario.from_dict(doc), table=TABLE, induced=induced)
    # the imported spending is the audit's imported column, by phase
    audit = result.shocks.audit
    for phase in result.phases:
        total = result.summary().loc[(phase, "direct"), "imports_spending"]
        cols = result.columns.iloc[result._headline_columns(phase)]
        keys = set(zip(cols["investment"], cols["year"], strict=True))
        mine = np.array([(i, y) in keys for i, y in
                         zip(audit["investment"], audit["year"], strict=True)], dtype=bool)
        sel = audit[(audit["phase"] == phase).to_numpy() & mine]
        assert total == pytest.approx(sel["imported"].sum(), rel=1e-9, abs=1e-6)
    check_agreement(result, tmp_path, html_page=False)
    check_money_round_trip(result, tmp_path)


# ----------------------------------------------------------------------------- shipped scenarios
@pytest.mark.slow  # every shipped scenario through four outputs and four money options (minutes)
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_outputs_agree_on_shipped_scenarios(path: Any, tmp_path: Any) -> None:
    draws = 100 if path.stem == "korea" else 0
    result = ims.run(path, draws=draws, seed=3)
    check_agreement(result, tmp_path)
    check_money_round_trip(result, tmp_path)


@pytest.mark.parametrize("options", [(), ("--currency", "KRW", "--price-year", "2025"),
                                     ("--currency", "USD")],
                         ids=["table-money", "krw-2025", "usd"])
def test_cli_json_and_files_agree_and_imports_share_is_a_share(options: tuple[str, ...],
                                                               tmp_path: Any) -> None:
    """``run --json -o DIR`` on korea.yaml: the JSON, summary.csv and the API give one number
    per label; the imports share is the same in every money and between 0 and 100 %."""
    proc = run_cli("run", "scenarios/korea.yaml", "--draws", "0", "--json", "-o", tmp_path,
                   *options)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)["scenarios"][0]
    result = ims.run("scenarios/korea.yaml", draws=0)
    cur = options[1] if options else None
    year = int(options[3]) if len(options) > 2 else None
    if cur is not None:
        result = result.in_money(cur, year)
    summary = pd.read_csv(tmp_path / "korea.summary.csv")
    for phase in result.phases:
        head = result.headline(phase)
        rows = summary[summary["phase"] == phase].set_index("effect")
        for measure in ("employment", "value_added", "imports", *IMPORT_PARTS):
            want = float(head.loc["total", measure])
            assert _close(data["phases"][phase]["effects"]["total"][measure], want)
            assert _close(float(rows.loc["total", measure]), want)
        share = data["leakage"][phase]["share"]
        assert 0.0 < share < 1.0
        # the same share as the run in the table's money
        plain = ims.run("scenarios/korea.yaml", draws=0).leakage(phase).loc[phase, "share"]
        assert share == pytest.approx(plain, rel=1e-9)
