"""审计日志 (supervisors and administrators): the audit trail with filters by date, user and action, export to
CSV, and the state of this window's hash chain. Keyboard: the filters in Tab order, Enter or F5 searches,
Ctrl+E exports, Ctrl+K checks the chain again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desk.domain.errors import PermissionDenied
from xinfang_desk.gui.errors import show_error
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.audit_log import AuditFilter, AuditRow, action_label, finding_text
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor, local_today, to_local

PERMISSION = N_("view the audit trail")

def _note(r: AuditRow) -> str:
    d = r.detail or {}
    for key in ("reason", "query_code", "note"):
        v = d.get(key)
        if isinstance(v, str) and v:
            return v
    return ""


class AuditPage(QWidget):
    COLUMNS = (N_("Time"), N_("Window"), N_("No."), N_("User"), N_("Action"), N_("Result"), N_("Note"))

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        if not actor.may(PERMISSION):
            raise PermissionDenied(PERMISSION, actor.role)
        super().__init__(parent)
        self.services, self.actor, self.runner = services, actor, runner
        self.rows: list[AuditRow] = []
        today = local_today()
        self.from_edit = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.from_edit.setDate(QDate(today.year, today.month, today.day).addDays(-7))
        self.to_edit = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.to_edit.setDate(QDate(today.year, today.month, today.day))
        self.user_combo = QComboBox(self)
        self.action_combo = QComboBox(self)
        self.search_button = QPushButton(_("Search"), self)
        self.export_button = QPushButton(_("Export CSV…"), self)
        self.verify_button = QPushButton(_("Check the chain"), self)
        self.chain_label = QLabel(self)
        self.chain_label.setWordWrap(True)
        self.count_label = QLabel(self)
        bar = QHBoxLayout()
        for text, w in ((_("From"), self.from_edit), (_("To"), self.to_edit), (_("User"), self.user_combo),
                        (_("Action"), self.action_combo)):
            label = QLabel(text, self)
            label.setBuddy(w)
            bar.addWidget(label)
            bar.addWidget(w)
        bar.addWidget(self.search_button)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.verify_button)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels([_(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        lay = QVBoxLayout(self)
        lay.addWidget(self.chain_label)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count_label)
        self.search_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export)
        self.verify_button.clicked.connect(self.verify)
        for seq, fn in (("F5", self.refresh), ("Return", self.refresh), ("Enter", self.refresh),
                        ("Ctrl+E", self.export), ("Ctrl+K", self.verify)):
            sc = QShortcut(QKeySequence(seq), self)
            sc.activated.connect(fn)
        self._load_choices()
        self.refresh()  # the chain is checked by the main window at start (show_chain) and again with Ctrl+K

    def focus_main(self) -> None:
        self.from_edit.setFocus()

    def _load_choices(self) -> None:
        actor, log = self.actor, self.services.audit_log

        def show(choices: tuple[list[str], list[str]]) -> None:
            users, actions = choices
            self.user_combo.clear()
            self.user_combo.addItem(_("All users"), "")
            for u in users:
                self.user_combo.addItem(u, u)
            self.action_combo.clear()
            self.action_combo.addItem(_("All actions"), "")
            for a in sorted(actions, key=action_label):
                self.action_combo.addItem(action_label(a), a)

        QueryOp(self.runner, self, lambda: (log.usernames(actor), log.actions(actor))).success(show).run()

    def current_filter(self) -> AuditFilter:
        def day(w: QDateEdit) -> dt.date:
            d = w.date()
            return dt.date(d.year(), d.month(), d.day())

        return AuditFilter(date_from=day(self.from_edit), date_to=day(self.to_edit),
                           username=self.user_combo.currentData() or "", action=self.action_combo.currentData() or "")

    def refresh(self) -> None:
        actor, log, f = self.actor, self.services.audit_log, self.current_filter()
        QueryOp(self.runner, self, lambda: log.list(actor, f)).success(self._show).failure(
            lambda e: show_error(self, e)).run()

    def _show(self, rows: list[AuditRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            values = (to_local(r.at).strftime("%Y-%m-%d %H:%M:%S"), r.window_code,
                      "" if r.position is None else str(r.position), r.username, action_label(r.action),
                      _("succeeded") if r.success else _("failed"), _note(r))
            for j, v in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(v))
        self.count_label.setText(_("{n} records").format(n=len(rows)))

    def verify(self) -> None:
        actor, log = self.actor, self.services.audit_log
        CommandOp(self.runner, self, lambda: log.verify(actor)).success(self._chain).failure(
            lambda e: show_error(self, e)).run()

    def _chain(self, reports: list[Any]) -> None:
        self.show_chain(reports[0])

    def show_chain(self, rep: Any) -> None:
        if rep.intact:
            self.chain_label.setText(_("Audit chain of window {window}: intact ({n} records).").format(
                window=rep.window_code, n=rep.records))
            self.chain_label.setStyleSheet("")
        else:
            lines = [finding_text(f) for f in rep.findings[:10]]
            self.chain_label.setText(_("Audit chain of window {window} is BROKEN:").format(window=rep.window_code)
                                     + "\n" + "\n".join(lines))
            self.chain_label.setStyleSheet("color: #a61b1b; font-weight: bold;")

    def export(self) -> None:
        default = Path.home() / f"audit-{local_today():%Y%m%d}.csv"
        path, _filter = QFileDialog.getSaveFileName(self, _("Export the audit trail"), str(default),
                                                    _("CSV files (*.csv)"))
        if not path:
            return
        actor, log, f = self.actor, self.services.audit_log, self.current_filter()

        def done(n: int) -> None:
            self.count_label.setText(_("{n} records written to {path}.").format(n=n, path=path))

        CommandOp(self.runner, self, lambda: log.export_csv(actor, path, f)).success(done).failure(
            lambda e: show_error(self, e)).run()


def broken_chain_text(rep: Any) -> str:
    lines = [finding_text(f) for f in rep.findings[:10]]
    more = len(rep.findings) - len(lines)
    if more > 0:
        lines.append(_("… and {n} more").format(n=more))
    return (_("The audit log of window {window} has been tampered with or damaged:").format(window=rep.window_code)
            + "\n\n" + "\n".join(lines) + "\n\n"
            + _("Do not purge or export it over an older copy; report it to the administrator and keep this PC as it is."))


def show_broken_chain(parent: QWidget | None, rep: Any) -> None:
    """What a supervisor sees at start when the chain is broken (tests patch this where it is used)."""
    QMessageBox.warning(parent, _("Audit log broken"), broken_chain_text(rep))
