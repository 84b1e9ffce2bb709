"""用户管理 (issue 13 item 10, issue 11 item 3): an administrator edits, disables, unlocks and resets accounts from
the keyboard; every change goes through the services, and a refusal shows its reason in Chinese.
The tests act on accounts they create: the template users' sessions are shared by the whole test run."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.sessions import add_user
from xinfang_desk.domain.errors import AuthenticationFailed
from xinfang_desk.services.auth import check_password_strength
from xinfang_desk.services.context import PasswordChangeRequired

from .keyboard import focus, key, type_text
from .test_main_flow import ALT, make_window

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The confirmation question, answered 是 and recorded (a modal box would block the test)."""
    questions: list[tuple[str, str]] = []

    def fake(parent: Any, title: str, text: str) -> bool:
        questions.append((title, text))
        return True

    monkeypatch.setattr("xinfang_desk.gui.users_page.ask_yes_no", fake)
    return questions


def _open(qtbot: Any, services: Any, admin: Any, runner: Any) -> Any:
    w = make_window(qtbot, services, admin, runner)
    key(qtbot, Qt.Key.Key_9, ALT)
    assert w.current_page_key() == "users"
    page = w.pages["users"]
    qtbot.waitUntil(lambda: page.table.rowCount() >= 4, timeout=30000)
    return page


def _pick(qtbot: Any, page: Any, username: str, typed: str | None = None) -> None:
    """Ctrl+F, type the name (or `typed`), Enter: the list has the keyboard on the first match."""
    key(qtbot, Qt.Key.Key_F, CTRL, widget=page.table)
    assert focus() is page.filter_edit
    type_text(qtbot, typed or username)
    key(qtbot, Qt.Key.Key_Return)
    assert focus() is page.table
    assert page.current_user() is not None and page.current_user().username == username


def _row(page: Any, username: str) -> list[str]:
    r = next(i for i, u in enumerate(page.users) if u.username == username)
    return [page.table.item(r, c).text() for c in range(page.table.columnCount())]


def _user(services: Any, admin: Any, username: str) -> Any:
    return next(u for u in services.auth.list_users(admin) if u.username == username)


def test_the_list_shows_every_account_in_chinese_and_filters(qtbot: Any, services: Any, actors: Any,
                                                            runner: Any) -> None:
    add_user(services, actors["admin"], "zhou", "周敏", "lawyer", "Zhou-pass-1x", home_window="BN02")
    page = _open(qtbot, services, actors["admin"], runner)
    assert [page.table.horizontalHeaderItem(c).text() for c in range(5)] == ["用户名", "显示姓名", "角色", "窗口", "状态"]
    assert _row(page, "zhou") == ["zhou", "周敏", "值班律师", "BN02", "正常"]
    _pick(qtbot, page, "zhou", "周敏")  # by the display name too
    visible = [r for r in range(page.table.rowCount()) if not page.table.isRowHidden(r)]
    assert len(visible) == 1


def test_enter_edits_the_role_and_window(qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    session = add_user(services, actors["admin"], "zhao", "赵敏", "clerk", "Zhao-pass-1x")
    page = _open(qtbot, services, actors["admin"], runner)
    _pick(qtbot, page, "zhao")
    key(qtbot, Qt.Key.Key_Return)  # Enter edits
    assert focus() is page.display_name_edit and page.box.title() == "编辑账户 zhao"
    key(qtbot, Qt.Key.Key_Tab)
    assert focus() is page.role_combo
    key(qtbot, Qt.Key.Key_Down)  # 接待员 -> 值班律师
    assert page.role_combo.currentText() == "值班律师"
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "bn05")
    with qtbot.waitSignal(page.sig_changed, timeout=30000):
        key(qtbot, Qt.Key.Key_Return)
    u = _user(services, actors["admin"], "zhao")
    assert (u.role, u.home_window) == ("lawyer", "BN05")
    assert not session.may("register visits")  # another role: the old session has ended
    assert services.auth.login("zhao", "Zhao-pass-1x").may("search visitors")
    qtbot.waitUntil(lambda: _row(page, "zhao")[2:4] == ["值班律师", "BN05"], timeout=30000)


