"""Log-in, first administrator, visit detail; and the question dialogs tests patch where they are used."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QWidget

from xinfang_desk.domain.errors import DomainError, ValidationFailed
from xinfang_desk.domain.matter_kinds import channel_label, kinds_by_code
from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.formatting import local_datetime, status_label
from xinfang_desk.gui.forms.ui_first_run_dialog import Ui_FirstRunDialog
from xinfang_desk.gui.forms.ui_login_dialog import Ui_LoginDialog
from xinfang_desk.gui.forms.ui_visit_detail_dialog import Ui_VisitDetailDialog
from xinfang_desk.gui.screen import ScreenFitted
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor

T_NO_CLASSIFICATION = N_("No classification is stored for this visit.")
T_OVERRIDDEN = N_("Manual override (人工改判). Reason: {reason}")
T_REGULATION = N_("Regulation applied")
T_RULESET = N_("Rule set {version}, classified {when}")
T_NO_NOTICE = N_("No notice printed yet.")
T_REPRINT = N_("reprint (补打)")
T_FIRST_PRINT = N_("first print")
T_CHANNELS = N_("Channels")
T_NOTICES = N_("Notices printed")
T_MATTER = N_("Matter")
T_ANSWERS = N_("Answers to the questions")
T_REPEATS = N_("Repeat visits")
T_REPEAT_OF = N_("Repeat of the earlier visit {code} of {day}")
T_REPEATED_BY = N_("Registered again as {code} on {day}")
T_STATE_HISTORY = N_("Progress of the matter")
T_NO_STATE_HISTORY = N_("No progress recorded yet.")
T_BOOKINGS = N_("Bookings")
T_NO_BOOKINGS = N_("No reception session booked.")
T_UNKNOWN = N_("Recorded as “unknown” (asking them may change the result):")


def fact_question(name: str, kind: str = "") -> str:
    """The Chinese question of a fact (never its key): the kind's own wording, else the fact's."""
    from xinfang_desk.gui.facts_panel import question_text
    from xinfang_desk.i18n import language
    from xinfang_desk.statutes.engine import facts_for_kind
    from xinfang_desk.statutes.facts import default_fact_defs

    if kind:
        try:
            q = next((q for q in facts_for_kind(kind) if q.name == name), None)
        except Exception:  # noqa: BLE001 - an unknown kind: the fact's own wording
            q = None
        if q is not None:
            return question_text(q)
    d = default_fact_defs().get(name)
    if d is None:
        return _("another question")
    return d.question_zh if language() == "zh_CN" else _(d.question)


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class LoginDialog(ScreenFitted, QDialog):
    def __init__(self, services: Services, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)
        self.services = services
        self.runner = runner
        self.actor: Actor | None = None
        self.ui.window_label.setText(_("Reception window {window}").format(window=services.window_code))
        self.ui.error_label.hide()
        self.ui.button_box.accepted.connect(self._try_login)
        self.ui.button_box.rejected.connect(self.reject)
        self.ui.username_edit.setFocus()

    def _try_login(self) -> None:
        user, password = self.ui.username_edit.text(), self.ui.password_edit.text()
        if not user.strip():
            self.ui.username_edit.setFocus()
            return
        self._busy(True)
        (CommandOp(self.runner, self, lambda: self.services.auth.login(user, password))
         .success(self._logged_in).failure(self._failed).run())

    def _busy(self, busy: bool) -> None:
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    def _logged_in(self, actor: Actor) -> None:
        self._busy(False)
        self.actor = actor
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from xinfang_desk.services.context import PasswordChangeRequired

        self._busy(False)
        if isinstance(exc, PasswordChangeRequired):
            self._change_password()
            return
        self.ui.error_label.setText(error_text(exc))
        self.ui.error_label.show()
        self.ui.password_edit.clear()
        self.ui.password_edit.setFocus()

    def _change_password(self) -> None:
        """The password was right but must be changed first: the forced change, then in."""
        from xinfang_desk.gui.session_lock import ChangePasswordDialog

        self.change_dialog = ChangePasswordDialog(self.services, self.runner, self.ui.username_edit.text(),
                                                  self.ui.password_edit.text(), self)
        self.ui.password_edit.clear()
        self.change_dialog.accepted.connect(lambda: self._logged_in(self.change_dialog.actor))
        self.change_dialog.rejected.connect(self.ui.password_edit.setFocus)
        self.change_dialog.open()

    def reset(self) -> None:
        """Ready for the next user (after a log-out): empty fields, no session."""
        self.actor = None
        self.ui.username_edit.clear()
        self.ui.password_edit.clear()
        self.ui.error_label.hide()
        self.ui.username_edit.setFocus()


class FirstRunDialog(ScreenFitted, QDialog):
    def __init__(self, services: Services, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_FirstRunDialog()
        self.ui.setupUi(self)
        self.services = services
        self.runner = runner
        self.user: Any = None
        self.ui.error_label.hide()
        self.ui.button_box.accepted.connect(self._create)
        self.ui.button_box.rejected.connect(self.reject)
        self.ui.username_edit.setText("admin")
        self.ui.display_name_edit.setFocus()

    def _create(self) -> None:
        u = self.ui
        if u.password_edit.text() != u.password2_edit.text():
            self._show(_("The two passwords differ."))
            u.password2_edit.clear()
            u.password2_edit.setFocus()
            return
        username, name, pw = u.username_edit.text(), u.display_name_edit.text(), u.password_edit.text()
        (CommandOp(self.runner, self, lambda: self.services.auth.setup_first_admin(username, name, pw))
         .success(self._created).failure(self._failed).run())

    def _show(self, text: str) -> None:
        self.ui.error_label.setText(text)
        self.ui.error_label.show()

    def _created(self, user: Any) -> None:
        self.user = user
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationFailed):
            self._show("\n".join(p.message() for p in exc.problems))
            field = exc.problems[0].field if exc.problems else ""
            {"username": self.ui.username_edit, "display_name": self.ui.display_name_edit}.get(
                field, self.ui.password_edit).setFocus()
        elif isinstance(exc, DomainError):
            self._show(str(exc))
        else:
            self._show(error_text(exc))


def _rows_html(rows: list[tuple[str, str]]) -> str:
    cells = "".join(
        f'<tr><td style="padding:3px 12px 3px 0; color:#555; white-space:nowrap">{html.escape(k)}</td>'
        f'<td style="padding:3px 0">{html.escape(v).replace(chr(10), "<br/>")}</td></tr>'
        for k, v in rows
    )
    return f"<table>{cells}</table>"


def classification_html(c: Any) -> str:
    """The stored classification of a visit: regulation, channels with articles and last days, warnings."""
    from xinfang_desk.gui.channels_panel import channel_html

    e = html.escape
    if c is None:
        return f"<p>{e(_(T_NO_CLASSIFICATION))}</p>"
    r = c.result or {}
    out = []
    if c.overridden:
        out.append(f"<p style='background:#fff3cd; color:#7a4b00'>✎ {e(_(T_OVERRIDDEN).format(reason=c.override_reason))}</p>")
    reg = r.get("regulation") or {}
    if reg.get("instrument"):
        out.append(f"<p>{e(_(T_REGULATION))}：{e(reg['instrument'])}（{e(str(reg.get('version', '')))}）</p>")
    for ch in r.get("channels") or []:
        if isinstance(ch, dict):
            out.append(f"<p>{channel_html(ch)}</p>")
    from xinfang_desk.i18n.messages import warning_words

    warns = [warning_words(w) for w in r.get("warnings") or []
             if isinstance(w, dict) and w.get("code") != "missing_fact" and warning_words(w)]
    unknown = [fact_question(str(w.get("fact"))) for w in r.get("warnings") or []
               if isinstance(w, dict) and w.get("code") == "missing_fact"]
    if unknown:
        out.append("<p style='color:#7a4b00'>" + e(_(T_UNKNOWN)) + "<br/>"
                   + "<br/>".join("？ " + e(q) for q in unknown) + "</p>")
    if warns:
        out.append("<p style='color:#8a1c12'>" + "<br/>".join("⚠ " + e(str(w)) for w in warns) + "</p>")
    out.append(f"<p style='color:#555'>{e(_(T_RULESET).format(version=c.ruleset_version, when=local_datetime(c.created_at)))}</p>")
    return "".join(out)


def notices_html(history: list[dict[str, Any]]) -> str:
    e = html.escape
    if not history:
        return f"<p>{e(_(T_NO_NOTICE))}</p>"
    rows = "".join(
        f"<tr><td style='padding:2px 12px 2px 0'>{e(local_datetime(n['printed_at']))}</td>"
        f"<td style='padding:2px 12px 2px 0'>{e(str(n['document_number']))}</td>"
        f"<td>{e(_(T_REPRINT) if n.get('reprint') else _(T_FIRST_PRINT))}</td></tr>"
        for n in history)
    return f"<table>{rows}</table>"


class VisitDetailDialog(ScreenFitted, QDialog):
    """Detail of one visit (from today's list) or one earlier matter (from a person's history). With the
    services attached (today's list), it also shows the stored classification and the notices printed, and
    reprints the notice (补打) into the same preview as Ctrl+P on the registration page."""

    def __init__(self, title: str, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_VisitDetailDialog()
        self.ui.setupUi(self)
        self.setWindowTitle(title)
        self.title = title
        self.rows = rows
        self.services: Services | None = None
        self.actor: Actor | None = None
        self.runner: TaskRunner | None = None
        self.visit_id: str | None = None
        self.classification: Any = None
        self.history: list[dict[str, Any]] = []
        self.last_notice: Any = None
        self.last_preview: Any = None
        self._extra = ""
        self._render()
        self.detail: Any = None  # services.dto.VisitDetail once loaded
        self.linked: VisitDetailDialog | None = None  # the earlier/later visit opened from a link
        self.ui.button_box.rejected.connect(self.reject)
        self.ui.reprint_button.clicked.connect(self.reprint)
        self.ui.detail_browser.anchorClicked.connect(lambda url: self.open_linked(url.toString()))

    def _render(self) -> None:
        self.ui.detail_browser.setHtml(f"<h3>{html.escape(self.title)}</h3>" + _rows_html(self.rows) + self._extra)

    @classmethod
    def for_visit_id(cls, visit_id: str, query_code: str, services: Services, actor: Actor, runner: TaskRunner,
                     parent: QWidget | None = None) -> VisitDetailDialog:
        """A visit known only by its id (an earlier visit, a repeat): everything is loaded from the services."""
        dlg = cls(_("Visit {code}").format(code=query_code), [], parent)
        return dlg.attach(services, actor, runner, visit_id)

    def open_linked(self, link: str) -> None:
        """visit:<id> links (repeat visits both ways) open that visit in its own window."""
        if not link.startswith("visit:") or self.services is None or self.actor is None or self.runner is None:
            return
        vid = link.split(":", 1)[1]
        d = self.detail
        links = ([d.repeat_of] if d is not None and d.repeat_of else []) + (list(d.repeated_by) if d else [])
        code = next((x.query_code for x in links if x.visit_id == vid), "")
        self.linked = VisitDetailDialog.for_visit_id(vid, code, self.services, self.actor, self.runner, self)
        self.linked.open()

    def attach(self, services: Services, actor: Actor, runner: TaskRunner, visit_id: str) -> VisitDetailDialog:
        """Load the classification and the notice history on a worker; offer the reprint if allowed."""
        self.services, self.actor, self.runner, self.visit_id = services, actor, runner, visit_id
        self.ui.status_label.setText(_("Loading the classification…"))
        self.refresh()
        return self

    def refresh(self) -> None:
        services, actor, vid = self.services, self.actor, self.visit_id
        assert services is not None and actor is not None and self.runner is not None and vid is not None

        def load() -> tuple[Any, list[dict[str, Any]], list[Any], list[Any], Any, Any]:
            return (services.classification.latest_for_visit(actor, vid), services.notices.history(actor, vid),
                    services.advice.for_visit(actor, vid), services.scheduling.bookings_of(actor, vid),
                    services.search.visit_detail(actor, vid), services.progress.history(actor, vid))

        QueryOp(self.runner, self, load).success(self._loaded).failure(
            lambda exc: self.ui.status_label.setText(error_text(exc))).run()

    def _loaded(self, loaded: tuple[Any, list[dict[str, Any]], list[Any], list[Any], Any, Any]) -> None:
        from xinfang_desk.gui import lawyer_desk

        self.classification, self.history, advice, bookings, self.detail, progress = loaded
        e = html.escape
        d = self.detail
        if d is not None:
            self.rows = visit_rows(d)
        self._extra = (matter_html(d) + f"<h4>{e(_(T_CHANNELS))}</h4>" + classification_html(self.classification)
                       + f"<h4>{e(_(T_NOTICES))}</h4>" + notices_html(self.history) + state_history_html(progress)
                       + f"<h4>{e(_(T_BOOKINGS))}</h4>"
                       + (lawyer_desk.bookings_html(bookings) if bookings else f"<p>{e(_(T_NO_BOOKINGS))}</p>"))
        if advice:
            self._extra += f"<h4>{e(_(lawyer_desk.T_ADVICE))}</h4>" + lawyer_desk.advice_html(advice)
        self._render()
        self.ui.status_label.setText("")
        may_print = self.actor is not None and self.actor.may("print notices") and self.classification is not None
        b = self.ui.reprint_button
        b.setText(_("&Reprint notice") if self.history else _("&Print notice"))
        b.setVisible(may_print)
        if may_print:
            b.setFocus()

    def reprint(self) -> None:
        """补打: print_notice marks every print after the first as a reprint of the stored content."""
        if self.services is None or self.actor is None or self.runner is None or self.visit_id is None:
            return
        services, actor, vid = self.services, self.actor, self.visit_id
        self.ui.reprint_button.setEnabled(False)
        self.ui.status_label.setText(_("Printing the notice…"))
        (CommandOp(self.runner, self, lambda: services.notices.print_notice(actor, vid, "both"))
         .success(self._printed).failure(self._print_failed).run())

    def _printed(self, notice: Any) -> None:
        from xinfang_desk.gui.notice_preview import NoticePreviewDialog

        assert self.runner is not None
        self.ui.reprint_button.setEnabled(True)
        self.ui.status_label.setText("")
        self.last_notice = notice
        self.last_preview = NoticePreviewDialog(notice, self.runner, self)
        self.last_preview.open()
        self.refresh()

    def _print_failed(self, exc: BaseException) -> None:
        self.ui.reprint_button.setEnabled(True)
        self.ui.status_label.setText(_("The notice could not be printed: {error}").format(error=error_text(exc)))

    @classmethod
    def for_visit_row(cls, row: Any, names: list[str], parent: QWidget | None = None) -> VisitDetailDialog:
        rows = [
            (_("Query code"), row.query_code),
            (_("Received"), local_datetime(row.received_at)),
            (_("Window"), row.window_code),
            (_("Channel"), channel_label(row.channel)),
            (_("Visitors"), "、".join(names)),
            (_("Group size"), str(row.group_size)),
            (_("Kind of matter"), row.kind_label or row.kind),
            (_("Clerk"), row.clerk),
            (_("Status"), status_label(row.status)),
            (_("Repeat visit"), _("yes") if row.is_repeat else _("no")),
        ]
        for i, p in enumerate(row.people):
            if p.get("id_number") or p.get("phone"):
                rows.append((_("ID number") + f" {i + 1}", p.get("id_number") or "—"))
                rows.append((_("Phone") + f" {i + 1}", p.get("phone") or "—"))
        return cls(_("Visit {code}").format(code=row.query_code), rows, parent)

    @classmethod
    def for_matter(cls, m: Any, parent: QWidget | None = None) -> VisitDetailDialog:
        rows = [
            (_("Query code"), m.query_code),
            (_("Received on"), m.received_on.isoformat()),
            (_("Window"), m.window_code),
            (_("Channel"), channel_label(m.channel)),
            (_("Kind of matter"), m.kind_label),
            (_("Summary"), m.summary),
            (_("Demands"), m.demands or "—"),
            (_("Respondent"), m.respondent or "—"),
            (_("Status"), status_label(m.status)),
        ]
        return cls(_("Visit {code}").format(code=m.query_code), rows, parent)

    @classmethod
    def for_repeat(cls, r: Any, parent: QWidget | None = None) -> VisitDetailDialog:
        kind = kinds_by_code().get(r.kind)
        rows = [
            (_("Query code"), r.query_code),
            (_("Received on"), r.received_on.isoformat()),
            (_("Window"), r.window_code),
            (_("Kind of matter"), kind.label() if kind else r.kind),
            (_("Status"), status_label(r.status)),
        ]
        return cls(_("Visit {code}").format(code=r.query_code), rows, parent)


# Keys beyond the pages' Alt+N (README "Keys"); the pages' own are added by the main window.
KEYMAP: tuple[tuple[str, str], ...] = (
    ("F1", N_("This list of keys")),
    ("Enter", N_("Registration, last field: save when every question that affects the channel is answered, "
                 "else go to the first unanswered one")),
    ("Ctrl+S", N_("Save the registration; unanswered questions are recorded as “unknown”")),
    ("Ctrl+P", N_("Save and print the guidance notice")),
    ("Ctrl+Shift+P", N_("Save, print the guidance notice and show its preview")),
    ("Ctrl+Shift+R", N_("Reprint the last notice (补打)")),
    ("Y / N", N_("In a yes/no question: answer 是 / 否 and go on to the next question that affects the channel")),
    ("Alt+C / Alt+G", N_("Registration: the channel / the group size (Tab passes them)")),
    ("Ctrl+R", N_("Override the proposed channel (with a reason)")),
    ("Esc", N_("Clear the form (asks first); close a dialog")),
    ("Enter", N_("In the search box: pick the first match; in a list: open the visit")),
    ("F5", N_("Sync page: sync now")),
    ("Enter / Del", N_("Users page, in the list: edit the account / disable it (asks first) or enable it")),
    ("Ctrl+N / Ctrl+U / Ctrl+R", N_("Users page: new account / unlock / reset the password")),
    ("Ctrl+F", N_("Users page: the filter")),
)


class KeymapDialog(ScreenFitted, QDialog):
    """F1: the keys of the application, pages first (their Alt+N are the same for every role)."""

    def __init__(self, pages: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem, QVBoxLayout

        super().__init__(parent)
        self.setWindowTitle(_("Keys"))
        rows = [*pages, *((k, _(what)) for k, what in KEYMAP)]
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels([_("Key"), _("What it does")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, (k, what) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(k))
            self.table.setItem(r, 1, QTableWidgetItem(what))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addWidget(buttons)
        self.resize(560, 420)


def _answers_html(rows: list[tuple[str, str]]) -> str:
    """Question (wraps) and answer (never wraps): a long question must not squeeze 未知 into two lines."""
    e = html.escape
    cells = "".join(f'<tr><td style="padding:3px 12px 3px 0; color:#555">{e(q)}</td>'
                    f'<td style="padding:3px 0; white-space:nowrap">{e(a)}</td></tr>' for q, a in rows)
    return f"<table width='100%'>{cells}</table>"


def _fact_answer(q: Any, value: Any) -> str:
    """An answer in words: 是/否, the Chinese label of a choice, a date as written, or 未知."""
    if value is None or value == "":
        return _("unknown")
    if q.type == "bool":
        return _("yes") if value else _("no")
    if q.type == "enum":
        return dict(q.choice_labels_zh).get(value, _("unknown"))
    return str(value)


def visit_rows(d: Any) -> list[tuple[str, str]]:
    """The visit's own facts: when, where, who (masked by role), with their addresses."""
    rows = [
        (_("Query code"), d.query_code),
        (_("Received"), local_datetime(d.received_at)),
        (_("Window"), d.window_code),
        (_("Channel"), channel_label(d.channel)),
        (_("Group size"), str(d.group_size)),
        (_("Status"), status_label(d.status)),
    ]
    for i, p in enumerate(d.people):
        n = f" {i + 1}" if len(d.people) > 1 else ""
        rows.append((_("Name") + n, p.get("name") or "—"))
        rows.append((_("ID number") + n, p.get("id_number") or "—"))
        rows.append((_("Phone") + n, p.get("phone") or "—"))
        rows.append((_("Address") + n, p.get("address") or "—"))
    return rows


def matter_html(d: Any) -> str:
    """诉求摘要, 具体诉求, 被反映对象, the answers to the kind's questions in Chinese, and the repeat links."""
    if d is None:
        return ""
    e = html.escape
    out = [f"<h4>{e(_(T_MATTER))}</h4>", _rows_html([
        (_("Kind of matter"), d.kind_label or "—"),
        (_("Summary"), d.summary or "—"),
        (_("Demands"), d.demands or "—"),
        (_("Respondent"), d.respondent or "—"),
    ])]
    try:
        from xinfang_desk.gui.facts_panel import question_text
        from xinfang_desk.statutes.engine import facts_for_kind

        questions = facts_for_kind(d.kind) if d.kind else []
    except Exception:  # noqa: BLE001 - an unknown kind asks nothing
        questions = []
    if questions:
        out.append(f"<h4>{e(_(T_ANSWERS))}</h4>")
        out.append(_answers_html([(question_text(q), _fact_answer(q, d.facts.get(q.name))) for q in questions]))
    links = []
    if d.repeat_of is not None:
        r = d.repeat_of
        links.append(f'<a href="visit:{e(r.visit_id)}">{e(_(T_REPEAT_OF).format(code=r.query_code, day=r.received_on.isoformat()))}</a>')
    for r in d.repeated_by:
        links.append(f'<a href="visit:{e(r.visit_id)}">{e(_(T_REPEATED_BY).format(code=r.query_code, day=r.received_on.isoformat()))}</a>')
    if links:
        out.append(f"<h4>{e(_(T_REPEATS))}</h4><p style='background:#fff3cd'>" + "<br/>".join(links) + "</p>")
    return "".join(out)


def state_history_html(progress: Any) -> str:
    """The matter's progress (services.progress.ProgressView): each step with its day, organ or document, oldest
    first."""
    e = html.escape
    steps = getattr(progress, "steps", ()) or ()
    if not steps:
        return f"<h4>{e(_(T_STATE_HISTORY))}</h4><p>{e(_(T_NO_STATE_HISTORY))}</p>"
    rows = [(st.occurred_on.isoformat(), "　".join(x for x in (status_label(st.state), st.organ, st.document, st.note,
                                                               st.operator_name) if x)) for st in steps]
    return f"<h4>{e(_(T_STATE_HISTORY))}</h4>" + _rows_html(rows)


