"""Bad input gives exit status 2 and one line naming the file, the field and the fix; model or
data failures give 1; ``--debug`` shows the traceback. Run as a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import impactsim as ims
from _cli_support import MINIMAL_SCENARIO as GOOD
from _cli_support import assert_user_error, invoke, run_cli
from impactsim.cli import EXIT_BAD_INPUT, EXIT_FAILURE
from impactsim.cli.app import _exit_code

BAD = {
    "unknown-key": (GOOD.replace("currency: KRW", "currency: KRW\ncolour: red"), ["colour"]),
    "negative-amount": (GOOD.replace("amount: 1.0e+12", "amount: -5"), ["amount"]),
    "reversed-period": (GOOD.replace("[2026, 2027]", "[2027, 2026]"), ["period", "reversed"]),
    "unknown-pattern": (GOOD.replace("ai-data-centre-capex", "no-such-pattern"), ["pattern"]),
    "malformed-yaml": (GOOD.replace("investments:", "investments: [unclosed"), []),
    "empty-file": ("", []),
    "object-tag": ("!!python/object/apply:os.system ['echo hi']\n", []),
}


def test_invalid_scenarios_are_one_line_exit_2(tmp_path: Path) -> None:
    for case, (text, _) in BAD.items():
        (tmp_path / f"{case}.yaml").write_text(text)
    cases = sorted(BAD)
    proc = run_cli("validate", *(tmp_path / f"{c}.yaml" for c in cases))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == len(cases), proc.stderr  # one line per file
    for line, case in zip(lines, cases, strict=True):
        assert line.startswith("impactsim: error:") and f"{case}.yaml" in line, line
        for needle in BAD[case][1]:
            assert needle in line, (needle, line)
        if case not in ("empty-file", "malformed-yaml", "object-tag"):
            assert "fix" in line.lower(), line
    for case in ("unknown-key", "object-tag"):  # and through `run`
        assert_user_error(run_cli("run", tmp_path / f"{case}.yaml"), 2, f"{case}.yaml",
                          *BAD[case][1])


def test_debug_shows_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD["unknown-key"][0])
    proc = run_cli("run", path, "--debug")
    assert proc.returncode == 2
    assert "Traceback" in proc.stderr and "ScenarioError" in proc.stderr


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    assert_user_error(run_cli("run", tmp_path / "nope.yaml"), 2, "nope.yaml", "no such file")
    assert_user_error(run_cli("run", tmp_path), 2, str(tmp_path), "folder")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage\x81")
    assert_user_error(run_cli("validate", binary), 2, "binary.yaml")


def test_bad_usage_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(GOOD)
    proc = run_cli("run", tmp_path / "mini.yaml", "--format", "nope")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = invoke("run", tmp_path / "mini.yaml", "--format", "parquet")
    assert_user_error(proc, 2, "-o DIR")
    proc = invoke("report", tmp_path / "mini.yaml", "-o", tmp_path / "r.pdf")
    assert_user_error(proc, 2, ".html or .md")
    assert invoke("no-such-command").returncode == 2
    assert invoke("compare", tmp_path / "mini.yaml").returncode == 2


def test_json_error_document(tmp_path: Path) -> None:
    proc = run_cli("run", tmp_path / "nope.yaml", "--json")
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    assert doc["error"]["exit_status"] == 2 and "nope.yaml" in doc["error"]["message"]


def test_model_failure_is_exit_1(tmp_path: Path) -> None:
    # A balanced table whose coefficients are not productive: a_11 = a_22 = 1.2 (negative value
    # added and final demand are legal), so (I − A) has no non-negative inverse.
    table = ims.IOTable.from_arrays(
        [[60.0, 0.0], [0.0, 60.0]],
        [[-10.0], [-10.0]],
        [[-10.0, -10.0]],
        sectors=["A", "B"],
        output=[50.0, 50.0],
        name="unproductive",
    )
    table.to_dir(tmp_path / "t")
    proc = run_cli("multipliers", tmp_path / "t")
    assert_user_error(proc, 1, "not productive")


def test_exit_code_mapping() -> None:
    assert _exit_code(ims.ScenarioError("x")) == EXIT_BAD_INPUT
    assert _exit_code(ims.OptionError("x")) == EXIT_BAD_INPUT
    assert _exit_code(FileNotFoundError(2, "no such file", "f")) == EXIT_BAD_INPUT
    assert _exit_code(ims.TableError("x")) == EXIT_FAILURE
    assert _exit_code(ims.NotProductiveError("x")) == EXIT_FAILURE
    assert _exit_code(RuntimeError("bug")) == EXIT_FAILURE


def test_output_paths_of_the_wrong_kind_fail_before_running(tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(GOOD)
    existing = tmp_path / "existing.txt"
    existing.write_text("keep me")
    proc = invoke("run", tmp_path / "mini.yaml", "-o", existing)
    assert_user_error(proc, 2, "existing.txt", "give a folder")
    assert proc.stdout == "" and existing.read_text() == "keep me"  # nothing run, nothing lost
    assert invoke("report", tmp_path / "mini.yaml", "-o", tmp_path / "new.html").returncode == 0
    (tmp_path / "dir.html").mkdir()
    assert_user_error(invoke("report", tmp_path / "mini.yaml", "-o", tmp_path / "dir.html"), 2,
                      "dir.html", "is a folder")


def test_negative_seed_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(GOOD)
    proc = invoke("run", tmp_path / "mini.yaml", "--seed", "-5")
    assert proc.returncode == 2 and "--seed" in proc.stdout + proc.stderr
