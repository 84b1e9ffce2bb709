"""The registration page's parts, each with its own contract: the person part's messages (its own error lines,
the focus on its field), the matter part's date received, and the draft — every part takes back exactly the
piece it gave, and a draft written before the page was split still restores."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from xinfang_desk.services.context import local_today
from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

from .keyboard import focus, key, show_active, tab, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
ID_OK = "11010519491231002X"


def make_page(qtbot: Any, services: Any, actors: Any, runner: Any, draft_path: Path) -> Any:
    from xinfang_desk.gui.draft import DraftStore
    from xinfang_desk.gui.registration_page import RegistrationPage

    page = RegistrationPage(services, actors["clerk"], runner, draft=DraftStore(draft_path))
    qtbot.addWidget(page)
    page.resize(1366, 740)
    show_active(qtbot, page)
    qtbot.waitUntil(lambda: focus() is page.ui.search_edit)
    return page


def settle(qtbot: Any, page: Any, runner: Any) -> None:
    """Let the live look-ups and the proposal of what was typed arrive."""
    qtbot.waitUntil(lambda: not page.channels_panel.pending and runner.in_flight == 0, timeout=10000)


def test_the_person_part_puts_a_representative_problem_under_the_table_with_its_row(
        qtbot: Any, services: Any, actors: Any, runner: Any, tmp_path: Path) -> None:
    page = make_page(qtbot, services, actors, runner, tmp_path / "draft.json")
    u, person = page.ui, page.person
    tab(qtbot)
    type_text(qtbot, "李四")
    tab(qtbot)
    type_text(qtbot, ID_OK)
    key(qtbot, Qt.Key.Key_G, ALT)  # 人数
    assert focus() is u.group_size_spin
    key(qtbot, Qt.Key.Key_Up)
    key(qtbot, Qt.Key.Key_Up)
    assert person.group_size() == 3 and u.reps_box.isVisible() and u.reps_box.title() == "同行人"
    assert not u.collective_label.isVisible()  # 3 people are not a collective visit (more than 5 are)
    u.reps_table.setFocus()
    u.reps_table.setCurrentCell(0, 0)
    key(qtbot, Qt.Key.Key_F2)  # an input method starts the cell's editor with its first key; F2 does it here
    type_text(qtbot, "王五")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "110105194912310021")  # the check digit is wrong
    key(qtbot, Qt.Key.Key_Return)
    u.kind_edit.setFocus()
    type_text(qtbot, "ldzy")
    tab(qtbot)
    type_text(qtbot, "拖欠工资")
    key(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: person.errors.text("reps") != "", timeout=10000)
    assert page.last_result is None
    assert services.search.visits_on(actors["supervisor"], local_today()) == []
    # "row 2" is the table's first line: the visitor above is row 1
    assert person.errors.text("reps").startswith("第 2 行：") and "校验位不符" in person.errors.text("reps")
    assert person.errors.text("id_number") == ""  # the visitor's own number is fine
    assert all(page.matter.errors.text(k) == "" for k in page.matter.errors.labels)
    assert focus() is u.reps_table
    assert u.reps_table.item(0, 1).text() == "110105194912310021"  # nothing typed is lost


def test_the_person_part_checks_the_id_number_as_typed(qtbot: Any, services: Any, actors: Any, runner: Any,
                                                       tmp_path: Path) -> None:
    page = make_page(qtbot, services, actors, runner, tmp_path / "draft.json")
    u, person = page.ui, page.person
    tab(qtbot, 2)
    assert focus() is u.id_edit
    type_text(qtbot, "11010519491331002")
    assert person.errors.text("id_number") == ""  # 17 characters: still being typed
    type_text(qtbot, "0")
    assert person.errors.text("id_number") == "身份证号：出生日期无效"
    assert (u.gender_value.text(), u.birth_value.text()) == ("—", "—")
    for _ in range(18):
        key(qtbot, Qt.Key.Key_Backspace)
    type_text(qtbot, ID_OK)
    assert person.errors.text("id_number") == ""
    assert (u.gender_value.text(), u.birth_value.text()) == ("女", "1949-12-31")
    tab(qtbot)  # leaving a short number says so at once
    u.id_edit.setFocus()
    key(qtbot, Qt.Key.Key_Backspace)
    tab(qtbot)
    assert "身份证号" in person.errors.text("id_number")


def test_the_matter_part_refuses_a_date_received_in_the_future(qtbot: Any, services: Any, actors: Any, runner: Any,
                                                                tmp_path: Path) -> None:
    page = make_page(qtbot, services, actors, runner, tmp_path / "draft.json")
    u = page.ui
    tab(qtbot)
    type_text(qtbot, "李四")
    u.kind_edit.setFocus()
    type_text(qtbot, "建议意见")
    tab(qtbot)
    type_text(qtbot, "修路")
    u.received_edit.setFocus()
    type_text(qtbot, "2099-01-01")
    u.summary_edit.setFocus()
    key(qtbot, Qt.Key.Key_S, CTRL)
    assert page.matter.errors.text("received_on") == "接待日期：日期 2099-01-01 晚于今天"
    assert all(page.person.errors.text(k) == "" for k in page.person.errors.labels)
    assert focus() is u.received_edit and not page.saving and page.last_result is None
    u.received_edit.selectAll()
    type_text(qtbot, "20261102")
    tab(qtbot)  # what was understood is shown, and the message goes
    assert u.received_edit.text() == "2026-11-02" and page.matter.errors.text("received_on") == ""
    assert page.matter.received_on() == dt.date(2026, 11, 2)


def _fill_every_part(qtbot: Any, page: Any, runner: Any) -> None:
    """Everything a clerk may type, as keystrokes into each field (offscreen, the list of kinds takes the
    active window a moment after it closes, so the keys go to the fields by name rather than by focus)."""
    u = page.ui
    type_text(qtbot, "𠮷䶮·买买提", u.name_edit)
    type_text(qtbot, ID_OK, u.id_edit)
    type_text(qtbot, "13812345678", u.phone_edit)
    key(qtbot, Qt.Key.Key_Up, widget=u.group_size_spin)
    type_text(qtbot, "北京市东城区东华门街道", u.address_edit)
    u.reps_table.setCurrentCell(0, 0)
    key(qtbot, Qt.Key.Key_F2, widget=u.reps_table)  # an input method starts the cell's editor with its first key
    editor = QApplication.focusWidget()
    type_text(qtbot, "王五", editor)
    key(qtbot, Qt.Key.Key_Return, widget=editor)
    u.kind_edit.setFocus()
    type_text(qtbot, "ldzy", u.kind_edit)
    qtbot.waitUntil(page.kind_picker.completer.popup().isVisible)
    key(qtbot, Qt.Key.Key_Return)  # the list has the keyboard: Enter takes 劳动争议
    assert page.kind_picker.code() == "labour.dispute"
    type_text(qtbot, "拖欠工资\n三个月", u.summary_edit)
    type_text(qtbot, "支付工资", u.demands_edit)
    type_text(qtbot, "某某建筑有限公司", u.respondent_edit)
    type_text(qtbot, "20261102", u.received_edit)
    u.received_edit.editingFinished.emit()  # leaving the field shows the date as understood
    assert u.received_edit.text() == "2026-11-02"
    settle(qtbot, page, runner)
    from xinfang_desk.services.classification import Override

    page.set_override(Override("statutory_channel", "", "来访人已申请仲裁"), "区劳动人事争议仲裁委员会")


def test_every_part_takes_back_the_piece_of_the_draft_it_gave(qtbot: Any, services: Any, actors: Any, runner: Any,
                                                              tmp_path: Path) -> None:
    page = make_page(qtbot, services, actors, runner, tmp_path / "draft.json")
    _fill_every_part(qtbot, page, runner)
    # one yes/no question answered from the keyboard
    bools = [q.name for q in page.facts_panel.questions if q.type == "bool"]
    key(qtbot, Qt.Key.Key_Y, widget=page.facts_panel.fields[bools[0]])
    settle(qtbot, page, runner)
    page.kind_picker.elide()  # the kind field, without the focus, shows its long label elided ...
    assert page.ui.kind_edit.text().endswith("…")
    pieces = {name: getattr(page, name).draft_state() for name in ("person", "matter", "facts")}
    # ... and the draft keeps the whole label, not what the field happens to show
    assert pieces["matter"]["kind_text"] == "劳动争议（劳动关系、合同、辞退、工资、工时、社保、工伤医疗费、补偿金）"
    # one owner per key: each part gives exactly the keys it declares, and no key belongs to two parts
    from xinfang_desk.gui.registration import facts_part, matter_part, person_part

    declared = {"person": person_part.DRAFT_KEYS, "matter": matter_part.DRAFT_KEYS, "facts": facts_part.DRAFT_KEYS}
    assert {name: sorted(piece) for name, piece in pieces.items()} == {n: sorted(k) for n, k in declared.items()}
    assert len({k for keys in declared.values() for k in keys}) == sum(len(k) for k in declared.values())
    assert pieces["person"]["reps"] == [["王五", "", ""]] and pieces["person"]["group_size"] == 2
    assert pieces["matter"]["kind"] == "labour.dispute" and pieces["matter"]["override"]["reason"] == "来访人已申请仲裁"
    assert pieces["facts"]["facts"] == {bools[0]: True}
    page.write_draft()  # as on a lock, a log-out or a close
    page.close()

    again = make_page(qtbot, services, actors, runner, tmp_path / "draft.json")
    settle(qtbot, again, runner)
    for name, piece in pieces.items():
        assert getattr(again, name).draft_state() == piece, name
    u = again.ui
    assert u.saved_label.text() == "已恢复未保存的草稿。"
    assert u.summary_edit.toPlainText() == "拖欠工资\n三个月"
    assert (u.gender_value.text(), u.birth_value.text()) == ("女", "1949-12-31")  # derived again from the number
    assert u.override_label.isVisible() and "来访人已申请仲裁" in u.override_label.text()
    assert u.reps_box.isVisible()


def test_a_picked_visitor_comes_back_picked(qtbot: Any, services: Any, actors: Any, runner: Any,
                                            tmp_path: Path) -> None:
    first = services.registration.register(actors["clerk"], RegistrationInput(
        people=(PersonInput(name="赵六", id_number=ID_OK, phone="13912345678"),),
        matter=MatterInput(kind="labour.dispute", summary="拖欠工资", demands="支付工资", respondent="某某公司"),
    ))
    page = make_page(qtbot, services, actors, runner, tmp_path / "draft.json")
    type_text(qtbot, "赵六")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.person.picked is not None, timeout=5000)
    qtbot.waitUntil(lambda: bool(page.person.history), timeout=5000)
    piece = page.person.draft_state()
    assert piece["picked"]["id"] == first.person_ids[0] and piece["id_number"] == ""  # the full number stays out
    page.write_draft()
    page.close()

    again = make_page(qtbot, services, actors, runner, tmp_path / "draft.json")
    assert again.person.draft_state() == piece
    u = again.ui
    assert u.id_edit.isReadOnly() and u.id_edit.placeholderText() == "110105********002X"
    qtbot.waitUntil(lambda: u.history_list.count() == 1 and first.query_code in u.history_list.item(0).text())


def test_a_draft_written_before_the_split_restores(qtbot: Any, services: Any, actors: Any, runner: Any,
                                                   tmp_path: Path) -> None:
    """The draft file keeps its flat form: one written by the page before it was split into parts restores."""
    path = tmp_path / "draft.json"
    path.write_text(json.dumps({"version": 1, "form": {
        "search": "", "name": "李四", "id_number": ID_OK, "phone": "13812345678", "address": "龙潭镇",
        "group_size": 1, "reps": [], "channel": "letter", "kind": "suggestion", "kind_text": "建议意见",
        "summary": "修路", "demands": "尽快修", "respondent": "镇政府", "received_on": "2026-11-02",
        "facts": {}, "override": None, "picked": None,
    }}, ensure_ascii=False), encoding="utf-8")
    page = make_page(qtbot, services, actors, runner, path)
    u = page.ui
    assert (u.name_edit.text(), u.id_edit.text(), u.phone_edit.text(), u.address_edit.text()) == (
        "李四", ID_OK, "13812345678", "龙潭镇")
    assert u.channel_combo.currentData() == "letter" and page.kind_picker.code() == "suggestion"
    assert (u.summary_edit.toPlainText(), u.demands_edit.toPlainText(), u.respondent_edit.text()) == (
        "修路", "尽快修", "镇政府")
    assert u.received_edit.text() == "2026-11-02"
    with qtbot.waitSignal(page.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_S, CTRL)
    assert not path.exists()  # saved: the draft is gone
    rows = services.search.visits_on(actors["supervisor"], dt.date(2026, 11, 2))
    assert [(r.query_code, r.kind, r.channel) for r in rows] == [(page.last_result.query_code, "suggestion", "letter")]
