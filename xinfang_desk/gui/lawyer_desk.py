"""律师工作台 (the lawyer's desk): my sessions and their dockets; Enter on a booked visit opens it with its matter,
earlier visits and proposed channels; record the legal advice (Ctrl+S; F2 edits my latest advice), print the
legal-aid referral (Ctrl+P). A supervisor sees every session and may edit anyone's advice."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from xinfang_desk.domain import matter_kinds
from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.schedule_page import STATUS_LABELS, save_pdf_as, session_line
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor, local_today

KEY = Qt.ItemDataRole.UserRole
T_RECOMMENDED = N_("recommended")
T_AID = N_("legal aid advised")
T_BOOKINGS = N_("Session bookings")
T_ADVICE = N_("Legal advice")


def advice_html(advice: list[Any]) -> str:
    """The current legal advice of a visit (each with its lawyer, time, recommended channel, legal aid)."""
    e = html.escape
    return "<br/>".join(
        f"{e(a.lawyer)}（{e(a.organisation)}）{a.created_at.astimezone().strftime('%Y-%m-%d %H:%M')}：{e(a.advice)}"
        + (f"；{e(_(T_RECOMMENDED))}：{e(a.channel_label)}" if a.channel_label else "")
        + (f"；{e(_(T_AID))}" if a.legal_aid else "") for a in advice) or "—"


def bookings_html(bookings: list[Any]) -> str:
    e = html.escape
    return "<br/>".join(e(_(STATUS_LABELS.get(b.status, b.status)) + (f" {b.position}" if b.status == "waiting" else "")
                          + (_(" (provisional)") if b.provisional and b.status in ("booked", "waiting") else ""))
                        + f" · {e(b.session_label)}" for b in bookings) or "—"


class LawyerDeskPage(QWidget):
    sig_saved = Signal(object)

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.runner = services, actor, runner
        self.code: str | None = None
        self.editing: str | None = None  # the advice id an edit corrects
        self.advice_rows: list[Any] = []
        self._next_message = ""
        self.sessions = QListWidget()
        self.sessions.currentItemChanged.connect(lambda it, _p: self.load_docket(it.data(KEY) if it else None))
        self.docket = QListWidget()
        self.docket.itemActivated.connect(lambda it: self.open_visit(it.data(KEY)))
        self.file = QTextBrowser()
        self.advice = QPlainTextEdit()
        self.advice.setPlaceholderText(_("The legal advice given (法律意见)"))
        self.advice.setTabChangesFocus(True)
        self.channel = QComboBox()
        self.channel.addItem(_("(no channel recommended)"), "")
        for code, label in matter_kinds.decision_labels().items():
            self.channel.addItem(label, code)
        self.legal_aid = QCheckBox(_("Legal aid advised (法律援助法)"))
        self.save_button = QPushButton(_("Save advice (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.edit_button = QPushButton(_("Edit my latest advice (F2)"))
        self.edit_button.clicked.connect(self.edit_latest)
        self.referral_button = QPushButton(_("Print legal-aid referral (Ctrl+P)"))
        self.referral_button.clicked.connect(self.print_referral)
        self.message = QLabel()
        self.message.setWordWrap(True)

        left = QVBoxLayout()
        left.addWidget(QLabel(_("My sessions")))
        left.addWidget(self.sessions, 1)
        left.addWidget(QLabel(_("Docket (Enter opens a visit)")))
        left.addWidget(self.docket, 2)
        right = QVBoxLayout()
        right.addWidget(self.file, 3)
        right.addWidget(self.advice, 2)
        row = QHBoxLayout()
        row.addWidget(self.channel, 1)
        row.addWidget(self.legal_aid)
        right.addLayout(row)
        buttons = QHBoxLayout()
        for b in (self.save_button, self.edit_button, self.referral_button):
            buttons.addWidget(b)
        right.addLayout(buttons)
        right.addWidget(self.message)
        lw, rw = QWidget(), QWidget()
        lw.setLayout(left)
        rw.setLayout(right)
        split = QSplitter(self)
        split.addWidget(lw)
        split.addWidget(rw)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        QVBoxLayout(self).addWidget(split)
        for seq, fn in (("Ctrl+S", self.save), ("F2", self.edit_latest), ("Ctrl+P", self.print_referral)):
            QShortcut(QKeySequence(seq), self, fn, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._enable(False)
        self.refresh()

    def focus_main(self) -> None:
        self.sessions.setFocus()
        if self.sessions.count() and self.sessions.currentRow() < 0:
            self.sessions.setCurrentRow(0)

    def _enable(self, on: bool) -> None:
        for w in (self.advice, self.channel, self.legal_aid, self.save_button, self.edit_button):
            w.setEnabled(on)
        self.referral_button.setEnabled(on and any(a.legal_aid for a in self.advice_rows))

    def refresh(self) -> None:
        actor, sch = self.actor, self.services.scheduling
        start, end = local_today() - dt.timedelta(days=7), local_today() + dt.timedelta(days=60)
        if actor.may(N_("edit anyone's legal advice")):
            fn = lambda: sch.list_sessions(actor, start, end)  # noqa: E731
        else:
            fn = lambda: sch.my_sessions(actor, start, end)  # noqa: E731
        QueryOp(self.runner, self, fn).success(self._sessions_loaded).run()

    def _sessions_loaded(self, rows: list[Any]) -> None:
        self.sessions.clear()
        for s in rows:
            it = QListWidgetItem(f"{s.day.isoformat()} {session_line(s)}  {s.bookings}/{s.capacity}")
            it.setData(KEY, s.id)
            self.sessions.addItem(it)
        if not rows:
            self.message.setText(_("No sessions for you in the coming weeks (is your account linked to your person?)."))
        elif self.sessions.currentRow() < 0:
            self.sessions.setCurrentRow(0)

    def load_docket(self, session_id: str | None) -> None:
        self.docket.clear()
        if not session_id:
            return
        actor, sch = self.actor, self.services.scheduling
        QueryOp(self.runner, self, lambda: sch.docket(actor, session_id)).success(self._docket_loaded).run()

    def _docket_loaded(self, docket: Any) -> None:
        self.docket.clear()
        for e in docket.entries:
            status = _(STATUS_LABELS.get(e.status, e.status))
            recused = "；".join(_("{person} recused").format(person=r.person) for r in e.recused)
            it = QListWidgetItem(f"{e.query_code}  {'、'.join(e.names)}  {e.kind_label.split('（')[0]}  {status}"
                                 + (f"  {recused}" if recused else ""))
            it.setData(KEY, e.query_code)
            self.docket.addItem(it)

    def open_visit(self, code: str | None) -> None:
        if not code:
            return
        actor, adv = self.actor, self.services.advice
        QueryOp(self.runner, self, lambda: adv.visit_file(actor, code)).success(self._file_loaded).failure(
            lambda e: self.message.setText(error_text(e))).run()

    def _file_loaded(self, f: Any) -> None:
        self.code = f.query_code
        self.editing = None
        self.advice_rows = list(f.advice)
        e = html.escape
        people = "<br/>".join(f"{e(n)}　{e(i) or '—'}　{e(p) or '—'}" for n, i, p in zip(f.names, f.ids_masked, f.phones_masked, strict=False))
        rows = [
            (_("Query code"), e(f.query_code)), (_("Received on"), f.received_on.isoformat()), (_("Visitors"), people),
            (_("Matter kind"), e(f.kind_label)), (_("Summary"), e(f.summary)), (_("Demands"), e(f.demands) or "—"),
            (_("Respondent"), e(f.respondent) or "—"),
            (_("Proposed channels"), "<br/>".join(e(label) for _c, label in f.channels) or "—"),
            (_("Earlier visits"), "<br/>".join(f"{e(c)} {d.isoformat()} {e(k.split('（')[0])}：{e(sm)}" for c, d, k, sm in f.earlier) or "—"),
            (_("Legal advice"), advice_html(list(f.advice))),
        ]
        self.file.setHtml("<table cellpadding='3'>" + "".join(
            f"<tr><td valign='top'><b>{e(k)}</b></td><td>{v}</td></tr>" for k, v in rows) + "</table>")
        self.advice.clear()
        self.channel.setCurrentIndex(0)
        self.legal_aid.setChecked(False)
        self._enable(True)
        self.advice.setFocus()
        self.message.setText(self._next_message or _("Visit {code} opened.").format(code=f.query_code))
        self._next_message = ""

    def edit_latest(self) -> None:
        mine = [a for a in self.advice_rows if a.may_edit]
        if not mine:
            self.message.setText(_("There is no advice here that you may edit."))
            return
        a = mine[-1]
        self.editing = a.id
        self.advice.setPlainText(a.advice)
        self.channel.setCurrentIndex(max(0, self.channel.findData(a.channel)))
        self.legal_aid.setChecked(a.legal_aid)
        self.advice.setFocus()
        self.message.setText(_("Editing the advice of {lawyer}; saving keeps the earlier text in the record.").format(lawyer=a.lawyer))

    def save(self) -> None:
        if not self.code:
            return
        from xinfang_desk.services.advice import AdviceInput

        inp = AdviceInput(self.advice.toPlainText(), self.channel.currentData() or "", self.legal_aid.isChecked())
        actor, adv, code, corrects = self.actor, self.services.advice, self.code, self.editing
        CommandOp(self.runner, self, lambda: adv.record(actor, code, inp, corrects=corrects)).success(self._saved).failure(
            lambda e: self.message.setText(error_text(e))).run()

    def _saved(self, a: Any) -> None:
        self.sig_saved.emit(a)
        self._next_message = _("Advice saved.")
        self.message.setText(self._next_message)
        self.open_visit(a.query_code)

    def print_referral(self) -> None:
        aid = [a for a in self.advice_rows if a.legal_aid]
        if not aid or not self.code:
            return
        actor, adv, advice_id, code = self.actor, self.services.advice, aid[-1].id, self.code
        QueryOp(self.runner, self, lambda: adv.print_referral(actor, advice_id)).success(
            lambda pdf: save_pdf_as(self, pdf, f"法律援助转介函-{code}.pdf")).failure(
            lambda e: self.message.setText(error_text(e))).run()
