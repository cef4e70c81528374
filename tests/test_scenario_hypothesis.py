"""Generated scenario documents: no exception other than ScenarioError, ever; and generated
valid scenarios that run and keep the model's identities.

Four generators: arbitrary YAML-like data and arbitrary text (refused with a ScenarioError),
mutations of a valid scenario (replace, delete or add a value anywhere in it; documents that
still validate are run on the synthetic table, where again only impactsim errors may come out),
and valid scenarios built field by field (amounts, periods, profiles, local shares, operations),
which must validate, run, and satisfy direct + indirect + induced = total, non-negative effects
and linearity in the amounts.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import impactsim as ims
from _scenario_support import scenario_dict, synthetic_table
from impactsim.errors import ImpactsimError, ScenarioError

TABLE = synthetic_table()

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "even",
            "s-curve",
            "USD",
            "KRW",
            "exact",
            "uniform",
            "beta",
            "G",
            "E",
            "toy",
            "2025",
            "ai-data-centre-capex",
            "data-centre-operations",
            "spending",
            "output",
            "-1",
            "1e9",
        ]
    )
)
keys = st.text(max_size=10) | st.sampled_from(
    [
        "name",
        "value",
        "range",
        "distribution",
        "share",
        "sectors",
        "period",
        "amount",
        "pattern",
        "categories",
        "low",
        "high",
        "mode",
        "investments",
        "construction",
        "toy",
    ]
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=20,
)


def _try(doc: Any) -> None:
    try:
        sc = ims.Scenario.from_dict(doc)
    except ScenarioError:
        return
    try:
        ims.run(sc, table=TABLE, draws=0)
    except ImpactsimError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_arbitrary_data_is_refused_with_a_scenario_error(doc: Any) -> None:
    _try(doc)


@st.composite
def valid_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario for the synthetic table: one or two investments, each with a
    construction phase (amount, period, profile, local share) and optionally operations."""
    doc = scenario_dict()
    doc.pop("claims")
    base = doc["investments"][0]
    investments = []
    for i in range(draw(st.integers(1, 2))):
        inv = copy.deepcopy(base)
        inv["name"] = f"site-{i}"
        start = draw(st.integers(2025, 2028))
        inv["construction"]["amount"] = {"value": draw(st.floats(1e6, 1e10)),
                                         "qualifier": draw(st.sampled_from(
                                             ["exact", "more-than", "about", "up-to"]))}
        inv["construction"]["period"] = [start, start + draw(st.integers(0, 3))]
        inv["construction"]["profile"] = draw(st.sampled_from(["even", "front-loaded",
                                                               "s-curve"]))
        inv["construction"]["local_share"] = {"services": draw(st.floats(0.0, 1.0))}
        if draw(st.booleans()):
            ops_start = inv["construction"]["period"][1] + 1
            inv["operations"]["annual_amount"] = draw(st.floats(1e5, 1e9))
            inv["operations"]["period"] = [ops_start, ops_start + draw(st.integers(0, 4))]
            inv["operations"]["ramp"] = {ops_start: draw(st.floats(0.1, 1.0))}
            if draw(st.booleans()):
                inv["operations"].pop("direct_jobs")
        else:
            inv.pop("operations")
        investments.append(inv)
    doc["investments"] = investments
    return doc


def _scaled(doc: dict[str, Any], factor: float) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    for inv in out["investments"]:
        inv["construction"]["amount"]["value"] *= factor
        if "operations" in inv and "direct_jobs" not in inv["operations"]:
            inv["operations"]["annual_amount"] *= factor
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_scenarios(), st.floats(0.1, 10.0))
def test_generated_valid_scenarios_run_and_keep_the_identities(
    doc: dict[str, Any], factor: float
) -> None:
    res = ims.run(ims.Scenario.from_dict(doc), table=TABLE, draws=0)
    assert res.phases[0] == "construction"
    for phase in res.phases:
        head = res.headline(phase)
        parts = [e for e in ("direct", "indirect", "induced") if e in head.index]
        np.testing.assert_allclose(head.loc[parts].sum(), head.loc["total"], rtol=1e-9,
                                   atol=1e-9)
        assert (head.loc["total", ["output", "value_added"]] >= 0).all()
    # construction effects are linear in the construction amounts
    scaled = ims.run(ims.Scenario.from_dict(_scaled(doc, factor)), table=TABLE, draws=0)
    np.testing.assert_allclose(scaled.headline("construction").to_numpy(),
                               factor * res.headline("construction").to_numpy(),
                               rtol=1e-9, atol=1e-6)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_random_text_only_raises_scenario_errors(text: str) -> None:
    try:
        ims.Scenario.from_text(text)
    except ScenarioError:
        pass


@settings(max_examples=60, deadline=None)
@given(documents)
def test_dumped_yaml_only_raises_scenario_errors(doc: Any) -> None:
    try:
        text = yaml.safe_dump(doc)
    except (yaml.YAMLError, ValueError):  # e.g. surrogate characters: not a YAML document
        return
    try:
        ims.Scenario.from_text(text)
    except ScenarioError:
        pass


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _mutate(doc: dict[str, Any], path: tuple[Any, ...], action: str, value: Any, key: str) -> Any:
    doc = copy.deepcopy(doc)
    if not path:
        return value if action == "replace" else doc
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last][key] = value
    elif (
        action == "scale"
        and isinstance(parent[last], int | float)
        and not isinstance(parent[last], bool)
    ):
        parent[last] = (
            parent[last] * value if isinstance(value, float) and math.isfinite(value) else -1
        )
    return doc


VALID = scenario_dict()
PATHS = _paths(VALID)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(PATHS),
            st.sampled_from(["replace", "delete", "add", "scale"]),
            documents,
            keys,
        ),
        min_size=1,
        max_size=3,
    )
)
def test_mutated_valid_scenario_only_raises_impactsim_errors(mutations: list[Any]) -> None:
    doc: Any = VALID
    for path, action, value, key in mutations:
        try:
            doc = _mutate(doc, path, action, value, key)
        except (KeyError, IndexError, TypeError):
            continue  # the path no longer exists after an earlier mutation
    _try(doc)


def test_the_unmutated_scenario_is_valid_and_runs() -> None:
    res = ims.run(ims.Scenario.from_dict(VALID), table=TABLE)
    assert res.phases == ("construction", "operations")


KOREA_DOC, _ = __import__("impactsim.scenario.loading", fromlist=["x"]).load_yaml_file(
    __import__("pathlib").Path(__file__).parents[1] / "scenarios" / "korea.yaml"
)
KOREA_PATHS = _paths(KOREA_DOC)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.tuples(
        st.sampled_from(KOREA_PATHS),
        st.sampled_from(["replace", "delete", "add", "scale"]),
        documents,
        keys,
    )
)
def test_mutated_korea_scenario_on_the_korea_table(mutation: Any) -> None:
    path, action, value, key = mutation
    doc = _mutate(KOREA_DOC, path, action, value, key)
    try:
        sc = ims.Scenario.from_dict(doc)
    except ScenarioError:
        return
    try:
        ims.run(sc, draws=0)  # the central case; draws are tested with the uncertainty run
    except ImpactsimError:
        pass
