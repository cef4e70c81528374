"""Build the bundled Korean provincial employment data used for location-quotient regionalisation.

Reads ``../shared/data/kostat-establishment-survey-sido/`` (Statistics Korea, Census on
Establishments, register basis) and ``../shared/data/bok-2020-165-khio00/총거래표.csv`` (for the
BOK product codes and names) and writes, byte for byte reproducibly,
``src/impactsim/datasets/data/kostat-sido-2020/``:

* ``persons_engaged_2020.csv`` — persons engaged (headcount) in 2020, 17 provinces + national,
  by KSIC-10 section A–S and all industries;
* ``ksic_sections.csv`` — the 19 sections: letter, KSIC divisions, English and Korean names;
* ``bok165_ksic.csv`` — the concordance from the 165 BOK product codes to KSIC sections, with
  the reason for every judgement call;
* ``provenance.json`` — publisher, licence terms, units, year, sha256 of the sources.

Usage: ``python scripts/build_regional_employment.py [--shared ../shared/data] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = "kostat-establishment-survey-sido"
SOURCE_FILE = "sido_industry_establishments_employees_sales_2020_2023.csv"
BOK_FILE = "bok-2020-165-khio00/총거래표.csv"
OUT = ROOT / "src" / "impactsim" / "datasets" / "data" / "kostat-sido-2020"
YEAR = "2020"
MEASURE = "종사자수 (명)"

#: Provinces: KOSTAT short Korean name → (English name, ISO 3166-2 code as of 2020).
PROVINCES = {
    "서울": ("Seoul", "KR-11"),
    "부산": ("Busan", "KR-26"),
    "대구": ("Daegu", "KR-27"),
    "인천": ("Incheon", "KR-28"),
    "광주": ("Gwangju", "KR-29"),
    "대전": ("Daejeon", "KR-30"),
    "울산": ("Ulsan", "KR-31"),
    "세종": ("Sejong", "KR-50"),
    "경기": ("Gyeonggi", "KR-41"),
    "강원": ("Gangwon", "KR-42"),
    "충북": ("Chungbuk", "KR-43"),
    "충남": ("Chungnam", "KR-44"),
    "전북": ("Jeonbuk", "KR-45"),
    "전남": ("Jeonnam", "KR-46"),
    "경북": ("Gyeongbuk", "KR-47"),
    "경남": ("Gyeongnam", "KR-48"),
    "제주": ("Jeju", "KR-49"),
}
NATIONAL = ("전국", "Korea", "KR")
ALL_INDUSTRIES = "전체 산업"

#: KSIC-10 sections as KOSTAT labels them (divisions in brackets) → letter and English name.
SECTIONS = {
    "01~03": ("A", "Agriculture, forestry and fishing"),
    "05~08": ("B", "Mining and quarrying"),
    "10~34": ("C", "Manufacturing"),
    "35": ("D", "Electricity, gas, steam and air conditioning supply"),
    "36~39": ("E", "Water supply; sewage, waste management and remediation"),
    "41~42": ("F", "Construction"),
    "45~47": ("G", "Wholesale and retail trade"),
    "49~52": ("H", "Transportation and storage"),
    "55~56": ("I", "Accommodation and food service activities"),
    "58~63": ("J", "Information and communication"),
    "64~66": ("K", "Financial and insurance activities"),
    "68": ("L", "Real estate activities"),
    "70~73": ("M", "Professional, scientific and technical activities"),
    "74~76": ("N", "Business facilities management, business support and rental"),
    "84": ("O", "Public administration and defence; compulsory social security"),
    "85": ("P", "Education"),
    "86~87": ("Q", "Human health and social work activities"),
    "90~91": ("R", "Arts, sports and recreation related services"),
    "94~96": ("S", "Membership organisations, repair and other personal services"),
}

#: Concordance BOK 2020 product code → KSIC-10 section. Ranges are inclusive on the 3-digit code;
#: "*" = no single section (the region's all-industry share is used, i.e. SLQ = 1).
CONCORDANCE_RANGES: list[tuple[str, str, str, str]] = [
    ("011", "050", "A", "agriculture, livestock, forestry, fishery and their services "
     "(KSIC 01-03)"),
    ("061", "072", "B", "coal, crude oil and gas, metal and non-metal ores (KSIC 05-08)"),
    ("081", "440", "C", "manufactured products, incl. 150 printing (KSIC 18) and 440 repair and "
     "installation of industrial equipment (KSIC 34)"),
    ("450", "462", "D", "electricity, town gas, steam and hot water (KSIC 35)"),
    ("470", "492", "E", "water (36), sewage (37), waste (38) and materials recovery (39)"),
    ("501", "519", "F", "building and civil-engineering construction (KSIC 41-42)"),
    ("520", "520", "G", "wholesale and retail trade and commodity brokerage (KSIC 45-47)"),
    ("531", "569", "H", "rail, road, water and air transport, support and storage (KSIC 49-52)"),
    ("571", "571", "J", "public postal service: postal activities are KSIC 611, in section J "
     "under KSIC-10"),
    ("572", "572", "H", "courier (parcel) services: KSIC 494, in section H"),
    ("581", "582", "I", "food and drink services, accommodation (KSIC 55-56)"),
    ("591", "640", "J", "telecoms (61), broadcasting (60), information services incl. data "
     "centres (63), software (582) and IT services (62), publishing (58), film and audio (59)"),
    ("651", "670", "K", "banking, other financial intermediation, insurance, auxiliaries "
     "(KSIC 64-66)"),
    ("680", "692", "L", "housing services (imputed rent), real-estate lease, supply and "
     "services (KSIC 68)"),
    ("700", "729", "M", "R&D (70), legal and management support (71), advertising (713), "
     "architecture and engineering (72), other professional services (73)"),
    ("730", "749", "N", "rental and leasing (76), facility management (74), employment and "
     "other business support (75)"),
    ("751", "752", "O", "public administration and defence, social insurance (KSIC 84)"),
    ("760", "760", "P", "education (KSIC 85)"),
    ("770", "780", "Q", "health and social work (KSIC 86-87)"),
    ("790", "800", "R", "culture (KSIC 90) and sports and recreation (91); 790 also holds travel "
     "services, which KSIC puts in section N (752) — assigned to R as the larger part"),
    ("810", "822", "S", "membership organisations (94), repair of vehicles and consumer goods "
     "(95), other personal services (96)"),
    ("830", "830", "*", "BOK's 'other' (dummy) product, not an industry: no regional "
     "information, so the region's all-industry share is used (SLQ = 1)"),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def read_persons_engaged(path: Path) -> dict[str, dict[str, int]]:
    """{province short name: {section letter or 'total': persons engaged}} for 2020."""
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    years, measures = rows[0], rows[1]
    try:
        col = next(j for j in range(2, len(years)) if years[j] == YEAR and measures[j] == MEASURE)
    except StopIteration:
        raise SystemExit(f"{path}: no column for year {YEAR}, measure {MEASURE!r}") from None
    out: dict[str, dict[str, int]] = {}
    for line, row in enumerate(rows[2:], start=3):
        prov, ind = row[0].strip(), row[1].strip()
        value = int(row[col].replace(",", "").strip())
        if ind == ALL_INDUSTRIES:
            key = "total"
        else:
            m = re.search(r"\(([\d~]+)\)\s*$", ind)
            if not m or m.group(1) not in SECTIONS:
                raise SystemExit(f"{path}, line {line}: unknown industry label {ind!r}")
            key = SECTIONS[m.group(1)][0]
        out.setdefault(prov, {})[key] = value
    return out


def read_bok_products(path: Path) -> list[tuple[str, str]]:
    """(code, Korean name) of the 165 BOK products, from row 5/6 of the total-transactions CSV."""
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    codes, names = rows[4], rows[5]
    out = []
    for code, name in zip(codes[2:], names[2:], strict=False):
        code = code.strip()
        if re.fullmatch(r"\d{3}", code):
            out.append((code, name.strip().replace("\u3000", "")))
    if len(out) != 165:
        raise SystemExit(f"{path}: expected 165 product codes, found {len(out)}")
    return out


def section_of(code: str) -> tuple[str, str]:
    for lo, hi, sec, note in CONCORDANCE_RANGES:
        if lo <= code <= hi:
            return sec, note
    raise SystemExit(f"BOK product {code}: no KSIC section in the concordance")


def build(shared: Path, out: Path) -> dict[str, bytes]:
    src = shared / SOURCE_DIR / SOURCE_FILE
    bok = shared / BOK_FILE
    data = read_persons_engaged(src)
    letters = [v[0] for v in SECTIONS.values()]
    files: dict[str, bytes] = {}

    head = ["province", "province_ko", "iso_3166_2", *letters, "total"]
    rows = [head]
    order = [NATIONAL] + [(ko, en, iso) for ko, (en, iso) in PROVINCES.items()]
    for ko, en, iso in order:
        if ko not in data:
            raise SystemExit(f"{src}: province {ko} missing")
        vals = data[ko]
        if sum(vals[s] for s in letters) != vals["total"]:
            raise SystemExit(f"{src}: sections of {ko} do not add up to all industries")
        rows.append([en, ko, iso, *(str(vals[s]) for s in letters), str(vals["total"])])
    nat = data[NATIONAL[0]]
    for s in [*letters, "total"]:
        if sum(data[ko][s] for ko in PROVINCES) != nat[s]:
            raise SystemExit(f"{src}: provinces do not add up to the national value of {s}")
    files["persons_engaged_2020.csv"] = csv_bytes(rows)

    ko_names = {}
    text = src.read_bytes().decode("utf-8-sig")
    for row in list(csv.reader(io.StringIO(text)))[2:]:
        m = re.search(r"\(([\d~]+)\)\s*$", row[1])
        if m:
            ko_names[SECTIONS[m.group(1)][0]] = row[1].strip()
    sec_rows = [["section", "ksic_divisions", "name_en", "name_ko"]]
    for divs, (letter, name_en) in SECTIONS.items():
        sec_rows.append([letter, divs.replace("~", "-"), name_en, ko_names[letter]])
    files["ksic_sections.csv"] = csv_bytes(sec_rows)

    conc = [["bok_code", "name_ko", "ksic_section", "basis"]]
    for code, name in read_bok_products(bok):
        sec, note = section_of(code)
        conc.append([code, name, sec, note])
    files["bok165_ksic.csv"] = csv_bytes(conc)

    prov = {
        "dataset": "kostat-sido-2020",
        "title": "Persons engaged by province (시·도) and KSIC-10 section, 2020",
        "publisher": "Statistics Korea (KOSTAT, 통계청), Census on Establishments "
        "(전국사업체조사), register basis, as served by KOSIS",
        "year": 2020,
        "units": "persons engaged (종사자: owners, unpaid family workers, regular and temporary "
        "employees), headcount, not full-time equivalent",
        "licence": "official statistics; KOSIS terms allow reuse with attribution to Statistics "
        "Korea (no explicit open licence stated by the re-hosting repository)",
        "source": "re-hosted in GitHub repository ModelBandit/GAIProject1, "
        "resources/Preprocess/전국사업체조사/2020이후/ (commit 22a0069)",
        "source_files": {
            f"{SOURCE_DIR}/{SOURCE_FILE}": sha256(src),
            BOK_FILE: sha256(bok),
        },
        "concordance": "bok165_ksic.csv maps each BOK 2020 product (3-digit code) to one KSIC-10 "
        "section (judgement calls explained row by row); split products inherit their parent's "
        "section (310-MEM/310-NMEM → C, 610-DC/610-OTH → J)",
        "caveats": "section level only: one location quotient for all of manufacturing (C), so "
        "semiconductors, cars and petrochemicals are not told apart; headcount, while the BOK "
        "table's employment is FTE (only regional shares are used)",
        "built_by": "scripts/build_regional_employment.py",
    }
    files["provenance.json"] = (json.dumps(prov, indent=2, ensure_ascii=False) + "\n").encode()
    out.mkdir(parents=True, exist_ok=True)
    for name, blob in files.items():
        (out / name).write_bytes(blob)
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    files = build(args.shared, args.out)
    for name, blob in files.items():
        print(f"{args.out / name}  {len(blob):>7} bytes  sha256 {hashlib.sha256(blob).hexdigest()}")


if __name__ == "__main__":
    main()
