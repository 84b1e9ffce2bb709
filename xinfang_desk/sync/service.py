"""The one sync loop (`SyncLoop`, with backoff), and the status the status bar shows (pure Python, thread-safe)."""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from xinfang_desk.persistence.db import Database
from xinfang_desk.persistence.models import SyncIssue
from xinfang_desk.sync.engine import SyncOptions, SyncReport, last_sync_time, pending_count, sync_once

log = logging.getLogger(__name__)


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


class SyncLoop:
    """THE sync loop of one window (the CLI's `--watch` and the GUI's status bar both run this one; Qt-free).

    `run()` blocks in the calling thread and calls `sync_once` against `central_url` every `interval` seconds
    (finding the URL — environment or OS keyring — is the caller's: `services.sync.SyncRunner` does it). After a failure it waits
    exponentially longer (`backoff_delay`, up to `max_backoff`) and retries even when nothing new was written
    locally; a full batch pushed or pulled means more may be waiting: it goes again at once. Between rounds it
    recomputes the status every `status_interval` seconds (None: only around rounds) or when asked.
    From any thread: `sync_now()` wakes it for a round, `refresh_status()` for a status, `stop()` ends it.
    Observers are plain callbacks, called on the loop's thread: `on_status(SyncStatus)` and
    `on_report(SyncReport)` (a GUI turns them into queued signals). A round that raises (anything but the
    network trouble `sync_once` reports itself) is logged and counts as a failure."""

    def __init__(self, db: Database, window_code: str, *, central_url: str, interval: float = 30.0,
                 max_backoff: float = 900.0,
                 status_interval: float | None = None, options: SyncOptions | None = None,
                 password: str | None = None, monitor: SyncMonitor | None = None, max_rounds: int | None = None,
                 on_status: Callable[[SyncStatus], None] | None = None,
                 on_report: Callable[[SyncReport], None] | None = None) -> None:
        self.db, self.window_code = db, window_code
        self.url = central_url
        self.interval, self.max_backoff, self.status_interval = interval, max_backoff, status_interval
        self.options = options or SyncOptions()
        self.password = password
        self.monitor = monitor or SyncMonitor()
        self.max_rounds = max_rounds
        self.on_status, self.on_report = on_status, on_report
        self.rounds = 0
        self.last: SyncReport | None = None
        self._cond = threading.Condition()
        self._stop = self._now = self._poll = False

    # -- any thread ---------------------------------------------------------------------------------------
    def sync_now(self) -> None:
        with self._cond:
            self._now = True
            self._cond.notify_all()

    def refresh_status(self) -> None:
        with self._cond:
            self._poll = True
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()

    @property
    def stopped(self) -> bool:
        return self._stop

    # -- the loop's thread ----------------------------------------------------------------------------------
    def _status(self) -> None:
        if self.on_status is None:
            return
        try:
            st = self.monitor.status(self.db)
        except Exception as e:  # noqa: BLE001 - the database may be closing
            log.debug("sync status failed: %s", e)
            return
        self.on_status(st)

    def _wait(self, seconds: float) -> None:
        """Sleep until the next round; recompute the status now and then or when asked."""
        deadline = time.monotonic() + seconds
        while True:
            with self._cond:
                while not (self._stop or self._now or self._poll):
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return
                    step = left if self.status_interval is None else min(left, self.status_interval)
                    if not self._cond.wait(step) and self.status_interval is not None:
                        self._poll = True
                if self._stop:
                    return
                if self._now:
                    self._now = False
                    return
                self._poll = False
            self._status()

    def _round(self, url: str) -> SyncReport:
        try:
            return sync_once(self.db, self.window_code, url, options=self.options, password=self.password)
        except Exception as e:  # noqa: BLE001 - sync_once reports network trouble; anything else: log, back off
            log.exception("sync round failed")
            return SyncReport(errors=(f"{type(e).__name__}: {e}",), online=False)

    def run(self) -> SyncReport | None:
        """Rounds until `stop()` (or `max_rounds`); returns the last report."""
        failures = 0
        self._status()
        while not self._stop:
            self.monitor.started()
            self._status()
            report = self._round(self.url)
            self.last = report
            self.rounds += 1
            failures = failures + 1 if report.errors else 0
            delay = backoff_delay(failures, self.interval, self.max_backoff)
            if not report.errors and report.pending > 0:
                delay = 0.0
            self.monitor.finished(report, self.options.clock() + dt.timedelta(seconds=delay))
            if self.on_report is not None:
                self.on_report(report)
            self._status()
            if self.max_rounds is not None and self.rounds >= self.max_rounds:
                break
            if delay:
                self._wait(delay)
        return self.last


def watch(db: Database, window_code: str, central_url: str, *, interval: float = 30.0, max_backoff: float = 900.0,
          monitor: SyncMonitor | None = None, options: SyncOptions | None = None, max_rounds: int | None = None,
          on_report: Callable[[SyncReport], None] | None = None, password: str | None = None) -> SyncReport | None:
    """`SyncLoop(...).run()` in this thread (what `xinfang-desk sync --watch` runs). Returns the last report."""
    return SyncLoop(db, window_code, central_url=central_url, interval=interval, max_backoff=max_backoff,
                    monitor=monitor, options=options, max_rounds=max_rounds, on_report=on_report,
                    password=password).run()
