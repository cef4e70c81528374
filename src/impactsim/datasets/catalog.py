"""The table catalog: a small registry name → loader + provenance, and the bundled concordances.

Each :class:`TableEntry` names a loader (a callable, or ``"module:function"`` imported on first
use, so that listing tables stays cheap) and the facts ``list_tables()`` shows without loading:
sectors, region, year, money unit, publisher, licence, source. Loaded tables are cached
(:class:`IOTable` is immutable, so every caller can share one object).

To add a table, append a :class:`TableEntry` to ``BUILTIN_TABLES`` below (bundled tables) or call
:func:`register_table` at run time (your own tables)::

    TableEntry(name="my-table", loader=my_loader, ...)

Bundled data live in ``impactsim/datasets/data/`` (package data); ``scripts/build_korea_table.py``
rebuilds the Korea files from the Bank of Korea sources byte for byte.
"""

from __future__ import annotations

import csv
import difflib
import functools
import importlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DataSourceError

# Only the loaders need the tables package (and pandas): checking a scenario's table name
# (catalog_currency, is_table_path) must not import them, so the tables modules are imported
# by the functions that load or transform a table.
if TYPE_CHECKING:  # pragma: no cover - annotations only
    import pandas as pd

    from ..tables.storage import TableAccounts
    from ..tables.table import IOTable

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_TABLE = "korea-2020"
KOREA_165_DIR = "bok-2020-165"
KOREA_2023_DIR = "bok-2023-83"
#: The folder each bundled split table is built from (its sectors before the splits).
UNSPLIT_FOLDERS = {"korea-2020": KOREA_165_DIR, "korea-2023": KOREA_2023_DIR}
WIOD_2011_DIR = "wiod-2011"  # built by scripts/build_world_table.py (WIOD 2013 release)
KOREA_SPLITS_FILE = "korea-2020-splits.json"
KOREA_2023_SPLITS_FILE = "korea-2023-splits.json"
CONCORDANCE_DIR = "concordances"

BOK_LICENCE = (
    "Bank of Korea official statistics, free to use with attribution "
    "('Source: Bank of Korea, 2020 Input-Output Tables')"
)
BOK_SOURCE = (
    "Bank of Korea, 2020 Input-Output Tables (benchmark year, 실측표), producers' prices, "
    "165 products; re-hosted in the public GitHub repository khio00/IO-Analysis"
)


@dataclass(frozen=True)
class TableEntry:
    """One catalog entry: how to load a table and what it is (shown by :func:`list_tables`)."""

    name: str
    description: str
    loader: Callable[[], IOTable] | str = field(repr=False)
    sectors: int
    region: str
    year: int
    currency: str
    unit: str
    price_basis: str
    employment: str
    publisher: str
    licence: str
    source: str
    #: The files and table folders (relative to the bundled data folder) the loader reads; a
    #: table with sources is kept in the on-disk cache (:mod:`impactsim.datasets.table_cache`)
    #: under a key over these files and the code. Empty (the default, and any table you
    #: register): loaded by its loader every time a process first asks for it.
    sources: tuple[str, ...] = field(default=(), repr=False)

    def load(self) -> IOTable:
        """The table: from the on-disk cache when the entry names its ``sources`` and a file
        for the same sources and code is there, else from the loader."""
        if not self.sources:
            return self.build()
        from .table_cache import cached_table

        return cached_table(self.name, [DATA_DIR / s for s in self.sources], self.build)

    def build(self) -> IOTable:
        """Call the loader (importing ``"module:function"`` loaders on first use)."""
        from ..tables.table import IOTable

        loader = self.loader
        if isinstance(loader, str):
            module, _, func = loader.partition(":")
            loader = getattr(importlib.import_module(module), func)
        table = loader()
        if not isinstance(table, IOTable):
            raise DataSourceError(
                f"table '{self.name}': its loader returned {type(table).__name__}, not an IOTable"
            )
        return table


def _load_bok_165() -> IOTable:
    from ..tables.table import IOTable

    return IOTable.from_dir(DATA_DIR / KOREA_165_DIR)


def _load_wiod_2011() -> IOTable:
    from ..tables.table import IOTable

    return IOTable.from_dir(DATA_DIR / WIOD_2011_DIR)


