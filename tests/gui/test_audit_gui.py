"""The audit trail in the GUI (issue 11, item 4): a supervisor is told at start when the audit chain is broken;
the 审计日志 page lists, filters and exports from the keyboard; a clerk gets neither the page nor the check."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from .keyboard import key, show_active

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _register(services: Any, actor: Any, n: int) -> None:
    from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

    for i in range(n):
        services.registration.register(actor, RegistrationInput(
            people=(PersonInput(name=f"赵{'一二三四五'[i]}"),),
            matter=MatterInput(kind="intake.wrong_level", summary="事项", demands="补偿", respondent="某街道")))


def _window(qtbot: Any, services: Any, actor: Any, runner: Any) -> Any:
    from xinfang_desk.gui.main_window import MainWindow
    from xinfang_desk.gui.sync_status import SyncController
    from xinfang_desk.sync.config import CentralConfigError

    def nothing() -> str:
        raise CentralConfigError("no central database configured")

    w = MainWindow(services, actor, runner, sync=SyncController(services, resolve_url=nothing))
    qtbot.addWidget(w)
    w.resize(1366, 768)
    show_active(qtbot, w)
    return w


def _close(w: Any) -> None:
    w.close()
    assert w.sync.stop(10)


def _db_file(services: Any) -> Path:
    return Path(services.db.engine.url.database)


def test_supervisor_is_warned_at_start_when_the_chain_is_broken(qtbot, services, actors, runner, monkeypatch) -> None:
    _register(services, actors["clerk"], 4)
    con = sqlite3.connect(_db_file(services))
    with con:
        con.execute("UPDATE audit_events SET username = 'nobody' WHERE window_code = 'BN03' AND chain_seq = 6")
    con.close()
    shown: list[Any] = []
    monkeypatch.setattr("xinfang_desk.gui.main_window.show_broken_chain", lambda _p, rep: shown.append(rep))
    w = _window(qtbot, services, actors["supervisor"], runner)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert [(f.kind, f.position) for f in shown[0].findings] == [("edited", 6)]
    from xinfang_desk.gui.audit_page import broken_chain_text

    text = broken_chain_text(shown[0])
    assert "第 6 条" in text and "篡改" in text  # said in Chinese, with the position
    page = w.pages["audit"]
    qtbot.waitUntil(lambda: "第 6 条" in page.chain_label.text())
    _close(w)


def test_intact_chain_no_warning_and_clerk_gets_no_check(qtbot, services, actors, runner, monkeypatch) -> None:
    _register(services, actors["clerk"], 2)
    shown: list[Any] = []
    monkeypatch.setattr("xinfang_desk.gui.main_window.show_broken_chain", lambda _p, rep: shown.append(rep))
    w = _window(qtbot, services, actors["supervisor"], runner)
    qtbot.waitUntil(lambda: w.chain_report is not None, timeout=10000)
    assert shown == [] and w.chain_report.intact
    assert "完整" in w.pages["audit"].chain_label.text()
    _close(w)
    c = _window(qtbot, services, actors["clerk"], runner)
    assert "audit" not in c.pages and c.chain_report is None
    _close(c)


def test_audit_page_filters_and_exports_from_the_keyboard(qtbot, services, actors, runner, monkeypatch, tmp_path) -> None:
    _register(services, actors["clerk"], 3)
    monkeypatch.setattr("xinfang_desk.gui.main_window.show_broken_chain", lambda _p, rep: None)
    w = _window(qtbot, services, actors["supervisor"], runner)
    key(qtbot, Qt.Key.Key_7, ALT, widget=w)  # 审计日志 is Alt+7 for every role
    page = w.pages["audit"]
    assert w.current_page_key() == "audit"
    qtbot.waitUntil(lambda: page.table.rowCount() > 0 and page.action_combo.count() > 1)
    # the action filter: no internal code on screen, only words
    labels = [page.action_combo.itemText(i) for i in range(page.action_combo.count())]
    assert "登记来访" in labels and not any("." in t for t in labels)
    page.action_combo.setFocus()
    page.action_combo.setCurrentIndex(labels.index("登记来访"))
    key(qtbot, Qt.Key.Key_Return, widget=page.action_combo)
    qtbot.waitUntil(lambda: page.table.rowCount() == 3)
    assert {page.table.item(i, 4).text() for i in range(3)} == {"登记来访"}
    assert {page.table.item(i, 3).text() for i in range(3)} == {"clerk"}
    out = tmp_path / "trail.csv"
    monkeypatch.setattr("xinfang_desk.gui.audit_page.QFileDialog.getSaveFileName",
                        lambda *a, **k: (str(out), "CSV"))
    key(qtbot, Qt.Key.Key_E, CTRL, widget=page.table)
    qtbot.waitUntil(out.exists)
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text(encoding="utf-8-sig").count("visit.register") == 3
    _close(w)


def test_supervisor_reveals_full_numbers_with_a_reason(qtbot, services, actors, runner, monkeypatch) -> None:
    from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

    services.registration.register(actors["clerk"], RegistrationInput(
        people=(PersonInput(name="钱多多", id_number="11010519491231002X", phone="13800138000"),),
        matter=MatterInput(kind="intake.wrong_level", summary="事项", demands="补偿", respondent="某街道")))
    monkeypatch.setattr("xinfang_desk.gui.main_window.show_broken_chain", lambda _p, rep: None)
    w = _window(qtbot, services, actors["supervisor"], runner)
    key(qtbot, Qt.Key.Key_2, ALT, widget=w)
    page = w.pages["today"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    # Enter: the visit, masked
    page.focus_main()
    key(qtbot, Qt.Key.Key_Return, widget=page.ui.visits_table)
    qtbot.waitUntil(lambda: page.last_dialog is not None and page.last_dialog.isVisible())
    html = page.last_dialog.ui.detail_browser.toPlainText()
    assert "11010519491231002X" not in html and "110105" in html
    page.last_dialog.reject()
    # Ctrl+R with no reason (cancelled): nothing changes, nothing is recorded
    monkeypatch.setattr("xinfang_desk.gui.today_page.ask_reason", lambda _p: "")
    key(qtbot, Qt.Key.Key_R, CTRL, widget=page.ui.visits_table)
    assert [r for r in services.audit_log.list(actors["supervisor"]) if r.action == "pii.reveal"] == []
    # with a reason: the visit opens with the full numbers, and the reason is in the audit trail
    monkeypatch.setattr("xinfang_desk.gui.today_page.ask_reason", lambda _p: "来访人要求核对")
    key(qtbot, Qt.Key.Key_R, CTRL, widget=page.ui.visits_table)
    qtbot.waitUntil(lambda: page.last_dialog is not None and page.last_dialog.isVisible()
                    and "11010519491231002X" in page.last_dialog.ui.detail_browser.toPlainText())
    reveals = [r for r in services.audit_log.list(actors["supervisor"]) if r.action == "pii.reveal"]
    assert [(r.username, r.detail["reason"]) for r in reveals] == [("supervisor", "来访人要求核对")]
    page.last_dialog.reject()
    _close(w)
    # a clerk has no Ctrl+R: the reason is never even asked
    asked: list[int] = []
    monkeypatch.setattr("xinfang_desk.gui.today_page.ask_reason", lambda _p: asked.append(1) or "x")
    c = _window(qtbot, services, actors["clerk"], runner)
    c.pages["today"].reveal()
    assert asked == []
    _close(c)


def test_encrypted_database_asks_the_administrator_for_its_passphrase(qtbot, runner, services, actors,
                                                                     monkeypatch) -> None:
    """No keyring, no XINFANG_DESK_DB_PASSPHRASE: the app asks for the passphrase (a wrong one is asked again),
    then the log-in works as usual."""
    from xinfang_desk.app import Startup, open_services
    from xinfang_desk.services.dbkey import DatabaseKeyService

    url = str(services.db.engine.url)
    DatabaseKeyService(services.db).encrypt(actors["admin"], "window passphrase 1")
    services.close()
    monkeypatch.delenv("XINFANG_DESK_DB_PASSPHRASE", raising=False)
    answers = iter(["wrong passphrase!!", "window passphrase 1"])
    asked: list[str] = []
    monkeypatch.setattr("xinfang_desk.app.ask_passphrase", lambda again=False: asked.append(again) or next(answers))
    failed: list[BaseException] = []
    st = Startup(runner, "BN03", lambda passphrase=None: open_services(url, "BN03", passphrase),
                 on_logged_in=lambda s, a: None, on_cancelled=lambda: None, on_failed=failed.append)
    qtbot.addWidget(st.login)
    st.start()
    qtbot.waitUntil(lambda: st.ready or bool(failed), timeout=30000)
    assert not failed and asked == [False, True]
    assert st.services.db.field_keys is not None
    runner.wait()
    st.services.close()
