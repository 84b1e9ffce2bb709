"""The watch loop with backoff, and the status the GUI status bar polls (pure Python, thread-safe)."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from xinfang_desk.persistence.db import Database
from xinfang_desk.sync.engine import SyncOptions, SyncReport, last_sync_time, pending_count, sync_once
from xinfang_desk.sync.local_models import SyncIssue


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None  # None: not tried yet
    pending: int  # changes waiting in the outbox
    last_sync: dt.datetime | None  # UTC; display in Asia/Shanghai
    last_error: str | None
    open_issues: int  # quarantined, conflicts, local apply failures not yet resolved
    running: bool
    next_attempt: dt.datetime | None = None


class SyncMonitor:
    """Holds the latest outcome of the sync loop. `status(db)` is cheap (two COUNT queries) and may be
    called from any thread; the GUI polls it from its worker thread, never from the GUI thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._online: bool | None = None
        self._last_error: str | None = None
        self._last_sync: dt.datetime | None = None
        self._running = False
        self._next: dt.datetime | None = None

    def started(self) -> None:
        with self._lock:
            self._running = True

    def finished(self, report: SyncReport, next_attempt: dt.datetime | None = None) -> None:
        with self._lock:
            self._running = False
            self._online = report.online
            self._last_error = "; ".join(report.errors) or None
            if report.last_sync and (self._last_sync is None or report.last_sync > self._last_sync):
                self._last_sync = report.last_sync
            self._next = next_attempt

    def status(self, db: Database) -> SyncStatus:
        with db.session() as s:
            issues = int(s.scalar(select(func.count()).select_from(SyncIssue).where(SyncIssue.resolved_at.is_(None))) or 0)
        with self._lock:
            last = self._last_sync
            st = SyncStatus(self._online, 0, last, self._last_error, issues, self._running, self._next)
        return replace(st, pending=pending_count(db), last_sync=last or last_sync_time(db))


def backoff_delay(failures: int, interval: float, max_backoff: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter in the upper half: interval·2^(n-1), capped."""
    if failures <= 0:
        return interval
    base = min(max_backoff, interval * (2 ** (failures - 1)))
    r = rng or random
    return base * (0.5 + r.random() / 2)


def watch(db: Database, window_code: str, central_url: str, *, interval: float = 30.0, max_backoff: float = 900.0,
          stop: threading.Event | None = None, monitor: SyncMonitor | None = None, options: SyncOptions | None = None,
          max_rounds: int | None = None, on_report: Callable[[SyncReport], None] | None = None,
          password: str | None = None) -> SyncReport | None:
    """Sync every `interval` seconds until `stop` is set. After a failure wait exponentially longer
    (up to `max_backoff`), and retry even when nothing new was written locally. A full batch pushed or
    pulled means more may be waiting: go again at once. Returns the last report."""
    stop = stop or threading.Event()
    failures = 0
    rounds = 0
    last: SyncReport | None = None
    opts = options or SyncOptions()
    while not stop.is_set():
        if monitor:
            monitor.started()
        last = sync_once(db, window_code, central_url, options=opts, password=password)
        rounds += 1
        failures = failures + 1 if last.errors else 0
        delay = backoff_delay(failures, interval, max_backoff)
        if not last.errors and last.pending > 0:
            delay = 0.0
        if monitor:
            monitor.finished(last, opts.clock() + dt.timedelta(seconds=delay))
        if on_report:
            on_report(last)
        if max_rounds is not None and rounds >= max_rounds:
            break
        if delay:
            stop.wait(delay)
    return last
