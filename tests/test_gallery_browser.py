"""The gallery's explorer in a real browser (headless Chromium driven by Playwright).

The reference is the library: for random slider settings the page's numbers (the raw values it
keeps in ``data-raw``) must equal :func:`impactsim.run` of the scenario the page's "download
this scenario" writes for those settings, to a relative 1e-9; its number text must be the
library's :func:`~impactsim.engine.measures.format_value` of them. Also: keyboard operation, the
URL records the sliders, the download, no network, no horizontal scrolling at phone width.

Needs Chromium (Debian: ``apt-get install chromium``; or ``IMPACTSIM_CHROMIUM=/path``): the
test is skipped, saying so, only when no Chromium is installed.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import impactsim as ims
from _cli_support import ROOT, run_cli
from impactsim.engine.measures import format_value
from impactsim.scenario.schema import Scenario

CHROMIUM = os.environ.get("IMPACTSIM_CHROMIUM") or next(
    (p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome"))
     if p), None)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium installed (Debian: apt-get install chromium, or set IMPACTSIM_CHROMIUM):"
           " the explorer's browser test needs a headless Chromium",
)
#: Random slider settings checked against the library, per page: a national scenario, a
#: multi-region one (a local share moves spending between regions) and a provincial one.
N_SETTINGS = int(os.environ.get("IMPACTSIM_BROWSER_SETTINGS", "12"))
PAGES = {"korea": N_SETTINGS, "apec-aws": 3, "korea-provinces": 3}
TOL = 1e-9

SET_SLIDERS = """(values) => {
  for (const [id, v] of Object.entries(values)) {
    const el = document.getElementById(id);
    el.value = String(v);
    el.dispatchEvent(new Event('input', {bubbles: true}));
  }
}"""
READ_PAGE = """() => ({
  cells: Array.from(document.querySelectorAll('[data-cell]')).map(e => ({
    key: e.getAttribute('data-cell'), raw: Number(e.getAttribute('data-raw')),
    factor: Number(e.getAttribute('data-factor')), text: e.textContent})),
  appraisal: Array.from(document.querySelectorAll('[data-appraisal]')).map(e => ({
    key: e.getAttribute('data-appraisal'), raw: Number(e.getAttribute('data-raw')),
    factor: Number(e.getAttribute('data-factor')), text: e.textContent})),
  yaml: window.impactsimExplorer.yaml(),
})"""
SLIDERS = """() => Array.from(document.querySelectorAll('#explorer input[type=range]')).map(e => ({
  id: e.id, min: Number(e.min), max: Number(e.max), step: Number(e.step),
  kind: e.getAttribute('data-kind'), value: Number(e.value)}))"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gallery")
    scenarios = [ROOT / "scenarios" / f"{name}.yaml" for name in PAGES]
    proc = run_cli("gallery", *scenarios, "-o", out, "--draws", "20", "--quiet", timeout=900)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def browser() -> Any:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _open(browser: Any, url: str, *, width: int = 1280) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_selector("html[data-explorer-ready='1']")
    return page, errors, requests


def _rel(a: float, b: float) -> float:
    if math.isnan(a) and math.isnan(b):
        return 0.0
    return abs(a - b) / abs(a) if a else abs(b)


def compare_with_run(read: dict[str, Any]) -> float:
    """Max relative difference between the page's numbers and a run of its downloaded YAML;
    asserts the text of every number is the library's format of it."""
    scenario = Scenario.from_text(read["yaml"], file="<explorer>", base_dir=ROOT / "scenarios")
    result = ims.run(scenario, draws=0)
    appraisal = result.appraisal().summary
    worst = 0.0
    for cell in read["cells"]:
        phase, effect, measure = cell["key"].split("|")
        ref = float(result.headline(phase).loc[effect, measure])
        worst = max(worst, _rel(ref, cell["raw"]))
        assert cell["text"] == format_value(cell["raw"] * cell["factor"]), cell
    for cell in read["appraisal"]:
        scope, measure, i = cell["key"].split("|")
        col = ("gross", "net", "gross_pv", "net_pv")[int(i)]
        ref = float(appraisal.loc[(scope, measure), col])
        worst = max(worst, _rel(ref, cell["raw"]))
        assert cell["text"] == format_value(cell["raw"] * cell["factor"]), cell
    return worst


