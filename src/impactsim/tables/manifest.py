"""``table.json`` validated field by field, and the rule that a table folder loads only whole.

:func:`check_manifest` validates the parsed ``table.json`` with a pydantic model (strict types:
``"abc"`` is never read as a number, ``5`` never as a list) and raises
:class:`~impactsim.errors.DataSourceError` naming the field, what was found and the fix.
:func:`check_listed_files` then requires every file that ``table.json`` lists under ``files``
(with its checksum) to exist: a folder with a listed file deleted is refused, never silently
read as a smaller table (without ``satellites.csv`` employment would vanish; without
``imported_flows.csv`` imports would be folded into domestic flows). The checksum of every
listed file is compared when it is read (:mod:`impactsim.tables.storage`).

Hand-written folders (docs/data.md) may omit ``files`` and most other fields; what is given
must have the right type.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .._files import file_kind
from ..errors import DataSourceError, TableError
from ._blocks import check_money_unit

#: Files of the folder format (the only names ``files`` may list).
KNOWN_FILES = (
    "sectors.csv",
    "flows.csv",
    "final_demand.csv",
    "value_added.csv",
    "output.csv",
    "imported_flows.csv",
    "imported_final_demand.csv",
    "satellites.csv",
)
#: Blocks where negative entries can be allowed (``IOTable.validate(allow_negative=…)``).
SIGN_BLOCKS = ("flows", "imports", "final_demand", "value_added", "satellites")

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


def _one_unnamed_level() -> list[str | None]:
    return [None]


class SectorsDoc(_Strict):
    """``sectors``: label-level names and types, and the declared ``sector_info`` columns."""

    levels: list[str | None] = Field(default_factory=_one_unnamed_level, min_length=1, max_length=8)
    level_types: list[Literal["str", "int"]] | None = None
    info_columns: dict[str, Literal["str", "int", "float", "bool"]] = Field(default_factory=dict)


class MetaDoc(_Strict):
    """``meta``: the :class:`~impactsim.TableMeta` fields (each optional, each typed)."""

    name: str | None = None
    region: str | None = None
    year: int | None = Field(default=None, ge=1000, le=3000)
    currency: str | None = None
    unit: float | None = None
    price_basis: str | None = None
    price_year: int | None = Field(default=None, ge=1000, le=3000)
    employment_unit: str | None = None
    #: Unit of each satellite other than employment, name → unit (``{"energy": "TJ"}``).
    satellite_units: dict[str, str] | None = None

    @field_validator("unit")
    @classmethod
    def _in_range(cls, v: float | None) -> float | None:
        # the same check as TableMeta (IOTable.from_arrays): finite, in [MIN_UNIT, MAX_UNIT]
        if v is not None:
            try:
                check_money_unit(v)
            except TableError as exc:
                raise ValueError(str(exc).split(": ", 1)[-1]) from None
        return v


class Manifest(_Strict):
    """The whole ``table.json`` document."""

    format: Literal["impactsim-table"] = "impactsim-table"
    format_version: int = 1
    meta: MetaDoc = Field(default_factory=MetaDoc)
    provenance: dict[str, Any] = Field(default_factory=dict)
    sectors: SectorsDoc = Field(default_factory=SectorsDoc)
    final_demand_categories: list[Any] | None = None
    value_added_components: list[Any] | None = None
    satellites: list[str] | None = None
    imports: Literal["matrix", "row"] | None = None
    balance_rtol: float = Field(default=1e-6, ge=0, le=1)
    balance_atol: float = Field(default=0.0, ge=0)
    allow_negative: list[Literal["flows", "imports", "final_demand", "value_added",
                                 "satellites"]] | None = None
    files: dict[str, str] = Field(default_factory=dict)

    @field_validator("balance_atol")
    @classmethod
    def _finite(cls, v: float) -> float:
        if not math.isfinite(v):
            raise ValueError("must be a finite number")
        return v

    @field_validator("files")
    @classmethod
    def _files(cls, v: dict[str, str]) -> dict[str, str]:
        for name, digest in v.items():
            if name not in KNOWN_FILES:
                raise ValueError(f"'{name}' is not a file of the table format "
                                 f"(known: {', '.join(KNOWN_FILES)})")
            if not _SHA256.match(digest):
                raise ValueError(f"the checksum of '{name}' is not a lower-case hex sha256")
        return v


_FIXES = {
    "string_type": "give text in quotes",
    "int_type": "give a whole number",
    "float_type": "give a number",
    "list_type": "give a JSON list [...]",
    "dict_type": "give a JSON object {...}",
    "model_type": "give a JSON object {...}",
    "literal_error": "use one of the allowed values",
    "extra_forbidden": "remove it (or check its spelling)",
}


def check_manifest(doc: Any, meta_path: Path) -> Manifest:
    """Validate a parsed ``table.json``; one-line :class:`DataSourceError` naming the field."""
    if not isinstance(doc, dict):
        raise DataSourceError(f"{meta_path}: expected a JSON object at the top level")
    try:
        return Manifest.model_validate(doc)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in err["loc"]) or "(document)"
        got = err.get("input")
        shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
        if len(shown) > 60:
            shown = shown[:57] + "..."
        msg = str(err["msg"]).removeprefix("Value error, ")
        fix = _FIXES.get(err["type"], "see docs/data.md for the table.json fields")
        more = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
        raise DataSourceError(
            f"{meta_path}: field '{where}': {msg} (got {shown}); fix: {fix}{more}"
        ) from None


def check_listed_files(folder: Path, manifest: Manifest) -> None:
    """Refuse a folder where a file listed under ``files`` (or implied by ``satellites`` /
    ``imports: matrix``) is missing: the folder would load as a different table."""
    meta_file = folder / "table.json"
    wanted = dict.fromkeys(manifest.files)
    if manifest.satellites:
        wanted.setdefault("satellites.csv")
    if manifest.imports == "matrix":
        wanted.setdefault("imported_flows.csv")
        wanted.setdefault("imported_final_demand.csv")
    for name in wanted:
        path = folder / name
        if path.exists() and not path.is_file():
            raise DataSourceError(
                f"{path}: is {file_kind(path.stat().st_mode)}, not a regular file; a table "
                "folder holds plain files (docs/data.md)"
            )
        if not path.is_file():
            why = ("lists it with a checksum" if name in manifest.files
                   else "declares the data it holds")
            raise DataSourceError(
                f"{path}: file missing, but {meta_file} {why}; the folder is incomplete — "
                "restore the file (or write the table again with IOTable.to_dir)"
            )