def test_del_disables_after_asking_and_the_user_cannot_log_in(qtbot: Any, services: Any, actors: Any, runner: Any,
                                                              asked: list[tuple[str, str]]) -> None:
    add_user(services, actors["admin"], "qin", "秦敏", "clerk", "Qin-pass-1x")
    page = _open(qtbot, services, actors["admin"], runner)
    _pick(qtbot, page, "qin")
    with qtbot.waitSignal(page.sig_changed, timeout=30000):
        key(qtbot, Qt.Key.Key_Delete)
    assert len(asked) == 1 and "qin" in asked[0][1] and "不能登录" in asked[0][1]
    assert _user(services, actors["admin"], "qin").active is False
    with pytest.raises(AuthenticationFailed):
        services.auth.login("qin", "Qin-pass-1x")
    qtbot.waitUntil(lambda: _row(page, "qin")[4] == "已停用", timeout=30000)
    assert "已停用" in page.message_label.text()
    # Del on a disabled account enables it again (nothing destructive: no question)
    qtbot.waitUntil(lambda: page.disable_button.text().startswith("启用"), timeout=30000)
    page.table.setFocus()
    with qtbot.waitSignal(page.sig_changed, timeout=30000):
        key(qtbot, Qt.Key.Key_Delete)
    assert len(asked) == 1
    assert services.auth.login("qin", "Qin-pass-1x").role == "clerk"


def test_ctrl_u_unlocks_a_locked_account(qtbot: Any, services: Any, actors: Any, runner: Any) -> None:
    add_user(services, actors["admin"], "wu", "吴敏", "clerk", "Wu-pass-1x")
    page = _open(qtbot, services, actors["admin"], runner)
    assert _row(page, "wu")[4] == "正常"
    for _ in range(5):  # locked out while the page is open elsewhere
        with pytest.raises(AuthenticationFailed):
            services.auth.login("wu", "wrong-Pass-1")
    with pytest.raises(AuthenticationFailed, match="lock|锁定"):
        services.auth.login("wu", "Wu-pass-1x")
    key(qtbot, Qt.Key.Key_8, ALT)
    key(qtbot, Qt.Key.Key_9, ALT)  # back to the page: the list is reloaded
    qtbot.waitUntil(lambda: _row(page, "wu")[4] == "已锁定", timeout=30000)
    _pick(qtbot, page, "wu")
    with qtbot.waitSignal(page.sig_changed, timeout=30000):
        key(qtbot, Qt.Key.Key_U, CTRL)
    assert services.auth.login("wu", "Wu-pass-1x").role == "clerk"
    qtbot.waitUntil(lambda: _row(page, "wu")[4] == "正常", timeout=30000)


def test_ctrl_r_resets_with_the_rules_checked_then_a_temporary_password(qtbot: Any, services: Any, actors: Any,
                                                                        runner: Any) -> None:
    session = add_user(services, actors["admin"], "zheng", "郑敏", "supervisor", "Zheng-pass-1x")
    page = _open(qtbot, services, actors["admin"], runner)
    _pick(qtbot, page, "zheng")
    key(qtbot, Qt.Key.Key_R, CTRL)
    dlg = page.reset_dialog
    assert dlg is not None
    qtbot.waitUntil(lambda: focus() is dlg.password_edit, timeout=30000)
    type_text(qtbot, "password1")  # typed by the administrator: too weak, refused with the reason
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.error_label.text() != "", timeout=30000)
    assert "密码" in dlg.error_label.text() and dlg.isVisible()
    assert services.auth.login("zheng", "Zheng-pass-1x").role == "supervisor"  # nothing changed
    dlg.password_edit.selectAll()
    key(qtbot, Qt.Key.Key_Delete)
    with qtbot.waitSignal(page.sig_changed, timeout=30000):
        key(qtbot, Qt.Key.Key_Return)  # empty: a generated temporary password
    temp = page.secret_edit.text()
    assert page.secret_edit.isVisible() and "只显示这一次" in page.message_label.text()
    check_password_strength(temp, "zheng")
    assert not session.may("search visitors")
    with pytest.raises(AuthenticationFailed):
        services.auth.login("zheng", "Zheng-pass-1x")
    with pytest.raises(PasswordChangeRequired):  # must change it at the next log-in
        services.auth.login("zheng", temp)
    assert services.auth.change_password("zheng", temp, "Zheng-own-9x").role == "supervisor"
    qtbot.waitUntil(lambda: _row(page, "zheng")[4] == "须改密码", timeout=30000)
    assert focus() is page.table
    key(qtbot, Qt.Key.Key_N, CTRL)  # the next action: the password is not shown again
    assert page.secret_edit.text() == "" and not page.secret_edit.isVisible()


