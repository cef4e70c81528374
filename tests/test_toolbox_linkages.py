"""Linkage indices: a hand calculation on Miller & Blair's two-sector table and the Bank of
Korea's published 2020–2023 33-sector 영향력계수 / 감응도계수 (power / sensitivity of
dispersion)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import impactsim as ims
from _data_support import io_tables
from _scenario_support import miller_blair_table
from impactsim.datasets import aggregate
from impactsim.engine.linkages import dispersion_indices

#: BOK's published 33-sector 영향력계수 / 감응도계수 (tests/data/README.md: source, licence).
DISPERSION = Path(__file__).parent / "data" / "bok-33-dispersion.csv"


def test_miller_blair_by_hand() -> None:
    # A = [[.15, .25], [.20, .05]]; det(I − A) = .85·.95 − .25·.20 = .7575
    # L = [[.95, .25], [.20, .85]] / .7575
    det = 0.85 * 0.95 - 0.25 * 0.20
    inv = np.array([[0.95, 0.25], [0.20, 0.85]]) / det
    col = inv.sum(axis=0)  # (1.15, 1.10) / det
    row = inv.sum(axis=1)  # (1.20, 1.05) / det
    frame = ims.linkages(ims.LeontiefModel(miller_blair_table()))
    assert frame["backward"].to_numpy() == pytest.approx(col, rel=1e-12)
    assert frame["forward"].to_numpy() == pytest.approx(row, rel=1e-12)
    assert frame["power_of_dispersion"].to_numpy() == pytest.approx(
        [1.15 / 1.125, 1.10 / 1.125], rel=1e-12)
    assert frame["sensitivity_of_dispersion"].to_numpy() == pytest.approx(
        [1.20 / 1.125, 1.05 / 1.125], rel=1e-12)
    # Ghosh: G = x̂⁻¹ L x̂, x = (1000, 2000): row sums (L x)_i / x_i
    x = np.array([1000.0, 2000.0])
    assert frame["forward_ghosh"].to_numpy() == pytest.approx(inv @ x / x, rel=1e-12)
    assert list(frame["key_sector"]) == [True, False]
    assert "영향력계수" in frame.attrs["units"]["power_of_dispersion"]


def test_linkages_accepts_a_table() -> None:
    pd.testing.assert_frame_equal(ims.linkages(miller_blair_table()),
                                  ims.linkages(ims.LeontiefModel(miller_blair_table())))


@settings(max_examples=30, deadline=None)
@given(io_tables(multiindex=False))
def test_indices_average_one(table: ims.IOTable) -> None:
    frame = ims.linkages(table)
    assert frame["power_of_dispersion"].mean() == pytest.approx(1.0, rel=1e-12)
    assert frame["sensitivity_of_dispersion"].mean() == pytest.approx(1.0, rel=1e-12)
    # Σ backward = Σ forward = 1'L1
    assert frame["backward"].sum() == pytest.approx(frame["forward"].sum(), rel=1e-10)
    # backward = Type I output multiplier
    mult = ims.LeontiefModel(table).multipliers()["output"]
    assert frame["backward"].to_numpy() == pytest.approx(mult.to_numpy(), rel=1e-10)


def _published(index: str, year: str) -> pd.Series:
    """BOK's published index by Korean sector name (spaces removed: spacing differs)."""
    data = pd.read_csv(DISPERSION)
    part = data[data["index"] == index]
    return pd.Series(part[year].to_numpy(), index=part["sector"].str.replace(" ", ""))


@pytest.mark.parametrize("year", ["2020", "2021", "2022", "2023"])
def test_bok_indices_from_bok_inverse(year: str) -> None:
    """BOK's own 33 × 33 output-inducement (Leontief inverse, bundled with the package) →
    its published indices."""
    cells = ims.datasets.bok_series("output", cells=True)
    cells = cells[cells["year"] == int(year)]
    groups = list(dict.fromkeys(cells["group"]))
    assert len(groups) == 33
    inv = cells.pivot(index="induced_group", columns="group", values="value").loc[groups, groups]
    _, _, power, sens = dispersion_indices(inv.to_numpy())
    names = (cells.drop_duplicates("group").set_index("group")["group_name_ko"]
             .loc[groups].str.replace(" ", ""))
    published_power = _published("power_of_dispersion", year).loc[names].to_numpy()
    published_sens = _published("sensitivity_of_dispersion", year).loc[names].to_numpy()
    # published to 6 decimals; sums of 33 rounded cells → a few 1e-6
    assert power == pytest.approx(published_power, abs=5e-6)
    assert sens == pytest.approx(published_sens, abs=5e-6)


def test_bok_2020_indices_from_the_bundled_table() -> None:
    """The bundled 165-product BOK 2020 table aggregated to BOK's 33 sectors reproduces BOK's
    published 2020 영향력계수 and 감응도계수; 감응도계수 is the Leontief-row index (the Ghosh
    row-sum index differs), as BOK documents."""
    table = aggregate(ims.load_table("korea-2020-165"), "bok33")
    frame = ims.linkages(table)
    names = [s.replace(" ", "") for s in table.sector_info["name_ko"]]  # spacing differs
    power = _published("power_of_dispersion", "2020").loc[names].to_numpy()
    sens = _published("sensitivity_of_dispersion", "2020").loc[names].to_numpy()
    # BOK publishes six decimals
    assert frame["power_of_dispersion"].to_numpy() == pytest.approx(power, abs=1e-6)
    assert frame["sensitivity_of_dispersion"].to_numpy() == pytest.approx(sens, abs=1e-6)
    ghosh = frame["forward_ghosh"] / frame["forward_ghosh"].mean()
    assert np.max(np.abs(ghosh.to_numpy() - sens)) > 0.1