def korea_splits() -> dict[str, Any]:
    """The split assumptions applied to the 165-product table to form ``korea-2020``."""
    path = DATA_DIR / KOREA_SPLITS_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataSourceError(f"{path}: cannot read the split assumptions ({exc})") from None


def apply_splits(table: IOTable, recipe: dict[str, Any]) -> IOTable:
    """Apply a split recipe (the format of ``korea-2020-splits.json``) with
    :func:`impactsim.tables.transform.disaggregate`; a split's ``technology.priors`` are the
    parts' prior cost structures, balanced to the parent (RAS)."""
    from ..tables import transform

    out = table
    for split in recipe["splits"]:
        tech = split.get("technology") or {}
        out = transform.disaggregate(
            out,
            split["sector"],
            split["into"],
            input_structures=split.get("input_structures"),
            technology=tech.get("priors"),
            info=split.get("info"),
            source=split["source"],
        )
    prov = dict(out.meta.provenance)
    prov["split_assumptions"] = recipe["splits"]
    return out.replace_meta(name=recipe["name"], provenance=prov)


def _load_korea_2020() -> IOTable:
    return apply_splits(load_table("korea-2020-165"), korea_splits())


def _load_korea_2023() -> IOTable:
    """BOK 2023 table, 83 sectors, 31 and 61 split (scripts/build_korea_2023_table.py)."""
    from ..tables.table import IOTable

    path = DATA_DIR / KOREA_2023_SPLITS_FILE
    try:
        recipe = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataSourceError(f"{path}: cannot read the split assumptions ({exc})") from None
    return apply_splits(IOTable.from_dir(DATA_DIR / KOREA_2023_DIR), recipe)


def unsplit_accounts(name: str) -> TableAccounts:
    """Sector labels, ``sector_info``, gross output and employment of the folder the bundled
    table ``name`` (``korea-2020``, ``korea-2023``) is built from, before its sector splits,
    without reading its matrices (:func:`impactsim.tables.storage.read_accounts`).

    A split divides a sector's output and employment among sectors that keep its groupings
    (``bok33``), so sums by those groupings equal the split table's.
    """
    from ..tables.storage import read_accounts

    if name not in UNSPLIT_FOLDERS:
        raise DataSourceError(
            f"{name}: not a bundled split table; use one of {sorted(UNSPLIT_FOLDERS)}"
        )
    return read_accounts(DATA_DIR / UNSPLIT_FOLDERS[name])


#: What the two Bank of Korea 2020 entries share.
_BOK_2020: dict[str, Any] = {
    "region": "KOR",
    "year": 2020,
    "currency": "KRW",
    "unit": "million KRW",
    "price_basis": "producers' prices",
    "employment": "persons employed and employees, FTE, 2020",
    "publisher": "Bank of Korea",
    "licence": BOK_LICENCE,
}