def test_an_admin_cannot_disable_themselves_and_is_told_why(qtbot: Any, services: Any, actors: Any, runner: Any,
                                                            asked: list[tuple[str, str]]) -> None:
    page = _open(qtbot, services, actors["admin"], runner)
    _pick(qtbot, page, "admin")
    key(qtbot, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: "未完成" in page.message_label.text(), timeout=30000)
    text = page.message_label.text()
    assert "自己的账户" in text and "用户名" in text and "own" not in text
    assert _user(services, actors["admin"], "admin").active
    assert actors["admin"].may("manage users")


def test_ctrl_n_adds_an_account_with_a_temporary_password(qtbot: Any, services: Any, actors: Any,
                                                         runner: Any) -> None:
    page = _open(qtbot, services, actors["admin"], runner)
    key(qtbot, Qt.Key.Key_N, CTRL, widget=page.table)
    assert focus() is page.username_edit and page.box.title() == "新建账户"
    type_text(qtbot, "li")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "李敏")
    with qtbot.waitSignal(page.sig_changed, timeout=30000):
        key(qtbot, Qt.Key.Key_Return)
    temp = page.secret_edit.text()
    assert temp and _user(services, actors["admin"], "li").must_change_password
    with pytest.raises(PasswordChangeRequired):
        services.auth.login("li", temp)


def test_the_page_fits_1366x768_and_f1_lists_its_keys(qtbot: Any, services: Any, actors: Any, runner: Any,
                                                      monkeypatch: Any) -> None:
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QApplication, QDialog

    from xinfang_desk.gui import dialogs

    for i, name in enumerate("赵钱孙李周吴郑王冯陈褚卫"):  # a district's staff: more accounts than rows on screen
        services.auth.create_user(actors["admin"], f"staff{i:02d}", name + "敏", "clerk", f"Tmp-pass-{i:02d}Q")
    page = _open(qtbot, services, actors["admin"], runner)
    w = page.window()
    w.resize(1366, 728)  # 768 less a task bar
    qtbot.waitUntil(lambda: w.width() == 1366, timeout=30000)
    key(qtbot, Qt.Key.Key_N, CTRL, widget=page.table)
    key(qtbot, Qt.Key.Key_R, CTRL, widget=page.table)  # the dialog too
    qtbot.waitUntil(lambda: page.reset_dialog is not None and page.reset_dialog.isVisible(), timeout=30000)
    assert page.reset_dialog.width() <= 1366 and page.reset_dialog.height() <= 728
    qtbot.waitUntil(lambda: focus() is page.reset_dialog.password_edit, timeout=30000)
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: page.reset_dialog is None and QApplication.focusWidget() is page.table, timeout=30000)
    for widget in (page.filter_edit, page.table, page.username_edit, page.password_edit, page.save_button,
                   page.reset_button, page.message_label):
        top_left = widget.mapTo(w, QPoint(0, 0))
        assert widget.isVisible() and w.rect().contains(QRect(top_left, widget.size())), widget
    assert page.table.viewport().height() > 200  # the list keeps room for the accounts

    shown: list[list[str]] = []

    def fake_exec(self: QDialog) -> int:
        t = self.table  # type: ignore[attr-defined]
        shown.append([f"{t.item(r, 0).text()} {t.item(r, 1).text()}" for r in range(t.rowCount())])
        return 0

    monkeypatch.setattr(dialogs.KeymapDialog, "exec", fake_exec)
    key(qtbot, Qt.Key.Key_F1)
    [rows] = shown
    assert any(r.startswith("Ctrl+N / Ctrl+U / Ctrl+R ") and "解锁" in r and "重置密码" in r for r in rows)
    assert any(r.startswith("Enter / Del ") and "停用" in r for r in rows)
