"""Background sync for the GUI and its line in the status bar.

`SyncController` owns one Python worker thread, which runs the window's sync loop — `services.sync.SyncRunner`,
i.e. THE loop of `sync.service.SyncLoop` that `xinfang-desk sync --watch` runs too. The runner first resolves the
central URL (environment, then the OS keyring — which may be slow, so never on the GUI thread); without one it
reports "not configured" and ends. Otherwise it syncs every `interval` seconds with backoff while the centre is
unreachable, and recomputes the status every `status_interval` seconds or when asked (`refresh_status()`, e.g.
after a save). `sync_now()` wakes it. The runner's callbacks (on the worker thread) become queued signals here.
Local writes of a round are short transactions of their own, so a save on the DB-writer thread waits at most for
one of them — never for the network.

`SyncStatusLabel` shows 在线/离线, 待同步 N, 上次同步 HH:MM (or 未配置中心库); colour only with the words.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from xinfang_desk.i18n import _
from xinfang_desk.services.context import LOCAL_TZ
from xinfang_desk.services.sync import SyncRound, SyncRunner, SyncView

__all__ = ["SyncController", "SyncRound", "SyncStatusLabel", "SyncView", "status_text"]

log = logging.getLogger(__name__)

# colours for state, always with the words (UI.md): dark enough for 4.5:1 on the status bar's grey
ONLINE_COLOUR = "#1b5e20"
OFFLINE_COLOUR = "#b00020"
ISSUES_COLOUR = "#8a4b00"
NEUTRAL_COLOUR = "#444444"


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

    sig_status = Signal(object)  # services.sync.SyncView
    sig_report = Signal(object)  # services.sync.SyncRound after each round

    def __init__(self, services: Any, *, central_url: str | None = None, interval: float = 30.0,
                 max_backoff: float = 900.0, status_interval: float = 5.0,
                 resolve_url: Callable[[], str] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.window_code: str = services.window_code
        self.view = SyncView(configured=None)
        self.runner: SyncRunner = services.sync.runner(
            central_url=central_url, resolve_url=resolve_url, interval=interval, max_backoff=max_backoff,
            status_interval=status_interval, on_view=self._emit, on_report=self._report)
        self._thread: threading.Thread | None = None

    # -- GUI thread ---------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self.runner.run, name=f"sync-{self.window_code}", daemon=True)
        self._thread.start()

    @property
    def configured(self) -> bool | None:
        return self.view.configured

    @property
    def url(self) -> str | None:
        return self.runner.url

    @property
    def rounds(self) -> int:
        return self.runner.rounds

    def sync_now(self) -> None:
        self.runner.sync_now()

    def refresh_status(self) -> None:
        self.runner.refresh_status()

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the loop to end and wait up to `timeout` s; a round stuck on the network is left to finish
        (the thread is a daemon: it cannot keep the app from quitting)."""
        self.runner.stop()
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(timeout)
            return not t.is_alive()
        return True

    # -- worker thread: the runner's callbacks ---------------------------------------------------------------
    def _emit(self, view: SyncView) -> None:
        self.view = view
        try:
            self.sig_status.emit(view)
        except RuntimeError:  # the QObject is gone (window closed): nothing to tell
            self.runner.stop()

    def _report(self, report: SyncRound) -> None:
        try:
            self.sig_report.emit(report)
        except RuntimeError:
            self.runner.stop()


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
