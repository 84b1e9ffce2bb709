"""接访人员: the administrator's screen for the people who serve in sessions (issue 9 item 1) — leaders (title),
lawyers, legal-service workers, mediators (firm or organisation, specialties by matter kind, phone) and staff;
their leave; their declared conflicts of interest (a party's name, an ID number or an organisation); the log-in
account a lawyer's person is linked to.

Why a tab of 管理 (Alt+8) and not of the schedule page (Alt+4): only the administrator holds "manage session
staff", and 管理 is the administrator's page for the reference lists every window shares (organs, calendar,
towns). The schedule page is the supervisor's and clerk's working view of sessions and bookings; people are
reference data it reads, not something edited while booking.

Keys: Up/Down pick a person; Ctrl+N starts a new one; Enter in a person's field or Ctrl+S saves; Enter in the
leave fields adds the period, in the conflict fields the conflict, in the account field links it; Delete
withdraws the leave period or conflict selected in its list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain.errors import fail
from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor

ROLES = ("leader", "lawyer", "legal_worker", "mediator", "staff")
ROLE_LABELS = {"leader": N_("Leader"), "lawyer": N_("Lawyer"), "legal_worker": N_("Legal-service worker"),
               "mediator": N_("Mediator"), "staff": N_("Staff")}
COLUMNS = (N_("Name"), N_("Role"), N_("Title"), N_("Firm or organisation"), N_("Specialties"), N_("Phone"),
           N_("Log-in account"), N_("Leave"), N_("Declared conflicts"))
P_STAFF = N_("manage session staff")


def _day(text: str, field: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise fail(field, label, N_("must be a date written YYYY-MM-DD")) from None


def conflict_text(c: Any) -> str:
    parts = []
    if c.party_name:
        parts.append(_("Party: {name}").format(name=c.party_name))
    if c.id_number:
        parts.append(_("ID number: {number}").format(number=c.id_number))
    if c.organisation:
        parts.append(_("Organisation: {name}").format(name=c.organisation))
    return "；".join(parts)


class StaffTab(QWidget):
    sig_saved = Signal(str)  # what changed: "person", "leave", "conflict", "account"

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.runner = services, actor, runner
        self.records: list[Any] = []
        self.editing: Any = None  # the record shown in the form; None while adding a new person
        self.kind_labels = {k.code: k.label() for k in matter_kinds.all_kinds()}

        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.currentCellChanged.connect(lambda *_a: self._show_current())
        self.table.setAccessibleName(_("People who serve in sessions"))

        # the person
        self.name_edit = QLineEdit(self)
        self.name_edit.setMaxLength(50)
        self.role_combo = QComboBox(self)
        for r in ROLES:
            self.role_combo.addItem(_(ROLE_LABELS[r]), r)
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(100)
        self.firm_edit = QLineEdit(self)
        self.firm_edit.setMaxLength(200)
        self.phone_edit = QLineEdit(self)
        self.phone_edit.setMaxLength(20)
        self.specialties = QListWidget(self)
        self.specialties.setAccessibleName(_("Specialties"))
        for code, label in self.kind_labels.items():
            it = QListWidgetItem(label, self.specialties)
            it.setData(Qt.ItemDataRole.UserRole, code)
            it.setToolTip(label)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Unchecked)
        self.new_button = QPushButton(_("New person (Ctrl+N)"), self)
        self.new_button.clicked.connect(self.new_person)
        self.save_button = QPushButton(_("Save the person (Ctrl+S)"), self)
        self.save_button.clicked.connect(self.save_person)
        for e in (self.name_edit, self.title_edit, self.firm_edit, self.phone_edit):
            e.returnPressed.connect(self.save_person)
        self.form_title = QLabel(self)
        pbox = QGroupBox(_("Person"), self)
        form = QFormLayout()
        form.addRow(_("Name"), self.name_edit)
        form.addRow(_("Role"), self.role_combo)
        form.addRow(_("Title"), self.title_edit)
        form.addRow(_("Firm or organisation"), self.firm_edit)
        form.addRow(_("Phone"), self.phone_edit)
        pv = QVBoxLayout(pbox)
        pv.addWidget(self.form_title)
        ph = QHBoxLayout()
        ph.addLayout(form, 2)
        sv = QVBoxLayout()
        sv.addWidget(QLabel(_("Specialties (Space ticks)"), pbox))
        sv.addWidget(self.specialties, 1)
        ph.addLayout(sv, 3)
        pv.addLayout(ph, 1)
        bh = QHBoxLayout()
        bh.addWidget(self.new_button)
        bh.addStretch(1)
        bh.addWidget(self.save_button)
        pv.addLayout(bh)

        # leave
        self.leave_list = QListWidget(self)
        self.leave_list.setAccessibleName(_("Leave and unavailability"))
        self.leave_from = QLineEdit(self)
        self.leave_from.setPlaceholderText(_("e.g. {date}").format(date="2027-01-04"))
        self.leave_to = QLineEdit(self)
        self.leave_to.setPlaceholderText(_("e.g. {date}").format(date="2027-01-08"))
        self.leave_reason = QLineEdit(self)
        self.leave_reason.setMaxLength(200)
        self.leave_add = QPushButton(_("Add the period"), self)
        self.leave_add.clicked.connect(self.add_leave)
        for e in (self.leave_from, self.leave_to, self.leave_reason):
            e.returnPressed.connect(self.add_leave)
        lbox = QGroupBox(_("Leave and unavailability (Delete withdraws)"), self)
        lf = QFormLayout()
        lf.addRow(_("From"), self.leave_from)
        lf.addRow(_("Until"), self.leave_to)
        lf.addRow(_("Reason"), self.leave_reason)
        lv = QVBoxLayout(lbox)
        lv.addWidget(self.leave_list, 1)
        lv.addLayout(lf)
        lv.addWidget(self.leave_add, 0, Qt.AlignmentFlag.AlignRight)

        # conflicts and the account
        self.conflict_list = QListWidget(self)
        self.conflict_list.setAccessibleName(_("Declared conflicts"))
        self.conflict_name = QLineEdit(self)
        self.conflict_name.setMaxLength(50)
        self.conflict_id = QLineEdit(self)
        self.conflict_id.setMaxLength(20)
        self.conflict_org = QLineEdit(self)
        self.conflict_org.setMaxLength(200)
        self.conflict_add = QPushButton(_("Declare the conflict"), self)
        self.conflict_add.clicked.connect(self.add_conflict)
        for e in (self.conflict_name, self.conflict_id, self.conflict_org):
            e.returnPressed.connect(self.add_conflict)
        cbox = QGroupBox(_("Declared conflicts of interest (Delete withdraws)"), self)
        cf = QFormLayout()
        cf.addRow(_("Party's name"), self.conflict_name)
        cf.addRow(_("ID number"), self.conflict_id)
        cf.addRow(_("Organisation"), self.conflict_org)
        cv = QVBoxLayout(cbox)
        cv.addWidget(self.conflict_list, 1)
        cv.addLayout(cf)
        cv.addWidget(self.conflict_add, 0, Qt.AlignmentFlag.AlignRight)
        self.account_edit = QLineEdit(self)
        self.account_edit.setMaxLength(64)
        self.account_edit.returnPressed.connect(self.link_account)
        self.link_button = QPushButton(_("Link"), self)
        self.link_button.clicked.connect(self.link_account)
        self.unlink_button = QPushButton(_("Unlink"), self)
        self.unlink_button.clicked.connect(self.unlink_account)
        ah = QHBoxLayout()
        ah.addWidget(QLabel(_("Log-in account"), self))
        ah.addWidget(self.account_edit, 1)
        ah.addWidget(self.link_button)
        ah.addWidget(self.unlink_button)
        cv.addLayout(ah)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        lower = QHBoxLayout()
        lower.addWidget(pbox, 6)
        lower.addWidget(lbox, 3)
        lower.addWidget(cbox, 4)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.table, 2)
        v.addLayout(lower, 3)
        v.addWidget(self.status)

        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_person, context=ctx)
        self.leave_list.installEventFilter(self)
        self.conflict_list.installEventFilter(self)
        self._set_person_enabled(False)

    def eventFilter(self, obj: QObject, ev: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Delete in the leave or the conflict list withdraws the entry selected there."""
        if ev.type() == QEvent.Type.KeyPress and isinstance(ev, QKeyEvent) and ev.key() == Qt.Key.Key_Delete:
            if obj is self.leave_list:
                self.remove_leave()
                return True
            if obj is self.conflict_list:
                self.remove_conflict()
                return True
        return super().eventFilter(obj, ev)

    # ---------------------------------------------------------------- loading
    def reload(self, select_key: str | None = None) -> None:
        sched, actor = self.services.scheduling, self.actor
        (QueryOp(self.runner, self, lambda: sched.staff_records(actor))
         .success(lambda recs: self._fill(recs, select_key)).failure(self._failed).run())

    def _fill(self, records: list[Any], select_key: str | None) -> None:
        keep = select_key or (self.editing.person.key if self.editing else None)
        self.records = records
        t = self.table
        t.blockSignals(True)
        t.setRowCount(len(records))
        for r, rec in enumerate(records):
            p = rec.person
            cells = (p.name, _(ROLE_LABELS.get(p.role, p.role)), p.title, p.organisation,
                     "、".join(self.kind_labels.get(k, k) for k in p.specialties), p.phone, rec.username or "—",
                     "；".join(f"{lv.from_day.isoformat()}—{lv.to_day.isoformat()}" for lv in rec.leave),
                     "；".join(conflict_text(c) for c in rec.conflicts))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                t.setItem(r, c, item)
        t.resizeColumnsToContents()
        for c in range(t.columnCount() - 1):
            t.setColumnWidth(c, min(t.columnWidth(c), 220))
        t.blockSignals(False)
        row = next((i for i, rec in enumerate(records) if rec.person.key == keep), 0 if records else -1)
        if row >= 0:
            t.setCurrentCell(row, 0)
        self._show_current()

    def current(self) -> Any:
        r = self.table.currentRow()
        return self.records[r] if 0 <= r < len(self.records) else None

    def _set_person_enabled(self, on: bool) -> None:
        for w in (self.leave_list, self.leave_from, self.leave_to, self.leave_reason, self.leave_add,
                  self.conflict_list, self.conflict_name, self.conflict_id, self.conflict_org, self.conflict_add,
                  self.account_edit, self.link_button, self.unlink_button):
            w.setEnabled(on)

    def _show_current(self) -> None:
        rec = self.current()
        self.editing = rec
        self._set_person_enabled(rec is not None)
        self.leave_list.clear()
        self.conflict_list.clear()
        if rec is None:
            self.form_title.setText(_("New person"))
            return
        p = rec.person
        self.form_title.setText(_("Editing {name}").format(name=p.name))
        self.name_edit.setText(p.name)
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(p.role)))
        self.title_edit.setText(p.title)
        self.firm_edit.setText(p.organisation)
        self.phone_edit.setText(p.phone)  # masked unless the role may see it; kept unless retyped
        for i in range(self.specialties.count()):
            it = self.specialties.item(i)
            it.setCheckState(Qt.CheckState.Checked if it.data(Qt.ItemDataRole.UserRole) in p.specialties
                             else Qt.CheckState.Unchecked)
        for lv in rec.leave:
            text = f"{lv.from_day.isoformat()} — {lv.to_day.isoformat()}" + (f"（{lv.reason}）" if lv.reason else "")
            it = QListWidgetItem(text, self.leave_list)
            it.setData(Qt.ItemDataRole.UserRole, lv.id)
        for c in rec.conflicts:
            it = QListWidgetItem(conflict_text(c), self.conflict_list)
            it.setData(Qt.ItemDataRole.UserRole, c.id)
        self.account_edit.setText(rec.username)

    # ---------------------------------------------------------------- the person
    def new_person(self) -> None:
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setCurrentCell(-1, -1)
        self.table.blockSignals(False)
        self.editing = None
        self._set_person_enabled(False)
        self.leave_list.clear()
        self.conflict_list.clear()
        self.form_title.setText(_("New person"))
        for e in (self.name_edit, self.title_edit, self.firm_edit, self.phone_edit, self.account_edit):
            e.clear()
        self.role_combo.setCurrentIndex(0)
        for i in range(self.specialties.count()):
            self.specialties.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.name_edit.setFocus()

    def save_person(self) -> None:
        from xinfang_desk.services.scheduling import PersonInput

        rec = self.editing
        kinds = tuple(self.specialties.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.specialties.count())
                      if self.specialties.item(i).checkState() == Qt.CheckState.Checked)
        phone = self.phone_edit.text()
        keep_phone = rec is not None and phone == rec.person.phone  # the masked number shown, not retyped
        p = PersonInput(rec.person.key if rec else "", self.name_edit.text(), self.role_combo.currentData(),
                        title=self.title_edit.text(), organisation=self.firm_edit.text(), specialties=kinds,
                        phone="" if keep_phone else phone)
        sched, actor, base = self.services.scheduling, self.actor, rec.version if rec else None
        (CommandOp(self.runner, self, lambda: sched.save_person(actor, p, base_version=base, keep_phone=keep_phone))
         .success(lambda d: self._done("person", _("{name} saved.").format(name=d.name), d.key))
         .failure(self._failed).run())

    # ---------------------------------------------------------------- leave and conflicts
    def add_leave(self) -> None:
        rec = self.current()
        if rec is None:
            return
        try:
            a = _day(self.leave_from.text(), "leave.from", N_("From"))
            b = _day(self.leave_to.text(), "leave.to", N_("Until"))
        except Exception as e:  # noqa: BLE001 - a ValidationFailed naming the field
            self._failed(e)
            return
        sched, actor, reason, key = self.services.scheduling, self.actor, self.leave_reason.text(), rec.person.key

        def ok(_r: Any) -> None:
            for e in (self.leave_from, self.leave_to, self.leave_reason):
                e.clear()
            self._done("leave", _("Leave of {name} added.").format(name=rec.person.name), key)
            self.leave_from.setFocus()

        CommandOp(self.runner, self, lambda: sched.add_leave(actor, key, a, b, reason)).success(ok).failure(self._failed).run()

    def remove_leave(self) -> None:
        rec, it = self.current(), self.leave_list.currentItem()
        if rec is None or it is None:
            return
        sched, actor, lid = self.services.scheduling, self.actor, it.data(Qt.ItemDataRole.UserRole)
        (CommandOp(self.runner, self, lambda: sched.remove_leave(actor, lid))
         .success(lambda _r: self._done("leave", _("The leave period was withdrawn."), rec.person.key))
         .failure(self._failed).run())

    def add_conflict(self) -> None:
        rec = self.current()
        if rec is None:
            return
        sched, actor, key = self.services.scheduling, self.actor, rec.person.key
        name, number, org = self.conflict_name.text(), self.conflict_id.text(), self.conflict_org.text()

        def ok(_r: Any) -> None:
            for e in (self.conflict_name, self.conflict_id, self.conflict_org):
                e.clear()
            self._done("conflict", _("Conflict of {name} declared.").format(name=rec.person.name), key)
            self.conflict_name.setFocus()

        (CommandOp(self.runner, self, lambda: sched.add_conflict(actor, key, name, number, org))
         .success(ok).failure(self._failed).run())

    def remove_conflict(self) -> None:
        rec, it = self.current(), self.conflict_list.currentItem()
        if rec is None or it is None:
            return
        sched, actor, cid = self.services.scheduling, self.actor, it.data(Qt.ItemDataRole.UserRole)
        (CommandOp(self.runner, self, lambda: sched.remove_conflict(actor, cid))
         .success(lambda _r: self._done("conflict", _("The conflict was withdrawn."), rec.person.key))
         .failure(self._failed).run())

    # ---------------------------------------------------------------- the account
    def link_account(self) -> None:
        rec = self.current()
        if rec is None:
            return
        sched, actor, key, username = self.services.scheduling, self.actor, rec.person.key, self.account_edit.text().strip()
        if not username:
            self.unlink_account()
            return
        (CommandOp(self.runner, self, lambda: sched.link_user(actor, key, username))
         .success(lambda d: self._done("account", _("{name} is linked to the account {user}.").format(
             name=d.name, user=username), key))
         .failure(self._failed).run())

    def unlink_account(self) -> None:
        rec = self.current()
        if rec is None:
            return
        sched, actor, key = self.services.scheduling, self.actor, rec.person.key
        (CommandOp(self.runner, self, lambda: sched.unlink_user(actor, key))
         .success(lambda d: self._done("account", _("{name} is no longer linked to an account.").format(name=d.name), key))
         .failure(self._failed).run())

    # ---------------------------------------------------------------- common
    def focus_main(self) -> None:
        self.table.setFocus()

    def _done(self, what: str, text: str, key: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)
        self.sig_saved.emit(what)
        self.reload(key)

    def _failed(self, exc: BaseException) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(error_text(exc))
