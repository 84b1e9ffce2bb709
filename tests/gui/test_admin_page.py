"""管理 (issue 13 item 10): an administrator confirms an organ's address and phone, imports a year of holidays
and sets the office's name and seal text — which the next notice prints — from the keyboard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from .keyboard import focus, key, type_text
from .test_main_flow import ALT, make_window

CTRL = Qt.KeyboardModifier.ControlModifier


def test_admin_confirms_an_organ_imports_holidays_and_names_the_office(qtbot: Any, services: Any, actors: Any,
                                                                       runner: Any, tmp_path: Path,
                                                                       monkeypatch: Any) -> None:
    from xinfang_desk.gui import admin_page
    from xinfang_desk.gui.notice_preview import page_texts
    from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

    w = make_window(qtbot, services, actors["admin"], runner)
    key(qtbot, Qt.Key.Key_8, ALT)
    assert w.current_page_key() == "admin"
    page = w.pages["admin"]
    qtbot.waitUntil(lambda: page.organ_table.rowCount() > 3, timeout=10000)
    # the organ directory: pick the second organ, correct the phone, mark it checked, Enter saves
    page.organ_table.setFocus()
    key(qtbot, Qt.Key.Key_Down)
    organ = page.current_organ()
    assert organ is not None and not organ.confirmed
    page.organ_phone.setFocus()
    page.organ_phone.selectAll()
    type_text(qtbot, "023-12345678")
    page.organ_confirmed.setChecked(True)
    with qtbot.waitSignal(page.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_Return)
    saved = next(o for o in services.reference.organs() if o.key == organ.key)
    assert saved.phone == "023-12345678" and saved.confirmed
    qtbot.waitUntil(lambda: "已核实" in page.organ_table.item(page.organ_table.currentRow(), 4).text())

    # the calendar: import 2027 from a JSON file (the file dialog patched where it is used)
    doc = {"year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知",
           "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}], "workdays": []}
    f = tmp_path / "2027.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(admin_page, "open_calendar_file", lambda parent: str(f))
    key(qtbot, Qt.Key.Key_Tab, CTRL, widget=page.tabs)
    assert page.tabs.currentIndex() == 1
    with qtbot.waitSignal(page.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_S, CTRL, widget=page.tabs)
    assert 2027 in services.reference.calendar_years()
    qtbot.waitUntil(lambda: any("2027" in page.years_list.item(i).text() for i in range(page.years_list.count())))

    # the office: its name and seal text, printed on the next notice
    key(qtbot, Qt.Key.Key_Tab, CTRL, widget=page.tabs)
    assert page.tabs.currentIndex() == 2
    page.office_name.setFocus()
    qtbot.waitUntil(lambda: focus() is page.office_name)
    page.office_name.selectAll()
    type_text(qtbot, "某某区人民政府信访局")
    page.seal_text.setFocus()
    page.seal_text.selectAll()
    type_text(qtbot, "信访专用章")
    with qtbot.waitSignal(page.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_Return)
    assert services.reference.office() == ("某某区人民政府信访局", "信访专用章")
    res = services.registration.register(actors["clerk"], RegistrationInput(
        people=(PersonInput(name="王五"),), matter=MatterInput(kind="labour.dispute", summary="欠薪")))
    text = "".join(page_texts(services.notices.print_notice(actors["clerk"], res.visit_id, "both").pdf))
    assert "某某区人民政府信访局" in text and "信访专用章" in text

    # bad input names the field and saves nothing
    page.seal_text.selectAll()
    page.seal_text.setFocus()
    key(qtbot, Qt.Key.Key_Delete)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "印章" in page.status.text(), timeout=10000)
    assert services.reference.office() == ("某某区人民政府信访局", "信访专用章")
    w.shutdown(0)


def test_a_clerk_sees_the_admin_page_disabled_with_the_reason(qtbot: Any, services: Any, actors: Any,
                                                              runner: Any) -> None:
    w = make_window(qtbot, services, actors["clerk"], runner)
    nav = w.ui.nav_list
    item = next(nav.item(i) for i in range(nav.count()) if nav.item(i).data(Qt.ItemDataRole.UserRole) == "admin")
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "接待员" in item.toolTip() and "管理" in item.toolTip()
    key(qtbot, Qt.Key.Key_8, ALT)
    assert w.current_page_key() == "registration"
    w.shutdown(0)


def test_admin_replaces_the_towns_and_the_address_field_offers_them(qtbot: Any, services: Any, actors: Any,
                                                                     runner: Any, tmp_path: Path) -> None:
    w = make_window(qtbot, services, actors["admin"], runner)
    key(qtbot, Qt.Key.Key_8, ALT)
    page = w.pages["admin"]
    qtbot.waitUntil(lambda: "镇" in page.towns_edit.toPlainText(), timeout=10000)
    page.tabs.setCurrentIndex(3)
    page.towns_edit.setFocus()
    page.towns_edit.selectAll()
    type_text(qtbot, "青龙镇\n白鹤街道\n青龙镇")
    with qtbot.waitSignal(page.sig_saved, timeout=3000, raising=False) as blocker:
        key(qtbot, Qt.Key.Key_S, CTRL)
    assert not blocker.signal_triggered  # listed twice: refused, the field named
    qtbot.waitUntil(lambda: "青龙镇" in page.status.text() and "两次" in page.status.text(), timeout=5000)
    page.towns_edit.setFocus()
    key(qtbot, Qt.Key.Key_Backspace)
    key(qtbot, Qt.Key.Key_Backspace)
    key(qtbot, Qt.Key.Key_Backspace)
    key(qtbot, Qt.Key.Key_Backspace)
    with qtbot.waitSignal(page.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_S, CTRL)
    assert services.reference.towns() == ["青龙镇", "白鹤街道"]
    w.shutdown(0)

    from xinfang_desk.gui.draft import DraftStore
    from xinfang_desk.gui.registration_page import RegistrationPage

    from .keyboard import show_active

    reg = RegistrationPage(services, actors["clerk"], runner, draft=DraftStore(tmp_path / "draft.json"))
    qtbot.addWidget(reg)
    show_active(qtbot, reg)
    qtbot.waitUntil(lambda: reg.town_completer.model.rowCount() == 2, timeout=5000)
    reg.ui.address_edit.setFocus()
    type_text(qtbot, "bh", reg.ui.address_edit)
    qtbot.waitUntil(reg.town_completer.completer.popup().isVisible)
    key(qtbot, Qt.Key.Key_Return)
    assert reg.ui.address_edit.text() == "白鹤街道"
