"""The binary form of a table and the on-disk cache of the bundled tables: a cached table is the
built table to the last bit; a stale, damaged or unwritable cache only means a fresh build."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings

import impactsim as ims
from _data_support import assert_tables_identical, io_tables
from impactsim import _files
from impactsim.datasets import catalog, table_cache
from impactsim.tables.binary import BinaryTableError, decode, encode, same_table

KEY = "k" * 64


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty user cache folder; the catalog's in-memory tables forgotten before and after."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    catalog._load.cache_clear()
    yield tmp_path / "impactsim" / "tables"
    catalog._load.cache_clear()


def _built(name: str) -> ims.IOTable:
    """The bundled table from its loader, without the cache."""
    return catalog._entry(name).build()


# ----------------------------------------------------------------------------- binary form
@settings(max_examples=60, deadline=None)
@given(table=io_tables())
def test_binary_form_reads_back_every_bit(table: ims.IOTable) -> None:
    back = ims.IOTable.from_parts(decode(encode(table.to_parts(), key=KEY), key=KEY))
    assert_tables_identical(table, back)
    assert same_table(table, back)
    for name in ("z_domestic", "y_domestic", "va", "import_row", "x"):
        assert getattr(back, name).tobytes() == getattr(table, name).tobytes(), name


@settings(max_examples=20, deadline=None)
@given(table=io_tables(multiindex=True, import_matrix=True))
def test_binary_form_keeps_region_sector_labels_and_import_matrices(table: ims.IOTable) -> None:
    back = ims.IOTable.from_parts(decode(encode(table.to_parts(), key=KEY), key=KEY))
    assert isinstance(back.sectors, pd.MultiIndex)
    assert back.sectors.names == table.sectors.names
    assert_tables_identical(table, back)


def test_binary_form_is_read_only_for_its_own_key_and_format() -> None:
    table = _tiny()
    data = encode(table.to_parts(), key=KEY)
    with pytest.raises(BinaryTableError, match="other sources"):
        decode(data, key="another key")
    with pytest.raises(BinaryTableError, match="unreadable"):
        decode(data[: len(data) // 2], key=KEY)
    with pytest.raises(BinaryTableError, match="unreadable"):
        decode(b"not a zip file", key=KEY)


def test_metadata_that_would_not_read_back_is_refused() -> None:
    # JSON holds lists, not tuples: a tuple in the provenance would come back as a list
    table = ims.IOTable.from_arrays([[1.0]], [[2.0]], [[2.0]], provenance={"years": (2020, 2023)})
    with pytest.raises(BinaryTableError, match="exactly"):
        encode(table.to_parts(), key=KEY)
    odd = ims.IOTable.from_arrays([[1.0]], [[2.0]], [[2.0]], provenance={"when": object()})
    with pytest.raises(BinaryTableError, match="plain data"):
        encode(odd.to_parts(), key=KEY)


def test_same_table_sees_one_bit_a_label_dtype_and_the_metadata() -> None:
    table = _tiny(name="t")
    assert same_table(table, ims.IOTable.from_parts(table.to_parts()))
    z = table.z_domestic.copy()
    z[0, 0] = np.nextafter(z[0, 0], np.inf)
    assert not same_table(table, table.with_arrays(z_domestic=z))
    parts = table.to_parts()
    as_objects = pd.Index(["a", "b"], name=table.sectors.name, dtype=object)
    if table.sectors.dtype != object:
        moved = ims.IOTable.from_parts(
            type(parts)(**{**_fields(parts), "sectors": as_objects}))
        assert not same_table(table, moved)
    renamed = ims.IOTable.from_parts(type(parts)(**{**_fields(parts),
                                                    "meta": {**parts.meta, "name": "u"}}))
    assert not same_table(table, renamed)


def _tiny(**meta: str) -> ims.IOTable:
    """Two sectors balanced by hand: outputs 1 + 2 + 5 = 3 + 1 + 4 = 8, value added 4 and 5."""
    return ims.IOTable.from_arrays([[1.0, 2.0], [3.0, 1.0]], [[5.0], [4.0]], [[4.0, 5.0]],
                                   sectors=["a", "b"], **meta)


def _fields(parts: object) -> dict[str, object]:
    return {f: getattr(parts, f) for f in parts.__dataclass_fields__}  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------- the cache
@pytest.mark.parametrize("name", ["korea-2020", "korea-2020-165", "korea-2023", "wiod-2011"])
def test_a_cached_bundled_table_is_the_built_table(
    name: str, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _built(name)
    first = catalog.load_table(name)  # built and written
    assert (cache_home / f"{name}.npz").is_file()
    assert same_table(built, first)
    catalog._load.cache_clear()

    def refuse() -> ims.IOTable:
        raise AssertionError("the table was built again instead of read from the cache")

    entry = catalog._entry(name)
    monkeypatch.setattr(catalog, "_REGISTRY", {**catalog._REGISTRY, name: _with_loader(
        entry, refuse)})
    read = catalog.load_table(name)
    assert same_table(built, read)
    assert_tables_identical(built, read)
    assert not any(p.name.endswith(".tmp") for p in cache_home.iterdir())


def _with_loader(entry: catalog.TableEntry, loader: object) -> catalog.TableEntry:
    return replace(entry, loader=loader)  # type: ignore[arg-type]


def test_the_key_changes_with_a_source_the_code_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = tmp_path / catalog.KOREA_SPLITS_FILE
    recipe.write_bytes((catalog.DATA_DIR / catalog.KOREA_SPLITS_FILE).read_bytes())
    sources = [catalog.DATA_DIR / catalog.KOREA_165_DIR, recipe]
    key = table_cache.cache_key("korea-2020", sources)
    assert table_cache.cache_key("korea-2020", sources) == key
    assert table_cache.cache_key("korea-2023", sources) != key
    recipe.write_bytes(recipe.read_bytes() + b" ")
    assert table_cache.cache_key("korea-2020", sources) != key
    recipe.write_bytes((catalog.DATA_DIR / catalog.KOREA_SPLITS_FILE).read_bytes())
    monkeypatch.setattr(table_cache, "_code_digest", lambda: "other code")
    assert table_cache.cache_key("korea-2020", sources) != key
    monkeypatch.undo()
    monkeypatch.setattr(table_cache, "_environment", lambda: "numpy 0.0")
    assert table_cache.cache_key("korea-2020", sources) != key


def test_a_stale_or_damaged_cache_file_is_replaced(cache_home: Path) -> None:
    built = _built("korea-2023")
    path = cache_home / "korea-2023.npz"
    for damage in (b"", b"garbage", None):
        catalog._load.cache_clear()
        cache_home.mkdir(parents=True, exist_ok=True)
        if damage is None:  # a whole file written for other sources
            other = encode(built.to_parts(), key="written for other sources")
            path.write_bytes(other)
        else:
            path.write_bytes(damage)
        table = catalog.load_table("korea-2023")
        assert same_table(built, table)
        key = table_cache.cache_key("korea-2023", [catalog.DATA_DIR / s for s in
                                                  catalog._entry("korea-2023").sources])
        assert same_table(built, ims.IOTable.from_parts(decode(path.read_bytes(), key=key)))


def test_a_cache_that_cannot_be_written_or_read_changes_nothing(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = _built("korea-2023")
    # the cache folder's place is taken by a file: nothing can be written there
    cache_home.parent.mkdir(parents=True)
    cache_home.write_text("not a folder")
    assert same_table(built, catalog.load_table("korea-2023"))
    assert cache_home.read_text() == "not a folder"
    # a FIFO where the file should be is not read (no hang) and the table is built
    cache_home.unlink()
    cache_home.mkdir()
    fifo = cache_home / "korea-2023.npz"
    os.mkfifo(fifo)
    catalog._load.cache_clear()
    assert same_table(built, catalog.load_table("korea-2023"))
    # a rename that fails leaves neither a cache file nor a temporary file behind
    fifo.unlink()
    catalog._load.cache_clear()

    def fail(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(_files.os, "replace", fail)
    assert same_table(built, catalog.load_table("korea-2023"))
    assert list(cache_home.iterdir()) == []


def test_tables_without_sources_are_not_cached(cache_home: Path) -> None:
    mine = ims.IOTable.from_arrays([[1.0]], [[2.0]], [[2.0]], name="mine")
    entry = catalog.TableEntry(
        name="my-cache-test-table", description="a test table", loader=lambda: mine,
        sectors=1, region="X", year=2020, currency="USD", unit="USD", price_basis="basic",
        employment="none", publisher="me", licence="mine", source="hand-written")
    catalog.register_table(entry)
    try:
        assert catalog.load_table("my-cache-test-table") is mine
        assert not cache_home.exists()
    finally:
        catalog._REGISTRY.pop("my-cache-test-table")


def test_no_absolute_cache_folder_means_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as XDG says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert table_cache.cache_dir() == tmp_path / "home" / ".cache" / "impactsim" / "tables"
    monkeypatch.setenv("HOME", "")
    monkeypatch.setattr(_files.os.path, "expanduser", lambda p: p)  # no home folder
    assert table_cache.cache_dir() is None
    catalog._load.cache_clear()
    try:
        assert same_table(_built("korea-2023"), catalog.load_table("korea-2023"))
    finally:
        catalog._load.cache_clear()
    assert list(tmp_path.iterdir()) == []  # nothing written in the working folder
