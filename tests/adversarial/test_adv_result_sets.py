"""Class 4, results are a set: staged beside the target and swapped in whole; stale files gone;
leftovers of killed runs cleaned; full disks and size limits leave the previous result intact."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from _adv_support import MINI, cli, start
from hypothesis import given, settings
from hypothesis import strategies as st

from impactsim.present.commit import MANIFEST, clean_leftovers, commit_folder
from impactsim.present.writers import OutputError


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def test_a_rerun_replaces_the_whole_set_and_drops_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    commit_folder(out, {out / "a.results.csv": b"1", out / "a.claims.csv": b"old claims",
                        out / "a.report_files" / "x.svg": b"<svg/>"})
    commit_folder(out, {out / "a.results.csv": b"2"})
    tree = _tree(out)
    assert set(tree) == {"a.results.csv", MANIFEST}  # no stale claims.csv or chart folder
    assert tree["a.results.csv"] == b"2"
    doc = json.loads(tree[MANIFEST])
    assert doc["files"] == {"a.results.csv": hashlib.sha256(b"2").hexdigest()}
    assert _siblings(out) == []


class _Boom(Exception):
    pass


@pytest.mark.parametrize(
    "exc",
    [OSError(errno.ENOSPC, "No space left on device"), OSError(errno.EFBIG, "File too large"),
     KeyboardInterrupt(), _Boom("serialiser failed")],
    ids=["disk-full", "size-limit", "interrupt", "error"],
)
def test_a_failure_while_staging_leaves_the_previous_result(tmp_path: Path, exc: BaseException
                                                             ) -> None:
    out = tmp_path / "out"
    commit_folder(out, {out / "a.results.csv": b"1", out / "a.summary.csv": b"s"})
    before = _tree(out)

    def failing(fh: Any) -> None:
        fh.write(b"partial")
        raise exc

    expected: type[BaseException] = OutputError if isinstance(exc, OSError) else type(exc)
    with pytest.raises(expected) as info:
        commit_folder(out, {out / "a.results.csv": b"2", out / "a.summary.csv": failing})
    if isinstance(exc, OSError):
        msg = str(info.value)
        assert "\n" not in msg and "previous results are unchanged" in msg
    assert _tree(out) == before
    assert _siblings(out) == []  # the staging folder is gone


def test_leftovers_of_a_killed_run_are_cleaned_and_an_old_set_restored(tmp_path: Path) -> None:
    out = tmp_path / "out"
    dead = 2**22 + 4321  # above any pid_max: no such process
    stale = tmp_path / f".out.staging-{dead}-abcd1234"
    stale.mkdir()
    (stale / "big.tmp").write_bytes(b"x" * 1000)
    old = tmp_path / f".out.old-{dead}"  # a crash between the two fallback renames
    commit_folder(old, {old / "a.results.csv": b"old"})
    clean_leftovers(out)
    assert not stale.exists() and (out / "a.results.csv").read_bytes() == b"old"
    commit_folder(out, {out / "a.results.csv": b"new"})
    assert _tree(out)["a.results.csv"] == b"new" and _siblings(out) == []


def test_a_folder_with_foreign_files_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(OutputError, match="did not write"):
        commit_folder(out, {out / "a.results.csv": b"1"})
    assert _tree(out) == {"thesis.docx": b"precious"} and _siblings(out) == []


_NAMES = st.sampled_from(["a.results.csv", "a.summary.csv", "a.claims.csv", "a.provenance.json",
                          "b.results.json", "a.report.md", "a.report_files/e.svg"])


@settings(max_examples=15, deadline=None)
@given(first=st.dictionaries(_NAMES, st.binary(max_size=40), min_size=1),
       second=st.dictionaries(_NAMES, st.binary(max_size=40), min_size=1))
def test_the_folder_always_holds_exactly_the_last_set(
    first: dict[str, bytes], second: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path_factory.mktemp("r") / "out"
    for files in (first, second):
        commit_folder(out, {out / k: v for k, v in files.items()})
    tree = _tree(out)
    manifest = json.loads(tree.pop(MANIFEST))
    assert tree == second
    assert manifest["files"] == {k: hashlib.sha256(v).hexdigest() for k, v in second.items()}


# ----------------------------------------------------------------------------- the CLI
def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


@pytest.mark.slow
def test_cli_file_size_limit_exit_2_previous_result_intact(tmp_path: Path) -> None:
    """`ulimit -f` below the size of results.csv: one line, exit 2, nothing changed."""
    (tmp_path / "mini.yaml").write_text(MINI, encoding="utf-8")
    out = tmp_path / "out"
    commit_folder(out, {out / "mini.results.csv": b"previous"})
    before = _tree(out)
    proc = cli("run", tmp_path / "mini.yaml", "-o", out, "-q", preexec_fn=_limit_file_size)
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "file too large" in lines[0] and "Traceback" not in proc.stderr
    assert _tree(out) == before and _siblings(out) == []


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_cli_signals_interrupt_cleanly_and_leave_a_whole_set(
    tmp_path: Path, sig: int, code: int
) -> None:
    """A signal while draws run: 'interrupted', 130/143, no traceback, the old set intact."""
    (tmp_path / "mini.yaml").write_text(
        MINI + "uncertainty:\n  draws: 200000\n  table_coefficients: {relative: 0.1}\n",
        encoding="utf-8")
    out = tmp_path / "out"
    commit_folder(out, {out / "mini.results.csv": b"previous"})
    before = _tree(out)
    proc = start("run", tmp_path / "mini.yaml", "-o", out, "-q")
    time.sleep(4.0)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr and stderr.strip() == "impactsim: interrupted", stderr
    assert _tree(out) == before and _siblings(out) == []


def _wait_for_imports(pid: int, timeout: float = 30.0) -> None:
    """Until the process has loaded a compiled module of impactsim's imports (numpy, yaml,
    pydantic): Python's own start-up (site) has finished and impactsim code is running."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        try:
            maps = Path(f"/proc/{pid}/maps").read_text()
        except OSError:
            return
        if any(m in maps for m in ("_multiarray_umath", "_yaml", "pydantic_core")):
            return
        time.sleep(0.005)


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "delay"), [(signal.SIGINT, 0.0), (signal.SIGTERM, 0.0),
                                            (signal.SIGINT, 0.5)])
