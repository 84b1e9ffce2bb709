"""用户管理 (Alt+9, administrators only): the accounts with their state, a filter, and every change an
administrator makes — all through `AuthService` (which checks the permission and audits each change).

Keys: Ctrl+F the filter (Down or Enter goes to the list); in the list Enter edits the account and Del disables
it (or enables a disabled one), with a question first; Ctrl+N a new account; Ctrl+U unlocks; Ctrl+R resets the
password (a generated temporary password shown once, or one the administrator types; the holder must change it
at the next log-in). Enter in the form saves; Esc goes back to the list. A refusal shows its reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desk.domain.errors import PermissionDenied, ValidationFailed
from xinfang_desk.gui.dialogs import ask_yes_no
from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.formatting import role_label
from xinfang_desk.gui.screen import ScreenFitted
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.auth import temporary_password
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import ROLES, Actor

PERMISSION = N_("manage users")
COLUMNS = (N_("User name"), N_("Display name"), N_("Role"), N_("Window"), N_("State"))
S_ACTIVE, S_DISABLED, S_LOCKED, S_MUST_CHANGE = N_("active"), N_("disabled"), N_("locked"), N_("must change password")
ERROR_STYLE = "color: #b00020;"


def _shortcut(seq: Any, parent: QWidget, fn: Any, context: Qt.ShortcutContext) -> QShortcut:
    """setContext after construction: the `context=` keyword of the constructor is not applied by PySide6."""
    sc = QShortcut(QKeySequence(seq), parent)
    sc.setContext(context)
    sc.activated.connect(fn)
    return sc


def state_text(u: Any) -> str:
    """正常, or every state that applies: 已停用、已锁定、须改密码."""
    parts = [_(S_DISABLED)] if not u.active else []
    if u.locked:
        parts.append(_(S_LOCKED))
    if u.must_change_password:
        parts.append(_(S_MUST_CHANGE))
    return "、".join(parts) or _(S_ACTIVE)


def refusal_text(exc: BaseException) -> str:
    if isinstance(exc, ValidationFailed):
        return "\n".join(p.message() for p in exc.problems)
    return error_text(exc)


class ResetPasswordDialog(ScreenFitted, QDialog):
    """Ctrl+R: Enter on an empty field generates a temporary password; or the administrator types one. The dialog
    stays open with the reason when the password breaks the login rules."""

    def __init__(self, user: Any, on_submit: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user, self.on_submit = user, on_submit
        self.setWindowTitle(_("Reset password"))
        intro = QLabel(_("Reset the password of {name} ({display}). Leave the field empty and press Enter for a "
                         "generated temporary password, shown once; or type a temporary password. Either way the "
                         "user must change it at the next log-in, and their open sessions end now.").format(
                             name=user.username, display=user.display_name), self)
        intro.setWordWrap(True)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(_("empty: generate a temporary password"))
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Reset password"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Temporary password"), self.password_edit)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.error_label)
        lay.addWidget(buttons)
        self.setMinimumWidth(480)
        self.password_edit.setFocus()

    def submit(self) -> None:
        self.error_label.clear()
        self.on_submit(self, self.password_edit.text())

    def refused(self, why: str) -> None:
        self.error_label.setText(why)
        self.password_edit.selectAll()
        self.password_edit.setFocus()


class UsersPage(QWidget):
    sig_changed = Signal(str)  # what was done: "created", "updated", "disabled", "enabled", "unlocked", "reset"
    sig_loaded = Signal()

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        if not actor.may(PERMISSION):  # the services check too; the page is not even built for others
            raise PermissionDenied(PERMISSION, actor.role)
        super().__init__(parent)
        self.services, self.actor, self.runner = services, actor, runner
        self.users: list[Any] = []
        self.editing: str | None = None  # the user name shown in the form, None for a new account
        self.reset_dialog: ResetPasswordDialog | None = None

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(_("Filter: user name, name, role, window or state (Ctrl+F)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._apply_filter)
        self.filter_edit.returnPressed.connect(self.focus_list)
        keys = QLabel(_("Enter edit · Del disable/enable · Ctrl+N new · Ctrl+U unlock · Ctrl+R reset password"), self)
        keys.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(keys)

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda *_a: self.edit_selected())
        self.table.currentCellChanged.connect(lambda *_a: self._update_buttons())

        self.box = QGroupBox(self)
        form = QFormLayout(self.box)
        self.username_edit = QLineEdit(self.box)
        self.display_name_edit = QLineEdit(self.box)
        self.role_combo = QComboBox(self.box)
        for r in ROLES:
            self.role_combo.addItem(role_label(r), r)
        self.window_edit = QLineEdit(self.box)
        self.window_edit.setPlaceholderText(_("e.g. BN03; empty: any window"))
        self.password_edit = QLineEdit(self.box)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(_("empty: generate a temporary password"))
        self.form = form
        form.addRow(_("User name"), self.username_edit)
        form.addRow(_("Display name"), self.display_name_edit)
        form.addRow(_("Role"), self.role_combo)
        form.addRow(_("Home window"), self.window_edit)
        form.addRow(_("Temporary password"), self.password_edit)
        for e in (self.username_edit, self.display_name_edit, self.window_edit, self.password_edit):
            e.returnPressed.connect(self.save)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.secret_edit = QLineEdit(self)  # the temporary password, shown once (selectable, to copy or read out)
        self.secret_edit.setReadOnly(True)
        self.secret_edit.hide()

        self.save_button = QPushButton(_("Save (Enter)"), self)
        self.new_button = QPushButton(_("New (Ctrl+N)"), self)
        self.disable_button = QPushButton(_("Disable (Del)"), self)
        self.unlock_button = QPushButton(_("Unlock (Ctrl+U)"), self)
        self.reset_button = QPushButton(_("Reset password (Ctrl+R)"), self)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new_user)
        self.disable_button.clicked.connect(self.toggle_active)
        self.unlock_button.clicked.connect(self.unlock)
        self.reset_button.clicked.connect(self.reset_password)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.new_button, self.disable_button, self.unlock_button, self.reset_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        form.addRow(buttons)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.box)
        lay.addWidget(self.message_label)
        lay.addWidget(self.secret_edit)

        page = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for seq, fn in (("Ctrl+N", self.new_user), ("Ctrl+U", self.unlock), ("Ctrl+R", self.reset_password),
                        ("Ctrl+F", self.focus_filter)):
            _shortcut(seq, self, fn, page)
        in_list = Qt.ShortcutContext.WidgetShortcut
        for k in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            _shortcut(k, self.table, self.edit_selected, in_list)
        _shortcut(Qt.Key.Key_Delete, self.table, self.toggle_active, in_list)
        for w in (self.username_edit, self.display_name_edit, self.role_combo, self.window_edit, self.password_edit):
            _shortcut(Qt.Key.Key_Escape, w, self.focus_list, in_list)
        _shortcut(Qt.Key.Key_Down, self.filter_edit, self.focus_list, in_list)

        self._form_for(None)
        self.refresh()

    # -- the list ---------------------------------------------------------------------------------------------
    def focus_main(self) -> None:
        """Alt+9: the list, reloaded (an account may have locked itself out since)."""
        self.focus_list()
        self.refresh()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def focus_list(self) -> None:
        self.table.setFocus()
        if self.table.currentRow() < 0 or self.table.isRowHidden(self.table.currentRow()):
            first = next((r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)), -1)
            if first >= 0:
                self.table.setCurrentCell(first, 0)

    def refresh(self, select: str | None = None) -> None:
        actor, auth = self.actor, self.services.auth
        keep = select or (self.current_user().username if self.current_user() else None)
        QueryOp(self.runner, self, lambda: auth.list_users(actor)).success(
            lambda users: self._show(users, keep)).failure(self._refused).run()

    def _show(self, users: list[Any], select: str | None) -> None:
        self.users = list(users)
        t = self.table
        t.setRowCount(len(users))
        row = 0
        for i, u in enumerate(users):
            texts = (u.username, u.display_name, role_label(u.role), u.home_window or "—", state_text(u))
            for j, v in enumerate(texts):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                if j == 4 and (not u.active or u.locked):
                    item.setForeground(Qt.GlobalColor.darkRed)
                t.setItem(i, j, item)
            if u.username == select:
                row = i
        self._apply_filter()
        if users:
            if t.isRowHidden(row):
                row = next((r for r in range(t.rowCount()) if not t.isRowHidden(r)), row)
            t.setCurrentCell(row, 0)
        self._update_buttons()
        self.sig_loaded.emit()

    def _apply_filter(self) -> None:
        needle = self.filter_edit.text().strip().casefold()
        for r in range(self.table.rowCount()):
            hay = " ".join(self.table.item(r, c).text() for c in range(self.table.columnCount())).casefold()
            self.table.setRowHidden(r, bool(needle) and needle not in hay)

    def current_user(self) -> Any | None:
        r = self.table.currentRow()
        if 0 <= r < len(self.users) and not self.table.isRowHidden(r):
            return self.users[r]
        return None

    def _update_buttons(self) -> None:
        u = self.current_user()
        for b in (self.disable_button, self.unlock_button, self.reset_button):
            b.setEnabled(u is not None)
        self.disable_button.setText(_("Enable (Del)") if u is not None and not u.active else _("Disable (Del)"))
        self.unlock_button.setEnabled(bool(u is not None and u.locked))

    # -- messages ---------------------------------------------------------------------------------------------
    def _say(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)
        if error or not self.secret_edit.isHidden():
            self._forget_secret()

    def _refused(self, exc: BaseException) -> None:
        self._say(_("Not done: {why}").format(why=refusal_text(exc)), error=True)

    def _show_secret(self, username: str, password: str) -> None:
        self.secret_edit.setText(password)
        self.secret_edit.show()
        self.message_label.setStyleSheet("")
        self.message_label.setText(_("Temporary password of {name} (shown only this once; the user must change it at "
                                     "the next log-in):").format(name=username))

    def _forget_secret(self) -> None:
        self.secret_edit.clear()
        self.secret_edit.hide()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt name
        self._forget_secret()  # leaving the page: the temporary password is not shown again
        super().hideEvent(event)

    # -- the form: new or edit --------------------------------------------------------------------------------
    def _form_for(self, u: Any | None) -> None:
        self.editing = u.username if u is not None else None
        self.box.setTitle(_("Edit the account {name}").format(name=u.username) if u is not None
                          else _("New account"))
        self.username_edit.setText(u.username if u is not None else "")
        self.username_edit.setReadOnly(u is not None)
        self.display_name_edit.setText(u.display_name if u is not None else "")
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(u.role if u is not None else "clerk")))
        self.window_edit.setText((u.home_window or "") if u is not None else "")
        self.password_edit.clear()
        self.form.setRowVisible(self.password_edit, u is None)

    def new_user(self) -> None:
        self._forget_secret()
        self._form_for(None)
        self.username_edit.setFocus()

    def edit_selected(self) -> None:
        u = self.current_user()
        if u is None:
            return
        self._forget_secret()
        self._form_for(u)
        self.display_name_edit.setFocus()
        self.display_name_edit.selectAll()

    def save(self) -> None:
        actor, auth = self.actor, self.services.auth
        display, role, window = self.display_name_edit.text(), self.role_combo.currentData(), self.window_edit.text()
        if self.editing is not None:
            name = self.editing
            old = next((u for u in self.users if u.username == name), None)
            new_role = role if old is None or role != old.role else None  # the same role: sessions go on

            def done(u: Any) -> None:
                self._say(_("The account {name} is saved.").format(name=u.username))
                self.refresh(u.username)
                self.sig_changed.emit("updated")
                self.focus_list()

            CommandOp(self.runner, self, lambda: auth.update_user(
                actor, name, role=new_role, display_name=display, home_window=window)).success(done).failure(
                    self._refused).run()
            return
        name = self.username_edit.text()
        typed = self.password_edit.text()

        def create() -> tuple[Any, str]:
            password = typed or temporary_password(auth.policy().min_length)
            return auth.create_user(actor, name, display, role, password, home_window=window), password

        def created(result: tuple[Any, str]) -> None:
            u, password = result
            self._form_for(None)
            if typed:
                self._say(_("The account {name} is added; the user must change the password at the first "
                            "log-in.").format(name=u.username))
            else:
                self._show_secret(u.username, password)
            self.refresh(u.username)
            self.sig_changed.emit("created")
            self.focus_list()

        CommandOp(self.runner, self, create).success(created).failure(self._refused).run()

    # -- disable / enable, unlock, reset --------------------------------------------------------------------
    def toggle_active(self) -> None:
        u = self.current_user()
        if u is None:
            return
        actor, auth = self.actor, self.services.auth
        if u.active:
            if not ask_yes_no(self, _("Disable the account"),
                              _("Disable the account {name} ({display})? Their open sessions end now and they "
                                "can no longer log in, until an administrator enables the account again.").format(
                                    name=u.username, display=u.display_name)):
                return
            fn, what, text = auth.disable_user, "disabled", _("The account {name} is disabled.")
        else:
            fn, what, text = auth.enable_user, "enabled", _("The account {name} is enabled again.")

        def done(r: Any) -> None:
            self._say(text.format(name=r.username))
            self.refresh(r.username)
            self.sig_changed.emit(what)

        CommandOp(self.runner, self, lambda: fn(actor, u.username)).success(done).failure(self._refused).run()

    def unlock(self) -> None:
        u = self.current_user()
        if u is None:
            return
        if not u.locked:
            self._say(_("The account {name} is not locked.").format(name=u.username), error=True)
            return
        actor, auth = self.actor, self.services.auth

        def done(r: Any) -> None:
            self._say(_("The account {name} is unlocked.").format(name=r.username))
            self.refresh(r.username)
            self.sig_changed.emit("unlocked")

        CommandOp(self.runner, self, lambda: auth.unlock_user(actor, u.username)).success(done).failure(
            self._refused).run()

    def reset_password(self) -> None:
        u = self.current_user()
        if u is None:
            return
        self._forget_secret()
        dlg = ResetPasswordDialog(u, self._submit_reset, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.reset_dialog = dlg
        dlg.finished.connect(self._reset_closed)
        dlg.open()
        dlg.activateWindow()
        dlg.password_edit.setFocus()

    def _reset_closed(self, *_a: Any) -> None:
        self.reset_dialog = None
        QTimer.singleShot(0, self, self._back_to_list)  # once the dialog has gone

    def _back_to_list(self) -> None:
        self.activateWindow()  # the list has the keyboard again
        self.focus_list()

    def _submit_reset(self, dlg: ResetPasswordDialog, typed: str) -> None:
        actor, auth, name = self.actor, self.services.auth, dlg.user.username

        def done(result: Any) -> None:
            dlg.accept()
            if typed:
                self._say(_("The password of {name} is reset; the user must change it at the next log-in.").format(
                    name=name))
            else:
                self._show_secret(name, result[1])
            self.refresh(name)
            self.sig_changed.emit("reset")

        def failed(exc: BaseException) -> None:
            dlg.refused(refusal_text(exc))

        if typed:
            op = CommandOp(self.runner, dlg, lambda: (auth.reset_password(actor, name, typed), typed))
        else:
            op = CommandOp(self.runner, dlg, lambda: auth.reset_password_temporary(actor, name))
        op.success(done).failure(failed).run()
