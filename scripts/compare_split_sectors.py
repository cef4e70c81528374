"""Print the split sectors' direct coefficients and multipliers beside their parents' (Markdown).

Usage::

    python scripts/compare_split_sectors.py [korea-2020|korea-2023]

For each split (310 → 310-MEM / 310-NMEM, 610 → 610-DC / 610-OTH; 31 and 61 for 2023): value
added per unit of output, persons employed per KRW 1 bn of output, imported inputs per unit of
output, electricity purchases as a share of all intermediate inputs (domestic + imported), the
Type I value-added multiplier and the Type I / Type II output and employment multipliers (per
unit of final demand; employment in persons per KRW 1 bn). The parent's row comes from the
unsplit table (korea-2020-165, bok-2023-83). docs/data.md shows the output.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import impactsim as ims
from impactsim.datasets.catalog import DATA_DIR

SETS = {
    "korea-2020": ("korea-2020-165", "450", {"310": ("310-MEM", "310-NMEM"),
                                             "610": ("610-DC", "610-OTH")}),
    "korea-2023": (None, "45", {"31": ("31-MEM", "31-NMEM"), "61": ("61-DC", "61-OTH")}),
}


def rows(table: ims.IOTable, sectors: list[str], electricity: str) -> list[list[str]]:
    m1 = ims.LeontiefModel(table).multipliers()
    m2 = ims.LeontiefModel(table).multipliers(induced=True)
    e = table.sector_position(electricity)
    out = []
    for s in sectors:
        j = table.sector_position(s)
        x = table.x[j]
        inter = table.z_domestic[:, j].sum() + table.z_imported[:, j].sum()
        elec = (table.z_domestic[e, j] + table.z_imported[e, j]) / inter
        out.append([
            s,
            f"{table.va[:, j].sum() / x:.3f}",
            f"{table.sats['employment'][j] / x * 1e3:.2f}",
            f"{table.z_imported[:, j].sum() / x:.3f}",
            f"{100 * elec:.2f} %",
            f"{m1.loc[s, 'value_added']:.3f}",
            f"{m1.loc[s, 'output']:.3f}",
            f"{m2.loc[s, 'output']:.3f}",
            f"{m1.loc[s, 'employment'] * 1e3:.2f}",
            f"{m2.loc[s, 'employment'] * 1e3:.2f}",
        ])
    return out


def main(argv: list[str]) -> int:
    name = argv[0] if argv else "korea-2020"
    base_name, elec, splits = SETS[name]
    split = ims.load_table(name)
    base = (ims.load_table(base_name) if base_name
            else ims.IOTable.from_dir(DATA_DIR / "bok-2023-83"))
    head = ["sector", "VA / output", "persons / KRW bn", "imports / output",
            "electricity / inputs", "VA I", "output I", "output II", "jobs I", "jobs II"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for parent, parts in splits.items():
        for r in rows(base, [parent], elec) + rows(split, list(parts), elec):
            print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
