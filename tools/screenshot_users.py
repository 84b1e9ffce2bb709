"""The 用户管理 screenshot for the README, at a window PC's 1366×768 on a real X server:

    xvfb-run -a -s '-screen 0 1366x768x24' env QT_QPA_PLATFORM=xcb python tools/screenshot_users.py docs/

A demo database; one clerk is locked out by five wrong
passwords, one is disabled, and the supervisor's account is open in the form and has just been reset (Ctrl+R,
Enter: the temporary password shown once). The picture is the whole screen (grabbed from the root window).
"""

from __future__ import annotations

import sys
from pathlib import Path

from shotkit import demo_window  # noqa: E402  (tools/ is on sys.path when run as a script)


def main(out: Path) -> int:
    from xinfang_desk.domain.errors import AuthenticationFailed

    def prepare(services):  # type: ignore[no-untyped-def]
        admin = services.auth.login("admin", "Demo-Admin26")
        for _ in range(5):
            try:
                services.auth.login("clerk1", "wrong-Pass-1")
            except AuthenticationFailed:
                pass
        services.auth.disable_user(admin, "clerk2")
        return admin

    with demo_window(out, "BN03", 5, prepare) as sc:
        w = sc.window
        w.open_page("users")
        page = w.pages["users"]
        sc.wait(1000)
        row = next(i for i, u in enumerate(page.users) if u.username == "supervisor")
        page.table.setCurrentCell(row, 0)
        page.edit_selected()  # Enter: the account in the form
        sc.wait(500)
        page.reset_password()  # Ctrl+R
        sc.wait(500)
        assert page.reset_dialog is not None
        page.reset_dialog.submit()  # Enter on the empty field: a generated temporary password, shown once
        sc.shot("screenshot-users.png", settle_ms=1500)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
