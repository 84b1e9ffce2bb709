"""接待登记: search first, then the person, the matter, and save — the whole job from the keyboard.

Reading order = Tab order (set in ui/registration_page.ui). Every database call goes through the task helper;
the widgets only see DTOs. What was typed is kept on an error and survives a crash (DraftStore).

The page composes four parts, each the one owner of its widgets, state, messages and piece of the draft
(`gui/registration/`): the person (search strip, person panel, earlier visits), the matter (channel, kind,
texts, date received, warnings, override), the facts (the kind's questions and the live proposal) and the
draft. The page wires them and does save, print and clear.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QPushButton, QWidget

from xinfang_desk.domain.errors import DomainError, ValidationFailed
from xinfang_desk.gui import direct_print
from xinfang_desk.gui.dialogs import VisitDetailDialog, ask_yes_no
from xinfang_desk.gui.draft import DraftStore
from xinfang_desk.gui.errors import error_text, show_error
from xinfang_desk.gui.forms.ui_registration_page import Ui_RegistrationPage
from xinfang_desk.gui.notice_preview import NoticePreviewDialog
from xinfang_desk.gui.override_dialog import OverrideDialog
from xinfang_desk.gui.registration.common import focus_widget, plain_text
from xinfang_desk.gui.registration.draft_part import DraftPart
from xinfang_desk.gui.registration.facts_part import FactsPart
from xinfang_desk.gui.registration.matter_part import MatterPart
from xinfang_desk.gui.registration.person_part import PersonPart
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.i18n import _
from xinfang_desk.services.classification import Override
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor, local_today
from xinfang_desk.services.dto import RegistrationInput, RegistrationResult
from xinfang_desk.services.preferences import PRINT_WITHOUT_PREVIEW, role_default

__all__ = ["RegistrationPage", "focus_widget", "plain_text"]

log = logging.getLogger(__name__)


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
        self.last_result: RegistrationResult | None = None
        self._print_after_save = False
        self.last_notice: Any = None  # services.notices.PrintedNotice of the last Ctrl+P
        self.last_preview: NoticePreviewDialog | None = None
        self.last_visit_dialog: VisitDetailDialog | None = None
        self._saved_note = False  # the "saved" line is the last visitor's: it goes when the next one is typed
        self._unknown_at_save: list[str] = []
        self._preview = False  # this print shows the preview (Ctrl+Shift+P, or the setting is off)
        self.last_printed_pages = 0
        self._printer: Any = None
        self._reprint_visit: str | None = None

        u = self.ui
        self.person = PersonPart(self, u, services, actor, runner, self._open_visit)
        self.facts = FactsPart(self, u, services, actor, runner, tab_before=[u.respondent_edit, u.received_edit],
                               tab_after=[u.save_button, u.save_print_button])
        self.matter = MatterPart(self, u, services, actor, runner, self.person.person_ids, self.facts.last_proposal,
                                 self._open_visit)
        self.draft_part = DraftPart(self, self.draft, [self.person, self.matter, self.facts])
        # the parts' shared widgets, by the names the rest of the GUI (and its tests) know them
        self.kind_picker = self.matter.kind_picker
        self.facts_panel = self.facts.panel
        self.channels_panel = self.facts.channels
        self.town_completer = self.person.town_completer
        self._errors: dict[str, QLabel] = {**self.person.errors.labels, **self.matter.errors.labels,
                                           "form": u.form_error}
        self._wire_parts()

        u.respondent_edit.returnPressed.connect(self.enter_save)
        u.received_edit.returnPressed.connect(self.enter_save)
        u.save_button.clicked.connect(self.save)
        u.save_print_button.clicked.connect(self.save_and_print)
        u.clear_button.clicked.connect(self.request_clear)

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
        QShortcut(QKeySequence("Ctrl+R"), self, self.matter.open_override, context=ctx)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.request_clear, context=ctx)

        self.restore_draft()

    # ------------------------------------------------------------------ wiring
    def _wire_parts(self) -> None:
        """What one part's change means for the others."""
        p, m, f = self.person, self.matter, self.facts
        p.sig_search_typed.connect(self._clear_saved_note)
        p.sig_edited.connect(self._edited)
        p.sig_person_changed.connect(m.schedule_check)
        p.sig_history.connect(self._offer_earlier)
        p.sig_picked.connect(lambda: focus_widget(self.ui.kind_edit))
        p.sig_group_size.connect(self._on_group_size)
        m.sig_edited.connect(self._edited)
        m.sig_changed.connect(self._matter_changed)
        m.sig_kind.connect(self._on_kind)
        m.sig_override.connect(f.set_superseded)
        f.sig_changed.connect(self._matter_changed)
        f.sig_enter.connect(self.enter_save)

    def _edited(self) -> None:
        if not self.draft_part.restoring:
            self._clear_saved_note()
            self.draft_part.edited()

    def _matter_changed(self) -> None:
        self._edited()
        self.matter.schedule_check()
        self.facts.update_proposal(self._document())

    def _document(self) -> dict[str, Any]:
        """The channel engine's classification request (statutes.engine.classify_document)."""
        return {
            "received_on": (self.matter.received_on() or local_today()).isoformat(),
            "group_size": self.person.group_size(), "channel": self.matter.channel(),
            "matter": {"kind": self.matter.kind(), "facts": self.facts.facts()},
        }

    def _on_group_size(self, size: int) -> None:
        self.matter.set_group_size(size)
        self._matter_changed()

    def _on_kind(self, code: str) -> None:
        self.facts.set_kind(code)
        self._matter_changed()
        self._offer_earlier()

    def _offer_earlier(self) -> None:
        """A returning visitor: their earlier matter's answers are offered (not while a draft is put back)."""
        if self.draft_part.restoring:
            return
        pids, kind = self.person.person_ids(), self.matter.kind()
        self.facts.offer_earlier(pids, kind, lambda: self.matter.kind() == kind and self.person.person_ids() == pids)

    def _open_visit(self, visit_id: str, query_code: str) -> None:
        """The earlier visit in full (matter, answers, classification, notices, repeats)."""
        dlg = VisitDetailDialog.for_visit_id(visit_id, query_code, self.services, self.actor, self.runner, self)
        self.last_visit_dialog = dlg
        dlg.exec()

    # ------------------------------------------------------------------ set-up
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
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

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
            self.person.place_results()

    def focus_search(self) -> None:
        self.person.focus_search()

    def _clear_saved_note(self) -> None:
        if self._saved_note and not self.saving:
            self._saved_note = False
            self.ui.saved_label.setText("")

    # ------------------------------------------------------------------ the parts' state, for the rest of the GUI
    @property
    def override(self) -> Override | None:
        return self.matter.override

    def set_override(self, ov: Override | None, organ_name: str = "") -> None:
        self.matter.set_override(ov, organ_name)

    def clear_override(self) -> None:
        self.matter.clear_override()

    def open_override(self) -> None:
        self.matter.open_override()

    @property
    def last_override_dialog(self) -> OverrideDialog | None:
        return self.matter.last_override_dialog

    def unanswered_affecting(self) -> list[str]:
        return self.facts.unanswered_affecting()

    # ------------------------------------------------------------------ Enter on the last field
    def enter_save(self) -> None:
        """Enter on the last field (and on any question): saves only when no question that affects the channel is
        unanswered; otherwise the focus moves to the first such question. Ctrl+S saves anyway (as 未知)."""
        if self.saving:
            return
        if not self.matter.kind():
            self.kind_picker.resolve()
        if self.facts.wait_once(self.enter_save):
            return
        todo = self.facts.unanswered_affecting()
        if todo:
            self.ui.saved_label.setText(_("{n} questions that affect the channel are unanswered: answer them, or "
                                          "press Ctrl+S to save them as “unknown”.").format(n=len(todo)))
            self._saved_note = False
            self.facts.focus_question(todo[0])
            return
        self.save()

    # ------------------------------------------------------------------ errors
    def _show_error(self, key: str, text: str) -> None:
        label = self._errors[key]
        label.setText(text)
        label.setVisible(bool(text))

    def clear_errors(self) -> None:
        self.person.errors.clear()
        self.matter.errors.clear()
        self._show_error("form", "")

    def error_text(self, key: str) -> str:
        label = self._errors[key]
        return label.text() if label.isVisible() or label.text() else ""

    def show_problems(self, exc: ValidationFailed) -> None:
        """The service refused: each problem under its field (in the part that owns it), the focus on the first."""
        grouped: dict[str, list[str]] = {}
        fact_problem = None
        for p in exc.problems:
            if (name := self.facts.problem_question(p)) is not None:
                self.facts.show_problem(name, p.message())
                fact_problem = fact_problem or name
            elif (key := self.person.problem_key(p)) is not None:
                grouped.setdefault(key, []).append(self.person.problem_text(key, p))
            else:
                key = self.matter.problem_key(p) or "form"
                grouped.setdefault(key, []).append(self.matter.problem_text(p))
        for key, msgs in grouped.items():
            self._show_error(key, "\n".join(dict.fromkeys(msgs)))
        keys = set(grouped)
        if self.person.focus_first(keys) or self.matter.focus_first(keys):
            return
        if "received_on" in keys:
            focus_widget(self.ui.received_edit)
        elif fact_problem:
            focus_widget(self.facts_panel.fields[fact_problem])

    # ------------------------------------------------------------------ save
    def build_input(self) -> RegistrationInput:
        return RegistrationInput(people=self.person.people(), matter=self.matter.matter(self.facts.facts()),
                                 channel=self.matter.channel(), group_size=self.person.group_size(),
                                 received_on=self.matter.received_on(), override=self.matter.override)

    def save(self) -> None:
        if self.saving:
            return
        self.matter.resolve_kind()
        self.clear_errors()
        bad_dates = self.facts.date_problems()
        received_ok = self.matter.received_ok()
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
        self._unknown_at_save = self.facts.question_texts(self.facts.unanswered_affecting())
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

    def _saved_message(self, result: RegistrationResult, overridden: bool) -> str:
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
        return msg

    def _saved(self, result: RegistrationResult) -> None:
        self.saving = False
        self.ui.save_button.setEnabled(True)
        self.last_result = result
        self.draft_part.delete()
        overridden = self.matter.override is not None
        self.clear_form()
        self.ui.saved_label.setText(self._saved_message(result, overridden))
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
            self._print_directly(notice, base)

        def failed(exc: BaseException) -> None:
            self.ui.saved_label.setText(base)
            self._show_error("form", _("The notice could not be printed: {error}").format(error=error_text(exc)))

        CommandOp(self.runner, self, lambda: notices.print_notice(actor, visit_id, "both")).success(done).failure(failed).run()

    def _print_directly(self, notice: Any, base: str) -> None:
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
        return self.draft_part.has_input()

    def request_clear(self) -> None:
        if self.has_input() and not ask_yes_no(self, _("Clear the form"), _("Clear everything typed for this visit?")):
            return
        self.clear_form()
        self.draft_part.delete()
        self.focus_search()

    def clear_form(self) -> None:
        with self.draft_part.quiet():
            self.person.clear()
            self.matter.clear()
            self.facts.clear()
            self._show_error("form", "")

    # ------------------------------------------------------------------ draft
    def form_state(self) -> dict[str, Any]:
        return self.draft_part.state()

    def write_draft(self) -> None:
        self.draft_part.write()

    def restore_draft(self) -> bool:
        if not self.draft_part.restore():
            return False
        self.ui.saved_label.setText(_("The unsaved draft was restored."))
        self.matter.schedule_check()
        return True