BUILTIN_TABLES: tuple[TableEntry, ...] = (
    TableEntry(
        name="korea-2020",
        description=(
            "Bank of Korea 2020 benchmark input-output table, 165 products with semiconductors "
            "split into memory / non-memory (310-MEM, 310-NMEM) and information services into "
            "data centres & hosting / other (610-DC, 610-OTH): 167 sectors, domestic and imported "
            "flows, FTE employment. The default table."
        ),
        loader=_load_korea_2020,
        sources=(KOREA_165_DIR, KOREA_SPLITS_FILE),
        sectors=167,
        **_BOK_2020,
        source=BOK_SOURCE + "; splits: impactsim assumptions (docs/data.md)",
    ),
    TableEntry(
        name="korea-2020-165",
        description=(
            "Bank of Korea 2020 benchmark input-output table as published: 165 products, domestic "
            "and imported flows, FTE employment"
        ),
        loader=_load_bok_165,
        sources=(KOREA_165_DIR,),
        sectors=165,
        **_BOK_2020,
        source=BOK_SOURCE,
    ),
    TableEntry(
        name="korea-2023",
        description=(
            "Bank of Korea 2023 extension input-output table, 83 sectors with semiconductors "
            "split into memory / non-memory (31-MEM, 31-NMEM) and information services into data "
            "centres & hosting / other (61-DC, 61-OTH): 85 sectors; domestic / imported split "
            "and FTE employment derived (docs/korea-2023.md)"
        ),
        loader=_load_korea_2023,
        sources=(KOREA_2023_DIR, KOREA_2023_SPLITS_FILE),
        sectors=85,
        **{
            **_BOK_2020,
            "year": 2023,
            "employment": "persons employed, FTE, 2023 (derived from BOK coefficients)",
            "licence": BOK_LICENCE.replace("2020 Input-Output Tables", "2023 Input-Output Tables"),
        },
        source=(
            "Bank of Korea ECOS 271Y120 (2023 total transactions, 83 sectors) and ECOS "
            "2.2.1.2.3/4/6 (33-sector inducement coefficients 2020-2023); split and employment "
            "derived by scripts/build_korea_2023_table.py"
        ),
    ),
    TableEntry(
        name="wiod-2011",
        description=(
            "WIOD 2013 release world input-output table for 2011: 40 countries + rest of world "
            "× 35 industries (NACE Rev.1), multi-region with (region, sector) labels; 1413 "
            "region-industries (22 with zero output dropped); value added as a residual; no "
            "employment satellite and no household closure (Type I only)"
        ),
        loader=_load_wiod_2011,
        sources=(WIOD_2011_DIR,),
        sectors=1413,
        region="WORLD",
        year=2011,
        currency="USD",
        unit="million USD",
        price_basis="basic prices",
        employment="none (WIOD socio-economic accounts not bundled)",
        publisher="World Input-Output Database (WIOD), 2013 release; Timmer et al. (2015)",
        licence="CC BY 4.0 (cite Timmer et al. 2015)",
        source=(
            "WIOD 2013 world table 2011 as CSV from the R package bquast/wiod; built by "
            "scripts/build_world_table.py"
        ),
    ),
)

_REGISTRY: dict[str, TableEntry] = {e.name: e for e in BUILTIN_TABLES}


def register_table(entry: TableEntry, *, replace: bool = False) -> None:
    """Add a table to the catalog (``replace=True`` to overwrite an entry of the same name)."""
    if entry.name in _REGISTRY and not replace:
        raise DataSourceError(
            f"table '{entry.name}' is already in the catalog; pass replace=True to overwrite it"
        )
    _REGISTRY[entry.name] = entry
    _load.cache_clear()


def _entry(name: str) -> TableEntry:
    try:
        return _REGISTRY[name]
    except KeyError:
        near = difflib.get_close_matches(str(name), list(_REGISTRY), n=3)
        hint = f"; did you mean {near}?" if near else ""
        raise DataSourceError(
            f"no table named {name!r} in the catalog (available: {sorted(_REGISTRY)}){hint}"
        ) from None


@functools.cache
def _load(name: str) -> IOTable:
    return _entry(name).load()


def load_table(name: str | Path = DEFAULT_TABLE) -> IOTable:
    """A catalog table by name (default ``"korea-2020"``), loaded once per process and shared
    (immutable), or a table folder (written by :meth:`IOTable.to_dir` or by hand, docs/data.md)
    given as a path; a folder is read again whenever its files change (cached by path and the
    SHA-256 of its files, never by file times). A bundled table is built once per machine and
    then read from its binary form in the user's cache folder
    (:mod:`impactsim.datasets.table_cache`): the same table to the last bit."""
    if is_table_path(name):
        return _load_folder(Path(name))
    _entry(str(name))
    return _load(str(name))


def is_table_path(name: str | Path) -> bool:
    """Whether ``name`` means a table folder rather than a catalog name: a ``Path``, a string
    with a path separator or a leading ``.``/``~``, or an existing folder not in the catalog."""
    if isinstance(name, Path):
        return True
    text = str(name)
    if text in _REGISTRY:
        return False
    return "/" in text or "\\" in text or text.startswith((".", "~")) or Path(text).is_dir()


def catalog_currency(name: str) -> str | None:
    """The currency of a catalog table (from its entry, without loading it), None if unknown."""
    entry = _REGISTRY.get(name)
    return None if entry is None else entry.currency


