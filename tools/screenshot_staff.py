"""The 接访人员 tab (管理, Alt+8) at a window PC's 1366×768, on a real X server:

    xvfb-run -a -s '-screen 0 1366x768x24' env QT_QPA_PLATFORM=xcb python tools/screenshot_staff.py docs/

Fills a temporary demo database (with its session people), logs in as the demo administrator, declares a leave
period and a conflict by ID number for a lawyer, and grabs the whole screen."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from shotkit import demo_window  # noqa: E402  (tools/ is on sys.path when run as a script)


def main(out: Path) -> int:
    from xinfang_desk.services.demo import DEMO_USERS

    picked = {}

    def prepare(services):  # type: ignore[no-untyped-def]
        actor = services.auth.login(DEMO_USERS[0][0], DEMO_USERS[0][3])
        lawyer = next(r for r in services.scheduling.staff_records(actor) if r.person.role == "lawyer")
        today = dt.date.today()
        services.scheduling.add_leave(actor, lawyer.person.key, today + dt.timedelta(days=7),
                                      today + dt.timedelta(days=11), "年假")
        services.scheduling.add_conflict(actor, lawyer.person.key, id_number="11010519491231002X")
        services.scheduling.add_conflict(actor, lawyer.person.key, organisation="某某建筑有限公司")
        picked["lawyer"] = lawyer.person.key
        return actor

    with demo_window(out, "BN01", 10, prepare) as sc:
        w = sc.window
        w.open_page("admin")
        page = w.pages["admin"]
        page.tabs.setCurrentWidget(page.staff_tab)
        sc.wait(1500)
        tab = page.staff_tab
        row = next(i for i, r in enumerate(tab.records) if r.person.key == picked["lawyer"])
        tab.table.setCurrentCell(row, 0)
        tab.table.setFocus()
        sc.shot("screenshot-staff.png", settle_ms=800)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
