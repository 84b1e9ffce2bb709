"""Keep every window on the screen it opens on (UI.md: a window PC is often 1366×768).

Designer forms carry comfortable default sizes (the main window 1400×900, the notice preview 900×860) that are
larger than a 1366×768 screen once the task bar is taken off. Every dialog class mixes in `ScreenFitted`, which
shrinks it to the available geometry of its screen and moves it inside when it is first shown; the main window
opens maximised (`show_main`).
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QWidget

_FITTED = "_xinfang_fitted"


def available_geometry(w: QWidget) -> QRect:
    screen = w.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(w: QWidget) -> None:
    """Shrink `w` (frame included) to the available geometry and keep it inside; never grows it."""
    avail = available_geometry(w)
    frame = w.frameGeometry()
    extra_w = max(0, frame.width() - w.width())
    extra_h = max(0, frame.height() - w.height())
    max_w, max_h = avail.width() - extra_w, avail.height() - extra_h
    if w.width() > max_w or w.height() > max_h:
        w.resize(min(w.width(), max(max_w, w.minimumWidth())), min(w.height(), max(max_h, w.minimumHeight())))
    g = w.frameGeometry()
    if not avail.contains(g):
        x = min(max(g.x(), avail.x()), avail.right() - g.width() + 1)
        y = min(max(g.y(), avail.y()), avail.bottom() - g.height() + 1)
        w.move(max(x, avail.x()), max(y, avail.y()))


def show_main(w: QWidget) -> None:
    """The main window: sized to the available screen first (for platforms that ignore maximise), then maximised."""
    avail = available_geometry(w)
    w.resize(min(w.width(), avail.width()), min(w.height(), avail.height()))
    w.setWindowState(w.windowState() | Qt.WindowState.WindowMaximized)
    w.show()


class ScreenFitted:
    """Mixin for dialogs and windows: fitted to the available screen the first time they are shown.
    (Per class, not an application event filter: a filter would route every event of the app through Python.)"""

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)  # type: ignore[misc]
        w = cast(QWidget, self)
        if not w.property(_FITTED):
            w.setProperty(_FITTED, True)
            if not w.windowState() & (Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen):
                fit_to_screen(w)
