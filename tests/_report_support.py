"""Test support for the CLI / report / claims tests: a tiny table with hand-checkable numbers and
a stand-in for ScenarioResult built from the engine's :class:`Impact` per phase and year.

The table is Miller & Blair (2009) §2.3's two-sector example: Z = [[150, 500], [200, 100]],
x = [1000, 2000], so A = [[0.15, 0.25], [0.20, 0.05]], det(I − A) = 0.7575 and
L = [[0.95, 0.25], [0.20, 0.85]] / 0.7575. Value added splits into compensation [300, 500] and
operating surplus [350, 900]; employment is [10, 40] persons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
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


@dataclass(frozen=True, eq=False)
class FakeResult:
    """ScenarioResult stand-in (contract of CONTRACTS.md): per (phase, year) demand vectors.

    summary(phase): construction = sum over its years; operations = the last (full) year.
    """

    table_obj: ims.IOTable
    demand: dict[tuple[str, int], dict[str, float]]
    induced: bool = True
    scenario: Any = field(
        default_factory=lambda: SimpleNamespace(name="test", title="Test scenario", claims=[])
    )
    draws: int | None = None

    @property
    def table(self) -> ims.TableMeta:
        return self.table_obj.meta

    @property
    def sector_info(self) -> pd.DataFrame | None:
        return self.table_obj.sector_info

    def _impacts(self) -> dict[tuple[str, int], ims.Impact]:
        model = ims.LeontiefModel(self.table_obj)
        return {k: model.impact(v, induced=self.induced) for k, v in self.demand.items()}

    def to_frame(self) -> pd.DataFrame:
        parts = []
        for (phase, year), imp in self._impacts().items():
            f = imp.to_frame()
            f.insert(0, "investment", "inv")
            f.insert(1, "phase", phase)
            f.insert(2, "year", year)
            f.insert(3, "region", self.table.region)
            parts.append(f)
        return pd.concat(parts, ignore_index=True)

    def _phase_impacts(self, phase: str) -> list[ims.Impact]:
        items = sorted((k, v) for k, v in self._impacts().items() if k[0] == phase)
        if phase == "operations":
            return [items[-1][1]]
        return [v for _, v in items]

    def summary(self, phase: str | None = None) -> pd.DataFrame:
        phases = [phase] if phase else sorted({p for p, _ in self.demand})
        parts = {}
        for ph in phases:
            frames = [imp.summary() for imp in self._phase_impacts(ph)]
            total = sum(frames[1:], frames[0])
            parts[ph] = total
        out = pd.concat(parts, names=["phase", "effect"])
        out.attrs["units"] = dict(self._phase_impacts(phases[0])[0].units)
        return out

    def by_sector(self, measure: str = "employment", phase: str = "construction") -> pd.DataFrame:
        frames = [imp.by_sector(measure) for imp in self._phase_impacts(phase)]
        total = frames[0]
        for f in frames[1:]:
            total = total.add(f, fill_value=0.0)
        return total.sort_values("total", ascending=False)

    def by_year(self, measure: str = "employment", phase: str = "construction") -> pd.DataFrame:
        rows = {y: imp.summary()[measure] for (p, y), imp in self._impacts().items() if p == phase}
        return pd.DataFrame(rows).T


def fake_result(
    *, induced: bool = True, claims: list[Any] | None = None, table: ims.IOTable | None = None
) -> FakeResult:
    """Construction 2026–2027 (100 + 200 of MAN demand), operations 2028–2029 (AGR 50/year)."""
    demand = {
        ("construction", 2026): {"MAN": 100.0},
        ("construction", 2027): {"MAN": 200.0},
        ("operations", 2028): {"AGR": 25.0},
        ("operations", 2029): {"AGR": 50.0},
    }
    sc = SimpleNamespace(name="test", title="Test scenario", claims=claims or [])
    return FakeResult(table or mb_table(), demand, induced=induced, scenario=sc)
