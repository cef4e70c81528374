"""The bundled Korea files are exactly what scripts/build_korea_table.py makes from BOK's files."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from _data_support import BOK165, DATA_DIR, requires_shared

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "build_korea_table.py"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_korea_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@requires_shared
def test_rebuild_reproduces_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    build = _build_module()
    files = build.build(BOK165, tmp_path)
    assert {"bok-2020-165/table.json", "korea-2020-splits.json", "concordances/bok33.csv"} <= set(
        files
    )
    for rel in files:
        assert (tmp_path / rel).read_bytes() == (DATA_DIR / rel).read_bytes(), rel
    # nothing stale is shipped in the table folder
    assert {p.name for p in (DATA_DIR / "bok-2020-165").iterdir()} == {
        Path(rel).name for rel in files if rel.startswith("bok-2020-165/")
    }


@requires_shared
def test_build_script_reports_a_bad_source(tmp_path: Path) -> None:
    build = _build_module()
    assert build.main([str(tmp_path / "missing"), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_installed_wheel_loads_the_default_table_without_the_sources(tmp_path: Path) -> None:
    """`pip install` of the built wheel into a fresh venv, then load korea-2020 from elsewhere.

    No network: the wheel is built without build isolation and installed with --no-index
    --no-deps; the dependencies (numpy, pandas, …) come from this environment via a .pth file.
    The source tree is not on the path, so the data must come from the wheel.
    """
    pip_ok = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True)
    if pip_ok.returncode != 0:
        pytest.skip("pip is not available in this environment")
    wheels = tmp_path / "wheels"
    errors = []
    # with build isolation pip fetches setuptools/wheel from the configured index (a local
    # mirror here); without it the build uses this environment's setuptools (needs `wheel`)
    for isolation in ([], ["--no-build-isolation"]):
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-w", str(wheels)]
        build = subprocess.run([*cmd, str(REPO)], capture_output=True, text=True)
        if build.returncode == 0:
            break
        errors.append(build.stderr.strip().splitlines()[-1] if build.stderr.strip() else "?")
    else:
        pytest.skip(f"cannot build a wheel here (no index and no 'wheel' package): {errors}")
    wheel = next(wheels.glob("impactsim-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]
    Path(site, "_impactsim_test_deps.pth").write_text(deps + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-index",
            "--no-deps",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if not any(Path(site).glob("impactsim-*.dist-info")):
        # older pip without --python: install with the target's own path
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--no-index",
                "--no-deps",
                "--target",
                site,
                str(wheel),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    code = (
        "import impactsim, pathlib, sys\n"
        "t = impactsim.load_table('korea-2020')\n"
        "assert t.n == 167 and t.meta.name == 'korea-2020', t\n"
        "p = pathlib.Path(impactsim.__file__).resolve()\n"
        "assert str(p).startswith(sys.argv[1]), p\n"
        "print(t.n, p)\n"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    run = subprocess.run(
        [str(py), "-c", code, str(Path(site).resolve())],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("167 ")
