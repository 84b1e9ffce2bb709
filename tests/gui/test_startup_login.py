"""Start-up: the log-in window is on screen before the database is open and its button works at once; a log-in
asked for before the database is open waits visibly (正在打开数据库…, the fields read-only) and then goes ahead by
itself; on a first run the first-administrator dialog takes its place."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from .conftest import PASSWORD
from .keyboard import focus, key, show_active, tab, type_text

ROOT = Path(__file__).resolve().parents[2]


class Calls:
    def __init__(self) -> None:
        self.logged_in: list[tuple[Any, Any]] = []
        self.failed: list[BaseException] = []
        self.cancelled = 0
        self.ready = 0

    def kwargs(self) -> dict[str, Any]:
        return {"on_logged_in": lambda s, a: self.logged_in.append((s, a)),
                "on_failed": self.failed.append,
                "on_cancelled": lambda: setattr(self, "cancelled", self.cancelled + 1),
                "on_ready": lambda: setattr(self, "ready", self.ready + 1)}


def test_an_early_login_waits_for_the_database_then_goes_ahead(qtbot: Any, runner: Any, _template_db: Path, tmp_path: Path) -> None:
    import shutil

    from xinfang_desk.app import Startup, open_services

    db = tmp_path / "copy.sqlite3"
    shutil.copy(_template_db, db)
    gate = threading.Event()

    def slow_open() -> tuple[Any, bool]:
        assert gate.wait(20), "the test never released the database"
        return open_services(f"sqlite:///{db}", "BN03")

    calls = Calls()
    st = Startup(runner, "BN03", slow_open, **calls.kwargs())
    qtbot.addWidget(st.login)
    show_active(qtbot, st.login)
    st.start()
    assert st.login.isVisible() and not st.ready
    assert st.ok_button.isEnabled() and st.ok_button.text() != "正在打开数据库…"  # usable before the database
    assert "BN03" in st.login.ui.window_label.text()
    assert focus() is st.login.ui.username_edit
    type_text(qtbot, "clerk")
    tab(qtbot)
    type_text(qtbot, PASSWORD)
    key(qtbot, Qt.Key.Key_Return)  # before the database is open: the click waits, visibly
    qtbot.wait(100)
    assert st.login.isVisible() and st.login.actor is None and not calls.logged_in
    assert not st.ok_button.isEnabled() and st.ok_button.text() == "正在打开数据库…"
    assert st.login.ui.username_edit.isReadOnly() and st.login.ui.password_edit.isReadOnly()
    type_text(qtbot, "x")  # nothing typed while it waits changes what will be sent
    assert st.login.ui.password_edit.text() == PASSWORD
    with qtbot.waitSignal(st.login.accepted, timeout=20000):  # the early click goes ahead by itself
        gate.set()
    assert st.ready and calls.ready == 1
    assert calls.logged_in and calls.logged_in[0][1].username == "clerk"
    assert calls.logged_in[0][0] is st.services
    assert not st.login.ui.password_edit.isReadOnly() and st.ok_button.text() != "正在打开数据库…"
    runner.wait()
    st.services.close()


def test_first_run_switches_to_the_first_administrator(qtbot: Any, runner: Any, tmp_path: Path) -> None:
    from xinfang_desk.app import Startup, open_services

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    calls = Calls()
    st = Startup(runner, "BN01", lambda: open_services(url, "BN01"), **calls.kwargs())
    qtbot.addWidget(st.login)
    show_active(qtbot, st.login)
    st.start()
    qtbot.waitUntil(lambda: st.first_run is not None and st.first_run.isVisible(), timeout=20000)
    qtbot.addWidget(st.first_run)
    assert not st.login.isVisible()
    show_active(qtbot, st.first_run)
    assert focus() is st.first_run.ui.display_name_edit
    type_text(qtbot, "赵管理")
    tab(qtbot)
    type_text(qtbot, "admin-pass-1")
    tab(qtbot)
    type_text(qtbot, "admin-pass-1")
    with qtbot.waitSignal(st.first_run.accepted, timeout=10000):
        key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: st.login.isVisible() and st.ok_button.isEnabled())
    assert st.login.ui.username_edit.text() == "admin"
    with qtbot.waitSignal(st.login.accepted, timeout=10000):
        type_text(qtbot, "admin-pass-1", widget=st.login.ui.password_edit)
        key(qtbot, Qt.Key.Key_Return, widget=st.login.ui.password_edit)
    assert calls.logged_in[0][1].role == "admin" and calls.cancelled == 0
    runner.wait()
    st.services.close()


def test_the_app_shows_the_login_before_it_opens_the_database(tmp_path: Path) -> None:
    """The real entry point: with XINFANG_DESK_QUIT_ON_LOGIN=1 the app leaves as soon as the log-in window is
    painted; the database file does not exist yet, so nothing was opened before the window appeared."""
    db = tmp_path / "later.sqlite3"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XINFANG_DESK_QUIT_ON_LOGIN="1",
               XINFANG_DESK_DATA=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "xinfang_desk", "--db", f"sqlite:///{db}", "--window", "BN01"]
    r = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert not db.exists()
    assert (tmp_path / "data" / "cache" / "catalog-zh_CN.marshal").exists()  # the parsed catalog, for the next start
    r = subprocess.run(cmd, env=dict(env, XINFANG_DESK_QUIT_ON_LOGIN="usable"), cwd=ROOT, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr  # the button was enabled when the window was painted
    assert not db.exists()
    r = subprocess.run(cmd, env=dict(env, XINFANG_DESK_QUIT_ON_LOGIN="ready"), cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert db.exists()  # "ready" waits for the database (and the first-run check)
