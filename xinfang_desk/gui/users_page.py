"""用户管理 (administrators only): the accounts, and a form to add one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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
from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.formatting import role_label
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import ROLES, Actor

PERMISSION = N_("manage users")


class UsersPage(QWidget):
    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        if not actor.may(PERMISSION):  # the services check too; the page is not even built for others
            raise PermissionDenied(PERMISSION, actor.role)
        super().__init__(parent)
        self.services, self.actor, self.runner = services, actor, runner
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels([_("User name"), _("Display name"), _("Role"), _("Active")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        box = QGroupBox(_("Add a user"), self)
        form = QFormLayout(box)
        self.username_edit = QLineEdit(box)
        self.display_name_edit = QLineEdit(box)
        self.role_combo = QComboBox(box)
        for r in ROLES:
            self.role_combo.addItem(role_label(r), r)
        self.password_edit = QLineEdit(box)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("User name"), self.username_edit)
        form.addRow(_("Display name"), self.display_name_edit)
        form.addRow(_("Role"), self.role_combo)
        form.addRow(_("Password"), self.password_edit)
        self.message_label = QLabel(box)
        self.message_label.setWordWrap(True)
        self.add_button = QPushButton(_("Add user"), box)
        row = QHBoxLayout()
        row.addWidget(self.message_label, 1)
        row.addWidget(self.add_button)
        form.addRow(row)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table, 1)
        lay.addWidget(box)
        self.add_button.clicked.connect(self.add_user)
        self.password_edit.returnPressed.connect(self.add_user)
        self.refresh()

    def focus_main(self) -> None:
        self.username_edit.setFocus()

    def refresh(self) -> None:
        actor, auth = self.actor, self.services.auth
        QueryOp(self.runner, self, lambda: auth.list_users(actor)).success(self._show).run()

    def _show(self, users: list) -> None:
        self.table.setRowCount(len(users))
        for i, u in enumerate(users):
            for j, v in enumerate((u.username, u.display_name, role_label(u.role), _("yes") if u.active else _("no"))):
                self.table.setItem(i, j, QTableWidgetItem(v))

    def add_user(self) -> None:
        args = (self.username_edit.text(), self.display_name_edit.text(), self.role_combo.currentData(),
                self.password_edit.text())
        actor, auth = self.actor, self.services.auth

        def done(user: object) -> None:
            self.message_label.setStyleSheet("")
            self.message_label.setText(_("User {name} added.").format(name=args[0]))
            for e in (self.username_edit, self.display_name_edit, self.password_edit):
                e.clear()
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.message_label.setStyleSheet("color: #b00020;")
            self.message_label.setText("\n".join(p.message() for p in exc.problems)
                                       if isinstance(exc, ValidationFailed) else error_text(exc))

        CommandOp(self.runner, self, lambda: auth.create_user(actor, *args)).success(done).failure(failed).run()
