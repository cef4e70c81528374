"""Build the bundled Korea 2023 table (``korea-2023``) from Bank of Korea source files.

Usage::

    python scripts/build_korea_2023_table.py SOURCE_ROOT [--out OUT_DIR]

``SOURCE_ROOT`` holds three BOK folders (docs/data.md says where they are published):

* ``bok-2023-83-ext/ecos_271Y120_2023_long.csv`` — BOK ECOS statistic 271Y120, the 2023
  extension-year input-output table, total transactions, producers' prices, 83 sectors;
* ``bok-2020-2023-33-coefficients/`` — BOK ECOS tables 2.2.1.2.3 / 2.2.1.2.4 / 2.2.1.2.6:
  output-, import- and employment-inducement coefficients, 33 sectors, 2020–2023;
* ``bok-2020-83-khu-subapp/*.xlsx`` — BOK's 2020 benchmark table at 83 sectors (total, domestic
  and imported transactions), the source of the 2020 cell import shares.

It also uses the bundled ``korea-2020-165`` table (2020 FTE employment by product) and the
``bok33`` concordance. It writes under ``OUT_DIR`` (default ``src/impactsim/datasets/data``):

* ``bok-2023-83/`` — the 2023 table in the impactsim folder format (domestic and imported flows
  and final demand, value added, output, FTE employment), every derived quantity marked;
* ``korea-2023-splits.json`` — the memory / non-memory (31) and data-centre / other (61) splits;
* ``concordances/bok165_83.csv`` — BOK's 165 products (and the korea-2020 split sectors) → the
  83 sectors (통합중분류), so that spending patterns written for ``bok-2020`` codes find their
  83-sector rows.

The domestic / imported split (method ``S20+B33``, docs/korea-2023.md): start from the 2020
benchmark's own import share of every cell, then fit by iterative proportional scaling to
(a) BOK's 2023 imports by product (9329) and (b) the 33 × 33 block totals of imported
intermediate inputs implied by BOK's published 2023 33-sector coefficients
(``A_m = M L⁻¹``, times output), keeping ``0 ≤ imported ≤ total`` in every cell. Re-running
reproduces the committed files byte for byte.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import korea2023_method as km  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import split_technology as st  # noqa: E402
from _build_cli import build_main, write_files  # noqa: E402

import impactsim as ims  # noqa: E402
from impactsim.datasets import load_concordance  # noqa: E402
from impactsim.errors import DataSourceError  # noqa: E402

DEFAULT_OUT = REPO / "src" / "impactsim" / "datasets" / "data"
TABLE_DIR = "bok-2023-83"
SPLITS_FILE = "korea-2023-splits.json"
CONCORDANCE_FILE = "concordances/bok165_83.csv"
EXT_DIR = "bok-2023-83-ext"
SERIES_DIR = "bok-2020-2023-33-coefficients"
BENCH_DIR = "bok-2020-83-khu-subapp"
METHOD = "S20+B33"

LICENCE = (
    "Bank of Korea official statistics, free to use with attribution "
    "('Source: Bank of Korea, Input-Output Tables 2023 (extension) and 2020 (benchmark)')"
)

#: English names of BOK's 83 sectors (통합중분류), following the English names of the 165
#: products they aggregate (scripts/build_korea_table.py).
NAMES_EN = dict(
    enumerate(
        [
            "Crops",
            "Livestock products",
            "Forestry products",
            "Fishery products",
            "Agricultural, forestry and fishery services",
            "Coal, crude petroleum and natural gas",
            "Metallic ores and non-metallic minerals",
            "Food products",
            "Beverages",
            "Tobacco products",
            "Textiles and wearing apparel",
            "Leather products",
            "Wood and wood products",
            "Pulp and paper products",
            "Printing and reproduction of recorded media",
            "Coal and petroleum products",
            "Basic chemicals",
            "Synthetic resins and synthetic rubber",
            "Chemical fibres",
            "Pharmaceuticals",
            "Fertilisers and agricultural chemicals",
            "Other chemical products",
            "Plastic products",
            "Rubber products",
            "Glass and glass products",
            "Other non-metallic mineral products",
            "Primary iron and steel products",
            "Non-ferrous metal ingots and primary products",
            "Metal castings",
            "Fabricated metal products",
            "Semiconductors",
            "Electronic displays",
            "Other electronic components",
            "Computers and peripheral equipment",
            "Communication, broadcasting, video and audio equipment",
            "Precision instruments",
            "Electrical equipment",
            "General-purpose machinery",
            "Special-purpose machinery",
            "Motor vehicles",
            "Ships",
            "Other transport equipment",
            "Other manufactured products",
            "Manufacturing services and industrial equipment repair",
            "Electric power and renewable energy",
            "Gas, steam and hot water",
            "Water supply",
            "Wastewater treatment",
            "Waste treatment and materials recovery services",
            "Building construction and repair",
            "Civil engineering construction",
            "Wholesale and retail trade and commodity brokerage services",
            "Land transport services",
            "Water transport services",
            "Air transport services",
            "Storage and transport support services",
            "Postal and courier services",
            "Restaurants and accommodation services",
            "Telecommunication services",
            "Broadcasting services",
            "Information services",
            "Software development and supply and other IT services",
            "Newspaper and publishing services",
            "Film, video and audio production and distribution",
            "Financial services",
            "Insurance services",
            "Services auxiliary to finance and insurance",
            "Housing (residential) services",
            "Other real estate services",
            "Research and development",
            "Business-related professional services",
            "Scientific, technical and other professional services",
            "Rental of equipment and goods, and licensing of intellectual property",
            "Business support services",
            "Public administration, defence and social security",
            "Education services",
            "Medical and health services",
            "Social welfare services",
            "Cultural and travel-related services",
            "Sports and recreation services",
            "Membership organisations",
            "Repair services for motor vehicles and consumer goods, and personal services",
            "Other (dummy sector)",
        ],
        start=1,
    )
)

#: The 2023 split assumptions. Shares are of the parent's 2023 output.
SPLITS: dict[str, Any] = {
    "name": "korea-2023",
    "base": "korea-2023-83",
    "splits": [
        {
            "sector": "31",
            "into": {"31-MEM": 0.515, "31-NMEM": 0.485},
            "info": {
                "31-MEM": {
                    "name_en": "Memory semiconductors (DRAM, NAND flash, HBM)",
                    "name_ko": "메모리 반도체",
                    "bok165": "310-MEM",
                },
                "31-NMEM": {
                    "name_en": (
                        "Non-memory semiconductors (system chips, discretes, optoelectronics)"
                    ),
                    "name_ko": "비메모리 반도체 (시스템반도체, 개별소자, 광소자)",
                    "bok165": "310-NMEM",
                },
            },
            "columns": (
                "own technologies: the 2020 priors (SK hynix and DB HiTek filings: compensation, "
                "persons, operating surplus) as factors on the 2023 parent, balanced by RAS "
                "(scripts/split_technology.py)"
            ),
            "basis": (
                "memory share 0.515 = 2023 memory semiconductor exports / total semiconductor "
                "exports, each backed out of the 2024 figures and their growth rates: memory "
                "88.29 / 1.718 = 51.39 bn USD, all semiconductors 142.09 / 1.425 = 99.71 bn USD "
                "(51.5 %); export shares as a proxy for output shares (as for 2020: 0.64). 2023 "
                "was a memory-price trough, so the share is low; range 0.45-0.64 (the upper end "
                "is the 2020 share)"
            ),
            "tag": "[DER] derived from [OFF] export statistics",
            "range": [0.45, 0.64],
            "source": (
                "Ministry of Science and ICT, annual ICT trade 2024 (14 Jan 2025): semiconductor "
                "exports 142.09 bn USD (+42.5 %), memory 88.29 bn USD (+71.8 %) [OFF]; 2023 "
                "values and the share derived here [DER]"
            ),
        },
        {
            "sector": "61",
            "into": {"61-DC": 0.143, "61-OTH": 0.857},
            "info": {
                "61-DC": {
                    "name_en": "Data centres, hosting and cloud / HPC services",
                    "name_ko": "데이터센터, 호스팅 및 클라우드·고성능컴퓨팅 서비스",
                    "bok165": "610-DC",
                },
                "61-OTH": {
                    "name_en": "Other information services (data processing, portals, other)",
                    "name_ko": "기타 정보서비스",
                    "bok165": "610-OTH",
                },
            },
            "columns": (
                "own technologies: data-centre priors for electricity, staff, depreciation, "
                "network and content inputs, balanced to the 2023 parent by RAS "
                "(scripts/split_technology.py)"
            ),
            "basis": (
                "data-centre share 0.143 = Korean private data-centre revenue ≈ 4.0 tn KRW "
                "(2023: > 3 tn in 2020 grown at the Council's ≈ 10 %/yr, 3 × 1.1³) / BOK sector "
                "61 output 27.91 tn KRW (2023); like 2020 (0.17) an upper bound, because telecom "
                "operators' data-centre revenue may sit in sector 59; range 0.10-0.17"
            ),
            "tag": "[IND] industry figure / [DER] derived share",
            "range": [0.1, 0.17],
            "source": (
                "Korea Data Center Council (한국데이터센터연합회), Korea Data Center Market "
                "2023-2026 (etnews, 14 Jun 2023): revenue > 3 tn KRW in 2020, ≈ 10 %/yr growth "
                "[IND]; Bank of Korea 2023 IO table (ECOS 271Y120) sector 61 output "
                "27,910,381 million KRW [OFF]; share derived here [DER]"
            ),
        },
    ],
}


def bench_file(root: Path) -> Path:
    found = sorted((root / BENCH_DIR).glob("*.xlsx"))
    if not found:
        raise DataSourceError(f"{root / BENCH_DIR}: BOK 2020 83-sector workbook (*.xlsx) not found")
    return found[0]


def groups_83() -> tuple[list[str], dict[str, list[str]]]:
    """83-sector code → BOK 33-sector group, and → its 165 products (BOK's 165 → 83 nesting:
    the 83-sector code is the first two digits of the 165-product code)."""
    conc = load_concordance("bok33")
    products = [p for p in conc.index if len(p) == 3]
    members: dict[str, list[str]] = {}
    group: dict[str, str] = {}
    for p in products:
        code = p[:2]
        members.setdefault(code, []).append(p)
        g = str(conc.loc[p, "group"])
        if group.setdefault(code, g) != g:
            raise DataSourceError(f"bok33 concordance: 83-sector {code} spans two 33 groups")
    codes = [f"{i:02d}" for i in range(1, 84)]
    if sorted(members) != codes:
        raise DataSourceError("bok33 concordance: 165 products do not nest in the 83 sectors")
    return [group[c] for c in codes], members


def employment_2020(members: dict[str, list[str]], x2020: np.ndarray) -> np.ndarray:
    """2020 FTE persons employed per KRW bn of output by 83 sector (from korea-2020-165)."""
    t165 = ims.load_table("korea-2020-165")
    emp = pd.Series(t165.sats["employment"], index=[str(s) for s in t165.sectors])
    by83 = np.array([emp[members[f"{i:02d}"]].sum() for i in range(1, 84)])
    return by83 / (x2020 / 1e3)


def _round_rows(
    zm: np.ndarray, ym: np.ndarray, target: np.ndarray, cap: np.ndarray
) -> tuple[Any, Any]:
    """Whole million KRW (BOK's precision); each row's rounding residual goes to its largest
    imported cell that stays within ``[0, cap]``, so the row still sums exactly to 9329."""
    zr, yr = np.round(zm), np.round(ym)
    for p in range(zr.shape[0]):
        gap = target[p] - zr[p].sum() - yr[p].sum()
        if gap:
            room = (zr[p] + gap <= cap[p]) & (zr[p] + gap >= 0)
            j = int(np.argmax(np.where(room, zr[p], -np.inf)))
            zr[p, j] += gap
    return zr, yr


def compute(root: Path) -> dict[str, Any]:
    """Everything the build derives (arrays), plus the checks and the method comparison."""
    from impactsim.tables.readers import read_bok_xlsx

    t23 = km.read_long_2023(root / EXT_DIR / km.LONG_FILE)
    series = km.read_series(root / SERIES_DIR)
    bench_table = read_bok_xlsx(bench_file(root))
    bench = km.total_of(bench_table)
    groups, members = groups_83()
    g = km.group_matrix(groups)
    x33 = g @ t23.x
    implied = km.implied_33(series, 2023)
    targets = implied["A_m"] * x33[np.newaxis, :]
    shares = km.initial_benchmark(t23, bench, bench_table.z_imported, bench_table.y_imported)
    split = km.split_imports(t23, shares, method=METHOD, groups=groups, block_targets=targets)
    zm, ym = _round_rows(split.z_m, split.y_m, t23.imports, np.clip(t23.z, 0.0, None))
    l20 = employment_2020(members, bench.x)
    emp = np.round(km.derive_employment(t23.x, groups, implied["l"], l20))
    return {
        "t23": t23,
        "series": series,
        "bench": bench,
        "bench_table": bench_table,
        "groups": groups,
        "members": members,
        "split": split,
        "z_m": zm,
        "y_m": ym,
        "employment": emp,
        "l20": l20,
        "implied": implied,
        "targets": targets,
    }


def make_table(root: Path, parts: dict[str, Any]) -> Any:
    t23 = parts["t23"]
    split = parts["split"]
    sources = [
        {
            "file": f"{EXT_DIR}/{km.LONG_FILE}",
            "publisher_table": "Bank of Korea ECOS 271Y120 (2.2.1.2.8 투입산출표_총거래표, "
            "생산자가격, 중분류), 2023",
            "rehosted": "GitHub a99621522-cell/dalgubul-ai-note, "
            "scripts/data/io/ecos_271Y120_2023_long.csv "
            "(5a95f51d016c2512d0c44340c5c372758cff04ae)",
            "sha256": km.sha256_file(root / EXT_DIR / km.LONG_FILE),
        }
    ]
    for kind, fname in km.SERIES_FILES.items():
        sources.append(
            {
                "file": f"{SERIES_DIR}/{fname}",
                "publisher_table": f"Bank of Korea ECOS {km.SERIES_TABLES[kind]} "
                f"({kind} inducement, 생산자가격, 대분류), 2020-2023",
                "rehosted": "GitHub junseo0814/K-Supply-Shield",
                "sha256": km.sha256_file(root / SERIES_DIR / fname),
            }
        )
    bfile = bench_file(root)
    sources.append(
        {
            "file": f"{BENCH_DIR}/{bfile.name}",
            "publisher_table": "Bank of Korea 2020 Input-Output Tables (benchmark), 83 sectors",
            "rehosted": "GitHub daniel5781/khu-subapp",
            "sha256": km.sha256_file(bfile),
        }
    )
    info = pd.DataFrame(
        {
            "name_en": [NAMES_EN[int(c)] for c in t23.codes],
            "name_ko": list(t23.names_ko),
            "bok33": parts["groups"],
            "bok165": [";".join(parts["members"][c]) for c in t23.codes],
        }
    )
    prov = {
        "publisher": "Bank of Korea (한국은행)",
        "table": (
            "2023 Input-Output Table (extension year, 연장표, on the 2020 benchmark), total "
            "transactions, producers' prices, 83 sectors (통합중분류); ECOS statistic 271Y120"
        ),
        "year": 2023,
        "price_basis": "producers' prices (생산자가격)",
        "units": "million KRW (백만원)",
        "licence": LICENCE,
        "attribution": "Source: Bank of Korea, 2023 Input-Output Tables (extension)",
        "sources": sources,
        "official": (
            "[OFF] total flows, final demand by category, value added (4 components), output, "
            "imports by product 9329 (incl. product taxes on imports): BOK ECOS 271Y120 as "
            "published"
        ),
        "imports": (
            f"[DER] domestic / imported split by method {METHOD} (docs/korea-2023.md): 2020 "
            "benchmark cell import shares (BOK 2020 83-sector imported / total table), fitted "
            "by iterative proportional scaling to BOK's 2023 imports by product (9329) and to "
            "the 33 × 33 block totals of imported intermediate inputs implied by BOK's published "
            "2023 33-sector coefficients (A_m = M L⁻¹ from ECOS 2.2.1.2.4 and 2.2.1.2.3, times "
            "output); 0 ≤ imported ≤ total in every cell (flows negative in total import "
            "nothing); rounded to whole million KRW, each row's residual to its largest cell. "
            f"Fit: {split.iterations} iterations, largest block residual "
            f"{split.block_gap:,.0f} million KRW: BOK's implied imported intermediate use of "
            "mining (B) and basic-metal (C07) products exceeds BOK's imports of them (a "
            "negative imported inventory change, held at its 2020 share here), and a few "
            "blocks' targets exceed their positive total flows"
        ),
        "employment": (
            "[DER] persons employed (취업자, FTE), 2023: each 33-sector group's total = BOK's "
            "employment coefficient l_g × output, l = diag(E L⁻¹) from BOK's published 2023 "
            "employment- (ECOS 2.2.1.2.6) and output-inducement (2.2.1.2.3) tables; shared "
            "within the group by the 2020 benchmark's persons per unit of output (BOK 2020 "
            "employment annex, FTE) at 2023 output; rounded to whole persons. The total "
            f"({parts['employment'].sum():,.0f}) matches BOK's published 2023 FTE employment "
            "(25.99 million, release of 24 Sep 2025). No employees (피용자) account"
        ),
        "negative_flows": (
            "some total flows are negative (BOK's by-product treatment); they are kept as "
            "domestic flows (A_d is then not non-negative, as in BOK's own tables)"
        ),
        "sector_info": (
            "name_ko: BOK sector names; name_en: English names (impactsim); bok33: BOK 33 major "
            "sector; bok165: the 2020 165 products the sector aggregates (BOK's nesting)"
        ),
        "built_by": "scripts/build_korea_2023_table.py",
    }
    n, k = len(t23.codes), len(km.FD_NAMES)
    atol = 0.5 * (n + k + 2)
    return ims.IOTable.from_arrays(
        t23.z,
        t23.y,
        t23.va,
        sectors=pd.Index(list(t23.codes), name="sector"),
        final_demand_categories=list(km.FD_NAMES),
        value_added_components=list(km.VA_NAMES),
        imports=parts["z_m"],
        final_demand_imports=parts["y_m"],
        output=t23.x,
        employment=parts["employment"],
        name="korea-2023-83",
        region="KOR",
        currency="KRW",
        unit=1e6,
        year=2023,
        price_basis="producers' prices",
        price_year=2023,
        employment_unit="persons (FTE)",
        provenance=prov,
        sector_info=info,
        allow_negative=("flows", "final_demand", "value_added"),
        balance_rtol=1e-6,
        balance_atol=atol,
    )


#: The 83 sectors the data-centre priors name (electricity, telecoms, content).
DC_CODES = {"electricity": ["45"], "network": ["59"], "content": ["60", "63", "64"]}


def with_technology(splits: dict[str, Any], table: Any) -> dict[str, Any]:
    """The split recipe with each split's prior cost structures (scripts/split_technology.py)."""
    out = copy.deepcopy(splits)
    for split in out["splits"]:
        sector = split["sector"]
        if sector == "31":
            priors = st.memory_priors(table, sector, split["into"]["31-MEM"])
        else:
            priors = st.datacentre_priors(table, sector, split["into"]["61-DC"], DC_CODES)
        split["technology"] = st.technology(priors)
    return out


def build(root: Path, out: Path) -> dict[str, bytes]:
    """Read the BOK files under ``root`` and write the bundled files under ``out``."""
    parts = compute(root)
    table = make_table(root, parts)
    folder = out / TABLE_DIR
    if folder.is_dir():
        for stale in folder.iterdir():
            stale.unlink()
    table.to_dir(folder)
    files = {f"{TABLE_DIR}/{p.name}": p.read_bytes() for p in sorted(folder.iterdir())}
    files[SPLITS_FILE] = (
        json.dumps(with_technology(SPLITS, table), indent=2, ensure_ascii=False) + "\n"
    ).encode("utf-8")
    names_ko = dict(zip(parts["t23"].codes, parts["t23"].names_ko, strict=True))
    rows = [["sector", "group", "group_name_en", "group_name_ko"]]
    for code, products in sorted(parts["members"].items()):
        for p in products:
            rows.append([p, code, NAMES_EN[int(code)], names_ko[code]])
    for split in SPLITS["splits"]:
        for part, info in split["info"].items():
            rows.append([info["bok165"], part, info["name_en"], info["name_ko"]])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    files[CONCORDANCE_FILE] = buf.getvalue().encode("utf-8")
    write_files(out, files)
    return files


def main(argv: list[str] | None = None) -> int:
    return build_main(
        build, doc=__doc__, default_out=DEFAULT_OUT, argv=argv,
        source_help="folder holding the three BOK source folders (docs/data.md)",
    )


if __name__ == "__main__":
    raise SystemExit(main())
