"""Reading a user's file safely: a regular file only, opened so that nothing can hang the call,
at most a given number of bytes. One mechanism for table files, scenario files and press texts;
each caller words the refusal for its own file (:class:`FileRefused`). And impactsim's folder
in the user's cache, with a best-effort atomic write, for the derived data kept there (the
world gazetteer, the bundled tables' binary form)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Literal

Reason = Literal["not-found", "folder", "not-regular", "too-large", "unreadable"]


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for a message ("a pipe (FIFO)", …)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


class FileRefused(Exception):
    """Why :func:`read_regular_file` refused a file.

    ``reason``: ``not-found``, ``folder``, ``not-regular`` (``kind`` says what it is),
    ``too-large`` (``size``: the size ``fstat`` gave, or None when the file grew past the limit
    while it was read) or ``unreadable`` (``stage``: ``open`` or ``read``; ``strerror``).
    """

    def __init__(self, reason: Reason, *, kind: str = "", size: int | None = None,
                 stage: str = "", strerror: str = "") -> None:
        super().__init__(reason)
        self.reason: Reason = reason
        self.kind = kind
        self.size = size
        self.stage = stage
        self.strerror = strerror


def read_regular_file(path: str | os.PathLike[str], *, limit: int,
                      block: int = 1 << 16) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, read once.

    A FIFO, a device (``/dev/zero``), a socket or a folder is refused before any read (the file
    is opened non-blocking and without becoming a controlling terminal, so a FIFO without a
    writer cannot hang the call); the size is checked with ``fstat`` before reading and again
    while reading, so a file that grows cannot slip past the cap. Raises :class:`FileRefused`.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(Path(path), flags)
    except FileNotFoundError:
        raise FileRefused("not-found") from None
    except IsADirectoryError:
        raise FileRefused("folder") from None
    except OSError as exc:
        raise FileRefused("unreadable", stage="open",
                          strerror=exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileRefused("folder")
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("not-regular", kind=file_kind(info.st_mode))
        if info.st_size > limit:
            raise FileRefused("too-large", size=info.st_size)
        chunks: list[bytes] = []
        total = 0
        while piece := os.read(fd, block):
            total += len(piece)
            if total > limit:
                raise FileRefused("too-large")
            chunks.append(piece)
    except OSError as exc:
        raise FileRefused("unreadable", stage="read", strerror=exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def user_cache_folder() -> Path | None:
    """impactsim's folder in the user's cache: ``$XDG_CACHE_HOME/impactsim``, else
    ``~/.cache/impactsim``; None when neither is an absolute path (a relative
    ``XDG_CACHE_HOME`` is ignored, as the XDG specification says; no home folder, no cache)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "impactsim"


def write_cache_file(path: Path, data: bytes) -> bool:
    """Write derived data to ``path`` atomically (a temporary file in the same folder, then
    ``os.replace``), creating the folder; False, with nothing left behind and a previous file
    untouched, when it cannot be written (read-only home, full disk): a cache is best effort."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
