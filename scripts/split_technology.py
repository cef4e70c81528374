"""Prior cost structures of the split sectors (memory / non-memory chips, data centres / other
information services), shared by build_korea_table.py (2020) and build_korea_2023_table.py.

Each figure below is cited with its original publisher and tagged [OFF] official, [IND] industry
or [DER] derived here (docs/sources.md#split-technology). A prior is turned into a factor on the
parent's coefficient (``{"relative": f}``) for the part it describes; the sibling part gets the
complementary factor, ``f_other = (1 − w f) / (1 − w)`` (floored at :data:`FLOOR`), so that the
priors already respect the parent's purchases and RAS (impactsim.tables._balanced_split) only
has to close the columns. Where no figure was found the prior is the parent's coefficient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Smallest factor a complementary prior may take (a part keeps a little of every input).
FLOOR = 0.05

# ------------------------------------------------------------------------------ the figures
#: SK hynix (memory only), 2020 annual business report filed with DART (사업보고서, K-IFRS
#: consolidated); employees and average pay as reported from the same filing by BusinessPost
#: (22 Mar 2021). [OFF: audited company filing]
SKHYNIX_2020 = {
    "revenue_bn": 31_900.418,
    "operating_profit_bn": 5_012.624,
    "employees": 29_008,
    "average_pay_mn": 93.58,
    "capex_bn": 9_890.0,
}
#: DB HiTek (foundry: analogue, power, display-driver and sensor chips), 2020 results as
#: disclosed by the company (reported by NewDaily, 26 Jan 2022). [OFF: company disclosure]
DBHITEK_2020 = {"revenue_bn": 935.9, "operating_profit_bn": 239.4}
#: BOK 2020 product 310 compensation / output (the parent; docs/sources.md#bok-io-2020). [OFF]
BOK310_COMPENSATION_2020 = 0.0922

#: Memory's wage bill per unit of sales relative to the parent's compensation share:
#: 29,008 × 93.58 mn KRW / 31,900.4 bn KRW = 8.51 % of revenue vs 9.22 % → 0.92. [DER]
MEM_COMPENSATION = round(
    SKHYNIX_2020["employees"] * SKHYNIX_2020["average_pay_mn"] / 1e3
    / SKHYNIX_2020["revenue_bn"] / BOK310_COMPENSATION_2020, 2
)
#: Memory's operating margin relative to non-memory's, 2020: 15.7 % (SK hynix) / 25.6 %
#: (DB HiTek) = 0.61. [DER] One year of a cyclical industry: hence the wide draws.
MEM_OVER_NMEM_SURPLUS = round(
    (SKHYNIX_2020["operating_profit_bn"] / SKHYNIX_2020["revenue_bn"])
    / (DBHITEK_2020["operating_profit_bn"] / DBHITEK_2020["revenue_bn"]), 2
)

#: Data centres. Electricity: power ≈ 25 % of a colocation provider's revenue (CoreSite, as
#: reported by D. Gross, datacenterstocks.com, 2010) [IND]; energy ≈ 2/3 of the running cost of
#: a 1 GW AI data centre (Epoch AI, 2026) [IND]; prior 20 % of output [DER]. BOK's whole product
#: 610 buys electricity worth only 0.44 % of its output, so the balanced split gives data
#: centres nearly all of it (RAS keeps the parent's total).
DC_ELECTRICITY = 0.20
#: Staff: ≈ 50 permanent staff at a 250,000 sq ft data centre (Virginia JLARC, 2024) [OFF];
#: staff and maintenance ≈ 3.5 % of an AI data centre's annualised cost (Epoch AI: opex 0.9 bn
#: USD / GW / yr, of which energy 0.6, TCO 8.5 mn USD / MW / yr) [IND]; prior compensation 8 %
#: of output [DER] against BOK 610's 20.6 % → factor 0.39 on compensation and on persons.
DC_COMPENSATION = 0.08
#: Capital: servers ≈ 60 % of the annualised cost of an AI data centre, facility life 14 years,
#: IT 5 years (Epoch AI) [IND]; prior depreciation 25 % of output [DER] (BOK 610: 9.4 %).
DC_DEPRECIATION = 0.25
#: Network: transit and interconnection bought from telecom operators; Equinix earns ≈ 20 % of
#: its North-American revenue from interconnection (datacenterstocks.com, 2010) [IND]; prior
#: 5 % of output [DER] (BOK 610 buys 1.75 % from telecoms).
DC_NETWORK = 0.05
#: Content: data centres and hosting buy no broadcasting programmes, films, publishing or
#: advertising — those inputs of product 610 are portals' (by the activity definition, KSIC
#: 63111 vs 63120) [DER]: factor 0.1.
DC_CONTENT = 0.1

#: Spread of the split technology in the draws: the parts' coefficients are
#: ``ā + λ (a_k − ā)`` with ``λ`` triangular (0.5, 1, 1.5) — λ = 0 is the parent's technology,
#: 1 the balanced split, 1.5 half as much difference again — one λ per split, so each part's
#: whole column moves together (cut at the largest λ that keeps every coefficient ≥ 0). [DER]
UNCERTAINTY = {
    "distribution": "triangular",
    "low": 0.5,
    "mode": 1.0,
    "high": 1.5,
    "basis": (
        "λ scales the difference between the parts' balanced technology and the parent's "
        "(0 = parent technology, 1 = this split); 0.5-1.5 because each prior rests on one or "
        "two company or industry figures for a single year [DER]"
    ),
}

SOURCES = (
    "SK hynix 2020 annual business report (DART): revenue 31,900.4 bn KRW, operating profit "
    "5,012.6 bn, 29,008 employees, average pay 93.58 mn KRW [OFF]; DB HiTek 2020 results: "
    "revenue 935.9 bn KRW, operating profit 239.4 bn [OFF]; Epoch AI (2026) 1 GW AI data-centre "
    "cost model [IND]; Virginia JLARC, Data Centers in Virginia (2024) [OFF]; CoreSite and "
    "Equinix revenue shares as reported by datacenterstocks.com (2010) [IND]; priors derived "
    "here [DER] (docs/sources.md#split-technology)"
)


def parent_coefficient(table: Any, parent: str, key: str) -> float:
    """The parent's coefficient on one input: a product (domestic + imported), a value-added
    component or a satellite, per unit of the parent's output."""
    j = table.sector_position(parent)
    x = float(table.x[j])
    if key in table.sats:
        return float(table.sats[key][j]) / x
    if key in table.value_added_components:
        return float(table.va[list(table.value_added_components).index(key), j]) / x
    i = table.sector_position(key)
    return float(table.z_domestic[i, j] + table.z_imported[i, j]) / x


