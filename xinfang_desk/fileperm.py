"""Files the product writes hold personal data: they are created owner-only (0600), folders 0700 — one place
that does it, for every writer (database, backups, exports, notices, drafts, CSV).

    create_private(path)              -> create a new, empty file 0600 (fails if it exists)
    open_private(path, mode="wb")     -> open for writing, creating it 0600 if needed (never widens an existing file)
    write_private_bytes/text(path, …) -> atomically replace `path` (a `.part` file renamed over it, fsynced), 0600
    touch_private(path)               -> make sure `path` exists and is 0600 (before SQLite opens it)
    make_private(path)                -> narrow an existing file (0600) or folder (0700)
    private_dir(path)                 -> create a folder 0700

There is no moment at which a new file is world-readable, whatever the umask. On Windows the mode bits mean little;
the files live in the user's profile, which is private already.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

PRIVATE = FILE_MODE = 0o600
DIR_MODE = 0o700


def create_private(path: str | os.PathLike[str]) -> Path:
    """Create `path` as a new empty file readable and writable by its owner only; FileExistsError if it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE)
    os.close(fd)
    return Path(path)


def open_private(path: str | os.PathLike[str], mode: str = "wb", **kw: Any) -> IO[Any]:
    """`open()` for writing, but a file it creates is 0600 whatever the umask. Modes: w, a, x (+ b/t, +)."""
    if not any(c in mode for c in "wax"):
        raise ValueError(f"open_private is for writing, not mode {mode!r}")
    flags = os.O_CREAT | getattr(os, "O_BINARY", 0)
    flags |= os.O_RDWR if "+" in mode else os.O_WRONLY
    if "w" in mode:
        flags |= os.O_TRUNC
    if "a" in mode:
        flags |= os.O_APPEND
    if "x" in mode:
        flags |= os.O_EXCL
    fd = os.open(path, flags, PRIVATE)
    try:
        if hasattr(os, "fchmod"):  # an existing file keeps at most owner read/write
            os.fchmod(fd, os.fstat(fd).st_mode & PRIVATE)
        return os.fdopen(fd, mode.replace("x", "w"), **kw)
    except BaseException:
        os.close(fd)
        raise


def write_private_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Atomically replace `path` with `data`, 0600 from the first byte."""
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    with open_private(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
    return target


def write_private_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    return write_private_bytes(path, text.encode(encoding))


def touch_private(path: str | os.PathLike[str]) -> None:
    """Make sure `path` exists and is 0600 (before SQLite opens it: its -wal and -shm files take the mode of the
    database file)."""
    with open_private(path, "ab"):
        pass
    make_private(path)


def make_private(path: str | os.PathLike[str]) -> None:
    """Narrow an existing file (or folder) to its owner; missing paths are ignored."""
    p = Path(path)
    try:
        os.chmod(p, DIR_MODE if p.is_dir() else FILE_MODE)
    except FileNotFoundError:
        pass


def private_dir(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    p.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    return p
