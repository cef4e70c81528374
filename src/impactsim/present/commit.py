"""Result folders committed as a set: staged beside the target, swapped in by one rename.

``impactsim run -o DIR`` writes every file of the run into a hidden staging folder next to
``DIR`` (``.DIR.staging-<pid>-<random>``), fsyncs it, and then makes it ``DIR``:

* on Linux by one ``renameat2(RENAME_EXCHANGE)`` — the old and the new folder trade places
  atomically, so a reader (or a crash, a kill, a full disk) sees either the whole previous result
  or the whole new one, never a mixture; the old folder is then deleted;
* elsewhere by two renames (``DIR`` → ``.DIR.old-<pid>``, staging → ``DIR``): a crash between
  them leaves no ``DIR`` but the complete old one beside it, which the next run puts back.

Files of the previous run that this run does not write are gone with the old folder (no stale
``claims.csv`` beside new results). Only files impactsim wrote are ever replaced: the folder
holds a manifest (:data:`MANIFEST`, with each file's SHA-256), and a folder that holds anything
the manifest does not list, or a listed file changed since, is refused before anything is
written (:func:`check_target`). ``-o .`` (or any folder holding the working folder) is
refused; ``-o LINK`` replaces the folder the link points at and keeps the link. Staging folders
of killed runs are removed by the next run into the same target (a running commit holds a lock
on its staging folder, so only abandoned ones are removed).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .escape import safe_path as display_path
from .writers import OutputError

#: Name of the manifest every committed result folder holds.
MANIFEST = "impactsim-manifest.json"
#: The largest manifest read back (a result set lists a few dozen files).
_MAX_MANIFEST_BYTES = 4 * 1024 * 1024
#: Errors of a full disk, a quota or a file-size limit: reported as bad output targets.
SPACE_ERRORS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.ENAMETOOLONG}

Data = bytes | str | Callable[[Any], None]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True
    return True


def _lock(fd: int, *, wait: bool = False) -> bool:
    """An exclusive ``flock`` on an open folder: held by the run that stages into it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    except OSError:  # a file system without locks: fall back to the process id
        return True
    return True


