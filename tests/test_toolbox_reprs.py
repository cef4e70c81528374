"""Notebook reprs: one number format, short summaries (ScenarioResult, IOTable, Scenario)."""

from __future__ import annotations

import re

import impactsim as ims
from _scenario_support import scenario_dict, synthetic_table


def test_result_repr_has_one_number_format() -> None:
    result = ims.run(ims.Scenario.from_dict(scenario_dict()), table=synthetic_table(), draws=0)
    for text in (repr(result), result._repr_html_()):
        assert not re.search(r"\de[+-]\d", text)  # no scientific notation next to 6,311
    total = result.headline("construction").loc["total", "output"]
    assert f"{total:,.0f}" in repr(result)


def test_table_repr_is_short() -> None:
    world = ims.load_table("wiod-2011")
    n = len(world.final_demand_categories)
    text = repr(world)
    assert len(text) < 500 and f"(+{n - 6} more)" in text
    html = world._repr_html_()
    assert "1,413" in html and "basic prices" in html and len(html) < 2000


def test_scenario_repr_is_one_line() -> None:
    sc = ims.Scenario.from_yaml("scenarios/korea.yaml")
    text = repr(sc)
    assert "\n" not in text and len(text) < 200
    assert text.startswith("Scenario('korea', table='korea-2020', money=USD 2025")
    assert str(sc) == text
    assert "<li>aws-incheon-gyeonggi: construction, operations</li>" in sc._repr_html_()
