"""Table parts and copies: IOTable.to_parts / from_parts / to_files, IOTable.with_arrays, the
name-resolving impactsim.datasets.aggregate, and the import direction of the tables layer."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import impactsim as ims
from _data_support import assert_tables_identical, io_tables
from impactsim.datasets import aggregate as aggregate_by_name
from impactsim.datasets import load_concordance
from impactsim.tables import aggregate

TABLES_DIR = Path(ims.__file__).parent / "tables"


def _tiny() -> ims.IOTable:
    # Hand-made 2-sector table: rows 10+20+70 = 100 and 5+15+30 = 50; columns 10+5+35+50 = 100
    # and 20+15+5+10 = 50 (flows + imports + value added = output).
    return ims.IOTable.from_arrays(
        [[10.0, 20.0], [5.0, 15.0]],
        [[70.0], [30.0]],
        [[35.0, 10.0]],
        sectors=["a", "b"],
        imports=[50.0, 5.0],
        employment=[3.0, 4.0],
    )


@settings(max_examples=40, deadline=None)
@given(table=io_tables(multiindex=True, import_matrix=True))
def test_parts_round_trip_is_exact(table: ims.IOTable) -> None:
    assert_tables_identical(table, ims.IOTable.from_parts(table.to_parts()))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=io_tables())
def test_to_files_are_the_bytes_to_dir_writes(
    table: ims.IOTable, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = table.to_dir(tmp_path_factory.mktemp("f"))
    files = table.to_files()
    assert sorted(files) == sorted(p.name for p in folder.iterdir())
    for name, blob in files.items():
        assert (folder / name).read_bytes() == blob, name


def test_with_arrays_replaces_sector_info_and_keeps_the_numbers() -> None:
    t = _tiny()
    info = pd.DataFrame({"name_en": ["Alpha", "Beta"]})
    u = t.with_arrays(sector_info=info)
    assert u.sector_info is not None
    assert list(u.sector_info["name_en"]) == ["Alpha", "Beta"]
    assert list(u.sector_info.index) == ["a", "b"]
    assert t.sector_info is None  # the original is unchanged
    assert u.z_domestic is t.z_domestic and u.meta is t.meta


def test_with_arrays_validates_the_copy() -> None:
    t = _tiny()
    # x_a = 90 breaks the row balance of sector a: 10 + 20 + 70 = 100, not 90.
    with pytest.raises(ims.TableError, match=r"row balance .* fails in 1 sector"):
        t.with_arrays(x=[90.0, 50.0])
    # moving 5 of a's sales from final demand to flows keeps rows but breaks b's column
    with pytest.raises(ims.TableError, match=r"column balance"):
        t.with_arrays(z_domestic=[[10.0, 25.0], [5.0, 15.0]], y_domestic=[[65.0], [30.0]])
    with pytest.raises(ims.TableError, match=r"z_domestic: shape \(3, 3\) differs"):
        t.with_arrays(z_domestic=np.zeros((3, 3)))
    with pytest.raises(ims.TableError, match=r"\['sectors'\] cannot be replaced"):
        t.with_arrays(sectors=["c", "d"])
    with pytest.raises(ims.TableError, match=r"z_imported and y_imported go together"):
        t.with_arrays(z_imported=np.zeros((2, 2)))


def test_with_arrays_result_is_read_only_and_consistent() -> None:
    t = _tiny()
    # Doubling every block keeps both balances (they are linear) and every coefficient.
    u = t.with_arrays(
        sats={"employment": 2 * t.sats["employment"]},
        z_domestic=2 * t.z_domestic,
        y_domestic=2 * t.y_domestic,
        va=2 * t.va,
        import_row=2 * t.import_row,
        x=2 * t.x,
    )
    assert u.x.tolist() == [200.0, 100.0]
    assert not u.z_domestic.flags.writeable and not u.x.flags.writeable
    np.testing.assert_allclose(
        ims.LeontiefModel(u).multipliers(), ims.LeontiefModel(t).multipliers()
    )


def test_tables_aggregate_takes_a_mapping_only() -> None:
    with pytest.raises(ims.TableError, match=r"impactsim\.datasets\.aggregate"):
        aggregate(_tiny(), "bok33")  # type: ignore[arg-type]
    merged = aggregate(_tiny(), {"a": "ab", "b": "ab"})
    # one sector: flows 10+20+5+15 = 50, output 150
    assert merged.z_domestic.tolist() == [[50.0]] and merged.x.tolist() == [150.0]
    assert merged.meta.provenance["aggregation"][-1]["concordance"] == "user mapping"


def test_datasets_aggregate_resolves_a_bundled_name() -> None:
    t = ims.load_table("korea-2020-165")
    by_name = aggregate_by_name(t, "bok33")
    frame = load_concordance("bok33")
    by_map = aggregate(t, frame["group"].to_dict())
    np.testing.assert_array_equal(by_name.z_domestic, by_map.z_domestic)
    np.testing.assert_array_equal(by_name.x, by_map.x)
    assert by_name.n == 33
    assert by_name.sector_info is not None and "name_en" in by_name.sector_info.columns
    assert by_name.meta.provenance["aggregation"][-1]["concordance"] == (
        "bundled concordance 'bok33'"
    )
    with pytest.raises(ims.DataSourceError, match=r"no bundled concordance named 'bok99'"):
        aggregate_by_name(t, "bok99")


def _imports_of(path: Path) -> list[tuple[str, bool]]:
    """(absolute module, inside a function?) for every impactsim import of a tables module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(TABLES_DIR.parent.parent).with_suffix("").parts
    package = list(rel if path.name == "__init__.py" else rel[:-1])
    if path.name == "__init__.py":
        package = package[:-1]
    in_func = {
        id(n)
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
        for n in ast.walk(f)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            found.append((target, id(node) in in_func))
        elif isinstance(node, ast.Import):
            found += [(a.name, id(node) in in_func) for a in node.names]
    return [(t, f) for t, f in found if t.startswith("impactsim")]


def test_tables_layer_imports_only_the_bottom_modules_and_itself() -> None:
    # the bottom layer: errors, the version, lazy names and the bounded file reader
    allowed = ("impactsim.errors", "impactsim._version", "impactsim._lazy", "impactsim._files",
               "impactsim.tables")
    for path in sorted(TABLES_DIR.rglob("*.py")):
        for target, in_function in _imports_of(path):
            assert target.startswith(allowed), f"{path.name} imports {target}"
            assert not in_function, f"{path.name} imports {target} inside a function"
