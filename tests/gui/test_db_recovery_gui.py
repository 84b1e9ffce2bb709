"""A damaged or foreign database at start-up: the window refuses it in Chinese, never offers the first-administrator
set-up in its place, and offers the newest good backup; Enter restores it (the damaged file kept aside) and the
log-in works on the restored data. Supervisors see how old the last backup is."""

from __future__ import annotations

import hashlib
import random
import re
import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from .conftest import PASSWORD
from .keyboard import key, show_active, tab, type_text
from .test_startup_login import Calls


def flip_bytes(path: Path, n: int = 200, seed: int = 20261130) -> None:
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    for _ in range(n):
        i = rng.randrange(4096, len(data))  # keep the header: a damaged file, not a foreign one
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    a.backup(b)
    a.close()
    b.close()


def _start(runner: Any, url: str, calls: Calls, qtbot: Any) -> Any:
    from xinfang_desk.app import DatabaseRecovery, Startup, open_services

    gave_up: list[int] = []
    recovery = DatabaseRecovery(runner, url, gave_up.append)
    st = Startup(runner, "BN03", lambda: open_services(url, "BN03"), **{**calls.kwargs(), "on_failed": recovery})
    recovery.startup = st
    qtbot.addWidget(st.login)
    show_active(qtbot, st.login)
    st.start()
    return st, recovery, gave_up


def test_corrupt_file_refused_and_the_backup_restored_from_the_keyboard(qtbot: Any, runner: Any, _template_db: Path,
                                                                         tmp_path: Path) -> None:
    from xinfang_desk.services.container import Services
    from xinfang_desk.services.dto import MatterInput, PersonInput, RegistrationInput
    from xinfang_desk.services.maintenance import backup_time

    db = tmp_path / "win" / "xinfang.sqlite3"
    _copy(_template_db, db)
    url = f"sqlite:///{db}"
    sv = Services.open(url, "BN03")  # the day's first start: a verified backup
    clerk = sv.auth.login("clerk", PASSWORD)
    sv.registration.register(clerk, RegistrationInput(people=(PersonInput(name="赵六"),),
                                                      matter=MatterInput(kind="suggestion", summary="备份之后的登记")))
    sv.close()
    backups = sorted((db.parent / "backups").glob("xinfang-*.sqlite3"))
    assert len(backups) == 1
    flip_bytes(db)
    damaged = hashlib.sha256(db.read_bytes()).hexdigest()

    calls = Calls()
    st, recovery, gave_up = _start(runner, url, calls, qtbot)
    qtbot.waitUntil(lambda: recovery.box is not None and recovery.box.isVisible(), timeout=20000)
    box = recovery.box
    assert st.first_run is None and not st.ready  # no first-administrator set-up on a damaged file
    assert "损坏" in box.text() and str(db) in box.text()
    restore = box.defaultButton()
    when = backup_time(backups[0]).strftime("%Y-%m-%d %H:%M")
    assert restore is not None and restore.text() == f"恢复 {when} 的备份(&R)"
    assert f"最近一份完好的备份是 {when} 的备份。" in box.text()
    assert "已损坏（完整性检查：" in box.text(), box.text()
    assert not re.search(r"[A-Za-z]{4,}", box.text().replace(str(db), "")), box.text()
    assert not any("Traceback" in t for t in (box.text(), box.informativeText()))
    box.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is box)
    key(qtbot, Qt.Key.Key_Return, widget=box)  # the default button: restore
    qtbot.waitUntil(lambda: st.ready, timeout=30000)  # the database opened again
    assert recovery.restored == [str(backups[0])] and not gave_up
    kept = list((db.parent / "backups").glob("replaced-*/xinfang.sqlite3"))
    assert len(kept) == 1 and hashlib.sha256(kept[0].read_bytes()).hexdigest() == damaged  # kept aside, unchanged
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    show_active(qtbot, st.login)
    type_text(qtbot, "clerk", widget=st.login.ui.username_edit)
    tab(qtbot)
    type_text(qtbot, PASSWORD)
    with qtbot.waitSignal(st.login.accepted, timeout=10000):
        key(qtbot, Qt.Key.Key_Return, widget=st.login.ui.password_edit)
    assert calls.logged_in and calls.logged_in[0][1].username == "clerk"
    runner.wait()
    st.services.close()


def test_empty_file_is_refused_without_first_admin_and_without_backup_offer(qtbot: Any, runner: Any,
                                                                            tmp_path: Path) -> None:
    db = tmp_path / "empty.sqlite3"
    db.touch()
    calls = Calls()
    st, recovery, gave_up = _start(runner, f"sqlite:///{db}", calls, qtbot)
    qtbot.waitUntil(lambda: recovery.box is not None and recovery.box.isVisible(), timeout=20000)
    box = recovery.box
    assert st.first_run is None and not st.ready
    assert "空" in box.text() and "没有找到可用的备份" in box.text()
    assert [b.text() for b in box.buttons()] == ["退出(&Q)"]
    key(qtbot, Qt.Key.Key_Escape, widget=box)
    qtbot.waitUntil(lambda: gave_up == [2])
    assert db.stat().st_size == 0  # never a new database in its place


def test_supervisor_sees_the_age_of_the_last_backup(qtbot: Any, runner: Any, services: Any, actors: dict[str, Any]) -> None:
    from xinfang_desk.gui.main_window import MainWindow

    sup = MainWindow(services, actors["supervisor"], runner)
    qtbot.addWidget(sup)
    assert sup.backup_status is not None and sup.backup_status.text() == "最近备份：刚才"
    clerk = MainWindow(services, actors["clerk"], runner)
    qtbot.addWidget(clerk)
    assert clerk.backup_status is None  # clerks are not shown it
    for w in (sup, clerk):
        w.shutdown()


def test_a_save_while_another_program_holds_the_lock_says_so_and_keeps_the_form(qtbot: Any, runner: Any, services: Any,
                                                                               actors: dict[str, Any]) -> None:
    from xinfang_desk.gui.main_window import MainWindow
    from xinfang_desk.services.context import local_today

    w = MainWindow(services, actors["clerk"], runner)
    qtbot.addWidget(w)
    show_active(qtbot, w)
    page = w.pages["registration"]
    u = page.ui
    u.name_edit.setFocus()
    type_text(qtbot, "王五")
    u.kind_edit.setFocus()
    type_text(qtbot, "劳动")
    key(qtbot, Qt.Key.Key_Tab)
    u.summary_edit.setFocus()
    type_text(qtbot, "欠薪")
    holder = sqlite3.connect(services.db.file, isolation_level=None)  # another program writes, for more than 5 s
    holder.execute("BEGIN EXCLUSIVE")
    try:
        key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not page.saving, timeout=30000)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    shown = page.error_text("form")
    assert "锁定超过 5 秒" in shown and "没有保存任何内容" in shown, shown
    assert "Traceback" not in shown and "sqlite" not in shown.lower().replace(str(services.db.file).lower(), "")
    assert page.last_result is None and services.search.visits_on(actors["supervisor"], local_today()) == []
    assert (u.name_edit.text(), u.summary_edit.toPlainText()) == ("王五", "欠薪")  # nothing typed is lost
    with qtbot.waitSignal(page.sig_saved, timeout=10000):  # the lock is gone: the same keys save
        key(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    w.shutdown()
