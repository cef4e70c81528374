"""Korean content of imported equipment (pattern categories of ``channel: exports``).

The HBM inside imported accelerators is demand for Korean memory through exports: it has a plan
of its own, so the audit trail, the ledger and :func:`impactsim.channel_effects` show it as its
own line. Expected amounts are computed by hand from the pattern's published shares (Epoch AI /
Bernstein: HBM 6 % of all-in capex; Counterpoint Research: Korean makers 79 % of HBM supply)."""

from __future__ import annotations

from pathlib import Path

import pytest

import impactsim as ims
from impactsim.errors import ScenarioError

DOC = """\
schema_version: 1
name: hbm
title: test
table: korea-2020
currency: KRW
price_year: 2020
investments:
  - name: build
    investor: test
    {where}
    construction:
      amount: 1.0e+12
      period: [2021, 2022]
      pattern: ai-data-centre-capex
    operations:
      annual_amount: 1.0e+10
      period: [2023, 2028]
      pattern: data-centre-operations
      sustaining:
        amount: 5.8e+11
        cycle_years: 5
        pattern: data-centre-it-refresh
"""


def scenario(tmp_path: Path, where: str = "region: KOR") -> ims.Scenario:
    path = tmp_path / "hbm.yaml"
    path.write_text(DOC.format(where=where), encoding="utf-8")
    return ims.Scenario.from_yaml(path)


def test_hbm_is_its_own_plan_bought_at_the_korean_share(tmp_path: Path) -> None:
    sh = ims.translate(scenario(tmp_path))
    content = [p for p in sh.plans if p.channel == "exports"]
    # the equipment refresh is the sustaining phase (capital spending during operation)
    assert {(p.phase, p.part) for p in content} == {
        ("construction", "main"), ("sustaining", "sustaining")}
    build = next(p for p in content if p.phase == "construction")
    cols = list(sh.plan_columns[sh.plans.index(build)])
    j = list(sh.sectors).index("310-MEM")
    # 1e12 KRW (2020 prices, million KRW table) x 6 % HBM x 79 % made in Korea, all memory
    assert sh.matrix[:, cols].sum() == pytest.approx(1e6 * 0.06 * 0.79, rel=1e-12)
    assert sh.matrix[j, cols].sum() == pytest.approx(1e6 * 0.06 * 0.79, rel=1e-12)
    # the purchase plan carries no HBM; the audit of each plan covers only its own categories
    buy = next(p for p in sh.plans if p.phase == "construction" and p.channel == "purchase")
    hbm = buy.categories.index("hbm")
    assert not buy.bridge[hbm].any() and not buy.owns(hbm)
    audit = sh.audit[sh.audit["phase"] == "construction"]
    assert set(audit.loc[audit["channel"] == "exports", "category"]) == {"hbm"}
    assert "hbm" not in set(audit.loc[audit["channel"] == "purchase", "category"])
    # every unit of the stated amount is still accounted for exactly once
    assert audit["amount_currency"].sum() == pytest.approx(1e12, rel=1e-12)
    led = sh.ledger
    row = led[(led["phase"] == "construction") & (led["channel"] == "exports")].iloc[0]
    assert row["domestic"] / row["table_units"] == pytest.approx(0.79)
    # the refresh: 5.8e11 of equipment per 5-year cycle, installed 2021–22, so each tranche is
    # replaced once (2026, 2027) before the horizon 2028: one whole refresh; HBM 0.103 of IT
    # spending, 79 % Korean
    refresh = next(p for p in content if p.part == "sustaining")
    rcols = list(sh.plan_columns[sh.plans.index(refresh)])
    assert sh.matrix[:, rcols].sum() == pytest.approx(5.8e5 * 0.103 * 0.79, rel=1e-9)


def test_channel_effects_add_up_to_the_headline(tmp_path: Path) -> None:
    res = ims.run(scenario(tmp_path), draws=0)
    for ph in res.phases:
        for m in ("employment", "value_added"):
            frame = ims.channel_effects(res, m, ph)
            head = res.headline(ph)
            assert frame.loc["total", "total"] == pytest.approx(head.loc["total", m], rel=1e-12)
            lines = frame.drop(index="total")
            # HBM is bought with equipment (construction, refresh), not with running costs
            assert len(lines) == (1 if ph == "operations" else 2)
            assert (lines["total"] > 0).all()


def test_provincial_hbm_is_made_where_memory_is_made(tmp_path: Path) -> None:
    res = ims.run(scenario(tmp_path, "region: Ulsan"), draws=0)
    src = res.sourcing
    build = next(p for p in res.shocks.plans if p.channel == "exports"
                 and p.phase == "construction")
    lo, n = src.block("Ulsan")
    j = list(src.national.sectors).index("310-MEM")
    c = build.categories.index("hbm")
    # in Ulsan at Ulsan's share of national activity in the product, not a buyer's FLQ share
    assert build.bridge[c, lo + j] == pytest.approx(src.production["Ulsan"][j])
    assert build.bridge[c, lo + j] + build.bridge[c, lo + n + j] == pytest.approx(1.0)


def test_an_exports_category_needs_a_stated_share() -> None:
    bad = {
        "name": "x", "version": 1, "title": "x", "kind": "spending",
        "categories": {"hbm": {"share": 1.0, "basis": "assumption", "source": "x",
                               "channel": "exports", "sectors": {"bok-2020": {"310-MEM": 1.0}}}},
    }
    with pytest.raises((ScenarioError, ValueError), match="local_share"):
        from impactsim.scenario.patterns import pattern_from_dict
        pattern_from_dict(bad)


def test_draws_sample_the_korean_share_of_hbm(tmp_path: Path) -> None:
    res = ims.run(scenario(tmp_path), draws=40, seed=1)
    swings = res.sensitivity().swings
    rows = [r for r in swings.index if str(r).endswith("construction local share: hbm")]
    assert len(rows) == 1
    row = swings.loc[rows[0]]
    # sampled inside the stated range [0.70, 0.90]; more Korean HBM, more Korean jobs
    assert 0.70 <= row["low_input"] < row["high_input"] <= 0.90
    assert row["high"] > row["low"]
