"""Result files: atomic writes (all-or-nothing, never clobbering), formats, checksums."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from _report_support import mb_table
from impactsim.present.writers import (
    OptionalDependencyError,
    OutputError,
    atomic_write,
    frame_bytes,
    json_dumps,
    sha256_file,
    write_files,
)
from impactsim.tables.checksum import table_checksum


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    atomic_write(target, "old\n")
    atomic_write(target, b"new\n")
    assert target.read_text() == "new\n"
    assert _leftovers(tmp_path) == []


def test_failed_write_keeps_previous_result_and_leaves_no_half_file(tmp_path: Path) -> None:
    target = tmp_path / "results.csv"
    atomic_write(target, "good result\n")

    def half_then_fail(fh: object) -> None:
        fh.write(b"half a fi")  # type: ignore[attr-defined]
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic_write(target, half_then_fail)
    assert target.read_text() == "good result\n"
    assert _leftovers(tmp_path) == []


def test_write_files_is_all_or_nothing(tmp_path: Path) -> None:
    first, second = tmp_path / "summary.csv", tmp_path / "results.csv"
    write_files({first: "s1\n", second: "r1\n"})

    def boom(fh: object) -> None:
        raise ValueError("serialisation failed")

    with pytest.raises(ValueError):
        write_files({first: "s2\n", second: boom, tmp_path / "new.csv": "n\n"})
    assert first.read_text() == "s1\n"  # staged before the failure, but not moved into place
    assert second.read_text() == "r1\n"
    assert not (tmp_path / "new.csv").exists()
    assert _leftovers(tmp_path) == []


def test_unwritable_folder_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot create the output folder"):
        atomic_write(blocker / "sub" / "a.csv", "x")


FRAME = pd.DataFrame(
    {"sector": ["AGR", "MAN"], "effect": ["direct", "total"], "value": [1.5, np.nan]}
)


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "xlsx"])
def test_formats_round_trip(tmp_path: Path, fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow", reason="pyarrow (impactsim[parquet]) not installed")
    if fmt == "xlsx":
        pytest.importorskip("openpyxl", reason="openpyxl (impactsim[excel]) not installed")
    path = tmp_path / f"f.{fmt}"
    atomic_write(path, frame_bytes(FRAME, fmt))
    back = {
        "csv": pd.read_csv,
        "json": lambda p: pd.DataFrame(json.loads(Path(p).read_text())),
        "parquet": pd.read_parquet,
        "xlsx": pd.read_excel,
    }[fmt](path)
    assert list(back.columns) == ["sector", "effect", "value"]
    assert back["sector"].tolist() == ["AGR", "MAN"]
    assert back["value"].iloc[0] == 1.5
    assert pd.isna(back["value"].iloc[1])


def test_json_is_strict_no_nan() -> None:
    text = json_dumps({"a": float("nan"), "b": np.float64(2.0), "c": [np.int64(3)]})
    assert json.loads(text) == {"a": None, "b": 2.0, "c": [3]}


def test_missing_optional_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` fail
    with pytest.raises(OptionalDependencyError, match=r"impactsim\[parquet\]"):
        frame_bytes(FRAME, "parquet")
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(OptionalDependencyError, match=r"impactsim\[excel\]"):
        frame_bytes(FRAME, "xlsx")


def test_table_checksum_tracks_numbers_not_identity() -> None:
    a, b = mb_table(), mb_table()
    assert table_checksum(a) == table_checksum(b)
    assert len(table_checksum(a)) == 64
    changed = a.replace_meta(name="other")  # metadata only: numbers identical
    assert table_checksum(changed) == table_checksum(a)
    import impactsim as ims

    bumped = ims.IOTable.from_arrays(
        [[150.0, 500.0], [200.0, 100.0]],
        [[200.0, 150.0], [1000.0, 700.0]],
        [[300.0, 500.0], [350.0, 900.0]],
        sectors=["AGR", "MAN"],
        final_demand_categories=["households", "exports"],
        value_added_components=["compensation", "operating_surplus"],
        employment=[10.0, 41.0],
    )
    assert table_checksum(bumped) != table_checksum(a)


def test_sha256_file_matches_hashlib(tmp_path: Path) -> None:
    import hashlib

    p = tmp_path / "x.bin"
    p.write_bytes(os.urandom(3000))
    assert sha256_file(p) == hashlib.sha256(p.read_bytes()).hexdigest()
