"""The session on screen: the idle lock (10 minutes by default, the login rules' `idle_lock_minutes`), the lock
screen (nothing personal behind it; the same user re-enters the password, or logs out so that another may log
in), and the forced password change at the first log-in (or after a reset, after 90 days, or for a password the
rules no longer accept)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.formatting import role_label
from xinfang_desk.gui.tasks import CommandOp, TaskRunner
from xinfang_desk.i18n import _

INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                          QEvent.Type.Wheel, QEvent.Type.InputMethod, QEvent.Type.TouchBegin})


class IdleWatcher(QObject):
    """Emits `sig_idle` after `msecs` without keyboard or mouse input anywhere in the application."""

    sig_idle = Signal()

    def __init__(self, app: QObject, msecs: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True, interval=msecs)
        self.timer.timeout.connect(self.sig_idle)
        self.app = app
        app.installEventFilter(self)

    def set_interval(self, msecs: int) -> None:
        self.timer.setInterval(msecs)
        if self.timer.isActive():
            self.timer.start()

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def remove(self) -> None:
        self.timer.stop()
        self.app.removeEventFilter(self)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802 - Qt name
        if ev.type() in INPUT_EVENTS and self.timer.isActive():
            self.timer.start()  # restart the count
        return False


class LockScreen(QWidget):
    """Shown instead of the pages: who is logged in and a password field; nothing about any visitor."""

    sig_unlock = Signal(str)
    sig_log_out = Signal()

    def __init__(self, window_code: str, name: str, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock_screen")
        title = QLabel(_("Locked"), self)
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        title.setFont(f)
        who = QLabel(_("Window {window} — {name} ({role}). Enter your password to continue, or log out so that "
                       "another user can log in.").format(window=window_code, name=name, role=role_label(role)), self)
        who.setWordWrap(True)
        who.setTextFormat(Qt.TextFormat.PlainText)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName(_("Password"))
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.unlock_button = QPushButton(_("&Unlock"), self)
        self.unlock_button.setDefault(True)
        self.log_out_button = QPushButton(_("&Log out / switch user"), self)
        form = QFormLayout()
        form.addRow(_("Password"), self.password_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.log_out_button)
        buttons.addWidget(self.unlock_button)
        box = QVBoxLayout()
        for w in (title, who):
            box.addWidget(w)
        box.addLayout(form)
        box.addWidget(self.error_label)
        box.addLayout(buttons)
        inner = QWidget(self)
        inner.setLayout(box)
        inner.setMaximumWidth(560)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(inner)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.password_edit.returnPressed.connect(self._unlock)
        self.unlock_button.clicked.connect(self._unlock)
        self.log_out_button.clicked.connect(self.sig_log_out)

    def _unlock(self) -> None:
        if self.password_edit.text():
            self.unlock_button.setEnabled(False)
            self.sig_unlock.emit(self.password_edit.text())

    def failed(self, text: str) -> None:
        self.unlock_button.setEnabled(True)
        self.error_label.setText(text)
        self.error_label.show()
        self.password_edit.clear()
        self.password_edit.setFocus()


class ChangePasswordDialog(QDialog):
    """The forced change: the old password was just typed at the log-in; the user types a new one twice."""

    def __init__(self, services: Any, runner: TaskRunner, username: str, old_password: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Change your password"))
        self.services, self.runner, self.username, self._old = services, runner, username, old_password
        self.actor: Any = None
        intro = QLabel(_("Your password must be changed before you continue (first log-in, a reset by the "
                         "administrator, or more than {days} days old). Use at least 8 characters from at least 3 of: "
                         "lower-case letters, capital letters, digits, other characters; not your user name, not a "
                         "common password, none of your last 5.").format(days=90), self)
        intro.setWordWrap(True)
        intro.setFixedWidth(480)  # the wrapped text's height is computed for this width: never clipped
        self.new_edit = QLineEdit(self)
        self.again_edit = QLineEdit(self)
        for e in (self.new_edit, self.again_edit):
            e.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        form = QFormLayout()
        form.addRow(_("New password"), self.new_edit)
        form.addRow(_("New password again"), self.again_edit)
        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                           self)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.error_label)
        lay.addWidget(self.button_box)
        lay.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)  # grows with the error message, never clips
        self.button_box.accepted.connect(self._change)
        self.button_box.rejected.connect(self.reject)
        self.new_edit.setFocus()

    def _change(self) -> None:
        new, again = self.new_edit.text(), self.again_edit.text()
        if new != again:
            self._show(_("The two passwords differ."))
            self.again_edit.clear()
            self.again_edit.setFocus()
            return
        auth, user, old = self.services.auth, self.username, self._old
        self.button_box.setEnabled(False)
        (CommandOp(self.runner, self, lambda: auth.change_password(user, old, new))
         .success(self._changed).failure(self._failed).run())

    def _show(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def _changed(self, actor: Any) -> None:
        self._old = ""
        self.actor = actor
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.button_box.setEnabled(True)
        self._show("\n".join(p.message() for p in exc.problems) if isinstance(exc, ValidationFailed) else error_text(exc))
        self.new_edit.clear()
        self.again_edit.clear()
        self.new_edit.setFocus()


def hide_other_windows(keep: QWidget) -> list[QWidget]:
    """Hide every other visible top-level window (a visit's detail, a notice preview); returns them."""
    from PySide6.QtWidgets import QApplication

    hidden = []
    for w in QApplication.topLevelWidgets():
        if w is not keep and w.isVisible():
            w.hide()
            if (w.windowType() & Qt.WindowType.Popup) != Qt.WindowType.Popup:  # completer lists stay closed
                hidden.append(w)
    return hidden


def later(fn: Callable[[], None]) -> None:
    QTimer.singleShot(0, fn)