def _load_folder(path: Path) -> IOTable:
    from ..tables.storage import folder_digest

    folder = path.expanduser()
    if not folder.is_dir():
        what = "is a file" if folder.exists() else "does not exist"
        raise DataSourceError(
            f"table folder {folder}: {what}; give a folder written by IOTable.to_dir (or a "
            f"bundled table name: {sorted(_REGISTRY)})"
        )
    resolved = folder.resolve()
    return _load_folder_cached(str(resolved), folder_digest(resolved))


@functools.lru_cache(maxsize=8)
def _load_folder_cached(folder: str, digest: str) -> IOTable:
    from ..tables.table import IOTable

    return IOTable.from_dir(folder)


def list_tables() -> pd.DataFrame:
    """The catalog as a DataFrame: one row per table with its size, units and provenance."""
    import pandas as pd

    rows = []
    for e in _REGISTRY.values():
        d = asdict(e)
        d.pop("loader")
        d.pop("sources")
        d["default"] = e.name == DEFAULT_TABLE
        rows.append(d)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- concordances
CONCORDANCES: dict[str, dict[str, str]] = {
    "bok33": {
        "file": "bok33.csv",
        "description": (
            "Bank of Korea 165 products (and the korea-2020 split sectors) → BOK's 33 major "
            "sectors (대분류), from BOK's aggregation matrix 행통합행렬"
        ),
        "source": BOK_SOURCE
        + " (행통합행렬.csv); major-sector codes as in BOK's 2015 33-sector table",
    },
    "bok165_83": {
        "file": "bok165_83.csv",
        "description": (
            "Bank of Korea 165 products (and the korea-2020 split sectors) → BOK's 83 sectors "
            "(통합중분류) of korea-2023 (and its split sectors)"
        ),
        "source": BOK_SOURCE + "; BOK's nesting: the 83-sector code is the first two digits",
    },
}


@functools.cache
def _read_concordance(name: str) -> pd.DataFrame:
    import pandas as pd

    spec = CONCORDANCES[name]
    path = DATA_DIR / CONCORDANCE_DIR / spec["file"]
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    head, body = rows[0], rows[1:]
    if head[:2] != ["sector", "group"]:
        raise DataSourceError(f"{path}, line 1: expected columns 'sector,group,…', found {head}")
    frame = pd.DataFrame(body, columns=head).set_index("sector")
    return frame


def load_concordance(name: str) -> pd.DataFrame:
    """A bundled concordance: index ``sector``, columns ``group`` and ``group_*`` descriptions."""
    if name not in CONCORDANCES:
        raise DataSourceError(
            f"no bundled concordance named {name!r} (available: {sorted(CONCORDANCES)})"
        )
    return _read_concordance(name).copy()


def list_concordances() -> pd.DataFrame:
    """Bundled concordances with description and source."""
    import pandas as pd

    return pd.DataFrame(
        [
            {"name": k, "description": v["description"], "source": v["source"]}
            for k, v in CONCORDANCES.items()
        ]
    )


def aggregate(
    table: IOTable,
    concordance: Mapping[Any, Any] | pd.Series | str,
    *,
    sector_info: pd.DataFrame | None = None,
    name: str | None = None,
) -> IOTable:
    """Merge sectors by a concordance; a string names a bundled concordance (e.g. ``"bok33"``).

    A bundled concordance (:func:`load_concordance`; ``"bok33"``: BOK's 33 major sectors) is read
    as {sector: group}, and its ``group_*`` columns become the new table's ``sector_info`` (e.g.
    ``name_en``) unless ``sector_info`` (indexed by group) is given. A mapping or Series is used
    as is. The merge itself, ``Z_new = S Z Sᵀ`` etc., is
    :func:`impactsim.tables.transform.aggregate`.
    """
    from ..tables import transform

    if not isinstance(concordance, str):
        return transform.aggregate(table, concordance, sector_info=sector_info, name=name)
    frame = load_concordance(concordance)
    if sector_info is None:
        groups_info = frame.drop(columns=["group"]).groupby(frame["group"], sort=False).first()
        sector_info = groups_info[[c for c in groups_info.columns if c.startswith("group_")]]
        sector_info.columns = [c.removeprefix("group_") for c in sector_info.columns]
    return transform.aggregate(
        table,
        frame["group"].to_dict(),
        sector_info=sector_info,
        name=name,
        source=f"bundled concordance '{concordance}'",
    )
