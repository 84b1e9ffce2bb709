"""人工改判: the clerk picks another decision and organ instead of the engine's proposal, with a reason.

The 13 decision codes come with their Chinese labels (`domain.matter_kinds.decision_labels()`), the organs
from the organ directory (`services.reference.organs()`, read on a worker). The reason is required; the
dialog checks it with the same rule the service applies (`services.classification.check_override`), so a
refusal is shown here, next to the field, and nothing is closed. The result is an `Override` for
`RegistrationInput.override`; the service audits it when the visit is saved.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QWidget

from xinfang_desk.domain.errors import ValidationFailed
from xinfang_desk.domain.matter_kinds import decision_labels
from xinfang_desk.gui.forms.ui_override_dialog import Ui_OverrideDialog
from xinfang_desk.gui.screen import ScreenFitted
from xinfang_desk.gui.tasks import QueryOp, TaskRunner
from xinfang_desk.i18n import _
from xinfang_desk.services.classification import Override, check_override


def plain_text(edit: QPlainTextEdit) -> str:
    return edit.document().toRawText().replace("\u2029", "\n")


class OverrideDialog(ScreenFitted, QDialog):
    def __init__(self, organs_fn: Any, runner: TaskRunner, proposal: dict[str, Any] | None = None,
                 current: Override | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_OverrideDialog()
        self.ui.setupUi(self)
        self.runner = runner
        self.override: Override | None = None
        u = self.ui
        for code, label in decision_labels().items():
            u.decision_combo.addItem(label, code)
        first = next(iter((proposal or {}).get("channels") or []), None) or {}
        want_decision = current.decision if current else first.get("decision")
        self._want_organ = current.organ if current else first.get("organ")
        i = u.decision_combo.findData(want_decision)
        u.decision_combo.setCurrentIndex(max(0, i))
        if current is not None:
            u.reason_edit.setPlainText(current.reason)
        shown = [f"{c.get('label') or c.get('decision_label_zh')}（{c.get('organ_name') or '—'}）"
                 for c in (proposal or {}).get("channels") or [] if isinstance(c, dict)]
        u.proposal_label.setText(html.escape(_("Proposed by the rules: {channels}").format(
            channels="；".join(shown) if shown else _("nothing yet"))))
        u.organ_combo.setEnabled(False)
        u.organ_combo.addItem(_("Loading…"), None)
        u.button_box.accepted.connect(self.try_accept)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):  # from inside the reason: done
            QShortcut(QKeySequence(seq), self, self.try_accept)
        u.button_box.rejected.connect(self.reject)
        self.ok_button = u.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Override (Ctrl+Enter)"))
        QueryOp(runner, self, organs_fn).success(self._organs_loaded).failure(self._organs_failed).run()
        u.decision_combo.setFocus()

    def _organs_loaded(self, organs: list[Any]) -> None:
        c = self.ui.organ_combo
        c.clear()
        for o in organs:
            c.addItem(o.name, o.key)
        i = c.findData(self._want_organ)
        c.setCurrentIndex(max(0, i))
        c.setEnabled(True)

    def _organs_failed(self, exc: BaseException) -> None:
        self.ui.organ_combo.clear()
        self._show(_("The organ directory could not be read: {error}").format(error=exc))

    def _show(self, text: str) -> None:
        self.ui.error_label.setText(text)
        self.ui.error_label.setVisible(bool(text))

    def value(self) -> Override:
        u = self.ui
        return Override(str(u.decision_combo.currentData() or ""), str(u.organ_combo.currentData() or ""),
                        plain_text(u.reason_edit).strip())

    def try_accept(self) -> None:
        ov = self.value()
        try:
            check_override(ov)
        except ValidationFailed as e:
            self._show("\n".join(p.message() for p in e.problems))
            field = e.problems[0].field if e.problems else ""
            (self.ui.organ_combo if field == "override.organ" else
             self.ui.decision_combo if field == "override.decision" else self.ui.reason_edit).setFocus()
            return
        self.override = ov
        self.accept()
