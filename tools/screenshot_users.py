"""The 用户管理 screenshot for the README, at a window PC's 1366×768 on a real X server:

    xvfb-run -a -s '-screen 0 1366x768x24' env QT_QPA_PLATFORM=xcb python tools/screenshot_users.py docs/

A demo database; one clerk is locked out by five wrong
passwords, one is disabled, and the supervisor's account is open in the form and has just been reset (Ctrl+R,
Enter: the temporary password shown once). The picture is the whole screen (grabbed from the root window).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(out: Path) -> int:
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from xinfang_desk.app import _make_app
    from xinfang_desk.domain.errors import AuthenticationFailed
    from xinfang_desk.gui.main_window import MainWindow
    from xinfang_desk.gui.screen import show_main
    from xinfang_desk.gui.tasks import TaskRunner
    from xinfang_desk.services.container import Services
    from xinfang_desk.services.demo import fill_demo

    app, _info = _make_app("zh_CN")

    def wait(ms: int) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    tmp = Path(tempfile.mkdtemp(prefix="xinfang-shots-"))
    services = Services.open(f"sqlite:///{tmp / 'demo.sqlite3'}", "BN03")
    fill_demo(services, visits=5)
    admin = services.auth.login("admin", "Demo-Admin26")
    for _ in range(5):
        try:
            services.auth.login("clerk1", "wrong-Pass-1")
        except AuthenticationFailed:
            pass
    services.auth.disable_user(admin, "clerk2")
    runner = TaskRunner()
    w = MainWindow(services, admin, runner)
    show_main(w)
    wait(800)
    w.open_page("users")
    page = w.pages["users"]
    wait(1000)
    row = next(i for i, u in enumerate(page.users) if u.username == "supervisor")
    page.table.setCurrentCell(row, 0)
    page.edit_selected()  # Enter: the account in the form
    wait(500)
    page.reset_password()  # Ctrl+R
    wait(500)
    assert page.reset_dialog is not None
    page.reset_dialog.submit()  # Enter on the empty field: a generated temporary password, shown once
    wait(1500)
    QGuiApplication.primaryScreen().grabWindow(0).save(str(out / "screenshot-users.png"))
    print(out / "screenshot-users.png")
    w.shutdown(2)
    runner.wait(5000)
    services.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
