"""接访排班 (Alt+4): the sessions of a week or a month, and from the keyboard: book a visitor into the selected
session (Ctrl+B), assign a person (Ctrl+R, the reason shown before saving when they cannot serve), a new session
(Ctrl+N, checked before saving), a plan (Ctrl+Shift+N), print the docket (Ctrl+P). PageUp/PageDown move by a
week or a month, F5/F6 switch the week and month views, Home goes back to today."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor, local_today

TYPE_LABELS = {"leader_reception": N_("Leader's reception"), "lawyer_duty": N_("Duty lawyer"), "outreach": N_("Outreach")}
ROLE_LABELS = {"leader": N_("Leader"), "lawyer": N_("Lawyer"), "legal_worker": N_("Legal-service worker"),
               "mediator": N_("Mediator"), "staff": N_("Staff")}
STATUS_LABELS = {"booked": N_("Booked"), "waiting": N_("Waiting"), "cancelled": N_("Cancelled"),
                 "attended": N_("Attended"), "no_show": N_("No-show")}
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
SID = Qt.ItemDataRole.UserRole


def save_pdf_as(parent: QWidget, pdf: bytes, default_name: str) -> str | None:
    """Ask where to save a PDF (the clerk prints it from there); written 0600. Returns the path, or None."""
    import os
    from pathlib import Path

    path, _filter = QFileDialog.getSaveFileName(parent, _("Save as PDF"), str(Path.home() / default_name), "PDF (*.pdf)")
    if not path:
        return None
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pdf)
    os.chmod(path, 0o600)
    return path


def type_label(t: str) -> str:
    return _(TYPE_LABELS.get(t, t))


def people_text(sd: Any) -> str:
    return "、".join(p.name for p in sd.people)


def session_line(sd: Any) -> str:
    where = sd.town or ""
    return f"{sd.start}–{sd.end} {type_label(sd.type)}{(' · ' + where) if where else ''}"


def session_cell(sd: Any) -> str:
    counts = _("{booked}/{capacity} booked").format(booked=sd.bookings, capacity=sd.capacity)
    if sd.waiting:
        counts += _(", {n} waiting").format(n=sd.waiting)
    return f"{session_line(sd)}\n{people_text(sd)}\n{counts}"


class ScheduleView(QTableWidget):
    """The week (one column per day, one row per session of the day) or the month (one cell per day)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 7, parent)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setTabKeyNavigation(False)


