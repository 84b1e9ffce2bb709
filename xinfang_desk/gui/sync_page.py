"""同步: the sync state of this window, the conflicts and the rejected (quarantined) changes at the centre.

Shown to supervisors and administrators (clerks see the status bar line only). A supervisor resolves a conflict
from the keyboard: ↑/↓ in the list, Tab to the differences (F2 edits the merged value), Alt+C keeps the centre's
version, Alt+W takes the window's, Alt+M saves the merged record; F5 syncs now. An open sync issue of this window is
acknowledged with Alt+A (a note on what was done is required). `services.sync` checks the permission ("resolve sync
conflicts"), `sync.central.ConflictService` again, and the centre checks the window's role (`xinfang_supervisor`).
Everything that talks to the centre or the database runs on a worker (QueryOp) through `services.sync`
(SyncService); the page only shows its DTOs and chooses the words for its codes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from xinfang_desk.domain.phone import mask_phone
from xinfang_desk.domain.resident_id import mask_id
from xinfang_desk.gui.dialogs import ask_yes_no
from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.formatting import sync_op_label, sync_reason_label
from xinfang_desk.gui.forms.ui_sync_page import Ui_SyncPage
from xinfang_desk.gui.screen import ScreenFitted
from xinfang_desk.gui.sync_status import SyncController, SyncView, status_text
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import LOCAL_TZ, Actor
from xinfang_desk.services.sync import (
    CENTRAL_NOT_CONFIGURED,
    CENTRAL_NOT_PERMITTED,
    CENTRAL_UNREACHABLE,
    RESOLVE_REFUSED,
    RESOLVE_UNREACHABLE,
    ResolveResult,
    SyncIssueDTO,
    SyncPageData,
)

RESOLVE = N_("resolve sync conflicts")
UNMASKED = N_("view unmasked ID numbers and phones")
ENTITY_LABELS = {"people": N_("Visitor"), "users": N_("User"), "visits": N_("Visit"), "matters": N_("Matter"),
                 "visit_people": N_("Visitor of a visit"), "classifications": N_("Classification"),
                 "notices": N_("Notice"), "audit_events": N_("Audit record"), "organs": N_("Organ"),
                 "calendar_years": N_("Holiday calendar"), "windows": N_("Window"), "settings": N_("Setting"),
                 "matter_status_events": N_("Matter progress"), "outbox": N_("Outgoing change")}
ENTITY_LABELS.update({"session_bookings": N_("Session booking"), "reception_sessions": N_("Reception session"),
                      "session_staff": N_("Session staffing"), "staff_people": N_("Session staff member"),
                      "session_plans": N_("Session plan"), "legal_advice": N_("Legal advice"),
                      "progress_events": N_("Matter progress"), "staff_conflicts": N_("Declared conflict of interest"),
                      "staff_unavailability": N_("Leave or unavailability")})
FIELD_LABELS = {"name": N_("Name"), "phone": N_("Phone"), "id_number": N_("ID number"), "address": N_("Address")}
ISSUE_KINDS = {"quarantined": N_("rejected by the centre"), "conflict": N_("conflict"),
               "apply_failed": N_("could not be applied here")}
T_RECEIVED = N_("Received at the centre")
ISSUES_PAGE = 50  # open issues shown per page (a window may have hundreds after a bad day)
T_PAGE = N_("Page {page} of {pages}")
T_ACK_MANY_PROMPT = N_("{n} sync issues, from {first} to {last}.\n\nWhat was done about them? (required, one note "
                       "for all)")
T_ACK_MANY_DONE = N_("{n} sync issues marked as dealt with.")
T_ACK_TITLE = N_("Mark the sync issue as dealt with")
T_ACK_PROMPT = N_("{kind} · {record}\n{reason}\n\nWhat was done about it? (required)")
T_ACK_DONE = N_("Sync issue marked as dealt with.")
T_ACK_ONLY_SUPERVISOR = N_("Only a supervisor may mark sync issues as dealt with.")
NOTE_MAX = 2000
CHOICE_LABELS = {"central": N_("keep the centre's version"), "window": N_("take the window's version"),
                 "merged": N_("save the merged record")}


def central_error_text(code: str | None, detail: str = "") -> str | None:
    """Why the centre's lists are missing, in words."""
    if code == CENTRAL_NOT_CONFIGURED:
        return _("No central database configured")
    if code == CENTRAL_NOT_PERMITTED:
        return _("This window's central account may not list conflicts and rejected changes; the centre grants "
                 "that to supervisors' windows.")
    if code == CENTRAL_UNREACHABLE:
        return _("The centre is unreachable: {error}").format(error=detail)
    return None


