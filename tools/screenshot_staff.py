"""The 接访人员 tab (管理, Alt+8) at a window PC's 1366×768, on a real X server:

    xvfb-run -a -s '-screen 0 1366x768x24' env QT_QPA_PLATFORM=xcb python tools/screenshot_staff.py docs/

Fills a temporary demo database (with its session people), logs in as the demo administrator, declares a leave
period and a conflict by ID number for a lawyer, and grabs the whole screen."""

from __future__ import annotations

import datetime as dt
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
    from xinfang_desk.gui.main_window import MainWindow
    from xinfang_desk.gui.screen import show_main
    from xinfang_desk.gui.tasks import TaskRunner
    from xinfang_desk.services.container import Services
    from xinfang_desk.services.demo import DEMO_USERS, fill_demo

    app, _info = _make_app("zh_CN")

    def wait(ms: int) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    tmp = Path(tempfile.mkdtemp(prefix="xinfang-shots-"))
    services = Services.open(f"sqlite:///{tmp / 'demo.sqlite3'}", "BN01")
    fill_demo(services, visits=10)
    actor = services.auth.login(DEMO_USERS[0][0], DEMO_USERS[0][3])
    lawyer = next(r for r in services.scheduling.staff_records(actor) if r.person.role == "lawyer")
    today = dt.date.today()
    services.scheduling.add_leave(actor, lawyer.person.key, today + dt.timedelta(days=7), today + dt.timedelta(days=11), "年假")
    services.scheduling.add_conflict(actor, lawyer.person.key, id_number="11010519491231002X")
    services.scheduling.add_conflict(actor, lawyer.person.key, organisation="某某建筑有限公司")
    runner = TaskRunner()
    w = MainWindow(services, actor, runner)
    show_main(w)
    wait(800)
    w.open_page("admin")
    page = w.pages["admin"]
    page.tabs.setCurrentWidget(page.staff_tab)
    wait(1500)
    tab = page.staff_tab
    row = next(i for i, r in enumerate(tab.records) if r.person.key == lawyer.person.key)
    tab.table.setCurrentCell(row, 0)
    tab.table.setFocus()
    wait(800)
    QGuiApplication.primaryScreen().grabWindow(0).save(str(out / "screenshot-staff.png"))
    print(out / "screenshot-staff.png")
    w.shutdown(2)
    runner.wait(5000)
    services.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
