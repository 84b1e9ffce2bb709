"""Address field: typing a town's name, pinyin or initials (`lt` → 龙潭镇) offers the district's 镇街 first;
picking one fills the town and the clerk goes on typing the village, group and house number. In the open list
Enter takes the highlighted town, or the first (the clerk types on); Tab takes it and moves to the next field."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

from xinfang_desk.domain.places import Town, towns
from xinfang_desk.gui.kind_picker import KEYS_ROLE, _LabelCompleter


class TownCompleter(QObject):
    def __init__(self, edit: QLineEdit) -> None:
        super().__init__(edit)
        self.model = QStandardItemModel(self)
        self.set_towns(towns())
        self.completer = _LabelCompleter(self.model, self)
        self.completer.setCompletionRole(KEYS_ROLE)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(10)
        edit.setCompleter(self.completer)
        self.edit = edit
        self.completer.popup().installEventFilter(self)  # runs before QCompleter's own filter

    def set_towns(self, entries: tuple[Town, ...]) -> None:
        """The towns offered (the office's own list, loaded from the services by the page)."""
        self.model.clear()
        for t in entries:
            item = QStandardItem(t.name)
            item.setData(" ".join(t.search_keys), KEYS_ROLE)
            self.model.appendRow(item)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in (
                Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            popup = self.completer.popup()
            idx = popup.currentIndex()
            if not idx.isValid() and self.completer.completionCount():
                idx = self.completer.completionModel().index(0, 0)
            name = str(idx.data(Qt.ItemDataRole.DisplayRole) or "") if idx.isValid() else ""
            popup.setCurrentIndex(QModelIndex())  # QCompleter then only hides the list (Tab moves on)
            if name:
                typed = self.completer.completionPrefix()
                text = self.edit.text()
                head = text[: len(text) - len(typed)] if typed and text.endswith(typed) else ""
                self.edit.setText(head + name)
            if event.key() != Qt.Key.Key_Tab:
                popup.hide()
                return True
        return False
