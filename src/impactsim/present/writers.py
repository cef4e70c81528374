"""Result files: atomic writes, tabular formats (csv, json, parquet, xlsx) and provenance.

Every file is first written in full to a hidden temporary file in the destination folder and
then moved into place with :func:`os.replace` (atomic on POSIX and Windows for one file). A set of
files is *staged* completely before any of them replaces its target, so a run that fails while
writing leaves neither a half-written file nor a clobbered earlier result.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ImpactsimError
from .escape import INVISIBLE, finite_frame, spreadsheet_frame

#: Tabular formats :func:`frame_bytes` can write, with their file suffix.
TABULAR_FORMATS = {"csv": ".csv", "json": ".json", "parquet": ".parquet", "xlsx": ".xlsx"}


class OptionalDependencyError(ImpactsimError, ImportError):
    """A feature needs an optional package that is not installed (the message names the extra)."""


class OutputError(ImpactsimError, OSError):
    """An output file or folder cannot be written (the message names the path and the fix)."""


def require(module: str, *, extra: str, feature: str) -> Any:
    """Import an optional dependency or raise :class:`OptionalDependencyError` naming the extra."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise OptionalDependencyError(
            f"{feature} needs the optional package '{module}', which is not installed; "
            f"install it with: pip install 'impactsim[{extra}]'"
        ) from None


def check_format_available(fmt: str) -> None:
    """Fail early (before any computation) when ``fmt`` needs a missing optional package."""
    if fmt == "parquet":
        require("pyarrow", extra="parquet", feature="--format parquet")
    elif fmt == "xlsx":
        require("openpyxl", extra="excel", feature="--format xlsx")


# ----------------------------------------------------------------------------- serialisers
def json_ready(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with NaN → None and numpy scalars → Python scalars (strict JSON)."""
    out = frame.reset_index() if _has_named_index(frame) else frame.reset_index(drop=True)
    records = out.astype(object).where(out.notna(), None).to_dict(orient="records")
    return [{str(k): _py(v) for k, v in rec.items()} for rec in records]


def _has_named_index(frame: pd.DataFrame) -> bool:
    return any(name is not None for name in frame.index.names)


def _py(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def json_dumps(obj: Any) -> str:
    """Strict, readable JSON (no NaN; numpy and pandas scalars converted)."""

    def default(o: Any) -> Any:
        if isinstance(o, pd.DataFrame):
            return json_ready(o)
        if isinstance(o, pd.Series):
            return {str(k): _py(v) for k, v in o.items()}
        if isinstance(o, np.ndarray):
            return [_py(v) for v in o.tolist()]
        if isinstance(o, np.generic):
            return _py(o)
        if isinstance(o, Path):
            return str(o)
        if isinstance(o, Mapping):
            return dict(o)
        if isinstance(o, set | frozenset | tuple):
            return list(o)
        return str(o)

    text = json.dumps(_clean(obj), indent=2, ensure_ascii=False, default=default,
                      allow_nan=False)
    # C1 controls (terminal escape introducers), lone surrogates (undecodable file names) and
    # the invisible characters that reorder text on a terminal (U+202E) as \uXXXX escapes:
    # the same JSON value, safe on a terminal and always encodable
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_UNSAFE_JSON = re.compile(f"[\x7f-\x9f\ud800-\udfff{INVISIBLE}]")


def _clean(obj: Any) -> Any:
    if isinstance(obj, float | np.floating):
        return _py(float(obj))
    if isinstance(obj, Mapping):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    return obj


def frame_bytes(
    frame: pd.DataFrame, fmt: str, *, sheets: Mapping[str, pd.DataFrame] | None = None
) -> bytes:
    """Serialise a frame (named index levels become columns) as csv, json, parquet or xlsx bytes.

    ``sheets`` (xlsx only) adds further named sheets after the first one (``results``).
    """
    flat = frame.reset_index() if _has_named_index(frame) else frame.reset_index(drop=True)
    flat.columns = [str(c) for c in flat.columns]
    # text never read as a formula, no inf written (docs/security.md)
    flat = spreadsheet_frame(flat) if fmt in ("csv", "xlsx") else finite_frame(flat)
    if fmt == "csv":
        return flat.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if fmt == "json":
        return (json_dumps(json_ready(flat)) + "\n").encode("utf-8")
    if fmt == "parquet":
        require("pyarrow", extra="parquet", feature="writing parquet")
        buf = io.BytesIO()
        flat.attrs = {}
        flat.to_parquet(buf, index=False, engine="pyarrow")
        return buf.getvalue()
    if fmt == "xlsx":
        require("openpyxl", extra="excel", feature="writing xlsx")
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as xl:
            flat.to_excel(xl, sheet_name="results", index=False)
            for name, extra in (sheets or {}).items():
                sheet = extra.reset_index() if _has_named_index(extra) else extra
                sheet = spreadsheet_frame(sheet)
                sheet.to_excel(xl, sheet_name=name[:31], index=False)
        return buf.getvalue()
    raise ValueError(f"format {fmt!r}: use one of {sorted(TABULAR_FORMATS)}")


# ----------------------------------------------------------------------------- atomic files
def _temp_path(target: Path) -> Path:
    _clean_dead_temps(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                dir=target.parent)
    os.close(fd)
    return Path(name)


def _clean_dead_temps(target: Path) -> None:
    """Remove temp files of ``target`` left by processes that were killed (SIGKILL)."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[^.]+\.tmp")
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m is None:
            continue
        try:
            os.kill(int(m.group(1)), 0)
        except ProcessLookupError:
            entry.unlink(missing_ok=True)
        except (PermissionError, OverflowError):
            continue


