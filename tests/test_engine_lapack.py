"""LAPACK's LU routines without ``scipy.linalg``'s package import: the same routines and the same
results to the last bit as ``scipy.linalg.lu_factor`` / ``lu_solve``; a command that computes
never runs ``scipy.linalg``'s ``__init__``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy.linalg as sla
from hypothesis import given, settings
from hypothesis import strategies as st

from impactsim.engine import lapack

ROOT = Path(__file__).resolve().parents[1]

#: Runs the command as ``python -m impactsim`` does; an exit function reports whether
#: ``scipy.linalg`` (the package) and its LAPACK module were loaded.
PROBE = """
import atexit, json, runpy, sys
sys.argv = ["impactsim", *sys.argv[1:]]

def report():
    sys.stderr.write("PROBE " + json.dumps({
        "package": "scipy.linalg" in sys.modules,
        "lapack": "scipy.linalg._flapack" in sys.modules}) + "\\n")

atexit.register(report)
runpy.run_module("impactsim", run_name="__main__", alter_sys=True)
"""

#: In a fresh process: the routines loaded alone, then ``scipy.linalg`` imported after them.
SAME_ROUTINES = """
import json, sys
import numpy as np
from impactsim.engine import lapack
getrf, getrs = lapack.lu_routines()
alone = "scipy.linalg" not in sys.modules
import scipy.linalg as sla
f, s = sla.get_lapack_funcs(("getrf", "getrs"), (np.empty((2, 2)),))
a = np.array([[4.0, 1.0], [2.0, 3.0]])
works = bool(np.allclose(sla.solve(a, [1.0, 2.0]), [0.1, 0.6]))  # scipy.linalg itself still works
print(json.dumps({"alone": alone, "same": f is getrf and s is getrs, "works": works}))
"""

#: In a fresh process: the module cannot be loaded by itself, so it comes through scipy.linalg.
FALLBACK = """
import json, sys
import numpy as np
from impactsim.engine import lapack
lapack._load_alone = lambda: None
getrf, getrs = lapack.lu_routines()
a = np.array([[4.0, 1.0], [2.0, 3.0]])
x = lapack.lu_solve(lapack.lu_factor(a), np.array([1.0, 2.0]))
print(json.dumps({"package": "scipy.linalg" in sys.modules, "x": x.tolist()}))
"""


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False,
                          env=dict(os.environ, MPLBACKEND="Agg"))


@settings(max_examples=80, deadline=None)
@given(n=st.integers(1, 12), k=st.integers(0, 4), seed=st.integers(0, 2**32 - 1),
       trans=st.sampled_from([0, 1]), vector=st.booleans())
def test_lu_factor_and_solve_are_scipys_to_the_last_bit(
    n: int, k: int, seed: int, trans: int, vector: bool
) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, n)) + n * np.eye(n) * rng.uniform(0.0, 2.0)
    b = rng.normal(size=n) if vector else rng.normal(size=(n, k))
    lu, piv = lapack.lu_factor(a)
    lu_s, piv_s = sla.lu_factor(a)
    assert lu.tobytes() == lu_s.tobytes() and np.array_equal(piv, piv_s)
    x = lapack.lu_solve((lu, piv), b, trans=trans)
    x_s = sla.lu_solve((lu_s, piv_s), b, trans=trans)
    assert x.shape == x_s.shape and x.tobytes() == x_s.tobytes()
    assert np.array_equal(piv, piv_s)  # the factors' pivots are not shifted by the solve
    if b.size:  # and it is a solution: A x = b (or Aᵀ x = b), by the residual
        m = a.T if trans else a
        assert np.allclose(m @ x, b, atol=1e-8 * max(1.0, float(np.abs(b).max())))


def test_empty_and_non_finite_arguments() -> None:
    lu, piv = lapack.lu_factor(np.empty((0, 0)))
    assert lu.shape == (0, 0) and piv.shape == (0,)
    lu, piv = lapack.lu_factor(np.eye(2))
    assert lapack.lu_solve((lu, piv), np.empty((2, 0))).shape == (2, 0)
    with pytest.raises(ValueError, match="infs or NaNs"):
        lapack.lu_factor(np.array([[1.0, np.nan], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="infs or NaNs"):
        lapack.lu_solve((lu, piv), np.array([np.inf, 1.0]))
    with pytest.raises(ValueError, match="square"):
        lapack.lu_factor(np.ones((2, 3)))
    with pytest.raises(ValueError, match="incompatible"):
        lapack.lu_solve((lu, piv), np.ones(3))


def test_the_routines_loaded_alone_are_the_ones_scipy_linalg_gives() -> None:
    proc = _python(SAME_ROUTINES)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout) == {"alone": True, "same": True, "works": True}


def test_without_the_file_the_routines_come_through_scipy_linalg() -> None:
    proc = _python(FALLBACK)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["package"] is True
    assert np.allclose(out["x"], np.linalg.solve([[4.0, 1.0], [2.0, 3.0]], [1.0, 2.0]),
                       rtol=0, atol=1e-15)


@pytest.mark.parametrize("draws", ["0", "20"])
def test_a_run_loads_lapack_but_not_the_scipy_linalg_package(draws: str) -> None:
    proc = _python(PROBE, "run", "scenarios/korea.yaml", "--draws", draws)
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = next(x for x in proc.stderr.splitlines() if x.startswith("PROBE "))
    assert json.loads(line.removeprefix("PROBE ")) == {"package": False, "lapack": True}
