"""The matter-kind picker: a line edit whose completer matches code, Chinese label, English label, full pinyin
and pinyin initials (typing `ldzy` or `劳动` finds 劳动争议). Leaving the field resolves what was typed to a kind.
A label longer than the field is shown elided (…) while the field has no focus, whole in its tooltip."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

from xinfang_desk.domain import matter_kinds

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
KEYS_ROLE = Qt.ItemDataRole.UserRole + 2
_TAKE_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _LabelCompleter(QCompleter):
    """Matches on the search keys, inserts the label."""

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802 - Qt name
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


class KindPicker(QObject):
    sig_kind_changed = Signal(str)  # the kind code, "" when none

    def __init__(self, edit: QLineEdit) -> None:
        super().__init__(edit)
        self.edit = edit
        self._code = ""
        self._elided = ""  # the elided text shown while the field has no focus ("" when the label fits)
        self.model = QStandardItemModel(self)
        self._by_label: dict[str, str] = {}
        for k in matter_kinds.all_kinds():
            item = QStandardItem(k.label())
            item.setData(k.code, CODE_ROLE)
            item.setData(" ".join(k.search_keys), KEYS_ROLE)
            item.setToolTip(k.label())
            self.model.appendRow(item)
            self._by_label[k.label()] = k.code
        self.completer = _LabelCompleter(self.model, self)
        self.completer.setCompletionRole(KEYS_ROLE)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.completer.setMaxVisibleItems(8)
        self.completer.popup().setMinimumWidth(520)
        self.completer.popup().installEventFilter(self)  # runs before QCompleter's own filter
        edit.setCompleter(self.completer)
        self.completer.activated[str].connect(self._on_activated)
        edit.textEdited.connect(self._on_edited)
        edit.editingFinished.connect(self.resolve)
        edit.installEventFilter(self)

    def code(self) -> str:
        return self._code

    def full_label(self) -> str:
        kind = matter_kinds.kinds_by_code().get(self._code)
        return kind.label() if kind else ""

    def elide(self) -> None:
        """Without the focus, a label too long for the field ends in … (the whole label is the tooltip)."""
        full = self.full_label()
        self.edit.setToolTip(full)
        if not full or self.edit.hasFocus() or self.edit.text() != full:
            return
        room = self.edit.width() - 16
        shown = self.edit.fontMetrics().elidedText(full, Qt.TextElideMode.ElideRight, room)
        if shown != full:
            self._elided = shown
            self.edit.blockSignals(True)
            self.edit.setText(shown)
            self.edit.setCursorPosition(0)
            self.edit.blockSignals(False)

    def _unelide(self) -> None:
        if self._elided and self.edit.text() == self._elided:
            self.edit.blockSignals(True)
            self.edit.setText(self.full_label())
            self.edit.setCursorPosition(0)
            self.edit.blockSignals(False)
        self._elided = ""

    def text(self) -> str:
        """What the field means: the whole label even while it is shown elided."""
        return self.full_label() if self._elided and self.edit.text() == self._elided else self.edit.text()

    def set_code(self, code: str) -> None:
        kind = matter_kinds.kinds_by_code().get(code)
        self._elided = ""
        self.edit.setText(kind.label() if kind else "")
        self.edit.setCursorPosition(0)
        self._set(code if kind else "")
        QTimer.singleShot(0, self.elide)

    def _set(self, code: str) -> None:
        if code != self._code:
            self._code = code
            self.sig_kind_changed.emit(code)

    def _on_edited(self, text: str) -> None:
        self._set(self._by_label.get(text, ""))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        """Tab, Enter and Return in the open list take the highlighted kind, or the first one."""
        if obj is self.edit:
            if event.type() == QEvent.Type.FocusIn:
                self._unelide()
            elif event.type() == QEvent.Type.FocusOut:
                QTimer.singleShot(0, self.elide)
            elif event.type() == QEvent.Type.Resize and self._elided:
                self._unelide()
                QTimer.singleShot(0, self.elide)
            return False
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in _TAKE_KEYS:
            popup = self.completer.popup()
            idx = popup.currentIndex()
            if not idx.isValid() and self.completer.completionCount():
                idx = self.completer.completionModel().index(0, 0)
            label = str(idx.data(Qt.ItemDataRole.DisplayRole) or "") if idx.isValid() else ""
            # Let QCompleter hide the list and pass the key on (Tab moves on) without completing again.
            # Clearing the highlight puts the typed prefix back into the edit, so set the label afterwards.
            popup.setCurrentIndex(QModelIndex())
            if label:
                self.edit.setText(label)
                self.edit.setCursorPosition(0)
                self._set(self._by_label.get(label, ""))
        return False

    def _on_activated(self, label: str) -> None:
        self._set(self._by_label.get(label, ""))

    def resolve(self) -> str:
        """Turn what was typed into a kind: an exact label, else the first match; '' if nothing matches."""
        if self._elided and self.edit.text() == self._elided:
            return self._code
        text = self.edit.text().strip()
        if not text:
            self._set("")
            return ""
        code = self._by_label.get(text)
        if code is None:
            hits = matter_kinds.search_kinds(text)
            if hits:
                code = hits[0].code
                self.edit.setText(hits[0].label())
                self.edit.setCursorPosition(0)
        self.completer.popup().hide()
        self._set(code or "")
        return self._code