def _local(t: dt.datetime | None) -> str:
    return t.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if t else "—"


def display_value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


def parse_value(text: str, central: Any, window: Any) -> Any:
    """The merged cell back into a value of the record's type."""
    for v in (central, window):
        if text == display_value(v):
            return v
    if text.strip() in ("", "—") and (central is None or window is None):
        return None
    if isinstance(central, str) or isinstance(window, str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def ask_note(parent: QWidget | None, title: str, text: str, on_note: Any) -> QDialog:
    """Open (window-modal, not blocking) a dialog asking for a required note; `on_note(note)` when accepted."""
    dlg = NoteDialog(title, text, parent)
    dlg.accepted.connect(lambda: on_note(dlg.note()))
    dlg.open()
    return dlg


class NoteDialog(ScreenFitted, QDialog):
    """A short required note: OK (Enter) only once something is typed; Esc cancels."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("sync_note_dialog")
        layout = QVBoxLayout(self)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("note_edit")
        self.edit.setMaxLength(NOTE_MAX)
        self.edit.setPlaceholderText(_("e.g. resolved at the centre; registered again"))
        self.label.setBuddy(self.edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Mark as dealt with"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.ok_button.setEnabled(False)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(lambda t: self.ok_button.setEnabled(bool(t.strip())))
        layout.addWidget(self.label)
        layout.addWidget(self.edit)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())
        self.edit.setFocus()

    def note(self) -> str:
        return self.edit.text().strip()

    def accept(self) -> None:
        if self.note():  # Enter in an empty field does nothing
            super().accept()


def _item(text: str, data: Any = None) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if data is not None:
        it.setData(Qt.ItemDataRole.UserRole, data)
    return it


def _fill(table: QTableWidget, headers: list[str], rows: list[list[str]]) -> None:
    table.clearContents()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, _item(text))


class SyncPage(QWidget):
    sig_loaded = Signal()
    sig_resolved = Signal(int)
    sig_acknowledged = Signal(str)

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, parent: QWidget | None = None,
                 controller: SyncController | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_SyncPage()
        self.ui.setupUi(self)
        self.services, self.actor, self.runner = services, actor, runner
        self.controller: SyncController | None = None
        self.data: SyncPageData | None = None
        self.loading = False
        self._reload_again = False
        u = self.ui
        for t in (u.conflicts_table, u.quarantine_table, u.issues_table, u.diff_table):
            t.verticalHeader().hide()
            t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            t.horizontalHeader().setStretchLastSection(True)
        may = actor.may(RESOLVE)
        for b in (u.keep_central_button, u.take_window_button, u.merged_button):
            b.setEnabled(False)
            if not may:
                b.setToolTip(_("Only a supervisor may resolve conflicts."))
        u.keep_central_button.clicked.connect(lambda: self.resolve("central"))
        u.take_window_button.clicked.connect(lambda: self.resolve("window"))
        u.merged_button.clicked.connect(lambda: self.resolve("merged"))
        u.sync_now_button.clicked.connect(self.sync_now)
        u.conflicts_table.currentCellChanged.connect(lambda *_a: self._show_conflict())
        u.acknowledge_button.clicked.connect(self.acknowledge)
        u.acknowledge_button.setEnabled(False)
        if not may:
            u.acknowledge_button.setToolTip(_(T_ACK_ONLY_SUPERVISOR))
        u.issues_table.currentCellChanged.connect(lambda *_a: self._update_acknowledge())
        # paging and bulk acknowledgement: Shift+↓ / Ctrl+A select several, PgUp/PgDn (Alt+PgUp/PgDn) turn pages
        from PySide6.QtWidgets import QAbstractItemView, QLabel, QPushButton

        u.issues_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        u.issues_table.setMinimumHeight(u.issues_table.verticalHeader().defaultSectionSize() * 6)
        self.issue_page = 0
        self.prev_page_button = QPushButton(_("Previous page"), self)
        self.next_page_button = QPushButton(_("Next page"), self)
        self.page_label = QLabel(self)
        self.prev_page_button.clicked.connect(lambda: self.turn_issue_page(-1))
        self.next_page_button.clicked.connect(lambda: self.turn_issue_page(1))
        lay = u.issue_actions_layout
        for wdg in (self.prev_page_button, self.page_label, self.next_page_button):
            lay.addWidget(wdg)
        QShortcut(QKeySequence("Alt+PgDown"), self, lambda: self.turn_issue_page(1))
        QShortcut(QKeySequence("Alt+PgUp"), self, lambda: self.turn_issue_page(-1))
        self.note_dialog: QDialog | None = None
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for seq, fn in (("F5", self.sync_now), ("Alt+C", lambda: self.resolve("central")),
                        ("Alt+W", lambda: self.resolve("window")), ("Alt+M", lambda: self.resolve("merged")),
                        ("Alt+A", self.acknowledge)):
            sc = QShortcut(QKeySequence(seq), self)
            sc.setContext(ctx)
            sc.activated.connect(fn)
        u.notice_label.hide()
        self.set_controller(controller)

    # -- wiring -----------------------------------------------------------------------------------------
    def set_controller(self, controller: SyncController | None) -> None:
        self.controller = controller
        if controller is not None:
            controller.sig_status.connect(self._show_status)
            controller.sig_report.connect(lambda _r: self.reload())
            self._show_status(controller.view)
        else:
            self._show_status(SyncView(configured=False))

    def focus_main(self) -> None:
        t = self.ui.conflicts_table
        t.setFocus()
        if t.rowCount() and t.currentRow() < 0:
            t.setCurrentCell(0, 0)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        self.reload()

    # -- status -----------------------------------------------------------------------------------------
    def _show_status(self, view: SyncView) -> None:
        text, colour, tip = status_text(view)
        lines = [text] + ([tip] if tip else [])
        self.ui.status_label.setText("\n".join(lines))
        self.ui.status_label.setStyleSheet(f"color: {colour};")
        self.ui.sync_now_button.setEnabled(bool(view.configured))

    def _notice(self, text: str | None) -> None:
        self.ui.notice_label.setText(text or "")
        self.ui.notice_label.setVisible(bool(text))

    # -- actions ----------------------------------------------------------------------------------------
    def sync_now(self) -> None:
        if self.controller is None or not self.controller.configured:
            self._notice(_("No central database configured"))
            return
        self.controller.sync_now()
        self._notice(_("Syncing now…"))

    def reload(self) -> None:
        """Load the page's data on the worker. A reload asked for while one runs is not dropped: it runs once the
        running one is done (its data may predate the change that asked, e.g. an acknowledgement)."""
        if not self.isVisible():
            return
        if self.loading:
            self._reload_again = True
            return
        self.loading = True
        self._reload_again = False
        svc, actor = self.services.sync, self.actor
        url = self.controller.url if self.controller is not None else None
        (QueryOp(self.runner, self, lambda: svc.page(actor, url))
         .success(self._loaded).failure(self._load_failed).run())

    def _load_failed(self, exc: BaseException) -> None:
        self.loading = False
        self._notice(error_text(exc))
        self._reload_if_asked()

    def _reload_if_asked(self) -> None:
        if self._reload_again:
            self.reload()

    def _loaded(self, data: SyncPageData) -> None:
        self.loading = False
        self.data = data
        u = self.ui
        keep = self.current_conflict()
        keep_issue = self.current_issue()
        _fill(u.conflicts_table, [_("No."), _("Record"), _("Window"), _("Versions"), _("Fields that differ"),
                                  _("Detected")],
              [[str(c.id), self.record_label(c.entity, c.entity_id), c.window_code,
                f"{c.base_version} → {c.central_version}", "、".join(self._field(k) for k in c.differences()),
                _local(c.created_at)] for c in data.conflicts])
        for r, c in enumerate(data.conflicts):
            u.conflicts_table.item(r, 0).setData(Qt.ItemDataRole.UserRole, c.id)
        _fill(u.quarantine_table, [_("No."), _("Window"), _("Record"), _("Operation"), _("Reason"), _(T_RECEIVED)],
              [[str(q.id), q.window_code, self.record_label(q.entity or "", q.entity_id or ""), sync_op_label(q.op),
                sync_reason_label(q.reason), _local(q.received_at)] for q in data.quarantine])
        self._fill_issues(keep_issue)
        u.conflicts_group.setTitle(_("Conflicts: two windows edited the same record ({n})").format(n=len(data.conflicts)))
        u.quarantine_group.setTitle(_("Rejected changes (quarantine) ({n})").format(n=len(data.quarantine)))
        u.issues_group.setTitle(_("Open sync issues of this window ({n})").format(n=len(data.issues)))
        if self.ui.notice_label.text() == _("Syncing now…"):
            self._notice(None)
        if data.central_error:
            self._notice(central_error_text(data.central_error, data.central_error_detail))
        row = next((r for r, c in enumerate(data.conflicts) if keep is not None and c.id == keep.id), 0)
        if data.conflicts:
            u.conflicts_table.setCurrentCell(row, 0)
        self._show_conflict()
        self.sig_loaded.emit()
        self._reload_if_asked()

    def record_label(self, entity: str, entity_id: str) -> str:
        """"来访人 王𠮷䶮": the record's kind and its name as stored here; the short id when the row is not local."""
        label = _(ENTITY_LABELS.get(entity, N_("Record")))
        if not entity_id:
            return label
        name = self.data.names.get((entity, entity_id)) if self.data is not None else None
        return f"{label} {name}" if name else f"{label} {entity_id[:8]}…"

    def page_issues(self) -> tuple[SyncIssueDTO, ...]:
        issues = self.data.issues if self.data is not None else ()
        return issues[self.issue_page * ISSUES_PAGE:(self.issue_page + 1) * ISSUES_PAGE]

    def issue_pages(self) -> int:
        n = len(self.data.issues) if self.data is not None else 0
        return max(1, (n + ISSUES_PAGE - 1) // ISSUES_PAGE)

    def turn_issue_page(self, step: int) -> None:
        page = max(0, min(self.issue_pages() - 1, self.issue_page + step))
        if page != self.issue_page:
            self.issue_page = page
            self._fill_issues(None)

    def _fill_issues(self, keep: SyncIssueDTO | None) -> None:
        u = self.ui
        self.issue_page = min(self.issue_page, self.issue_pages() - 1)
        shown = self.page_issues()
        _fill(u.issues_table, [_("Kind"), _("Record"), _("Reason"), _("Since")],
              [[_(ISSUE_KINDS.get(i.kind, i.kind)), self.record_label(i.entity, i.entity_id),
                sync_reason_label(i.reason), _local(i.created_at)] for i in shown])
        irow = next((r for r, i in enumerate(shown) if keep is not None and i.id == keep.id), 0)
        if shown:
            u.issues_table.setCurrentCell(irow, 0)
        pages = self.issue_pages()
        self.page_label.setText(_(T_PAGE).format(page=self.issue_page + 1, pages=pages))
        for wdg in (self.prev_page_button, self.page_label, self.next_page_button):
            wdg.setVisible(pages > 1)
        self.prev_page_button.setEnabled(self.issue_page > 0)
        self.next_page_button.setEnabled(self.issue_page < pages - 1)
        self._update_acknowledge()

    def current_issue(self) -> SyncIssueDTO | None:
        if self.data is None:
            return None
        row = self.ui.issues_table.currentRow()
        shown = self.page_issues()
        return shown[row] if 0 <= row < len(shown) else None

    def selected_issues(self) -> list[SyncIssueDTO]:
        """The issues selected on this page (Shift+↓, Ctrl+A), else the current one."""
        shown = self.page_issues()
        rows = sorted({i.row() for i in self.ui.issues_table.selectionModel().selectedRows()})
        picked = [shown[r] for r in rows if 0 <= r < len(shown)]
        cur = self.current_issue()
        return picked or ([cur] if cur is not None else [])

    def _update_acknowledge(self) -> None:
        self.ui.acknowledge_button.setEnabled(self.actor.may(RESOLVE) and self.current_issue() is not None)

    def current_conflict(self) -> Any:
        if self.data is None:
            return None
        row = self.ui.conflicts_table.currentRow()
        return self.data.conflicts[row] if 0 <= row < len(self.data.conflicts) else None

    def _field(self, key: str) -> str:
        return _(FIELD_LABELS[key]) if key in FIELD_LABELS else key

    def _shown(self, key: str, v: Any) -> str:
        if isinstance(v, str) and not self.actor.may(UNMASKED):
            if key == "phone":
                return mask_phone(v)
            if key == "id_number":
                return mask_id(v)
        return display_value(v)

    def _show_conflict(self) -> None:
        c = self.current_conflict()
        t = self.ui.diff_table
        diffs = c.differences() if c is not None else {}
        t.clearContents()
        t.setColumnCount(4)
        t.setHorizontalHeaderLabels([_("Field"), _("Centre"), _("Window"), _("Merged")])
        t.setRowCount(len(diffs))
        for r, (key, (cv, wv)) in enumerate(diffs.items()):
            t.setItem(r, 0, _item(self._field(key), key))
            t.setItem(r, 1, _item(self._shown(key, cv)))
            t.setItem(r, 2, _item(self._shown(key, wv)))
            merged = QTableWidgetItem(display_value(wv))
            merged.setToolTip(_("F2 or type to edit the merged value"))
            t.setItem(r, 3, merged)
        if diffs:
            t.setCurrentCell(0, 3)
        may = self.actor.may(RESOLVE)
        for b in (self.ui.keep_central_button, self.ui.take_window_button, self.ui.merged_button):
            b.setEnabled(may and c is not None)

    def merged_record(self) -> dict[str, Any] | None:
        """The centre's record with the merged column's values."""
        c = self.current_conflict()
        if c is None:
            return None
        row = dict(c.central or c.proposed)
        diffs = c.differences()
        t = self.ui.diff_table
        for r in range(t.rowCount()):
            key = t.item(r, 0).data(Qt.ItemDataRole.UserRole)
            cv, wv = diffs[key]
            row[key] = parse_value(t.item(r, 3).text(), cv, wv)
        return row

    def resolve(self, choice: str) -> None:
        """Resolve the current conflict; the service refuses when the actor may not (and says so here)."""
        c = self.current_conflict()
        if c is None:
            return
        url = self.controller.url if self.controller is not None else None
        if not url:
            self._notice(_("No central database configured"))
            return
        merged = self.merged_record() if choice == "merged" else None
        if not ask_yes_no(self, _("Resolve conflict"), _("Resolve conflict {id} ({record}): {choice}?").format(
                id=c.id, record=self.record_label(c.entity, c.entity_id),
                choice=_(CHOICE_LABELS[choice]))):
            return
        svc, actor, cid = self.services.sync, self.actor, c.id
        (QueryOp(self.runner, self, lambda: svc.resolve_conflict(actor, url, cid, choice, merged))
         .success(self._resolved).failure(lambda exc: self._notice(error_text(exc))).run())

    def _resolved(self, result: ResolveResult) -> None:
        if result.outcome == RESOLVE_REFUSED:
            self._notice(_("The centre refused: this window's central account may not resolve conflicts."))
            return
        if result.outcome == RESOLVE_UNREACHABLE:
            self._notice(_("The centre is unreachable: {error}").format(error=result.detail))
            return
        cid = result.conflict_id
        self._notice(_("Conflict {id} resolved; every window gets the decision with its next sync.").format(id=cid))
        self.sig_resolved.emit(cid)
        if self.controller is not None:
            self.controller.sync_now()
        self.reload()

    # -- this window's open sync issues -------------------------------------------------------------------
    def acknowledge(self) -> None:
        """Alt+A: mark the selected open sync issue as dealt with, with a required note (on the writer thread)."""
        picked = self.selected_issues()
        if not picked:
            return
        if not self.actor.may(RESOLVE):
            self._notice(_(T_ACK_ONLY_SUPERVISOR))
            return
        if len(picked) > 1:
            text = _(T_ACK_MANY_PROMPT).format(n=len(picked), first=_local(picked[0].created_at),
                                               last=_local(picked[-1].created_at))
            ids = [i.id for i in picked]
            self.note_dialog = ask_note(self, _(T_ACK_TITLE), text, lambda note: self._acknowledge_many(ids, note))
            return
        issue = picked[0]
        text = _(T_ACK_PROMPT).format(kind=_(ISSUE_KINDS.get(issue.kind, issue.kind)),
                                      record=self.record_label(issue.entity, issue.entity_id),
                                      reason=sync_reason_label(issue.reason))
        self.note_dialog = ask_note(self, _(T_ACK_TITLE), text, lambda note: self._acknowledge(issue.id, note))

    def _acknowledge(self, issue_id: str, note: str) -> None:
        svc, actor = self.services.sync, self.actor
        CommandOp(self.runner, self, lambda: svc.acknowledge_issue(actor, issue_id, note).id).success(self._acknowledged).failure(
            lambda exc: self._notice(error_text(exc))).run()

    def _acknowledge_many(self, ids: list[str], note: str) -> None:
        svc, actor = self.services.sync, self.actor

        def work() -> int:
            return svc.acknowledge_issues(actor, ids, note)

        def done(n: int) -> None:
            self._notice(_(T_ACK_MANY_DONE).format(n=n))
            for i in ids:
                self.sig_acknowledged.emit(i)
            if self.controller is not None:
                self.controller.refresh_status()
            self.reload()

        CommandOp(self.runner, self, work).success(done).failure(lambda exc: self._notice(error_text(exc))).run()

    def _acknowledged(self, issue_id: str) -> None:
        self._notice(_(T_ACK_DONE))
        self.sig_acknowledged.emit(issue_id)
        if self.controller is not None:
            self.controller.refresh_status()
        self.reload()
