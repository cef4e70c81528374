"""Linkage indices: a hand calculation on Miller & Blair's two-sector table and the Bank of
Korea's published 2020–2023 33-sector 영향력계수 / 감응도계수 (power / sensitivity of
dispersion)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import impactsim as ims
from _data_support import SHARED, io_tables, requires_shared
from _scenario_support import miller_blair_table
from impactsim.datasets import aggregate
from impactsim.engine.linkages import dispersion_indices

BOK33 = SHARED / "bok-2020-2023-33-coefficients"
OUTPUT_FILE = "투입산출표 생산유발계수표(생산자가격, 대분류)_16174702.csv"


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


def _bok_output_file() -> pd.DataFrame:
    path = BOK33 / OUTPUT_FILE
    if not path.is_file():
        pytest.skip(f"{path} absent (../shared/data beside the repository)")
    return pd.read_csv(path, dtype={str(y): float for y in range(2020, 2024)})


@requires_shared
@pytest.mark.parametrize("year", ["2020", "2021", "2022", "2023"])
def test_bok_indices_from_bok_inverse(year: str) -> None:
    """BOK's own 33 × 33 output-inducement (Leontief inverse) → its published indices."""
    data = _bok_output_file()
    col, row = "수요부문(열)", "투입부문(행)"
    sectors = list(dict.fromkeys(data[col]))[:33]
    cells = data[data[col].isin(sectors) & data[row].isin(sectors)]
    inv = cells.pivot(index=row, columns=col, values=year).loc[sectors, sectors].to_numpy()
    _, _, power, sens = dispersion_indices(inv)
    published_power = data[data[row] == "영향력계수"].set_index(col)[year].loc[sectors]
    published_sens = data[data[col] == "감응도계수"].set_index(row)[year].loc[sectors]
    # published to 6 decimals; sums of 33 rounded cells → a few 1e-6
    assert power == pytest.approx(published_power.to_numpy(), abs=5e-6)
    assert sens == pytest.approx(published_sens.to_numpy(), abs=5e-6)


@requires_shared
def test_bok_2020_indices_from_the_bundled_table() -> None:
    """The bundled 165-product BOK 2020 table aggregated to BOK's 33 sectors reproduces BOK's
    published 2020 영향력계수 and 감응도계수; 감응도계수 is the Leontief-row index (the Ghosh
    row-sum index differs), as BOK documents."""
    data = _bok_output_file()
    col, row = "수요부문(열)", "투입부문(행)"
    table = aggregate(ims.load_table("korea-2020-165"), "bok33")
    frame = ims.linkages(table)
    names = [s.replace(" ", "") for s in table.sector_info["name_ko"]]  # spacing differs
    published_power = data[data[row] == "영향력계수"].set_index(col)["2020"]
    published_sens = data[data[col] == "감응도계수"].set_index(row)["2020"]
    published_power.index = published_power.index.str.replace(" ", "")
    published_sens.index = published_sens.index.str.replace(" ", "")
    power = published_power.loc[names].to_numpy()
    sens = published_sens.loc[names].to_numpy()
    # BOK publishes six decimals
    assert frame["power_of_dispersion"].to_numpy() == pytest.approx(power, abs=1e-6)
    assert frame["sensitivity_of_dispersion"].to_numpy() == pytest.approx(sens, abs=1e-6)
    ghosh = frame["forward_ghosh"] / frame["forward_ghosh"].mean()
    assert np.max(np.abs(ghosh.to_numpy() - sens)) > 0.1
