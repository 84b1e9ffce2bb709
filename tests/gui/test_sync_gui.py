"""Sync in the GUI: the status bar line (未配置中心库 / 离线 / 在线 · 待同步 N · 上次同步 HH:MM), the 同步 page with a
conflict a supervisor resolves from the keyboard, and a clerk who cannot. The centre is the throwaway PostgreSQL
of the integration tests (tests/pgcluster.py, tests/integration/conftest.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from .keyboard import key, show_active

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from integration.conftest import central, pg, window_factory  # noqa: E402, F401 - fixtures

ALT = Qt.KeyboardModifier.AltModifier
RID = "11010519491231002X"


def _window(qtbot: Any, services: Any, actor: Any, runner: Any, sync: Any) -> Any:
    from xinfang_desk.gui.main_window import MainWindow

    w = MainWindow(services, actor, runner, sync=sync)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    show_active(qtbot, w)
    return w


def _shot(w: Any, name: str) -> None:
    """With XINFANG_DESK_SCREENSHOTS=DIR, keep a picture of the window (docs/screenshot-sync.png comes from here)."""
    import os

    folder = os.environ.get("XINFANG_DESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        w.grab().save(str(Path(folder) / f"{name}.png"))


def _close(w: Any) -> None:
    w.close()
    assert w.sync.stop(10), "the sync thread did not stop"


def test_not_configured(qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    from xinfang_desk.gui.sync_status import SyncController
    from xinfang_desk.i18n import _
    from xinfang_desk.sync.config import CentralConfigError

    def nothing() -> str:
        raise CentralConfigError("no central database configured")

    sync = SyncController(services, resolve_url=nothing)
    w = _window(qtbot, services, actors["supervisor"], runner, sync)
    qtbot.waitUntil(lambda: w.sync_status.text() == _("No central database configured"))
    assert w.sync_status.text().startswith("未配置中心")
    assert "sync" not in w.pages and w.open_page("sync") is False
    _close(w)


def test_offline_shows_pending_changes(qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    from xinfang_desk.gui.sync_status import OFFLINE_COLOUR, SyncController
    from xinfang_desk.sync.engine import pending_count

    pending = pending_count(services.db)
    assert pending > 0  # the users created in the template are waiting in the outbox
    sync = SyncController(services, central_url="postgresql://window_bn03@127.0.0.1:9/xinfang?connect_timeout=1",
                          interval=3600)
    w = _window(qtbot, services, actors["clerk"], runner, sync)
    qtbot.waitUntil(lambda: w.sync_status.text().startswith("离线"), timeout=15000)
    text = w.sync_status.text()
    assert f"待同步 {pending}" in text and "上次同步 从未" in text
    assert OFFLINE_COLOUR in w.sync_status.styleSheet()  # colour, and the word 离线 with it
    assert "sync" not in w.pages  # a clerk sees the status only
    _shot(w, "sync-offline")
    _close(w)


@pytest.mark.pg
def test_online_register_sync_pending_zero(qtbot: Any, runner: Any, window_factory: Any) -> None:  # noqa: F811
    from xinfang_desk.gui.sync_status import SyncController
    from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

    win = window_factory("BN01")
    sync = SyncController(win.services, central_url=win.url, interval=3600)
    w = _window(qtbot, win.services, win.clerk, runner, sync)
    qtbot.waitUntil(lambda: w.sync_status.text().startswith("在线") and "待同步 0" in w.sync_status.text(),
                    timeout=20000)
    win.services.registration.register(win.clerk, RegistrationInput(
        people=(PersonInput(name="王𠮷䶮", id_number=RID, phone="13800138000", address="某区某路 1 号"),),
        matter=MatterInput(kind="intake.wrong_level", summary="反映问题")))
    sync.refresh_status()
    qtbot.waitUntil(lambda: re.search(r"待同步 [1-9]", w.sync_status.text()) is not None, timeout=10000)
    rounds = sync.rounds
    sync.sync_now()
    qtbot.waitUntil(lambda: sync.rounds > rounds and "待同步 0" in w.sync_status.text(), timeout=20000)
    text = w.sync_status.text()
    assert text.startswith("在线") and re.search(r"上次同步 \d\d:\d\d", text), text
    _close(w)


def _visit(w: Any, phone: str) -> None:
    from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput

    w.services.registration.register(w.clerk, RegistrationInput(
        people=(PersonInput(name="王𠮷䶮", id_number=RID, phone=phone, address="某区某路 1 号"),),
        matter=MatterInput(kind="intake.wrong_level", summary="反映问题")))


def _make_conflict(window_factory: Any) -> tuple[Any, Any]:  # noqa: F811
    """As tests/integration/test_sync_conflicts.py: both windows correct the phone of the same visitor offline.
    The second window's central role is a supervisor's (its code ends in S)."""
    from xinfang_desk.sync.engine import sync_once

    a, b = window_factory("BN01"), window_factory("BN2S")
    _visit(a, "13800138000")
    assert sync_once(a.db, a.code, a.url).ok
    assert sync_once(b.db, b.code, b.url).ok
    _visit(a, "13900139000")
    _visit(b, "13700137000")
    assert sync_once(a.db, a.code, a.url).ok
    rb = sync_once(b.db, b.code, b.url)
    assert rb.ok and rb.conflicts == 1
    return a, b


@pytest.mark.pg
def test_supervisor_resolves_a_conflict_from_the_keyboard_a_clerk_cannot(
        qtbot: Any, runner: Any, window_factory: Any, central: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from xinfang_desk.gui.sync_page import SyncPage
    from xinfang_desk.gui.sync_status import SyncController
    from xinfang_desk.sync.central import ConflictService

    asked: list[str] = []
    monkeypatch.setattr("xinfang_desk.gui.sync_page.ask_yes_no", lambda _p, _t, text: asked.append(text) or True)
    _a, b = _make_conflict(window_factory)
    svc = ConflictService(central.admin_url)
    [conflict] = svc.list_conflicts()
    admin = b.services.auth.login("admin", "adminpass123")
    b.services.auth.create_user(admin, "sup", "李主管", "supervisor", "pass1234x")
    sup = b.services.auth.login("sup", "pass1234x")

    # the clerk: status only, no 同步 page; a page made anyway cannot resolve: the service refuses
    clerk_sync = SyncController(b.services, central_url=b.url, interval=3600)
    cw = _window(qtbot, b.services, b.clerk, runner, clerk_sync)
    qtbot.waitUntil(lambda: cw.sync_status.text().startswith("在线"), timeout=20000)
    assert "sync" not in cw.pages and cw.open_page("sync") is False
    _shot(cw, "sync-clerk")
    _close(cw)
    page = SyncPage(b.services, b.clerk, runner, controller=clerk_sync)
    qtbot.addWidget(page)
    show_active(qtbot, page)
    qtbot.waitUntil(lambda: page.ui.conflicts_table.rowCount() == 1, timeout=20000)
    assert not page.ui.take_window_button.isEnabled()
    page.focus_main()
    key(qtbot, Qt.Key.Key_W, ALT)
    qtbot.waitUntil(lambda: "无权" in page.ui.notice_label.text() or "denied" in page.ui.notice_label.text(),
                    timeout=10000)
    assert [c.id for c in svc.list_conflicts()] == [conflict.id]
    page.close()

    # the supervisor: Alt+N opens 同步, the conflict is listed with its differing field, Alt+W takes the window's
    sync = SyncController(b.services, central_url=b.url, interval=3600)
    w = _window(qtbot, b.services, sup, runner, sync)
    qtbot.waitUntil(lambda: "sync" in w.pages, timeout=20000)
    n = w.shortcuts["sync"]  # Alt+3: pages with a fixed key (统计督办 Alt+5) do not shift it
    assert n == 3
    key(qtbot, getattr(Qt.Key, f"Key_{n}"), ALT)
    assert w.current_page_key() == "sync"
    sp = w.pages["sync"]
    qtbot.waitUntil(lambda: sp.ui.conflicts_table.rowCount() == 1, timeout=20000)
    assert "电话" in sp.ui.conflicts_table.item(0, 4).text()
    diff = sp.ui.diff_table
    rows = {diff.item(r, 0).text(): (diff.item(r, 1).text(), diff.item(r, 2).text()) for r in range(diff.rowCount())}
    assert rows["电话"][0].endswith("13900139000") and rows["电话"][1].endswith("13700137000")  # unmasked: supervisor
    assert sp.ui.take_window_button.isEnabled()
    sp.focus_main()
    qtbot.wait(200)
    _shot(w, "sync-supervisor")
    with qtbot.waitSignal(sp.sig_resolved, timeout=20000):
        key(qtbot, Qt.Key.Key_W, ALT)
    assert asked and str(conflict.id) in asked[-1]
    assert svc.list_conflicts() == []
    assert svc.list_conflicts(None)[0].resolved_by == "sup"
    qtbot.waitUntil(lambda: sp.ui.conflicts_table.rowCount() == 0, timeout=20000)
    _close(w)


@pytest.mark.pg
def test_open_sync_issue_in_chinese_with_the_name_a_supervisor_acknowledges_it_a_clerk_cannot(
        qtbot: Any, runner: Any, window_factory: Any) -> None:  # noqa: F811
    from sqlalchemy import select

    from xinfang_desk.domain.errors import PermissionDenied
    from xinfang_desk.gui.sync_page import NoteDialog, SyncPage
    from xinfang_desk.gui.sync_status import SyncController
    from xinfang_desk.persistence.models import AuditEvent
    from xinfang_desk.sync.engine import acknowledge_issue, open_issues

    from .keyboard import focus, type_text

    _a, b = _make_conflict(window_factory)
    [issue] = open_issues(b.db)
    admin = b.services.auth.login("admin", "adminpass123")
    b.services.auth.create_user(admin, "sup", "李主管", "supervisor", "pass1234x")
    sup = b.services.auth.login("sup", "pass1234x")

    # the clerk: the button is disabled, Alt+A only says why, and the service refuses
    clerk_sync = SyncController(b.services, central_url=b.url, interval=3600)
    page = SyncPage(b.services, b.clerk, runner, controller=clerk_sync)
    qtbot.addWidget(page)
    show_active(qtbot, page)
    qtbot.waitUntil(lambda: page.ui.issues_table.rowCount() == 1, timeout=20000)
    assert not page.ui.acknowledge_button.isEnabled()
    page.ui.issues_table.setFocus()
    key(qtbot, Qt.Key.Key_A, ALT)
    assert "只有主管" in page.ui.notice_label.text() and page.note_dialog is None
    with pytest.raises(PermissionDenied):
        acknowledge_issue(b.db, b.clerk, issue.id, "看过了")
    assert [i.id for i in open_issues(b.db)] == [issue.id]
    page.close()
    assert clerk_sync.stop(10)

    # the supervisor: the issue reads in Chinese, names the visitor, Alt+A with a required note acknowledges it
    sync = SyncController(b.services, central_url=b.url, interval=3600)
    w = _window(qtbot, b.services, sup, runner, sync)
    qtbot.waitUntil(lambda: "sync" in w.pages and "1 个同步问题" in w.sync_status.text(), timeout=20000)
    key(qtbot, getattr(Qt.Key, f"Key_{w.shortcuts['sync']}"), ALT)
    sp = w.pages["sync"]
    qtbot.waitUntil(lambda: sp.ui.issues_table.rowCount() == 1 and sp.ui.conflicts_table.rowCount() == 1,
                    timeout=20000)
    it = sp.ui.issues_table
    assert it.item(0, 0).text() == "冲突"
    assert it.item(0, 1).text() == "来访人 王𠮷䶮"  # the name as stored here, not the id
    assert it.item(0, 2).text() == "修改的是第 1 版，但中心已是第 2 版"
    assert sp.ui.conflicts_table.item(0, 1).text() == "来访人 王𠮷䶮"
    qt = sp.ui.quarantine_table
    assert [qt.horizontalHeaderItem(c).text() for c in range(qt.columnCount())][-1] == "收到时间"
    assert RID not in "".join(it.item(0, c).text() for c in range(it.columnCount()))
    sp.focus_main()
    for _ in range(10):  # Tab from the conflicts to the issues list
        if focus() is it:
            break
        key(qtbot, Qt.Key.Key_Tab)
    assert focus() is it and it.currentRow() == 0
    assert sp.ui.acknowledge_button.isEnabled()
    _shot(w, "sync-issues")
    key(qtbot, Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: isinstance(sp.note_dialog, NoteDialog) and sp.note_dialog.isVisible(), timeout=5000)
    dlg = sp.note_dialog
    assert "修改的是第 1 版" in dlg.label.text() and "王𠮷䶮" in dlg.label.text()
    qtbot.waitUntil(lambda: focus() is dlg.edit, timeout=5000)
    assert not dlg.ok_button.isEnabled()
    key(qtbot, Qt.Key.Key_Return)  # a note is required: Enter on an empty note does nothing
    assert dlg.isVisible() and open_issues(b.db) != []
    type_text(qtbot, "已在中心采用本窗口的版本")
    assert dlg.ok_button.isEnabled()
    with qtbot.waitSignal(sp.sig_acknowledged, timeout=20000):
        key(qtbot, Qt.Key.Key_Return)
    assert open_issues(b.db) == []
    qtbot.waitUntil(lambda: it.rowCount() == 0, timeout=20000)
    qtbot.waitUntil(lambda: "同步问题" not in w.sync_status.text(), timeout=20000)  # the count in the status bar
    assert "已处理" in sp.ui.notice_label.text()
    with b.db.session() as s:
        [ev] = s.scalars(select(AuditEvent).where(AuditEvent.action == "sync.issue_acknowledge")).all()
    assert ev.username == "sup" and ev.entity_id == issue.id and ev.detail["note"] == "已在中心采用本窗口的版本"
    _close(w)
