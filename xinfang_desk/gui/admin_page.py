"""管理 (Alt+8, administrators): the organ directory (confirm address and phone), the holiday calendar (import a
year from the State Council's schedule as JSON), the office (its name on every notice and the seal text), the
district's towns (镇街) offered in the address field, and 接访人员 (gui/staff_page.py: the people who serve in
sessions, their leave, declared conflicts and linked accounts) for those who may "manage session staff".
Ctrl+Tab moves between the tabs; Ctrl+S saves the tab shown. User administration is on its own page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.staff_page import P_STAFF, StaffTab
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor

T_CONFIRMED = N_("confirmed")
T_TO_CONFIRM = N_("to be confirmed")
ORGAN_COLUMNS = (N_("Organ"), N_("Address"), N_("Phone"), N_("Office hours"), N_("Checked"))


def open_calendar_file(parent: QWidget) -> str:
    """The file dialog for a year's schedule (tests patch this)."""
    path, _f = QFileDialog.getOpenFileName(parent, _("Import a year of holidays"), str(Path.home()),
                                           _("Holiday schedule (*.json)"))
    return path


class AdminPage(QWidget):
    sig_saved = Signal(str)  # what was saved: "organ", "calendar", "office", "towns"

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.runner = services, actor, runner
        self.organs: list[Any] = []
        self.tabs = QTabWidget(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(self.status)
        self._build_organs()
        self._build_calendar()
        self._build_office()
        self._build_towns()
        # 接访人员 lives here, not on the schedule page (Alt+4): only the administrator may manage session staff,
        # and this page holds the reference lists every window shares; see gui/staff_page.py
        self.staff_tab: StaffTab | None = None
        if actor.may(P_STAFF):
            self.staff_tab = StaffTab(services, actor, runner, self)
            self.staff_tab.sig_saved.connect(lambda what: self.sig_saved.emit(f"staff.{what}"))
            self.tabs.addTab(self.staff_tab, _("Session staff"))
        QShortcut(QKeySequence("Ctrl+S"), self, self.save_current, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.reload()

    # ---------------------------------------------------------------- organs
    def _build_organs(self) -> None:
        w = QWidget()
        self.organ_table = QTableWidget(0, len(ORGAN_COLUMNS), w)
        self.organ_table.setHorizontalHeaderLabels([_(c) for c in ORGAN_COLUMNS])
        self.organ_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.organ_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.organ_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.organ_table.verticalHeader().hide()
        self.organ_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.organ_table.horizontalHeader().setStretchLastSection(True)
        self.organ_table.currentCellChanged.connect(lambda *_a: self._show_organ())
        self.organ_name = QLabel(w)
        self.organ_address = QLineEdit(w)
        self.organ_phone = QLineEdit(w)
        self.organ_hours = QLineEdit(w)
        self.organ_confirmed = QCheckBox(_("Address and phone checked by the office"), w)
        self.organ_save = QPushButton(_("Save the organ (Ctrl+S)"), w)
        self.organ_save.clicked.connect(self.save_organ)
        form = QFormLayout()
        form.addRow(_("Organ"), self.organ_name)
        form.addRow(_("Address"), self.organ_address)
        form.addRow(_("Phone"), self.organ_phone)
        form.addRow(_("Office hours"), self.organ_hours)
        form.addRow("", self.organ_confirmed)
        for edit in (self.organ_address, self.organ_phone, self.organ_hours):
            edit.returnPressed.connect(self.save_organ)
        v = QVBoxLayout(w)
        v.addWidget(self.organ_table, 1)
        v.addLayout(form)
        h = QHBoxLayout()
        h.addStretch(1)
        h.addWidget(self.organ_save)
        v.addLayout(h)
        self.tabs.addTab(w, _("Organ directory"))

    def _fill_organs(self, organs: list[Any]) -> None:
        self.organs = organs
        t = self.organ_table
        row = max(0, t.currentRow())
        t.setRowCount(len(organs))
        for r, o in enumerate(organs):
            for c, text in enumerate((o.name, o.address, o.phone, o.hours, _(T_CONFIRMED) if o.confirmed else _(T_TO_CONFIRM))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                t.setItem(r, c, item)
        t.resizeColumnsToContents()
        for c in range(t.columnCount() - 1):
            t.setColumnWidth(c, min(t.columnWidth(c), 320))
        if organs:
            t.setCurrentCell(min(row, len(organs) - 1), 0)
        self._show_organ()

    def current_organ(self) -> Any:
        r = self.organ_table.currentRow()
        return self.organs[r] if 0 <= r < len(self.organs) else None

    def _show_organ(self) -> None:
        o = self.current_organ()
        self.organ_name.setText(o.name if o else "—")
        self.organ_address.setText(o.address if o else "")
        self.organ_phone.setText(o.phone if o else "")
        self.organ_hours.setText(o.hours if o else "")
        self.organ_confirmed.setChecked(bool(o and o.confirmed))

    def save_organ(self) -> None:
        o = self.current_organ()
        if o is None:
            return
        ref, actor = self.services.reference, self.actor
        fields = {"address": self.organ_address.text(), "phone": self.organ_phone.text(),
                  "hours": self.organ_hours.text()}
        confirmed = self.organ_confirmed.isChecked()
        (CommandOp(self.runner, self, lambda: ref.update_organ(actor, o.key, confirmed=confirmed, **fields))
         .success(lambda dto: self._saved("organ", _("{organ} saved.").format(organ=dto.name)))
         .failure(self._failed).run())

    # ---------------------------------------------------------------- calendar
    def _build_calendar(self) -> None:
        w = QWidget()
        self.years_list = QListWidget(w)
        self.import_button = QPushButton(_("Import a year (JSON)…"), w)
        self.import_button.clicked.connect(self.import_year)
        hint = QLabel(_("The State Council publishes each year's holidays and adjusted working days in December; "
                        "import the year's schedule here (the same form as resources/calendar)."), w)
        hint.setWordWrap(True)
        v = QVBoxLayout(w)
        v.addWidget(hint)
        v.addWidget(self.years_list, 1)
        h = QHBoxLayout()
        h.addStretch(1)
        h.addWidget(self.import_button)
        v.addLayout(h)
        self.tabs.addTab(w, _("Holiday calendar"))

    def import_year(self) -> None:
        path = open_calendar_file(self)
        if not path:
            return
        ref, actor = self.services.reference, self.actor

        def work() -> int:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
            return ref.import_calendar_year(actor, doc)

        (CommandOp(self.runner, self, work)
         .success(lambda year: self._saved("calendar", _("The holidays of {year} were imported.").format(year=year)))
         .failure(self._failed).run())

    # ---------------------------------------------------------------- office
    def _build_office(self) -> None:
        w = QWidget()
        self.office_name = QLineEdit(w)
        self.office_name.setMaxLength(60)
        self.seal_text = QLineEdit(w)
        self.seal_text.setMaxLength(20)
        self.office_save = QPushButton(_("Save (Ctrl+S)"), w)
        self.office_save.clicked.connect(self.save_office)
        for edit in (self.office_name, self.seal_text):
            edit.returnPressed.connect(self.save_office)
        form = QFormLayout(w)
        form.addRow(_("Name of the office (on every notice)"), self.office_name)
        form.addRow(_("Seal text"), self.seal_text)
        form.addRow("", self.office_save)
        self.tabs.addTab(w, _("The office"))

    def save_office(self) -> None:
        ref, actor = self.services.reference, self.actor
        name, seal = self.office_name.text(), self.seal_text.text()
        (CommandOp(self.runner, self, lambda: ref.set_office(actor, name, seal))
         .success(lambda _r: self._saved("office", _("The office's name and seal text were saved.")))
         .failure(self._failed).run())

    # ---------------------------------------------------------------- towns
    def _build_towns(self) -> None:
        w = QWidget()
        hint = QLabel(_("The district's towns and street offices (镇街), one per line: the address field offers them "
                        "first (by name, pinyin or initials)."), w)
        hint.setWordWrap(True)
        self.towns_edit = QPlainTextEdit(w)
        self.towns_edit.setTabChangesFocus(True)
        self.towns_save = QPushButton(_("Save (Ctrl+S)"), w)
        self.towns_save.clicked.connect(self.save_towns)
        v = QVBoxLayout(w)
        v.addWidget(hint)
        v.addWidget(self.towns_edit, 1)
        h = QHBoxLayout()
        h.addStretch(1)
        h.addWidget(self.towns_save)
        v.addLayout(h)
        self.tabs.addTab(w, _("Towns and street offices"))

    def save_towns(self) -> None:
        ref, actor = self.services.reference, self.actor
        names = self.towns_edit.document().toRawText().replace("\u2029", "\n").split("\n")
        (CommandOp(self.runner, self, lambda: ref.set_towns(actor, names))
         .success(lambda saved: self._saved("towns", _("{n} towns and street offices saved.").format(n=len(saved))))
         .failure(self._failed).run())

    # ---------------------------------------------------------------- common
    def focus_main(self) -> None:
        self.organ_table.setFocus()

    def save_current(self) -> None:
        if self.staff_tab is not None and self.tabs.currentWidget() is self.staff_tab:
            self.staff_tab.save_person()
            return
        [self.save_organ, self.import_year, self.save_office, self.save_towns][self.tabs.currentIndex()]()

    def reload(self) -> None:
        ref = self.services.reference

        def load() -> tuple[list[Any], list[int], tuple[str, str], list[str]]:
            return ref.organs(), ref.calendar_years(), ref.office(), ref.towns()

        QueryOp(self.runner, self, load).success(self._loaded).failure(self._failed).run()
        if self.staff_tab is not None:
            self.staff_tab.reload()

    def _loaded(self, loaded: tuple[list[Any], list[int], tuple[str, str], list[str]]) -> None:
        organs, years, (office, seal), towns = loaded
        self.towns_edit.setPlainText("\n".join(towns))
        self._fill_organs(organs)
        self.years_list.clear()
        for y in years:
            self.years_list.addItem(_("{year}: holidays and adjusted working days").format(year=y))
        self.office_name.setText(office)
        self.seal_text.setText(seal)

    def _saved(self, what: str, text: str) -> None:
        self.status.setStyleSheet("")
        self.status.setText(text)
        self.sig_saved.emit(what)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(error_text(exc))
