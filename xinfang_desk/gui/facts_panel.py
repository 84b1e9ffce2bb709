"""The kind-specific questions of the matter panel: only the facts the rules use for the chosen kind
(`statutes.engine.facts_for_kind`), asked as plain Chinese questions.

Dates accept `2026-11-27`, `2026/11/27`, `2026.11.27`, `2026年11月27日`, `20261127`, and `11.27` / `11-27` /
`11月27日` (this year); a date in the future is refused with a message. Yes/no questions are a tri-state
combo (unknown / yes / no), enumerations a combo of Chinese labels with "unknown" first. Answers survive a
change of kind (a fact both kinds ask keeps its value). `facts()` feeds `MatterInput.facts` and the live
proposal; a date still being typed (or wrong) is left out of it and reported by `problems()`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from xinfang_desk.i18n import N_, _, language
from xinfang_desk.services.context import local_today
from xinfang_desk.statutes.facts import EARLIEST_FACT_DATE, FactQuestion

UNKNOWN = N_("unknown")
YES = N_("yes")
NO = N_("no")
DATE_HINT = N_("e.g. 2026-11-27, 20261127, 11.27")
ERROR_STYLE = "color: #b00020;"

_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SHORT = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

T_AFFECTS = N_("affects the channel")
T_EARLIER = N_("from the earlier visit {code}")
_YES_KEYS = (Qt.Key.Key_Y, Qt.Key.Key_1)
_NO_KEYS = (Qt.Key.Key_N, Qt.Key.Key_0)


class DateProblem(ValueError):
    """A date as typed that cannot be used; str() is the message for the clerk."""


def parse_fact_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """The date typed into a fact field; None for an empty field. Raises DateProblem with a message."""
    s = unicodedata.normalize("NFKC", text or "").strip()
    if not s:
        return None
    today = today or local_today()
    m = _FULL.match(s) or _COMPACT.match(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    elif (m := _SHORT.match(s)) is not None:
        y, mo, d = today.year, int(m.group(1)), int(m.group(2))
    else:
        raise DateProblem(_("write the date as 2026-11-27, 20261127 or 11.27"))
    try:
        day = dt.date(y, mo, d)
    except ValueError:
        raise DateProblem(_("there is no day {value}").format(value=f"{y}-{mo:02d}-{d:02d}")) from None
    if day > today:
        raise DateProblem(_("date {value} is in the future").format(value=day.isoformat()))
    if day < EARLIEST_FACT_DATE:
        raise DateProblem(_("date {value} is implausibly early").format(value=day.isoformat()))
    return day


def question_text(q: FactQuestion) -> str:
    return q.question_zh if language() == "zh_CN" else _(q.msgid)


class FactsPanel(QWidget):
    """One row per fact: the question, its field, and an error line under it."""

    sig_changed = Signal()
    sig_enter = Signal()  # Enter in a question: the page saves, or moves on to an unanswered question
    sig_answered = Signal(str)  # Y/N answered a yes/no question (the fact name): the page moves on

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = ""
        self.questions: list[FactQuestion] = []
        self.fields: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self._remembered: dict[str, Any] = {}  # answers by fact name, kept across kinds
        self._missing: set[str] = set()
        self._earlier: dict[str, str] = {}  # fact -> query code of the earlier visit its answer was taken from
        self._quiet = False
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(0, 1)

    # ---------------------------------------------------------------- building
    def set_kind(self, kind: str) -> None:
        if kind == self.kind:
            return
        self._remembered.update(self.raw_answers())
        self.kind = kind
        self._clear()
        self.questions = []
        if kind:
            from xinfang_desk.statutes.engine import facts_for_kind

            try:
                self.questions = facts_for_kind(kind)
            except Exception:  # noqa: BLE001 - an unknown kind asks nothing; saving reports it
                self.questions = []
        self._quiet = True
        try:
            for row, q in enumerate(self.questions):
                self._add_row(row, q)
                if q.name in self._remembered:
                    self._set_raw(q.name, self._remembered[q.name])
        finally:
            self._quiet = False
        self._mark_missing()
        self.sig_changed.emit()

    def _clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.hide()
                w.deleteLater()
        self.fields.clear()
        self.labels.clear()
        self.errors.clear()

    def _add_row(self, row: int, q: FactQuestion) -> None:
        label = QLabel(question_text(q), self)
        label.setWordWrap(True)
        label.setToolTip(question_text(q))
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        field: QWidget
        if q.type == "date":
            edit = QLineEdit(self)
            edit.setPlaceholderText(_(DATE_HINT))
            edit.textChanged.connect(lambda _t, n=q.name: self._on_edit(n))
            edit.editingFinished.connect(lambda n=q.name: self._finish_date(n))
            field = edit
        elif q.type == "text":
            edit = QLineEdit(self)
            edit.textChanged.connect(lambda _t, n=q.name: self._on_edit(n))
            field = edit
        else:
            combo = QComboBox(self)
            combo.addItem(_(UNKNOWN), None)
            if q.type == "bool":
                combo.addItem(_(YES), True)
                combo.addItem(_(NO), False)
            else:
                zh = dict(q.choice_labels_zh)
                for code in q.choices:
                    combo.addItem(zh.get(code, code) if language() == "zh_CN" else code, code)
                    combo.setItemData(combo.count() - 1, zh.get(code, code), Qt.ItemDataRole.ToolTipRole)
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                combo.setMinimumContentsLength(14)
            combo.currentIndexChanged.connect(lambda _i, n=q.name: self._on_edit(n))
            field = combo
        field.setObjectName(f"fact_{q.name}")
        field.installEventFilter(self)
        field.setMinimumWidth(230)
        label.setBuddy(field)
        err = QLabel(self)
        err.setStyleSheet(ERROR_STYLE)
        err.setWordWrap(True)
        err.hide()
        self.grid.addWidget(label, 2 * row, 0)
        self.grid.addWidget(field, 2 * row, 1)
        self.grid.addWidget(err, 2 * row + 1, 0, 1, 2)
        self.labels[q.name], self.fields[q.name], self.errors[q.name] = label, field, err

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        """Enter in any question: sig_enter. In a yes/no question Y (or 1) answers 是 and N (or 0) 否, then on."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not mods:
            self.sig_enter.emit()
            return isinstance(obj, QComboBox)
        if isinstance(obj, QComboBox) and not mods and key in (*_YES_KEYS, *_NO_KEYS):
            name = next((n for n, w in self.fields.items() if w is obj), None)
            if name is not None and obj.findData(True) >= 0:
                obj.setCurrentIndex(obj.findData(key in _YES_KEYS))
                self.sig_answered.emit(name)
                return True
        return False

    def widgets_in_order(self) -> list[QWidget]:
        return [self.fields[q.name] for q in self.questions]

    # ---------------------------------------------------------------- values
    def _on_edit(self, name: str) -> None:
        if self._quiet:
            return
        if self._earlier.pop(name, None) is not None:  # the clerk's own answer now: no longer the earlier one
            self._mark_missing()
        if isinstance(self.fields.get(name), QComboBox) or self.errors[name].isVisible():
            self._validate(name, final=False)
        self.sig_changed.emit()

    def _finish_date(self, name: str) -> None:
        edit = self.fields.get(name)
        if not isinstance(edit, QLineEdit):
            return
        day = self._validate(name, final=True)
        if day is not None and edit.text() != day.isoformat():
            edit.setText(day.isoformat())  # show what was understood: 11.27 -> 2026-11-27

    def _validate(self, name: str, final: bool) -> dt.date | None:
        edit = self.fields.get(name)
        if not isinstance(edit, QLineEdit):
            self.show_error(name, "")
            return None
        try:
            day = parse_fact_date(edit.text())
        except DateProblem as e:
            if final:
                self.show_error(name, str(e))
            return None
        self.show_error(name, "")
        return day

    def show_error(self, name: str, text: str) -> None:
        err = self.errors.get(name)
        if err is not None:
            err.setText(text)
            err.setVisible(bool(text))

    def clear_errors(self) -> None:
        for name in self.errors:
            self.show_error(name, "")

    def facts(self) -> dict[str, Any]:
        """The answers that are usable now: ISO dates, True/False, enum codes, text; unknown ones left out."""
        out: dict[str, Any] = {}
        for q in self.questions:
            w = self.fields[q.name]
            if isinstance(w, QComboBox):
                value = w.currentData()
                if value is not None:
                    out[q.name] = value
            elif isinstance(w, QLineEdit):
                if q.type == "date":
                    try:
                        day = parse_fact_date(w.text())
                    except DateProblem:
                        continue
                    if day is not None:
                        out[q.name] = day.isoformat()
                elif w.text().strip():
                    out[q.name] = w.text().strip()
        return out

    def problems(self) -> list[tuple[str, str]]:
        """(fact, message) for each date field whose text cannot be used; shown next to the field."""
        out = []
        for q in self.questions:
            w = self.fields[q.name]
            if q.type == "date" and isinstance(w, QLineEdit):
                try:
                    parse_fact_date(w.text())
                except DateProblem as e:
                    out.append((q.name, str(e)))
                    self.show_error(q.name, str(e))
        return out

    def raw_answers(self) -> dict[str, Any]:
        """What is in the fields as typed (for the draft and across kinds)."""
        out: dict[str, Any] = {}
        for name, w in self.fields.items():
            if isinstance(w, QComboBox):
                if w.currentData() is not None:
                    out[name] = w.currentData()
            elif isinstance(w, QLineEdit) and w.text():
                out[name] = w.text()
        return out

    def _set_raw(self, name: str, value: Any) -> None:
        w = self.fields.get(name)
        if isinstance(w, QComboBox):
            i = w.findData(value)
            w.setCurrentIndex(max(0, i))
        elif isinstance(w, QLineEdit):
            w.setText("" if value is None else str(value))

    def set_answers(self, answers: dict[str, Any]) -> None:
        self._quiet = True
        try:
            for name, value in answers.items():
                self._remembered[name] = value
                self._set_raw(name, value)
        finally:
            self._quiet = False
        self.sig_changed.emit()

    def offer_earlier(self, code: str, answers: dict[str, Any]) -> list[str]:
        """A returning visitor: the earlier matter's answers fill the questions still unanswered, each marked as
        taken from that visit until the clerk changes it. Returns the facts filled."""
        now = self.raw_answers()
        filled = []
        self._quiet = True
        try:
            for q in self.questions:
                if q.name in now or q.name not in answers or answers[q.name] in (None, ""):
                    continue
                self._set_raw(q.name, answers[q.name])
                if q.name in self.raw_answers():
                    self._earlier[q.name] = code
                    self._remembered[q.name] = answers[q.name]
                    filled.append(q.name)
        finally:
            self._quiet = False
        self._mark_missing()
        if filled:
            self.sig_changed.emit()
        return filled

    def earlier(self) -> dict[str, str]:
        return dict(self._earlier)

    def reset(self) -> None:
        self._earlier.clear()
        self._remembered.clear()
        self._quiet = True
        try:
            for name in list(self.fields):
                self._set_raw(name, None)
        finally:
            self._quiet = False
        self.set_kind("")
        self.clear_errors()

    # ---------------------------------------------------------------- missing facts (from the proposal)
    def set_missing(self, names: set[str]) -> None:
        self._missing = set(names)
        self._mark_missing()

    def _mark_missing(self) -> None:
        for q in self.questions:
            label = self.labels.get(q.name)
            if label is None:
                continue
            text = question_text(q)
            if q.name in self._earlier:
                text += f" <span style='color:#555; white-space:nowrap'>〔{_(T_EARLIER).format(code=self._earlier[q.name])}〕</span>"
            if q.name in self._missing:
                label.setText(f"{text} <span style='color:#7a4b00; white-space:nowrap'>【{_(T_AFFECTS)}】</span>")
            else:
                label.setText(text)
