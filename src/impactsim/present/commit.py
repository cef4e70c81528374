"""Result folders committed as a set: staged beside the target, swapped in by one rename.

``impactsim run -o DIR`` writes every file of the run into a hidden staging folder next to
``DIR`` (``.DIR.staging-<pid>-<random>``), fsyncs it, and then makes it ``DIR``:

* on Linux by one ``renameat2(RENAME_EXCHANGE)`` — the old and the new folder trade places
  atomically, so a reader (or a crash, a kill, a full disk) sees either the whole previous result
  or the whole new one, never a mixture; the old folder is then deleted;
* elsewhere by two renames (``DIR`` → ``.DIR.old-<pid>``, staging → ``DIR``): a crash between
  them leaves no ``DIR`` but the complete old one beside it, which the next run puts back.

Files of the previous run that this run does not write are gone with the old folder (no stale
``claims.csv`` beside new results). Leftover staging folders of runs that were killed are
removed by the next run into the same target. The folder holds a manifest
(:data:`MANIFEST`, with each file's SHA-256); a non-empty folder that holds anything else than
impactsim results is refused rather than replaced, so user files are never deleted.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .writers import OutputError

#: Name of the manifest every committed result folder holds.
MANIFEST = "impactsim-manifest.json"
#: Names written by ``run -o`` (recognised in folders of older versions without a manifest).
_RESULT_NAME = re.compile(
    r"^.+\.(results|summary|claims)\.(csv|json|parquet|xlsx)$"
    r"|^.+\.provenance\.json$|^.+\.report\.(md|html)$|^.+\.report_files$"
)
#: Errors of a full disk, a quota or a file-size limit: reported as bad output targets.
SPACE_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.ENAMETOOLONG}

Data = bytes | str | Callable[[Any], None]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(target: Path) -> list[Path]:
    """Remove staging folders of dead runs beside ``target``; put back an old result folder that
    a crash left beside a missing ``target``. Returns what was removed."""
    parent = target.parent
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    for entry in parent.iterdir():
        pattern = rf"\.{re.escape(target.name)}\.(staging|old)-(\d+)(-[0-9a-f]+)?"
        m = re.fullmatch(pattern, entry.name)
        if m is None or (_pid_alive(int(m.group(2))) and int(m.group(2)) != os.getpid()):
            continue
        if m.group(1) == "old" and not target.exists():
            os.rename(entry, target)  # a crash between the two fallback renames
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _check_owned(target: Path, names: set[str]) -> None:
    """Refuse to replace a folder that holds files impactsim did not write, or where a folder
    stands in the place of a result file (``names``: the files written at the top level)."""
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputError(f"{target}: is a file, but the results are a folder; give a folder")
    listed: set[str] = set()
    manifest = target / MANIFEST
    if manifest.is_file():
        try:
            doc = json.loads(manifest.read_text(encoding="utf-8"))
            listed = {str(p).split("/", 1)[0] for p in doc.get("files", {})}
        except (OSError, ValueError, AttributeError):
            listed = set()
    for entry in target.iterdir():
        name = entry.name
        if name in names and entry.is_dir() and not (target / name).is_symlink():
            raise OutputError(
                f"{entry}: is a folder, so the result file cannot be written there; remove or "
                "rename it, or choose another folder with -o"
            )
        if name == MANIFEST or name in listed or _RESULT_NAME.match(name):
            continue
        raise OutputError(
            f"{target}: holds '{name}', which impactsim did not write; the result folder is "
            "replaced as a whole, so choose a new or empty folder with -o (nothing was written)"
        )


def _write(path: Path, data: Data) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        if callable(data):
            data(fh)
        else:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        fh.flush()
        os.fsync(fh.fileno())
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2``); False where it is not available."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def output_error(target: Path, exc: OSError) -> OutputError:
    """A one-line :class:`OutputError` for an OS error while writing ``target``."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = "free disk space or choose another folder with -o"
    elif exc.errno == errno.EFBIG:
        fix = "a file exceeds the file-size limit (ulimit -f): raise it or write fewer draws"
    elif exc.errno == errno.ENAMETOOLONG:
        fix = "use a shorter output path"
    else:
        fix = "choose a writable folder with -o"
    return OutputError(f"{target}: cannot write the results ({reason.lower()}); the previous "
                       f"results are unchanged; {fix}")


def commit_folder(target: str | os.PathLike[str], files: Mapping[Path, Data]) -> list[Path]:
    """Write ``files`` (paths inside ``target``) as the whole content of folder ``target``.

    All or nothing: on any error or signal the staging folder is removed and ``target`` is as
    it was. Returns the paths written (the manifest last).
    """
    given = Path(target)
    target = Path(os.path.abspath(target))
    rel = {Path(p): Path(os.path.abspath(p)).relative_to(target) for p in files}
    try:
        clean_leftovers(target)
        _check_owned(target, {r.name for r in rel.values() if len(r.parts) == 1})
        staging = target.parent / f".{target.name}.staging-{os.getpid()}-{secrets.token_hex(4)}"
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
    except OutputError:
        raise
    except OSError as exc:
        raise output_error(target, exc) from None
    swapped = False
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(staging, 0o777 & ~mask)
        digests: dict[str, str] = {}
        for path, data in files.items():
            digests[rel[path].as_posix()] = _write(staging / rel[path], data)
        doc = {"format": "impactsim-result", "files": digests}
        _write(staging / MANIFEST, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        _fsync_dir(staging)
        if target.exists() and _exchange(staging, target):
            swapped = True  # staging now holds the old result
        elif target.exists():
            old = target.parent / f".{target.name}.old-{os.getpid()}"
            os.rename(target, old)
            os.rename(staging, target)
            swapped = True
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, target)
            swapped = True
        _fsync_dir(target.parent)
    except OSError as exc:
        if not swapped:
            shutil.rmtree(staging, ignore_errors=True)
        raise output_error(target, exc) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # the old result (or an aborted staging)
    return [*files, given / MANIFEST]
