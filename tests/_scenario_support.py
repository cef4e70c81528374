"""Small synthetic tables and scenario documents for the scenario tests (built by hand)."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

import impactsim as ims

#: Sectors of the synthetic table: goods partly imported (G), equipment (E), construction (C),
#: services (S).
SECTORS = ["G", "E", "C", "S"]


def synthetic_table(*, region: str = "KOR", currency: str = "KRW") -> ims.IOTable:
    """A 4-sector table with an imported-flow matrix, made up by hand (all integers).

    Domestic and imported flows and final demand are given; output is the domestic row sum and
    value added the column residual (all positive), so both balances hold exactly.
    """
    z_dom = np.array([[10, 20, 5, 5], [5, 10, 10, 5], [2, 2, 2, 4], [10, 10, 10, 20]], dtype=float)
    z_imp = np.array([[5, 10, 2, 1], [2, 5, 5, 1], [0, 0, 0, 0], [1, 1, 1, 2]], dtype=float)
    # categories: households, gfcf_private, exports
    y_dom = np.array([[30, 0, 20], [5, 20, 30], [0, 60, 0], [50, 5, 10]], dtype=float)
    # E has 60 imported gfcf (domestic share 20/80 = 0.25); G none bought as gfcf
    y_imp = np.array([[10, 0, 0], [5, 60, 0], [0, 0, 0], [5, 0, 0]], dtype=float)
    x = z_dom.sum(axis=1) + y_dom.sum(axis=1)
    va_total = x - z_dom.sum(axis=0) - z_imp.sum(axis=0)
    comp = np.round(0.6 * va_total)
    va = np.vstack([comp, va_total - comp])
    return ims.IOTable.from_arrays(
        z_dom + z_imp,
        y_dom + y_imp,
        va,
        sectors=SECTORS,
        final_demand_categories=["households", "gfcf_private", "exports"],
        value_added_components=["compensation", "operating_surplus"],
        imports=z_imp,
        final_demand_imports=y_imp,
        employment=np.array([4.0, 3.0, 6.0, 8.0]),
        name="synthetic",
        region=region,
        currency=currency,
        unit=1e6,
        year=2020,
        price_year=2020,
    )


def miller_blair_table() -> ims.IOTable:
    """Miller & Blair (2009), section 2.3 two-sector example: Z = [[150, 500], [200, 100]],
    f = (350, 1700), x = (1000, 2000); no imports. A = [[.15, .25], [.20, .05]] and
    L = [[1.2541, 0.3300], [0.2640, 1.1221]] (M&B eq. 2.13-2.14)."""
    return ims.IOTable.from_arrays(
        np.array([[150.0, 500.0], [200.0, 100.0]]),
        np.array([[350.0], [1700.0]]),
        np.array([[650.0, 1400.0]]),
        sectors=["1", "2"],
        final_demand_categories=["gfcf_private"],
        value_added_components=["value_added"],
        employment=np.array([10.0, 40.0]),
        name="miller-blair",
        currency="USD",
        unit=1.0,
    )


def inline_pattern(**overrides: Any) -> dict[str, Any]:
    """A spending pattern on the synthetic table's sectors (classification 'toy')."""
    pat: dict[str, Any] = {
        "name": "toy-capex",
        "version": 1,
        "title": "Toy capex",
        "kind": "spending",
        "demand": "gfcf_private",
        "categories": {
            "equipment": {
                "share": 0.5,
                "basis": "assumption",
                "source": "test",
                "sectors": {"toy": {"E": 0.8, "G": 0.2}},
            },
            "building": {
                "share": 0.3,
                "basis": "assumption",
                "source": "test",
                "sectors": {"toy": {"C": 1.0}},
            },
            "services": {
                "share": 0.15,
                "basis": "assumption",
                "source": "test",
                "sectors": {"toy": {"S": 1.0}},
            },
            "land": {"share": 0.05, "basis": "assumption", "source": "test", "excluded": "land"},
        },
    }
    pat.update(overrides)
    return pat


def scenario_dict(**overrides: Any) -> dict[str, Any]:
    """A valid scenario for the synthetic table (inline pattern, USD 2025 money)."""
    doc: dict[str, Any] = {
        "name": "toy",
        "title": "Toy scenario",
        "table": "synthetic",
        "currency": "USD",
        "price_year": 2025,
        "investments": [
            {
                "name": "plant",
                "investor": "Someone",
                "construction": {
                    "amount": {"value": 1.0e8, "qualifier": "more-than"},
                    "period": [2025, 2027],
                    "profile": "front-loaded",
                    "pattern": inline_pattern(),
                    "local_share": {"services": 0.9},
                },
                "operations": {
                    "annual_amount": 2.0e7,
                    "period": [2028, 2030],
                    "ramp": {2028: 0.5},
                    "pattern": {
                        "name": "toy-ops",
                        "version": 1,
                        "title": "Toy operations",
                        "kind": "output",
                        "categories": {
                            "site": {
                                "share": 1.0,
                                "basis": "assumption",
                                "source": "test",
                                "sectors": {"toy": {"S": 1.0}},
                            }
                        },
                    },
                    "direct_jobs": 7,
                },
            }
        ],
        "claims": [
            {
                "id": "jobs",
                "text": "many jobs",
                "measure": "employment",
                "low": 10,
                "high": 100,
                "unit": "jobs",
                "source": "test",
            }
        ],
    }
    doc.update(overrides)
    return copy.deepcopy(doc)
