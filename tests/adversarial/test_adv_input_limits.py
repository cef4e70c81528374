"""Class 1, unbounded input: size caps before parsing, alias expansion counted, non-regular files
refused without blocking, and the hash of exactly the bytes parsed."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path

import pytest
from _adv_support import MINI, main_inprocess
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.scenario.loading import MAX_EXPANDED_CHARS, MAX_FILE_BYTES, load_yaml_file


def _refused(path: Path, *needles: str) -> str:
    with pytest.raises(ims.ScenarioError) as info:
        ims.Scenario.from_yaml(path)
    msg = str(info.value)
    assert "\n" not in msg and str(path) in msg and "fix:" in msg
    for needle in needles:
        assert needle in msg, msg
    return msg


def test_alias_to_a_large_string_is_counted_by_expanded_size(tmp_path: Path) -> None:
    """100 kB of text referenced 20,000 times would expand to 2 GB: refused at the cap (the
    node limit alone, which counts references, would let it through)."""
    big = "x" * 100_000
    aliases = "\n".join("  - *big" for _ in range(20_000))
    path = tmp_path / "bomb.yaml"
    path.write_text(f"name: bomb\nnotes:\n  - &big {big}\n{aliases}\n", encoding="utf-8")
    assert path.stat().st_size < MAX_FILE_BYTES  # the file itself is under the size cap
    t0 = time.perf_counter()
    _refused(path, "after expanding aliases", f"{MAX_EXPANDED_CHARS:,}")
    assert time.perf_counter() - t0 < 10


def test_nested_billion_laughs_stops_at_the_node_limit(tmp_path: Path) -> None:
    lines = ["name: lol", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path = tmp_path / "lol.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _refused(path, "too large")


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:
        fh.write(MINI.encode())
        fh.write(b"#" * (MAX_FILE_BYTES + 10) + b"\n")
    _refused(path, "too large", f"{MAX_FILE_BYTES:,}")


def test_dev_zero_is_refused_not_read(tmp_path: Path) -> None:
    _refused(Path("/dev/zero"), "is a device")


def test_fifo_without_writer_is_refused_immediately(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    box: dict[str, BaseException] = {}

    def load() -> None:
        try:
            ims.Scenario.from_yaml(fifo)
        except BaseException as exc:
            box["exc"] = exc

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(5)
    if worker.is_alive():  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("loading a FIFO blocked")
    assert isinstance(box.get("exc"), ims.ScenarioError)
    assert "pipe (FIFO)" in str(box["exc"])


def test_symlink_to_a_fifo_and_a_folder_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    link = tmp_path / "link.yaml"
    link.symlink_to(fifo)
    _refused(link, "pipe")
    _refused(tmp_path, "is a folder")


def test_cli_validate_fifo_and_dev_zero_exit_2_without_hanging(tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    rc, out, err = main_inprocess(["validate", str(fifo), "/dev/zero", "--json"], capsys)
    assert rc == 2
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 2 and all(ln.startswith("impactsim: error: ") for ln in lines)
    assert "Traceback" not in err
    assert [f["valid"] for f in json.loads(out)["files"]] == [False, False]


def test_python_tags_never_construct(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "tag.yaml"
    path.write_text(
        MINI + f"notes: [!!python/object/apply:os.system ['touch {marker}']]\n", encoding="utf-8"
    )
    _refused(path, "tag")
    assert not marker.exists()


@settings(max_examples=15, deadline=None)
@given(comment=st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
                       max_size=200))
def test_source_sha256_is_the_hash_of_the_bytes_parsed(comment: str, tmp_path_factory) -> None:
    path = tmp_path_factory.mktemp("h") / "s.yaml"
    raw = (MINI + "# " + comment.replace("\r", " ").replace("\n", " ") + "\n").encode("utf-8")
    path.write_bytes(raw)
    _data, source = load_yaml_file(path)
    assert source.sha256 == hashlib.sha256(raw).hexdigest()


def test_scenario_carries_the_hash_of_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    raw = (MINI + "# café ☕\n").encode("utf-8")
    path.write_bytes(raw)
    assert ims.Scenario.from_yaml(path).source_sha256 == hashlib.sha256(raw).hexdigest()
    assert ims.Scenario.from_text(raw.decode()).source_sha256 is None  # nothing read from disk


def test_provenance_hashes_the_parsed_bytes_not_a_second_read(tmp_path: Path) -> None:
    """The file changes after it was parsed: provenance keeps the hash of what was run."""
    from impactsim.present.outputs import provenance

    path = tmp_path / "s.yaml"
    path.write_text(MINI, encoding="utf-8")
    result = ims.run(path, draws=0)
    path.write_text(MINI.replace("1.0e+12", "2.0e+12"), encoding="utf-8")
    prov = provenance(path, result, ["run"], {})
    assert prov.scenario_sha256 == hashlib.sha256(MINI.encode()).hexdigest()
    path.unlink()
    os.mkfifo(path)  # a FIFO in its place: provenance must not open it
    assert provenance(path, result, ["run"], {}).scenario_sha256 == prov.scenario_sha256


def _as_stdin(fd: int, path: str = "/dev/stdin") -> tuple[str | None, str | None]:
    """load_yaml_file('/dev/stdin') with ``fd`` as this process's standard input."""
    saved = os.dup(0)
    try:
        os.dup2(fd, 0)
        try:
            return load_yaml_file(path)[1].sha256, None
        except ims.ScenarioError as exc:
            return None, str(exc)
    finally:
        os.dup2(saved, 0)
        os.close(saved)


def test_dev_stdin_from_a_file_is_read_once_and_hashed_a_pipe_refused(tmp_path: Path) -> None:
    src = tmp_path / "s.yaml"
    src.write_text(MINI, encoding="utf-8")
    fd = os.open(src, os.O_RDONLY)
    try:
        digest, err = _as_stdin(fd)
    finally:
        os.close(fd)
    assert err is None and digest == hashlib.sha256(MINI.encode()).hexdigest()
    r, w = os.pipe()
    os.write(w, MINI.encode())
    os.close(w)
    try:
        digest, err = _as_stdin(r)
    finally:
        os.close(r)
    assert digest is None and err is not None and "pipe (FIFO)" in err


@settings(max_examples=15, deadline=None)
@given(depth=st.integers(1, 6), fanout=st.integers(1, 12), leaf=st.integers(1, 50_000))
def test_any_alias_tree_loads_or_is_refused_quickly(depth: int, fanout: int, leaf: int) -> None:
    """Aliased trees of any shape: loaded when small, refused when their expansion is large —
    never a traceback, never minutes (expanded size = leaf × fanout ** depth)."""
    from impactsim.scenario.loading import load_yaml_text

    lines = [f"a0: &a0 {'x' * leaf}"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * fanout)}]" for i in range(1, depth + 1)]
    t0 = time.perf_counter()
    try:
        load_yaml_text("\n".join(lines) + "\n", file="tree.yaml")
    except ims.ScenarioError as exc:
        assert "too large" in str(exc)
        assert leaf * fanout**depth > MAX_EXPANDED_CHARS // 4 or fanout**depth > 10_000
    assert time.perf_counter() - t0 < 20
