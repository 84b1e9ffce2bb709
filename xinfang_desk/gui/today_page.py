"""今日来访: the visits of today (Asia/Shanghai), refreshed after each save; Enter shows a visit with its
classification and notices, and reprints the notice (补打). A supervisor sees full ID numbers and phones only after
Ctrl+R and a reason, which is audited; the visit then opens with them, and the next refresh is masked again."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QInputDialog, QWidget

from xinfang_desk.gui.dialogs import VisitDetailDialog
from xinfang_desk.gui.forms.ui_today_page import Ui_TodayPage
from xinfang_desk.gui.tasks import QueryOp, TaskRunner
from xinfang_desk.gui.visits_model import VisitsModel
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor, local_today
from xinfang_desk.services.dto import VisitRow

UNMASKED = N_("view unmasked ID numbers and phones")


def ask_reason(parent: QWidget) -> str:
    """The reason for showing full numbers (tests patch this where it is used)."""
    text, ok = QInputDialog.getText(parent, _("Show full ID numbers and phones"),
                                    _("Reason (recorded in the audit trail):"))
    return text.strip() if ok else ""


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
        if actor.may(UNMASKED):
            QShortcut(QKeySequence("Ctrl+R"), self, self.reveal)
        self.refresh()

    def focus_main(self) -> None:
        t = self.ui.visits_table
        t.setFocus()
        if self.model.rowCount() and not t.currentIndex().isValid():
            t.setCurrentIndex(self.model.index(0, 0))

    def refresh(self) -> None:
        actor, search, day = self.actor, self.services.search, local_today()
        QueryOp(self.runner, self, lambda: search.visits_on(actor, day)).success(self._loaded).run()

    def reveal(self) -> None:
        """Ctrl+R (supervisors): reload today's list with full numbers for a reason, then open the selected visit."""
        if not self.actor.may(UNMASKED):
            return
        reason = ask_reason(self)
        if not reason:
            return
        actor, search, day = self.actor, self.services.search, local_today()

        def done(rows: list[VisitRow]) -> None:
            self._loaded(rows)
            self.open_visit(self.ui.visits_table.currentIndex())

        QueryOp(self.runner, self, lambda: search.visits_on(actor, day, reveal_reason=reason)).success(done).run()

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
