"""Files the product writes are created 0600 (personal data): one place that does it.

    create_private(path)           -> create a new, empty file 0600 (fails if it exists)
    open_private(path, mode="wb")  -> open for writing, creating it 0600 if needed (never widens an existing file)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

PRIVATE = 0o600


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