class SchedulePage(QWidget):
    sig_loaded = Signal(int)
    sig_changed = Signal()

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.runner = services, actor, runner
        self.mode = "week"
        self.anchor = local_today()
        self.sessions: dict[str, Any] = {}
        self.current_id: str | None = None
        self.last_dialog: QDialog | None = None

        self.title = QLabel()
        self.title.setObjectName("schedule_title")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.2)
        f.setBold(True)
        self.title.setFont(f)
        self.type_filter = QComboBox()
        self.type_filter.addItem(_("All types"), None)
        for key, label in TYPE_LABELS.items():
            self.type_filter.addItem(_(label), key)
        self.type_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.week_button = QPushButton(_("Week (F5)"))
        self.month_button = QPushButton(_("Month (F6)"))
        self.prev_button = QPushButton(_("◀ Previous (PgUp)"))
        self.next_button = QPushButton(_("Next (PgDn) ▶"))
        self.today_button = QPushButton(_("Today (Home)"))
        self.week_button.clicked.connect(lambda: self.set_mode("week"))
        self.month_button.clicked.connect(lambda: self.set_mode("month"))
        self.prev_button.clicked.connect(lambda: self.move(-1))
        self.next_button.clicked.connect(lambda: self.move(1))
        self.today_button.clicked.connect(self.go_today)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        for w in (self.type_filter, self.prev_button, self.today_button, self.next_button, self.week_button, self.month_button):
            top.addWidget(w)

        self.view = ScheduleView(self)
        self.view.currentCellChanged.connect(lambda r, c, _r, _c: self._cell_changed(r, c))
        self.view.activated.connect(lambda _i: self.focus_detail())

        # the selected session
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.day_list = QListWidget()  # month view: the sessions of the selected day
        self.day_list.currentItemChanged.connect(lambda it, _p: self.select_session(it.data(SID) if it else None))
        self.bookings = QListWidget()
        self.book_code = QLineEdit()
        self.book_code.setPlaceholderText(_("Query code, Enter books (Ctrl+B)"))
        self.book_code.returnPressed.connect(self.book)
        self.book_message = QLabel()
        self.book_message.setWordWrap(True)
        self.person_combo = QComboBox()
        self.person_combo.currentIndexChanged.connect(lambda _i: self.check_person())
        self.person_reason = QLabel()
        self.person_reason.setWordWrap(True)
        self.assign_button = QPushButton(_("Assign (Ctrl+R, Enter)"))
        self.assign_button.clicked.connect(self.assign)
        self.docket_button = QPushButton(_("Print docket (Ctrl+P)"))
        self.docket_button.clicked.connect(self.print_docket)
        self.new_button = QPushButton(_("New session (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_session)
        self.plan_button = QPushButton(_("New plan (Ctrl+Shift+N)"))
        self.plan_button.clicked.connect(self.new_plan)

        side = QVBoxLayout()
        side.addWidget(self.detail)
        side.addWidget(self.day_list)
        side.addWidget(QLabel(_("Booked visitors")))
        side.addWidget(self.bookings, 1)
        side.addWidget(self.book_code)
        side.addWidget(self.book_message)
        may_plan = actor.may(N_("plan sessions"))
        if may_plan:
            row = QHBoxLayout()
            row.addWidget(self.person_combo, 1)
            row.addWidget(self.assign_button)
            side.addLayout(row)
            side.addWidget(self.person_reason)
        buttons = QGridLayout()  # two rows: three buttons side by side would widen the panel and squeeze the week
        buttons.addWidget(self.docket_button, 0, 0, 1, 2)
        if may_plan:
            buttons.addWidget(self.new_button, 1, 0)
            buttons.addWidget(self.plan_button, 1, 1)
        side.addLayout(buttons)
        side_w = QWidget()
        side_w.setLayout(side)
        side_w.setMaximumWidth(460)  # the week (or month) keeps most of a 1366-pixel screen
        split = QSplitter(self)
        split.addWidget(self.view)
        split.addWidget(side_w)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.book_code.setEnabled(actor.may(N_("book visitors into sessions")))
        self.bookings.setToolTip(_("Del cancels the selected booking (the first waiting visit moves up); Ctrl+Shift+P prints its slip"))
        if actor.may(N_("book visitors into sessions")):
            QShortcut(QKeySequence("Del"), self.bookings, self.cancel_booking, context=Qt.ShortcutContext.WidgetShortcut)

        for seq, fn in (("F5", lambda: self.set_mode("week")), ("F6", lambda: self.set_mode("month")),
                        ("PgUp", lambda: self.move(-1)), ("PgDown", lambda: self.move(1)), ("Home", self.go_today),
                        ("Ctrl+B", self.focus_book), ("Ctrl+P", self.print_docket), ("Ctrl+Shift+P", self.print_slip)):
            QShortcut(QKeySequence(seq), self, fn, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if may_plan:
            for seq, fn in (("Ctrl+R", self.focus_assign), ("Ctrl+N", self.new_session), ("Ctrl+Shift+N", self.new_plan)):
                QShortcut(QKeySequence(seq), self, fn, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            QueryOp(runner, self, lambda: services.scheduling.staff(actor)).success(self._staff_loaded).run()
        self.refresh()

    # -- navigation ---------------------------------------------------------------------------------
    def focus_main(self) -> None:
        self.view.setFocus()
        if self.view.currentRow() < 0 and self.view.rowCount():
            for c in range(7):
                it = self.view.item(0, c)
                if it is not None and it.data(SID):
                    self.view.setCurrentCell(0, c)
                    return
            self.view.setCurrentCell(0, 0)

    def range(self) -> tuple[dt.date, dt.date]:
        if self.mode == "week":
            start = self.anchor - dt.timedelta(days=self.anchor.weekday())
            return start, start + dt.timedelta(days=6)
        first = self.anchor.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return first, nxt - dt.timedelta(days=1)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.refresh()
        self.view.setFocus()

    def move(self, step: int) -> None:
        if self.mode == "week":
            self.anchor += dt.timedelta(days=7 * step)
        else:
            month = self.anchor.month - 1 + step
            self.anchor = dt.date(self.anchor.year + month // 12, month % 12 + 1, 1)
        self.refresh()

    def go_today(self) -> None:
        self.anchor = local_today()
        self.refresh()

    def refresh(self) -> None:
        start, end = self.range()
        actor, sch, kind = self.actor, self.services.scheduling, self.type_filter.currentData()
        QueryOp(self.runner, self, lambda: sch.list_sessions(actor, start, end, kind)).success(
            lambda rows: self._loaded(start, end, rows)).run()

    def _loaded(self, start: dt.date, end: dt.date, rows: list[Any]) -> None:
        keep = self.current_id
        self.sessions = {s.id: s for s in rows}
        v = self.view
        v.blockSignals(True)
        v.clear()
        v.setColumnCount(7)
        if self.mode == "week":
            self.title.setText(_("Week of {start} to {end}").format(start=start.isoformat(), end=end.isoformat()))
            by_day: dict[dt.date, list[Any]] = {}
            for s in rows:
                by_day.setdefault(s.day, []).append(s)
            v.setHorizontalHeaderLabels([f"{_(WEEKDAYS[i])} {(start + dt.timedelta(days=i)).strftime('%m-%d')}" for i in range(7)])
            v.setRowCount(max([len(x) for x in by_day.values()] + [1]))
            for i in range(7):
                for r, s in enumerate(by_day.get(start + dt.timedelta(days=i), [])):
                    it = QTableWidgetItem(session_cell(s))
                    it.setData(SID, s.id)
                    it.setToolTip(session_cell(s))
                    v.setItem(r, i, it)
            v.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            self.day_list.hide()
        else:
            self.title.setText(_("{year}-{month:02d}").format(year=start.year, month=start.month))
            v.setHorizontalHeaderLabels([_(w) for w in WEEKDAYS])
            first_col = start.weekday()
            weeks = (first_col + (end - start).days + 1 + 6) // 7
            v.setRowCount(weeks)
            by_day = {}
            for s in rows:
                by_day.setdefault(s.day, []).append(s)
            d = start
            while d <= end:
                idx = first_col + (d - start).days
                lines = [f"{d.day}"] + [f"{s.start} {type_label(s.type)}{('·' + s.town) if s.town else ''} {s.bookings}/{s.capacity}"
                                        for s in by_day.get(d, [])]
                it = QTableWidgetItem("\n".join(lines))
                it.setData(SID, d.isoformat())
                v.setItem(idx // 7, idx % 7, it)
                d += dt.timedelta(days=1)
            v.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            self.day_list.show()
        self.week_button.setDefault(self.mode == "week")
        self.month_button.setDefault(self.mode == "month")
        v.blockSignals(False)
        if keep in self.sessions:
            s = self.sessions[keep]
            want = keep if self.mode == "week" else s.day.isoformat()
            for r in range(v.rowCount()):
                for c in range(7):
                    it = v.item(r, c)
                    if it is not None and it.data(SID) == want:
                        v.blockSignals(True)
                        v.setCurrentCell(r, c)
                        v.blockSignals(False)
            if self.mode == "month":
                self._cell_changed(v.currentRow(), v.currentColumn())
            self.select_session(keep)
        else:
            self.select_session(None)
        self.sig_loaded.emit(len(rows))

    def _cell_changed(self, row: int, col: int) -> None:
        it = self.view.item(row, col)
        data = it.data(SID) if it is not None else None
        if self.mode == "week":
            self.select_session(data)
            return
        self.day_list.clear()
        if not data:
            return
        day = dt.date.fromisoformat(data)
        for s in sorted((s for s in self.sessions.values() if s.day == day), key=lambda s: s.start):
            li = QListWidgetItem(f"{session_line(s)}  {people_text(s)}")
            li.setData(SID, s.id)
            self.day_list.addItem(li)
        if self.day_list.count():
            self.day_list.setCurrentRow(0)
        else:
            self.select_session(None)

    def focus_detail(self) -> None:
        (self.day_list if self.mode == "month" and self.day_list.count() else self.book_code).setFocus()

    # -- the selected session -----------------------------------------------------------------------
    def select_session(self, session_id: str | None) -> None:
        self.current_id = session_id if session_id in self.sessions else None
        self.bookings.clear()
        s = self.sessions.get(self.current_id or "")
        if s is None:
            self.detail.setText(_("No session selected."))
            self.docket_button.setEnabled(False)
            return
        self.docket_button.setEnabled(True)
        staff = "；".join(f"{_(ROLE_LABELS.get(p.role, p.role))} {p.name}" + (f"（{p.organisation or p.title}）" if p.organisation or p.title else "")
                         for p in s.people)
        self.detail.setText(_("{day} {line}\nPlace: {place}\nPeople: {staff}\nCapacity {capacity}, booked {booked}, waiting {waiting}").format(
            day=s.day.isoformat(), line=session_line(s), place=s.place or s.town, staff=staff or "—", capacity=s.capacity,
            booked=s.bookings, waiting=s.waiting))
        actor, sch, sid = self.actor, self.services.scheduling, s.id
        QueryOp(self.runner, self, lambda: sch.docket(actor, sid)).success(self._docket_loaded).run()
        self.check_person()

    def _docket_loaded(self, docket: Any) -> None:
        if docket.session.id != self.current_id:
            return
        self.bookings.clear()
        for e in docket.entries:
            status = _(STATUS_LABELS.get(e.status, e.status))
            if e.status == "waiting":
                status += f" {e.position}"
            extra = _(" (provisional)") if e.provisional else ""
            it = QListWidgetItem(f"{e.query_code}  {'、'.join(e.names)}  {e.kind_label.split('（')[0]}  {status}{extra}")
            it.setData(SID, e.query_code)
            self.bookings.addItem(it)

    def focus_book(self) -> None:
        if self.book_code.isEnabled():
            self.book_code.setFocus()
            self.book_code.selectAll()

    def book(self) -> None:
        code = self.book_code.text().strip()
        if not code or not self.current_id:
            self.book_message.setText(_("Select a session first, then type the query code.") if not self.current_id else "")
            return
        actor, sch, sid = self.actor, self.services.scheduling, self.current_id
        CommandOp(self.runner, self, lambda: sch.book(actor, code, sid)).success(self._booked).failure(
            lambda e: self.book_message.setText(error_text(e))).run()

    def _booked(self, b: Any) -> None:
        if b.status == "waiting":
            msg = _("{code} is on the waiting list (position {n}).").format(code=b.query_code, n=b.position)
        else:
            msg = _("{code} is booked.").format(code=b.query_code)
        if b.recused:
            msg += " " + "；".join(_("{person} is recused (conflict of interest with {party}).").format(person=r.person, party=r.party)
                                  for r in b.recused)
        self.book_message.setText(msg)
        self.book_code.clear()
        self.sig_changed.emit()
        self.refresh()

    def selected_code(self) -> str | None:
        it = self.bookings.currentItem()
        return it.data(SID) if it is not None else None

    def cancel_booking(self) -> None:
        code, sid = self.selected_code(), self.current_id
        if not code or not sid:
            return
        from xinfang_desk.gui.dialogs import ask_yes_no

        if not ask_yes_no(self, _("Cancel booking"), _("Cancel the booking of {code}?").format(code=code)):
            return
        actor, sch = self.actor, self.services.scheduling
        CommandOp(self.runner, self, lambda: sch.unbook(actor, code, sid)).success(self._cancelled).failure(
            lambda e: self.book_message.setText(error_text(e))).run()

    def _cancelled(self, b: Any) -> None:
        msg = _("The booking of {code} is cancelled.").format(code=b.query_code)
        if b.promoted:
            msg += " " + _("{code} moves up from the waiting list.").format(code=b.promoted)
        self.book_message.setText(msg)
        self.sig_changed.emit()
        self.refresh()

    def print_slip(self) -> None:
        code = self.selected_code()
        if not code:
            return
        actor, sch = self.actor, self.services.scheduling
        QueryOp(self.runner, self, lambda: sch.print_slip(actor, code)).success(
            lambda pdf: save_pdf_as(self, pdf, f"预约单-{code}.pdf")).failure(
            lambda e: self.book_message.setText(error_text(e))).run()

    # -- staffing -----------------------------------------------------------------------------------
    def _staff_loaded(self, staff: list[Any]) -> None:
        self.person_combo.blockSignals(True)
        self.person_combo.clear()
        for p in staff:
            self.person_combo.addItem(f"{p.name}（{_(ROLE_LABELS.get(p.role, p.role))}{'，' + p.organisation if p.organisation else ''}）", p.key)
        self.person_combo.blockSignals(False)
        self.staff = staff

    def focus_assign(self) -> None:
        self.person_combo.setFocus()

    def check_person(self) -> None:
        key = self.person_combo.currentData()
        if not key or not self.current_id:
            self.person_reason.setText("")
            self.assign_button.setEnabled(False)
            return
        actor, sch, sid = self.actor, self.services.scheduling, self.current_id
        QueryOp(self.runner, self, lambda: sch.check_assignment(actor, sid, key)).success(
            lambda reasons: self._checked(sid, key, reasons)).run()

    def _checked(self, sid: str, key: str, reasons: list[str]) -> None:
        if sid != self.current_id or key != self.person_combo.currentData():
            return
        self.person_reason.setText(_("Cannot serve: {reasons}").format(reasons="；".join(reasons)) if reasons else _("Can serve."))
        self.person_reason.setProperty("state", "conflict" if reasons else "ok")
        self.person_reason.setStyleSheet("color: #8a1c1c;" if reasons else "")
        self.assign_button.setEnabled(not reasons)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt name
        if self.person_combo.hasFocus() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.assign_button.isEnabled():
                self.assign()
            return
        super().keyPressEvent(event)

    def assign(self) -> None:
        key, sid = self.person_combo.currentData(), self.current_id
        if not key or not sid:
            return
        actor, sch = self.actor, self.services.scheduling
        CommandOp(self.runner, self, lambda: sch.assign(actor, sid, key)).success(lambda _s: self.refresh()).failure(
            lambda e: self.person_reason.setText(error_text(e))).run()

    # -- printing, new sessions and plans -------------------------------------------------------------
    def print_docket(self) -> None:
        if not self.current_id:
            return
        actor, sch, sid = self.actor, self.services.scheduling, self.current_id
        s = self.sessions[sid]
        QueryOp(self.runner, self, lambda: sch.print_docket(actor, sid)).success(
            lambda pdf: save_pdf_as(self, pdf, f"接访安排表-{s.day.isoformat()}-{s.start.replace(':', '')}.pdf")).run()

    def new_session(self) -> None:
        day = self.anchor
        it = self.view.currentItem()
        if it is not None and it.data(SID):
            sd = self.sessions.get(it.data(SID))
            day = sd.day if sd else (dt.date.fromisoformat(it.data(SID)) if self.mode == "month" else day)
        self.last_dialog = SessionDialog(self.services, self.actor, self.runner, day, getattr(self, "staff", []), self)
        self.last_dialog.accepted.connect(self.refresh)
        self.last_dialog.open()

    def new_plan(self) -> None:
        self.last_dialog = PlanDialog(self.services, self.actor, self.runner, getattr(self, "staff", []), self)
        self.last_dialog.accepted.connect(self.refresh)
        self.last_dialog.open()


def _people_keys(text: str) -> list[str]:
    return [k.strip() for k in text.replace("，", ",").replace("、", ",").split(",") if k.strip()]


class SessionDialog(QDialog):
    """A one-off session; what would be refused is shown (with its reason) as the fields change, before saving."""

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, day: dt.date, staff: list[Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.runner = services, actor, runner
        self.setWindowTitle(_("New session"))
        form = QFormLayout(self)
        self.type = QComboBox()
        for key, label in TYPE_LABELS.items():
            self.type.addItem(_(label), key)
        self.day = QDateEdit(day)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.start = QTimeEdit()
        self.start.setDisplayFormat("HH:mm")
        self.start.setTime(dt.time(9, 0))
        self.end = QTimeEdit()
        self.end.setDisplayFormat("HH:mm")
        self.end.setTime(dt.time(11, 30))
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 500)
        self.capacity.setValue(6)
        self.town = QComboBox()
        self.town.addItem("", "")
        from xinfang_desk.domain.places import towns

        for t in towns():
            self.town.addItem(t.name, t.name)
        self.people = QLineEdit()
        self.people.setPlaceholderText(_("People's keys, separated by commas"))
        self.people.setToolTip("\n".join(f"{p.key}  {p.name}" for p in staff))
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setStyleSheet("color: #8a1c1c;")
        for label, w in ((_("Type"), self.type), (_("Date"), self.day), (_("Start"), self.start), (_("End"), self.end),
                         (_("Capacity"), self.capacity), (_("Town"), self.town), (_("People"), self.people)):
            form.addRow(label, w)
        form.addRow(self.reasons)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        # checked as the fields change, after a short pause in typing (one query, not one per keystroke)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.check)
        for sig in (self.type.currentIndexChanged, self.day.dateChanged, self.start.timeChanged, self.end.timeChanged,
                    self.capacity.valueChanged, self.town.currentIndexChanged, self.people.textChanged):
            sig.connect(self._changed)
        self.check()

    def _changed(self, *_a: Any) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self._debounce.start()

    def values(self) -> tuple[Any, ...]:
        return (self.type.currentData(), self.day.date().toPython(), self.start.time().toString("HH:mm"),
                self.end.time().toString("HH:mm"), self.capacity.value(), _people_keys(self.people.text()), "",
                self.town.currentData() or "")

    def check(self) -> None:
        vals = self.values()
        actor, sch = self.actor, self.services.scheduling
        QueryOp(self.runner, self, lambda: (vals, sch.check_new_session(actor, *vals))).success(self._checked).run()

    def _checked(self, result: tuple[Any, list[str]]) -> None:
        vals, reasons = result
        if vals != self.values():
            return
        self.reasons.setText("\n".join(reasons))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not reasons)

    def save(self) -> None:
        vals = self.values()
        actor, sch = self.actor, self.services.scheduling
        CommandOp(self.runner, self, lambda: sch.create_session(actor, *vals)).success(lambda _s: self.accept()).failure(
            lambda e: self.reasons.setText(error_text(e))).run()


class PlanDialog(QDialog):
    """A plan: weekly on weekdays, or on a town's market days (solar or lunar), between two dates."""

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, staff: list[Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.runner = services, actor, runner
        self.setWindowTitle(_("New plan"))
        form = QFormLayout(self)
        self.key = QLineEdit()
        self.type = QComboBox()
        for key, label in TYPE_LABELS.items():
            self.type.addItem(_(label), key)
        self.town = QComboBox()
        self.town.addItem("", "")
        from xinfang_desk.domain.places import towns

        for t in towns():
            self.town.addItem(t.name, t.name)
        self.weekdays = QLineEdit()
        self.weekdays.setPlaceholderText(_("e.g. 3 for Wednesdays, 1,2,3,4,5 for every working day"))
        self.market = QLineEdit()
        self.market.setPlaceholderText(_("e.g. 1,4,7 (days 1, 4, 7, 11, 14 … of the month)"))
        self.lunar = QCheckBox(_("Lunar calendar"))
        self.skip_weekends = QCheckBox(_("Skip weekends"))
        today = local_today()
        self.from_day = QDateEdit(today)
        self.from_day.setDisplayFormat("yyyy-MM-dd")
        self.to_day = QDateEdit(today + dt.timedelta(days=90))
        self.to_day.setDisplayFormat("yyyy-MM-dd")
        self.start = QLineEdit("09:00")
        self.end = QLineEdit("11:30")
        self.capacity = QSpinBox()
        self.capacity.setRange(1, 500)
        self.capacity.setValue(6)
        self.people = QLineEdit()
        self.people.setPlaceholderText(_("People's keys, separated by commas"))
        self.people.setToolTip("\n".join(f"{p.key}  {p.name}" for p in staff))
        self.rotate = QSpinBox()
        self.rotate.setRange(0, 5)
        self.message = QLabel()
        self.message.setWordWrap(True)
        for label, w in ((_("Key"), self.key), (_("Type"), self.type), (_("Town"), self.town), (_("Weekdays"), self.weekdays),
                         (_("Market days"), self.market), ("", self.lunar), ("", self.skip_weekends), (_("From"), self.from_day),
                         (_("To"), self.to_day), (_("Start"), self.start), (_("End"), self.end), (_("Capacity"), self.capacity),
                         (_("People"), self.people), (_("Rotated lawyers"), self.rotate)):
            form.addRow(label, w)
        form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        from xinfang_desk.services.scheduling import PlanInput

        def ints(text: str) -> tuple[int, ...]:
            return tuple(int(x) for x in _people_keys(text) if x.isdigit())

        market = ints(self.market.text())
        inp = PlanInput(key=self.key.text().strip(), type=self.type.currentData(), start=self.start.text().strip(),
                        end=self.end.text().strip(), capacity=self.capacity.value(), from_day=self.from_day.date().toPython(),
                        to_day=self.to_day.date().toPython(), people=tuple(_people_keys(self.people.text())),
                        town=self.town.currentData() or "", weekdays=ints(self.weekdays.text()),
                        market_calendar=("lunar" if self.lunar.isChecked() else "solar") if market else "", market_days=market,
                        skip_weekends=self.skip_weekends.isChecked(), rotate_lawyers=self.rotate.value())
        actor, sch = self.actor, self.services.scheduling
        CommandOp(self.runner, self, lambda: sch.apply_plan(actor, [], [inp])).success(self._saved).failure(
            lambda e: self.message.setText(error_text(e))).run()

    def _saved(self, res: Any) -> None:
        self.result_summary = _("{n} sessions created.").format(n=len(res.created))
        self.accept()
