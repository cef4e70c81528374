"""Test support for the CLI / report / claims tests: a tiny table with hand-checkable numbers and
a stand-in for ScenarioResult built from the engine's :class:`Impact` per phase and year.

The table is Miller & Blair (2009) §2.3's two-sector example: Z = [[150, 500], [200, 100]],
x = [1000, 2000], so A = [[0.15, 0.25], [0.20, 0.05]], det(I − A) = 0.7575 and
L = [[0.95, 0.25], [0.20, 0.85]] / 0.7575. Value added splits into compensation [300, 500] and
operating surplus [350, 900]; employment is [10, 40] persons.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import impactsim as ims

DET = 0.85 * 0.95 - 0.25 * 0.20  # 0.7575
L_HAND = np.array([[0.95, 0.25], [0.20, 0.85]]) / DET


def mb_table(name: str = "mb-2sector") -> ims.IOTable:
    """Miller & Blair's two-sector table with labour income and jobs (money in million USD)."""
    return ims.IOTable.from_arrays(
        [[150.0, 500.0], [200.0, 100.0]],
        [[200.0, 150.0], [1000.0, 700.0]],
        [[300.0, 500.0], [350.0, 900.0]],
        sectors=["AGR", "MAN"],
        final_demand_categories=["households", "exports"],
        value_added_components=["compensation", "operating_surplus"],
        employment=[10.0, 40.0],
        name=name,
        region="XMB",
        currency="USD",
        unit=1e6,
        year=2009,
        price_basis="basic prices",
        employment_unit="persons",
        sector_info=pd.DataFrame({"name_en": ["Agriculture", "Manufacturing"]}),
    )


def _pattern(name: str, kind: str, sector: str) -> dict[str, Any]:
    pat: dict[str, Any] = {
        "name": name, "version": 1, "title": name, "kind": kind,
        "categories": {"all": {"share": 1.0, "basis": "assumption", "source": "test",
                               "local_share": 1.0, "sectors": {"mb": {sector: 1.0}}}},
    }
    if kind == "spending":
        pat["demand"] = "households"
    return pat


def fake_result(
    *, induced: bool = True, claims: list[Any] | None = None, table: ims.IOTable | None = None,
    other_investment: bool = False,
) -> ims.ScenarioResult:
    """A real ScenarioResult on Miller & Blair's table with hand-checkable demand: construction
    2026–2027 (100 + 200 of MAN demand), operations 2028–2029 (AGR 25 then 50 a year).

    Money is stated in the table's currency and price year (USD 2009 by default), so the
    amounts in table units (millions) are the stated amounts / 1e6 and every local share is 1. With
    ``other_investment`` a second investment ("other", AGR 100 in 2026) is added.
    """
    table = table or mb_table()
    doc: dict[str, Any] = {
        "name": "test",
        "title": "Test scenario",
        "table": "mb-2sector",
        "region": table.meta.region,
        "currency": table.meta.currency,
        "price_year": table.meta.price_year,
        "investments": [{
            "name": "inv",
            "investor": "Someone",
            "construction": {
                "amount": 300e6, "period": [2026, 2027], "profile": {2026: 1 / 3, 2027: 2 / 3},
                "pattern": _pattern("mb-works", "spending", "MAN"),
            },
            "operations": {
                "annual_amount": 50e6, "period": [2028, 2029], "ramp": {2028: 0.5},
                "pattern": _pattern("mb-ops", "output", "AGR"),
            },
        }],
        "claims": claims or [],
    }
    if other_investment:
        doc["investments"].append({
            "name": "other", "investor": "Someone else",
            "construction": {"amount": 100e6, "period": [2026, 2026],
                             "pattern": _pattern("mb-other", "spending", "AGR")},
        })
    return ims.run(ims.Scenario.from_dict(doc), table=table, induced=induced, draws=0)
