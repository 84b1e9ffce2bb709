"""GUI fixtures: the app font and translators once per session; a migrated temp database, users and a task
runner per test; a leak guard that every background task has finished."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sessions import add_user
from xinfang_desk import i18n

PASSWORD = "secret-123"


@pytest.fixture(scope="session", autouse=True)
def _qt_app_setup(qapp: Any) -> Iterator[None]:
    from xinfang_desk.gui import fonts, qt_i18n

    families = fonts.register_fonts()
    fonts.apply_app_font(qapp, families)
    qt_i18n.install(qapp, "zh_CN")
    yield


@pytest.fixture(autouse=True)
def _zh_and_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any) -> Iterator[None]:
    from xinfang_desk.gui import qt_i18n

    monkeypatch.setenv("XINFANG_DESK_DATA", str(tmp_path / "data"))
    if i18n.language() != "zh_CN":
        qt_i18n.install(qapp, "zh_CN")
    yield
    if i18n.language() != "zh_CN":
        qt_i18n.install(qapp, "zh_CN")


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once and create the users once (Argon2 is slow on purpose); each test copies the file."""
    from xinfang_desk.services.container import Services

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    s = Services.open(f"sqlite:///{path}", "BN03")
    s.auth.setup_first_admin("admin", "管理员", PASSWORD)
    admin = s.auth.login("admin", PASSWORD)
    add_user(s, admin, "clerk", "张三", "clerk", PASSWORD)
    add_user(s, admin, "lawyer", "李律师", "lawyer", PASSWORD)
    add_user(s, admin, "supervisor", "王主任", "supervisor", PASSWORD)
    s.close()
    return path


@pytest.fixture(scope="session")
def _template_sessions(_template_db: Path) -> dict[str, Any]:
    """One real session per template user (the copies share the users' ids), logged in once."""
    from xinfang_desk.services.container import Services

    s = Services.open(f"sqlite:///{_template_db}", "BN03", migrate=False)
    try:
        return {u: s.auth.login(u, PASSWORD) for u in ("admin", "clerk", "lawyer", "supervisor")}
    finally:
        s.close()


@pytest.fixture
def services(_template_db: Path, tmp_path: Path) -> Iterator[Any]:
    import sqlite3

    from xinfang_desk.services.container import Services

    target = tmp_path / "db" / "xinfang.sqlite3"
    target.parent.mkdir(parents=True)
    src, dst = sqlite3.connect(_template_db), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    s = Services.open(f"sqlite:///{target}", "BN03")
    yield s
    s.close()


@pytest.fixture
def actors(services: Any, _template_sessions: dict[str, Any]) -> dict[str, Any]:
    """Real sessions (the services refuse hand-made actors) of admin, clerk, lawyer and supervisor."""
    return dict(_template_sessions)


@pytest.fixture
def runner(qapp: Any) -> Iterator[Any]:
    from xinfang_desk.gui.tasks import TaskRunner

    r = TaskRunner()
    yield r
    r.closing = True
    assert r.wait(10000), "background tasks still running after the test"
    qapp.processEvents()


@pytest.fixture
def sync_runner(qapp: Any) -> Any:
    """A task runner that runs every operation inline (T6): for long loops that must be fast and deterministic.
    It is the real TaskRunner (its "latest wins" bookkeeping included) with the thread pools left out."""
    from xinfang_desk.gui.tasks import TaskRunner

    class SyncRunner(TaskRunner):
        def _submit(self, job: Any, write: bool) -> None:
            job.run()

        def wait(self, msecs: int = 0) -> bool:
            return True

    return SyncRunner()


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Patch the question dialog where it is used; answers Yes and records what was asked."""
    asked: list[tuple[str, str]] = []

    def fake(parent: Any, title: str, text: str) -> bool:
        asked.append((title, text))
        return True

    monkeypatch.setattr("xinfang_desk.gui.registration_page.ask_yes_no", fake)
    return asked
