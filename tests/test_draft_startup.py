"""What ``impactsim draft`` loads: no numpy, pandas, pyarrow or scipy (reading an article and
writing its draft need none of them), and the world gazetteer's compact cached form, which
must give the same places as the gazetteer built from pycountry and GeoNames."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from impactsim.textread import world

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = (
    "SEOUL, 29 October 2025 — Amazon Web Services will invest 5 billion dollars in new AI data "
    "centres in Ulsan by 2031, the company said on Wednesday. The group also runs sites near "
    "Osaka and in Frankfurt, Germany.\n"
)
HEAVY = ("numpy", "pandas", "pyarrow", "scipy")

#: Runs the command as ``python -m impactsim`` does; when the command ends the process, an exit
#: function reports the heavy modules it loaded.
PROBE = """
import atexit, json, runpy, sys
sys.argv = ["impactsim", "draft", sys.argv[1]]

def report():
    heavy = sorted(m for m in {heavy!r} if m in sys.modules)
    sys.stderr.write("PROBE " + json.dumps({{"heavy": heavy}}) + "\\n")

atexit.register(report)
runpy.run_module("impactsim", run_name="__main__", alter_sys=True)
"""


def test_draft_command_imports_no_numpy_pandas_pyarrow_or_scipy(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), str(article)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
                          check=False)
    line = next((x for x in proc.stderr.splitlines() if x.startswith("PROBE ")), None)
    assert line is not None, proc.stderr[-2000:]
    probe = json.loads(line.removeprefix("PROBE "))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Ulsan" in proc.stdout  # the draft was written, reading the article
    assert probe["heavy"] == [], f"impactsim draft imported {probe['heavy']}"


def _clear() -> None:
    for f in (world._data, world.countries_and_divisions, world._candidates,
              world.hangul_cities):
        f.cache_clear()


def test_cached_world_gazetteer_gives_the_places_built_from_the_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    _clear()
    try:
        path = world._cache_file()
        assert path is not None and path.parent == tmp_path / "impactsim"
        assert not path.exists()
        built = world._data()  # from pycountry and GeoNames; writes the cache
        assert path.exists()
        _clear()
        assert world._read_cache(path) == built
        # places a reader resolves, by both routes: from the cache now, from the packages above
        paris = world.city("Paris", cued=False)
        assert paris is not None and paris.country == "FRA"
        assert paris.population == max(p[2] for p in built["cities"]["Paris"])
        assert world.countries_and_divisions()["Germany"].country == "DEU"
        assert world.hangul_cities()["도쿄"].country == "JPN"
        assert world.is_city_name("Frankfurt am Main") and not world.is_city_name("Qwzx")
    finally:
        _clear()


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", '{"format": 0}',
                                  '{"format": 1, "places": [], "cities": {}, "hangul": {}}',
                                  '{"format": 1, "places": {"X": ["X", "city"]}, "cities": {}, '
                                  '"hangul": {}}',
                                  '{"format": 1, "places": {}, "cities": {"X": [["X", "AAA"]]}, '
                                  '"hangul": {}}',
                                  '{"format": 1, "places": {}, "cities": {"X": "row"}, '
                                  '"hangul": {}}',
                                  '{"format": 1, "places": {}, "cities": {}, '
                                  '"hangul": {"X": ["X", "AAA", "many", null]}}'])
def test_a_broken_cache_file_is_not_used(tmp_path: Path, text: str) -> None:
    path = tmp_path / "world.json"
    path.write_text(text, encoding="utf-8")
    assert world._read_cache(path) is None
