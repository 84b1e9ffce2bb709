"""人工改判 from the keyboard: Ctrl+R opens the dialog; an empty reason is refused; with a reason the override is
marked on the page until saved, stored with the visit, and audited."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from .keyboard import focus, key, tab, type_text
from .test_facts_questions import make_page, pick_labour_dispute

CTRL = Qt.KeyboardModifier.ControlModifier


def test_override_needs_a_reason_and_is_marked_until_saved(qtbot: Any, services: Any, actors: Any,
                                                            runner: Any) -> None:
    from xinfang_desk.domain.matter_kinds import decision_labels
    from xinfang_desk.persistence.models import AuditEvent

    w, page = make_page(qtbot, services, actors["clerk"], runner)
    u = page.ui
    pick_labour_dispute(qtbot, page)
    qtbot.waitUntil(lambda: page.channels_panel.last_result is not None, timeout=5000)
    key(qtbot, Qt.Key.Key_R, CTRL)
    dlg = page.last_override_dialog
    assert dlg is not None
    qtbot.waitUntil(lambda: dlg.isVisible() and dlg.ui.organ_combo.isEnabled(), timeout=5000)
    d = dlg.ui
    assert d.decision_combo.count() == len(decision_labels()) == 13
    assert [d.decision_combo.itemText(i) for i in range(13)] == list(decision_labels().values())
    assert d.decision_combo.currentData() == "statutory_channel"  # starts from the proposal
    assert d.organ_combo.count() >= 5
    assert "劳动争议仲裁" in d.proposal_label.text()
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    d.decision_combo.setFocus()
    transfer = list(decision_labels()).index("transfer")
    d.decision_combo.setCurrentIndex(transfer)
    tab(qtbot)
    assert focus() is d.organ_combo
    key(qtbot, Qt.Key.Key_Down)
    organ_name = d.organ_combo.currentText()
    tab(qtbot)
    assert focus() is d.reason_edit
    key(qtbot, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter: the dialog's default button, with no reason typed
    assert dlg.isVisible() and dlg.override is None
    assert d.error_label.isVisible() and "理由" in d.error_label.text()
    assert focus() is d.reason_edit
    type_text(qtbot, "用人单位为区属国企，先由主管部门协调")
    with qtbot.waitSignal(dlg.accepted, timeout=3000):
        d.button_box.accepted.emit()
    ov = page.override
    assert ov is not None and ov.decision == "transfer" and ov.reason == "用人单位为区属国企，先由主管部门协调"
    assert u.override_label.isVisible() and "人工改判" in u.override_label.text()
    assert decision_labels()["transfer"] in u.override_label.text() and organ_name in u.override_label.text()
    assert u.undo_override_button.isVisible()
    assert "取代" in page.channels_panel.text()
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    with qtbot.waitSignal(page.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_S, CTRL)
    res = page.last_result
    assert not u.override_label.isVisible() and page.override is None  # marked until saved
    assert "人工改判" in u.saved_label.text()
    stored = services.classification.latest_for_visit(actors["clerk"], res.visit_id)
    assert stored.overridden and stored.override_reason == ov.reason
    assert [c["decision"] for c in stored.result["channels"]] == ["transfer"]
    with services.db.session() as s:
        actions = [a.action for a in s.scalars(select(AuditEvent).where(AuditEvent.entity_id == stored.id))]
    assert "classification.override" in actions


def test_override_can_be_taken_back(qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    from xinfang_desk.services.classification import Override

    w, page = make_page(qtbot, services, actors["clerk"], runner)
    pick_labour_dispute(qtbot, page)
    page.set_override(Override("transfer", "hrss", "先协调"), "区人社局")
    assert page.ui.override_label.isVisible()
    page.ui.undo_override_button.click()
    assert page.override is None and not page.ui.override_label.isVisible()
    with qtbot.waitSignal(page.sig_saved, timeout=10000):
        page.save()
    assert not services.classification.latest_for_visit(actors["clerk"], page.last_result.visit_id).overridden
