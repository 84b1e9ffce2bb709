"""Read or write: what the running service method declared, and the guard that holds it to that.

A service method is declared with `services.access.reads` or `services.access.writes` (issue 15). The declaration
is kept in a context variable for the duration of the call (per thread: each worker thread has its own context),
and the unit of work follows from it:

- `Database.session()` is the read pool, for everybody: its sessions are read-only (SQLite `PRAGMA query_only`,
  PostgreSQL `SET TRANSACTION READ ONLY`, and a flush guard that names the method). Reads inside a write method
  use it too.
- `Database.transaction()` is the write pool; a method declared to read that opens one fails with
  `WriteInReadMethod`, as does a read method that calls a write method.

The one write a read method may cause is the audit of a refused permission or session (`services.recording
.require`): it happens in `permitted_write`, before the method does anything, and the method then raises.

This module is below the services (persistence imports it) and imports nothing of the application.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Literal

Mode = Literal["read", "write"]

_DECLARED: ContextVar[tuple[Mode, str] | None] = ContextVar("xinfang_desk_declared_access", default=None)


class WriteInReadMethod(RuntimeError):
    """A programming error: a method declared to read tried to write (a transaction, a flush, a write method)."""


def declared() -> tuple[Mode, str] | None:
    """(mode, the declared method's qualified name) of the innermost declared call running, or None."""
    return _DECLARED.get()


@contextlib.contextmanager
def declare(mode: Mode, name: str) -> Iterator[None]:
    """Run the body as the method `name` declared `mode`. A write method called from a read method fails."""
    outer = _DECLARED.get()
    if mode == "write" and outer is not None and outer[0] == "read":
        raise WriteInReadMethod(f"{name} writes, but it was called from {outer[1]}, which is declared to read")
    token = _DECLARED.set((mode, name))
    try:
        yield
    finally:
        _DECLARED.reset(token)


@contextlib.contextmanager
def permitted_write(reason: str) -> Iterator[None]:
    """A write that a read method may cause without being a write method (the audit of a refusal)."""
    token = _DECLARED.set(("write", reason))
    try:
        yield
    finally:
        _DECLARED.reset(token)


def check_write(what: str) -> None:
    """Raise `WriteInReadMethod` when the innermost declared call is a read method."""
    d = _DECLARED.get()
    if d is not None and d[0] == "read":
        raise WriteInReadMethod(f"{d[1]} is declared to read, but it {what}")


def read_only_violation(what: str) -> WriteInReadMethod:
    d = _DECLARED.get()
    who = f"{d[1]} (declared to {d[0]})" if d is not None else "code outside any declared service method"
    return WriteInReadMethod(f"{who} {what} on a read-only session; writes go through Database.transaction()")
