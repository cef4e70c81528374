"""Build the bundled world table "wiod-2011" from the WIOD 2013 release CSVs, byte for byte.

Reads a folder holding the WIOD 2013 release CSVs ``wiot2011_Z.csv``, ``wiot2011_Y.csv``,
``wiot2011_x_va.csv`` and ``wiod2013_sectors.csv`` (Timmer et al. 2015, CC BY 4.0; world
input-output table 2011, million USD; docs/sources.md#wiod-2013, and docs/data.md says where the
files are published) with :func:`impactsim.tables.readers.wiod2013.read_wiod2013`
and writes the project's table folder (``IOTable.to_dir`` format, docs/data.md) to
``src/impactsim/datasets/data/wiod-2011/``. The provenance in ``table.json`` records the
publisher, citation, licence, units, year, the sha256 of every source file and the two
adjustments (zero-output region-sectors dropped; statistical discrepancy kept as a final-demand
column). Running it twice gives identical bytes.

Usage: ``python scripts/build_world_table.py SOURCE_DIR [--out DIR] [--check]``
(``--check`` builds into memory and exits 1 if the bundled files differ).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from impactsim.tables.readers.wiod2013 import read_wiod2013

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "impactsim" / "datasets" / "data" / "wiod-2011"


def build_table(source: Path):
    table = read_wiod2013(source)
    prov = dict(table.meta.provenance)
    prov["built_by"] = "scripts/build_world_table.py"
    return table.replace_meta(provenance=prov)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path, help="folder with the WIOD 2013 CSVs (docs/data.md)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="compare with the bundled files only")
    args = ap.parse_args()
    table = build_table(args.source)
    if args.check:
        files = table.to_files()
        differ = [
            name
            for name, blob in files.items()
            if not (args.out / name).exists() or (args.out / name).read_bytes() != blob
        ]
        for name in differ:
            print(f"differs: {args.out / name}")
        return 1 if differ else 0
    folder = table.to_dir(args.out)
    for path in sorted(folder.iterdir()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{path}  {path.stat().st_size:>9} bytes  sha256 {digest}")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
