"""Numbers the docs print, checked against something other than the code that printed them.

The docs runner (``tests/test_docs_examples.py``) checks that every printed output is what its
block or command prints *now*; ``--update`` regenerates them, so it catches change, not error.
Here the key figures of those outputs are recomputed independently — with numpy from the
table's arrays (``A = Z_d / x``, ``L = (I − A)⁻¹`` by ``numpy.linalg.inv``, import coefficients
``m / x``), by hand arithmetic, or as an identity between two different code paths — and found,
formatted, in the page. A regenerated page whose numbers drift from these fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import impactsim as ims
from impactsim.engine.measures import format_value

ROOT = Path(__file__).resolve().parents[1]


def _page(name: str) -> str:
    return (ROOT / "docs" / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def korea() -> ims.ScenarioResult:
    return ims.run(ROOT / "scenarios" / "korea.yaml", draws=0)


def _type1_by_numpy(result: ims.ScenarioResult, phase: str) -> dict[str, float]:
    """Spending, domestic demand, Type I output and imported inputs of a phase's headline
    demand, from the table's arrays with numpy alone."""
    table = result.sourcing.table
    x = np.asarray(table.x, dtype=float)
    a = np.asarray(table.z_domestic, dtype=float) / np.where(x > 0, x, 1.0)[None, :]
    leontief = np.linalg.inv(np.eye(len(x)) - a)
    m = np.asarray(table.import_row, dtype=float) / np.where(x > 0, x, 1.0)
    cols = result._headline_columns(phase)
    y = np.asarray(result.shocks.matrix)[:, cols].sum(axis=1)
    out = leontief @ y
    audit = result.shocks.audit
    meta = result.columns.iloc[cols]
    keys = set(zip(meta["investment"], meta["year"], strict=True))
    mine = np.array([(i, yr) in keys for i, yr in
                     zip(audit["investment"], audit["year"], strict=True)], dtype=bool)
    rows = audit[(audit["phase"] == phase).to_numpy() & mine]
    spending = float((rows["table_units"] - rows["excluded"]).sum())
    return {"spending": spending, "domestic": float(y.sum()), "output_type1": float(out.sum()),
            "imports_intermediate": float(m @ out),
            # spending − domestic part: exactly 0 when nothing is imported (rounding aside)
            "imports_spending": _zero_below(spending - float(y.sum()), 1e-9 * spending)}


def _zero_below(value: float, tol: float) -> float:
    return 0.0 if abs(value) <= tol else value


def test_cli_imports_line_and_headline_by_numpy(korea: ims.ScenarioResult) -> None:
    """docs/cli.md: the imports line and the output column of the korea.yaml headline."""
    page = _page("cli.md")
    bn = 1e3  # million KRW → billion KRW
    for phase in ("construction", "operations"):
        ref = _type1_by_numpy(korea, phase)
        induced = float(korea.headline(phase).loc["induced", "imports"])
        total = ref["imports_spending"] + ref["imports_intermediate"] + induced
        line = (f"imports = leakage abroad: {format_value(ref['imports_spending'] / bn)} the "
                f"spending itself + {format_value(ref['imports_intermediate'] / bn)} "
                f"intermediate inputs + {format_value(induced / bn)} induced = "
                f"{format_value(total / bn)} "
                f"({format_value(total / ref['spending'], percent=True)} of the spending)")
        assert line in re.sub(r"\s+", " ", page), line
        # the output column: direct = the domestic demand itself, indirect = 1'(L y) − 1'y
        direct = format_value(ref["domestic"] / bn)
        indirect = format_value((ref["output_type1"] - ref["domestic"]) / bn)
        rows = [ln for ln in page.splitlines() if ln.startswith(("│direct", "│indirect"))]
        assert any(f"│ {direct:>6} │" in ln or f" {direct} │" in ln for ln in rows), direct
        assert any(f" {indirect} │" in ln for ln in rows), indirect
    # a hand check of the arithmetic as printed: 2,986 + 693 + 98 = 3,777 (billion KRW)
    assert 2986 + 693 + 98 == 3777


def test_provinces_add_up_to_the_national_run_and_leak_as_numpy(
    korea: ims.ScenarioResult,
) -> None:
    """docs/regions.md §4.4: the Korea column of the provincial run is the national headline
    (a different code path: two stacked two-region models vs the national model), and the
    share that leaks abroad is (imported spending + m'(L y)) / spending on the national table."""
    page = _page("regions.md")
    for phase in ("construction", "operations"):
        jobs = float(korea.headline(phase).loc["total", "employment"])
        ref = _type1_by_numpy(korea, phase)
        leaks = 100 * (ref["imports_spending"] + ref["imports_intermediate"]) / ref["spending"]
        row = next(ln for ln in page.splitlines()
                   if ln.startswith(f"korea-provinces, {phase}, all provinces"))
        cells = row.split()
        assert float(cells[-4]) == pytest.approx(round(jobs), abs=0.5)  # Korea column
        assert float(cells[-1]) == pytest.approx(round(leaks, 1), abs=0.051)  # leaks %


def test_korea_2023_page_matches_the_cli_page(korea: ims.ScenarioResult) -> None:
    """docs/korea-2023.md §9 and docs/cli.md print korea.yaml on korea-2020 from different
    code (a python block, the terminal): the same headline numbers."""
    page = _page("korea-2023.md")
    head = korea.headline("construction")
    row = next(ln for ln in page.splitlines() if ln.startswith("construction jobs, total"))
    assert row.split()[3] == format_value(head.loc["total", "employment"])
    row = next(ln for ln in page.splitlines() if ln.startswith("construction imports, bn KRW"))
    assert row.split()[4] == format_value(head.loc["total", "imports"] / 1e3)
    assert f"= {format_value(head.loc['total', 'imports'] / 1e3)} (" in re.sub(
        r"\s+", " ", _page("cli.md"))
