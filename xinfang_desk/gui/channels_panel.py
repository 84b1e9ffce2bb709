"""Right column of the registration page: the statutory channel(s) the engine proposes for the matter, live.

`update_document({"received_on", "group_size", "matter": {"kind", "facts"}})` is called on every edit; after a
short pause the proposal runs on a worker thread (`propose(doc)`, by default the services' proposal with the
office's holiday calendar, else `statutes.engine.classify_document`) and each channel is listed with its
decision, organ, articles and last days — an expired period in red AND with the words 已届满. The engine's
warnings follow in Chinese; the facts it still misses are summed up in one line (the questions on the left
are marked). Without the engine the panel says so and stays out of the way.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.gui.tasks import QueryOp, StreamKey, TaskRunner
from xinfang_desk.i18n import N_, _
from xinfang_desk.i18n.messages import warning_words

RED = "#8a1c12"
AMBER = "#7a4b00"
GREY = "#555"
MAX_REFS = 3

T_DECISION = N_("Decision")
T_ORGAN = N_("Organ")
T_UNCONFIRMED = N_("address not confirmed")
T_ARTICLE = N_("Article")
T_LAST_DAY = N_("Last day")
T_EXPIRED = N_("expired")
T_FAILED = N_("The channel could not be determined: {error}")
T_SUPERSEDED = N_("The override replaces this proposal when saved.")
T_REGULATION = N_("Regulation applied")
T_MISSING = N_("{n} questions on the left still affect the result; it may change once they are answered.")
T_MISSING_LIST = N_("Not yet answered: {questions}")
# how a deadline is shown by its kind: only "open" is the visitor's own period
T_KINDS = {
    "bar": N_("outer limit: after it the organ refuses; not a period to act by"),
    "office_duty": N_("this office's own time limit"),
    "organ_duty": N_("the organ's time limit, not the visitor's"),
}


def load_engine() -> Any | None:
    try:
        return importlib.import_module("xinfang_desk.statutes.engine")
    except ImportError:
        return None


def _e(text: object) -> str:
    return html.escape(str(text))


def channel_html(ch: dict[str, Any], today: str | None = None) -> str:
    """One channel as rich text: decision and label, organ, articles, last days."""
    e = _e
    decision = ch.get("decision_label_zh") or ch.get("decision") or ""
    label = ch.get("label") or ""
    lines = [f"<b>{e(label)}</b>" if label else ""]
    if decision and decision != label:
        lines.append(f"<span style='color:{GREY}'>{e(_(T_DECISION))}：{e(decision)}</span>")
    organ = ch.get("organ_name") or ch.get("organ")
    if organ:
        text = f"{e(_(T_ORGAN))}：{e(organ)}"
        if ch.get("organ_detail"):
            text += f"（{e(ch['organ_detail'])}）"
        if ch.get("organ_confirmed") is False:
            text += f" <span style='color:{AMBER}'>（{e(_(T_UNCONFIRMED))}）</span>"
        lines.append(text)
    refs = [c.get("ref") for c in ch.get("citations") or [] if isinstance(c, dict) and c.get("ref")]
    if refs:
        shown = "；".join(refs[:MAX_REFS])
        if len(refs) > MAX_REFS:
            shown += _(" and {n} more").format(n=len(refs) - MAX_REFS)
        lines.append(f"{e(_(T_ARTICLE))}：{e(shown)}")
    for d in ch.get("deadlines") or []:
        if not isinstance(d, dict) or not d.get("last_day"):
            continue
        text = f"{e(_(T_LAST_DAY))}：{e(d['last_day'])}"
        if d.get("label"):
            text += f"（{e(d['label'])}）"
        kind = T_KINDS.get(str(d.get("kind") or "open"))
        if kind:
            text += f" <span style='color:{GREY}'>〔{e(_(kind))}〕</span>"
        if d.get("expired"):
            text = f"<span style='color:{RED}'>{text} <b>【{e(_(T_EXPIRED))}】</b></span>"
        lines.append(text)
    return "<br/>".join(x for x in lines if x)


class ChannelsPanel(QWidget):
    sig_result = Signal(object)  # the proposal dict, or None when there is none

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None,
                 propose: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.engine = load_engine()
        self._propose = propose
        self._doc: dict[str, Any] = {}
        self._stream = StreamKey("channel proposal")  # latest wins: a proposal for older typing is never shown
        self.last_result: dict[str, Any] | None = None
        self.last_error = ""
        self.superseded = False  # an override replaces the proposal when saved
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setContentsMargins(2, 2, 8, 2)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setWidget(self.label)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.scroll)
        self._timer = QTimer(self, singleShot=True, interval=350)
        self._timer.timeout.connect(self._run)
        self._show_idle()

    @property
    def available(self) -> bool:
        return self._propose is not None or (self.engine is not None and hasattr(self.engine, "classify_document"))

    @property
    def busy(self) -> bool:
        return self._timer.isActive()

    @property
    def pending(self) -> bool:
        """A proposal for what was typed is still to come (the pause, or the engine running)."""
        return self._timer.isActive() or self.runner.pending(self._stream)

    def text(self) -> str:
        return self.label.text()

    def _show_idle(self) -> None:
        if not self.available:
            self.label.setText(_e(_("The channel engine is not installed yet; channels are not proposed.")))
        else:
            self.label.setText(_e(_("Choose the kind of matter to see the proposed channel.")))

    def update_document(self, doc: dict[str, Any]) -> None:
        """Called on every edit of the matter; classification runs after a short pause."""
        if doc == self._doc and (self.last_result is not None or self._timer.isActive()):
            return
        self._doc = dict(doc)
        if not self.available:
            return
        if not (doc.get("matter") or {}).get("kind"):
            self.runner.supersede(self._stream)
            self._timer.stop()
            self.last_result = None
            self.last_error = ""
            self._show_idle()
            self.sig_result.emit(None)
            return
        self._timer.start()

    def set_superseded(self, superseded: bool) -> None:
        if superseded != self.superseded:
            self.superseded = superseded
            if self.last_result is not None:
                self._render(self.last_result)

    def _run(self) -> None:
        doc = dict(self._doc)
        fn = self._propose or self.engine.classify_document  # type: ignore[union-attr]

        def done(result: dict[str, Any]) -> None:
            self.last_result = result
            self.last_error = ""
            self._render(result)
            self.sig_result.emit(result)

        def failed(exc: BaseException) -> None:
            self.last_result = None
            if isinstance(exc, ValidationFailed):
                msg = "；".join(p.message() for p in exc.problems)
            else:
                msg = str(exc)
            self.last_error = msg
            self.label.setText(f"<span style='color:{RED}'>⚠ {_e(_(T_FAILED).format(error=msg))}</span>")
            self.sig_result.emit(None)

        QueryOp(self.runner, self, lambda: fn(doc)).latest(self._stream).success(done).failure(failed).run()

    def _render(self, result: dict[str, Any]) -> None:
        parts: list[str] = []
        if self.superseded:
            parts.append(f"<span style='color:{GREY}'>{_e(_(T_SUPERSEDED))}</span>")
        reg = result.get("regulation") or {}
        if reg.get("instrument"):
            parts.append(f"<span style='color:{GREY}'>{_e(_(T_REGULATION))}："
                         f"{_e(reg['instrument'])}（{_e(reg.get('version', ''))}）</span>")
        for ch in result.get("channels") or []:
            parts.append(channel_html(ch) if isinstance(ch, dict) else _e(ch))
        missing: list[str] = []
        questions: list[str] = []
        warns: list[str] = []
        for w in result.get("warnings") or []:
            if isinstance(w, dict) and w.get("code") == "missing_fact":
                missing.append(str(w.get("fact")))
                q = (w.get("params") or {}).get("question")
                if isinstance(q, dict) and q.get("msgid"):
                    questions.append(_(str(q["msgid"])))
                continue
            text = warning_words(w)
            colour = AMBER if isinstance(w, dict) and w.get("code") in ("calendar_uncertain", "citation_status") else RED
            warns.append(f"<span style='color:{colour}'>⚠ {_e(text)}</span>")
        if missing:
            line = _(T_MISSING).format(n=len(missing))
            if questions:  # the facts' own questions, never their internal keys
                line += " " + _(T_MISSING_LIST).format(questions="；".join(questions))
            warns.insert(0, f"<span style='color:{AMBER}'>⚠ {_e(line)}</span>")
        if not result.get("channels"):
            parts.append(_e(_("No channel proposed.")))
        body = "<hr/>".join(parts)
        if warns:
            body += "<hr/>" + "<br/>".join(warns)
        self.label.setText(body)

    def missing_facts(self) -> set[str]:
        r = self.last_result or {}
        return {str(w.get("fact")) for w in r.get("warnings") or [] if isinstance(w, dict) and w.get("code") == "missing_fact"}
