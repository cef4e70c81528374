"""Build the bundled Korea tables from the Bank of Korea 2020 source files.

Usage::

    python scripts/build_korea_table.py SOURCE_DIR [--out OUT_DIR]

``SOURCE_DIR`` is a folder holding the Bank of Korea 2020 input-output table files
``총거래표.csv``, ``국산거래표.csv``, ``고용표.csv``, ``소분류(상품).csv`` and ``행통합행렬.csv``
(docs/data.md, "Where the raw files are published", says where to get them; the source is
docs/sources.md#bok-io-2020). ``OUT_DIR`` defaults to ``src/impactsim/datasets/data``. The
script writes

* ``bok-2020-165/``       the BOK 2020 165-product table in the impactsim folder format
                          (domestic and imported flows and final demand, value added, output,
                          FTE employment), with English and Korean names and BOK 33-sector codes;
* ``korea-2020-splits.json``  the documented split assumptions that turn it into ``korea-2020``;
* ``concordances/bok33.csv``  BOK's 165 → 33 major-sector concordance (행통합행렬.csv).

Everything written is a function of the source bytes: re-running reproduces the committed files
byte for byte (tests/test_data_build.py checks this). The raw files are never copied.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))  # _build_cli beside this file

import pandas as pd  # noqa: E402
import split_technology as st  # noqa: E402
from _build_cli import build_main, write_files  # noqa: E402

from impactsim.datasets.catalog import (  # noqa: E402
    BOK_LICENCE,
    CONCORDANCE_DIR,
    KOREA_165_DIR,
    KOREA_SPLITS_FILE,
)
from impactsim.errors import DataSourceError  # noqa: E402
from impactsim.tables.readers import read_bok_csv  # noqa: E402
from impactsim.tables.readers._grid import read_text_grid, sha256_file  # noqa: E402

DEFAULT_OUT = REPO / "src" / "impactsim" / "datasets" / "data"
SOURCE_FILES = (
    "총거래표.csv",
    "국산거래표.csv",
    "고용표.csv",
    "소분류(상품).csv",
    "행통합행렬.csv",
)

#: English names of BOK's 2020 basic products (faithful translations of the Korean names,
#: following BOK's English classification where it is known).
NAMES_EN = {
    "011": "Grains and food crops",
    "012": "Vegetables and fruits",
    "019": "Other crops",
    "021": "Dairy farming and cattle",
    "029": "Other livestock",
    "030": "Forestry products",
    "040": "Fishery products",
    "050": "Agricultural, forestry and fishery services",
    "061": "Coal",
    "062": "Crude petroleum and natural gas",
    "071": "Metallic ores",
    "072": "Non-metallic minerals",
    "081": "Meat and dairy products",
    "082": "Processed seafood",
    "083": "Polished grains and flour",
    "084": "Sugar and starches",
    "085": "Rice cakes, confectionery and noodles",
    "086": "Seasonings, fats and oils",
    "087": "Other food products",
    "088": "Prepared animal feeds",
    "091": "Alcoholic beverages",
    "092": "Non-alcoholic beverages and ice",
    "100": "Tobacco products",
    "111": "Textile yarns",
    "112": "Textile fabrics",
    "113": "Textile bleaching and dyeing (processing)",
    "114": "Made-up textile products",
    "115": "Wearing apparel",
    "120": "Leather products",
    "131": "Wood (sawn and processed)",
    "132": "Wood products",
    "141": "Pulp",
    "142": "Paper",
    "143": "Paper products",
    "150": "Printing and reproduction of recorded media",
    "161": "Coal products",
    "162": "Refined crude-oil products",
    "163": "Lubricants and other refined petroleum products",
    "171": "Basic organic chemicals",
    "172": "Basic inorganic chemicals",
    "180": "Synthetic resins and synthetic rubber",
    "190": "Chemical fibres",
    "200": "Pharmaceuticals",
    "210": "Fertilisers and agricultural chemicals",
    "221": "Paints and inks",
    "222": "Soap and cosmetics",
    "229": "Other chemical products",
    "231": "Primary plastic products",
    "239": "Other plastic products",
    "241": "Tyres and tubes",
    "249": "Other rubber products",
    "250": "Glass and glass products",
    "261": "Ceramic and clay products",
    "262": "Cement",
    "263": "Concrete products",
    "269": "Other non-metallic mineral products",
    "271": "Pig iron and crude steel",
    "272": "Hot-rolled steel products",
    "273": "Cold-rolled steel products",
    "279": "Other primary iron and steel products",
    "281": "Non-ferrous metal ingots",
    "282": "Primary non-ferrous metal products",
    "290": "Metal castings",
    "301": "Structural metal products and tanks",
    "302": "Metal forgings, powder-metallurgy and stamped products",
    "303": "Metal treatment and machining",
    "309": "Other fabricated metal products",
    "310": "Semiconductors",
    "320": "Electronic displays",
    "331": "Printed circuit boards",
    "339": "Other electronic components",
    "340": "Computers and peripheral equipment",
    "351": "Communication and broadcasting equipment",
    "352": "Video and audio equipment",
    "361": "Medical and measuring instruments",
    "369": "Other precision instruments",
    "371": "Electric generators and motors",
    "372": "Electricity conversion and supply-control apparatus",
    "373": "Batteries",
    "374": "Electric wires and cables",
    "375": "Household electrical appliances",
    "379": "Other electrical equipment",
    "381": "Internal combustion engines and turbines",
    "382": "Pumps and compressors",
    "383": "General-purpose machinery parts",
    "384": "Industrial handling equipment",
    "385": "Air and liquid conditioning equipment",
    "389": "Other general-purpose machinery",
    "391": "Agricultural and construction machinery",
    "392": "Metalworking machinery",
    "393": "Moulds and dies",
    "394": "Semiconductor and display manufacturing machinery",
    "399": "Other special-purpose machinery",
    "401": "Motor vehicles",
    "402": "Special-purpose vehicles and trailers",
    "403": "Motor vehicle parts",
    "410": "Ships",
    "421": "Railway vehicles",
    "422": "Aircraft",
    "429": "Other transport equipment",
    "431": "Furniture",
    "439": "Other manufactured products",
    "440": "Manufacturing services on inputs owned by others and industrial equipment repair",
    "450": "Electric power and renewable energy",
    "461": "City gas",
    "462": "Steam and hot water supply",
    "470": "Water supply",
    "480": "Wastewater treatment",
    "491": "Waste treatment",
    "492": "Materials recovery (recycling) services",
    "501": "Residential buildings",
    "502": "Non-residential buildings",
    "503": "Building repair",
    "511": "Transport facilities construction",
    "512": "General civil engineering construction",
    "513": "Industrial facilities construction",
    "519": "Other construction",
    "520": "Wholesale and retail trade and commodity brokerage services",
    "531": "Rail transport services",
    "532": "Road transport services",
    "540": "Water transport services",
    "550": "Air transport services",
    "561": "Transport support services",
    "562": "Cargo handling services",
    "563": "Storage and warehousing services",
    "569": "Other transport-related services",
    "571": "Public postal services",
    "572": "Parcel delivery (courier) services",
    "581": "Restaurants and bars",
    "582": "Accommodation services",
    "591": "Wired, wireless and satellite telecommunication services",
    "599": "Other telecommunication services",
    "600": "Broadcasting services",
    "610": "Information services",
    "621": "Software development and supply",
    "629": "Other IT services",
    "630": "Newspaper and publishing services",
    "640": "Film, video and audio production and distribution",
    "651": "Central banking and deposit-taking institutions",
    "659": "Other financial intermediation",
    "660": "Insurance services",
    "670": "Services auxiliary to finance and insurance",
    "680": "Housing (residential) services",
    "691": "Non-residential building rental and real estate supply",
    "692": "Real estate related services",
    "700": "Research and development",
    "711": "Legal and business management support services",
    "712": "Advertising",
    "721": "Architectural and civil engineering services",
    "729": "Other scientific, technical and professional services",
    "730": "Rental of equipment and goods, and licensing of intellectual property",
    "741": "Building facility maintenance and landscaping services",
    "742": "Labour supply and employment placement",
    "749": "Other business support services",
    "751": "Public administration and defence",
    "752": "Social insurance services",
    "760": "Education services",
    "770": "Medical and health services",
    "780": "Social welfare services",
    "790": "Cultural and travel-related services",
    "800": "Sports and recreation services",
    "810": "Membership organisations (social organisations)",
    "821": "Repair services for motor vehicles and consumer goods",
    "822": "Personal services",
    "830": "Other (dummy sector)",
}

#: BOK's 33 major sectors (대분류), in the order of 행통합행렬.csv; codes as in BOK's 2015
#: 33-sector table (A, B, C01–C14, D … T).
BOK33 = [
    ("A", "농림수산품", "Agricultural, forestry and fishery products"),
    ("B", "광산품", "Mining products"),
    ("C01", "음식료품", "Food, beverages and tobacco products"),
    ("C02", "섬유 및 가죽제품", "Textile and leather products"),
    ("C03", "목재 및 종이, 인쇄", "Wood and paper products, printing"),
    ("C04", "석탄 및 석유제품", "Coal and petroleum products"),
    ("C05", "화학제품", "Chemical products"),
    ("C06", "비금속광물제품", "Non-metallic mineral products"),
    ("C07", "1차 금속제품", "Basic metal products"),
    ("C08", "금속가공제품", "Fabricated metal products"),
    ("C09", "컴퓨터, 전자 및 광학기기", "Computer, electronic and optical equipment"),
    ("C10", "전기장비", "Electrical equipment"),
    ("C11", "기계 및 장비", "Machinery and equipment"),
    ("C12", "운송장비", "Transport equipment"),
    ("C13", "기타 제조업제품", "Other manufactured products"),
    (
        "C14",
        "제조임가공 및 산업용 장비 수리",
        "Manufacturing services and industrial equipment repair",
    ),
    ("D", "전력, 가스 및 증기", "Electricity, gas and steam"),
    (
        "E",
        "수도, 폐기물처리 및 재활용서비스",
        "Water supply, waste treatment and recycling services",
    ),
    ("F", "건설", "Construction"),
    (
        "G",
        "도소매 및 상품중개서비스",
        "Wholesale and retail trade and commodity brokerage services",
    ),
    ("H", "운송서비스", "Transport services"),
    ("I", "음식점 및 숙박서비스", "Food service and accommodation"),
    ("J", "정보통신 및 방송서비스", "Information, communication and broadcasting services"),
    ("K", "금융 및 보험서비스", "Finance and insurance services"),
    ("L", "부동산서비스", "Real estate services"),
    ("M", "전문, 과학 및 기술 서비스", "Professional, scientific and technical services"),
    ("N", "사업지원서비스", "Business support services"),
    ("O", "공공행정, 국방 및 사회보장", "Public administration, defence and social security"),
    ("P", "교육서비스", "Education services"),
    ("Q", "보건 및 사회복지서비스", "Health and social welfare services"),
    ("R", "예술, 스포츠 및 여가 관련 서비스", "Arts, sports and recreation services"),
    ("S", "기타 서비스", "Other services"),
    ("T", "기타", "Other"),
]

#: The split assumptions (docs/sources.md#korea-2020-splits).
#: Shares are of the parent's 2020 output.
SPLITS = {
    "name": "korea-2020",
    "base": "korea-2020-165",
    "splits": [
        {
            "sector": "310",
            "into": {"310-MEM": 0.64, "310-NMEM": 0.36},
            "info": {
                "310-MEM": {
                    "name_en": "Memory semiconductors (DRAM, NAND flash, HBM)",
                    "name_ko": "메모리 반도체",
                },
                "310-NMEM": {
                    "name_en": (
                        "Non-memory semiconductors (system chips, discretes, optoelectronics)"
                    ),
                    "name_ko": "비메모리 반도체 (시스템반도체, 개별소자, 광소자)",
                },
            },
            "columns": (
                "own technologies: SK hynix (memory) and DB HiTek (foundry) 2020 filings as priors "
                "for compensation, persons and operating surplus, the parent's coefficients "
                "elsewhere, balanced to the parent by RAS (scripts/split_technology.py)"
            ),
            "basis": (
                "memory share 0.64 = 2020 memory semiconductor exports 63.93 / total semiconductor "
                "exports 100.25 bn USD (63.8 %), used as a proxy for output shares because Korean "
                "chip output is mostly exported; range 0.60-0.70"
            ),
            "tag": "[DER] derived from [OFF] export statistics",
            "range": [0.6, 0.7],
            "source": (
                "Ministry of Science and ICT, 2020 ICT exports (18 Jan 2021): semiconductors "
                "100.25, memory 63.93, system chips 30.26 bn USD [OFF]; share derived here [DER] "
                "(docs/sources.md#msit-ict-exports-2020)"
            ),
        },
        {
            "sector": "610",
            "into": {"610-DC": 0.17, "610-OTH": 0.83},
            "info": {
                "610-DC": {
                    "name_en": "Data centres, hosting and cloud / HPC services",
                    "name_ko": "데이터센터, 호스팅 및 클라우드·고성능컴퓨팅 서비스",
                },
                "610-OTH": {
                    "name_en": "Other information services (data processing, portals, other)",
                    "name_ko": "기타 정보서비스",
                },
            },
            "columns": (
                "own technologies: data-centre priors for electricity, staff, depreciation, "
                "network and content inputs (Epoch AI, JLARC, operators' revenue shares), the "
                "parent's coefficients elsewhere, balanced to the parent by RAS "
                "(scripts/split_technology.py)"
            ),
            "basis": (
                "data-centre share 0.17 = Korean private data-centre revenue > 3 tn KRW (2020) / "
                "BOK product 610 output 17.57 tn KRW; an upper bound, because telecom operators' "
                "data-centre revenue may sit in product 591; range 0.10-0.17"
            ),
            "tag": "[IND] industry figure / [DER] derived share",
            "range": [0.1, 0.17],
            "source": (
                "Korea Data Center Council (한국데이터센터연합회), Korea Data Center Market "
                "2023-2026 (etnews, 14 Jun 2023): revenue > 3 tn KRW in 2020 [IND]; Bank of "
                "Korea 2020 IO table row 610 output 17.57 tn KRW [OFF]; share derived here [DER] "
                "(docs/sources.md#kdcc-market-2023, docs/sources.md#bok-io-2020)"
            ),
        },
    ],
}


def _csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def _norm(name: str) -> str:
    return "".join(name.split()).replace("\u3000", "")


def read_concordance(source: Path, products: list[str], names_ko: list[str]) -> list[str]:
    """BOK 33-sector code of each product from 행통합행렬.csv (33 × 165, 0/1)."""
    path = source / "행통합행렬.csv"
    grid = read_text_grid(path, encoding="utf-8-sig")
    head = [_norm(v) for v in grid[0][1:]]
    if head != [_norm(v) for v in names_ko]:
        raise DataSourceError(
            f"{path.name}, row 1: expected the 165 product names in table order, found a "
            "different list"
        )
    rows = [r for r in grid[1:] if r and r[0].strip()]
    if len(rows) != len(BOK33):
        raise DataSourceError(
            f"{path.name}: expected {len(BOK33)} major-sector rows, found {len(rows)}"
        )
    group = [""] * len(products)
    for (code, name_ko, _), row in zip(BOK33, rows, strict=True):
        if _norm(row[0]) != _norm(name_ko):
            raise DataSourceError(
                f"{path.name}: expected major sector {name_ko!r}, found {row[0]!r}"
            )
        for j, v in enumerate(row[1:]):
            if v.strip() == "1":
                if group[j]:
                    raise DataSourceError(
                        f"{path.name}: product {products[j]} is in two major sectors"
                    )
                group[j] = code
            elif v.strip() != "0":
                raise DataSourceError(
                    f"{path.name}: expected 0 or 1, found {v!r} in row {row[0]!r}"
                )
    missing = [p for p, g in zip(products, group, strict=True) if not g]
    if missing:
        raise DataSourceError(f"{path.name}: products {missing} belong to no major sector")
    return group


def check_product_list(source: Path, names_ko: list[str]) -> None:
    """소분류(상품).csv must list the same 165 names in the same order."""
    path = source / "소분류(상품).csv"
    names = [r[0] for r in read_text_grid(path, encoding="utf-8-sig") if r]
    if [_norm(n) for n in names] != [_norm(n) for n in names_ko]:
        raise DataSourceError(f"{path.name}: the product list differs from 총거래표.csv")


#: The 165 products the data-centre priors name (electricity, telecoms, content).
DC_CODES = {"electricity": ["450"], "network": ["591"], "content": ["600", "630", "640", "712"]}


def with_technology(splits: dict[str, Any], table: Any) -> dict[str, Any]:
    """The split recipe with each split's prior cost structures (scripts/split_technology.py)."""
    out = copy.deepcopy(splits)
    for split in out["splits"]:
        sector = split["sector"]
        w = split["into"][f"{sector}-MEM" if sector == "310" else f"{sector}-DC"]
        if sector == "310":
            priors = st.memory_priors(table, sector, w)
        else:
            priors = st.datacentre_priors(table, sector, w, DC_CODES)
        split["technology"] = st.technology(priors)
    return out


