"""One validation path for numbers: a table's money unit, complex flows, scenarios copied in
Python; claims in units the library does not know; file names that are not UTF-8; results that
do not depend on the core count; a memory estimate before very many draws; linear cost."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _adv_support import MINI, ROOT, cli_env, main_inprocess, one_line_error
from hypothesis import given, settings
from hypothesis import strategies as st

import impactsim as ims
from impactsim.errors import DataSourceError, ScenarioError, TableError
from impactsim.tables._blocks import MAX_UNIT, MIN_UNIT


def _arrays() -> tuple[list[list[float]], list[list[float]], list[list[float]]]:
    """Two sectors, balanced by hand: x = (10 + 5 + 30, 4 + 8 + 20) = (45, 32); value added
    45 − 10 − 4 = 31 and 32 − 5 − 8 = 19."""
    return [[10.0, 5.0], [4.0, 8.0]], [[30.0], [20.0]], [[31.0, 19.0]]


# ----------------------------------------------------------------------------- money unit
BAD_UNITS = [0.0, -1.0, math.nan, math.inf, 1e-306, 1e-300, 1e-4, 1e16, 1e300]


@pytest.mark.parametrize("unit", BAD_UNITS, ids=str)
def test_from_arrays_refuses_a_unit_out_of_range(unit: float) -> None:
    with pytest.raises(TableError, match="unit"):
        ims.IOTable.from_arrays(*_arrays(), unit=unit)


@pytest.mark.parametrize("unit", BAD_UNITS, ids=str)
def test_table_json_refuses_the_same_units(tmp_path: Path, unit: float) -> None:
    folder = ims.IOTable.from_arrays(*_arrays(), unit=1e6).to_dir(tmp_path / "t")
    doc = json.loads((folder / "table.json").read_text())
    doc["meta"]["unit"] = unit
    (folder / "table.json").write_text(json.dumps(doc))  # NaN/inf as JSON's NaN/Infinity
    with pytest.raises(DataSourceError, match=r"meta\.unit") as info:
        ims.IOTable.from_dir(folder)
    assert "\n" not in str(info.value)


@settings(max_examples=50, deadline=None)
@given(unit=st.floats(allow_nan=True, allow_infinity=True))
def test_python_and_json_agree_on_every_unit(unit: float) -> None:
    from impactsim.tables.manifest import MetaDoc

    ok = math.isfinite(unit) and MIN_UNIT <= unit <= MAX_UNIT
    try:
        ims.IOTable.from_arrays(*_arrays(), unit=unit)
        python_ok = True
    except TableError:
        python_ok = False
    try:
        MetaDoc(unit=unit)
        json_ok = True
    except ValueError:
        json_ok = False
    assert python_ok == json_ok == ok


@pytest.mark.parametrize("kind", ["ndarray", "list", "frame"])
def test_complex_flows_are_refused_not_truncated(kind: str) -> None:
    z = np.array([[10.0 + 1j, 5.0], [4.0, 8.0]])
    flows = {"ndarray": z, "list": z.tolist(), "frame": pd.DataFrame(z)}[kind]
    with pytest.raises(TableError, match="complex"):
        ims.IOTable.from_arrays(flows, *_arrays()[1:])


def test_cli_table_with_a_tiny_unit_is_one_line(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = ims.IOTable.from_arrays(*_arrays(), employment=[3.0, 2.0]).to_dir(tmp_path / "t")
    doc = json.loads((folder / "table.json").read_text())
    doc["meta"]["unit"] = 1e-306
    (folder / "table.json").write_text(json.dumps(doc))
    rc, _, err = main_inprocess(["multipliers", str(folder)], capsys)
    assert rc == 1 and "meta.unit" in one_line_error(err)


# ----------------------------------------------------------------------------- model_copy
@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0, 1e19])
def test_a_scenario_copied_with_a_bad_amount_is_refused(bad: float) -> None:
    scen = ims.Scenario.from_text(MINI)
    inv = scen.investments[0]
    phase = inv.construction
    with pytest.raises(ScenarioError):
        phase.amount.model_copy(update={"value": bad})
    with pytest.raises(ScenarioError, match="amount"):
        phase.model_copy(update={"amount": bad})
    raw = inv.model_dump(mode="python", exclude_none=True)
    raw["construction"]["amount"] = bad
    raw["construction"]["pattern"] = "ai-data-centre-capex"
    with pytest.raises(ScenarioError):
        scen.model_copy(update={"investments": [raw]})


def test_a_valid_copy_keeps_its_source_and_runs() -> None:
    scen = ims.Scenario.from_text(MINI)
    copy = scen.model_copy(update={"title": "renamed"})
    assert copy.title == "renamed" and copy.source_sha256 == scen.source_sha256
    base = ims.run(scen).summary()
    assert ims.run(copy).summary().equals(base)


# ----------------------------------------------------------------------------- claim units
@pytest.mark.parametrize("unit", ["widgets", "tonnes", "jobs per widget", "MWh"])
def test_a_claim_in_an_unknown_unit_is_not_comparable(unit: str) -> None:
    from impactsim.scenario.claims import compare_claims

    scen = ims.Scenario.from_text(MINI)
    result = ims.run(scen)
    claims = [{"id": "w", "text": "x", "measure": "employment", "phase": "construction",
               "value": 2290, "unit": unit, "source": "press"}]
    (c,) = compare_claims(result, claims)
    assert c.verdict == "not comparable" and unit.split()[0] in c.note


@pytest.mark.parametrize(("measure", "unit"), [
    ("employment", "jobs"), ("employment", "job-years"), ("employment", "persons (FTE)"),
    ("employment", "thousand jobs"), ("value_added", "trillion KRW"),
    ("value_added", "billion USD"), ("output", "million won")])
def test_known_units_stay_comparable(measure: str, unit: str) -> None:
    from impactsim.scenario.claim_units import unit_problem
    from impactsim.scenario.claims import normalise_claim

    claim = normalise_claim({"id": "k", "measure": measure, "value": 1, "unit": unit})
    assert unit_problem(claim.unit, money=claim.is_money, measure=claim.measure) is None


# ----------------------------------------------------------------------------- file names
def test_run_with_a_file_name_that_is_not_utf8(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsdecode(b"bad\xff.yaml")
    (tmp_path / name).write_text(MINI, encoding="utf-8")
    out = tmp_path / "out"
    for _ in range(2):  # the second run replaces the first: its manifest reads back
        rc, _, err = main_inprocess(["run", str(tmp_path / name), "-o", str(out), "-q"], capsys)
        assert rc == 0, err
    assert os.fsdecode(b"bad\xff.results.csv") in os.listdir(out)


# ----------------------------------------------------------------------------- BLAS threads
def _run_on_cpus(n: int, out: Path) -> dict[str, bytes]:
    env = {k: v for k, v in cli_env().items()
           if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    korea = str(ROOT / "scenarios" / "korea.yaml")
    code = (f"import os, sys, runpy; os.sched_setaffinity(0, set(range({n}))); "
            f"sys.argv = ['impactsim', 'run', {korea!r}, '-o', {str(out)!r}, '-q', '--format', "
            "'json']; runpy.run_module('impactsim', run_name='__main__')")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    return {p.name: p.read_bytes() for p in out.iterdir()
            if p.name.endswith((".results.json", ".summary.json", ".appraisal.json"))}


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs two cores to compare one- and two-thread runs")
def test_one_and_two_cores_give_identical_results(tmp_path: Path) -> None:
    one = _run_on_cpus(1, tmp_path / "one")
    two = _run_on_cpus(2, tmp_path / "two")
    assert one and one == two


# ----------------------------------------------------------------------------- draws memory
def test_draws_that_would_not_fit_in_memory_are_refused_with_the_estimate(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from impactsim.uncertainty import draws

    monkeypatch.setattr(draws, "_physical_memory", lambda: 64 * 2**20)  # a 64 MiB machine
    text = MINI + "uncertainty:\n  draws: 100\n  table_coefficients: {relative: 0.1}\n"
    scen = ims.Scenario.from_text(text)
    with pytest.raises(draws.DrawMemoryError, match=r"GiB of memory.*at most about") as info:
        ims.run(scen, draws=5_000_000)
    assert "\n" not in str(info.value)


# ----------------------------------------------------------------------------- linear cost
def test_claims_sharing_a_scope_compute_its_figures_once(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    from impactsim.scenario import claims as mod

    calls = {"figures": 0, "leakage": 0}
    real_fig, real_leak = mod.model_figures, mod.leakage_factors

    def fig(*a: object, **k: object) -> object:
        calls["figures"] += 1
        return real_fig(*a, **k)  # type: ignore[arg-type]

    def leak(*a: object, **k: object) -> object:
        calls["leakage"] += 1
        return real_leak(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(mod, "model_figures", fig)
    monkeypatch.setattr(mod, "leakage_factors", leak)
    result = ims.run(ims.Scenario.from_text(MINI))
    many = [{"id": f"c{i}", "text": "x", "measure": "employment", "phase": "construction",
             "value": 1000 + i, "unit": "jobs", "source": "s"} for i in range(200)]
    out = mod.compare_claims(result, many)
    assert len(out) == 200 and calls == {"figures": 1, "leakage": 1}
