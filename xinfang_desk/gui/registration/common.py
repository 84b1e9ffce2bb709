"""Small helpers the registration parts share: what was typed, focus, and the error lines under the fields."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QWidget


def plain_text(edit: QPlainTextEdit) -> str:
    """What was typed, exactly: toPlainText() would turn no-break spaces into spaces and U+2028 into newlines."""
    return edit.document().toRawText().replace("\u2029", "\n")


def focus_widget(w: QWidget) -> None:
    """Give `w` the keyboard focus. If a closed popup (the kind list) is still the active window, as happens
    on some platforms (offscreen, some X11 window managers), activate our window again first."""
    active = QApplication.activeWindow()
    if active is not None and active is not w.window() and not active.isVisible():
        w.window().activateWindow()
    w.setFocus(Qt.FocusReason.OtherFocusReason)


class ErrorLines:
    """The red lines under a part's fields, by key ("name", "id_number", …): shown when there is text."""

    def __init__(self, labels: dict[str, QLabel]) -> None:
        self.labels = labels

    def show(self, key: str, text: str) -> None:
        label = self.labels[key]
        label.setText(text)
        label.setVisible(bool(text))

    def clear(self) -> None:
        for key in self.labels:
            self.show(key, "")

    def text(self, key: str) -> str:
        label = self.labels[key]
        return label.text() if label.isVisible() or label.text() else ""