def build(source: Path, out: Path) -> dict[str, bytes]:
    """Read the BOK files in ``source`` and write the bundled files under ``out``."""
    table = read_bok_csv(source, employment_year=2020)
    products = list(table.sectors)
    if set(products) != set(NAMES_EN):
        raise DataSourceError(
            f"{source}: product codes differ from the English name list "
            f"(new: {sorted(set(products) - set(NAMES_EN))}, "
            f"gone: {sorted(set(NAMES_EN) - set(products))})"
        )
    assert table.sector_info is not None
    names_ko = [str(v) for v in table.sector_info["name_ko"]]
    check_product_list(source, names_ko)
    bok33 = read_concordance(source, products, names_ko)
    info = pd.DataFrame(
        {
            "name_en": [NAMES_EN[p] for p in products],
            "name_ko": names_ko,
            "bok33": bok33,
        }
    )
    prov = dict(table.meta.provenance)
    prov.update(
        {
            "publisher": "Bank of Korea (한국은행)",
            "table": (
                "2020 Input-Output Tables (benchmark year, 실측표), 165 products (상품 소분류)"
            ),
            "licence": BOK_LICENCE,
            "attribution": "Source: Bank of Korea, 2020 Input-Output Tables",
            "rehosted": "GitHub repository khio00/IO-Analysis (files as listed under 'sources')",
            "sources": [{"file": f, "sha256": sha256_file(source / f)} for f in SOURCE_FILES],
            "employment": (
                "employment = persons employed (취업자수: employees + self-employed + unpaid "
                "family workers), employees = 피용자수 (wage and salary workers); both "
                "full-time equivalent (전업환산: part-time hours converted to full-time), 2020, "
                "from the BOK employment annex 고용표"
            ),
            "sector_info": (
                "name_ko: BOK product names; name_en: English translations (impactsim); bok33: "
                "BOK 33 major-sector code from 행통합행렬.csv"
            ),
            "built_by": "scripts/build_korea_table.py",
        }
    )
    table = table.with_arrays(sector_info=info)
    table = table.replace_meta(name="korea-2020-165", provenance=prov)

    files: dict[str, bytes] = {}
    for fname, data in table.to_files().items():
        files[f"{KOREA_165_DIR}/{fname}"] = data
    files[KOREA_SPLITS_FILE] = (
        json.dumps(with_technology(SPLITS, table), indent=2, ensure_ascii=False) + "\n"
    ).encode("utf-8")
    names = {code: (ko, en) for code, ko, en in BOK33}
    conc = [["sector", "group", "group_name_en", "group_name_ko"]]
    for p, g in zip(products, bok33, strict=True):
        conc.append([p, g, names[g][1], names[g][0]])
    for split in SPLITS["splits"]:
        g = bok33[products.index(split["sector"])]
        for part in split["into"]:
            conc.append([part, g, names[g][1], names[g][0]])
    files[f"{CONCORDANCE_DIR}/bok33.csv"] = _csv_bytes(conc)
    write_files(out, files)
    return files


def main(argv: list[str] | None = None) -> int:
    return build_main(
        build, doc=__doc__, default_out=DEFAULT_OUT, argv=argv,
        source_help="folder with the BOK 2020 165-product CSVs (docs/data.md)",
    )


if __name__ == "__main__":
    raise SystemExit(main())
