"""The oracle extracts in tests/data are what scripts/build_test_extracts.py derives from BOK's
public files, byte for byte. Optional for users: it needs the source files beside the clone
(../shared/data); the oracle tests themselves run on the committed extracts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from _data_support import SHARED, requires_shared

REPO = Path(__file__).parents[1]
EXTRACTS = Path(__file__).parent / "data"


@requires_shared
@pytest.mark.shared
def test_rebuild_reproduces_the_committed_extracts(tmp_path: Path) -> None:
    scripts = REPO / "scripts"
    sys.path.insert(0, str(scripts))
    spec = importlib.util.spec_from_file_location(
        "build_test_extracts", scripts / "build_test_extracts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    files = module.build(SHARED, tmp_path)
    assert files, "the build wrote nothing"
    for rel in files:
        assert (tmp_path / rel).read_bytes() == (EXTRACTS / rel).read_bytes(), rel
    committed = {p.relative_to(EXTRACTS).as_posix()
                 for folder in ("bok-2020-83", "bok-2020-aggregated", "wiod2016-2014")
                 for p in (EXTRACTS / folder).rglob("*") if p.is_file()}
    assert committed | {"bok-33-dispersion.csv"} == set(files)
