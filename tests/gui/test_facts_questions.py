"""The kind-specific questions: only the facts the rules need, in Chinese, dates typed the clerk's way, and the
live proposal following the answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from xinfang_desk.gui.facts_panel import DateProblem, parse_fact_date
from xinfang_desk.services.context import local_today

from .keyboard import focus, key, show_active, tab, type_text

TODAY = dt.date(2026, 11, 27)


@pytest.mark.parametrize(("typed", "day"), [
    ("2026-11-27", dt.date(2026, 11, 27)), ("20261127", dt.date(2026, 11, 27)), ("11.27", dt.date(2026, 11, 27)),
    ("2026/6/1", dt.date(2026, 6, 1)), ("２０２６０６０１", dt.date(2026, 6, 1)), ("2021年3月5日", dt.date(2021, 3, 5)),
    ("6-1", dt.date(2026, 6, 1)), ("", None),
])
def test_date_forms(typed: str, day: dt.date | None) -> None:
    assert parse_fact_date(typed, TODAY) == day


@pytest.mark.parametrize(("typed", "message"), [
    ("2026-11-28", "晚于今天"), ("12.01", "晚于今天"), ("2026-02-30", "没有 2026-02-30 这一天"), ("昨天", "2026-11-27"),
])
def test_bad_dates_are_refused_with_a_message(typed: str, message: str) -> None:
    with pytest.raises(DateProblem) as e:
        parse_fact_date(typed, TODAY)
    assert message in str(e.value)


def make_page(qtbot: Any, services: Any, actor: Any, runner: Any) -> Any:
    from xinfang_desk.gui.main_window import MainWindow

    w = MainWindow(services, actor, runner)
    qtbot.addWidget(w)
    w.resize(1440, 900)
    show_active(qtbot, w)
    return w, w.pages["registration"]


def pick_labour_dispute(qtbot: Any, page: Any) -> None:
    u = page.ui
    u.name_edit.setFocus()
    type_text(qtbot, "王五")
    u.kind_edit.setFocus()
    type_text(qtbot, "ldzy")
    tab(qtbot)
    assert page.kind_picker.code() == "labour.dispute"
    type_text(qtbot, "公司拖欠工资三个月")
    tab(qtbot)
    type_text(qtbot, "支付工资")
    tab(qtbot)
    type_text(qtbot, "某某建筑有限公司")
    # offscreen: the closed kind list may become the active window a moment later; take the keyboard back
    qtbot.wait(50)
    page.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page.window())
    u.respondent_edit.setFocus()


def test_labour_dispute_asks_its_questions_and_updates_the_proposal(qtbot: Any, services: Any, actors: Any,
                                                                     runner: Any) -> None:
    from xinfang_desk.statutes.engine import facts_for_kind

    w, page = make_page(qtbot, services, actors["clerk"], runner)
    u, fp = page.ui, page.facts_panel
    assert not u.facts_box.isVisible()
    pick_labour_dispute(qtbot, page)
    assert u.facts_box.isVisible()
    asked = [q.name for q in facts_for_kind("labour.dispute")]
    assert [q.name for q in fp.questions] == asked  # only what the rules need, in their order
    assert fp.labels["act_known_on"].text().startswith("您何时知道（或者应当知道）自己的劳动权利受到侵害？")
    assert isinstance(fp.fields["employment_ongoing"], QComboBox)
    combo = fp.fields["employment_ongoing"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["未知", "是", "否"]
    aid = fp.fields["aid_waiver"]
    assert aid.itemText(0) == "未知" and aid.itemText(1) == "进城务工人员申请支付劳动报酬"
    # Tab order = reading order: respondent -> received on -> the questions -> the buttons
    tab(qtbot)
    assert focus() is u.received_edit
    tab(qtbot)
    assert focus() is fp.fields["act_known_on"]
    type_text(qtbot, "20260601")
    tab(qtbot)
    assert fp.fields["act_known_on"].text() == "2026-06-01"  # shown as understood
    assert focus() is fp.fields["employment_ongoing"]
    key(qtbot, Qt.Key.Key_Down)  # 未知 -> 是
    assert fp.facts() == {"act_known_on": "2026-06-01", "employment_ongoing": True}
    key(qtbot, Qt.Key.Key_Down)  # 是 -> 否: the employment has ended, the one-year period runs
    assert fp.facts() == {"act_known_on": "2026-06-01", "employment_ongoing": False}
    for name in asked[2:]:
        tab(qtbot)
        assert focus() is fp.fields[name]
    tab(qtbot)
    assert focus() is u.save_button
    expected = services.classification.propose(actors["clerk"], local_today(), 1, "labour.dispute",
                                               {"act_known_on": "2026-06-01", "employment_ongoing": False})
    last_day = expected["channels"][0]["deadlines"][0]["last_day"]
    qtbot.waitUntil(lambda: "劳动争议调解仲裁法" in page.channels_panel.text()
                    and last_day in page.channels_panel.text(), timeout=5000)
    text = page.channels_panel.text()
    assert "劳动争议仲裁" in text and "截止日" in text
    assert "Labour" not in text and "arbitration" not in text  # the engine's labels in Chinese
    assert "信访工作条例（2022）" in text
    with qtbot.waitSignal(page.sig_saved, timeout=10000):
        key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    stored = services.classification.latest_for_visit(actors["clerk"], page.last_result.visit_id)
    assert stored.result["facts"] == {"act_known_on": "2026-06-01", "employment_ongoing": False}
    assert not u.facts_box.isVisible() and fp.facts() == {}  # ready for the next visitor


def test_expired_period_is_marked_in_words_and_colour(qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    w, page = make_page(qtbot, services, actors["clerk"], runner)
    pick_labour_dispute(qtbot, page)
    page.facts_panel.fields["act_known_on"].setFocus()
    type_text(qtbot, "2021-03-01")
    tab(qtbot)
    qtbot.waitUntil(lambda: "已届满" in page.channels_panel.text(), timeout=5000)
    assert "#8a1c12" in page.channels_panel.text()


def test_a_letter_received_in_2021_uses_the_2005_regulation(qtbot: Any, services: Any, actors: Any,
                                                            runner: Any) -> None:
    w, page = make_page(qtbot, services, actors["clerk"], runner)
    pick_labour_dispute(qtbot, page)
    qtbot.waitUntil(lambda: "信访工作条例（2022）" in page.channels_panel.text(), timeout=5000)
    tab(qtbot)
    assert focus() is page.ui.received_edit
    type_text(qtbot, "2021.3.5")
    tab(qtbot)
    assert page.ui.received_edit.text() == "2021-03-05"
    qtbot.waitUntil(lambda: "信访条例（2005）" in page.channels_panel.text(), timeout=5000)
    assert "信访工作条例（2022）" not in page.channels_panel.text()


def test_a_future_date_is_refused_next_to_the_question(qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    w, page = make_page(qtbot, services, actors["clerk"], runner)
    pick_labour_dispute(qtbot, page)
    fp = page.facts_panel
    edit = fp.fields["act_known_on"]
    assert isinstance(edit, QLineEdit)
    edit.setFocus()
    future = (local_today() + dt.timedelta(days=3)).strftime("%Y%m%d")
    type_text(qtbot, future)
    tab(qtbot)
    assert fp.errors["act_known_on"].isVisible() and "晚于今天" in fp.errors["act_known_on"].text()
    assert "act_known_on" not in fp.facts()
    key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not page.saving and page.last_result is None  # refused before the service
    assert focus() is edit and edit.text() == future  # nothing typed is lost


def test_answers_survive_a_change_of_kind_and_the_draft(qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    w, page = make_page(qtbot, services, actors["clerk"], runner)
    pick_labour_dispute(qtbot, page)
    page.facts_panel.fields["act_known_on"].setFocus()
    type_text(qtbot, "2026-06-01")
    tab(qtbot)
    page.kind_picker.set_code("labour.wage_arrears")
    assert page.facts_panel.fields["act_known_on"].text() == "2026-06-01"
    page.write_draft()
    w.close()
    w2, p2 = make_page(qtbot, services, actors["clerk"], runner)
    assert p2.kind_picker.code() == "labour.wage_arrears"
    assert p2.facts_panel.facts().get("act_known_on") == "2026-06-01"
