"""The clerk's desk on a small screen: every window fits the screen, the Alt+N keys are the same for every role
(a page a role may not use is shown disabled with the reason), F1 lists the keys."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QDialog, QWidget

from .keyboard import key, show_active
from .test_main_flow import ALT, make_window


def _visible_in(widget: QWidget, window: QWidget) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


def test_main_window_and_dialogs_fit_the_available_screen(qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    from xinfang_desk.gui.dialogs import KeymapDialog
    from xinfang_desk.gui.main_window import MainWindow
    from xinfang_desk.gui.screen import available_geometry, show_main

    w = MainWindow(services, actors["clerk"], runner)
    qtbot.addWidget(w)
    w.resize(1400, 900)  # the form's default: larger than a 1366×768 screen
    show_main(w)
    qtbot.waitExposed(w)
    avail = available_geometry(w)
    assert w.width() <= avail.width() and w.height() <= avail.height()
    page = w.pages["registration"]
    for button in (page.ui.save_button, page.ui.save_print_button):
        assert button.isVisible() and _visible_in(button, w), button.objectName()
    assert _visible_in(w.ui.status_bar, w)

    dlg = KeymapDialog([("Alt+1", "接待登记")], w)
    qtbot.addWidget(dlg)
    dlg.resize(avail.width() + 400, avail.height() + 300)  # as a form sized for a large screen would be
    show_active(qtbot, dlg)
    g = dlg.frameGeometry()
    assert avail.contains(g), (avail, g)
    dlg.close()
    w.shutdown(0)


def test_alt_keys_are_the_same_for_every_role_and_refusals_say_why(qtbot: Any, services: Any, actors: Any,
                                                                   runner: Any) -> None:
    lawyer = make_window(qtbot, services, actors["lawyer"], runner)
    assert lawyer.current_page_key() == "today"
    nav = lawyer.ui.nav_list
    rows = {nav.item(i).data(Qt.ItemDataRole.UserRole): nav.item(i) for i in range(nav.count())}
    assert rows["registration"].text().endswith("Alt+1") and rows["today"].text().endswith("Alt+2")
    assert not rows["registration"].flags() & Qt.ItemFlag.ItemIsEnabled
    assert "值班律师" in rows["registration"].toolTip() and "登记来访" in rows["registration"].toolTip()
    key(qtbot, Qt.Key.Key_1, ALT)
    assert lawyer.current_page_key() == "today"
    assert "值班律师" in lawyer.ui.status_bar.currentMessage()
    lawyer.shutdown(0)

    clerk = make_window(qtbot, services, actors["clerk"], runner)
    key(qtbot, Qt.Key.Key_2, ALT)  # 今日来访 is Alt+2 for the clerk as for the lawyer
    assert clerk.current_page_key() == "today"
    key(qtbot, Qt.Key.Key_1, ALT)
    assert clerk.current_page_key() == "registration"
    clerk.shutdown(0)


def test_f1_lists_the_keys(qtbot: Any, services: Any, actors: Any, runner: Any, monkeypatch: Any) -> None:
    shown: list[list[str]] = []

    def fake_exec(self: QDialog) -> int:
        t = self.table  # type: ignore[attr-defined]
        shown.append([f"{t.item(r, 0).text()} {t.item(r, 1).text()}" for r in range(t.rowCount())])
        return 0

    from xinfang_desk.gui import dialogs

    monkeypatch.setattr(dialogs.KeymapDialog, "exec", fake_exec)
    w = make_window(qtbot, services, actors["clerk"], runner)
    key(qtbot, Qt.Key.Key_F1)
    [rows] = shown
    assert "Alt+1 接待登记" in rows and "Alt+2 今日来访" in rows
    assert any(r.startswith("Ctrl+P ") and "告知书" in r for r in rows)
    assert any(r.startswith("Alt+3 ") and "同步" in r for r in rows)
    w.shutdown(0)


def test_sync_page_never_drops_a_refresh_asked_for_while_loading(qtbot: Any, services: Any, actors: Any,
                                                                  runner: Any, monkeypatch: Any) -> None:
    """An acknowledgement asks for a refresh while the page may still be loading: the refresh must still run."""
    import threading

    from xinfang_desk.gui import sync_page

    real = services.sync.page
    calls: list[int] = []
    release = threading.Event()

    def slow_fetch(actor: Any, url: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            release.wait(10)  # the first load is still running when the second reload is asked for
        return real(actor, url)

    monkeypatch.setattr(services.sync, "page", slow_fetch)
    page = sync_page.SyncPage(services, actors["supervisor"], runner)
    qtbot.addWidget(page)
    show_active(qtbot, page)
    qtbot.waitUntil(lambda: len(calls) == 1)
    page.reload()  # asked for while the first load runs
    release.set()
    qtbot.waitUntil(lambda: len(calls) == 2 and not page.loading, timeout=10000)
