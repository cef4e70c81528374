"""A table's parts in one binary file: the arrays as ``.npy`` members of a zip, the labels and
metadata as a JSON member beside them.

The format of the on-disk cache of loaded tables (:mod:`impactsim.datasets.table_cache`): read
with ``numpy.load(..., allow_pickle=False)`` and ``json``, so reading it constructs no object
from the file's own instructions. ``key`` names what the file was made from; reading checks it,
and a file that was written for another key, by another format version, or that is damaged
raises :class:`BinaryTableError` (the caller builds the table afresh).

:func:`encode` refuses (``BinaryTableError``) a table whose parts would not come back exactly:
every array bit for bit, labels with their dtypes, ``sector_info`` with its column dtypes,
metadata and provenance equal — checked by decoding what it wrote and comparing.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from .storage import TableParts
from .table import IOTable

#: Format name and version written into every file; another value is not read.
FORMAT = "impactsim-table-binary/1"
_DOC = "doc"
_ARRAYS = ("flows", "final_demand", "value_added", "import_row", "imported_flows",
           "imported_final_demand", "output")


class BinaryTableError(ValueError):
    """A binary table file that cannot be written or read back exactly (a cache miss)."""


def _index_doc(index: pd.Index) -> dict[str, Any]:
    if isinstance(index, pd.MultiIndex):
        return {"names": list(index.names), "multi": True,
                "values": [list(t) for t in index.tolist()],
                "dtypes": [str(level.dtype) for level in index.levels]}
    return {"names": list(index.names), "multi": False, "values": index.tolist(),
            "dtype": str(index.dtype)}


def _index(doc: Mapping[str, Any]) -> pd.Index:
    if doc["multi"]:
        index = pd.MultiIndex.from_tuples([tuple(v) for v in doc["values"]], names=doc["names"])
        levels = [lv.astype(dt) for lv, dt in zip(index.levels, doc["dtypes"], strict=True)]
        return index.set_levels(levels)
    return pd.Index(doc["values"], name=doc["names"][0], dtype=doc["dtype"])


def _frame_doc(frame: pd.DataFrame) -> dict[str, Any]:
    return {"index": _index_doc(frame.index), "columns": [str(c) for c in frame.columns],
            "dtypes": [str(frame[c].dtype) for c in frame.columns],
            "data": [frame[c].tolist() for c in frame.columns]}


def _frame(doc: Mapping[str, Any]) -> pd.DataFrame:
    index = _index(doc["index"])
    data = {c: pd.Series(v, index=index, dtype=dt)
            for c, dt, v in zip(doc["columns"], doc["dtypes"], doc["data"], strict=True)}
    return pd.DataFrame(data, index=index, columns=list(doc["columns"]))


def _meta_doc(meta: Mapping[str, Any]) -> dict[str, Any]:
    return {k: dict(v) if isinstance(v, Mapping) else v for k, v in meta.items()}


def encode(parts: TableParts, *, key: str) -> bytes:
    """The bytes of a binary table file holding ``parts``, marked with ``key``.

    Raises :class:`BinaryTableError` when the parts would not be read back exactly (e.g. labels
    or provenance JSON cannot hold); nothing is written then.
    """
    arrays: dict[str, NDArray[Any]] = {}
    for name in _ARRAYS:
        value = getattr(parts, name)
        if value is not None:
            arrays[name] = np.asarray(value)
    sats = list(parts.satellites)
    for i, name in enumerate(sats):
        arrays[f"satellite_{i}"] = np.asarray(parts.satellites[name])
    doc = {
        "format": FORMAT,
        "key": key,
        "arrays": sorted(arrays),
        "sectors": _index_doc(parts.sectors),
        "final_demand_categories": _index_doc(pd.Index(list(parts.final_demand_categories))),
        "value_added_components": _index_doc(pd.Index(list(parts.value_added_components))),
        "satellites": sats,
        "sector_info": None if parts.sector_info is None else _frame_doc(parts.sector_info),
        "provenance": dict(parts.provenance),
        "meta": _meta_doc(parts.meta),
        "allow_negative": list(parts.allow_negative),
        "balance_rtol": parts.balance_rtol,
        "balance_atol": parts.balance_atol,
    }
    try:
        text = json.dumps(doc, ensure_ascii=False, allow_nan=True).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise BinaryTableError(
            f"the table's labels or metadata are not plain data ({exc})"
        ) from None
    if any(a.dtype.hasobject for a in arrays.values()):
        raise BinaryTableError("an array of the table holds Python objects")
    buf = io.BytesIO()
    members: dict[str, Any] = {_DOC: np.frombuffer(text, dtype=np.uint8), **arrays}
    np.savez(buf, **members)
    data = buf.getvalue()
    try:
        same = same_table(IOTable.from_parts(parts), IOTable.from_parts(decode(data, key=key)))
    except Exception as exc:  # any failure to read back means the table is not storable
        raise BinaryTableError(f"the table does not read back ({exc})") from None
    if not same:
        raise BinaryTableError("the table does not read back exactly (labels, dtypes or metadata)")
    return data


def decode(data: bytes, *, key: str) -> TableParts:
    """The :class:`TableParts` of a binary table file written by :func:`encode` with ``key``.

    Raises :class:`BinaryTableError` for another key or format, or a damaged file.
    """
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            members = {name: z[name] for name in z.files}
        doc = json.loads(members.pop(_DOC).tobytes().decode("utf-8"))
    except (OSError, ValueError, KeyError, EOFError, MemoryError, zipfile.BadZipFile,
            UnicodeDecodeError) as exc:
        raise BinaryTableError(f"unreadable binary table ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BinaryTableError("not a binary table of this format version")
    if doc.get("key") != key:
        raise BinaryTableError("written for other sources or another version of the code")
    if sorted(members) != doc["arrays"]:
        raise BinaryTableError("the file's arrays are not the ones its document lists")
    sats = doc["satellites"]
    info = doc["sector_info"]
    return TableParts(
        sectors=_index(doc["sectors"]),
        flows=members["flows"],
        final_demand=members["final_demand"],
        value_added=members["value_added"],
        final_demand_categories=list(_index(doc["final_demand_categories"])),
        value_added_components=list(_index(doc["value_added_components"])),
        import_row=members.get("import_row"),
        imported_flows=members.get("imported_flows"),
        imported_final_demand=members.get("imported_final_demand"),
        output=members.get("output"),
        satellites={name: members[f"satellite_{i}"] for i, name in enumerate(sats)},
        sector_info=None if info is None else _frame(info),
        provenance=doc["provenance"],
        meta=doc["meta"],
        allow_negative=tuple(doc["allow_negative"]),
        balance_rtol=float(doc["balance_rtol"]),
        balance_atol=float(doc["balance_atol"]),
    )


def _same_array(a: NDArray[Any] | None, b: NDArray[Any] | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def _same_index(a: pd.Index, b: pd.Index) -> bool:
    try:
        pd.testing.assert_index_equal(a, b, exact=True, check_exact=True, check_names=True)
    except AssertionError:
        return False
    return True


def _same_labels(a: Sequence[Any], b: Sequence[Any]) -> bool:
    return _same_index(pd.Index(a), pd.Index(b))


def same_table(a: IOTable, b: IOTable) -> bool:
    """Whether two tables are the same to the last bit: arrays (bit patterns and dtypes), labels
    (values, dtypes, names), ``sector_info`` (values and column dtypes) and metadata."""
    arrays = ("z_domestic", "y_domestic", "va", "import_row", "x", "z_imported", "y_imported")
    if not all(_same_array(getattr(a, f), getattr(b, f)) for f in arrays):
        return False
    if list(a.sats) != list(b.sats) or not all(_same_array(a.sats[k], b.sats[k]) for k in a.sats):
        return False
    if not (_same_index(a.sectors, b.sectors)
            and _same_labels(a.final_demand_categories, b.final_demand_categories)
            and _same_labels(a.value_added_components, b.value_added_components)):
        return False
    if (a.sector_info is None) != (b.sector_info is None):
        return False
    if a.sector_info is not None and b.sector_info is not None:
        try:
            pd.testing.assert_frame_equal(a.sector_info, b.sector_info, check_exact=True)
        except AssertionError:
            return False
    return bool(a.meta == b.meta)
