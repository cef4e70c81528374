"""What ``impactsim validate`` says of a valid scenario: plain data, no table rendering.

Kept apart from :mod:`impactsim.present.terminal` so that validating a file imports neither the
model nor the rendering stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..scenario.schema import Scenario
    from ..scenario.shocks import Shocks


def describe_scenario(scenario: Scenario, shocks: Shocks) -> dict[str, Any]:
    """What ``impactsim validate`` says of a valid scenario (plain data, one line in
    ``description``): investments, table, claims and the domestic shock total."""
    total = shocks.total()
    desc = (f"{scenario.name}: {len(scenario.investments)} investment(s), table "
            f"{shocks.table.name}, {len(scenario.claims)} claim(s), domestic shocks "
            f"{total:,.0f} table units")
    return {"name": scenario.name, "table": str(shocks.table.name),
            "investments": len(scenario.investments), "claims": len(scenario.claims),
            "domestic_shock_total": total, "description": desc}
