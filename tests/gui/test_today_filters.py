"""今日来访 (issue 13 item 11): newest first and at the top when opened; filters by window, kind, status and
repeat visits, from the keyboard."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from tests.sessions import login_at
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

from .conftest import PASSWORD
from .keyboard import focus, key
from .test_main_flow import ALT, make_window


def _register(services: Any, actor: Any, name: str, kind: str, respondent: str = "") -> Any:
    return services.registration.register(actor, RegistrationInput(
        people=(PersonInput(name=name, id_number="11010519491231002X" if name == "张三" else ""),),
        matter=MatterInput(kind=kind, summary="事项", respondent=respondent)))


def test_today_opens_newest_first_at_the_top_and_filters(qtbot: Any, services: Any, actors: Any,
                                                          runner: Any) -> None:
    clerk = actors["clerk"]
    other_window = login_at(services, "BN01", "clerk", PASSWORD)  # the same clerk at another window
    _register(services, clerk, "张三", "labour.dispute", "某公司")
    for i in range(25):
        _register(services, clerk, "李" + "一二三四五六七八九十"[i % 10] + "甲乙丙"[i // 10], "suggestion")
    _register(services, other_window, "王五", "civil.dispute")
    last = _register(services, clerk, "张三", "labour.dispute", "某公司")  # the same matter again: a repeat
    assert last.repeat_of is not None

    w = make_window(qtbot, services, clerk, runner)
    today = w.pages["today"]
    qtbot.waitUntil(lambda: today.model.rowCount() == 28, timeout=10000)
    key(qtbot, Qt.Key.Key_2, ALT)
    t = today.ui.visits_table
    assert focus() is t and t.currentIndex().row() == 0 and t.verticalScrollBar().value() == 0
    assert today.visit_at(0) == last.visit_id  # the newest on top
    times = [r.received_at for r in today.model.rows]
    assert times == sorted(times, reverse=True)

    key(qtbot, Qt.Key.Key_P, ALT)  # 只看重复来访 (a mnemonic clicks the box after a short animation)
    qtbot.waitUntil(today.ui.repeat_filter.isChecked)
    assert today.proxy.rowCount() == 1
    assert "1" in today.ui.count_label.text() and "28" in today.ui.count_label.text()
    key(qtbot, Qt.Key.Key_P, ALT)
    qtbot.waitUntil(lambda: not today.ui.repeat_filter.isChecked())
    assert today.proxy.rowCount() == 28

    key(qtbot, Qt.Key.Key_W, ALT)  # 窗口
    assert focus() is today.ui.window_filter
    while today.ui.window_filter.currentData() != "BN01":
        key(qtbot, Qt.Key.Key_Down)
    assert today.proxy.rowCount() == 1 and today.model.names(today.model.rows[0])
    key(qtbot, Qt.Key.Key_Home)  # 全部
    assert today.proxy.rowCount() == 28

    key(qtbot, Qt.Key.Key_K, ALT)  # 事项类别
    assert focus() is today.ui.kind_filter
    labels = [today.ui.kind_filter.itemText(i) for i in range(today.ui.kind_filter.count())]
    assert labels[0] == "全部" and any(x.startswith("劳动争议") for x in labels)
    while today.ui.kind_filter.currentData() != "labour.dispute":
        key(qtbot, Qt.Key.Key_Down)
    assert today.proxy.rowCount() == 2

    key(qtbot, Qt.Key.Key_T, ALT)  # 状态
    assert focus() is today.ui.state_filter
    key(qtbot, Qt.Key.Key_Down)
    assert today.ui.state_filter.currentText() == "已登记" and today.proxy.rowCount() == 2
    key(qtbot, Qt.Key.Key_Down)
    assert today.proxy.rowCount() == 0 and "0" in today.ui.count_label.text()
    w.shutdown(0)
