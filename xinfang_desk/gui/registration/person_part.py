"""Who came: the search strip, the person panel and the visitor's earlier visits.

Owns the search (results as you type, ↓/↑ move, Enter picks), the picked person or the one found by the ID
number typed, the ID number checked as typed (gender and birth date derived), the group size and the other
visitors / representatives, the earlier visits of the person, the error lines under these fields, and the
person's piece of the draft.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QListWidgetItem, QTableWidgetItem, QWidget

from xinfang_desk.domain.errors import FieldProblem, ValidationFailed
from xinfang_desk.domain.places import make_towns
from xinfang_desk.domain.resident_id import normalise_id_query, parse_resident_id
from xinfang_desk.domain.visit_rules import MAX_REPRESENTATIVES, is_collective
from xinfang_desk.gui.formatting import gender_label, status_label
from xinfang_desk.gui.forms.ui_registration_page import Ui_RegistrationPage
from xinfang_desk.gui.registration.common import ErrorLines, focus_widget
from xinfang_desk.gui.tasks import QueryOp, StreamKey, TaskRunner
from xinfang_desk.gui.town_completer import TownCompleter
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor
from xinfang_desk.services.dto import MatterSummary, PersonHit, PersonInput

REP_ROWS = MAX_REPRESENTATIVES - 1  # the visitor in the person panel is the first one
REP_COLUMNS = (N_("Name"), N_("ID number"), N_("Phone"))
SEARCH_DELAY_MS = 250
SEARCH_ROWS = 6  # the result list floats over the form (the form never jumps when results appear)
DRAFT_KEYS = ("search", "name", "id_number", "phone", "address", "group_size", "reps", "picked")
# the order in which a refused save puts the focus on the person's fields
FOCUS_ORDER = ("name", "id_number", "phone", "group_size", "address", "reps")
_PEOPLE_FIELD = re.compile(r"^people\[(\d+)\]\.(\w+)$")


class _SearchKeys(QObject):
    """↓/↑ move through the results while typing continues in the box; Enter picks."""

    def __init__(self, part: PersonPart) -> None:
        super().__init__(part)
        self.part = part

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.part.move_result(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.part.pick_current()
                return True
        return False


class PersonPart(QObject):
    sig_edited = Signal()  # something the draft keeps was typed or picked
    sig_search_typed = Signal()  # the search box was typed into (the last visitor's "saved" line goes)
    sig_person_changed = Signal()  # the picked person, or the one found by the ID number, changed
    sig_history = Signal()  # the earlier visits of the person arrived (non-empty)
    sig_group_size = Signal(int)
    sig_picked = Signal()  # a visitor was picked: the clerk goes on with the matter

    def __init__(self, page: QWidget, ui: Ui_RegistrationPage, services: Services, actor: Actor, runner: TaskRunner,
                 open_visit: Callable[[str, str], None]) -> None:
        super().__init__(page)
        self.page = page
        self.ui = ui
        self.services = services
        self.actor = actor
        self.runner = runner
        self._open_visit = open_visit
        self.hits: list[PersonHit] = []
        self.picked: PersonHit | None = None
        self.id_match: PersonHit | None = None  # an existing person found by the ID number typed
        self.history: list[MatterSummary] = []
        self._pick_when_ready = False
        self._search_key = StreamKey("person search")
        self._id_key = StreamKey("ID number look-up")
        self.errors = ErrorLines({
            "name": ui.name_error, "id_number": ui.id_error, "phone": ui.phone_error, "address": ui.address_error,
            "group_size": ui.group_error, "reps": ui.reps_error,
        })
        self._setup_reps()
        self._setup_search()
        u = ui
        u.id_edit.textChanged.connect(self._on_id_changed)
        u.id_edit.editingFinished.connect(lambda: self._validate_id(final=True))
        u.group_size_spin.valueChanged.connect(self._on_group_size)
        for edit in (u.name_edit, u.phone_edit, u.address_edit):
            edit.textChanged.connect(lambda *_a: self.sig_edited.emit())
        u.reps_table.itemChanged.connect(lambda _i: self.sig_edited.emit())
        u.history_list.itemActivated.connect(self._open_history_item)
        self.town_completer = TownCompleter(u.address_edit)
        ref = services.reference
        QueryOp(runner, self, lambda: make_towns(ref.towns())).success(self.town_completer.set_towns).run()
        self.show_history([])

    # ------------------------------------------------------------------ set-up
    def _setup_reps(self) -> None:
        t = self.ui.reps_table
        t.setRowCount(REP_ROWS)
        t.setColumnCount(len(REP_COLUMNS))
        t.setHorizontalHeaderLabels([_(c) for c in REP_COLUMNS])
        t.setVerticalHeaderLabels([str(i + 2) for i in range(REP_ROWS)])
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        t.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for r in range(REP_ROWS):
            for c in range(len(REP_COLUMNS)):
                t.setItem(r, c, QTableWidgetItem(""))
        t.setCurrentCell(0, 0)

    def _setup_search(self) -> None:
        u = self.ui
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self._search_keys = _SearchKeys(self)
        u.search_edit.installEventFilter(self._search_keys)
        u.search_edit.textEdited.connect(self._on_search_edited)
        u.search_results.itemClicked.connect(lambda item: self.pick(self.hits[u.search_results.row(item)]))
        # the results float under the search box instead of pushing the form down by ~95 px
        u.search_layout.removeWidget(u.search_results)
        u.search_results.setParent(self.page)
        u.search_results.setMaximumHeight(16777215)
        u.search_results.hide()
        u.search_status_label.setFixedHeight(u.search_status_label.fontMetrics().lineSpacing() + 4)  # "" or not

    def place_results(self) -> None:
        """The result list floats right under the search box, as wide as it, over the form."""
        lst, edit = self.ui.search_results, self.ui.search_edit
        top_left = edit.mapTo(self.page, edit.rect().bottomLeft())
        rows = max(1, min(SEARCH_ROWS, lst.count()))
        h = rows * max(lst.sizeHintForRow(0), 20) + 2 * lst.frameWidth() + 4
        lst.setGeometry(top_left.x(), top_left.y() + 2, edit.width(), h)
        lst.raise_()

    def focus_search(self) -> None:
        focus_widget(self.ui.search_edit)
        self.ui.search_edit.selectAll()

    # ------------------------------------------------------------------ search
    def _on_search_edited(self, _text: str) -> None:
        self.sig_search_typed.emit()
        self._search_timer.start()

    @property
    def searching(self) -> bool:
        return self.runner.pending(self._search_key)

    def _run_search(self) -> None:
        q = self.ui.search_edit.text().strip()
        if not q:
            self.runner.supersede(self._search_key)
            self._set_hits([])
            return
        self.ui.search_status_label.setText(_("Searching…"))
        actor, search = self.actor, self.services.search

        def done(hits: list[PersonHit]) -> None:
            self._set_hits(hits)
            if self._pick_when_ready:
                self._pick_when_ready = False
                if hits:
                    self.pick(hits[0])
                else:
                    self._no_hit_go_on(q)

        def failed(exc: BaseException) -> None:
            self._pick_when_ready = False
            self.ui.search_status_label.setText(str(exc))

        (QueryOp(self.runner, self, lambda: search.search_people(actor, q)).latest(self._search_key)
         .success(done).failure(failed).run())

    def _set_hits(self, hits: list[PersonHit]) -> None:
        self.hits = hits
        lst = self.ui.search_results
        lst.clear()
        for h in hits:
            parts = [h.name, h.id_number or h.id_masked, h.phone or h.phone_masked]
            if h.visits:
                parts.append(_("{n} visits, last on {day}").format(
                    n=h.visits, day=h.last_visit_on.isoformat() if h.last_visit_on else "—"))
            QListWidgetItem("  ".join(p for p in parts if p), lst)
        lst.setVisible(bool(hits))
        if hits:
            lst.setCurrentRow(0)
            self.place_results()
        q = self.ui.search_edit.text().strip()
        self.ui.search_status_label.setText(
            "" if not q else (_("{n} found — Enter picks, ↓ moves").format(n=len(hits)) if hits
                              else _("Nobody found: register a new visitor below.")))

    def move_result(self, step: int) -> None:
        lst = self.ui.search_results
        if lst.count():
            lst.setCurrentRow(max(0, min(lst.count() - 1, lst.currentRow() + step)))

    def pick_current(self) -> None:
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._pick_when_ready = True
            self._run_search()
            return
        if self.searching:
            self._pick_when_ready = True
            return
        if self.hits:
            row = max(0, self.ui.search_results.currentRow())
            self.pick(self.hits[row])
        elif self.ui.search_edit.text().strip():
            self._no_hit_go_on(self.ui.search_edit.text().strip())

    def _no_hit_go_on(self, q: str) -> None:
        """Nobody found: carry what was typed into the person panel and go on with a new visitor."""
        u = self.ui
        target = u.name_edit
        if re.fullmatch(r"[0-9０-９xXｘＸ\s-]{15,}", q):
            if not u.id_edit.text():
                u.id_edit.setText(q)
            target = u.name_edit
        elif not re.search(r"[0-9a-zA-Z]", q) and not u.name_edit.text():
            u.name_edit.setText(q)
            target = u.id_edit
        focus_widget(target)

    def pick(self, hit: PersonHit) -> None:
        u = self.ui
        self.picked = hit
        self.id_match = None
        u.search_results.hide()
        u.search_status_label.setText(_("Visitor picked: {name} — earlier visits are listed on the right.").format(name=hit.name))
        u.name_edit.setText(hit.name)
        u.id_edit.blockSignals(True)
        u.id_edit.setText(hit.id_number or "")
        u.id_edit.blockSignals(False)
        u.id_edit.setPlaceholderText(hit.id_masked or _("no ID number on record"))
        u.id_edit.setReadOnly(True)
        u.phone_edit.setText(hit.phone or "")
        u.phone_edit.setPlaceholderText(hit.phone_masked or "")
        u.address_edit.setText(hit.address or "")
        u.gender_value.setText(gender_label(hit.gender))
        u.birth_value.setText(hit.birth_date.isoformat() if hit.birth_date else "—")
        self.errors.show("id_number", "")
        self._load_history(hit.id)
        self.sig_person_changed.emit()
        self.sig_edited.emit()
        self.sig_picked.emit()

    # ------------------------------------------------------------------ earlier visits
    def person_ids(self) -> list[str]:
        p = self.picked or self.id_match
        return [p.id] if p else []

    def _load_history(self, person_id: str) -> None:
        actor, search = self.actor, self.services.search
        (QueryOp(self.runner, self, lambda: search.person_history(actor, person_id))
         .success(self.show_history).failure(lambda e: self.ui.history_list.addItem(str(e))).run())

    def show_history(self, matters: list[MatterSummary]) -> None:
        self.history = matters
        if matters:
            self.sig_history.emit()
        lst = self.ui.history_list
        lst.clear()
        if not matters:
            item = QListWidgetItem(_("No earlier visits.") if self.person_ids() else _("Pick a visitor to see earlier visits."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            lst.addItem(item)
            return
        for m in matters:
            status = _("Status: {status}").format(status=status_label(m.status))
            text = f"{m.received_on.isoformat()}  {m.query_code}\n{m.kind_label}\n{status}"
            if m.repeat_of_visit_id:
                text += "  " + _("(repeat)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, m.visit_id)
            lst.addItem(item)

    def _open_history_item(self, item: QListWidgetItem) -> None:
        vid = item.data(Qt.ItemDataRole.UserRole)
        m = next((m for m in self.history if m.visit_id == vid), None)
        if m is not None:
            self._open_visit(m.visit_id, m.query_code)

    # ------------------------------------------------------------------ ID number, live
    def _on_id_changed(self, _text: str) -> None:
        self._validate_id(final=False)
        self.sig_edited.emit()

    def _show_derived(self, gender: str | None = None, birth: dt.date | None = None) -> None:
        self.ui.gender_value.setText(gender_label(gender) if gender else "—")
        self.ui.birth_value.setText(birth.isoformat() if birth else "—")

    def _validate_id(self, final: bool) -> None:
        u = self.ui
        if u.id_edit.isReadOnly():
            return
        raw = u.id_edit.text()
        n = len(normalise_id_query(raw))
        self.id_match = None
        if not raw.strip() or (n < 18 and not (final and n)):
            self.errors.show("id_number", "")
            self._show_derived()
            return
        try:
            rid = parse_resident_id(raw, "id_number")
        except ValidationFailed as e:
            self.errors.show("id_number", e.problems[0].message())
            self._show_derived()
            return
        self.errors.show("id_number", "")
        self._show_derived(rid.gender, rid.birth_date)
        self._lookup_id(rid.number)

    def _lookup_id(self, number: str) -> None:
        actor, search = self.actor, self.services.search

        def done(hits: list[PersonHit]) -> None:
            if self.picked is not None:
                return
            self.id_match = hits[0] if hits else None
            if self.id_match is not None:
                h = self.id_match
                self.ui.search_status_label.setText(
                    _("This ID number is on record: {name}, {n} earlier visits.").format(name=h.name, n=h.visits))
                self._load_history(h.id)
            else:
                self.show_history([])
            self.sig_person_changed.emit()

        (QueryOp(self.runner, self, lambda: search.search_people(actor, number, limit=1)).latest(self._id_key)
         .success(done).failure(lambda e: None).run())

    # ------------------------------------------------------------------ group
    def group_size(self) -> int:
        return self.ui.group_size_spin.value()

    def _on_group_size(self, size: int) -> None:
        u = self.ui
        u.reps_box.setVisible(size > 1)
        if is_collective(size):
            u.reps_box.setTitle(_("Representatives"))
            u.reps_hint_label.setText(_("The visitor above counts as the first representative; at most 5 in all."))
        else:
            u.reps_box.setTitle(_("Other visitors"))
            u.reps_hint_label.setText(_("Other people who came with the visitor (optional)."))
        self.sig_group_size.emit(size)

    def rep_rows(self) -> list[tuple[str, str, str]]:
        t = self.ui.reps_table
        rows = []
        for r in range(t.rowCount()):
            cells = [(t.item(r, c).text() if t.item(r, c) else "") for c in range(t.columnCount())]
            if any(c.strip() for c in cells):
                rows.append((cells[0], cells[1], cells[2]))
        return rows

    # ------------------------------------------------------------------ save
    def people(self) -> tuple[PersonInput, ...]:
        """The visitor and (in a group) the others, as the registration service takes them."""
        u = self.ui
        size = self.group_size()
        role = "representative" if is_collective(size) else "visitor"
        picked = self.picked
        first = PersonInput(
            name=u.name_edit.text(),
            id_number="" if picked else u.id_edit.text(),
            phone=u.phone_edit.text(), address=u.address_edit.text(),
            person_id=picked.id if picked else None, role=role,
        )
        people = [first]
        if size > 1:
            for name, idn, phone in self.rep_rows():
                people.append(PersonInput(name=name, id_number=idn, phone=phone, role=role))
        return tuple(people)

    def problem_key(self, p: FieldProblem) -> str | None:
        """Which of this part's error lines a problem of the service belongs under (None: not this part's)."""
        f = p.field or ""
        m = _PEOPLE_FIELD.match(f)
        if m:
            return m.group(2) if m.group(1) == "0" and m.group(2) in self.errors.labels else "reps"
        if f == "people":
            return "reps" if self.ui.reps_box.isVisible() else "group_size"
        if f == "group_size":
            return "group_size"
        return None

    def problem_text(self, key: str, p: FieldProblem) -> str:
        if key == "reps" and (m := _PEOPLE_FIELD.match(p.field or "")):
            return _("Row {n}: {problem}").format(n=int(m.group(1)) + 1, problem=p.message())
        return p.message()

    def focus_first(self, keys: set[str]) -> bool:
        """Focus the first field (in reading order) with a problem among `keys`; False when none is this part's."""
        u = self.ui
        widgets = {"name": u.name_edit, "id_number": u.id_edit, "phone": u.phone_edit, "group_size": u.group_size_spin,
                   "address": u.address_edit, "reps": u.reps_table}
        for key in FOCUS_ORDER:
            if key in keys:
                focus_widget(widgets[key])
                return True
        return False

    # ------------------------------------------------------------------ clear and draft
    def clear(self) -> None:
        u = self.ui
        self.picked = None
        self.id_match = None
        self.hits = []
        for e in (u.search_edit, u.name_edit, u.id_edit, u.phone_edit, u.address_edit):
            e.clear()
        u.id_edit.setReadOnly(False)
        u.id_edit.setPlaceholderText(_("18 digits; the last may be X"))
        u.phone_edit.setPlaceholderText(_("mobile or landline with area code"))
        u.search_results.clear()
        u.search_results.hide()
        u.search_status_label.setText("")
        u.group_size_spin.setValue(1)
        for r in range(u.reps_table.rowCount()):
            for c in range(u.reps_table.columnCount()):
                u.reps_table.item(r, c).setText("")
        u.gender_value.setText("—")
        u.birth_value.setText("—")
        self.errors.clear()
        self.show_history([])

    def draft_state(self) -> dict[str, Any]:
        u = self.ui
        p = self.picked
        return {
            "search": u.search_edit.text(),
            "name": u.name_edit.text(), "id_number": "" if p else u.id_edit.text(),
            "phone": u.phone_edit.text(), "address": u.address_edit.text(),
            "group_size": u.group_size_spin.value(),
            "reps": [list(r) for r in self.rep_rows()],
            "picked": None if p is None else {
                "id": p.id, "name": p.name, "id_masked": p.id_masked, "phone_masked": p.phone_masked,
                "gender": p.gender, "birth_date": p.birth_date.isoformat() if p.birth_date else None,
                "address": p.address, "visits": p.visits,
            },
        }

    def restore_draft(self, s: dict[str, Any]) -> None:
        u = self.ui
        u.search_edit.setText(str(s.get("search") or ""))
        u.group_size_spin.setValue(int(s.get("group_size") or 1))
        u.name_edit.setText(str(s.get("name") or ""))
        u.id_edit.setText(str(s.get("id_number") or ""))
        self._restore_picked(s.get("picked"))
        u.phone_edit.setText(str(s.get("phone") or ""))
        u.address_edit.setText(str(s.get("address") or ""))
        for r, row in enumerate((s.get("reps") or [])[:REP_ROWS]):
            for c, val in enumerate(list(row)[:3]):
                u.reps_table.item(r, c).setText(str(val))

    def _restore_picked(self, picked: Any) -> None:
        """A visitor picked before the crash: shown as picked again (masked), with their earlier visits."""
        if not isinstance(picked, dict) or not picked.get("id"):
            return
        u = self.ui
        bd = picked.get("birth_date")
        self.picked = PersonHit(
            id=picked["id"], name=picked.get("name", ""), id_masked=picked.get("id_masked", ""),
            phone_masked=picked.get("phone_masked", ""), gender=picked.get("gender"),
            birth_date=dt.date.fromisoformat(bd) if bd else None, address=picked.get("address", ""),
            visits=int(picked.get("visits") or 0), last_visit_on=None,
        )
        u.id_edit.setPlaceholderText(self.picked.id_masked)
        u.id_edit.setReadOnly(True)
        u.phone_edit.setPlaceholderText(self.picked.phone_masked)
        u.gender_value.setText(gender_label(self.picked.gender))
        u.birth_value.setText(bd or "—")
        self._load_history(self.picked.id)
