"""Sources a user can check: nothing shipped names a path outside the repository, and every
citation of docs/sources.md points at an entry that exists."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = [ROOT / "README.md", ROOT / "src", ROOT / "scenarios", ROOT / "seeds", ROOT / "docs"]
TEXT = {".md", ".py", ".yaml", ".yml", ".csv", ".json", ".txt", ".toml", ".cfg", ".html", ".ipynb"}
SKIP_DIRS = {"__pycache__", "_build", "_autosummary", ".ipynb_checkpoints"}
#: Strings no shipped file may contain: the research notebook and folders beside the clone, and
#: absolute paths of development machines.
FORBIDDEN = ("../shared", "facts.md", "/work/", "/farm/")
CITATION = re.compile(r"sources\.md#([a-z0-9][a-z0-9-]*)")
SOURCES = ROOT / "docs" / "sources.md"


def shipped_files() -> list[Path]:
    files: list[Path] = []
    for top in SHIPPED:
        if top.is_file():
            files.append(top)
            continue
        for path in sorted(top.rglob("*")):
            if path.is_file() and path.suffix in TEXT and not SKIP_DIRS & set(path.parts):
                files.append(path)
    return files


def anchors() -> set[str]:
    """Entry ids of docs/sources.md: its level-3 headings, which are the ids themselves."""
    text = SOURCES.read_text(encoding="utf-8")
    return set(re.findall(r"^### ([a-z0-9][a-z0-9-]*)\s*$", text, flags=re.MULTILINE))


def test_the_file_list_is_not_empty() -> None:
    files = {p.relative_to(ROOT).as_posix() for p in shipped_files()}
    assert {"README.md", "docs/sources.md", "scenarios/korea.yaml"} <= files
    assert "src/impactsim/datasets/data/money/exchange_rates.csv" in files
    assert len(anchors()) >= 20


@pytest.mark.parametrize("needle", FORBIDDEN)
def test_no_shipped_file_names_a_path_outside_the_repository(needle: str) -> None:
    hits = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in shipped_files()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    ]
    assert not hits, f"{needle!r} found in: {hits[:10]}"


def test_every_citation_of_sources_md_names_an_entry() -> None:
    known = anchors()
    bad = [
        f"{path.relative_to(ROOT)}: #{ref}"
        for path in shipped_files()
        for ref in CITATION.findall(path.read_text(encoding="utf-8"))
        if ref not in known
    ]
    assert not bad, f"citations of entries that docs/sources.md does not have: {bad}"


def test_seeds_cite_an_entry_of_sources_md() -> None:
    known = anchors()
    for path in sorted((ROOT / "seeds").glob("*.yaml")):
        source = yaml.safe_load(path.read_text(encoding="utf-8"))["source"]
        m = CITATION.fullmatch(source["file"].removeprefix("docs/"))
        assert m and m.group(1) in known, f"{path.name}: source.file = {source['file']!r}"


@pytest.mark.parametrize("name", ["exchange_rates.csv", "price_indices.csv"])
def test_every_money_row_cites_an_entry(name: str) -> None:
    known = anchors()
    money = ROOT / "src" / "impactsim" / "datasets" / "data" / "money"
    with (money / name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        refs = CITATION.findall(row["source"])
        assert refs and set(refs) <= known, f"{name}: {row}"


def test_every_pattern_source_cites_an_entry() -> None:
    known = anchors()
    folder = ROOT / "src" / "impactsim" / "scenario" / "patterns"
    for path in sorted(folder.glob("*.yaml")):
        sources = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
        for key, text in sources.items():
            refs = CITATION.findall(text)
            assert refs and set(refs) <= known, f"{path.name}: sources.{key} = {text!r}"


def test_the_checker_finds_what_it_looks_for() -> None:
    """The patterns above match real citations and a planted bad path."""
    assert CITATION.findall("see docs/sources.md#bok-io-2020.") == ["bok-io-2020"]
    assert any(needle in "data in ../shared/data" for needle in FORBIDDEN)
