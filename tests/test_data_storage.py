"""The on-disk table format (IOTable.to_dir / IOTable.from_dir): exact round trip and errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import impactsim as ims
from _data_support import assert_tables_identical, io_tables
from impactsim.tables.storage import format_number


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=io_tables())
def test_round_trip_is_exact(table: ims.IOTable, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("t")
    table.to_dir(folder)
    back = ims.IOTable.from_dir(folder)
    assert_tables_identical(table, back)
    # writing the read table again gives the same bytes (the format is deterministic)
    again = tmp_path_factory.mktemp("t2")
    back.to_dir(again)
    for f in folder.iterdir():
        assert (again / f.name).read_bytes() == f.read_bytes(), f.name


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=io_tables(multiindex=True, import_matrix=True))
def test_round_trip_multiindex_with_import_matrix(
    table: ims.IOTable, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("m")
    table.to_dir(folder)
    assert (folder / "imported_flows.csv").exists()
    back = ims.IOTable.from_dir(folder)
    assert isinstance(back.sectors, pd.MultiIndex)
    assert list(back.sectors.names) == ["region", "sector"]
    assert_tables_identical(table, back)
    # the model sees the same numbers
    a = ims.LeontiefModel(table).multipliers().to_numpy()
    b = ims.LeontiefModel(back).multipliers().to_numpy()
    assert np.array_equal(a, b)


@pytest.mark.parametrize(
    "value", [0.0, 1.0, -3.0, 0.1, 1 / 3, 1e-300, 123456789.123, 2.0**60, -1e16, 5e-324]
)
def test_number_text_reads_back_exactly(value: float) -> None:
    assert float(format_number(value)) == value


def test_integer_labels_and_rewrite_removes_stale_files(tmp_path: Path) -> None:
    z = [[10.0, 20.0], [30.0, 5.0]]
    y = [[60.0], [65.0]]
    va = [[50.0, 75.0]]
    t = ims.IOTable.from_arrays(
        z,
        y,
        va,
        sectors=[10, 20],
        imports=[[0.0, 0.0], [0.0, 0.0]],
        final_demand_imports=[[0.0], [0.0]],
    )
    t.to_dir(tmp_path)
    assert (tmp_path / "imported_flows.csv").exists()
    back = ims.IOTable.from_dir(tmp_path)
    assert list(back.sectors) == [10, 20]
    plain = ims.IOTable.from_arrays(z, y, va, sectors=[10, 20])
    plain.to_dir(tmp_path)
    assert not (tmp_path / "imported_flows.csv").exists()
    assert ims.IOTable.from_dir(tmp_path).z_imported is None


def _small(tmp_path: Path) -> Path:
    t = ims.IOTable.from_arrays(
        [[10.0, 20.0], [30.0, 5.0]],
        [[60.0], [65.0]],
        [[50.0, 75.0]],
        sectors=["a", "b"],
        employment=[3.0, 4.0],
        name="small",
    )
    return t.to_dir(tmp_path / "small")


def _drop_checksum(folder: Path, name: str) -> None:
    meta = json.loads((folder / "table.json").read_text(encoding="utf-8"))
    del meta["files"][name]
    (folder / "table.json").write_text(json.dumps(meta), encoding="utf-8")


def test_edited_file_is_caught_by_its_checksum(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    text = (folder / "flows.csv").read_text(encoding="utf-8").replace("30", "31")
    (folder / "flows.csv").write_text(text, encoding="utf-8")
    with pytest.raises(ims.DataSourceError, match=r"flows\.csv.*sha256.*changed"):
        ims.IOTable.from_dir(folder)


@pytest.mark.parametrize(
    ("edit", "pattern"),
    [
        (lambda s: s.replace("30", '"3,0"'), r"flows\.csv, line 3.*expected a number, found '3,0'"),
        (lambda s: s.replace("b,30,5", "c,30,5"), r"flows\.csv: row label #2.*'c' where 'b'"),
        (
            lambda s: s.replace("b,30,5", "b,30"),
            r"flows\.csv, line 3: 2 columns where the header has 3",
        ),
        (lambda s: s.replace("b,30,5", "b,nan,5"), r"flows\.csv, line 3.*'nan' is not a finite"),
    ],
)
def test_malformed_matrix_file(tmp_path: Path, edit, pattern: str) -> None:
    folder = _small(tmp_path)
    path = folder / "flows.csv"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    _drop_checksum(folder, "flows.csv")
    with pytest.raises(ims.DataSourceError, match=pattern):
        ims.IOTable.from_dir(folder)


def test_missing_file_wrong_encoding_and_version(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    (folder / "value_added.csv").unlink()
    with pytest.raises(ims.DataSourceError, match=r"value_added\.csv: file missing"):
        ims.IOTable.from_dir(folder)

    folder = _small(tmp_path / "2")
    (folder / "sectors.csv").write_bytes("sector,name\na,가\nb,나\n".encode("cp949"))
    _drop_checksum(folder, "sectors.csv")
    with pytest.raises(ims.DataSourceError, match=r"sectors\.csv: expected UTF-8 text"):
        ims.IOTable.from_dir(folder)

    folder = _small(tmp_path / "3")
    meta = json.loads((folder / "table.json").read_text(encoding="utf-8"))
    meta["format_version"] = 99
    (folder / "table.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ims.DataSourceError, match=r"format_version 99 is not supported"):
        ims.IOTable.from_dir(folder)

    with pytest.raises(ims.DataSourceError, match=r"not a folder"):
        ims.IOTable.from_dir(tmp_path / "nowhere")


def test_unbalanced_files_name_the_sector(tmp_path: Path) -> None:
    folder = _small(tmp_path)
    path = folder / "output.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("a,90", "a,95"), encoding="utf-8")
    _drop_checksum(folder, "output.csv")
    with pytest.raises(
        ims.DataSourceError, match=r"do not form a valid table: row balance.*residuals a: -5"
    ):
        ims.IOTable.from_dir(folder)


def test_hand_written_folder_without_checksums(tmp_path: Path) -> None:
    """A folder written by hand (docs/data.md, 'Bring your own table') with minimal metadata."""
    (tmp_path / "table.json").write_text(
        json.dumps({"meta": {"name": "mine", "currency": "EUR", "unit": 1e6, "year": 2019}}),
        encoding="utf-8",
    )
    (tmp_path / "sectors.csv").write_text(
        "sector,name_en\nagri,Agriculture\nind,Industry\n", encoding="utf-8"
    )
    (tmp_path / "flows.csv").write_text("sector,agri,ind\nagri,10,20\nind,30,5\n", encoding="utf-8")
    (tmp_path / "final_demand.csv").write_text(
        "sector,households,exports\nagri,50,10\nind,40,25\n", encoding="utf-8"
    )
    (tmp_path / "value_added.csv").write_text(
        "component,agri,ind\ncompensation,30,40\nother,20,35\n", encoding="utf-8"
    )
    t = ims.IOTable.from_dir(tmp_path)
    assert t.meta.name == "mine" and t.meta.money_unit == "million EUR"
    assert list(t.x) == [90.0, 100.0]  # output defaults to row sums
    assert list(t.final_demand_categories) == ["households", "exports"]
    assert t.sector_info is not None and list(t.sector_info["name_en"]) == [
        "Agriculture",
        "Industry",
    ]


def test_unwritable_provenance_is_refused(tmp_path: Path) -> None:
    t = ims.IOTable.from_arrays([[1.0]], [[2.0]], [[2.0]], provenance={"when": object()})
    with pytest.raises(ims.TableError, match=r"provenance\.when.*cannot be stored"):
        t.to_dir(tmp_path)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=io_tables())
def test_accounts_are_those_of_the_whole_table(
    table: ims.IOTable, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from impactsim.tables.storage import read_accounts

    folder = tmp_path_factory.mktemp("a")
    table.to_dir(folder)
    accounts = read_accounts(folder)
    back = ims.IOTable.from_dir(folder)
    assert accounts.sectors.equals(back.sectors)
    np.testing.assert_array_equal(accounts.output, np.asarray(back.x, dtype=float))
    assert set(accounts.satellites) == set(back.satellites.columns)
    for name, values in accounts.satellites.items():
        np.testing.assert_array_equal(values, back.satellites[name].to_numpy())
    if back.sector_info is None:
        assert accounts.sector_info is None
    else:
        pd.testing.assert_frame_equal(accounts.sector_info, back.sector_info)


def test_accounts_check_the_files_they_read(tmp_path: Path) -> None:
    from impactsim.tables.storage import read_accounts

    folder = _small(tmp_path)
    text = (folder / "output.csv").read_text(encoding="utf-8")
    (folder / "output.csv").write_text(text.replace(",", ";", 1), encoding="utf-8")
    with pytest.raises(ims.DataSourceError, match=r"output\.csv.*sha256.*changed"):
        read_accounts(folder)
