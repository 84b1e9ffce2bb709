"""接访人员 (issue 9 item 1), the administrator's tab on 管理 (Alt+8), from the keyboard: add a lawyer with a
specialty, refuse a bad ID number naming the field, declare a conflict by ID number (shown masked), add and
withdraw leave, link the lawyer's account — and the recusal then refuses that lawyer on the visitor's booking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.naughty import VALID_ID

from .keyboard import focus, key, type_text
from .test_main_flow import ALT, make_window

CTRL = Qt.KeyboardModifier.ControlModifier


def _open_staff_tab(qtbot: Any, services: Any, actor: Any, runner: Any) -> Any:
    w = make_window(qtbot, services, actor, runner)
    key(qtbot, Qt.Key.Key_8, ALT)
    page = w.pages["admin"]
    for _i in range(4):
        key(qtbot, Qt.Key.Key_Tab, CTRL, widget=page.tabs)
    assert page.tabs.currentWidget() is page.staff_tab
    assert page.tabs.tabText(page.tabs.currentIndex()) == "接访人员"
    return w, page.staff_tab


def test_admin_adds_a_lawyer_with_a_conflict_and_the_recusal_refuses_the_booking(qtbot: Any, services: Any,
                                                                                 actors: Any, runner: Any) -> None:
    from xinfang_desk.domain.errors import ValidationFailed
    from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput
    from xinfang_desk.services.scheduling import PersonInput as StaffInput
    from xinfang_desk.services.scheduling import PlanInput

    admin = actors["admin"]
    services.scheduling.save_person(admin, StaffInput("lead-wang", "王副区长", "leader", title="副区长"))
    _w, tab = _open_staff_tab(qtbot, services, admin, runner)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=10000)
    assert tab.table.item(0, 1).text() == "领导"

    # a new person: Ctrl+N, name, role (Down to 律师), firm, phone, one specialty ticked with Space, Ctrl+S
    tab.table.setFocus()
    key(qtbot, Qt.Key.Key_N, CTRL)
    assert focus() is tab.name_edit
    type_text(qtbot, "冯律师")
    key(qtbot, Qt.Key.Key_Tab)
    assert focus() is tab.role_combo
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Tab)
    assert focus() is tab.firm_edit
    key(qtbot, Qt.Key.Key_Return)  # no firm: refused, naming the field, nothing written
    qtbot.waitUntil(lambda: "单位" in tab.status.text(), timeout=10000)
    assert len(services.scheduling.staff_records(admin)) == 1
    type_text(qtbot, "丙律师事务所")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "13912341234")
    key(qtbot, Qt.Key.Key_Tab)
    assert focus() is tab.specialties
    key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Space)
    ticked = tab.specialties.currentItem()
    first_kind = ticked.text()
    assert ticked.checkState() == Qt.CheckState.Checked
    with qtbot.waitSignal(tab.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 2 and tab.current() is not None
                    and tab.current().person.name == "冯律师", timeout=10000)
    row = tab.table.currentRow()
    assert [tab.table.item(row, c).text() for c in range(6)] == [
        "冯律师", "律师", "", "丙律师事务所", first_kind, "139****1234"]  # the admin sees the phone masked
    lawyer = tab.current().person

    # a conflict by ID number: a wrong check digit is refused naming the field; the right one is shown masked
    tab.conflict_id.setFocus()
    type_text(qtbot, VALID_ID[:-1] + "1")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "身份证号" in tab.status.text(), timeout=10000)
    assert tab.conflict_list.count() == 0
    tab.conflict_id.selectAll()
    type_text(qtbot, VALID_ID)
    with qtbot.waitSignal(tab.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.conflict_list.count() == 1, timeout=10000)
    assert "110105********002X" in tab.conflict_list.item(0).text() and VALID_ID not in tab.conflict_list.item(0).text()

    # leave: a period added with Enter, a bad date named, then the period withdrawn with Delete
    tab.leave_from.setFocus()
    type_text(qtbot, "2027-02-30")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "2027-03-05")
    key(qtbot, Qt.Key.Key_Return)
    assert "起" in tab.status.text() and tab.leave_list.count() == 0
    tab.leave_from.selectAll()
    tab.leave_from.setFocus()
    type_text(qtbot, "2027-03-01")
    with qtbot.waitSignal(tab.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.leave_list.count() == 1, timeout=10000)
    tab.leave_list.setFocus()
    key(qtbot, Qt.Key.Key_Down)
    with qtbot.waitSignal(tab.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: tab.leave_list.count() == 0, timeout=10000)

    # the lawyer's log-in account linked
    tab.account_edit.setFocus()
    type_text(qtbot, "lawyer")
    with qtbot.waitSignal(tab.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_Return)
    assert services.scheduling.person_of(actors["lawyer"]).key == lawyer.key

    # the recusal picks up the conflict declared on the screen
    res = services.scheduling.apply_plan(admin, [], [PlanInput(
        "lr", "leader_reception", "09:00", "11:30", 3, dt.date(2027, 1, 4), dt.date(2027, 1, 10),
        ("lead-wang", lawyer.key), weekdays=(3,))])
    code = services.registration.register(actors["clerk"], RegistrationInput(
        people=(PersonInput(name="张三", id_number=VALID_ID),),
        matter=MatterInput(kind="labour.dispute", summary="欠薪"))).query_code
    with pytest.raises(ValidationFailed) as e:
        services.scheduling.book(actors["clerk"], code, res.created[0].id)
    assert "冯律师" in e.value.message()


def test_the_tab_is_only_there_for_those_who_manage_session_staff(qtbot: Any, services: Any, actors: Any,
                                                                 runner: Any) -> None:
    from xinfang_desk.gui.admin_page import AdminPage

    page = AdminPage(services, actors["supervisor"], runner)
    qtbot.addWidget(page)
    assert page.staff_tab is None and "接访人员" not in [page.tabs.tabText(i) for i in range(page.tabs.count())]
