"""The end of a command's process: a signal after the command finished changes nothing, exit
functions run, the whole output reaches a pipe, and threads still working are waited for."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from _adv_support import MINI, cli, cli_env

_SIGNAL_AT_SHUTDOWN = """
import atexit, os, signal, sys
from pathlib import Path
from impactsim.cli.entry import run_and_exit

def late():  # runs once the command has returned: a signal now has nothing to interrupt
    os.kill(os.getpid(), signal.{sig})
    sum(range(200000))  # Python would run a handler here
    Path(sys.argv[1]).write_text("exit functions ran", encoding="utf-8")

atexit.register(late)
run_and_exit(["validate", sys.argv[2]])
"""


def _script(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "script.py").write_text(source, encoding="utf-8")
    return subprocess.run([sys.executable, str(tmp_path / "script.py"), *args],
                          capture_output=True, text=True, env=cli_env(), timeout=120,
                          check=False)


def test_a_signal_during_shutdown_keeps_the_commands_status_and_output(tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(MINI, encoding="utf-8")
    marker = tmp_path / "marker"
    for sig in ("SIGINT", "SIGTERM"):
        done = _script(tmp_path, _SIGNAL_AT_SHUTDOWN.format(sig=sig), str(marker),
                       str(tmp_path / "mini.yaml"))
        # without the guard: killed by the signal's default action (status -2 / -15, silent)
        # or an "Exception ignored in atexit callback" traceback
        assert done.returncode == 0, (sig, done.returncode, done.stderr)
        assert done.stderr == "", done.stderr
        assert "mini.yaml" in done.stdout
        assert marker.read_text(encoding="utf-8") == "exit functions ran"
        marker.unlink()


_THREAD_STILL_WORKING = """
import sys, threading, time
from pathlib import Path
from impactsim.cli.entry import run_and_exit

def work():
    time.sleep(0.5)
    Path(sys.argv[1]).write_text("the thread finished", encoding="utf-8")

threading.Thread(target=work).start()  # not a daemon: Python's shutdown waits for it
run_and_exit(["schema"])
"""


def test_a_thread_still_working_is_waited_for(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    done = _script(tmp_path, _THREAD_STILL_WORKING, str(marker))
    assert done.returncode == 0, done.stderr
    assert marker.read_text(encoding="utf-8") == "the thread finished"
    assert json.loads(done.stdout)["title"]


def test_the_whole_output_reaches_a_pipe() -> None:
    """The JSON Schema (tens of kB, many writes) arrives whole through a pipe: the streams are
    flushed before the process ends with ``os._exit``."""
    done = cli("schema")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 40000
    schema = json.loads(done.stdout)
    assert "properties" in schema


def test_the_status_of_a_failed_command_survives_the_fast_exit(tmp_path: Path) -> None:
    done = cli("validate", tmp_path / "missing.yaml")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "missing.yaml" in done.stderr


def test_interrupts_still_report_when_the_command_is_interrupted(tmp_path: Path) -> None:
    """SIGINT while the command still works: 130 and one line, as before the exit path."""
    source = ("import os, signal\n"
              "import impactsim.cli.entry as e\n"
              "from impactsim.cli.entry import run_and_exit\n"
              "real = e.app\n"
              "def app(**kw):\n"
              "    os.kill(os.getpid(), signal.SIGINT)\n"
              "    sum(range(200000))\n"
              "    return real(**kw)\n"
              "e.app = app\n"
              "run_and_exit(['schema'])\n")
    done = _script(tmp_path, source)
    assert done.returncode == 128 + signal.SIGINT, done.stderr
    assert done.stderr.strip() == "impactsim: interrupted" and done.stdout == ""
