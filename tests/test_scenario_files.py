"""The shipped scenarios and seeds: all validate; the Korean ones run on korea-2020 and their
numbers check against hand calculations from the table and docs/sources.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import impactsim as ims
from impactsim.scenario.seeds import load_seeds

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
KOREAN = ["korea", "ulsan", "korea-fdi-2025"]
WORLD = ["apec-aws", "meta-apac"]


def test_the_expected_scenarios_are_shipped() -> None:
    assert {p.stem for p in SCENARIOS} >= set(KOREAN + WORLD)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_validates(path: Path) -> None:
    sc = ims.Scenario.from_yaml(path)
    assert sc.name == path.stem
    assert sc.investments


@pytest.mark.parametrize("name", KOREAN)
def test_korean_scenarios_run_on_korea_2020(name: str) -> None:
    res = ims.run(ROOT / "scenarios" / f"{name}.yaml")
    assert res.table.name == "korea-2020"
    summary = res.summary()
    # sustaining capex (the IT refresh) is a phase of its own when a scenario has one
    sustaining = any(inv.operations is not None and inv.operations.sustaining is not None
                     for inv in res.scenario.investments)
    assert set(summary.index.get_level_values("phase")) == (
        {"construction", "operations"} | ({"sustaining"} if sustaining else set()))
    for phase in ("construction", "operations"):
        s = res.summary(phase=phase)
        effects = s.loc[["direct", "indirect", "induced"]].sum()
        assert np.allclose(effects, s.loc["total"])
        assert (s.loc["total", ["employment", "value_added", "output"]] > 0).all()


@pytest.mark.parametrize("name", WORLD)
def test_world_scenarios_fail_cleanly_or_run(name: str) -> None:
    """They need a multi-region table and a price index for its currency: until both exist a
    run must stop with one line naming the file (never a traceback)."""
    path = ROOT / "scenarios" / f"{name}.yaml"
    try:
        res = ims.run(path)
    except ims.ImpactsimError as exc:
        msg = str(exc)
        assert "\n" not in msg and str(path) in msg
        assert "fix:" in msg or "multi-region" in msg
    else:
        assert res.table.name == "wiod-2011"


def test_seeds_validate_and_scenarios_point_at_them() -> None:
    seeds = load_seeds(ROOT / "seeds")
    assert len(seeds) >= 5
    for path in SCENARIOS:
        sc = ims.Scenario.from_yaml(path)
        assert sc.seeds, f"{path.name}: no seeds"
        for ref in [*sc.seeds, *(i.seed for i in sc.investments if i.seed)]:
            assert ref in seeds, f"{path.name}: unknown seed {ref}"


def test_overlaps_are_marked_both_ways() -> None:
    seeds = load_seeds(ROOT / "seeds")
    aws = seeds["2025-10-29-aws-incheon-gyeonggi"]
    fdi = seeds["2025-10-29-korea-fdi-seven-companies"]
    assert any(o.seed == fdi.id and o.relation == "included-in" for o in aws.overlaps)
    assert any(o.seed == aws.id and o.relation == "includes" for o in fdi.overlaps)
    ulsan = seeds["2025-09-aws-sk-ulsan-ai-hub"]
    assert {a.currency for a in ulsan.amounts} == {"USD", "KRW"}


def test_seed_records_do_not_copy_the_article() -> None:
    article = next((ROOT.parent / "shared" / "seeds").glob("*.txt"), None)
    if article is None:
        pytest.skip("optional for users: the source article (../shared/seeds beside the "
                    "repository) is not part of a clone; nothing to compare the seed records with")
    words = article.read_text(encoding="utf-8").split()
    grams = {" ".join(words[i : i + 8]) for i in range(len(words) - 8)}
    for path in (ROOT / "seeds").glob("*.yaml"):
        text = " ".join(path.read_text(encoding="utf-8").split())
        copied = [g for g in grams if g in text]
        assert not copied, f"{path.name} copies: {copied[:1]}"


ASSUMPTION_KEYS = (
    "amount:",
    "annual_amount:",
    "value:",
    "period:",
    "profile:",
    "pattern:",
    "ramp:",
    "direct_jobs:",
    "delay_years:",
    "price_year:",
    "household_leakage:",
)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_assumption_line_carries_a_comment(path: Path) -> None:
    """Lines that set a number or a modelling choice carry a `# source` comment."""
    lines = path.read_text(encoding="utf-8").splitlines()
    missing = []
    in_local = False
    for i, ln in enumerate(lines, 1):
        body = ln.split("#", 1)[0].rstrip()
        key = body.strip()
        in_local = (in_local and ln.startswith(" " * 8)) or key.startswith(
            ("local_share:", "regions:")
        )
        sets_value = re.match(r"^[\w-]+:\s*\S", key) is not None
        if not sets_value:
            continue
        if key.startswith(ASSUMPTION_KEYS) or (
            in_local and not key.startswith(("local_share", "regions"))
        ):
            if "#" not in ln:
                missing.append(i)
    assert not missing, f"{path.name}: lines without a source comment: {missing}"


# ----------------------------------------------------------------------------- korea by hand
def test_korea_conversion_and_shocks_by_hand() -> None:
    sc = ims.Scenario.from_yaml(ROOT / "scenarios" / "korea.yaml")
    # the single-index hand calculation (GDP deflator, constant 2025 money); prices by
    # category and year are checked by hand in test_appraisal_prices.py
    sc = sc.model_copy(update={"money": sc.money.model_copy(
        update={"price_index": "gdp-deflator", "amounts": "constant"})})
    t = ims.load_table("korea-2020")
    sh = ims.translate(sc, table=t)
    factor = 1422.2 * 100 / 114.7 / 1e6  # docs/sources.md: 2025 KRW/USD, GDP deflator
    con = next(p for p in sh.plans if p.phase == "construction")
    assert con.conversion.factor == pytest.approx(factor, rel=1e-12)
    # domestic construction demand by hand: pattern shares x table GFCF domestic shares, with
    # the scenario's overrides for chips (logic 0.05, memory 0.8)
    pat = ims.get_pattern("ai-data-centre-capex")
    yd = t.final_demand["gfcf_private"]
    yt = t.total_final_demand["gfcf_private"]
    zd, zt = t.flows.sum(axis=1), t.total_flows.sum(axis=1)
    keep = [
        c for c in t.final_demand_categories if c not in ("exports", "inventories", "valuables")
    ]
    use_d = zd + t.final_demand[keep].sum(axis=1)
    use_t = zt + t.total_final_demand[keep].sum(axis=1)
    # trade and transport margins: the private-GFCF column's purchases of trade (520) and
    # transport (531-572 less public postal 571, which KSIC-10 puts in information and
    # communication) over the purchasers' value of goods (products 011-440, agriculture,
    # mining and manufacturing); bought at the table's domestic share of that column
    codes = [str(c) for c in t.sectors]
    goods = [c for c in codes if c[:3] < "450"]
    transport = [c for c in codes if "531" <= c[:3] <= "572" and c != "571"]
    margin = yt[["520", *transport]].clip(lower=0).sum()
    rate = margin / (yt[goods].clip(lower=0).sum() + margin)
    bought = yt[["520", *transport]].clip(lower=0)
    margin_local = float((bought * (yd / yt).reindex(bought.index).fillna(1.0)).sum() / margin)
    expected = 0.0
    for name, cat in pat.categories.items():
        if cat.excluded:
            continue
        for code, w in cat.split("bok-2020").items():
            if cat.margins and name != "hbm" and code in goods:
                expected += cat.share.value * w * rate * margin_local
                w = w * (1.0 - rate)
            if name == "logic-chips":
                local = 0.05
            elif name == "memory-chips":
                local = 0.8
            elif name == "hbm":  # Korean content of the imported accelerators (pattern)
                local = 0.79
            elif yt[code] > 0:
                local = yd[code] / yt[code]
            else:
                local = use_d[code] / use_t[code]
            expected += cat.share.value * w * local
    cols = [i for i, ph in enumerate(sh.columns["phase"]) if ph == "construction"]
    assert sh.matrix[:, cols].sum() == pytest.approx(5.0e9 * factor * expected, rel=1e-9)
    # computers (340) leak abroad: domestic share of private GFCF from the table
    assert yd["340"] / yt["340"] < 0.5


def test_korea_result_matches_the_engine_multipliers() -> None:
    """Employment and value added of the result equal Σ (multiplier × shock) computed by the
    engine's own transposed solves (an independent path from the scenario's solves)."""
    sc = ims.Scenario.from_yaml(ROOT / "scenarios" / "korea.yaml")
    # the engine's multipliers are at the table's productivity (the BOK path is applied after
    # solving; test_appraisal_productivity.py checks it)
    sc = sc.model_copy(update={"model": sc.model.model_copy(update={"productivity": "none"})})
    res = ims.run(sc, induced=False)
    t = ims.load_table("korea-2020")
    mult = ims.LeontiefModel(t).multipliers()
    sh = res.shocks
    cols = (sh.columns["phase"] == "construction").to_numpy()
    y = sh.matrix[:, cols].sum(axis=1)
    head = res.summary(phase="construction")
    for measure in ("employment", "value_added", "output"):
        assert head.loc["total", measure] == pytest.approx(
            float(mult[measure].to_numpy() @ y), rel=1e-8
        )
    # direct output is the domestic shock itself
    assert head.loc["direct", "output"] == pytest.approx(y.sum(), rel=1e-12)


def test_json_schema_export() -> None:
    schema = ims.scenario_json_schema()
    text = json.dumps(schema)
    assert schema["title"] == "impactsim scenario"
    props = schema["properties"]
    for field in (
        "name",
        "table",
        "currency",
        "price_year",
        "investments",
        "claims",
        "uncertainty",
    ):
        assert field in props
    assert schema["additionalProperties"] is False
    assert "Pattern" in schema["$defs"] and "Construction" in schema["$defs"]
    # plain numbers are allowed where a value may carry uncertainty
    amount = schema["$defs"]["Construction"]["properties"]["amount"]
    assert {"type": "number"} in amount["anyOf"]
    assert "lognormal" in text and "triangular" in text


def test_bundled_patterns_are_listed_and_sum_to_one() -> None:
    listed = ims.list_patterns()
    for name in (
        "ai-data-centre-capex",
        "data-centre-operations",
        "semiconductor-fab",
        "ev-plant-conversion",
        "medical-equipment-line",
        "venture-funding",
    ):
        assert name in listed.index
        pat = ims.get_pattern(name)
        assert sum(pat.shares().values()) == pytest.approx(1.0, abs=1e-12)
        assert set(pat.classifications) == {"bok-2020", "wiod-2013"}
        for cat in pat.categories.values():
            assert cat.source and cat.basis
    # docs/sources.md#bernstein-2025: IT equipment ≈ 58 % and mechanical + electrical ≈ 33 %
    # of all-in capex
    s = ims.get_pattern("ai-data-centre-capex").shares()
    it = (s["logic-chips"] + s["hbm"] + s["memory-chips"] + s["network-equipment"]
          + s["server-systems"])
    # (version 2 moved on-site installation labour of the M&E plant into its own category)
    me = (s["electrical-plant"] + s["mechanical-plant"] + s["fire-protection-controls"]
          + s["me-installation"])
    assert it == pytest.approx(0.58) and me == pytest.approx(0.33)


def test_bundled_pattern_sectors_exist_in_the_korea_table() -> None:
    t = ims.load_table("korea-2020")
    codes = {str(s) for s in t.sectors}
    for name in ims.list_patterns().index:
        for cat in ims.get_pattern(name).categories.values():
            for code in cat.sectors.get("bok-2020", {}):
                assert code in codes, (name, code)
