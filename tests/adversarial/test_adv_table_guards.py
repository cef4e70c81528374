"""Table folders are read with the guards of scenario files: a FIFO or a device in place of a
file, an oversized or deeply nested ``table.json``, a matrix file with a million columns —
each is a one-line error before anything hangs or is allocated. The table cache follows the
files' contents, not their times."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from _adv_support import main_inprocess, one_line_error
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.datasets.catalog import load_table
from impactsim.errors import DataSourceError
from impactsim.tables import _csvio


def _table(scale: float = 1.0) -> ims.IOTable:
    """Two sectors balanced by hand: output (10s + 5 + 30, 4 + 8 + 20) = (10s + 35, 32), value
    added (10s + 35) − 10s − 4 = 31 and 32 − 5 − 8 = 19 (s = ``scale``)."""
    return ims.IOTable.from_arrays([[10.0 * scale, 5.0], [4.0, 8.0]], [[30.0], [20.0]],
                                   [[31.0, 19.0]], sectors=["a", "b"],
                                   employment=[3.0, 2.0], name="two")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return _table().to_dir(tmp_path / "t")


def _unlist(folder: Path, name: str) -> None:
    """Drop a file's checksum from table.json (a hand-edited folder)."""
    doc = json.loads((folder / "table.json").read_text())
    doc["files"].pop(name, None)
    (folder / "table.json").write_text(json.dumps(doc))


def _refused(folder: Path, match: str, seconds: float = 10.0) -> None:
    """Loading ``folder`` fails with a one-line DataSourceError matching ``match`` within
    ``seconds`` (a thread, so a hang fails the test instead of blocking it)."""
    box: dict[str, BaseException | None] = {}

    def load() -> None:
        try:
            ims.IOTable.from_dir(folder)
            box["exc"] = None
        except BaseException as exc:
            box["exc"] = exc

    t = threading.Thread(target=load, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"reading {folder} hung"
    exc = box["exc"]
    assert isinstance(exc, DataSourceError), repr(exc)
    assert "\n" not in str(exc) and match in str(exc), str(exc)


@pytest.mark.parametrize("name", ["table.json", "flows.csv", "sectors.csv", "satellites.csv"])
@pytest.mark.parametrize("listed", [True, False], ids=["listed", "hand-edited"])
def test_a_fifo_in_place_of_a_file_is_refused_without_hanging(folder: Path, name: str,
                                                              listed: bool) -> None:
    if not listed and name != "table.json":
        _unlist(folder, name)
    (folder / name).unlink()
    os.mkfifo(folder / name)
    _refused(folder, "pipe (FIFO)")


@pytest.mark.parametrize("name", ["flows.csv", "table.json"])
def test_dev_zero_in_place_of_a_file_is_refused(folder: Path, name: str) -> None:
    if name != "table.json":
        _unlist(folder, name)
    (folder / name).unlink()
    (folder / name).symlink_to("/dev/zero")
    _refused(folder, "device")


def test_a_table_json_nested_100000_deep_is_one_line(folder: Path) -> None:
    (folder / "table.json").write_text("[" * 100_000 + "]" * 100_000)
    _refused(folder, "nested more than")


def test_a_provenance_nested_deeper_than_the_cap_is_refused(folder: Path) -> None:
    doc = json.loads((folder / "table.json").read_text())
    deep: object = "x"
    for _ in range(_csvio.MAX_JSON_DEPTH + 5):
        deep = [deep]
    doc["provenance"] = {"note": deep}
    (folder / "table.json").write_text(json.dumps(doc))
    _refused(folder, "nested more than")


def test_an_oversized_table_json_is_refused_before_reading(folder: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_csvio, "MAX_META_BYTES", 4096)
    from impactsim.tables import storage

    monkeypatch.setattr(storage, "MAX_META_BYTES", 4096)
    doc = json.loads((folder / "table.json").read_text())
    doc["provenance"] = {"pad": "x" * 10_000}
    (folder / "table.json").write_text(json.dumps(doc))
    _refused(folder, "too large")


def test_a_flows_file_with_a_million_header_columns_is_refused_before_allocating(
        folder: Path) -> None:
    _unlist(folder, "flows.csv")
    head = "sector," + ",".join(f"c{i}" for i in range(1_000_000))
    (folder / "flows.csv").write_text(head + "\na,1,2\nb,3,4\n")
    _refused(folder, "columns (the limit is")


@settings(max_examples=20, deadline=None)
@given(rows=st.integers(0, 40), cols=st.integers(1, 40))
def test_a_matrix_of_the_wrong_shape_is_refused_by_its_labels(
        rows: int, cols: int, tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = _table().to_dir(tmp_path_factory.mktemp("s") / "t")
    if (rows, cols) == (2, 2):
        return
    _unlist(folder, "flows.csv")
    lines = ["sector," + ",".join(f"c{j}" for j in range(cols))]
    lines += [f"r{i}," + ",".join("1" for _ in range(cols)) for i in range(rows)]
    (folder / "flows.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataSourceError) as info:
        ims.IOTable.from_dir(folder)
    assert "\n" not in str(info.value)


def test_a_field_longer_than_csvs_limit_is_one_line(folder: Path) -> None:
    _unlist(folder, "sectors.csv")
    (folder / "sectors.csv").write_text('sector\n"' + "a" * 200_000 + '"\nb\n')
    _refused(folder, "not valid CSV")


def test_cli_names_the_fifo_and_exits_1(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "table.json").unlink()
    os.mkfifo(folder / "table.json")
    rc, _, err = main_inprocess(["multipliers", str(folder)], capsys)
    assert rc == 1 and "pipe (FIFO)" in one_line_error(err)


def test_the_table_cache_follows_content_not_file_times(tmp_path: Path) -> None:
    folder = _table().to_dir(tmp_path / "t")
    first = load_table(folder)
    stamps = {p.name: (p.stat().st_atime_ns, p.stat().st_mtime_ns) for p in folder.iterdir()}
    _table(scale=1.5).to_dir(folder)  # different flows, then the old times put back
    for p in folder.iterdir():
        os.utime(p, ns=stamps[p.name])
    second = load_table(folder)
    assert first.x[0] == 45.0 and second.x[0] == 50.0
    time.sleep(0.01)
    assert load_table(folder) is second  # unchanged content: the cached table
