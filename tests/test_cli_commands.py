"""The other commands end to end (subprocess): help, validate, tables, multipliers, compare,
report, schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from _cli_support import ROOT, SCENARIOS, assert_user_error, invoke, run_cli
from _report_support import DET, mb_table

COMMANDS = ["run", "validate", "tables", "multipliers", "compare", "report", "schema"]


def test_help_everywhere_with_an_example() -> None:
    top = run_cli("--help")
    assert top.returncode == 0
    for cmd in COMMANDS:
        assert cmd in top.stdout
        proc = invoke(cmd, "--help")
        assert proc.returncode == 0, proc.stderr
        assert "Example" in proc.stdout and f"impactsim {cmd}" in proc.stdout, cmd


def test_version_and_module_entry_point() -> None:
    import subprocess
    import sys

    import impactsim

    proc = subprocess.run(
        [sys.executable, "-m", "impactsim", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == f"impactsim {impactsim.__version__}"


def test_validate_every_shipped_scenario() -> None:
    assert SCENARIOS, "no scenarios/*.yaml in the repository"
    proc = run_cli("validate", *SCENARIOS, "--json")
    doc = json.loads(proc.stdout)
    assert [Path(f["file"]).name for f in doc["files"]] == [p.name for p in SCENARIOS]
    ok = [f for f in doc["files"] if f["valid"]]
    assert ok, proc.stderr
    if len(ok) == len(SCENARIOS):
        assert proc.returncode == 0
    else:  # e.g. a multi-region scenario before the multi-region table: said in one line each
        assert proc.returncode in (1, 2)
        for f in doc["files"]:
            if not f["valid"]:
                assert Path(f["file"]).name in proc.stderr


def test_tables_lists_the_catalog() -> None:
    proc = invoke("tables", "--json")
    assert proc.returncode == 0, proc.stderr
    names = [r["name"] for r in json.loads(proc.stdout)["rows"]]
    assert "korea-2020" in names
    text = invoke("tables")
    assert text.returncode == 0 and "korea-2020" in text.stdout


def test_multipliers_hand_calculated(tmp_path: Path) -> None:
    mb_table().to_dir(tmp_path / "mb")
    proc = run_cli("multipliers", tmp_path / "mb", "--json")
    assert proc.returncode == 0, proc.stderr
    rows = {r["sector"]: r for r in json.loads(proc.stdout)["rows"]}
    # output multipliers = column sums of L = [[0.95, 0.25], [0.2, 0.85]] / 0.7575
    assert rows["AGR"]["output"] == pytest.approx(1.15 / DET)
    assert rows["MAN"]["output"] == pytest.approx(1.10 / DET)
    # employment: e'L with e = (10/1000, 40/2000)
    assert rows["AGR"]["employment"] == pytest.approx((0.01 * 0.95 + 0.02 * 0.2) / DET)
    assert rows["AGR"]["name"] == "Agriculture"
    ratio = invoke("multipliers", tmp_path / "mb", "--form", "ratio", "--json", "--sector", "MAN")
    (man,) = json.loads(ratio.stdout)["rows"]
    # (direct + indirect) / direct: (e'L)_MAN / e_MAN, and for output the column sum of L
    assert man["employment"] == pytest.approx((0.01 * 0.25 + 0.02 * 0.85) / DET / 0.02)
    assert man["output"] == pytest.approx(1.10 / DET)


def test_multipliers_korea_type_ii_exceeds_type_i() -> None:
    one = run_cli(
        "multipliers", "korea-2020", "--sector", "610-DC", "--sector", "310-MEM", "--json"
    )
    two = invoke(
        "multipliers",
        "korea-2020",
        "--sector",
        "610-DC",
        "--sector",
        "310-MEM",
        "--json",
        "--induced",
    )
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    r1 = {r["sector"]: r for r in json.loads(one.stdout)["rows"]}
    r2 = {r["sector"]: r for r in json.loads(two.stdout)["rows"]}
    for s in ("610-DC", "310-MEM"):
        assert r1[s]["output"] >= 1.0  # L ≥ I
        assert r2[s]["output"] > r1[s]["output"]  # Type II ≥ Type I
    table = invoke("multipliers", "--sector", "610-DC")
    assert table.returncode == 0 and "Data centres" in table.stdout


def test_multipliers_bad_sector_and_table() -> None:
    assert_user_error(run_cli("multipliers", "--sector", "610-XX"), 2, "610-XX")
    assert_user_error(invoke("multipliers", "no-such-table"), 2, "no-such-table")


def test_compare_side_by_side_and_difference(tmp_path: Path) -> None:
    from test_cli_run import MINIMAL

    a = tmp_path / "small.yaml"
    b = tmp_path / "large.yaml"
    a.write_text(MINIMAL)
    b.write_text(MINIMAL.replace("amount: 1.0e+12", "amount: 3.0e+12"))
    proc = run_cli("compare", a, b, "--json")
    assert proc.returncode == 0, proc.stderr
    rows = {r["phase · measure"]: r for r in json.loads(proc.stdout)["rows"]}
    assert "construction · employment" in rows and "construction · output" in rows
    for row in rows.values():
        # linearity: three times the spending gives three times every effect
        assert row["large"] == pytest.approx(3 * row["small"])
        assert row["large − small"] == pytest.approx(row["large"] - row["small"])
    table = invoke("compare", a, b)
    assert table.returncode == 0 and "large − small" in table.stdout


def test_report_html_and_markdown(tmp_path: Path) -> None:
    scenario = ROOT / "scenarios" / "korea.yaml"
    proc = run_cli("report", scenario, "-o", tmp_path / "korea.html")
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "korea.html").read_text()
    assert html.count("<svg") >= 3 and not re.search(r"(src|href)=\"https?://", html)
    assert "Claims" in html
    proc = run_cli("report", scenario, "-o", tmp_path / "korea.md", "--json")
    assert proc.returncode == 0, proc.stderr
    files = json.loads(proc.stdout)["files"]
    assert str(tmp_path / "korea.md") in files
    assert (tmp_path / "korea_files" / "effects.svg").exists()


def test_schema_is_json_schema(tmp_path: Path) -> None:
    proc = run_cli("schema")
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    assert "investments" in schema["properties"] and "claims" in schema["properties"]
    assert invoke("schema", "-o", tmp_path / "s.json").returncode == 0
    assert json.loads((tmp_path / "s.json").read_text()) == schema
