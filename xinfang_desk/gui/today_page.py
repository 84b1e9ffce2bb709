"""今日来访: the visits of today (Asia/Shanghai), refreshed after each save; Enter shows a visit with its
classification and notices, and reprints the notice (补打)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHeaderView, QWidget

from xinfang_desk.gui.dialogs import VisitDetailDialog
from xinfang_desk.gui.forms.ui_today_page import Ui_TodayPage
from xinfang_desk.gui.tasks import QueryOp, TaskRunner
from xinfang_desk.gui.visits_model import VisitsModel
from xinfang_desk.i18n import _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor, local_today
from xinfang_desk.services.dto import VisitRow


class TodayPage(QWidget):
    sig_loaded = Signal(int)

    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_TodayPage()
        self.ui.setupUi(self)
        self.services = services
        self.actor = actor
        self.runner = runner
        self.model = VisitsModel(actor, self)
        t = self.ui.visits_table
        t.setModel(self.model)
        t.verticalHeader().hide()
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setStretchLastSection(True)
        t.activated.connect(self.open_visit)
        self.ui.refresh_button.clicked.connect(self.refresh)
        self.last_dialog: VisitDetailDialog | None = None
        self.refresh()

    def focus_main(self) -> None:
        t = self.ui.visits_table
        t.setFocus()
        if self.model.rowCount() and not t.currentIndex().isValid():
            t.setCurrentIndex(self.model.index(0, 0))

    def refresh(self) -> None:
        actor, search, day = self.actor, self.services.search, local_today()
        QueryOp(self.runner, self, lambda: search.visits_on(actor, day)).success(self._loaded).run()

    def _loaded(self, rows: list[VisitRow]) -> None:
        t = self.ui.visits_table
        current = self.model.row_at(t.currentIndex())
        self.model.set_rows(rows)
        self.ui.count_label.setText(_("{n} visits").format(n=len(rows)))
        if rows:
            keep = next((i for i, r in enumerate(rows) if current and r.visit_id == current.visit_id), len(rows) - 1)
            t.setCurrentIndex(self.model.index(keep, 0))
        self.sig_loaded.emit(len(rows))

    def open_visit(self, index: QModelIndex) -> None:
        row = self.model.row_at(index)
        if row is None:
            return
        self.last_dialog = VisitDetailDialog.for_visit_row(row, self.model.names(row), self)
        self.last_dialog.attach(self.services, self.actor, self.runner, row.visit_id)
        self.last_dialog.open()
