"""Helpers of the adversarial suite: the CLI of *this* source tree, in-process or as a process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))  # the shared test support beside tests/adversarial
from _cli_support import MINIMAL_SCENARIO  # noqa: E402

SRC = ROOT / "src"
KOREA = ROOT / "scenarios" / "korea.yaml"

#: The smallest valid scenario on the bundled table (cases mutate it): the CLI tests' own.
MINI = MINIMAL_SCENARIO


def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, MPLBACKEND="Agg", COLUMNS="160", NO_COLOR="1")
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.update(extra)
    return env


def cli(
    *args: Any, timeout: float = 120, env: dict[str, str] | None = None, **kw: Any
) -> subprocess.CompletedProcess[str]:
    """``python -m impactsim ARGS`` on this source tree, as a separate process."""
    kw.setdefault("capture_output", True)
    return subprocess.run(
        [sys.executable, "-m", "impactsim", *map(os.fsdecode, args)],
        text=True, cwd=ROOT, env=env or cli_env(), timeout=timeout,
        check=False, errors="replace", **kw,
    )


def start(*args: Any, **kw: Any) -> subprocess.Popen[str]:
    """The CLI as a running process (for signals)."""
    return subprocess.Popen(
        [sys.executable, "-m", "impactsim", *map(os.fsdecode, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=cli_env(),
        **kw,
    )


@contextmanager
def saved_signals() -> Iterator[None]:
    """Restore SIGINT/SIGTERM/SIGXFSZ handlers and the CLI's interrupt record afterwards."""
    from impactsim.cli.app import INTERRUPT

    sigs = [signal.SIGINT, signal.SIGTERM, signal.SIGXFSZ]
    before = {s: signal.getsignal(s) for s in sigs}
    state = dict(INTERRUPT)
    try:
        yield
    finally:
        for s, h in before.items():
            signal.signal(s, h)
        INTERRUPT.clear()
        INTERRUPT.update(state)


def main_inprocess(argv: Sequence[str], capsys: Any) -> tuple[int, str, str]:
    """Run the CLI entry point in this process; (exit status, stdout, stderr)."""
    from impactsim.cli.entry import run_main

    with saved_signals():
        rc = run_main([os.fsdecode(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def one_line_error(err: str) -> str:
    """The single 'impactsim: error:' line of stderr (asserting there is exactly one)."""
    assert "Traceback" not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("impactsim: error: "), err
    return lines[0]