def test_cli_signal_while_starting_has_no_traceback(sig: int, delay: float) -> None:
    """A signal while impactsim imports its modules (the first second of a run)."""
    proc = start("validate", "scenarios/korea.yaml")
    _wait_for_imports(proc.pid)
    time.sleep(delay)
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    assert "Traceback" not in stderr, stderr
    if proc.returncode != 0:  # it may have finished first
        # 128 + sig, or death by the signal itself, which a shell reports as the same 128 + sig
        # (Python re-raises SIGINT at exit when a KeyboardInterrupt met its shutdown)
        assert proc.returncode in (128 + sig, -sig), (proc.returncode, stderr)
        assert stderr.strip() == "impactsim: interrupted", stderr


_CALLBACK_SIGNAL = """
import os, signal, sys, time, weakref
from impactsim.cli.entry import install_signal_handlers
install_signal_handlers()
class Held:
    pass
held = Held()
def callback(_):  # Python runs the handler here, where an exception cannot propagate
    os.kill(os.getpid(), signal.SIGINT)
    sum(i for i in range(10000))
ref = weakref.ref(held, callback)
try:
    del held
    time.sleep(2)
    print("not interrupted")
except KeyboardInterrupt:
    print("interrupted")
"""


def test_signal_inside_a_weakref_callback_is_raised_again_without_a_traceback() -> None:
    """The import machinery runs weak-reference callbacks: an interrupt landing in one is not
    printed as an ignored exception but raised again once Python is back in ordinary code."""
    import subprocess
    import sys

    from _adv_support import cli_env

    done = subprocess.run([sys.executable, "-c", _CALLBACK_SIGNAL], capture_output=True,
                          text=True, env=cli_env(), timeout=60, check=False)
    assert "Traceback" not in done.stderr and "ignored" not in done.stderr, done.stderr
    assert done.stdout.strip() == "interrupted"


_INTERRUPT_IN_GENERATED_CODE = """
import os, signal
from impactsim.cli import entry
entry.install_signal_handlers()
try:  # generated source run from a string, as dataclasses and validators do while importing
    exec("os.kill(os.getpid(), signal.SIGTERM)\\nsum(range(100000))")
except KeyboardInterrupt:
    raise SystemExit(entry._interrupted())
raise SystemExit(0)
"""


def test_sigterm_inside_generated_code_exits_143_under_python_m(tmp_path: Path) -> None:
    """CPython remembers an interrupt that left ``exec``-ed source and, under ``python -m``,
    would end the process by SIGINT: the status must stay 128 + SIGTERM."""
    import subprocess
    import sys

    from _adv_support import cli_env

    (tmp_path / "interrupted_module.py").write_text(_INTERRUPT_IN_GENERATED_CODE,
                                                    encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "interrupted_module"], capture_output=True,
                          text=True, cwd=tmp_path, env=cli_env(), timeout=60, check=False)
    assert done.returncode == 128 + signal.SIGTERM, (done.returncode, done.stderr)
    assert done.stderr.strip() == "impactsim: interrupted", done.stderr


def test_output_path_too_long_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    from _adv_support import main_inprocess, one_line_error

    (tmp_path / "mini.yaml").write_text(MINI, encoding="utf-8")
    long = tmp_path / ("o" * 300)
    rc, _, err = main_inprocess(["run", str(tmp_path / "mini.yaml"), "-o", str(long), "-q"],
                                capsys)
    assert rc == 2
    assert "too long" in one_line_error(err)
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]


def test_temp_files_of_killed_writers_are_removed(tmp_path: Path) -> None:
    from impactsim.present.writers import atomic_write

    dead = 2**22 + 4321
    stale = tmp_path / f".report.html.{dead}.abc123.tmp"
    stale.write_bytes(b"x" * 4096)
    alive = tmp_path / f".report.html.{os.getpid()}.def456.tmp"
    alive.write_bytes(b"in use")
    atomic_write(tmp_path / "report.html", "<p>ok</p>")
    assert not stale.exists() and alive.exists()
    assert (tmp_path / "report.html").read_text() == "<p>ok</p>"


def test_a_signal_wrapped_in_another_error_is_still_an_interruption(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """pydantic-core turns a KeyboardInterrupt raised while it builds a validator into a
    SchemaError (seen when SIGINT arrived during a command's lazy imports): the recorded signal,
    not the wrapper, decides the outcome — one line, 128 + signal, no traceback."""
    from impactsim.cli import entry
    from impactsim.cli.app import INTERRUPT

    def wrapped(**_: object) -> None:
        INTERRUPT["signal"] = signal.SIGINT
        raise RuntimeError("Error building validator: KeyboardInterrupt")  # the wrapper

    monkeypatch.setattr(entry, "app", wrapped)
    monkeypatch.setitem(INTERRUPT, "signal", None)
    monkeypatch.setitem(INTERRUPT, "reported", False)
    try:
        rc = entry.run_main(["validate", "x.yaml"])
    finally:  # the handlers run_main installed must not outlive the test
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    err = capsys.readouterr().err
    assert rc == 130 and err.strip() == "impactsim: interrupted"
