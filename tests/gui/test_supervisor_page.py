"""The supervisor's page (Alt+5) driven from the keyboard: statistics with charts, the duty board whose rows
open the visit, the search of past visits, and the progress look-up with a step recorded; a clerk has no
such page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .keyboard import key, show_active, type_text

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
RID = "11010519491231002X"


def _register(services: Any, actor: Any, name: str, kind: str, received_on: dt.date, rid: str = "") -> str:
    from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

    inp = RegistrationInput(people=(PersonInput(name=name, id_number=rid, phone="13812345678", address="龙潭镇1号"),),
                            matter=MatterInput(kind=kind, summary="事项", demands="诉求"), received_on=received_on)
    return services.registration.register(actor, inp).query_code


@pytest.fixture
def window(qtbot: Any, services: Any, actors: Any, runner: Any) -> Any:
    from xinfang_desk.gui.main_window import MainWindow
    from xinfang_desk.gui.sync_status import SyncController
    from xinfang_desk.sync.config import CentralConfigError

    def nothing() -> str:
        raise CentralConfigError("no central database configured")

    w = MainWindow(services, actors["supervisor"], runner, sync=SyncController(services, resolve_url=nothing))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    show_active(qtbot, w)
    yield w
    w.close()
    w.sync.stop(10)


def _shot(w: Any, name: str) -> None:
    import os

    folder = os.environ.get("XINFANG_DESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        w.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def visits(services: Any, actors: Any) -> dict[str, str]:
    from xinfang_desk.services.context import local_today

    today = local_today()
    clerk = actors["clerk"]
    return {
        "old": _register(services, clerk, "张三", "labour.wage_arrears", today - dt.timedelta(days=40), RID),
        "today": _register(services, clerk, "李四", "suggestion", today),
        "coll": _register(services, clerk, "王五", "accusation.official", today),
    }


def _open_page(qtbot: Any, w: Any) -> Any:
    key(qtbot, Qt.Key.Key_5, ALT, widget=w)
    assert w.current_page_key() == "supervisor"
    return w.pages["supervisor"]


def test_statistics_and_duties_open_the_visit(qtbot: Any, window: Any, visits: dict[str, str]) -> None:
    page = _open_page(qtbot, window)
    qtbot.waitUntil(lambda: page.stats.stats is not None and page.duties.board is not None, timeout=10000)
    st = page.stats.stats
    assert st.visits == 2 and "2" in page.stats.figures.text()  # the 40-day-old visit is outside the 30 days
    charts = [v.chart() for v in page.stats.views]
    assert all(c is not None and c.series() for c in charts)
    assert charts[1].title() == "按事项类别" and "导入法定途径" in page.stats.figures.text()
    _shot(window, "screenshot-statistics")
    key(qtbot, Qt.Key.Key_D, ALT)
    assert page.tabs.currentWidget() is page.duties
    t = page.duties.overdue
    assert t.rowCount() == 1 and t.item(0, 0).text() == visits["old"]
    assert "逾期" in t.item(0, 7).text() and "第二十二条" in t.item(0, 5).text()
    assert page.duties.soon.rowCount() == 0
    assert QApplication.focusWidget() is t
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.last_dialog is not None and page.last_dialog.isVisible(), timeout=5000)
    text = page.last_dialog.ui.detail_browser.toPlainText()
    assert visits["old"] in text and "当前状态：已登记" in text and "第二十二条" in text
    page.last_dialog.close()


def test_search_by_id_number_then_enter_opens_the_visit(qtbot: Any, window: Any, visits: dict[str, str]) -> None:
    page = _open_page(qtbot, window)
    key(qtbot, Qt.Key.Key_F, ALT)
    assert QApplication.focusWidget() is page.search.person
    page.search.date_from.setDate(page.search.date_from.date().addDays(-30))
    type_text(qtbot, RID)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.search.last is not None, timeout=5000)
    assert [r.query_code for r in page.search.model.rows] == [visits["old"]]
    assert page.search.last.total == 1 and "共 1 批次来访" in page.search.status.text()
    assert QApplication.focusWidget() is page.search.table
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.last_dialog is not None and page.last_dialog.isVisible(), timeout=5000)
    assert visits["old"] in page.last_dialog.windowTitle()
    page.last_dialog.close()


def test_progress_lookup_record_a_step_and_unknown_code(qtbot: Any, window: Any, visits: dict[str, str]) -> None:
    page = _open_page(qtbot, window)
    key(qtbot, Qt.Key.Key_Q, ALT)
    tab = page.progress
    assert QApplication.focusWidget() is tab.code
    type_text(qtbot, visits["today"])
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(tab.views), timeout=5000)
    assert "当前状态：已登记" in tab.result.toPlainText()
    tab.step_state.setFocus()
    for _i in range(tab.step_state.findData("transferred")):
        key(qtbot, Qt.Key.Key_Down)
    assert tab.step_state.currentData() == "transferred"
    tab.step_organ.setFocus()
    type_text(qtbot, "区人力资源和社会保障局")
    key(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: "已转送" in tab.result.toPlainText(), timeout=5000)
    assert "转送 区人力资源和社会保障局" in tab.result.toPlainText().replace("\u3000", " ")
    # closed → accepted is refused with the reason, the history unchanged
    for state, organ in (("closed", ""), ("accepted", "区住建委")):
        tab.step_state.setCurrentIndex(tab.step_state.findData(state))
        tab.step_organ.setFocus()
        if organ:
            type_text(qtbot, organ)
        key(qtbot, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: page.runner.in_flight == 0, timeout=5000)
        qtbot.wait(50)
    qtbot.waitUntil(lambda: "已办结" in tab.status.text() and "受理" in tab.status.text(), timeout=5000)
    tab.code.setFocus()
    tab.code.clear()
    type_text(qtbot, "BN03-20200101-0042")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "BN03-20200101-0042" in tab.status.text(), timeout=5000)
    assert tab.result.toPlainText() == "" and not tab.slip_button.isEnabled()


def test_a_clerk_has_no_supervisor_page(qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    from xinfang_desk.gui.main_window import MainWindow
    from xinfang_desk.gui.sync_status import SyncController
    from xinfang_desk.sync.config import CentralConfigError

    def nothing() -> str:
        raise CentralConfigError("none")

    w = MainWindow(services, actors["clerk"], runner, sync=SyncController(services, resolve_url=nothing))
    qtbot.addWidget(w)
    show_active(qtbot, w)
    key(qtbot, Qt.Key.Key_5, ALT, widget=w)
    assert "supervisor" not in w.pages and w.current_page_key() != "supervisor"
    w.close()
    w.sync.stop(10)


def test_every_progress_state_has_a_chinese_label() -> None:
    from xinfang_desk.domain.progress import STATES
    from xinfang_desk.gui.formatting import status_label

    for state in STATES:
        label = status_label(state)
        assert label != state and not label.isascii(), state


def test_ctrl_p_saves_the_daily_log_0600(qtbot: Any, window: Any, visits: dict[str, str], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    out = tmp_path / "log.pdf"
    asked: list[str] = []

    def fake(parent: Any, title: str, default: str, filt: str) -> tuple[str, str]:
        asked.append(default)
        return str(out), filt

    monkeypatch.setattr("xinfang_desk.gui.supervisor_page.QFileDialog.getSaveFileName", fake)
    page = _open_page(qtbot, window)
    qtbot.waitUntil(lambda: page.stats.stats is not None, timeout=10000)
    key(qtbot, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: out.exists() and "已保存" in page.stats.status.text(), timeout=20000)
    assert asked and asked[0].endswith(".pdf") and "接待日志" in asked[0]
    assert os.stat(out).st_mode & 0o777 == 0o600 and out.read_bytes().startswith(b"%PDF")
    assert "2 批次" in page.stats.status.text()
