"""Generated scenario documents: no exception other than ScenarioError, ever.

Three generators: arbitrary YAML-like data, arbitrary text, and mutations of a valid scenario
(replace, delete or add a value anywhere in it). Documents that validate are also translated
onto the synthetic table, where again only impactsim errors may come out.
"""

from __future__ import annotations

import copy
import math
from typing import Any

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
def test_random_documents_only_raise_scenario_errors(doc: Any) -> None:
    _try(doc)


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