def _factors(
    table: Any, parent: str, w: float, given: dict[str, tuple[str, float]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Priors of the part described (share ``w``) and its sibling, as relative factors.

    ``given`` = {input: ("relative", f) or ("coefficient", c)}."""
    part: dict[str, Any] = {}
    other: dict[str, Any] = {}
    for key, (kind, val) in given.items():
        base = parent_coefficient(table, parent, key)
        f = val if kind == "relative" else (val / base if base > 0 else 1.0)
        f_other = max((1.0 - w * f) / (1.0 - w), FLOOR)
        part[key] = {"relative": float(np.round(f, 4))}
        other[key] = {"relative": float(np.round(f_other, 4))}
    return part, other


def memory_priors(
    table: Any, parent: str, w_mem: float
) -> dict[str, dict[str, Any]]:
    """Priors of the memory / non-memory split (labels ``<parent>-MEM`` / ``<parent>-NMEM``)."""
    # surplus: m / n = r with w m + (1 − w) n = 1  →  n = 1 / (w r + 1 − w), m = r n
    r = MEM_OVER_NMEM_SURPLUS
    n = 1.0 / (w_mem * r + 1.0 - w_mem)
    given = {
        "compensation": ("relative", MEM_COMPENSATION),
        "employment": ("relative", MEM_COMPENSATION),
        "operating_surplus": ("relative", r * n),
    }
    if "employees" in table.sats:
        given["employees"] = ("relative", MEM_COMPENSATION)
    mem, nmem = _factors(table, parent, w_mem, given)
    return {f"{parent}-MEM": mem, f"{parent}-NMEM": nmem}


def datacentre_priors(
    table: Any, parent: str, w_dc: float, codes: dict[str, list[str]]
) -> dict[str, dict[str, Any]]:
    """Priors of the data-centre / other split; ``codes`` names the table's products for
    ``electricity``, ``network`` and ``content``."""
    comp = DC_COMPENSATION / parent_coefficient(table, parent, "compensation")
    given: dict[str, tuple[str, float]] = {
        "compensation": ("relative", comp),
        "employment": ("relative", comp),
        "depreciation": ("coefficient", DC_DEPRECIATION),
    }
    if "employees" in table.sats:
        given["employees"] = ("relative", comp)
    (elec,) = codes["electricity"]
    given[elec] = ("coefficient", DC_ELECTRICITY)
    (net,) = codes["network"]
    given[net] = ("coefficient", DC_NETWORK)
    for c in codes["content"]:
        given[c] = ("relative", DC_CONTENT)
    dc, oth = _factors(table, parent, w_dc, given)
    return {f"{parent}-DC": dc, f"{parent}-OTH": oth}


def technology(priors: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The ``technology`` block of a split in the splits file."""
    return {
        "method": (
            "RAS-balanced to the parent from prior cost structures (impactsim.tables."
            "_balanced_split): every input, value-added component, import and satellite of the "
            "parts sums to the parent's; each part's inputs sum to its output"
        ),
        "priors": priors,
        "uncertainty": UNCERTAINTY,
        "sources": SOURCES,
    }
