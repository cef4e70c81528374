"""``impactsim run`` end to end, as a subprocess, on every shipped scenario: output, files,
provenance, atomic writes and exit status."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

import impactsim as ims
from _cli_support import MINIMAL_SCENARIO as MINIMAL
from _cli_support import ROOT, SCENARIOS, assert_user_error, invoke, run_cli


def test_scenarios_are_shipped() -> None:
    assert SCENARIOS, "no scenarios/*.yaml in the repository"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_run_shipped_scenario_prints_headline_and_writes_files(
    scenario: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    proc = run_cli("run", scenario, "-o", out, "--full")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    table = ims.load_table(ims.Scenario.from_yaml(scenario).table)
    year = table.meta.year
    if table.employment is not None:
        assert "Construction: job-years" in text or "Operations: jobs per year" in text
    else:  # money only: no job-years heading on a table without jobs
        assert "Construction: total over" in text and "Construction: job-years" not in text
    assert f"Table {table.meta.name}" in text and f"data year {year}" in text
    assert f"{table.meta.price_year} prices" in text
    assert "Top sectors by" in text
    stem = scenario.stem
    results = pd.read_csv(out / f"{stem}.results.csv", dtype={"sector": str})
    expected = ["investment", "phase", "year", "region", "sector", "effect", "measure", "value"]
    # multi-region results also say where the spending happened (region = where the effect is)
    extra = ["spending_region"] if "spending_region" in results.columns else []
    assert list(results.columns) == [*expected, *extra, "unit"]
    assert set(results["phase"]) <= {"construction", "operations", "sustaining"}
    summary = pd.read_csv(out / f"{stem}.summary.csv")
    # identity: the construction headline is the sum of its years in the tidy file
    # (the world table has no employment account: use value added there)
    measure = "employment" if "employment" in summary.columns else "value_added"
    if "construction" in set(results["phase"]):
        tidy = results[(results["phase"] == "construction") & (results["measure"] == measure)][
            "value"
        ].sum()
        head = summary[(summary["phase"] == "construction") & (summary["effect"] == "total")]
        assert head[measure].iloc[0] == pytest.approx(tidy, rel=1e-9)
    prov = json.loads((out / f"{stem}.provenance.json").read_text())
    assert prov["scenario_sha256"] == hashlib.sha256(scenario.read_bytes()).hexdigest()
    assert len(prov["table"]["sha256"]) == 64
    assert prov["impactsim_version"]
    assert prov["command"][:2] == ["impactsim", "run"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left


def test_run_json_matches_files(tmp_path: Path) -> None:
    scenario = ROOT / "scenarios" / "korea.yaml"
    proc = run_cli("run", scenario, "--json", "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    (sc,) = doc["scenarios"]
    assert sc["table"]["name"] == "korea-2020" and sc["table"]["price_year"] == 2020
    total = sc["phases"]["construction"]["effects"]["total"]["employment"]
    summary = pd.read_csv(tmp_path / "korea.summary.csv")
    row = summary[(summary["phase"] == "construction") & (summary["effect"] == "total")]
    assert total == pytest.approx(row["employment"].iloc[0])
    effects = sc["phases"]["construction"]["effects"]
    parts = sum(effects[e]["employment"] for e in ("direct", "indirect", "induced"))
    assert parts == pytest.approx(total)  # direct + indirect + induced = total
    assert sc["claims"], "korea.yaml carries the seed's 'thousands of jobs' claim"
    assert {c["verdict"] for c in sc["claims"]} <= {
        "consistent",
        "above",
        "below",
        "depends on the reading",
        "not decisive (model is a lower bound)",
        "not comparable",
    }
    assert sorted(Path(f).name for f in doc["files"]) == sorted(p.name for p in tmp_path.iterdir())


@pytest.mark.parametrize("fmt", ["json", "parquet", "xlsx", "md", "html"])
def test_run_file_formats(fmt: str, tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(MINIMAL)
    proc = invoke("run", tmp_path / "mini.yaml", "-o", tmp_path / "o", "--format", fmt, "-q")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""  # --quiet
    names = set(_files(tmp_path / "o"))
    data = {"json": "json", "parquet": "parquet", "xlsx": "xlsx"}.get(fmt, "csv")
    assert {f"mini.results.{data}", f"mini.summary.{data}", "mini.provenance.json"} <= names
    if fmt == "html":
        assert "mini.report.html" in names
    if fmt == "md":
        assert "mini.report.md" in names and "mini.report_files/effects.svg" in names


def test_failed_run_never_clobbers_previous_results(tmp_path: Path) -> None:
    good = tmp_path / "mini.yaml"
    good.write_text(MINIMAL)
    out = tmp_path / "out"
    assert run_cli("run", good, "-o", out, "-q").returncode == 0
    before = _files(out)
    # a second scenario that fails: nothing of the first is rewritten either (all or nothing)
    bad = tmp_path / "other.yaml"
    bad.write_text(
        MINIMAL.replace("name: mini", "name: other").replace("amount: 1.0e+12", "amount: -1.0e+12")
    )
    good.write_text(MINIMAL.replace("amount: 1.0e+12", "amount: 2.0e+12"))
    proc = run_cli("run", good, bad, "-o", out)
    assert_user_error(proc, 2, "other.yaml")
    assert _files(out) == before
    # an output target that cannot be replaced: nothing is written, nothing half-written
    (out / "mini.summary.csv").unlink()
    (out / "mini.summary.csv").mkdir()
    proc = run_cli("run", good, "-o", out)
    assert_user_error(proc, 2, "mini.summary.csv")
    after = _files(out)
    assert after == {k: v for k, v in before.items() if k != "mini.summary.csv"}


def test_run_stdout_formats(tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(MINIMAL)
    csv = invoke("run", tmp_path / "mini.yaml", "--format", "csv")
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines()[0].startswith("scenario,phase,effect,basis,employment")
    md = invoke("run", tmp_path / "mini.yaml", "--format", "md", "--no-induced")
    assert md.returncode == 0 and md.stdout.startswith("# Minimal test scenario")
    assert "| induced |" not in md.stdout


def test_progress_bar_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The draws' progress bar is drawn on a terminal (here forced with FORCE_COLOR) and not
    even built when stderr is a pipe or a file (TTY_COMPATIBLE=0): nothing to draw it on."""
    import rich.progress

    path = tmp_path / "mini.yaml"
    path.write_text(MINIMAL + "uncertainty:\n  draws: 20\n  table_coefficients: {relative: 0.1}\n",
                    encoding="utf-8")
    monkeypatch.setenv("FORCE_COLOR", "1")
    shown = invoke("run", path)
    assert shown.returncode == 0 and "draws (" in shown.stderr, shown.stderr
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("TTY_COMPATIBLE", "0")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a progress bar built for a pipe")

    monkeypatch.setattr(rich.progress, "Progress", refuse)
    quiet = invoke("run", path)
    assert quiet.returncode == 0 and quiet.stderr == "", quiet.stderr
