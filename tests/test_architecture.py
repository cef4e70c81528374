"""The package's shape (docs/architecture.md), checked on the source itself.

* The layer rule: each layer imports only the layers below it — checked by import-linter's
  contracts in ``pyproject.toml`` (run here, so the README's test command covers it) and again
  by an ``ast`` walk that counts *every* import statement, function-level and ``TYPE_CHECKING``
  ones included.
* No import circle between any two modules (strongly connected components of the module graph).
* No module imports the package root (``impactsim/__init__.py`` only re-exports).
* No module is longer than 700 lines.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "impactsim"
MAX_LINES = 700

#: Layers from the bottom up; a module may import its own package and lower layers only.
#: Packages in one tuple are siblings: they may not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "_version", "_lazy", "_files"),
    ("tables", "textread"),
    ("engine",),
    ("datasets",),
    ("regional",),
    ("scenario",),
    ("uncertainty", "present"),
    ("simulate",),
    ("cli",),
    ("__main__",),
)
RANK = {name: i for i, group in enumerate(LAYERS) for name in group}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """(absolute module imported, line) for every import of the package in ``path``; for
    ``from X import y`` the target is ``X.y`` when that is a module, else ``X``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names
                    if a.name.split(".")[0] == "impactsim"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "impactsim":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.append((sub if sub in MODULES else target, node.lineno))
    return out


FILES = sorted(PKG.rglob("*.py"))
MODULES = {module_name(p) for p in FILES}
GRAPH = {module_name(p): imports_of(p) for p in FILES}


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_top_level_module_has_a_layer() -> None:
    tops = {layer_of(m) for m in MODULES} - {None}
    assert tops <= set(RANK), f"modules outside every layer: {sorted(tops - set(RANK))}"


def test_no_import_goes_up_or_sideways_between_layers() -> None:
    bad = []
    for mod, targets in GRAPH.items():
        src = layer_of(mod)
        if src is None:  # the package root re-exports the public API
            continue
        for target, line in targets:
            dst = layer_of(target)
            if dst is None or dst == src:
                continue
            if RANK[dst] >= RANK[src]:
                bad.append(f"{mod}:{line} imports {target} ({src} → {dst})")
    assert not bad, "imports against the layer rule:\n" + "\n".join(bad)


def test_no_module_imports_the_package_root() -> None:
    bad = [
        f"{mod}:{line}"
        for mod, targets in GRAPH.items()
        if mod != "impactsim"
        for target, line in targets
        if target == "impactsim"
    ]
    assert not bad, f"modules importing impactsim/__init__.py: {bad}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on.add(start)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in graph:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                elif nxt in on:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def test_cycle_finder_finds_a_planted_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles_between_modules() -> None:
    graph: dict[str, set[str]] = {}
    for mod, targets in GRAPH.items():
        # A package's __init__ importing its own modules is how it re-exports; a module
        # importing its parent package for a sibling is resolved to that sibling above.
        graph[mod] = {t for t, _ in targets if t != mod and not mod.startswith(t + ".")}
    assert _cycles(graph) == []


def test_no_module_is_longer_than_700_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in FILES
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_import_linter_contracts_are_kept() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    if not Path(exe).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    proc = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout
