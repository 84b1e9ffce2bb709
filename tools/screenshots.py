"""Screenshots for the README at a window PC's 1366×768, on a real X server:

    xvfb-run -a -s '-screen 0 1366x768x24' env QT_QPA_PLATFORM=xcb python tools/screenshots.py docs/

Fills a temporary demo database, logs in as the demo clerk, types a returning visitor with a labour matter into
接待登记, then opens a visit's detail and the notice preview. Each picture is the whole screen (grabbed from the
root window), so anything off screen or clipped shows as such.
"""

from __future__ import annotations

import sys
from pathlib import Path

from shotkit import demo_window  # noqa: E402  (tools/ is on sys.path when run as a script)


def main(out: Path) -> int:
    from xinfang_desk.services.context import local_today

    with demo_window(out, "BN03", 60, lambda services: services.auth.login("clerk", "Clerk2026")) as sc:
        shoot(sc, local_today())
    return 0


def shoot(sc, today_date) -> None:  # type: ignore[no-untyped-def]
    services, actor, runner, w, wait, shot = sc.services, sc.actor, sc.runner, sc.window, sc.wait, sc.shot
    page = w.pages["registration"]
    u = page.ui
    # a returning visitor: the first person with earlier visits
    rows = services.search.visits_on(actor, today_date)
    person = None
    for r in rows:
        hits = [h for h in services.search.search_people(actor, r.names[0], limit=5) if h.visits]
        if hits:
            person = hits[0]
            break
    if person is not None:
        u.search_edit.setFocus()
        u.search_edit.setText(person.name)
        page.person._run_search()  # noqa: SLF001 - a screenshot, not a test
        wait(800)
        page.person.pick_current()
        wait(800)
    else:
        u.name_edit.setText("吉志强")
    u.kind_edit.setFocus()
    page.kind_picker.set_code("labour.dispute")
    u.summary_edit.setFocus()
    u.summary_edit.setPlainText("公司拖欠工资三个月，共计一万二千元。")
    u.demands_edit.setPlainText("要求支付拖欠的工资")
    u.respondent_edit.setText("某某建筑有限公司")
    wait(1500)
    page.facts_panel.fields["act_known_on"].setText("2026-11-20")
    wait(800)
    page.enter_save()  # Enter on the last field: to the first unanswered question that changes the result
    shot("screenshot-registration.png")

    today = w.pages["today"]
    w.open_page("today")
    today.refresh()
    wait(1000)
    shot("screenshot-today.png")
    rows = services.search.visits_on(actor, today_date)
    if rows:
        today.open_visit(today.model.index(0, 0))
        wait(2000)
        shot("screenshot-visit-detail.png")
        dlg = today.last_dialog
        assert dlg is not None
        dlg.close()
        from xinfang_desk.gui.notice_preview import NoticePreviewDialog

        newest = max(rows, key=lambda r: r.received_at)
        notice = services.notices.print_notice(actor, newest.visit_id, "both")
        prev = NoticePreviewDialog(notice, runner, w)
        prev.open()
        wait(5000)
        shot("screenshot-preview.png")
        prev.close()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")))
