"""接待登记: search first, then the person, the matter, and save — the whole job from the keyboard.

Reading order = Tab order (set in ui/registration_page.ui). Every database call goes through the task helper;
the widgets only see DTOs. What was typed is kept on an error and survives a crash (DraftStore).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHeaderView,
    QLabel,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain.errors import DomainError, FieldProblem, ValidationFailed
from xinfang_desk.domain.places import make_towns
from xinfang_desk.domain.resident_id import normalise_id_query, parse_resident_id
from xinfang_desk.domain.visit_rules import MAX_REPRESENTATIVES, is_collective
from xinfang_desk.gui import direct_print
from xinfang_desk.gui.channels_panel import ChannelsPanel
from xinfang_desk.gui.dialogs import VisitDetailDialog, ask_yes_no
from xinfang_desk.gui.draft import DraftStore
from xinfang_desk.gui.errors import error_text, show_error
from xinfang_desk.gui.facts_panel import DateProblem, FactsPanel, parse_fact_date, question_text
from xinfang_desk.gui.formatting import gender_label, status_label
from xinfang_desk.gui.forms.ui_registration_page import Ui_RegistrationPage
from xinfang_desk.gui.kind_picker import KindPicker
from xinfang_desk.gui.notice_preview import NoticePreviewDialog
from xinfang_desk.gui.override_dialog import OverrideDialog
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.gui.town_completer import TownCompleter
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.classification import Override
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor, local_today
from xinfang_desk.services.dto import (
    MatterInput,
    MatterSummary,
    PersonHit,
    PersonInput,
    RegistrationInput,
    RegistrationResult,
    RepeatInfo,
)
from xinfang_desk.services.preferences import PRINT_WITHOUT_PREVIEW, role_default

log = logging.getLogger(__name__)

REP_ROWS = MAX_REPRESENTATIVES - 1  # the visitor in the person panel is the first one
REP_COLUMNS = (N_("Name"), N_("ID number"), N_("Phone"))
SEARCH_DELAY_MS = 250
SEARCH_ROWS = 6  # the result list floats over the form (the form never jumps when results appear)
CHECK_DELAY_MS = 400
DRAFT_DELAY_MS = 400


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


class _SearchKeys(QObject):
    """↓/↑ move through the results while typing continues in the box; Enter picks."""

    def __init__(self, page: RegistrationPage) -> None:
        super().__init__(page)
        self.page = page

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.page.move_result(1 if key == Qt.Key.Key_Down else -1)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.page.pick_current()
                return True
        return False


class RegistrationPage(QWidget):
    sig_saved = Signal(object)  # RegistrationResult

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, draft: DraftStore | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_RegistrationPage()
        self.ui.setupUi(self)
        self.services = services
        self.actor = actor
        self.runner = runner
        self.draft = draft if draft is not None else DraftStore.default(actor.window_code, actor.username)
        self.saving = False
        self._restoring = False
        self._hits: list[PersonHit] = []
        self._picked: PersonHit | None = None
        self._id_match: PersonHit | None = None  # an existing person found by the ID number typed
        self._history: list[MatterSummary] = []
        self._repeat: RepeatInfo | None = None
        self._search_seq = 0
        self._check_seq = 0
        self._id_seq = 0
        self._pick_when_ready = False
        self._searching = False
        self.last_result: RegistrationResult | None = None
        self.override: Override | None = None  # 人工改判, applied when the visit is saved
        self._override_organ_name = ""
        self._print_after_save = False
        self.last_notice: Any = None  # services.notices.PrintedNotice of the last Ctrl+P
        self.last_preview: NoticePreviewDialog | None = None
        self.last_override_dialog: OverrideDialog | None = None
        self._after_proposal: list[Any] = []  # Enter / Y / N wait for the live proposal of what was just typed
        self._saved_note = False  # the "saved" line is the last visitor's: it goes when the next one is typed
        self._unknown_at_save: list[str] = []
        self._preview = False  # this print shows the preview (Ctrl+Shift+P, or the setting is off)
        self.last_printed_pages = 0
        self._printer: Any = None
        self._reprint_visit: str | None = None
        self._earlier_seq = 0

        u = self.ui
        self._errors: dict[str, QLabel] = {
            "name": u.name_error, "id_number": u.id_error, "phone": u.phone_error, "address": u.address_error,
            "group_size": u.group_error, "people": u.reps_error, "reps": u.reps_error, "channel": u.channel_error,
            "kind": u.kind_error, "summary": u.summary_error, "demands": u.demands_error,
            "respondent": u.respondent_error, "received_on": u.received_error, "form": u.form_error,
        }
        for code in matter_kinds.CHANNELS:
            u.channel_combo.addItem(matter_kinds.channel_label(code), code)
        self.kind_picker = KindPicker(u.kind_edit)
        self._setup_reps()
        self.facts_panel = FactsPanel(u.facts_box)
        u.facts_layout.addWidget(self.facts_panel)
        self.channels_panel = ChannelsPanel(runner, u.channels_box, propose=self._propose)
        u.channels_layout.insertWidget(0, self.channels_panel, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._run_repeat_check)
        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.write_draft)

        self._search_keys = _SearchKeys(self)
        u.search_edit.installEventFilter(self._search_keys)
        u.search_edit.textEdited.connect(self._on_search_edited)
        u.search_results.itemClicked.connect(lambda item: self.pick(self._hits[u.search_results.row(item)]))
        # the results float under the search box instead of pushing the form down by ~95 px
        u.search_layout.removeWidget(u.search_results)
        u.search_results.setParent(self)
        u.search_results.setMaximumHeight(16777215)
        u.search_results.hide()
        u.search_status_label.setFixedHeight(u.search_status_label.fontMetrics().lineSpacing() + 4)  # "" or not

        u.id_edit.textChanged.connect(self._on_id_changed)
        u.id_edit.editingFinished.connect(lambda: self._validate_id(final=True))
        u.group_size_spin.valueChanged.connect(self._on_group_size)
        self.kind_picker.sig_kind_changed.connect(self._on_kind)
        self.facts_panel.sig_changed.connect(self._matter_changed)
        self.channels_panel.sig_result.connect(self._on_proposal)
        self.facts_panel.sig_enter.connect(self.enter_save)
        self.facts_panel.sig_answered.connect(self._answered)
        u.received_edit.textChanged.connect(lambda _t: self._on_received_edited())
        u.received_edit.editingFinished.connect(self._finish_received)
        u.channel_combo.currentIndexChanged.connect(lambda _i: self._matter_changed())
        u.respondent_edit.textChanged.connect(lambda _t: self._matter_changed())
        u.demands_edit.textChanged.connect(self._matter_changed)
        u.summary_edit.textChanged.connect(self._matter_changed)
        for edit in (u.name_edit, u.phone_edit, u.address_edit, u.kind_edit):
            edit.textChanged.connect(self._edited)
        self.town_completer = TownCompleter(u.address_edit)
        ref = services.reference
        QueryOp(runner, self, lambda: make_towns(ref.towns())).success(self.town_completer.set_towns).run()
        u.reps_table.itemChanged.connect(lambda _i: self._edited())
        u.respondent_edit.returnPressed.connect(self.enter_save)
        u.received_edit.returnPressed.connect(self.enter_save)
        u.save_button.clicked.connect(self.save)
        u.save_print_button.clicked.connect(self.save_and_print)
        u.override_button.clicked.connect(self.open_override)
        u.undo_override_button.clicked.connect(self.clear_override)
        u.clear_button.clicked.connect(self.request_clear)
        u.repeat_label.linkActivated.connect(self._open_repeat)
        u.history_list.itemActivated.connect(self._open_history_item)

        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence("Ctrl+S"), self, self.save, context=ctx)
        QShortcut(QKeySequence("Ctrl+P"), self, self.save_and_print, context=ctx)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, self.save_and_preview, context=ctx)
        QShortcut(QKeySequence("Ctrl+Shift+R"), self, self.reprint_last, context=ctx)
        # 来源渠道 and 人数 keep their defaults (来访, 1) for most visitors: Tab passes them, Alt+C / Alt+G reach them
        for w in (u.channel_combo, u.group_size_spin):
            w.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        QShortcut(QKeySequence("Alt+C"), self, lambda: focus_widget(u.channel_combo), context=ctx)
        QShortcut(QKeySequence("Alt+G"), self, lambda: focus_widget(u.group_size_spin), context=ctx)
        self._setup_print_controls()
        QShortcut(QKeySequence("Ctrl+R"), self, self.open_override, context=ctx)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.request_clear, context=ctx)

        self._update_warnings()
        self._show_history([])
        self._chain_fact_tabs()
        self.restore_draft()

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

    def _setup_print_controls(self) -> None:
        """The setting "print without preview" (a checkbox beside the buttons) and 补打 of the last notice."""
        u = self.ui
        self.print_direct_check = QCheckBox(_("Print without preview"), self)
        self.print_direct_check.setToolTip(_("Ctrl+P prints the visitor copy and the stub on the default printer at "
                                             "once; Ctrl+Shift+P shows the preview first."))
        self.print_direct_check.setChecked(role_default(self.actor, PRINT_WITHOUT_PREVIEW))  # until the choice loads
        self.print_direct_check.toggled.connect(self._set_print_direct)
        prefs, actor = self.services.preferences, self.actor

        def loaded(on: bool) -> None:
            self.print_direct_check.blockSignals(True)
            self.print_direct_check.setChecked(on)
            self.print_direct_check.blockSignals(False)

        QueryOp(self.runner, self, lambda: prefs.get(actor, PRINT_WITHOUT_PREVIEW)).success(loaded).run()
        self.reprint_button = QPushButton(self)
        self.reprint_button.setToolTip(_("Print the last notice again (补打), Ctrl+Shift+R"))
        self.reprint_button.clicked.connect(self.reprint_last)
        self.reprint_button.hide()
        u.buttons_layout.insertWidget(1, self.reprint_button)
        u.buttons_layout.insertWidget(3, self.print_direct_check)
        # the "saved" line gets a row of its own above the buttons (it used to squeeze them, wrapped in four lines)
        u.buttons_layout.removeWidget(u.saved_label)
        u.left_layout.insertWidget(1, u.saved_label)
        u.saved_label.setWordWrap(True)
        # 接待日期 shares the row of 被反映对象 (its hint becomes the tooltip): the questions need the room
        u.received_edit.setToolTip(u.received_hint.text())
        u.received_hint.hide()
        # two lines each for 诉求摘要 and 具体诉求: the questions that change the result need the room
        u.summary_edit.setMaximumHeight(56)
        u.demands_edit.setMaximumHeight(48)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def _focus_in_form(self, w: QWidget) -> None:
        focus_widget(w)
        self.ui.left_scroll.ensureWidgetVisible(w, 20, 40)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Whatever gets the focus in the form is scrolled into view (a question below the fold included)."""
        content = self.ui.left_content
        if new is not None and new is not content and content.isAncestorOf(new):
            self.ui.left_scroll.ensureWidgetVisible(new, 20, 40)

    def _set_print_direct(self, on: bool) -> None:
        actor, prefs = self.actor, self.services.preferences
        CommandOp(self.runner, self, lambda: prefs.set(actor, PRINT_WITHOUT_PREVIEW, on)).failure(
            lambda e: self._show_error("form", error_text(e))).run()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        QTimer.singleShot(0, self.focus_search)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        if self.ui.search_results.isVisible():
            self._place_results()

    def _place_results(self) -> None:
        """The result list floats right under the search box, as wide as it, over the form."""
        lst, edit = self.ui.search_results, self.ui.search_edit
        top_left = edit.mapTo(self, edit.rect().bottomLeft())
        rows = max(1, min(SEARCH_ROWS, lst.count()))
        h = rows * max(lst.sizeHintForRow(0), 20) + 2 * lst.frameWidth() + 4
        lst.setGeometry(top_left.x(), top_left.y() + 2, edit.width(), h)
        lst.raise_()

    def focus_search(self) -> None:
        focus_widget(self.ui.search_edit)
        self.ui.search_edit.selectAll()

    # ------------------------------------------------------------------ search
    def _on_search_edited(self, _text: str) -> None:
        self._clear_saved_note()
        self._search_timer.start()

    def _clear_saved_note(self) -> None:
        if self._saved_note and not self.saving:
            self._saved_note = False
            self.ui.saved_label.setText("")

    def _run_search(self) -> None:
        q = self.ui.search_edit.text().strip()
        self._search_seq += 1
        seq = self._search_seq
        if not q:
            self._set_hits([])
            return
        self.ui.search_status_label.setText(_("Searching…"))
        self._searching = True
        actor, search = self.actor, self.services.search

        def done(hits: list[PersonHit]) -> None:
            if seq != self._search_seq:
                return
            self._searching = False
            self._set_hits(hits)
            if self._pick_when_ready:
                self._pick_when_ready = False
                if hits:
                    self.pick(hits[0])
                else:
                    self._no_hit_go_on(q)

        def failed(exc: BaseException) -> None:
            if seq == self._search_seq:
                self._searching = False
                self._pick_when_ready = False
                self.ui.search_status_label.setText(str(exc))

        QueryOp(self.runner, self, lambda: search.search_people(actor, q)).success(done).failure(failed).run()

    def _set_hits(self, hits: list[PersonHit]) -> None:
        self._hits = hits
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
            self._place_results()
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
        if self._searching:
            self._pick_when_ready = True
            return
        if self._hits:
            row = max(0, self.ui.search_results.currentRow())
            self.pick(self._hits[row])
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
        self._picked = hit
        self._id_match = None
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
        self._show_error("id_number", "")
        self._load_history(hit.id)
        self._schedule_check()
        self._edited()
        focus_widget(u.kind_edit)

    # ------------------------------------------------------------------ history and repeat
    def _person_ids(self) -> list[str]:
        p = self._picked or self._id_match
        return [p.id] if p else []

    def _load_history(self, person_id: str) -> None:
        actor, search = self.actor, self.services.search
        (QueryOp(self.runner, self, lambda: search.person_history(actor, person_id))
         .success(self._show_history).failure(lambda e: self.ui.history_list.addItem(str(e))).run())

    def _show_history(self, matters: list[MatterSummary]) -> None:
        self._history = matters
        if matters:
            self._offer_earlier()
        lst = self.ui.history_list
        lst.clear()
        if not matters:
            item = QListWidgetItem(_("No earlier visits.") if self._person_ids() else _("Pick a visitor to see earlier visits."))
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
        m = next((m for m in self._history if m.visit_id == vid), None)
        if m is not None:
            self._open_visit(m.visit_id, m.query_code)

    def _open_repeat(self, _link: str = "") -> None:
        r = self._repeat
        if r is not None:
            self._open_visit(r.visit_id, r.query_code)

    def _open_visit(self, visit_id: str, query_code: str) -> None:
        """The earlier visit in full (matter, answers, classification, notices, repeats)."""
        dlg = VisitDetailDialog.for_visit_id(visit_id, query_code, self.services, self.actor, self.runner, self)
        self.last_visit_dialog = dlg
        dlg.exec()

    def _matter_changed(self) -> None:
        self._edited()
        self._schedule_check()
        self.channels_panel.update_document(self._document())

    def _document(self) -> dict[str, Any]:
        u = self.ui
        # the channel engine's classification request (statutes.engine.classify_document)
        return {
            "received_on": (self._received_on() or local_today()).isoformat(), "group_size": u.group_size_spin.value(),
            "channel": u.channel_combo.currentData(),
            "matter": {"kind": self.kind_picker.code(), "facts": self.facts_panel.facts()},
        }

    def _propose(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Runs on a worker: the services' proposal (with the office's holiday calendar)."""
        m = doc["matter"]
        return self.services.classification.propose(
            self.actor, dt.date.fromisoformat(doc["received_on"]), int(doc["group_size"]), m["kind"], dict(m["facts"]))

    # ------------------------------------------------------------------ kind-specific questions
    # ------------------------------------------------------------------ Enter on the last field
    def _on_proposal(self, _result: Any) -> None:
        self.facts_panel.set_missing(self.channels_panel.missing_facts())
        if not self.channels_panel.pending:
            waiting, self._after_proposal = self._after_proposal, []
            for fn in waiting:
                fn()

    def _when_proposed(self, fn: Any) -> None:
        """Run `fn` once the live proposal reflects what was typed (at once when it does)."""
        if self.kind_picker.code() and self.channels_panel.pending:
            self._after_proposal.append(fn)
        else:
            fn()

    def unanswered_affecting(self) -> list[str]:
        """The questions marked 【影响结果】 (the proposal lacks their answer) that are still unanswered, in order."""
        missing, answered = self.channels_panel.missing_facts(), self.facts_panel.facts()
        return [q.name for q in self.facts_panel.questions if q.name in missing and q.name not in answered]

    def enter_save(self) -> None:
        """Enter on the last field (and on any question): saves only when no question that affects the channel is
        unanswered; otherwise the focus moves to the first such question. Ctrl+S saves anyway (as 未知)."""
        if self.saving:
            return
        if not self.kind_picker.code():
            self.kind_picker.resolve()
        self._after_proposal = [fn for fn in self._after_proposal if fn != self.enter_save]
        if self.kind_picker.code() and self.channels_panel.pending:
            self._after_proposal.append(self.enter_save)
            return
        todo = self.unanswered_affecting()
        if todo:
            self.ui.saved_label.setText(_("{n} questions that affect the channel are unanswered: answer them, or "
                                          "press Ctrl+S to save them as “unknown”.").format(n=len(todo)))
            self._saved_note = False
            self._focus_in_form(self.facts_panel.fields[todo[0]])
            return
        self.save()

    def _answered(self, name: str) -> None:
        """Y/N answered a yes/no question: on to the next unanswered question that affects the channel (if any)."""
        def go() -> None:
            names = [q.name for q in self.facts_panel.questions]
            todo = self.unanswered_affecting()
            later = [n for n in todo if n in names and names.index(n) > names.index(name)] if name in names else []
            nxt = (later or todo or [None])[0]
            if nxt is not None:
                self._focus_in_form(self.facts_panel.fields[nxt])
        self._when_proposed(go)

    def _on_kind(self, code: str) -> None:
        self.facts_panel.set_kind(code)
        self.ui.facts_box.setVisible(bool(self.facts_panel.questions))
        self._chain_fact_tabs()
        self._matter_changed()
        self._offer_earlier()

    def _offer_earlier(self) -> None:
        """A returning visitor: the answers of their earlier matter (of this kind if any) are offered as defaults,
        marked as from that visit."""
        pids, kind = self._person_ids(), self.kind_picker.code()
        if not pids or not kind or not self.facts_panel.questions or self._restoring:
            return
        self._earlier_seq += 1
        seq = self._earlier_seq
        actor, search = self.actor, self.services.search

        def done(res: Any) -> None:
            if seq == self._earlier_seq and res is not None and self.kind_picker.code() == kind \
                    and self._person_ids() == pids:
                code, _day, facts = res
                self.facts_panel.offer_earlier(code, facts)

        (QueryOp(self.runner, self, lambda: search.earlier_answers(actor, pids, kind)).success(done)
         .failure(lambda e: log.warning("earlier answers: %s", e)).run())

    def _chain_fact_tabs(self) -> None:
        """Tab order = reading order: respondent, received on, the questions, then the buttons."""
        u = self.ui
        chain: list[QWidget] = [u.respondent_edit, u.received_edit, *self.facts_panel.widgets_in_order(),
                                u.save_button, u.save_print_button]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def _received_on(self) -> dt.date | None:
        """The date typed as received (a letter registered later); None: today, or not a usable date yet."""
        try:
            return parse_fact_date(self.ui.received_edit.text())
        except DateProblem:
            return None

    def _on_received_edited(self) -> None:
        if self.ui.received_error.isVisible():
            self._check_received(final=False)
        self._matter_changed()

    def _finish_received(self) -> None:
        day = self._check_received(final=True)
        if day is not None and self.ui.received_edit.text() != day.isoformat():
            self.ui.received_edit.setText(day.isoformat())

    def _check_received(self, final: bool) -> dt.date | None:
        try:
            day = parse_fact_date(self.ui.received_edit.text())
        except DateProblem as e:
            if final:
                self._show_error("received_on", _("Received on") + "：" + str(e))
            return None
        self._show_error("received_on", "")
        return day

    # ------------------------------------------------------------------ override (人工改判)
    def open_override(self) -> None:
        if not self.kind_picker.code():
            self.kind_picker.resolve()
        if not self.kind_picker.code():
            self._show_error("kind", _("Kind of matter") + "：" + _("choose a kind from the list"))
            focus_widget(self.ui.kind_edit)
            return
        reference = self.services.reference
        dlg = OverrideDialog(reference.organs, self.runner, self.channels_panel.last_result, self.override, self)
        self.last_override_dialog = dlg
        dlg.accepted.connect(lambda: self.set_override(dlg.override, dlg.ui.organ_combo.currentText()))
        dlg.open()

    def set_override(self, ov: Override | None, organ_name: str = "") -> None:
        u = self.ui
        self.override = ov
        self._override_organ_name = organ_name if ov else ""
        if ov is not None:
            label = matter_kinds.decision_labels().get(ov.decision, ov.decision)
            u.override_label.setText("✎ " + _("Manual override (人工改判), applied when saved: {decision} — {organ}. Reason: {reason}").format(
                decision=label, organ=organ_name or ov.organ, reason=ov.reason))
        u.override_label.setVisible(ov is not None)
        u.undo_override_button.setVisible(ov is not None)
        self.channels_panel.set_superseded(ov is not None)
        self._edited()

    def clear_override(self) -> None:
        self.set_override(None)

    def _schedule_check(self) -> None:
        self._check_timer.start()

    def _run_repeat_check(self) -> None:
        self._check_seq += 1
        seq = self._check_seq
        pids, kind = self._person_ids(), self.kind_picker.code()
        if not pids or not kind:
            self._set_repeat(None)
            return
        u = self.ui
        respondent = u.respondent_edit.text()
        demands = plain_text(u.demands_edit) or plain_text(u.summary_edit)
        actor, search = self.actor, self.services.search

        def done(r: RepeatInfo | None) -> None:
            if seq == self._check_seq:
                self._set_repeat(r)

        (QueryOp(self.runner, self, lambda: search.check_repeat(actor, pids, kind, respondent, demands))
         .success(done).failure(lambda e: log.warning("repeat check failed: %s", e)).run())

    def _set_repeat(self, r: RepeatInfo | None) -> None:
        self._repeat = r
        if r is not None:
            text = _("Repeat visit: the same matter was registered on {day} ({code}); status: {status}.").format(
                day=r.received_on.isoformat(), code=r.query_code, status=status_label(r.status))
            link = html.escape(_("Open the earlier visit"))
            self.ui.repeat_label.setText(f'⚠ {html.escape(text)} <a href="visit:{r.visit_id}">{link}</a>')
        self._update_warnings()

    def _on_group_size(self, size: int) -> None:
        u = self.ui
        u.reps_box.setVisible(size > 1)
        if is_collective(size):
            u.reps_box.setTitle(_("Representatives"))
            u.reps_hint_label.setText(_("The visitor above counts as the first representative; at most 5 in all."))
        else:
            u.reps_box.setTitle(_("Other visitors"))
            u.reps_hint_label.setText(_("Other people who came with the visitor (optional)."))
        self._update_warnings()
        self._matter_changed()

    def _update_warnings(self) -> None:
        u = self.ui
        u.no_warnings_label.hide()  # an empty 提示 box is not shown at all: the channels get its room
        u.warnings_box.setVisible(self._repeat is not None or is_collective(u.group_size_spin.value()))
        u.repeat_label.setVisible(self._repeat is not None)
        collective = is_collective(u.group_size_spin.value())
        if collective:
            u.collective_label.setText("⚠ " + _("Collective visit ({n} people): at most 5 representatives (信访工作条例 第二十条).")
                                       .format(n=u.group_size_spin.value()))
        u.collective_label.setVisible(collective)

    # ------------------------------------------------------------------ ID number, live
    def _on_id_changed(self, _text: str) -> None:
        self._validate_id(final=False)
        self._edited()

    def _validate_id(self, final: bool) -> None:
        u = self.ui
        if u.id_edit.isReadOnly():
            return
        raw = u.id_edit.text()
        n = len(normalise_id_query(raw))
        self._id_match = None
        if not raw.strip():
            self._show_error("id_number", "")
            u.gender_value.setText("—")
            u.birth_value.setText("—")
            return
        if n < 18 and not (final and n):
            self._show_error("id_number", "")
            u.gender_value.setText("—")
            u.birth_value.setText("—")
            return
        try:
            rid = parse_resident_id(raw, "id_number")
        except ValidationFailed as e:
            self._show_error("id_number", e.problems[0].message())
            u.gender_value.setText("—")
            u.birth_value.setText("—")
            return
        self._show_error("id_number", "")
        u.gender_value.setText(gender_label(rid.gender))
        u.birth_value.setText(rid.birth_date.isoformat())
        self._lookup_id(rid.number)

    def _lookup_id(self, number: str) -> None:
        self._id_seq += 1
        seq = self._id_seq
        actor, search = self.actor, self.services.search

        def done(hits: list[PersonHit]) -> None:
            if seq != self._id_seq or self._picked is not None:
                return
            self._id_match = hits[0] if hits else None
            if self._id_match is not None:
                h = self._id_match
                self.ui.search_status_label.setText(
                    _("This ID number is on record: {name}, {n} earlier visits.").format(name=h.name, n=h.visits))
                self._load_history(h.id)
            else:
                self._show_history([])
            self._schedule_check()

        QueryOp(self.runner, self, lambda: search.search_people(actor, number, limit=1)).success(done).failure(
            lambda e: None).run()

    # ------------------------------------------------------------------ errors
    def _show_error(self, key: str, text: str) -> None:
        label = self._errors[key]
        label.setText(text)
        label.setVisible(bool(text))

    def clear_errors(self) -> None:
        for key in self._errors:
            self._show_error(key, "")

    def error_text(self, key: str) -> str:
        label = self._errors[key]
        return label.text() if label.isVisible() or label.text() else ""

    _FIELD_RE = re.compile(r"^people\[(\d+)\]\.(\w+)$")

    def _error_key(self, p: FieldProblem) -> str:
        f = p.field or ""
        m = self._FIELD_RE.match(f)
        if m:
            return m.group(2) if m.group(1) == "0" and m.group(2) in self._errors else "reps"
        if f.startswith("matter."):
            key = f.split(".", 1)[1]
            return key if key in self._errors else ("kind" if key.startswith("facts") else "form")
        if f in ("people", "group_size", "channel"):
            return "reps" if f == "people" and self.ui.reps_box.isVisible() else ("group_size" if f == "people" else f)
        return "form"

    def show_problems(self, exc: ValidationFailed) -> None:
        grouped: dict[str, list[str]] = {}
        fact_problem = None
        for p in exc.problems:
            f = p.field or ""
            if f.startswith("matter.facts.") and f.split(".", 2)[2] in self.facts_panel.fields:
                name = f.split(".", 2)[2]
                self.facts_panel.show_error(name, p.message())
                fact_problem = fact_problem or name
                continue
            if f == "received_on":
                grouped.setdefault("received_on", []).append(p.message())
                continue
            if f.startswith("override."):
                grouped.setdefault("form", []).append(p.message())
                continue
            key = self._error_key(p)
            if p.field == "matter.kind" and not self.kind_picker.code():
                msg = FieldProblem(p.field, N_("Kind of matter"), N_("choose a kind from the list")).message()
            elif key == "reps" and (m := self._FIELD_RE.match(p.field or "")):
                msg = _("Row {n}: {problem}").format(n=int(m.group(1)) + 1, problem=p.message())
            else:
                msg = p.message()
            grouped.setdefault(key, []).append(msg)
        for key, msgs in grouped.items():
            self._show_error(key, "\n".join(dict.fromkeys(msgs)))
        order = ["name", "id_number", "phone", "group_size", "address", "reps", "channel", "kind", "summary",
                 "demands", "respondent"]
        widgets = {"name": self.ui.name_edit, "id_number": self.ui.id_edit, "phone": self.ui.phone_edit,
                   "group_size": self.ui.group_size_spin, "address": self.ui.address_edit, "reps": self.ui.reps_table,
                   "channel": self.ui.channel_combo, "kind": self.ui.kind_edit, "summary": self.ui.summary_edit,
                   "demands": self.ui.demands_edit, "respondent": self.ui.respondent_edit}
        for key in order:
            if key in grouped:
                focus_widget(widgets[key])
                return
        if "received_on" in grouped:
            focus_widget(self.ui.received_edit)
        elif fact_problem:
            focus_widget(self.facts_panel.fields[fact_problem])

    # ------------------------------------------------------------------ save
    def build_input(self) -> RegistrationInput:
        u = self.ui
        size = u.group_size_spin.value()
        role = "representative" if is_collective(size) else "visitor"
        picked = self._picked
        first = PersonInput(
            name=u.name_edit.text(),
            id_number="" if picked else u.id_edit.text(),
            phone=u.phone_edit.text(), address=u.address_edit.text(),
            person_id=picked.id if picked else None, role=role,
        )
        people = [first]
        if size > 1:
            for name, idn, phone in self._rep_rows():
                people.append(PersonInput(name=name, id_number=idn, phone=phone, role=role))
        matter = MatterInput(kind=self.kind_picker.code() or u.kind_edit.text().strip(),
                             summary=plain_text(u.summary_edit), demands=plain_text(u.demands_edit),
                             respondent=u.respondent_edit.text(), facts=self.facts_panel.facts())
        return RegistrationInput(people=tuple(people), matter=matter, channel=u.channel_combo.currentData(),
                                 group_size=size, received_on=self._received_on(), override=self.override)

    def _rep_rows(self) -> list[tuple[str, str, str]]:
        t = self.ui.reps_table
        rows = []
        for r in range(t.rowCount()):
            cells = [(t.item(r, c).text() if t.item(r, c) else "") for c in range(t.columnCount())]
            if any(c.strip() for c in cells):
                rows.append((cells[0], cells[1], cells[2]))
        return rows

    def save(self) -> None:
        if self.saving:
            return
        if self.ui.kind_edit.hasFocus() or self.kind_picker.code() == "":
            self.kind_picker.resolve()
        self.clear_errors()
        self.facts_panel.clear_errors()
        bad_dates = self.facts_panel.problems()
        received_ok = self._check_received(final=True) is not None or not self.ui.received_edit.text().strip()
        if bad_dates or not received_ok:
            self._print_after_save = False
            self.ui.saved_label.setText("")
            focus_widget(self.ui.received_edit if not received_ok else self.facts_panel.fields[bad_dates[0][0]])
            return
        try:
            inp = self.build_input()
        except Exception as e:  # noqa: BLE001 - never lose the form over a bug here
            show_error(self, e)
            return
        names = {q.name: q for q in self.facts_panel.questions}
        self._unknown_at_save = [question_text(names[n]) for n in self.unanswered_affecting()]
        self.saving = True
        self.ui.save_button.setEnabled(False)
        self.ui.saved_label.setText(_("Saving…"))
        actor, reg = self.actor, self.services.registration
        CommandOp(self.runner, self, lambda: reg.register(actor, inp)).success(self._saved).failure(self._save_failed).run()

    def save_and_print(self, preview: bool | None = None) -> None:
        """保存并打印告知书 (Ctrl+P): save, then print the notice — straight to the default printer when the setting
        "print without preview" is on, else (and always with Ctrl+Shift+P) into the preview."""
        if self.saving:
            return
        self._preview = (not self.print_direct_check.isChecked()) if preview is None else preview
        self._print_after_save = True
        self.save()
        if not self.saving:  # refused before reaching the service
            self._print_after_save = False

    def save_and_preview(self) -> None:
        """Ctrl+Shift+P: save, print the notice and show the preview whatever the setting."""
        self.save_and_print(preview=True)

    def reprint_last(self) -> None:
        """补打 of the last notice printed here (same way as the setting says)."""
        if self._reprint_visit is not None:
            self._preview = not self.print_direct_check.isChecked()
            self.print_notice(self._reprint_visit)

    def _saved(self, result: RegistrationResult) -> None:
        self.saving = False
        self.ui.save_button.setEnabled(True)
        self.last_result = result
        self.draft.delete()
        overridden = self.override is not None
        self.clear_form()
        msg = _("Saved: query code {code}.").format(code=result.query_code)
        if overridden:
            msg += " " + _("Saved with the manual override.")
        if result.repeat_of is not None:
            msg += " " + _("Repeat visit of {code}.").format(code=result.repeat_of.query_code)
        for w in result.warnings:
            if result.repeat_of is None or not w.startswith(_("Repeat visit")):
                msg += " " + w
        if self._unknown_at_save:
            msg += " " + _("Recorded as “unknown”: {questions}").format(questions="；".join(self._unknown_at_save))
        self.ui.saved_label.setText(msg)
        self._saved_note = True
        self.sig_saved.emit(result)
        self.focus_search()
        if self._print_after_save:
            self._print_after_save = False
            self.print_notice(result.visit_id)

    def print_notice(self, visit_id: str) -> None:
        """Print the notice of a saved visit (on the writer thread) and open the preview."""
        actor, notices = self.actor, self.services.notices
        base = self.ui.saved_label.text()
        self.ui.saved_label.setText(base + " " + _("Printing the notice…"))

        def done(notice: Any) -> None:
            self.last_notice = notice
            self._reprint_visit = visit_id
            self.reprint_button.setText(_("Reprint {code}").format(code=notice.query_code))
            self.reprint_button.show()
            if self._preview:
                self.ui.saved_label.setText(base)
                self.last_preview = NoticePreviewDialog(notice, self.runner, self)
                self.last_preview.open()
                return
            self.ui.saved_label.setText(base + " " + _("Sending the notice to the printer…"))

            def printed(pages: int) -> None:
                self.last_printed_pages = pages
                self._printer = None
                self.ui.saved_label.setText(base + " " + _("Notice {number} printed ({n} pages: visitor copy and stub); "
                                                           "Ctrl+Shift+R reprints.").format(
                    number=notice.document_number, n=pages))
                self._saved_note = True

            def print_failed(exc: BaseException) -> None:
                self._printer = None
                self.ui.saved_label.setText(base)
                self._show_error("form", _("The notice could not be printed: {error}").format(error=error_text(exc)))

            self._printer = direct_print.print_now(self.runner, self, notice, printed, print_failed)

        def failed(exc: BaseException) -> None:
            self.ui.saved_label.setText(base)
            self._show_error("form", _("The notice could not be printed: {error}").format(error=error_text(exc)))

        CommandOp(self.runner, self, lambda: notices.print_notice(actor, visit_id, "both")).success(done).failure(failed).run()

    def _save_failed(self, exc: BaseException) -> None:
        self.saving = False
        self._print_after_save = False
        self.ui.save_button.setEnabled(True)
        self.ui.saved_label.setText("")
        if isinstance(exc, ValidationFailed):
            self.show_problems(exc)
        else:
            self._show_error("form", error_text(exc))
            if not isinstance(exc, DomainError):
                log.error("save failed", exc_info=exc)

    # ------------------------------------------------------------------ clear
    def has_input(self) -> bool:
        s = self.form_state()
        s.pop("channel", None)
        s.pop("group_size", None)
        return any(v for v in s.values() if not isinstance(v, list)) or any(any(r) for r in s.get("reps", []))

    def request_clear(self) -> None:
        if self.has_input() and not ask_yes_no(self, _("Clear the form"), _("Clear everything typed for this visit?")):
            return
        self.clear_form()
        self.draft.delete()
        self.focus_search()

    def clear_form(self) -> None:
        u = self.ui
        self._restoring = True
        try:
            self._picked = None
            self._id_match = None
            self._hits = []
            for e in (u.search_edit, u.name_edit, u.id_edit, u.phone_edit, u.address_edit, u.respondent_edit):
                e.clear()
            u.id_edit.setReadOnly(False)
            u.id_edit.setPlaceholderText(_("18 digits; the last may be X"))
            u.phone_edit.setPlaceholderText(_("mobile or landline with area code"))
            u.search_results.clear()
            u.search_results.hide()
            u.search_status_label.setText("")
            u.summary_edit.clear()
            u.demands_edit.clear()
            self.kind_picker.set_code("")
            u.channel_combo.setCurrentIndex(0)
            u.group_size_spin.setValue(1)
            for r in range(u.reps_table.rowCount()):
                for c in range(u.reps_table.columnCount()):
                    u.reps_table.item(r, c).setText("")
            u.gender_value.setText("—")
            u.birth_value.setText("—")
            self.clear_errors()
            self._set_repeat(None)
            self._show_history([])
            u.received_edit.clear()
            self.facts_panel.reset()
            u.facts_box.hide()
            self.set_override(None)
        finally:
            self._restoring = False
        self._draft_timer.stop()

    # ------------------------------------------------------------------ draft
    def _edited(self, *_args: Any) -> None:
        if not self._restoring:
            self._clear_saved_note()
            self._draft_timer.start()

    def form_state(self) -> dict[str, Any]:
        u = self.ui
        p = self._picked
        return {
            "search": u.search_edit.text(),
            "name": u.name_edit.text(), "id_number": "" if p else u.id_edit.text(),
            "phone": u.phone_edit.text(), "address": u.address_edit.text(),
            "group_size": u.group_size_spin.value(),
            "reps": [list(r) for r in self._rep_rows()],
            "channel": u.channel_combo.currentData(),
            "kind": self.kind_picker.code(), "kind_text": u.kind_edit.text(),
            "summary": plain_text(u.summary_edit), "demands": plain_text(u.demands_edit),
            "respondent": u.respondent_edit.text(),
            "received_on": u.received_edit.text(),
            "facts": self.facts_panel.raw_answers(),
            "override": None if self.override is None else {
                "decision": self.override.decision, "organ": self.override.organ, "reason": self.override.reason,
                "organ_name": self._override_organ_name},
            "picked": None if p is None else {
                "id": p.id, "name": p.name, "id_masked": p.id_masked, "phone_masked": p.phone_masked,
                "gender": p.gender, "birth_date": p.birth_date.isoformat() if p.birth_date else None,
                "address": p.address, "visits": p.visits,
            },
        }

    def write_draft(self) -> None:
        try:
            if self.has_input():
                self.draft.save(self.form_state())
            else:
                self.draft.delete()
        except OSError as e:
            log.warning("could not write the draft: %s", e)

    def restore_draft(self) -> bool:
        s = self.draft.load()
        if not s:
            return False
        u = self.ui
        self._restoring = True
        try:
            u.search_edit.setText(str(s.get("search") or ""))
            u.group_size_spin.setValue(int(s.get("group_size") or 1))
            picked = s.get("picked")
            u.name_edit.setText(str(s.get("name") or ""))
            u.id_edit.setText(str(s.get("id_number") or ""))
            if isinstance(picked, dict) and picked.get("id"):
                bd = picked.get("birth_date")
                self._picked = PersonHit(
                    id=picked["id"], name=picked.get("name", ""), id_masked=picked.get("id_masked", ""),
                    phone_masked=picked.get("phone_masked", ""), gender=picked.get("gender"),
                    birth_date=dt.date.fromisoformat(bd) if bd else None, address=picked.get("address", ""),
                    visits=int(picked.get("visits") or 0), last_visit_on=None,
                )
                u.id_edit.setPlaceholderText(self._picked.id_masked)
                u.id_edit.setReadOnly(True)
                u.phone_edit.setPlaceholderText(self._picked.phone_masked)
                u.gender_value.setText(gender_label(self._picked.gender))
                u.birth_value.setText(bd or "—")
                self._load_history(self._picked.id)
            u.phone_edit.setText(str(s.get("phone") or ""))
            u.address_edit.setText(str(s.get("address") or ""))
            for r, row in enumerate((s.get("reps") or [])[:REP_ROWS]):
                for c, val in enumerate(list(row)[:3]):
                    u.reps_table.item(r, c).setText(str(val))
            i = u.channel_combo.findData(s.get("channel"))
            u.channel_combo.setCurrentIndex(max(0, i))
            if s.get("kind"):
                self.kind_picker.set_code(str(s["kind"]))
            else:
                u.kind_edit.setText(str(s.get("kind_text") or ""))
            u.summary_edit.setPlainText(str(s.get("summary") or ""))
            u.demands_edit.setPlainText(str(s.get("demands") or ""))
            u.respondent_edit.setText(str(s.get("respondent") or ""))
            u.received_edit.setText(str(s.get("received_on") or ""))
            if isinstance(s.get("facts"), dict):
                self.facts_panel.set_answers(s["facts"])
            ov = s.get("override")
            if isinstance(ov, dict) and ov.get("decision"):
                self.set_override(Override(str(ov["decision"]), str(ov.get("organ") or ""), str(ov.get("reason") or "")),
                                  str(ov.get("organ_name") or ""))
        finally:
            self._restoring = False
        self._draft_timer.stop()
        self.ui.saved_label.setText(_("The unsaved draft was restored."))
        self._schedule_check()
        return True
