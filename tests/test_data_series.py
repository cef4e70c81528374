"""ims.datasets.bok_series / bok_economy / employment_path against BOK's published tables.

Reference values are BOK's published coefficients (ECOS 2.2.1.2.3 output, 2.2.1.2.4 import and
2.2.1.2.6 employment inducement, 33 sectors, producers' prices, 2020–2023), read from the
publication as quoted in the source folder's description, and BOK's 2023 release (24 Sep 2025).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _data_support import DATA_DIR, SHARED, requires_shared
from impactsim.datasets import bok_economy, bok_series, employment_path
from impactsim.errors import ImpactsimError

REPO = Path(__file__).resolve().parents[1]
GROUPS = list(dict.fromkeys(bok_series("output")["group"]))


def test_shape_and_columns() -> None:
    frame = bok_series()
    assert len(frame) == 3 * 33 * 4
    assert list(frame.columns[:5]) == ["measure", "group", "year", "value", "unit"]
    assert set(frame["year"]) == {2020, 2021, 2022, 2023}
    cells = bok_series("employment", cells=True)
    assert len(cells) == 33 * 33 * 4 and set(cells["unit"]) == {"persons per KRW bn"}
    assert GROUPS[10] == "C09" and GROUPS[18] == "F" and GROUPS[22] == "J"


@pytest.mark.parametrize(
    ("measure", "group", "values"),
    [
        # BOK's published column sums (source description, examples)
        ("output", "C09", [1.679586, 1.685377, 1.67142, 1.718094]),
        ("output", "F", [1.999645, 2.008003, 2.02924, 2.058378]),
        ("output", "J", [1.653967, 1.662445, 1.709641, 1.678275]),
        ("imports", "C09", [0.360251, 0.371477, 0.420995, 0.42837]),
        ("employment", "C09", [3.929743, 3.47676, 3.242421, 3.622213]),
    ],
)
def test_published_column_sums(measure: str, group: str, values: list[float]) -> None:
    frame = bok_series(measure).query("group == @group").sort_values("year")
    np.testing.assert_allclose(frame["value"], values, atol=5e-7)


def test_column_sums_are_the_sum_of_the_cells() -> None:
    """BOK's identity 열합 = Σ rows, within the 6-decimal rounding of 33 cells."""
    cells = bok_series(cells=True)
    summed = cells.groupby(["measure", "group", "year"])["value"].sum()
    col = bok_series().set_index(["measure", "group", "year"])["value"]
    assert np.abs(summed.reindex(col.index) - col).max() < 33 * 5e-7


def test_value_added_identity_against_the_2023_release() -> None:
    """BOK 2023: value added + imports = 1 per unit of domestic final demand (0.752 + 0.248)."""
    eco = bok_economy().query("year == 2023").set_index("measure")["value"]
    assert eco["value_added"] + eco["imports"] == pytest.approx(1.0)
    assert eco["employment"] == 8.2 and eco["output"] == 1.827
    assert bok_economy()["source"].str.contains("Bank of Korea").all()


def test_employment_path_observed_years_are_bok_ratios() -> None:
    path = employment_path("C09", years=range(2020, 2024)).set_index("year")
    expected = np.array([3.929743, 3.47676, 3.242421, 3.622213]) / 3.929743
    np.testing.assert_allclose(path["factor"], expected, rtol=1e-12)
    assert (path["low"] == path["factor"]).all() and (path["high"] == path["factor"]).all()
    assert set(path["basis"]) == {"observed"}


def test_employment_path_rules_by_hand() -> None:
    """Hand calculation for construction (F): ln f on the year, least squares, 2020–2023."""
    e = np.array([10.581535, 9.945799, 9.223687, 9.157025])
    f = e / e[0]
    t = np.array([2020.0, 2021.0, 2022.0, 2023.0])
    tc = t - t.mean()
    b = (tc * np.log(f)).sum() / (tc**2).sum()
    trend_2030 = f[-1] * np.exp(7 * b)
    out = {
        r: employment_path("F", years=[2030], rule=r).iloc[0] for r in ("trend", "hold", "midpoint")
    }
    assert out["trend"]["factor"] == pytest.approx(trend_2030, rel=1e-10)
    assert out["hold"]["factor"] == pytest.approx(f[-1], rel=1e-12)
    assert out["midpoint"]["factor"] == pytest.approx(np.sqrt(trend_2030 * f[-1]), rel=1e-10)
    resid = np.log(f) - (np.log(f).mean() + b * tc)
    s = np.sqrt((resid**2).sum() / 2)
    assert out["hold"]["low"] == pytest.approx(min(trend_2030, f[-1]) * np.exp(-s), rel=1e-10)
    assert out["hold"]["high"] == pytest.approx(max(trend_2030, f[-1]) * np.exp(s), rel=1e-10)


def test_prices_move_observed_ratios_to_2020_prices() -> None:
    nominal = employment_path("J", years=[2023]).iloc[0]["factor"]
    real = employment_path("J", years=[2023], prices={2023: 1.1}).iloc[0]["factor"]
    assert real == pytest.approx(1.1 * nominal, rel=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    groups=st.lists(st.sampled_from(GROUPS), min_size=1, max_size=4, unique=True),
    years=st.lists(st.integers(2020, 2060), min_size=1, max_size=6, unique=True),
    rule=st.sampled_from(["trend", "hold", "midpoint"]),
)
def test_employment_path_properties(groups, years, rule) -> None:
    path = employment_path(groups, years=years, rule=rule)
    assert list(path.columns) == ["group", "year", "factor", "low", "high", "basis"]
    assert len(path) == len(groups) * len(years)
    assert (path["factor"] > 0).all()
    assert (path["low"] <= path["factor"] * (1 + 1e-12)).all()
    assert (path["factor"] <= path["high"] * (1 + 1e-12)).all()
    assert (path.loc[path["year"] == 2020, "factor"] == 1.0).all()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"groups": "XX"},
        {"groups": ["C09", "nope"]},
        {"years": [2019, 2025]},
        {"years": []},
        {"rule": "linear"},
        {"prices": {2023: -1.0}},
    ],
)
def test_bad_input_is_an_impactsim_error(kwargs) -> None:
    with pytest.raises(ImpactsimError) as info:
        employment_path(**kwargs)
    assert "fix" in str(info.value) or "must" in str(info.value)


def test_bad_measure() -> None:
    with pytest.raises(ImpactsimError, match="measure"):
        bok_series("jobs")


@requires_shared
@pytest.mark.shared
def test_rebuild_reproduces_the_committed_series(tmp_path: Path) -> None:
    scripts = REPO / "scripts"
    sys.path.insert(0, str(scripts))
    spec = importlib.util.spec_from_file_location(
        "build_bok_series", scripts / "build_bok_series.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_bok_series"] = module
    spec.loader.exec_module(module)
    files = module.build(SHARED / "bok-2020-2023-33-coefficients", tmp_path)
    for rel in files:
        assert (tmp_path / rel).read_bytes() == (DATA_DIR / "bok-series" / rel).read_bytes(), rel