def _abandoned(entry: Path, pid: int) -> bool:
    """Whether a staging entry beside the target belongs to no running commit.

    A run holds an exclusive lock on its staging folder while it writes; a folder nobody locks
    is either a killed run's (``kill -9``) or the previous result a finished swap left to
    delete. Process ids can be reused, so the lock decides, the id only where locks fail.
    """
    if entry.is_symlink() or not entry.is_dir():
        return not _pid_alive(pid) or pid == os.getpid()
    try:
        fd = os.open(entry, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        return _lock(fd)
    finally:
        os.close(fd)


def _leftovers(target: Path) -> list[tuple[Path, str, int]]:
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(staging|old)-(\d+)(-[0-9a-f]+)?")
    found = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m is not None:
            found.append((entry, m.group(1), int(m.group(2))))
    return found


def clean_leftovers(target: Path) -> list[Path]:
    """Remove staging folders of dead runs beside ``target``; put back an old result folder that
    a crash left beside a missing ``target``. Returns what was removed.

    A staging entry is removed only when no running commit holds its lock; a symbolic link
    (left by versions that swapped a link given as ``-o``) is unlinked, never followed.
    """
    removed: list[Path] = []
    for entry, kind, pid in _leftovers(target):
        if kind == "old":
            if _pid_alive(pid) and pid != os.getpid():
                continue
            if not os.path.lexists(target):
                os.rename(entry, target)  # a crash between the two fallback renames
                continue
        elif not _abandoned(entry, pid):
            continue
        _remove(entry)
        removed.append(entry)
    return removed


def _remove(entry: Path) -> None:
    if entry.is_symlink() or not entry.is_dir():
        with contextlib.suppress(OSError):
            entry.unlink()
    else:
        shutil.rmtree(entry, ignore_errors=True)


def resolve_target(target: str | os.PathLike[str]) -> Path:
    """The folder ``run -o`` replaces, after the checks that keep the user's folders safe.

    * ``-o LINK`` (a symbolic link to a folder, or a dangling one): the folder the link points
      at is replaced, the link itself stays;
    * ``-o .``, the current folder or any folder that holds it is refused: replacing it would
      pull the working folder from under the caller (and a result folder is replaced whole);
    * a file (not a folder) is refused.
    """
    path = Path(os.path.abspath(target))
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    real = Path(os.path.realpath(path))
    try:
        cwd = Path(os.path.realpath(os.getcwd()))
    except OSError:
        cwd = None
    shown = display_path(target)
    if cwd is not None and (real == cwd or real in cwd.parents):
        what = "the current folder" if real == cwd else "a folder that holds the current folder"
        raise OutputError(
            f"-o {shown}: is {what}; a result folder is replaced as a whole, so give a new "
            "subfolder, e.g. -o results (nothing was written)"
        )
    if real.parent == real:
        raise OutputError(f"-o {shown}: is the root folder; give a new subfolder, e.g. -o results")
    if path.exists() and not path.is_dir():
        raise OutputError(f"-o {shown}: is a file, but the results are a folder; give a folder")
    return path


def _read_at(dir_fd: int, name: str, *, limit: int | None = None) -> bytes | None:
    """The bytes of regular file ``name`` in the open folder ``dir_fd`` (None if it is not
    one: missing, a link, a device); at most ``limit + 1`` bytes when ``limit`` is given."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1) if limit is not None else fh.read()
    finally:
        os.close(fd)


def _manifest_files(dir_fd: int) -> dict[str, str] | None:
    """{relative path: sha256} of the manifest in the open folder (None: none, or not ours)."""
    raw = _read_at(dir_fd, MANIFEST, limit=_MAX_MANIFEST_BYTES)
    if raw is None or len(raw) > _MAX_MANIFEST_BYTES:
        return None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(doc, dict) or doc.get("format") != "impactsim-result":
        return None
    files = doc.get("files")
    if not isinstance(files, dict):
        return None
    return {str(k): str(v) for k, v in files.items()}


def _digest_at(dir_fd: int, name: str) -> str | None:
    data = _read_at(dir_fd, name)
    return None if data is None else hashlib.sha256(data).hexdigest()


def foreign_entries(target: Path) -> list[tuple[str, str]]:
    """What in folder ``target`` impactsim did not write: [(relative path, why)], empty when
    every entry is a file its manifest lists with the checksum it was written with (or the
    folder is empty). Links, devices and folders the manifest does not account for are
    foreign; so is a listed file that was edited since.

    The folder is opened once and read through that handle, so a concurrent run swapping
    another result set into the same path cannot mix two folders into one verdict.
    """
    try:
        top = os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except (FileNotFoundError, NotADirectoryError):
        return []
    try:
        entries = sorted(os.listdir(top))
        if not entries:
            return []
        listed = _manifest_files(top)
        if listed is None:
            why = f"no {MANIFEST} beside it, so impactsim did not write it"
            return [(display_path(entries[0]), why)]
        dirs = {p.rsplit("/", 1)[0] for p in listed if "/" in p}
        dirs |= {"/".join(d.split("/")[:i]) for d in dirs for i in range(1, d.count("/") + 1)}
        found: list[tuple[str, str]] = []
        alien = f"not in {MANIFEST}: impactsim did not write it"
        for root, subdirs, names, root_fd in os.fwalk(".", dir_fd=top):
            base = Path(root)
            for name in sorted(subdirs):
                rel = (base / name).as_posix()
                link = stat.S_ISLNK(os.stat(name, dir_fd=root_fd, follow_symlinks=False).st_mode)
                if rel not in dirs or link:
                    found.append((display_path(rel), alien))
            subdirs[:] = [d for d in subdirs if (base / d).as_posix() in dirs]
            for name in sorted(names):  # links to folders are listed here too (not followed)
                rel = (base / name).as_posix()
                if rel == MANIFEST:
                    continue
                if rel not in listed:
                    found.append((display_path(rel), alien))
                elif _digest_at(root_fd, name) != listed[rel]:
                    found.append((display_path(rel), "changed since impactsim wrote it"))
        return found
    finally:
        os.close(top)


def check_target(target: str | os.PathLike[str]) -> Path:
    """Refuse (:class:`OutputError`, one line) a ``-o`` folder whose content impactsim would
    replace but did not write; the resolved folder otherwise. Called before a run starts, and
    again just before the swap."""
    path = resolve_target(target)
    if path.is_dir():
        found = foreign_entries(path)
        if found:
            rel, why = found[0]
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            raise OutputError(
                f"-o {display_path(target)}: holds '{rel}'{more} ({why}); a result folder is "
                "replaced as a whole and only impactsim's own files are replaced, so move it "
                "away or choose a new or empty folder with -o (nothing was written)"
            )
    return path


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


def _manifest_text(doc: Mapping[str, Any]) -> str:
    """The manifest as UTF-8 JSON; file names that are not UTF-8 (bytes kept as lone
    surrogates by Python) are written as ``\\udcXX`` escapes, which read back to the same
    name."""
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)


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


#: Reads of the target folder tried before a vanishing folder (a concurrent swap) is an error.
_PREPARE_ATTEMPTS = 5


def commit_folder(target: str | os.PathLike[str], files: Mapping[Path, Data], *,
                  notice: Callable[[str], None] | None = None) -> list[Path]:
    """Write ``files`` (paths inside ``target``) as the whole content of folder ``target``.

    All or nothing: on any error or signal the staging folder is removed and ``target`` is as
    it was. Only what an earlier run wrote (listed in its manifest, unchanged) is replaced: a
    folder with anything else is refused before anything is written (:func:`check_target`).
    Should a foreign file appear in the old folder while this run stages (a race), the old
    folder is kept beside the target as ``DIR.kept-<time>`` and ``notice`` is told. Returns the
    paths written (the manifest last).
    """
    given = Path(target)
    for attempt in range(_PREPARE_ATTEMPTS):
        try:
            clean_leftovers(Path(os.path.abspath(given)))
            target = check_target(given)
            clean_leftovers(target)
            staging = (target.parent
                       / f".{target.name}.staging-{os.getpid()}-{secrets.token_hex(4)}")
            target.parent.mkdir(parents=True, exist_ok=True)
            staging.mkdir()
            break
        except OutputError:
            raise
        except FileNotFoundError as exc:
            # another run swapped the folder while this one read it (the target is absent for
            # an instant between two renames): read it again
            if attempt + 1 == _PREPARE_ATTEMPTS:
                raise output_error(Path(given), exc) from None
            time.sleep(0.01 * (attempt + 1))
        except OSError as exc:
            raise output_error(Path(given), exc) from None
    target = Path(target)  # check_target returned the folder as a Path
    rel = {Path(p): Path(os.path.abspath(p)).relative_to(os.path.abspath(given)) for p in files}
    lock_fd = -1
    swapped = False
    try:
        lock_fd = os.open(staging, os.O_RDONLY | os.O_DIRECTORY)
        _lock(lock_fd)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(staging, 0o777 & ~mask)
        digests: dict[str, str] = {}
        for path, data in files.items():
            digests[rel[path].as_posix()] = _write(staging / rel[path], data)
        doc = {"format": "impactsim-result", "files": digests}
        _write(staging / MANIFEST, _manifest_text(doc))
        _fsync_dir(staging)
        with _signals_held():  # the swap and the removal of the old folder run to the end
            old = _swap(staging, target)
            swapped = True
            if old is not None and not _kept_if_foreign(old, target, notice):
                shutil.rmtree(old, ignore_errors=True)  # the previous result
            _fsync_dir(target.parent)
    except OSError as exc:
        raise output_error(target, exc) from None
    finally:
        if lock_fd >= 0:
            os.close(lock_fd)
        if not swapped:
            with _signals_held():
                shutil.rmtree(staging, ignore_errors=True)  # an aborted staging folder
    return [*files, given / MANIFEST]


def _swap(staging: Path, target: Path) -> Path | None:
    """Make ``staging`` the target; the path that now holds the previous folder (if any)."""
    if target.exists() and _exchange(staging, target):
        return staging
    if target.exists():
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        os.rename(target, old)
        os.rename(staging, target)
        return old
    os.rename(staging, target)
    return None


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM held back (recorded, not lost) for the duration: a signal during the
    swap takes effect right after it, through the handler that was installed before, so the
    folder is the whole old or the whole new set and no staging folder is left behind.
    (Handlers, not the signal mask: a process-directed signal may land on a BLAS thread.)
    Off the main thread the signals are not touched."""
    sigs = (signal.SIGINT, signal.SIGTERM)
    caught: list[signal.Signals] = []
    try:
        before = {
            s: signal.signal(s, lambda n, _f: caught.append(signal.Signals(n))) for s in sigs
        }
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for s, h in before.items():
            signal.signal(s, h)
        if caught:
            handler = before[caught[0]]
            if callable(handler):
                handler(caught[0], None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(caught[0])


def _kept_if_foreign(old: Path, target: Path, notice: Callable[[str], None] | None) -> bool:
    """After the swap: keep the previous folder (True) if something foreign appeared in it
    while this run was staging; it is then renamed to ``DIR.kept-<time>-<pid>``."""
    if not foreign_entries(old):
        return False
    kept = target.parent / f"{target.name}.kept-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    try:
        os.rename(old, kept)
    except OSError:
        kept = old
    if notice is not None:
        notice(f"{display_path(target)} gained files impactsim did not write while this run was "
               f"writing; the previous folder is kept as {display_path(kept)}")
    return True
