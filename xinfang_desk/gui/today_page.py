"""今日来访: the visits of today (Asia/Shanghai), newest first, refreshed after each save; filters by window, kind,
status and repeat visits; Enter shows a visit with its whole matter, classification and notices, and reprints the
notice (补打). A supervisor sees full ID numbers and phones only after Ctrl+R and a reason, which is audited; the
visit then opens with them, and the next refresh is masked again."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHeaderView, QInputDialog, QWidget

from xinfang_desk.gui.dialogs import VisitDetailDialog
from xinfang_desk.gui.formatting import STATUS_LABELS, status_label
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
_Index = QModelIndex | QPersistentModelIndex


class VisitFilter(QSortFilterProxyModel):
    """Keeps the rows whose window, kind and status match the chosen ones ("" = all), repeat visits only if asked."""

    def __init__(self, source: VisitsModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.source = source
        self.window = ""
        self.kind = ""
        self.status = ""
        self.repeat_only = False

    def set(self, **kw: Any) -> None:
        for k, v in kw.items():
            setattr(self, k, v)
        self.invalidate()

    def filterAcceptsRow(self, row: int, parent: _Index) -> bool:  # noqa: N802 - Qt name
        r = self.source.rows[row] if 0 <= row < len(self.source.rows) else None
        if r is None:
            return False
        return ((not self.window or r.window_code == self.window) and (not self.kind or r.kind == self.kind)
                and (not self.status or r.status == self.status) and (not self.repeat_only or r.is_repeat))


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
        self.proxy = VisitFilter(self.model, self)
        t = self.ui.visits_table
        t.setModel(self.proxy)
        t.verticalHeader().hide()
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setStretchLastSection(True)
        t.activated.connect(self.open_visit)
        self.ui.refresh_button.clicked.connect(self.refresh)
        u = self.ui
        for combo in (u.window_filter, u.kind_filter, u.state_filter):
            combo.addItem(_("All"), "")
        for code in STATUS_LABELS:
            u.state_filter.addItem(status_label(code), code)
        u.window_filter.currentIndexChanged.connect(lambda _i: self._filter())
        u.kind_filter.currentIndexChanged.connect(lambda _i: self._filter())
        u.state_filter.currentIndexChanged.connect(lambda _i: self._filter())
        u.repeat_filter.toggled.connect(lambda _on: self._filter())
        self.last_dialog: VisitDetailDialog | None = None
        if actor.may(UNMASKED):
            QShortcut(QKeySequence("Ctrl+R"), self, self.reveal)
        self.refresh()

    def focus_main(self) -> None:
        t = self.ui.visits_table
        t.setFocus()
        if self.proxy.rowCount() and not t.currentIndex().isValid():
            t.setCurrentIndex(self.proxy.index(0, 0))

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
    @staticmethod
    def _refill(combo: QComboBox, items: list[tuple[str, str]]) -> None:
        """The choices that occur today, keeping the one chosen."""
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(_("All"), "")
        for code, label in items:
            combo.addItem(label, code)
        combo.setCurrentIndex(max(0, combo.findData(keep)))
        combo.blockSignals(False)

    def _loaded(self, rows: list[VisitRow]) -> None:
        t = self.ui.visits_table
        current = self.model.row_at(self.proxy.mapToSource(t.currentIndex()))
        rows = sorted(rows, key=lambda r: (r.received_at, r.query_code), reverse=True)  # newest first
        self.model.set_rows(rows)
        u = self.ui
        self._refill(u.window_filter, [(w, w) for w in sorted({r.window_code for r in rows})])
        self._refill(u.kind_filter, sorted({(r.kind, r.kind_label or r.kind) for r in rows}, key=lambda x: x[1]))
        self._filter(keep=current.visit_id if current else None)
        self.sig_loaded.emit(len(rows))

    def _filter(self, keep: str | None = None) -> None:
        u = self.ui
        self.proxy.set(window=u.window_filter.currentData() or "", kind=u.kind_filter.currentData() or "",
                       status=u.state_filter.currentData() or "", repeat_only=u.repeat_filter.isChecked())
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        u.count_label.setText(_("{n} visits").format(n=total) if shown == total else
                              _("{shown} of {n} visits").format(shown=shown, n=total))
        t = u.visits_table
        if shown:
            row = next((r for r in range(shown) if keep and self.visit_at(r) == keep), 0)
            t.setCurrentIndex(self.proxy.index(row, 0))
            if row == 0:
                t.scrollToTop()

    def visit_at(self, proxy_row: int) -> str | None:
        r = self.model.row_at(self.proxy.mapToSource(self.proxy.index(proxy_row, 0)))
        return r.visit_id if r else None

    def open_visit(self, index: QModelIndex) -> None:
        if index.model() is self.proxy:
            index = self.proxy.mapToSource(index)
        row = self.model.row_at(index)
        if row is None:
            return
        self.last_dialog = VisitDetailDialog.for_visit_row(row, self.model.names(row), self)
        self.last_dialog.attach(self.services, self.actor, self.runner, row.visit_id)
        self.last_dialog.open()
