"""Class 2, silent table damage: a folder loads whole or not at all, and every field of
``table.json`` is type-checked with a message naming it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims


def _table() -> ims.IOTable:
    """Two sectors with an imported-flow matrix and an employment account, balanced by hand:
    domestic flows Z − Zm = [[9, 18], [27, 4]], domestic final demand [55, 60], so output
    x = (9 + 18 + 55, 27 + 4 + 60) = (82, 91); value added closes each column:
    82 − 36 − 4 = 42 and 91 − 22 − 3 = 66."""
    return ims.IOTable.from_arrays(
        [[10.0, 20.0], [30.0, 5.0]],
        [[60.0], [65.0]],
        [[42.0, 66.0]],
        imports=[[1.0, 2.0], [3.0, 1.0]],
        final_demand_imports=[[5.0], [5.0]],
        employment=[3.0, 4.0],
        sectors=["a", "b"],
        name="small",
        year=2020,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _table().to_dir(tmp_path_factory.mktemp("t") / "small")


def _copy(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for p in src.iterdir():
        (dst / p.name).write_bytes(p.read_bytes())
    return dst


def test_the_fixture_round_trips(folder: Path) -> None:
    t = ims.IOTable.from_dir(folder)
    assert list(t.x) == [82.0, 91.0] and t.employment is not None


LISTED = [
    "sectors.csv", "flows.csv", "final_demand.csv", "value_added.csv", "output.csv",
    "imported_flows.csv", "imported_final_demand.csv", "satellites.csv",
]


@pytest.mark.parametrize("name", LISTED)
def test_every_listed_file_must_exist(folder: Path, tmp_path: Path, name: str) -> None:
    work = _copy(folder, tmp_path / "t")
    assert name in json.loads((work / "table.json").read_text())["files"]
    (work / name).unlink()
    with pytest.raises(ims.DataSourceError, match=rf"{name}: file missing"):
        ims.IOTable.from_dir(work)


def test_both_import_files_missing_is_not_a_smaller_table(folder: Path, tmp_path: Path) -> None:
    work = _copy(folder, tmp_path / "t")
    (work / "imported_flows.csv").unlink()
    (work / "imported_final_demand.csv").unlink()
    with pytest.raises(ims.DataSourceError, match="file missing"):
        ims.IOTable.from_dir(work)


def test_declared_satellites_need_their_file_even_without_checksums(
    folder: Path, tmp_path: Path
) -> None:
    work = _copy(folder, tmp_path / "t")
    doc = json.loads((work / "table.json").read_text())
    doc["files"] = {}
    (work / "table.json").write_text(json.dumps(doc))
    (work / "satellites.csv").unlink()
    with pytest.raises(ims.DataSourceError, match=r"satellites\.csv: file missing.*declares"):
        ims.IOTable.from_dir(work)


def _set(doc: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    for k in keys[:-1]:
        doc = doc[k]
    doc[keys[-1]] = value


MISTYPED = [
    ("files", ["flows.csv"]),
    ("sectors", "x"),
    ("meta.unit", "abc"),
    ("meta.unit", -1.0),
    ("meta.year", "abc"),
    ("meta.year", 2020.5),
    ("meta.name", 5),
    ("balance_rtol", "abc"),
    ("balance_rtol", -1),
    ("allow_negative", 5),
    ("allow_negative", ["everything"]),
    ("imports", "bogus"),
    ("satellites", "employment"),
    ("provenance", [1, 2]),
    ("sectors.levels", []),
    ("sectors.level_types", ["float"]),
    ("files.flows.csv", "not-a-hash"),
    ("final_demand_categories", "households"),
    ("format_version", "1"),
]


@pytest.mark.parametrize(("field", "value"), MISTYPED, ids=[f"{f}={v!r}" for f, v in MISTYPED])
def test_mistyped_manifest_fields_are_named(
    folder: Path, tmp_path: Path, field: str, value: Any
) -> None:
    work = _copy(folder, tmp_path / "t")
    doc = json.loads((work / "table.json").read_text())
    if field.startswith("files."):
        doc["files"]["flows.csv"] = value
        field = "files.flows.csv"
    else:
        _set(doc, field, value)
    (work / "table.json").write_text(json.dumps(doc))
    with pytest.raises(ims.DataSourceError) as info:
        ims.IOTable.from_dir(work)
    msg = str(info.value)
    assert "\n" not in msg and "table.json" in msg
    top = field.split(".")[0]
    assert top in msg or "format_version" in msg, msg


def test_unknown_manifest_key_and_file_name_are_refused(folder: Path, tmp_path: Path) -> None:
    work = _copy(folder, tmp_path / "t")
    doc = json.loads((work / "table.json").read_text())
    doc["balance_rtl"] = 1e-6
    (work / "table.json").write_text(json.dumps(doc))
    with pytest.raises(ims.DataSourceError, match="balance_rtl"):
        ims.IOTable.from_dir(work)
    del doc["balance_rtl"]
    doc["files"]["evil.csv"] = "0" * 64
    (work / "table.json").write_text(json.dumps(doc))
    with pytest.raises(ims.DataSourceError, match=r"evil\.csv"):
        ims.IOTable.from_dir(work)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=6,
)
FIELDS = ["files", "sectors", "meta", "meta.unit", "meta.year", "meta.currency", "balance_rtol",
          "balance_atol", "allow_negative", "imports", "satellites", "provenance",
          "final_demand_categories", "value_added_components", "sectors.levels",
          "sectors.info_columns"]


@settings(max_examples=40, deadline=None)
@given(field=st.sampled_from(FIELDS), value=_JSON)
def test_any_json_in_any_field_loads_or_raises_a_data_source_error(
    folder: Path, tmp_path_factory: pytest.TempPathFactory, field: str, value: Any
) -> None:
    """Never an AttributeError, TypeError or ValueError from deep inside the reader."""
    work = _copy(folder, tmp_path_factory.mktemp("h") / "t")
    doc = json.loads((work / "table.json").read_text())
    _set(doc, field, value)
    (work / "table.json").write_text(json.dumps(doc))
    try:
        ims.IOTable.from_dir(work)
    except (ims.DataSourceError, ims.TableError) as exc:
        assert "\n" not in str(exc)
