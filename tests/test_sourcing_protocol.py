"""Every sourcing strategy satisfies the Sourcing protocol, and nothing in the package switches
on a strategy's class or kind: the run, the shocks, the line effects and the regional split ask
the strategy instead."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pytest

import impactsim as ims
from _regions_support import small_mrio
from impactsim.scenario import sourcing as srcmod
from impactsim.scenario.sourcing_base import ProvinceBlock, Sourcing

PKG = Path(__file__).resolve().parents[1] / "src" / "impactsim"
STRATEGIES = ("NationalSourcing", "MultiRegionSourcing", "TwoRegionSourcing")


def _protocol_members() -> list[str]:
    return [name for name in vars(Sourcing) if not name.startswith("_")]


def _strategies() -> dict[str, Sourcing]:
    korea = ims.load_table("korea-2020")
    return {
        "NationalSourcing": srcmod.NationalSourcing(korea),
        "MultiRegionSourcing": srcmod.MultiRegionSourcing(small_mrio()),
        "TwoRegionSourcing": srcmod.two_region_sourcing(korea, ("Incheon", "Gyeonggi")),
    }


def test_the_strategies_are_those_the_package_defines() -> None:
    defined = {name for name, obj in vars(srcmod).items()
               if inspect.isclass(obj) and name.endswith("Sourcing")
               and obj.__module__ == srcmod.__name__}
    assert defined == set(STRATEGIES)
    assert not hasattr(srcmod, "ProvincialSourcing")


@pytest.mark.parametrize("name", STRATEGIES)
def test_each_strategy_has_every_member_of_the_protocol(name: str) -> None:
    cls = getattr(srcmod, name)
    for member in _protocol_members():
        assert hasattr(cls, member) or member in cls.__dataclass_fields__, (name, member)
        want = getattr(Sourcing, member)
        if inspect.isfunction(want):  # a method: it accepts every parameter the protocol names
            have = inspect.signature(getattr(cls, member)).parameters
            for pname, p in inspect.signature(want).parameters.items():
                assert pname in have, (name, member, pname)
                assert have[pname].kind == p.kind, (name, member, pname)
                if p.default is not inspect.Parameter.empty:
                    assert have[pname].default == p.default, (name, member, pname)


def test_each_strategy_answers_the_protocol() -> None:
    for name, s in _strategies().items():
        assert isinstance(s, Sourcing), name
        blocks = s.province_blocks()
        assert s.draws_note(None) is None or blocks, name  # only provincial runs refuse draws
        if not blocks:
            with pytest.raises(ims.OptionError):
                s.province_of("Incheon")
    two = _strategies()["TwoRegionSourcing"]
    n = ims.load_table("korea-2020").n
    # block i holds rows [2 i n, 2 i n + n) for the province and the next n for the rest
    assert two.province_blocks() == {
        "Incheon": ProvinceBlock(slice(0, n), slice(n, 2 * n)),
        "Gyeonggi": ProvinceBlock(slice(2 * n, 3 * n), slice(3 * n, 4 * n)),
    }
    assert two.province_of("인천") == "Incheon"
    with pytest.raises(ims.ImpactsimError, match="draws=3"):
        two.draws_note(3)


def test_each_strategy_gives_a_model_of_its_table() -> None:
    for name, s in _strategies().items():
        model = s.model(leakage=None)
        table = s.table
        # A = Z x̂⁻¹ of the strategy's own table (columns with output)
        x_tot = table.x
        cols = x_tot > 0
        np.testing.assert_allclose(model.a[:, cols], table.z_domestic[:, cols] / x_tot[cols],
                                   atol=1e-12, err_msg=name)
        # Type I: x = (I − A)⁻¹ y, so (I − A) x gives back y
        y = np.zeros(table.n)
        y[0] = 1.0
        x = model.solve(y)
        np.testing.assert_allclose(x - model.a @ x, y, atol=1e-10, err_msg=name)


def _sourcing_names() -> set[str]:
    return {*STRATEGIES, "Sourcing", "ProvincialSourcing"}


def switches(tree: ast.AST) -> list[str]:
    """``isinstance``/``issubclass`` calls naming a sourcing class, and comparisons of a
    sourcing's ``kind``, in a module's syntax tree: (line, code)."""
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and getattr(node.func, "id", None)
                in ("isinstance", "issubclass") and len(node.args) == 2):
            classes = node.args[1]
            elts = classes.elts if isinstance(classes, ast.Tuple) else [classes]
            for el in elts:
                name = el.attr if isinstance(el, ast.Attribute) else getattr(el, "id", "")
                if name in _sourcing_names():
                    found.append(f"{node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.Compare):
            left = node.left
            if (isinstance(left, ast.Attribute) and left.attr == "kind"
                    and "sourcing" in ast.unparse(left.value)):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_switch_on_a_sourcing_class_or_kind_in_the_package() -> None:
    """No ``isinstance(x, <a sourcing class>)`` and no ``<x>.sourcing.kind ==`` / ``in``
    comparison anywhere in src/: behaviour that differs by strategy is a method of it."""
    found = []
    for path in sorted(PKG.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(PKG)}:{hit}" for hit in switches(tree)]
    assert found == []


def test_the_check_sees_a_switch() -> None:
    """The walk flags the forms it looks for, so an empty list above means something."""
    src = ("if isinstance(s, srcmod.TwoRegionSourcing): pass\n"
           "if isinstance(s, (int, NationalSourcing)): pass\n"
           "if result.sourcing.kind == 'two-region': pass\n"
           "if sourcing.kind in ('national', 'two-region'): pass\n"
           "if isinstance(s, int) or pattern.kind == 'output': pass\n")
    assert [hit.split(":")[0] for hit in switches(ast.parse(src))] == ["1", "2", "3", "4"]


CONFORMANCE = '''
from impactsim.scenario.result_view import DrawsView, SensitivityView
from impactsim.scenario.sourcing import MultiRegionSourcing, NationalSourcing, TwoRegionSourcing
from impactsim.scenario.sourcing_base import Sourcing
from impactsim.uncertainty.scenario import ScenarioDraws
from impactsim.uncertainty.sensitivity import Sensitivity


def strategies(a: NationalSourcing, b: MultiRegionSourcing, c: TwoRegionSourcing) -> list[Sourcing]:
    return [a, b, c]


def draws(d: ScenarioDraws) -> DrawsView:
    return d


def sensitivity(s: Sensitivity) -> SensitivityView:
    return s
'''


@pytest.mark.slow
def test_the_type_checker_sees_each_strategy_as_a_sourcing(tmp_path: Path) -> None:
    """Statically: mypy accepts every strategy where a ``Sourcing`` is wanted, and the draws
    and sensitivity of the layer above where the result's protocols are wanted (signatures
    included, which the runtime check above compares only by name)."""
    import subprocess
    import sys

    snippet = tmp_path / "conformance.py"
    snippet.write_text(CONFORMANCE, encoding="utf-8")
    bad = tmp_path / "bad.py"
    bad.write_text("from impactsim.scenario.sourcing_base import Sourcing\n"
                   "x: Sourcing = object()\n", encoding="utf-8")
    env = {"MYPYPATH": str(PKG.parent), "PATH": ""}
    args = [sys.executable, "-m", "mypy", "--no-error-summary", "--follow-imports=silent",
            "--ignore-missing-imports", "--cache-dir", str(tmp_path / "cache")]
    ok = subprocess.run([*args, str(snippet)], capture_output=True, text=True, env=env,
                        cwd=tmp_path, timeout=600)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    no = subprocess.run([*args, str(bad)], capture_output=True, text=True, env=env,
                        cwd=tmp_path, timeout=600)
    assert no.returncode == 1 and "Sourcing" in no.stdout, no.stdout + no.stderr
