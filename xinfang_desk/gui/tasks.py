"""Background work for the GUI, in the manner of Anki's QueryOp/CollectionOp.

    QueryOp(runner, parent, lambda: services.search.search_people(actor, q)).success(show).run()
    CommandOp(runner, parent, lambda: services.registration.register(actor, inp)).success(done).failure(err).run()

`fn` runs on a worker thread: reads on the global pool, writes on a single "DB writer" thread. The result (or
the exception) comes back on the GUI thread through a queued signal. The callback is dropped when `parent`
has been deleted in the meantime. Widgets never touch sessions or ORM objects: `fn` calls a service and
returns its DTOs.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call to the GUI thread."""

    sig_done = Signal(object)
    sig_failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.fn = fn
        self.relay = relay

    def run(self) -> None:  # worker thread
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
        self.closing = False

    @property
    def in_flight(self) -> int:
        return len(self._relays)

    def start(self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None],
              *, write: bool) -> None:
        if self.closing:
            return
        relay = _Relay()
        self._relays.add(relay)

        def finish() -> None:
            self._relays.discard(relay)
            relay.deleteLater()
            if not self._relays:
                self.sig_idle.emit()

        def done(result: Any) -> None:
            finish()
            on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            on_failed(exc)

        relay.sig_done.connect(done)
        relay.sig_failed.connect(failed)
        (self.write_pool if write else self.read_pool).start(_Job(fn, relay))

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

        self.runner.start(self.fn, ok, bad, write=self.write)


class CommandOp(QueryOp):
    """A write: runs on the single DB-writer thread."""

    write = True


def _is_expected(exc: BaseException) -> bool:
    from xinfang_desk.domain.errors import DomainError

    return isinstance(exc, DomainError)
