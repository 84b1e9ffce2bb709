"""Background sync for the GUI and its line in the status bar.

`SyncController` owns one Python worker thread. The thread first resolves the central URL
(`sync.config.central_url()`: environment, then the OS keyring — which may be slow, so never on the GUI thread);
without one it reports "not configured" and ends. Otherwise it calls `engine.sync_once` every `interval`
seconds with the backoff of `sync.service.watch` (`backoff_delay`: doubling up to `max_backoff` while the centre
is unreachable; at once again after a full batch), and between rounds it recomputes `SyncMonitor.status(db)`
every `status_interval` seconds or when asked (`refresh_status()`, e.g. after a save). `sync_now()` wakes it.
Results reach the GUI thread as queued signals. Local writes of a round are short transactions of their own, so
a save on the DB-writer thread waits at most for one of them — never for the network.

`SyncStatusLabel` shows 在线/离线, 待同步 N, 上次同步 HH:MM (or 未配置中心库); colour only with the words.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from xinfang_desk.i18n import _
from xinfang_desk.services.context import LOCAL_TZ

log = logging.getLogger(__name__)

# colours for state, always with the words (UI.md): dark enough for 4.5:1 on the status bar's grey
ONLINE_COLOUR = "#1b5e20"
OFFLINE_COLOUR = "#b00020"
ISSUES_COLOUR = "#8a4b00"
NEUTRAL_COLOUR = "#444444"


_keyring_lock = threading.Lock()
_keyring_answer: list[str | None] = []  # the keyring is asked once per process (≈0.1 s of CPU, maybe D-Bus)


def configured_central_url() -> str:
    """`sync.config.central_url()`, with the keyring's answer kept for the life of the process (the environment
    is read every time). Raises CentralConfigError when nothing is configured."""
    import os

    from xinfang_desk.sync import config

    env = os.environ.get(config.ENV_URL)
    if env:
        return env
    with _keyring_lock:
        if not _keyring_answer:
            _keyring_answer.append(config._keyring_get(config.KEYRING_URL_ITEM))  # noqa: SLF001
        stored = _keyring_answer[0]
    if stored:
        return stored
    raise config.CentralConfigError(f"no central database configured: set {config.ENV_URL} or store it in the OS "
                                    "keyring (xinfang-desk sync login)")


@dataclass(frozen=True)
class SyncView:
    """What the status bar and the sync page show (plain data, made on the worker thread)."""

    configured: bool | None  # None: not known yet (the keyring is being asked)
    online: bool | None = None  # None: not tried yet
    pending: int = 0
    last_sync: dt.datetime | None = None  # UTC
    last_error: str | None = None
    open_issues: int = 0
    running: bool = False
    next_attempt: dt.datetime | None = None
    config_error: str | None = None


def _hhmm(t: dt.datetime | None, now: dt.datetime | None = None) -> str:
    if t is None:
        return _("never")
    local = t.astimezone(LOCAL_TZ)
    today = (now or dt.datetime.now(dt.UTC)).astimezone(LOCAL_TZ).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%m-%d %H:%M")


def status_text(v: SyncView, now: dt.datetime | None = None) -> tuple[str, str, str]:
    """(text, colour, tooltip) for the status bar."""
    if v.configured is None:
        return _("Sync: starting…"), NEUTRAL_COLOUR, ""
    if not v.configured:
        return _("No central database configured"), NEUTRAL_COLOUR, v.config_error or ""
    parts: list[str] = []
    if v.online is None:
        parts.append(_("Connecting…"))
        colour = NEUTRAL_COLOUR
    elif v.online:
        parts.append(_("Online"))
        colour = ONLINE_COLOUR
    else:
        parts.append(_("Offline"))
        colour = OFFLINE_COLOUR
    parts.append(_("Pending {n}").format(n=v.pending))
    parts.append(_("Last sync {time}").format(time=_hhmm(v.last_sync, now)))
    if v.open_issues:
        parts.append(_("{n} sync issues").format(n=v.open_issues))
        if v.online:
            colour = ISSUES_COLOUR
    if v.running:
        parts.append(_("Syncing…"))
    tips: list[str] = []
    if v.last_error:
        tips.append(_("Last error: {error}").format(error=v.last_error))
    if v.next_attempt is not None and not v.running:
        tips.append(_("Next attempt at {time}").format(time=v.next_attempt.astimezone(LOCAL_TZ).strftime("%H:%M:%S")))
    return " · ".join(parts), colour, "\n".join(tips)


class SyncController(QObject):
    """The sync loop of one window's database, on its own thread. Thread-safe `sync_now`, `refresh_status`, `stop`."""

    sig_status = Signal(object)  # SyncView
    sig_report = Signal(object)  # engine.SyncReport after each round

    def __init__(self, services: Any, *, central_url: str | None = None, interval: float = 30.0,
                 max_backoff: float = 900.0, status_interval: float = 5.0,
                 resolve_url: Callable[[], str] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.db = services.db
        self.window_code: str = services.window_code
        self.interval, self.max_backoff, self.status_interval = interval, max_backoff, status_interval
        self._explicit_url = central_url
        self._resolve_url = resolve_url
        self.url: str | None = None
        self.view = SyncView(configured=None)
        self._cond = threading.Condition()
        self._stop = False
        self._now = False
        self._poll = False
        self._thread: threading.Thread | None = None
        self._monitor: Any = None  # sync.service.SyncMonitor, made on the worker thread
        self.rounds = 0

    # -- GUI thread ---------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name=f"sync-{self.window_code}", daemon=True)
        self._thread.start()

    @property
    def configured(self) -> bool | None:
        return self.view.configured

    def sync_now(self) -> None:
        with self._cond:
            self._now = True
            self._cond.notify_all()

    def refresh_status(self) -> None:
        with self._cond:
            self._poll = True
            self._cond.notify_all()

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the loop to end and wait up to `timeout` s; a round stuck on the network is left to finish
        (the thread is a daemon: it cannot keep the app from quitting)."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(timeout)
            return not t.is_alive()
        return True

    # -- worker thread -------------------------------------------------------------------------------------
    def _emit(self, view: SyncView) -> None:
        self.view = view
        try:
            self.sig_status.emit(view)
        except RuntimeError:  # the QObject is gone (window closed): nothing to tell
            pass

    def _status(self) -> SyncView:
        st = self._monitor.status(self.db)
        return SyncView(True, st.online, st.pending, st.last_sync, st.last_error, st.open_issues, st.running,
                        st.next_attempt)

    def _wait(self, seconds: float) -> None:
        """Sleep until the next round; recompute the status now and then or when asked."""
        deadline = time.monotonic() + seconds
        while True:
            with self._cond:
                while not (self._stop or self._now or self._poll):
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return
                    if not self._cond.wait(min(left, self.status_interval)):
                        self._poll = True
                if self._stop:
                    return
                if self._now:
                    self._now = False
                    return
                self._poll = False
            self._safe_status()

    def _safe_status(self) -> None:
        try:
            self._emit(self._status())
        except Exception as e:  # noqa: BLE001 - the database may be closing
            log.debug("sync status failed: %s", e)

    def _run(self) -> None:
        from xinfang_desk.sync.config import CentralConfigError

        try:
            url = self._explicit_url or (self._resolve_url or configured_central_url)()
        except CentralConfigError as e:
            self._emit(SyncView(configured=False, config_error=str(e)))
            return
        except Exception as e:  # noqa: BLE001 - a broken keyring must not take the window down
            log.warning("cannot read the central database settings: %s", e)
            self._emit(SyncView(configured=False, config_error=str(e)))
            return
        # psycopg and the engine only when a centre is configured
        from xinfang_desk.sync.engine import SyncOptions, SyncReport, sync_once
        from xinfang_desk.sync.service import SyncMonitor, backoff_delay

        self.url = url
        self._monitor = SyncMonitor()
        opts = SyncOptions()
        failures = 0
        self._safe_status()
        while not self._stop:
            self._monitor.started()
            self._safe_status()
            try:
                report = sync_once(self.db, self.window_code, url, options=opts)
            except Exception as e:  # noqa: BLE001 - sync_once reports network trouble; anything else: log, back off
                log.exception("sync round failed")
                report = SyncReport(errors=(f"{type(e).__name__}: {e}",), online=False)
            self.rounds += 1
            failures = failures + 1 if report.errors else 0
            delay = backoff_delay(failures, self.interval, self.max_backoff)
            if not report.errors and report.pending > 0:
                delay = 0.0
            self._monitor.finished(report, opts.clock() + dt.timedelta(seconds=delay))
            try:
                self.sig_report.emit(report)
            except RuntimeError:
                return
            self._safe_status()
            if delay:
                self._wait(delay)


class SyncStatusLabel(QLabel):
    """The sync part of the status bar; follows a controller's `sig_status`."""

    def __init__(self, controller: SyncController | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_status")
        self.view: SyncView | None = None
        if controller is not None:
            controller.sig_status.connect(self.show_view)
            self.show_view(controller.view)
        else:
            self.show_view(SyncView(configured=False))

    def show_view(self, view: SyncView) -> None:
        self.view = view
        text, colour, tip = status_text(view)
        self.setText(text)
        self.setStyleSheet(f"QLabel {{ color: {colour}; padding: 0 6px; }}")
        self.setToolTip(tip)
        self.setAccessibleName(text)
