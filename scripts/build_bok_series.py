"""Build the bundled BOK coefficient series (``ims.datasets.bok_series``) from BOK's files.

Usage::

    python scripts/build_bok_series.py SOURCE_DIR [--out OUT_DIR]

``SOURCE_DIR`` is the folder of BOK's published 33-sector inducement tables for 2020–2023
(ECOS 2.2.1.2.3 output, 2.2.1.2.4 imports, 2.2.1.2.6 employment; producers' prices; re-hosted
in junseo0814/K-Supply-Shield; docs/sources.md#bok-coefficients-2020-2023, and docs/data.md
says where the files are published). ``OUT_DIR`` defaults to
``src/impactsim/datasets/data/bok-series`` and receives

* ``groups.csv``       the 33 groups: BOK code (as in the bok33 concordance), Korean and English
                       names;
* ``inducement.csv``   the published column sums (열합) per demand group and year, tidy;
* ``cells.csv``        the published 33 × 33 matrices, one row per (measure, demand, induced
                       group), one column per year;
* ``economy.csv``      BOK's economy-wide headline coefficients per year, as published in BOK's
                       releases (typed from the releases; cited row by row);
* ``provenance.json``  publisher, ECOS table ids, re-host, sha256 of every source file.

Values are copied as published (6 decimals); nothing is recomputed. Re-running reproduces the
committed files byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))

import korea2023_method as km  # noqa: E402
from _build_cli import build_main, write_files  # noqa: E402
from build_korea_table import BOK33  # noqa: E402

from impactsim.errors import DataSourceError  # noqa: E402

DEFAULT_OUT = REPO / "src" / "impactsim" / "datasets" / "data" / "bok-series"
TITLES = {"output": "생산유발계수표", "imports": "수입유발계수표", "employment": "취업유발계수표"}
UNITS = {"output": "KRW per KRW", "imports": "KRW per KRW", "employment": "persons per KRW bn"}

RELEASE_2023 = (
    "Bank of Korea, '2023 산업연관표(연장표) 작성 결과' (2023 Input-Output Tables, extension), "
    "press release of 24 Sep 2025 (as reported by Segye Ilbo, inews24, The Fact, 24 Sep 2025)"
)
RELEASE_2022 = (
    "Bank of Korea, '2021~2022년 산업연관표(연장표)' press release (as reported by Economy "
    "Focus, 2024)"
)
RELEASE_2020 = "Bank of Korea, 2020 Input-Output Tables (benchmark), 83-sector workbook sheets"

#: BOK's economy-wide (all final demand) coefficients as published: year, measure, value,
#: unit, source. Employment: persons (FTE) per KRW 1 bn of final demand; output, value added,
#: imports: KRW per KRW of domestic final demand.
ECONOMY = [
    (2020, "employment", "9.7", "persons per KRW bn", RELEASE_2022),
    (2020, "output", "1.804", "KRW per KRW", RELEASE_2020 + " (생산유발액 sheet)"),
    (2020, "value_added", "0.806", "KRW per KRW", RELEASE_2020 + " (부가가치유발액 sheet)"),
    (2021, "employment", "8.7", "persons per KRW bn", RELEASE_2022),
    (2021, "value_added", "0.775", "KRW per KRW", RELEASE_2022),
    (2021, "output", "1.806", "KRW per KRW", RELEASE_2022),
    (2022, "employment", "8.1", "persons per KRW bn", RELEASE_2022),
    (2022, "value_added", "0.729", "KRW per KRW", RELEASE_2022),
    (2023, "employment", "8.2", "persons per KRW bn", RELEASE_2023),
    (2023, "employees", "6.2", "persons per KRW bn", RELEASE_2023),
    (2023, "output", "1.827", "KRW per KRW", RELEASE_2023),
    (2023, "value_added", "0.752", "KRW per KRW", RELEASE_2023),
    (2023, "imports", "0.248", "KRW per KRW", RELEASE_2023),
    (2023, "fte_employment", "25990000", "persons (FTE)", RELEASE_2023 + ": 2,599만 명"),
]


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def _num(v: float) -> str:
    text = f"{v:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def build(source: Path, out: Path) -> dict[str, bytes]:
    """Read BOK's three coefficient files in ``source`` and write the series under ``out``."""
    series = km.read_series(source)
    codes = [c for c, _, _ in BOK33]
    names = {"".join(ko.split()): (c, ko, en) for c, ko, en in BOK33}
    order = []
    for ko in series.names_ko:
        key = "".join(ko.split())
        if key not in names:
            raise DataSourceError(f"{source}: unknown 33-sector name {ko!r}")
        order.append(names[key][0])
    if order != codes:
        raise DataSourceError(f"{source}: the 33 sectors are not in BOK's order")
    files: dict[str, bytes] = {}
    files["groups.csv"] = _csv(
        [["group", "name_ko", "name_en"]]
        + [[c, ko, en] for (c, _, en), ko in zip(BOK33, series.names_ko, strict=True)]
    )
    rows = [["measure", "group", "year", "value", "unit"]]
    for kind in km.SERIES_FILES:
        for j, code in enumerate(codes):
            for year in km.YEARS:
                v = series.column_sums[(kind, year)][j]
                rows.append([kind, code, str(year), _num(v), UNITS[kind]])
    files["inducement.csv"] = _csv(rows)
    rows = [["measure", "group", "induced_group", *[str(y) for y in km.YEARS]]]
    for kind in km.SERIES_FILES:
        for j, code in enumerate(codes):
            for i, induced in enumerate(codes):
                vals = [_num(series.matrix(kind, y)[i, j]) for y in km.YEARS]
                rows.append([kind, code, induced, *vals])
    files["cells.csv"] = _csv(rows)
    files["economy.csv"] = _csv(
        [["year", "measure", "value", "unit", "source"]]
        + [[str(y), m, v, u, s] for y, m, v, u, s in ECONOMY]
    )
    prov = {
        "publisher": "Bank of Korea (한국은행)",
        "tables": {
            kind: f"ECOS {km.SERIES_TABLES[kind]} 투입산출표 {TITLES[kind]}(생산자가격, 대분류)"
            for kind in km.SERIES_FILES
        },
        "years": list(km.YEARS),
        "basis": (
            "domestic-flow basis: output inducement L = (I − A_d)⁻¹, import inducement "
            "A_m L, employment inducement l̂ L (persons, FTE, per KRW 1 bn of final demand in "
            "that year's prices); 2020 benchmark table, 2021–2023 extension tables"
        ),
        "licence": "Bank of Korea official statistics, free to use with attribution",
        "rehosted": "GitHub junseo0814/K-Supply-Shield, 데이터셋/1. 한국은행 산업연관표(투입계수)/",
        "sources": [
            {"file": fname, "sha256": km.sha256_file(source / fname)}
            for fname in km.SERIES_FILES.values()
        ],
        "groups": "BOK 33 major sectors (대분류); codes as in the bundled bok33 concordance",
        "economy": "economy-wide figures typed from BOK's releases, cited row by row",
        "built_by": "scripts/build_bok_series.py",
    }
    files["provenance.json"] = (json.dumps(prov, indent=2, ensure_ascii=False) + "\n").encode()
    write_files(out, files)
    return files


def main(argv: list[str] | None = None) -> int:
    return build_main(
        build, doc=__doc__, default_out=DEFAULT_OUT, argv=argv,
        source_help="folder with BOK's 33-sector coefficient CSVs (docs/data.md)",
    )


if __name__ == "__main__":
    raise SystemExit(main())
