"""Address field: typing a town's name, pinyin or initials (`lt` → 龙潭镇) offers the district's 镇街 first;
picking one fills the town and the clerk goes on typing the village, group and house number."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

from xinfang_desk.domain.places import towns
from xinfang_desk.gui.kind_picker import KEYS_ROLE, _LabelCompleter


class TownCompleter(QObject):
    def __init__(self, edit: QLineEdit) -> None:
        super().__init__(edit)
        self.model = QStandardItemModel(self)
        for t in towns():
            item = QStandardItem(t.name)
            item.setData(" ".join(t.search_keys), KEYS_ROLE)
            self.model.appendRow(item)
        self.completer = _LabelCompleter(self.model, self)
        self.completer.setCompletionRole(KEYS_ROLE)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(10)
        edit.setCompleter(self.completer)
