"""Background work for the GUI, in the manner of Anki's QueryOp/CollectionOp.

    QueryOp(runner, parent, lambda: services.search.search_people(actor, q)).success(show).run()
    CommandOp(runner, parent, lambda: services.registration.register(actor, inp)).success(done).failure(err).run()

`fn` runs on a worker thread: reads on the global pool, writes on a single "DB writer" thread. The result (or
the exception) comes back on the GUI thread through a queued signal. The callback is dropped when `parent`
has been deleted in the meantime. Widgets never touch sessions or ORM objects: `fn` calls a service and
returns its DTOs.

"Latest wins" (results of what was typed a moment ago must never overwrite those of what is typed now):

    self._search = StreamKey("search")
    QueryOp(runner, self, lambda: search.search_people(actor, q)).latest(self._search).success(show).run()

A newer submission under the same key makes every older one's result (and error) be dropped, never applied;
an older one that has not started yet is skipped (its function never runs). `runner.supersede(key)` drops
them without submitting anything (the query was emptied), `runner.pending(key)` says the latest one has not
delivered yet.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Hashable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call to the GUI thread."""

    sig_done = Signal(object)
    sig_failed = Signal(object)
    sig_skipped = Signal()


class StreamKey:
    """A key for the "latest wins" mode: unique per instance (two pages never share a stream), named for logs."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"StreamKey({self.name!r})"


class _Ticket:
    """One submission under a key; `cancelled` is set on the GUI thread and read by the worker before it starts."""

    __slots__ = ("cancelled",)

    def __init__(self) -> None:
        self.cancelled = False


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, ticket: _Ticket | None = None) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.fn = fn
        self.relay = relay
        self.ticket = ticket

    def run(self) -> None:  # worker thread
        if self.ticket is not None and self.ticket.cancelled:  # superseded before it started: not worth running
            self.relay.sig_skipped.emit()
            return
        try:
            result = self.fn()
        except BaseException as e:  # noqa: BLE001 - delivered to the GUI thread
            e.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.relay.sig_failed.emit(e)
        else:
            self.relay.sig_done.emit(result)


class TaskRunner(QObject):
    """Owns the two pools and counts the operations in flight."""

    sig_idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.read_pool = QThreadPool.globalInstance()
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        self._relays: set[_Relay] = set()
        self._latest: dict[Hashable, _Ticket] = {}  # key -> its newest submission not delivered yet
        self.closing = False

    @property
    def in_flight(self) -> int:
        return len(self._relays)

    def pending(self, key: Hashable) -> bool:
        """The newest submission under `key` has not delivered its result yet."""
        return key in self._latest

    def supersede(self, key: Hashable, *, cancel: bool = True) -> None:
        """Drop the results of everything submitted under `key` so far (and skip what has not started)."""
        ticket = self._latest.pop(key, None)
        if ticket is not None and cancel:
            ticket.cancelled = True

    def start(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None],
              *, write: bool, key: Hashable | None = None, cancel_older: bool = True) -> None:
        """Run `fn` on a worker; `on_done`/`on_failed` on the GUI thread. With `key`, latest wins: see the module."""
        if self.closing:
            return
        ticket: _Ticket | None = None
        if key is not None:
            self.supersede(key, cancel=cancel_older)
            ticket = self._latest[key] = _Ticket()
        relay = _Relay()
        self._relays.add(relay)

        def current() -> bool:
            """Still the newest under its key (then it is delivered, and the key has nothing pending)."""
            if key is None:
                return True
            if self._latest.get(key) is not ticket:
                return False
            del self._latest[key]
            return True

        def finish() -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            if not self._relays:
                self.sig_idle.emit()

        def done(result: Any) -> None:
            finish()
            if current():
                on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            if current():
                on_failed(exc)
            elif isinstance(exc, Exception):
                log.debug("superseded operation under %r failed: %s", key, exc)
            else:
                raise exc

        relay.sig_done.connect(done)
        relay.sig_failed.connect(failed)
        relay.sig_skipped.connect(finish)
        self._submit(_Job(fn, relay, ticket), write)

    def _submit(self, job: _Job, write: bool) -> None:
        (self.write_pool if write else self.read_pool).start(job)

    def wait(self, msecs: int = 10000) -> bool:
        """Stop taking new work and wait for the pools (on quit)."""
        ok = self.write_pool.waitForDone(msecs)
        return self.read_pool.waitForDone(msecs) and ok


def _default_failure(exc: BaseException) -> None:
    from xinfang_desk.gui.errors import show_error

    show_error(None, exc)


class QueryOp:
    write = False

    def __init__(self, runner: TaskRunner, parent: QObject | None, fn: Callable[[], Any]) -> None:
        self.runner = runner
        self.parent = parent
        self.fn = fn
        self._success: Callable[[Any], None] = lambda _r: None
        self._failure: Callable[[BaseException], None] = _default_failure
        self._key: Hashable | None = None
        self._cancel_older = True

    def latest(self, key: Hashable, *, cancel_older: bool = True) -> QueryOp:
        """Latest wins under `key`: a newer operation with the same key drops this one's result and error."""
        self._key = key
        self._cancel_older = cancel_older
        return self

    def success(self, cb: Callable[[Any], None]) -> QueryOp:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> QueryOp:
        self._failure = cb
        return self

    def _alive(self) -> bool:
        return self.parent is None or shiboken6.isValid(self.parent)

    def run(self) -> None:
        def ok(result: Any) -> None:
            if self._alive():
                self._success(result)

        def bad(exc: BaseException) -> None:
            if not isinstance(exc, Exception):
                raise exc
            tb = getattr(exc, "__traceback_text__", "")
            if tb and not _is_expected(exc):
                log.error("background operation failed:\n%s", tb)
            if self._alive():
                self._failure(exc)

        if self._key is None:
            self.runner.start(self.fn, ok, bad, write=self.write)
        else:
            self.runner.start(self.fn, ok, bad, write=self.write, key=self._key, cancel_older=self._cancel_older)


class CommandOp(QueryOp):
    """A write: runs on the single DB-writer thread."""

    write = True


def _is_expected(exc: BaseException) -> bool:
    from xinfang_desk.domain.errors import DomainError

    return isinstance(exc, DomainError)
