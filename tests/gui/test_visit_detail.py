"""The visit detail (issue 13 item 3): the whole matter (诉求摘要, 具体诉求, 被反映对象, address), the answers to
the kind's questions in Chinese, the classification, the notices, the progress and bookings sections, and repeat
visits linked both ways (the earlier visit opens from the link)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

from .keyboard import key
from .test_main_flow import ALT, make_window


def _register(services: Any, actor: Any, facts: dict[str, Any]) -> Any:
    return services.registration.register(actor, RegistrationInput(
        people=(PersonInput(name="𠮷志强", id_number="11010519491231002X", phone="13912341234",
                            address="龙潭镇3组12号"),),
        matter=MatterInput(kind="labour.dispute", summary="公司拖欠工资三个月", demands="支付拖欠的工资",
                           respondent="某建筑公司", facts=facts)))


def test_the_visit_shows_the_whole_matter_and_links_the_repeats(qtbot: Any, services: Any, actors: Any,
                                                                runner: Any) -> None:
    clerk = actors["clerk"]
    first = _register(services, clerk, {"act_known_on": "2026-11-20", "employment_ongoing": True})
    second = _register(services, clerk, {"act_known_on": "2026-11-20"})
    assert second.repeat_of is not None and second.repeat_of.visit_id == first.visit_id

    w = make_window(qtbot, services, clerk, runner)
    today = w.pages["today"]
    qtbot.waitUntil(lambda: today.model.rowCount() == 2, timeout=10000)
    key(qtbot, Qt.Key.Key_2, ALT)
    assert today.visit_at(0) == second.visit_id  # newest first
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: today.last_dialog is not None and today.last_dialog.detail is not None, timeout=10000)
    dlg = today.last_dialog
    text = dlg.ui.detail_browser.toPlainText()
    for expected in ("公司拖欠工资三个月", "支付拖欠的工资", "某建筑公司", "龙潭镇3组12号", "139****1234",
                     "您何时知道（或者应当知道）自己的劳动权利受到侵害？", "2026-11-20",
                     "您和用人单位的劳动关系是否仍在继续？", "未知", "劳动争议仲裁", "告知书", "事项进展", "接访预约",
                     first.query_code):
        assert expected in text, expected
    assert "act_known_on" not in text and "labour" not in text and "+86" not in text
    # the repeat links to the earlier visit, which links back
    assert dlg.ui.detail_browser.toHtml().count(f"visit:{first.visit_id}") == 1
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    b = dlg.ui.detail_browser
    b.setFocus()
    key(qtbot, Qt.Key.Key_Tab, widget=b)  # to the link
    assert b.textCursor().hasSelection() and "重复" in b.textCursor().selectedText()
    key(qtbot, Qt.Key.Key_Return, widget=b)
    qtbot.waitUntil(lambda: dlg.linked is not None and dlg.linked.detail is not None, timeout=10000)
    earlier = dlg.linked.ui.detail_browser.toPlainText()
    assert first.query_code in dlg.linked.windowTitle() and second.query_code in earlier
    assert "是" in earlier  # employment_ongoing answered yes on the first visit
    dlg.linked.close()
    dlg.close()
    w.shutdown(0)
