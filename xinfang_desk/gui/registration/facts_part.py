"""The kind-specific questions and the live proposal: `FactsPanel` (the questions, their answers and date
messages) and `ChannelsPanel` (the statutory channel(s) proposed for what was typed), and what Enter and Y/N
wait for — the proposal of what was just typed — before moving on.

Owns both panels, the queue of what waits for the proposal, the answers offered from a returning visitor's
earlier matter, the Tab chain through the questions and the facts' piece of the draft.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from xinfang_desk.domain.errors import FieldProblem
from xinfang_desk.gui.channels_panel import ChannelsPanel
from xinfang_desk.gui.facts_panel import FactsPanel, question_text
from xinfang_desk.gui.forms.ui_registration_page import Ui_RegistrationPage
from xinfang_desk.gui.registration.common import focus_widget
from xinfang_desk.gui.tasks import QueryOp, StreamKey, TaskRunner
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor

log = logging.getLogger(__name__)

DRAFT_KEYS = ("facts",)


class FactsPart(QObject):
    sig_changed = Signal()  # an answer changed
    sig_enter = Signal()  # Enter in a question: the page saves, or moves on to an unanswered question

    def __init__(self, page: QWidget, ui: Ui_RegistrationPage, services: Services, actor: Actor, runner: TaskRunner,
                 tab_before: list[QWidget], tab_after: list[QWidget]) -> None:
        super().__init__(page)
        self.ui = ui
        self.services = services
        self.actor = actor
        self.runner = runner
        self._tab_before = tab_before
        self._tab_after = tab_after
        self._after_proposal: list[Callable[[], None]] = []  # Enter / Y / N wait for the proposal of what was typed
        self._earlier_key = StreamKey("earlier answers")
        self.panel = FactsPanel(ui.facts_box)
        ui.facts_layout.addWidget(self.panel)
        self.channels = ChannelsPanel(runner, ui.channels_box, propose=self._propose)
        ui.channels_layout.insertWidget(0, self.channels, 1)
        self.panel.sig_changed.connect(self.sig_changed)
        self.panel.sig_enter.connect(self.sig_enter)
        self.panel.sig_answered.connect(self._answered)
        self.channels.sig_result.connect(self._on_proposal)
        self.chain_tabs()

    # ------------------------------------------------------------------ questions
    def set_kind(self, code: str) -> None:
        self.panel.set_kind(code)
        self.ui.facts_box.setVisible(bool(self.panel.questions))
        self.chain_tabs()

    def chain_tabs(self) -> None:
        """Tab order = reading order: respondent, received on, the questions, then the buttons."""
        chain: list[QWidget] = [*self._tab_before, *self.panel.widgets_in_order(), *self._tab_after]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    def facts(self) -> dict[str, Any]:
        return self.panel.facts()

    def focus_question(self, name: str) -> None:
        """Focus a question and scroll it into view (it may be below the fold)."""
        w = self.panel.fields[name]
        focus_widget(w)
        self.ui.left_scroll.ensureWidgetVisible(w, 20, 40)

    def offer_earlier(self, person_ids: list[str], kind: str, still_current: Callable[[], bool]) -> None:
        """A returning visitor: the answers of their earlier matter (of this kind if any) are offered as defaults,
        marked as from that visit — if the person and the kind are still those asked about when they arrive."""
        if not person_ids or not kind or not self.panel.questions:
            return
        actor, search = self.actor, self.services.search

        def done(res: Any) -> None:
            if res is not None and still_current():
                code, _day, facts = res
                self.panel.offer_earlier(code, facts)

        (QueryOp(self.runner, self, lambda: search.earlier_answers(actor, person_ids, kind)).latest(self._earlier_key)
         .success(done).failure(lambda e: log.warning("earlier answers: %s", e)).run())

    # ------------------------------------------------------------------ the live proposal
    def update_proposal(self, doc: dict[str, Any]) -> None:
        self.channels.update_document(doc)

    def _propose(self, doc: dict[str, Any]) -> dict[str, Any]:
        """Runs on a worker: the services' proposal (with the office's holiday calendar)."""
        m = doc["matter"]
        return self.services.classification.propose(
            self.actor, dt.date.fromisoformat(doc["received_on"]), int(doc["group_size"]), m["kind"], dict(m["facts"]))

    def last_proposal(self) -> dict[str, Any] | None:
        return self.channels.last_result

    def set_superseded(self, superseded: bool) -> None:
        self.channels.set_superseded(superseded)

    @property
    def waiting_for_proposal(self) -> bool:
        """A kind is chosen and the proposal of what was typed is still to come."""
        return bool(self.panel.kind) and self.channels.pending

    def _on_proposal(self, _result: Any) -> None:
        self.panel.set_missing(self.channels.missing_facts())
        if not self.channels.pending:
            waiting, self._after_proposal = self._after_proposal, []
            for fn in waiting:
                fn()

    def when_proposed(self, fn: Callable[[], None]) -> None:
        """Run `fn` once the live proposal reflects what was typed (at once when it does)."""
        if self.waiting_for_proposal:
            self._after_proposal.append(fn)
        else:
            fn()

    def wait_once(self, fn: Callable[[], None]) -> bool:
        """Queue `fn` (once) for when the proposal arrives; False (nothing queued) when it is there already."""
        self._after_proposal = [f for f in self._after_proposal if f != fn]
        if self.waiting_for_proposal:
            self._after_proposal.append(fn)
            return True
        return False

    def unanswered_affecting(self) -> list[str]:
        """The questions marked 【影响结果】 (the proposal lacks their answer) that are still unanswered, in order."""
        missing, answered = self.channels.missing_facts(), self.panel.facts()
        return [q.name for q in self.panel.questions if q.name in missing and q.name not in answered]

    def question_texts(self, names: list[str]) -> list[str]:
        by_name = {q.name: q for q in self.panel.questions}
        return [question_text(by_name[n]) for n in names]

    def _answered(self, name: str) -> None:
        """Y/N answered a yes/no question: on to the next unanswered question that affects the channel (if any)."""
        def go() -> None:
            names = [q.name for q in self.panel.questions]
            todo = self.unanswered_affecting()
            later = [n for n in todo if n in names and names.index(n) > names.index(name)] if name in names else []
            if later or todo:
                self.focus_question((later or todo)[0])
        self.when_proposed(go)

    # ------------------------------------------------------------------ problems
    def date_problems(self) -> list[tuple[str, str]]:
        """(fact, message) of each date answer that cannot be used; each is shown under its question."""
        self.panel.clear_errors()
        return self.panel.problems()

    def problem_question(self, p: FieldProblem) -> str | None:
        """The question a problem of the service is about (None: not one of the questions asked)."""
        f = p.field or ""
        if f.startswith("matter.facts.") and f.split(".", 2)[2] in self.panel.fields:
            return f.split(".", 2)[2]
        return None

    def show_problem(self, name: str, message: str) -> None:
        self.panel.show_error(name, message)

    # ------------------------------------------------------------------ clear and draft
    def clear(self) -> None:
        self.panel.reset()
        self.ui.facts_box.hide()

    def draft_state(self) -> dict[str, Any]:
        return {"facts": self.panel.raw_answers()}

    def restore_draft(self, s: dict[str, Any]) -> None:
        if isinstance(s.get("facts"), dict):
            self.panel.set_answers(s["facts"])
