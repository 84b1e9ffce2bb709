"""Typing as a clerk does: ASCII through key clicks, Chinese (and fullwidth, and characters beyond the BMP)
the way an input method delivers them — as a committed string (QInputMethodEvent). QTest.keyClicks cannot
send non-ASCII characters (it aborts in qasciikey.cpp)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget


def focus() -> QWidget:
    w = QApplication.focusWidget()
    assert w is not None, "nothing has the keyboard focus"
    return w


def _target(widget: QWidget | None) -> QWidget:
    return widget if widget is not None else (QApplication.activePopupWidget() or focus())


def ime_commit(widget: QWidget, text: str) -> None:
    ev = QInputMethodEvent("", [])
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def type_text(qtbot: Any, text: str, widget: QWidget | None = None) -> None:
    """Type into `widget` (default: whatever has the focus)."""
    run = ""
    for ch in text:
        if " " <= ch <= "~":
            if run:
                ime_commit(_target(widget) if widget else focus(), run)
                run = ""
            qtbot.keyClick(_target(widget) if widget else focus(), ch)
        else:
            run += ch
    if run:
        ime_commit(_target(widget) if widget else focus(), run)


def key(qtbot: Any, k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        widget: QWidget | None = None) -> None:
    """Press a key where the keyboard is: an open popup (completer) first, else the focus widget."""
    qtbot.keyClick(_target(widget), k, modifier)


def tab(qtbot: Any, times: int = 1) -> None:
    for _ in range(times):
        key(qtbot, Qt.Key.Key_Tab)


def show_active(qtbot: Any, w: QWidget) -> None:
    """Show a window and wait until it has the keyboard, as when the clerk's window is in front."""
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    w.raise_()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is w,
                    timeout=3000)
