"""``impactsim gallery``: the site of the shipped scenarios builds, every page is self-contained
and says what it must (the announcement's words and source, headline with ranges, claims,
where effects land, charts, the explorer's data); bad input is one line and exit 2."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

import impactsim as ims
from _cli_support import ROOT, SCENARIOS, assert_user_error, run_cli
from impactsim.engine.measures import format_value
from impactsim.scenario.seeds import load_seeds
from impactsim.simulate import line_effects


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "gallery"
    proc = run_cli("gallery", *SCENARIOS, "-o", out, "--draws", "20", timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_every_shipped_scenario_has_a_page(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    for path in SCENARIOS:
        assert (site / f"{path.stem}.html").is_file()
        assert f'href="{path.stem}.html"' in index
    assert "<svg" in index and "claims-chart" in index  # the claim ratios on one chart
    assert "job-years per million USD 2025" in index


def test_pages_are_self_contained(site: Path) -> None:
    for page in site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<img[^>]+src=\"?https?:"
                             r"|url\(\s*['\"]?https?:|@import", text), page.name


def test_page_carries_the_announcement_and_the_results(site: Path) -> None:
    seeds = load_seeds(ROOT / "seeds")
    for path in SCENARIOS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = (site / f"{path.stem}.html").read_text(encoding="utf-8")
        for sid in data.get("seeds", []):
            rec = seeds[sid]
            assert rec.title.replace("'", "&#x27;") in text, (path.stem, sid)
            assert rec.source.file in text
        for claim in data.get("claims", []):
            assert claim["text"].replace("'", "&#x27;") in text
        for section in ("announcement", "scenario", "headline", "explorer", "claims",
                        "where", "charts"):
            assert f'id="{section}"' in text, (path.stem, section)
    korea = (site / "korea.html").read_text(encoding="utf-8")
    assert "Range of the total over the draws" in korea  # P5–P95 shown
    head = ims.run(ROOT / "scenarios" / "korea.yaml", draws=0).headline("construction")
    assert format_value(head.loc["total", "employment"]) in korea  # the library's headline


def test_explorer_data_is_the_libraries(site: Path) -> None:
    text = (site / "korea.html").read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', text,
                    re.S)
    assert raw is not None
    cfg = json.loads(raw.group(1))
    lib = json.loads(json.dumps(line_effects(ROOT / "scenarios" / "korea.yaml").to_dict()))
    # the command runs BLAS on one thread, this process may not: equal to the last bits only
    # up to the order of floating-point sums
    _assert_same(cfg["lines"], lib)
    assert cfg["scenario_data"]["name"] == "korea"


def _assert_same(a: object, b: object, path: str = "lines") -> None:
    """Same structure and labels; numbers equal to 1e-12 relative."""
    if isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _assert_same(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-300), path
    else:
        assert a == b, path


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    proc = run_cli("gallery", tmp_path / "missing.yaml", "-o", tmp_path / "out")
    assert_user_error(proc, 2, "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    proc = run_cli("gallery", bad, "-o", tmp_path / "out")
    assert_user_error(proc, 2, "bad.yaml")
