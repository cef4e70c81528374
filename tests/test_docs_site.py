"""The documentation site's API page lists exactly the public names, and the index lists every
page (the build itself, `sphinx-build -W`, runs in .ci/run)."""

from __future__ import annotations

import re
from pathlib import Path

import impactsim as ims

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_api_page_lists_every_public_name() -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    listed = re.findall(r"^   ([A-Za-z_][A-Za-z0-9_]*)$", text, flags=re.MULTILINE)
    assert listed == [n for n in ims.__all__ if not n.startswith("_")], (
        "docs/api.md is out of date: run sphinx-build once (docs/conf.py rewrites it)"
    )


def test_index_lists_every_page() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    entries = set(re.findall(r"^([a-z][a-z0-9/-]*)$", index, flags=re.MULTILINE))
    pages = {p.stem for p in DOCS.glob("*.md")} - {"index"}
    pages |= {f"tutorial/{p.stem}" for p in (DOCS / "tutorial").glob("*.md")}
    assert pages <= entries, f"pages missing from the toctree: {sorted(pages - entries)}"
