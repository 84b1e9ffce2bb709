"""Files the product writes hold personal data: they are created owner-only (0600), folders 0700.

One helper for every writer (database, exports, backups, CSV): `create_private(path)` opens a new file with mode
0600 from the start (no window in which it is world-readable, whatever the umask), `write_private_bytes/text`
write it atomically (a `.part` file renamed over the target, fsynced), `make_private(path)` narrows an existing
file. On Windows the mode bits mean little; the files live in the user's profile, which is private already.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

FILE_MODE = 0o600
DIR_MODE = 0o700


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


def create_private(path: str | os.PathLike[str], mode: str = "wb", *, exclusive: bool = False,
                   **kw: Any) -> IO[Any]:
    """Open `path` for writing ("w…": truncated, "a…": appended), created 0600; an existing file is narrowed to 0600."""
    if "a" in mode:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    else:
        flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    flags |= getattr(os, "O_BINARY", 0) if "b" in mode else 0
    fd = os.open(os.fspath(path), flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE) if hasattr(os, "fchmod") else os.chmod(path, FILE_MODE)
        return os.fdopen(fd, mode, **kw)
    except BaseException:
        os.close(fd)
        raise


def write_private_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Atomically replace `path` with `data`, 0600 from the first byte."""
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    with create_private(tmp, "wb") as f:
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
    with create_private(path, "ab"):
        pass
