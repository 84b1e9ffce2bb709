"""The sync page's open issues (issue 13 item 12): paged (50 a page, Alt+PgDn / Alt+PgUp) and acknowledged in
bulk — Ctrl+A selects the page, Alt+A asks one note for all, each issue gets its audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt

from .keyboard import focus, key, show_active, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def test_745_issues_are_paged_and_a_page_is_acknowledged_with_one_note(qtbot: Any, services: Any, actors: Any,
                                                                        runner: Any) -> None:
    from sqlalchemy import func, select

    from xinfang_desk.gui.sync_page import ISSUES_PAGE, NoteDialog, SyncPage
    from xinfang_desk.persistence.models import AuditEvent
    from xinfang_desk.sync.engine import open_issues, reason_json
    from xinfang_desk.sync.local_models import SyncIssue

    t0 = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)
    with services.db.transaction() as s:
        for i in range(745):
            s.add(SyncIssue(change_id=f"c{i:04d}", direction="push", kind="quarantined", entity="visits",
                            entity_id=f"v{i:04d}", created_at=t0 + dt.timedelta(seconds=i),
                            reason=reason_json("The central database refused the change: {error}",
                                               error='23514: new row for relation "visits" violates check')))
    page = SyncPage(services, actors["supervisor"], runner)
    qtbot.addWidget(page)
    show_active(qtbot, page)
    it = page.ui.issues_table
    qtbot.waitUntil(lambda: it.rowCount() == ISSUES_PAGE, timeout=20000)
    assert page.page_label.text() == "第 1 / 15 页" and page.next_page_button.isVisible()
    assert "745" in page.ui.issues_group.title()
    assert "23514" in it.item(0, 2).text() and "relation" not in it.item(0, 2).text()
    assert it.height() >= 5 * it.verticalHeader().defaultSectionSize()  # several rows visible, not one
    key(qtbot, Qt.Key.Key_PageDown, ALT)
    assert page.issue_page == 1 and page.page_label.text() == "第 2 / 15 页"
    key(qtbot, Qt.Key.Key_PageUp, ALT)
    assert page.issue_page == 0
    it.setFocus()
    qtbot.waitUntil(lambda: focus() is it)
    key(qtbot, Qt.Key.Key_A, CTRL)  # the whole page
    assert len(page.selected_issues()) == ISSUES_PAGE
    key(qtbot, Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: isinstance(page.note_dialog, NoteDialog) and page.note_dialog.isVisible(), timeout=5000)
    dlg = page.note_dialog
    assert "50" in dlg.label.text()
    qtbot.waitUntil(lambda: focus() is dlg.edit, timeout=5000)
    type_text(qtbot, "中心已放宽校验，这些来访将重新上传")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(open_issues(services.db)) == 745 - ISSUES_PAGE, timeout=20000)
    qtbot.waitUntil(lambda: page.page_label.text() == "第 1 / 14 页", timeout=20000)
    with services.db.session() as s:
        n = s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "sync.issue_acknowledge"))
    assert n == ISSUES_PAGE
