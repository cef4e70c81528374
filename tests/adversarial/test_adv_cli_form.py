"""Class 6, form: usage errors as one line (exit 2) with a JSON error object under --json, and
the former "internal error" paths mapped to a named cause."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _adv_support import KOREA, MINI, cli, cli_env, main_inprocess, one_line_error

USAGE = [
    (["run", "--draws", "abc", "x.yaml"], "--draws"),
    (["run", "--format", "bogus", "x.yaml"], "--format"),
    (["run", "--bogus", "x.yaml"], "--bogus"),
    (["run"], "Missing argument"),
    (["validate"], "Missing argument"),
    (["report", "x.yaml"], "--output"),
    (["run", "--seed", "-1", "x.yaml"], "--seed"),
    (["nosuchcommand"], "nosuchcommand"),
]


@pytest.mark.parametrize(("argv", "needle"), USAGE, ids=[" ".join(a) for a, _ in USAGE])
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_usage_errors_are_one_line_exit_2_and_json(
    argv: list[str], needle: str, as_json: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = main_inprocess([*argv, *(["--json"] if as_json else [])], capsys)
    assert rc == 2
    line = one_line_error(err)
    assert needle in line and "╭" not in err
    if as_json:
        doc = json.loads(out)
        assert doc["error"]["exit_status"] == 2 and needle in doc["error"]["message"]
    else:
        assert out == ""


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["run", str(KOREA), "--dask-address", "not an address", "--draws", "5"],
         "--dask-address"),
        (["run", str(KOREA), "--draws", "999999999999"], "at most"),
        (["validate", "a" * 300 + ".yaml"], "too long"),
        (["run", str(KOREA), "-o", "/proc/version/x"], "/proc/version"),
    ],
    ids=["dask-address", "absurd-draws", "long-path", "output-under-a-file"],
)
def test_former_internal_errors_name_their_cause(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = main_inprocess([*argv, "--json"], capsys)
    assert rc == 2, err
    line = one_line_error(err)
    assert needle in line and "internal error" not in line
    doc = json.loads(out)
    assert doc["error"]["exit_status"] == 2 if "error" in doc else not doc["files"][0]["valid"]


def test_non_utf8_file_name_and_an_ascii_terminal(tmp_path: Path) -> None:
    """A file name that is not UTF-8, a title with non-ASCII text, a terminal that only encodes
    ASCII: no encoding error anywhere (undecodable bytes shown as escapes)."""
    name = os.fsdecode(b"sc\xff\xfe.yaml")
    path = tmp_path / name
    path.write_text(MINI.replace("Minimal test scenario", "Scénario ☕"), encoding="utf-8")
    env = cli_env(PYTHONIOENCODING="ascii")
    ok = cli("run", path, "--no-induced", env=env)
    assert ok.returncode == 0, ok.stderr
    assert "Sc\\xe9nario" in ok.stdout or "Sc?nario" in ok.stdout or "Scénario" in ok.stdout
    bad = tmp_path / os.fsdecode(b"bad\xff.yaml")
    bad.write_text(MINI.replace("amount: 1.0e+12", "amount: -5"), encoding="utf-8")
    proc = cli("validate", bad, "--json", env=env)
    assert proc.returncode == 2
    assert "internal error" not in one_line_error(proc.stderr)
    assert json.loads(proc.stdout)["files"][0]["valid"] is False


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_stdout_to_dev_full_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(MINI, encoding="utf-8")
    with open("/dev/full", "w") as full:
        proc = cli("run", tmp_path / "mini.yaml", "--json", "--no-induced", stdout=full,
                   capture_output=False, stderr=subprocess.PIPE)
    assert proc.returncode == 2
    assert "no space left" in proc.stderr.lower() and "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr


def test_the_json_error_object_of_a_bad_scenario(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(MINI + '"unknown_key\\e]8;;http://evil\\e\\\\": 1\n', encoding="utf-8")
    rc, out, err = main_inprocess(["run", str(path), "--json"], capsys)
    assert rc == 2
    line = one_line_error(err)
    assert "\x1b" not in line and "unknown_key" in line
    assert json.loads(out)["error"]["exit_status"] == 2


if sys.platform != "linux":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX streams and /proc paths")
