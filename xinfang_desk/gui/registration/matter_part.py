"""What the visit is about: channel, kind, summary, demands, respondent and the date received; the warnings
(a repeat of an earlier matter, a collective visit) and the manual override (人工改判) of the proposal.

Owns these widgets, the repeat check, the override, their error lines and the matter's piece of the draft.
What it needs of the others comes from the page: the person's ids (for the repeat check), the group size
(for the collective warning) and the last proposal (for the override dialog).
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain.errors import FieldProblem
from xinfang_desk.domain.visit_rules import is_collective
from xinfang_desk.gui.facts_panel import DateProblem, parse_fact_date
from xinfang_desk.gui.formatting import status_label
from xinfang_desk.gui.forms.ui_registration_page import Ui_RegistrationPage
from xinfang_desk.gui.kind_picker import KindPicker
from xinfang_desk.gui.override_dialog import OverrideDialog
from xinfang_desk.gui.registration.common import ErrorLines, focus_widget, plain_text
from xinfang_desk.gui.tasks import QueryOp, StreamKey, TaskRunner
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.classification import Override
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor
from xinfang_desk.services.dto import MatterInput, RepeatInfo

log = logging.getLogger(__name__)

CHECK_DELAY_MS = 400
DRAFT_KEYS = ("channel", "kind", "kind_text", "summary", "demands", "respondent", "received_on", "override")
FOCUS_ORDER = ("channel", "kind", "summary", "demands", "respondent")


class MatterPart(QObject):
    sig_changed = Signal()  # the matter changed: the draft, the repeat check and the proposal follow
    sig_edited = Signal()  # typed, for the draft only (the kind's text before a kind is chosen)
    sig_kind = Signal(str)  # the kind chosen (its code; "" for none)
    sig_override = Signal(bool)  # an override is set (True) or undone (False)

    def __init__(self, page: QWidget, ui: Ui_RegistrationPage, services: Services, actor: Actor, runner: TaskRunner,
                 person_ids: Callable[[], list[str]], last_proposal: Callable[[], dict[str, Any] | None],
                 open_visit: Callable[[str, str], None]) -> None:
        super().__init__(page)
        self.page = page
        self.ui = ui
        self.services = services
        self.actor = actor
        self.runner = runner
        self._person_ids = person_ids
        self._last_proposal = last_proposal
        self._open_visit = open_visit
        self.group_size = ui.group_size_spin.value()
        self.repeat: RepeatInfo | None = None
        self.override: Override | None = None  # 人工改判, applied when the visit is saved
        self.override_organ_name = ""
        self.last_override_dialog: OverrideDialog | None = None
        self._repeat_key = StreamKey("repeat check")
        self.errors = ErrorLines({
            "channel": ui.channel_error, "kind": ui.kind_error, "summary": ui.summary_error,
            "demands": ui.demands_error, "respondent": ui.respondent_error, "received_on": ui.received_error,
        })
        u = ui
        for code in matter_kinds.CHANNELS:
            u.channel_combo.addItem(matter_kinds.channel_label(code), code)
        self.kind_picker = KindPicker(u.kind_edit)
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._run_repeat_check)
        self.kind_picker.sig_kind_changed.connect(self.sig_kind)
        u.kind_edit.textChanged.connect(lambda _t: self.sig_edited.emit())
        u.received_edit.textChanged.connect(lambda _t: self._on_received_edited())
        u.received_edit.editingFinished.connect(self._finish_received)
        u.channel_combo.currentIndexChanged.connect(lambda _i: self.sig_changed.emit())
        u.respondent_edit.textChanged.connect(lambda _t: self.sig_changed.emit())
        u.demands_edit.textChanged.connect(self.sig_changed)
        u.summary_edit.textChanged.connect(self.sig_changed)
        u.override_button.clicked.connect(self.open_override)
        u.undo_override_button.clicked.connect(self.clear_override)
        u.repeat_label.linkActivated.connect(self._open_repeat)
        # 接待日期 shares the row of 被反映对象 (its hint becomes the tooltip): the questions need the room
        u.received_edit.setToolTip(u.received_hint.text())
        u.received_hint.hide()
        # two lines each for 诉求摘要 and 具体诉求: the questions that change the result need the room
        u.summary_edit.setMaximumHeight(56)
        u.demands_edit.setMaximumHeight(48)
        self.update_warnings()

    # ------------------------------------------------------------------ values
    def kind(self) -> str:
        return self.kind_picker.code()

    def resolve_kind(self) -> str:
        """The kind chosen; what was typed is looked up first when nothing is chosen yet (or typing goes on)."""
        if self.ui.kind_edit.hasFocus() or self.kind_picker.code() == "":
            self.kind_picker.resolve()
        return self.kind_picker.code()

    def channel(self) -> Any:
        return self.ui.channel_combo.currentData()

    def matter(self, facts: dict[str, Any]) -> MatterInput:
        u = self.ui
        return MatterInput(kind=self.kind_picker.code() or self.kind_picker.text().strip(),
                           summary=plain_text(u.summary_edit), demands=plain_text(u.demands_edit),
                           respondent=u.respondent_edit.text(), facts=facts)

    # ------------------------------------------------------------------ date received
    def received_on(self) -> dt.date | None:
        """The date typed as received (a letter registered later); None: today, or not a usable date yet."""
        try:
            return parse_fact_date(self.ui.received_edit.text())
        except DateProblem:
            return None

    def received_ok(self) -> bool:
        """The date received is empty or usable (else its error line says why)."""
        return self.check_received(final=True) is not None or not self.ui.received_edit.text().strip()

    def _on_received_edited(self) -> None:
        if self.ui.received_error.isVisible():
            self.check_received(final=False)
        self.sig_changed.emit()

    def _finish_received(self) -> None:
        day = self.check_received(final=True)
        if day is not None and self.ui.received_edit.text() != day.isoformat():
            self.ui.received_edit.setText(day.isoformat())

    def check_received(self, final: bool) -> dt.date | None:
        try:
            day = parse_fact_date(self.ui.received_edit.text())
        except DateProblem as e:
            if final:
                self.errors.show("received_on", _("Received on") + "：" + str(e))
            return None
        self.errors.show("received_on", "")
        return day

    # ------------------------------------------------------------------ override (人工改判)
    def open_override(self) -> None:
        if not self.kind_picker.code():
            self.kind_picker.resolve()
        if not self.kind_picker.code():
            self.errors.show("kind", _("Kind of matter") + "：" + _("choose a kind from the list"))
            focus_widget(self.ui.kind_edit)
            return
        reference = self.services.reference
        dlg = OverrideDialog(reference.organs, self.runner, self._last_proposal(), self.override, self.page)
        self.last_override_dialog = dlg
        dlg.accepted.connect(lambda: self.set_override(dlg.override, dlg.ui.organ_combo.currentText()))
        dlg.open()

    def set_override(self, ov: Override | None, organ_name: str = "") -> None:
        u = self.ui
        self.override = ov
        self.override_organ_name = organ_name if ov else ""
        if ov is not None:
            label = matter_kinds.decision_labels().get(ov.decision, ov.decision)
            u.override_label.setText("✎ " + _("Manual override (人工改判), applied when saved: {decision} — {organ}. Reason: {reason}").format(
                decision=label, organ=organ_name or ov.organ, reason=ov.reason))
        u.override_label.setVisible(ov is not None)
        u.undo_override_button.setVisible(ov is not None)
        self.sig_override.emit(ov is not None)
        self.sig_edited.emit()

    def clear_override(self) -> None:
        self.set_override(None)

    # ------------------------------------------------------------------ repeat visit and warnings
    def schedule_check(self) -> None:
        self._check_timer.start()

    def _run_repeat_check(self) -> None:
        pids, kind = self._person_ids(), self.kind_picker.code()
        if not pids or not kind:
            self.runner.supersede(self._repeat_key)
            self._set_repeat(None)
            return
        u = self.ui
        respondent = u.respondent_edit.text()
        demands = plain_text(u.demands_edit) or plain_text(u.summary_edit)
        actor, search = self.actor, self.services.search
        (QueryOp(self.runner, self, lambda: search.check_repeat(actor, pids, kind, respondent, demands))
         .latest(self._repeat_key).success(self._set_repeat)
         .failure(lambda e: log.warning("repeat check failed: %s", e)).run())

    def _set_repeat(self, r: RepeatInfo | None) -> None:
        self.repeat = r
        if r is not None:
            text = _("Repeat visit: the same matter was registered on {day} ({code}); status: {status}.").format(
                day=r.received_on.isoformat(), code=r.query_code, status=status_label(r.status))
            link = html.escape(_("Open the earlier visit"))
            self.ui.repeat_label.setText(f'⚠ {html.escape(text)} <a href="visit:{r.visit_id}">{link}</a>')
        self.update_warnings()

    def _open_repeat(self, _link: str = "") -> None:
        r = self.repeat
        if r is not None:
            self._open_visit(r.visit_id, r.query_code)

    def set_group_size(self, size: int) -> None:
        self.group_size = size
        self.update_warnings()

    def update_warnings(self) -> None:
        u = self.ui
        collective = is_collective(self.group_size)
        u.no_warnings_label.hide()  # an empty 提示 box is not shown at all: the channels get its room
        u.warnings_box.setVisible(self.repeat is not None or collective)
        u.repeat_label.setVisible(self.repeat is not None)
        if collective:
            u.collective_label.setText("⚠ " + _("Collective visit ({n} people): at most 5 representatives (信访工作条例 第二十条).")
                                       .format(n=self.group_size))
        u.collective_label.setVisible(collective)

    # ------------------------------------------------------------------ problems from the service
    def problem_key(self, p: FieldProblem) -> str | None:
        """Which of this part's error lines a problem belongs under; "form" for one of the matter without a line of
        its own; None: not this part's (the facts' own questions are the facts part's)."""
        f = p.field or ""
        if f == "received_on" or f == "channel":
            return f
        if f.startswith("override."):
            return "form"
        if f.startswith("matter."):
            key = f.split(".", 1)[1]
            return key if key in self.errors.labels else ("kind" if key.startswith("facts") else "form")
        return None

    def problem_text(self, p: FieldProblem) -> str:
        if p.field == "matter.kind" and not self.kind_picker.code():
            return FieldProblem(p.field, N_("Kind of matter"), N_("choose a kind from the list")).message()
        return p.message()

    def focus_first(self, keys: set[str]) -> bool:
        u = self.ui
        widgets = {"channel": u.channel_combo, "kind": u.kind_edit, "summary": u.summary_edit,
                   "demands": u.demands_edit, "respondent": u.respondent_edit}
        for key in FOCUS_ORDER:
            if key in keys:
                focus_widget(widgets[key])
                return True
        return False

    # ------------------------------------------------------------------ clear and draft
    def clear(self) -> None:
        u = self.ui
        u.respondent_edit.clear()
        u.summary_edit.clear()
        u.demands_edit.clear()
        self.kind_picker.set_code("")
        u.channel_combo.setCurrentIndex(0)
        self.errors.clear()
        self._set_repeat(None)
        u.received_edit.clear()
        self.set_override(None)

    def draft_state(self) -> dict[str, Any]:
        u = self.ui
        return {
            "channel": u.channel_combo.currentData(),
            "kind": self.kind_picker.code(), "kind_text": self.kind_picker.text(),  # the whole label, even while the field shows it elided
            "summary": plain_text(u.summary_edit), "demands": plain_text(u.demands_edit),
            "respondent": u.respondent_edit.text(),
            "received_on": u.received_edit.text(),
            "override": None if self.override is None else {
                "decision": self.override.decision, "organ": self.override.organ, "reason": self.override.reason,
                "organ_name": self.override_organ_name},
        }

    def restore_draft(self, s: dict[str, Any]) -> None:
        u = self.ui
        u.channel_combo.setCurrentIndex(max(0, u.channel_combo.findData(s.get("channel"))))
        if s.get("kind"):
            self.kind_picker.set_code(str(s["kind"]))
        else:
            u.kind_edit.setText(str(s.get("kind_text") or ""))
        u.summary_edit.setPlainText(str(s.get("summary") or ""))
        u.demands_edit.setPlainText(str(s.get("demands") or ""))
        u.respondent_edit.setText(str(s.get("respondent") or ""))
        u.received_edit.setText(str(s.get("received_on") or ""))
        self._restore_override(s.get("override"))

    def _restore_override(self, ov: Any) -> None:
        if isinstance(ov, dict) and ov.get("decision"):
            self.set_override(Override(str(ov["decision"]), str(ov.get("organ") or ""), str(ov.get("reason") or "")),
                              str(ov.get("organ_name") or ""))