@pytest.mark.parametrize("name", list(PAGES))
def test_random_slider_settings_equal_the_library(site: Path, browser: Any, name: str) -> None:
    page, errors, requests = _open(browser, (site / f"{name}.html").as_uri())
    sliders = page.evaluate(SLIDERS)
    assert {s["kind"] for s in sliders} == {"amount", "share", "rate"}
    n_settings = PAGES[name]
    first = page.evaluate(READ_PAGE)
    worst = compare_with_run(first)  # the stated case
    rng = np.random.default_rng(20251029)
    for _ in range(n_settings):
        page.click("#explorer-reset")
        values = {}
        for s in sliders:
            if s["kind"] == "share" and rng.random() < 0.5:
                continue  # left at the table's / the scenario's share
            steps = round((s["max"] - s["min"]) / s["step"])
            values[s["id"]] = repr(round(s["min"] + s["step"] * int(rng.integers(0, steps + 1)),
                                         10))
        page.evaluate(SET_SLIDERS, values)
        worst = max(worst, compare_with_run(page.evaluate(READ_PAGE)))
    report = {"page": name, "settings": n_settings + 1, "max_rel_diff": worst}
    (site / f"browser-test-{name}.json").write_text(json.dumps(report))
    print(f"\nexplorer vs impactsim run: {report}")
    assert worst <= TOL
    assert not errors
    assert all(u.startswith(("file:", "data:", "blob:")) for u in requests), requests


def test_keyboard_url_state_and_download(site: Path, browser: Any) -> None:
    page, errors, _ = _open(browser, (site / "korea.html").as_uri())
    cell = "[data-cell='construction|total|employment']"
    before = float(page.get_attribute(cell, "data-raw"))
    start = float(page.input_value("#amount-1"))
    page.focus("#amount-1")
    page.keyboard.press("ArrowRight")
    step = float(page.get_attribute("#amount-1", "step"))
    assert float(page.input_value("#amount-1")) == pytest.approx(start + step)
    after = float(page.get_attribute(cell, "data-raw"))
    assert after == pytest.approx(before * (start + step) / start, rel=1e-12)  # linear
    url = page.evaluate("location.href")
    assert "amount-1=" in url
    shared, _, _ = _open(browser, url)  # the address reproduces the setting
    assert float(shared.get_attribute(cell, "data-raw")) == after
    with page.expect_download() as info:
        page.click("#explorer-download")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert text == page.evaluate("window.impactsimExplorer.yaml()")
    scenario = Scenario.from_text(text, base_dir=ROOT / "scenarios")
    amount = scenario.investments[0].construction.amount.value
    assert amount == pytest.approx((start + step) * 1e6)
    assert not errors


def test_number_format_mirrors_the_library(site: Path, browser: Any) -> None:
    rng = np.random.default_rng(3)
    values = [0.0, -0.0, 0.5, 1.5, 2.5, 99.5, 99.95, 99.96, 100.5, 101.5, 2.675, 0.125, 0.375,
              1e-5, 1.5e-5, -1.25e-7, 0.0001, 0.00012345, 123456789.5, 1e21, 2.5e22, -1234.5,
              21760.4, 0.4173, 0.1234, 1 / 3, 2 / 3, 1e300, 5e-324, 12.345, 1.005, 99.999]
    values += list(rng.normal(0, 1, 300) * 10.0 ** rng.integers(-8, 14, 300))
    values += list(np.round(rng.uniform(-1000, 1000, 200), 1) + 0.5)
    values = [float(v) for v in values]
    page, _, _ = _open(browser, (site / "korea.html").as_uri())
    js = page.evaluate("""(vs) => vs.map(v => [window.impactsimExplorer.formatValue(v),
        window.impactsimExplorer.formatValue(v, {percent: true}),
        window.impactsimExplorer.formatValue(v, {digits: 2})])""", values)
    for v, (plain, pct, two) in zip(values, js, strict=True):
        assert plain == format_value(v), v
        assert pct == format_value(v, percent=True), v
        assert two == format_value(v, digits=2), v
    assert page.evaluate("window.impactsimExplorer.formatValue(NaN)") == format_value(math.nan)


def test_phone_width_has_no_page_scrolling(site: Path, browser: Any) -> None:
    for name in ("korea.html", "index.html"):
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.goto((site / name).as_uri())
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 375, (name, wide)
