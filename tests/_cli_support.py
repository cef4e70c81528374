"""Run the installed ``impactsim`` command as a subprocess (tests of the CLI end to end)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))

#: The smallest valid scenario on the bundled table (tests mutate it into bad ones).
MINIMAL_SCENARIO = """\
name: mini
title: Minimal test scenario
table: korea-2020
currency: KRW
price_year: 2020
investments:
  - name: site
    investor: Test
    construction:
      amount: 1.0e+12
      period: [2026, 2027]
      pattern: ai-data-centre-capex
"""


def command() -> list[str]:
    """The console script next to this interpreter, else on PATH, else ``python -m impactsim``."""
    beside = Path(sys.executable).with_name("impactsim")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("impactsim")
    return [found] if found else [sys.executable, "-m", "impactsim"]


def run_cli(
    *args: str | Path, cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MPLBACKEND="Agg", COLUMNS="160", NO_COLOR="1")
    return subprocess.run(
        [*command(), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        timeout=timeout,
        check=False,
    )


def assert_user_error(proc: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    """Exit status ``code``, one line on stderr starting 'impactsim: error:', no traceback."""
    assert proc.returncode == code, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("impactsim: error:"), lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def invoke(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the command in this process (typer's CliRunner): for option and format checks that
    need not pay an interpreter start each; the subprocess tests cover the installed command."""
    from typer.testing import CliRunner

    from impactsim.cli import app

    res = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "160"})
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    return subprocess.CompletedProcess(list(map(str, args)), res.exit_code, res.stdout,
                                       res.stderr)
