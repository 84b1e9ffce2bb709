"""The schedule page (Alt+4) and the lawyer's desk, driven from the keyboard as a clerk, a supervisor and a duty
lawyer would: book a visitor, switch week and month, see why a person cannot serve before saving, record advice."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt

from xinfang_desk.services.context import local_today
from xinfang_desk.services.dto import MatterInput, RegistrationInput
from xinfang_desk.services.dto import PersonInput as Visitor
from xinfang_desk.services.scheduling import PersonInput, PlanInput

from .keyboard import focus, key, show_active, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
MONDAY = local_today() - dt.timedelta(days=local_today().weekday())
PEOPLE = [PersonInput("lead", "王建国", "leader", title="副区长"),
          PersonInput("law-a", "刘明", "lawyer", organisation="青溪正和律师事务所", specialties=("labour.dispute",)),
          PersonInput("law-b", "周涛", "lawyer", organisation="锦江明理律师事务所"),
          PersonInput("law-c", "陈静", "lawyer", organisation="东岳天平律师事务所")]


@pytest.fixture
def planned(services: Any, actors: Any) -> Any:
    """This week and next: a leader's reception on Wednesday morning (王建国, 刘明) and duty every weekday at the
    same time (周涛), so 刘明 cannot also take the duty."""
    return services.scheduling.apply_plan(actors["admin"], PEOPLE, [
        PlanInput("lr", "leader_reception", "09:00", "11:30", 2, MONDAY, MONDAY + dt.timedelta(days=13), ("lead", "law-a"),
                  weekdays=(3,)),
        PlanInput("duty", "lawyer_duty", "09:00", "12:00", 5, MONDAY, MONDAY + dt.timedelta(days=13), ("law-b",),
                  weekdays=(1, 2, 3, 4, 5)),
    ])


def register(services: Any, clerk: Any, name: str = "张三") -> str:
    return services.registration.register(clerk, RegistrationInput(
        people=(Visitor(name=name, phone="13800138000"),),
        matter=MatterInput("labour.dispute", "公司拖欠工资三个月", "支付工资", "某物流公司"))).query_code


def make_window(qtbot: Any, services: Any, actor: Any, runner: Any) -> Any:
    from xinfang_desk.gui.main_window import MainWindow

    w = MainWindow(services, actor, runner)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    show_active(qtbot, w)
    return w


def select_session(qtbot: Any, page: Any, wanted: Any) -> None:
    """Move through the week grid with the arrow keys until the wanted session is selected."""
    v = page.view
    target = next((r, c) for r in range(v.rowCount()) for c in range(7)
                  if v.item(r, c) is not None and v.item(r, c).data(Qt.ItemDataRole.UserRole) == wanted.id)
    v.setFocus()
    while v.currentColumn() < target[1]:
        key(qtbot, Qt.Key.Key_Right, widget=v)
    while v.currentColumn() > target[1]:
        key(qtbot, Qt.Key.Key_Left, widget=v)
    while v.currentRow() < target[0]:
        key(qtbot, Qt.Key.Key_Down, widget=v)
    while v.currentRow() > target[0]:
        key(qtbot, Qt.Key.Key_Up, widget=v)
    qtbot.waitUntil(lambda: page.current_id == wanted.id)


def test_clerk_books_from_the_keyboard_and_switches_week_and_month(qtbot, services, actors, runner, planned):
    clerk = actors["clerk"]
    codes = [register(services, clerk, n) for n in ("张三", "李四", "王五")]
    w = make_window(qtbot, services, clerk, runner)
    key(qtbot, Qt.Key.Key_4, ALT)
    assert w.current_page_key() == "schedule"
    page = w.pages["schedule"]
    qtbot.waitUntil(lambda: len(page.sessions) == 6)  # Wednesday's reception and five duty days
    nav = w.ui.nav_list
    assert any(nav.item(r).text() == "接访排班\tAlt+4" for r in range(nav.count()))
    assert page.view.horizontalHeaderItem(2).text().startswith("周三")
    wed = next(s for s in planned.created if s.type == "leader_reception" and s.day < MONDAY + dt.timedelta(days=7))
    select_session(qtbot, page, wed)
    assert "王建国" in page.detail.text() and "刘明" in page.detail.text()
    for i, code in enumerate(codes):
        key(qtbot, Qt.Key.Key_B, CTRL)
        assert focus() is page.book_code
        type_text(qtbot, code)
        key(qtbot, Qt.Key.Key_Return)
        want = "已预约" if i < 2 else "候补"
        qtbot.waitUntil(lambda want=want: want in page.book_message.text())
    qtbot.waitUntil(lambda: page.bookings.count() == 3)
    assert "候补 1" in page.bookings.item(2).text()
    assert [b.status for c in codes for b in services.scheduling.bookings_of(clerk, c)] == ["booked", "booked", "waiting"]
    qtbot.waitUntil(lambda: "预约 2/2，候补 1" in page.view.item(page.view.currentRow(), page.view.currentColumn()).text())
    # a wrong code is named, nothing booked
    key(qtbot, Qt.Key.Key_B, CTRL)
    type_text(qtbot, "BN03-19990101-0001")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "查询码" in page.book_message.text())
    # month view (F6), next month (PageDown), back to the week (F5)
    key(qtbot, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: page.mode == "month" and page.title.text() == f"{MONDAY:%Y}-{local_today().month:02d}")

    def month_texts() -> list[str]:
        return [page.view.item(r, c).text() for r in range(page.view.rowCount()) for c in range(7) if page.view.item(r, c)]

    assert any(t.startswith(f"{local_today().day}\n") and "值班律师" in t for t in month_texts())
    nxt = (local_today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    if wed.day.month != local_today().month:
        key(qtbot, Qt.Key.Key_PageDown)
        qtbot.waitUntil(lambda: page.title.text() == f"{nxt:%Y}-{nxt.month:02d}")
    qtbot.waitUntil(lambda: any(t.startswith(f"{wed.day.day}\n") and "领导接访" in t and "2/2" in t for t in month_texts()))
    key(qtbot, Qt.Key.Key_F5)
    key(qtbot, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: page.mode == "week" and len(page.sessions) == 6)


def test_a_person_who_cannot_serve_is_shown_with_the_reason_before_saving(qtbot, services, actors, runner, planned):
    w = make_window(qtbot, services, actors["supervisor"], runner)
    key(qtbot, Qt.Key.Key_4, ALT)
    page = w.pages["schedule"]
    qtbot.waitUntil(lambda: len(page.sessions) == 6 and page.person_combo.count() == 4)
    wed_duty = next(s for s in planned.created if s.type == "lawyer_duty" and s.day == MONDAY + dt.timedelta(days=2))
    select_session(qtbot, page, wed_duty)
    key(qtbot, Qt.Key.Key_R, CTRL)
    assert focus() is page.person_combo
    while page.person_combo.currentData() != "law-a":
        key(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: "不能安排" in page.person_reason.text())
    assert "刘明" in page.person_reason.text() and "09:00-11:30" in page.person_reason.text()
    assert not page.assign_button.isEnabled()
    key(qtbot, Qt.Key.Key_Return)  # refused before saving: nothing happens
    assert [p.key for p in services.scheduling.session(actors["supervisor"], wed_duty.id).people] == ["law-b"]
    while page.person_combo.currentData() != "law-c":
        key(qtbot, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.person_reason.text() == "可以安排。")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "陈静" in page.detail.text())
    assert [p.key for p in services.scheduling.session(actors["supervisor"], wed_duty.id).people] == ["law-b", "law-c"]


def test_new_session_dialog_shows_the_conflict_before_saving(qtbot, services, actors, runner, planned):
    w = make_window(qtbot, services, actors["supervisor"], runner)
    key(qtbot, Qt.Key.Key_4, ALT)
    page = w.pages["schedule"]
    qtbot.waitUntil(lambda: len(page.sessions) == 6)
    key(qtbot, Qt.Key.Key_N, CTRL)
    dlg = page.last_dialog
    qtbot.waitUntil(lambda: dlg is not None and dlg.isVisible())
    qtbot.waitActive(dlg)
    dlg.day.setDate(MONDAY + dt.timedelta(days=2))
    dlg.type.setFocus()
    qtbot.waitUntil(lambda: focus() is dlg.type)
    while dlg.type.currentData() != "leader_reception":
        key(qtbot, Qt.Key.Key_Down)
    dlg.people.setFocus()
    qtbot.waitUntil(lambda: focus() is dlg.people)
    type_text(qtbot, "law-c")
    qtbot.waitUntil(lambda: "需要一名领导" in dlg.reasons.text(), timeout=15000)  # a leader's reception needs a leader
    assert not dlg.buttons.button(dlg.buttons.StandardButton.Save).isEnabled()
    type_text(qtbot, ",lead")
    qtbot.waitUntil(lambda: "王建国" in dlg.reasons.text() and "重叠" in dlg.reasons.text(), timeout=15000)
    assert "09:00-11:30" in dlg.reasons.text()  # the leader is already in Wednesday's reception
    assert not dlg.buttons.button(dlg.buttons.StandardButton.Save).isEnabled()
    for _ in range(len(",lead")):
        key(qtbot, Qt.Key.Key_Backspace)
    dlg.type.setCurrentIndex(dlg.type.findData("lawyer_duty"))
    dlg.start.setTime(dt.time(14, 0))
    dlg.end.setTime(dt.time(16, 0))
    qtbot.waitUntil(lambda: dlg.reasons.text() == "" and dlg.buttons.button(dlg.buttons.StandardButton.Save).isEnabled(),
                    timeout=15000)
    dlg.buttons.button(dlg.buttons.StandardButton.Save).setFocus()
    key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(page.sessions) == 7)


def test_lawyers_desk_opens_a_booked_visit_and_records_advice(qtbot, services, actors, runner, planned, monkeypatch, tmp_path):
    clerk, lawyer = actors["clerk"], actors["lawyer"]
    services.scheduling.link_user(actors["admin"], "law-a", "lawyer")
    code = register(services, clerk)
    wed = next(s for s in planned.created if s.type == "leader_reception" and s.day < MONDAY + dt.timedelta(days=7))
    services.scheduling.book(clerk, code, wed.id)
    w = make_window(qtbot, services, lawyer, runner)
    key(qtbot, Qt.Key.Key_6, ALT)  # 律师工作台 is Alt+6 for every role
    page = w.pages["desk"]
    assert w.current_page_key() == "desk"
    qtbot.waitUntil(lambda: page.sessions.count() == 2 and page.docket.count() == 1)
    page.docket.setFocus()
    page.docket.setCurrentRow(0)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.code == code and focus() is page.advice)
    shown = page.file.toPlainText()
    assert "公司拖欠工资三个月" in shown and "138****8000" in shown and "13800138000" not in shown
    type_text(qtbot, "建议向劳动争议仲裁委员会申请仲裁，可申请法律援助")
    key(qtbot, Qt.Key.Key_Tab)
    while page.channel.currentData() != "statutory_channel":
        key(qtbot, Qt.Key.Key_Down)
    key(qtbot, Qt.Key.Key_Tab)
    key(qtbot, Qt.Key.Key_Space)
    assert page.legal_aid.isChecked()
    key(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: "已保存" in page.message.text() and page.referral_button.isEnabled())
    saved = services.advice.for_visit(lawyer, code)
    assert [(a.lawyer, a.legal_aid, a.channel) for a in saved] == [("刘明", True, "statutory_channel")]
    qtbot.waitUntil(lambda: "建议向劳动争议仲裁委员会申请仲裁" in page.file.toPlainText())
    out = tmp_path / "referral.pdf"
    monkeypatch.setattr("xinfang_desk.gui.schedule_page.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    key(qtbot, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: out.exists() and out.stat().st_size > 1000)
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_visit_detail_shows_the_booking_and_the_advice(qtbot, services, actors, runner, planned):
    from xinfang_desk.gui.dialogs import VisitDetailDialog
    from xinfang_desk.services.advice import AdviceInput

    clerk = actors["clerk"]
    services.scheduling.link_user(actors["admin"], "law-a", "lawyer")
    code = register(services, clerk)
    wed = next(s for s in planned.created if s.type == "leader_reception" and s.day < MONDAY + dt.timedelta(days=7))
    services.scheduling.book(clerk, code, wed.id)
    services.advice.record(actors["lawyer"], code, AdviceInput("建议申请劳动仲裁", "statutory_channel", True))
    row = services.search.visits_on(clerk, local_today())[0]
    dlg = VisitDetailDialog.for_visit_row(row, list(row.names)).attach(services, clerk, runner, row.visit_id)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: "建议申请劳动仲裁" in dlg.ui.detail_browser.toPlainText())
    text = dlg.ui.detail_browser.toPlainText()
    assert "接访预约" in text and "已预约（待中心确认）" in text and wed.day.isoformat() in text and "信访接待大厅" in text
    assert "刘明" in text and "建议申请法律援助" in text


def test_delete_cancels_a_booking_and_the_first_waiting_moves_up_then_ctrl_shift_p_prints_the_slip(
        qtbot, services, actors, runner, planned, monkeypatch, tmp_path):
    clerk = actors["clerk"]
    wed = next(s for s in planned.created if s.type == "leader_reception" and s.day < MONDAY + dt.timedelta(days=7))
    codes = [register(services, clerk, n) for n in ("张三", "李四", "王五")]
    for c in codes:
        services.scheduling.book(clerk, c, wed.id)
    asked = []
    monkeypatch.setattr("xinfang_desk.gui.dialogs.ask_yes_no", lambda parent, title, text: asked.append(text) or True)
    w = make_window(qtbot, services, clerk, runner)
    key(qtbot, Qt.Key.Key_4, ALT)
    page = w.pages["schedule"]
    qtbot.waitUntil(lambda: len(page.sessions) == 6)
    select_session(qtbot, page, wed)
    qtbot.waitUntil(lambda: page.bookings.count() == 3)
    page.bookings.setFocus()
    page.bookings.setCurrentRow(0)
    key(qtbot, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: codes[2] in page.book_message.text() and "候补" in page.book_message.text())
    assert asked and codes[0] in asked[0]
    assert services.scheduling.bookings_of(clerk, codes[2])[0].status == "booked"
    qtbot.waitUntil(lambda: page.bookings.count() == 2)
    out = tmp_path / "slip.pdf"
    monkeypatch.setattr("xinfang_desk.gui.schedule_page.QFileDialog.getSaveFileName", lambda *a, **k: (str(out), "PDF"))
    page.bookings.setFocus()
    page.bookings.setCurrentRow(0)
    key(qtbot, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)  # Ctrl+L logs out, everywhere
    qtbot.waitUntil(lambda: out.exists() and out.stat().st_size > 1000)
