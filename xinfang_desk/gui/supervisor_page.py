"""主管 (the supervisor's page, Alt+5): statistics with charts, the board of the office's own duties that are
overdue or due within 3 days, the search of past visits, and the progress look-up a visitor asks for.

Every tab is reachable from the keyboard (Alt+T/D/F/Q switch tabs; F5 refreshes; Enter opens a visit;
Ctrl+P saves the daily log or the progress slip). Data comes only from the services, on the task runner."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, QMargins, QModelIndex, Qt, QTime, Signal
from PySide6.QtGui import QFont, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from xinfang_desk.domain import matter_kinds
from xinfang_desk.domain.errors import PermissionDenied
from xinfang_desk.gui.dialogs import VisitDetailDialog
from xinfang_desk.gui.errors import error_text
from xinfang_desk.gui.formatting import local_datetime, status_label
from xinfang_desk.gui.tasks import CommandOp, QueryOp, TaskRunner
from xinfang_desk.gui.visits_model import VisitsModel
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.container import Services
from xinfang_desk.services.context import Actor, local_today
from xinfang_desk.services.progress import StepInput, state_text
from xinfang_desk.services.visit_search import VisitQuery

PERMISSION = N_("print daily logs and statistics")
TOP_N = 7
RECORDABLE_STATES = ("notified", "transferred", "assigned", "accepted", "extended", "not_accepted", "replied", "review",
                     "recheck", "closed")


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def _axis_font() -> QFont:
    f = QFont(QApplication.font())
    f.setPointSizeF(max(7.0, f.pointSizeF() * 0.72))
    return f


def _short(label: str, n: int = 12) -> str:
    """A chart label: the words before a parenthesis, at most n characters (the daily log has the rest)."""
    head = label.split("（")[0].split("(")[0].strip() or label
    return head if len(head) <= n else head[: n - 1] + "…"


def write_private(path: str, data: bytes) -> None:
    """A file the product writes: 0600, written whole then renamed into place."""
    tmp = f"{path}.part"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _date_edit(d: dt.date, parent: QWidget) -> QDateEdit:
    e = QDateEdit(_qdate(d), parent)
    e.setCalendarPopup(True)
    e.setDisplayFormat("yyyy-MM-dd")
    return e


# ---------------------------------------------------------------------------------------------- statistics
class StatisticsTab(QWidget):
    sig_loaded = Signal(object)

    def __init__(self, page: SupervisorPage) -> None:
        super().__init__(page)
        self.page = page
        today = local_today()
        self.date_from = _date_edit(today - dt.timedelta(days=29), self)
        self.date_to = _date_edit(today, self)
        self.refresh_button = QPushButton(_("Refresh (F5)"), self)
        self.log_button = QPushButton(_("Daily log PDF… (Ctrl+P)"), self)
        self.xlsx_button = QPushButton(_("Excel workbook…"), self)
        bar = QHBoxLayout()
        for w in (QLabel(_("From"), self), self.date_from, QLabel(_("To"), self), self.date_to, self.refresh_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.log_button)
        bar.addWidget(self.xlsx_button)
        self.figures = QLabel(self)
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.status = QLabel(self)
        self.views = [QChartView(self) for _i in range(4)]
        grid = QGridLayout()
        for i, v in enumerate(self.views):
            v.setRenderHint(QPainter.RenderHint.Antialiasing)
            v.setMinimumHeight(220)
            grid.addWidget(v, i // 2, i % 2)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.figures)
        lay.addLayout(grid, 1)
        lay.addWidget(self.status)
        self.refresh_button.clicked.connect(self.refresh)
        self.log_button.clicked.connect(lambda: self.export(xlsx=False))
        self.xlsx_button.clicked.connect(lambda: self.export(xlsx=True))
        self.stats: Any = None

    def range(self) -> tuple[dt.date, dt.date]:
        return _pydate(self.date_from.date()), _pydate(self.date_to.date())

    def refresh(self) -> None:
        svc, actor = self.page.services.daily_log, self.page.actor
        a, b = self.range()
        self.status.setText(_("Loading…"))
        (QueryOp(self.page.runner, self, lambda: svc.statistics(actor, a, b))
         .success(self._loaded).failure(lambda e: self.status.setText(error_text(e))).run())

    def _loaded(self, st: Any) -> None:
        self.stats = st
        self.status.setText("")
        self.figures.setText(_(
            "<b>{visits}</b> visits · repeat visits <b>{repeat:.1%}</b> ({repeats}) · collective visits <b>{coll}</b> "
            "({people} people) · guided into a statutory channel <b>{guided:.1%}</b> ({n_guided})").format(
            visits=st.visits, repeat=st.repeat_rate, repeats=st.repeats, coll=st.collective, people=st.collective_people,
            guided=st.guided_share, n_guided=st.guided_statutory))
        self.views[0].setChart(self._per_day(st))
        self.views[1].setChart(self._bars(_("By kind of matter"), st.by_kind))
        self.views[2].setChart(self._pie(_("By channel decision"), st.by_decision))
        self.views[3].setChart(self._bars(_("By town"), st.by_town))
        self.sig_loaded.emit(st)

    @staticmethod
    def _chart(title: str) -> QChart:
        c = QChart()
        c.setTitle(title)
        c.legend().setVisible(False)
        c.setMargins(QMargins(4, 4, 4, 4))
        c.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        return c

    def _per_day(self, st: Any) -> QChart:
        c = self._chart(_("Visits per day"))
        series = QLineSeries()
        series.setPointsVisible(True)
        for d, n in st.per_day:
            series.append(QDateTime(QDate(d.year, d.month, d.day), QTime(12, 0)).toMSecsSinceEpoch(), n)
        c.addSeries(series)
        ax = QDateTimeAxis()
        ax.setFormat("M-d")
        ax.setTickCount(min(8, max(2, len(st.per_day))))
        ax.setLabelsFont(_axis_font())
        c.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(ax)
        ay = QValueAxis()
        ay.setLabelFormat("%d")
        ay.setRange(0, max([n for _d, n in st.per_day] + [1]))
        ay.setLabelsFont(_axis_font())
        c.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(ay)
        return c

    def _bars(self, title: str, tallies: Any) -> QChart:
        c = self._chart(title)
        top = list(tallies[:TOP_N])
        rest = sum(t.count for t in tallies[TOP_N:])
        labels = [_short(t.label) for t in top]
        values = [t.count for t in top]
        if rest:
            labels.append(_("Others"))
            values.append(rest)
        s = QBarSet(title)
        for v in reversed(values):
            s.append(v)
        series = QHorizontalBarSeries()
        series.append(s)
        series.setLabelsVisible(True)
        c.addSeries(series)
        ay = QBarCategoryAxis()
        ay.append(list(reversed(labels)))
        ay.setLabelsFont(_axis_font())
        c.addAxis(ay, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(ay)
        ax = QValueAxis()
        ax.setLabelFormat("%d")
        ax.setRange(0, max(values + [1]))
        ax.setLabelsFont(_axis_font())
        c.addAxis(ax, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(ax)
        return c

    def _pie(self, title: str, tallies: Any) -> QChart:
        c = self._chart(title)
        series = QPieSeries()
        total = sum(t.count for t in tallies) or 1
        for t in tallies[:6]:
            label = _short(t.label.split("，")[0], 10)
            sl = series.append(f"{label} {t.count * 100 / total:.0f}%", t.count)
            sl.setLabelVisible(True)
        rest = sum(t.count for t in tallies[6:])
        if rest:
            series.append(_("Others") + f" {rest * 100 / total:.0f}%", rest).setLabelVisible(True)
        series.setPieSize(0.55)
        c.addSeries(series)
        return c

    def export(self, *, xlsx: bool) -> None:
        a, b = self.range()
        suffix, filt = (".xlsx", _("Excel workbook (*.xlsx)")) if xlsx else (".pdf", _("PDF (*.pdf)"))
        name = f"接待日志-{a:%Y%m%d}" + (f"-{b:%Y%m%d}" if b != a else "") + suffix
        path, _f = QFileDialog.getSaveFileName(self, _("Save the daily log"), str(Path.home() / name), filt)
        if not path:
            return
        svc, actor = self.page.services.daily_log, self.page.actor
        self.status.setText(_("Printing the daily log…"))

        def job() -> int:
            pdf, book, n = svc.render(actor, a, b, pdf=not xlsx, xlsx=xlsx)
            write_private(path, book if xlsx else pdf)  # type: ignore[arg-type]
            return n

        (QueryOp(self.page.runner, self, job)
         .success(lambda n: self.status.setText(_("Daily log with {n} visits saved to {path}").format(n=n, path=path)))
         .failure(lambda e: self.status.setText(error_text(e))).run())


# ---------------------------------------------------------------------------------------------- duties
DUTY_COLUMNS = (N_("Query code"), N_("Received on"), N_("Kind of matter"), N_("Status"), N_("Office's duty"),
                N_("Basis"), N_("Last day"), N_("Overdue / left"))


class DutiesTab(QWidget):
    def __init__(self, page: SupervisorPage) -> None:
        super().__init__(page)
        self.page = page
        self.summary = QLabel(self)
        self.overdue = self._table()
        self.soon = self._table()
        self.overdue_label = QLabel(self)
        self.soon_label = QLabel(self)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.overdue_label)
        lay.addWidget(self.overdue, 1)
        lay.addWidget(self.soon_label)
        lay.addWidget(self.soon, 1)
        self.board: Any = None

    def _table(self) -> QTableWidget:
        t = QTableWidget(0, len(DUTY_COLUMNS), self)
        t.setHorizontalHeaderLabels([_(c) for c in DUTY_COLUMNS])
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.verticalHeader().hide()
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setStretchLastSection(True)
        t.activated.connect(lambda index, table=t: self.open(table, index))
        return t

    def refresh(self) -> None:
        svc, actor = self.page.services.progress, self.page.actor
        QueryOp(self.page.runner, self, lambda: svc.duties(actor)).success(self._loaded).failure(
            lambda e: self.summary.setText(error_text(e))).run()

    def _loaded(self, board: Any) -> None:
        from xinfang_desk.services.daily_log import duty_basis_zh

        self.board = board
        self.summary.setText(_("As of {day}: {over} overdue, {soon} due within 3 days (the office's own time limits).")
                             .format(day=board.today.isoformat(), over=board.overdue_total, soon=board.due_soon_total))
        self.overdue_label.setText(_("Overdue ({n})").format(n=board.overdue_total))
        self.soon_label.setText(_("Due within 3 days ({n})").format(n=board.due_soon_total))
        for table, items in ((self.overdue, board.overdue), (self.soon, board.due_soon)):
            table.setRowCount(len(items))
            for r, d in enumerate(items):
                left = (_("{n} days overdue").format(n=-d.days_left) if d.overdue
                        else (_("due today") if d.days_left == 0 else _("{n} days left").format(n=d.days_left)))
                vals = (d.query_code, d.received_on.isoformat(), d.kind_label, status_label(d.state), d.duty_label_zh,
                        duty_basis_zh(d), d.last_day.isoformat(), left)
                for c, v in enumerate(vals):
                    item = QTableWidgetItem(v)
                    item.setData(Qt.ItemDataRole.UserRole, d.visit_id)
                    table.setItem(r, c, item)
            if items:
                table.setCurrentCell(0, 0)

    def focus_main(self) -> None:
        (self.overdue if self.overdue.rowCount() else self.soon).setFocus()

    def open(self, table: QTableWidget, index: QModelIndex) -> None:
        item = table.item(index.row(), 0)
        if item is not None:
            self.page.open_visit(item.data(Qt.ItemDataRole.UserRole))


# ---------------------------------------------------------------------------------------------- search
class SearchModel(VisitsModel):
    """The visits model with the date in the time column (a search spans days)."""

    def text(self, row: Any, col: int) -> str:
        if col == 1:
            return local_datetime(row.received_at)
        return super().text(row, col)


ANY = N_("(any)")


class SearchTab(QWidget):
    sig_loaded = Signal(object)

    def __init__(self, page: SupervisorPage) -> None:
        super().__init__(page)
        self.page = page
        today = local_today()
        self.date_from = _date_edit(today - dt.timedelta(days=30), self)
        self.date_to = _date_edit(today, self)
        self.person = QLineEdit(self)
        self.person.setPlaceholderText(_("Name, pinyin, ID number or phone"))
        self.kind = QComboBox(self)
        self.kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind.setMinimumContentsLength(12)
        self.kind.addItem(_(ANY), "")
        for k in matter_kinds.all_kinds():
            self.kind.addItem(k.label(), k.code)
        self.decision = QComboBox(self)
        self.decision.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.decision.setMinimumContentsLength(12)
        self.decision.addItem(_(ANY), "")
        for code, label in matter_kinds.decision_labels().items():
            self.decision.addItem(label, code)
        self.state = QComboBox(self)
        self.state.addItem(_(ANY), "")
        for code in ("registered", *RECORDABLE_STATES):
            self.state.addItem(state_text(code), code)
        self.window = QLineEdit(self)
        self.window.setPlaceholderText("BN03")
        self.town = QLineEdit(self)
        self.repeat = QCheckBox(_("Repeat visits only"), self)
        self.collective = QCheckBox(_("Collective visits only"), self)
        self.search_button = QPushButton(_("Search (Enter)"), self)
        self.csv_button = QPushButton(_("Export CSV…"), self)
        self.prev_button = QPushButton(_("Previous page (PgUp)"), self)
        self.next_button = QPushButton(_("Next page (PgDn)"), self)
        form = QGridLayout()
        pairs = ((_("From"), self.date_from), (_("To"), self.date_to), (_("Visitor"), self.person),
                 (_("Kind of matter"), self.kind), (_("Channel decision"), self.decision), (_("Status"), self.state),
                 (_("Window"), self.window), (_("Town"), self.town))
        for i, (label, w) in enumerate(pairs):
            lab = QLabel(label, self)
            lab.setBuddy(w)
            form.addWidget(lab, i // 4, (i % 4) * 2)
            form.addWidget(w, i // 4, (i % 4) * 2 + 1)
        row = QHBoxLayout()
        for w in (self.repeat, self.collective, self.search_button, self.csv_button):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.prev_button)
        row.addWidget(self.next_button)
        self.model = SearchModel(page.actor, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().sectionClicked.connect(self.sort_by)
        self.table.activated.connect(lambda index: self.open(index))
        self.status = QLabel(self)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(row)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        self.page_no = 1
        self.sort, self.descending = "received_at", True
        self.last: Any = None
        for w in (self.person, self.window, self.town):
            w.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.csv_button.clicked.connect(self.export)
        self.prev_button.clicked.connect(lambda: self.go(-1))
        self.next_button.clicked.connect(lambda: self.go(1))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self.table, lambda: self.go(-1))
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self.table, lambda: self.go(1))

    def query(self) -> VisitQuery:
        return VisitQuery(
            date_from=_pydate(self.date_from.date()), date_to=_pydate(self.date_to.date()),
            windows=tuple(w.strip().upper() for w in self.window.text().split(",") if w.strip()),
            kinds=(self.kind.currentData(),) if self.kind.currentData() else (),
            decisions=(self.decision.currentData(),) if self.decision.currentData() else (),
            states=(self.state.currentData(),) if self.state.currentData() else (),
            town=self.town.text().strip(), repeat=True if self.repeat.isChecked() else None,
            collective=True if self.collective.isChecked() else None, person=self.person.text().strip(),
            sort=self.sort, descending=self.descending, page=self.page_no, page_size=50, count=True,
        )

    def search(self) -> None:
        self.page_no = 1
        self._run()

    def go(self, delta: int) -> None:
        if self.last is None or (delta > 0 and not self.last.has_more) or self.page_no + delta < 1:
            return
        self.page_no += delta
        self._run()

    def sort_by(self, column: int) -> None:
        key = {0: "query_code", 1: "received_at", 3: "kind", 6: "state"}.get(column)
        if key is None:
            return
        self.descending = not self.descending if key == self.sort else key == "received_at"
        self.sort = key
        self._run()

    def _run(self) -> None:
        svc, actor, q = self.page.services.visit_search, self.page.actor, self.query()
        self.status.setText(_("Searching…"))
        QueryOp(self.page.runner, self, lambda: svc.search(actor, q)).success(self._loaded).failure(
            lambda e: self.status.setText(error_text(e))).run()

    def _loaded(self, page: Any) -> None:
        self.last = page
        self.model.set_rows(list(page.rows))
        total = (_("{n}+").format(n=page.total) if page.total_capped else str(page.total)) if page.total is not None else "?"
        self.status.setText(_("Page {page}: {shown} of {total} visits").format(page=page.page, shown=len(page.rows), total=total))
        self.prev_button.setEnabled(page.page > 1)
        self.next_button.setEnabled(page.has_more)
        if page.rows:
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.setFocus()
        self.sig_loaded.emit(page)

    def open(self, index: QModelIndex) -> None:
        row = self.model.row_at(index)
        if row is not None:
            self.page.open_visit(row.visit_id, row)

    def export(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, _("Export the search result"), str(Path.home() / "来访检索.csv"),
                                               _("CSV (*.csv)"))
        if not path:
            return
        svc, actor, q = self.page.services.visit_search, self.page.actor, self.query()

        def job() -> None:
            write_private(path, svc.export_csv(actor, q))

        QueryOp(self.page.runner, self, job).success(lambda _r: self.status.setText(_("Saved to {path}").format(path=path))).failure(
            lambda e: self.status.setText(error_text(e))).run()

    def focus_main(self) -> None:
        self.person.setFocus()


# ---------------------------------------------------------------------------------------------- progress
class ProgressTab(QWidget):
    sig_loaded = Signal(object)

    def __init__(self, page: SupervisorPage) -> None:
        super().__init__(page)
        self.page = page
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("BN03-20261127-0001")
        self.id_number = QLineEdit(self)
        self.name = QLineEdit(self)
        self.lookup_button = QPushButton(_("Look up (Enter)"), self)
        self.slip_button = QPushButton(_("Progress slip PDF… (Ctrl+P)"), self)
        self.slip_button.setEnabled(False)
        form = QFormLayout()
        for label, w in ((_("Query &code"), self.code), (_("or ID &number"), self.id_number), (_("and na&me"), self.name)):
            form.addRow(label, w)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        col = QVBoxLayout()
        col.addWidget(self.lookup_button)
        col.addWidget(self.slip_button)
        col.addStretch(1)
        top.addLayout(col)
        self.result = QTextBrowser(self)
        # recording a step (supervisors follow the matter up)
        self.step_state = QComboBox(self)
        for code in RECORDABLE_STATES:
            self.step_state.addItem(state_text(code), code)
        self.step_date = _date_edit(local_today(), self)
        self.step_organ = QLineEdit(self)
        self.step_document = QLineEdit(self)
        self.step_note = QLineEdit(self)
        self.record_button = QPushButton(_("Record step (Ctrl+Enter)"), self)
        self.record_button.setEnabled(False)
        rec = QGridLayout()
        for i, (label, w) in enumerate(((_("Step"), self.step_state), (_("Date"), self.step_date),
                                        (_("Organ"), self.step_organ), (_("Document"), self.step_document),
                                        (_("Note"), self.step_note))):
            lab = QLabel(label, self)
            lab.setBuddy(w)
            rec.addWidget(lab, 0, i)
            rec.addWidget(w, 1, i)
        rec.addWidget(self.record_button, 1, 5)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.result, 1)
        lay.addLayout(rec)
        lay.addWidget(self.status)
        self.views: list[Any] = []
        for w in (self.code, self.id_number, self.name):
            w.returnPressed.connect(self.lookup)
        self.lookup_button.clicked.connect(self.lookup)
        self.slip_button.clicked.connect(self.save_slip)
        self.record_button.clicked.connect(self.record)
        for w in (self.step_organ, self.step_document, self.step_note):
            w.returnPressed.connect(self.record)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.record)
        if not page.actor.may(N_("record matter progress")):
            for w in (self.step_state, self.step_date, self.step_organ, self.step_document, self.step_note, self.record_button):
                w.setVisible(False)

    def lookup(self) -> None:
        svc, actor = self.page.services.progress, self.page.actor
        code, idn, name = self.code.text().strip(), self.id_number.text().strip(), self.name.text().strip()
        self.status.setText(_("Looking up…"))
        (QueryOp(self.page.runner, self, lambda: svc.lookup(actor, query_code=code, id_number=idn, name=name))
         .success(self._shown).failure(self._failed).run())

    def _failed(self, exc: BaseException) -> None:
        self.views = []
        self.result.clear()
        self.slip_button.setEnabled(False)
        self.record_button.setEnabled(False)
        self.status.setText(error_text(exc))

    def _shown(self, views: list[Any]) -> None:
        import html

        self.views = views
        svc = self.page.services.progress
        blocks = []
        for v in views:
            lines = svc.slip_text(v)
            blocks.append("<p>" + "<br/>".join(html.escape(x) for x in lines) + "</p>")
        self.result.setHtml("<hr/>".join(blocks))
        self.slip_button.setEnabled(bool(views))
        self.record_button.setEnabled(len(views) == 1)
        self.status.setText(_("{n} matter(s) found.").format(n=len(views)))
        self.sig_loaded.emit(views)

    def record(self) -> None:
        if len(self.views) != 1 or not self.record_button.isVisible():
            return
        svc, actor, code = self.page.services.progress, self.page.actor, self.views[0].query_code
        step = StepInput(self.step_state.currentData(), _pydate(self.step_date.date()), self.step_organ.text(),
                         self.step_document.text(), self.step_note.text())
        (CommandOp(self.page.runner, self, lambda: svc.record(actor, code, step))
         .success(self._recorded).failure(lambda e: self.status.setText(error_text(e))).run())

    def _recorded(self, view: Any) -> None:
        for w in (self.step_organ, self.step_document, self.step_note):
            w.clear()
        self._shown([view])
        self.status.setText(_("Recorded: {state}.").format(state=state_text(view.state)))

    def save_slip(self) -> None:
        if not self.views:
            return
        path, _f = QFileDialog.getSaveFileName(self, _("Save the progress slip"),
                                               str(Path.home() / f"进度查询单-{self.views[0].query_code}.pdf"), _("PDF (*.pdf)"))
        if not path:
            return
        svc, actor, views = self.page.services.progress, self.page.actor, list(self.views)

        def job() -> None:
            write_private(path, svc.slip_pdf(actor, views))

        QueryOp(self.page.runner, self, job).success(lambda _r: self.status.setText(_("Saved to {path}").format(path=path))).failure(
            lambda e: self.status.setText(error_text(e))).run()

    def focus_main(self) -> None:
        self.code.setFocus()


# ---------------------------------------------------------------------------------------------- the page
class SupervisorPage(QWidget):
    def __init__(self, services: Services, actor: Actor, runner: TaskRunner, parent: QWidget | None = None) -> None:
        if not actor.may(PERMISSION):
            raise PermissionDenied(PERMISSION, actor.role)
        super().__init__(parent)
        self.services, self.actor, self.runner = services, actor, runner
        self.tabs = QTabWidget(self)
        self.stats = StatisticsTab(self)
        self.duties = DutiesTab(self)
        self.search = SearchTab(self)
        self.progress = ProgressTab(self)
        for w, title in ((self.stats, _("S&tatistics")), (self.duties, _("&Duties due")), (self.search, _("&Find visits")),
                         (self.progress, _("&Query progress"))):
            self.tabs.addTab(w, title)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.tabs)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)
        QShortcut(QKeySequence("Ctrl+P"), self, self._print)
        self.tabs.currentChanged.connect(lambda _i: self.focus_main())
        self.last_dialog: VisitDetailDialog | None = None

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt name
        """Fresh figures and duties each time the page is opened (Alt+5), none while it is hidden."""
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self.stats.refresh()
        self.duties.refresh()

    def _print(self) -> None:
        w = self.tabs.currentWidget()
        if w is self.stats:
            self.stats.export(xlsx=False)
        elif w is self.progress:
            self.progress.save_slip()

    def focus_main(self) -> None:
        w = self.tabs.currentWidget()
        f = getattr(w, "focus_main", None)
        if f:
            f()
        else:
            self.tabs.setFocus()

    def open_visit(self, visit_id: str, row: Any = None) -> None:
        svc, actor = self.services, self.actor

        def load() -> tuple[Any, Any]:
            hit = row or svc.visit_search.visit(actor, visit_id)
            try:
                view = svc.progress.history(actor, hit.query_code)
            except Exception:  # noqa: BLE001 - a visit without a matter: show it without its progress
                view = None
            return hit, view

        QueryOp(self.runner, self, load).success(self._show_visit).run()

    def _show_visit(self, loaded: tuple[Any, Any]) -> None:
        hit, view = loaded
        dlg = VisitDetailDialog.for_visit_row(hit, list(hit.names), self)
        if view is not None:
            dlg.rows.append((_("Progress"), "\n".join(self.services.progress.slip_text(view)[3:])))
            dlg._render()  # noqa: SLF001 - the dialog renders its rows
        dlg.attach(self.services, self.actor, self.runner, hit.visit_id)
        self.last_dialog = dlg
        dlg.open()