def atomic_write(path: str | os.PathLike[str], data: bytes | str | Callable[[Any], None]) -> Path:
    """Write ``data`` to ``path`` atomically: temp file in the same folder, fsync, os.replace.

    ``data`` is bytes, text (UTF-8) or a callable that writes into the open binary file. On any
    error the temp file is removed and an existing ``path`` is left untouched.
    """
    return write_files({Path(path): data})[0]


def write_files(files: Mapping[Path, bytes | str | Callable[[Any], None]]) -> list[Path]:
    """Write several files all-or-nothing: stage every one as a temp file, then replace each.

    Staging failures (serialisation errors, a full disk) remove every temp file and leave all
    targets as they were. Returns the target paths written.
    """
    for target in files:
        if Path(target).is_dir():
            raise OutputError(f"{target}: is a folder, so the result file cannot be written there; "
                              "remove or rename it, or choose another folder with -o")
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            target = Path(target)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = _temp_path(target)
            except OSError as exc:
                raise OutputError(
                    f"{target.parent}: cannot create the output folder or a file in it "
                    f"({exc.strerror or exc}); choose a writable folder with -o"
                ) from None
            staged.append((tmp, target))
            with open(tmp, "wb") as fh:
                if callable(data):
                    data(fh)
                else:
                    fh.write(data.encode("utf-8") if isinstance(data, str) else data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    done: list[Path] = []
    try:
        for tmp, target in staged:
            os.replace(tmp, target)
            done.append(target)
    finally:
        for tmp, _ in staged[len(done):]:
            tmp.unlink(missing_ok=True)
    return done


# ----------------------------------------------------------------------------- provenance
def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a set of result files came from: inputs (with checksums), software and command."""

    scenario_file: str
    scenario_sha256: str
    table: Mapping[str, Any]
    impactsim_version: str
    command: Sequence[str]
    options: Mapping[str, Any]
    created: str

    def to_json(self) -> str:
        """The provenance record as pretty JSON text."""
        return json_dumps(
            {
                "scenario_file": self.scenario_file,
                "scenario_sha256": self.scenario_sha256,
                "table": dict(self.table),
                "impactsim_version": self.impactsim_version,
                "command": list(self.command),
                "options": dict(self.options),
                "created": self.created,
            }
        ) + "\n"
