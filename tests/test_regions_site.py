"""On a provincial run the site's own activity stays in the investing province.

Property (hypothesis, korea-2020, random provinces, staffing and amounts): the direct jobs of
the site's own category (``site: true``, the data centre's staff) are all in the province and
equal the stated ``direct_jobs`` × the year's weight × the province's share of the investment;
none are in the rest of Korea. Household and government final demand is sourced by the
supply–demand pool share ``min(SLQ, 1)``, never below the FLQ purchase coefficient."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.regional import PROVINCES
from impactsim.scenario.sourcing import two_region_sourcing

DOC = """\
schema_version: 1
name: site
title: test
table: korea-2020
currency: KRW
price_year: 2020
investments:
  - name: site
    investor: test
    {where}
    construction:
      amount: 1.0e+12
      period: [2021, 2021]
      pattern: ai-data-centre-capex
    operations:
      annual_amount: {opex}
      period: [2022, 2024]
      ramp: {{2022: 0.5}}
      pattern: data-centre-operations
      direct_jobs: {jobs}
"""


@pytest.fixture(scope="module")
def table() -> ims.IOTable:
    return ims.load_table("korea-2020")


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    provinces=st.lists(st.sampled_from(PROVINCES), min_size=1, max_size=2, unique=True),
    jobs=st.floats(1.0, 2000.0),
    opex=st.floats(1e9, 1e12),
)
def test_provincial_site_jobs_are_all_in_the_province(
    tmp_path: Path, table: ims.IOTable, provinces, jobs, opex
) -> None:
    share = 1.0 / len(provinces)
    where = "regions: {" + ", ".join(f"{p}: {share}" for p in provinces) + "}"
    path = tmp_path / "site.yaml"
    path.write_text(DOC.format(where=where, opex=opex, jobs=jobs), encoding="utf-8")
    res = ims.run(path, draws=0, table=table)
    src = res.sourcing
    k = res.measures.index("employment")
    j = list(src.national.sectors).index("741")  # facility operation services: the site staff
    for plan, cols in zip(res.shocks.plans, res.shocks.plan_columns, strict=True):
        if plan.phase != "operations" or plan.direct_jobs is None:
            continue
        lo, n = src.block(plan.region)
        for col, w in zip(cols, plan.weights, strict=True):
            direct = res.values[col, 0, k]
            assert direct[lo + n + j] == pytest.approx(0.0, abs=1e-9)  # none in the rest
            assert direct[lo + j] == pytest.approx(jobs * share * w, rel=1e-9)


def test_final_demand_is_sourced_by_the_supply_demand_pool(table: ims.IOTable) -> None:
    src = two_region_sourcing(table, ("Ulsan",))
    pool, flq = src.final["Ulsan"], src.purchase["Ulsan"]
    assert (pool >= flq - 1e-12).all() and (pool <= 1.0).all()
    # restaurants and bars (BOK 581, KSIC I): the FLQ share of a buyer in Ulsan is 0.35
    # (SLQ_I × λ* 0.35); Ulsan's own households buy nearly all their meals in Ulsan
    j = list(table.sectors).index("581")
    assert flq[j] < 0.5 < pool[j]
    # the two-region table's households buy h_c ∘ π in their own region, the rest outside
    two = src.table
    cats = list(two.final_demand_categories)
    h = two.y_domestic[:, cats.index(("Ulsan", "households"))]
    n = table.n
    assert h[j] / (h[j] + h[n + j]) == pytest.approx(pool[j], rel=1e-9)
