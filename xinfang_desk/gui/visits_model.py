"""Today's visits as a Qt table model over `VisitRow` DTOs."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from xinfang_desk.domain.matter_kinds import channel_label
from xinfang_desk.gui.formatting import local_time, shown_name, status_label
from xinfang_desk.i18n import N_, _
from xinfang_desk.services.context import Actor
from xinfang_desk.services.dto import VisitRow

COLUMNS = (N_("Query code"), N_("Time"), N_("Visitors"), N_("Kind of matter"), N_("Channel"), N_("Clerk"),
           N_("Status"), N_("Repeat"))
REPEAT_BACKGROUND = QColor("#fff3cd")
REPEAT_FOREGROUND = QColor("#7a4b00")

_Index = QModelIndex | QPersistentModelIndex


class VisitsModel(QAbstractTableModel):
    def __init__(self, actor: Actor, parent: Any = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.rows: list[VisitRow] = []

    def set_rows(self, rows: list[VisitRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, index: _Index) -> VisitRow | None:
        return self.rows[index.row()] if index.isValid() and 0 <= index.row() < len(self.rows) else None

    def names(self, row: VisitRow) -> list[str]:
        return [shown_name(self.actor, n) for n in row.names]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return _(COLUMNS[section])
        return None

    def text(self, row: VisitRow, col: int) -> str:
        if col == 0:
            return row.query_code
        if col == 1:
            return local_time(row.received_at)
        if col == 2:
            names = "、".join(self.names(row))
            return names + (" " + _("({n} people)").format(n=row.group_size) if row.group_size > 1 else "")
        if col == 3:
            return row.kind_label or row.kind
        if col == 4:
            return channel_label(row.channel)
        if col == 5:
            return row.clerk
        if col == 6:
            return status_label(row.status)
        if col == 7:
            return _("Repeat visit") if row.is_repeat else ""
        return ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole and row.is_repeat:
            return QBrush(REPEAT_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and row.is_repeat:
            return QBrush(REPEAT_FOREGROUND)
        if role == Qt.ItemDataRole.UserRole:
            return row.visit_id
        return None
