"""Each public service method declares whether it reads or writes; the unit of work follows from that.

    class SearchService:
        @reads
        def check_repeat(self, actor, ...): ...      # may use only db.session() (read-only)

        @writes
        def person_history(self, actor, ...): ...    # reads and records an audit event: db.transaction()

A method declared `@reads` that opens `db.transaction()`, flushes a change, runs SQL that writes, or calls a
`@writes` method fails with `WriteInReadMethod` (persistence/access.py), so a wrong declaration is caught by the
first test that runs the method. Reading personal data is audited, and an audit event is a write: a method
that audits what it shows is `@writes`. tests/unit/test_service_access.py checks that every public method of
every service carries one of the two.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from xinfang_desk.persistence.access import Mode, WriteInReadMethod, declare

__all__ = ["WriteInReadMethod", "access_of", "reads", "writes"]

P = ParamSpec("P")
R = TypeVar("R")

_ATTR = "__xinfang_access__"


def _declared(mode: Mode) -> Callable[[Callable[P, R]], Callable[P, R]]:
    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        if inspect.isgeneratorfunction(fn) or inspect.iscoroutinefunction(fn):
            raise TypeError(f"{fn.__qualname__}: a declaration holds only for a plain call")
        name = fn.__qualname__

        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with declare(mode, name):
                return fn(*args, **kwargs)

        setattr(run, _ATTR, mode)
        return run

    return decorate


reads = _declared("read")
"""The method only reads: `db.session()`; no transaction, no audit, no write method."""

writes = _declared("write")
"""The method writes (rows, audit events, outbox): `db.transaction()`, and `db.session()` for its reads."""


def access_of(method: object) -> Mode | None:
    """"read", "write", or None when the method is not declared (staticmethod/classmethod unwrapped)."""
    fn = getattr(method, "__func__", method)
    return getattr(fn, _ATTR, None)
